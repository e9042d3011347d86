#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The CPU-hotplug stress of seed 000: target the edu, AHCI and NVMe/virtio
# interrupts at CPUs 2 and 3, put I/O and edu load on them, and take
# those CPUs offline and online again, msia.cycles times (default 200).
# Every edu interrupt must be handled, and every I/O must complete.
. /selftests/lib/lib.sh

cycles=$(cmdline_int cycles 200)
[ "$(ncpus)" -ge 4 ] || { ksft_skip hotplug_stress "needs 4 CPUs"; exit $KSFT_SKIP; }
[ -e /sys/devices/system/cpu/cpu3/online ] || { ksft_skip hotplug_stress "no CPU hotplug"; exit $KSFT_SKIP; }

# MSIA_CONFIG (bench): stock runs without the module, direct in its
# unsafe mode; the default is the module in safe mode.  kernel (make
# upstream-test) runs without the module on a kernel that carries the
# fix, and is judged like safe.
config=${MSIA_CONFIG:-safe}
loaded_here=0
if [ "$config" != stock ] && [ "$config" != kernel ] && ! msia_loaded; then
	args=
	[ "$config" = direct ] && args=mode=direct
	msia_insmod $args || { ksft_fail "insmod msi_affinity.ko"; exit 1; }
	loaded_here=1
fi

edu=$(edu_irq)
ahci=$(irq_of 'ahci')
# NVMe and virtio-blk queues are kernel-managed, one per CPU group: take
# the queue that serves CPU 2, which moves or shuts down with it.
nvme=$(irq_serving 'nvme0q[1-9]' 2)
vblk=$(irq_serving 'virtio[0-9]-req' 2)
retarget() {
	for irq in $edu $ahci; do
		echo "$1" >/proc/irq/"$irq"/smp_affinity_list 2>/dev/null
	done
}

counts() { for irq in $ahci $nvme $vblk; do printf '%s ' "$(irq_total "$irq")"; done; }
c0=$(counts)
echo 1 >$EDU/reset
retarget 2
load_start sda vda nvme0n1

hotplug_cycles "$cycles"
load_stop

c1=$(counts)
r=$(edu_stat raised); h=$(edu_stat handled); l=$(edu_stat lost)
ioerr=$(io_errors)
set -- $c0; a0=$1 n0=$2 v0=$3
set -- $c1; a1=$1 n1=$2 v1=$3
ksft_summary hotplug cycles=$cycles config=$config lost_hooked=$(edu_stat lost_hooked) \
	lost_stock=$(edu_stat lost_stock) late=$(edu_stat late)
ksft_summary device name=edu irq=$edu raised=$r handled=$h lost=$l
edu_losses
ksft_summary device name=ahci irq=$ahci interrupts=$((a1 - a0)) io_errors=$(io_errors sda)
ksft_summary device name=nvme irq=$nvme interrupts=$((n1 - n0)) io_errors=$(io_errors nvme0n1)
ksft_summary device name=virtio-blk irq=$vblk interrupts=$((v1 - v0)) io_errors=$(io_errors vda)
if msia_loaded; then
	awk -v e="$edu" -v a="$ahci" -v n="$nvme" -v v="$vblk" \
		'$1 == e || $1 == a || $1 == n || $1 == v {print "irq=" $1 " device=" $2 " kind=" $3 " migrations=" $4 " two_step=" $5 " direct=" $6 " masked=" $7 " irr_hits=" $9 " retriggers=" $10 " cfg_writes=" $12}' \
		$MSIA/managed | while read -r fields; do ksft_summary module $fields; done
fi

ksft_check "hotplug: $cycles offline/online cycles of CPUs 2-3 done" [ "$HOTPLUG_DONE" = "$cycles" ]
if [ "$config" = safe ] || [ "$config" = kernel ]; then
	ksft_check "hotplug: edu raised $r, handled $h" [ "$r" -gt 0 -a "$h" -ge "$r" ]
	ksft_check "hotplug: edu lost $l (hooked $(edu_stat lost_hooked))" [ "$l" = 0 ]
else
	# stock and direct (bench): what they lose is measured, not judged.
	ksft_check "hotplug ($config): edu raised $r" [ "$r" -gt 0 ]
fi
ksft_check "hotplug: disk reads completed without errors" [ "$ioerr" = 0 ]
ksft_check "hotplug: MSI enabled, no INTx" [ "$(edu_stat msi_enabled)$(edu_stat intx)" = 10 ]
[ $loaded_here = 1 ] && { ksft_check "rmmod msi_affinity" rmmod msi_affinity; }
ksft_finished
