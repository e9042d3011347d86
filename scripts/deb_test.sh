#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The package test of make test: install msi-affinity-dkms with apt as a
# user would, check that DKMS built the module for every installed
# kernel that has headers, boot the test kernel with the module and the
# loader helper taken from what the package installed, run a short
# injection there, then purge and check that nothing is left.
#   deb_test.sh DEB
. "$(dirname "$0")/lib.sh"

deb=$(realpath "$1")
ver=$(cat "$MSIA_TOP/VERSION")
name=msi_affinity
log="$MSIA_OUT/deb/test.log"
p=0 f=0
check() {
	if "${@:2}"; then p=$((p + 1)); echo "ok - deb: $1"
	else f=$((f + 1)); echo "not ok - deb: $1 (see $log)"; fi
}
# quiet COMMAND...: run it with its output in the log
quiet() { "$@" >>"$log" 2>&1; }
export DEBIAN_FRONTEND=noninteractive

# The developers' make dkms-install registers the same name and version.
"$MSIA_TOP/scripts/dkms.sh" remove >"$log" 2>&1
apt-get purge -y msi-affinity-dkms >>"$log" 2>&1 || true

check "apt-get install ./$(basename "$deb")" quiet apt-get install -y "$deb"
check "package installed at $ver" grep -qx "install ok installed $ver" \
	<(dpkg-query -W -f='${Status} ${Version}\n' msi-affinity-dkms 2>/dev/null)
kernels=()
for dir in /lib/modules/*/build; do
	[ -d "$dir" ] && kernels+=("$(basename "$(dirname "$dir")")")
done
# The two supported kernels must be among them, or the test proves little.
for s in $MSIA_HOST_SERIES; do
	kv=$(msia_kver "$s" || true)
	check "headers of the $s kernel (${kv:-none}) installed" test -n "$kv" -a -d "/lib/modules/$kv/build"
done
for kv in "${kernels[@]}"; do
	ko=$(find "/lib/modules/$kv/updates/dkms" -name "$name.ko*" 2>/dev/null | head -1)
	check "DKMS built and installed it for $kv" grep -q "$name/$ver, $kv, .*: installed" <(dkms status -m "$name" 2>&1)
	check "module in /lib/modules/$kv/updates/dkms" test -n "$ko"
	check "vermagic $kv" grep -q "^$kv " <(modinfo -F vermagic "$ko" 2>/dev/null)
	check "modinfo version $ver ($kv)" grep -qx "$ver" <(modinfo -F version "$ko" 2>/dev/null)
	check "modprobe finds it and runs the loader for $kv" grep -q "^install .*msi-affinity-params" \
		<(modprobe -S "$kv" -n -v "$name" 2>&1)
done
check "modprobe.d entry installed" test -f /etc/modprobe.d/msi-affinity-dkms.conf
check "modules-load.d entry installed, off" sh -c \
	'grep -qx "#msi_affinity" /etc/modules-load.d/msi-affinity.conf && ! grep -qx msi_affinity /etc/modules-load.d/msi-affinity.conf'
# Whether it finds vector_irq depends on the kernel (KALLSYMS_ALL): the
# guest's module_load checks that on the test kernel.
check "loader helper installed and runs" /usr/libexec/msi-affinity/msi-affinity-params

# The guest gets the module DKMS installed and the packaged helper; only
# the edu test driver, which is not packaged, comes from the build tree.
kv=$(msia_kver)
kodir="$MSIA_OUT/deb/ko"
rm -rf "$kodir"
mkdir -p "$kodir/selftests/edu"
ko=$(find "/lib/modules/$kv/updates/dkms" -name "$name.ko*" 2>/dev/null | head -1 || true)
case "$ko" in
*.xz) xz -dc "$ko" >"$kodir/$name.ko" ;;
*.zst) zstd -qdc "$ko" >"$kodir/$name.ko" ;;
?*) cp "$ko" "$kodir/$name.ko" ;;
esac
# A failure past this point must still reach the purge and the counts.
cp "$(msia_build "$kv")/selftests/edu/msia_edu.ko" "$kodir/selftests/edu/" 2>>"$log" || true
tap="$MSIA_OUT/deb/guest.tap"
if [ -s "$kodir/$name.ko" ] && [ -f "$kodir/selftests/edu/msia_edu.ko" ]; then
	MSIA_KO_DIR=$kodir MSIA_PARAMS_HELPER=/usr/libexec/msi-affinity/msi-affinity-params \
		KVER=$kv "$MSIA_TOP/scripts/vm.sh" --smp 4 --plan test --tests module_load,injection \
		--console "$MSIA_OUT/deb/console.log" 2>>"$log" | tr -d '\r' | tee "$tap" | sed 's/^/    /'
fi
src=$(modinfo -F srcversion "$kodir/$name.ko" 2>/dev/null || true)
touch "$tap"
check "the guest ran the packaged module (srcversion ${src:-?})" grep -q "^# msi_affinity version $ver srcversion $src$" "$tap"
check "guest tests passed on $kv" sh -c "grep -q '^ok ' '$tap' && ! grep -q '^not ok' '$tap' && grep -q '^# msia: done' '$tap'"
check "injection: the packaged module lost nothing" grep -q '^ok .* msi_affinity safe: 0 lost at every k' "$tap"

check "apt-get purge" quiet apt-get purge -y msi-affinity-dkms
check "DKMS knows nothing of it" test -z "$(dkms status -m "$name" 2>/dev/null)"
left=$(ls -d /usr/src/$name-* /var/lib/dkms/$name /usr/libexec/msi-affinity \
	/etc/modprobe.d/msi-affinity-dkms.conf /etc/modules-load.d/msi-affinity.conf \
	/usr/share/doc/msi-affinity-dkms /lib/modules/*/updates/dkms/$name.ko* 2>/dev/null || true)
check "nothing left behind${left:+: $left}" test -z "$left"
check "dpkg forgot it" sh -c '! dpkg-query -W msi-affinity-dkms >/dev/null 2>&1'

mkdir -p "$MSIA_OUT/counts"
echo "$p $f 0" >"$MSIA_OUT/counts/deb"
[ $f -eq 0 ] || tail -30 "$log"
[ $f -eq 0 ]
