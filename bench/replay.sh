#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Replay rate: record a capture of at least 5 million events from a busy
# workload (openat/close loop plus process churn) with sakerdump -w, then
# time, side by side on the same file: saker -e with the upstream Falco
# ruleset, and sysdig -r with an equivalent filter. The capture stays out of
# git (it is written under /tmp and removed).
set -eu
BUILD=${BUILD:-build}
N=${N:-2600000}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
make -s "$BUILD/sakerdump" "$BUILD/saker" "$BUILD/bench/loop"
"$BUILD/sakerdump" --syscalls openat,close,execve,clone,fork,vfork -w "$OUT/big.scap" --no-compress >/dev/null 2>"$OUT/dump.err" &
dp=$!
sleep 2
( for i in $(seq 1 200); do /bin/true; done ) &
churn=$!
taskset -c 0 "$BUILD/bench/loop" "$N" >/dev/null
wait $churn
sleep 1
kill -INT $dp
wait $dp || true
events=$("$BUILD/sakerdump" -r "$OUT/big.scap" -v 2>&1 >/dev/null | sed -nE 's/^events: read ([0-9]+).*/\1/p')
echo "capture: $events events, $(du -h "$OUT/big.scap" | cut -f1)"
COMPAT=${COMPAT:-../shared/compat/falco_rules.yaml}
for r in 1 2 3; do
	t0=$(date +%s.%N)
	taskset -c 0 "$BUILD/saker" -r "$COMPAT" -e "$OUT/big.scap" >/dev/null 2>&1
	t1=$(date +%s.%N)
	taskset -c 0 sysdig -r "$OUT/big.scap" "evt.type in (open, openat, openat2) and fd.name startswith /etc/shadow and not proc.name in (sshd, sudo)" >/dev/null 2>&1
	t2=$(date +%s.%N)
	awk -v e="$events" -v a="$t0" -v b="$t1" -v c="$t2" -v r=$r 'BEGIN {
		printf "round %d: saker -e + upstream rules %.2f s (%.0f ev/s); sysdig -r + filter %.2f s (%.0f ev/s); saker %.1fx\n",
			r, b - a, e / (b - a), c - b, e / (c - b), (c - b) / (b - a) }'
done
