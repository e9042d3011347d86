#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's irqbalance, unmodified, places the interrupts of edu, AHCI,
# NVMe, virtio-blk and (when the boot has one) xhci under edu and disk
# load: msia.irqbalance_runs (default 10) --oneshot runs back to back,
# each with one CPU banned in turn (IRQBALANCE_BANNED_CPULIST, how an
# administrator keeps interrupts off isolated CPUs), so that irqbalance
# has interrupts to move away.  Nothing else moves an interrupt
# meanwhile, so the growth of the module's migration counters is
# exactly the moves irqbalance caused.
# No edu interrupt may be lost and no read may fail.
. /selftests/lib/lib.sh

[ -x /sbin/irqbalance ] || { ksft_skip irqbalance "no irqbalance in the initramfs"; exit $KSFT_SKIP; }
[ "$(ncpus)" -ge 2 ] || { ksft_skip irqbalance "needs 2 CPUs"; exit $KSFT_SKIP; }
runs=$(cmdline_int irqbalance_runs 10)
msia_load_once || { ksft_fail "insmod msi_affinity.ko"; exit 1; }

edu=$(edu_irq)
ahci=$(irq_of ahci)
xhci=$(irq_of xhci_hcd)
disks="sda vda nvme0n1"
[ -n "$xhci" ] && disks="$disks $(usb_disk)"
echo 1 >$EDU/reset
m0=$(module_migrations)
e0=$(module_migrations "$edu") a0=$(module_migrations "$ahci")
x0=0
[ -n "$xhci" ] && x0=$(module_migrations "$xhci")
load_start $disks
i=0 bad=0
while [ $i -lt "$runs" ]; do
	IRQBALANCE_BANNED_CPULIST=$((i % $(ncpus))) /sbin/irqbalance --foreground --oneshot --interval=1 \
		>>/tmp/irqbalance.log 2>&1 || bad=$((bad + 1))
	i=$((i + 1))
done
load_stop

moves=$(($(module_migrations) - m0))
l=$(edu_stat lost)
xm=-
[ -n "$xhci" ] && xm=$(($(module_migrations "$xhci") - x0))
ksft_summary irqbalance runs=$runs moves=$moves edu=$(($(module_migrations "$edu") - e0)) \
	ahci=$(($(module_migrations "$ahci") - a0)) xhci=$xm
echo "# irqbalance: edu raised $(edu_stat raised) handled $(edu_stat handled) lost $l; affinities now: edu $(irq_cpu "$edu") ahci $(irq_cpu "$ahci")${xhci:+ xhci $(irq_cpu "$xhci")}"
edu_losses
[ $bad -eq 0 ] || sed 's/^/# irqbalance: /' /tmp/irqbalance.log | tail -20
ksft_check "irqbalance --oneshot ran $runs times (one CPU banned in turn), exit status 0" [ $bad -eq 0 ]
ksft_check "irqbalance moved interrupts, each through msi_affinity ($moves moves)" [ "$moves" -gt 0 ]
ksft_check "irqbalance: edu lost $l" [ "$l" = 0 ]
ksft_check "irqbalance: reads of $disks without errors" [ "$(io_errors)" = 0 ]
[ $LOADED_HERE = 1 ] && { ksft_check "rmmod msi_affinity" rmmod msi_affinity; }
ksft_finished
