#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: boot the test kernel, insmod msi_affinity.ko, run the CPU
# hotplug stress under edu and disk load, and print what happened to
# every interrupt.
#
# The main job is kept near a minute: 50 hotplug cycles and 4 irqbalance
# runs (one per banned CPU).  The 200-cycle stress and 10 irqbalance
# runs are make test's; MSIA_CYCLES and MSIA_IRQBALANCE_RUNS change them
# here.
. "$(dirname "$0")/lib.sh"

cycles=${MSIA_CYCLES:-50}
ib_runs=${MSIA_IRQBALANCE_RUNS:-4}
tap="$MSIA_OUT/run.tap"
"$MSIA_TOP/scripts/vm.sh" --smp 4 --plan run --cycles "$cycles" \
	--append "msia.irqbalance_runs=$ib_runs" \
	--console "$MSIA_OUT/run.console" | tr -d '\r' >"$tap" || true

echo
echo "msi_affinity run: CPU hotplug stress, $cycles offline/online cycles of CPUs 2-3"
echo "kernel $(msia_kver), QEMU q35 TCG -smp 4, $(sed -n 's/^# kernel [^,]*, //p' "$tap")"
echo
echo "injection: edu (non-maskable MSI) raised right after the k-th MSI register"
echo "write of a move that changes CPU and vector; lost/raised per configuration"
echo
awk '/^# inject: config/ {
	key = $6 " " $8; cfg = $4
	if (!(key in seen)) { seen[key] = 1; order[n++] = key }
	cell[key, cfg] = $14 "/" $10 (($16 == 0) ? " (no write k)" : "")
}
/^# inject: total/ { tot[$5] = $7; noirq[$5] = $9 }
END {
	printf "%-9s %2s  %-18s %-18s %-18s\n", "path", "k", "stock", "msi_affinity", "mode=direct"
	for (i = 0; i < n; i++) {
		split(order[i], a, " ")
		printf "%-9s %2s  %-18s %-18s %-18s\n", a[1], a[2], cell[order[i], "stock"], cell[order[i], "safe"], cell[order[i], "direct"]
	}
	printf "%-12s  %-18s %-18s %-18s\n", "total lost", tot["stock"], tot["safe"], tot["direct"]
	printf "%-12s  %-18s %-18s %-18s\n", "No irq hdlr", noirq["stock"], noirq["safe"], noirq["direct"]
}' "$tap"
echo
echo "CPU hotplug stress under load"
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
echo "who moved the interrupts (each move through msi_affinity, from its counters):"
hand=$(sed -n 's/^# report: module irq .* migrations \([0-9]*\) .*/\1/p' "$tap" | awk '{s += $1} END {print s + 0}')
printf '  %-58s %6s\n' "by hand: the hotplug stress (smp_affinity writes, CPU offline)" "$hand"
sed -n 's/^# report: irqbalance runs \([0-9]*\) moves \([0-9]*\) edu \([0-9]*\) ahci \([0-9]*\) .*/\1 \2 \3 \4/p' "$tap" |
	while read -r runs moves e a; do
		printf '  %-58s %6s\n' "by Debian's irqbalance, $runs --oneshot runs under load (edu $e, ahci $a)" "$moves"
	done
echo
grep -E '^(not )?ok ' "$tap" | sed 's/^/  /'
if ! grep -q '^# msia: done' "$tap"; then
	echo "the guest did not finish; console: $MSIA_OUT/run.console"
	exit 1
fi
! grep -q '^not ok' "$tap"
