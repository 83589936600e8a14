# SPDX-License-Identifier: GPL-2.0-only
# topology: two
# timeout: 150
#
# Two regions (hmem.0 and hmem.1, 1 GiB each) and the test library's way of bringing a region
# into a known state on either kernel line (region_state: devdax, unbound, idle), one region
# at a time, plus the raw create -> size -> bind -> unbind -> size 0 -> delete cycle.
. "$SRCDIR/test/kernel/lib.sh"

G=1073741824
for r in 0 1; do
	step "region $r after boot ($KLINE)"
	assert_file_content "$(region_dir "$r")/id" "$r"
	assert_file_content "$(region_dir "$r")/size" $G
	assert_file_content "$DAX_BUS/devices/dax$r.0/size" $G
done
assert_eq "$(ls "$DAX_BUS/devices" | tr '\n' ' ')" "dax0.0 dax1.0 " "devices at boot"

for r in 0 1; do
	o=$((1 - r))
	before=$(dev_driver "dax$o.0")
	osize=$(read_attr "$DAX_BUS/devices/dax$o.0/size")
	for s in idle devdax unbound devdax idle; do
		step "region $r -> $s"
		region_state "$r" "$s"
		case $s in
		devdax) assert_eq "$(dev_driver "dax$r.0")" device_dax "dax$r.0 driver" ;;
		*) assert_eq "$(dev_driver "dax$r.0")" none "dax$r.0 driver" ;;
		esac
		# The other region is not touched.
		assert_eq "$(dev_driver "dax$o.0")" "$before" "dax$o.0 driver while resetting region $r"
		assert_file_content "$DAX_BUS/devices/dax$o.0/size" "$osize"
	done
done

step "raw create cycle on idle region 1"
R=$(region_dir 1)
region_state 1 idle
# With region_idle the region is not kmem-typed: plain bind works on both lines.
write_attr "$DAX_BUS/devices/dax1.0/size" 536870912
write_attr "$DAX_BUS/drivers/device_dax/bind" dax1.0
assert_eq "$(dev_driver dax1.0)" device_dax "dax1.0 driver"
assert_file_content "$R/available_size" 536870912
write_attr "$R/create" 1
assert_file_content "$R/seed" dax1.1
assert_file_content "$R/create" dax1.1
assert_file_content "$DAX_BUS/devices/dax1.1/size" 0
expect_errno ENXIO "$DAX_BUS/drivers/device_dax/bind" dax1.1
write_attr "$DAX_BUS/devices/dax1.1/size" 268435456
write_attr "$DAX_BUS/drivers/device_dax/bind" dax1.1
assert_file_content "$R/seed" ""
assert_file_content "$R/available_size" 268435456
expect_errno EBUSY "$R/delete" dax1.1
write_attr "$DAX_BUS/drivers/device_dax/unbind" dax1.1
write_attr "$DAX_BUS/devices/dax1.1/size" 0
write_attr "$R/delete" dax1.1
assert_not_exists "$DAX_BUS/devices/dax1.1"
assert_file_content "$R/available_size" 536870912

step "reset returns to a pristine region"
region_state 1 devdax
assert_file_content "$R/available_size" 0
assert_eq "$(ls "$DAX_BUS/devices" | tr '\n' ' ')" "dax0.0 dax1.0 " "devices at the end"

info "region-state: $pass_count checks passed on $KLINE"
