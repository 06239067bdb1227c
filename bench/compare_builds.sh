#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Two builds side by side, pinned to one core, rounds alternating old/new so
# the machine's slow and fast phases hit both: rules_bench (state only, and
# state + rules, with the upstream and the default ruleset) and the replay
# of one capture through saker -e with the whole upstream ruleset.
# Usage: OLD=/copy/of/main/build NEW=build [ROUNDS=5] [CAPTURE=file] sh bench/compare_builds.sh
# Without CAPTURE a 1 M-event capture (openat/close loop and process churn)
# is recorded with OLD's sakerdump under /tmp and removed after.
set -eu
OLD=${OLD:?OLD=path of the previous build (a build/ folder)}
NEW=${NEW:-build}
ROUNDS=${ROUNDS:-5}
N=${N:-500000}
COMPAT=$(realpath "${COMPAT:-../shared/compat/falco_rules.yaml}")
DEFAULT=$(realpath rules/saker_rules.yaml)
OUT=$(mktemp -d /tmp/saker-compare.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

if [ -n "${CAPTURE:-}" ]; then
	ln -s "$(realpath "$CAPTURE")" "$OUT/cap.scap"
else
	"$OLD/sakerdump" --syscalls openat,close,execve,clone,fork,vfork -w "$OUT/cap.scap" --no-compress >/dev/null 2>&1 &
	dp=$!
	sleep 2
	( for i in $(seq 1 100); do /bin/true; cat /etc/hostname >/dev/null; done ) &
	taskset -c 0 "$OLD/bench/loop" "$N" >/dev/null
	wait $!
	sleep 1
	kill -INT $dp
	wait $dp || true
fi
events=$("$NEW/sakerdump" -r "$OUT/cap.scap" -v 2>&1 >/dev/null | sed -nE 's/^events: read ([0-9]+).*/\1/p')
echo "capture: $events events"

bench() { # build rules: "state ev/s, rules ev/s"
	taskset -c 0 "$1/bench/rules_bench" "$2" 1 2>/dev/null |
		sed -nE 's/^round 1: .*state only ([0-9]+) ev\/s, state \+ rules ([0-9]+) ev\/s.*/\1 \2/p'
}
replay() { # build: seconds and alert count
	t0=$(date +%s.%N)
	taskset -c 0 "$1/saker" -o json_output=false -r "$COMPAT" -e "$OUT/cap.scap" >"$OUT/alerts" 2>/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v n="$(wc -l <"$OUT/alerts")" -v e="$events" \
		'BEGIN { printf "%.3f s %.2f M ev/s %d alerts", b - a, e / (b - a) / 1e6, n }'
}

for r in $(seq 1 "$ROUNDS"); do
	for b in old new; do
		[ $b = old ] && dir=$OLD || dir=$NEW
		up=$(bench "$dir" "$COMPAT")
		df=$(bench "$dir" "$DEFAULT")
		rp=$(replay "$dir")
		echo "round $r $b: upstream state/rules ev/s $up; default state/rules ev/s $df; replay $rp"
	done
done
