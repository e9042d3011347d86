#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: boot the test kernel, insmod msi_affinity.ko, run the CPU
# hotplug stress under edu and disk load, and print what happened to
# every interrupt.
. "$(dirname "$0")/lib.sh"

cycles=${MSIA_CYCLES:-200}
tap="$MSIA_OUT/run.tap"
"$MSIA_TOP/scripts/vm.sh" --smp 4 --plan run --cycles "$cycles" \
	--console "$MSIA_OUT/run.console" | tr -d '\r' >"$tap" || true

echo
echo "msi_affinity run: CPU hotplug stress, $cycles offline/online cycles of CPUs 2-3"
echo "kernel $(msia_kver), QEMU q35 TCG -smp 4, $(sed -n 's/^# kernel [^,]*, //p' "$tap")"
echo
printf '%-12s %5s %10s %10s %6s %10s\n' device irq raised handled lost io_errors
sed -n 's/^# report: device //p' "$tap" | while read -r dev _ irq rest; do
	set -- $rest
	case "$1" in
	raised) printf '%-12s %5s %10s %10s %6s %10s\n' "$dev" "$irq" "$2" "$4" "$6" - ;;
	*) printf '%-12s %5s %10s %10s %6s %10s\n' "$dev" "$irq" "-" "$2" "-" "$4" ;;
	esac
done
echo
echo "what msi_affinity did (debugfs counters):"
printf '%5s %-13s %-5s %10s %8s %7s %7s %8s %10s %10s\n' irq device kind migrations two_step direct masked irr_hits retriggers cfg_writes
sed -n 's/^# report: module irq //p' "$tap" | while read -r irq dev kind _ mig _ two _ dir _ msk _ hit _ ret _ cw; do
	printf '%5s %-13s %-5s %10s %8s %7s %7s %8s %10s %10s\n' "$irq" "$dev" "$kind" "$mig" "$two" "$dir" "$msk" "$hit" "$ret" "$cw"
done
echo
grep -E '^(not )?ok ' "$tap" | sed 's/^/  /'
if ! grep -q '^# msia: done' "$tap"; then
	echo "the guest did not finish; console: $MSIA_OUT/run.console"
	exit 1
fi
! grep -q '^not ok' "$tap"
