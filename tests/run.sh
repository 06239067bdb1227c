#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every test: cmocka unit binaries (build/tests/test_*) and end-to-end
# scripts (tests/e2e/test_*.sh, which print "ok - NAME" / "not ok - NAME").
# Ends with one line: "N passed, N failed"; exits non-zero on any failure.
BUILD=${1:-build}
pass=0
fail=0
skip=0
log=$(mktemp)
suite_t0=$(date +%s)
only=${SAKER_TESTS:-}
# SAKER_TESTS / SAKER_TESTS_SKIP: extended regular expressions (grep -E, so
# "test_rules|test_fields" works) matched against each test's path: the tests
# to run / not to run (each one skipped is reported as skipped)
skip_re=${SAKER_TESTS_SKIP:-}

unselected() { # $1 = test path
	[ -n "$only" ] && ! echo "$1" | grep -Eq "$only"
}

skipped() { # $1 = test path
	[ -n "$skip_re" ] && echo "$1" | grep -Eq "$skip_re" || return 1
	echo "skip: $(basename "$1") (SAKER_TESTS_SKIP)"
	skip=$((skip + 1))
}

count() { # $1 = ok count, $2 = failure count
	pass=$((pass + $1))
	fail=$((fail + $2))
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.sh) continue ;; esac
	unselected "$t" && continue
	skipped "$t" && continue
	t0=$(date +%s)
	CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log")
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log")
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL: $(basename "$t") ${secs}s"
		grep -E 'FAILED|ERROR|error|Assert|Segmentation|Sanitizer' "$log" | head -20 | sed 's/^/    /'
	else
		echo "ok:   $(basename "$t") ($p) ${secs}s"
	fi
	count "$p" "$f"
done

for s in tests/e2e/test_*.sh; do
	[ -f "$s" ] || continue
	unselected "$s" && continue
	skipped "$s" && continue
	t0=$(date +%s)
	sh "$s" "$BUILD" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	p=$(grep -c '^ok - ' "$log")
	k=$(grep -c '^skip - ' "$log")
	skip=$((skip + k))
	grep '^skip - ' "$log" | sed 's/^/    /'
	f=$(grep -c '^not ok - ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "    $(basename "$s") exited $rc without a failing check:"
		tail -5 "$log" | sed 's/^/    /'
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL: $(basename "$s") ($p ok, $f failed) ${secs}s"
		grep -A3 '^not ok - ' "$log" | head -40 | sed 's/^/    /'
	else
		echo "ok:   $(basename "$s") ($p) ${secs}s"
	fi
	count "$p" "$f"
done
rm -f "$log"
echo "suite time: $(($(date +%s) - suite_t0))s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
