#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The edu test driver counts every interrupt: with nothing racing, every
# one raised is handled, on each CPU the interrupt is moved to.
. /selftests/lib/lib.sh

edu=$(edu_irq)
[ -n "$edu" ] || { ksft_skip edu_basic "no edu device"; exit $KSFT_SKIP; }
n=$(ncpus)
cpu=0 r=0 h=0 l=0
while [ $cpu -lt "$n" ]; do
	move_to "$edu" $cpu edu_kick
	echo 1 >$EDU/reset
	echo 50 >$EDU/fire
	r=$((r + $(edu_stat raised))) h=$((h + $(edu_stat handled))) l=$((l + $(edu_stat lost)))
	cpu=$((cpu + 1))
done
echo "# edu: raised $r handled $h lost $l over $n CPUs"
ksft_check "edu: $r raised, all handled" [ "$r" = $((50 * n)) -a "$h" = "$r" ]
ksft_check "edu: none lost" [ "$l" = 0 ]
ksft_finished
