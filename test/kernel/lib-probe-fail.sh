# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 240
#
# A device_dax probe forced to fail through libdax: kmem unbound with its memory online
# leaks the range in iomem, and a device on that range cannot be mapped (EBUSY).  create,
# create_devs (second device fails) and enable report the probe's EBUSY; once 6.1 refuses the
# device for good, enable returns its EINVAL and the device keeps its name (never re-created);
# the region is left exactly as before.
# Case code: test/kernel/libdax-change.c.
. "$SRCDIR/test/kernel/lib.sh"

run_kmem_case forced

info "lib-probe-fail: $pass_count checks passed on $KLINE"
