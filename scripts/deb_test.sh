#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The package test of make test, on each system a user installs it on:
# this Debian 12 machine, and the Debian 13 root (scripts/deb13.sh).  On
# each, install msi-affinity-dkms with apt as a user would, check that
# DKMS built the module for every kernel there that has headers, boot a
# kernel of that system with the module and the loader helper taken
# from what the package installed, run a short injection there, then
# purge and check that nothing is left.
#   deb_test.sh DEB
. "$(dirname "$0")/lib.sh"

deb=$(realpath "$1")
ver=$(cat "$MSIA_TOP/VERSION")
name=msi_affinity
log="$MSIA_OUT/deb/test.log"
: >"$log"
export DEBIAN_FRONTEND=noninteractive

# package_test SYSTEM ROOT BOOT_SERIES SERIES...: the whole test on the
# system in ROOT ("" for this machine), whose kernels of SERIES must be
# among those DKMS built for; the guest boots BOOT_SERIES.
package_test() {
	local sys=$1 root=$2 boot=$3 pdeb kv ko s kodir tap src left signer rtkv
	shift 3
	# in_sys CMD...: CMD on that system, its output in the log
	in_sys() { msia_in_root "$root" "$@" >>"$log" 2>&1; }
	forgotten() { ! msia_in_root "$root" dpkg-query -W msi-affinity-dkms >/dev/null 2>&1; }
	# verdict_given: the installed msi-affinity-check ran, printed a
	# verdict and exited 0, 2 or 3 (which one depends on the machine;
	# the guest below checks the verdict on a known one)
	verdict_given() {
		local out rc=0
		out=$(msia_in_root "$root" msi-affinity-check) || rc=$?
		echo "$out" >>"$log"
		case $rc in 0|2|3) grep -q '^verdict: ' <<<"$out" ;; *) return 1 ;; esac
	}
	# rt_checks KVER: the package refuses PREEMPT_RT in words, at install
	# (postinst) and at load (the modprobe.d line, run as modprobe runs
	# it, on a root whose /sys is a plain directory that can claim to be
	# a realtime kernel's), and neither fails
	rt_checks() {
		local line out rc=0
		msia_check "deb $sys" "PREEMPT_RT $1: install says it is not supported" \
			grep -q "msi_affinity: not built for $1: PREEMPT_RT kernels are not supported" "$log"
		msia_check "deb $sys" "PREEMPT_RT $1: no module built" \
			test -z "$(ls "$root/lib/modules/$1/updates/dkms" 2>/dev/null)"
		line=$(sed -n 's/^install msi_affinity //p' "$root/etc/modprobe.d/msi-affinity-dkms.conf")
		if ! mountpoint -q "$root/sys"; then
			mkdir -p "$root/sys/kernel" && echo 1 >"$root/sys/kernel/realtime"
			out=$(msia_in_root "$root" sh -c "CMDLINE_OPTS=; $line" 2>&1) || rc=$?
			rm -rf "$root/sys/kernel"
		fi
		echo "$out" >>"$log"
		msia_check "deb $sys" "PREEMPT_RT: loading says why and succeeds (no failed unit)" \
			sh -c "[ $rc = 0 ] && echo '$out' | grep -q 'msi_affinity: not loaded: PREEMPT_RT kernels are not supported'"
	}
	pdeb=$deb
	if [ -n "$root" ]; then
		cp "$deb" "$root/tmp/" && pdeb=/tmp/$(basename "$deb")
	fi
	msia_log "package test on $sys"
	# In the Debian 13 root, a PREEMPT_RT kernel's headers beside the
	# others (Debian's -rt flavour), for the duration of the test.
	rtkv=
	if [ -n "$root" ] && in_sys apt-get install -y --no-install-recommends linux-headers-rt-amd64; then
		rtkv=$(ls "$root/lib/modules" | grep -- '-rt-amd64$' | sort -V | tail -1)
	fi
	# Secure Boot on, DKMS's key not enrolled: in the Debian 13 root, a
	# stand-in mokutil answers as it would on such a machine.
	[ -z "$root" ] || [ -e "$root/usr/bin/mokutil" ] || printf '%s\n' '#!/bin/sh' \
		'case $1 in --sb-state) echo "SecureBoot enabled" ;; --test-key) echo "$2 is not enrolled" ;; esac' \
		>"$root/usr/bin/mokutil.msia" && chmod +x "$root/usr/bin/mokutil.msia" &&
		ln -s mokutil.msia "$root/usr/bin/mokutil"
	msia_check "deb $sys" "apt-get install ./$(basename "$deb")" in_sys apt-get install -y "$pdeb"
	[ -z "$rtkv" ] || rt_checks "$rtkv"
	if [ -e "$root/usr/bin/mokutil.msia" ]; then
		msia_check "deb $sys" "Secure Boot on, key not enrolled: install says how to enroll it" \
			grep -q 'mokutil --import /var/lib/dkms/mok.pub' "$log"
		rm -f "$root/usr/bin/mokutil" "$root/usr/bin/mokutil.msia"
	fi
	msia_check "deb $sys" "package installed at $ver" grep -qx "install ok installed $ver" \
		<(msia_in_root "$root" dpkg-query -W -f='${Status} ${Version}\n' msi-affinity-dkms 2>/dev/null)
	# The supported kernels must be among them, or the test proves little.
	for s in "$@"; do
		kv=$(msia_kver "$s" || true)
		msia_check "deb $sys" "headers of the $s kernel (${kv:-none}) installed" \
			test -n "$kv" -a -d "$root/lib/modules/$kv/build"
	done
	for dir in "$root"/lib/modules/*/build; do
		[ -d "$dir" ] || continue
		kv=$(basename "$(dirname "$dir")")
		[ "$kv" != "$rtkv" ] || continue	# refused, checked above
		ko=$(cd "$root/" && find "lib/modules/$kv/updates/dkms" -name "$name.ko*" 2>/dev/null | head -1)
		msia_check "deb $sys" "DKMS built and installed it for $kv" grep -q "$name/$ver, $kv, .*: installed" \
			<(msia_in_root "$root" dkms status -m "$name" 2>&1)
		msia_check "deb $sys" "module in /lib/modules/$kv/updates/dkms" test -n "$ko"
		msia_check "deb $sys" "vermagic $kv" grep -q "^$kv " \
			<(msia_in_root "$root" modinfo -F vermagic "/$ko" 2>/dev/null)
		msia_check "deb $sys" "modinfo version $ver ($kv)" grep -qx "$ver" \
			<(msia_in_root "$root" modinfo -F version "/$ko" 2>/dev/null)
		signer=$(msia_in_root "$root" modinfo -F signer "/$ko" 2>/dev/null || true)
		msia_check "deb $sys" "signed by DKMS's key for $kv (signer: ${signer:-none})" \
			test -n "$signer" -a -f "$root/var/lib/dkms/mok.pub"
		msia_check "deb $sys" "modprobe finds it and runs the loader for $kv" grep -q "^install .*msi-affinity-params" \
			<(msia_in_root "$root" modprobe -S "$kv" -n -v "$name" 2>&1)
	done
	msia_check "deb $sys" "modprobe.d entry installed" test -f "$root/etc/modprobe.d/msi-affinity-dkms.conf"
	msia_check "deb $sys" "modules-load.d entry installed, off" sh -c \
		"grep -qx '#msi_affinity' '$root/etc/modules-load.d/msi-affinity.conf' && ! grep -qx msi_affinity '$root/etc/modules-load.d/msi-affinity.conf'"
	# Whether it finds vector_irq depends on the kernel (KALLSYMS_ALL):
	# the guest's module_load checks that on the test kernel.
	msia_check "deb $sys" "loader helper installed and runs" in_sys /usr/libexec/msi-affinity/msi-affinity-params
	# The verdict depends on the machine; the guest below checks it.
	msia_check "deb $sys" "msi-affinity-check installed, gives a verdict and its exit status" verdict_given
	msia_check "deb $sys" "its man page installed" test -f "$root/usr/share/man/man8/msi-affinity-check.8.gz"

	# The guest gets the module DKMS installed and the packaged helper;
	# only the edu test driver, which is not packaged, comes from the
	# build tree.
	kv=$(msia_kver "$boot")
	kodir="$MSIA_OUT/deb/ko-$sys"
	rm -rf "$kodir"
	mkdir -p "$kodir/selftests/drivers/edu"
	ko=$(find "$root/lib/modules/$kv/updates/dkms" -name "$name.ko*" 2>/dev/null | head -1 || true)
	case "$ko" in
	*.xz) xz -dc "$ko" >"$kodir/$name.ko" ;;
	*.zst) zstd -qdc "$ko" >"$kodir/$name.ko" ;;
	?*) cp "$ko" "$kodir/$name.ko" ;;
	esac
	# A failure past this point must still reach the purge and the counts.
	cp "$(msia_build "$kv")/selftests/drivers/edu/msia_edu.ko" "$kodir/selftests/drivers/edu/" 2>>"$log" || true
	tap="$MSIA_OUT/deb-$sys.tap"
	if [ -s "$kodir/$name.ko" ] && [ -f "$kodir/selftests/drivers/edu/msia_edu.ko" ]; then
		MSIA_KO_DIR=$kodir MSIA_PARAMS_HELPER=$root/usr/libexec/msi-affinity/msi-affinity-params \
			MSIA_CHECK_TOOL=$root/usr/sbin/msi-affinity-check \
			KVER=$kv msia_vm "deb-$sys" --smp 4 --plan test --tests check_tool,module_load,injection 2>>"$log"
	fi
	src=$(modinfo -F srcversion "$kodir/$name.ko" 2>/dev/null || true)
	touch "$tap"
	msia_check "deb $sys" "$kv: the guest ran the packaged module (srcversion ${src:-?})" \
		grep -q "^# msi_affinity version $ver srcversion $src$" "$tap"
	msia_check "deb $sys" "$kv: guest tests passed" \
		sh -c "grep -q '^ok ' '$tap' && ! grep -q '^not ok' '$tap' && grep -q '^# msia: done' '$tap'"
	msia_check "deb $sys" "$kv: injection: the packaged module lost nothing" \
		grep -q '^ok .* msi_affinity safe: 0 lost at every k' "$tap"
	msia_check "deb $sys" "$kv: the packaged msi-affinity-check finds the stock kernel affected" \
		grep -q '^ok .* stock kernel: affected, exit 2' "$tap"

	msia_check "deb $sys" "apt-get purge" in_sys apt-get purge -y msi-affinity-dkms
	msia_check "deb $sys" "DKMS knows nothing of it" \
		test -z "$(msia_in_root "$root" dkms status -m "$name" 2>/dev/null)"
	left=$(ls -d "$root"/usr/src/$name-* "$root/var/lib/dkms/$name" "$root/usr/libexec/msi-affinity" \
		"$root/etc/modprobe.d/msi-affinity-dkms.conf" "$root/etc/modules-load.d/msi-affinity.conf" \
		"$root/usr/share/doc/msi-affinity-dkms" "$root"/lib/modules/*/updates/dkms/$name.ko* \
		"$root/usr/sbin/msi-affinity-check" "$root/usr/share/man/man8/msi-affinity-check.8.gz" 2>/dev/null || true)
	msia_check "deb $sys" "nothing left behind${left:+: $left}" test -z "$left"
	msia_check "deb $sys" "dpkg forgot it" forgotten
	[ -z "$rtkv" ] || in_sys apt-get purge -y --autoremove linux-headers-rt-amd64 "linux-headers-$rtkv" || true
	[ -z "$root" ] || rm -f "$root/tmp/$(basename "$deb")"
}

# The developers' make dkms-install registers the same name and version.
"$MSIA_TOP/scripts/dkms.sh" remove >>"$log" 2>&1
apt-get purge -y msi-affinity-dkms >>"$log" 2>&1 || true

# shellcheck disable=SC2086 # one series per word
package_test debian12 "" 6.1 $MSIA_HOST_SERIES
# shellcheck disable=SC2086
package_test debian13 "$MSIA_DEB13_ROOT" 7 $MSIA_DEB13_SERIES

msia_counts deb $MSIA_P $MSIA_F
[ $MSIA_F -eq 0 ] || tail -30 "$log"
[ $MSIA_F -eq 0 ]
