# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 1500
#
# Benchmark: 256 creates of 2 MiB and 256 destroys, with Debian's daxctl 76.1,
# with ours and with raw sysfs writes, in one guest run, from the same
# starting state (region idle: dax0.0 at size 0, 2 GiB available). Prints
# totals, ratios (against daxctl 76.1 per process, with no target: start-up
# bound under the emulator; creates <= 2x raw sysfs), the floor of one process per
# create (raw-create: the raw writes alone, from a program linked like
# daxctl; ours over it is what daxctl itself adds) and the cost per create in
# blocks of 32, which must not grow with the device count (judged: the
# median of the second half of the creates over the first half's; also the
# least-squares slope).
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/bench/bench.inc"
need_daxctl
need_ref
use_tmpfs_daxctl
N=256
R=$(region_dir 0)

fresh() {
	region_state 0 idle
	assert_file_content "$R/available_size" 2147483648
}

# create_loop NAME CMD...: N creates; prints the total in ms, the least-
# squares slope of the time per create against the number of devices made
# before it (us per device), and the median us per create in blocks of 32.
# Timestamps come from bash's clock without a subshell: $(...) would fork,
# and the fork would be charged to every step measured (raw sysfs most).
create_loop() {
	local name=$1 i t0 t1 blk=() per=()
	shift
	for ((i = 0; i < N; i++)); do
		t0=${EPOCHREALTIME/./}
		"$@" >/dev/null 2>&1 || fail "$name create #$i failed"
		t1=${EPOCHREALTIME/./}
		per+=($((t1 - t0)))
	done
	for ((i = 0; i < N; i += 32)); do
		blk+=("$(printf '%s\n' "${per[@]:i:32}" | sort -n | sed -n 16p)")
	done
	local total=0 slope h=$((N / 2)) m1 m2
	for t in "${per[@]}"; do total=$((total + t)); done
	m1=$(printf '%s\n' "${per[@]:0:h}" | sort -n | sed -n "$((h / 2))p")
	m2=$(printf '%s\n' "${per[@]:h}" | sort -n | sed -n "$((h / 2))p")
	slope=$(printf '%s\n' "${per[@]}" | awk '{ x = NR - 1; sx += x; sy += $1; sxx += x * x; sxy += x * $1 }
		END { printf "%.1f", (NR * sxy - sx * sy) / (NR * sxx - sx * sx) }')
	echo "$((total / 1000)) $slope $m1 $m2 ${blk[*]}"
}

raw_create() {
	echo 1 >"$R/create" || return 1
	read -r name <"$R/create"
	echo 2097152 >"$DAX_BUS/devices/$name/size" || return 1
	echo "$name" >"$DAX_BUS/drivers/device_dax/bind" 2>/dev/null ||
		echo "$name" >"$DAX_BUS/drivers/device_dax/new_id"
}

# destroy_all NAME CMD...: disable + destroy every device but dax0.0.
destroy_all() {
	local name=$1 d t0 t1
	shift
	t0=${EPOCHREALTIME/./}
	for d in $(cd $DAX_BUS/devices && ls -d dax0.* | grep -v '^dax0\.0$'); do
		"$@" "$d" >/dev/null 2>&1 || fail "$name destroy $d failed"
	done
	t1=${EPOCHREALTIME/./}
	echo $(((t1 - t0) / 1000))
}

raw_destroy() {
	if [ -L "$DAX_BUS/devices/$1/driver" ]; then
		echo "$1" >"$DAX_BUS/drivers/device_dax/remove_id" 2>/dev/null
		echo "$1" >"$DAX_BUS/drivers/device_dax/unbind" || return 1
	fi
	echo 0 >"$DAX_BUS/devices/$1/size" && echo "$1" >"$R/delete"
}
ref_destroy() { "$DAXCTL_REF" disable-device "$1" && "$DAXCTL_REF" destroy-device "$1"; }
our_destroy() { "$DAXCTL" disable-device "$1" && "$DAXCTL" destroy-device "$1"; }

count_devs() { "$DAXCTL" list -D | grep -c '"chardev"'; }

fresh
create_loop daxctl-76.1 "$DAXCTL_REF" create-device -r 0 -s 2M >/tmp/loop.out
read -r ref_c ref_slope ref_h1 ref_h2 ref_blk </tmp/loop.out
assert_eq "$(count_devs)" $N "devices after daxctl 76.1 creates"
ref_d=$(destroy_all daxctl-76.1 ref_destroy)

fresh
create_loop ours "$DAXCTL" create-device -r 0 -s 2M >/tmp/loop.out
read -r our_c our_slope our_h1 our_h2 our_blk </tmp/loop.out
assert_eq "$(count_devs)" $N "devices after our creates"
assert_eq "$("$DAXCTL" list -Di | grep -c '"size":0,')" 1 "idle devices (dax0.0 only)"
our_d=$(destroy_all ours our_destroy)

fresh
create_loop raw raw_create >/tmp/loop.out
read -r raw_c raw_slope raw_h1 raw_h2 raw_blk </tmp/loop.out
assert_eq "$(count_devs)" $N "devices after raw creates"
raw_d=$(destroy_all raw raw_destroy)

# The same raw writes from a process of their own per create (raw-create, linked like
# daxctl): the floor of any tool run once per device, which the in-shell loop is not.
fresh
cp "$BUILDDIR/test/tools/raw-create" /tmp/ours/raw-create || fail "copy raw-create"
create_loop raw-process /tmp/ours/raw-create 0 2097152 >/tmp/loop.out
read -r proc_c _ </tmp/loop.out
assert_eq "$(count_devs)" $N "devices after raw-create"
destroy_all raw raw_destroy >/dev/null

# Beyond upstream: the same 256 devices made by one process (--count, one
# locked transaction) and removed by two (disable-device and destroy-device
# with all the names). Not like for like with 76.1's 256 processes, so it is
# reported, not judged.
fresh
t0=${EPOCHREALTIME/./}
"$DAXCTL" create-device -r 0 -s 2M --count $N >/dev/null 2>&1 || fail "create-device --count $N failed"
t1=${EPOCHREALTIME/./}
bat_c=$(((t1 - t0) / 1000))
assert_eq "$(count_devs)" $N "devices after create-device --count $N"
names=$(cd $DAX_BUS/devices && ls -d dax0.* | grep -v '^dax0\.0$')
t0=${EPOCHREALTIME/./}
# shellcheck disable=SC2086
"$DAXCTL" disable-device $names >/dev/null 2>&1 && "$DAXCTL" destroy-device $names >/dev/null 2>&1 ||
	fail "batched disable-device + destroy-device failed"
t1=${EPOCHREALTIME/./}
bat_d=$(((t1 - t0) / 1000))
assert_eq "$(count_devs)" 0 "devices after the batched destroy"

awk -v rc="$ref_c" -v oc="$our_c" -v wc="$raw_c" -v rd="$ref_d" -v od="$our_d" -v wd="$raw_d" \
	-v rg="$ref_h2 / $ref_h1" -v og="$our_h2 / $our_h1" -v wg="$raw_h2 / $raw_h1" \
	-v rs="$ref_slope" -v os="$our_slope" -v ws="$raw_slope" -v bc="$bat_c" -v bd="$bat_d" -v pc="$proc_c" -v n=$N 'function growth(q, v) {
		split(q, v, " / ")
		return v[1] / v[2]
	}
	BEGIN {
		printf "BENCH %d x create-device -s 2M: daxctl-76.1=%dms ours=%dms raw-sysfs=%dms\n", n, rc, oc, wc
		printf "BENCH %d x create-device -s 2M: ratio ours/daxctl-76.1=%.3f (per process: no target)\n",
			n, oc / rc
		printf "BENCH %d x create-device -s 2M: ratio ours/raw-sysfs=%.2f (target <= 2: %s)\n",
			n, oc / wc, oc / wc <= 2 ? "met" : "NOT MET"
		printf "BENCH %d x create-device -s 2M: one process per create doing only the raw writes (raw-create, linked like daxctl)=%dms: raw-create/raw-sysfs=%.2f, ours/raw-create=%.2f\n",
			n, pc, pc / wc, oc / pc
		g = growth(og)
		printf "BENCH per-create cost, median of creates %d-%d / of creates 1-%d: ours=%.2f (target: flat, <= 1.25: %s) daxctl-76.1=%.2f raw-sysfs=%.2f\n",
			n / 2 + 1, n, n / 2, g, g <= 1.25 ? "met" : "NOT MET", growth(rg), growth(wg)
		printf "BENCH per-create cost, slope: ours=%+.1f daxctl-76.1=%+.1f raw-sysfs=%+.1f us per device already made\n",
			os, rs, ws
		printf "BENCH %d x (disable-device + destroy-device): daxctl-76.1=%dms ours=%dms raw-sysfs=%dms\n", n, rd, od, wd
		printf "BENCH %d x (disable-device + destroy-device): ratio ours/daxctl-76.1=%.3f (per process: no target)\n",
			n, od / rd
		printf "BENCH batched, not judged: create-device --count %d: %dms (%.3f of daxctl-76.1, %.2f x raw sysfs); disable-device + destroy-device of all: %dms (%.3f of daxctl-76.1)\n",
			n, bc, bc / rc, bc / wc, bd, bd / rd
	}'
echo "BENCH median us per create, blocks of 32 devices: daxctl-76.1: $ref_blk"
echo "BENCH median us per create, blocks of 32 devices: ours:        $our_blk"
echo "BENCH median us per create, blocks of 32 devices: raw sysfs:   $raw_blk"
