#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Overload: 100,000 short-lived processes, 100,000 short-lived threads, and
# 500,000 open fds (held by 26 processes: the hard fd limit here is 20,000
# per process and root cannot raise it without CAP_SYS_RESOURCE) while saker
# captures. saker stays up, its peak RSS stays under the documented cap
# (docs/configuration.md: 256 MiB with the default tables), exited threads
# are reaped, the thread table's evictions and the kernel drops are counted,
# and the state empties again when the load ends.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
CAP_KIB=$((256 * 1024))
cat >"$TMP/r.yaml" <<'Y'
- rule: storm marker
  desc: "cat reads the marker after the storms"
  condition: evt.type in (open, openat) and fd.name endswith /storm-marker and proc.name = cat
  output: "storm marker read by %proc.name"
  priority: WARNING
Y
"$S" -r "$TMP/r.yaml" -v -P "$TMP/pid" >"$TMP/o" 2>"$TMP/e" &
P=$!
wait_for "$TMP/e" capturing || { not_ok "saker starts" "$(cat "$TMP/e")"; exit 1; }
hwm() { sed -n 's/^VmHWM:[\t ]*\([0-9]*\) kB/\1/p' /proc/$P/status; }
rss() { sed -n 's/^VmRSS:[\t ]*\([0-9]*\) kB/\1/p' /proc/$P/status; }
base=$(rss)
n=$("$BUILD/tests/storm" fork 100000)
[ "$n" -eq 100000 ] && kill -0 $P && ok "fork storm: 100,000 short-lived processes, saker up (peak RSS $(hwm) KiB)" || not_ok "fork storm" "$n $(tail -3 "$TMP/e")"
n=$("$BUILD/tests/storm" threads 100000)
[ "$n" -eq 100000 ] && kill -0 $P && ok "thread storm: 100,000 short-lived threads, saker up (peak RSS $(hwm) KiB)" || not_ok "thread storm" "$n $(tail -3 "$TMP/e")"
: >"$TMP/fds"
for i in $(seq 1 26); do "$BUILD/tests/storm" fds 19300 20 >>"$TMP/fds" & done
for _ in $(seq 1 300); do [ "$(wc -l <"$TMP/fds")" -ge 26 ] && break; sleep 0.1; done
sleep 2
held=$(awk '{ s += $1 } END { print s }' "$TMP/fds")
peak=$(hwm)
kill -0 $P && [ "$held" -ge 500000 ] && ok "fd flood: $held open fds in 26 processes, saker up (RSS $(rss) KiB)" || not_ok "fd flood" "held=$held $(tail -3 "$TMP/e")"
pkill -P $$ -x storm 2>/dev/null
wait_n=0
while [ "$(jobs -p | wc -l)" -gt 1 ] && [ $wait_n -lt 50 ]; do sleep 0.1; wait_n=$((wait_n + 1)); done
touch "$TMP/storm-marker"
sleep 1
cat "$TMP/storm-marker"
wait_for "$TMP/o" "storm marker read by cat" 50
peak=$(hwm)
after=$(rss)
kill -TERM $P
wait $P
rc=$?
[ "$peak" -lt "$CAP_KIB" ] && ok "peak RSS $peak KiB under the $CAP_KIB KiB cap (at start $base KiB, after the storms $after KiB)" || not_ok "RSS bound" "peak $peak KiB, cap $CAP_KIB"
[ $rc -eq 0 ] && grep -q "storm marker read by cat" "$TMP/o" && ok "after the storms saker still detects, exit 0" || not_ok "detects after" "rc=$rc $(tail -5 "$TMP/e")"
st=$(grep '^State:' "$TMP/e")
reaped=$(echo "$st" | sed -nE 's/.*reaped ([0-9]+).*/\1/p')
threads=$(echo "$st" | sed -nE 's/^State: threads ([0-9]+),.*/\1/p')
fds=$(echo "$st" | sed -nE 's/.*fds ([0-9]+),.*/\1/p')
[ "${reaped:-0}" -ge 150000 ] && [ "${threads:-999999}" -lt 20000 ] && [ "${fds:-999999}" -lt 100000 ] \
	&& ok "exited threads reaped and counted, state small again ($st)" || not_ok "state after the storms" "$st"
grep -q '^Kernel: .*drops ring_full [0-9]*' "$TMP/e" && ok "kernel drops counted: $(sed -nE 's/^Kernel: (.*)/\1/p' "$TMP/e")" || not_ok "kernel counters" "$(tail -5 "$TMP/e")"

# A table smaller than what is alive: 3,000 threads held against
# falco_libs.thread_table_size 1000. The table stays at its limit, the oldest
# are evicted, saker says so within a second, and still detects.
"$S" -r "$TMP/r.yaml" -v -o falco_libs.thread_table_size=1000 -s "$TMP/stats2" >"$TMP/o2" 2>"$TMP/e2" &
P=$!
wait_for "$TMP/e2" capturing || { not_ok "saker starts with a small thread table" "$(cat "$TMP/e2")"; exit 1; }
"$BUILD/tests/storm" hold 3000 4 >"$TMP/held" &
H=$!
for _ in $(seq 1 100); do [ -s "$TMP/held" ] && break; sleep 0.1; done
wait_for "$TMP/e2" "thread table full" 30
grep -q "thread table full (falco_libs.thread_table_size 1000): evicted [0-9]* least recently active threads" "$TMP/e2" \
	&& ok "a full thread table is reported within a second: $(grep -m1 'thread table full' "$TMP/e2" | sed 's/.*: evicted/evicted/')" \
	|| not_ok "eviction reported" "held $(cat "$TMP/held") $(tail -3 "$TMP/e2")"
wait $H
cat "$TMP/storm-marker"
wait_for "$TMP/o2" "storm marker read by cat" 50
kill -TERM $P
wait $P
rc=$?
st=$(grep '^State:' "$TMP/e2")
threads=$(echo "$st" | sed -nE 's/^State: threads ([0-9]+),.*/\1/p')
evicted=$(echo "$st" | sed -nE 's/.*evicted ([0-9]+),.*/\1/p')
[ "${threads:-99999}" -le 1000 ] && [ "${evicted:-0}" -ge 1000 ] \
	&& ok "thread table held at its limit, evictions counted ($st)" || not_ok "table bound" "$st"
[ $rc -eq 0 ] && grep -q "storm marker read by cat" "$TMP/o2" && ok "detects after evicting, exit 0" || not_ok "detects after evicting" "rc=$rc $(tail -5 "$TMP/e2")"
ev=$(tail -1 "$TMP/stats2" 2>/dev/null | sed -nE 's/.*"threads_evicted":([0-9]+).*/\1/p')
[ "${ev:-0}" -ge 1000 ] && ok "-s stats carry the evictions (threads_evicted $ev)" || not_ok "-s stats evictions" "$(tail -1 "$TMP/stats2" 2>/dev/null)"
