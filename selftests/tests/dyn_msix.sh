#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Dynamic MSI-X: vectors added with pci_msix_alloc_irq_at() and removed
# with pci_msix_free_irq() while MSI-X stays enabled and msi_affinity is
# loaded (Linux 6.2 and later; vfio-pci does this for its users).  The
# test driver msia_dynx binds QEMU's e1000e (vm.sh --nic), which can
# raise any of its five vectors on demand.
#
# Every vector the device gains must be managed from the moment it
# exists, move through the module's masked MSI-X path on every CPU, and
# deliver every raise exactly once; a vector it loses must leave the
# module's table before its number can be reused.  Unloading and
# reloading the module with dynamic vectors live, and unbinding the
# driver under the module, must leave the log clean.
#
# The detector is checked first: a raise the device holds back (its
# cause masked) must be counted lost, and delivered once released.
. /selftests/lib/lib.sh

DYNX=/sys/kernel/debug/msia_dynx
name=dyn_msix
nic=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x8086:0x10d3 ] && nic=${d##*/}
done
[ -n "$nic" ] || { ksft_skip $name "no e1000e in this boot (vm.sh --nic)"; exit $KSFT_SKIP; }
[ "$(ncpus)" -ge 4 ] || { ksft_skip $name "needs 4 CPUs"; exit $KSFT_SKIP; }
[ -f /msia/msia_dynx.ko ] ||
	{ ksft_skip $name "kernel $(uname -r) has no dynamic MSI-X (pci_msix_alloc_irq_at, 6.2+)"; exit $KSFT_SKIP; }

# vec FIELD INDEX: one column of the driver's table (2 irq, 3 raised,
# 4 handled, 5 lost, 6 late, 7 spurious, 8 the chip's irq_set_affinity,
# last (9, or 10 when the chip's function is a module's: %ps adds
# "[module]") echoes: QEMU 8.0 and later re-send each message 128 us
# later)
vec() { awk -v k="$2" -v f="$1" '$1 == k {print $f}' $DYNX/vectors; }
# col N IRQ: column N of the module's managed table (3 kind, 4 migrations,
# 7 masked updates)
col() { awk -v i="$2" -v c="$1" '$1 == i {print $c}' $MSIA/managed; }
kick() { echo "$k 1" >$DYNX/fire; }
# Every raise delivered exactly once: nothing lost, late, or doubled
# beyond the emulator's one echo per message.
exact() { awk '$5 != 0 || $6 != 0 || $7 != 0 || $3 != $4 || $NF > $4 + 0 {bad = 1} END {exit bad}' $DYNX/vectors; }
summary() { awk '{r += $3; h += $4; l += $5; t += $6; s += $7; e += $NF} END {printf "raised %d handled %d lost %d late %d spurious %d echoes %d", r, h, l, t, s, e}' $DYNX/vectors; }
# next_cpu IRQ: the CPU after the one IRQ is on, so a move is a real one
next_cpu() { echo $((($(irq_cpu "$1") + 1) % 4)); }
# move_counted IRQ: move IRQ once to the next CPU, through the module
move_counted() {
	local m0=$(col 4 "$1")
	move_to "$1" "$(next_cpu "$1")" kick && [ "$(col 4 "$1")" -gt "${m0:-0}" ]
}
cleanup() { rmmod msia_dynx 2>/dev/null; rmmod msi_affinity 2>/dev/null; }

msia_loaded && rmmod msi_affinity
msia_insmod || { ksft_fail "$name: insmod msi_affinity"; exit 1; }
insmod /msia/msia_dynx.ko || { ksft_fail "$name: insmod msia_dynx"; cleanup; exit 1; }
[ -d $DYNX ] || { ksft_fail "$name: msia_dynx bound the e1000e"; cleanup; exit 1; }

# The detector: a held raise is lost, then arrives when released.
echo "0 1" >$DYNX/hold
echo "0 1" >$DYNX/fire
held=$(vec 5 0)
echo "0 0" >$DYNX/hold
t=0
while [ "$(vec 4 0)" != 1 ] && [ $t -lt 30 ]; do sleep 0.1; t=$((t + 1)); done
ksft_check "$name: detector counts a raise the device held back as lost ($held), and it arrives once released (handled $(vec 4 0))" \
	[ "$held" = 1 -a "$(vec 4 0)" = 1 ]
rmmod msia_dynx
insmod /msia/msia_dynx.ko || { ksft_fail "$name: insmod msia_dynx again"; cleanup; exit 1; }

irq0=$(vec 2 0)
hooked0() { [ -n "$irq0" ] && [ "$(col 3 "$irq0")" = msix ] && [ "$(vec 8 0)" = msia_set_affinity ]; }
ksft_check "$name: vector 0 (irq $irq0, from pci_alloc_irq_vectors) is managed as msix, chip $(vec 8 0)" hooked0
bad=0
for k in 1 2 3 4; do
	echo $k >$DYNX/alloc || bad=$((bad + 1))
done
irqs=$(awk '{print $2}' $DYNX/vectors | tr '\n' ' ')
nman=0
for i in $irqs; do [ "$(col 3 "$i")" = msix ] && nman=$((nman + 1)); done
ksft_check "$name: vectors 1-4 added at run time ($bad failed), all 5 managed as msix ($nman: irqs $irqs)" \
	[ $bad = 0 -a $nman = 5 ]

# Every vector round all four CPUs through the module's masked update,
# 20 raises on each CPU.
fail=0 moved=0
for k in 0 1 2 3 4; do
	irq=$(vec 2 $k)
	for step in 1 2 3 4; do
		move_counted "$irq" || { echo "# vector $k irq $irq: no move through the module"; fail=$((fail + 1)); }
		echo "$k 20" >$DYNX/fire
	done
	[ "$(col 4 "$irq")" -ge 4 ] && [ "$(col 7 "$irq")" -ge 4 ] && moved=$((moved + 1))
done
ksft_check "$name: each vector moved round all 4 CPUs ($fail failed), masked each time ($moved of 5)" \
	[ $fail = 0 -a $moved = 5 ]
ksft_check "$name: every raise delivered exactly once ($(summary))" exact

# Shrink: the freed vectors leave the module's table; grow them again.
i2=$(vec 2 2) i3=$(vec 2 3)
freed=0
echo 2 >$DYNX/free && echo 3 >$DYNX/free && freed=1
gone=1
for i in $i2 $i3; do grep -q "^$i " $MSIA/managed && gone=0; done
ksft_check "$name: freed vectors 2 and 3 (irqs $i2 $i3) left the module's table" \
	[ -n "$i2" -a -n "$i3" -a $freed = 1 -a $gone = 1 ]
fresh=0
if echo 2 >$DYNX/alloc && echo 3 >$DYNX/alloc; then
	fresh=1
	for k in 2 3; do
		i=$(vec 2 $k)
		[ "$(col 3 "$i")" = msix ] && [ "$(col 4 "$i")" = 0 ] || fresh=0
		move_counted "$i" || fresh=0
		echo "$k 20" >$DYNX/fire
	done
fi
ksft_check "$name: re-added vectors 2 and 3 managed afresh and moved through the module" [ $fresh = 1 ]
ksft_check "$name: re-added vectors deliver exactly once ($(summary))" exact

# The module leaves and comes back with dynamic vectors live.
ksft_check "$name: rmmod msi_affinity with dynamic vectors live" rmmod msi_affinity
stock=$(awk '$8 == "msi_set_affinity" {n++} END {print n + 0}' $DYNX/vectors)
for k in 0 1 2 3 4; do echo "$k 10" >$DYNX/fire; done
stock_exact() { [ "$stock" = 5 ] && exact; }
ksft_check "$name: unloaded: the kernel's msi_set_affinity serves all 5 again ($stock) and they deliver ($(summary))" stock_exact
msia_insmod || { ksft_fail "$name: reload msi_affinity"; cleanup; exit 1; }
nman=0
for k in 0 1 2 3 4; do
	i=$(vec 2 $k)
	[ "$(col 3 "$i")" = msix ] && [ "$(vec 8 $k)" = msia_set_affinity ] || continue
	move_counted "$i" && nman=$((nman + 1))
	echo "$k 10" >$DYNX/fire
done
ksft_check "$name: reloaded: the load-time scan manages all 5 again and moves them ($nman)" [ $nman = 5 ]
ksft_check "$name: after the reload every raise delivered exactly once ($(summary))" exact

# The driver goes away under the module: every vector is forgotten.
irqs=$(awk '{print $2}' $DYNX/vectors)
ksft_check "$name: rmmod msia_dynx under the module" rmmod msia_dynx
left=0
for i in $irqs; do grep -q "^$i " $MSIA/managed && left=$((left + 1)); done
ksft_check "$name: none of its vectors ($(echo $irqs)) left in the module's table ($left)" \
	[ -n "$irqs" -a $left = 0 ]
ksft_check "$name: rmmod msi_affinity" rmmod msi_affinity
ksft_finished
