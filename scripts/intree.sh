#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The same Kbuild and Kconfig dropped into each supported kernel's tree at
# drivers/pci/msi_affinity/, with one line each in the parent Kconfig and
# Makefile, built with Debian's configuration as =m and as =y.
. "$(dirname "$0")/lib.sh"

: >"$MSIA_OUT/intree.log"

# unexported KO KVER: list the symbols KO needs that KVER does not
# export; fails if there is any
unexported() {
	local missing
	missing=$(nm -u "$1" | awk '{print $2}' | sort -u |
		comm -23 - <(awk '{print $2}' "/usr/src/linux-headers-$2/Module.symvers" | sort -u))
	[ -z "$missing" ] || { echo "not exported by $2: $missing"; return 1; }
}

# intree SERIES: both builds in that series' tree (6.1 keeps the
# unsuffixed cache names it always had).
intree() {
	local series=$1 sfx= kv src tree build rc
	[ "$series" = 6.1 ] || sfx=-$series
	kv=$(msia_kver "$series")
	src=$(msia_kernel_source "$series")
	# A hard-linked copy, so the KUnit tree stays as it is; files edited
	# here are rewritten (sed -i), which breaks their link.
	tree="$MSIA_CACHE/intree-src$sfx"
	build="$MSIA_CACHE/intree-build$sfx"
	if [ ! -f "$tree/.msia-version" ] || ! cmp -s "$tree/.msia-version" "$src/.msia-version"; then
		rm -rf "$build"
		# Only drivers/pci carries the project here, not the KUnit link.
		msia_linked_tree "$src" "$tree"
	fi
	ln -sfn "$MSIA_TOP" "$tree/drivers/pci/msi_affinity"
	grep -q 'drivers/pci/msi_affinity/Kconfig' "$tree/drivers/pci/Kconfig" ||
		sed -i 's|^source "drivers/pci/switch/Kconfig"$|&\nsource "drivers/pci/msi_affinity/Kconfig"|' "$tree/drivers/pci/Kconfig"
	grep -q 'msi_affinity/' "$tree/drivers/pci/Makefile" ||
		sed -i '$a obj-y += msi_affinity/' "$tree/drivers/pci/Makefile"

	mkdir -p "$build"

	# configure VALUE: Debian's config with MSI_AFFINITY=VALUE; no signing
	# keys or BTF, which need files and tools this tree does not have.
	configure() {
		[ -f "$build/.config" ] || cp "/boot/config-$kv" "$build/.config"
		"$tree/scripts/config" --file "$build/.config" \
			--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" \
			--disable DEBUG_INFO_BTF --disable MODULE_SIG_ALL \
			--set-val MSI_AFFINITY "$1"
		make -s -C "$tree" O="$build" olddefconfig
		grep -q "^CONFIG_MSI_AFFINITY=$1$" "$build/.config"
	}

	# One module is built without vmlinux, which 6.12's modpost then
	# cannot resolve against: its unresolved-symbol errors become
	# warnings, and instead every symbol the module leaves undefined must
	# be one the kernel Debian built exports (its Module.symvers).
	rc=0
	{ configure m && make -s -C "$tree" O="$build" -j"$(nproc)" modules_prepare &&
		KBUILD_MODPOST_WARN=1 make -s -C "$tree" O="$build" -j"$(nproc)" \
			drivers/pci/msi_affinity/msi_affinity.ko &&
		test -f "$build/drivers/pci/msi_affinity/msi_affinity.ko" &&
		unexported "$build/drivers/pci/msi_affinity/msi_affinity.ko" "$kv"; } >>"$MSIA_OUT/intree.log" 2>&1 || rc=1
	msia_result in-tree "$series: drivers/pci/msi_affinity as =m gives msi_affinity.ko, using only exported symbols" $rc

	rc=0
	{ configure y && make -s -C "$tree" O="$build" -j"$(nproc)" drivers/pci/msi_affinity/ &&
		nm "$build/drivers/pci/msi_affinity/built-in.a" | grep -q ' msia_migrate$'; } >>"$MSIA_OUT/intree.log" 2>&1 || rc=1
	msia_result in-tree "$series: drivers/pci/msi_affinity as =y links the module into built-in.a" $rc
}

for s in $MSIA_HOST_SERIES; do
	intree "$s"
done
[ $MSIA_F -eq 0 ] || msia_log "in-tree: see $MSIA_OUT/intree.log"
msia_counts intree $MSIA_P $MSIA_F
[ $MSIA_F -eq 0 ]
