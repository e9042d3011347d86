#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the stock kernel, msi_affinity mode=safe and mode=direct
# measured side by side in each boot, over MSIA_BOOTS boots (5): config
# accesses and time per migration by kind, interrupts lost under
# injection and under the hotplug stress, and the time to offline a CPU
# that hosts 32 and 128 vectors.  Prints a table, writes
# bench/results.json and bench/bench.png.
. "$(dirname "$0")/lib.sh"

boots=${MSIA_BOOTS:-5}
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

for b in $(seq 1 "$boots"); do
	msia_log "bench boot $b/$boots"
	"$MSIA_TOP/scripts/vm.sh" --plan bench --cycles "$cycles" \
		--append "msia.moves=$moves msia.msix_moves=$msix_moves" \
		--qemu "$extra" --timeout 1800 --console "$MSIA_OUT/bench-$b.console" |
		tr -d '\r' >"$MSIA_OUT/bench-$b.tap"
	grep -q '^# msia: done' "$MSIA_OUT/bench-$b.tap" ||
		msia_die "bench boot $b did not finish, see $MSIA_OUT/bench-$b.console"
done

python3 "$MSIA_TOP/scripts/bench_report.py" "$dir" "$MSIA_OUT"/bench-*.tap
gnuplot "$dir/bench.gp" && msia_log "plot: $dir/bench.png"
