#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# completion.sh DAXCTL COMPLETION TREE: the bash completion, driven as bash drives it
# (COMP_WORDS, COMP_CWORD, then the function "complete -p daxctl" names), against the
# captured sysfs tree TREE (LIBDAX_SYSFS_ROOT) of two regions: dax0.0, dax0.1 and dax1.0.
set -u
daxctl=$(realpath "$1")
export LIBDAX_SYSFS_ROOT=$3
# shellcheck disable=SC1090
. "$2" || { echo "FAIL: cannot source $2"; exit 1; }
bad=0 n=0

spec=$(complete -p daxctl) || { echo "FAIL: no completion registered for daxctl"; exit 1; }
fn=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
[ -n "$fn" ] || { echo "FAIL: no completion function in '$spec'"; exit 1; }

# expect "WORDS..." "EXPECTED" : the last word is the one completed (may be ""); words are
# split as bash splits them with the default COMP_WORDBREAKS ("--region=0" is three words).
expect() {
	local line=$1 want=$2 got
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_WORDS[0]=$daxctl
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$daxctl ${line#* }"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" daxctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
	got=
	[ ${#COMPREPLY[@]} -eq 0 ] || got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	want=$(tr ' ' '\n' <<<"$want" | sed '/^$/d' | sort | tr '\n' ' ')
	n=$((n + 1))
	if [ "$got" != "$want" ]; then
		echo "FAIL: '$line': got '$got', expected '$want'"
		bad=$((bad + 1))
	fi
}

all_cmds=$("$daxctl" --list-cmds | tr '\n' ' ')
[ -n "$all_cmds" ] || { echo "FAIL: daxctl --list-cmds printed nothing"; exit 1; }

expect "daxctl " "$all_cmds"
expect "daxctl cr" "create-device"
expect "daxctl --" "--version --help --list-cmds"
expect "daxctl help re" "reconfigure-device"
expect "daxctl list --reg" "--region --regions"
expect "daxctl list -" "$("$daxctl" list --list-opts)"
expect "daxctl create-device --" "$("$daxctl" create-device --list-opts)"
expect "daxctl list -r " "0 1 all"
expect "daxctl list --region " "0 1 all"
expect "daxctl list --region = " "0 1 all"
expect "daxctl list --region = 1" "1"
expect "daxctl list --dev " "dax0.0 dax0.1 dax1.0 all"
expect "daxctl list -R -d dax0" "dax0.0 dax0.1"
expect "daxctl disable-device " "dax0.0 dax0.1 dax1.0 all"
expect "daxctl destroy-device -f dax1" "dax1.0"
expect "daxctl enable-device -r 0 " "dax0.0 dax0.1 dax1.0 all"
expect "daxctl reconfigure-device -m " "system-ram devdax"
expect "daxctl reconfigure-device --mode = s" "system-ram"
expect "daxctl reconfigure-device --mode s" "system-ram"
expect "daxctl create-device -a " "4k 2m 1g"
expect "daxctl create-device --color 1" "1/2 1/4"
expect "daxctl create-device --cache-size " ""
expect "daxctl create-device --prefer " "read-bandwidth write-bandwidth read-latency write-latency"
expect "daxctl create-device --prefer=w" "write-bandwidth write-latency"
expect "daxctl create-device --cache-level " "1 2 3"
expect "daxctl create-device --cache-" "--cache-size --cache-level"
expect "daxctl list --per" "--performance"
expect "daxctl create-device -s " ""
expect "daxctl create-device -u " ""
expect "daxctl list -u " ""
expect "daxctl version " ""
expect "daxctl ma" "map"
expect "daxctl map --c" "--cells --cache-size"
expect "daxctl map --no" "--no-color"
expect "daxctl map -r " "0 1 all"
expect "daxctl map --cells " "16 32 64"
expect "daxctl map --width=" "80 100 132"
expect "daxctl map --cache-size " ""
expect "daxctl map " ""

# --input takes a file name.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/layout.json" "$tmp/other.txt"
cd "$tmp" || exit 1
expect "daxctl create-device --input lay" "layout.json"
expect "daxctl create-device --input=" "layout.json other.txt"
cd - >/dev/null || exit 1

# Online/offline take devices too, once this daxctl has them.
for c in online-memory offline-memory; do
	grep -qx "$c" <<<"$("$daxctl" --list-cmds)" || continue
	expect "daxctl $c " "dax0.0 dax0.1 dax1.0 all"
done

echo "$n completions checked, $bad failures"
[ "$bad" = 0 ]
