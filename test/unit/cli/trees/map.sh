# SPDX-License-Identifier: GPL-2.0-only
# For daxctl map. Region 0: 2 GiB at 4 GiB on node 1, whose memory-side cache
# is 256 MiB and direct-mapped; dax0.0 idle (its resource gives the region's
# start), dax0.1 256 MiB, dax0.2 in two ranges (128 MiB in the hole after
# dax0.1, 256 MiB after dax0.3), dax0.3 512 MiB disabled, and in one 64 MiB
# cell dax0.4 (3 MiB) and dax0.5 (40 MiB) with 21 MiB free. Region 1: 1 GiB
# at 8 GiB known only from /proc/iomem (no idle device), dax1.0 512 MiB of
# system-ram in its second half. Region 2: static.
region 0 platform/hmem.0 2147483648 2097152 1029701632
dev 0 0 0 driver=none target_node=1
put "$region_host_0/dax0.0/resource" 0x100000000
dev 0 1 268435456 target_node=1
mapping 0 1 0 0x100000000 268435456 0
dev 0 2 402653184 target_node=1
mapping 0 2 0 0x110000000 134217728 0
mapping 0 2 1 0x138000000 268435456 0x8000
dev 0 3 536870912 driver=none target_node=1
mapping 0 3 0 0x118000000 536870912 0
dev 0 4 3145728 target_node=1
mapping 0 4 0 0x148000000 3145728 0
dev 0 5 41943040 target_node=1
mapping 0 5 0 0x148400000 41943040 0
c=$out/sys/devices/system/node/node1/memory_side_cache/index1
put "$c/size" 268435456
put "$c/line_size" 64
put "$c/indexing" 0
put "$c/write_policy" 0

region 1 platform/hmem.1 1073741824 2097152 536870912
dev 1 0 536870912 driver=kmem target_node=0
mapping 1 0 0 0x220000000 536870912 0
put "$out/proc/iomem" "00000000-00000fff : Reserved
100000000-17fffffff : Soft Reserved
  100000000-17fffffff : hmem.0
200000000-23fffffff : Soft Reserved
  200000000-23fffffff : hmem.1"

region 2 ndbus0/region0/dax0.2 4294967296 2097152 static
dev 2 0 4294967296 target_node=0
