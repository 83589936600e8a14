# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 900
#
# Benchmark: daxctl list -RDM against daxctl 76.1 in one guest run, with one
# device and with 1023 devices of 2 MiB (target for 1023: at most 1/3 of
# upstream's time; one device is start-up bound: no target), plus syscalls per listed device.
. "$SRCDIR/test/kernel/lib.sh"
. "$SRCDIR/test/bench/bench.inc"
need_daxctl
need_ref
use_tmpfs_daxctl

[ "$(dev_driver dax0.0)" = device_dax ] || bind_device_dax dax0.0
bench_cmd "list -RDM" 30 1 - list -RDM
make_devices 0 1023 2097152
n=$("$DAXCTL" list -D | grep -c '"chardev"')
assert_eq "$n" 1023 "devices listed"
bench_cmd "list -RDM" 9 1023 0.333 list -RDM
