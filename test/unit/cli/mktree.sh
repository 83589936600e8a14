#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# mktree.sh OUT SCRIPT: build the synthetic sysfs tree that SCRIPT describes
# under OUT (which mirrors "/": OUT/sys/..., OUT/dev/...). SCRIPT is sourced
# and calls the functions below. The layout is that of a 6.1 kernel.
set -eu

out=${1:?usage: mktree.sh OUT SCRIPT}
script=${2:?usage: mktree.sh OUT SCRIPT}
rm -rf "$out"
mkdir -p "$out/sys/bus/dax/devices" "$out/sys/bus/dax/drivers/device_dax" \
	"$out/sys/bus/dax/drivers/kmem" "$out/dev"

put() { # put FILE VALUE
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1"
}

# platform PAGE PMD: the system's page size and THP PMD size (PMD "-": no
# THP), which decide the aligns and the unit (lib/platform.c). Default: x86-64.
platform() {
	put "$out/proc/self/smaps" "KernelPageSize: $(($1 / 1024)) kB"
	thp=$out/sys/kernel/mm/transparent_hugepage
	rm -rf "$thp"
	[ "$2" = - ] || put "$thp/hpage_pmd_size" "$2"
}
platform 4096 2097152

hex() {
	printf '0x%x' "$1"
}

# region ID HOST SIZE ALIGN AVAILABLE: HOST is the path below /sys/devices of
# the device holding the region. AVAILABLE "static" makes a static region
# (no available_size, create, seed, delete); ALIGN "-" leaves align out.
region() {
	d=$out/sys/devices/$2
	eval "region_host_$1=\$d"
	put "$d/dax_region/id" "$1"
	put "$d/dax_region/size" "$3"
	[ "$4" = - ] || put "$d/dax_region/align" "$4"
	if [ "$5" != static ]; then
		put "$d/dax_region/available_size" "$5"
		put "$d/dax_region/create" ""
		put "$d/dax_region/seed" ""
		: >"$d/dax_region/delete"
	fi
}

# dev R N SIZE [driver=device_dax|kmem|none] [align=A] [target_node=T]
#   [numa_node=M] [nodev]: device daxR.N; target_node=-1 hides the attribute,
#   target_node=none writes -1 (no NUMA node).
dev() {
	host= && eval "host=\$region_host_$1"
	name=dax$1.$2
	size=$3
	d=$host/$name
	rel=${d#"$out"/sys/}
	up=$(echo "$rel" | sed 's|[^/]*|..|g') # from $d back to sys/
	driver=device_dax align=2097152 target=0 numa=0 node=yes
	shift 3
	for kv in "$@"; do
		case $kv in
		driver=*) driver=${kv#*=} ;;
		align=*) align=${kv#*=} ;;
		target_node=*) target=${kv#*=} ;;
		numa_node=*) numa=${kv#*=} ;;
		nodev) node=no ;;
		*) echo "mktree: unknown dev attribute $kv" >&2 && exit 1 ;;
		esac
	done
	mkdir -p "$d"
	put "$d/size" "$size"
	[ "$align" = - ] || put "$d/align" "$align"
	case $target in
	-1) ;;
	none) put "$d/target_node" -1 ;;
	*) put "$d/target_node" "$target" ;;
	esac
	put "$d/numa_node" "$numa"
	put "$d/modalias" "dax:t0"
	: >"$d/mapping"
	ln -s "../../../$rel" "$out/sys/bus/dax/devices/$name"
	ln -s "$up/bus/dax" "$d/subsystem"
	[ "$driver" = none ] || ln -s "$up/bus/dax/drivers/$driver" "$d/driver"
	[ "$node" = no ] || : >"$out/dev/$name"
}

# mapping R N K START SIZE PAGE_OFFSET: mappingK of daxR.N (numbers in any
# shell arithmetic form); also sets resource when K is 0.
mapping() {
	host= && eval "host=\$region_host_$1"
	d=$host/dax$1.$2
	put "$d/mapping$3/start" "$(hex "$4")"
	put "$d/mapping$3/end" "$(hex $(($4 + $5 - 1)))"
	put "$d/mapping$3/page_offset" "$(hex "$6")"
	[ "$3" != 0 ] || put "$d/resource" "$(hex "$4")"
}

# memblocks BLOCK_SIZE [POLICY]: the memory-block directory.
memblocks() {
	mem=$out/sys/devices/system/memory
	put "$mem/block_size_bytes" "$(printf '%x' "$1")"
	put "$mem/auto_online_blocks" "${2:-offline}"
}

# memblock FIRST COUNT STATE ZONES [NODE]: COUNT blocks from index FIRST.
memblock() {
	i=$1
	while [ "$i" -lt $(($1 + $2)) ]; do
		b=$out/sys/devices/system/memory/memory$i
		put "$b/state" "$3"
		put "$b/valid_zones" "$4"
		put "$b/phys_index" "$(printf '%08x' "$i")"
		put "$b/removable" 1
		put "$b/online" "$([ "$3" = online ] && echo 1 || echo 0)"
		n=$out/sys/devices/system/node/node${5:-0}
		mkdir -p "$n"
		ln -sf "../../memory/memory$i" "$n/memory$i"
		i=$((i + 1))
	done
}

# shellcheck disable=SC1090 # the tree description
. "$script"
