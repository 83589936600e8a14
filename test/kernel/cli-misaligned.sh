# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 200
#
# Misaligned devices (issue #15). The kernel checks range lengths against a device's align,
# never starts, and device_dax maps an align-sized fault at the physical address rounded down:
# upstream daxctl 76.1's "create-device -s 1G -a 1G" beside a 2 MiB device puts the 1 GiB range
# at 0x100200000, and the device maps the 2 MiB device's memory. Our list flags such a device
# (and only it: every other device's JSON stays 76.1's), enable-device refuses it before any
# write unless --force, and none of our paths makes one: create, --input, growth, -a, layouts.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"
need_ref

M=$((1 << 20))
G=$((1 << 30))
BASE=0x100000000

# ref ARGS...: upstream daxctl 76.1, which must succeed.
ref() {
	"$DAXCTL_REF" "$@" >/dev/null 2>"$TEST_RESULTDIR/ref.err" ||
		fail "daxctl 76.1 $* failed: $(cat "$TEST_RESULTDIR/ref.err")"
	ok
}

step "76.1 makes the misaligned device: 2 MiB, then 1 GiB with align 1G"
fresh_region
ref create-device -s 2M
ref create-device -s 1G -a 1G
assert_eq "$(ranges dax0.1)" "$(printf '%#x-%#x' $((BASE)) $((BASE + 2 * M - 1)))" "dax0.1's range"
assert_eq "$(ranges dax0.2)" "$(printf '%#x-%#x' $((BASE + 2 * M)) $((BASE + 2 * M + G - 1)))" \
	"dax0.2's range (76.1: off its 1 GiB align)"
assert_eq "$(dev_align dax0.2)" "$G" "dax0.2's align"
assert_eq "$(dev_driver dax0.2)" device_dax "76.1 enabled dax0.2"

# For the --input step below: 76.1's device as list -M describes it.
daxctl_ok list -M -d dax0.2
dump=/tmp/misaligned.json
printf '%s\n' "$out" >"$dump"

step "list flags dax0.2 only; without the key, the JSON is 76.1's"
daxctl_ok list -d dax0.2
grep -qE '^ *"misaligned":true,$' <<<"$out" || fail "no misaligned key: $out"
ok
ours=$(grep -vE '^ *"misaligned":true,$' <<<"$out")
assert_eq "$ours" "$("$DAXCTL_REF" list -d dax0.2)" "dax0.2 without the key, against 76.1"
daxctl_ok list -d dax0.1
assert_eq "$out" "$("$DAXCTL_REF" list -d dax0.1)" "dax0.1 against 76.1"
daxctl_ok list -RDMi
assert_eq "$(grep -c misaligned <<<"$out")" 1 "misaligned keys in list -RDMi"

step "enable-device refuses it before any write; --force enables it"
daxctl_ok disable-device dax0.2
before=$(snapshot)
daxctl_fails 234 enable-device dax0.2
grep -q "dax0.2: range 0x100200000-0x1401fffff is not aligned to its align 0x40000000" <<<"$err" ||
	fail "stderr does not say why: $err"
ok
err_has "enabled 0 devices"
assert_eq "$(snapshot)" "$before" "state after the refusal"
assert_eq "$(dev_driver dax0.2)" none "dax0.2 after the refusal"
# "all" selects it too, and refuses it the same way (dax0.1 is enabled already).
daxctl_fails 234 enable-device all
assert_eq "$(dev_driver dax0.2)" none "dax0.2 after enable-device all"
daxctl_ok enable-device --force dax0.2
err_has "dax0.2: warning: misaligned, enabled anyway (--force): it maps memory outside its ranges"
assert_eq "$(dev_driver dax0.2)" device_dax "dax0.2 after --force"

step "reconfigure-device -m devdax -f brings a misaligned system-ram device back"
# kmem hot-plugs exactly the device's ranges: a misaligned device may be system-ram.
daxctl_ok reconfigure-device -m system-ram -f dax0.2
assert_eq "$(dev_driver dax0.2)" kmem "dax0.2 as system-ram"
daxctl_ok reconfigure-device -m devdax -f dax0.2
grep -q "dax0.2: range 0x100200000-0x1401fffff is not aligned to its align 0x40000000: enabling it anyway (forced)" <<<"$err" ||
	fail "no warning about the misaligned device: $err"
ok
assert_eq "$(dev_driver dax0.2)" device_dax "dax0.2 back in devdax"
daxctl_ok destroy-device -f dax0.2 dax0.1

step "create-device -s 1G -a 1G after a 2 MiB device: at 0x140000000"
fresh_region
create_ok -s 2M
assert_eq "$new" dax0.1 "2 MiB device"
create_ok -s 1G -a 1G
assert_eq "$new" dax0.2 "1 GiB device"
assert_eq "$(ranges dax0.2)" "0x140000000-0x17fffffff" "dax0.2's range"
daxctl_ok list -d dax0.2
grep -q misaligned <<<"$out" && fail "an aligned device is flagged: $out"
ok

step "growth from 0 with align 1G: placed at 0x140000000, not the kernel's first fit"
daxctl_ok disable-device dax0.2
daxctl_ok reconfigure-device -s 0 dax0.2
assert_eq "$(dev_size dax0.2)" 0 "dax0.2 emptied"
daxctl_ok reconfigure-device -s 1G dax0.2
assert_eq "$(ranges dax0.2)" "0x140000000-0x17fffffff" "dax0.2's range after growth"
daxctl_ok enable-device dax0.2
assert_eq "$(dev_driver dax0.2)" device_dax "dax0.2 enabled"
daxctl_ok destroy-device -f dax0.2 dax0.1

step "reconfigure-device -a 1G of a 1 GiB device at 0x100200000: refused"
fresh_region
create_ok -s 2M
create_ok -s 1G
assert_eq "$(ranges dax0.2)" "0x100200000-0x1401fffff" "dax0.2 (align 2M) after dax0.1"
daxctl_ok disable-device dax0.2
daxctl_fails 234 reconfigure-device -a 1G dax0.2
assert_eq "$(dev_align dax0.2)" $((2 * M)) "dax0.2's align after the refusal"
daxctl_ok destroy-device -f dax0.2

step "create-device --input with 76.1's dax0.2 (its range, align 1G): refused before any write"
before=$(snapshot)
daxctl_fails 234 create-device --input "$dump"
grep -q "0x100200000" <<<"$err" || fail "stderr does not name the range: $err"
ok
assert_eq "$(snapshot)" "$before" "state after the refused --input"
daxctl_ok destroy-device -f dax0.1

step "layouts: a misaligned explicit range is refused; sizes are placed at aligned starts"
L=/tmp/misaligned.conf
cat >"$L" <<EOF
[region r]
resource = $BASE
[device small]
region = r
size = 2M
[device big]
region = r
ranges = 0x100200000-0x1401fffff
align = 1G
EOF
fresh_region
before=$(snapshot)
daxctl_fails 234 apply "$L"
grep -q "align" <<<"$err" || fail "stderr does not say why: $err"
ok
assert_eq "$(snapshot)" "$before" "state after the refused layout"
sed -i 's/^ranges = .*/size = 1G/' "$L"
daxctl_ok apply "$L"
big=$(for d in $(ls "$DAX_BUS/devices"); do [ "$(dev_align "$d")" = "$G" ] && echo "$d"; done)
assert_eq "$(ranges "$big")" "0x140000000-0x17fffffff" "the layout's 1 GiB device ($big)"
daxctl_ok list -RDMi
grep -q misaligned <<<"$out" && fail "a layout device is flagged: $out"
ok
fresh_region
assert_no_idle
assert_consistent

info "cli-misaligned: $pass_count checks passed on $KLINE"
