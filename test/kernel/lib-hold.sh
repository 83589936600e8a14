# SPDX-License-Identifier: GPL-2.0-only
# topology: two
# timeout: 400
#
# The lock model with kmem, on two regions (dax0.0 and dax1.0, 1 GiB each):
#  - the auto-online policy is held under the host lock: while one switch holds it (stopped
#    inside the hold by the test hook LIBDAX_TEST_STOP_IN_HOLD), a switch of the other region
#    waits; both then get ZONE_MOVABLE and the policy is as it was, twice more in parallel;
#  - SIGKILL inside the hold leaves "offline" and a journal; the next daxctl change run
#    restores the policy and removes the journal;
#  - online-memory racing reconfigure-device -f -m devdax never leaves kmem unbound with a
#    block online (on 6.1 that loses the range until reboot);
#  - device_dax/new_id bystanders of another region are touched only under its lock: tried
#    (EDEADLK) below the caller's region, waited for above it.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

need_daxctl
BS=$(block_bytes)
JOURNAL=/run/libdax/auto_online_blocks.saved
policy() { read_attr "$MEM/auto_online_blocks"; }

# online_count DEV: blocks of DEV that exist and are online.
online_count() {
	local b n=0
	for b in $(blocks "$1"); do
		[ "$(cat "$MEM/memory$b/state" 2>/dev/null)" != online ] || n=$((n + 1))
	done
	echo "$n"
}

# stopped PID: the process is stopped (state T).
stopped() { [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = T ]; }

# start_held DEV: a -f system-ram switch of DEV that stops inside the hold; sets $held_pid.
start_held() {
	LIBDAX_TEST_STOP_IN_HOLD=1 "$DAXCTL" reconfigure-device -f -m system-ram "$1" \
		>/tmp/held.out 2>/tmp/held.err &
	held_pid=$!
	local i
	for ((i = 0; i < 600; i++)); do
		stopped "$held_pid" && break
		kill -0 "$held_pid" 2>/dev/null || fail "held switch ended: $(cat /tmp/held.err)"
		sleep 0.1
	done
	stopped "$held_pid" || fail "the held switch never stopped in the hold"
	assert_eq "$(policy)" offline "policy inside the hold"
	assert_file_content "$JOURNAL" online
}

step "setup ($KLINE): dax0.0 and dax1.0 devdax, kmem loaded, policy online"
region_state 0 devdax
region_state 1 devdax
load_kmem
assert_eq "$(dev_driver dax0.0) $(dev_driver dax1.0)" "device_dax device_dax" "drivers after modprobe"
write_attr "$MEM/auto_online_blocks" online

step "a switch of region 1 waits while region 0's switch holds the policy"
start_held dax0.0
"$DAXCTL" reconfigure-device -f -m system-ram dax1.0 >/tmp/p2.out 2>/tmp/p2.err &
p2=$!
sleep 3
kill -0 "$p2" 2>/dev/null || fail "region 1's switch did not wait for the host lock: $(cat /tmp/p2.err)"
ok
assert_eq "$(dev_driver dax1.0)" device_dax "dax1.0 while it waits"
assert_eq "$(policy)" offline "policy while region 0 holds it"
kill -CONT "$held_pid"
wait "$held_pid" || fail "held switch of dax0.0 failed: $(cat /tmp/held.err)"
wait "$p2" || fail "switch of dax1.0 failed: $(cat /tmp/p2.err)"
ok
assert_eq "$(zones dax0.0)" Movable "zone of dax0.0"
assert_eq "$(zones dax1.0)" Movable "zone of dax1.0"
assert_eq "$(policy)" online "policy after both"
assert_not_exists "$JOURNAL"

for round in 1 2; do
	step "round $round: both back to devdax, then both to system-ram, in parallel"
	"$DAXCTL" reconfigure-device -f -m devdax dax0.0 >/tmp/a.out 2>/tmp/a.err &
	a=$!
	"$DAXCTL" reconfigure-device -f -m devdax dax1.0 >/tmp/b.out 2>/tmp/b.err &
	b=$!
	wait "$a" || fail "dax0.0 to devdax: $(cat /tmp/a.err)"
	wait "$b" || fail "dax1.0 to devdax: $(cat /tmp/b.err)"
	assert_eq "$(dev_driver dax0.0) $(dev_driver dax1.0)" "device_dax device_dax" "drivers"
	assert_eq "$(zones dax0.0)$(zones dax1.0)" "" "blocks removed"
	"$DAXCTL" reconfigure-device -f -m system-ram dax0.0 >/tmp/a.out 2>/tmp/a.err &
	a=$!
	"$DAXCTL" reconfigure-device -f -m system-ram dax1.0 >/tmp/b.out 2>/tmp/b.err &
	b=$!
	wait "$a" || fail "dax0.0 to system-ram: $(cat /tmp/a.err)"
	wait "$b" || fail "dax1.0 to system-ram: $(cat /tmp/b.err)"
	ok
	assert_eq "$(zones dax0.0)" Movable "zone of dax0.0"
	assert_eq "$(zones dax1.0)" Movable "zone of dax1.0"
	assert_eq "$(policy)" online "policy after round $round"
	assert_not_exists "$JOURNAL"
done
daxctl_ok reconfigure-device -f -m devdax dax0.0
daxctl_ok reconfigure-device -f -m devdax dax1.0

step "SIGKILL inside the hold: the next daxctl change run restores the policy"
start_held dax0.0
kill -KILL "$held_pid"
wait "$held_pid" 2>/dev/null || true
assert_eq "$(policy)" offline "policy left by the killed holder"
assert_file_content "$JOURNAL" online
# A read-only run changes nothing.
daxctl_ok list -D
assert_eq "$(policy)" offline "policy after daxctl list"
# Any change run: here the killed run's device, left unbound, back to devdax.
assert_eq "$(dev_driver dax0.0)" none "dax0.0 left by the killed run"
LIBDAX_LOG=warning run_daxctl reconfigure-device -m devdax dax0.0
assert_eq "$rc" 0 "exit status of the next change run ($err)"
grep -qF 'auto_online_blocks: restored "online"' <<<"$err" || fail "no restore logged: $err"
ok
assert_eq "$(policy)" online "policy after the next change run"
assert_not_exists "$JOURNAL"
assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 after the next run"

step "online-memory racing reconfigure-device -f -m devdax: never kmem unbound with blocks online"
write_attr "$MEM/auto_online_blocks" offline
nblocks=$(blocks dax0.0 | wc -l)
outcomes=""
for round in 1 2 3 4; do
	if [ "$(dev_driver dax0.0)" != kmem ]; then
		daxctl_ok reconfigure-device -m system-ram --no-online dax0.0
	elif [ "$(online_count dax0.0)" != 0 ]; then
		daxctl_ok offline-memory dax0.0
	fi
	assert_eq "$(dev_driver dax0.0) $(online_count dax0.0)" "kmem 0" "round $round start"
	"$DAXCTL" online-memory dax0.0 >/tmp/on.out 2>/tmp/on.err &
	a=$!
	"$DAXCTL" reconfigure-device -f -m devdax dax0.0 >/tmp/dd.out 2>/tmp/dd.err &
	b=$!
	wait "$a" && ra=0 || ra=$?
	wait "$b" && rb=0 || rb=$?
	drv=$(dev_driver dax0.0)
	on=$(online_count dax0.0)
	outcomes+="$drv/$on/$ra/$rb "
	if [ "$drv" != kmem ]; then
		assert_eq "$on" 0 "online blocks of dax0.0 while $drv (round $round)"
		assert_eq "$(zones dax0.0)" "" "blocks left hot-plugged (round $round)"
	else
		# Still system-ram: all online (online won) or all offline.
		[ "$on" = 0 ] || [ "$on" = "$nblocks" ] || fail "dax0.0 half online: $on of $nblocks"
		ok
	fi
	# Whichever came second found the state the first left, under the lock.
	[ "$ra" = 0 ] || [ "$rb" = 0 ] || fail "both failed: $(cat /tmp/on.err /tmp/dd.err)"
	ok
done
info "outcomes (driver/online/rc online-memory/rc devdax): $outcomes"
if [ "$(dev_driver dax0.0)" = kmem ]; then
	daxctl_ok reconfigure-device -f -m devdax dax0.0
fi
assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 at the end"
assert_eq "$(zones dax0.0)" "" "no blocks of dax0.0 left"

step "bystanders of other regions are touched only under their locks"
# While a switch holds region R (stopped in its hold, its device unbound with a size), an
# enable on the other region that must go through device_dax/new_id (6.12: hmem regions are
# kmem-typed) would bind and unbind that device. Lower id than the caller's region: only tried,
# -EDEADLK. Higher: waited for. 6.1 binds device_dax directly: no new_id, no bystanders.
write_attr "$MEM/auto_online_blocks" online
daxctl_ok disable-device dax1.0
start_held dax0.0
assert_eq "$(dev_driver dax0.0)" none "dax0.0 inside the hold"
run_daxctl enable-device dax1.0
if [ "$KLINE" = 6.1 ]; then
	assert_eq "$rc" 0 "enable-device dax1.0 on 6.1 ($err)"
else
	assert_ne "$rc" 0 "enable-device dax1.0 while region 0 is held"
	grep -qF "region 0 is locked by another libdax user" <<<"$err" || fail "no lock-order message: $err"
	ok
	assert_eq "$(dev_driver dax1.0)" none "dax1.0 after the refused enable"
fi
assert_eq "$(dev_driver dax0.0)" none "region 0's device untouched"
kill -CONT "$held_pid"
wait "$held_pid" || fail "held switch of dax0.0 failed: $(cat /tmp/held.err)"
ok
assert_eq "$(zones dax0.0)" Movable "zone of dax0.0"
daxctl_ok reconfigure-device -f -m devdax dax0.0
[ "$(dev_driver dax1.0)" = none ] || daxctl_ok disable-device dax1.0
daxctl_ok disable-device dax0.0
daxctl_ok reconfigure-device -m devdax dax1.0 >/dev/null
start_held dax1.0
"$DAXCTL" enable-device dax0.0 >/tmp/en.out 2>/tmp/en.err &
en=$!
if [ "$KLINE" != 6.1 ]; then
	sleep 3
	kill -0 "$en" 2>/dev/null || fail "enable-device dax0.0 did not wait for region 1: $(cat /tmp/en.err)"
	ok
	assert_eq "$(dev_driver dax1.0)" none "region 1's device untouched while it waits"
fi
kill -CONT "$held_pid"
wait "$held_pid" || fail "held switch of dax1.0 failed: $(cat /tmp/held.err)"
wait "$en" || fail "enable-device dax0.0 failed: $(cat /tmp/en.err)"
ok
assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 enabled"
assert_eq "$(zones dax1.0)" Movable "zone of dax1.0"
assert_eq "$(policy)" online "policy at the end"
assert_not_exists "$JOURNAL"

info "lib-hold: $pass_count checks passed on $KLINE"
