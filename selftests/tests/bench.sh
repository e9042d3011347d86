#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1700
# make bench, inside the guest: every figure for the stock kernel,
# msi_affinity mode=safe and mode=direct, side by side in this one boot.
# Lines "# bench: CONFIG WHAT ..." are collected by scripts/bench.sh.
. /selftests/lib/lib.sh

moves=$(cmdline_int moves 10000)
msix_moves=$(cmdline_int msix_moves 1000)
cycles=$(cmdline_int cycles "")
rounds=$(cmdline_int rounds 5)
[ "$rounds" -ge 1 ] && [ "$moves" -ge "$rounds" ] || rounds=1
edu=$(edu_irq)
rng=$(irq_of 'virtio[0-9]+-input')
nedu=$(ls -d /sys/bus/pci/drivers/msia_edu/0000:* | wc -l)
echo "# bench: setup edu_irq $edu rng_irq ${rng:-none} edu_functions $nedu moves $moves msix_moves $msix_moves rounds $rounds"

# load CONFIG: the module as CONFIG wants it; a failed load ends the
# bench rather than measure the stock kernel under another name
load() {
	msia_loaded && rmmod msi_affinity
	case $1 in
	safe) msia_insmod ;;
	direct) msia_insmod mode=direct ;;
	*) true ;;
	esac || { ksft_fail "bench: insmod for $1"; exit 1; }
}

# Non-maskable MSI (edu), kernel-driven deferred moves.  The three
# configurations take turns, in rounds of moves/rounds moves each: what
# a config access costs a TCG guest on two host cores drifts by a factor
# of three from one minute to the next (1.3 to 3.9 us per read in one
# boot; 4.7, 3.2 and 1.9 us when stock, safe and direct ran one after the
# other), so one run per configuration compared the minutes more than
# the configurations.  Each turn also measures what an access costs
# then, to split the move times.
r=1
while [ $r -le "$rounds" ]; do
	for cfg in stock safe direct; do
		load $cfg
		echo "$edu" >$EDU/watch
		echo 1000 >$EDU/cfgcost
		sed -n "s/^/# bench: $cfg cfgcost round $r /p" $EDU/cfgcost
		echo $((moves / rounds)) >$EDU/migrate
		sed -n "s/^move /# bench: $cfg msi /p" $EDU/bench
	done
	r=$((r + 1))
done
load stock

for cfg in stock safe direct; do
	load $cfg
	# MSI-X (virtio-rng): moves taken by its own interrupts.
	if [ -n "$rng" ]; then
		echo "$rng" >$EDU/watch
		rng_moves "$rng" "$msix_moves"
		sed -n "s/^move /# bench: $cfg msix /p" $EDU/bench
		# The table is MMIO, which the config probes cannot see: the
		# CPUs' data watchpoints count every access to the entry, in
		# runs of their own (each access traps), writes first, then
		# reads and writes (QEMU reports one watchpoint per access).
		for t in w rw; do
			echo "$rng" >$EDU/watch
			echo "$rng $t" >$EDU/mmio || break
			rng_moves "$rng" 200
			echo 0 >$EDU/mmio
			sed -n "s/^move /# bench: $cfg msix_mmio_$t /p" $EDU/bench
		done
		# The module's own count of its accesses, to check them by.
		msia_loaded && awk -v i="$rng" -v c="$cfg" '$1 == i {print "# bench: " c " msix_mmio moves " $4 " writes " $12 " reads " $11}' $MSIA/managed
		echo "$edu" >$EDU/watch
	fi
	# Offlining a CPU that hosts 32 and 128 of the edu vectors, five
	# times each: stop_machine() dominates and varies from one to the next.
	for n in 32 128; do
		[ "$nedu" -gt "$n" ] || continue
		for rep in 1 2 3 4 5; do
			echo "3 $n" >$EDU/spread
			echo 3 >$EDU/offline
			sed -n "s/^offline /# bench: $cfg offline target $n /p" $EDU/bench
		done
	done
	echo "3 0" >$EDU/spread
	load stock
done

# Losses under injection at every k (all three configurations).
KSFT_FAILED=/tmp/bench_nested sh /selftests/tests/injection.sh |
	sed -n 's/^# summary: inject_total config=\([a-z]*\) lost=\([0-9]*\) no_irq_handler=\([0-9]*\)$/# bench: \1 inject lost \2 no_irq_handler \3/p'
dmesg -c >/dev/null

# Losses under the hotplug stress, each configuration on its own.
for cfg in stock safe direct; do
	MSIA_CONFIG=$cfg KSFT_FAILED=/tmp/bench_nested sh /selftests/tests/hotplug_stress.sh >/tmp/hp 2>&1
	sed -n "s/^# summary: device name=edu irq=[0-9]* raised=\([0-9]*\) handled=\([0-9]*\) lost=\([0-9]*\)$/# bench: $cfg hotplug raised \1 handled \2 lost \3/p" /tmp/hp
	msia_loaded && rmmod msi_affinity
	dmesg -c >/dev/null
done
echo 1 >$EDU/reset
ksft_pass "bench ran"
ksft_finished
