#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench counts MSI-X table accesses with the CPUs' data watchpoints
# (msia_edu's mmio file), per move.  Check that counter against counts
# it shares no code with, on virtio-rng's queue vector:
# - the stock kernel: the move runs in the ack of the next interrupt,
#   with the entry already masked by the irq core, so each message write
#   of __pci_write_msi_msg() is the three words and one read back.  A
#   move that changes CPU and vector writes the message twice: 6.1.192's
#   and 6.12.95's !irqd_can_reserve() test sends maskable MSI-X, which
#   has reservation mode, down the two-step path (the mirror image of
#   the bug this project fixes).  So 3 writes and 4 accesses per message
#   write, exactly;
# - msi_affinity: exactly the accesses its own counters say it made.
. /selftests/lib/lib.sh

rng=$(irq_of 'virtio[0-9]+-input')
[ -n "$rng" ] || { ksft_skip msix_mmio "no virtio-rng interrupt"; exit $KSFT_SKIP; }
[ "$(ncpus)" -ge 4 ] || { ksft_skip msix_mmio "needs 4 CPUs"; exit $KSFT_SKIP; }
msia_loaded && rmmod msi_affinity

# mmio_run TYPE N: N moves of rng's interrupt with the watchpoints armed
# for TYPE (w: writes, rw: reads and writes); prints "accesses moves
# stock", summed over the recorded moves, stock being what the stock
# kernel's code makes for those moves; "0 0 -1" if it could not arm
mmio_run() {
	echo "$rng" >$EDU/watch
	echo "$rng $1" >$EDU/mmio || { echo "0 0 -1"; return; }
	rng_moves "$rng" "$2"
	echo 0 >$EDU/mmio
	grep '^move' $EDU/bench | sed "s/^/# $1: /" >&2
	awk -v per="$([ "$1" = w ] && echo 3 || echo 4)" '$1 == "move" && $2 != "failed" {
		n += $4; m += $10; s += $4 * per * ($2 == "cpu+vector" ? 2 : 1)
	} END {print m + 0, n + 0, s + 0}' $EDU/bench
}
# module_acc: the module's own count of its accesses to rng's entry
module_acc() { awk -v i="$rng" '$1 == i {print $11 + $12}' $MSIA/managed; }

set -- $(mmio_run w 30)
echo "# stock: $1 table writes in $2 moves, $3 by its code"
ksft_check "stock: the watchpoints see 3 table writes per message write ($1 = $3)" \
	[ "$2" -gt 0 -a "$1" = "$3" ]
set -- $(mmio_run rw 30)
echo "# stock: $1 table accesses in $2 moves, $3 by its code"
ksft_check "stock: the watchpoints see 4 table accesses per message write ($1 = $3)" \
	[ "$2" -gt 0 -a "$1" = "$3" ]

msia_insmod || { ksft_fail "insmod msi_affinity.ko"; exit 1; }
if grep -q "^$rng [^ ]* msix " $MSIA/managed; then
	a0=$(module_acc)
	set -- $(mmio_run rw 30)
	a1=$(module_acc)
	echo "# msi_affinity: $1 table accesses in $2 moves by the watchpoints, $((a1 - a0)) by its own count"
	ksft_check "msi_affinity: the watchpoints count what the module counts ($1 = $((a1 - a0)))" \
		[ "$2" -gt 0 -a "$1" -gt 0 -a "$1" = $((a1 - a0)) ]
else
	ksft_fail "msi_affinity manages irq $rng as msix"
fi
rmmod msi_affinity
echo "$(edu_irq)" >$EDU/watch
ksft_finished
