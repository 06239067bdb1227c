#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# saker live: a rule fires when cat opens a marker file, and the alert
# reaches every sink (stdout JSON, file both keep_alive ways, program, HTTP);
# failing sinks are counted while capture goes on; SIGTERM flushes; SIGHUP
# reloads rules; sakerdump's filter and format work live.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
MARK="$TMP/marker-$$"
echo hi >"$MARK"
cat >"$TMP/r.yaml" <<Y
- rule: marker read
  desc: cat reads the marker file
  condition: evt.type in (open, openat) and proc.name = cat and fd.name = $MARK
  output: "marker read by %proc.name (file=%fd.name parent=%proc.pname pid=%proc.pid user=%user.name)"
  priority: WARNING
  tags: [test, filesystem]
Y
# wait_for FILE PATTERN: up to 10 s
# run_saker OUT ERR ARGS...: start saker in the background, wait until it captures
run_saker() {
	o=$1 e=$2
	shift 2
	"$S" "$@" >"$o" 2>"$e" &
	SAKER_PID=$!
	wait_for "$e" "capturing"
}

python3 "$(dirname "$0")/http_sink.py" "$TMP/port" "$TMP/http.out" &
HTTP_PID=$!
wait_for "$TMP/port" . || not_ok "http test server starts"
PORT=$(cat "$TMP/port")

run_saker "$TMP/o" "$TMP/e" -r "$TMP/r.yaml" -o json_output=true \
	-o file_output.enabled=true -o "file_output.filename=$TMP/alerts.ka" -o file_output.keep_alive=true \
	-o program_output.enabled=true -o "program_output.program=cat >> $TMP/program.out" \
	-o http_output.enabled=true -o "http_output.url=http://127.0.0.1:$PORT/" -v \
	|| not_ok "saker starts" "$(cat "$TMP/e")"
cat "$MARK" >/dev/null
wait_for "$TMP/http.out" "marker read" 
kill -TERM $SAKER_PID
wait $SAKER_PID
rc=$?
check "SIGTERM: exit 0" [ $rc -eq 0 ]
python3 - "$TMP/o" "$MARK" <<'P' && ok "stdout: JSON alert, keys and typed fields" || not_ok "stdout JSON" "$(cat "$TMP/o" "$TMP/e")"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 1, lines
a = json.loads(lines[0])
assert set(a) == {"hostname", "output", "output_fields", "priority", "rule", "source", "tags", "time"}
f = a["output_fields"]
assert a["rule"] == "marker read" and a["priority"] == "Warning" and a["tags"] == ["test", "filesystem"]
assert f["fd.name"] == sys.argv[2] and f["proc.name"] == "cat" and isinstance(f["proc.pid"], int)
assert f["user.name"] == "root" and a["output"].startswith("marker read by cat (file=")
P
grep -q '"rule":"marker read"' "$TMP/alerts.ka" && ok "file sink (keep_alive)" || not_ok "file sink (keep_alive)" "$(cat "$TMP/e")"
grep -q '"rule":"marker read"' "$TMP/program.out" && ok "program sink" || not_ok "program sink" "$(cat "$TMP/e")"
python3 -c 'import json,sys; a=json.loads(open(sys.argv[1]).readline()); assert a["rule"]=="marker read" and "output_fields" in a' "$TMP/http.out" \
	&& ok "http sink: JSON POSTed" || not_ok "http sink" "$(cat "$TMP/e")"
grep -q 'http: sent 1, failed 0' "$TMP/e" && ok "-v counts per sink" || not_ok "-v counts per sink" "$(cat "$TMP/e")"
kill $HTTP_PID 2>/dev/null

# failing sinks: HTTP down, program exits at once, file in a missing directory
run_saker "$TMP/o2" "$TMP/e2" -r "$TMP/r.yaml" \
	-o file_output.enabled=true -o "file_output.filename=$TMP/no/such/dir/alerts" -o file_output.keep_alive=false \
	-o program_output.enabled=true -o "program_output.program=exit 0" -o program_output.keep_alive=true \
	-o http_output.enabled=true -o "http_output.url=http://127.0.0.1:9/" -v \
	|| not_ok "saker starts (failing sinks)" "$(cat "$TMP/e2")"
cat "$MARK" >/dev/null
wait_for "$TMP/o2" "marker read"
sleep 1
cat "$MARK" >/dev/null
sleep 1.5
kill -INT $SAKER_PID
wait $SAKER_PID
n=$(grep -c 'Warning marker read by cat' "$TMP/o2")
[ "$n" -eq 2 ] && ok "failing sinks: capture and stdout go on ($n alerts)" || not_ok "failing sinks: stdout" "$(cat "$TMP/o2" "$TMP/e2")"
grep -q 'file output: cannot open' "$TMP/e2" && grep -Eq 'file: sent 0, failed [1-9]' "$TMP/e2" && ok "file in a missing directory: logged and counted" || not_ok "file failure" "$(cat "$TMP/e2")"
grep -Eq 'http: sent 0, failed [1-9]' "$TMP/e2" && ok "HTTP endpoint down: counted" || not_ok "http failure" "$(cat "$TMP/e2")"
grep -Eq 'program: sent [0-9]+, failed [0-9]+' "$TMP/e2" && ok "program that exits: counted" || not_ok "program failure" "$(cat "$TMP/e2")"

# syslog: when no syslog daemon owns /dev/log, listen there ourselves
SYSLOG_OPTS=
if [ ! -e /dev/log ] && [ "$(id -u)" = 0 ]; then
	fake_syslog "$TMP/syslog.out" 30
	wait_for_sock() { for _ in $(seq 1 50); do [ -S /dev/log ] && return 0; sleep 0.1; done; return 1; }
	wait_for_sock && SYSLOG_OPTS="-o syslog_output.enabled=true"
else
	echo "skip - syslog sink: /dev/log belongs to a running syslog daemon"
fi

# SIGHUP picks up a new rules file; a broken one keeps the old rules
cp "$TMP/r.yaml" "$TMP/hup.yaml"
run_saker "$TMP/o3" "$TMP/e3" -r "$TMP/hup.yaml" -o file_output.enabled=true \
	-o "file_output.filename=$TMP/alerts.nka" -o file_output.keep_alive=false $SYSLOG_OPTS || not_ok "saker starts (SIGHUP)" "$(cat "$TMP/e3")"
sed 's/marker read by/RELOADED marker read by/' "$TMP/r.yaml" >"$TMP/hup.yaml"
kill -HUP $SAKER_PID
wait_for "$TMP/e3" "reloaded"
cat "$MARK" >/dev/null
wait_for "$TMP/o3" "RELOADED"
printf 'broken: [' >"$TMP/hup.yaml"
kill -HUP $SAKER_PID
wait_for "$TMP/e3" "keeping the old rules"
cat "$MARK" >/dev/null
sleep 1
kill -TERM $SAKER_PID
wait $SAKER_PID
[ "$(grep -c RELOADED "$TMP/o3")" -eq 2 ] && ok "SIGHUP: new rules loaded; a broken reload keeps them" || not_ok "SIGHUP reload" "$(cat "$TMP/o3" "$TMP/e3")"
[ "$(grep -c 'marker read' "$TMP/alerts.nka")" -eq 2 ] && ok "file sink (reopened per alert)" || not_ok "file sink keep_alive=false" "$(cat "$TMP/e3")"
if [ -n "$SYSLOG_OPTS" ]; then
	sleep 0.5
	grep -q 'RELOADED marker read by cat' "$TMP/syslog.out" && ok "syslog sink (local /dev/log socket)" || not_ok "syslog sink" "$(cat "$TMP/syslog.out")"
	kill $SYSLOG_PID 2>/dev/null
	rm -f /dev/log
fi

# sakerdump filter and format, live
# -v says when the programs are attached; the duration counts from then
"$BUILD/sakerdump" -v -M 4 -p '%evt.num %proc.name %proc.pname %fd.name' "evt.type=openat and proc.name=cat and fd.name=$MARK" >"$TMP/d" 2>"$TMP/d.err" &
DP=$!
wait_for "$TMP/d.err" "loaded and attached" || not_ok "sakerdump starts" "$(cat "$TMP/d.err")"
cat "$MARK" >/dev/null
wait $DP
grep -Eq "^[0-9]+ cat [a-z]+ $MARK\$" "$TMP/d" && [ "$(wc -l <"$TMP/d")" -eq 1 ] && ok "sakerdump: filter and -p format live" || not_ok "sakerdump filter" "$(cat "$TMP/d" "$TMP/d.err")"

# processes that started before the sensor are resolved from /proc
# (the shell reads once sakerdump is attached: a fixed sleep lost the race
# against a slow program load on a loaded machine)
sh -c "while [ ! -e '$TMP/pre.go' ]; do sleep 0.1; done; cat $MARK >/dev/null" &
OLD=$!
sleep 0.5
"$BUILD/sakerdump" -v -M 5 -p '%proc.name %proc.pname %proc.ppid %proc.aname[2] %fd.name' "evt.type=openat and proc.name=cat and fd.name=$MARK" >"$TMP/pre" 2>"$TMP/pre.err" &
DP=$!
wait_for "$TMP/pre.err" "loaded and attached" 300 || not_ok "sakerdump starts (pre-existing process)" "$(cat "$TMP/pre.err")"
touch "$TMP/pre.go"
wait $OLD
wait $DP
grep -Eq "^cat sh $OLD [^ ]+ $MARK\$" "$TMP/pre" && ok "pre-existing parent resolved from /proc (pname, ppid, aname[2])" || not_ok "pre-existing process" "$(cat "$TMP/pre" "$TMP/pre.err")"

# a rule on a syscall with no event of its own (sync): saker captures it as a
# generic event and the rule fires, with evt.type naming the syscall
cat >"$TMP/g.yaml" <<'Y'
- rule: sync called
  desc: d
  condition: evt.type = sync and proc.name = sync
  output: "sync by %proc.name type=%evt.type"
  priority: NOTICE
Y
run_saker "$TMP/g.out" "$TMP/g.err" -r "$TMP/g.yaml" || not_ok "saker starts (generic rule)" "$(cat "$TMP/g.err")"
sync
wait_for "$TMP/g.out" "sync by"
kill -TERM $SAKER_PID
wait $SAKER_PID
grep -q "Notice sync by sync type=sync" "$TMP/g.out" && ok "rule on a generic syscall (sync) fires live" || not_ok "generic syscall rule" "$(cat "$TMP/g.out" "$TMP/g.err")"
