#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the tests need from Debian 12's own suites, only what is
# missing, and say what.  Idempotent; run by the test targets, never by
# plain make, which only builds.
#
# Each kernel series is named by a metapackage that Debian moves to the
# newest build of that series (linux-image-amd64 for 6.1, and the
# linux-image-6.12-amd64 that bookworm-security carries for 6.12), never
# by an exact version, which the archive drops when the next upload
# lands.  linux-source-6.12 follows the same suite.
. "$(dirname "$0")/lib.sh"

pkgs=(
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	linux-image-6.12-amd64 linux-headers-6.12-amd64 linux-source-6.12
	qemu-system-x86 busybox-static cpio xz-utils zstd kmod
	gcc libc6-dev make bc bison flex libelf-dev libssl-dev python3 sparse
	dkms python3-docutils debhelper dh-dkms lintian debootstrap
	libglib2.0-0 libnuma1 libcap-ng0 libsystemd0 bash
)
[ "${1:-}" = "--bench" ] && pkgs+=(gnuplot-nox)

# Earlier versions of this script added bookworm-backports and a pin;
# the 6.12 series now comes from bookworm-security, so take them out.
OLD_APT=(/etc/apt/sources.list.d/msi-affinity-bookworm-backports.sources
	/etc/apt/preferences.d/msi-affinity-linux-612.pref)

msia_need_debian12() {
	local id ver
	id=$(. /etc/os-release && echo "$ID") ver=$(. /etc/os-release && echo "${VERSION_ID:-}")
	[ "$id" = debian ] && [ "$ver" = 12 ] && return 0
	msia_log "the test targets install their packages on Debian 12 only; this is $id $ver."
	msia_log "install these yourself, then run the target again: ${pkgs[*]}"
	exit 1
}

installed() {
	local have
	have=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
	[ "$have" = "install ok installed" ]
}

# Two packages are used here without being installed, downloaded and
# unpacked into the cache instead.  irqbalance runs in the guests only:
# installed, its daemon would move this machine's own interrupts (its
# libraries are ordinary packages above).  Xen's hypervisor boots in
# QEMU only: installed, it would add itself to this machine's boot menu.
# fetch_unpacked DIR PACKAGE FILE: PACKAGE unpacked into
# $MSIA_CACHE/DIR, unless FILE is there already; the .deb's name is
# kept in DIR/.deb, which the test stages' inputs include
fetch_unpacked() {
	local dir="$MSIA_CACHE/$1" pkg=$2 log="$MSIA_OUT/apt-$1.log" tmp
	[ -s "$dir/$3" ] && return 0
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q "$pkg") >"$log" 2>&1 ||
		{ apt-get update -q >/dev/null && (cd "$tmp" && apt-get download -q "$pkg") >"$log" 2>&1; } ||
		{ rm -rf "$tmp"; cat "$log"; msia_die "cannot download $pkg"; }
	rm -rf "$dir"
	dpkg-deb -x "$tmp"/"${pkg}"_*.deb "$dir"
	basename "$tmp"/"${pkg}"_*.deb >"$dir/.deb"
	rm -rf "$tmp"
	msia_log "$pkg unpacked into $dir ($(cat "$dir/.deb"))"
}

# The guests' packages: irqbalance, and the newest Xen hypervisor
# Debian 12 carries (found now, never pinned), whose PV dom0 boot shows
# the module on a platform where Xen programs every MSI.  QEMU's
# multiboot loader takes the hypervisor uncompressed.
newest_xen() {
	apt-cache search --names-only '^xen-hypervisor-4\.[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -1
}
fetch_guest_packages() {
	local xen
	fetch_unpacked irqbalance irqbalance usr/sbin/irqbalance
	[ -s "$MSIA_CACHE/xen/xen" ] && return 0
	xen=$(newest_xen)
	[ -n "$xen" ] || { apt-get update -q >/dev/null; xen=$(newest_xen); }
	[ -n "$xen" ] || msia_die "no xen-hypervisor-4.*-amd64 in Debian 12's suites"
	fetch_unpacked xen "$xen" xen
	zcat "$MSIA_CACHE"/xen/boot/xen-4.*-amd64.gz >"$MSIA_CACHE/xen/xen.tmp" &&
		mv "$MSIA_CACHE/xen/xen.tmp" "$MSIA_CACHE/xen/xen" ||
		msia_die "no hypervisor in $(cat "$MSIA_CACHE/xen/.deb")"
}

# deb13_root: make the Debian 13 root if it is missing.  That is minutes
# of downloading: for make test (MSIA_PREBUILD=1) the UML KUnit kernel
# builds meanwhile, in its own session, which this script takes down
# with it if it dies or is stopped first, so that no build is left
# behind in the cache.  The prebuild's failure fails nothing here: the
# kunit stage builds it again, and judges.
prebuild=
trap '[ -z "$prebuild" ] || kill -- -"$prebuild" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
deb13_root() {
	if [ "${MSIA_PREBUILD:-0}" = 1 ] && [ ! -d "$MSIA_DEB13_ROOT/usr/lib/modules" ]; then
		msia_log "building the UML KUnit kernel while the Debian 13 root downloads (log: $MSIA_OUT/kunit-prebuild.log)"
		setsid "$MSIA_TOP/scripts/kunit.sh" prebuild >"$MSIA_OUT/kunit-prebuild.log" 2>&1 &
		prebuild=$!
	fi
	"$MSIA_TOP/scripts/deb13.sh" >/dev/null
	[ -n "$prebuild" ] || return 0
	wait "$prebuild" ||
		msia_log "the UML KUnit prebuild failed (see $MSIA_OUT/kunit-prebuild.log); the kunit stage builds it again"
	prebuild=
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
stale=()
for f in "${OLD_APT[@]}"; do
	[ -e "$f" ] && stale+=("$f")
done
if [ ${#missing[@]} -eq 0 ] && [ ${#stale[@]} -eq 0 ]; then
	fetch_guest_packages
	deb13_root
	exit 0
fi
msia_need_debian12
[ "$(id -u)" = 0 ] || msia_die "need root to install: ${missing[*]}"
if [ ${#stale[@]} -gt 0 ]; then
	msia_log "removing this project's old apt entries: ${stale[*]}"
	rm -f "${stale[@]}"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
if [ ${#missing[@]} -gt 0 ]; then
	msia_log "installing: ${missing[*]}"
	apt-get install -y -q --no-install-recommends "${missing[@]}" >"$MSIA_OUT/apt.log" 2>&1 ||
		{ tail -20 "$MSIA_OUT/apt.log"; msia_die "apt-get install failed"; }
	msia_log "installed: ${missing[*]}"
fi
for s in $MSIA_HOST_SERIES; do
	msia_kver "$s" >/dev/null || msia_die "no Debian $s kernel with headers after install"
done
fetch_guest_packages
# Debian 13's kernels, in their own root (made once, kept in the cache).
deb13_root
for s in $MSIA_DEB13_SERIES; do
	msia_kver "$s" >/dev/null || msia_die "no Debian 13 $s kernel with headers in $MSIA_DEB13_ROOT"
done
