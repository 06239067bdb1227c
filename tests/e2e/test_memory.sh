#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Memory after a burst: saker with the default rules (openat and close
# captured) while bench/loop makes 3 x 1,000,000 openat+close pairs on the
# other CPU, which puts the consumer behind and grows its pending events
# (capture.c pend_trim). Once the burst is delivered, what it grew is given
# back: the anonymous RSS comes back to within 768 KiB of where it started
# (it stayed 1.5-1.7 MiB up before pend_trim and the fixed mmap threshold).
. "$(dirname "$0")/lib.sh"
taskset -c 1 "$BUILD/saker" -c saker.yaml -v -o stdout_output.enabled=false >/dev/null 2>"$TMP/e" &
P=$!
wait_for "$TMP/e" capturing || { not_ok "saker starts" "$(tail -3 "$TMP/e")"; exit 1; }
anon() { sed -n 's/^RssAnon:[\t ]*\([0-9]*\) kB/\1/p' /proc/$P/status; }
sleep 1
a0=$(anon)
for _ in 1 2 3; do taskset -c 0 "$BUILD/bench/loop" 1000000 >/dev/null; done
sleep 2
a1=$(anon)
kill -INT $P
wait $P
rc=$?
grep -q 'drops.*[1-9]' "$TMP/e" && d=" (with drops: $(grep -m1 drops "$TMP/e"))" || d=
[ $rc -eq 0 ] && [ $((a1 - a0)) -lt 768 ] && ok "after 3 M openat+close pairs the anonymous RSS is back within 768 KiB: $a0 -> $a1 KiB$d" ||
	not_ok "memory given back after a burst" "RssAnon $a0 -> $a1 KiB, saker rc $rc" "$(tail -3 "$TMP/e")"
