# SPDX-License-Identifier: Apache-2.0
# Helpers for end-to-end tests: TAP-like "ok - NAME" / "not ok - NAME" lines.
BUILD=${1:-build}
TMP=$(mktemp -d /tmp/saker-test.XXXXXX)
trap '[ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do echo "    $l"; done; }

# check NAME COMMAND...: ok when the command succeeds
check() {
	_check_name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$_check_name"; else not_ok "$_check_name" "command: $*"; fi
}

# Start sakerdump in the background writing to $1; waits until it is attached.
start_dump() {
	out=$1
	shift
	"$BUILD/sakerdump" "$@" >"$out" 2>"$out.err" &
	DUMP_PID=$!
	# the sensor is attached once it sees events of our own marker process
	for _ in $(seq 1 100); do
		sh -c 'exec cat /dev/null' 2>/dev/null
		grep -q ' < execve .*exe=cat args=/dev/null' "$out" 2>/dev/null && return 0
		kill -0 "$DUMP_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop_dump() {
	kill -INT "$DUMP_PID" 2>/dev/null
	wait "$DUMP_PID"
}
