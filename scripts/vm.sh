#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a Debian kernel (KVER, default 6.1) under QEMU TCG with the test
# devices, run a plan inside, and stream its TAP (guest ttyS1) to
# stdout.  The kernel console (ttyS0; hvc0 through Xen's in a Xen boot)
# goes to a log file.  A guest that does not finish in time is killed
# and reported, never waited on forever.
#
# Usage: vm.sh [--boot NAME] [--smp SPEC] [--plan NAME] [--tests a,b]
#              [--cycles N] [--timeout SEC] [--console FILE] [--append ARGS]
#              [--qemu "EXTRA QEMU ARGS"] [--kernel VMLINUX] [--usb] [--nic]
#              [--nvme2] [--xen]
# --boot NAME takes the whole boot from selftests/boots/NAME (kernel
# series, -smp, QEMU CPU and arguments, kernel arguments, plan, cycles,
# devices); options after it change single items.
# --usb adds seed 000's controller: QEMU's xHCI with MSI-X off, so that
# xhci_hcd gets a non-maskable MSI, and a usb-storage disk on it.  In
# Debian 12's QEMU 7.2 only nec-usb-xhci, the same xHCI model under NEC's
# IDs, has the msi/msix properties (qemu-xhci gained them later).
# --nic adds an e1000e with no network behind it (QEMU warns that it has
# no peer), for msia_dynx: five MSI-X vectors it can raise on demand.
# No option ROM, so that the firmware never touches it.
# --nvme2 adds a second NVMe controller with 2 I/O queues: with 4 CPUs,
# each queue's managed MSI-X interrupt spans 2 CPUs, so taking the one
# that serves it offline moves it (managed_moves) instead of shutting
# it down.
# --xen boots the kernel as the PV dom0 of Debian 12's Xen hypervisor
# (make deps unpacks it into the cache): Xen takes the first serial
# port, the kernel's console goes through Xen's (hvc0) to the same file.
# MSIA_KO_DIR: where msi_affinity.ko and selftests/drivers/edu/msia_edu.ko are
# (default: built for that kernel in out/build/KVER); with --kernel, the
# storage drivers must be built in.
. "$(dirname "$0")/lib.sh"

smp=4 plan=test tests= cycles= timeout=${MSIA_VM_TIMEOUT:-900} usb=0 nic=0 nvme2=0 xen=0
console="$MSIA_OUT/console.log" append= extra= kernel= cpu=${MSIA_CPU:-} emulator=

# read_boot NAME: the settings of selftests/boots/NAME, one "key=value"
# a line; cycles sets both the hotplug and the load/unload cycles, and
# load_cycles, after it, the latter alone
read_boot() {
	local f=$MSIA_TOP/selftests/boots/$1 k v
	[ -f "$f" ] || msia_die "vm.sh: no boot $1 in selftests/boots"
	while IFS='=' read -r k v; do
		case "$k" in
		''|'#'*) ;;
		series) KVER=$(msia_kver "$v") || msia_die "boot $1: no $v kernel" ;;
		smp) smp=$v ;;
		plan) plan=$v ;;
		cycles) cycles=$v append="$append msia.load_cycles=$v" ;;
		load_cycles) append="$append msia.load_cycles=$v" ;;
		cpu) cpu=$v ;;
		qemu) extra="$extra $v" ;;
		append) append="$append $v" ;;
		usb) usb=$v ;;
		nic) nic=$v ;;
		nvme2) nvme2=$v ;;
		xen) xen=$v ;;
		timeout) timeout=$v ;;
		emulator) emulator=$v ;;
		on_demand) ;;	# for make selftest, which leaves such a boot out
		*) msia_die "boot $1: unknown key $k" ;;
		esac
	done <"$f"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--boot) read_boot "$2"; shift ;;
	--smp) smp=$2; shift ;;
	--plan) plan=$2; shift ;;
	--tests) tests=$2; shift ;;
	--cycles) cycles=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--console) console=$2; shift ;;
	--append) append="$append $2"; shift ;;
	--qemu) extra=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--usb) usb=1 ;;
	--nic) nic=1 ;;
	--nvme2) nvme2=1 ;;
	--xen) xen=1 ;;
	*) msia_die "vm.sh: unknown option $1" ;;
	esac
	shift
done

if [ -n "$kernel" ]; then
	kv=builtin vmlinux=$kernel
else
	kv=$(msia_kver) || msia_die "no Debian ${KVER:-6.1} kernel with headers installed"
	vmlinux=$(msia_vmlinux "$kv")
	[ -n "${MSIA_KO_DIR:-}" ] || MSIA_KO_DIR=$(msia_build "$kv")
	export MSIA_KO_DIR
fi
# One initramfs per kernel and content, reused by every boot that needs
# the same: keyed on the kernel and its storage modules, the project's
# modules, the loader helper and the checker, the selftests, what builds it and the
# Debian packages it copies from (busybox, bash, linux-source, irqbalance).
kroot=$(msia_kroot "$kv")
ikey=$( {
	echo "$kv"
	[ "$kv" = builtin ] || stat -L -c '%n %s %Y' "$kroot/lib/modules/$kv/modules.dep" 2>&1
	sha256sum "${MSIA_KO_DIR:-$MSIA_TOP}"/msi_affinity.ko "${MSIA_KO_DIR:-$MSIA_TOP}"/selftests/drivers/*/*.ko \
		"${MSIA_PARAMS_HELPER:-$MSIA_TOP/tools/msi-affinity-params}" "${MSIA_CHECK_TOOL:-$MSIA_TOP/tools/msi-affinity-check}" \
		"$MSIA_TOP/scripts/initramfs.sh" "$MSIA_TOP/scripts/lib.sh" 2>&1
	(cd "$MSIA_TOP/selftests" && find . -type f -not -name '*.ko' -not -name '*.o' -print0 | sort -z |
		xargs -0 sha256sum)
	dpkg-query -W busybox-static bash linux-source-6.1 linux-source-6.12 2>&1
	dpkg-query --admindir="$MSIA_DEB13_ROOT/var/lib/dpkg" -W 'linux-source-*' 2>&1
	cat "$MSIA_CACHE/irqbalance/.deb" 2>&1
} | sha256sum | cut -c1-16)
initrd="$MSIA_OUT/initramfs/$kv-$ikey.cpio.gz"
if [ ! -s "$initrd" ]; then
	mkdir -p "$MSIA_OUT/initramfs"
	rm -f "$MSIA_OUT/initramfs/$kv"-*.cpio.gz	# this kernel's older contents
	"$MSIA_TOP/scripts/initramfs.sh" "$kv" "$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
fi
for d in ahci virtio nvme nvme2 usb; do
	[ -f "$MSIA_CACHE/disk-$d.img" ] || truncate -s 64M "$MSIA_CACHE/disk-$d.img"
done
[ $usb = 0 ] || extra="-device nec-usb-xhci,id=xhci,msix=off
	-drive if=none,id=u0,file=$MSIA_CACHE/disk-usb.img,format=raw
	-device usb-storage,bus=xhci.0,drive=u0 $extra"
[ $nic = 0 ] || extra="-device e1000e,romfile= $extra"
[ $nvme2 = 0 ] || extra="-drive if=none,id=d3,file=$MSIA_CACHE/disk-nvme2.img,format=raw
	-device nvme,drive=d3,serial=msia1,max_ioqpairs=2 $extra"

# The CPU model: QEMU's default qemu64 with family 6 instead of 0xf.
# Linux's early_init_amd() reads config space through port 0xCF8/0xCFC
# without pci_config_lock on every AMD family 0xf-0x16 CPU it brings
# online, which can send a config write of another CPU (an MSI move's,
# stock or ours) to the wrong register: a kernel bug that has nothing to
# do with MSI affinity and that cf8_race demonstrates on its own boot
# (MSIA_CPU=qemu64).  Family 6 skips that read; it also skips the K8
# setup (init_amd_k8(), X86_FEATURE_K8) and takes family 6's MCE quirks,
# none of which the tests touch.
cpu=${cpu:-qemu64,family=6}

cmdline="console=ttyS0 panic=-1 quiet msia.plan=$plan"
[ -n "$tests" ] && cmdline="$cmdline msia.tests=$tests"
[ -n "$cycles" ] && cmdline="$cmdline msia.cycles=$cycles"
[ -n "$append" ] && cmdline="$cmdline $append"
# What QEMU loads: the kernel, or Xen with the kernel and the initramfs
# as its multiboot modules (in whose command lines a comma is doubled).
if [ "$xen" = 0 ]; then
	load=(-kernel "$vmlinux" -initrd "$initrd" -append "$cmdline")
else
	hv=$MSIA_CACHE/xen/xen
	[ -s "$hv" ] || msia_die "no Xen hypervisor in $MSIA_CACHE/xen (make deps unpacks it)"
	cmdline=${cmdline/console=ttyS0/console=hvc0}
	load=(-kernel "$hv" -append "console=com1 com1=115200,8n1 dom0_mem=768M,max:768M"
		-initrd "$vmlinux ${cmdline//,/,,},$initrd")
fi

# The QEMU: the Debian 13 root's (10.0) for every kernel but Debian 12's
# 6.1, run through that root's own loader and libraries, with its
# firmware and modules; this machine's (Debian 12's 7.2) for 6.1, the
# pairing a Debian 12 user has and the one its tests were timed on.
# MSIA_QEMU=host or deb13 picks one, and so does a boot's emulator=.
# Under 7.2, 6.12 and 7.x oops at boot ("Oops: int3" at a static-key
# site, e.g. hrtimer_start_range_ns, whose bytes already show the
# patched instruction): a vCPU runs a stale translation of code that
# text_poke_bp() finished patching on another vCPU, a TCG bug fixed in
# QEMU 8.1 ("accel/tcg: Always lock pages before translation").  Under
# 7.2: 1 of 30 boots of Debian 12's 6.12 here and one in CI, 5 of 50 of
# Debian 13's kernels earlier; under 10.0 none in 34 boots of Debian
# 12's 6.12 and 30 of 7.x (README, Tests).
qemu_kind=${MSIA_QEMU:-$emulator}
if [ -z "$qemu_kind" ]; then
	case "$kv" in
	6.1.*) qemu_kind=host ;;
	*) qemu_kind=deb13 ;;
	esac
fi
qemu=(qemu-system-x86_64)
if [ "$qemu_kind" = deb13 ]; then
	r=$MSIA_DEB13_ROOT
	[ -x "$r/usr/bin/qemu-system-x86_64" ] || msia_die "no QEMU in the Debian 13 root"
	export QEMU_MODULE_DIR=$r/usr/lib/x86_64-linux-gnu/qemu
	qemu=("$r/usr/lib64/ld-linux-x86-64.so.2" --library-path "$r/usr/lib/x86_64-linux-gnu"
		"$r/usr/bin/qemu-system-x86_64" -L "$r/usr/share/qemu" -L "$r/usr/share/seabios")
fi

# One boot.  The guest's TAP (ttyS1) goes to a file that is streamed to
# stdout as it grows, so that a watchdog can see whether the guest
# reached its runner ("TAP version").  QEMU's stderr is kept as well.
# boot_once TAP ERR: QEMU's exit status; 125 if the watchdog killed it
boot_once() {
	local tap=$1 err=$2 qpid tpid wpid rc=0
	: >"$tap"
	timeout -k 10 "$timeout" "${qemu[@]}" \
		-machine q35 -accel tcg,thread=multi -cpu "$cpu" -smp "$smp" -m 1G \
		-display none -monitor none -no-reboot -nic none \
		"${load[@]}" \
		-serial file:"$console" -serial file:"$tap" \
		-device edu \
		-drive if=none,id=d0,file="$MSIA_CACHE/disk-ahci.img",format=raw \
		-device ide-hd,drive=d0,bus=ide.0 \
		-drive if=none,id=d1,file="$MSIA_CACHE/disk-virtio.img",format=raw \
		-device virtio-blk-pci,drive=d1 \
		-drive if=none,id=d2,file="$MSIA_CACHE/disk-nvme.img",format=raw \
		-device nvme,drive=d2,serial=msia0 \
		-device virtio-rng-pci \
		$extra </dev/null 2>"$err" &
	qpid=$!
	tail -n +1 -f --pid=$qpid "$tap" &
	tpid=$!
	( t=0
	  while [ $t -lt "$boot_timeout" ]; do
		sleep 5; t=$((t + 5))
		grep -q 'TAP version' "$tap" && exit 0
	  done
	  touch "$tap.watchdog"; kill $qpid ) 2>/dev/null &
	wpid=$!
	wait $qpid || rc=$?
	wait $tpid
	kill $wpid 2>/dev/null; wait $wpid 2>/dev/null
	cat "$err" >&2
	[ ! -f "$tap.watchdog" ] || { rm -f "$tap.watchdog"; rc=125; }
	return $rc
}

# A boot that fails before the guest's runner starts, with QEMU killed
# by the boot watchdog or exiting with an error, ran no test: it is
# booted once more, and says so in its TAP.  A guest that panics exits
# QEMU with status 0 (panic=-1, -no-reboot): that is the kernel's
# failure, not the emulator's, and is not retried.  Two emulator failures were seen
# there, neither in a test: Debian 12's QEMU 7.2 left 6.1.0-57 spinning
# in kernel init (soft lockup of swapper/0, 1 in 41 boots), and QEMU
# 10.0 aborted on an assertion in its MSI-X table code while the kernel
# enumerated PCI devices (1 in 25 boots, the host building a kernel);
# README, Tests.  A failure after the runner started is never retried.
boot_timeout=${MSIA_BOOT_TIMEOUT:-300}
tapfile=$(mktemp) errfile=$(mktemp)
# Interrupted, vm.sh takes its QEMU, streamer and watchdog with it.  The
# trap runs under set -e: a kill with no job left must not end it before
# the files go.
trap 'kill $(jobs -p) 2>/dev/null || true; rm -f "$tapfile" "$errfile" "$tapfile.watchdog"' EXIT
attempt=1
while :; do
	msia_log "booting $(basename "$vmlinux") (-smp $smp, plan $plan, QEMU $qemu_kind) console: $console"
	rc=0
	boot_once "$tapfile" "$errfile" || rc=$?
	grep -q 'TAP version' "$tapfile" && break
	[ $rc -ne 0 ] && [ $attempt -eq 1 ] || break
	why="exit status $rc"
	[ $rc -ne 125 ] || why="no TAP from the guest in ${boot_timeout}s"
	grep -q Assertion "$errfile" && why="QEMU: $(grep -m1 Assertion "$errfile")"
	cp "$console" "$console.failed-boot"
	echo "# msia: boot failed before the guest's runner started ($why), console: $console.failed-boot; booting again"
	attempt=2
done
if [ $rc -eq 125 ]; then
	echo "not ok - guest never reached its runner: killed after ${boot_timeout}s"
	echo "# msia: guest killed"
	exit 1
fi
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "not ok - guest hung: killed after ${timeout}s"
	echo "# msia: guest killed"
	exit 1
fi
exit $rc
