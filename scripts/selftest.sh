#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make selftest: the in-guest kselftests on every supported kernel, once
# per APIC mode (-smp 4 gives logical flat, -smp 4,maxcpus=9 physical
# flat), plus a boot with interrupt remapping.  Fails on any "not ok",
# on a guest that did not finish, or on a kernel panic.
#
# MSIA_SELFTEST_KERNELS: the series to boot (default: all supported).
. "$(dirname "$0")/lib.sh"

# name:kernel series:-smp:hotplug and load cycles:plan[:qemu extra:append]
# Logical mode on 6.1 runs every test with 200 hotplug and 200
# load/unload cycles, and physical mode what depends on the message
# format.  x86_64 dropped logical flat mode after 6.1, so 6.12 has one
# APIC mode (physical flat, whatever -smp says): it runs every test,
# with 50 hotplug and 50 load/unload cycles.  That keeps a repeated
# make test within its budget (README).  The clients boots run software
# nobody here wrote (irqbalance, the kernel's cpu-on-off-test.sh) and
# seed 000's xhci in MSI mode, on both kernels.  Debian 13's kernels
# (its own 6.12 and trixie-backports' 7.x, from the Debian 13 root) run
# every test once, and 7.x its remapped and clients boots too.
boots=(
	"logical:6.1:4:200:test"
	"physical:6.1:4,maxcpus=9:30:physical"
	"remapped:6.1:4::remapped"
	"physical-6.12:6.12:4,maxcpus=9:50:test"
	"remapped-6.12:6.12:4::remapped"
	"amd-k8:6.1:4::amdk8"
	"clients:6.1:4::clients"
	"clients-6.12:6.12:4::clients"
	"physical-6.12-deb13:6.12-deb13:4,maxcpus=9:50:test"
	"physical-7:7:4,maxcpus=9:50:test"
	"remapped-7:7:4::remapped"
	"clients-7:7:4::clients"
)
kernels=${MSIA_SELFTEST_KERNELS:-$MSIA_SERIES}

rc=0
for b in "${boots[@]}"; do
	IFS=: read -r name series smp cycles plan <<<"$b"
	case " $kernels " in *" $series "*) ;; *) continue ;; esac
	kv=$(msia_kver "$series") || { msia_log "no $series kernel"; rc=1; continue; }
	args=(--smp "$smp" --plan "$plan")
	[ -n "$cycles" ] && args+=(--cycles "$cycles" --append "msia.load_cycles=$cycles")
	if [ "$plan" = remapped ]; then
		args+=(--qemu "-device intel-iommu,intremap=on" --append intel_iommu=on)
	fi
	[ "$plan" = clients ] && args+=(--usb --nic)
	# QEMU's default CPU model, AMD family 0xf, for the kernel bug that
	# every other boot avoids (vm.sh).
	cpu=
	# 30 s: about 90 bring-ups; one such run on 6.1 lost 9 writes.
	[ "$plan" = amdk8 ] && cpu=qemu64 && args+=(--append msia.cf8_ms=30000)
	tap="$MSIA_OUT/selftest-$name.tap" con="$MSIA_OUT/selftest-$name.console"
	KVER=$kv MSIA_KO_DIR= MSIA_CPU=$cpu "$MSIA_TOP/scripts/vm.sh" "${args[@]}" --console "$con" "$@" |
		tr -d '\r' | tee "$tap" | sed "s/^/  [$name] /"
	msia_count_tap "$name" "$tap" "$con" || rc=1
done
exit $rc
