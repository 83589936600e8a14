#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Golden tests of the daxctl binary on sysfs trees.
#
#   run-golden.sh DAXCTL MKTREE TREE_SCRIPT CASES_DIR
#       build a synthetic tree with "MKTREE OUT TREE_SCRIPT" and run the cases
#       in CASES_DIR on it; outputs must match byte for byte.
#   run-golden.sh --captured DAXCTL NORMALIZE DATA_DIR
#       for every DATA_DIR/<name>/ holding tree/ and golden/ (trees captured
#       in a guest, goldens recorded from upstream daxctl), run the cases on
#       the tree; stdout goes through NORMALIZE (json-normalize) first, as the
#       goldens did. <name>-nonroot trees run as user nobody (as the runner
#       when not root), after applying tree/modes (see below). No captured
#       tree at all is a failure.
#
# A case is a file stem in CASES_DIR: the arguments are <stem>.args (shell
# words) or else the stem with "_" read as a space ("list_-r_0" runs
# "daxctl list -r 0"). Expected: stdout <stem>.json or <stem>.out (else
# empty), exit status <stem>.rc (else 0), and stderr <stem>.err if present.
# <stem>.env holds extra VAR=value words for env(1). "@VERSION@" and
# "@MANDIR@" in expected output stand for $DAXCTL_VERSION and $DAXCTL_MANDIR,
# "@CASES@" in .env and .args for the directory of the cases, and "@INPUT@"
# in .args for the directory of recorded --input files (../../input from the
# cases); in stdout and stderr that directory is written back as "@INPUT@".
# <stem>.stdin, if present, is the standard input (else /dev/null).
# <stem>.nowrite, if present: the case must not modify any file of the tree.
set -u

fail=0
total=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_cases LABEL DAXCTL ROOT CASES NORMALIZE RUNAS
run_cases() {
	label=$1 daxctl=$2 root=$3 cases=$4 norm=$5 runas=$6
	for stem in $(find "$cases" -maxdepth 1 -type f -printf '%f\n' |
		sed -n 's/\.\(args\|env\|json\|out\|rc\|err\|stdin\)$//p' | sort -u); do
		total=$((total + 1))
		input=$(cd "$cases/../../input" 2>/dev/null && pwd) || input=/nonexistent
		if [ -f "$cases/$stem.args" ]; then
			args=$(sed -e "s|@CASES@|$cases|g" -e "s|@INPUT@|$input|g" \
				"$cases/$stem.args")
		else
			args=$(echo "$stem" | tr '_' ' ')
		fi
		vars=
		if [ -f "$cases/$stem.env" ]; then
			vars=$(sed "s|@CASES@|$cases|g" "$cases/$stem.env")
		fi
		want_rc=0
		[ -f "$cases/$stem.rc" ] && want_rc=$(cat "$cases/$stem.rc")
		stdin=/dev/null
		[ -f "$cases/$stem.stdin" ] && stdin=$cases/$stem.stdin
		touch "$tmp/stamp"
		# shellcheck disable=SC2086 # args are words on purpose
		env LIBDAX_SYSFS_ROOT="$root" $vars $runas ${DAX_VALGRIND:-} "$daxctl" $args \
			<"$stdin" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		for f in out err; do
			sed "s|$input|@INPUT@|g" "$tmp/$f" >"$tmp/$f.sub" &&
				mv "$tmp/$f.sub" "$tmp/$f"
		done
		# Goldens from upstream are normalised; ours must already be in
		# that canonical order, so it is checked, not normalised.
		if [ -n "$norm" ]; then
			"$norm" <"$tmp/out" >"$tmp/norm" || rc="$rc (invalid JSON)"
			cmp -s "$tmp/norm" "$tmp/out" || rc="$rc (not in canonical order)"
		fi
		want_out=/dev/null
		for ext in json out; do
			[ -f "$cases/$stem.$ext" ] || continue
			sed -e "s|@VERSION@|${DAXCTL_VERSION:-}|g" \
				-e "s|@MANDIR@|${DAXCTL_MANDIR:-}|g" \
				"$cases/$stem.$ext" >"$tmp/want"
			want_out=$tmp/want
		done
		bad=
		: >"$tmp/diff"
		[ "$rc" = "$want_rc" ] || bad="exit status $rc, want $want_rc"
		if ! cmp -s "$tmp/out" "$want_out"; then
			bad="$bad${bad:+; }stdout differs"
			diff -u "$want_out" "$tmp/out" >>"$tmp/diff"
		fi
		if [ -f "$cases/$stem.nowrite" ] &&
			[ -n "$(find "$root/sys" -newer "$tmp/stamp" -type f)" ]; then
			bad="$bad${bad:+; }wrote to the tree"
			find "$root/sys" -newer "$tmp/stamp" -type f >>"$tmp/diff"
		fi
		if [ -f "$cases/$stem.err" ] && ! cmp -s "$tmp/err" "$cases/$stem.err"; then
			bad="$bad${bad:+; }stderr differs"
			diff -u "$cases/$stem.err" "$tmp/err" >>"$tmp/diff"
		fi
		if [ -n "$bad" ]; then
			echo "FAIL $label/$stem: daxctl $args: $bad"
			sed 's/^/    /' "$tmp/diff"
			[ -f "$cases/$stem.err" ] || sed 's/^/    stderr: /' "$tmp/err"
			fail=$((fail + 1))
		fi
	done
}

finish() {
	echo "$((total - fail))/$total cases passed"
	[ "$fail" -eq 0 ]
	exit $?
}

if [ "${1:-}" != --captured ]; then
	[ $# -eq 4 ] || {
		echo "usage: run-golden.sh DAXCTL MKTREE TREE_SCRIPT CASES_DIR" >&2
		exit 2
	}
	sh "$2" "$tmp/root" "$3" || exit 1
	run_cases "${4##*/}" "$1" "$tmp/root" "$4" "" ""
	finish
fi

daxctl=$2 norm=$3 data=$4
found=0
for d in "$data"/*/; do
	d=${d%/}
	if [ ! -d "$d/tree" ] || [ ! -d "$d/golden" ]; then
		continue
	fi
	root=$d/tree runas=
	case ${d##*/} in
	*-nonroot)
		if [ "$(id -u)" = 0 ]; then
			[ -x "${AS_NOBODY:-}" ] || {
				echo "FAIL ${d##*/}: AS_NOBODY (test/tools/as-nobody) is not set"
				exit 1
			}
			runas=$AS_NOBODY
		fi
		# git keeps no modes: copy the tree and apply the recorded ones.
		rm -rf "$tmp/tree" && cp -a "$d/tree" "$tmp/tree" || exit 1
		chmod -R a+rX "$tmp" "$tmp/tree"
		# sysfs files are root's; the copy is owned by whoever runs this. A non-root
		# user gets what the "other" bits allow, owner or not: those bits for all
		# three classes (0400 -> 0000) give every non-root runner, the owner
		# included, the view that was captured.
		if [ -f "$tmp/tree/modes" ]; then
			while read -r mode path; do
				o=${mode#"${mode%?}"}
				chmod "0$o$o$o" "$tmp/tree/$path"
			done <"$tmp/tree/modes"
		fi
		root=$tmp/tree
		;;
	esac
	found=$((found + 1))
	run_cases "${d##*/}" "$daxctl" "$root" "$d/golden" "$norm" "$runas"
done
if [ "$found" -eq 0 ]; then
	echo "FAIL: no captured trees in $data"
	exit 1
fi
finish
