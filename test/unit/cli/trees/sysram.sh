# SPDX-License-Identifier: GPL-2.0-only
# One 2 GiB hmem region split into four 512 MiB system-ram devices whose
# memory blocks (128 MiB) are: all online movable (dax0.0), half offline
# (dax0.1: no "movable" key), all online with one in ZONE_NORMAL (dax0.2:
# movable false), all offline (dax0.3).
region 0 platform/hmem.0 2147483648 2097152 0
dev 0 0 536870912 driver=kmem target_node=1
mapping 0 0 0 0x100000000 536870912 0
dev 0 1 536870912 driver=kmem target_node=1
mapping 0 1 0 0x120000000 536870912 0
dev 0 2 536870912 driver=kmem target_node=1
mapping 0 2 0 0x140000000 536870912 0
dev 0 3 536870912 driver=kmem target_node=1
mapping 0 3 0 0x160000000 536870912 0

memblocks 0x8000000
memblock 32 4 online Movable 1
memblock 36 2 online Movable 1
memblock 38 2 offline "Normal Movable" 1
memblock 40 3 online Movable 1
memblock 43 1 online Normal 1
memblock 44 4 offline "Normal Movable" 1
