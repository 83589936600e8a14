#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Device layouts built with raw sysfs writes, so that they do not depend on
# the tool under test. Sourced by guest scripts (busybox sh). Every step is
# checked: a layout that silently came out different would make every
# comparison built on it meaningless.

DAXBUS=/sys/bus/dax
MiB=1048576

lay_die() {
	echo "layout error: $*" >&2
	exit 1
}

# lay_write FILE VALUE: one write, failing loudly.
lay_write() {
	printf '%s' "$2" >"$1" 2>/dev/null || lay_die "write '$2' > $1 failed"
}

lay_region_dir() {
	realpath "$DAXBUS/devices/dax$1.0/.."
}

lay_driver() {
	if [ -L "$DAXBUS/devices/$1/driver" ]; then
		basename "$(readlink "$DAXBUS/devices/$1/driver")"
	else
		echo none
	fi
}

# Bind without disturbing other devices: "bind" where the kernel allows it
# (6.1), "new_id" only where bind says ENODEV (6.3+, kmem-typed regions).
lay_bind() {
	drv=${2:-device_dax}
	printf '%s' "$1" >"$DAXBUS/drivers/$drv/bind" 2>/dev/null ||
		printf '%s' "$1" >"$DAXBUS/drivers/$drv/new_id" 2>/dev/null || true
	[ "$(lay_driver "$1")" = "$drv" ] || lay_die "$1 did not bind to $drv"
}

lay_unbind() {
	drv=$(lay_driver "$1")
	[ "$drv" = none ] && return 0
	printf '%s' "$1" >"$DAXBUS/drivers/$drv/remove_id" 2>/dev/null || true
	lay_write "$DAXBUS/drivers/$drv/unbind" "$1"
}

lay_size() {
	lay_write "$DAXBUS/devices/$1/size" "$2"
	[ "$(cat "$DAXBUS/devices/$1/size")" = "$2" ] || lay_die "$1 size is not $2"
}

# lay_create REGION SIZE: prints the new device's name. Single-threaded
# scripts only: the youngest device is read back from "create".
lay_create() {
	r=$(lay_region_dir "$1")
	lay_write "$r/dax_region/create" 1
	_lay_name=$(cat "$r/dax_region/create")
	[ -n "$_lay_name" ] || lay_die "create on region $1 gave no device"
	[ "$2" -gt 0 ] && lay_size "$_lay_name" "$2"
	echo "$_lay_name"
}

lay_destroy() {
	lay_unbind "$1"
	lay_size "$1" 0
	r=$(realpath "$DAXBUS/devices/$1/..")
	lay_write "$r/dax_region/delete" "$1"
}

# Fresh region: whatever the kernel made at boot, untouched.
layout_fresh() {
	:
}

# dax0.0 with three discontiguous ranges, dax0.1 and dax0.3 sized (dax0.3
# disabled), a hole where dax0.2 was, and an idle zero-size device.
layout_fragmented() {
	lay_unbind dax0.0
	lay_size dax0.0 $((256 * MiB))
	d1=$(lay_create 0 $((256 * MiB)))
	d2=$(lay_create 0 $((256 * MiB)))
	d3=$(lay_create 0 $((256 * MiB)))
	lay_destroy "$d2"
	# Grows into the hole first, then the tail: three mappings.
	lay_size dax0.0 $((768 * MiB))
	lay_bind dax0.0
	lay_bind "$d1"
	[ "$(lay_driver "$d3")" = none ] || lay_die "$d3 should be disabled"
	lay_create 0 0 >/dev/null
}

# Region 0: two sized devices, region 1: fresh.
layout_two_regions() {
	lay_unbind dax0.0
	lay_size dax0.0 $((512 * MiB))
	d=$(lay_create 0 $((256 * MiB)))
	lay_bind dax0.0
	lay_bind "$d"
}

# NUMA topology: dax0.0 (1 GiB, 8 blocks) as system-ram with only some of
# its memory blocks online, plus a devdax device beside it.
layout_sysram_partial() {
	lay_unbind dax0.0
	lay_size dax0.0 $((1024 * MiB))
	d=$(lay_create 0 $((512 * MiB)))
	lay_bind "$d"
	modprobe kmem || lay_die "modprobe kmem"
	if [ "$(lay_driver dax0.0)" != kmem ]; then
		lay_bind dax0.0 kmem
	fi
	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	start=$(($(cat $DAXBUS/devices/dax0.0/mapping0/start)))
	first=$((start / bs))
	i=0
	while [ $i -lt 8 ]; do
		blk=/sys/devices/system/memory/memory$((first + i))
		if [ $i -lt 3 ]; then want=online_movable; else want=offline; fi
		state=$(cat $blk/state)
		case "$want:$state" in
		offline:offline | online_movable:online) ;;
		*) lay_write $blk/state $want ;;
		esac
		i=$((i + 1))
	done
}
