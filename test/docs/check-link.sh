#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-link.sh DAXCTL LIBDAX: the default daxctl is the shipped build (daxctl/meson.build): a
# PIE that loads libdax.so.1 and json-c, and libdax.so.1 loads libkmod; at run time the build
# tree's daxctl finds the build tree's libdax.so.1 (its build rpath) and libkmod.
set -u
daxctl=$1 libdax=$2
bad=0
fail() { echo "FAIL: $*"; bad=1; }
command -v readelf >/dev/null || { echo "FAIL: readelf (binutils) is needed"; exit 1; }

dyn=$(readelf -d "$daxctl") || { echo "FAIL: readelf -d $daxctl"; exit 1; }
echo "$dyn" | grep -E 'NEEDED|RUNPATH|RPATH|FLAGS'
needs() { # needs WHAT DYNAMIC-SECTION SONAME-REGEX
	grep -qE "\(NEEDED\) +Shared library: \[$3\]" <<<"$2" || fail "$1 does not need $3"
}
needs daxctl "$dyn" 'libdax\.so\.1'
needs daxctl "$dyn" 'libjson-c\.so\.[0-9]+'
# libkmod is libdax's: daxctl calls none of it, so it is not daxctl's own NEEDED entry
# (--as-needed; dpkg-shlibdeps would call it a useless dependency), but it is loaded with it.
libdyn=$(readelf -d "$libdax") || { echo "FAIL: readelf -d $libdax"; exit 1; }
needs libdax.so.1 "$libdyn" 'libkmod\.so\.2'
readelf -h "$daxctl" | grep -qE 'Type: +DYN ' || fail "daxctl is not of type DYN: $(readelf -h "$daxctl" | grep Type:)"
grep -qE '\(FLAGS_1\) +Flags:.* PIE' <<<"$dyn" || fail "daxctl has no FLAGS_1 PIE"
grep -q 'Requesting program interpreter' < <(readelf -l "$daxctl") || fail "daxctl has no program interpreter (static?)"

# What the loader really maps, from the build tree, without LD_LIBRARY_PATH.
libs=$(env -u LD_LIBRARY_PATH ldd "$daxctl") || fail "ldd $daxctl"
echo "$libs"
got=$(awk '$1 == "libdax.so.1" && $2 == "=>" { print $3 }' <<<"$libs")
[ -n "$got" ] && [ "$(readlink -f "$got")" = "$(readlink -f "$libdax")" ] ||
	fail "daxctl loads libdax.so.1 from '$got', not the build tree's $libdax"
for l in libjson-c libkmod; do
	grep -qE "^\s*$l\.so\.[0-9]+ => /" <<<"$libs" || fail "daxctl does not load $l"
done
! grep -q 'not found' <<<"$libs" || fail "unresolved libraries"
[ "$bad" = 0 ] && echo "ok: daxctl is a PIE linked against libdax.so.1, json-c and (through libdax) libkmod"
exit "$bad"
