#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The edu test driver counts every interrupt: with nothing racing, every
# one raised is handled, on each CPU the interrupt is moved to.
. /selftests/lib.sh

edu=$(edu_irq)
[ -n "$edu" ] || { ksft_skip edu_basic "no edu device"; exit $KSFT_SKIP; }
echo 1 >$EDU/reset
n=$(ncpus)
cpu=0
while [ $cpu -lt "$n" ]; do
	echo $cpu >/proc/irq/"$edu"/smp_affinity_list
	echo 50 >$EDU/fire
	cpu=$((cpu + 1))
done
r=$(edu_stat raised); h=$(edu_stat handled); l=$(edu_stat lost)
echo "# edu: raised $r handled $h lost $l over $n CPUs"
ksft_check "edu: $r raised, all handled" [ "$r" = $((50 * n)) -a "$h" = "$r" ]
ksft_check "edu: none lost" [ "$l" = 0 ]
