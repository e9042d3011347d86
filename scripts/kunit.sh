#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make kunit: run the project's KUnit suites with Debian's 6.1 kunit.py
# in UML, and with 7.x's on x86_64 under QEMU (where a suite needs real
# hardware).  6.1's x86_64 run is the debug kernel's boot
# (scripts/debugtest.sh): one build of 6.1 with the same checkers serves
# both.  6.12 gets no build of its own: each of the compat file's
# choices it makes is 6.1's or 7.x's (it has msi_lock_descs(), nr_irqs
# and the old KUnit generators as 6.1 has, IS_ERR_PCPU() as 7.x has),
# and two selftest boots run the module on Debian's own 6.12 images.
# Fails on a failed case, a crash, or a BUG/WARNING/UBSAN/KASAN/lockdep
# report anywhere in the kernel log.
. "$(dirname "$0")/lib.sh"

# run_kunit NAME SRC ARGS...: one kunit.py run in the tree SRC (build
# and boot), judged by its results and its kernel log.
run_kunit() {
	local name=$1 src=$2; shift 2
	local build="$MSIA_CACHE/kunit-$name" log="$MSIA_OUT/kunit-$name.log" rc=0
	msia_log "kunit ($name): building in $build"
	# One kunit.py at a time in a build directory (the prebuild too).
	exec 9>"$build.lock"
	flock 9
	msia_kunit_fresh "$build"
	(cd "$src" && python3 tools/testing/kunit/kunit.py run \
		--build_dir="$build" --jobs="$(nproc)" --json="$MSIA_OUT/kunit-$name.json" "$@") >"$log" 2>&1 || rc=$?
	exec 9>&-
	msia_kunit_judge "$name" "$build/test.log" $rc
}

src61=$(msia_kunit_tree 6.1)
uml=(--kunitconfig="$MSIA_TOP/kunit/uml.kunitconfig")
# kunit.sh prebuild: build the UML kernel only.  A bare machine's make
# test runs it while the Debian 13 root downloads (deps.sh), when the
# CPUs are otherwise idle; the run below then finds it built.
if [ "${1:-}" = prebuild ]; then
	exec 9>"$MSIA_CACHE/kunit-uml.lock"
	flock 9
	msia_kunit_fresh "$MSIA_CACHE/kunit-uml"
	cd "$src61" && exec python3 tools/testing/kunit/kunit.py build \
		--build_dir="$MSIA_CACHE/kunit-uml" --jobs="$(nproc)" "${uml[@]}"
fi

rc=0
run_kunit uml "$src61" "${uml[@]}" || rc=1
# The same suites plus the local APIC ones on x86_64, with 7.x's
# linux-source from the Debian 13 root, built here (the kernel itself
# needs only gcc 8.1; gcc-14 is its headers' packaging).
kv7=$(msia_kver 7) || msia_die "no 7.x kernel in the Debian 13 root"
s7=$(msia_series "$kv7")
run_kunit "x86_64-$s7" "$(msia_kunit_tree "$s7")" --arch=x86_64 \
	--kunitconfig="$MSIA_TOP/kunit/x86_64.kunitconfig" --timeout=600 || rc=1
exit $rc
