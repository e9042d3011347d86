#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian 13 root: trixie made with debootstrap into the cache, with
# Debian 13's own 6.12 kernel and the newest 7.x of trixie-backports,
# images and headers, gcc-14 and dkms.  The 7.x headers need gcc-14 and
# a newer libc than Debian 12 has, so modules for Debian 13's kernels
# are built inside this root, exactly as DKMS builds them on a Debian 13
# machine; the guests boot the images it holds.
#
# Built once per machine (about 4 min, 1.4 GB); each series is the newest
# build Debian carries when the root is made.  MSIA_DEB13_REFRESH=1
# builds it again.  Nothing is written into the host's apt configuration.
#
# Usage: deb13.sh            make the root if missing, print its path
#        deb13.sh kvers      print its kernel releases, one a line
. "$(dirname "$0")/lib.sh"

root=$MSIA_DEB13_ROOT
# What a Debian 13 user building the module has besides the kernels:
# gcc-14 and make for Kbuild, dkms (and openssl, with which dkms makes
# its signing key) for the package test, trixie's QEMU for the guests.
tools=(make gcc-14 dkms openssl kmod xz-utils zstd qemu-system-x86)

make_root() {
	local tmp=$root.tmp log=$MSIA_OUT/deb13-root.log rel7
	command -v debootstrap >/dev/null || msia_die "debootstrap is missing (make deps installs it)"
	[ "$(id -u)" = 0 ] || msia_die "need root to make the Debian 13 root"
	msia_log "making the Debian 13 root in $root (once per machine; log: $log)"
	umount "$tmp/proc" 2>/dev/null || true
	rm -rf "$tmp"
	debootstrap --variant=minbase trixie "$tmp" http://deb.debian.org/debian >"$log" 2>&1 ||
		{ tail -20 "$log"; msia_die "debootstrap of trixie failed"; }
	rm -f "$tmp/etc/apt/sources.list"
	cat >"$tmp/etc/apt/sources.list.d/debian.sources" <<-'SRC'
	Types: deb
	URIs: http://deb.debian.org/debian
	Suites: trixie trixie-updates trixie-backports
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb
	URIs: http://deb.debian.org/debian-security
	Suites: trixie-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	SRC
	cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
	msia_in_root "$tmp" apt-get update -q >>"$log" 2>&1 || { tail -20 "$log"; msia_die "apt-get update in the Debian 13 root failed"; }
	# 7.x: the newest release in trixie-backports, found now, never pinned.
	rel7=$(msia_in_root "$tmp" apt-cache search --names-only '^linux-headers-7\.[0-9.]*\+deb13-amd64$' |
		awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -1)
	[ -n "$rel7" ] || msia_die "no 7.x kernel in trixie-backports"
	# 6.12: trixie's own metapackages, which follow its newest build.
	msia_in_root "$tmp" apt-get install -y -q --no-install-recommends \
		linux-image-amd64 linux-headers-amd64 "${tools[@]}" >>"$log" 2>&1 ||
		{ tail -20 "$log"; msia_die "installing Debian 13's 6.12 failed"; }
	# 7.x with what it needs from backports (a newer linux-base), and
	# nothing else taken from there.
	msia_in_root "$tmp" apt-get install -y -q --no-install-recommends -t trixie-backports \
		"linux-image-$rel7" "linux-headers-$rel7" >>"$log" 2>&1 ||
		{ tail -20 "$log"; msia_die "installing $rel7 from trixie-backports failed"; }
	msia_in_root "$tmp" apt-get clean
	mv "$tmp" "$root"
	msia_log "Debian 13 root ready: $(kvers | tr '\n' ' ')"
}

# kvers: the root's kernel releases that have headers
kvers() {
	local d
	for d in "$root"/usr/lib/modules/*; do
		[ -f "$d/build/Makefile" ] && basename "$d"
	done | sort -V
}

# add_tools: install what a root made by an earlier version lacks
add_tools() {
	local t missing=() log=$MSIA_OUT/deb13-root.log
	for t in "${tools[@]}"; do
		msia_in_root "$root" dpkg-query -W -f='${Status}\n' "$t" 2>/dev/null |
			grep -qx 'install ok installed' || missing+=("$t")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	msia_log "Debian 13 root: installing ${missing[*]}"
	{ msia_in_root "$root" apt-get update -q &&
		msia_in_root "$root" apt-get install -y -q --no-install-recommends "${missing[@]}" &&
		msia_in_root "$root" apt-get clean; } >"$log" 2>&1 ||
		{ tail -20 "$log"; msia_die "installing ${missing[*]} in the Debian 13 root failed"; }
}

# add_source7: 7.x's linux-source, from trixie-backports like its image,
# for KUnit on 7.x
add_source7() {
	local s7 log=$MSIA_OUT/deb13-root.log
	s7=$(kvers | sed -n 's/^\(7\.[0-9]*\)\..*/\1/p' | tail -1)
	[ -n "$s7" ] || msia_die "no 7.x kernel in the Debian 13 root"
	[ ! -f "$root/usr/src/linux-source-$s7.tar.xz" ] || return 0
	msia_log "Debian 13 root: installing linux-source-$s7"
	{ msia_in_root "$root" apt-get update -q &&
		msia_in_root "$root" apt-get install -y -q --no-install-recommends -t trixie-backports \
			"linux-source-$s7" &&
		msia_in_root "$root" apt-get clean; } >"$log" 2>&1 ||
		{ tail -20 "$log"; msia_die "installing linux-source-$s7 in the Debian 13 root failed"; }
}

if [ "${MSIA_DEB13_REFRESH:-0}" = 1 ] || [ ! -d "$root/usr/lib/modules" ]; then
	[ ! -d "$root" ] || rm -rf "$root"
	make_root
fi
add_tools
add_source7
case "${1:-}" in
"") echo "$root" ;;
kvers) kvers ;;
*) msia_die "usage: deb13.sh [kvers]" ;;
esac
