# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 240
#
# Bad input to every daxctl command that changes devices, on a real region: each case asserts
# the exit status, one exact line of the message, and that nothing changed (the output of
# "daxctl list -RDMi" and every device's driver, before and after). Includes failures found
# only by the library or the kernel (an --input range outside the region), where the devices
# made before the failure must be removed again.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

tmp=$(mktemp -d)
cases=0

# bad RC LINE ARGS...: daxctl ARGS exits RC, prints LINE, and changes nothing.
bad() {
	local want=$1 line=$2 before after
	shift 2
	before=$(snapshot)
	daxctl_fails "$want" "$@"
	err_has "$line"
	after=$(snapshot)
	[ "$after" = "$before" ] || fail "daxctl $* changed the state:
$(diff <(echo "$before") <(echo "$after"))"
	ok
	cases=$((cases + 1))
}

step "state: dax0.0 idle, dax0.1 256M enabled, dax0.2 1G with 1G align disabled; 768M free"
fresh_region
create_ok -s 256m
assert_eq "$new" dax0.1 "first device"
create_ok -s 1g -a 1g
assert_eq "$new" dax0.2 "second device"
daxctl_ok disable-device dax0.2
assert_eq "$(region_avail)" $((768 << 20)) "available"

# Input files.
daxctl_ok list -M
printf '%s\n' "$out" >"$tmp/in-use.json"
printf '{"chardev":"dax0.1",\n "size": 2097152,,}\n' >"$tmp/syntax.json"
printf '{"chardev":"dax0.5","size":"1g"}\n' >"$tmp/big.json"
printf '{"chardev":"dax0.5","size":"2m","mode":"system-ram"}\n' >"$tmp/ram.json"
printf '{"chardev":"dax0.5","size":"2.00 GiB (2.15 GB)"}\n' >"$tmp/rounded.json"
printf '{"chardev":"dax0.5","size":2097152,"mappings":[{"page_offset":0,"start":"0x140000000","end":"0x1403fffff"}]}\n' \
	>"$tmp/mismatch.json"
# The first device is fine; the second lies outside the region (only the library can tell).
cat >"$tmp/outside.json" <<'EOF'
[{"chardev":"dax0.5","size":2097152},
 {"chardev":"dax0.6","mappings":[{"page_offset":0,"start":"0x300000000","end":"0x3001fffff"}]}]
EOF

step "create-device: usage errors (129)"
bad 129 ' Error: unknown parameter "region0"' create-device region0
bad 129 ' Error: invalid size "bogus": not a number' create-device -s bogus
bad 129 ' Error: invalid size "-1": not a number' create-device -s -1
bad 129 ' Error: invalid size "010m": leading zeros are ambiguous' create-device -s 010m
bad 129 ' Error: invalid size "99999999999999999999": size too large' \
	create-device -s 99999999999999999999
bad 129 ' Error: invalid size "2MiB": invalid suffix (expected k, m, g or t)' \
	create-device -s 2MiB
bad 129 ' Error: invalid size "0": a device needs a size (leave out -s for all available capacity)' \
	create-device -s 0
bad 129 ' Error: invalid align "8k": must be 4k, 2m or 1g' create-device -a 8k
bad 129 ' Error: invalid count "0": must be at least 1' create-device --count 0
bad 129 ' Error: invalid region "x": expected all, N or regionN' create-device -r x
bad 129 ' Error: --input cannot be combined with --size, --align or --count (the file gives them)' \
	create-device --input "$tmp/big.json" -s 2m

step "create-device: refused before any write"
bad 234 'region 0: size 3M is not a multiple of 2M (the larger of the align and 2M)' \
	create-device -s 3m
bad 234 'region 0: size 512M is not a multiple of 1G (the larger of the align and 2M)' \
	create-device -s 512m -a 1g
bad 228 'region 0: 1 device(s) of 1G do not fit in the 768M available' create-device -s 1g
bad 228 'region 0: the 768M available do not give 385 device(s) of at least 2M' \
	create-device --count 385
bad 228 'region 0: 4 device(s) of 256M do not fit in the 768M available' \
	create-device --count 4 -s 256m
bad 237 'region 3: no such region (daxctl list -R shows them)' create-device -r 3
bad 254 "$tmp/none.json: cannot read: No such file or directory" \
	create-device --input "$tmp/none.json"
bad 234 "$tmp/syntax.json: line 2, column 18: quoted object property name expected" \
	create-device --input "$tmp/syntax.json"
bad 240 "$tmp/in-use.json: dax0.1: range 0x100000000-0x10fffffff is in use by dax0.1 (destroy or shrink it first)" \
	create-device --input "$tmp/in-use.json"
bad 234 "$tmp/in-use.json: dax0.1 belongs to region 0, but -r 1 was given (leave out -r)" \
	create-device -r 1 --input "$tmp/in-use.json"
bad 228 "$tmp/big.json: region 0: the devices need 1G but only 768M is available" \
	create-device --input "$tmp/big.json"
bad 161 "$tmp/ram.json: dax0.5: mode system-ram cannot be restored yet: remove the device from the file, or restore it as devdax" \
	create-device --input "$tmp/ram.json"
bad 234 "$tmp/rounded.json: dax0.5: size \"2.00 GiB (2.15 GB)\" is rounded (daxctl list -u): give the size in bytes, or include the mappings (daxctl list -M)" \
	create-device --input "$tmp/rounded.json"
bad 234 "$tmp/mismatch.json: dax0.5: size 2097152 does not match the mappings, which add up to 4M" \
	create-device --input "$tmp/mismatch.json"

step "create-device --input: a failure found by the library undoes the devices made before it"
bad 234 "$tmp/outside.json: dax0.6: cannot recreate it: Invalid argument" \
	create-device --input "$tmp/outside.json"
err_has "removed 1 of the 1 device(s) created before the failure"
err_has "created 0 devices"
assert_no_idle

step "destroy-device"
bad 129 ' Error: specify a device to destroy, or "all"' destroy-device
bad 129 ' Error: invalid device "foo": expected all, daxR.N, R.N or /dev/daxR.N' \
	destroy-device foo
bad 129 ' Error: invalid device "/tmp/dax0.1": only /dev/daxR.N paths are accepted' \
	destroy-device /tmp/dax0.1
bad 237 'dax0.9: no such device (daxctl list -i shows them all)' destroy-device dax0.9
bad 237 'dax0.1: not in region 1 (-r)' destroy-device -r 1 dax0.1
bad 237 'error: no matching devices' destroy-device -r 5 all
bad 240 'dax0.1 is active, specify --force for deletion' destroy-device dax0.1
bad 240 'dax0.1 is active, specify --force for deletion' destroy-device /dev/dax0.1

step "reconfigure-device"
bad 129 " Error: a 'align', 'mode' or 'size' option is required" reconfigure-device dax0.1
bad 129 ' Error: specify a device to reconfigure, or "all"' reconfigure-device -s 1g
bad 129 ' Error: --mode cannot be combined with --size or --align: run one command for each' \
	reconfigure-device -m devdax -s 1g dax0.2
bad 129 ' Error: invalid mode "dax": expected system-ram or devdax' \
	reconfigure-device -m dax dax0.2
bad 129 ' Error: --no-online is incompatible with --mode=devdax' \
	reconfigure-device -N -m devdax dax0.2
bad 129 ' Error: --no-online and --no-movable only apply to --mode=system-ram' \
	reconfigure-device --no-movable -s 1g dax0.2
bad 129 ' Error: --input is not used by reconfigure-device (create-device --input recreates devices)' \
	reconfigure-device --input "$tmp/big.json" dax0.2
bad 129 ' Error: invalid align "3m": must be 4k, 2m or 1g' reconfigure-device -a 3m dax0.2
bad 161 'error: --check-config is not supported' reconfigure-device -C dax0.2
bad 250 'dax0.0: size is 0: give it a size first (daxctl reconfigure-device -s SIZE dax0.0)' \
	reconfigure-device -m system-ram dax0.0
bad 240 'dax0.1 is active: disable it first (daxctl disable-device dax0.1) or use --force' \
	reconfigure-device -s 512m dax0.1
bad 234 'dax0.2: size 1536M is not a multiple of 1G' reconfigure-device -s 1536m dax0.2
bad 228 'region 0: growing needs 3G but only 768M is available' reconfigure-device -s 4g dax0.2
bad 234 'dax0.1: its size 256M is not a multiple of 1G: give a new size with -s' \
	reconfigure-device -f -a 1g dax0.1
bad 237 'dax0.7: no such device (daxctl list -i shows them all)' reconfigure-device -s 64m dax0.7
# "all": the active dax0.1 stops everything, idle dax0.0 and disabled dax0.2 stay as they are.
bad 240 'dax0.1 is active: disable it first (daxctl disable-device dax0.1) or use --force' \
	reconfigure-device -s 2g all
bad 250 'dax0.0: size is 0: give it a size first (daxctl reconfigure-device -s SIZE dax0.0)' \
	reconfigure-device -m devdax dax0.0

step "enable-device and disable-device"
bad 129 ' Error: specify a device to enable, or "all"' enable-device
bad 129 ' Error: specify a device to disable, or "all"' disable-device
bad 129 ' Error: invalid device "dax0.x": expected all, daxR.N, R.N or /dev/daxR.N' \
	enable-device dax0.x
bad 129 " Error: unknown switch \`s'" enable-device -s 1g dax0.1
bad 250 'dax0.0: size is 0: give it a size first (daxctl reconfigure-device -s SIZE dax0.0)' \
	enable-device dax0.0
bad 237 'dax0.9: no such device (daxctl list -i shows them all)' enable-device dax0.9
bad 237 'error: no matching devices (devices of size 0 are skipped)' enable-device -r 2 all
bad 237 'dax0.9: no such device (daxctl list -i shows them all)' disable-device 0.9

info "$cases bad-input cases"
[ "$cases" -ge 40 ] || fail "only $cases cases"

step "and the state is still usable: the same commands with good input work"
daxctl_ok reconfigure-device -f -s 512m dax0.1
daxctl_ok enable-device dax0.2
daxctl_ok destroy-device -f all
assert_eq "$(region_avail)" "$(region_size)" "available after destroy all"
assert_no_idle

rm -rf "$tmp"
info "cli-errors: $pass_count checks passed on $KLINE"
