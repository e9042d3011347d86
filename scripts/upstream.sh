#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make upstream-test: the root fixes, proven like the module.
#
# upstream/ holds one directory of patches per kernel series.  The
# newest (7.3) is the series as it goes to the maintainers; the older
# ones are its stable backports.  For the newest, Debian's linux-source
# of that series is built twice with upstream/test.config, without and
# with the patches (cached by source version, configuration and
# patches), and each kernel boots under QEMU with no msi_affinity loaded:
#   0001  the injection sweep against the kernel's own msi_set_affinity():
#         unpatched must lose an injected interrupt; patched must lose
#         none, print no "No irq handler", and handle the interrupts
#         raised in the intermediate state (old CPU, new vector), which
#         only its IRR check and retrigger deliver.  Both count what a
#         managed MSI-X move costs (managed_moves), which the fix sends
#         down the two-step path.  The patched kernel then runs the
#         hotplug stress and the module's own tests.
#   0002  cf8_race on QEMU's default CPU model (AMD family 0xf): the
#         unpatched kernel must lose a config write while CPU 1 comes
#         and goes, the patched one none.
# Every series must apply to its linux-source, and each backport must
# compile there (the files it touches, with the same configuration).
# checkpatch --strict runs on all of them.
. "$(dirname "$0")/lib.sh"

up="$MSIA_TOP/upstream"
frag="$up/test.config"
series=$(cd "$up" && ls -d [0-9]*.[0-9]* | sort -V | tail -1)
backports=$(cd "$up" && ls -d [0-9]*.[0-9]* | sort -V | head -n -1)

# need_source SERIES: its linux-source is installed (msia_source_root
# knows where), or say what to do
need_source() {
	(msia_source_root "$1" >/dev/null 2>&1) ||
		msia_die "upstream/$1 is against linux-source-$1, which is not installed (make test installs what Debian ships; rebase the series if Debian moved on)"
}

# cache_key SERIES VARIANT: what a build depends on: source version and
# configuration, and for the patched kernel the patches' diffs (their
# changelogs may change without a rebuild: sed -s reads each patch on
# its own, or the range would run on into the next one's changelog).
cache_key() {
	local src
	src=$(msia_kernel_source "$1")
	{ cat "$src/.msia-version" "$frag"
	  [ "$2" = unpatched ] || sed -s -n '/^diff --git/,$p' "$up/$1"/*.patch; } |
		sha1sum | cut -c1-12
}

# touched PATCH...: the files the patches change
touched() { sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$@" | sort -u; }

# apply_series SRC TREE SERIES: copy from SRC into TREE the files that
# SERIES' patches change (breaking TREE's hard links) and apply the
# patches there in order.
apply_series() {
	local src=$1 tree=$2 f
	for f in $(touched "$up/$3"/*.patch); do
		mkdir -p "$tree/$(dirname "$f")"
		rm -f "$tree/$f"
		cp "$src/$f" "$tree/$f"
	done
	(cd "$tree" && git apply "$up/$3"/*.patch)
}

# apply_check SERIES: that series' patches apply, in order, to clean
# copies of the files they change.
apply_check() {
	local tmp rc=0
	tmp=$(mktemp -d)
	apply_series "$(msia_kernel_source "$1")" "$tmp" "$1" || rc=1
	rm -rf "$tmp"
	return $rc
}

# patched_tree SERIES VARIANT: a tree of hard links to SERIES' source,
# with the patches applied for the patched variant; prints it.
patched_tree() {
	local src tree=$MSIA_CACHE/upstream-src-$1-$2
	src=$(msia_kernel_source "$1")
	msia_linked_tree "$src" "$tree"
	[ "$2" = unpatched ] || apply_series "$src" "$tree" "$1" >&2 ||
		msia_die "upstream: the $1 patches do not apply"
	echo "$tree"
}

# build VARIANT: the newest series' kernel, unpatched or patched,
# cached; prints its build directory.
build() {
	local variant=$1 key build tree
	key=$(cache_key "$series" "$variant")
	build="$MSIA_CACHE/upstream-$series-$variant-$key"
	if [ -f "$build/.msia-done" ]; then echo "$build"; return 0; fi
	# Older keys' builds go (and those of the 6.12-only layout); an
	# unfinished build of this key is resumed.
	find "$MSIA_CACHE" -maxdepth 1 \( -name "upstream-*-$variant-*" -o -name "upstream-$variant-*" \
		-o -name "upstream-src-$variant" \) ! -name "$(basename "$build")" -exec rm -rf {} +
	tree=$(patched_tree "$series" "$variant")
	# "modules" writes Module.symvers, which out-of-tree modules link against.
	msia_kernel_build "$tree" "$frag" "$build" "$MSIA_OUT/upstream-$variant.log" \
		vmlinux modules modules_prepare >&2
	echo "$build"
}

# compile_check SERIES: the backport's patched files compile in that
# series' source with the test configuration (cached by key).
compile_check() {
	local key out tree objs
	key=$(cache_key "$1" patched)
	out="$MSIA_CACHE/upstream-$1-compiled-$key"
	[ ! -f "$out/.msia-done" ] || return 0
	find "$MSIA_CACHE" -maxdepth 1 -name "upstream-$1-compiled-*" -exec rm -rf {} +
	tree=$(patched_tree "$1" compiled)
	objs=$(touched "$up/$1"/*.patch | sed -n 's/\.c$/.o/p')
	msia_kernel_build "$tree" "$frag" "$out" "$MSIA_OUT/upstream-$1-compile.log" $objs
	rm -rf "$tree"
}

# boot VARIANT PLAN NAME [ARGS]: the variant's kernel with the modules
# built for it, under the Debian 13 root's QEMU like the other 7.x
# boots; NAME names the run, ARGS go on the kernel command line.
boot() {
	local variant=$1 plan=$2 name=$3 build mods
	build=$(build "$variant") || return 1
	mods="$MSIA_OUT/upstream-modules-$variant"
	msia_modules_build "" "$build" "$mods" "$mods.log"
	MSIA_QEMU=${MSIA_QEMU:-deb13} MSIA_KO_DIR="$mods" msia_boot "upstream-$name" --kernel "$build/vmlinux" \
		--plan "$plan" --cycles 50 --append "msia.kernel=$variant ${4:-}" ${5:-}
}

# --cached: succeed only if both kernels are built already (make test).
if [ "${1:-}" = --cached ]; then
	[ -f "$MSIA_CACHE/upstream-$series-unpatched-$(cache_key "$series" unpatched)/.msia-done" ] &&
		[ -f "$MSIA_CACHE/upstream-$series-patched-$(cache_key "$series" patched)/.msia-done" ]
	exit
fi

for s in $series $backports; do
	need_source "$s"
	msia_check upstream "the $s patches apply to linux-source-$s" apply_check "$s"
done
for s in $backports; do
	msia_check upstream "the $s backports compile in linux-source-$s ($(touched "$up/$s"/*.patch | paste -sd' '))" \
		compile_check "$s"
done
# checkpatch from the newest source tree, which has no git history: the
# commit ids it cannot look up there were checked against public
# mainline mail by hand, and the commit 0002 fixes cannot be named from
# here (upstream/README).  The sign-off is left to whoever sends them.
cp_check() {
	local out
	out=$(cd "$(msia_kernel_source "$series")" && scripts/checkpatch.pl --strict --terse \
		--ignore UNKNOWN_COMMIT_ID,MISSING_SIGN_OFF,MISSING_FIXES_TAG "$up"/*/*.patch | grep -v 'total: 0 errors, 0 warnings, 0 checks')
	[ -z "$out" ] || { echo "$out"; return 1; }
}
msia_check upstream "checkpatch --strict: 0 reports (sign-off left to the sender)" cp_check
msia_counts upstream-patch $MSIA_P $MSIA_F

rc=0
# msi-affinity-check (check_tool): both boots list the patched build by
# its build ID as fixed, as an administrator would; the unpatched build
# of the same release must still be found affected.
fixed_id=$(readelf -n "$(build patched)/vmlinux" | awk '/Build ID:/ {print $3; exit}')
boot unpatched upstream unpatched "msia.check_expect=affected msia.fixed_build=$fixed_id" --nvme2 || rc=1
boot patched upstream-patched patched "msia.check_expect=fixed msia.fixed_build=$fixed_id" --nvme2 || rc=1
# 0002: QEMU's default CPU model, AMD family 0xf; cf8_race must catch
# the unpatched kernel losing a config write (windows of 30 s until one
# does, at most 8) and the patched one losing none in 1 min: in one 30 s
# window the unpatched one lost 7 to 31 writes (7 runs), so a kernel
# still racing would lose some in two with a chance of about 1 - e^-40.
MSIA_CPU=qemu64 boot unpatched amdk8 unpatched-amdk8 "msia.cf8_ms=30000 msia.cf8_windows=8 msia.cf8_expect=lost" || rc=1
MSIA_CPU=qemu64 boot patched amdk8 patched-amdk8 "msia.cf8_ms=30000 msia.cf8_windows=2 msia.cf8_expect=none" || rc=1

ver=$(cat "$(msia_kernel_source "$series")/.msia-version")
ver=${ver%%-*}
tap() { echo "$MSIA_OUT/upstream-$1.tap"; }
echo
echo "upstream 0001: the kernel's own msi_set_affinity(), edu raised right after"
echo "the k-th MSI register write of a move that changes CPU and vector; lost/raised"
echo
# The patched boot also runs the module's injection (config=stock,
# safe, direct): only the kernel's own path (config=kernel) goes here.
for side in unpatched patched; do
	msia_summary inject "$(tap "$side")" | grep '^config=kernel ' | sed "s/^/row $side /"
	msia_summary inject_total "$(tap "$side")" | grep '^config=kernel ' | sed "s/^/total $side /"
done | awk -v ver="$ver" "$MSIA_AWK_FIELDS"'
$1 == "row" {
	fields(); key = v["path"] " " v["k"]
	if (!(key in seen)) { seen[key] = 1; order[n++] = key }
	# A k past the last MSI write of the move: nothing was injected.
	cell[key, $2] = (v["injected"] == 0) ? "(no write k)" : v["lost"] "/" v["raised"]
	if (v["injected"] != 0) { raised[$2] += v["raised"]; lost[$2] += v["lost"] }
}
$1 == "total" { fields(); noirq[$2] = v["no_irq_handler"] }
END {
	printf "%-9s %2s  %-14s %-14s\n", "path", "k", ver, ver "+patch"
	for (i = 0; i < n; i++) {
		split(order[i], a, " ")
		printf "%-9s %2s  %-14s %-14s\n", a[1], a[2], cell[order[i], "unpatched"], cell[order[i], "patched"]
	}
	printf "%-12s  %-14s %-14s\n", "total lost", lost["unpatched"] "/" raised["unpatched"], lost["patched"] "/" raised["patched"]
	printf "%-12s  %-14s %-14s\n", "No irq hdlr", noirq["unpatched"], noirq["patched"]
	printf "difference: %d interrupts lost unpatched, %d patched\n", lost["unpatched"], lost["patched"]
}'
echo
echo "upstream 0001: a managed MSI-X interrupt (NVMe queue) moved by CPU offline"
echo "to a new CPU and vector, per move (table accesses: 4 per message write)"
echo
for side in unpatched patched; do
	msia_summary managed_moves "$(tap "$side")" | sed "s/^/$side /"
done | awk -v ver="$ver" "$MSIA_AWK_FIELDS"'
{
	fields(); n = v["moves"] + 0; m = n ? v["msg_writes"] / n : 0
	printf "%-16s moves %3d  message writes %3.1f  table accesses %4.1f  config accesses %3.1f  median %6.1f us\n",
		($1 == "patched") ? ver "+patch" : ver, n, m, 4 * m,
		n ? (v["cfg_reads"] + v["cfg_writes"]) / n : 0, v["p50_ns"] / 1000
	w[$1] = m; t[$1] = v["p50_ns"]
}
END {
	if (w["unpatched"] && t["unpatched"])
		printf "difference: %.1f times the message writes, %.2f times the median time\n",
			w["patched"] / w["unpatched"], t["patched"] / t["unpatched"]
}'
echo
echo "upstream 0002: config writes of one CPU read back while CPU 1 goes offline"
echo "and online, QEMU's default CPU model (AMD family 0xf)"
echo
for side in unpatched patched; do
	msia_summary cf8_race "$(tap "$side-amdk8")" | sed "s/^/$side /"
done | awk -v ver="$ver" "$MSIA_AWK_FIELDS"'
{
	fields()
	printf "%-16s %3d s  bring-ups %4d  writes %9d  lost %3d  reads misdirected %3d\n",
		($1 == "patched") ? ver "+patch" : ver, v["windows"] * v["window_ms"] / 1000,
		v["bringups"], v["writes"], v["lost"], v["misread"]
	bad[$1] = v["lost"] + v["misread"]
}
END { printf "difference: %d config accesses misdirected unpatched, %d patched\n", bad["unpatched"], bad["patched"] }'
[ $rc -eq 0 ] && [ $MSIA_F -eq 0 ]
