# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 240
#
# libdax's change side with kmem (the window is CPU-less node 1): enable/disable system-ram
# through the library on both lines (6.1: kmem matches through new_id only; 6.12: the region
# is kmem-typed and kmem binds directly), refusals while memory is online, bystanders (an
# enabled and a disabled device) untouched.  Case code: test/kernel/libdax-change.c.
. "$SRCDIR/test/kernel/lib.sh"

run_kmem_case kmem

info "lib-kmem: $pass_count checks passed on $KLINE"
