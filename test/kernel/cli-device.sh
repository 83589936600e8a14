# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 240
#
# enable-device, disable-device, destroy-device and reconfigure-device on a real region: counts
# and states, "all" and several names, enabling one device leaves other disabled ones alone,
# reconfigure --force as a transaction (a change the kernel refuses half-way is undone: same
# size, align, physical ranges and binding), and upstream daxctl 76.1 reading what we made.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

M=$((1 << 20))
G=$((1 << 30))

# merged DEV: the device's physical ranges with touching ones merged ("start-end" in hex).
merged() {
	local s e ps= pe=
	while IFS=- read -r s e; do
		if [ -n "$pe" ] && [ $((pe + 1)) -eq $((s)) ]; then
			pe=$((e))
			continue
		fi
		[ -z "$ps" ] || printf '%#x-%#x\n' "$ps" "$pe"
		ps=$((s)) pe=$((e))
	done < <(ranges "$1" | sort)
	[ -z "$ps" ] || printf '%#x-%#x\n' "$ps" "$pe"
}

fresh_region

step "create three devices; disable and enable by name and with all"
daxctl_ok create-device --count 3 -s 128m
set -- $(chardevs)
a=$1 b=$2 c=$3
daxctl_ok disable-device "$a" "$b"
err_has "disabled 2 devices"
assert_eq "$(dev_driver "$a")$(dev_driver "$b")$(dev_driver "$c")" nonenonedevice_dax "drivers"
daxctl_ok list -d "$a"
assert_match "$out" '"state":"disabled"' "list shows $a disabled"

step "enabling one device leaves the other disabled one alone (no new_id re-probe)"
daxctl_ok enable-device "$a"
err_has "enabled 1 device"
assert_eq "$(dev_driver "$a")" device_dax "driver of $a"
assert_eq "$(dev_driver "$b")" none "driver of $b after enabling $a"

step "enable-device all: skips the idle dax0.0, counts the enabled ones too"
daxctl_ok enable-device all
err_has "enabled 3 devices"
assert_eq "$(dev_driver "$b")" device_dax "driver of $b"
assert_eq "$(dev_driver dax0.0)" none "idle dax0.0 untouched"
daxctl_ok disable-device -r 0 all
err_has "disabled 4 devices"
daxctl_ok enable-device /dev/"$a" "${b#dax}"
err_has "enabled 2 devices"

step "reconfigure-device: a disabled device stays disabled, an enabled one (-f) stays enabled"
daxctl_ok reconfigure-device -s 256m "$c"
assert_eq "$(dev_size "$c")" $((256 * M)) "size of $c"
assert_eq "$(dev_driver "$c")" none "driver of $c after resizing it disabled"
daxctl_ok reconfigure-device -f -s 64m "$a" "$b"
err_has "reconfigured 2 devices"
assert_eq "$(chardevs | tr '\n' ' ')" "$a $b " "JSON of both devices printed"
assert_eq "$(dev_size "$a")$(dev_driver "$a")" $((64 * M))device_dax "$a after -f -s"
assert_eq "$(dev_size "$b")$(dev_driver "$b")" $((64 * M))device_dax "$b after -f -s"
daxctl_ok reconfigure-device -a 4k "$c"
assert_eq "$(dev_align "$c")" 4096 "align of $c"

step "reconfigure-device -m devdax: enables a disabled device, confirms an enabled one"
daxctl_ok reconfigure-device -m devdax "$c" "$a"
err_has "$a was already in devdax mode"
err_has "reconfigured 2 devices"
assert_eq "$(dev_driver "$c")" device_dax "driver of $c"

step "reconfigure-device -f -s 0 of an enabled device leaves it idle and disabled"
create_ok -s 64m
zero=$new
daxctl_ok reconfigure-device -f -s 0 "$zero"
err_has "$zero: size 0, left disabled"
assert_eq "$(dev_size "$zero")$(dev_driver "$zero")" 0none "$zero after -f -s 0"
daxctl_ok destroy-device "$zero"

step "upstream daxctl 76.1 lists what we made the same way"
need_ref
norm=$BUILDDIR/test/tools/json-normalize
ours=$("$DAXCTL" list -RDMi | "$norm")
theirs=$("$DAXCTL_REF" list -RDMi | "$norm")
assert_eq "$ours" "$theirs" "list -RDMi, ours vs 76.1"

step "destroy-device: dax0.0 counts as destroyed (size 0, kept by the kernel)"
daxctl_ok destroy-device -f all
err_has "destroyed 4 devices"
assert_exists "$(dev_dir dax0.0)"
assert_eq "$(region_avail)" "$(region_size)" "available"
assert_no_idle

step "--force transaction: a refused align after a shrink is undone exactly"
create_ok -s 2m
small=$new
create_ok -s 1536m
big=$new
before_ranges=$(merged "$big")
before_list=$(snapshot)
# Shrinking to 1G works; 1G align then fails (the range starts 2 MiB past a 1 GiB boundary).
daxctl_fails 234 reconfigure-device -f -s 1g -a 1g "$big"
err_has "$big: restored its previous size, align and binding"
assert_eq "$(dev_size "$big")" $((1536 * M)) "size of $big after the undo"
assert_eq "$(dev_align "$big")" $((2 * M)) "align of $big after the undo"
assert_eq "$(dev_driver "$big")" device_dax "driver of $big after the undo"
assert_eq "$(merged "$big")" "$before_ranges" "physical ranges of $big after the undo"
assert_consistent

step "--force transaction: a refused align before a grow changes nothing at all"
daxctl_ok destroy-device -f "$big"
before_list=$(snapshot)
# The 2 MiB range cannot take a 1 GiB align: refused before the grow is tried.
daxctl_fails 234 reconfigure-device -f -s 1g -a 1g "$small"
err_has "$small: restored its previous size, align and binding"
assert_eq "$(snapshot)" "$before_list" "state after the refused change"

daxctl_ok destroy-device -f all
assert_eq "$(region_avail)" "$(region_size)" "available at the end"
assert_no_idle
info "cli-device: $pass_count checks passed on $KLINE"
