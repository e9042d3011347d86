#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make dkms-install / dkms-remove: the module through Debian's dkms,
# straight from this tree (the Debian package's test, deb_test.sh,
# checks what DKMS builds for every kernel).
#   dkms.sh install [KVER...] | remove
. "$(dirname "$0")/lib.sh"

name=msi_affinity
ver=$(cat "$MSIA_TOP/VERSION")
dest=/usr/src/$name-$ver

install() {
	local kv kvs=("$@")
	[ ${#kvs[@]} -gt 0 ] || kvs=("$(msia_kver)")
	remove
	mkdir -p "$dest"
	# The sources dkms builds: what git tracks, without the tests' output.
	(cd "$MSIA_TOP" && git ls-files --cached --others --exclude-standard 2>/dev/null || find . -type f -not -path './out/*' -not -path './.git/*') |
		grep -vE '^(out|\.ci)/' | (cd "$MSIA_TOP" && xargs cp --parents -t "$dest")
	# What dh_dkms -V does for the Debian package.
	sed -i "s/#MODULE_VERSION#/$ver/" "$dest/dkms.conf"
	dkms add -m "$name" -v "$ver" >/dev/null
	for kv in "${kvs[@]}"; do
		dkms build -m "$name" -v "$ver" -k "$kv"
		dkms install -m "$name" -v "$ver" -k "$kv"
	done
}

remove() {
	if dkms status -m "$name" -v "$ver" 2>/dev/null | grep -q .; then
		dkms remove -m "$name" -v "$ver" --all >/dev/null
	fi
	rm -rf "$dest"
}

case "${1:-}" in
install) shift; install "$@" ;;
remove) remove ;;
*) msia_die "usage: dkms.sh install [KVER...] | remove" ;;
esac
