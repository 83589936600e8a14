# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 300
#
# System-RAM through the CLI, on the CPU-less node 1 that holds the window: reconfigure-device
# -m system-ram (movable, --no-movable, --no-online) and back with -m devdax, online-memory,
# offline-memory, and the refusals (the auto-online policy without -f, online memory without
# -f, a device in use, and on 6.12 the unbound devices that loading kmem would take).  Each
# refusal leaves "daxctl list -RDMi" and every driver as they were.  The node's MemTotal
# tells what the kernel really got.  Modules are loaded in-process by libkmod (lib/kmod.c): a
# hidden kmem.ko, a blacklist and an install command make the switch fail with the reason and
# nothing changed, MODPROBE_OPTIONS changes nothing, no modprobe ever runs, and with device_dax
# unloaded create-device and enable-device load it.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

BS=$(block_bytes)
node_kb() { sed -n 's/.* MemTotal: *\([0-9]*\) kB/\1/p' /sys/devices/system/node/node1/meminfo; }
policy() { read_attr "$MEM/auto_online_blocks"; }

# refused RC LINE ARGS...: daxctl must exit RC with LINE on stderr, changing nothing.
refused() {
	local want=$1 line=$2 before after
	shift 2
	before=$(snapshot)
	daxctl_fails "$want" "$@"
	grep -qF -- "$line" <<<"$err" || fail "daxctl $* stderr lacks '$line': $err"
	after=$(snapshot)
	assert_eq "$after" "$before" "state after a refused daxctl $*"
}

# sysram DEV ONLINE TOTAL [MOVABLE]: list -d DEV shows system-ram with these counts.
sysram() {
	daxctl_ok list -d "$1"
	assert_match "$out" '"mode":"system-ram"' "mode of $1"
	assert_match "$out" "\"online_memblocks\":$2," "online_memblocks of $1"
	assert_match "$out" "\"total_memblocks\":$3" "total_memblocks of $1"
	if [ -n "${4:-}" ]; then
		assert_match "$out" "\"movable\":$4" "movable of $1"
	else
		[[ $out != *'"movable"'* ]] || fail "$1: movable shown while blocks are offline: $out"
	fi
}

if [ "$KLINE" != 6.1 ]; then
	step "$KLINE: -m devdax from the state the kernel makes (kmem takes dax0.0, onlines it)"
	region_state 0 unbound
	load_kmem
	wait_for test -L "$DAX_BUS/devices/dax0.0/driver"
	assert_eq "$(dev_driver dax0.0)" kmem "dax0.0 after modprobe kmem"
	sysram dax0.0 16 16 false
	refused 240 "dax0.0: 16 memory block(s) online: use --force to offline them" \
		reconfigure-device -m devdax dax0.0
	daxctl_ok reconfigure-device -f -m devdax dax0.0
	assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 after -m devdax -f"
	assert_eq "$(zones dax0.0)" "" "blocks of dax0.0 removed"
	unbind_dev dax0.0
	modprobe -r kmem || fail "rmmod kmem"
fi

step "setup ($KLINE): dax0.0 1 GiB unbound (the bystander), dax0.1 512 MiB devdax"
region_state 0 unbound
[ ! -d "$DAX_BUS/drivers/kmem" ] || fail "kmem loaded before the test"
daxctl_ok reconfigure-device -s 1g dax0.0
daxctl_ok create-device -s 512m
assert_eq "$(chardevs)" dax0.1 "new device"
assert_eq "$(dev_driver dax0.1)" device_dax "driver of dax0.1"
# daxctl loads modules in-process (libkmod), never by running a program: a logging wrapper as
# the kernel's modprobe (which a request_module() would run) must stay unused throughout.
MODPROBE_REAL=$(cat /proc/sys/kernel/modprobe)
[ -x "$MODPROBE_REAL" ] || fail "no modprobe at $MODPROBE_REAL"
cat >/tmp/modprobe-wrap <<EOF2
#!/bin/sh
echo "\$*" >>/tmp/modprobe.calls
exec $MODPROBE_REAL "\$@"
EOF2
chmod +x /tmp/modprobe-wrap
: >/tmp/modprobe.calls
echo /tmp/modprobe-wrap >/proc/sys/kernel/modprobe
modprobe_calls() { tr '\n' ';' </tmp/modprobe.calls; }
daxctl_ok list -RDM
[ ! -d "$DAX_BUS/drivers/kmem" ] || fail "kmem loaded by daxctl list"
base=$(node_kb)
pol=$(policy)
case $KLINE in
6.1) assert_eq "$pol" offline "6.1 auto-online policy" ;;
*) assert_eq "$pol" online "$KLINE auto-online policy" ;;
esac

step "the auto-online policy refuses the movable default and --no-online without -f"
[ "$pol" = online ] || write_attr "$MEM/auto_online_blocks" online
refused 240 "kernel policy will auto-online memory, aborting" reconfigure-device -m system-ram dax0.1
err_has "dax0.1: use --force to hold the policy at offline while it is hot-plugged, or --no-movable"
refused 240 "kernel policy will auto-online memory, aborting" reconfigure-device -m system-ram -N dax0.1
[ "$pol" = online ] || write_attr "$MEM/auto_online_blocks" "$pol"
assert_eq "$(policy)" "$pol" "policy after the refusals"

step "a device in use (open /dev/dax0.1) is refused, even with -f"
[ -e /dev/dax0.1 ] || fail "/dev/dax0.1 missing"
exec 3<>/dev/dax0.1
refused 240 "dax0.1: in use: process $$ has /dev/dax0.1 open or mapped" \
	reconfigure-device -f -m system-ram dax0.1
exec 3>&-

step "a node of its device number made elsewhere counts too: refused, even with -f"
IFS=: read -r maj min <"$DAX_BUS/devices/dax0.1/dev"
mknod /tmp/alt-dax c "$maj" "$min" || fail "mknod /tmp/alt-dax"
exec 3<>/tmp/alt-dax
refused 240 "dax0.1: in use: process $$ has /dev/dax0.1 open or mapped" \
	reconfigure-device -f -m system-ram dax0.1
exec 3>&-

step "a process that only maps dax0.1 (its fd closed), through either node: refused, even with -f"
for node in /dev/dax0.1 /tmp/alt-dax; do
	echo "# mapped through $node"
	"$BUILDDIR/test/kernel/dax-map" "$node" 2097152 >/tmp/dax-map.out 2>&1 &
	mp=$!
	wait_for grep -q ready /tmp/dax-map.out
	! ls -l "/proc/$mp/fd" | grep -q -e /dev/dax0.1 -e /tmp/alt-dax || fail "dax-map kept an fd on $node"
	refused 240 "dax0.1: in use: process $mp has /dev/dax0.1 open or mapped" \
		reconfigure-device -f -m system-ram dax0.1
	kill "$mp"
	wait "$mp" 2>/dev/null || true
done
rm /tmp/alt-dax

step "from a child PID namespace nobody outside can be seen: refused without -f"
printf '#!/bin/sh\nexec unshare -p -f --mount-proc %s "$@"\n' "$DAXCTL" >/tmp/daxctl-pidns
chmod +x /tmp/daxctl-pidns
DAXCTL=/tmp/daxctl-pidns refused 240 "dax0.1: cannot tell whether a process outside this PID namespace has /dev/dax0.1 open or mapped: use --force if none has" \
	reconfigure-device -m system-ram dax0.1

step "kmem that cannot be loaded: libkmod's reason, nothing changed, policy kept"
kmem_ko=$(find "/lib/modules/$(uname -r)" -name 'kmem.ko*' | head -n 1)
[ -f "$kmem_ko" ] || fail "no kmem module file in /lib/modules/$(uname -r)"
mv "$kmem_ko" "$kmem_ko.hidden"
refused 254 "libdax: load: loading module kmem ($kmem_ko): No such file or directory" \
	reconfigure-device -f -m system-ram dax0.1
printf '%s\n' "$err"
mv "$kmem_ko.hidden" "$kmem_ko"
# modprobe -b: a blacklisted module is not loaded; an install command is not run either.
mkdir -p /etc/modprobe.d
echo "blacklist kmem" >/etc/modprobe.d/libdax-test.conf
refused 255 "libdax: load: module kmem is blacklisted (modprobe.d): not loaded" \
	reconfigure-device -f -m system-ram dax0.1
echo "install kmem /bin/touch /tmp/install-ran" >/etc/modprobe.d/libdax-test.conf
refused 255 'has an install command in modprobe.d ("/bin/touch /tmp/install-ran"): not run' \
	reconfigure-device -f -m system-ram dax0.1
printf '%s\n' "$err"
[ ! -e /tmp/install-ran ] || fail "the install command ran"
rm /etc/modprobe.d/libdax-test.conf
assert_eq "$(policy)" "$pol" "policy after the failed switches"
[ ! -d "$DAX_BUS/drivers/kmem" ] || fail "kmem driver after a failed load"
# What would make modprobe do nothing (or run a command) changes nothing for libkmod.
export MODPROBE_OPTIONS="--dry-run -C /nonexistent"

if [ "$KLINE" = 6.1 ]; then
	step "6.1: loading kmem takes nothing: the switch loads it (libkmod), dax0.0 stays unbound"
	daxctl_ok reconfigure-device -m system-ram dax0.1
	assert_eq "$(dev_driver dax0.0)" none "bystander dax0.0 on 6.1"
else
	step "$KLINE: loading kmem would take the unbound dax0.0: refused without -f"
	refused 240 "dax0.0: unbound with a size: loading kmem for dax0.1 would hot-plug it" \
		reconfigure-device -m system-ram --no-movable dax0.1
	[ ! -d "$DAX_BUS/drivers/kmem" ] || fail "kmem loaded by a refused switch"
	step "$KLINE: with -f the policy is held, kmem loaded, and the bystander named"
	daxctl_ok reconfigure-device -f -m system-ram dax0.1
	grep -q "dax0.0: bound to kmem by loading kmem" <<<"$err" || fail "bystander not named: $err"
	assert_eq "$(dev_driver dax0.0)" kmem "bystander dax0.0 on $KLINE"
	assert_eq "$(zones dax0.0)" offline "the held policy kept the bystander offline"
	assert_eq "$(policy)" online "policy written back"
fi
assert_match "$out" '"mode":"system-ram"' "JSON printed for dax0.1"
unset MODPROBE_OPTIONS
assert_eq "$(modprobe_calls)" "" "modprobe runs by daxctl"
sysram dax0.1 4 4 true
assert_eq "$(zones dax0.1)" Movable "zones of dax0.1"
assert_eq "$(dev_driver dax0.1)" kmem "driver of dax0.1"

if [ "$KLINE" != 6.1 ]; then
	daxctl_ok reconfigure-device -m devdax dax0.0
	daxctl_ok disable-device dax0.0
fi
assert_eq "$(node_kb)" $((base + 512 * 1024)) "node 1 MemTotal with dax0.1 online"

step "-m devdax without -f while memory is online: refused"
refused 240 "dax0.1: 4 memory block(s) online: use --force to offline them" \
	reconfigure-device -m devdax dax0.1
step "-m devdax -f: offline, unbind kmem, bind device_dax"
daxctl_ok reconfigure-device -f -m devdax dax0.1
assert_match "$out" '"mode":"devdax"' "JSON after -m devdax"
assert_eq "$(dev_driver dax0.1)" device_dax "driver of dax0.1"
assert_eq "$(node_kb)" "$base" "node 1 MemTotal back"
assert_eq "$(zones dax0.1)" "" "blocks of dax0.1 removed"
daxctl_ok reconfigure-device -m devdax dax0.1
err_has "dax0.1 was already in devdax mode"

step "--no-online (-f on $KLINE holds an online policy), then online-memory"
daxctl_ok reconfigure-device -f -N -m system-ram dax0.1
sysram dax0.1 0 4
assert_eq "$(zones dax0.1)" offline "zones after --no-online"
assert_eq "$(policy)" "$pol" "policy after --no-online"
assert_eq "$(node_kb)" "$base" "offline memory does not count in MemTotal"
daxctl_ok online-memory dax0.1
err_has "onlined memory for 1 device"
sysram dax0.1 4 4 true
assert_eq "$(zones dax0.1)" Movable "zones after online-memory"
daxctl_ok online-memory dax0.1
err_has "dax0.1: all memory sections (4) already online"

step "a system-ram device partly online is listed as such (and by daxctl 76.1 alike)"
daxctl_ok offline-memory dax0.1
err_has "offlined memory for 1 device"
sysram dax0.1 0 4
write_attr "$MEM/memory$(blocks dax0.1 | head -n 1)/state" online_movable
sysram dax0.1 1 4
need_ref
ref=$("$DAXCTL_REF" list -d dax0.1 2>/dev/null)
assert_match "$ref" '"online_memblocks":1' "76.1 online_memblocks"
assert_match "$ref" '"total_memblocks":4' "76.1 total_memblocks"

step "online-memory --no-movable onlines the rest in ZONE_NORMAL; offline-memory"
daxctl_ok online-memory --no-movable dax0.1
err_has "dax0.1: 1 memory section already online"
assert_eq "$(zones dax0.1)" "Movable Normal" "zones after --no-movable on a partly online device"
daxctl_ok offline-memory dax0.1
assert_eq "$(zones dax0.1)" offline "zones after offline-memory"
daxctl_ok online-memory --no-movable dax0.1
sysram dax0.1 4 4 false
assert_eq "$(zones dax0.1)" Normal "zones after online-memory --no-movable"
daxctl_ok offline-memory dax0.1
daxctl_ok reconfigure-device -m devdax dax0.1
assert_eq "$(dev_driver dax0.1)" device_dax "all offline: -m devdax needs no -f"

step "reconfigure-device -m system-ram --no-movable: ZONE_NORMAL"
daxctl_ok reconfigure-device -m system-ram --no-movable dax0.1
sysram dax0.1 4 4 false
assert_eq "$(zones dax0.1)" Normal "zones after --no-movable"
assert_eq "$(node_kb)" $((base + 512 * 1024)) "node 1 MemTotal with Normal memory"
step "a block that cannot be offlined: the device stays system-ram, every block online"
# dax0.1's last block online alone, then node 1's free memory filled with page tables (node-pin:
# unmovable, bound to node 1) but 48 MiB, so that block holds some; the other three blocks are
# onlined after, clean.  Offlining then succeeds for three blocks and fails on the last: the
# three must come back online.
pin=$BUILDDIR/test/kernel/node-pin
[ -x "$pin" ] || fail "$pin not built"
daxctl_ok offline-memory dax0.1
last=$(blocks dax0.1 | tail -n 1)
write_attr "$MEM/memory$last/state" online_kernel
free_mb=$(($(sed -n 's/.* MemFree: *\([0-9]*\) kB/\1/p' /sys/devices/system/node/node1/meminfo) / 1024))
"$pin" 1 $((free_mb - 48)) >/tmp/node-pin.out &
pinpid=$!
for ((i = 0; i < 120; i++)); do
	grep -q ready /tmp/node-pin.out && break
	kill -0 "$pinpid" 2>/dev/null || fail "node-pin died: $(cat /tmp/node-pin.out)"
	sleep 1
done
grep -q ready /tmp/node-pin.out || fail "node-pin not ready after 120 s"
daxctl_ok online-memory --no-movable dax0.1
refused 240 "dax0.1: stays in system-ram, all of it online" reconfigure-device -v -f -m devdax dax0.1
assert_eq "$(grep -c 'state <- "offline"$' <<<"$err")" 3 "blocks offlined before the failure"
assert_eq "$(grep -c 'state <- "online_kernel"$' <<<"$err")" 3 "blocks onlined again"
refused 240 "dax0.1: failed to offline memory: Device or resource busy" offline-memory dax0.1
assert_eq "$(zones dax0.1)" Normal "zones after the failed offline"
kill "$pinpid"
wait "$pinpid" 2>/dev/null || true

step "asking for movable on memory online in Normal: an error, not a silent success"
refused 240 "memory is online in a kernel zone, not ZONE_MOVABLE as asked" \
	reconfigure-device -m system-ram dax0.1
daxctl_ok reconfigure-device -f -m devdax dax0.1

step "online-memory and offline-memory on devdax devices: ENXIO"
refused 250 "dax0.1: memory operations are not applicable in devdax mode" online-memory dax0.1
refused 250 "dax0.1: memory operations are not applicable in devdax mode" offline-memory dax0.1

step "a range that covers memory blocks partly: only whole blocks are the device's"
daxctl_ok destroy-device -f dax0.1
daxctl_ok create-device -s 2m
small=$(chardevs)
daxctl_ok create-device -s 256m
odd=$(chardevs)
assert_eq "$(ranges "$odd")" 0x140200000-0x1501fffff "range of $odd"
daxctl_ok reconfigure-device -f -m system-ram "$odd"
sysram "$odd" 1 1 true
assert_eq "$(node_kb)" $((base + 128 * 1024)) "node 1 MemTotal: one block of 128 MiB"
daxctl_ok reconfigure-device -f -m devdax "$odd"
assert_eq "$(node_kb)" "$base" "node 1 MemTotal after $odd"
daxctl_ok destroy-device -f "$odd" "$small"

step "nothing leaked: the region's capacity is whole again"
daxctl_ok reconfigure-device -s 0 dax0.0
assert_eq "$(region_avail 0)" "$(region_size 0)" "available after the round trips"
assert_eq "$(node_kb)" "$base" "node 1 MemTotal at the end"

step "device_dax not loaded: create-device loads it, a disabled device stays disabled"
daxctl_ok create-device -s 256m
idle=$(chardevs)
daxctl_ok disable-device "$idle"
modprobe -r device_dax || fail "modprobe -r device_dax"
[ ! -d "$DAX_BUS/drivers/device_dax" ] || fail "device_dax still loaded"
daxctl_ok create-device -v -s 256m
new=$(chardevs)
[ -d "$DAX_BUS/drivers/device_dax" ] || fail "create-device did not load device_dax"
# 6.1: device_dax's init binds every unbound device with a size; libdax unbinds it again.
# 6.12: the hmem region is typed for kmem, and loading device_dax binds nothing.
if [ "$KLINE" = 6.1 ]; then
	grep -q "$idle: bound to device_dax .*; unbound again" <<<"$err" || fail "no bystander undone: $err"
fi
grep -q "loading module device_dax (libkmod" <<<"$err" || fail "device_dax not loaded by libkmod: $err"
assert_eq "$(dev_driver "$new")" device_dax "driver of $new after create-device"
assert_eq "$(dev_driver "$idle")" none "the disabled $idle after loading device_dax"

step "device_dax not loaded: enable-device loads it"
daxctl_ok disable-device "$new"
modprobe -r device_dax || fail "modprobe -r device_dax"
[ ! -d "$DAX_BUS/drivers/device_dax" ] || fail "device_dax still loaded"
daxctl_ok enable-device "$new"
assert_eq "$(dev_driver "$new")" device_dax "driver of $new after enable-device"
assert_eq "$(dev_driver "$idle")" none "the disabled $idle after enable-device"
[ -c "/dev/$new" ] || fail "/dev/$new missing"
daxctl_ok destroy-device -f "$new" "$idle"
assert_eq "$(region_avail 0)" "$(region_size 0)" "available at the end"
assert_eq "$(modprobe_calls)" "" "modprobe runs by daxctl"
echo "$MODPROBE_REAL" >/proc/sys/kernel/modprobe

info "cli-sysram: $pass_count checks passed on $KLINE"
