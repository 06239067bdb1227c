#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Operations: kernel drops handled per syscall_event_drops (the internal
# alert), -s stats as JSON lines, -P pid file, exit action.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
cat >"$TMP/r.yaml" <<'Y'
- rule: any open
  desc: d
  condition: evt.type in (open, openat) and proc.name = nothing-like-this
  output: o
  priority: INFO
Y
# burst PID: 50,000 open/close pairs while the consumer PID is stopped
burst() {
	kill -STOP "$1"
	"$BUILD/bench/loop" 50000 >/dev/null
	kill -CONT "$1"
}
"$S" -r "$TMP/r.yaml" -o json_output=true -o engine.ebpf.ring_bytes=4096 -o syscall_event_drops.threshold=0 \
	-o 'syscall_event_drops.actions[0]=log' -o 'syscall_event_drops.actions[1]=alert' -o syscall_event_drops.rate=10 \
	-o syscall_event_drops.max_burst=10 -s "$TMP/stats.jsonl" -P "$TMP/saker.pid" >"$TMP/o" 2>"$TMP/e" &
SP=$!
wait_for "$TMP/e" capturing || not_ok "saker starts" "$(cat "$TMP/e")"
[ "$(cat "$TMP/saker.pid" 2>/dev/null)" = "$SP" ] && ok "-P writes the pid file" || not_ok "-P pid file"
# a stopped consumer cannot keep up: the burst overflows the 4 KiB ring whatever the machine's speed
burst $SP
sleep 2.5
kill -TERM $SP
wait $SP
check "exit 0 after SIGTERM" [ $? -eq 0 ]
check "-P pid file removed at exit" [ ! -e "$TMP/saker.pid" ]
python3 - "$TMP/o" <<'P' && ok "drops: internal alert with drop counters" || not_ok "drops alert" "$(tail -3 "$TMP/e")"
import json, sys
al = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
d = [a for a in al if a["rule"] == "Falco internal: syscall event drop"]
assert d, al[:3]
a = d[0]
assert a["source"] == "internal" and a["priority"] == "Debug" and a["output_fields"]["n_drops"] > 0
assert a["output_fields"]["n_drops_buffer"] > 0
P
grep -q 'falling behind' "$TMP/e" && ok "drops: logged" || not_ok "drops logged" "$(cat "$TMP/e")"
python3 - "$TMP/stats.jsonl" <<'P' && ok "-s writes stats as JSON lines" || not_ok "-s stats" "$(cat "$TMP/stats.jsonl")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
s = lines[-1]
for k in ("events", "drops_ring_full", "alerts", "alerts_by_rule", "alerts_by_priority", "outputs_queue_overflow"):
    assert k in s, k
assert s["drops_ring_full"] > 0
P
# exit action
"$S" -r "$TMP/r.yaml" -o engine.ebpf.ring_bytes=4096 -o syscall_event_drops.threshold=0 \
	-o 'syscall_event_drops.actions[0]=exit' >"$TMP/o2" 2>"$TMP/e2" &
SP=$!
wait_for "$TMP/e2" capturing
burst $SP
for _ in $(seq 1 50); do kill -0 $SP 2>/dev/null || break; sleep 0.1; done
if kill -0 $SP 2>/dev/null; then kill -TERM $SP; wait $SP; not_ok "drops: exit action stops saker"; else
	wait $SP; rc=$?; [ $rc -ne 0 ] && grep -q 'action is exit' "$TMP/e2" && ok "drops: exit action stops saker (exit $rc)" || not_ok "drops exit" "rc=$rc $(cat "$TMP/e2")"; fi
