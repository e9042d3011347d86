#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Interrupts come and go while the module is loaded: a driver unbound
# and bound again, a device removed and rescanned.  A freed interrupt
# loses its hook at once; a new one is hooked before it can move.
. /selftests/lib/lib.sh

bdf=$(edu_bdf)
[ -n "$bdf" ] || { ksft_skip late_irqs "no edu device"; exit $KSFT_SKIP; }
msia_loaded && rmmod msi_affinity
managed() { grep -q "^$1 " $MSIA/managed; }
moves() { awk -v i="$1" '$1 == i {print $4}' $MSIA/managed; }

ksft_check "insmod msi_affinity.ko" msia_insmod
edu=$(edu_irq)
ksft_check "edu irq $edu managed" managed "$edu"

rmmod msia_edu
ksft_check "driver unbound: irq $edu no longer managed" sh -c "! grep -q '^$edu ' $MSIA/managed"
insmod /msia/msia_edu.ko
edu=$(edu_irq)
ksft_check "driver bound again: new irq $edu managed" managed "$edu"
m0=$(moves "$edu")
move_to "$edu" 2 edu_kick
move_to "$edu" 3 edu_kick
ksft_check "its moves go through the module ($m0 -> $(moves "$edu"))" [ "$(moves "$edu")" -gt "$m0" ]
ksft_check "no interrupt lost" [ "$(edu_stat lost)" = 0 ]

# Remove the device while its affinity keeps changing and it fires: the
# hook must go with the interrupt, with no use after free (the debug
# kernel's KASAN watches this).
rm -f /tmp/stop
( i=0; while [ ! -f /tmp/stop ]; do
	echo $((i % 4)) 2>/dev/null >/proc/irq/"$edu"/smp_affinity_list
	[ -e $EDU/fire ] && echo 2 2>/dev/null >$EDU/fire
	i=$((i + 1))
done ) &
sleep 0.5
echo 1 >/sys/bus/pci/devices/"$bdf"/remove
touch /tmp/stop
wait
ksft_check "device removed while moving: irq $edu no longer managed" sh -c "! grep -q '^$edu ' $MSIA/managed"
echo 1 >/sys/bus/pci/rescan
i=0
while [ ! -d $EDU ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
edu=$(edu_irq)
ksft_check "device rescanned: irq $edu managed" managed "$edu"
move_to "$edu" 1 edu_kick
echo 20 >$EDU/fire
ksft_check "edu works after rescan" [ "$(edu_stat lost)" = 0 -a "$(edu_stat handled)" -ge 20 ]

ksft_check "rmmod msi_affinity" rmmod msi_affinity
ksft_check "irq $edu served by the kernel's chip again" [ "$(edu_stat hooked)" = 0 ]
ksft_finished
