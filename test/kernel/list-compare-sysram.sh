# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 200
#
# daxctl list against daxctl 76.1 for a system-ram device with 3 of its 8
# memory blocks online, beside a devdax device (the memblock keys).
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/list-compare.inc"
. "$SRCDIR/test/data/layouts.sh"

layout_sysram_partial
compare_lists sysram-partial
info "list-compare-sysram: $pass_count checks passed on $KLINE"
