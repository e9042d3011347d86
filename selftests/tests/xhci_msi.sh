#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The scenario of seed 000: xhci under USB storage load while CPUs go
# offline and online.  QEMU's xHCI (nec-usb-xhci) with msix=off gives xhci_hcd one
# MSI without per-vector masking, the kind the stock kernel moves in one
# torn step.  Uncached reads from a usb-storage disk (beside the other
# disks and edu) run while CPUs 2-3 cycle msia.xhci_cycles times
# (default 50), with xhci's and edu's interrupts retargeted at them.
#
# With msi_affinity (the default): no read may fail, the controller
# must not die, no USB reset, and every move of xhci's interrupt goes
# through the module.  MSIA_CONFIG=stock (xhci_stock.sh) runs the same
# without the module and reports what happens, without judging it.
. /selftests/lib/lib.sh

config=${MSIA_CONFIG:-safe}
cycles=$(cmdline_int xhci_cycles 50)
name=xhci_$config
xhci=$(irq_of xhci_hcd)
[ -n "$xhci" ] || { ksft_skip $name "no xHCI in this boot (vm.sh --usb)"; exit $KSFT_SKIP; }
[ -e /sys/devices/system/cpu/cpu3/online ] || { ksft_skip $name "no CPU hotplug"; exit $KSFT_SKIP; }
bdf=$(basename "$(ls -d /sys/bus/pci/drivers/xhci_hcd/0000:* | head -1)")
kind=$(cat /sys/bus/pci/devices/"$bdf"/msi_irqs/"$xhci" 2>/dev/null)
cap=$(msi_cap "$bdf") || cap=
flags=0
[ -n "$cap" ] && flags=$((0x$(cfg_read "$bdf" $((cap + 2)) 2)))
usb=$(usb_disk) || { ksft_fail "$name: usb-storage disk present"; exit 1; }

if [ "$config" = stock ]; then
	msia_loaded && rmmod msi_affinity
	# What the stock kernel may do here is the finding, not a failure.
	ksft_expect_kmsg 'HC died|I/O error|No irq handler|reset .*USB device|timed out'
else
	ksft_check "$name: xhci_hcd irq $xhci uses MSI, not MSI-X" [ "$kind" = msi ]
	nomask=0
	[ -n "$cap" ] && [ $((flags & 0x100)) -eq 0 ] && nomask=1
	ksft_check "$name: its MSI has no per-vector mask" [ $nomask = 1 ]
	msia_load_once || { ksft_fail "insmod msi_affinity.ko"; exit 1; }
	ksft_check "$name: msi_affinity manages it" grep -q "^$xhci " $MSIA/managed
fi

edu=$(edu_irq)
retarget() {
	for irq in $edu $xhci; do
		echo "$1" >/proc/irq/"$irq"/smp_affinity_list 2>/dev/null
	done
}
x0=$(irq_total "$xhci")
msia_loaded && m0=$(awk -v i="$xhci" '$1 == i {print $4, $5}' $MSIA/managed)
echo 1 >$EDU/reset
retarget 2
load_start sda vda nvme0n1 "$usb"
hotplug_cycles "$cycles"
load_stop

xi=$(($(irq_total "$xhci") - x0))
uerr=$(io_errors "$usb")
died=$(dmesg | grep -c 'HC died')
resets=$(dmesg | grep -c 'reset .*USB device')
noirq=$(dmesg | grep -c 'No irq handler')
l=$(edu_stat lost)
moved=-
if msia_loaded; then
	set -- $m0 $(awk -v i="$xhci" '$1 == i {print $4, $5}' $MSIA/managed)
	moved="$(($3 - $1)) two_step $(($4 - $2))"
fi
ksft_summary xhci config=$config irq=$xhci kind=$kind cycles=$cycles interrupts=$xi usb_io_errors=$uerr \
	hc_died=$died usb_resets=$resets no_irq_handler=$noirq edu_lost=$l module_moves=$(echo "$moved" | tr ' ' ,)
edu_losses
if [ "$config" = stock ]; then
	ksft_pass "$name: stock kernel, reported not judged: xhci interrupts $xi, usb read errors $uerr, HC died $died, USB resets $resets, No irq handler $noirq, edu lost $l"
	ksft_finished
fi
ksft_check "$name: xhci interrupted under load ($xi)" [ "$xi" -gt 0 ]
ksft_check "$name: its moves went through msi_affinity ($moved)" [ "${moved%% *}" -gt 0 ]
ksft_check "$name: usb-storage reads without errors" [ "$uerr" = 0 ]
ksft_check "$name: no HC died, no USB reset" [ "$died$resets" = 00 ]
ksft_check "$name: edu lost $l" [ "$l" = 0 ]
ksft_check "$name: reads of the other disks without errors" [ "$(io_errors)" = "$uerr" ]
[ "$LOADED_HERE" = 1 ] && { ksft_check "rmmod msi_affinity" rmmod msi_affinity; }
ksft_finished
