#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make selftest: the in-guest kselftests, once per APIC mode: -smp 4
# gives logical flat, -smp 4,maxcpus=9 forces physical flat.  Fails on
# any "not ok", on a guest that did not finish, or on a kernel panic.
. "$(dirname "$0")/lib.sh"

counts="$MSIA_OUT/counts"
mkdir -p "$counts"
# count_tap NAME TAP CONSOLE: count a boot's results into out/counts.
count_tap() {
	local name=$1 tap=$2 con=$3 p f s
	p=$(grep -E '^ok ' "$tap" | grep -vc '# SKIP' || true)
	s=$(grep -E '^ok .*# SKIP' "$tap" | wc -l)
	f=$(grep -cE '^not ok ' "$tap" || true)
	if ! grep -q '^# msia: done' "$tap"; then
		msia_log "selftest ($name): guest did not finish, see $con"
		f=$((f + 1))
	fi
	if grep -qE 'Kernel panic|BUG: |Oops' "$con"; then
		msia_log "selftest ($name): kernel crashed, see $con"
		grep -E -m5 'Kernel panic|BUG: |Oops' "$con" | sed 's/^/    /'
		f=$((f + 1))
	fi
	[ "$p" -gt 0 ] || { msia_log "selftest ($name): no test passed"; f=$((f + 1)); }
	echo "$p $f $s" >"$counts/selftest-$name"
	msia_log "selftest ($name): $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}

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
	count_tap "$name" "$tap" "$con" || rc=1
done
# A short third boot with interrupt remapping (QEMU's intel-iommu):
# every MSI is remapped and must be left alone.
tap="$MSIA_OUT/selftest-remapped.tap" con="$MSIA_OUT/selftest-remapped.console"
"$MSIA_TOP/scripts/vm.sh" --plan remapped --console "$con" \
	--qemu "-device intel-iommu,intremap=on" --append intel_iommu=on "$@" |
	tr -d '\r' | tee "$tap" | sed "s/^/  [remapped] /"
count_tap remapped "$tap" "$con" || rc=1
exit $rc
