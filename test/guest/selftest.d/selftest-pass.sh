# SPDX-License-Identifier: GPL-2.0-only
# topology: two
# Guest side of "selftest pass": the environment the harness promises, and a result file.
. "$SRCDIR/test/kernel/lib.sh"
assert_eq "$TOPOLOGY" two "TOPOLOGY"
assert_eq "$KVER" "$(uname -r)" "KVER"
assert_match "$KLINE" '^6\.(1|12)$' "KLINE"
assert_eq "$DAXCTL" "$BUILDDIR/daxctl/daxctl" "DAXCTL"
assert_exists "$DAXCTL_REF"
assert_exists "$SRCDIR/test/kernel/lib.sh"
assert_exists "$BUILDDIR"
# two soft-reserved windows -> two regions
assert_file_content "$(region_dir 0)/size" 1073741824
assert_file_content "$(region_dir 1)/size" 1073741824
assert_exists "$DAX_BUS/devices/dax1.0"
# kmem is not loaded unless asked for
assert_not_exists "$DAX_BUS/drivers/kmem"
echo "written-in-guest $KLINE" >"$TEST_RESULTDIR/marker" || fail "cannot write to $TEST_RESULTDIR"
echo "selftest-pass: ok"
