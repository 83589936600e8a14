#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# list-prefixes.sh DAXCTL: our additions to "daxctl list" (-P/--performance) must not make
# an abbreviation ambiguous that upstream daxctl 76.1 accepts. For each long option of
# upstream's list, and each of its --no- forms, every prefix that is unique among upstream's
# spellings must still be accepted (exit 0, no "ambiguous" on stderr); every prefix of
# --performance unique among ours must be accepted too, and "--p" must be --performance.
set -u
daxctl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sys/bus/dax/devices"
export LIBDAX_SYSFS_ROOT=$tmp
bad=0 checked=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }

# upstream daxctl 76.1 list: long names; the ones taking a value get one.
upstream=(region dev devices regions mappings idle human)
ours=$("$daxctl" list --list-opts)
[ -n "$ours" ] || { echo "FAIL: list --list-opts printed nothing"; exit 1; }
ours=$(tr ' ' '\n' <<<"$ours" | sed -n 's/^--//p')
spellings() { # every accepted spelling: NAME and no-NAME for the flags
	local n
	for n in "$@"; do
		echo "$n"
		case $n in region | dev) ;; *) echo "no-$n" ;; esac
	done
}
# unique_prefixes NAME SET...: the prefixes of NAME no other spelling of SET starts with
# (or NAME itself, exact spellings always win).
unique_prefixes() {
	local name=$1 i p others
	shift
	others=$(spellings "$@" | grep -vx -- "$name")
	for ((i = 1; i <= ${#name}; i++)); do
		p=${name:0:i}
		if [ "$p" = "$name" ] || ! grep -q -- "^$p" <<<"$others"; then
			echo "$p"
		fi
	done
}
try() { # try PREFIX FULLNAME
	local arg=--$1
	case $2 in region | dev) arg="$arg=all" ;; esac
	checked=$((checked + 1))
	"$daxctl" list "$arg" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != 0 ]; then
		fail "list $arg (for --$2) exits $rc: $(head -1 "$tmp/err")"
	elif grep -q ambiguous "$tmp/err"; then
		fail "list $arg (for --$2) is ambiguous"
	fi
}
for n in $(spellings "${upstream[@]}"); do
	for p in $(unique_prefixes "$n" "${upstream[@]}"); do
		try "$p" "$n"
	done
done
# shellcheck disable=SC2086 # one name per word
for p in $(unique_prefixes performance $ours); do
	try "$p" performance
done
"$daxctl" list --p >/dev/null 2>"$tmp/err" || fail "list --p: $(head -1 "$tmp/err")"
[ "$checked" -gt 40 ] || fail "only $checked prefixes checked"
echo "$checked prefixes checked, $bad failures"
[ "$bad" = 0 ]
