#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Added cost per syscall, side by side in one run (openat+close loop, pinned
# to CPU 0): no sensor; an empty program on sys_exit (the floor); saker with
# openat/close uninteresting; saker capturing them. Rounds alternate the
# configurations so machine noise hits them alike; medians are reported.
# Then ring throughput: events/s consumed by sakerdump printing to /dev/null.
set -eu
BUILD=${BUILD:-build}
N=${N:-200000}
ROUNDS=${ROUNDS:-7}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
make -s "$BUILD/sakerdump" "$BUILD/bench/floor" "$BUILD/bench/loop" "$BUILD/bench/floor.bpf.o"

run_loop() { taskset -c 0 "$BUILD/bench/loop" "$N"; }

with_floor() {
	"$BUILD/bench/floor" "$BUILD/bench/floor.bpf.o" >"$OUT/floor.out" &
	fp=$!
	while ! grep -q attached "$OUT/floor.out" 2>/dev/null; do sleep 0.05; done
	run_loop
	kill $fp; wait $fp || true
}

with_saker() { # $1: --syscalls list
	taskset -c 1 "$BUILD/sakerdump" --syscalls "$1" >/dev/null 2>"$OUT/dump.err" &
	dp=$!
	sleep 1.5
	run_loop
	kill -INT $dp; wait $dp || true
}

for r in $(seq 1 "$ROUNDS"); do
	run_loop >>"$OUT/none"
	with_floor >>"$OUT/floor"
	with_saker execve >>"$OUT/unint"
	with_saker openat,close >>"$OUT/capt"
done
med() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
none=$(med "$OUT/none"); floor=$(med "$OUT/floor"); unint=$(med "$OUT/unint"); capt=$(med "$OUT/capt")
echo "ns per openat+close iteration (median of $ROUNDS rounds x $N iterations):"
echo "  no sensor:            $none"
echo "  empty sys_exit prog:  $floor"
echo "  saker, uninteresting: $unint"
echo "  saker, capturing:     $capt"
awk -v n="$none" -v f="$floor" -v u="$unint" -v c="$capt" 'BEGIN {
	fa = f - n; ua = u - n; ca = c - n;
	printf "added ns per iteration: floor %.1f, uninteresting %.1f, capturing %.1f\n", fa, ua, ca;
	if (fa > 0) printf "uninteresting / floor added cost: %.2fx (target <= 1.25x)\n", ua / fa;
}'

# Throughput: a tight loop on CPU 0, sakerdump on CPU 1 printing to /dev/null.
taskset -c 1 "$BUILD/sakerdump" -v --syscalls openat,close >/dev/null 2>"$OUT/tp.err" &
dp=$!
sleep 1.5
t0=$(date +%s.%N)
taskset -c 0 "$BUILD/bench/loop" 2000000 >/dev/null
t1=$(date +%s.%N)
kill -INT $dp; wait $dp || true
awk -v t0="$t0" -v t1="$t1" -F'[ ,]+' '/^events:/ {p=$7} /^drops:/ {d=$3+$5+$7} END {
	printf "throughput: %d events printed in %.2f s = %.0f events/s, drops %d\n", p, t1 - t0, p / (t1 - t0), d }' "$OUT/tp.err"

# Per-invocation cost from the kernel's own BPF run-time statistics: the
# dispatcher (uninteresting syscall) against the empty program, same run.
sysctl -qw kernel.bpf_stats_enabled=1
taskset -c 1 "$BUILD/sakerdump" --syscalls execve >/dev/null 2>&1 &
dp=$!
"$BUILD/bench/floor" "$BUILD/bench/floor.bpf.o" >"$OUT/floor.out" &
fp=$!
sleep 2
taskset -c 0 "$BUILD/bench/loop" "$N" >/dev/null
bpftool prog show | awk '/name (floor_sys_exit|sys_exit_dispatch)/ {
	for (i = 1; i <= NF; i++) { if ($i == "name") n = $(i+1); if ($i == "run_time_ns") t = $(i+1); if ($i == "run_cnt") c = $(i+1) }
	if (c > 0) printf "bpf run time per invocation: %s %.1f ns (%d runs)\n", n, t / c, c }'
kill -INT $dp; kill $fp; wait $dp $fp || true
sysctl -qw kernel.bpf_stats_enabled=0
