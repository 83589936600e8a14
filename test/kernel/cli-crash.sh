# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 240
#
# A creator that dies between its sysfs steps (SIGKILL, OOM, power loss of the shell): what it
# leaves behind must not confuse the next daxctl run, and no capacity may be lost.
#  - The states a crash can leave are made by raw sysfs writes (a device from "create" that
#    was never sized; one sized but never bound), then daxctl runs: a zero-size leftover is
#    reused, a sized one stays visible as a disabled device that destroy-device removes.
#  - Then real SIGKILLs at varying moments of "create-device --count 16": after each, the next
#    run succeeds and the region is consistent (size == available + devices), without idle
#    leftovers.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

M=$((1 << 20))
R=$(region_dir 0)

step "a device created but never sized (crash right after writing 'create') is reused"
fresh_region
write_attr "$R/create" 1
left=$(idle_leftovers 0)
assert_ne "$left" "" "raw create left an idle device"
create_ok -s 64M
assert_eq "$new" "$left" "daxctl reused the leftover"
assert_eq "$(dev_size "$new")" $((64 * M)) "size of $new"
assert_eq "$(dev_driver "$new")" device_dax "driver of $new"
assert_no_idle
assert_consistent

step "two leftovers: each daxctl run takes one, none is left after two runs"
write_attr "$R/create" 1
write_attr "$R/create" 1
assert_eq "$(idle_leftovers 0 | wc -l)" 2 "idle leftovers made"
create_ok -s 64M
assert_eq "$(idle_leftovers 0 | wc -l)" 1 "idle leftovers after one run"
create_ok -s 64M
assert_no_idle
assert_consistent

step "a device sized but never bound (crash before the bind) stays visible and accounted"
write_attr "$R/create" 1
half=$(idle_leftovers 0)
write_attr "$(dev_dir "$half")/size" $((32 * M))
assert_consistent
create_ok -s 64M
assert_ne "$new" "$half" "the sized leftover is not taken over"
daxctl_ok list -d "$half"
assert_match "$out" '"state":"disabled"' "the half-made device is listed"
assert_consistent
daxctl_ok destroy-device "$half"
err_has "destroyed 1 device"
assert_not_exists "$(dev_dir "$half")"
assert_consistent
daxctl_ok destroy-device -f all
assert_eq "$(region_avail)" "$(region_size)" "all capacity back"

step "SIGKILL during create-device --count 16, at varying moments"
kills=0
for delay in 0 0.01 0.02 0.03 0.05 0.08 0.1 0.15 0.2 0.3 0.5; do
	"$DAXCTL" create-device --count 16 -s 2M >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	# The next run works and cleans up after the dead one.
	create_ok -s 2M
	assert_no_idle
	assert_consistent
	# Nothing half-way is left idle or unaccounted; whole devices the dead run finished
	# are ordinary devices (enabled, or disabled if it died before the bind).
	daxctl_ok destroy-device -f all
	assert_eq "$(region_avail)" "$(region_size)" "capacity back after the kill at ${delay}s"
	assert_no_idle
done
info "$kills of the runs were killed before they finished"
[ "$kills" -gt 0 ] || fail "no run was killed: the delays are too long for this machine"

step "SIGKILL during destroy-device -f all"
for delay in 0 0.01 0.03 0.05 0.1; do
	daxctl_ok create-device --count 8 -s 8M
	"$DAXCTL" destroy-device -f all >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	assert_consistent
	daxctl_ok destroy-device -f all
	assert_eq "$(region_avail)" "$(region_size)" "capacity back after the kill at ${delay}s"
	assert_no_idle
done

info "cli-crash: $pass_count checks passed on $KLINE"
