#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Exe wrapper of the "valgrind" test setup. Compiled tests run under
# valgrind; a test whose command is an interpreter (a shell or Python
# script) runs as is, since valgrind would report the interpreter's own
# leaks. Such scripts may wrap the binaries they start in $DAX_VALGRIND.
case ${1##*/} in
sh | dash | bash | python | python3*) exec "$@" ;;
esac
exec $DAX_VALGRIND "$@"
