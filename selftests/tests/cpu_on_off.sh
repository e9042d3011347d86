#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel's own CPU-hotplug selftest, cpu-on-off-test.sh from Debian's
# linux-source of the booted series, unmodified, run msia.cpu_on_off_runs
# times (default 5) plain and with -a (every hotpluggable CPU but one off
# and on again), under edu and disk load, with irqbalance's daemon
# rebalancing all along and msi_affinity loaded.  Its exit status is the
# result, as kselftest reads it; no edu interrupt may be lost and no
# read may fail.
. /selftests/lib/lib.sh

t=/selftests/kernel/cpu-on-off-test.sh
[ -f $t ] || { ksft_skip cpu_on_off "no cpu-on-off-test.sh"; exit $KSFT_SKIP; }
[ -e /sys/devices/system/cpu/cpu1/online ] || { ksft_skip cpu_on_off "no CPU hotplug"; exit $KSFT_SKIP; }
runs=$(cmdline_int cpu_on_off_runs 5)
msia_load_once || { ksft_fail "insmod msi_affinity.ko"; exit 1; }

xhci=$(irq_of xhci_hcd)
disks="sda vda nvme0n1"
[ -n "$xhci" ] && disks="$disks $(usb_disk)"
echo 1 >$EDU/reset
m0=$(module_migrations)
load_start $disks
ib=
if [ -x /sbin/irqbalance ]; then
	/sbin/irqbalance --foreground --interval=1 >/tmp/irqbalance-daemon.log 2>&1 &
	ib=$!
fi
i=0 plain=0 all=0
while [ $i -lt "$runs" ]; do
	bash $t >>/tmp/cpu-on-off.log 2>&1; rc=$?
	[ $rc -eq 0 ] && plain=$((plain + 1))
	if [ $rc -eq $KSFT_SKIP ]; then
		[ -n "$ib" ] && kill "$ib" 2>/dev/null
		load_stop
		ksft_skip cpu_on_off "cpu-on-off-test.sh skipped itself"
		exit $KSFT_SKIP
	fi
	bash $t -a >>/tmp/cpu-on-off.log 2>&1 && all=$((all + 1))
	i=$((i + 1))
done
ib_alive=0
if [ -n "$ib" ]; then
	kill -0 "$ib" 2>/dev/null && ib_alive=1
	kill "$ib" 2>/dev/null
	wait "$ib" 2>/dev/null
fi
load_stop

moves=$(($(module_migrations) - m0))
l=$(edu_stat lost)
ksft_summary cpu_on_off runs=$runs passed=$plain passed_all=$all moves=$moves edu_raised=$(edu_stat raised) lost=$l
edu_losses
[ $plain -eq "$runs" ] && [ $all -eq "$runs" ] || sed 's/^/# cpu-on-off: /' /tmp/cpu-on-off.log | tail -20
ksft_check "cpu-on-off-test.sh passed $plain of $runs runs" [ $plain -eq "$runs" ]
ksft_check "cpu-on-off-test.sh -a passed $all of $runs runs" [ $all -eq "$runs" ]
[ -n "$ib" ] && ksft_check "irqbalance daemon ran throughout" [ $ib_alive = 1 ]
ksft_check "cpu_on_off: interrupts moved through msi_affinity ($moves)" [ "$moves" -gt 0 ]
ksft_check "cpu_on_off: edu lost $l" [ "$l" = 0 ]
ksft_check "cpu_on_off: reads of $disks without errors" [ "$(io_errors)" = 0 ]
[ $LOADED_HERE = 1 ] && { ksft_check "rmmod msi_affinity" rmmod msi_affinity; }
ksft_finished
