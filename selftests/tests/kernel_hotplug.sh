#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The CPU-hotplug stress on the kernel's own path, no module loaded
# (make upstream-test, on the patched kernel): nothing may be lost.
msia_loaded() { [ -d /sys/module/msi_affinity ]; }
msia_loaded && rmmod msi_affinity
MSIA_CONFIG=kernel exec sh /selftests/tests/hotplug_stress.sh
