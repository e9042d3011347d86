#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The same Kbuild and Kconfig dropped into a 6.1 tree at
# drivers/pci/msi_affinity/, with one line each in the parent Kconfig and
# Makefile, built with Debian's configuration as =m and as =y.
. "$(dirname "$0")/lib.sh"

kv=$(msia_kver)
src=$(msia_kernel_source)
# A hard-linked copy, so the KUnit tree stays as it is; files edited
# here are rewritten (sed -i), which breaks their link.
tree="$MSIA_CACHE/intree-src"
build="$MSIA_CACHE/intree-build"
if [ ! -f "$tree/.msia-version" ] || ! cmp -s "$tree/.msia-version" "$src/.msia-version"; then
	rm -rf "$tree" "$build"
	cp -al "$src" "$tree"
	# Only drivers/pci carries the project here, not the KUnit link.
	rm -f "$tree/drivers/misc/msi_affinity"
	sed -i '/drivers\/misc\/msi_affinity\/Kconfig/d' "$tree/drivers/misc/Kconfig"
	sed -i '/^obj-y += msi_affinity\/$/d' "$tree/drivers/misc/Makefile"
fi
ln -sfn "$MSIA_TOP" "$tree/drivers/pci/msi_affinity"
grep -q 'drivers/pci/msi_affinity/Kconfig' "$tree/drivers/pci/Kconfig" ||
	sed -i 's|^source "drivers/pci/switch/Kconfig"$|&\nsource "drivers/pci/msi_affinity/Kconfig"|' "$tree/drivers/pci/Kconfig"
grep -q 'msi_affinity/' "$tree/drivers/pci/Makefile" ||
	sed -i '$a obj-y += msi_affinity/' "$tree/drivers/pci/Makefile"

mkdir -p "$build"
p=0 f=0
result() {
	if [ "$2" = 0 ]; then p=$((p + 1)); echo "ok - in-tree: $1"
	else f=$((f + 1)); echo "not ok - in-tree: $1 (see $MSIA_OUT/intree.log)"; fi
}

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

: >"$MSIA_OUT/intree.log"
rc=0
{ configure m && make -s -C "$tree" O="$build" -j"$(nproc)" modules_prepare &&
	make -s -C "$tree" O="$build" -j"$(nproc)" drivers/pci/msi_affinity/msi_affinity.ko &&
	test -f "$build/drivers/pci/msi_affinity/msi_affinity.ko"; } >>"$MSIA_OUT/intree.log" 2>&1 || rc=1
result "drivers/pci/msi_affinity as =m gives msi_affinity.ko" $rc

rc=0
{ configure y && make -s -C "$tree" O="$build" -j"$(nproc)" drivers/pci/msi_affinity/ &&
	nm "$build/drivers/pci/msi_affinity/built-in.a" | grep -q ' msia_migrate$'; } >>"$MSIA_OUT/intree.log" 2>&1 || rc=1
result "drivers/pci/msi_affinity as =y links the module into built-in.a" $rc

mkdir -p "$MSIA_OUT/counts"
echo "$p $f 0" >"$MSIA_OUT/counts/intree"
[ $f -eq 0 ]
