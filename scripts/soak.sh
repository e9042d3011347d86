#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak: the full logical selftest plan, MSIA_SOAK_RUNS times
# (default 10), every other run with a CPU hog per host core beside the
# guest, which stretches every window between two vCPUs.  Prints each
# run's edu losses split into hooked windows (msi_affinity served, moved
# or last wrote the interrupt: a defect) and stock windows (the kernel's
# own paths: a finding about the kernel), and a summary line.  Fails if
# any run lost an interrupt in a hooked window or failed a test.
#
# KVER picks the kernel (default 6.1); MSIA_SOAK_ARGS adds kernel
# arguments, for example msia.rearm=1 to re-arm the injection all
# through load_cycles.
. "$(dirname "$0")/lib.sh"

runs=${MSIA_SOAK_RUNS:-10}
kv=$(msia_kver) || msia_die "no ${KVER:-6.1} kernel"
dir="$MSIA_OUT/soak"
rm -rf "$dir"
mkdir -p "$dir"
hogs=()
stop_hogs() {
	[ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true
	wait "${hogs[@]}" 2>/dev/null || true	# killed: status 143
	hogs=()
}
trap stop_hogs EXIT

tot_h=0 tot_s=0 tot_l=0 bad=0
printf '%-4s %-4s %8s %6s %8s %8s %6s %6s %s\n' run hog raised late lost hooked stock not_ok time
for i in $(seq 1 "$runs"); do
	hog=no
	if [ $((i % 2)) -eq 0 ]; then
		hog=yes
		for _ in $(seq 1 "$(nproc)"); do
			(while :; do :; done) &
			hogs+=($!)
		done
	fi
	t0=$SECONDS
	KVER=$kv MSIA_OUT=$dir msia_vm "run$i" --smp 4 --plan test --cycles 200 \
		--append "msia.load_cycles=200 ${MSIA_SOAK_ARGS:-}" 2>"$dir/run$i.log" >/dev/null
	stop_hogs
	tap="$dir/run$i.tap"
	# Both load_cycles and the hotplug stress report their split.
	split=$(msia_summary '\(load_cycles\|hotplug\)' "$tap")
	h=$(echo "$split" | msia_sum lost_hooked)
	s=$(echo "$split" | msia_sum lost_stock)
	late=$(echo "$split" | msia_sum late)
	r=$(msia_summary load_cycles "$tap" | msia_sum raised)
	n=$(grep -c '^not ok' "$tap" || true)
	grep -q '^# msia: done' "$tap" || n=$((n + 1))
	printf '%-4s %-4s %8s %6s %8s %8s %6s %6s %ss\n' "$i" "$hog" "${r:-?}" "$late" $((h + s)) "$h" "$s" "$n" $((SECONDS - t0))
	grep '^# edu loss' "$tap" | sed 's/^/     /' || true
	grep '^not ok' "$tap" | sed 's/^/     /' || true
	tot_h=$((tot_h + h)) tot_s=$((tot_s + s)) tot_l=$((tot_l + late))
	[ "$h" -eq 0 ] && [ "$n" -eq 0 ] || bad=$((bad + 1))
done
echo "soak: $runs runs on $kv ($((runs / 2)) with a host CPU hog): lost in hooked windows $tot_h, in stock windows $tot_s, late $tot_l, failed runs $bad"
[ "$bad" -eq 0 ]
