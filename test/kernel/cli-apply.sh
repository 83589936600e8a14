# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
#
# daxctl apply (layouts, issue 13) on the one-region guest, everything checked from sysfs and
# /dev, not from apply's own output:
#  - a failure part-way (kmem blacklisted, so the system-ram device cannot be made) undoes the
#    region's changes: dax0.0 whole and devdax again, nothing else;
#  - the layout of the issue (512 MiB owned by an unprivileged user, 0660; three of 256 MiB;
#    256 MiB system-ram, movable) applies from the boot state: the ranges are the layout's
#    first fit from the region's start, the drivers, zones, owners and modes are declared;
#  - a second apply makes no sysfs write (the library's debug log of writes is empty);
#  - the owner opens and maps its device, another user gets EACCES;
#  - a device in use is never destroyed: the plan is blocked (EBUSY), nothing changes;
#  - a device the layout does not own in the way blocks an unmanaged region; a managed one
#    destroys it and ends with the declared layout.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

need_daxctl
BS=$(block_bytes)
L=/tmp/mem.conf
G=0x100000000
M=$((1 << 20))

# An unprivileged owner and another user, resolved through NSS (files).
echo "vm:x:1000:1000::/:/bin/sh" >>/etc/passwd
echo "other:x:1001:1001::/:/bin/sh" >>/etc/passwd
echo "kvm:x:1000:" >>/etc/group

layout() { # layout [EXTRA-REGION-LINE]: the issue's layout, into $L
	cat >"$L" <<EOF
# The layout of issue 13.
[region mem]
resource = $G
$1

[device vm1]
region = mem
size = 512M
owner = vm
group = kvm
permissions = 0660

[device a]
region = mem
size = 256M
[device b]
region = mem
size = 256M
[device c]
region = mem
size = 256M

[device tier]
region = mem
size = 256M
mode = system-ram
movable = true
EOF
}

# dev_at START: the device whose first range starts at START (sysfs).
dev_at() {
	local d
	for d in $(region_devs 0); do
		[ "$(ranges "$d" | head -n1 | cut -d- -f1)" = "$(printf '%#x' "$1")" ] && echo "$d"
	done
}

# check_layout: the devices are the layout's, from sysfs and /dev.
check_layout() {
	local s=$((G)) name size d
	for name in vm1:512 a:256 b:256 c:256 tier:256; do
		size=$((${name#*:} * M))
		d=$(dev_at $s)
		[ -n "$d" ] || fail "${name%%:*}: no device starts at $s"
		assert_eq "$(ranges "$d")" "$(printf '%#x-%#x' $s $((s + size - 1)))" \
			"${name%%:*} ($d): ranges"
		case ${name%%:*} in
		tier)
			assert_eq "$(dev_driver "$d")" kmem "tier ($d): driver"
			assert_eq "$(zones "$d")" Movable "tier ($d): zones"
			;;
		vm1)
			assert_eq "$(dev_driver "$d")" device_dax "vm1: driver"
			assert_eq "$(stat -c '%u:%g %a' "/dev/$d")" "1000:1000 660" "vm1 (/dev/$d)"
			vm1=$d
			;;
		*) assert_eq "$(dev_driver "$d")" device_dax "${name%%:*}: driver" ;;
		esac
		s=$((s + size))
	done
	assert_eq "$(region_avail 0)" $((2048 * M - 1536 * M)) "available after the layout"
	assert_consistent 0
}

step "a failure part-way undoes the region's changes ($KLINE)"
region_state 0 devdax
layout ""
before=$(snapshot)
mkdir -p /etc/modprobe.d
echo "blacklist kmem" >/etc/modprobe.d/libdax-test.conf
daxctl_fails 255 apply "$L"
grep -q "undoing its changes" <<<"$err" || fail "no undo reported: $err"
rm /etc/modprobe.d/libdax-test.conf
assert_eq "$(snapshot)" "$before" "state after the failed apply"
assert_eq "$(ranges dax0.0)" "$(printf '%#x-%#x' $G $((G + 2048 * M - 1)))" "dax0.0 whole again"

step "a dry run writes nothing"
LIBDAX_LOG=debug daxctl_ok apply -n "$L"
assert_eq "$(grep -c ' <- ' <<<"$err")" 0 "sysfs writes of a dry run"
assert_eq "$(grep -c '"action": "create"' <<<"$out")" 5 "creates planned"
assert_eq "$(snapshot)" "$before" "state after a dry run"

step "the layout applies from the boot state"
daxctl_ok apply "$L"
grep -qx 'applied: [1-9][0-9]* sysfs writes' <<<"$err" || fail "no write count: $err"
check_layout

step "a second apply makes no sysfs write"
LIBDAX_LOG=debug daxctl_ok apply "$L"
assert_eq "$(grep -c ' <- ' <<<"$err")" 0 "sysfs writes of the second apply"
err_has "applied: 0 sysfs writes"
assert_eq "$(grep -c '"action": "keep"' <<<"$out")" 5 "devices kept"
check_layout

step "the owner maps its device, another user cannot open it"
# A copy the users can run: the shared build tree is the host's, not theirs to read.
cp "$BUILDDIR/test/kernel/dax-map" /tmp/dax-map && chmod 755 /tmp/dax-map || fail "cannot copy dax-map"
"$BUILDDIR/test/tools/as-nobody" -u 1000 /tmp/dax-map "/dev/$vm1" $((2 * M)) \
	>/tmp/map.out 2>&1 &
mapper=$!
for ((i = 0; i < 500; i++)); do grep -q ready /tmp/map.out && break; sleep 0.01; done
grep -q ready /tmp/map.out || fail "the owner could not map /dev/$vm1: $(cat /tmp/map.out)"
if "$BUILDDIR/test/tools/as-nobody" -u 1001 /tmp/dax-map "/dev/$vm1" $((2 * M)) \
	>/tmp/other.out 2>&1; then
	fail "user 1001 opened /dev/$vm1"
fi
grep -q "Permission denied" /tmp/other.out || fail "user 1001: $(cat /tmp/other.out)"
ok

step "a device in use is never destroyed: the region is blocked"
before=$(snapshot)
sed -i 's/^size = 512M$/size = 1G/' "$L"
sed -i "s/^resource = $G\$/resource = $G\nmanaged = true/" "$L"
daxctl_fails 240 apply "$L"
grep -q "$vm1: in use: process $mapper has it open or mapped" <<<"$out" ||
	fail "no in-use reason: $out"
assert_eq "$(snapshot)" "$before" "state after the blocked apply"
kill "$mapper"
wait "$mapper" 2>/dev/null

step "a device the layout does not own, in the way: blocked unless the region is managed"
layout ""
daxctl_ok destroy-device -f "$(dev_at $((G + 768 * M)))"
daxctl_ok create-device -s 128M
before=$(snapshot)
daxctl_fails 240 apply "$L"
grep -q 'not in the layout, holds addresses of b' <<<"$out" || fail "no blocked reason: $out"
assert_eq "$(snapshot)" "$before" "state after the blocked apply"
layout "managed = true"
daxctl_ok apply "$L"
check_layout
assert_eq "$(region_devs 0 | wc -l)" 6 "dax0.0 and the five layout devices"
