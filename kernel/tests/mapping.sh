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

# mapping_under_driver DEV DRIVER START LEN: defect 3 on DEV, bound to DRIVER with one range
# of LEN: a second range of LEN at START is refused with EBUSY (fixed), or taken under the
# driver's feet (stock); DEV stays bound either way.
mapping_under_driver() {
	local d=$DAX_BUS/devices/$1
	assert_eq "$(dev_driver "$1")" "$2" "driver of $1"
	if fixed 3; then
		expect_errno EBUSY "$d/mapping" "$(hexr "$3" "$4")"
		assert_file_content "$d/size" "$4"
		assert_not_exists "$d/mapping1"
	else
		write_attr "$d/mapping" "$(hexr "$3" "$4")"
		assert_file_content "$d/size" $((2 * $4))
		assert_file_content "$d/mapping1/start" "$(printf '%#x' "$3")"
	fi
	assert_eq "$(dev_driver "$1")" "$2" "driver of $1"
}

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
	w0=$(dmesg | grep -c 'WARNING: ' || true)
	expect_errno EINVAL "$DAX_BUS/drivers/device_dax/bind" "$dev"
	# The probe WARNs on the way (a panic under panic_on_warn): in the memory hotplug core
	# and in the x86 vmemmap code.
	warns=$(dmesg | grep 'WARNING: ' | tail -n +$((w0 + 1)))
	info "new WARNs: $warns"
	grep -q 'mm/memory_hotplug.c' <<<"$warns" || fail "no WARN in mm/memory_hotplug.c: '$warns'"
	ok
	grep -q 'arch/x86/mm/init_64.c' <<<"$warns" || fail "no WARN in arch/x86/mm/init_64.c: '$warns'"
	ok
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
mapping_under_driver "$dev" device_dax $((BASE + 2 * MiB)) $((2 * MiB))
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

step "defect 3 with kmem: mapping on a device bound to kmem"
# An idle region takes nothing when kmem loads (on 6.12 too); kmem gets dax0.2 by new_id.
write_attr "$R/create" 1
D2=$DAX_BUS/devices/dax0.2
write_attr "$D2/mapping" "$(hexr $((BASE + 128 * MiB)) $((128 * MiB)))"
load_kmem
write_attr "$DAX_BUS/drivers/kmem/new_id" dax0.2
# Stock: kmem hot-plugged one range, and its remove path would now walk two entries of its
# one-entry array, so dax0.2 stays bound until the guest powers off.
mapping_under_driver dax0.2 kmem $((BASE + 256 * MiB)) $((128 * MiB))

info "mapping: $pass_count checks passed ($VARIANT, $KLINE)"
