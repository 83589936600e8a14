# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 120
#
# The dax region made from one 2 GiB soft-reserved window (memmap=2G%4G-1+0xefffffff):
# attributes, their modes and boot values, the driver dax0.0 gets on each kernel line, and the
# errors of create/delete.  Raw sysfs only (one write(2) per step via sysfs-io).
. "$SRCDIR/test/kernel/lib.sh"

R=$(region_dir 0)
D=$DAX_BUS/devices/dax0.0

step "region attributes after boot ($KLINE, $KVER)"
assert_exists "$R"
assert_file_content "$R/id" 0
assert_file_content "$R/size" 2147483648
assert_file_content "$R/align" 2097152
assert_mode "$R/id" 444
assert_mode "$R/size" 444
assert_mode "$R/align" 400
assert_mode "$R/available_size" 444
assert_mode "$R/seed" 444
assert_mode "$R/create" 644
assert_mode "$R/delete" 200
assert_file_content "$R/seed" ""
assert_file_content "$R/create" ""
expect_read_errno EACCES "$R/delete"

step "dax0.0 holds the whole region"
assert_exists "$D"
assert_file_content "$D/size" 2147483648
assert_file_content "$R/available_size" 0
case $KLINE in
6.1)
	# device_dax matches every device: dax0.0 binds as soon as both modules are loaded.
	assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 driver on 6.1"
	expect_errno EBUSY "$DAX_BUS/drivers/device_dax/bind" dax0.0
	;;
6.12)
	# hmem regions are kmem-typed (6.3+): without kmem loaded dax0.0 stays unbound, and
	# device_dax only takes it once the name is on its new_id list.
	assert_eq "$(dev_driver dax0.0)" none "dax0.0 driver on 6.12"
	expect_errno ENODEV "$DAX_BUS/drivers/device_dax/bind" dax0.0
	write_attr "$DAX_BUS/drivers/device_dax/new_id" dax0.0
	assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 driver after new_id"
	;;
*) fail "unknown kernel line '$KLINE'" ;;
esac

step "create and delete errors"
expect_errno EINVAL "$R/create" 2
expect_errno ENOSPC "$R/create" 1
expect_errno EBUSY "$R/delete" dax0.0
expect_errno ENXIO "$R/delete" dax9.9
# Nothing was created: seed and create still read empty, capacity unchanged.
assert_file_content "$R/seed" ""
assert_file_content "$R/create" ""
assert_file_content "$R/available_size" 0
assert_eq "$(ls "$DAX_BUS/devices")" dax0.0 "devices on the bus"

step "dax0.0 id 0 is never deletable, bound or not"
unbind_dev dax0.0
expect_errno EBUSY "$R/delete" dax0.0

step "reference daxctl sees the same region"
need_ref
out=$("$DAXCTL_REF" list -R) || fail "daxctl 76 list -R failed"
assert_match "$out" '"size":2147483648' "daxctl-76 list -R"
assert_match "$out" '"align":2097152' "daxctl-76 list -R"

info "region-basic: $pass_count checks passed on $KLINE"
