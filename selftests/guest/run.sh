#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the tests named in msia.tests= (or the plan's list) as TAP.
# Around each test the kernel log is read and cleared: a message that
# matches a known-bad pattern fails the test unless the test declared it
# expected (and then checked it itself).
. /selftests/lib.sh

plan=$1
tests=$(sed -n 's/.*msia\.tests=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
[ -n "$tests" ] || tests=$(cat /selftests/plans/"$plan")

echo "TAP version 13"
insmod /msia/msia_edu.ko || echo "# msia_edu did not load"
echo "# kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs online, $(msia_apic_mode)"
# What the kernel reported while booting counts too.
dmesg -c >/tmp/kmsg
{ echo "=== kernel log of boot"; cat /tmp/kmsg; } >/dev/ttyS0 2>/dev/null
if ksft_bad_kmsg /tmp/kmsg >/tmp/bad; then
	ksft_fail "boot: kernel log clean"
	sed 's/^/# kmsg: /' /tmp/bad | head -40
else
	ksft_pass "boot: kernel log clean"
fi

for t in $tests; do
	: >"$KSFT_EXPECT"
	echo "# --- $t"
	sh /selftests/"$t".sh
	rc=$?
	dmesg -c >/tmp/kmsg
	# The full log of each test goes to the console file, for diagnosis.
	{ echo "=== kernel log of $t"; cat /tmp/kmsg; } >/dev/ttyS0 2>/dev/null
	ksft_bad_kmsg /tmp/kmsg >/tmp/bad || true
	if [ -s "$KSFT_EXPECT" ]; then
		grep -v -E -f "$KSFT_EXPECT" /tmp/bad >/tmp/bad2 || true
		mv /tmp/bad2 /tmp/bad
	fi
	if [ -s /tmp/bad ]; then
		ksft_fail "$t: kernel log clean"
		sed 's/^/# kmsg: /' /tmp/bad | head -40
	elif [ $rc -ne 0 ] && [ $rc -ne $KSFT_SKIP ]; then
		ksft_fail "$t: exit status $rc"
	else
		ksft_pass "$t: kernel log clean"
	fi
done
echo "1..$(cat "$KSFT_COUNTER")"
