# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 240
#
# libdax's change side with kmem (the window is CPU-less node 1): enable/disable system-ram
# through the library on both lines (6.1: kmem matches through new_id only; 6.12: the region
# is kmem-typed and kmem binds directly), refusals while memory is online, bystanders (an
# enabled and a disabled device) untouched.  Case code: test/kernel/libdax-change.c.
. "$SRCDIR/test/kernel/lib.sh"

BIN=$BUILDDIR/test/kernel/libdax-change
[ -x "$BIN" ] || fail "$BIN not built"

for c in kmem; do
	step "$c ($KLINE)"
	# kmem is loaded by the case itself, after dax0.0 was shrunk to 0: on 6.12 loading it
	# would take every unbound device with a size.  One case per guest: a region reset with
	# kmem loaded would hand the new dax0.0 to kmem on 6.12.
	region_state 0 unbound
	log=${TEST_RESULTDIR:-/tmp}/$c.log
	LIBDAX_LOG=debug "$BIN" "$c" "$KLINE" 2>"$log" || {
		grep -v 'dbg' "$log" | tail -n 30
		fail "case $c (debug log: $log)"
	}
	ok
	assert_eq "$(ls "$DAX_BUS/devices" | tr '\n' ' ')" "dax0.0 " "devices after $c"
	# kmem/new_id is only for 6.1 (kmem matches by id there); device_dax/new_id never on 6.1.
	if [ "$KLINE" = 6.1 ]; then
		assert_eq "$(grep -c 'device_dax/new_id <- ' "$log" || true)" 0 "device_dax/new_id on 6.1"
	else
		assert_eq "$(grep -c 'kmem/new_id <- ' "$log" || true)" 0 "kmem/new_id on $KLINE"
	fi
done

info "lib-kmem: $pass_count checks passed on $KLINE"
