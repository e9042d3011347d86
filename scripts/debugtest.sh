#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug test kernel: x86_64 6.1 from Debian's source with lockdep,
# DEBUG_ATOMIC_SLEEP, KASAN, UBSAN and DEBUG_OBJECTS, the test VM's
# drivers, and the project's KUnit suites built in
# (selftests/debug/debug.config).  Built once per machine and
# configuration (cached; the suites are brought up to date on each run),
# then the module and the test drivers are built against it; it boots
# once, running the suites at boot and then the injection and hotplug
# selftests.  This one build is KUnit's x86_64 kernel for 6.1 as well:
# the suites are judged as make kunit judges its runs, from the boot's
# kernel log.  Any lockdep, KASAN, UBSAN or debugobjects report fails it.
. "$(dirname "$0")/lib.sh"

src=$(msia_kunit_tree 6.1)
frag="$MSIA_TOP/selftests/debug/debug.config"
key=$(cat "$src/.msia-version" "$frag" | sha1sum | cut -c1-12)
build="$MSIA_CACHE/debug-kernel-$key"
mods="$MSIA_CACHE/debug-modules"
klog="$MSIA_OUT/debug-kernel.log"

# A build of an older source or configuration is not used again.
find "$MSIA_CACHE" -maxdepth 1 -name 'debug-kernel-*' ! -name "$(basename "$build")" -exec rm -rf {} +
msia_kernel_build "$src" "$frag" "$build" "$klog" bzImage modules_prepare
# The suites are this checkout's: rebuilt where it changed (make's own
# dependencies; nothing is rebuilt when nothing changed).
msia_kunit_fresh "$build"
make -s -C "$src" O="$build" -j"$(nproc)" bzImage >>"$klog" 2>&1 ||
	{ tail -20 "$klog" >&2; msia_die "debug kernel: the KUnit suites do not build"; }
# The project's modules against the debug kernel.
msia_modules_build "" "$build" "$mods" "$MSIA_OUT/debug-modules.log"

# Under the Debian 13 root's QEMU 10.0: Debian 12's QEMU 7.2 aborted on
# this kernel's boot ("msix_table_mmio_write: Assertion `addr + size <=
# dev->msix_entries_nr * PCI_MSIX_ENTRY_SIZE' failed"), an emulator
# assertion the guest must never be able to reach.
# bzImage: a KASAN kernel triple-faults when entered by PVH.  The debug
# kernel's checkers report at warning level on its console.
rc=0
MSIA_QEMU=${MSIA_QEMU:-deb13} MSIA_KO_DIR="$mods" MSIA_CONSOLE_BAD=$(msia_kmsg_re checker) msia_boot selftest-debug \
	--kernel "$build/arch/x86/boot/bzImage" --plan debug \
	--cycles "${MSIA_DEBUG_CYCLES:-10}" --timeout 1500 \
	--append "loglevel=5 msia.test_timeout=1200 kunit.enable=1" || rc=1

# The suites ran at boot, before init (allnoconfig leaves KUnit off by
# default: kunit.enable=1 above); the guest's runner copies the boot's
# whole kernel log to the console, where kunit.py reads it: from that
# copy's start to the last suite's result, since warnings the first
# test provokes reach the console directly before its own copy.
tr -d '\r' <"$MSIA_OUT/selftest-debug.console" | awk '
/^=== kernel log of boot$/ { on = 1; next }
!on { next }
{ print; line = $0; sub(/^\[[ 0-9.]+\] /, "", line) }
!plan && line ~ /^1\.\.[0-9]+$/ { plan = substr(line, 4) + 0 }
plan && line ~ /^(not )?ok [0-9]+ / && ++done == plan { exit }' >"$MSIA_OUT/kunit-x86_64.klog"
krc=0
(cd "$src" && python3 tools/testing/kunit/kunit.py parse --json="$MSIA_OUT/kunit-x86_64.json" \
	"$MSIA_OUT/kunit-x86_64.klog") >"$MSIA_OUT/kunit-x86_64.log" 2>&1 || krc=$?
msia_kunit_judge x86_64 "$MSIA_OUT/kunit-x86_64.klog" $krc || rc=1
exit $rc
