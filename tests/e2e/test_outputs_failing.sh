#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Failing sinks and their recovery: a full disk (a small tmpfs), a file moved
# or deleted under saker and SIGUSR1, a program that exits or hangs, an HTTP
# endpoint that answers 500, hangs or refuses, syslog unavailable. Each
# incident is logged once with the sink and the error, counted, retried with
# backoff; the alerts wait in the sink's queue, the other sinks go on, and
# when the sink comes back delivery resumes (logged) and nothing is lost.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
hostname_burst sk_fail
burst() { "$TMP/sk_fail" -c "import os
for i in range($1): os.close(os.open('/etc/hostname', os.O_RDONLY))"; }
# wait_lines FILE N: until FILE has N lines matching the rule (10 s)
wait_lines() { for _ in $(seq 1 100); do [ "$(cat "$1" 2>/dev/null | grep -c 'hostname read')" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }
count() { cat "$@" 2>/dev/null | grep -c 'hostname read'; }
start_saker() { # ERR ARGS...
	err=$1
	shift
	"$S" -r "$TMP/burst.yaml" -v "$@" >"$err.out" 2>"$err" &
	SAKER_PID=$!
	wait_for "$err" capturing
}
stop_saker() { kill -TERM $SAKER_PID; wait $SAKER_PID; }
once() { # ERR PATTERN: the pattern is logged exactly once
	[ "$(grep -c "$2" "$1")" -eq 1 ]
}

# ---- 1. file: disk full, then space again; moved away; deleted; SIGUSR1
mkdir -p "$TMP/small"
mount -t tmpfs -o size=256k output-small "$TMP/small" || { not_ok "mount a small tmpfs"; exit 1; }
trap 'umount "$TMP/small" 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT
F="$TMP/small/alerts"
start_saker "$TMP/f.err" -o stdout_output.enabled=true -o file_output.enabled=true -o "file_output.filename=$F" \
	-o file_output.keep_alive=true || not_ok "saker starts (file)" "$(cat "$TMP/f.err")"
burst 10
wait_lines "$F" 10
dd if=/dev/zero of="$TMP/small/filler" bs=4k 2>/dev/null
burst 300
wait_for "$TMP/f.err" "No space left on device"
sleep 1
burst 300
sleep 0.5
rm -f "$TMP/small/filler"
wait_for "$TMP/f.err" "file output: delivering again" 50
wait_lines "$F" 610
once "$TMP/f.err" "file output: cannot write '$F': No space left on device" && grep -q "file output: delivering again after [0-9]* failed attempts" "$TMP/f.err" \
	&& ok "disk full: logged once with the file and the error, delivery resumes when there is space" \
	|| not_ok "disk full logged once and recovered" "$(grep output "$TMP/f.err")"
[ "$(count "$F")" -eq 610 ] && ok "disk full: the 600 alerts that waited reach the file once space is back" || not_ok "no loss over a full disk" "file has $(count "$F")"
[ "$(grep -c 'Warning hostname read' "$TMP/f.err.out")" -eq 610 ] && ok "disk full: stdout went on meanwhile" || not_ok "stdout during the outage" "$(grep -c 'hostname read' "$TMP/f.err.out")"
mv "$F" "$F.1"
burst 5
wait_lines "$F" 5
grep -q "file output: '$F' was moved or deleted: reopening it" "$TMP/f.err" && [ "$(count "$F.1")" -eq 610 ] \
	&& ok "rotated (renamed) file: reopened by name, new alerts in the new file" || not_ok "rename" "$(grep output "$TMP/f.err")" "$(count "$F") $(count "$F.1")"
rm -f "$F"
burst 5
wait_lines "$F" 5
[ "$(count "$F")" -eq 5 ] && ok "deleted file: recreated" || not_ok "deleted file" "$(count "$F")"
kill -USR1 $SAKER_PID
sleep 0.2
burst 5
wait_lines "$F" 10
grep -q "file output: reopening '$F' (SIGUSR1)" "$TMP/f.err" && [ "$(count "$F")" -eq 10 ] && ok "SIGUSR1: the file is reopened" \
	|| not_ok "SIGUSR1 reopen" "$(grep output "$TMP/f.err")"
stop_saker
# 610 in the renamed file, 5 in the file deleted by the test, 10 in the new one
[ "$(count "$F" "$F.1")" -eq 620 ] && grep -Eq '^   file: sent 625, failed 0 .*errors [1-9][0-9]* in 1 incidents' "$TMP/f.err" \
	&& ok "file: every alert delivered once across the files, errors and the incident counted (-v)" \
	|| not_ok "file counters" "$(count "$F" "$F.1") $(grep 'file:' "$TMP/f.err")"
umount "$TMP/small"

# ---- 2. program that exits / hangs, HTTP that answers 500 / hangs / refuses; the file sink goes on
FREE=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo 500 >"$TMP/mode"
python3 "$(dirname "$0")/flaky_http.py" "$TMP/port" "$TMP/http.out" "$TMP/mode" "$FREE" &
HTTP_PID=$!
wait_for "$TMP/port" .
cat >"$TMP/prog.sh" <<'P'
#!/bin/sh
# the first start reads three alerts and exits; the second hangs without reading
n=$(cat "$1.starts" 2>/dev/null || echo 0)
echo $((n + 1)) >"$1.starts"
[ "$n" -eq 1 ] && exec sleep 60
head -n 3 >>"$1"
P
start_saker "$TMP/p.err" -o stdout_output.enabled=false -o file_output.enabled=true -o "file_output.filename=$TMP/p.file" \
	-o program_output.enabled=true -o program_output.keep_alive=true -o "program_output.program=sh $TMP/prog.sh $TMP/prog.out" \
	-o http_output.enabled=true -o "http_output.url=http://127.0.0.1:$FREE/" || not_ok "saker starts (program, http)" "$(cat "$TMP/p.err")"
for i in 1 2 3 4 5; do burst 2; sleep 0.3; done
wait_for "$TMP/p.err" "http output: POST .* failed: HTTP status 500"
echo ok >"$TMP/mode"
wait_lines "$TMP/http.out" 10
grep -q "http output: delivering again" "$TMP/p.err" && once "$TMP/p.err" "HTTP status 500" \
	&& ok "http 500: logged once, alerts kept and delivered when it answers again ($(count "$TMP/http.out"))" || not_ok "http 500" "$(grep output "$TMP/p.err")"
grep -q "program output: 'sh $TMP/prog.sh $TMP/prog.out' does not take input (exited?)" "$TMP/p.err" \
	&& grep -q "program output: delivering again" "$TMP/p.err" && ok "program that exits: logged, restarted with backoff, delivery resumes" \
	|| not_ok "program exits" "$(grep output "$TMP/p.err")"
echo hang >"$TMP/mode"
burst 3000
wait_for "$TMP/p.err" "has not read its input for 5000 ms" 120
wait_for "$TMP/p.err" "http output: POST .* failed: Timeout" 120
[ "$(count "$TMP/p.file")" -eq 3010 ] && ok "a hung program and a hung endpoint: the file sink got every alert meanwhile" \
	|| not_ok "other sinks go on" "file has $(count "$TMP/p.file")"
grep -q "program output: 'sh $TMP/prog.sh $TMP/prog.out' has not read its input for 5000 ms (hung?): killed" "$TMP/p.err" \
	&& ok "program that hangs: killed after 5 s, logged" || not_ok "program hangs" "$(grep output "$TMP/p.err")"
kill $HTTP_PID
wait $HTTP_PID 2>/dev/null
echo ok >"$TMP/mode"
wait_for "$TMP/p.err" "Couldn't connect to server" 100
python3 "$(dirname "$0")/flaky_http.py" "$TMP/port2" "$TMP/http.out" "$TMP/mode" "$FREE" &
HTTP_PID=$!
wait_lines "$TMP/http.out" 3010
[ "$(count "$TMP/http.out")" -eq 3010 ] && grep -q "Timeout was reached" "$TMP/p.err" \
	&& ok "http that hangs, then refuses, then is back: every alert POSTed once in the end (3010)" || not_ok "http recovery" "$(count "$TMP/http.out") $(grep output "$TMP/p.err")"
stop_saker
kill $HTTP_PID 2>/dev/null
p_sent=$(sed -nE 's/^   program: sent ([0-9]+), failed ([0-9]+) .*/\1 \2/p' "$TMP/p.err")
grep -Eq '^   http: sent 3010, failed 0 .*errors [1-9][0-9]* in [2-9] incidents' "$TMP/p.err" && [ -n "$p_sent" ] \
	&& ok "-v counts sends, failures, errors and incidents per sink (program: $p_sent)" || not_ok "-v counters" "$(grep -A6 '^Outputs' "$TMP/p.err")"

# ---- 3. syslog unavailable, then available
if [ -e /dev/log ]; then
	echo "skip - syslog unavailable: /dev/log exists (a syslog daemon owns it)"
else
	start_saker "$TMP/s.err" -o stdout_output.enabled=false -o syslog_output.enabled=true || not_ok "saker starts (syslog)"
	burst 3
	wait_for "$TMP/s.err" "syslog output: cannot reach '/dev/log'"
	fake_syslog "$TMP/syslog.out" 15
	SL=$SYSLOG_PID
	wait_lines "$TMP/syslog.out" 3
	burst 2
	wait_lines "$TMP/syslog.out" 5
	stop_saker
	kill $SL 2>/dev/null
	rm -f /dev/log
	once "$TMP/s.err" "syslog output: cannot reach '/dev/log': " && grep -q "syslog output: delivering again" "$TMP/s.err" \
		&& [ "$(count "$TMP/syslog.out")" -eq 5 ] && grep -q '^<12>.* saker\[[0-9]*\]: .*Warning hostname read' "$TMP/syslog.out" \
		&& ok "syslog unavailable: logged once, the 3 waiting alerts and the next 2 delivered when /dev/log appears" \
		|| not_ok "syslog" "$(grep output "$TMP/s.err")" "$(cat "$TMP/syslog.out")"
fi
