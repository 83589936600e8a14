#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# map-tty.sh DAXCTL MKTREE TREE: daxctl map colours its devices only when stdout is a
# terminal (here a pty from script(1), util-linux) and --no-color is not given: on the pty
# every device letter of the bar and of the legend is wrapped in an ANSI colour, and with the
# escapes taken out the map is the plain one; with --no-color, or into a pipe, no escape.
set -u
daxctl=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$2" "$tmp/tree" "$3" || { echo "FAIL: cannot build the tree"; exit 1; }
export LIBDAX_SYSFS_ROOT=$tmp/tree
command -v script >/dev/null || { echo "FAIL: script(1) (util-linux) is needed"; exit 1; }
bad=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }
esc=$'\e'

# on_tty ARGS: daxctl map ARGS with stdout on a pty, carriage returns removed.
on_tty() { script -qec "$(printf '%q ' "$daxctl" map "$@")" /dev/null | tr -d '\r'; }

plain=$("$daxctl" map -r 0 --cells 32) || fail "map into a pipe failed"
[[ $plain != *$esc* ]] || fail "escapes in piped output"
tty=$(on_tty -r 0 --cells 32) || fail "map on a pty failed"
[[ $tty == *"$esc[30;41mA$esc[0m"* ]] || fail "no coloured A on the pty: $(cat -v <<<"$tty")"
[[ $tty == *"$esc[30;45mE$esc[0m"* ]] || fail "no coloured E on the pty: $(cat -v <<<"$tty")"
stripped=$(sed "s/$esc\[[0-9;]*m//g" <<<"$tty")
[ "$stripped" = "$plain" ] || fail "the pty output without escapes is not the plain map:
$stripped
---
$plain"
# Every letter of the bar and the legend is coloured: none is left bare.
marked=$(sed "s/$esc\[30;4[1-6]m[A-Za-z0-9#]$esc\[0m/@/g" <<<"$tty")
[[ $(sed -n 2p <<<"$marked") =~ ^\ \[[@.]+\]$ ]] || fail "bar: $(sed -n 2p <<<"$marked")"
[ "$(sed -n '5,9p' <<<"$marked" | grep -c '^ @  dax0\.')" = 5 ] ||
	fail "legend letters not all coloured: $(cat -v <<<"$tty")"
nocolor=$(on_tty -r 0 --cells 32 --no-color) || fail "map --no-color on a pty failed"
[[ $nocolor != *$esc* ]] || fail "escapes with --no-color: $(cat -v <<<"$nocolor")"
[ "$nocolor" = "$plain" ] || fail "--no-color on a pty differs from the plain map"
[ "$bad" = 0 ] && echo "map on a terminal: colours only there, same map otherwise"
[ "$bad" = 0 ]
