# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 300
#
# The system-ram examples of the manual pages and the README (reconfigure-device -m,
# online-memory, offline-memory), in the guest whose window lies on the CPU-less node 1: what
# they print must be what the pages show. The marking is described in doc-examples.inc.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/doc-examples.inc"

need_daxctl
cd "$SRCDIR" || fail "no source dir"
pages=(Documentation/daxctl/*.adoc Documentation/libdax/libdax.adoc README.md)
run_doc_examples "${pages[@]}"
