#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest script: build LAYOUT with raw sysfs writes, capture the sysfs tree and
# record what upstream daxctl 76.1 lists for every flag set in list-flags.txt
# (normalised to our order), as root and, with NONROOT=1, as nobody.
# Output: $CAPTURE_OUT/<layout>[-nonroot]/ with tree/ and golden/.
set -eu
here=$(dirname "$0")
. "$here/layouts.sh"

layout=${LAYOUT:?}
name=$layout
[ "${NONROOT:-0}" = 1 ] && name=$layout-nonroot
out=${CAPTURE_OUT:?}/$name
norm=$BUILDDIR/test/tools/json-normalize

"layout_$layout"
rm -rf "$out"
mkdir -p "$out/golden"
sh "$here/capture-sysfs.sh" "$out/tree"

run_ref() {
	if [ "${NONROOT:-0}" = 1 ]; then
		"$BUILDDIR/test/tools/as-nobody" "$DAXCTL_REF" "$@"
	else
		"$DAXCTL_REF" "$@"
	fi
}

grep -v '^#' "$here/list-flags.txt" | while read -r flags; do
	file=$(echo "list $flags" | tr ' ' '_')
	# shellcheck disable=SC2086 # flags are words on purpose
	rc=0
	run_ref list $flags >"$out/golden/$file.raw" 2>/dev/null || rc=$?
	"$norm" <"$out/golden/$file.raw" >"$out/golden/$file.json"
	rm "$out/golden/$file.raw"
	echo "$rc" >"$out/golden/$file.rc"
done
echo "captured $name: $(find "$out/tree" -type f | wc -l) files"
