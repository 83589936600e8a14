# SPDX-License-Identifier: GPL-2.0-only
# topology: hmat
# topology-6.12: numa
# timeout: 300
#
# daxctl create-device --color (issue #14): devices on the colours of a 256 MiB direct-mapped
# memory-side cache over the 2 GiB region on node 1. On 6.1 the cache is the one the guest's
# HMAT gives node 1; 6.12 makes no hmem region with that HMAT (kernel/README.md), so there the
# same checks run on the numa layout with --cache-size 256m, and the no-cache error is checked.
# Every placement is checked from sysfs mappingN, never from daxctl's output.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

M=$((1 << 20))
C=$((256 * M))
N1=/sys/devices/system/node/node1

step "the topology: node 1 and its cache (or none), region 0 on node 1"
if [ -d "$N1/memory_side_cache/index1" ]; then
	assert_eq "$TOPOLOGY" hmat "topology with a memory-side cache"
	assert_file_content "$N1/memory_side_cache/index1/size" $C
	assert_file_content "$N1/memory_side_cache/index1/indexing" 0
	assert_file_content "$N1/memory_side_cache/index1/line_size" 64
	assert_file_content "$N1/access0/initiators/read_bandwidth" 4096
	cache=()
else
	# Only where the hmat layout makes no region (6.12) does the test run without a cache.
	assert_eq "$KLINE/$TOPOLOGY" 6.12/numa "kernel/topology without a memory-side cache"
	cache=(--cache-size 256m)
fi
info "cache options: ${cache[*]:-(from the kernel)}"
fresh_region
assert_file_content "$DAX_BUS/devices/dax0.0/target_node" 1
base=$(read_attr "$DAX_BUS/devices/dax0.0/resource")
assert_eq "$((base % C))" 0 "region start on a cache window"
assert_eq "$(region_size)" $((8 * C)) "region size: 8 windows"

if [ ${#cache[@]} -gt 0 ]; then
	step "no cache reported and no --cache-size: a clear error, nothing changed"
	before=$(snapshot)
	daxctl_fails 254 create-device -r 0 --color 0/4
	err_has "libdax: dax_region_plan_colors: region 0: node 1 reports no memory-side cache (no HMAT cache entry): give the cache size"
	err_has "region 0: cannot place colour 0/4: No such file or directory"
	assert_eq "$(snapshot)" "$before" "state after the refused create"
fi

step "a slice not a multiple of the align: EINVAL before any write"
before=$(snapshot)
daxctl_fails 234 create-device -r 0 --color 1/4 -a 1g "${cache[@]}"
err_has "region 0: cannot place colour 1/4: Invalid argument"
[[ $err == *"a slice of the 0x10000000-byte cache in 4 colours is not a multiple of 0x40000000"* ]] ||
	fail "no slice message: $err"
ok
daxctl_fails 234 create-device -r 0 --color 0/3 "${cache[@]}"
err_has "region 0: cannot place colour 0/3: Invalid argument"
daxctl_fails 234 create-device -r 0 -s 3m --color 0/4 "${cache[@]}"
assert_eq "$(snapshot)" "$before" "state after the refused creates"
assert_no_idle

step "four devices of colours 0/4 .. 3/4 over the whole region"
devs=()
for k in 0 1 2 3; do
	create_ok -r 0 --color "$k/4" "${cache[@]}"
	devs+=("$new")
	assert_eq "$(nr_mappings "$new")" 8 "mappings of $new (colour $k/4)"
	assert_eq "$(dev_size "$new")" $((8 * 64 * M)) "size of $new"
done
assert_eq "$(region_avail)" 0 "available after four colours"
assert_consistent

# check_colors DEV0 DEV1 DEV2 DEV3: from sysfs, 8 ranges of 64 MiB each, device i on colour
# i/4 alone, pairwise disjoint colours, every window covered.
# Each range is 64 MiB long and starts on a 64 MiB boundary, so its set of addresses mod
# 256 MiB is [start mod 256M, +64M): two devices' sets are disjoint iff no start mod 256M is
# shared.
check_colors() {
	local devs=("$@") i a b d s e key shared
	local -A owner=() mods=()
	for i in 0 1 2 3; do
		d=${devs[$i]}
		while IFS=- read -r s e; do
			s=$((s)) e=$((e))
			assert_eq $((e - s + 1)) $((64 * M)) "length of $d range $(printf '%#x' $s)"
			assert_eq $((s % (64 * M))) 0 "start of $d range on a 64 MiB boundary"
			key=$(((s - base) / (64 * M)))
			[ -z "${owner[$key]:-}" ] || fail "slice $key of the region in both ${owner[$key]} and $d"
			owner[$key]=$d
			mods[$i]+="${mods[$i]:+$'\n'}$((s % C))"
		done <<<"$(ranges "$d")"
		mods[$i]=$(sort -un <<<"${mods[$i]}")
		assert_eq "${mods[$i]}" $((i * 64 * M)) "$d: addresses mod 256 MiB (colour $i/4)"
	done
	for a in 0 1 2 3; do
		for b in 0 1 2 3; do
			[ "$a" -lt "$b" ] || continue
			shared=$(grep -xF -e "${mods[$a]}" <<<"${mods[$b]}")
			assert_eq "$shared" "" "addresses mod 256 MiB shared by ${devs[$a]} and ${devs[$b]}"
		done
	done
	# 32 distinct 64 MiB slices of the 2 GiB region: each of the 8 windows fully covered.
	assert_eq "${#owner[@]}" 32 "slices covered (8 windows x 4 colours)"
}

step "from sysfs: 8 ranges of 64 MiB each, pairwise disjoint colours, every window covered"
check_colors "${devs[@]}"

step "a colour whose slice is partly taken: ENOSPC naming the window, nothing changed"
daxctl_ok destroy-device -f "${devs[2]}"
create_ok -r 0 -s 2m
small=$new
assert_eq "$(ranges "$small")" "$(printf '%#x-%#x' $((base + 128 * M)) $((base + 130 * M - 1)))" \
	"the 2 MiB device is first fit: window 0, colour 2"
before=$(snapshot)
daxctl_fails 228 create-device -r 0 --color 2/4 "${cache[@]}"
w0=$(printf '%#x-%#x' "$base" $((base + C - 1)))
[[ $err == *"region 0: colour 2/4: window 0 ($w0): its slice "*" is taken"* ]] ||
	fail "ENOSPC message does not name window 0 ($w0): $err"
ok
err_has "region 0: cannot place colour 2/4: No space left on device"
assert_eq "$(snapshot)" "$before" "state after the refused colour"
assert_no_idle
step "the taken slice freed, colours 2-3/4 of a device also refused (colour 3 is taken)"
daxctl_ok destroy-device -f "$small"
daxctl_fails 228 create-device -r 0 --color 2-3/4 "${cache[@]}"
[[ $err == *"colours 2-3/4: window 0 ($w0)"* ]] || fail "no window in: $err"
ok
step "colour 2/4 again, with -s and --node 1: the first windows' slices only"
before=$(snapshot)
daxctl_fails 237 create-device --node 0 -s 128m --color 2/4 "${cache[@]}"
err_has "error: no dynamic region on node 0 (daxctl list -D shows each device's target_node)"
daxctl_fails 237 create-device -r 0 --node 0 -s 128m --color 2/4 "${cache[@]}"
err_has "region 0: its memory is not on node 0 (daxctl list -D shows target_node)"
assert_eq "$(snapshot)" "$before" "state after the refused --node 0"
create_ok --node 1 -s 128m --color 2/4 "${cache[@]}"
assert_eq "$(ranges "$new" | tr '\n' ' ')" \
	"$(printf '%#x-%#x %#x-%#x ' $((base + 128 * M)) $((base + 192 * M - 1)) \
		$((base + C + 128 * M)) $((base + C + 192 * M - 1)))" "ranges of $new"
assert_consistent
assert_no_idle

step "the same colours from a layout (placement = color:K/N), applied from the boot state"
region_state 0 devdax
{
	printf '[region near]\nresource = %s\ntarget_node = 1\n' "$base"
	for k in 3 2 1 0; do
		printf '[device c%s]\nregion = near\nplacement = color:%s/4\n' $k $k
		[ ${#cache[@]} -eq 0 ] || echo "cache_size = 256M"
	done
} >/tmp/colors.conf
daxctl_ok apply /tmp/colors.conf
devs=()
for k in 0 1 2 3; do
	d=$(sed -n "/\"name\": \"c$k\"/{n;s/.*\"chardev\": \"\(dax[0-9.]*\)\".*/\1/p}" <<<"$out")
	[ -n "$d" ] || fail "no device for c$k in: $out"
	devs+=("$d")
done
check_colors "${devs[@]}"
assert_eq "$(region_avail)" 0 "available after the layout's four colours"
daxctl_ok apply /tmp/colors.conf
err_has "applied: 0 sysfs writes"
