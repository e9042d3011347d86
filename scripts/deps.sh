#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the project needs from Debian's packages, only what is
# missing, and say what.  Idempotent; run by make before anything else.
. "$(dirname "$0")/lib.sh"

pkgs=(
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	qemu-system-x86 busybox-static cpio xz-utils kmod
	gcc libc6-dev make bc bison flex libelf-dev libssl-dev python3 sparse
	dkms python3-docutils
)
[ "${1:-}" = "--bench" ] && pkgs+=(gnuplot-nox)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
msia_log "installing: ${missing[*]}"
[ "$(id -u)" = 0 ] || msia_die "need root to install: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >"$MSIA_OUT/apt.log" 2>&1 ||
	{ tail -20 "$MSIA_OUT/apt.log"; msia_die "apt-get install failed"; }
msia_kver >/dev/null || msia_die "no Debian 6.1 kernel with headers after install"
msia_log "installed: ${missing[*]}"
