#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load and unload msi_affinity while the edu and AHCI drivers are
# unbound and bound in a loop: every interrupt the load-time scan finds
# may be freed under it, and a reused interrupt number may get another
# MSI descriptor.  Hooks are installed with the device's MSI descriptors
# locked, so on the debug kernel KASAN must stay silent, every load must
# succeed, and both devices must work at the end.
#
# Unbinding AHCI while the kernel's partition scan of the disk that the
# previous bind found is still reading fails those reads: the block
# layer logs "Buffer I/O error on dev sda, logical block N, async page
# read" (N: the blocks the partition parsers read first).  The stock
# kernel logs it the same with msi_affinity never loaded: it is this
# test's own hot-unplug of a disk, not a lost interrupt.  Exactly that
# message is expected; any other I/O error still fails the test.
. /selftests/lib/lib.sh

SCAN_ERR='Buffer I/O error on dev sd[a-z]+, logical block [0-9]+, async page read$'

cycles=$(cmdline_int race_cycles 50)
edu_bdf=$(edu_bdf)
ahci_bdf=$(basename "$(readlink -f /sys/bus/pci/drivers/ahci/0000:* | head -1)")
[ -n "$edu_bdf" ] && [ -n "$ahci_bdf" ] || { ksft_skip unbind_race "needs edu and AHCI"; exit $KSFT_SKIP; }
msia_loaded && rmmod msi_affinity
rm -f /tmp/stop

flip() { # DRIVER BDF: unbind and bind again until told to stop
	while [ ! -f /tmp/stop ]; do
		echo "$2" >/sys/bus/pci/drivers/"$1"/unbind 2>/dev/null
		echo "$2" >/sys/bus/pci/drivers/"$1"/bind 2>/dev/null
	done
}
ksft_expect_kmsg "$SCAN_ERR"
flip msia_edu "$edu_bdf" &
flip ahci "$ahci_bdf" &

bad=$(msia_load_unload "$cycles")
touch /tmp/stop
wait
# Both drivers bound again, whatever state the loops stopped in.
[ -e /sys/bus/pci/drivers/msia_edu/"$edu_bdf" ] || echo "$edu_bdf" >/sys/bus/pci/drivers/msia_edu/bind
[ -e /sys/bus/pci/drivers/ahci/"$ahci_bdf" ] || echo "$ahci_bdf" >/sys/bus/pci/drivers/ahci/bind
i2=0
while ! [ -b /dev/sda ] && [ $i2 -lt 50 ]; do sleep 0.1; i2=$((i2 + 1)); done

dmesg >/tmp/race_kmsg
scan=$(grep -cE "$SCAN_ERR" /tmp/race_kmsg || true)
ioerr=$(grep -c 'I/O error' /tmp/race_kmsg || true)
echo "# unbind_race: $cycles load/unload cycles beside unbind/bind of $edu_bdf and $ahci_bdf, $bad failed"
echo "# unbind_race: $scan partition-scan reads failed by an unbind, $((ioerr - scan)) other I/O errors (those fail it)"
ksft_check "unbind_race: $cycles loads and unloads, none failed" [ "$bad" = 0 ]
echo 1 >$EDU/reset
echo 20 >$EDU/fire
ksft_check "unbind_race: edu works afterwards" [ "$(edu_stat lost)" = 0 -a "$(edu_stat handled)" -ge 20 ]
ksft_check "unbind_race: AHCI reads afterwards" dd if=/dev/sda of=/dev/null bs=4k count=16 iflag=direct
ksft_finished
