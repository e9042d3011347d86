#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make kunit: run the project's KUnit suites with Debian's 6.1 kunit.py,
# in UML, and on x86_64 under QEMU (where a suite needs real hardware)
# with 6.1's, 6.12's and 7.x's.
# Fails on a failed case, a crash, or a BUG/WARNING/UBSAN/KASAN/lockdep
# report anywhere in the kernel log.
. "$(dirname "$0")/lib.sh"

# kunit_tree SERIES: Debian's kernel source of SERIES with the project
# dropped in (a symlink plus one line each in the parent Kconfig and
# Makefile); prints the tree.
kunit_tree() {
	local src link
	src=$(msia_kernel_source "$1")
	link="$src/drivers/misc/msi_affinity"
	if [ "$(readlink "$link" 2>/dev/null)" != "$MSIA_TOP" ]; then
		rm -f "$link"
		ln -s "$MSIA_TOP" "$link"
	fi
	grep -q 'drivers/misc/msi_affinity/Kconfig' "$src/drivers/misc/Kconfig" ||
		sed -i '$i source "drivers/misc/msi_affinity/Kconfig"' "$src/drivers/misc/Kconfig"
	grep -q 'msi_affinity/' "$src/drivers/misc/Makefile" ||
		sed -i '$a obj-y += msi_affinity/' "$src/drivers/misc/Makefile"
	echo "$src"
}

# run_kunit NAME SRC ARGS...: one kunit.py run in the tree SRC, judged
# by its log.
run_kunit() {
	local name=$1 src=$2; shift 2
	local build="$MSIA_CACHE/kunit-$name" log="$MSIA_OUT/kunit-$name.log"
	local json="$MSIA_OUT/kunit-$name.json" rc=0
	msia_log "kunit ($name): building in $build"
	(cd "$src" && python3 tools/testing/kunit/kunit.py run \
		--build_dir="$build" --jobs="$(nproc)" --json="$json" "$@") >"$log" 2>&1 || rc=$?
	sed -n '/^\[..:..:..\] =\+ /,$p' "$log" | grep -E '\[(PASSED|FAILED|SKIPPED|CRASHED)\]|Testing complete|^\[..:..:..\] =+ ' | sed 's/^/  /' | tail -200
	local p f s
	read -r p f s < <(python3 - "$json" <<'PY'
import json, sys
p = f = s = 0
def walk(node):
    global p, f, s
    for t in node.get('sub_groups', []):
        walk(t)
    for c in node.get('test_cases', []):
        st = c.get('status', '')
        if st == 'PASS': p += 1
        elif st == 'SKIP': s += 1
        else: f += 1
try:
    walk(json.load(open(sys.argv[1])))
except Exception:
    pass
print(p, f, s)
PY
	)
	# Reports that kunit.py does not turn into failures.
	local bad
	bad=$(grep -E "$(msia_kmsg_re crash checker irq)" "$build/test.log" 2>/dev/null | head -20 || true)
	if [ -n "$bad" ]; then
		msia_log "kunit ($name): kernel reported:"
		echo "$bad" | sed 's/^/    /'
		f=$((f + 1))
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		msia_log "kunit ($name): kunit.py failed (exit $rc), see $log"
		tail -30 "$log" | sed 's/^/    /'
		f=1
	fi
	[ "$p" -gt 0 ] || { msia_log "kunit ($name): no test passed"; f=$((f + 1)); }
	msia_counts "kunit-$name" "$p" "$f" "$s"
	msia_log "kunit ($name): $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}

rc=0
src61=$(kunit_tree 6.1)
run_kunit uml "$src61" --kunitconfig="$MSIA_TOP/kunit/uml.kunitconfig" || rc=1
# The same suites plus the local APIC ones, on x86_64 under QEMU, with
# each supported kernel's own kunit.py and headers: 6.12 reads the APIC
# through apic->read() just as 6.1 does, and must build and pass too.
run_kunit x86_64 "$src61" --arch=x86_64 --kunitconfig="$MSIA_TOP/kunit/x86_64.kunitconfig" \
	--timeout=600 || rc=1
run_kunit x86_64-6.12 "$(kunit_tree 6.12)" --arch=x86_64 \
	--kunitconfig="$MSIA_TOP/kunit/x86_64.kunitconfig" --timeout=600 || rc=1
# 7.x: its linux-source from the Debian 13 root, built here (the
# kernel itself needs only gcc 8.1; gcc-14 is its headers' packaging).
kv7=$(msia_kver 7) || msia_die "no 7.x kernel in the Debian 13 root"
s7=$(msia_series "$kv7")
run_kunit "x86_64-$s7" "$(kunit_tree "$s7")" --arch=x86_64 \
	--kunitconfig="$MSIA_TOP/kunit/x86_64.kunitconfig" --timeout=600 || rc=1
exit $rc
