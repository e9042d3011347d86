# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest's selftests/lib/lib.sh and the host's scripts/lib.sh,
# so that both read the one list of bad kernel messages (kmsg-bad).

# kmsg_re LIST CLASS...: the messages of those classes in LIST, as one
# extended regex
kmsg_re() {
	local list=$1
	shift
	awk -F'\t' -v cls=" $* " '!/^#/ && NF == 2 && index(cls, " " $1 " ") {
		r = r (r == "" ? "" : "|") $2 } END {print r}' "$list"
}
