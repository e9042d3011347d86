#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make selftest: the in-guest kselftests, one guest boot for each file in
# selftests/boots/ (but those marked on_demand=1), which describes the
# whole boot: the kernel series, the APIC mode (-smp 4 gives logical
# flat on 6.1, -smp 4,maxcpus=9 physical flat), QEMU's CPU and devices,
# kernel arguments, the plan of tests and its cycles.  Fails on any
# "not ok", on a guest that did not finish, or on a kernel panic.
#
# MSIA_SELFTEST_KERNELS: the series to boot (default: all supported).
. "$(dirname "$0")/lib.sh"

kernels=${MSIA_SELFTEST_KERNELS:-$MSIA_SERIES}

rc=0
for f in "$MSIA_TOP"/selftests/boots/*; do
	name=$(basename "$f")
	case "$name" in *[!a-z0-9.-]*) continue ;; esac	# editor backups
	# Run alone, by scripts/vm.sh --boot NAME.
	! grep -qx 'on_demand=1' "$f" || continue
	series=$(sed -n 's/^series=//p' "$f")
	case " $kernels " in *" $series "*) ;; *) continue ;; esac
	msia_kver "$series" >/dev/null || { msia_log "no $series kernel for boot $name"; rc=1; continue; }
	MSIA_KO_DIR= msia_boot "selftest-$name" --boot "$name" "$@" || rc=1
done
exit $rc
