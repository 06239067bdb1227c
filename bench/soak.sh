#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Soak: saker live for ${MINUTES:-30} minutes under mixed load (process
# churn, file opens that alert at a steady rate, loopback TCP connects), a
# SIGHUP reload every minute; every 10 s its RSS, CPU time and open fds are
# sampled. Prints a table, then the verdicts: RSS flat after warm-up (the
# last third within 10% of the second third), no fd growth, no crash, and
# alerts delivered + accounted losses = matches.
#   sh bench/soak.sh [BUILD]     (as root; MINUTES=5 for a short run)
BUILD=${1:-build}
MINUTES=${MINUTES:-30}
T=$(mktemp -d /tmp/saker-soak.XXXXXX)
S="$BUILD/saker"
ln -s "$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')" "$T/sk_soak"
cat >"$T/soak.yaml" <<'Y'
- rule: soak read
  desc: the soak load reads /etc/hostname
  condition: evt.type in (open, openat) and fd.name = /etc/hostname and proc.name = sk_soak
  output: "soak read (proc=%proc.name pid=%proc.pid)"
  priority: WARNING
Y
"$S" -r "$T/soak.yaml" -c /dev/null -o stdout_output.enabled=false -o file_output.enabled=true \
	-o "file_output.filename=$T/alerts" -o file_output.keep_alive=true -o json_output=true -v -s "$T/stats" \
	>"$T/out" 2>"$T/err" &
SP=$!
for _ in $(seq 1 100); do grep -q capturing "$T/err" && break; sleep 0.1; done
# load: process churn, 200 alerts/s, loopback connects
( while :; do sh -c 'true'; sleep 0.005; done ) & # about 100 processes a second
L1=$!
"$T/sk_soak" -c '
import os, time
while True:
    for i in range(20): os.close(os.open("/etc/hostname", os.O_RDONLY))
    time.sleep(0.1)' &
L2=$!
python3 -c '
import socket, threading, time
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(64)
port = srv.getsockname()[1]
def acc():
    while True:
        c, _ = srv.accept(); c.close()
threading.Thread(target=acc, daemon=True).start()
while True:
    s = socket.create_connection(("127.0.0.1", port)); s.close(); time.sleep(0.01)' &
L3=$!
clk=$(getconf CLK_TCK)
printf '%6s %10s %10s %6s %10s\n' "t(s)" "rss(KiB)" "cpu(s)" "fds" "alerts"
end=$(( $(date +%s) + MINUTES * 60 ))
t0=$(date +%s)
i=0
while [ "$(date +%s)" -lt "$end" ] && kill -0 $SP 2>/dev/null; do
	sleep 10
	i=$((i + 1))
	[ $((i % 6)) -eq 0 ] && kill -HUP $SP
	rss=$(sed -n 's/^VmRSS:[\t ]*\([0-9]*\) kB/\1/p' /proc/$SP/status)
	cpu=$(awk -v c="$clk" '{ printf "%.1f", ($14 + $15) / c }' /proc/$SP/stat)
	fds=$(ls /proc/$SP/fd | wc -l)
	printf '%6d %10s %10s %6s %10s\n' $(( $(date +%s) - t0 )) "$rss" "$cpu" "$fds" "$(wc -l <"$T/alerts")" | tee -a "$T/samples"
done
alive=no
kill -0 $SP 2>/dev/null && alive=yes
kill $L1 $L2 $L3 2>/dev/null
wait $L1 $L2 $L3 2>/dev/null
kill -TERM $SP
wait $SP
rc=$?
n=$(wc -l <"$T/samples")
awk -v n="$n" 'NR > n / 3 && NR <= 2 * n / 3 { a += $2; na++ } NR > 2 * n / 3 { b += $2; nb++ }
	END { if (na && nb) printf "RSS: second third %.0f KiB, last third %.0f KiB (%+.1f%%)\n", a / na, b / nb, (b / nb - a / na) * 100 / (a / na) }' "$T/samples"
awk 'NR == 2 { f = $4 } END { printf "fds: %d after warm-up, %d at the end\n", f, $4 }' "$T/samples"
hits=$(sed -nE 's/^Events detected: ([0-9]+)$/\1/p' "$T/err") # all alerts (rule hit counts restart at each reload)
lost=$(sed -nE 's/^   soak read: lost ([0-9]+),.*/\1/p' "$T/err")
echo "saker alive to the end: $alive, exit status $rc"
echo "alerts emitted ${hits:-0}, in the file $(grep -c '"rule":"soak read"' "$T/alerts"), lost ${lost:-0}"
echo "reloads: $(grep -c 'reloaded' "$T/err"), kernel: $(grep '^Kernel:' "$T/err")"
rm -rf "$T"
