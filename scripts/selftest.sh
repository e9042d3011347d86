#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make selftest: the in-guest kselftests, once per APIC mode: -smp 4
# gives logical flat, -smp 4,maxcpus=9 forces physical flat.  Fails on
# any "not ok", on a guest that did not finish, or on a kernel panic.
. "$(dirname "$0")/lib.sh"

rc=0
# Logical mode runs every test, with 200 hotplug and 200 load/unload
# cycles.  Physical mode runs what depends on the message format (plan
# "physical": delivery, injection, 30 hotplug cycles, restore), which
# keeps a repeated make test within its 5 minutes.
for mode in logical:4:200:test physical:4,maxcpus=9:30:physical; do
	name=${mode%%:*} rest=${mode#*:}
	plan=${rest##*:} rest=${rest%:*}
	smp=${rest%:*} cycles=${rest##*:}
	tap="$MSIA_OUT/selftest-$name.tap" con="$MSIA_OUT/selftest-$name.console"
	"$MSIA_TOP/scripts/vm.sh" --smp "$smp" --plan "$plan" --console "$con" \
		--cycles "$cycles" --append "msia.load_cycles=$cycles" "$@" |
		tr -d '\r' | tee "$tap" | sed "s/^/  [$name] /"
	msia_count_tap "$name" "$tap" "$con" || rc=1
done
# A short third boot with interrupt remapping (QEMU's intel-iommu):
# every MSI is remapped and must be left alone.
tap="$MSIA_OUT/selftest-remapped.tap" con="$MSIA_OUT/selftest-remapped.console"
"$MSIA_TOP/scripts/vm.sh" --plan remapped --console "$con" \
	--qemu "-device intel-iommu,intremap=on" --append intel_iommu=on "$@" |
	tr -d '\r' | tee "$tap" | sed "s/^/  [remapped] /"
msia_count_tap remapped "$tap" "$con" || rc=1
exit $rc
