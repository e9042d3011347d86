#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# During suspend the non-boot CPUs go down after the devices are
# suspended, so fixup_irqs() moves interrupts of functions that are in
# D3hot.  Their registers may not be written then (the kernel's own
# __pci_write_msi_msg() only updates its cache, and resume restores it):
# msi_affinity must do the same.  pm_test=processors suspends the
# devices, takes the CPUs down and brings everything back without
# leaving the guest.  The AHCI controller, non-maskable MSI with a PM
# capability, is the interrupt watched.
. /selftests/lib/lib.sh

[ -w /sys/power/pm_test ] || { ksft_skip suspend "no /sys/power/pm_test (PM_DEBUG)"; exit $KSFT_SKIP; }
grep -qw mem /sys/power/state || { ksft_skip suspend "no suspend to RAM"; exit $KSFT_SKIP; }
ahci=$(irq_of ahci)
bdf=$(basename "$(readlink -f /sys/bus/pci/drivers/ahci/0000:* | head -1)")
[ -n "$ahci" ] && [ -n "$bdf" ] || { ksft_skip suspend "no AHCI"; exit $KSFT_SKIP; }
msia_loaded || msia_insmod || { ksft_fail "insmod"; exit 1; }
grep -q "^$ahci " $MSIA/managed || { ksft_fail "AHCI irq $ahci not managed"; exit 1; }

# AHCI on CPU 1, which the suspend takes down.
io() { dd if=/dev/sda of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null; }
move_to "$ahci" 1 io
echo "$ahci" >$EDU/watch
echo 1 >$EDU/reset
c0=$(awk -v i="$ahci" '$1 == i {print $13}' $MSIA/managed)
echo processors >/sys/power/pm_test
echo mem >/sys/power/state
rc=$?
echo none >/sys/power/pm_test
c1=$(awk -v i="$ahci" '$1 == i {print $13}' $MSIA/managed)
nd=$(edu_stat msi_writes_not_d0) mv=$(edu_stat moves_not_d0)
echo "# suspend: state write rc $rc, moves of irq $ahci outside D0 $mv (module: cached $((c1 - c0))), MSI writes outside D0 $nd, now on CPU $(irq_cpu "$ahci")"
edu_irq >$EDU/watch

ksft_check "suspend (pm_test=processors) and resume" [ "$rc" = 0 ]
if [ "$mv" -eq 0 ]; then
	ksft_skip "suspend: move outside D0" "AHCI was not moved while in D3hot"
else
	ksft_check "suspend: AHCI moved outside D0 with no MSI register write ($nd)" [ "$nd" = 0 ]
	ksft_check "suspend: the module updated only the cached message" [ $((c1 - c0)) -gt 0 ]
fi
ksft_check "suspend: AHCI reads after resume" io
ksft_finished
