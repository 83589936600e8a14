# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 300
#
# Every example of the manual pages (Documentation/) and of the README that needs the plain
# one-region guest is run here, and what it prints must be what the page shows: a stale
# example fails. The marking is described in doc-examples.inc.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/doc-examples.inc"

need_daxctl
cd "$SRCDIR" || fail "no source dir"
pages=(Documentation/daxctl/*.adoc Documentation/libdax/libdax.adoc README.md)
run_doc_examples "${pages[@]}"
