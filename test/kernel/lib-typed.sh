# SPDX-License-Identifier: GPL-2.0-only
# topology: two
# timeout: 180
#
# Two regions of different driver types on 6.12 (region 0 kmem-typed, region 1 made with
# region_idle=Y, so device-typed): libdax's device_dax new_id for region 0 must not leave a
# disabled device of region 1 bound, and a kmem new_id for region 1 is refused while an
# unbound device with a size waits in region 0 (kmem would hot-plug it).  On 6.1 the same
# steps run without new_id for device_dax.  Case code: test/kernel/libdax-change.c.
. "$SRCDIR/test/kernel/lib.sh"

BIN=$BUILDDIR/test/kernel/libdax-change
[ -x "$BIN" ] || fail "$BIN not built"

# libdax decides typed matching from this driver's presence (lib/bystander.c), never from the
# kernel release: it must be absent on 6.1 and present on 6.12.
step "typed-driver signal ($KLINE)"
if [ "$KLINE" = 6.1 ]; then
	assert_not_exists /sys/bus/platform/drivers/hmem_platform
else
	assert_exists /sys/bus/platform/drivers/hmem_platform
fi

step "typed ($KLINE)"
region_state 0 unbound
region_state 1 idle
log=${TEST_RESULTDIR:-/tmp}/typed.log
LIBDAX_LOG=debug "$BIN" typed "$KLINE" 2>"$log" || {
	grep -v 'dbg' "$log" | tail -n 30
	fail "case typed (debug log: $log)"
}
ok
assert_eq "$(ls "$DAX_BUS/devices" | tr '\n' ' ')" "dax0.0 dax1.0 " "devices after typed"
if [ "$KLINE" = 6.1 ]; then
	assert_eq "$(grep -c 'device_dax/new_id <- ' "$log" || true)" 0 "device_dax/new_id on 6.1"
else
	# The restore of region 1's device is visible in the log.
	grep -q 'bound to device_dax by new_id; unbound again' "$log" ||
		fail "no bystander was restored on $KLINE"
	ok
fi
info "lib-typed: $pass_count checks passed on $KLINE"
