# SPDX-License-Identifier: GPL-2.0-only
# topology: hmat
# topology-6.12: numa
# timeout: 300
#
# What the kernel reports about a region's memory, shown and used (issue #14): list -P (the
# target node, memory-side caches and access figures of each region), create-device --prefer
# (the region whose node has the best figure from this CPU's node) and --cache-level. Every
# expectation is computed here from /sys/devices/system/node, never from daxctl's output; on
# 6.1 the hmat topology must also show the figures QEMU was given (256 MiB direct-mapped
# cache, 4096 MB/s), so the comparison is not between two empty sets. 6.12 makes no hmem
# region with that HMAT (kernel/README.md): there the numa layout runs, whose nodes have no
# HMAT figures, and the same computations must find none.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/kernel/cli-lib.sh"
. "$SRCDIR/test/kernel/doc-examples.inc"

M=$((1 << 20))
NODES=/sys/devices/system/node
need_ref

# The kernel's enum cache_indexing and enum cache_write_policy, as list -P names them.
idx_name() { case $1 in 0) echo direct ;; 1) echo complex ;; 2) echo other ;; *) echo "$1" ;; esac; }
pol_name() { case $1 in 0) echo write-back ;; 1) echo write-through ;; 2) echo other ;; *) echo "$1" ;; esac; }

# join ITEM...: the items separated by ",\n".
join() {
	local first=1 x
	for x in "$@"; do
		[ $first = 1 ] || printf ',\n'
		printf '%s' "$x"
		first=0
	done
}

# expect_perf NODE: the members list -P adds to a region on NODE, as computed from sysfs.
expect_perf() {
	local n=$1 nd=$NODES/node$1 c l cls d f v objs=() members figs
	members=("    \"target_node\":$n")
	for l in $(seq 1 15); do
		c=$nd/memory_side_cache/index$l
		[ -d "$c" ] || continue
		objs+=("      {
        \"level\":$l,
        \"size\":$(read_attr "$c/size"),
        \"line_size\":$(read_attr "$c/line_size"),
        \"indexing\":\"$(idx_name "$(read_attr "$c/indexing")")\",
        \"write_policy\":\"$(pol_name "$(read_attr "$c/write_policy")")\"
      }")
	done
	[ ${#objs[@]} = 0 ] || members+=("    \"memory_side_cache\":[
$(join "${objs[@]}")
    ]")
	objs=()
	for cls in 0 1; do
		d=$nd/access$cls/initiators
		[ -d "$d" ] || continue
		figs=("        \"class\":$cls")
		for f in read_latency write_latency read_bandwidth write_bandwidth; do
			[ -f "$d/$f" ] || continue
			v=$(read_attr "$d/$f")
			[ "$v" = 0 ] || figs+=("        \"$f\":$v")
		done
		objs+=("      {
$(join "${figs[@]}")
      }")
	done
	[ ${#objs[@]} = 0 ] || members+=("    \"access\":[
$(join "${objs[@]}")
    ]")
	join "${members[@]}"
	echo
}

# The node of the CPU daxctl runs on: with one online CPU, that CPU's.
assert_file_content /sys/devices/system/cpu/online 0
init=
for d in "$NODES"/node*; do
	[ -e "$d/cpu0" ] && init=${d##*/node}
done
[ -n "$init" ] || fail "cpu0 is in no node"
info "initiator: node $init"

# expect_choice METRIC BYTES: the region --prefer must pick, or "none" / "nospace".
expect_choice() {
	local m=${1/-/_} size=$2 best= bv= any=0 dev r reg node cls d v
	for dev in "$DAX_BUS"/devices/dax*.0; do
		r=${dev##*/dax}
		r=${r%.0}
		reg=$(readlink -f "$dev")/../dax_region
		[ -e "$reg/create" ] || continue
		node=$(read_attr "$dev/target_node")
		[ "$node" -ge 0 ] 2>/dev/null || continue
		cls=1
		[ -d "$NODES/node$node/access1/initiators" ] || cls=0
		d=$NODES/node$node/access$cls/initiators
		[ -d "$d" ] && [ -e "$d/node$init" ] && [ -f "$d/$m" ] || continue
		v=$(read_attr "$d/$m")
		[ "$v" != 0 ] || continue
		any=1
		[ "$(read_attr "$reg/available_size")" -ge "$size" ] || continue
		if [ -z "$best" ] || { [[ $m == *latency ]] && [ "$v" -lt "$bv" ]; } ||
			{ [[ $m == *bandwidth ]] && [ "$v" -gt "$bv" ]; }; then
			best=$r bv=$v
		fi
	done
	if [ -n "$best" ]; then echo "$best"; elif [ $any = 1 ]; then echo nospace; else echo none; fi
}

step "the topology: the region's node and what the kernel reports for it"
fresh_region
node=$(read_attr "$DAX_BUS/devices/dax0.0/target_node")
assert_eq "$node" 1 "target_node of dax0.0"
if [ "$KLINE" = 6.1 ]; then
	assert_eq "$TOPOLOGY" hmat "topology on 6.1"
	assert_file_content "$NODES/node1/memory_side_cache/index1/size" $((256 * M))
	assert_file_content "$NODES/node1/memory_side_cache/index1/indexing" 0
	assert_file_content "$NODES/node1/access0/initiators/read_bandwidth" 4096
	assert_exists "$NODES/node1/access0/initiators/node0"
else
	assert_eq "$KLINE/$TOPOLOGY" 6.12/numa "kernel/topology"
	assert_not_exists "$NODES/node1/memory_side_cache"
	assert_not_exists "$NODES/node1/access0"
fi

step "list -P: each region's node, caches and access figures, as sysfs has them"
daxctl_ok list -P
want="[
  {
    \"path\":\"\\/platform\\/hmem.0\",
    \"id\":0,
    \"size\":$(region_size 0),
    \"available_size\":$(region_avail 0),
    \"align\":$(read_attr "$(region_dir 0)/align"),
$(expect_perf "$node")
  }
]"
assert_eq "$out" "$want" "list -P"
if [ "$KLINE" = 6.1 ]; then
	[[ $out == *'"indexing":"direct"'* && $out == *'"read_bandwidth":4096'* ]] ||
		fail "no direct-mapped cache or 4096 MB/s in: $out"
	ok
	daxctl_ok list -Pu
	[[ $out == *'"size":"256.00 MiB (268.44 MB)",'* ]] || fail "no human cache size in: $out"
	ok
fi
step "without -P, list is upstream's, byte for byte"
for args in "-R" "-RDi" "-RDMiu"; do
	run_daxctl list $args
	assert_eq "$out" "$("$DAXCTL_REF" list $args)" "list $args against daxctl 76.1"
	[[ $out != *memory_side_cache* && $out != *'"access"'* ]] || fail "figures without -P"
	ok
done

step "--prefer: the region computed from sysfs, or the error"
for m in read-bandwidth write-bandwidth read-latency write-latency; do
	want=$(expect_choice "$m" $((256 * M)))
	info "$m from node $init: $want"
	[ "$KLINE" = 6.12 ] || assert_eq "$want" 0 "6.1: region 0 has figures for $m"
	if [ "$want" = none ]; then
		before=$(snapshot)
		daxctl_fails 254 create-device --prefer "$m" -s 256m
		err_has "error: --prefer $m: no region chosen: No such file or directory"
		assert_eq "$(snapshot)" "$before" "state after the refused --prefer $m"
		continue
	fi
	create_ok --prefer "$m" -s 256m
	assert_match "$new" "^dax$want\.[0-9]+$" "device made by --prefer $m"
	assert_eq "$(dev_size "$new")" $((256 * M)) "size of $new"
	daxctl_ok destroy-device -f "$new"
done
if [ "$KLINE" = 6.1 ]; then
	assert_eq "$(expect_choice read-bandwidth $((4096 * M)))" nospace "4 GiB fits nowhere"
	before=$(snapshot)
	daxctl_fails 228 create-device --prefer read-bandwidth -s 4g
	err_has "error: --prefer read-bandwidth: no region chosen: No space left on device"
	assert_eq "$(snapshot)" "$before" "state after the refused 4 GiB"
fi
daxctl_fails 129 create-device --prefer read-bandwidth -r 0
err_has " Error: --prefer cannot be combined with -r, --node or --input (it chooses the region)"
assert_no_idle
assert_consistent

step "--cache-level: the level asked for, or ENOENT naming it"
base=$(read_attr "$DAX_BUS/devices/dax0.0/resource")
before=$(snapshot)
if [ "$KLINE" = 6.1 ]; then
	daxctl_fails 254 create-device -r 0 -s 64m --color 1/4 --cache-level 2
	err_has "libdax: dax_region_plan_colors: region 0: node 1 reports no memory-side cache of level 2"
	assert_eq "$(snapshot)" "$before" "state after the refused level 2"
	create_ok -r 0 -s 64m --color 1/4 --cache-level 1
	assert_eq "$(ranges "$new")" "$(printf '%#x-%#x' $((base + 64 * M)) $((base + 128 * M - 1)))" \
		"colour 1/4 of the level 1 cache"
	daxctl_ok destroy-device -f "$new"
	step "the page's examples for the hmat topology"
	run_doc_examples Documentation/daxctl/daxctl-list.adoc \
		Documentation/daxctl/daxctl-create-device.adoc
else
	daxctl_fails 254 create-device -r 0 -s 64m --color 1/4 --cache-level 1
	err_has "libdax: dax_region_plan_colors: region 0: node 1 reports no memory-side cache of level 1"
	assert_eq "$(snapshot)" "$before" "state after the refused level 1"
fi
assert_no_idle
assert_consistent
