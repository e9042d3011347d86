#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Another module may stack its own chip on msi_affinity's, as
# msi_affinity does on the kernel's; msia_stack does.  Its chip calls
# into msi_affinity, so msi_affinity must find its state from the
# interrupt, not from the chip it runs on, move the interrupt through
# both, and never unload while such a chip is there: it notices the
# chip when the other module loads, at the next move if it was stacked
# later, and at unload, which then waits until the chip is gone.
. /selftests/lib/lib.sh

[ -f /msia/msia_stack.ko ] || { ksft_skip foreign_chip "msia_stack.ko not built"; exit $KSFT_SKIP; }
msia_loaded && rmmod msi_affinity
edu=$(edu_irq)
P=/sys/module/msia_stack/parameters
refs() { cat /sys/module/msi_affinity/refcnt; }
said() { dmesg | grep -q "msi_affinity: irq $edu: $1"; }
lost0() { [ "$(edu_stat lost)" = 0 ]; }
# move_on: move edu to another of CPUs 1-3 than the one it is on (an
# earlier test of the plan may have left it anywhere)
move_on() { move_to "$edu" $(($(irq_cpu "$edu") % 3 + 1)) edu_kick; }

echo 1 >$EDU/reset
msia_insmod irqs="$edu" || { ksft_fail "insmod msi_affinity"; ksft_finished; }

insmod /msia/msia_stack.ko irq="$edu"
ksft_check "stacked as msia_stack loads: seen, msi_affinity holds itself (refcnt 1)" [ "$(refs)" = 1 ]
ksft_check "and says which chip" said "another chip (stack_set_affinity"
m0=$(module_migrations "$edu")
move_on
ksft_check "a move goes through both chips" \
	[ "$(cat $P/calls)" -ge 1 -a "$(module_migrations "$edu")" -gt "$m0" ]
ksft_check "no interrupt lost" lost0
ksft_check "rmmod msi_affinity refused while the chip is there" sh -c '! rmmod msi_affinity 2>/dev/null'
rmmod msia_stack
ksft_check "msia_stack unloaded: reference dropped (refcnt 0)" [ "$(refs)" = 0 ]
ksft_check "and said" said "the stacked chip is gone"

insmod /msia/msia_stack.ko
echo "$edu" >$P/irq
move_on
ksft_check "stacked later: seen at the next move (refcnt 1)" [ "$(refs)" = 1 ]
echo 0 >$P/irq
move_on
ksft_check "taken away: seen at the next move (refcnt 0)" [ "$(refs)" = 0 ]

# Stacked with no move or module load after it: only unload can see it.
echo "$edu" >$P/irq
rmmod msi_affinity &
pid=$!
sleep 3
ksft_check "unload waits while the chip is there" [ -d /sys/module/msi_affinity ]
ksft_check "and says why" sh -c "dmesg | grep -q 'msi_affinity: irq $edu: waiting for the chip stacked'"
echo 0 >$P/irq
wait $pid
ksft_check "unload completes once it is gone" [ ! -d /sys/module/msi_affinity ]
ksft_check "irq $edu back on the kernel's chip, delivering" sh -c "
	. /selftests/lib/lib.sh; move_to $edu \$((\$(irq_cpu $edu) % 3 + 1)) edu_kick && [ \$(edu_stat lost) = 0 ]"
rmmod msia_stack
ksft_check "edu's chip is the kernel's again" [ "$(edu_stat hooked)" = 0 ]
ksft_finished
