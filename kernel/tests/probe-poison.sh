# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 120
#
# Defect 1 of kernel/README.md (drivers/dax/device.c): a device_dax probe that fails after
# allocating the page map leaves dev_dax->pgmap pointing at freed memory, and every later
# probe of that device fails with EINVAL ("dynamic-dax with pre-populated page map").
#
# The probe is made to fail the way it fails in the field: kmem unbound while its memory is
# online leaks the range in iomem, and a new device on that range cannot reserve it (EBUSY).
# The device is then moved to free capacity, where a probe must succeed.  On the stock kernel
# (and only there) it fails with EINVAL; patched (module or kernel) it binds.
. "$SRCDIR/kernel/tests/variant.sh"

R=$(region_dir 0)
BASE=$((0x100000000)) # topology numa: the 2 GiB window at 4 GiB, on node 1
hexr() { printf '%#x-%#x' "$1" $(($1 + $2 - 1)); }
dev=dax0.1
D=$DAX_BUS/devices/$dev
BLOCK=$((0x$(read_attr /sys/devices/system/memory/block_size_bytes)))
MEM=/sys/devices/system/memory/memory$((BASE / BLOCK))

# An idle region is device-typed on 6.12 too: loading kmem takes nothing, and device_dax
# binds through bind.  kmem only gets the device named on its new_id.
region_state 0 idle
load_kmem

step "leak [BASE, BASE + block) in iomem: kmem unbound with its memory online"
write_attr "$R/create" 1
write_attr "$D/size" "$BLOCK"
write_attr "$DAX_BUS/drivers/kmem/new_id" "$dev"
assert_eq "$(dev_driver "$dev")" kmem "driver of $dev"
assert_exists "$MEM"
# Debian's 6.12 onlines hot-added memory itself; elsewhere it starts offline.
[ "$(read_attr "$MEM/state")" = online ] || write_attr "$MEM/state" online_movable
assert_file_content "$MEM/state" online
write_attr "$DAX_BUS/drivers/kmem/remove_id" "$dev"
write_attr "$DAX_BUS/drivers/kmem/unbind" "$dev"
assert_eq "$(dev_driver "$dev")" none "driver of $dev after kmem unbind"
write_attr "$D/size" 0
write_attr "$R/delete" "$dev"
assert_not_exists "$D"

step "a new device on the leaked range: its device_dax probe fails with EBUSY"
write_attr "$R/create" 1
assert_exists "$D"
write_attr "$D/size" "$BLOCK"
assert_file_content "$D/mapping0/start" "$(printf '%#x' "$BASE")"
expect_errno EBUSY "$DAX_BUS/drivers/device_dax/bind" "$dev"
assert_eq "$(dev_driver "$dev")" none "driver of $dev after the failed probe"

step "moved to free capacity, the device must bind"
write_attr "$D/size" 0
write_attr "$D/mapping" "$(hexr $((BASE + 2 * BLOCK)) "$BLOCK")"
assert_file_content "$D/size" "$BLOCK"
assert_file_content "$D/mapping0/start" "$(printf '%#x' $((BASE + 2 * BLOCK)))"
dmesg -c >/dev/null
if fixed 1; then
	write_attr "$DAX_BUS/drivers/device_dax/bind" "$dev"
	assert_eq "$(dev_driver "$dev")" device_dax "driver of $dev"
	# The probe really completed: the character device opens (ENXIO while unbound).
	exec 3</dev/$dev || fail "open /dev/$dev"
	exec 3<&-
	ok
else
	# Poisoned: the stale page map pointer refuses every later probe.
	expect_errno EINVAL "$DAX_BUS/drivers/device_dax/bind" "$dev"
	assert_eq "$(dev_driver "$dev")" none "driver of $dev"
	assert_match "$(dmesg)" "pre-populated page map" "kernel log"
	# And it stays so: a second attempt fails the same way.
	expect_errno EINVAL "$DAX_BUS/drivers/device_dax/bind" "$dev"
fi

info "probe-poison: $pass_count checks passed ($VARIANT, $KLINE)"
