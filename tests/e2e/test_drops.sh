#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A tiny ring and a burst of events: drops are counted and reported, and the
# kernel's counts add up (seen = sent + drops; everything sent is printed).
. "$(dirname "$0")/lib.sh"

"$BUILD/sakerdump" --ring-bytes 4096 -M 3 -v >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_for "$TMP/err" "loaded and attached" 300 || echo "sakerdump did not attach within 30 s" >&2
# the consumer is stopped during the burst, so the 4 KiB ring overflows on any machine
kill -STOP $pid
"$BUILD/bench/loop" 50000 >/dev/null
kill -CONT $pid
wait $pid
rc=$?
check "tiny ring run exits 0" [ "$rc" -eq 0 ]
seen=$(sed -nE 's/^events: seen ([0-9]+), sent ([0-9]+), printed ([0-9]+).*/\1/p' "$TMP/err")
sent=$(sed -nE 's/^events: seen ([0-9]+), sent ([0-9]+), printed ([0-9]+).*/\2/p' "$TMP/err")
printed=$(sed -nE 's/^events: seen ([0-9]+), sent ([0-9]+), printed ([0-9]+).*/\3/p' "$TMP/err")
full=$(sed -nE 's/^drops: ring_full ([0-9]+), too_large ([0-9]+), no_ring ([0-9]+).*/\1/p' "$TMP/err")
large=$(sed -nE 's/^drops: ring_full ([0-9]+), too_large ([0-9]+), no_ring ([0-9]+).*/\2/p' "$TMP/err")
noring=$(sed -nE 's/^drops: ring_full ([0-9]+), too_large ([0-9]+), no_ring ([0-9]+).*/\3/p' "$TMP/err")
npar=$(sed -nE 's/^drops: .*, nparams ([0-9]+)$/\1/p' "$TMP/err")
if [ -n "$full" ] && [ "$full" -gt 0 ]; then ok "ring_full drops reported ($full)"; else not_ok "ring_full drops reported" "$(cat "$TMP/err")"; fi
if [ -n "$seen" ] && [ "$seen" -eq $((sent + full + large + noring + npar)) ]; then
	ok "seen = sent + drops ($seen = $sent + $full + $large + $noring + $npar)"
else
	not_ok "seen = sent + drops" "$(cat "$TMP/err")"
fi
lines=$(wc -l <"$TMP/out")
if [ -n "$printed" ] && [ "$printed" -eq "$sent" ] && [ "$lines" -eq "$printed" ]; then
	ok "every sent event printed ($printed)"
else
	not_ok "every sent event printed" "sent=$sent printed=$printed lines=$lines"
fi

# Programs that declare more parameters than they store: every event is
# dropped by the submit check and counted as an nparams drop, none printed.
"$BUILD/sakerdump" --test-nparams-skew 1 -M 2 -v >"$TMP/skew.out" 2>"$TMP/skew.err" &
pid=$!
wait_for "$TMP/skew.err" "loaded and attached" 300 || echo "sakerdump did not attach within 30 s" >&2
"$BUILD/bench/loop" 2000 >/dev/null
wait $pid
seen=$(sed -nE 's/^events: seen ([0-9]+), sent ([0-9]+),.*/\1/p' "$TMP/skew.err")
sent=$(sed -nE 's/^events: seen ([0-9]+), sent ([0-9]+),.*/\2/p' "$TMP/skew.err")
np=$(sed -nE 's/^drops: .*, nparams ([0-9]+)$/\1/p' "$TMP/skew.err")
if [ -n "$np" ] && [ "$np" -gt 0 ] && [ "$np" -eq "$seen" ] && [ "$sent" -eq 0 ] && [ ! -s "$TMP/skew.out" ]; then
	ok "nparams mismatch: every event dropped and counted ($np of $seen)"
else
	not_ok "nparams mismatch: every event dropped and counted" "$(cat "$TMP/skew.err")" "printed: $(wc -l <"$TMP/skew.out")"
fi

# Batches (bpf/scratch.bpf.h): events wait in their CPU's batch until it is
# full or old, or the consumer sends out a quiet CPU's batch. A CPU opening
# a file every few ms next to one opening as fast as it can: the slow CPU's
# batch waits longer than the merge slack, so events come out in time order
# only if the consumer holds the fast CPU's back until it is out.
if [ "$(nproc)" -ge 2 ]; then
	"$BUILD/sakerdump" --syscalls openat,close -p '%evt.rawtime %evt.cpu %proc.name %fd.name' -v \
		>"$TMP/order.out" 2>"$TMP/order.err" &
	pid=$!
	wait_for "$TMP/order.err" "loaded and attached" 300 || echo "sakerdump did not attach within 30 s" >&2
	# one process, so only its opens and closes are events on that CPU
	taskset -c 1 /usr/bin/python3 -c 'import sys, time
for i in range(300):
    open(sys.argv[1]).close()
    time.sleep(0.003)' "$TMP/order.err" &
	slow=$!
	taskset -c 0 "$BUILD/bench/loop" 200000 >/dev/null
	wait $slow
	kill -INT $pid
	wait $pid
	slow_n=$(grep -c " 1 python3 $TMP/order.err\$" "$TMP/order.out")
	back=$(awk '$1 < prev { n++ } { prev = $1 } END { print n + 0 }' "$TMP/order.out")
	if [ "$slow_n" -ge 300 ] && [ "$back" -eq 0 ]; then
		ok "two CPUs, one slow: $(wc -l <"$TMP/order.out") events in time order ($slow_n of the slow CPU's opens)"
	else
		not_ok "two CPUs, one slow: events in time order" "slow CPU's events: $slow_n (want >= 300)" \
			"events earlier than the one before: $back" "$(tail -3 "$TMP/order.err")"
	fi
	check "the consumer's flushes never failed" grep -q '^consumer: .*failed 0),' "$TMP/order.err"
fi

# One event on a quiet capture (symlinkat, which nothing else here calls):
# the consumer sends its batch out while the capture runs, and an event
# made just before the capture stops is in its output too.
"$BUILD/sakerdump" --syscalls symlinkat -p '%evt.type %evt.args' >"$TMP/quiet.out" 2>"$TMP/quiet.err" &
pid=$!
wait_for "$TMP/quiet.err" "loaded and attached" 300 || echo "sakerdump did not attach within 30 s" >&2
ln -s /nonexistent "$TMP/link1"
wait_for "$TMP/quiet.out" "^symlinkat .*linkpath=$TMP/link1" 100
check "a quiet CPU's event is delivered while the capture runs" grep -q "^symlinkat .*linkpath=$TMP/link1" "$TMP/quiet.out"
ln -s /nonexistent "$TMP/link2"
kill -INT $pid
wait $pid
check "an event just before the capture stops is delivered at its end" grep -q "^symlinkat .*linkpath=$TMP/link2" "$TMP/quiet.out"
