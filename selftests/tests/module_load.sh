#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# insmod manages the edu interrupt through its own chip copy, an
# affinity change goes through the module, rmmod restores the kernel's.
. /selftests/lib/lib.sh

edu=$(edu_irq)
[ -n "$edu" ] || { ksft_skip module_load "no edu device"; exit $KSFT_SKIP; }
chip_before=$(chip_of "$edu")
msia_loaded && rmmod msi_affinity

ksft_check "insmod msi_affinity.ko" msia_insmod
echo "# msi_affinity version $(cat /sys/module/msi_affinity/version) srcversion $(cat /sys/module/msi_affinity/srcversion)"
ksft_check "debugfs lists edu irq $edu as managed" grep -q "^$edu " $MSIA/managed
ksft_check "edu's interrupt served by the module's chip" [ "$(edu_stat hooked)" = 1 ]
ksft_check "mode is safe" [ "$(cat $MSIA/mode)" = safe ]
# edu and AHCI have MSI without masking: the load names them at risk.
ksft_check "load message names the managed count, the non-maskable MSI among them" \
	sh -c 'dmesg | grep -qE "msi_affinity: managing [1-9][0-9]* interrupts \([1-9][0-9]* MSI without masking, [0-9]+ maskable MSI, [0-9]+ MSI-X\)"'
ksft_check "no nothing-at-risk message" sh -c '! dmesg | grep -q "nothing is at risk"'
ksft_check "vector table accepted: stray vectors claimed" sh -c 'dmesg | grep -q "stray vectors claimed"'
# A kernel address: root may read it back, nobody else.
ksft_check "vector_irq parameter readable by root only" \
	[ "$(stat -c %a /sys/module/msi_affinity/parameters/vector_irq)" = 400 ]
ksft_check "probes missed nothing" [ "$(awk '$3 ~ /^[0-9]+$/ {s += $3} END {print s + 0}' $MSIA/probes)" = 0 ]

# Two moves to another CPU, each taken by the next interrupt.
m0=$(awk -v i="$edu" '$1 == i {print $4}' $MSIA/managed)
for cpu in 1 2; do
	move_to "$edu" $cpu edu_kick
done
m1=$(awk -v i="$edu" '$1 == i {print $4}' $MSIA/managed)
echo "# edu migrations through the module: $m0 -> $m1, now on CPU $(irq_cpu "$edu")"
ksft_check "affinity changes go through the module" [ "$m1" -gt "$m0" ]
ksft_check "edu delivered on CPU 2" [ "$(irq_cpu "$edu")" = 2 ]

ksft_check "rmmod msi_affinity" rmmod msi_affinity
ksft_check "debugfs directory removed" [ ! -d $MSIA ]
ksft_check "unload message" sh -c 'dmesg | grep -q "msi_affinity: all interrupts restored"'
ksft_check "chip of irq $edu restored ($chip_before)" [ "$(chip_of "$edu")" = "$chip_before" -a "$(edu_stat hooked)" = 0 ]

lost0=$(edu_stat lost)
move_to "$edu" 1 edu_kick
echo 20 >$EDU/fire
ksft_check "edu still works after rmmod" [ "$(edu_stat lost)" = "$lost0" ]
ksft_check "MSI still enabled, no INTx" [ "$(edu_stat msi_enabled)$(edu_stat intx)" = 10 ]

# The loader helper with the address hidden passes nothing and says why.
if grep -q ' vector_irq$' /proc/kallsyms; then
	kr=$(cat /proc/sys/kernel/kptr_restrict)
	echo 2 >/proc/sys/kernel/kptr_restrict
	out=$(/msia/msi-affinity-params 2>/tmp/params.err)
	echo "$kr" >/proc/sys/kernel/kptr_restrict
	echo "# loader, kptr_restrict=2: stdout '$out', stderr '$(cat /tmp/params.err)'"
	ksft_check "loader with kptr_restrict=2 passes no address and warns" \
		sh -c "[ -z '$out' ] && grep -q 'vector_irq is hidden' /tmp/params.err"
else
	ksft_skip "loader with kptr_restrict=2" "this kernel does not list vector_irq"
fi
ksft_finished
