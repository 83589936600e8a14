# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Helpers for kernel tests.  Each test runs with bash in a fresh QEMU guest (test/guest/init)
# and starts with:   . "$SRCDIR/test/kernel/lib.sh"
#
# Environment set by the guest: DAXCTL (the project's tool, may not be built yet), DAXCTL_REF
# (Debian's daxctl 76.1), KVER, KLINE (6.1 or 6.12), TOPOLOGY, SRCDIR, BUILDDIR, TEST_RESULTDIR.
#
# Every assertion stops the test at the first failure with "FAIL: file:line: message".

SYSFS_IO=${SYSFS_IO:-sysfs-io}
DAX_BUS=/sys/bus/dax
HMEM_DRV=/sys/bus/platform/drivers/hmem
MEM=/sys/devices/system/memory

# --- reporting ----------------------------------------------------------------------------------

# Location of the first caller outside this file.
_where() {
	local i
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		if [ "${BASH_SOURCE[$i]}" != "${BASH_SOURCE[0]}" ]; then
			echo "${BASH_SOURCE[$i]##*/}:${BASH_LINENO[$((i - 1))]}"
			return
		fi
	done
	echo "?:?"
}

fail() {
	echo "FAIL: $(_where): $*" >&2
	exit 1
}

info() { echo "# $*"; }

# step NAME: announce a test step (makes the log readable).
step() { echo "--- $*"; }

pass_count=0
ok() { pass_count=$((pass_count + 1)); }

# --- assertions ---------------------------------------------------------------------------------

assert_eq() { # assert_eq ACTUAL EXPECTED [WHAT]
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
	ok
}

assert_ne() { # assert_ne ACTUAL UNEXPECTED [WHAT]
	[ "$1" != "$2" ] || fail "${3:-value}: must not be '$2'"
	ok
}

assert_match() { # assert_match ACTUAL EXTENDED-REGEX [WHAT]
	[[ $1 =~ $2 ]] || fail "${3:-value}: '$1' does not match /$2/"
	ok
}

assert_exists() { [ -e "$1" ] || fail "$1 does not exist"; ok; }
assert_not_exists() { [ ! -e "$1" ] || fail "$1 exists"; ok; }

# read_attr PATH: print a sysfs attribute (one read(2)), without the trailing newline.
read_attr() {
	local out
	out=$("$SYSFS_IO" read "$1") || fail "read $1: $out"
	printf '%s' "${out%$'\n'}"
}

assert_file_content() { # assert_file_content PATH EXPECTED (trailing newline ignored)
	local got
	[ -e "$1" ] || fail "$1 does not exist"
	got=$("$SYSFS_IO" read "$1") || fail "read $1 failed: $got"
	[ "$got" = "$2" ] || fail "$1: expected '$2', got '$got'"
	ok
}

assert_mode() { # assert_mode PATH OCTAL (e.g. 644)
	local m
	m=$(stat -c %a "$1") || fail "stat $1"
	[ "$m" = "$2" ] || fail "$1: mode $m, expected $2"
	ok
}

# write_attr PATH VALUE: one write(2) of VALUE (no newline); must succeed.
write_attr() {
	local out
	out=$("$SYSFS_IO" write "$1" "$2") || fail "write '$2' > $1 failed: $out"
	ok
}

# expect_errno ERRNO PATH VALUE: the write must fail with ERRNO (e.g. EBUSY), in open or write.
expect_errno() {
	local out
	if out=$("$SYSFS_IO" write "$2" "$3"); then
		fail "write '$3' > $2 succeeded, expected $1"
	fi
	[ "${out%% *}" = "$1" ] || fail "write '$3' > $2: expected $1, got '$out'"
	ok
}

# expect_read_errno ERRNO PATH: reading must fail with ERRNO.
expect_read_errno() {
	local out
	out=$("$SYSFS_IO" read "$2") && fail "read $2 succeeded ('$out'), expected $1"
	[ "${out%% *}" = "$1" ] || fail "read $2: expected $1, got '$out'"
	ok
}

# wait_for COND-COMMAND... : poll (10 ms steps, up to 5 s) until the command succeeds.
wait_for() {
	local i
	for ((i = 0; i < 500; i++)); do
		"$@" && return 0
		sleep 0.01
	done
	fail "timed out waiting for: $*"
}

# --- tools --------------------------------------------------------------------------------------

# need_daxctl: the project's daxctl must exist; a test that needs it fails clearly otherwise.
need_daxctl() {
	[ -x "$DAXCTL" ] || fail "project daxctl not built: $DAXCTL is missing (build the daxctl target)"
}

need_ref() {
	[ -x "$DAXCTL_REF" ] || fail "reference daxctl missing: $DAXCTL_REF"
}

# load_kmem: modprobe kmem.  On 6.12 this hot-plugs (and onlines) every unbound device with a
# size on a kmem-typed region: put bystanders in the state you want first.
load_kmem() {
	modprobe kmem || fail "modprobe kmem failed"
}

# --- regions and devices ------------------------------------------------------------------------

region_dir() { echo "/sys/devices/platform/hmem.$1/dax_region"; }

# dev_driver NAME: driver bound to daxX.Y ("none" when unbound).
dev_driver() {
	local l=$DAX_BUS/devices/$1/driver
	if [ -L "$l" ]; then basename "$(readlink "$l")"; else echo none; fi
}

dev_dir() { echo "$DAX_BUS/devices/$1"; }

# ranges DEV: "start-end" of each mapping in page_offset order, one per line (sysfs).
ranges() {
	local m
	for m in "$(dev_dir "$1")"/mapping[0-9]*; do
		[ -d "$m" ] || continue
		printf '%s %s-%s\n' "$(read_attr "$m/page_offset")" "$(read_attr "$m/start")" \
			"$(read_attr "$m/end")"
	done | sort -k1,1 | cut -d' ' -f2
}

# set_region_idle Y|N: dax_hmem's region_idle (takes effect at the next hmem bind).
set_region_idle() {
	write_attr /sys/module/dax_hmem/parameters/region_idle "$1"
}

# region_reset R: tear down every device of region R and recreate a pristine daxR.0 by
# unbinding and binding hmem.R.  Names are dropped from the drivers' new_id lists first so
# that no stale match decides the new daxR.0's driver.  Only valid without online kmem memory
# and without users of /dev/daxR.*.
region_reset() {
	local r=$1 d drv
	for d in /sys/devices/platform/hmem."$r"/dax"$r".*; do
		[ -e "$d" ] || continue
		for drv in "$DAX_BUS"/drivers/*; do
			"$SYSFS_IO" write "$drv/remove_id" "${d##*/}" >/dev/null || true
		done
	done
	if [ -e "/sys/devices/platform/hmem.$r/driver" ]; then
		write_attr "$HMEM_DRV/unbind" "hmem.$r"
	fi
	write_attr "$HMEM_DRV/bind" "hmem.$r"
	wait_for test -e "$DAX_BUS/devices/dax$r.0"
}

# bind_device_dax NAME: attach NAME to device_dax on either kernel.  6.1: device_dax/bind.
# 6.12 (kmem-typed hmem regions): bind gives ENODEV until the name is on device_dax/new_id.
bind_device_dax() {
	local out
	if out=$("$SYSFS_IO" write "$DAX_BUS/drivers/device_dax/bind" "$1"); then
		:
	elif [ "${out%% *}" = ENODEV ]; then
		write_attr "$DAX_BUS/drivers/device_dax/new_id" "$1"
	else
		fail "device_dax/bind $1: $out"
	fi
	assert_eq "$(dev_driver "$1")" device_dax "driver of $1"
}

# unbind_dev NAME: detach NAME from its driver (if any) and drop it from that driver's new_id.
unbind_dev() {
	local drv
	drv=$(dev_driver "$1")
	[ "$drv" != none ] || return 0
	"$SYSFS_IO" write "$DAX_BUS/drivers/$drv/remove_id" "$1" >/dev/null || true
	write_attr "$DAX_BUS/drivers/$drv/unbind" "$1"
	assert_eq "$(dev_driver "$1")" none "driver of $1 after unbind"
}

# region_state R devdax|unbound|idle : bring region R into a known state on any kernel line.
#   devdax:  daxR.0 spans the whole region and is bound to device_dax
#   unbound: daxR.0 spans the whole region, no driver
#   idle:    daxR.0 has size 0, no driver; the whole region is available
region_state() {
	local r=$1 want=$2 dir
	dir=$(region_dir "$r")
	case $want in
	devdax | unbound) set_region_idle N ;;
	idle) set_region_idle Y ;;
	*) fail "region_state: unknown state $want" ;;
	esac
	region_reset "$r"
	case $want in
	devdax)
		[ "$(dev_driver "dax$r.0")" = device_dax ] || bind_device_dax "dax$r.0"
		;;
	unbound) unbind_dev "dax$r.0" ;;
	idle)
		assert_eq "$(dev_driver "dax$r.0")" none "driver of idle dax$r.0"
		assert_file_content "$DAX_BUS/devices/dax$r.0/size" 0
		assert_file_content "$dir/available_size" "$(read_attr "$dir/size")"
		;;
	esac
}

# --- memory blocks ------------------------------------------------------------------------------

# block_bytes: the memory block size in bytes.
block_bytes() { echo $((0x$(read_attr "$MEM/block_size_bytes"))); }

# blocks DEV: the memory block indices of DEV's ranges (whole blocks only).  The block size is
# $BS where the test has set it (one read fewer a call), else read.
blocks() {
	local s e b bs=${BS:-$(block_bytes)}
	# A pipe: the guest has no /dev/fd for process substitution.
	ranges "$1" | while IFS=- read -r s e; do
		for ((b = (s + bs - 1) / bs; b < (e + 1) / bs; b++)); do echo "$b"; done
	done
}

# zones DEV: the zones of DEV's blocks, uniq'ed and space-separated ("offline" for offline
# blocks; blocks that do not exist, i.e. not hot-plugged, are left out).
zones() {
	local b
	for b in $(blocks "$1"); do
		if [ ! -e "$MEM/memory$b/state" ]; then
			continue
		elif [ "$(read_attr "$MEM/memory$b/state")" = online ]; then
			read_attr "$MEM/memory$b/valid_zones" | cut -d' ' -f1
		else
			echo offline
		fi
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# --- libdax-change cases with kmem -------------------------------------------------------------

# run_kmem_case CASE: run CASE of libdax-change (test/kernel/libdax-change.c) with region 0
# whole and unbound.  The case loads kmem itself, after shrinking dax0.0 to 0: on 6.12 loading
# it would take every unbound device with a size.  One case per guest: a region reset with kmem
# loaded would hand the new dax0.0 to kmem on 6.12.  Afterwards only dax0.0 may be left, and
# new_id may have been written only where the kernel needs it (kmem on 6.1, device_dax later).
run_kmem_case() {
	local c=$1 bin=$BUILDDIR/test/kernel/libdax-change log
	[ -x "$bin" ] || fail "$bin not built"
	step "$c ($KLINE)"
	region_state 0 unbound
	log=${TEST_RESULTDIR:-/tmp}/$c.log
	LIBDAX_LOG=debug "$bin" "$c" "$KLINE" 2>"$log" || {
		grep -v 'dbg' "$log" | tail -n 30
		fail "case $c (debug log: $log)"
	}
	ok
	assert_eq "$(ls "$DAX_BUS/devices" | tr '\n' ' ')" "dax0.0 " "devices after $c"
	if [ "$KLINE" = 6.1 ]; then
		assert_eq "$(grep -c 'device_dax/new_id <- ' "$log" || true)" 0 "device_dax/new_id on 6.1"
	else
		assert_eq "$(grep -c 'kmem/new_id <- ' "$log" || true)" 0 "kmem/new_id on $KLINE"
	fi
}
