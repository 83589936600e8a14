# SPDX-License-Identifier: GPL-2.0-only
# topology: one
# timeout: 150
#
# Defect 5 of kernel/README.md: reading a mappingN attribute while the mapping is removed
# deadlocks.  get_dax_range() waits for the region lock while the reader holds the
# attribute's kernfs active reference; a "size" write that drops the range holds that lock
# while device_del() waits for every such reference to drain.
#   stock:  four raw sysfs readers of dax0.1/mapping0/{start,end} beside a writer that toggles
#           dax0.1's size between 0 and 128 MiB: the writer stops for good (the test fails if
#           it does not within the window);
#   kernel: the writer finishes all its rounds and every reader stops when asked.
# Nothing here may touch the dax bus once the writer may be stuck: the test reads only /tmp.
# After a hang on 6.1 the guest's poweroff blocks too (device_shutdown() takes the stuck
# device lock), and run-test ends it 15 s after the result.
. "$SRCDIR/kernel/tests/variant.sh"

R=$(region_dir 0)
D=$DAX_BUS/devices/dax0.1
SIZE=$((128 << 20))
ROUNDS=200    # writer rounds the patched kernel must finish
STALL=15      # seconds without a writer round that count as a hang
WINDOW=90     # seconds the stock kernel gets to hang

region_state 0 idle
write_attr "$R/create" 1
write_attr "$D/size" $SIZE
assert_exists "$D/mapping0/start"

step "4 readers of mapping0 against a writer shrinking and growing dax0.1 ($ROUNDS rounds)"
rm -f /tmp/race.*
for i in 1 2 3 4; do
	(
		n=0
		while [ ! -e /tmp/race.stop ]; do
			cat "$D/mapping0/start" "$D/mapping0/end" >/dev/null 2>&1
			n=$((n + 1))
		done
		echo $n >/tmp/race.reader$i
	) &
done
(
	for ((n = 1; n <= ROUNDS; n++)); do
		"$SYSFS_IO" write "$D/size" 0 >/dev/null || { echo "size 0: round $n" >/tmp/race.err; exit 1; }
		"$SYSFS_IO" write "$D/size" $SIZE >/dev/null || { echo "size: round $n" >/tmp/race.err; exit 1; }
		echo $n >/tmp/race.rounds
	done
	touch /tmp/race.done
) &

# Watch the writer's progress: done, failed, or stalled for STALL seconds.
t0=$SECONDS last=0 seen=$SECONDS verdict=
while :; do
	sleep 1
	if [ -e /tmp/race.done ]; then verdict=done; break; fi
	if [ -e /tmp/race.err ]; then fail "writer failed: $(cat /tmp/race.err)"; fi
	r=$(cat /tmp/race.rounds 2>/dev/null || echo 0)
	if [ "$r" != "$last" ]; then last=$r seen=$SECONDS; fi
	if ((SECONDS - seen >= STALL)); then verdict=hang; break; fi
	if ((SECONDS - t0 >= WINDOW)); then verdict=slow; break; fi
done
info "writer: $verdict after $((SECONDS - t0)) s, $last of $ROUNDS rounds"
touch /tmp/race.stop

if fixed 5; then
	assert_eq "$verdict" done "the writer's rounds"
	# Every reader sees the stop file and leaves (none is stuck in the kernel).
	wait_for test -e /tmp/race.reader1 -a -e /tmp/race.reader2 -a -e /tmp/race.reader3 \
		-a -e /tmp/race.reader4
	info "reads per reader: $(cat /tmp/race.reader? | tr '\n' ' ')"
	assert_file_content "$D/size" $SIZE
	assert_exists "$D/mapping0/start"
else
	# The defect: the writer stops for good.  "done" means the kernel changed.
	[ "$verdict" = hang ] || fail "writer not stuck ($verdict after $last rounds): defect 5 absent?"
	ok
	# Readers blocked in the kernel never see the stop file.
	sleep 2
	[ ! -e /tmp/race.reader1 ] || [ ! -e /tmp/race.reader2 ] || [ ! -e /tmp/race.reader3 ] ||
		[ ! -e /tmp/race.reader4 ] || fail "every reader finished although the writer is stuck"
	ok
fi
info "mapping-race: $pass_count checks passed ($VARIANT, $KLINE)"
