#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make test: every test, then one line "N passed, N failed" that counts
# the KUnit cases and the in-guest selftest results together.
#
# Each stage runs with its own output directory, out/<stage>/ (its
# MSIA_OUT): its TAP, consoles, logs, and its results in
# out/<stage>/counts/, one "passed failed skipped" file per part, the
# only thing this script reads back.
#
# A stage that passed before with exactly the same inputs is not run
# again (as go test caches a package's result), and its whole output
# directory is restored.  A stage's inputs are the content and mode of
# the files git would track here (of the documentation, *.md and
# Documentation/, only check reads the content; the other stages see
# only which files there are), every installed Debian package and its
# version, here and in the Debian 13 root (and the irqbalance and Xen
# packages unpacked for the guests), the host kernel, and the MSIA_*,
# KVER and KDIR settings.  Only passes are kept, never a failure.
# CI=true, MSIA_FRESH=1, or a directory that is not a git work tree runs
# every stage; make selftest, make kunit and the other targets always
# run.  Hunting a flake is make soak's job, not a
# repeated make test's.
. "$(dirname "$0")/lib.sh"

results="$MSIA_CACHE/results"
rc=0 replayed=0
stages=()

# inputs_key STAGE: one hash over everything that stage's result
# depends on
inputs_key() {
	# No part may end the listing early (set -e): a missing part must
	# still change the hash, never drop the parts after it.
	(
		cd "$MSIA_TOP" || exit
		git ls-files -z --cached --others --exclude-standard >"$MSIA_OUT/inputs.list" ||
			echo "git ls-files failed"
		# Only check reads what the documentation says.  Its file names
		# still count everywhere: the package carries the README and
		# Documentation, and a file gone would fail its build.
		if [ "$1" != check ]; then
			tr '\0' '\n' <"$MSIA_OUT/inputs.list" | grep -E '\.md$|^Documentation/' || true
			tr '\0' '\n' <"$MSIA_OUT/inputs.list" | grep -v -E '\.md$|^Documentation/' |
				tr '\n' '\0' >"$MSIA_OUT/inputs.list.tmp"
			mv "$MSIA_OUT/inputs.list.tmp" "$MSIA_OUT/inputs.list"
		fi
		xargs -0 -r sha256sum -- <"$MSIA_OUT/inputs.list" 2>&1 || true
		xargs -0 -r stat -L -c '%a %n' -- <"$MSIA_OUT/inputs.list" 2>&1 || true
		dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' | grep '^ii' || true
		dpkg-query --admindir="$MSIA_DEB13_ROOT/var/lib/dpkg" -W 2>&1 || true
		uname -r
		cat "$MSIA_CACHE/irqbalance/.deb" "$MSIA_CACHE/xen/.deb" 2>&1 || true
		env | grep -E '^(MSIA_[A-Z_]*|KVER|KDIR)=' | grep -v '^MSIA_FRESH=' | sort || true
	) | sha256sum | cut -c1-16
}
case "${CI:-}" in ""|false|0) ci=0 ;; *) ci=1 ;; esac
cache=0
if [ $ci = 0 ] && [ "${MSIA_FRESH:-0}" != 1 ] &&
	git -C "$MSIA_TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	cache=1
fi

# replay NAME KEY: restore the kept pass of stage NAME, if there is one
replay() {
	local kept="$results/$1-$2" n c
	[ $cache = 1 ] && [ -f "$kept/meta" ] && [ -d "$kept/out" ] || return 1
	rm -rf "${MSIA_OUT:?}/$1"
	cp -a "$kept/out" "$MSIA_OUT/$1" || return 1
	n=0
	for c in "$MSIA_OUT/$1"/counts/*; do
		[ -f "$c" ] && n=$((n + $(awk '{print $1}' "$c")))
	done
	replayed=$((replayed + n))
	msia_log "=== $1: not re-run, inputs unchanged since it passed ($(cat "$kept/meta")); output restored in out/$1/"
}

# keep NAME KEY SECONDS: keep stage NAME's pass with its whole output,
# unless a part failed or the inputs changed while it ran; kernel and
# module builds stay out (they are caches, not results)
keep() {
	local name=$1 key=$2 kept="$results/$1-$2" c
	[ $cache = 1 ] || return 0
	for c in "$MSIA_OUT/$name"/counts/*; do
		[ "$(awk '{print $2}' "$c")" = 0 ] || return 0
	done
	[ "$(inputs_key "$name")" = "$key" ] || { msia_log "$name: inputs changed while it ran, pass not kept"; return 0; }
	rm -rf "$kept.tmp" && mkdir -p "$kept.tmp" || return 1
	tar -C "$MSIA_OUT" --exclude="$name/build" --exclude="$name/initramfs.root" -cf - "$name" |
		tar -C "$kept.tmp" -xf - || return 1
	mv "$kept.tmp/$name" "$kept.tmp/out" || return 1
	echo "$(date -u '+%F %H:%M UTC'), $3 s, commit $(git -C "$MSIA_TOP" rev-parse --short HEAD)" \
		>"$kept.tmp/meta" || return 1
	# One kept pass per stage: the newest inputs'.
	rm -rf "$results/$name"-[0-9a-f]*[0-9a-f] && mv "$kept.tmp" "$kept"
}

# stage NAME CMD...: run one stage in out/NAME/, or replay its kept pass
stage() {
	local name=$1 t0=$SECONDS key= st
	shift
	stages+=("$name")
	[ $cache = 0 ] || key=$(inputs_key "$name")
	replay "$name" "$key" && return 0
	msia_log "=== $name"
	rm -rf "${MSIA_OUT:?}/$name"
	mkdir -p "$MSIA_OUT/$name/counts"
	MSIA_OUT=$MSIA_OUT/$name "$@" 2>&1 | tee "$MSIA_OUT/$name/stage.log"
	st=${PIPESTATUS[0]}
	msia_log "=== $name: $((SECONDS - t0)) s"
	# A stage that died before writing its counts is a failure too.
	[ -n "$(ls "$MSIA_OUT/$name/counts")" ] || { echo "0 1 0" >"$MSIA_OUT/$name/counts/$name"; st=1; }
	if [ "$st" -ne 0 ]; then
		rc=1
		msia_log "$name: FAILED"
		return 0
	fi
	# A cache that cannot be written costs the next run time, no more.
	keep "$name" "$key" $((SECONDS - t0)) || msia_log "$name: could not keep its pass in $results"
}
stage check "$MSIA_TOP/scripts/check.sh"
stage deb "$MSIA_TOP/scripts/deb.sh" test
stage intree "$MSIA_TOP/scripts/intree.sh"
stage kunit "$MSIA_TOP/scripts/kunit.sh"
# The plain build, as a user runs it: one result.
modules() {
	if make -s -C "$MSIA_TOP" modules; then msia_counts modules 1 0; else msia_counts modules 0 1; return 1; fi
}
stage modules modules
stage selftest "$MSIA_TOP/scripts/selftest.sh"
stage debug "$MSIA_TOP/scripts/debugtest.sh"
# The root fix (make upstream-test) needs two kernel builds that do not
# fit a bare machine's budget: it runs here once they are cached, and is
# counted as skipped, loudly, until then.
if "$MSIA_TOP/scripts/upstream.sh" --cached; then
	stage upstream "$MSIA_TOP/scripts/upstream.sh"
else
	msia_log "=== upstream: SKIPPED: its kernels are not built yet; run make upstream-test once"
	rm -rf "${MSIA_OUT:?}/upstream" && mkdir -p "$MSIA_OUT/upstream/counts"
	echo "0 0 1" >"$MSIA_OUT/upstream/counts/upstream"
	stages+=(upstream)
fi

p=0 f=0 s=0
for st in "${stages[@]}"; do
	for c in "$MSIA_OUT/$st"/counts/*; do
		[ -f "$c" ] || continue
		read -r cp cf cs <"$c"
		printf '  %-22s %4d passed, %d failed, %d skipped\n' "$(basename "$c")" "$cp" "$cf" "$cs"
		p=$((p + cp)) f=$((f + cf)) s=$((s + cs))
	done
done
[ $rc -eq 0 ] || [ $f -gt 0 ] || f=1
[ $replayed -eq 0 ] ||
	msia_log "$replayed of the passes are kept ones (inputs unchanged); MSIA_FRESH=1 make test runs everything"
echo "$p passed, $f failed, $s skipped"
[ $rc -eq 0 ] && [ $f -eq 0 ]
