#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A move's config write lost on its way, as the AMD bring-up race loses
# them (cf8_race), made on purpose: msia_edu's drop file turns the next
# write that changes edu's message address, or its data, into a write of
# the register's old value.  Each is lost in turn.
#
# Stock: the device keeps part of its old message while the kernel
# caches the new one (the detector works), unless the kernel writes
# that register again in the same move (the patched two-step move
# writes the data twice).  The stock kernel writes every register on
# each move, but x86 moves this interrupt only in its own ack, which
# the stale message no longer brings: it stays lost until something
# writes the message again, here a restore of the saved state
# (msia_edu's restore file, as after a reset).  msi_affinity writes
# only what changed: it reads back what it wrote, writes it again in
# the same move, and counts it (heals column, msi_affinity_heal).
. /selftests/lib/lib.sh

name=lost_write
TR=/sys/kernel/tracing
[ -d $TR/events ] || TR=/sys/kernel/debug/tracing
[ -f $EDU/drop ] || { ksft_skip $name "msia_edu has no drop file"; exit $KSFT_SKIP; }
irq=$(edu_irq)
heals() { awk -v i="$irq" '$1 == i {print $15}' $MSIA/managed; }
dropped() { awk '{print $4}' $EDU/drop; }
rewritten() { awk '{print $6}' $EDU/drop; }
stale() { awk '{print $2}' $EDU/stale; }
# lose REG: move edu's interrupt until a move loses its write of REG
# (lo or data; at most 8 moves); prints "dropped stale rewritten"
lose() {
	local d0 n=0
	d0=$(dropped)
	echo "$1" >$EDU/drop
	while [ "$(dropped)" = "$d0" ] && [ $n -lt 8 ]; do
		echo 1 >$EDU/migrate
		n=$((n + 1))
	done
	echo "$(($(dropped) - d0)) $(stale) $(rewritten)"
	echo none >$EDU/drop
	echo "# $name: $1 lost after $n moves: $(cat $EDU/stale)" >&2
}

msia_loaded && rmmod msi_affinity
# A stale message delivers to a vector that may belong to nobody.
ksft_expect_kmsg "No irq handler"
# The patched kernel's two-step move writes the data twice, which
# writes a lost data write again by chance: stale exactly when nothing
# wrote the register after the loss, and at least once in all.
stale_seen=0
for r in lo data; do
	set -- $(lose $r)
	want=$([ "$3" = 0 ] && echo 1 || echo 0)
	stale_seen=$((stale_seen + $2))
	ksft_check "$name: stock, a move's $r write lost: stale $2, written again after $3 times" \
		[ "$1" = 1 -a "$2" = "$want" ]
	echo 1 >$EDU/restore
	ksft_check "$name: stock, restoring the saved state writes the message again" [ "$(stale)" = 0 ]
done
ksft_check "$name: stock left a stale message at least once ($stale_seen)" [ $stale_seen -gt 0 ]

msia_insmod || { ksft_fail "$name: insmod msi_affinity"; exit 1; }
echo >$TR/trace
echo 1 >$TR/events/msi_affinity/msi_affinity_heal/enable
for r in lo data; do
	h0=$(heals)
	set -- $(lose $r)
	ksft_check "$name: msi_affinity, a move's $r write lost: healed in the same move (heals $h0 -> $(heals))" \
		[ "$1" = 1 -a "$2" = 0 -a "$(heals)" = $((h0 + 1)) ]
done
echo 0 >$TR/events/msi_affinity/msi_affinity_heal/enable
grep "msi_affinity_heal: irq=$irq " $TR/trace | sed 's/^ */# /'
traced=$(grep -c "msi_affinity_heal: irq=$irq " $TR/trace)
ksft_check "$name: msi_affinity_heal traced each heal ($traced)" [ "$traced" = 2 ]
rmmod msi_affinity
ksft_finished
