#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: checkpatch --strict, sparse and kernel-doc over every
# source, from Debian's 6.1 tree, and msi-affinity-check's table test.
# Any report fails it.
. "$(dirname "$0")/lib.sh"

src=$(msia_kernel_source)
kdir=$(msia_kdir)
cd "$MSIA_TOP"
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './out/*')
fail=0 n=0

out=$("$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f "${files[@]}" 2>&1 |
	grep -vE '^total:|^$' || true)
if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
msia_log "checkpatch --strict: $(echo -n "$out" | grep -c . || true) reports on ${#files[@]} files"
n=$((n + 1))

# Sparse over the module build (C=2: every file, changed or not).
out=$(make -s -C "$kdir" M="$MSIA_TOP" C=2 modules 2>&1 |
	grep -E 'warning|error' || true)
if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
msia_log "sparse: $(echo -n "$out" | grep -c . || true) reports"
n=$((n + 1))

# Sparse again against 6.12, whose headers differ and where the dynamic
# MSI-X test driver is built too; in a copy, so that the two kernels'
# objects never mix.
if kv12=$(msia_kver 6.12); then
	dir="$MSIA_OUT/sparse-$kv12"
	rm -rf "$dir"
	msia_modules_build "" "$(msia_kheaders "$kv12")" "$dir" "$dir.log" C=2
	out=$(grep -E 'warning|error' "$dir.log" || true)
	if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
	msia_log "sparse on $kv12: $(echo -n "$out" | grep -c . || true) reports"
	n=$((n + 1))
fi

out=$("$src/scripts/kernel-doc" -none "${files[@]}" 2>&1 || true)
if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
msia_log "kernel-doc: $(echo -n "$out" | grep -c . || true) reports"
n=$((n + 1))

# 6.1's kernel-doc does not flag a missing comment: every function
# that is not static must have one, naming it.
out=$(python3 - "${files[@]}" <<'PY'
import re, sys
for path in sys.argv[1:]:
    # Kernel code only: selftests/guest/ holds userspace programs.
    if not path.endswith('.c') or path.startswith('selftests/guest/'):
        continue
    lines = open(path).read().split('\n')
    for i, line in enumerate(lines):
        m = re.match(r'^(?!static\b)(?!typedef\b)[a-z_][\w \*]*?\b(\w+)\(', line)
        if not m or line.rstrip().endswith(';') or line.startswith(('#', ' ', '\t')):
            continue
        name = m.group(1)
        if name.isupper() or name in ('if', 'for', 'while', 'switch'):
            continue
        j = i - 1
        while j >= 0 and not lines[j].startswith('/**') and lines[j].strip() not in ('}', ''):
            j -= 1
        if j < 0 or not lines[j].startswith('/**') or not re.search(r'\b%s\(\)' % name, lines[j + 1]):
            print('%s:%d: %s() has no kernel-doc comment' % (path, i + 1, name))
PY
)
if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
msia_log "kernel-doc coverage: $(echo -n "$out" | grep -c . || true) functions without one"
n=$((n + 1))

# IBT: the module must never call through an address it found by name.
# Debian's 6.12 is built with X86_KERNEL_IBT, which removes ENDBR from
# every function whose address the kernel never takes; an indirect call
# to one is a control-protection fault, and QEMU's TCG does not model
# IBT, so no guest would show it.  Addresses found by name come from
# kallsyms or from a kprobe's .addr: neither may appear in the module
# next to a cast to a function pointer type, and kallsyms_lookup_name
# (the usual way to reach such functions) may not appear at all.
mod_src=$(git ls-files '*.c' '*.h' | grep -vE '^(kunit|selftests)/')
out=$(grep -nE 'kallsyms_lookup_name|kallsyms_on_each_symbol' $mod_src || true)
out+=$(grep -nE '\(\s*[A-Za-z_][A-Za-z0-9_ ]*\(\s*\*\s*\)\s*\(' $mod_src |
	grep -vE '^\S+:[0-9]+:\s*(\*|/\*)' || true)
if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
msia_log "IBT (no call through an address found by name): $(echo -n "$out" | grep -c . || true) reports"
n=$((n + 1))

# modinfo: what users and packagers read.
ko="$MSIA_TOP/msi_affinity.ko"
out=""
for f in description author; do
	[ -n "$(modinfo -F "$f" "$ko")" ] || out="$out modinfo: no $f;"
done
[ "$(modinfo -F license "$ko")" = GPL ] || out="$out modinfo: license is not GPL;"
# The one version: VERSION, debian/changelog and what modinfo shows.
ver=$(cat "$MSIA_TOP/VERSION")
[ "$(modinfo -F version "$ko")" = "$ver" ] || out="$out modinfo: version is not VERSION ($ver);"
[ "$(sed -n '1s/^msi-affinity (\([^)]*\)).*/\1/p' "$MSIA_TOP/debian/changelog")" = "$ver" ] ||
	out="$out debian/changelog does not start at VERSION ($ver);"
for p in mode irqs devices; do
	modinfo -F parm "$ko" | grep -q "^$p:.\{10,\}" || out="$out modinfo: parameter $p undescribed;"
done
if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
msia_log "modinfo: version $ver, $(modinfo -F parm "$ko" | wc -l) parameters described${out:+, problems:$out}"
n=$((n + 1))

# The reST documentation must build without a warning.
out=$(python3 -m docutils --halt=warning --report=warning \
	"$MSIA_TOP/Documentation/msi_affinity.rst" "$MSIA_OUT/msi_affinity.html" 2>&1 || true)
if [ -n "$out" ]; then echo "$out"; fail=$((fail + 1)); fi
msia_log "docs (docutils): $(echo -n "$out" | grep -c . || true) warnings, out/msi_affinity.html"
n=$((n + 1))

msia_counts check $((n - fail)) $fail

# The "am I affected?" tool, against fake trees (its own counts).
"$MSIA_TOP/scripts/check_tool_test.sh" || fail=$((fail + 1))
[ $fail -eq 0 ]
