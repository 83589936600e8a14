# SPDX-License-Identifier: GPL-2.0-only
# A static (nvdimm namespace) region as an old kernel shows it: no
# available_size, no region or device align, no target_node, no mappings,
# and no /dev node (a container without udev): the device is still listed.
region 0 LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus0/region0/dax0.0 4261412864 - static
dev 0 0 4261412864 align=- target_node=-1 numa_node=0 nodev
