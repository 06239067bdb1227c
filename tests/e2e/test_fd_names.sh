#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fd.sip.name and friends with Falco's meaning: a name a rule compares the
# field with is resolved in the background, and a connection to one of its
# addresses matches. Names resolve ONLY through a test hosts file: saker
# runs in a private mount namespace where /etc/hosts is the test's and
# /etc/nsswitch.conf says "hosts: files", so no query ever leaves the
# machine. With name_resolution.enabled=false the rule never matches.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
command -v unshare >/dev/null || { echo "skip - fd names (no unshare)"; exit 0; }

printf '127.0.0.1 localhost\n127.0.0.55 fields2-test.example\n' >"$TMP/hosts"
printf 'hosts: files\n' >"$TMP/nsswitch.conf"
printf 'nameserver 127.0.0.1\n' >"$TMP/resolv.conf"
cat >"$TMP/names.yaml" <<'Y'
- rule: fields2 named server
  desc: a connect to an address of a watched name
  condition: evt.type = connect and evt.dir = < and fd.sip.name = fields2-test.example
  output: "named (sip=%fd.sip sip_name=%fd.sip.name rip_name=%fd.rip.name lip_name=%fd.lip.name cip_name=%fd.cip.name)"
  priority: WARNING
- rule: fields2 unknown name
  desc: a name the hosts file does not have never matches
  condition: evt.type = connect and evt.dir = < and fd.sip.name in (missing-fields2.invalid)
  output: "unknown name matched (sip=%fd.sip)"
  priority: WARNING
Y

# a server on 127.0.0.55 (loopback: any 127/8 address is local)
python3 -c "
import socket
s = socket.socket(); s.bind(('127.0.0.55', 0)); s.listen(64)
open('$TMP/port', 'w').write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept(); c.close()
" &
SRV=$!
for _ in $(seq 1 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port")

wait_for() { for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# run_saker NAME ARGS...: saker in its own mount namespace with the test's name files
run_saker() {
	name=$1
	shift
	unshare -m --propagation private sh -c "mount --bind '$TMP/hosts' /etc/hosts &&
		mount --bind '$TMP/nsswitch.conf' /etc/nsswitch.conf &&
		mount --bind '$TMP/resolv.conf' /etc/resolv.conf &&
		exec '$S' -r '$TMP/names.yaml' -o stdout_output.enabled=true -v $*" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	SAKER_PID=$!
	wait_for "$TMP/$name.err" capturing
}

# connect_until NAME: connect to the server every 0.2 s until an alert shows (10 s at most)
connect_until() {
	for _ in $(seq 1 50); do
		python3 -c "import socket; socket.create_connection(('127.0.0.55', $PORT)).close()"
		grep -q 'named (' "$TMP/$1.out" && return 0
		sleep 0.2
	done
	return 1
}

if run_saker on; then
	connect_until on
	line=$(grep 'named (' "$TMP/on.out" | head -1)
	echo "$line" | grep -q "sip=127.0.0.55 sip_name=fields2-test.example rip_name=fields2-test.example lip_name=<NA> cip_name=<NA>)" &&
		ok "fd.sip.name = NAME matches a connect to its address (hosts file); the names print" ||
		not_ok "fd.sip.name = NAME matches a connect to its address" "$line" "$(tail -3 "$TMP/on.err")"
	grep -q 'unknown name matched' "$TMP/on.out" && not_ok "a name the hosts file lacks never matches" ||
		ok "a name the hosts file lacks never matches"
	kill "$SAKER_PID"; wait "$SAKER_PID" 2>/dev/null
else
	not_ok "saker starts in its own mount namespace" "$(tail -3 "$TMP/on.err")"
fi

if run_saker off -o name_resolution.enabled=false; then
	connect_until off && not_ok "name_resolution.enabled=false: nothing is resolved" "$(grep 'named (' "$TMP/off.out" | head -1)" ||
		ok "name_resolution.enabled=false: nothing is resolved, the rule never matches"
	kill "$SAKER_PID"; wait "$SAKER_PID" 2>/dev/null
else
	not_ok "saker starts with name_resolution.enabled=false" "$(tail -3 "$TMP/off.err")"
fi
kill "$SRV" 2>/dev/null
# the host's own files were never touched
grep -q fields2-test /etc/hosts && not_ok "the host /etc/hosts is untouched" || ok "the host /etc/hosts is untouched"
