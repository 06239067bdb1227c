#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The libFuzzer targets (rules loader, condition parser, capture reader,
# config loader, raw kernel events through the per-event path):
# every saved fixture replays without a crash, then a short run from the seed
# corpus (new inputs go to a temporary directory, not the tree).
# By default the run is reproducible: a fixed seed and a fixed number of
# inputs (about 10 s each here), so CI sees what a developer sees. For a
# random campaign set SAKER_FUZZ_SECONDS (e.g. 600): a random seed, that long.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
runs_of() { case $1 in rules) echo 2500 ;; cond) echo 40000 ;; scap) echo 1800 ;; config) echo 150000 ;; event) echo 30000 ;; esac; }
for t in rules cond scap config event; do
	f="$(cd "$BUILD" && pwd)/fuzz/fuzz_$t"
	if [ ! -x "$f" ]; then
		echo "skip - fuzz_$t: not built (sanitizer builds skip the fuzzers)"
		continue
	fi
	fix="$ROOT/tests/fuzz/fixtures/$t"
	if [ -d "$fix" ] && [ -n "$(ls "$fix")" ]; then
		"$f" "$fix"/* >"$TMP/$t.fix.log" 2>&1 && ok "fuzz_$t: fixtures replay cleanly" || not_ok "fuzz_$t: fixtures" "$(tail -5 "$TMP/$t.fix.log")"
	fi
	mkdir -p "$TMP/corpus-$t"
	if [ -n "${SAKER_FUZZ_SECONDS:-}" ]; then
		bound="-max_total_time=$SAKER_FUZZ_SECONDS"
	else
		bound="-seed=1 -runs=$(runs_of $t)"
	fi
	# shellcheck disable=SC2086 # $bound is two options
	(cd "$TMP" && "$f" $bound -timeout=10 -rss_limit_mb=2048 "$TMP/corpus-$t" "$ROOT/tests/fuzz/corpus/$t") >"$TMP/$t.log" 2>&1
	if [ $? -eq 0 ]; then
		ok "fuzz_$t: $bound without a crash ($(grep -o 'Done [0-9]* runs in [0-9]* second' "$TMP/$t.log"))"
	else
		not_ok "fuzz_$t" "$(grep -A5 'ERROR' "$TMP/$t.log" | head -12)"
		cp "$TMP"/crash-* "$TMP"/timeout-* "$TMP"/leak-* /tmp/ 2>/dev/null
	fi
done
