#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's tracepoints are reachable through tracefs and report each
# migration of a managed interrupt.
. /selftests/lib/lib.sh

T=/sys/kernel/tracing
[ -d $T/events ] || { ksft_skip tracepoints "no tracefs"; exit $KSFT_SKIP; }
edu=$(edu_irq)
msia_loaded && rmmod msi_affinity
msia_insmod irqs="$edu" || { ksft_fail "insmod"; exit 1; }

ksft_check "events/msi_affinity/msi_affinity_migrate exists" [ -d $T/events/msi_affinity/msi_affinity_migrate ]
ksft_check "events/msi_affinity/msi_affinity_retrigger exists" [ -d $T/events/msi_affinity/msi_affinity_retrigger ]
echo >$T/trace
echo 1 >$T/events/msi_affinity/enable
for cpu in 1 2 3; do
	move_to "$edu" $cpu edu_kick
done
echo 0 >$T/events/msi_affinity/enable
grep msi_affinity_migrate $T/trace | head -3 | sed 's/^/# /'
n=$(grep -c "msi_affinity_migrate: irq=$edu " $T/trace)
ksft_check "a migrate event for each move of irq $edu ($n)" [ "$n" -ge 2 ]
ksft_check "the events name the path" sh -c "grep msi_affinity_migrate $T/trace | grep -qE 'path=(two-step|direct)'"
rmmod msi_affinity
ksft_finished
