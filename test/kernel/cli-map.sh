# SPDX-License-Identifier: GPL-2.0-only
# topology: hmat
# topology-6.12: numa
# timeout: 300
#
# daxctl map (issue #14): the bar of a fragmented region must match the ranges the kernel
# reports in sysfs mappingN, cell by cell, as this test reads them itself (never from daxctl's
# own output). The region is fragmented with plain first-fit creates and destroys, and one
# device gets ranges from two holes. Cache windows: on 6.1 the hmat topology gives node 1 a
# 256 MiB memory-side cache, which the ruler must show unasked; 6.12 makes no hmem region with
# that HMAT (kernel/README.md), so there the ruler is checked with --cache-size only, and its
# absence without it.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"

M=$((1 << 20))
N1=/sys/devices/system/node/node1

# check_map CELLS: $out is "daxctl map -r 0" with CELLS cells of the 2 GiB region; every cell
# must show the device whose sysfs ranges cover it, or '.' where no range touches it. All
# ranges here are multiples of the cell, so no cell is shared.
check_map() {
	local cells=$1 cell=$((2048 * M / $1)) bar line l d i s e cs ce want nfree=0
	local -A letter_of=() dev_of=()
	line=$(sed -n 1p <<<"$out")
	assert_eq "$line" "$(printf 'region 0 (hmem.0) %#x-%#x 2G, node 1: %d cells of %dM' \
		"$base" $((base + 2048 * M - 1)) "$cells" $((cell / M)))" "header"
	bar=$(sed -n 2p <<<"$out")
	[[ $bar =~ ^\ \[(.*)\]$ ]] || fail "second line is no bar: '$bar'"
	bar=${BASH_REMATCH[1]}
	assert_eq "${#bar}" "$cells" "cells in the bar"
	# Legend: " X  daxR.N  <size>  <mode>  K range(s)", checked against sysfs.
	while IFS= read -r line; do
		[[ $line =~ ^\ ([A-Za-z0-9])\ \ (dax0\.[0-9]+)\ +([0-9.]+\ [KMGT]iB).*\ ([a-z-]+)\ +([0-9]+)\ ranges?$ ]] ||
			continue
		l=${BASH_REMATCH[1]} d=${BASH_REMATCH[2]}
		[ -z "${dev_of[$l]:-}" ] || fail "letter $l given to ${dev_of[$l]} and $d"
		dev_of[$l]=$d
		letter_of[$d]=$l
		case $(dev_driver "$d") in
		device_dax) want=devdax ;;
		none) want=disabled ;;
		*) want=$(dev_driver "$d") ;;
		esac
		assert_eq "${BASH_REMATCH[4]}" "$want" "legend: mode of $d"
		assert_eq "${BASH_REMATCH[5]}" "$(nr_mappings "$d")" "legend: ranges of $d"
		assert_eq "${BASH_REMATCH[3]}" "$(awk -v b="$(dev_size "$d")" \
			'BEGIN { printf "%.2f MiB", b / 1048576 }')" "legend: size of $d"
	done <<<"$out"
	for d in $(region_devs 0); do
		if [ "$(dev_size "$d")" = 0 ]; then
			[ -z "${letter_of[$d]:-}" ] || fail "idle $d has a letter"
		else
			[ -n "${letter_of[$d]:-}" ] || fail "$d ($(dev_size "$d") bytes) is not in the legend"
		fi
	done
	ok
	# Every range of the region once: "start end letter".
	local -a all=()
	for d in $(region_devs 0); do
		while IFS=- read -r s e; do
			[ -n "$s" ] && all+=("$((s)) $((e)) ${letter_of[$d]:-?}")
		done <<<"$(ranges "$d")"
	done
	for ((i = 0; i < cells; i++)); do
		cs=$((base + i * cell)) ce=$((base + (i + 1) * cell - 1)) want=.
		for line in "${all[@]}"; do
			read -r s e l <<<"$line"
			[ "$s" -gt "$ce" ] || [ "$e" -lt "$cs" ] && continue
			[ "$s" -le "$cs" ] && [ "$e" -ge "$ce" ] ||
				fail "range $(printf '%#x-%#x' "$s" "$e") ($l) covers only part of cell $i"
			want=$l
		done
		[ "$want" = . ] && nfree=$((nfree + 1))
		assert_eq "${bar:i:1}" "$want" "cell $i ($(printf '%#x' "$cs"))"
	done
	assert_eq $((nfree * cell)) "$(region_avail 0)" "free cells x cell size vs available_size"
}

# ruler_of CELLS WINDOW: the ruler line the map must print: '|' every WINDOW/cell cells.
ruler_of() {
	local cells=$1 per=$(($2 / (2048 * M / $1))) i r="  "
	for ((i = 0; i < cells; i++)); do
		if [ $((i % per)) = 0 ]; then r+="|"; else r+=" "; fi
	done
	echo "${r%"${r##*|}"}"
}

step "the topology: region 0 on node 1, with a memory-side cache on 6.1 (hmat)"
fresh_region
assert_file_content "$DAX_BUS/devices/dax0.0/target_node" 1
base=$(read_attr "$DAX_BUS/devices/dax0.0/resource")
base=$((base))
assert_eq "$(region_size)" $((2048 * M)) "region size"
if [ -d "$N1/memory_side_cache/index1" ]; then
	assert_eq "$TOPOLOGY" hmat "topology with a memory-side cache"
	assert_file_content "$N1/memory_side_cache/index1/size" $((256 * M))
	cached=1
else
	assert_eq "$KLINE/$TOPOLOGY" 6.12/numa "kernel/topology without a memory-side cache"
	cached=0
fi

step "an empty region: all free"
daxctl_ok map -r 0 --cells 32 --no-color
check_map 32
assert_match "$out" $'\n'" \.  free       2\.00 GiB \(2\.15 GB\)$" "free line"

step "fragment it: four devices, the 2nd and 4th destroyed, one new device over both holes"
create_ok -r 0 -s 256m
a=$new
create_ok -r 0 -s 128m
b=$new
create_ok -r 0 -s 512m
c=$new
create_ok -r 0 -s 192m
d=$new
daxctl_ok destroy-device -f "$b" "$d"
create_ok -r 0 -s 384m
e=$new
info "ranges of $e: $(ranges "$e" | tr '\n' ' ')"
[ "$(nr_mappings "$e")" -ge 2 ] || fail "$e has $(nr_mappings "$e") range(s), expected two holes"
ok
assert_eq "$(ranges "$e" | head -1)" "$(printf '%#x-%#x' $((base + 256 * M)) $((base + 384 * M - 1)))" \
	"$e: first range in the hole of $b"
daxctl_ok disable-device "$c"
create_ok -r 0 -s 64m
f=$new
assert_consistent

step "map --cells 32 (64 MiB cells): every cell against sysfs"
daxctl_ok map -r 0 --cells 32 --no-color
info "map:"$'\n'"$out"
check_map 32
[[ $out == *" disabled   1 range"* ]] || fail "the disabled $c is not shown as disabled"
ok
if [ $cached = 1 ]; then
	assert_eq "$(sed -n 3p <<<"$out")" "$(ruler_of 32 $((256 * M)))" "ruler of the node's cache"
	assert_eq "$(sed -n 4p <<<"$out")" " |  a cache window begins: every 256M (memory-side cache)" \
		"ruler legend"
else
	[[ $out != *"cache window"* ]] || fail "a ruler without a cache: $out"
	ok
fi
daxctl_ok map -r 0 --cells 32 --no-color --cache-size 512m
assert_eq "$(sed -n 3p <<<"$out")" "$(ruler_of 32 $((512 * M)))" "ruler of --cache-size 512m"
assert_eq "$(sed -n 4p <<<"$out")" " |  a cache window begins: every 512M (--cache-size)" "legend"

step "not a terminal: plain text even without --no-color; by default 64 cells in 80 columns"
plain=$out
daxctl_ok map -r 0 --cells 32 --cache-size 512m
assert_eq "$out" "$plain" "output to a pipe without --no-color"
[[ $out != *$'\e'* ]] || fail "escape sequences in piped output"
ok
daxctl_ok map -r 0
check_map 64
while IFS= read -r line; do
	[ "${#line}" -le 80 ] || fail "line of ${#line} columns: '$line'"
done <<<"$out"
ok
daxctl_ok map
assert_eq "$(sed -n 1p <<<"$out")" "$(printf 'region 0 (hmem.0) %#x-%#x 2G, node 1: 64 cells of 32M' \
	"$base" $((base + 2048 * M - 1)))" "every region (one here)"

step "errors: no such region, bad cell count, --width with --cells"
daxctl_fails 237 map -r 5
err_has "region 5: no such region (daxctl list -R shows them)"
daxctl_fails 129 map --cells 0
daxctl_fails 129 map --cells 32 --width 100
daxctl_fails 129 map --width 5

step "map reads only: nothing changed"
before=$(snapshot)
daxctl_ok map -r 0 --cells 32
assert_eq "$(snapshot)" "$before" "state after map"
daxctl_ok destroy-device -f "$a" "$c" "$e" "$f"
assert_no_idle
