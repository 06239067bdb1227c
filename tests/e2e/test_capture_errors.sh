#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Bad input and environment errors of sakerdump: a clear message, non-zero exit.
. "$(dirname "$0")/lib.sh"

# run_expect NAME EXPECTED_RC MESSAGE_REGEX COMMAND...
run_expect() {
	name=$1 want=$2 msg=$3
	shift 3
	"$@" >"$TMP/o" 2>"$TMP/e"
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -Eq "$msg" "$TMP/e"; then
		ok "$name"
	else
		not_ok "$name" "exit $rc (wanted $want), stderr: $(head -3 "$TMP/e")"
	fi
}

run_expect unknown_option 1 "unrecognized option|invalid option" "$BUILD/sakerdump" --no-such-option
run_expect ring_not_power_of_two 1 "impossible ring size 1000" "$BUILD/sakerdump" --ring-bytes 1000 -M 1
run_expect ring_too_big 1 "impossible ring size" "$BUILD/sakerdump" --ring-bytes 4294967296 -M 1
run_expect ring_not_a_number 1 "invalid ring size 'lots'" "$BUILD/sakerdump" --ring-bytes lots
run_expect bad_duration 1 "invalid duration '-3'" "$BUILD/sakerdump" -M -3
run_expect cpus_per_ring_zero 1 "cpus per ring must be between 1 and 4096" "$BUILD/sakerdump" --cpus-per-ring 0
run_expect bad_filter 1 "invalid filter: Undefined macro 'foo' used in filter\." "$BUILD/sakerdump" foo
run_expect unprivileged 2 "CAP_BPF and CAP_PERFMON" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BUILD/sakerdump" -M 1
