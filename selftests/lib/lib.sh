# SPDX-License-Identifier: GPL-2.0
# Helpers for the msi_affinity selftests, in the style of kselftest.h:
# numbered TAP lines, a skip when the kernel cannot run a test, and the
# exit codes kselftest uses.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4
KSFT_COUNTER=/tmp/ksft_counter
KSFT_EXPECT=/tmp/ksft_expect
# The one list of bad kernel messages (lib/kmsg-bad), by class: the
# guest checks every class; what matches benign reports the emulator.
KSFT_KMSG=/selftests/lib/kmsg-bad
. /selftests/lib/kmsg.sh
KSFT_BAD=$(kmsg_re $KSFT_KMSG crash checker trace hang io irq)
KSFT_BENIGN=$(kmsg_re $KSFT_KMSG benign)
# An empty regex matches every line: with no benign message, match none.
[ -n "$KSFT_BENIGN" ] || KSFT_BENIGN='$.^'
[ -n "$KSFT_BAD" ] || { echo "not ok - no bad kernel messages in $KSFT_KMSG"; exit 1; }
[ -f $KSFT_COUNTER ] || echo 0 >$KSFT_COUNTER
# ksft_bad_kmsg FILE: the lines of a kernel log that fail a test, unless
# it declared them expected
ksft_bad_kmsg() {
	grep -E "$KSFT_BAD" "$1" | grep -v -E "$KSFT_BENIGN"
}

EDU=/sys/kernel/debug/msia_edu
MSIA=/sys/kernel/debug/msi_affinity

# Helpers keep their variables local: callers use the same short names.
ksft_next() {
	local n=$(($(cat $KSFT_COUNTER) + 1))
	echo $n >$KSFT_COUNTER
	echo $n
}
# One line a failed check of the running test, for its exit code; the
# runner empties it before each test.
KSFT_FAILED=${KSFT_FAILED:-/tmp/ksft_failed}
ksft_pass() { echo "ok $(ksft_next) $*"; }
ksft_fail() { echo "not ok $(ksft_next) $*"; echo "$*" >>$KSFT_FAILED; }
ksft_skip() { echo "ok $(ksft_next) $1 # SKIP $2"; }
# ksft_check DESCRIPTION COMMAND...: pass if COMMAND succeeds
ksft_check() {
	local d=$1; shift
	if "$@"; then ksft_pass "$d"; else ksft_fail "$d"; fi
}
# ksft_finished: end the test with its verdict as the exit code, as
# kselftest's ksft_finished() does: KSFT_FAIL if any of its checks
# failed, else KSFT_PASS.
ksft_finished() {
	[ -s $KSFT_FAILED ] && exit $KSFT_FAIL
	exit $KSFT_PASS
}
# ksft_summary RECORD KEY=VALUE...: the figures a host report needs,
# one "# summary:" line that the host reads by key (scripts/lib.sh's
# msia_summary), never by position
ksft_summary() { echo "# summary: $*"; }
# A kernel message this test provokes on purpose (an extended regex).
ksft_expect_kmsg() { echo "$1" >>$KSFT_EXPECT; }

# cfg_read BDF OFFSET BYTES: a config space value, as hex
cfg_read() {
	od -A n -t x"$3" -j "$2" -N "$3" /sys/bus/pci/devices/"$1"/config | tr -d ' '
}
# msi_cap BDF: offset of the MSI capability, walking the capability list
msi_cap() {
	local p=$((0x$(cfg_read "$1" 52 1)))
	while [ "$p" -ne 0 ]; do
		[ "$(cfg_read "$1" "$p" 1)" = 05 ] && { echo "$p"; return 0; }
		p=$((0x$(cfg_read "$1" $((p + 1)) 1)))
	done
	return 1
}
edu_bdf() { basename "$(ls -d /sys/bus/pci/drivers/msia_edu/0000:* 2>/dev/null | head -1)"; }
# The APIC destination mode the edu device's MSI address really uses
# (bit 2 of the address: 1 logical, 0 physical).
msia_apic_mode() {
	local b lo
	b=$(edu_bdf)
	[ -n "$b" ] || { echo "APIC mode unknown (no edu)"; return; }
	lo=$((0x$(cfg_read "$b" $(($(msi_cap "$b") + 4)) 4)))
	if [ $((lo & 4)) -ne 0 ]; then echo "logical flat"; else echo "physical flat"; fi
}

# edu_stat NAME: one counter of the edu test driver
edu_stat() { sed -n "s/^$1 //p" $EDU/stats; }
edu_irq() { cat $EDU/irq; }

# irq_of PATTERN: first interrupt whose /proc/interrupts line matches
irq_of() { grep -E "$1" /proc/interrupts | head -1 | sed 's/^ *\([0-9]*\):.*/\1/'; }
# irq_serving PATTERN CPU: an interrupt matching PATTERN whose affinity
# includes CPU
irq_serving() {
	local i
	for i in $(grep -E "$1" /proc/interrupts | sed 's/^ *\([0-9]*\):.*/\1/'); do
		if cpu_in_list "$2" "$(cat /proc/irq/"$i"/smp_affinity_list)"; then
			echo "$i"; return 0
		fi
	done
	irq_of "$1"
}
# cpu_in_list CPU LIST: is CPU in a list like 0-1,4
cpu_in_list() {
	echo "$2" | tr ',' '\n' | while IFS=- read -r lo hi; do
		[ "$1" -ge "$lo" ] && [ "$1" -le "${hi:-$lo}" ] && echo y
	done | grep -q y
}
# irq_cpu IRQ: the CPU the interrupt is delivered to now
irq_cpu() { cat /proc/irq/"$1"/effective_affinity_list 2>/dev/null; }
# irq_total IRQ: sum of its per-CPU counts
irq_total() {
	grep -E "^ *$1:" /proc/interrupts | awk '{s=0; for (i=2; i<=NF; i++) if ($i ~ /^[0-9]+$/) s+=$i; else break; print s}'
}
# chip_of IRQ: the chip name column of /proc/interrupts
chip_of() { grep -E "^ *$1:" /proc/interrupts | awk '{for (i=2; i<=NF; i++) if ($i !~ /^[0-9]+$/) {print $i; exit}}'; }

edu_kick() { echo 1 >$EDU/fire; }

# move_to IRQ CPU KICK: deliver IRQ to CPU, with no move left pending.
# KICK makes the device interrupt.  An affinity write only marks a move
# pending; the next interrupt carries it out, and x86 refuses a further
# move (-EBUSY, retried later) until an interrupt has reached the new
# vector and the old one was freed: by the cleanup IPI on 6.1, from a
# timer up to a jiffy later on 6.12.  Returns non-zero
# if the interrupt never got there.
move_to() {
	local tries=0
	echo "$2" >/proc/irq/"$1"/smp_affinity_list || return 1
	while [ "$(irq_cpu "$1")" != "$2" ] && [ $tries -lt 20 ]; do
		$3
		tries=$((tries + 1))
	done
	$3; $3
	sleep 0.02
	[ "$(irq_cpu "$1")" = "$2" ]
}

ncpus() { grep -c ^processor /proc/cpuinfo; }
cpu_online() { echo "$2" >/sys/devices/system/cpu/cpu"$1"/online; }
msia_loaded() { [ -d /sys/module/msi_affinity ]; }
# The kernel's per-CPU vector table, as a loader passes it: the module
# checks it and then claims stray vectors instead of reporting them.
# msia_vector_irq: the vector_irq address the loader passes, or nothing
msia_vector_irq() { /msia/msi-affinity-params | sed -n 's/^vector_irq=//p'; }
# msia_insmod ARGS...: load msi_affinity as the package's modprobe.d
# entry does, with what tools/msi-affinity-params prints
msia_insmod() {
	insmod /msia/msi_affinity.ko $(/msia/msi-affinity-params) "$@"
}
# msia_load_unload N: load and unload msi_affinity N times; prints how
# many of the 2N steps failed.  The loader's parameters are read once:
# the address cannot change within a boot, and scanning /proc/kallsyms
# costs 2-3 s per load on 7.x under TCG (its per-CPU symbols are no
# longer listed first), which the cycles would otherwise spend on it.
msia_load_unload() {
	local i=0 bad=0 params
	params=$(/msia/msi-affinity-params)
	while [ $i -lt "$1" ]; do
		insmod /msia/msi_affinity.ko $params || bad=$((bad + 1))
		rmmod msi_affinity || bad=$((bad + 1))
		i=$((i + 1))
	done
	echo $bad
}
# edu_losses: print each lost edu interrupt with its window, as TAP notes
edu_losses() { sed 's/^/# edu /' $EDU/losses; }

# load_start DISK...: the stress load of seed 000: edu raised one
# interrupt at a time, and each disk read uncached in a loop; a failed
# read is logged in /tmp/ioerr under the disk's name.  load_stop ends
# it and waits for exactly these loops.
load_start() {
	local d
	rm -f /tmp/stop /tmp/ioerr
	LOAD_PIDS=
	( while [ ! -f /tmp/stop ]; do echo 10 >$EDU/fire; done ) &
	LOAD_PIDS="$LOAD_PIDS $!"
	for d in "$@"; do
		( while [ ! -f /tmp/stop ]; do
			echo 1 >/proc/sys/vm/drop_caches
			dd if=/dev/"$d" of=/dev/null bs=64k count=64 2>/dev/null || echo "$d" >>/tmp/ioerr
		done ) &
		LOAD_PIDS="$LOAD_PIDS $!"
	done
}
load_stop() { touch /tmp/stop; wait $LOAD_PIDS; }
# io_errors [DISK]: failed reads since load_start, of DISK or of all
io_errors() {
	local n
	[ -f /tmp/ioerr ] || { echo 0; return; }
	if [ -n "${1:-}" ]; then n=$(grep -cx "$1" /tmp/ioerr); else n=$(wc -l </tmp/ioerr); fi
	echo "${n:-0}"
}
# usb_disk: the block device of the usb-storage disk, once it appeared
usb_disk() {
	local i=0 b
	while [ $i -lt 100 ]; do
		for b in /sys/block/sd*; do
			case "$(readlink -f "$b")" in */usb*) basename "$b"; return 0 ;; esac
		done
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
# module_migrations [IRQ...]: the module's migration count, summed over
# IRQs or over every managed interrupt
module_migrations() {
	awk -v want=" $* " 'NR > 1 && (want == "  " || index(want, " " $1 " ")) {s += $4} END {print s + 0}' $MSIA/managed
}
# rng_moves IRQ N: move virtio-rng's interrupt IRQ N times round CPUs
# 1-3.  Without interrupt remapping x86 moves an MSI-X interrupt in the
# ack of its next interrupt, so each affinity write is followed by reads
# of the device, whose interrupts carry the move out.
rng_moves() {
	local i=0
	while [ $i -lt "$2" ]; do
		echo $((1 + i % 3)) >/proc/irq/"$1"/smp_affinity_list
		dd if=/dev/hwrng of=/dev/null bs=32 count=1 2>/dev/null
		dd if=/dev/hwrng of=/dev/null bs=32 count=1 2>/dev/null
		i=$((i + 1))
	done
}
# Every parameter of a test reaches it the one way: msia.NAME=VALUE on
# the guest's kernel command line, set by the boot's plan or vm.sh, read
# with these two.
# cmdline_str NAME DEFAULT: the value of msia.NAME=, or DEFAULT
cmdline_str() {
	local v
	v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^msia\.$1=//p" | tail -1)
	echo "${v:-$2}"
}
# cmdline_int NAME DEFAULT: the same, for a number
cmdline_int() {
	local v
	v=$(cmdline_str "$1" "")
	case "$v" in ''|*[!0-9]*) echo "$2" ;; *) echo "$v" ;; esac
}
# msia_load_once: load the module unless loaded; LOADED_HERE=1 if this
# call loaded it, for the caller to unload at the end
msia_load_once() {
	LOADED_HERE=0
	msia_loaded && return 0
	msia_insmod "$@" || return 1
	LOADED_HERE=1
}
# hotplug_cycles N: CPUs 2 and 3 offline and online again N times,
# calling the caller's retarget with 2 or 3 after each cycle
hotplug_cycles() {
	local i=0
	while [ $i -lt "$1" ]; do
		cpu_online 2 0; cpu_online 3 0
		cpu_online 2 1; cpu_online 3 1
		retarget $((2 + i % 2))
		i=$((i + 1))
	done
	HOTPLUG_DONE=$i
}
