#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make kunit: run the project's KUnit suites with Debian's 6.1 kunit.py,
# in UML, and on x86_64 under QEMU (where a suite needs real hardware)
# with 6.12's and 7.x's.  6.1's x86_64 run is the debug kernel's boot
# (scripts/debugtest.sh): one build of 6.1 with the same checkers serves
# both.
# Fails on a failed case, a crash, or a BUG/WARNING/UBSAN/KASAN/lockdep
# report anywhere in the kernel log.
. "$(dirname "$0")/lib.sh"

# run_kunit NAME SRC ARGS...: one kunit.py run in the tree SRC (build
# and boot), judged by its results and its kernel log.
run_kunit() {
	local name=$1 src=$2; shift 2
	local build="$MSIA_CACHE/kunit-$name" log="$MSIA_OUT/kunit-$name.log" rc=0
	msia_log "kunit ($name): building in $build"
	msia_kunit_fresh "$build"
	(cd "$src" && python3 tools/testing/kunit/kunit.py run \
		--build_dir="$build" --jobs="$(nproc)" --json="$MSIA_OUT/kunit-$name.json" "$@") >"$log" 2>&1 || rc=$?
	msia_kunit_judge "$name" "$build/test.log" $rc
}

rc=0
src61=$(msia_kunit_tree 6.1)
run_kunit uml "$src61" --kunitconfig="$MSIA_TOP/kunit/uml.kunitconfig" || rc=1
# The same suites plus the local APIC ones, on x86_64 under QEMU, with
# each supported kernel's own kunit.py and headers: 6.12 reads the APIC
# through apic->read() just as 6.1 does, and must build and pass too.
run_kunit x86_64-6.12 "$(msia_kunit_tree 6.12)" --arch=x86_64 \
	--kunitconfig="$MSIA_TOP/kunit/x86_64.kunitconfig" --timeout=600 || rc=1
# 7.x: its linux-source from the Debian 13 root, built here (the
# kernel itself needs only gcc 8.1; gcc-14 is its headers' packaging).
kv7=$(msia_kver 7) || msia_die "no 7.x kernel in the Debian 13 root"
s7=$(msia_series "$kv7")
run_kunit "x86_64-$s7" "$(msia_kunit_tree "$s7")" --arch=x86_64 \
	--kunitconfig="$MSIA_TOP/kunit/x86_64.kunitconfig" --timeout=600 || rc=1
exit $rc
