# SPDX-License-Identifier: GPL-2.0-only
# topology: numa
# timeout: 150
#
# The window on a CPU-less NUMA node: target_node, 128 MiB memory blocks, and how kmem takes
# a device on each line (6.1: only via kmem/new_id, blocks arrive offline; 6.12: loading kmem
# grabs the unbound dax0.0 and the kernel onlines it), then the way back to device_dax.
. "$SRCDIR/test/kernel/lib.sh"

D=$DAX_BUS/devices/dax0.0
MEM=/sys/devices/system/memory
first=$((0x100000000 / 0x8000000)) # window [4G, 6G) in 128 MiB blocks: 32..47
last=$((first + 15))

blocks_state() { # blocks_state: states of the window's blocks, uniq'ed ("absent" if gone)
	local b
	for ((b = first; b <= last; b++)); do
		if [ -e "$MEM/memory$b/state" ]; then read_attr "$MEM/memory$b/state"; else echo absent; fi
		echo
	done | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

step "topology ($KLINE)"
assert_file_content "$D/target_node" 1
assert_file_content "$D/numa_node" 1
assert_file_content "$MEM/block_size_bytes" 8000000
assert_exists /sys/devices/system/node/node1
assert_eq "$(blocks_state)" absent "window blocks before kmem"

case $KLINE in
6.1)
	assert_file_content "$MEM/auto_online_blocks" offline
	assert_eq "$(dev_driver dax0.0)" device_dax "dax0.0 driver at boot"
	unbind_dev dax0.0
	step "6.1: loading kmem leaves an unbound device alone"
	load_kmem
	assert_eq "$(dev_driver dax0.0)" none "dax0.0 driver after modprobe kmem"
	expect_errno ENODEV "$DAX_BUS/drivers/kmem/bind" dax0.0
	step "6.1: kmem/new_id hot-plugs the window offline"
	write_attr "$DAX_BUS/drivers/kmem/new_id" dax0.0
	assert_eq "$(dev_driver dax0.0)" kmem "dax0.0 driver after kmem/new_id"
	assert_eq "$(blocks_state)" offline "window blocks after kmem bind"
	assert_match "$(read_attr "$MEM/memory$first/valid_zones")" Movable "valid_zones"
	write_attr "$MEM/memory$first/state" online_movable
	assert_file_content "$MEM/memory$first/state" online
	write_attr "$MEM/memory$first/state" offline
	;;
6.12)
	assert_file_content "$MEM/auto_online_blocks" online
	assert_eq "$(dev_driver dax0.0)" none "dax0.0 driver at boot"
	step "6.12: loading kmem grabs the unbound device and onlines it"
	load_kmem
	wait_for test -L "$D/driver"
	assert_eq "$(dev_driver dax0.0)" kmem "dax0.0 driver after modprobe kmem"
	assert_eq "$(blocks_state)" online "window blocks after modprobe kmem"
	step "6.12: offline every block before leaving kmem"
	for ((b = first; b <= last; b++)); do write_attr "$MEM/memory$b/state" offline; done
	;;
*) fail "unknown kernel line '$KLINE'" ;;
esac
assert_eq "$(blocks_state)" offline "window blocks before kmem unbind"

step "back to device_dax"
unbind_dev dax0.0
assert_eq "$(blocks_state)" absent "window blocks after kmem unbind"
assert_file_content "$D/size" 2147483648
bind_device_dax dax0.0
assert_exists /dev/dax0.0

info "numa-kmem: $pass_count checks passed on $KLINE"
