#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad input changes nothing: insmod fails with -EINVAL (-ENODEV for a
# device that does not exist), the kernel log gets exactly one
# msi_affinity error naming the value, no debugfs directory appears and
# no interrupt's chip changes.
. /selftests/lib/lib.sh

msia_loaded && rmmod msi_affinity
chips() { awk '/^ *[0-9]+:/ {print $1, $(NF-2)}' /proc/interrupts | sort; }
before=$(chips)
long=$(i=0; while [ $i -lt 65 ]; do printf "%d," $((100 + i)); i=$((i + 1)); done)
long=${long%,}

# try DESCRIPTION EXPECTED-ERRNO-TEXT NAMED-VALUE ARGS...
try() {
	d=$1 want=$2 named=$3; shift 3
	dmesg -c >/dev/null
	err=$(finit /msia/msi_affinity.ko "$@" 2>&1)
	rc=$?
	errs=$(dmesg | grep -c 'msi_affinity: ')
	line=$(dmesg | grep 'msi_affinity: ' | head -1)
	echo "# $d: insmod says '$err'; kernel: '$line'"
	ok=1
	[ $rc -ne 0 ] || ok=0
	echo "$err" | grep -q "$want" || ok=0
	[ "$errs" = 1 ] || ok=0
	echo "$line" | grep -qF -- "$named" || ok=0
	[ ! -d $MSIA ] || ok=0
	msia_loaded && { rmmod msi_affinity; ok=0; }
	[ "$(chips)" = "$before" ] || ok=0
	if [ $ok = 1 ]; then ksft_pass "bad input: $d"; else ksft_fail "bad input: $d"; fi
	dmesg -c >/dev/null
}

edu=$(edu_irq)
try "irqs=abc" "Invalid argument" "abc" irqs=abc
try "irqs=99999" "Invalid argument" "99999" irqs=99999
try "irqs=4 (not MSI)" "Invalid argument" "4" irqs=4
try "irqs=$edu,$edu (twice)" "Invalid argument" "$edu" irqs="$edu,$edu"
try "irqs=$edu, (empty entry)" "Invalid argument" "irqs=$edu," irqs="$edu,"
try "devices=zz:zz.z" "Invalid argument" "zz:zz.z" devices=zz:zz.z
try "devices=0000:00:1f.0 (no MSI)" "Invalid argument" "0000:00:1f.0" devices=0000:00:1f.0
try "devices=0000:00:1e.0 (no such device)" "No such device" "0000:00:1e.0" devices=0000:00:1e.0
try "mode=bogus" "Invalid argument" "bogus" mode=bogus
try "irqs= 65 entries" "Invalid argument" "65 entries" irqs="$long"
try "vector_irq=0x1000 (not the table)" "Invalid argument" "0x1000" vector_irq=0x1000
vec=$(msia_vector_irq)
try "vector_irq=$vec+8 (one slot off)" "Invalid argument" "vector_irq=" vector_irq=$(printf '0x%x' $((vec + 8)))

# A good load still works afterwards, and cannot be doubled.
ksft_check "good load after bad ones" msia_insmod irqs="$edu"
ksft_check "second load refused" sh -c '! finit /msia/msi_affinity.ko 2>/dev/null'
ksft_check "rmmod" rmmod msi_affinity
ksft_check "chips unchanged" [ "$(chips)" = "$before" ]
ksft_finished
