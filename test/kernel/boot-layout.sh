# SPDX-License-Identifier: GPL-2.0-only
# boots: 2
# timeout: 240
#
# A layout comes back at every boot (issue 13), in two fresh guests sharing $TEST_RESULTDIR:
#  - boot 1: Debian's systemd-udevd runs with the project's rule; the layout file in
#    /etc/daxctl/layout.d is applied with "daxctl apply"; the state (per layout name: its
#    /dev/dax/by-name link, ranges, driver, zones, node owner and mode) is saved;
#  - boot 2, a fresh guest: the boot path of a real system: systemd-udevd with the project's
#    rule and Debian's 80-drivers.rules, a coldplug trigger of every subsystem (on 6.12 that
#    loads kmem for dax0.0, modalias dax:t0, as on a real machine), then what
#    daxctl-apply.service's ExecStart runs.  The state must be boot 1's, and on 6.12 kmem must
#    have been loaded by coldplug without taking the region (the rule claimed it first).
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

need_daxctl
BS=$(block_bytes)
state=$TEST_RESULTDIR/boot1.state

echo "vm:x:1000:1000::/:/bin/sh" >>/etc/passwd
echo "kvm:x:1000:" >>/etc/group
mkdir -p /etc/daxctl/layout.d
cat >/etc/daxctl/layout.d/mem.conf <<'EOF'
[region mem]
resource = 0x100000000

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

# The project's rule and unit, with daxctl where the guest has it.
bindir=$BUILDDIR/daxctl
mkdir -p /run/udev /etc/udev/rules.d
sed "s|@BINDIR@|$bindir|g" "$SRCDIR/contrib/udev/60-daxctl-layout.rules.in" \
	>/etc/udev/rules.d/60-daxctl-layout.rules
exec_start=$(sed -n "s|^ExecStart=@BINDIR@|$bindir|p" "$SRCDIR/contrib/systemd/daxctl-apply.service.in")
[ -n "$exec_start" ] || fail "no ExecStart in daxctl-apply.service.in"

start_udevd() {
	/lib/systemd/systemd-udevd --daemon || fail "systemd-udevd did not start"
	udevadm control --ping -t 10 || fail "systemd-udevd does not answer"
}

# snapshot_layout: per layout device, what a user of the layout sees.
snapshot_layout() {
	local n d
	for n in vm1 a b c tier; do
		d=$(readlink "/dev/dax/by-name/$n") || d=
		d=${d##*/}
		if [ -z "$d" ]; then
			# system-ram devices have a node too: the link is made for every device.
			echo "$n: no /dev/dax/by-name link"
			continue
		fi
		echo "$n: $d $(ranges "$d" | tr '\n' ' ')driver=$(dev_driver "$d") zones=$(zones "$d")" \
			"node=$(stat -c '%u:%g %a' "/dev/$d")"
	done
}

if [ "$LIBDAX_BOOT" = 1 ]; then
	step "boot 1: apply the layout with udevd running ($KLINE)"
	start_udevd
	# No settle: apply itself waits until udev has named the devices.
	daxctl_ok apply
	snapshot_layout | tee "$state"
	grep -q "no /dev/dax/by-name" "$state" && fail "a layout device has no by-name link"
	assert_match "$(grep '^vm1:' "$state")" ' node=1000:1000 660$' "vm1's node"
	assert_match "$(grep '^tier:' "$state")" ' driver=kmem zones=Movable ' "tier"
	exit 0
fi

step "boot 2: coldplug with Debian's rules, then the unit's ExecStart ($KLINE)"
[ -s "$state" ] || fail "boot 1 left no state in $state"
assert_eq "$(dev_driver dax0.0)" "$([ "$KLINE" = 6.1 ] && echo device_dax || echo none)" \
	"dax0.0 at boot, before udev"
start_udevd
udevadm trigger --action=add || fail "udevadm trigger"
udevadm settle -t 30 || fail "udevadm settle after coldplug"
if [ "$KLINE" != 6.1 ]; then
	# As on a real 6.12 system, coldplug loaded kmem for dax0.0; the rule claimed it first.
	assert_exists "$DAX_BUS/drivers/kmem"
	assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 after coldplug"
fi
info "ExecStart: $exec_start"
$exec_start >"$TEST_RESULTDIR/exec-start.out" 2>&1 || {
	cat "$TEST_RESULTDIR/exec-start.out"
	fail "ExecStart failed"
}
# No settle: what the unit runs returns once udev has named the devices.
assert_eq "$(snapshot_layout)" "$(cat "$state")" "the layout after boot 2"
vm1=$(readlink /dev/dax/by-name/vm1)
"$DAXCTL" list -d "${vm1##*/}" | grep -q '"layout":"vm1"' ||
	fail "daxctl list does not name ${vm1##*/} vm1: $("$DAXCTL" list -d "${vm1##*/}")"
ok
step "a second apply makes no sysfs write"
daxctl_ok apply
err_has "applied: 0 sysfs writes"
