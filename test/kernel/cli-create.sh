# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 200
#
# daxctl create-device on a 2 GiB hmem region: every scenario of upstream's daxctl-create test
# (full-capacity create, holes at the start and in the middle, alternating growth to 4 ranges
# each, relative page_offset kept, -a 1G and -a 2M, --input recreating the ranges), plus
# --count, -u output and the JSON of several devices. Mapping counts and ranges are checked
# against sysfs (mappingN/), not only against what daxctl prints.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

M=$((1 << 20))
G=$((1 << 30))

step "setup as upstream: dax0.0 holds the region; disable it, shrink it to 0 with daxctl"
region_state 0 devdax
daxctl_ok disable-device dax0.0
err_has "disabled 1 device"
daxctl_ok reconfigure-device -s 0 dax0.0
err_has "reconfigured 1 device"
assert_eq "$(dev_size dax0.0)" 0 "dax0.0 size"
assert_eq "$(region_avail)" "$(region_size)" "test 0: available == size"
assert_consistent

step "test 1: one device of all the capacity: 1 mapping, available_size gone from the JSON"
create_ok -r 0
dev=$new
assert_eq "$(dev_size "$dev")" $((2 * G)) "size of $dev"
assert_eq "$(nr_mappings "$dev")" 1 "mappings of $dev"
assert_eq "$(dev_driver "$dev")" device_dax "driver of $dev"
err_has "created 1 device"
daxctl_ok list -R -r 0
[[ $out != *available_size* ]] || fail "available_size still listed: $out"
ok
daxctl_ok destroy-device -f "$dev"
err_has "destroyed 1 device"
assert_not_exists "$(dev_dir "$dev")"
assert_eq "$(region_avail)" $((2 * G)) "available after destroy"

step "test 2: a hole at the start: a double-size device spans start + end"
create_ok -s 512m
a=$new
create_ok -s 512m
b=$new
daxctl_ok destroy-device -f "$a"
create_ok -s 1g
c=$new
assert_eq "$(nr_mappings "$c")" 2 "mappings of $c"
assert_eq "$(ranges "$c" | head -n1)" "0x100000000-0x11fffffff" "first range of $c (the hole)"
assert_consistent
daxctl_ok destroy-device -f "$b" "$c"
err_has "destroyed 2 devices"

step "test 3: a hole in the middle: a double-size device spans middle + end"
create_ok -s 512m
a=$new
create_ok -s 512m
b=$new
create_ok -s 512m
c=$new
daxctl_ok destroy-device -f "$b"
create_ok -s 768m
d=$new
assert_eq "$(nr_mappings "$d")" 2 "mappings of $d"
assert_eq "$(ranges "$d" | head -n1)" "0x120000000-0x13fffffff" "first range of $d (the hole)"
assert_consistent
daxctl_ok destroy-device -f all
assert_eq "$(region_avail)" $((2 * G)) "available after destroy all"
assert_no_idle

step "test 4: two devices grown alternately: 4 mappings each"
create_ok -s 64m
a=$new
create_ok -s 64m
b=$new
for size in 128m 192m 256m; do
	daxctl_ok reconfigure-device -f -s "$size" "$a"
	daxctl_ok reconfigure-device -f -s "$size" "$b"
done
assert_eq "$(nr_mappings "$a")" 4 "mappings of $a"
assert_eq "$(nr_mappings "$b")" 4 "mappings of $b"
assert_eq "$(dev_driver "$a")" device_dax "driver of $a after --force resizes"
ranges_a=$(ranges "$a")
ranges_b=$(ranges "$b")
daxctl_ok list -M
dump=$(mktemp)
printf '%s\n' "$out" >"$dump"
daxctl_ok list -M -u
dump_u=$(mktemp)
printf '%s\n' "$out" >"$dump_u"

step "test 7: --input recreates both devices, 4 exact ranges each, in one run"
daxctl_ok destroy-device -f "$a" "$b"
create_ok --input "$dump"
names=$new
assert_eq "$(wc -w <<<"$names")" 2 "devices recreated"
err_has "created 2 devices"
set -- $names
assert_eq "$(ranges "$1")" "$ranges_a" "ranges of $1 (was $a)"
assert_eq "$(ranges "$2")" "$ranges_b" "ranges of $2 (was $b)"
assert_eq "$(nr_mappings "$1")" 4 "mappings of $1"
daxctl_ok destroy-device -f all

step "test 7u: the same from -u output (sizes from the mappings, hex strings)"
create_ok --input "$dump_u"
names=$new
set -- $names
assert_eq "$(ranges "$1")" "$ranges_a" "ranges of $1 from -u"
assert_eq "$(ranges "$2")" "$ranges_b" "ranges of $2 from -u"
daxctl_ok destroy-device -f all

step "test 7s: --input from stdin, a disabled device stays disabled"
sed 's/"mode":"devdax"/"mode":"devdax","state":"disabled"/' "$dump" >"$dump.off"
run_daxctl create-device --input - <"$dump.off"
assert_eq "$rc" 0 "create-device --input - ($err)"
for d in $(chardevs); do
	assert_eq "$(dev_driver "$d")" none "driver of $d restored as disabled"
done
daxctl_ok destroy-device all
err_has "destroyed 3 devices"
assert_no_idle

step "test 5: relative page_offset: growing after a freed neighbour extends in place"
create_ok -s 256m
a=$new
create_ok -s 256m
b=$new
create_ok -s 256m
c=$new
daxctl_ok destroy-device -f "$c"
daxctl_ok reconfigure-device -f -s 512m "$b"
assert_eq "$(nr_mappings "$b")" 1 "mappings of $b grown into the space after it"

step "test 5b: a neighbour freed before it gives a second range"
daxctl_ok destroy-device -f "$a"
daxctl_ok reconfigure-device -f -s 768m "$b"
assert_eq "$(nr_mappings "$b")" 2 "mappings of $b grown into the hole before it"
assert_eq "$(ranges "$b" | tail -n1)" "0x100000000-0x10fffffff" "second range of $b"
assert_eq "$(read_attr "$(dev_dir "$b")/mapping1/page_offset")" 0x20000 \
	"page_offset of the new range"
daxctl_ok destroy-device -f all

step "test 6: -a 1G and -a 2M"
create_ok -s 1g -a 1g
d=$new
assert_eq "$(dev_align "$d")" $G "align of $d"
start=$(read_attr "$(dev_dir "$d")/mapping0/start")
assert_eq "$((start % G))" 0 "start of $d is 1 GiB aligned"
create_ok -s 2m -a 2m
e=$new
assert_eq "$(dev_align "$e")" $((2 * M)) "align of $e"
daxctl_ok destroy-device -f all

step "--count: equal devices, with and without -s, all in one JSON array"
daxctl_ok create-device --count 3 -s 128m
assert_eq "$(chardevs | wc -l)" 3 "devices printed"
err_has "created 3 devices"
for d in $(chardevs); do
	assert_eq "$(dev_size "$d")" $((128 * M)) "size of $d"
done
daxctl_ok create-device --count 4
err_has "created 4 devices"
per=$(( (2 * G - 3 * 128 * M) / 4 / (2 * M) * (2 * M) ))
for d in $(chardevs); do
	assert_eq "$(dev_size "$d")" "$per" "size of $d (available / 4)"
done
assert_consistent
daxctl_ok destroy-device -f all

step "-u: a single device is a bare object with human sizes"
daxctl_ok create-device -s 64m -u
assert_match "$out" '^\{' "-u output of one device"
assert_match "$out" '"size":"64.00 MiB \(67.11 MB\)"' "-u size"
daxctl_ok destroy-device -f all
assert_no_idle
assert_consistent

info "cli-create: $pass_count checks passed on $KLINE"
