# SPDX-License-Identifier: GPL-2.0
# Shared settings for the msi_affinity scripts; sourced, not run.
#
# MSIA_CACHE holds everything derived from Debian's packages (the
# extracted kernel source, the UML and x86_64 KUnit builds, the
# uncompressed test kernel, disk images).  It lives outside the
# repository at a fixed absolute path so that incremental kernel builds
# stay incremental across clones.

set -eu
MSIA_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MSIA_CACHE=${MSIA_CACHE:-/var/tmp/msi_affinity-cache}
MSIA_OUT=${MSIA_OUT:-$MSIA_TOP/out}
mkdir -p "$MSIA_CACHE" "$MSIA_OUT"

msia_log() { printf '[msia] %s\n' "$*" >&2; }
msia_die() { printf '[msia] error: %s\n' "$*" >&2; exit 1; }

# The Debian kernels the project supports, by series: Debian 12's 6.1
# and 6.12 (+deb12) on this machine, and Debian 13's 6.12 (+deb13) and
# the newest 7.x of trixie-backports in the Debian 13 root
# (scripts/deb13.sh).  KVER picks one: a series (6.1, 6.12, 6.12-deb13,
# 7 or 7.3) or a full release (6.12.118+deb13-amd64); default 6.1.
MSIA_HOST_SERIES="6.1 6.12"
MSIA_DEB13_SERIES="6.12-deb13 7"
MSIA_SERIES="$MSIA_HOST_SERIES $MSIA_DEB13_SERIES"
MSIA_DEB13_ROOT=$MSIA_CACHE/deb13-root

# msia_kroot KVER: the root a kernel release lives in ("" for this
# machine's own)
msia_kroot() {
	case "$1" in *+deb13-*) echo "$MSIA_DEB13_ROOT" ;; *) echo "" ;; esac
}

# msia_kheaders KVER: the headers of a release, as a build in its root
# sees them (empty if missing)
msia_kheaders() {
	local root
	root=$(msia_kroot "$1")
	if [ -n "$root" ]; then
		[ -f "$root/usr/lib/modules/$1/build/Makefile" ] && echo "/usr/lib/modules/$1/build"
	else
		[ -d "/usr/src/linux-headers-$1" ] && echo "/usr/src/linux-headers-$1"
	fi
	return 0
}

# msia_kver [SERIES]: the newest release of a series that has an image
# and headers, of the generic -amd64 flavour (not -rt or -cloud)
msia_kver() {
	local want=${1:-${KVER:-6.1}} root= base v
	case "$want" in
	*-amd64)
		root=$(msia_kroot "$want")
		[ -n "$(msia_kheaders "$want")" ] && [ -f "$root/boot/vmlinuz-$want" ] &&
			{ echo "$want"; return 0; }
		return 1 ;;
	*-deb13) root=$MSIA_DEB13_ROOT base=${want%-deb13} ;;
	7|7.*) root=$MSIA_DEB13_ROOT base=$want ;;
	*) base=$want ;;
	esac
	for v in $(ls -1 "$root/boot" 2>/dev/null |
		sed -n "s/^vmlinuz-\(${base//./\\.}\.[0-9].*-amd64\)\$/\1/p" |
		grep -v -e '-rt-amd64$' -e '-cloud-amd64$' | sort -V -r); do
		[ "$(msia_kroot "$v")" = "$root" ] || continue
		if [ -n "$(msia_kheaders "$v")" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

# msia_in_root ROOT CMD...: CMD in ROOT (this machine's own if empty),
# with /proc mounted there, as a build on that system would run it
msia_in_root() {
	local root=$1 rc=0 mounted=0
	shift
	[ -n "$root" ] || { "$@"; return; }
	# Unmounted only by the call that mounted it: calls may nest.
	mountpoint -q "$root/proc" || { mount -t proc proc "$root/proc" && mounted=1; }
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive HOME=/root LANG=C.UTF-8 "$@" || rc=$?
	[ $mounted = 0 ] || umount "$root/proc" 2>/dev/null || true
	return $rc
}

# msia_kdir: the kernel build directory plain make builds against: KDIR,
# else the headers of KVER, else the running kernel's (what DKMS and a
# user expect on any machine), else Debian 12's 6.1.
msia_kdir() {
	local kv run
	if [ -n "${KDIR:-}" ]; then echo "$KDIR"; return 0; fi
	run=/lib/modules/$(uname -r)/build
	if [ -z "${KVER:-}" ] && [ -f "$run/Makefile" ]; then echo "$run"; return 0; fi
	kv=$(msia_kver) ||
		msia_die "no kernel headers for ${KVER:-6.1}: set KDIR=<kernel build directory>, or run make test, which installs them on Debian 12"
	[ -z "$(msia_kroot "$kv")" ] ||
		msia_die "$kv is built in the Debian 13 root (its headers need gcc-14): scripts/lib.sh's msia_build does that"
	msia_kheaders "$kv"
}

# msia_copy_sources DIR: copy into DIR what Kbuild needs to build the
# modules (the tracked sources and VERSION), where newer.
msia_copy_sources() {
	mkdir -p "$1"
	(cd "$MSIA_TOP" && { git ls-files --cached --others --exclude-standard 2>/dev/null ||
		find . -type f -not -path './out/*' -not -path './.git/*'; } |
		grep -E '\.(c|h)$|Kbuild$|Kconfig$|(^|/)VERSION$' | xargs cp --parents -u -t "$1")
}

# msia_modules_build ROOT KDIR DIR LOG [MAKE_ARGS...]: the project's
# modules built against the kernel build directory KDIR, from a copy of
# the tracked sources in DIR, so that two kernels' objects never mix;
# in ROOT ("" for this machine) with that system's compiler, as DKMS
# would there.  The build's output goes to LOG.
msia_modules_build() {
	local root=$1 kdir=$2 dir=$3 log=$4
	shift 4
	msia_copy_sources "$dir"
	msia_in_root "$root" make -s -C "$kdir" M="${dir#"$root"}" "$@" modules >"$log" 2>&1 ||
		{ grep -v 'Skipping BTF' "$log" | tail -20 >&2; msia_die "modules do not build against $kdir${root:+ in $root}"; }
}

# msia_build KVER: the modules for one Debian kernel, in out/build/KVER
# for this machine's kernels and inside the Debian 13 root for its own;
# prints the directory.
msia_build() {
	local kv=$1 root dir
	root=$(msia_kroot "$kv")
	if [ -n "$root" ]; then dir=$root/build/$kv; else dir=$MSIA_OUT/build/$kv; fi
	msia_modules_build "$root" "$(msia_kheaders "$kv")" "$dir" "$MSIA_OUT/build-$kv.log"
	echo "$dir"
}

# msia_kernel_build TREE FRAGMENT BUILD LOG TARGETS...: configure TREE
# as allnoconfig plus FRAGMENT in BUILD, check that every option of the
# fragment survived, and build TARGETS; once per BUILD (a finished
# build is kept; an unfinished one is resumed).
msia_kernel_build() {
	local tree=$1 frag=$2 build=$3 log=$4 o t0=$SECONDS
	shift 4
	[ ! -f "$build/.msia-done" ] || return 0
	msia_log "building a kernel in $build (once per machine; log: $log)"
	mkdir -p "$build"
	(cd "$tree" && KCONFIG_ALLCONFIG="$frag" make -s O="$build" allnoconfig) >"$log" 2>&1 ||
		{ tail -20 "$log" >&2; msia_die "$tree: allnoconfig with $frag failed"; }
	for o in $(grep -E '^CONFIG_' "$frag"); do
		grep -qx "$o" "$build/.config" || msia_die "$build: $o did not survive the configuration"
	done
	make -s -C "$tree" O="$build" -j"$(nproc)" "$@" >>"$log" 2>&1 ||
		{ tail -20 "$log" >&2; msia_die "kernel build in $build failed (see $log)"; }
	touch "$build/.msia-done"
	msia_log "built $build in $((SECONDS - t0)) s"
}

# msia_linked_tree SRC TREE: TREE as a copy of the extracted source SRC
# made of hard links, without the KUnit run's link to this project
# (drivers/misc/msi_affinity, scripts/kunit.sh).  The two files that
# link edits are rewritten (sed -i), which breaks their hard links, and
# so must any later edit of a file in TREE.
msia_linked_tree() {
	rm -rf "$2"
	cp -al "$1" "$2"
	rm -f "$2/drivers/misc/msi_affinity"
	sed -i '/drivers\/misc\/msi_affinity\/Kconfig/d' "$2/drivers/misc/Kconfig"
	sed -i '/^obj-y += msi_affinity\/$/d' "$2/drivers/misc/Makefile"
}

# msia_source_root SERIES: where Debian's linux-source of a series is
# installed: this machine ("") for 6.1 and 6.12, the Debian 13 root for
# 7.x
msia_source_root() {
	if [ -f "/usr/src/linux-source-$1.tar.xz" ]; then echo ""
	elif [ -f "$MSIA_DEB13_ROOT/usr/src/linux-source-$1.tar.xz" ]; then echo "$MSIA_DEB13_ROOT"
	else msia_die "linux-source-$1 is not installed here or in the Debian 13 root"
	fi
}

# Debian's kernel source of a series (default 6.1), extracted once per
# source package version.
msia_kernel_source() {
	local series=${1:-6.1} root tarball src="$MSIA_CACHE/linux-source-${1:-6.1}" ver
	root=$(msia_source_root "$series")
	tarball=$root/usr/src/linux-source-$series.tar.xz
	ver=$(dpkg-query ${root:+--admindir="$root/var/lib/dpkg"} -W -f='${Version}' "linux-source-$series" 2>/dev/null ||
		echo unknown)
	if [ ! -f "$src/.msia-version" ] || [ "$(cat "$src/.msia-version")" != "$ver" ]; then
		msia_log "extracting linux-source-$series $ver into $src"
		rm -rf "$src"
		tar -C "$MSIA_CACHE" -xf "$tarball"
		echo "$ver" > "$src/.msia-version"
	fi
	# The KUnit link (scripts/kunit.sh) follows the checkout that used
	# the tree last, and its Kconfig is sourced by every configuration
	# of the tree: one left pointing at a checkout that is gone fails
	# them all, so it points at this one before any use.
	[ ! -L "$src/drivers/misc/msi_affinity" ] || ln -sfn "$MSIA_TOP" "$src/drivers/misc/msi_affinity"
	echo "$src"
}

# msia_kunit_tree SERIES: Debian's kernel source of SERIES with the
# project dropped in for KUnit (the link msia_kernel_source keeps, plus
# one line each in the parent Kconfig and Makefile); prints the tree.
msia_kunit_tree() {
	local src
	src=$(msia_kernel_source "$1")
	ln -sfn "$MSIA_TOP" "$src/drivers/misc/msi_affinity"
	grep -q 'drivers/misc/msi_affinity/Kconfig' "$src/drivers/misc/Kconfig" ||
		sed -i '$i source "drivers/misc/msi_affinity/Kconfig"' "$src/drivers/misc/Kconfig"
	grep -q 'msi_affinity/' "$src/drivers/misc/Makefile" ||
		sed -i '$a obj-y += msi_affinity/' "$src/drivers/misc/Makefile"
	echo "$src"
}

# msia_kunit_fresh BUILD: a kernel build that compiles the project in
# through the KUnit link (kunit.py's, the debug kernel) keeps the objects
# of whichever checkout it compiled last, and make judges them by time
# alone: when the checkout or its sources differ from the last build's,
# the project's objects go, and make compiles them again.
msia_kunit_fresh() {
	local build=$1 stamp
	stamp=$( {
		echo "$MSIA_TOP"
		(cd "$MSIA_TOP" && git ls-files -z --cached --others --exclude-standard -- \
			'*.c' '*.h' Kbuild Kconfig VERSION 2>/dev/null | xargs -0 -r sha256sum)
	} | sha256sum | cut -c1-16)
	[ "$(cat "$build/.msia-kunit-stamp" 2>/dev/null)" != "$stamp" ] || return 0
	rm -rf "$build/drivers/misc/msi_affinity"
	mkdir -p "$build"
	echo "$stamp" >"$build/.msia-kunit-stamp"
}

# msia_kunit_judge NAME KLOG RC: the verdict on one KUnit run, from
# kunit.py's $MSIA_OUT/kunit-NAME.json and .log (RC: its exit status)
# and the whole kernel log KLOG, where a BUG, WARNING, checker report or
# "No irq handler" fails the run too; prints each case and the counts,
# and writes them for make test.
msia_kunit_judge() {
	local name=$1 klog=$2 rc=$3 p f s bad
	local log="$MSIA_OUT/kunit-$name.log" json="$MSIA_OUT/kunit-$name.json"
	sed -n '/^\[..:..:..\] =\+ /,$p' "$log" | grep -E '\[(PASSED|FAILED|SKIPPED|CRASHED)\]|Testing complete|^\[..:..:..\] =+ ' | sed 's/^/  /' | tail -200
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
	bad=$(grep -E "$(msia_kmsg_re crash checker irq)" "$klog" 2>/dev/null | head -20 || true)
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

# msia_series KVER: the series (6.1, 6.12) of a Debian kernel release
msia_series() { echo "$1" | sed -n 's/^\([0-9]*\.[0-9]*\)[.-].*/\1/p'; }

# msia_source_file SERIES PATH: one file of Debian's kernel source of a
# series, unmodified, cached per source package version; prints where.
# Taken from the extracted tree when there is one, else from the tarball
# alone, so that a test needing one script does not unpack a kernel.
msia_source_file() {
	local series=$1 path=$2 ver out root
	root=$(msia_source_root "$series")
	ver=$(dpkg-query ${root:+--admindir="$root/var/lib/dpkg"} -W -f='${Version}' "linux-source-$series" 2>/dev/null) ||
		msia_die "linux-source-$series is not installed"
	out="$MSIA_CACHE/source-files/$series-$ver/$path"
	if [ ! -s "$out" ]; then
		mkdir -p "$(dirname "$out")"
		# Called inside $(...), where set -e does not hold: check by hand.
		if [ "$(cat "$MSIA_CACHE/linux-source-$series/.msia-version" 2>/dev/null)" = "$ver" ]; then
			cp "$MSIA_CACHE/linux-source-$series/$path" "$out.tmp" || msia_die "no $path in linux-source-$series"
		else
			tar -xJOf "$root/usr/src/linux-source-$series.tar.xz" "linux-source-$series/$path" >"$out.tmp" ||
				msia_die "no $path in linux-source-$series"
		fi
		[ -s "$out.tmp" ] || msia_die "$path of linux-source-$series is empty"
		mv "$out.tmp" "$out"
	fi
	echo "$out"
}

# The uncompressed kernel: QEMU boots it by PVH, twice as fast as a
# bzImage.  Debian compresses 6.1 with xz and 6.12 with zstd; either
# way the payload is the ELF vmlinux, with data trailing it that the
# decompressor warns about.
msia_vmlinux() {
	local kv=$1 out="$MSIA_CACHE/vmlinux-$1" img
	img=$(msia_kroot "$kv")/boot/vmlinuz-$kv
	if [ ! -s "$out" ] || [ "$img" -nt "$out" ]; then
		python3 - "$img" "$out.z" <<'PY' >"$out.fmt"
import sys
d = open(sys.argv[1], 'rb').read()
for fmt, magic in (('xz', b'\xfd7zXZ\x00'), ('zstd', b'\x28\xb5\x2f\xfd')):
    i = d.find(magic)
    if i >= 0:
        open(sys.argv[2], 'wb').write(d[i:])
        print(fmt)
        sys.exit(0)
sys.exit('no xz or zstd payload in ' + sys.argv[1])
PY
		case "$(cat "$out.fmt")" in
		xz) xz -dc "$out.z" >"$out.tmp" 2>/dev/null || true ;;
		zstd) zstd -qdc "$out.z" >"$out.tmp" 2>/dev/null || true ;;
		esac
		rm -f "$out.z" "$out.fmt"
		head -c 4 "$out.tmp" | grep -q ELF || msia_die "could not decompress $img"
		mv "$out.tmp" "$out"
	fi
	echo "$out"
}

# Results.  Every script reports the same way, and make test reads
# nothing else: TAP lines on standard output, and one "passed failed
# skipped" line per part in $MSIA_OUT/counts/PART.
#
# msia_counts PART PASSED FAILED [SKIPPED]
msia_counts() {
	mkdir -p "$MSIA_OUT/counts"
	echo "$2 $3 ${4:-0}" >"$MSIA_OUT/counts/$1"
}
# msia_result PREFIX DESCRIPTION RC: one host-side TAP line, counted in
# MSIA_P and MSIA_F
MSIA_P=0 MSIA_F=0
msia_result() {
	if [ "$3" = 0 ]; then
		MSIA_P=$((MSIA_P + 1))
		echo "ok - $1: $2"
	else
		MSIA_F=$((MSIA_F + 1))
		echo "not ok - $1: $2"
	fi
}
# msia_check PREFIX DESCRIPTION COMMAND...: msia_result of COMMAND
msia_check() {
	local prefix=$1 what=$2 rc=0
	shift 2
	"$@" || rc=$?
	msia_result "$prefix" "$what" $rc
}

# msia_summary RECORD FILE...: the "key=value ..." fields of every
# "# summary: RECORD" line the guest's tests printed (ksft_summary)
msia_summary() {
	local r=$1
	shift
	sed -n "s/^# summary: $r //p" "$@"
}
# msia_sum KEY: the sum of KEY's values over the lines of fields on
# standard input
msia_sum() {
	awk -v k="$1" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) s += substr($i, length(k) + 2) }
		END { print s + 0 }'
}
# MSIA_AWK_FIELDS: an awk function, fields(), that reads a line of
# fields into v[KEY]
MSIA_AWK_FIELDS='function fields(  i, p) {
	split("", v)
	for (i = 1; i <= NF; i++) { p = index($i, "="); if (p) v[substr($i, 1, p - 1)] = substr($i, p + 1) }
}'

# msia_kmsg_re CLASS...: the bad kernel messages of those classes, from
# the one list host and guest share, as one extended regex
msia_kmsg_re() {
	local re
	re=$(kmsg_re "$MSIA_TOP/selftests/lib/kmsg-bad" "$@")
	[ -n "$re" ] || msia_die "no messages of class $* in selftests/lib/kmsg-bad"
	echo "$re"
}
. "$MSIA_TOP/selftests/lib/kmsg.sh"

# msia_vm NAME VM_ARGS...: one guest boot (scripts/vm.sh), its TAP
# streamed with a "[NAME]" prefix and kept in $MSIA_OUT/NAME.tap, the
# kernel console in $MSIA_OUT/NAME.console
msia_vm() {
	local name=$1
	shift
	"$MSIA_TOP/scripts/vm.sh" "$@" --console "$MSIA_OUT/$name.console" |
		tr -d '\r' | tee "$MSIA_OUT/$name.tap" | sed "s/^/  [$name] /"
}

# msia_boot NAME VM_ARGS...: msia_vm, judged by msia_count_tap, which
# also checks the console for MSIA_CONSOLE_BAD (an extended regex)
msia_boot() {
	msia_vm "$@"
	msia_count_tap "$1" "$MSIA_OUT/$1.tap" "$MSIA_OUT/$1.console" "${MSIA_CONSOLE_BAD:-}"
}

# msia_count_tap NAME TAP CONSOLE [PATTERN]: judge one guest boot and
# write its "passed failed skipped" to $MSIA_OUT/counts/NAME.  It
# fails on a "not ok", a guest that did not finish, nothing passed, or
# a console line matching a crash or PATTERN (further kernel reports).
msia_count_tap() {
	local name=$1 tap=$2 con=$3 extra=${4:-} p f s bad
	local crash
	crash=$(msia_kmsg_re crash)
	p=$(grep -E '^ok ' "$tap" | grep -vc '# SKIP' || true)
	s=$(grep -E '^ok .*# SKIP' "$tap" | wc -l)
	f=$(grep -cE '^not ok ' "$tap" || true)
	if ! grep -q '^# msia: done' "$tap"; then
		msia_log "selftest ($name): guest did not finish, see $con"
		f=$((f + 1))
	fi
	bad=$(grep -E "$crash${extra:+|$extra}" "$con" | head -20 || true)
	if [ -n "$bad" ]; then
		msia_log "selftest ($name): the kernel reported, see $con:"
		echo "$bad" | sed 's/^/    /'
		f=$((f + 1))
	fi
	[ "$p" -gt 0 ] || { msia_log "selftest ($name): no test passed"; f=$((f + 1)); }
	# A boot that failed before any test ran was booted again (vm.sh).
	grep '^# msia: boot failed' "$tap" | sed "s/^# msia: /[msia] selftest ($name): /" || true
	msia_counts "$name" "$p" "$f" "$s"
	msia_log "selftest ($name): $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}
