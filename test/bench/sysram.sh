# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 600
#
# Benchmark: daxctl list -RDM of a system-ram device spanning 16 memory blocks (the 2 GiB
# window on node 1, 128 MiB blocks), against daxctl 76.1 in one guest run (per process,
# start-up bound under the emulator: no target), online movable and half offline.  Upstream scans every block of
# the node three times per device; we look up the device's own blocks once.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/bench/bench.inc"
need_daxctl
need_ref
use_tmpfs_daxctl

region_state 0 devdax
"$DAXCTL" reconfigure-device -f -m system-ram dax0.0 >/dev/null 2>&1 ||
	fail "reconfigure-device -m system-ram dax0.0"
out=$("$DAXCTL" list -d dax0.0)
[[ $out == *'"online_memblocks":16,'* ]] || fail "dax0.0 not 16 blocks online: $out"
bench_cmd "list -RDM system-ram 16 blocks" 20 1 - list -RDM

# Half of the blocks offline (every other one): the zone reads stop at offline blocks.
first=$((0x100000000 / 0x8000000))
for ((b = first; b < first + 16; b += 2)); do
	write_attr "/sys/devices/system/memory/memory$b/state" offline
done
bench_cmd "list -RDM system-ram 8 of 16 online" 20 1 - list -RDM
