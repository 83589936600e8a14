# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 300
#
# Concurrent creators. Upstream daxctl writes "create", reads "seed" and sizes the seed, so
# parallel runs size the same device and leave idle ones behind (kernel-abi.md 6.3). The
# project's daxctl goes through the library's region lock: 8 parallel
# "create-device -s 64M" must give 8 distinct devices of 64 MiB, each reported by exactly one
# process, and no idle leftovers. The same again with --count and with destroy racing create,
# a device destroyed by another while destroy-device waits for the lock, and "list -RDM" loops
# beside shrinks and destroys of the same region (issue #15: unguarded, that hangs the kernel).
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

M=$((1 << 20))
tmp=$(mktemp -d)

# parallel N ARGS...: run N daxctl ARGS at once; their outputs in $tmp/N.{out,err,rc}.
parallel() {
	local n=$1 i
	shift
	rm -f "$tmp"/*
	for ((i = 0; i < n; i++)); do
		("$DAXCTL" "$@" >"$tmp/$i.out" 2>"$tmp/$i.err"; echo $? >"$tmp/$i.rc") &
	done
	wait
}

for round in 1 2 3; do
	step "round $round: 8 parallel create-device -s 64M"
	fresh_region
	parallel 8 create-device -s 64M
	for ((i = 0; i < 8; i++)); do
		assert_eq "$(cat "$tmp/$i.rc")" 0 "exit status of creator $i ($(cat "$tmp/$i.err"))"
		assert_eq "$(grep -c '"chardev"' "$tmp/$i.out")" 1 "devices printed by creator $i"
	done
	names=$(sed -n 's/^ *"chardev":"\([^"]*\)".*/\1/p' "$tmp"/*.out | sort)
	assert_eq "$(wc -l <<<"$names")" 8 "devices reported"
	assert_eq "$(sort -u <<<"$names" | wc -l)" 8 "distinct devices reported"
	for d in $names; do
		assert_eq "$(dev_size "$d")" $((64 * M)) "size of $d"
		assert_eq "$(dev_driver "$d")" device_dax "driver of $d"
	done
	# Exactly those 8 besides dax0.0, nothing idle, capacity accounted for.
	assert_eq "$(region_devs 0 | grep -vx dax0.0 | sort | tr '\n' ' ')" \
		"$(tr '\n' ' ' <<<"$names")" "devices of region 0"
	assert_no_idle
	assert_consistent
	assert_eq "$(region_avail)" $((2048 * M - 8 * 64 * M)) "available after 8 creates"
done

step "4 parallel --count 4 -s 32M: 16 devices, every run all or nothing"
fresh_region
parallel 4 create-device --count 4 -s 32M
for ((i = 0; i < 4; i++)); do
	assert_eq "$(cat "$tmp/$i.rc")" 0 "exit status of creator $i ($(cat "$tmp/$i.err"))"
	assert_eq "$(grep -c '"chardev"' "$tmp/$i.out")" 4 "devices printed by creator $i"
done
names=$(sed -n 's/^ *"chardev":"\([^"]*\)".*/\1/p' "$tmp"/*.out | sort -u)
assert_eq "$(wc -l <<<"$names")" 16 "distinct devices"
assert_no_idle
assert_consistent

step "parallel destroys and creates: no idle leftovers, capacity consistent"
victims=$(head -n 8 <<<"$names")
rm -f "$tmp"/*
for d in $victims; do
	("$DAXCTL" destroy-device -f "$d" >"$tmp/d-$d.out" 2>"$tmp/d-$d.err"
		echo $? >"$tmp/d-$d.rc") &
	("$DAXCTL" create-device -s 16M >"$tmp/c-$d.out" 2>"$tmp/c-$d.err"
		echo $? >"$tmp/c-$d.rc") &
done
wait
for f in "$tmp"/*.rc; do
	assert_eq "$(cat "$f")" 0 "exit status of ${f##*/} ($(cat "${f%.rc}.err"))"
done
made=$(sed -n 's/^ *"chardev":"\([^"]*\)".*/\1/p' "$tmp"/c-*.out | sort)
assert_eq "$(sort -u <<<"$made" | wc -l)" 8 "distinct devices created during the destroys"
for d in $made; do
	assert_eq "$(dev_size "$d")" $((16 * M)) "size of $d"
done
assert_no_idle
assert_consistent
daxctl_ok destroy-device -f all
assert_eq "$(region_avail)" "$(region_size)" "everything freed"
assert_no_idle

step "a device destroyed by another while destroy-device waits: reported, not acted on"
# The other holds the region lock while destroy-device has selected dax0.1-3 and waits for it
# in its first destroy; the other destroys dax0.2 meanwhile. destroy-device's re-read after
# dax0.1 sees dax0.2 gone: it says so and goes on with dax0.3 (before the lifetime rule this
# read freed memory, and could act on whatever reused it).
fresh_region
create_ok --count 3 -s 64M
assert_eq "$new" "dax0.1 dax0.2 dax0.3" "devices made"
rm -f "$tmp"/*
HOLD_UNTIL=$tmp/go "$BUILDDIR/test/kernel/libdax-change" hold-lock "$KLINE" >"$tmp/held" &
holder=$!
wait_for grep -q held "$tmp/held"
("$DAXCTL" destroy-device -f dax0.1 dax0.2 dax0.3 >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc") &
cli=$!
# destroy-device waits for the lock (a blocked flock shows as "->" in /proc/locks).
wait_for grep -q -- '->.*FLOCK' /proc/locks
unbind_dev dax0.2
write_attr "$(dev_dir dax0.2)/size" 0
write_attr "$(region_dir 0)/delete" dax0.2
touch "$tmp/go"
wait "$cli"
assert_eq "$(cat "$tmp/rc")" 237 "exit status (-ENODEV & 0xff; stderr: $(cat "$tmp/err"))"
grep -qxF "dax0.2: No such device" "$tmp/err" || fail "stderr lacks dax0.2's line: $(cat "$tmp/err")"
ok
grep -qxF "destroyed 2 devices" "$tmp/err" || fail "stderr lacks the count: $(cat "$tmp/err")"
ok
assert_eq "$(region_devs 0 | tr '\n' ' ')" "dax0.0 " "devices of region 0"
assert_eq "$(region_avail)" "$(region_size)" "everything freed"
assert_no_idle
wait "$holder" || fail "the lock holder failed"
ok

step "list -RDM loops beside shrinks and destroys of the same region: every loop finishes"
# On stock 6.1 and 6.12, reading mappingN/ while its device shrinks can deadlock in the kernel
# for good (the show function waits for the region lock that size_store holds while it
# removes mappingN and waits for the readers). libdax reads mappings under the region lock
# file shared, its changes hold it exclusively: the loops below must all end, every command
# succeed, and the region stay consistent. LIST_SECONDS: how long they run.
fresh_region
create_ok -s 128M
assert_eq "$new" "dax0.1" "device made"
daxctl_ok disable-device dax0.1
rm -f "$tmp"/*
secs=${LIST_SECONDS:-25}
end=$((SECONDS + secs))
for r in 0 1 2; do
	(n=0 bad=0
	while ((SECONDS < end)); do
		"$DAXCTL" list -RDM >"$tmp/list$r.out" 2>>"$tmp/list$r.err" || bad=$((bad + 1))
		n=$((n + 1))
	done
	echo "$n $bad" >"$tmp/list$r.n") &
done
(n=0 bad=0
while ((SECONDS < end)); do
	"$DAXCTL" reconfigure-device -s 0 dax0.1 >/dev/null 2>>"$tmp/w.err" || bad=$((bad + 1))
	"$DAXCTL" reconfigure-device -s 128M dax0.1 >/dev/null 2>>"$tmp/w.err" || bad=$((bad + 1))
	d=$("$DAXCTL" create-device -s 64M 2>>"$tmp/w.err" |
		sed -n 's/^ *"chardev":"\([^"]*\)".*/\1/p')
	if [ -n "$d" ]; then
		"$DAXCTL" destroy-device -f "$d" >/dev/null 2>>"$tmp/w.err" || bad=$((bad + 1))
	else
		bad=$((bad + 1))
	fi
	n=$((n + 1))
done
echo "$n $bad" >"$tmp/w.n") &
# A wedged kernel never lets them end: give up 120 s after they should have.
for ((i = 0; i < secs + 120; i++)); do
	[ -e "$tmp/list0.n" ] && [ -e "$tmp/list1.n" ] && [ -e "$tmp/list2.n" ] &&
		[ -e "$tmp/w.n" ] && break
	sleep 1
done
for f in list0 list1 list2 w; do
	[ -e "$tmp/$f.n" ] || fail "$f did not finish $((secs + 120)) s after its end (kernel wedged?)"
	ok
done
wait
read -r n bad <"$tmp/w.n"
info "writer: $n rounds (shrink to 0, grow, create, destroy) in $secs s"
assert_eq "$bad" 0 "failed writer commands ($(head -c 600 "$tmp/w.err"))"
((n >= 2)) || fail "the writer made only $n rounds"
ok
for r in 0 1 2; do
	read -r n bad <"$tmp/list$r.n"
	info "list loop $r: $n runs"
	assert_eq "$bad" 0 "failed list runs of loop $r ($(head -c 600 "$tmp/list$r.err"))"
	((n >= 2)) || fail "list loop $r made only $n runs"
	ok
done
# The last listing of each loop shows the region, and ends.
for r in 0 1 2; do
	grep -qF '"path":"\/platform\/hmem.0"' "$tmp/list$r.out" && [ "$(tail -n 1 "$tmp/list$r.out")" = "]" ] ||
		fail "list loop $r's last output: $(cat "$tmp/list$r.out")"
	ok
done
assert_eq "$(dev_size dax0.1)" $((128 * M)) "size of dax0.1 after the loops"
assert_eq "$(region_devs 0 | tr '\n' ' ')" "dax0.0 dax0.1 " "devices of region 0"
assert_no_idle
assert_consistent

rm -rf "$tmp"
info "cli-concurrent: $pass_count checks passed on $KLINE"
