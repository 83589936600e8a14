# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 90
#
# Defects 2, 3 and 4 of kernel/README.md, all in the "mapping" attribute (drivers/dax/bus.c):
#   2. a range whose start is off the 2 MiB granularity is accepted; the probe then fails;
#   3. a range is accepted on a device that is bound to a driver;
#   4. (6.9+) a length off the granularity "succeeds" and allocates nothing.
# On the stock kernel each is shown to be there (defect 4: only on 6.12; 6.1 must refuse with
# ENXIO); on the patched kernel each write is refused and the device is unchanged.
. "$SRCDIR/kernel/tests/variant.sh"

R=$(region_dir 0)
BASE=$((0x100000000)) # topology one: the 2 GiB window starts at 4 GiB
MiB=$((1 << 20))
hexr() { printf '%#x-%#x' "$1" $(($1 + $2 - 1)); } # hexr START LEN -> mapping value
dev=dax0.1
D=$DAX_BUS/devices/$dev

region_state 0 idle
write_attr "$R/create" 1
assert_exists "$D"
assert_file_content "$D/size" 0

step "defect 2: mapping with a start 1 MiB off the granularity"
if fixed 2; then
	expect_errno ENXIO "$D/mapping" "$(hexr $((BASE + MiB)) $((2 * MiB)))"
	assert_file_content "$D/size" 0
	assert_not_exists "$D/mapping0"
else
	# Accepted as is; only the probe finds out, with a WARN and EINVAL.
	write_attr "$D/mapping" "$(hexr $((BASE + MiB)) $((2 * MiB)))"
	assert_file_content "$D/size" $((2 * MiB))
	assert_file_content "$D/mapping0/start" "$(printf '%#x' $((BASE + MiB)))"
	expect_errno EINVAL "$DAX_BUS/drivers/device_dax/bind" "$dev"
	assert_eq "$(dev_driver "$dev")" none "driver of $dev after the failed probe"
	# The probe failure poisons the device (defect 1): start again with a new one.
	write_attr "$D/size" 0
	write_attr "$R/delete" "$dev"
	assert_not_exists "$D"
	write_attr "$R/create" 1
	assert_exists "$D"
fi

step "defect 3: mapping on a device bound to device_dax"
write_attr "$D/size" $((2 * MiB))
bind_device_dax "$dev"
if fixed 3; then
	expect_errno EBUSY "$D/mapping" "$(hexr $((BASE + 2 * MiB)) $((2 * MiB)))"
	assert_file_content "$D/size" $((2 * MiB))
	assert_not_exists "$D/mapping1"
else
	# Accepted while bound: size and mappings grow under the driver's feet.
	write_attr "$D/mapping" "$(hexr $((BASE + 2 * MiB)) $((2 * MiB)))"
	assert_file_content "$D/size" $((4 * MiB))
	assert_file_content "$D/mapping1/start" "$(printf '%#x' $((BASE + 2 * MiB)))"
fi
assert_eq "$(dev_driver "$dev")" device_dax "driver of $dev"
unbind_dev "$dev"
write_attr "$D/size" 0

step "defect 4: mapping with a length of 1 MiB (off the granularity)"
avail=$(read_attr "$R/available_size")
if fixed 4 || [ "$KLINE" = 6.1 ]; then
	# 6.1 never had this defect: the write fails there as on the patched kernels.
	expect_errno ENXIO "$D/mapping" "$(hexr "$BASE" "$MiB")"
else
	# The write reports success (all bytes taken) ...
	write_attr "$D/mapping" "$(hexr "$BASE" "$MiB")"
fi
# ... and in every case nothing is allocated.
assert_file_content "$D/size" 0
assert_not_exists "$D/mapping0"
assert_file_content "$R/available_size" "$avail"

step "the granularity itself is still accepted (aligned start and length, unbound)"
write_attr "$D/mapping" "$(hexr $((BASE + 4 * MiB)) $((2 * MiB)))"
assert_file_content "$D/size" $((2 * MiB))
bind_device_dax "$dev"

info "mapping: $pass_count checks passed ($VARIANT, $KLINE)"
