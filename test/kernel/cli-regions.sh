# SPDX-License-Identifier: GPL-2.0-only
# topology: two
# timeout: 200
#
# daxctl on two 1 GiB hmem regions. Without -r, create-device makes a device on every dynamic
# region, as upstream does, but prints all of them and runs as one transaction: a region that
# cannot take its device stops the whole run before any write, and an --input document
# spanning both regions is recreated completely or not at all. -r limits every command to one
# region.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

M=$((1 << 20))
tmp=$(mktemp -d)

region_state 0 idle
region_state 1 idle

step "create-device -s 256M without -r: one device per region, both printed"
daxctl_ok create-device -s 256m
err_has "created 2 devices"
set -- $(chardevs)
assert_eq "$*" "dax0.1 dax1.1" "devices created"
assert_eq "$(dev_size dax0.1)$(dev_size dax1.1)" $((256 * M))$((256 * M)) "sizes"

step "-u with two devices is still an array"
daxctl_ok create-device -s 64m -u
assert_match "$out" '^\[' "-u output of two devices"
err_has "created 2 devices"

step "-r 1 and --count: only region 1"
daxctl_ok create-device -r 1 --count 2 -s 32m
err_has "created 2 devices"
assert_eq "$(chardevs | cut -c1-4 | sort -u)" dax1 "region of the new devices"

step "a size one region cannot hold stops the whole run before any write"
before=$(snapshot)
daxctl_fails 228 create-device -s 672m
err_has "region 1: 1 device(s) of 672M do not fit in the 640M available"
err_has "created 0 devices"
assert_eq "$(snapshot)" "$before" "state after the refused run"

step "without -s: each region's remaining capacity"
daxctl_ok create-device
err_has "created 2 devices"
assert_eq "$(region_avail 0)$(region_avail 1)" 00 "available after filling both"
assert_consistent 0
assert_consistent 1

step "--input with both regions: recreated in one run"
daxctl_ok list -RDM
printf '%s\n' "$out" >"$tmp/all.json"
r0=$(for d in $(region_devs 0); do ranges "$d"; done)
r1=$(for d in $(region_devs 1); do ranges "$d"; done)
daxctl_ok destroy-device -f all
err_has "destroyed 10 devices"
daxctl_ok create-device --input "$tmp/all.json"
err_has "created 8 devices"
assert_eq "$(for d in $(region_devs 0); do ranges "$d"; done)" "$r0" "ranges of region 0"
assert_eq "$(for d in $(region_devs 1); do ranges "$d"; done)" "$r1" "ranges of region 1"

step "--input -r 0 with a document of both regions is refused"
daxctl_ok destroy-device -f all
before=$(snapshot)
daxctl_fails 234 create-device -r 0 --input "$tmp/all.json"
err_has "$tmp/all.json: dax1.1 belongs to region 1, but -r 0 was given (leave out -r)"
assert_eq "$(snapshot)" "$before" "state after the refused run"

step "--input: a failure in region 1 undoes region 0's devices too"
cat >"$tmp/half.json" <<'EOF'
[{"id":0,"devices":[{"chardev":"dax0.1","size":"64m"},{"chardev":"dax0.2","size":"64m"}]},
 {"id":1,"devices":[{"chardev":"dax1.1","mappings":[
   {"page_offset":0,"start":"0x100000000","end":"0x1001fffff"}]}]}]
EOF
daxctl_fails 234 create-device --input "$tmp/half.json"
err_has "$tmp/half.json: dax1.1: cannot recreate it: Invalid argument"
err_has "removed 2 of the 2 device(s) created before the failure"
assert_eq "$(snapshot)" "$before" "state after the undone run"
assert_no_idle 0
assert_no_idle 1

step "-r limits destroy, disable and enable"
daxctl_ok create-device -s 128m
daxctl_ok disable-device -r 1 all
err_has "disabled 2 devices"
assert_eq "$(dev_driver dax0.1)$(dev_driver dax1.1)" device_daxnone "drivers"
daxctl_ok enable-device -r region1 all
err_has "enabled 1 device"
daxctl_ok destroy-device -r 1 -f all
err_has "destroyed 2 devices"
assert_exists "$(dev_dir dax0.1)"
assert_not_exists "$(dev_dir dax1.1)"
daxctl_ok destroy-device -f all
assert_eq "$(region_avail 0)$(region_avail 1)" "$(region_size 0)$(region_size 1)" "all free"

rm -rf "$tmp"
info "cli-regions: $pass_count checks passed on $KLINE"
