# SPDX-License-Identifier: GPL-2.0-only
# Guest side of "selftest panic": crash the kernel; no result marker can follow.
echo "crashing the kernel on purpose"
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
sleep 30
