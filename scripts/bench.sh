#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the stock kernel, msi_affinity mode=safe and mode=direct
# measured side by side in each boot, over MSIA_BOOTS boots (3) of each
# supported kernel: config
# accesses and time per migration by kind, interrupts lost under
# injection and under the hotplug stress, and the time to offline a CPU
# that hosts 32 and 128 vectors.  Prints a table per kernel, writes
# bench/<series>/results.json and bench.png.
. "$(dirname "$0")/lib.sh"

boots=${MSIA_BOOTS:-3}
moves=${MSIA_MOVES:-10000}
msix_moves=${MSIA_MSIX_MOVES:-1000}
cycles=${MSIA_CYCLES:-25}
dir="$MSIA_TOP/bench"
mkdir -p "$dir"

# 128 more edu functions (slots 8-23, 8 functions each) to load one CPU
# with vectors for the offline figure.
extra=
for slot in $(seq 8 23); do
	for fn in 0 1 2 3 4 5 6 7; do
		a=$(printf '%x.%d' "$slot" "$fn")
		[ "$fn" = 0 ] && a="$a,multifunction=on"
		extra="$extra -device edu,addr=$a"
	done
done

# Each supported kernel in turn (MSIA_BENCH_KERNELS to pick), with its
# results in bench/<series>/.
for series in ${MSIA_BENCH_KERNELS:-$MSIA_HOST_SERIES}; do
	kv=$(msia_kver "$series") || msia_die "no $series kernel"
	out="$dir/$series"
	mkdir -p "$out"
	rm -f "$MSIA_OUT"/bench-"$series"-*.tap
	for b in $(seq 1 "$boots"); do
		msia_log "bench $series boot $b/$boots"
		KVER=$kv MSIA_KO_DIR= msia_vm "bench-$series-$b" --plan bench --cycles "$cycles" \
			--append "msia.moves=$moves msia.msix_moves=$msix_moves" \
			--qemu "$extra" --timeout 1800 >/dev/null
		grep -q '^# msia: done' "$MSIA_OUT/bench-$series-$b.tap" ||
			msia_die "bench boot $b did not finish, see $MSIA_OUT/bench-$series-$b.console"
		! grep '^not ok' "$MSIA_OUT/bench-$series-$b.tap" ||
			msia_die "bench boot $b failed, see $MSIA_OUT/bench-$series-$b.tap"
	done
	python3 "$MSIA_TOP/scripts/bench_report.py" "$out" "$kv" "$MSIA_OUT"/bench-"$series"-*.tap
	gnuplot "$out/bench.gp" && msia_log "plot: $out/bench.png"
done
