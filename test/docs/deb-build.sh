#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# deb-build.sh SRCDIR: build the Debian packages from a copy of the source tree
# (dpkg-buildpackage -us -uc -b, which also runs the unit tier), with any difference between
# the exported symbols and debian/libdax1.symbols fatal, check what each package holds and
# depends on, and run lintian on them (an error or a warning fails).
# The build runs as an ordinary user, as debian/control's "Rules-Requires-Root: no" promises:
# when this script runs as root it builds as nobody (setpriv), so the unit tier inside it
# runs without root too.
# Needs dpkg-dev, debhelper, lintian and the Build-Depends of debian/control. About 40 s;
# suite "packaging", part of every "meson test":
#   meson test -C build --suite packaging
set -u
src=$1
command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null && command -v lintian >/dev/null ||
	{ echo "FAIL: dpkg-buildpackage, debhelper and lintian are needed (apt-get install dpkg-dev debhelper lintian)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(sed -n '1s/^libdax (\([^)]*\)).*/\1/p' "$src/debian/changelog")
mkdir -p "$tmp/libdax-$ver"
tar -C "$src" --exclude=./build --exclude='./build-*' --exclude=./.git --exclude='./obj-*' -cf - . |
	tar -C "$tmp/libdax-$ver" -xf - || { echo "FAIL: copying the source"; exit 1; }
cd "$tmp/libdax-$ver" || exit 1
asuser=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "FAIL: setpriv (util-linux) is needed to build as nobody"; exit 1; }
	chown -R nobody:nogroup "$tmp" || { echo "FAIL: chown of the copy to nobody"; exit 1; }
	asuser=(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$tmp")
fi
builder=$("${asuser[@]}" id -u)
[ "$builder" != 0 ] || { echo "FAIL: the build would run as root"; exit 1; }
echo "building as uid $builder ($("${asuser[@]}" id -un))"
if ! "${asuser[@]}" env DPKG_GENSYMBOLS_CHECK_LEVEL=4 dpkg-buildpackage -us -uc -b >"$tmp/build.log" 2>&1; then
	tail -60 "$tmp/build.log"
	echo "FAIL: dpkg-buildpackage"
	exit 1
fi
bad=0
# has PACKAGE PATH-REGEX...: the package holds a file matching each.
has() {
	local deb=$tmp/${1}_${ver}_$(dpkg --print-architecture).deb p list
	shift
	list=$(dpkg-deb -c "$deb" | awk '{print $6}') || { echo "FAIL: no $deb"; bad=1; return; }
	for p in "$@"; do
		grep -qE "^\./$p\$" <<<"$list" || { echo "FAIL: $(basename "$deb") lacks $p"; bad=1; }
	done
}
has daxctl usr/bin/daxctl usr/share/bash-completion/completions/daxctl \
	usr/share/man/man1/daxctl.1.gz usr/share/man/man1/daxctl-create-device.1.gz \
	usr/share/man/man1/daxctl-apply.1.gz usr/share/man/man5/daxctl-layout.5.gz
has libdax1 'usr/lib/[^/]+/libdax.so.1' 'usr/lib/[^/]+/libdax.so.1.[0-9.]+'
has libdax-dev usr/include/libdax.h 'usr/lib/[^/]+/libdax.so' \
	'usr/lib/[^/]+/pkgconfig/libdax.pc' usr/share/man/man3/libdax.3.gz
# Dependencies (from shlibs): daxctl runs the packaged libdax.so.1, which loads libkmod and
# libinih (layout files) and libudev (waiting for udev).
depends() { # depends PACKAGE REGEX...: its Depends field matches each
	local deb=$tmp/${1}_${ver}_$(dpkg --print-architecture).deb d p
	shift
	d=$(dpkg-deb -f "$deb" Depends) || { echo "FAIL: no Depends in $deb"; bad=1; return; }
	echo "$(basename "$deb"): Depends: $d"
	for p in "$@"; do
		grep -qE "$p" <<<"$d" || { echo "FAIL: $(basename "$deb") Depends lacks $p"; bad=1; }
	done
}
depends daxctl '(^|, )libdax1 \(>= [^)]+\)' '(^|, )libjson-c5( |,|$)'
depends libdax1 '(^|, )libkmod2( |,|$)' '(^|, )libinih1( |,|$)' '(^|, )libudev1( |,|$)'
# The packaged daxctl: a PIE that needs libdax.so.1.
mkdir -p "$tmp/x" && dpkg-deb -x "$tmp/daxctl_${ver}_$(dpkg --print-architecture).deb" "$tmp/x"
dyn=$(readelf -d "$tmp/x/usr/bin/daxctl" 2>&1)
grep -q 'NEEDED.*\[libdax\.so\.1\]' <<<"$dyn" || { echo "FAIL: the packaged daxctl does not need libdax.so.1"; bad=1; }
grep -qE 'FLAGS_1.* PIE' <<<"$dyn" || { echo "FAIL: the packaged daxctl is not a PIE"; bad=1; }
! grep -qE 'RPATH|RUNPATH' <<<"$dyn" || { echo "FAIL: the packaged daxctl has an rpath"; bad=1; }
# The unit tier ran inside the build, as the builder.
grep -E '^(Ok|Fail):' "$tmp/build.log"
grep -qE '^Ok: +[1-9]' "$tmp/build.log" || { echo "FAIL: no unit test passed inside the build"; bad=1; }
ls "$tmp"/*.deb | xargs -n1 basename
# Debian's policy checks: an error or a warning fails (info tags are only shown).
lint=$(lintian --fail-on error,warning --display-info "$tmp"/libdax_"$ver"_*.changes 2>&1)
rc=$?
grep -v 'running with root privileges' <<<"$lint"
[ "$rc" = 0 ] || { echo "FAIL: lintian (exit $rc): errors or warnings above"; bad=1; }
[ "$bad" = 0 ] && echo "ok: packages built"
