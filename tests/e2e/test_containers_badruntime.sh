#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runtimes that misbehave: a socket that accepts and never answers, one that
# answers HTTP with garbage, a CRI socket that answers random bytes, all
# tried before a working podman service. Capture goes on, no event waits
# longer than the bound (container_engines.wait_ms) although the hung socket
# takes the whole lookup timeout, each bad socket is logged once, and the
# containers still get their names from the good runtime.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
command -v podman >/dev/null && command -v runc >/dev/null || { not_ok "podman and runc installed (make deps)"; exit 1; }
podman_conf
N=containersbad$$
IMG=localhost/containers-bad-img:v$$
S=/tmp/containers-bad-$$
busybox_rootfs "$TMP/ctx/rootfs" sh cat sleep
echo 'root:*:19000:0:99999:7:::' >"$TMP/ctx/rootfs/etc/shadow"
printf 'FROM scratch\nCOPY rootfs/ /\n' >"$TMP/ctx/Containerfile"
podman build -q --pull=never -t "$IMG" "$TMP/ctx" >"$TMP/build.log" 2>&1 || { not_ok "image built locally" "$(tail -3 "$TMP/build.log")"; exit 1; }
$PY "$ROOT/tests/e2e/bad_runtime.py" hang "$S-hang.sock" & HANG=$!
$PY "$ROOT/tests/e2e/bad_runtime.py" garbage "$S-garbage.sock" & GARB=$!
$PY "$ROOT/tests/e2e/bad_runtime.py" bytes "$S-cri.sock" & BYTES=$!
podman system service --time=0 "unix://$S-podman.sock" >"$TMP/svc.log" 2>&1 & SVC=$!
$PY "$ROOT/tests/e2e/bad_runtime.py" slow "$S-slow.sock" "$S-podman.sock" & SLOW=$!
SP=
cleanup() {
	[ -n "$SP" ] && kill "$SP" 2>/dev/null
	for p in $HANG $GARB $BYTES $SVC $SLOW; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -f "$S-hang.sock" "$S-garbage.sock" "$S-cri.sock" "$S-podman.sock" "$S-slow.sock"
	podman rm -f "$N-1" "$N-2" "$N-3" >/dev/null 2>&1
	podman rmi -f "$IMG" >/dev/null 2>&1
	[ -n "$KEEP" ] || rm -rf "$TMP"
}
trap cleanup EXIT
for s in hang garbage cri podman slow; do for _ in $(seq 1 50); do [ -S "$S-$s.sock" ] && break; sleep 0.1; done; done

cat >"$TMP/rules.yaml" <<'EOF2'
- rule: containers bad shadow read
  desc: test rule
  condition: evt.type in (open, openat, openat2) and fd.name = /etc/shadow and container.id != host
  output: shadow read (name=%container.name id=%container.id)
  priority: WARNING
EOF2
# output lines are stamped with the time they come out, to measure each alert's delay
"$BUILD/saker" -U -r "$TMP/rules.yaml" -o json_output=true -o container_engines.docker.enabled=false \
	-o "container_engines.podman.sockets[]=$S-hang.sock" -o "container_engines.podman.sockets[]=$S-garbage.sock" \
	-o "container_engines.podman.sockets[]=unix://$S-podman.sock" -o container_engines.cri.enabled=false \
	-o container_engines.lookup_timeout_ms=1500 -o container_engines.wait_ms=200 2>"$TMP/err" |
	$PY -u -c 'import sys, time
for l in sys.stdin: print(time.time_ns(), l, end="", flush=True)' >"$TMP/out" &
wait_for "$TMP/err" capturing 300 || echo "saker did not print capturing within 30 s" >&2
SP=$(pgrep -n -f "$TMP/rules.yaml")
# the first lookup spends the whole timeout on the hung socket (later ones skip it for 30 s)
# the later ones read after a second: their lookups (started by their first
# event) go past the two bad sockets to podman, which can be slower than the
# 200 ms wait on a loaded machine
timeout 60 podman run --ulimit host --network none --name "$N-1" "$IMG" cat /etc/shadow >>"$TMP/podman.log" 2>&1
sleep 1.5
for i in 2 3; do
	timeout 60 podman run --ulimit host --network none --name "$N-$i" "$IMG" sh -c 'sleep 1; cat /etc/shadow' >>"$TMP/podman.log" 2>&1
done
sleep 1
kill -TERM "$SP"
for _ in $(seq 1 50); do kill -0 "$SP" 2>/dev/null || break; sleep 0.1; done
SP=

$PY - "$TMP/out" "$TMP/err" "$N" "$S" <<'P'
import json, sys
out, err, n, s = sys.argv[1:5]
rows = []
for l in open(out):
    t, _, j = l.partition(" ")
    if j.startswith("{"):
        a = json.loads(j)
        rows.append((int(t), a))
errs = open(err).read().splitlines()
def check(name, cond, extra=""):
    print(("ok - " if cond else "not ok - ") + name)
    if not cond and extra:
        print("    " + extra[:800])
every = "; ".join(str(a["output_fields"]) for _, a in rows) + " | " + " | ".join(errs)
check("bad runtimes: capture goes on, every container's read raises its alert", len(rows) >= 3, every)
from datetime import datetime
def ev_ns(a):
    t = a["time"]
    sec, frac = t[:19], t[20:29]
    return int(datetime.strptime(sec, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=__import__("datetime").timezone.utc).timestamp()) * 10**9 + int(frac.ljust(9, "0"))
delays = [(t - ev_ns(a)) / 1e6 for t, a in rows]
check("bad runtimes: no alert waits longer than the bound (200 ms wait, 1500 ms hung lookup): max %.0f ms" % max(delays or [0]),
      delays and max(delays) < 1000, str(delays))
for sock, what in ((s + "-hang.sock", "did not answer in time"), (s + "-garbage.sock", "answered badly")):
    lines = [e for e in errs if sock in e]
    check(f"bad runtimes: '{sock.rsplit('/', 1)[1]}' is logged once ({what})", len(lines) == 1 and what in lines[0], " | ".join(errs))
names = [a["output_fields"].get("container.name") for _, a in rows]
check("bad runtimes: the working podman behind them names the later containers", n + "-2" in names and n + "-3" in names, every)
P

# a CRI socket that answers random bytes: logged once, capture goes on
"$BUILD/saker" -r "$TMP/rules.yaml" -o json_output=true -o container_engines.docker.enabled=false \
	-o container_engines.podman.enabled=false --cri "$S-cri.sock" >"$TMP/out2" 2>"$TMP/err2" &
SP=$!
wait_for "$TMP/err2" capturing 300 || echo "saker did not print capturing within 30 s" >&2
for i in 4 5; do
	timeout 60 podman run --rm --ulimit host --network none "$IMG" cat /etc/shadow >>"$TMP/podman.log" 2>&1
done
sleep 0.5
kill -TERM $SP
wait $SP
SP=
n=$(grep -c "$S-cri.sock.*answered badly" "$TMP/err2")
a=$(grep -c '"rule":"containers bad shadow read"' "$TMP/out2")
if [ "$n" = 1 ] && [ "$a" -ge 2 ]; then ok "bad runtimes: a CRI socket answering garbage is logged once, capture goes on"
else not_ok "bad runtimes: a CRI socket answering garbage is logged once, capture goes on" "$n log lines, $a alerts" "$(cat "$TMP/err2")"; fi

# a runtime that answers in 0.5 s: the 100 ms bound gives up on it, --disable-cri-async waits for it
slow_run() {
	# the second run must not find the first run's 'capturing' line: the
	# background job truncates err3 only once it has forked
	rm -f "$TMP/out3" "$TMP/err3"
	"$BUILD/saker" -r "$TMP/rules.yaml" -o json_output=true -o container_engines.docker.enabled=false \
		-o container_engines.cri.enabled=false -o "container_engines.podman.sockets[]=$S-slow.sock" \
		-o container_engines.wait_ms=100 -o container_engines.lookup_timeout_ms=3000 "$@" >"$TMP/out3" 2>"$TMP/err3" &
	SP=$!
	wait_for "$TMP/err3" capturing 300 || echo "saker did not print capturing within 30 s" >&2
	# it lives on after the read: the slow answer must find it
	timeout 60 podman run --rm --ulimit host --network none "$IMG" sh -c 'cat /etc/shadow; sleep 1' >>"$TMP/podman.log" 2>&1
	sleep 0.5
	kill -TERM $SP
	wait $SP
	SP=
	grep '"rule":"containers bad shadow read"' "$TMP/out3" | head -1
}
a=$(slow_run)
b=$(slow_run --disable-cri-async)
case "$a" in *'"container.name":null'*) ok "bad runtimes: a slow runtime's container is <NA> once the 100 ms bound passes" ;;
	*) not_ok "bad runtimes: a slow runtime's container is <NA> once the 100 ms bound passes" "$a" ;; esac
case "$b" in *'"container.name":"'*) ok "bad runtimes: --disable-cri-async waits for the slow runtime's answer" ;;
	*) not_ok "bad runtimes: --disable-cri-async waits for the slow runtime's answer" "$b" "$(cat "$TMP/err3")" ;; esac
