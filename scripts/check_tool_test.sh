#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/msi-affinity-check against fake /proc and /sys trees, one case a
# row: every verdict, each kernel range, the evidence of a fix, what a
# user other than root can read, and the module's own view.  The guests
# run the tool on real kernels (selftests/tests/check_tool.sh); this
# covers what no guest here can be: other versions, other machines.
. "$(dirname "$0")/lib.sh"

tool=$MSIA_TOP/tools/msi-affinity-check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# oct N: byte N as a printf octal escape
oct() { printf '\\%03o' "$1"; }

# config MASK BYTES: an MSI device's config space, BYTES long (root
# reads 256, another user 64): capability list at 0x40, one MSI
# capability with 64-bit addresses and per-vector masking if MASK is 1
config() {
	local b i s=
	for ((i = 0; i < $2; i++)); do
		case $i in
		6) b=16 ;;		# status: capability list
		52) b=65 ;;		# first capability at 0x40 (bit 0 reserved, set)
		64) b=5 ;;		# MSI
		66) b=128 ;;		# 64-bit
		67) b=$1 ;;		# bit 8: per-vector masking
		*) b=0 ;;
		esac
		s="$s$(oct $b)"
	done
	printf "$s"
}

# notes ID: /sys/kernel/notes with one GNU build ID note (4 bytes, hex)
notes() {
	local s i
	s="$(oct 4)$(oct 0)$(oct 0)$(oct 0)$(oct 4)$(oct 0)$(oct 0)$(oct 0)$(oct 3)$(oct 0)$(oct 0)$(oct 0)GNU$(oct 0)"
	for i in 0 2 4 6; do s="$s$(oct $((16#${1:$i:2})))"; done
	printf "$s"
}

# tree DIR: a machine with edu (irq 37, MSI) and a virtio MSI-X (irq 40)
# device CHIP MASK CFGBYTES: set edu's chip, masking and readable config
tree() {
	local t=$1 chip=$2 mask=$3 bytes=$4
	rm -rf "$t"
	mkdir -p "$t/sys/bus/pci/devices/0000:00:02.0/msi_irqs" \
		 "$t/sys/bus/pci/devices/0000:00:03.0/msi_irqs" \
		 "$t/sys/kernel/irq/37" "$t/sys/kernel/irq/40" "$t/sys/kernel" "$t/drivers/msia_edu"
	echo msi >"$t/sys/bus/pci/devices/0000:00:02.0/msi_irqs/37"
	echo msix >"$t/sys/bus/pci/devices/0000:00:03.0/msi_irqs/40"
	ln -s "$t/drivers/msia_edu" "$t/sys/bus/pci/devices/0000:00:02.0/driver"
	config "$mask" "$bytes" >"$t/sys/bus/pci/devices/0000:00:02.0/config"
	echo "$chip" >"$t/sys/kernel/irq/37/chip_name"
	echo "${chip/MSI-/MSIX-}" | sed 's/00:02/00:03/' >"$t/sys/kernel/irq/40/chip_name"
	notes abcd1234 >"$t/sys/kernel/notes"
}

# module DIR MANAGED|SKIPPED [MODE]: msi_affinity loaded, edu in that table
module() {
	mkdir -p "$1/sys/module/msi_affinity" "$1/sys/kernel/debug/msi_affinity"
	echo "${3:-safe}" >"$1/sys/kernel/debug/msi_affinity/mode"
	echo "irq device kind migrations two_step direct masked nonlocal irr_hits retriggers cfg_reads cfg_writes cached kernel_managed heals misreads" \
		>"$1/sys/kernel/debug/msi_affinity/managed"
	: >"$1/sys/kernel/debug/msi_affinity/skipped"
	if [ "$2" = managed ]; then
		echo "37 0000:00:02.0 msi 0 0 0 0 0 0 0 0 0 0 0 0 0" >>"$1/sys/kernel/debug/msi_affinity/managed"
	else
		echo "37 not its own chip" >>"$1/sys/kernel/debug/msi_affinity/skipped"
	fi
}

# case NAME EXIT VERDICT_RE UNAME [ARGS...]: run the tool on $work/t
case_() {
	local name=$1 want=$2 re=$3 un=$4 out rc=0
	shift 4
	out=$(MSIA_CHECK_ROOT=$work/t MSIA_CHECK_UNAME=$un $run "$tool" "$@" 2>&1) || rc=$?
	if [ "$rc" = "$want" ] && grep -qE "$re" <<<"$out"; then
		msia_result tool "$shell_name: $name (exit $rc)" 0
	else
		msia_result tool "$shell_name: $name: exit $rc (want $want), output:" 1
		sed 's/^/#   /' <<<"$out"
	fi
}

k73='x86_64|7.3.4+deb13-amd64|#1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1~bpo13+1'
k61='x86_64|6.1.0-57-amd64|#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1'
t=$work/t

cases() {

tree "$t" PCI-MSI-0000:00:02.0 0 256
case_ "7.3, non-maskable MSI: affected" 2 '^verdict: affected: 1 MSI .*irqs 37\)' "$k73"
case_ "the edu row says msi, not maskable, not remapped" 2 '^37 +0000:00:02.0 +msia_edu +msi +PCI-MSI-0000:00:02.0 +no +no ' "$k73"
case_ "6.1 (ABI release 6.1.0-57): affected" 2 '^kernel: .*: affected: 5.17 to 7.3' "$k61"
case_ "5.10: the two-step kernels" 0 '^verdict: not-affected: the kernel 5.6 to 5.16' 'x86_64|5.10.0-30-amd64|#1'
case_ "4.19: unknown" 3 '^verdict: unknown: the kernel is older than 5.6' 'x86_64|4.19.0-27-amd64|#1'
case_ "7.4: newer than checked, unknown" 3 '^verdict: unknown: the kernel is newer than 7.3' 'x86_64|7.4.1-amd64|#1'
case_ "arm64: not x86" 0 '^verdict: not-affected: not x86' 'aarch64|7.3.4+deb13-arm64|#1'
case_ "bad argument: exit 1" 1 "unknown argument '--bogus'" "$k73" --bogus
json=$(MSIA_CHECK_ROOT=$t MSIA_CHECK_UNAME="$k73\\x" $run "$tool" --json || true)
msia_check tool "$shell_name: --json parses, a backslash in uname -v kept, verdict affected, exit 2, edu at risk" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
edu = [i for i in d["interrupts"] if i["irq"] == 37][0]
assert d["verdict"] == "affected" and d["exit"] == 2 and edu["at_risk"] == "yes"
assert edu["kind"] == "msi" and edu["maskable"] == "no" and edu["remapped"] == "no"
assert d["kernel"]["version"].endswith("\\x"), d["kernel"]["version"]
' "$json"

tree "$t" PCI-MSI-0000:00:02.0 1 256
case_ "maskable MSI: not affected" 0 '^verdict: not-affected: no MSI without per-vector masking' "$k73"

tree "$t" IR-PCI-MSI-0000:00:02.0 0 256
case_ "remapped: not affected" 0 'not-affected: no MSI .*2 MSI/MSI-X interrupts, 2 remapped' "$k73"

tree "$t" xen-pirq-msi 0 256
case_ "Xen PV chips: not affected, counted as other" 0 'not-affected: .*2 on other chips' "$k73"

tree "$t" PCI-MSI-0000:00:02.0 0 64
case_ "not root (64 bytes of config): unknown" 3 '^verdict: unknown: 1 MSI interrupts whose masking only root' "$k73"

tree "$t" PCI-MSI-0000:00:02.0 0 256
mkdir -p "$t/etc/msi-affinity"
echo "7.3.4+deb13-amd64" >"$t/etc/msi-affinity/fixed-kernels"
case_ "listed release: fixed" 0 '^verdict: not-affected: the kernel carries the fix \(listed in' "$k73"
printf '# patched build\n7.3.4+deb13-amd64 abcd1234\n' >"$t/etc/msi-affinity/fixed-kernels"
case_ "listed release and build ID: fixed" 0 'carries the fix' "$k73"
echo "7.3.4+deb13-amd64 00000000" >"$t/etc/msi-affinity/fixed-kernels"
case_ "another build of the same release: still affected" 2 '^verdict: affected' "$k73"
rm -r "$t/etc"
mkdir -p "$t/usr/share/doc/linux-image-7.3.4+deb13-amd64"
echo "  * [x86] apic/msi: Fix inverted reservation mode check in msi_set_affinity()" |
	gzip >"$t/usr/share/doc/linux-image-7.3.4+deb13-amd64/changelog.Debian.gz"
case_ "Debian changelog names the fix: fixed" 0 'carries the fix \(named in .*changelog.Debian.gz\)' "$k73"

tree "$t" PCI-MSI-0000:00:02.0 0 256
module "$t" managed
case_ "msi_affinity manages edu: not affected" 0 '^verdict: not-affected: msi_affinity manages all 1' "$k73"
case_ "its row says so" 0 '^37 .* +manages +yes$' "$k73"
tree "$t" PCI-MSI-0000:00:02.0 0 256
module "$t" skipped
case_ "msi_affinity left edu to the kernel: affected" 2 '^37 .*left to the kernel: not its own chip' "$k73"
tree "$t" PCI-MSI-0000:00:02.0 0 256
module "$t" managed direct
case_ "msi_affinity in mode=direct protects nothing: affected" 2 '^verdict: affected: 1 MSI' "$k73"
tree "$t" PCI-MSI-0000:00:02.0 0 256
mkdir -p "$t/sys/module/msi_affinity"
case_ "root, msi_affinity loaded, debugfs not mounted: unknown" 3 '^verdict: unknown: msi_affinity is loaded but its debugfs' "$k73"
}

# Each case under this machine's sh and awk (dash, mawk), then under
# busybox's, which the guests and small systems have.
run=
shell_name=dash
cases
bb=$work/busybox
mkdir -p "$bb"
for a in $(busybox --list); do ln -s "$(command -v busybox)" "$bb/$a"; done
run="env PATH=$bb $bb/sh"
shell_name=busybox
cases

msia_counts tool $MSIA_P $MSIA_F
[ $MSIA_F = 0 ]
