# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 120
#
# Defect 2 of kernel/README.md: range starts are never checked against a device's align.
# Only lengths are (dev_dax_validate_align()); the allocator puts a new range where the free
# space begins; and a PUD fault maps the physical address rounded down to 1 GiB.  So a 1 GiB
# device placed after a 2 MiB one maps the 2 MiB device's memory.
# Variant stock: the misaligned device is made three ways (growth, align, mapping), binds,
# and reads and corrupts its neighbour's memory through /dev/dax0.2.  Variant modules:
# Debian's bus still makes it, but the patched device_dax refuses the fault (SIGBUS).
# Variant kernel: no way through sysfs makes it.  Every legal 1 GiB layout still creates,
# binds and faults.
. "$SRCDIR/kernel/tests/variant.sh"

R=$(region_dir 0)
BASE=$((0x100000000)) # topology one: the 2 GiB window starts at 4 GiB
M=$((1 << 20))
G=$((1 << 30))
POKE=$BUILDDIR/kernel/dax-poke
[ -x "$POKE" ] || fail "$POKE not built"
hex() { printf '%#x' "$1"; }
hexr() { printf '%#x-%#x' "$1" $(($1 + $2 - 1)); } # hexr START LEN -> mapping value
dir() { echo "$DAX_BUS/devices/$1"; }
start() { read_attr "$(dir "$1")/mapping0/start"; }

# poke DEV LEN OFF [VALUE]: dax-poke's output in $out, its exit status in $prc.
poke() {
	prc=0
	out=$("$POKE" "/dev/$1" "$2" "$3" ${4:+"$4"} 2>&1) || prc=$?
}

# guarded: is the fault-path guard (patched device_dax) in what this guest runs?
guarded() { [ "$VARIANT" != stock ]; }

region_state 0 idle
write_attr "$R/create" 1
write_attr "$(dir dax0.1)/size" $((2 * M))
assert_eq "$(start dax0.1)" "$(hex $BASE)" "dax0.1's start"
bind_device_dax dax0.1
write_attr "$R/create" 1
D2=$(dir dax0.2)

step "growth: align 1G, then size 1G, after the 2 MiB dax0.1"
write_attr "$D2/align" $G
write_attr "$D2/size" $G
if fixed 2; then
	assert_eq "$(start dax0.2)" "$(hex $((BASE + G)))" "dax0.2 placed at the next 1 GiB boundary"
else
	assert_eq "$(start dax0.2)" "$(hex $((BASE + 2 * M)))" "dax0.2 placed right after dax0.1"
fi
bind_device_dax dax0.2

step "a 1 GiB fault through dax0.2 and dax0.1's memory"
m1=0x1d1a5000000000a1 m2=0x1d1a5000000000b2 m3=0x1d1a5000000000c3
poke dax0.1 $((2 * M)) 0 $m1
[ "$prc" -eq 0 ] && [ "$out" = $m1 ] || fail "marker through dax0.1: status $prc, '$out'"
ok
poke dax0.2 $G 0
if ! fixed 2 && ! guarded; then
	# The defect: dax0.2's first byte is dax0.1's, both ways.
	[ "$prc" -eq 0 ] || fail "read through dax0.2: status $prc, '$out'"
	assert_eq "$out" $m1 "dax0.2 reads dax0.1's marker (the alias)"
	poke dax0.2 $G 0 $m2
	poke dax0.1 $((2 * M)) 0
	assert_eq "$out" $m2 "dax0.1 after a write through dax0.2 (corrupted)"
elif ! fixed 2; then
	# Misaligned device, patched fault path: SIGBUS, nothing mapped.
	assert_eq "$prc" $((128 + 7)) "dax-poke through the misaligned dax0.2 (SIGBUS): '$out'"
	poke dax0.1 $((2 * M)) 0
	assert_eq "$out" $m1 "dax0.1's marker after the refused fault"
else
	[ "$prc" -eq 0 ] || fail "read through dax0.2: status $prc, '$out'"
	assert_ne "$out" $m1 "dax0.2's first word (dax0.1's marker must not show)"
	poke dax0.2 $G 0 $m3
	assert_eq "$out" $m3 "write and read back through dax0.2"
	poke dax0.2 $G $((G - 8)) $m2
	assert_eq "$out" $m2 "the last word of dax0.2"
	poke dax0.1 $((2 * M)) 0
	assert_eq "$out" $m1 "dax0.1's marker after writes through dax0.2"
fi
unbind_dev dax0.2
write_attr "$D2/size" 0
write_attr "$D2/align" $((2 * M))

step "align: size 1G at 0x100200000 (align 2M), then align 1G"
write_attr "$D2/size" $G
assert_eq "$(start dax0.2)" "$(hex $((BASE + 2 * M)))" "dax0.2 with align 2M"
if fixed 2; then
	expect_errno EINVAL "$D2/align" $G
	assert_file_content "$D2/align" $((2 * M))
else
	write_attr "$D2/align" $G
	assert_file_content "$D2/align" $G
fi
write_attr "$D2/size" 0
write_attr "$D2/align" $G

step "mapping: 0x100200000-0x1401fffff with align 1G"
if fixed 2; then
	expect_errno ENXIO "$D2/mapping" "$(hexr $((BASE + 2 * M)) $G)"
	assert_file_content "$D2/size" 0
	write_attr "$D2/mapping" "$(hexr $((BASE + G)) $G)"
	assert_eq "$(start dax0.2)" "$(hex $((BASE + G)))" "dax0.2 mapped at 0x140000000"
else
	write_attr "$D2/mapping" "$(hexr $((BASE + 2 * M)) $G)"
	assert_eq "$(start dax0.2)" "$(hex $((BASE + 2 * M)))" "dax0.2 mapped at 0x100200000"
fi
write_attr "$D2/size" 0

step "growth that fits only at misaligned starts"
# dax0.2 (align 2M) takes 2 MiB at 0x140000000: 2 GiB - 4 MiB are free, but no 1 GiB frame.
write_attr "$D2/align" $((2 * M))
write_attr "$D2/mapping" "$(hexr $((BASE + G)) $((2 * M)))"
write_attr "$R/create" 1
D3=$(dir dax0.3)
write_attr "$D3/align" $G
avail=$(read_attr "$R/available_size")
if fixed 2; then
	expect_errno ENOSPC "$D3/size" $G
	assert_file_content "$D3/size" 0
	assert_file_content "$R/available_size" "$avail"
else
	# The kernel's first fit: the rest of the first frame, then 2 MiB after dax0.2.
	write_attr "$D3/size" $G
	assert_eq "$(ranges dax0.3 | tr '\n' ' ')" \
		"$(hexr $((BASE + 2 * M)) $((G - 2 * M))) $(hexr $((BASE + G + 2 * M)) $((2 * M))) " \
		"dax0.3's ranges"
fi

step "legal 1 GiB layouts: two devices, then one of 2 GiB, each faulted in every GiB"
region_state 0 idle
for i in 1 2; do
	write_attr "$R/create" 1
	write_attr "$(dir dax0.$i)/align" $G
	write_attr "$(dir dax0.$i)/size" $G
	assert_eq "$(start dax0.$i)" "$(hex $((BASE + (i - 1) * G)))" "dax0.$i's start"
	bind_device_dax dax0.$i
done
poke dax0.1 $G 0 $m1
assert_eq "$out" $m1 "write through dax0.1"
poke dax0.2 $G 0 $m2
assert_eq "$out" $m2 "write through dax0.2"
poke dax0.1 $G 0
assert_eq "$out" $m1 "dax0.1 after dax0.2's write"
for i in 1 2; do
	unbind_dev dax0.$i
	write_attr "$(dir dax0.$i)/size" 0
done
write_attr "$(dir dax0.1)/size" $((2 * G))
assert_eq "$(ranges dax0.1)" "$(hexr $BASE $((2 * G)))" "dax0.1 spans the region"
bind_device_dax dax0.1
poke dax0.1 $((2 * G)) $G $m3
assert_eq "$out" $m3 "the second GiB of dax0.1"
poke dax0.1 $((2 * G)) 0
assert_eq "$out" $m1 "the first GiB of dax0.1 (dax0.1's old marker)"

info "alias: $pass_count checks passed ($VARIANT, $KLINE)"
