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

# The Debian kernels the project supports, by series; KVER picks one
# (a series such as 6.12, or a full release such as 6.12.95+deb12-amd64),
# default 6.1.  msia_kver prints the newest installed release of that
# series that has matching headers.
MSIA_SERIES="6.1 6.12"
msia_kver() {
	local want=${1:-${KVER:-6.1}} v
	case "$want" in
	*-amd64)
		[ -d "/usr/src/linux-headers-$want" ] && [ -f "/boot/vmlinuz-$want" ] &&
			{ echo "$want"; return 0; }
		return 1 ;;
	esac
	for v in $(ls -1 /boot 2>/dev/null |
		sed -n "s/^vmlinuz-\(${want//./\\.}\.[0-9].*-amd64\)\$/\1/p" | sort -V -r); do
		if [ -d "/usr/src/linux-headers-$v" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

msia_kdir() {
	local kv
	if [ -n "${KDIR:-}" ]; then echo "$KDIR"; return 0; fi
	kv=$(msia_kver) || return 1
	echo "/usr/src/linux-headers-$kv"
}

# msia_copy_sources DIR: copy into DIR what Kbuild needs to build the
# modules (the tracked sources and VERSION), where newer.
msia_copy_sources() {
	mkdir -p "$1"
	(cd "$MSIA_TOP" && { git ls-files --cached --others --exclude-standard 2>/dev/null ||
		find . -type f -not -path './out/*' -not -path './.git/*'; } |
		grep -E '\.(c|h)$|Kbuild$|Kconfig$|(^|/)VERSION$' | xargs cp --parents -u -t "$1")
}

# msia_build KVER: build the modules for one kernel in out/build/KVER,
# from a copy of the tracked sources, so that two kernels' objects never
# mix; prints the directory.
msia_build() {
	local kv=$1 dir="$MSIA_OUT/build/$1"
	msia_copy_sources "$dir"
	make -s -C "/usr/src/linux-headers-$kv" M="$dir" modules >"$dir.log" 2>&1 ||
		{ grep -v 'Skipping BTF' "$dir.log" | tail -20 >&2; msia_die "modules do not build for $kv"; }
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
	local kv=$1 out="$MSIA_CACHE/vmlinux-$1"
	if [ ! -s "$out" ] || [ "/boot/vmlinuz-$kv" -nt "$out" ]; then
		python3 - "/boot/vmlinuz-$kv" "$out.z" <<'PY' >"$out.fmt"
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
		head -c 4 "$out.tmp" | grep -q ELF || msia_die "could not decompress /boot/vmlinuz-$kv"
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
