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
# and headers
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
		sed -n "s/^vmlinuz-\(${base//./\\.}\.[0-9].*-amd64\)\$/\1/p" | sort -V -r); do
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
	local root=$1 rc=0
	shift
	[ -n "$root" ] || { "$@"; return; }
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive HOME=/root LANG=C.UTF-8 "$@" || rc=$?
	umount "$root/proc" 2>/dev/null || true
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

# msia_build KVER: build the modules for one kernel from a copy of the
# tracked sources, so that two kernels' objects never mix: in
# out/build/KVER for this machine's kernels, and inside the Debian 13
# root for its own, with its gcc-14, as DKMS would there; prints the
# directory.
msia_build() {
	local kv=$1 root dir log
	root=$(msia_kroot "$kv")
	if [ -n "$root" ]; then dir=$root/build/$kv; else dir=$MSIA_OUT/build/$kv; fi
	log=$MSIA_OUT/build-$kv.log
	msia_copy_sources "$dir"
	msia_in_root "$root" make -s -C "$(msia_kheaders "$kv")" M="${dir#"$root"}" modules >"$log" 2>&1 ||
		{ grep -v 'Skipping BTF' "$log" | tail -20 >&2; msia_die "modules do not build for $kv"; }
	echo "$dir"
}

# Debian's kernel source of a series (default 6.1), extracted once per
# source package version.
msia_kernel_source() {
	local series=${1:-6.1}
	local tarball=/usr/src/linux-source-$series.tar.xz src="$MSIA_CACHE/linux-source-$series"
	local ver
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null || echo unknown)
	[ -f "$tarball" ] || msia_die "$tarball missing (linux-source-$series)"
	if [ ! -f "$src/.msia-version" ] || [ "$(cat "$src/.msia-version")" != "$ver" ]; then
		msia_log "extracting linux-source-$series $ver into $src"
		rm -rf "$src"
		tar -C "$MSIA_CACHE" -xf "$tarball"
		echo "$ver" > "$src/.msia-version"
	fi
	echo "$src"
}

# msia_series KVER: the series (6.1, 6.12) of a Debian kernel release
msia_series() { echo "$1" | sed -n 's/^\([0-9]*\.[0-9]*\)[.-].*/\1/p'; }

# msia_source_file SERIES PATH: one file of Debian's kernel source of a
# series, unmodified, cached per source package version; prints where.
# Taken from the extracted tree when there is one, else from the tarball
# alone, so that a test needing one script does not unpack a kernel.
msia_source_file() {
	local series=$1 path=$2 ver out
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null) ||
		msia_die "linux-source-$series is not installed"
	out="$MSIA_CACHE/source-files/$series-$ver/$path"
	if [ ! -s "$out" ]; then
		mkdir -p "$(dirname "$out")"
		# Called inside $(...), where set -e does not hold: check by hand.
		if [ "$(cat "$MSIA_CACHE/linux-source-$series/.msia-version" 2>/dev/null)" = "$ver" ]; then
			cp "$MSIA_CACHE/linux-source-$series/$path" "$out.tmp" || msia_die "no $path in linux-source-$series"
		else
			tar -xJOf "/usr/src/linux-source-$series.tar.xz" "linux-source-$series/$path" >"$out.tmp" ||
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

# msia_count_tap NAME TAP CONSOLE [PATTERN]: judge one guest boot and
# write its "passed failed skipped" to out/counts/selftest-NAME.  It
# fails on a "not ok", a guest that did not finish, nothing passed, or
# a console line matching a crash or PATTERN (further kernel reports).
msia_count_tap() {
	local name=$1 tap=$2 con=$3 extra=${4:-} p f s bad
	local crash='Kernel panic|BUG: |Oops'
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
	mkdir -p "$MSIA_OUT/counts"
	echo "$p $f $s" >"$MSIA_OUT/counts/selftest-$name"
	msia_log "selftest ($name): $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}
