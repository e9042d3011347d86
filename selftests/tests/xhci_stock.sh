#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xhci_msi.sh on the stock kernel's path, msi_affinity unloaded: what
# happens is reported, not judged.  Runs last in its plan, since a dead
# controller stays dead.
MSIA_CONFIG=stock exec sh /selftests/tests/xhci_msi.sh
