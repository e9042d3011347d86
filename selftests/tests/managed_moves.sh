#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a move of a managed MSI-X interrupt costs in the kernel's own
# msi_set_affinity(), no module loaded (make upstream-test).  Managed
# interrupts never get reservation mode, so the one-character fix sends
# them down the two-step path: two message writes per move that changes
# CPU and vector, where the unpatched kernel makes one.  A move that
# keeps the vector number is direct on both.  Managed interrupts move
# on CPU hotplug, here when the CPU serving them goes offline, and only
# within their mask: the upstream boots add an NVMe controller with 2 I/O queues
# (vm.sh --nvme2), whose queue interrupts each span 2 of the 4 CPUs.
#
# Counted per move by msia_edu (bench): whole message writes (a kprobe
# on __pci_write_msi_msg()), config reads and writes of the device, and
# the time.  The MSI-X table watchpoints (msix_mmio, make bench) cannot
# count here: these moves run on the dying CPU, whose breakpoints are
# gone by then.  Each message write to a masked MSI-X entry is 3 table
# writes and 1 read back, as msix_mmio measures on the stock kernel.
# msia.kernel=unpatched or patched says which path to expect.
. /selftests/lib/lib.sh

[ "$(ncpus)" -ge 4 ] || { ksft_skip managed_moves "needs 4 CPUs"; exit $KSFT_SKIP; }
# msi_affinity would take these moves over: the kernel's path is measured.
if msia_loaded && ! rmmod msi_affinity; then
	ksft_fail "managed_moves: rmmod msi_affinity"
	ksft_finished
fi
kernel=$(cmdline_str kernel "")
cycles=$(cmdline_int managed_cycles 20)
edu=$(edu_irq)

# queue_irq CTRL: a queue interrupt of NVMe controller CTRL whose mask
# leaves out CPU 0, which does not go offline
queue_irq() {
	local i q=
	for i in $(grep -E " ${1}q[12]$" /proc/interrupts | sed 's/^ *\([0-9]*\):.*/\1/'); do
		cpu_in_list 0 "$(cat /proc/irq/"$i"/smp_affinity_list)" || q=$i
	done
	echo "$q"
}

# The controller with 2 I/O queues: nvmeNq1 and nvmeNq2, no nvmeNq3.
ctrl=
for c in $(sed -n 's/.* \(nvme[0-9]*\)q1$/\1/p' /proc/interrupts); do
	grep -q " ${c}q3$" /proc/interrupts || ctrl=$c
done
irq=$([ -z "$ctrl" ] || queue_irq "$ctrl")
[ -n "$irq" ] || { ksft_skip managed_moves "no managed NVMe queue interrupt spanning 2 CPUs (vm.sh --nvme2)"; exit $KSFT_SKIP; }
dev=$(basename "$(readlink /sys/class/nvme/"$ctrl"/device)")
last=$(tr ',-' '  ' </proc/irq/"$irq"/smp_affinity_list | awk '{print $NF}')

# A managed interrupt gets a vector reserved on each CPU of its mask
# when the driver binds, at the lowest number free there; on two CPUs
# in the same state that is the same number, and every move between
# them keeps the vector.  Which state they are in depends on where the
# other vectors are, the controller's own admin vector among them, and
# can change with the first move (a probe move that changed the vector
# was once followed by 20 that did not).  So the measured cycles
# themselves are tried again until one moved the interrupt to a new CPU
# and vector: put edu's interrupt on another CPU, bind the controller
# again, and measure again (at most 4 times).
# cycle_moves: CPU offline and online cycles of the CPU serving irq,
# recorded afresh; succeed if one changed its CPU and vector
cycle_moves() {
	local i=0 c
	echo "$irq" >$EDU/watch
	while [ $i -lt "$cycles" ]; do
		c=$(irq_cpu "$irq")
		cpu_online "$c" 0
		cpu_online "$c" 1
		i=$((i + 1))
	done
	grep -q '^move cpu+vector ' $EDU/bench
}
tries=0
while ! cycle_moves && [ $tries -lt 4 ]; do
	tries=$((tries + 1))
	echo "$dev" >/sys/bus/pci/drivers/nvme/unbind
	move_to "$edu" $(((last + tries) % 4)) edu_kick
	echo "$dev" >/sys/bus/pci/drivers/nvme/bind
	t=0
	while [ -z "$(queue_irq "$ctrl")" ] && [ $t -lt 100 ]; do sleep 0.1; t=$((t + 1)); done
	irq=$(queue_irq "$ctrl")
	[ -n "$irq" ] || { ksft_fail "managed_moves: $ctrl ($dev) bound again with its queue interrupts"; ksft_finished; }
done
echo "# managed_moves: irq $irq ($(grep -E "^ *$irq:" /proc/interrupts | awk '{print $NF}')), mask $(cat /proc/irq/"$irq"/smp_affinity_list), $tries rebinds, edu's interrupt on CPU $(irq_cpu "$edu")"

grep '^move' $EDU/bench | sed 's/^/# managed_moves: /'
# kind_field KIND FIELD: one figure of the bench line of that kind
kind_field() { awk -v k="$1" -v f="$2" '$1 == "move" && $2 == k {print $f}' $EDU/bench; }
n=$(kind_field cpu+vector 4) msgs=$(kind_field cpu+vector 16) p50=$(kind_field cpu+vector 12)
n1=$(kind_field cpu-only 4) msgs1=$(kind_field cpu-only 16)
reads=$(awk '$1 == "move" {s += $6} END {print s + 0}' $EDU/bench)
writes=$(awk '$1 == "move" {s += $8} END {print s + 0}' $EDU/bench)
n=${n:-0} msgs=${msgs:-0} p50=${p50:-0} n1=${n1:-0} msgs1=${msgs1:-0}
echo "$edu" >$EDU/watch
ksft_summary "managed_moves kernel=${kernel:-stock} moves=$n msg_writes=$msgs cfg_reads=$reads cfg_writes=$writes p50_ns=$p50 cpu_only_moves=$n1 cpu_only_msg_writes=$msgs1"
ksft_check "managed_moves: CPU offline moved irq $irq to a new CPU and vector ($n times, $n1 CPU only, in $cycles cycles)" [ "$n" -gt 0 ]
case "$kernel" in
patched) per=2 how="two-step" ;;
*) per=1 how="one-step" ;;
esac
ksft_check "managed_moves: ${kernel:-stock} kernel: $how, $per message writes per CPU-and-vector move ($msgs in $n)" \
	[ "$n" -gt 0 -a "$msgs" = $((n * per)) ]
if [ "$n1" -gt 0 ]; then
	ksft_check "managed_moves: a move that keeps the vector is one message write ($msgs1 in $n1)" [ "$msgs1" = "$n1" ]
fi
ksft_finished
