#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Live end to end (issue 15): saker with the default config and rules pinned
# to CPU 1, the openat+close loop (bench/loop.c) pinned to CPU 0. Per round:
# events committed by the kernel while the loop ran (saker's own counters
# map) and per second of the loop, drops (saker -v's Kernel line at exit),
# saker's CPU time per event (every thread's sum_exec_runtime from
# /proc/PID/task/*/schedstat, ns, over the loop window, divided by the
# events committed in that window), and once per build RSS after a minute
# (VmRSS, RssAnon, RssFile). Then what the rings cost: saker idle, 5 s, per
# ring size preset (Falco's buf_size_preset N = 2^(N-1) MiB per CPU).
# Rounds alternate builds when OLD (a build directory) is given.
# Environment: BUILD (build), OLD, ROUNDS (2), LIVE_N (loop pairs, 1000000),
# RSS_WAIT (seconds before the RSS sample, 60; 0 skips it), PRESETS ("4 3 2";
# empty skips them). Needs bpftool, jq.
set -eu
BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-2}
LIVE_N=${LIVE_N:-1000000}
RSS_WAIT=${RSS_WAIT:-60}
PRESETS=${PRESETS-4 3 2}
OUT=$(mktemp -d /tmp/saker-live-bench.XXXXXX)
cleanup() { [ -n "${dp:-}" ] && kill -INT "$dp" 2>/dev/null; rm -rf "$OUT"; }
trap cleanup EXIT
make -s "$BUILD/saker" "$BUILD/bench/loop"
load() { cut -d' ' -f1-3 /proc/loadavg; }
others() { # the dispatcher or its __cast twin (6.2+)
	{ bpftool prog show name sys_exit_dispatch; bpftool prog show name sys_exit_dispatch__cast; } 2>/dev/null |
		grep -c raw_tracepoint || true
}
echo "load average at start: $(load); other sys_exit_dispatch programs attached: $(others)"

own_map() { # $1 pid, $2 name: the process's own map id
	for i in $(grep -h "^map_id:" /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un); do
		[ "$(bpftool -j map show id "$i" | jq -r .name)" = "$2" ] && { echo "$i"; return; }
	done
}
sent() { # $1 counters map id: events_sent summed over CPUs
	bpftool -j map dump id "$1" | jq '[.[0].formatted.values[].value.events_sent] | add'
}
cpu_ns() { # $1 pid: run time of all its threads, ns
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'
}
now() { date +%s.%N; }
start_saker() { # $1 build dir, $2 config
	taskset -c 1 "$1/saker" -c "$2" -v -o stdout_output.enabled=false >/dev/null 2>"$OUT/saker.err" &
	dp=$!
	while ! grep -q capturing "$OUT/saker.err" 2>/dev/null; do
		kill -0 "$dp" 2>/dev/null || { cat "$OUT/saker.err"; exit 1; }
		sleep 0.1
	done
	sleep 1
}
stop_saker() { kill -INT "$dp"; wait "$dp" || true; dp=; }

builds=$BUILD
[ -n "${OLD:-}" ] && builds="$OLD $BUILD"
for r in $(seq 1 "$ROUNDS"); do
	for b in $builds; do
		[ "$b" = "$BUILD" ] && n=new || n=base
		t_start=$(now)
		start_saker "$b" saker.yaml
		mid=$(own_map "$dp" counters)
		e0=$(sent "$mid"); c0=$(cpu_ns "$dp"); t0=$(now)
		taskset -c 0 "$BUILD/bench/loop" "$LIVE_N" >/dev/null
		t1=$(now); e1=$(sent "$mid"); c1=$(cpu_ns "$dp")
		rss=
		if [ "$RSS_WAIT" -gt 0 ] && [ "$r" = 1 ]; then
			left=$(awk -v a="$t_start" -v b="$(now)" -v w="$RSS_WAIT" 'BEGIN { d = w - (b - a); print (d > 0 ? d : 0) }')
			sleep "$left"
			rss=$(awk '/^VmRSS|^RssAnon|^RssFile/ {printf "%s %s kB, ", $1, $2}' "/proc/$dp/status")
		fi
		# the consumer drains what the loop left before the Kernel line
		sleep 0.5
		stop_saker
		awk -v n="$n" -v c="$((c1 - c0))" -v t0="$t0" -v t1="$t1" -v ev="$((e1 - e0))" -v rss="$rss" -v w="$RSS_WAIT" '
			/^Kernel:/ { d = $8 + $10 + $12 + $14 }
			/^Events processed:/ { p = $3 }
			END { printf "live %s: %d events committed in %.2f s of loop (every process), %.0f events/s, saker processed %d in all, kernel drops %d, saker CPU %.0f ns per event%s\n",
				n, ev, t1 - t0, ev / (t1 - t0), p, d, c / ev, rss != "" ? "; RSS " w " s after start: " rss : "" }' \
			"$OUT/saker.err"
	done
done

# What the rings cost: idle RSS per preset.
for p in $PRESETS; do
	for b in $builds; do
		[ "$b" = "$BUILD" ] && n=new || n=base
		sed "s/buf_size_preset: .*/buf_size_preset: $p/" saker.yaml >"$OUT/preset.yaml"
		start_saker "$b" "$OUT/preset.yaml"
		sleep 4
		echo "rss $n idle, buf_size_preset $p ($((1 << (p - 1))) MiB per CPU, $(nproc) CPUs): $(awk '/^VmRSS|^RssAnon|^RssFile/ {printf "%s %s kB ", $1, $2}' "/proc/$dp/status")"
		stop_saker
	done
done
echo "load average at end: $(load)"
