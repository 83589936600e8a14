# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 240
#
# libdax's change side (create, destroy, size, align, ranges, enable, disable) on the real
# kernel, through test/kernel/libdax-change (a C program linking libdax).  Each case starts
# from region 0 "unbound" (dax0.0 spans the window, no driver; on 6.12 the region is
# kmem-typed, so device_dax binds only through new_id) and a fresh region reset. "lifetime"
# holds handles while devices are destroyed and re-made behind the library's back; "others"
# changes the region between the library's creates, which must see it with no refresh.
. "$SRCDIR/test/kernel/lib.sh"

BIN=$BUILDDIR/test/kernel/libdax-change
[ -x "$BIN" ] || fail "$BIN not built"

for c in basic align ranges resize bystander poison leftover create-devs lifetime others; do
	step "$c ($KLINE)"
	region_state 0 unbound
	log=${TEST_RESULTDIR:-/tmp}/$c.log
	LIBDAX_LOG=debug "$BIN" "$c" "$KLINE" 2>"$log" || {
		grep -v ': sysfs_read\|dbg' "$log" | tail -n 30
		fail "case $c (debug log: $log)"
	}
	ok
	# The writes the library made, from its debug log.
	adds=$(grep -c 'device_dax/new_id <- ' "$log" || true)
	removes=$(grep -c 'device_dax/remove_id <- ' "$log" || true)
	case $KLINE in
	6.1)
		# device_dax matches every device: new_id would re-probe every disabled one.
		assert_eq "$adds" 0 "device_dax/new_id writes in $c on 6.1"
		;;
	*)
		# kmem-typed region: bind answers ENODEV, so new_id is needed; every name added
		# is removed again.
		[ "$adds" -gt 0 ] || fail "no device_dax/new_id in $c on $KLINE"
		[ "$removes" -ge "$adds" ] || fail "$adds new_id but $removes remove_id writes in $c"
		ok
		;;
	esac
	# Nothing left behind by the library itself: only dax0.0 remains.
	assert_eq "$(ls "$DAX_BUS/devices" | tr '\n' ' ')" "dax0.0 " "devices after $c"
	assert_exists /run/libdax/region0.lock
done
assert_mode /run/libdax 755

info "lib-change: $pass_count checks passed on $KLINE"
