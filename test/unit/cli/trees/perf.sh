# SPDX-License-Identifier: GPL-2.0-only
# For list -P and create-device --prefer/--cache-level: node figures (ACPI HMAT).
# Region 0: 2 GiB at 4 GiB on node 1, which has two memory-side caches (level 1:
# 1 GiB direct-mapped write-back; level 2: 256 MiB indexed write-through) and access0 and
# access1 figures from node 0. Region 1: 1 GiB at 8 GiB on node 2: access1 only, no write
# figures. Region 2: 1 GiB at 10 GiB on node 3, no figures. Region 3: static, node 0.
# The CPUs are on node 0.
region 0 platform/hmem.0 2147483648 2097152 2147483648
dev 0 0 0 driver=none target_node=1
put "$region_host_0/dax0.0/resource" 0x100000000
region 1 platform/hmem.1 1073741824 2097152 1073741824
dev 1 0 0 driver=none target_node=2
put "$region_host_1/dax1.0/resource" 0x200000000
region 2 platform/hmem.2 1073741824 2097152 1073741824
dev 2 0 0 driver=none target_node=3
put "$region_host_2/dax2.0/resource" 0x280000000
region 3 ndbus0/region0/dax3.0 4294967296 2097152 static
dev 3 0 4294967296 target_node=0

n=$out/sys/devices/system/node
put "$n/online" 0-3
for c in 1:1073741824:0:0 2:268435456:1:1; do
	IFS=: read -r l size idx pol <<EOC
$c
EOC
	put "$n/node1/memory_side_cache/index$l/size" "$size"
	put "$n/node1/memory_side_cache/index$l/line_size" 64
	put "$n/node1/memory_side_cache/index$l/indexing" "$idx"
	put "$n/node1/memory_side_cache/index$l/write_policy" "$pol"
done
# figures NODE CLASS INITIATOR RL WL RB WB (0: not reported)
figures() {
	d=$n/node$1/access$2/initiators
	mkdir -p "$d"
	ln -s ../../../node"$3" "$d/node$3"
	[ "$4" = 0 ] || put "$d/read_latency" "$4"
	[ "$5" = 0 ] || put "$d/write_latency" "$5"
	[ "$6" = 0 ] || put "$d/read_bandwidth" "$6"
	[ "$7" = 0 ] || put "$d/write_bandwidth" "$7"
}
figures 1 0 0 40 50 4096 2048
figures 1 1 0 40 50 4096 2048
figures 2 1 0 30 0 2048 0
mkdir -p "$n/node0" "$n/node3"
cpus=$(getconf _NPROCESSORS_CONF 2>/dev/null || echo 1)
i=0
while [ "$i" -lt $((cpus + 64)) ]; do
	ln -s ../../cpu/cpu$i "$n/node0/cpu$i"
	i=$((i + 1))
done
