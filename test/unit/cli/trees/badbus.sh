# SPDX-License-Identifier: GPL-2.0-only
# An unreadable dax bus (its devices directory is a file): list fails with
# the errno in the exit status, 256 - ENOTDIR = 236.
rm -rf "$out/sys/bus/dax/devices"
: >"$out/sys/bus/dax/devices"
