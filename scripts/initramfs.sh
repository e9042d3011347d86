#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test initramfs: busybox-static, the storage drivers of the
# Debian test kernel, the project's modules and selftests/.
# Usage: initramfs.sh KVER OUTPUT
# KVER "builtin": a kernel with the drivers built in, no modules copied.
# MSIA_KO_DIR: where the project's modules are (default: this tree);
# MSIA_PARAMS_HELPER: the loader's parameter helper (default: tools/).
. "$(dirname "$0")/lib.sh"

kv=$1 out=$2 kodir=${MSIA_KO_DIR:-$MSIA_TOP}
root="$MSIA_OUT/initramfs.root"
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,dev,tmp,lib/modules,etc/msia,msia}
cp /bin/busybox "$root/bin/busybox"

# Storage drivers and their dependencies, in load order.
: >"$root/etc/msia/modules"
[ "$kv" = builtin ] || for m in ahci sd_mod virtio_pci virtio_blk nvme virtio_rng; do
	modprobe -S "$kv" --show-depends "$m" 2>/dev/null
done | awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r p; do
	case "$p" in *.xz) xz -dc "$p" >"$root/lib/modules/$(basename "$p" .xz)"; p=${p%.xz} ;;
		     *) cp "$p" "$root/lib/modules/" ;; esac
	basename "$p" >>"$root/etc/msia/modules"
done
[ "$kv" = builtin ] || [ -s "$root/etc/msia/modules" ] || msia_die "no storage modules found for $kv"

for ko in "$kodir/msi_affinity.ko" "$kodir/selftests/edu/msia_edu.ko"; do
	[ -f "$ko" ] || msia_die "$ko not built"
	cp "$ko" "$root/msia/"
done
# The loader's parameter helper: the packaged copy when the package is
# under test (MSIA_PARAMS_HELPER), else this tree's.
cp "${MSIA_PARAMS_HELPER:-$MSIA_TOP/tools/msi-affinity-params}" "$root/msia/msi-affinity-params"
# One finit_module() per load, for tests that judge a single attempt.
gcc -static -Os -Wall -o "$root/bin/finit" "$MSIA_TOP/selftests/guest/finit.c" ||
	msia_die "cannot build the static finit helper (libc6-dev)"
mkdir -p "$root/selftests"
cp -r "$MSIA_TOP"/selftests/*.sh "$MSIA_TOP/selftests/guest" "$MSIA_TOP/selftests/plans" "$root/selftests/"
cp "$MSIA_TOP/selftests/guest/init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
