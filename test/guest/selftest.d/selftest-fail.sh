# SPDX-License-Identifier: GPL-2.0-only
# Guest side of "selftest fail": an assertion that must fail (line 5 below).
. "$SRCDIR/test/kernel/lib.sh"
assert_eq 1 1 "warm-up"
assert_eq "$(read_attr "$(region_dir 0)/size")" 12345 "deliberately wrong size"
echo "not reached"
