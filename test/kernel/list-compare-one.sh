# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 280
#
# daxctl list against Debian's daxctl 76.1 on the same sysfs state: the
# region as booted, then fragmented (three discontiguous mappings, a disabled
# device, a hole, an idle device), built with raw sysfs writes.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/list-compare.inc"
. "$SRCDIR/test/data/layouts.sh"

step "fresh region"
compare_lists fresh
step "fragmented region"
layout_fragmented
compare_lists fragmented
info "list-compare-one: $pass_count checks passed on $KLINE"
