# SPDX-License-Identifier: GPL-2.0-only
# An arm64 system with 64K pages (CONFIG_ARM64_64K_PAGES): page 64K, PMD
# (THP's hpage_pmd_size) 512M, memory blocks 512M. The kernel accepts the
# aligns 64K and 512M only (no PUD mappings on arm64); sizes and ranges are
# multiples of max(align, 2M) (memremap_compat_align, SUBSECTION_SIZE).
# dax_hmem gives the region PMD_SIZE as its align, so new devices get 512M.
# One 4 GiB hmem region at 0x400000000 (1 GiB available): dax0.0 idle,
# dax0.1 2 GiB enabled, dax0.2 1 GiB + 2 MiB with align 64K, disabled.
platform 65536 536870912
region 0 platform/hmem.0 4294967296 536870912 1071644672
dev 0 0 0 driver=none align=536870912 target_node=1
dev 0 1 2147483648 align=536870912 target_node=1
mapping 0 1 0 0x400000000 2147483648 0
dev 0 2 1075838976 driver=none align=65536 target_node=1
mapping 0 2 0 0x480000000 1075838976 0
memblocks 0x20000000
