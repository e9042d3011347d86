#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the project needs from Debian's packages, only what is
# missing, and say what.  Idempotent; run by make before anything else.
#
# The 6.12 kernel comes from Debian's bookworm-backports, named by its
# exact version.  The archive is added at apt's default backports
# priority (100: nothing installed is ever upgraded from it), and a pin
# holds linux-source-6.12 at that same version, which bookworm-security
# also carries in newer releases.  A plain "apt-get -t bookworm-backports
# install" would raise the whole archive's priority and upgrade the
# linux-headers-amd64 metapackage too, so it is never used.
. "$(dirname "$0")/lib.sh"

K612=6.12.95+deb12
K612_VER=6.12.95-1~bpo12+1
BPO_LIST=/etc/apt/sources.list.d/msi-affinity-bookworm-backports.sources
BPO_PIN=/etc/apt/preferences.d/msi-affinity-linux-612.pref

pkgs=(
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	"linux-image-$K612-amd64" "linux-headers-$K612-amd64"
	"linux-source-6.12=$K612_VER"
	qemu-system-x86 busybox-static cpio xz-utils zstd kmod
	gcc libc6-dev make bc bison flex libelf-dev libssl-dev python3 sparse
	dkms python3-docutils debhelper dh-dkms lintian
	libglib2.0-0 libnuma1 libcap-ng0 libsystemd0 bash
)
[ "${1:-}" = "--bench" ] && pkgs+=(gnuplot-nox)

installed() {
	local name=${1%%=*} ver=${1#*=} have
	have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null) || return 1
	case "$have" in "install ok installed "*) ;; *) return 1 ;; esac
	[ "$name" = "$1" ] || [ "${have##* }" = "$ver" ]
}

# write_if_changed FILE: standard input to FILE, only if it differs
write_if_changed() {
	local tmp
	tmp=$(mktemp)
	cat >"$tmp"
	if cmp -s "$tmp" "$1"; then rm -f "$tmp"; return 1; fi
	[ "$(id -u)" = 0 ] || msia_die "need root to write $1"
	mv "$tmp" "$1" && chmod 644 "$1"
}

apt_changed=0
write_if_changed "$BPO_LIST" <<'SRC' && apt_changed=1
# Added by msi_affinity's scripts/deps.sh for the 6.12 test kernel.
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
write_if_changed "$BPO_PIN" <<PIN || true
# Added by msi_affinity's scripts/deps.sh: keep the 6.12 source at the
# release of the 6.12 test kernel, and backports at its default priority.
Package: linux-source-6.12
Pin: version $K612_VER
Pin-Priority: 1001

Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100
PIN

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
if [ ${#missing[@]} -eq 0 ]; then
	fetch_irqbalance
	exit 0
fi
msia_log "installing: ${missing[*]}"
[ "$(id -u)" = 0 ] || msia_die "need root to install: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >"$MSIA_OUT/apt.log" 2>&1 ||
	{ tail -20 "$MSIA_OUT/apt.log"; msia_die "apt-get install failed"; }
for s in $MSIA_SERIES; do
	msia_kver "$s" >/dev/null || msia_die "no Debian $s kernel with headers after install"
done
msia_log "installed: ${missing[*]}"
fetch_irqbalance
