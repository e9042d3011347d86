#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test initramfs: busybox-static, the storage drivers of the
# Debian test kernel, the project's modules and selftests/.
# Usage: initramfs.sh KVER OUTPUT
# KVER "builtin": a kernel with the drivers built in, no modules copied.
# MSIA_KO_DIR: where the project's modules are (default: this tree);
# MSIA_PARAMS_HELPER: the loader's parameter helper (default: tools/).
# MSIA_CHECK_TOOL: msi-affinity-check (default: tools/).
. "$(dirname "$0")/lib.sh"

kv=$1 out=$2 kodir=${MSIA_KO_DIR:-$MSIA_TOP}
# A Debian 13 kernel's modules are in the Debian 13 root.
kroot=$(msia_kroot "$kv")
modprobe_root=(modprobe ${kroot:+-d "$kroot"} -S "$kv")
root="$MSIA_OUT/initramfs.root"
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,dev,tmp,lib/modules,etc/msia,msia}
cp /bin/busybox "$root/bin/busybox"

# Storage drivers and their dependencies, in load order.
: >"$root/etc/msia/modules"
[ "$kv" = builtin ] || for m in ahci sd_mod virtio_pci virtio_blk nvme virtio_rng; do
	"${modprobe_root[@]}" --show-depends "$m" 2>/dev/null
done | awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r p; do
	case "$p" in *.xz) xz -dc "$p" >"$root/lib/modules/$(basename "$p" .xz)"; p=${p%.xz} ;;
		     *) cp "$p" "$root/lib/modules/" ;; esac
	basename "$p" >>"$root/etc/msia/modules"
done
[ "$kv" = builtin ] || [ -s "$root/etc/msia/modules" ] || msia_die "no storage modules found for $kv"
# USB (qemu-xhci and a usb-storage disk, when the boot has them) loads
# after the disks above have their names, so that sda stays AHCI's.
: >"$root/etc/msia/modules.late"
[ "$kv" = builtin ] || for m in xhci_pci usb_storage; do
	"${modprobe_root[@]}" --show-depends "$m" 2>/dev/null
done | awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r p; do
	[ -f "$root/lib/modules/$(basename "${p%.xz}")" ] && continue
	case "$p" in *.xz) xz -dc "$p" >"$root/lib/modules/$(basename "$p" .xz)"; p=${p%.xz} ;;
		     *) cp "$p" "$root/lib/modules/" ;; esac
	basename "$p" >>"$root/etc/msia/modules.late"
done

# Software nobody here wrote, run as users run it: Debian's bash (for
# the kernel's own cpu-on-off-test.sh, unmodified) and irqbalance, each
# with the libraries ldd names.
copy_prog() {
	local bin=$1 dest=$2 lib
	mkdir -p "$root$(dirname "$dest")"
	cp "$bin" "$root$dest"
	for lib in $(LD_LIBRARY_PATH=${3:-} ldd "$bin" | awk '$2 == "=>" {print $3} $1 ~ /^\// {print $1}'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_prog /bin/bash /bin/bash
# deps.sh fetches it; without it the irqbalance tests say they skipped.
if [ -x "$MSIA_CACHE/irqbalance/usr/sbin/irqbalance" ]; then
	copy_prog "$MSIA_CACHE/irqbalance/usr/sbin/irqbalance" /sbin/irqbalance
else
	msia_log "no irqbalance in $MSIA_CACHE/irqbalance (run make deps): its tests will skip"
fi
mkdir -p "$root/run/irqbalance" "$root/selftests/kernel"
series=$(msia_series "$kv")
[ -n "$series" ] || series=6.12	# a built-in kernel is the upstream 6.12 build
cp "$(msia_source_file "$series" tools/testing/selftests/cpu-hotplug/cpu-on-off-test.sh)" \
	"$root/selftests/kernel/cpu-on-off-test.sh"
chmod +x "$root/selftests/kernel/cpu-on-off-test.sh"

for ko in "$kodir/msi_affinity.ko" "$kodir/selftests/drivers/edu/msia_edu.ko"; do
	[ -f "$ko" ] || msia_die "$ko not built"
	cp "$ko" "$root/msia/"
done
# Built only for kernels with dynamic MSI-X; dyn_msix skips without it.
[ ! -f "$kodir/selftests/drivers/dynx/msia_dynx.ko" ] || cp "$kodir/selftests/drivers/dynx/msia_dynx.ko" "$root/msia/"
[ ! -f "$kodir/selftests/drivers/stack/msia_stack.ko" ] || cp "$kodir/selftests/drivers/stack/msia_stack.ko" "$root/msia/"
# The loader's parameter helper: the packaged copy when the package is
# under test (MSIA_PARAMS_HELPER), else this tree's.
cp "${MSIA_PARAMS_HELPER:-$MSIA_TOP/tools/msi-affinity-params}" "$root/msia/msi-affinity-params"
cp "${MSIA_CHECK_TOOL:-$MSIA_TOP/tools/msi-affinity-check}" "$root/msia/msi-affinity-check"
# One finit_module() per load, for tests that judge a single attempt.
finit=$MSIA_CACHE/finit-$(sha256sum "$MSIA_TOP/selftests/guest/finit.c" | cut -c1-16)
if [ ! -x "$finit" ]; then
	gcc -static -Os -Wall -o "$finit.tmp" "$MSIA_TOP/selftests/guest/finit.c" ||
		msia_die "cannot build the static finit helper (libc6-dev)"
	mv "$finit.tmp" "$finit"
fi
cp "$finit" "$root/bin/finit"
mkdir -p "$root/selftests"
cp -r "$MSIA_TOP/selftests/tests" "$MSIA_TOP/selftests/lib" "$MSIA_TOP/selftests/guest" \
	"$MSIA_TOP/selftests/plans" "$root/selftests/"
cp "$MSIA_TOP/selftests/guest/init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
