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

# irqbalance runs in the guests only.  Installing it here would start
# its daemon on this machine and move the host's own interrupts, so its
# package is downloaded and unpacked into the cache instead; its
# libraries are ordinary packages above.
fetch_irqbalance() {
	local dir="$MSIA_CACHE/irqbalance" tmp
	[ -x "$dir/usr/sbin/irqbalance" ] && return 0
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q irqbalance) >"$MSIA_OUT/apt-irqbalance.log" 2>&1 ||
		{ apt-get update -q >/dev/null && (cd "$tmp" && apt-get download -q irqbalance) >"$MSIA_OUT/apt-irqbalance.log" 2>&1; } ||
		{ rm -rf "$tmp"; cat "$MSIA_OUT/apt-irqbalance.log"; msia_die "cannot download irqbalance"; }
	rm -rf "$dir"
	dpkg-deb -x "$tmp"/irqbalance_*.deb "$dir"
	basename "$tmp"/irqbalance_*.deb >"$dir/.deb"
	rm -rf "$tmp"
	msia_log "irqbalance unpacked into $dir ($(cat "$dir/.deb"))"
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
	fetch_irqbalance
	"$MSIA_TOP/scripts/deb13.sh" >/dev/null
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
fetch_irqbalance
# Debian 13's kernels, in their own root (made once, kept in the cache).
"$MSIA_TOP/scripts/deb13.sh" >/dev/null
for s in $MSIA_DEB13_SERIES; do
	msia_kver "$s" >/dev/null || msia_die "no Debian 13 $s kernel with headers in $MSIA_DEB13_ROOT"
done
