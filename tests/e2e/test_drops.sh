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
