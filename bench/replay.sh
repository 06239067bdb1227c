#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Replay rate: record a capture of at least 5 million events from a busy
# workload (openat/close loop plus process churn) with sakerdump -w, then
# time, side by side on the same file, pinned to one core:
#   A. saker -e with the upstream Falco ruleset, restricted to the rules
#      sysdig 0.29 can parse, against sysdig -r with the equivalent filter:
#      those rules' expanded conditions (saker -l, macros, lists and
#      exceptions inlined) joined with "or";
#   B. one rule against the same condition as a sysdig filter;
#   C. saker -e with the whole upstream ruleset (no sysdig equivalent).
# Both sides of A and B must report the same number of matching events.
# The capture stays out of git (it is written under /tmp and removed).
# CAPTURE=file reuses an existing capture instead of recording one.
set -eu
BUILD=${BUILD:-build}
N=${N:-2600000}
ROUNDS=${ROUNDS:-3}
COMPAT=${COMPAT:-../shared/compat/falco_rules.yaml}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
make -s "$BUILD/sakerdump" "$BUILD/saker" "$BUILD/bench/loop"

# --- the capture
if [ -n "${CAPTURE:-}" ]; then
	ln -s "$(realpath "$CAPTURE")" "$OUT/big.scap"
else
	"$BUILD/sakerdump" --syscalls openat,close,execve,clone,fork,vfork -w "$OUT/big.scap" --no-compress >/dev/null 2>"$OUT/dump.err" &
	dp=$!
	sleep 2
	( for i in $(seq 1 200); do /bin/true; cat /etc/shadow >/dev/null; done ) &
	churn=$!
	taskset -c 0 "$BUILD/bench/loop" "$N" >/dev/null
	wait $churn
	sleep 1
	kill -INT $dp
	wait $dp || true
fi
events=$("$BUILD/sakerdump" -r "$OUT/big.scap" -v 2>&1 >/dev/null | sed -nE 's/^events: read ([0-9]+).*/\1/p')
echo "capture: $events events, $(du -hL "$OUT/big.scap" | cut -f1)"

# --- the rules sysdig can parse, and their equivalent filter
"$BUILD/saker" -r "$COMPAT" -L 2>/dev/null | grep -v '^    ' | grep -v '^$' >"$OUT/names"
: >"$OUT/disable.yaml"
filter=""
kept=0
while read -r name; do
	cond=$("$BUILD/saker" -r "$COMPAT" -l "$name" 2>/dev/null | sed -n 's/^    expanded condition: //p')
	if sysdig -r ../shared/captures/empty.scap "$cond" >/dev/null 2>"$OUT/why"; then
		filter="${filter:+$filter or }($cond)"
		kept=$((kept + 1))
	else
		echo "  left out of A (sysdig 0.29: $(head -c 80 "$OUT/why")): $name"
		printf -- '- rule: "%s"\n  enabled: false\n  override:\n    enabled: replace\n' "$name" >>"$OUT/disable.yaml"
	fi
done <"$OUT/names"
echo "A: $kept of $(wc -l <"$OUT/names") upstream rules"
one_rule="Read sensitive file untrusted"
one=$("$BUILD/saker" -r "$COMPAT" -l "$one_rule" | sed -n 's/^    expanded condition: //p')
printf -- '- rule: one\n  desc: d\n  condition: %s\n  output: o\n  priority: WARNING\n' "$one" >"$OUT/one.yaml"

run_saker() { # args...; prints seconds, leaves alerts in $OUT/s.out
	t0=$(date +%s.%N)
	taskset -c 0 "$BUILD/saker" -o json_output=false "$@" -e "$OUT/big.scap" >"$OUT/s.out" 2>/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
run_sysdig() { # filter; prints seconds, leaves matches in $OUT/d.out
	t0=$(date +%s.%N)
	taskset -c 0 sysdig -r "$OUT/big.scap" -p '%evt.num' "$1" >"$OUT/d.out" 2>/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
alerts() { wc -l <"$OUT/s.out"; }
ratio() { awk -v e="$events" -v s="$1" -v d="$2" 'BEGIN { printf "saker %.2f s (%.2f M ev/s), sysdig %.2f s (%.2f M ev/s): %.1fx", s, e / s / 1e6, d, e / d / 1e6, d / s }'; }

for r in $(seq 1 "$ROUNDS"); do
	sa=$(run_saker -r "$COMPAT" -r "$OUT/disable.yaml")
	na=$(alerts)
	da=$(run_sysdig "$filter")
	nd=$(wc -l <"$OUT/d.out")
	sb=$(run_saker -r "$OUT/one.yaml")
	nb=$(alerts)
	db=$(run_sysdig "$one")
	ndb=$(wc -l <"$OUT/d.out")
	sc=$(run_saker -r "$COMPAT")
	nc=$(alerts)
	echo "round $r:"
	echo "  A $kept rules vs equivalent filter: $(ratio "$sa" "$da"); matches saker $na, sysdig $nd"
	echo "  B one rule vs its filter:          $(ratio "$sb" "$db"); matches saker $nb, sysdig $ndb"
	awk -v e="$events" -v s="$sc" -v n="$nc" 'BEGIN { printf "  C whole upstream ruleset:          saker %.2f s (%.2f M ev/s), %d alerts\n", s, e / s / 1e6, n }'
done
