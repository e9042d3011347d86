#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# After moves through the module, a save and restore of the device state
# (as resume does, after a reset cleared the message) writes the message
# the module last programmed, and interrupts still arrive.  A module
# that left the kernel's cached message stale fails here: the restore
# would aim the device at a vector that is gone.
. /selftests/lib/lib.sh

edu=$(edu_irq)
[ -n "$edu" ] || { ksft_skip restore "no edu device"; exit $KSFT_SKIP; }
msia_loaded && rmmod msi_affinity
msia_insmod irqs="$edu" || { ksft_fail "insmod"; exit 1; }
echo 1 >$EDU/reset
for cpu in 1 2 3 1 2; do
	move_to "$edu" $cpu edu_kick
done
moved=$(awk -v i="$edu" '$1 == i {print $4}' $MSIA/managed)
ksft_check "edu moved through the module ($moved times)" [ "$moved" -gt 0 ]

echo 1 >$EDU/restore
before=$(sed -n 's/^before //p' $EDU/restored)
after=$(sed -n 's/^after //p' $EDU/restored)
echo "# message before reset: $before, after restore: $after"
ksft_check "restore writes the message the device held" [ -n "$before" -a "$before" = "$after" ]
echo 50 >$EDU/fire
ksft_check "interrupts arrive after the restore (lost $(edu_stat lost))" [ "$(edu_stat lost)" = 0 ]
rmmod msi_affinity
ksft_finished
