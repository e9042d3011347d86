#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# msi-affinity-check on a real kernel, as root and as nobody, before and
# after msi_affinity loads.  What the boot is, the test is told, never
# works out: msia.check_expect= is "affected" (a stock kernel, edu and
# AHCI without remapping; the default), "not-affected" (every MSI
# remapped), "other-chips" (every MSI on a chip of the platform's own,
# such as Xen's in a PV domain) or "fixed" (the patched kernel of make
# upstream-test).
# msia.fixed_build= is the build ID of that patched kernel: it goes into
# the tool's list of fixed kernels on every upstream boot, as an
# administrator would list it, so the unpatched build of the same
# release must still come out affected.
. /selftests/lib/lib.sh

TOOL=/msia/msi-affinity-check
expect=$(cmdline_str check_expect affected)
fixed=$(cmdline_str fixed_build "")
msia_loaded && rmmod msi_affinity
# busybox su needs the user in /etc/passwd; the initramfs has none.
grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
if [ -n "$fixed" ]; then
	mkdir -p /etc/msi-affinity
	echo "$(uname -r) $fixed" >/etc/msi-affinity/fixed-kernels
fi

# run AS: the tool's report as root or as nobody, its exit in /tmp/check.rc
run() {
	local rc=0
	if [ "$1" = root ]; then
		$TOOL >/tmp/check.out 2>&1 || rc=$?
	else
		su -s /bin/sh nobody -c $TOOL >/tmp/check.out 2>&1 || rc=$?
	fi
	echo $rc >/tmp/check.rc
	sed 's/^/# /' /tmp/check.out
}
# verdict_is RC RE: the last report exited RC, its verdict line matches RE
verdict_is() {
	[ "$(cat /tmp/check.rc)" = "$1" ] && grep -qE "^verdict: $2" /tmp/check.out
}
# row_is IRQ RE: the last report's row for that interrupt matches RE
row_is() { awk -v i="$1" '$1 == i' /tmp/check.out | grep -qE "$2"; }

edu=$(edu_irq)
run root
case $expect in
affected)
	ahci=$(irq_of ahci)
	ksft_check "stock kernel: affected, exit 2, edu (irq $edu) named" \
		verdict_is 2 "affected: .*irqs( [0-9]+)* $edu( |\\))"
	if [ -n "$ahci" ]; then
		ksft_check "AHCI (irq $ahci) named too" verdict_is 2 "affected: .*irqs( [0-9]+)* $ahci( |\\))"
	else
		ksft_skip "AHCI named too" "no AHCI controller in this boot"
	fi
	ksft_check "edu's row: MSI, not maskable, not remapped, at risk" \
		row_is "$edu" " msi +PCI-MSI[^ ]* +no +no +[a-z]+ +not loaded +yes$"
	ksft_check "--json: verdict affected, exit 2" sh -c "$TOOL --json | grep -q '\"verdict\":\"affected\",.*\"exit\":2}'"
	run nobody
	ksft_check "as nobody: masking unreadable, unknown, exit 3" verdict_is 3 "unknown: .* masking only root can read"
	msia_insmod || { ksft_fail "insmod"; ksft_finished; }
	run root
	ksft_check "with msi_affinity loaded: not affected, exit 0" verdict_is 0 "not-affected: msi_affinity manages all"
	ksft_check "edu's row: msi_affinity manages it, not kernel-managed" row_is "$edu" " no +manages +yes$"
	run nobody
	ksft_check "as nobody with msi_affinity loaded: unknown, exit 3, says why" \
		sh -c "[ \$(cat /tmp/check.rc) = 3 ] && grep -q '^msi_affinity: loaded; what it manages needs root' /tmp/check.out"
	rmmod msi_affinity
	;;
not-affected)
	ksft_check "remapped: not affected, exit 0" verdict_is 0 "not-affected: no MSI .* [1-9][0-9]* remapped"
	ksft_check "edu's row: remapped, not at risk" row_is "$edu" " IR-PCI-MSI[^ ]* +no +yes .* no$"
	run nobody
	ksft_check "as nobody: not affected too, exit 0" verdict_is 0 "not-affected: no MSI"
	;;
other-chips)
	ksft_check "MSI on another platform's chips: not affected, exit 0" \
		verdict_is 0 "not-affected: no MSI .* [1-9][0-9]* on other chips"
	ksft_check "edu's row: $(chip_of "$edu"), not at risk" row_is "$edu" " msi +$(chip_of "$edu") .* other .* no$"
	run nobody
	ksft_check "as nobody: not affected too, exit 0" verdict_is 0 "not-affected: no MSI .* on other chips"
	;;
fixed)
	ksft_check "patched kernel: not affected, the fix listed, exit 0" \
		verdict_is 0 "not-affected: the kernel carries the fix \\(listed in"
	run nobody
	ksft_check "as nobody: not affected too, exit 0" verdict_is 0 "not-affected: the kernel carries the fix"
	;;
*)
	ksft_fail "msia.check_expect=$expect: not affected, not-affected, other-chips or fixed"
	;;
esac
ksft_finished
