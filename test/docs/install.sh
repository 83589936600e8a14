#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install.sh: "meson install" into a DESTDIR installs the tool, the library, the header, the
# pkg-config file, the man pages and the bash completion; programs built against the
# installed libdax through pkg-config (with PKG_CONFIG_SYSROOT_DIR) build and run.
#
# Environment (set by test/docs/meson.build): MESON, BUILDDIR, SRCDIR, PREFIX, BINDIR,
# LIBDIR, INCLUDEDIR, MANDIR, COMPLETIONDIR ("no": not installed), DOCS (1: man pages
# built), VERSION, TREE (a captured sysfs tree), CC, EXTRA_CFLAGS (sanitizer builds).
set -u
bad=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }
abs() { case $1 in /*) echo "$1" ;; *) echo "$PREFIX/$1" ;; esac; }

D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
"$MESON" install -C "$BUILDDIR" --destdir "$D" --no-rebuild --quiet >"$D.log" 2>&1 ||
	{ cat "$D.log"; rm -f "$D.log"; echo "FAIL: meson install"; exit 1; }
rm -f "$D.log"
bin=$D$(abs "$BINDIR") lib=$D$(abs "$LIBDIR") inc=$D$(abs "$INCLUDEDIR") man=$D$(abs "$MANDIR")

step() { echo "--- $*"; }

step "files"
want=("$bin/daxctl" "$lib/libdax.so.1" "$lib/libdax.so" "$inc/libdax.h"
	"$lib/pkgconfig/libdax.pc")
if [ "$DOCS" = 1 ]; then
	for p in daxctl daxctl-list daxctl-create-device daxctl-destroy-device \
		daxctl-reconfigure-device daxctl-enable-device daxctl-disable-device \
		daxctl-online-memory daxctl-offline-memory; do
		want+=("$man/man1/$p.1")
	done
	want+=("$man/man3/libdax.3")
fi
[ "$COMPLETIONDIR" = no ] || want+=("$D$(abs "$COMPLETIONDIR")/daxctl")
for f in "${want[@]}"; do
	[ -e "$f" ] || fail "not installed: ${f#"$D"}"
done
[ -L "$lib/libdax.so.1" ] && [ "$(readlink "$lib/libdax.so")" = libdax.so.1 ] ||
	fail "libdax.so -> libdax.so.1 -> libdax.so.1.x.y links"
echo "$(find "$D" -type f | wc -l) files installed"

step "the installed daxctl, with the installed libdax.so.1"
[ "$(LD_LIBRARY_PATH=$lib "$bin/daxctl" --version)" = "$VERSION" ] || fail "installed daxctl --version"
[[ $(LD_LIBRARY_PATH=$lib ldd "$bin/daxctl") == *"libdax.so.1 => $lib/libdax.so.1 "* ]] ||
	fail "installed daxctl does not load the installed libdax.so.1"
a=$(LD_LIBRARY_PATH=$lib LIBDAX_SYSFS_ROOT=$TREE "$bin/daxctl" list -RDMi) && b=$(LIBDAX_SYSFS_ROOT=$TREE \
	"$BUILDDIR/daxctl/daxctl" list -RDMi) && [ -n "$a" ] && [ "$a" = "$b" ] ||
	fail "installed daxctl list differs from the build tree's"

step "pkg-config with a sysroot"
export PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
[ "$(pkg-config --modversion libdax)" = "$VERSION" ] || fail "pkg-config --modversion libdax"
flags=$(pkg-config --cflags --libs libdax) || fail "pkg-config --cflags --libs libdax"
echo "pkg-config: $flags"
[[ $flags == *"-L$lib"* && $flags == *-ldax* ]] || fail "libs do not point into the DESTDIR"
[[ $inc == */usr/include || $flags == *"-I$inc"* ]] || fail "cflags do not point into the DESTDIR"

# build NAME SOURCE: compile SOURCE against the installed libdax (warnings are errors).
build() {
	# shellcheck disable=SC2086 # flags are words
	"$CC" -std=gnu11 -Wall -Wextra -Werror ${EXTRA_CFLAGS:-} -o "$D/$1" "$2" $flags ||
		{ fail "$2 does not build against the installed libdax"; return 1; }
	LD_LIBRARY_PATH=$lib ldd "$D/$1" | grep -q "libdax.so.1 => $lib/libdax.so.1" ||
		fail "$1 does not load the installed libdax.so.1"
}

step "README's library example"
sed -n '/^<!-- example-c:/,/^```$/p' "$SRCDIR/README.md" | sed '1,2d;$d' >"$D/readme.c"
[ -s "$D/readme.c" ] || fail "no '<!-- example-c: ...' C block in README.md"
if build readme "$D/readme.c"; then
	out=$(LIBDAX_SYSFS_ROOT=$TREE LD_LIBRARY_PATH=$lib "$D/readme") || fail "README example failed"
	want=$'dax0.0 805306368 device_dax\ndax0.1 268435456 device_dax\ndax0.2 0 disabled\ndax0.3 268435456 disabled'
	[ "$out" = "$want" ] || fail "README example printed: $out"
fi

step "libdax(3)'s example program"
if build dax-show "$SRCDIR/Documentation/libdax/dax-show.c"; then
	LIBDAX_SYSFS_ROOT=$TREE LD_LIBRARY_PATH=$lib "$D/dax-show" >"$D/show.out" ||
		fail "dax-show failed"
	diff -u "$SRCDIR/test/docs/dax-show-6.1-fragmented.out" "$D/show.out" ||
		fail "dax-show output differs"
fi
build dax-provision "$SRCDIR/Documentation/libdax/dax-provision.c"

if [ "$DOCS" = 1 ]; then
	step "man pages: rendered without warnings, found by man, opened by daxctl help"
	for f in "$man"/man1/*.1 "$man"/man3/libdax.3; do
		w=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$f" 2>&1 >/dev/null)
		[ -z "$w" ] || fail "$(basename "$f"): $w"
	done
	[ "$(MANPATH=$man man -w daxctl-create-device)" = "$man/man1/daxctl-create-device.1" ] ||
		fail "man -w daxctl-create-device"
	[ "$(MANPATH=$man man -w 3 libdax)" = "$man/man3/libdax.3" ] || fail "man -w 3 libdax"
	for c in list reconfigure-device; do
		out=$(MANPATH=$man MANPAGER=cat PAGER=cat MANWIDTH=80 "$bin/daxctl" help "$c")
		grep -q "daxctl-$c - " <<<"$out" || fail "daxctl help $c did not show its page"
		out=$(MANPATH=$man MANPAGER=cat PAGER=cat MANWIDTH=80 "$bin/daxctl" "$c" --help)
		grep -q "daxctl-$c - " <<<"$out" || fail "daxctl $c --help did not show its page"
	done
fi

if [ "$COMPLETIONDIR" != no ]; then
	step "bash completion"
	out=$(bash -c '. "$1" && complete -p daxctl' _ "$D$(abs "$COMPLETIONDIR")/daxctl") ||
		fail "the installed completion does not register for daxctl"
	echo "$out"
fi

echo "install: $bad failures"
[ "$bad" = 0 ]
