#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copy the parts of a live sysfs that libdax reads into OUTDIR, mirroring "/":
# regular attributes as files, the links libdax follows as the same relative
# links, /dev/daxR.N as empty files. File modes other than 0644 go to
# OUTDIR/modes ("MODE PATH" per line), because git keeps none of them and the
# non-root view depends on them. Runs under busybox sh in the test guest.
set -eu

out=${1:?usage: capture-sysfs.sh OUTDIR}
rm -rf "$out"
mkdir -p "$out"
: >"$out/modes"

copy_file() {
	f=$1
	mode=$(stat -c %a "$f")
	mkdir -p "$out${f%/*}"
	# Write-only attributes cannot be read even by root: keep them empty.
	cat "$f" >"$out$f" 2>/dev/null || : >"$out$f"
	[ "$mode" = 644 ] || echo "$mode ${f#/}" >>"$out/modes"
}

copy_link() {
	mkdir -p "$out${1%/*}"
	ln -s "$(readlink "$1")" "$out$1"
}

# Attributes of one directory, not recursive; links only where libdax uses them.
copy_dir() {
	mkdir -p "$out$1"
	for f in "$1"/*; do
		if [ -L "$f" ]; then
			case ${f##*/} in
			driver | subsystem) copy_link "$f" ;;
			esac
		elif [ -f "$f" ]; then
			copy_file "$f"
		fi
	done
}

copy_dax_dev() {
	copy_dir "$1"
	for m in "$1"/mapping[0-9]*; do
		[ -d "$m" ] && copy_dir "$m"
	done
	name=${1##*/}
	[ -e "/dev/$name" ] && { mkdir -p "$out/dev"; : >"$out/dev/$name"; }
	return 0
}

for root in /sys/bus/dax/devices /sys/class/dax; do
	[ -d "$root" ] || continue
	mkdir -p "$out$root"
	for link in "$root"/*; do
		[ -L "$link" ] || continue
		copy_link "$link"
		dev=$(realpath "$link")
		host=${dev%/*}
		copy_dax_dev "$dev"
		[ -d "$host/dax_region" ] && [ ! -d "$out$host/dax_region" ] &&
			copy_dir "$host/dax_region"
	done
done

# The page size (as procfs says it) and THP's PMD size: the aligns (lib/platform.c).
mkdir -p "$out/proc/self"
grep -m1 '^KernelPageSize:' /proc/self/smaps >"$out/proc/self/smaps"
thp=/sys/kernel/mm/transparent_hugepage
[ -f $thp/hpage_pmd_size ] && copy_file $thp/hpage_pmd_size

# The drivers whose presence tells typed dax driver matching (lib/bystander.c).
for d in /sys/bus/platform/drivers/hmem_platform /sys/bus/cxl/drivers/cxl_dax_region; do
	[ -d "$d" ] && copy_dir "$d"
done

mem=/sys/devices/system/memory
if [ -d $mem ]; then
	for f in block_size_bytes auto_online_blocks; do
		[ -f $mem/$f ] && copy_file $mem/$f
	done
	for b in $mem/memory[0-9]*; do
		mkdir -p "$out$b"
		for f in state valid_zones phys_index removable online; do
			[ -f "$b/$f" ] && copy_file "$b/$f"
		done
	done
fi
for n in /sys/devices/system/node/node[0-9]*; do
	[ -d "$n" ] && mkdir -p "$out$n" && copy_file "$n/meminfo"
done
exit 0
