#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The loss detector itself.  A CPU that takes no interrupt for a while
# (here: spinning with interrupts off in an IPI, as a vCPU the host does
# not run looks to the guest) leaves edu's message pending in its IRR,
# and the next raise to the same vector merges with it: two raises, one
# delivery.  A detector that counts a raise as lost after 200 ms then
# reports a loss nobody caused (raised minus handled grows too).  edu
# must tell such a raise apart as late: lost 0, late at least 1.
. /selftests/lib/lib.sh

edu=$(edu_irq)
[ -n "$edu" ] || { ksft_skip late_delivery "no edu device"; exit $KSFT_SKIP; }
[ "$(ncpus)" -ge 3 ] || { ksft_skip late_delivery "needs 3 CPUs"; exit $KSFT_SKIP; }
# The target must be CPU 2 for every round: a move to it may be
# refused for a while (-EBUSY until the last one's cleanup), so retry.
# A round counts only if the stall really began and its first raise was
# made with at least 300 ms of it left, so that delivery had to wait
# past the 200 ms mark: the host may not run the vCPUs in time (4 vCPUs
# on 2 host cores, maybe beside other work), and then the round proves
# nothing and is made again.
on_cpu2() {
	[ "$(irq_cpu "$edu")" = 2 ] || move_to "$edu" 2 edu_kick || move_to "$edu" 2 edu_kick
}
echo 1 >$EDU/reset
n=0 tries=0
while [ $n -lt 3 ] && [ $tries -lt 10 ]; do
	tries=$((tries + 1))
	on_cpu2 || continue
	# Stall CPU 2 and raise 5 from CPU 0, in the kernel, as soon as
	# the stall has begun.
	l0=$(edu_stat late)
	taskset -c 0 sh -c "echo '2 500 5' >$EDU/stall" || continue
	m=$(edu_stat stall_margin_ms)
	echo "# late_delivery: try $tries: raised with $m ms of the stall left, late +$(($(edu_stat late) - l0)), on CPU $(irq_cpu "$edu")"
	[ "$m" -ge 300 ] || continue
	n=$((n + 1))
done
echo "# late_delivery: $n stalled rounds in $tries tries"
ksft_check "late_delivery: 3 rounds with edu on a stalled CPU 2 ($n)" [ $n = 3 ]
echo "# late_delivery: raised $(edu_stat raised) handled $(edu_stat handled) late $(edu_stat late) lost $(edu_stat lost)"
# Each counted round's first raise had to wait past the 200 ms mark.
ksft_check "late_delivery: a stalled CPU's interrupts are late, not lost ($(edu_stat late) late in $n rounds)" \
	[ "$(edu_stat late)" -ge "$n" -a "$n" -gt 0 -a "$(edu_stat lost)" = 0 ]
ksft_finished
