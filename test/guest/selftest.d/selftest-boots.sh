# SPDX-License-Identifier: GPL-2.0-only
# boots: 2
# Boot 1 leaves a marker in TEST_RESULTDIR and passes; boot 2 must see it, then fails on
# purpose: the runner must report the second boot's failure.
if [ "$LIBDAX_BOOT" = 1 ]; then
	echo "written-in-boot-1" >"$TEST_RESULTDIR/boot1" || exit 2
	echo "selftest-boots: boot 1"
	exit 0
fi
[ "$LIBDAX_BOOT" = 2 ] || { echo "selftest-boots: LIBDAX_BOOT=$LIBDAX_BOOT"; exit 3; }
[ "$(cat "$TEST_RESULTDIR/boot1")" = written-in-boot-1 ] || { echo "selftest-boots: no marker"; exit 4; }
echo "selftest-boots: boot 2 saw boot 1"
exit 1
