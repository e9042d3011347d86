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

if [ ! -f "$build/.msia-done" ]; then
	msia_log "debug kernel: building in $build (once per machine)"
	rm -rf "$build"
	mkdir -p "$build"
	(cd "$src" && KCONFIG_ALLCONFIG="$frag" make -s O="$build" allnoconfig)
	for o in $(grep -E '^CONFIG_' "$frag"); do
		grep -qx "$o" "$build/.config" || msia_die "debug kernel: $o did not survive the configuration"
	done
	t0=$SECONDS
	make -s -C "$src" O="$build" -j"$(nproc)" bzImage modules_prepare \
		>"$MSIA_OUT/debug-kernel.log" 2>&1 ||
		{ tail -20 "$MSIA_OUT/debug-kernel.log"; msia_die "debug kernel build failed"; }
	touch "$build/.msia-done"
	msia_log "debug kernel: built in $((SECONDS - t0)) s"
fi

# The project's modules against the debug kernel, in a copy of the tree
# so that the Debian build's objects stay as they are.
rm -rf "$mods"
msia_copy_sources "$mods"
make -s -C "$build" M="$mods" modules >"$MSIA_OUT/debug-modules.log" 2>&1 ||
	{ tail -20 "$MSIA_OUT/debug-modules.log"; msia_die "modules do not build against the debug kernel"; }

tap="$MSIA_OUT/selftest-debug.tap" con="$MSIA_OUT/selftest-debug.console"
# bzImage: a KASAN kernel triple-faults when entered by PVH.
MSIA_KO_DIR="$mods" "$MSIA_TOP/scripts/vm.sh" --kernel "$build/arch/x86/boot/bzImage" --plan debug \
	--cycles "${MSIA_DEBUG_CYCLES:-10}" --timeout 1500 --console "$con" \
	--append "loglevel=5" | tr -d '\r' | tee "$tap" | sed 's/^/  [debug] /'

# The debug kernel's checkers report at warning level on its console.
msia_count_tap debug "$tap" "$con" \
	'BUG:|WARNING:|UBSAN:|KASAN|ODEBUG|possible recursive locking|circular locking|inconsistent lock state|INFO: possible'
