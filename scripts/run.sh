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
msia_vm run --smp 4 --plan run --cycles "$cycles" \
	--append "msia.irqbalance_runs=$ib_runs" >/dev/null || true

echo
echo "msi_affinity run: CPU hotplug stress, $cycles offline/online cycles of CPUs 2-3"
echo "kernel $(msia_kver), QEMU q35 TCG -smp 4, $(sed -n 's/^# kernel [^,]*, //p' "$tap")"
echo
echo "injection: edu (non-maskable MSI) raised right after the k-th MSI register"
echo "write of a move that changes CPU and vector; lost/raised per configuration"
echo
{ msia_summary inject "$tap" | sed 's/^/row /'; msia_summary inject_total "$tap" | sed 's/^/total /'; } |
	awk "$MSIA_AWK_FIELDS"'
$1 == "row" {
	fields(); key = v["path"] " " v["k"]
	if (!(key in seen)) { seen[key] = 1; order[n++] = key }
	cell[key, v["config"]] = v["lost"] "/" v["raised"] ((v["injected"] == 0) ? " (no write k)" : "")
}
$1 == "total" { fields(); tot[v["config"]] = v["lost"]; noirq[v["config"]] = v["no_irq_handler"] }
END {
	printf "%-9s %2s  %-18s %-18s %-18s\n", "path", "k", "stock", "msi_affinity", "mode=direct"
	for (i = 0; i < n; i++) {
		split(order[i], a, " ")
		printf "%-9s %2s  %-18s %-18s %-18s\n", a[1], a[2], cell[order[i], "stock"], cell[order[i], "safe"], cell[order[i], "direct"]
	}
	printf "%-12s  %-18s %-18s %-18s\n", "total lost", tot["stock"], tot["safe"], tot["direct"]
	printf "%-12s  %-18s %-18s %-18s\n", "No irq hdlr", noirq["stock"], noirq["safe"], noirq["direct"]
}'
echo
echo "CPU hotplug stress under load"
printf '%-12s %5s %10s %10s %6s %10s\n' device irq raised handled lost io_errors
msia_summary device "$tap" | awk "$MSIA_AWK_FIELDS"'
{ fields(); d = "-"
  printf "%-12s %5s %10s %10s %6s %10s\n", v["name"], v["irq"], ("raised" in v) ? v["raised"] : d,
	("handled" in v) ? v["handled"] : v["interrupts"], ("lost" in v) ? v["lost"] : d, ("io_errors" in v) ? v["io_errors"] : d }'
echo
echo "what msi_affinity did (debugfs counters):"
printf '%5s %-13s %-5s %10s %8s %7s %7s %8s %10s %10s\n' irq device kind migrations two_step direct masked irr_hits retriggers cfg_writes
msia_summary module "$tap" | awk "$MSIA_AWK_FIELDS"'
{ fields(); printf "%5s %-13s %-5s %10s %8s %7s %7s %8s %10s %10s\n", v["irq"], v["device"], v["kind"],
	v["migrations"], v["two_step"], v["direct"], v["masked"], v["irr_hits"], v["retriggers"], v["cfg_writes"] }'
echo
echo "who moved the interrupts (each move through msi_affinity, from its counters):"
hand=$(msia_summary module "$tap" | msia_sum migrations)
printf '  %-58s %6s\n' "by hand: the hotplug stress (smp_affinity writes, CPU offline)" "$hand"
msia_summary irqbalance "$tap" | awk "$MSIA_AWK_FIELDS"'
{ fields(); printf "  %-58s %6s\n", "by Debian'"'"'s irqbalance, " v["runs"] " --oneshot runs under load (edu " v["edu"] ", ahci " v["ahci"] ")", v["moves"] }'
echo
grep -E '^(not )?ok ' "$tap" | sed 's/^/  /'
if ! grep -q '^# msia: done' "$tap"; then
	echo "the guest did not finish; console: $MSIA_OUT/run.console"
	exit 1
fi
! grep -q '^not ok' "$tap"
