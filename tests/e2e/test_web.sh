#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The web server: off by default; /healthz is 503 before capture runs, 200
# while it runs and 503 when the event thread is stuck (here: blocked writing
# a -w capture into a FIFO nobody reads); /metrics parses with the Prometheus
# client's parser and its counters move; a bad port or a port in use is a
# clear startup error.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
SAKER="$BUILD/saker -c $ROOT/saker.yaml -r $ROOT/rules/saker_rules.yaml -o name_resolution.enabled=false"
cleanup() {
	[ -n "$SP" ] && kill -9 $SP 2>/dev/null
	[ -n "$RP" ] && kill -9 $RP 2>/dev/null
	[ -n "$LP" ] && kill $LP 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$TMP"
}
trap cleanup EXIT

# a free loopback port of our own
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WEB="-o webserver.enabled=true -o webserver.listen_address=127.0.0.1 -o webserver.listen_port=$PORT"
code() { curl -s -o "$TMP/body" -w '%{http_code}' --max-time 3 "http://127.0.0.1:$PORT$1"; }

# Startup errors
$SAKER $WEB -o webserver.listen_port=70000 -M 1 >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] && grep -q "listen_port.*70000" "$TMP/err" && ok "listen_port 70000: exit 1 naming listen_port" ||
	not_ok "listen_port 70000 is a startup error" "rc $rc: $(cat "$TMP/err")"
$SAKER $WEB -o webserver.listen_port=http -M 1 >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] && grep -q "listen_port" "$TMP/err" && ok "listen_port 'http': exit 1 naming listen_port" ||
	not_ok "listen_port 'http' is a startup error" "rc $rc: $(cat "$TMP/err")"
$PY -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(30)' $PORT &
LP=$!
sleep 0.3
$SAKER $WEB -M 1 >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] && grep -q "127.0.0.1:$PORT: Address already in use" "$TMP/err" && ok "port in use: exit 2 naming address, port and reason" ||
	not_ok "port in use is a startup error" "rc $rc: $(cat "$TMP/err")"
kill $LP
wait $LP 2>/dev/null
LP=

# Off by default: nothing listens
$SAKER -M 2 >/dev/null 2>"$TMP/err" &
SP=$!
wait_for "$TMP/err" capturing 300 || echo "saker did not print capturing within 30 s" >&2
c=$(code /healthz)
[ "$c" = 000 ] && ok "web server off by default" || not_ok "web server off by default" "got HTTP $c"
wait $SP
SP=

# Live: the event thread writes a capture into a FIFO; we control its reader.
mkfifo "$TMP/fifo"
rm -f "$TMP/err" # the wait below must not find the first run's 'capturing'
$SAKER $WEB -o webserver.prometheus_metrics_enabled=true -o webserver.healthz_timeout_seconds=2 \
	-w "$TMP/fifo" --no-compress -o json_output=true >"$TMP/out" 2>"$TMP/err" &
SP=$!
for _ in $(seq 1 50); do [ "$(code /healthz)" != 000 ] && break; sleep 0.1; done
c=$(code /healthz)
[ "$c" = 503 ] && grep -q starting "$TMP/body" && ok "/healthz 503 'starting' before capture runs" ||
	not_ok "/healthz 503 before capture runs" "HTTP $c $(cat "$TMP/body")"
cat "$TMP/fifo" >/dev/null &
RP=$!
wait_for "$TMP/err" capturing 300 || echo "saker did not print capturing within 30 s" >&2
sleep 0.3
c=$(code /healthz)
[ "$c" = 200 ] && grep -q '"ok"' "$TMP/body" && ok "/healthz 200 once capture runs" ||
	not_ok "/healthz 200 once capture runs" "HTTP $c $(cat "$TMP/body"); $(tail -3 "$TMP/err")"

sleep 1.2
curl -s --max-time 3 "http://127.0.0.1:$PORT/metrics" >"$TMP/m1"
cp /bin/cat "$TMP/ship_shadow"
for _ in 1 2 3; do "$TMP/ship_shadow" /etc/shadow >/dev/null; done
for _ in $(seq 1 200); do sh -c 'exec true'; done
sleep 1.5
curl -s -D "$TMP/hdr" --max-time 3 "http://127.0.0.1:$PORT/metrics" >"$TMP/m2"
grep -qi '^content-type: text/plain; version=0.0.4' "$TMP/hdr" && ok "/metrics content type is Prometheus text 0.0.4" ||
	not_ok "/metrics content type" "$(cat "$TMP/hdr")"
$PY - "$TMP/m1" "$TMP/m2" <<'P'
import re, sys
from prometheus_client.parser import text_string_to_metric_families
def load(path):
    fams = list(text_string_to_metric_families(open(path).read()))
    return fams, {(s.name, tuple(sorted(s.labels.items()))): s.value for f in fams for s in f.samples}
try:
    f1, m1 = load(sys.argv[1]); f2, m2 = load(sys.argv[2])
    print("ok - /metrics parses with prometheus_client (%d families)" % len(f2))
except Exception as e:
    print("not ok - /metrics parses with prometheus_client\n    %s" % e); sys.exit(0)
def check(name, cond, detail=""):
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else "\n    " + detail))
bad = [s.name for f in f2 for s in f.samples if not re.fullmatch(r"(saker|process)_[a-z0-9_]+", s.name)
       or (f.type == "counter" and not s.name.endswith("_total"))]
check("metric names: saker_/process_ prefix, lower snake case, counters end in _total", not bad, str(bad[:5]))
def v(m, name, **labels): return m.get((name, tuple(sorted(labels.items()))))
for name in ("saker_events_total", "saker_kernel_events_total", "saker_outputs_alerts_total",
             "process_cpu_seconds_total", "process_resident_memory_bytes", "saker_rules_loaded",
             "saker_threads", "saker_fds", "saker_capture_rings"):
    check("metric %s present" % name, v(m2, name) is not None)
check("saker_events_total moves when events happen", (v(m2, "saker_events_total") or 0) > (v(m1, "saker_events_total") or 0),
      "%s -> %s" % (v(m1, "saker_events_total"), v(m2, "saker_events_total")))
r = dict(rule="Read sensitive file untrusted", priority="Warning")
check("saker_rule_matches_total{rule,priority} counts the /etc/shadow reads",
      (v(m2, "saker_rule_matches_total", **r) or 0) - (v(m1, "saker_rule_matches_total", **r) or 0) >= 3,
      "%s -> %s" % (v(m1, "saker_rule_matches_total", **r), v(m2, "saker_rule_matches_total", **r)))
check("saker_alerts_total{priority=Warning} moves",
      (v(m2, "saker_alerts_total", priority="Warning") or 0) > (v(m1, "saker_alerts_total", priority="Warning") or 0))
check("saker_output_sent_total{sink=stdout} moves",
      (v(m2, "saker_output_sent_total", sink="stdout") or 0) > (v(m1, "saker_output_sent_total", sink="stdout") or 0))
check("drops by reason: ring_full, too_large, no_ring",
      all(v(m2, "saker_kernel_drops_total", reason=x) is not None for x in ("ring_full", "too_large", "no_ring")))
check("saker_rules_loaded > 0", (v(m2, "saker_rules_loaded") or 0) > 0)
check("process_resident_memory_bytes > 1 MB", (v(m2, "process_resident_memory_bytes") or 0) > 1e6)
P

# Stuck: stop the FIFO's reader; the event thread blocks once the pipe is full.
kill -STOP $RP
for _ in $(seq 1 40); do
	for _ in $(seq 1 50); do sh -c 'exec true'; done
	[ "$(code /healthz)" = 503 ] && break
	sleep 0.2
done
c=$(code /healthz)
[ "$c" = 503 ] && grep -q stalled "$TMP/body" && ok "/healthz 503 'stalled' while the event thread is stuck" ||
	not_ok "/healthz 503 while the event thread is stuck" "HTTP $c $(cat "$TMP/body")"
c=$(code /metrics)
[ "$c" = 200 ] && ok "/metrics still answers while the event thread is stuck" || not_ok "/metrics while stuck" "HTTP $c"
kill -CONT $RP
for _ in $(seq 1 50); do [ "$(code /healthz)" = 200 ] && break; sleep 0.1; done
c=$(code /healthz)
[ "$c" = 200 ] && ok "/healthz 200 again once the event thread moves" || not_ok "/healthz 200 after the stall" "HTTP $c"
c=$(code /nothing)
[ "$c" = 404 ] && ok "unknown path: 404" || not_ok "unknown path: 404" "HTTP $c"
kill -TERM $SP
wait $SP
rc=$?
SP=
[ $rc -eq 0 ] && ok "saker with the web server exits cleanly on SIGTERM" || not_ok "clean exit with the web server" "rc $rc"
