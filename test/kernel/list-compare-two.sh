# SPDX-License-Identifier: GPL-2.0-only
# topology: two
# timeout: 200
#
# daxctl list against daxctl 76.1 with two regions, one of them split.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/list-compare.inc"
. "$SRCDIR/test/data/layouts.sh"

layout_two_regions
compare_lists two-regions
info "list-compare-two: $pass_count checks passed on $KLINE"
