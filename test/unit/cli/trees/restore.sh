# SPDX-License-Identifier: GPL-2.0-only
# For create-device --input and the other change commands. Region 0 (4 GiB
# at 0x100000000, 2 MiB align, 2 GiB available): dax0.0 idle (size 0,
# unbound, as with dax_hmem.region_idle=1), dax0.1 1 GiB enabled in two
# 512 MiB ranges with a hole between them, dax0.2 1 GiB with 1 GiB align,
# disabled. Region 1 (1 GiB at 0x200000000, 768 MiB available): dax1.0
# 256 MiB enabled.
region 0 platform/hmem.0 4294967296 2097152 2147483648
dev 0 0 0 driver=none target_node=1
dev 0 1 1073741824 target_node=1
mapping 0 1 0 0x100000000 536870912 0
mapping 0 1 1 0x180000000 536870912 0x20000
dev 0 2 1073741824 driver=none align=1073741824 target_node=1
mapping 0 2 0 0x140000000 1073741824 0

region 1 platform/hmem.1 1073741824 2097152 805306368
dev 1 0 268435456 target_node=1
mapping 1 0 0 0x200000000 268435456 0
