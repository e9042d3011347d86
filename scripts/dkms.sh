#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make dkms-install / dkms-remove, and the test that builds the module
# through Debian's dkms for every supported kernel (6.1 and 6.12).
#   dkms.sh install [KVER...] | remove | test
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

run_test() {
	local kv kvs=() s p=0 f=0 ko
	for s in $MSIA_SERIES; do kvs+=("$(msia_kver "$s")"); done
	check() {
		if "${@:2}"; then p=$((p + 1)); echo "ok - dkms: $1"
		else f=$((f + 1)); echo "not ok - dkms: $1"; fi
	}
	install "${kvs[@]}" >"$MSIA_OUT/dkms.log" 2>&1 || true
	for kv in "${kvs[@]}"; do
		check "dkms build and install for $kv" grep -q "$name/$ver.*$kv.*installed" <(dkms status -m "$name" 2>&1)
		ko=$(find "/lib/modules/$kv/updates/dkms" -name "$name.ko*" 2>/dev/null | head -1)
		check "module in /lib/modules/$kv/updates/dkms" test -n "$ko"
		check "modinfo: license GPL ($kv)" grep -qx 'GPL' <(modinfo -F license "$ko" 2>/dev/null)
		check "modinfo: vermagic $kv" grep -q "^$kv " <(modinfo -F vermagic "$ko" 2>/dev/null)
		check "the edu test driver is not installed ($kv)" test -z "$(find /lib/modules/"$kv"/updates -name 'msia_edu.ko*')"
	done
	remove >>"$MSIA_OUT/dkms.log" 2>&1 || true
	check "dkms remove" test -z "$(dkms status -m "$name" 2>/dev/null)" -a ! -e "$dest"
	[ $f -eq 0 ] || tail -30 "$MSIA_OUT/dkms.log"
	mkdir -p "$MSIA_OUT/counts"
	echo "$p $f 0" >"$MSIA_OUT/counts/dkms"
	[ $f -eq 0 ]
}

case "${1:-}" in
install) shift; install "$@" ;;
remove) remove ;;
test) run_test ;;
*) msia_die "usage: dkms.sh install [KVER...] | remove | test" ;;
esac
