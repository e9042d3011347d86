#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A stock x86 kernel finding, not about MSI.  On AMD CPUs of family 0xf
# to 0x16 (QEMU's default qemu64 model is family 0xf), early_init_amd()
# reads config space through read_pci_config() on every CPU brought
# online: port 0xCF8 then 0xCFC, without pci_config_lock.  A config write
# another CPU makes at that moment goes to the AP's register instead of
# its own, and is lost.  This is what lost a move's address (or data)
# write in make soak, whoever made the move.
#
# edu's scratch register is written and read back in windows of
# msia.cf8_ms (15000) ms while CPU 1 goes offline and online, at most
# msia.cf8_windows (1) of them.  The test bed boots a family-6 model
# (scripts/vm.sh), where no write may be lost in any window; the amd-k8
# boot uses QEMU's default model, where the stock kernel must be seen
# losing some.  The race is rare (a few hits in 30 s under TCG, none in
# about 1 of 20 such windows), so a kernel expected to lose stops at the
# first window with a hit rather than fail on a quiet one.
. /selftests/lib/lib.sh

[ -e /sys/devices/system/cpu/cpu1/online ] || { ksft_skip cf8_race "no CPU hotplug"; exit $KSFT_SKIP; }
[ "$(ncpus)" -ge 3 ] || { ksft_skip cf8_race "needs 3 CPUs"; exit $KSFT_SKIP; }
ms=$(cmdline_int cf8_ms 15000)
windows=$(cmdline_int cf8_windows 1)
vendor=$(awk '/^vendor_id/ {print $3; exit}' /proc/cpuinfo)
family=$(awk '/^cpu family/ {print $4; exit}' /proc/cpuinfo)
# msia.cf8_expect=lost|none says what this kernel must do (make
# upstream-test boots it patched and not); by default, the CPU decides.
expect=$(cmdline_str cf8_expect "")
if [ -z "$expect" ]; then
	expect=none
	[ "$vendor" = AuthenticAMD ] && [ "$family" -ge 15 ] && [ "$family" -le 22 ] && expect=lost
fi
rm -f /tmp/cf8_stop
echo 0 >/tmp/cf8_up
( n=0; while [ ! -f /tmp/cf8_stop ]; do
	cpu_online 1 0; cpu_online 1 1
	n=$((n + 1)); echo $n >/tmp/cf8_up
done ) &
hp=$!
writes=0 lost=0 misread=0 w=0
while [ $w -lt "$windows" ]; do
	w=$((w + 1))
	taskset -c 2 sh -c "echo $ms >$EDU/scratch"
	set -- $(cat $EDU/scratch)
	echo "# cf8_race: window $w: config writes $2 lost $4 misread $6"
	writes=$((writes + $2)) lost=$((lost + $4)) misread=$((misread + $6))
	[ "$expect" = lost ] && [ $((lost + misread)) -gt 0 ] && break
done
touch /tmp/cf8_stop
wait $hp
cpu_online 1 1
echo "# cf8_race: $vendor family $family, CPU 1 brought online $(cat /tmp/cf8_up) times in $w windows of $ms ms: config writes $writes lost $lost, reads misdirected $misread"
echo "# summary: cf8_race expect=$expect windows=$w window_ms=$ms bringups=$(cat /tmp/cf8_up) writes=$writes lost=$lost misread=$misread"
if [ "$expect" = lost ]; then
	ksft_check "stock kernel: bringing a CPU online misdirects other CPUs' config accesses on AMD family $family ($lost of $writes writes lost, $misread reads)" \
		[ "$writes" -gt 0 -a "$((lost + misread))" -gt 0 ]
else
	ksft_check "no config write lost while CPUs come online ($vendor family $family $(uname -r), $writes writes)" \
		[ "$writes" -gt 0 -a "$lost" = 0 -a "$misread" = 0 ]
fi
ksft_finished
