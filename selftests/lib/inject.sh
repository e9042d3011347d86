# SPDX-License-Identifier: GPL-2.0
# Sourced by injection.sh and kernel_inject.sh: the edu injection sweep.
# Needs $edu and $KMAX (the most MSI writes one move makes).

ahci=$(irq_of ahci)
# disk_io: one uncached read from the AHCI disk, i.e. AHCI interrupts
disk_io() {
	echo 1 >/proc/sys/vm/drop_caches
	dd if=/dev/sda of=/dev/null bs=4k count=8 2>/dev/null
}

# settle CPU: edu on CPU, on a vector above CPU's lowest free one.  The
# allocator hands out the lowest free vector of the target CPU, so with
# CPUs laid out alike a move would keep its vector number; parking AHCI
# on CPU first makes edu take the next vector there, and AHCI then
# leaves, so edu's next destination hands out a lower one.
settle() {
	move_to "$ahci" "$1" disk_io
	move_to "$edu" "$1" edu_kick
	move_to "$ahci" 0 disk_io
}

bdf=$(edu_bdf)
cap=$(msi_cap "$bdf")
# edu_target: "cpu/vector" the edu message delivers to now, from the
# device's own data register (64-bit MSI: data at cap + 12).
edu_target() {
	echo "$(irq_cpu "$edu")/$((0x$(cfg_read "$bdf" $((cap + 12)) 2) & 0xff))"
}

# attempt PATH K SRC DST: one migration from SRC with the injection
# armed at K; prints "raised handled injected msi_writes from to".
attempt() {
	settle "$3"
	r0=$(edu_stat raised) h0=$(edu_stat handled) i0=$(edu_stat injected)
	w0=$(edu_stat msi_writes) t0=$(edu_target)
	echo "$2" >$EDU/inject
	case $1 in
	deferred)
		echo "$4" >/proc/irq/"$edu"/smp_affinity_list
		echo 1 >$EDU/fire
		;;
	offline)
		cpu_online "$3" 0
		echo 1 >$EDU/fire
		cpu_online "$3" 1
		;;
	esac
	echo 0 >$EDU/inject
	sleep 0.1
	echo "$(($(edu_stat raised) - r0)) $(($(edu_stat handled) - h0)) $(($(edu_stat injected) - i0)) $(($(edu_stat msi_writes) - w0)) $t0 $(edu_target)"
}

# The case under test changes both CPU and vector.  Which vector the
# allocator hands out depends on what each CPU already holds, so try
# several CPU pairs until the device's registers show such a move.
PAIRS="1:2 2:3 3:1 2:1 3:2 1:3"

# sweep: every path and k for configuration $cfg; prints the table rows,
# sets $lost, $noirq ("No irq handler" reports) and $nomove (k with no
# CPU-and-vector move), then clears the kernel log.
sweep() {
	lost=0 nomove=0
	: >/tmp/inject.rows
	dmesg -c >/dev/null
	for path in deferred offline; do
		k=1
		while [ $k -le $KMAX ]; do
			found=0
			for pair in $PAIRS; do
				src=${pair%:*} dst=${pair#*:}
				set -- $(attempt $path $k "$src" "$dst")
				l=$(($1 - $2)); [ $l -lt 0 ] && l=0
				lost=$((lost + l))
				from=$5 to=$6
				if [ "${from%/*}" != "${to%/*}" ] && [ "${from#*/}" != "${to#*/}" ]; then
					found=1
					ksft_summary inject config=$cfg path=$path k=$k raised=$1 handled=$2 lost=$l \
						injected=$3 msi_writes=$4 move=$from-$to | tee -a /tmp/inject.rows
					break
				fi
				echo "# inject-retry: config $cfg path $path k $k move $from-$to (vector kept) lost $l"
			done
			[ $found = 1 ] || nomove=$((nomove + 1))
			k=$((k + 1))
		done
	done
	noirq=$(dmesg | grep -c 'No irq handler for')
	dmesg -c >/dev/null
}

