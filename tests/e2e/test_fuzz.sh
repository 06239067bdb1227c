#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The libFuzzer targets (rules loader, condition parser, capture reader):
# every saved fixture replays without a crash, then a short bounded run from
# the seed corpus (new inputs go to a temporary directory, not the tree).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${SAKER_FUZZ_SECONDS:-10}
for t in rules cond scap; do
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
	(cd "$TMP" && "$f" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 "$TMP/corpus-$t" "$ROOT/tests/fuzz/corpus/$t") >"$TMP/$t.log" 2>&1
	if [ $? -eq 0 ]; then
		ok "fuzz_$t: $SECS s without a crash ($(grep -o 'Done [0-9]* runs' "$TMP/$t.log"))"
	else
		not_ok "fuzz_$t" "$(grep -A5 'ERROR' "$TMP/$t.log" | head -12)"
		cp "$TMP"/crash-* "$TMP"/timeout-* "$TMP"/leak-* /tmp/ 2>/dev/null
	fi
done
