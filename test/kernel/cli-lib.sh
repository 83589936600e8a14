# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Helpers for the daxctl CLI kernel tests (cli-*.sh), on top of lib.sh. Not a test itself.
# Sourced after lib.sh:   . "$SRCDIR/test/kernel/cli-lib.sh"
#
# Conventions: every daxctl run goes through run_daxctl, which keeps stdout, stderr and the
# exit status in $out, $err and $rc; the assertions below read them.

need_daxctl

# run_daxctl ARGS...: run the project's daxctl; sets $out, $err, $rc (never fails itself).
run_daxctl() {
	local e
	e=$(mktemp)
	out=$("$DAXCTL" "$@" 2>"$e")
	rc=$?
	err=$(cat "$e")
	rm -f "$e"
}

# daxctl_ok ARGS...: run_daxctl, which must exit 0.
daxctl_ok() {
	run_daxctl "$@"
	[ "$rc" = 0 ] || fail "daxctl $* exited $rc: $err"
	ok
}

# daxctl_fails RC ARGS...: run_daxctl, which must exit RC.
daxctl_fails() {
	local want=$1
	shift
	run_daxctl "$@"
	[ "$rc" = "$want" ] || fail "daxctl $* exited $rc, expected $want; stderr: $err"
	ok
}

# err_has LINE: stderr of the last run has this exact line.
err_has() {
	grep -qxF -- "$1" <<<"$err" || fail "stderr lacks the line '$1'; stderr was: $err"
	ok
}

# chardevs: the "chardev" values of the last run's stdout, one per line.
chardevs() {
	sed -n 's/^ *"chardev":"\([^"]*\)".*/\1/p' <<<"$out"
}

# create_ok ARGS...: create-device ARGS, which must succeed; $new holds the new devices'
# names (space-separated; one name when one device was made).
create_ok() {
	daxctl_ok create-device "$@"
	new=$(chardevs | tr '\n' ' ')
	new=${new% }
}

dev_size() { read_attr "$(dev_dir "$1")/size"; }
dev_align() { read_attr "$(dev_dir "$1")/align"; }

# nr_mappings DEV: how many mappingN directories the kernel shows.
nr_mappings() {
	local n=0 m
	for m in "$(dev_dir "$1")"/mapping[0-9]*; do
		[ -d "$m" ] && n=$((n + 1))
	done
	echo "$n"
}

region_avail() { read_attr "$(region_dir "${1:-0}")/available_size"; }
region_size() { read_attr "$(region_dir "${1:-0}")/size"; }

# region_devs R: names of region R's devices, sorted by id.
region_devs() {
	local d
	for d in /sys/devices/platform/hmem."${1:-0}"/dax"${1:-0}".*; do
		[ -e "$d" ] && echo "${d##*/}"
	done | sort -t. -k2,2n
}

# idle_leftovers R: devices of region R of size 0 other than daxR.0 (the kernel's own).
idle_leftovers() {
	local d
	for d in $(region_devs "${1:-0}"); do
		[ "$d" = "dax${1:-0}.0" ] && continue
		[ "$(dev_size "$d")" = 0 ] && echo "$d"
	done
}

# assert_consistent R: region size == available + the sum of device sizes, and no capacity is
# held by a device the kernel does not list.
assert_consistent() {
	local r=${1:-0} sum=0 d
	for d in $(region_devs "$r"); do
		sum=$((sum + $(dev_size "$d")))
	done
	assert_eq "$((sum + $(region_avail "$r")))" "$(region_size "$r")" \
		"region $r: available + device sizes"
}

# assert_no_idle R: no zero-sized device besides daxR.0.
assert_no_idle() {
	assert_eq "$(idle_leftovers "${1:-0}" | tr '\n' ' ')" "" "idle leftover devices"
}

# snapshot: everything "daxctl list -RDMi" shows plus each device's driver (list shows only
# enabled/disabled), for before/after comparisons.
snapshot() {
	local d
	"$DAXCTL" list -RDMi 2>&1
	for d in $(ls "$DAX_BUS/devices"); do
		echo "$d $(dev_driver "$d")"
	done
}

# fresh_region: region 0 with an idle dax0.0 and all of its capacity available.
fresh_region() {
	region_state 0 idle
	assert_eq "$(region_avail 0)" "$(region_size 0)" "available after reset"
}
