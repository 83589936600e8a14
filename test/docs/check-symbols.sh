#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-symbols.sh LIBDAX.SYM LIBDAX1.SYMBOLS: the Debian symbols file lists exactly the
# symbols (and version nodes) the version script exports, each with its node. A symbol added
# to lib/libdax.sym must be added to debian/libdax1.symbols with the version that adds it.
set -u
from_sym=$(awk '
	/^[A-Z][A-Z0-9_.]* *\{/ { node = $1; print node "@" node; next }
	/^[ \t]*global:/ { g = 1; next }
	/^[ \t]*local:/ { g = 0; next }
	/^\}/ { g = 0; next }
	g && /^[ \t]*[A-Za-z_][A-Za-z0-9_]*;/ { s = $1; sub(/;.*/, "", s); print s "@" node }
' "$1" | sort)
from_deb=$(sed -n 's/^ \([A-Za-z_][A-Za-z0-9_.]*@[A-Z][A-Z0-9_.]*\) .*/\1/p' "$2" | sort)
[ -n "$from_sym" ] || { echo "FAIL: no symbols read from $1"; exit 1; }
head -n 3 "$2" | grep -q '^libdax.so.1 libdax1 ' || { echo "FAIL: $2: no 'libdax.so.1 libdax1' line"; exit 1; }
if [ "$from_sym" != "$from_deb" ]; then
	echo "FAIL: $2 does not match $1 (< version script, > symbols file):"
	diff <(echo "$from_sym") <(echo "$from_deb")
	exit 1
fi
echo "ok: $(wc -l <<<"$from_sym") symbols and nodes match"
