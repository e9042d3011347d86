#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: msi-affinity-dkms_<VERSION>_all.deb, built from what git
# tracks by Debian's own tools (debhelper, dh-dkms), then checked by
# lintian.  The package lands in out/deb/.
#   deb.sh         build and lintian
#   deb.sh test    build, install with apt, check DKMS's modules for each
#                  kernel, boot one with the packaged module, purge
. "$(dirname "$0")/lib.sh"

ver=$(cat "$MSIA_TOP/VERSION")
dir="$MSIA_OUT/deb"
deb="$dir/msi-affinity-dkms_${ver}_all.deb"

build() {
	local src="$dir/msi-affinity-$ver"
	rm -rf "$dir"
	mkdir -p "$src"
	# A clean copy: the build must not see this tree's objects or output.
	(cd "$MSIA_TOP" && git ls-files --cached --others --exclude-standard) |
		grep -vE '^(out|\.ci)/' | (cd "$MSIA_TOP" && xargs cp --parents -t "$src")
	(cd "$src" && dpkg-buildpackage -b -us -uc) >"$dir/build.log" 2>&1 ||
		{ tail -20 "$dir/build.log"; msia_die "dpkg-buildpackage failed (see $dir/build.log)"; }
	[ -f "$deb" ] || msia_die "no $deb"
	# Errors and warnings fail; the overrides, each with its reason, are in
	# debian/.
	lintian --fail-on error,warning "$dir"/msi-affinity_*.changes >"$dir/lintian.log" 2>&1 ||
		{ cat "$dir/lintian.log"; msia_die "lintian: see $dir/lintian.log"; }
	msia_log "built $deb"
}

case "${1:-}" in
"") build; cat "$dir/lintian.log" ;;
test) build; "$MSIA_TOP/scripts/deb_test.sh" "$deb" ;;
*) msia_die "usage: deb.sh [test]" ;;
esac
