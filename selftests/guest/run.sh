#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the tests named in msia.tests= (or the plan's list) as TAP.
# Around each test the kernel log is read and cleared: a message that
# matches a known-bad pattern fails the test unless the test declared it
# expected (and then checked it itself).
. /selftests/lib/lib.sh

plan=$1
tests=$(cmdline_str tests "" | tr ',' ' ')
[ -n "$tests" ] || tests=$(cat /selftests/plans/"$plan")

echo "TAP version 13"
insmod /msia/msia_edu.ko || echo "# msia_edu did not load"
echo "# kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs online, $(msia_apic_mode)"
# What the kernel reported while booting counts too.
dmesg -c >/tmp/kmsg
{ echo "=== kernel log of boot"; cat /tmp/kmsg; } >/dev/console 2>/dev/null
if ksft_bad_kmsg /tmp/kmsg >/tmp/bad; then
	ksft_fail "boot: kernel log clean"
	sed 's/^/# kmsg: /' /tmp/bad | head -40
else
	ksft_pass "boot: kernel log clean"
fi

# test_timeout TEST: its limit in seconds: a "# timeout: N" line in the
# test, else msia.test_timeout, else 600
test_timeout() {
	local n
	n=$(sed -n 's/^# timeout: \([0-9]*\)$/\1/p' /selftests/tests/"$1".sh)
	echo "${n:-$(cmdline_int test_timeout 600)}"
}

# after_timeout: busybox's timeout ends the test's shell only.  Stop
# what it left running (its loops stop on these files; irqbalance and
# cpu-on-off-test.sh it started) and put back what the next test
# expects: every CPU online, no module of ours loaded, no injection.
after_timeout() {
	local c
	touch /tmp/stop /tmp/cf8_stop
	killall irqbalance bash 2>/dev/null
	sleep 2
	for c in /sys/devices/system/cpu/cpu[0-9]*/online; do echo 1 >"$c" 2>/dev/null; done
	rmmod msia_dynx msi_affinity 2>/dev/null
	echo 0 >$EDU/inject 2>/dev/null
	rm -f /tmp/stop /tmp/cf8_stop
}

for t in $tests; do
	: >"$KSFT_EXPECT"
	: >"$KSFT_FAILED"
	echo "# --- $t"
	limit=$(test_timeout "$t")
	t0=$(date +%s)
	timeout "$limit" sh /selftests/tests/"$t".sh
	rc=$?
	secs=$(($(date +%s) - t0))
	[ $secs -lt "$limit" ] || after_timeout
	dmesg -c >/tmp/kmsg
	# The full log of each test goes to the console file, for diagnosis.
	{ echo "=== kernel log of $t"; cat /tmp/kmsg; } >/dev/console 2>/dev/null
	ksft_bad_kmsg /tmp/kmsg >/tmp/bad || true
	if [ -s "$KSFT_EXPECT" ]; then
		grep -v -E -f "$KSFT_EXPECT" /tmp/bad >/tmp/bad2 || true
		mv /tmp/bad2 /tmp/bad
	fi
	# The exit code is the verdict; a failed check has printed its own
	# "not ok" already, so this line fails only for what none did.
	if [ $secs -ge "$limit" ]; then
		ksft_fail "$t: timed out after $limit s"
	elif [ -s /tmp/bad ]; then
		ksft_fail "$t: kernel log clean"
		sed 's/^/# kmsg: /' /tmp/bad | head -40
	elif [ $rc -ne 0 ] && [ $rc -ne $KSFT_SKIP ] && [ ! -s "$KSFT_FAILED" ]; then
		ksft_fail "$t: exit status $rc, and no check failed"
	elif [ $rc -eq 0 ] && [ -s "$KSFT_FAILED" ]; then
		ksft_fail "$t: exit status 0 after a failed check"
	else
		ksft_pass "$t: kernel log clean, exit status $rc"
	fi
	echo "# $t: $secs s"
done
echo "1..$(cat "$KSFT_COUNTER")"
