#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Output path throughput (bench/output_bench.c) on one core: 500,000 alerts
# to the file sink and to stdout redirected to a file, text and JSON; the
# event thread and the sink thread share CPU ${CPU:-1}. Then the
# unbuffered delivery latency (emit -> bytes in the file). Rounds alternate.
BUILD=${1:-build}
B="$BUILD/bench/output_bench"
N=${N:-500000}
ROUNDS=${ROUNDS:-3}
CPU=${CPU:-1}
T=$(mktemp -d /tmp/saker-output-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
for r in $(seq 1 "$ROUNDS"); do
	for f in text json; do
		taskset -c "$CPU" "$B" file $f "$N" "$T/alerts" 2>&1
		rm -f "$T/alerts"
		taskset -c "$CPU" "$B" stdout $f "$N" - >"$T/stdout" 2>"$T/err"
		cat "$T/err"
		rm -f "$T/stdout"
	done
done
taskset -c "$CPU" "$B" latency "$T/lat"
