#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run one fuzz target for a bounded time as a test.
#
#   run-fuzz.sh replay BIN CORPUS DICT MUTATIONS SECONDS
#       the plain driver (replay.c): the corpus, then MUTATIONS random
#       mutations, stopping early after SECONDS.
#   run-fuzz.sh libfuzzer BIN CORPUS DICT RUNS SECONDS
#       a clang -fsanitize=fuzzer binary: at most RUNS inputs or SECONDS,
#       new inputs going to a scratch directory (the checked-in corpus is
#       only read).
#
# Crash inputs are written to $FUZZ_ARTIFACT_DIR (default: the current
# directory, meson's build directory).
set -eu
mode=$1 bin=$2 corpus=$3 dict=$4 count=$5 seconds=$6
art=${FUZZ_ARTIFACT_DIR:-$PWD}
mkdir -p "$art"
case $mode in
replay)
	FUZZ_ARTIFACT_DIR=$art exec "$bin" -n "$count" -t "$seconds" -d "$dict" "$corpus"
	;;
libfuzzer)
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
	"$bin" -runs="$count" -max_total_time="$seconds" -dict="$dict" \
		-artifact_prefix="$art/" -print_final_stats=1 "$scratch" "$corpus"
	;;
*)
	echo "run-fuzz.sh: unknown mode $mode" >&2
	exit 2
	;;
esac
