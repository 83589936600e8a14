# SPDX-License-Identifier: GPL-2.0-only
# Two hmem regions. Region 0 (32 GiB, 2 MiB align): dax0.0 250 MiB, dax0.1
# 16,777,216,000 bytes in two ranges whose mappingK numbers run against
# their page_offset order, dax0.2 idle (size 0, unbound), dax0.3 2 GiB with
# 1 GiB align but unbound. Region 1 (4 GiB, fully used): dax1.0 as
# system-ram with its 32 blocks of 128 MiB online and movable.
region 0 platform/hmem.0 34359738368 2097152 15172894720
dev 0 0 262144000 target_node=1 numa_node=0
mapping 0 0 0 0x100000000 262144000 0
dev 0 1 16777216000 target_node=1 numa_node=0
mapping 0 1 1 0x110000000 8589934592 0
mapping 0 1 0 0x500000000 8187281408 0x200000
dev 0 2 0 driver=none target_node=1 numa_node=0
dev 0 3 2147483648 driver=none align=1073741824 target_node=1 numa_node=0
mapping 0 3 0 0x340000000 2147483648 0

region 1 platform/hmem.1 4294967296 2097152 0
dev 1 0 4294967296 driver=kmem target_node=1 numa_node=0
mapping 1 0 0 0x800000000 4294967296 0

memblocks 0x8000000
memblock 256 32 online Movable 1
