# SPDX-License-Identifier: GPL-2.0-only
# Switches to system-ram that must be refused before any write. One 2 GiB
# hmem region: dax0.0 1 GiB devdax without a NUMA node (target_node -1),
# dax0.1 64 MiB devdax (less than one 128 MiB memory block), dax0.2 512 MiB
# devdax while the kernel auto-onlines hot-added memory ("online"), dax0.3
# idle. kmem is loaded (its driver directory exists).
region 0 platform/hmem.0 2147483648 2097152 469762048
dev 0 0 1073741824 target_node=none
mapping 0 0 0 0x100000000 1073741824 0
dev 0 1 67108864 target_node=1
mapping 0 1 0 0x140000000 67108864 0
dev 0 2 536870912 target_node=1
mapping 0 2 0 0x148000000 536870912 0
dev 0 3 0 driver=none target_node=1

memblocks 0x8000000 online
