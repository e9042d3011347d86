#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# insmod and rmmod msi_affinity msia.load_cycles times (default 200)
# while edu, AHCI and virtio-blk interrupts flow, edu's affinity keeps
# changing and CPU 1 goes offline and online in a loop.  Nothing may be
# lost, and every chip must be the kernel's again afterwards.
. /selftests/lib/lib.sh

cycles=$(cmdline_int load_cycles 200)
[ "$(ncpus)" -ge 4 ] || { ksft_skip load_cycles "needs 4 CPUs"; exit $KSFT_SKIP; }
msia_loaded && rmmod msi_affinity
edu=$(edu_irq)
chips() { awk '/^ *[0-9]+:/ {print $1, $(NF-2)}' /proc/interrupts | sort; }
before=$(chips)
echo 1 >$EDU/reset

load_start sda vda
( i=0; while [ ! -f /tmp/stop ]; do
	echo $((i % 4)) >/proc/irq/"$edu"/smp_affinity_list 2>/dev/null
	i=$((i + 1)); sleep 0.01
done ) &
( while [ ! -f /tmp/stop ]; do cpu_online 1 0; cpu_online 1 1; done ) &
# msia.rearm=1 (make soak): keep the injection armed, so that a raise
# lands right after the k-th MSI write of moves made while the module
# loads, unloads and is away.  Those raises are not waited for; what they
# lose shows as raised minus handled.
if [ "$(cmdline_int rearm 0)" = 1 ]; then
	( k=0; while [ ! -f /tmp/stop ]; do
		echo $((k % 4 + 1)) >$EDU/inject; k=$((k + 1)); sleep 0.05
	done ) &
fi

bad=$(msia_load_unload "$cycles")
# load_stop waits for the load; the loops above stop on the same file.
load_stop
wait
cpu_online 1 1

lh=$(edu_stat lost_hooked) ls=$(edu_stat lost_stock)
echo "# load cycles $cycles, failed loads/unloads $bad, edu raised $(edu_stat raised) handled $(edu_stat handled) lost $(edu_stat lost)"
ksft_summary load_cycles cycles=$cycles raised=$(edu_stat raised) lost_hooked=$lh lost_stock=$ls late=$(edu_stat late)
edu_losses
ksft_check "$cycles insmod/rmmod cycles under load" [ "$bad" = 0 ]
# A loss while msi_affinity served the interrupt (or moved it, or left
# its message behind) is the module's and fails.  One while the stock
# kernel served it is a finding about the kernel, reported above.
ksft_check "edu: none lost in hooked windows ($(edu_stat raised) raised, stock windows lost $ls)" \
	[ "$lh" = 0 -a "$(edu_stat raised)" -gt 0 -a "$(edu_stat lost)" = $((lh + ls)) ]
ksft_check "disk reads completed without errors" [ "$(io_errors)" = 0 ]
ksft_check "every chip restored" [ "$(chips)" = "$before" ]
ksft_check "module unloaded, debugfs gone" [ ! -d /sys/module/msi_affinity -a ! -d $MSIA ]
ksft_finished
