#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug test kernel: x86_64 6.1 from Debian's source with lockdep,
# DEBUG_ATOMIC_SLEEP, KASAN, UBSAN and DEBUG_OBJECTS, and the test VM's
# drivers built in (selftests/debug/debug.config).  Built once per
# machine and configuration (cached), then the module and the edu driver
# are built against it and the injection and hotplug selftests run on it.
# Any lockdep, KASAN, UBSAN or debugobjects report fails the run.
. "$(dirname "$0")/lib.sh"

src=$(msia_kernel_source)
frag="$MSIA_TOP/selftests/debug/debug.config"
key=$(cat "$src/.msia-version" "$frag" | sha1sum | cut -c1-12)
build="$MSIA_CACHE/debug-kernel-$key"
mods="$MSIA_CACHE/debug-modules"

msia_kernel_build "$src" "$frag" "$build" "$MSIA_OUT/debug-kernel.log" bzImage modules_prepare
# The project's modules against the debug kernel.
msia_modules_build "" "$build" "$mods" "$MSIA_OUT/debug-modules.log"

# Under the Debian 13 root's QEMU 10.0: Debian 12's QEMU 7.2 aborted on
# this kernel's boot ("msix_table_mmio_write: Assertion `addr + size <=
# dev->msix_entries_nr * PCI_MSIX_ENTRY_SIZE' failed"), an emulator
# assertion the guest must never be able to reach.
# bzImage: a KASAN kernel triple-faults when entered by PVH.  The debug
# kernel's checkers report at warning level on its console.
MSIA_QEMU=${MSIA_QEMU:-deb13} MSIA_KO_DIR="$mods" MSIA_CONSOLE_BAD=$(msia_kmsg_re checker) msia_boot selftest-debug \
	--kernel "$build/arch/x86/boot/bzImage" --plan debug \
	--cycles "${MSIA_DEBUG_CYCLES:-10}" --timeout 1500 --append "loglevel=5 msia.test_timeout=1200"
