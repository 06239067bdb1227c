#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The I/O family live and on replay: known strings written to a file, a pipe
# and a loopback socket (and read back) fire rules on evt.buffer with the
# right fd.name, evt.buflen, evt.is_io_write; -S changes the captured
# length; the I/O syscalls come to a rule that does not name them only with
# -A; -i lists them; -b prints buffers in base64; a -w capture of them reads
# the same in sysdig and sakerdump (evt.buffer, evt.buflen, evt.arg.data),
# in the default form and in the dumps of sysdig -x, -X and -A.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
W="$(dirname "$0")/io_work.py"
MARK="skio$$"
mkdir -p "$TMP/d"

wait_for() {
	for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
# run NAME RULES ARGS...: saker with these rules while the workload runs; alerts in $TMP/NAME.out
run() {
	n=$1 r=$2
	shift 2
	"$S" -r "$r" -o json_output=true "$@" >"$TMP/$n.out" 2>"$TMP/$n.err" &
	sp=$!
	if ! wait_for "$TMP/$n.err" capturing; then
		not_ok "$n: saker starts" "$(cat "$TMP/$n.err")"
		kill $sp 2>/dev/null
		return 1
	fi
	python3 "$W" "$TMP/d" "$MARK" >"$TMP/$n.pid"
	sleep 1
	kill -TERM $sp
	wait $sp
}

# (first match wins, as in Falco: the binary write goes to io bytes)
cat >"$TMP/named.yaml" <<Y
- rule: io bytes
  desc: binary data matched by its bytes in hex
  condition: evt.type = write and evt.dir = < and evt.buffer bcontains 000162696e00
  output: "io bytes (fd=%fd.name buflen=%evt.buflen buf=%evt.buffer)"
  priority: WARNING
- rule: io write
  desc: a marked write
  condition: evt.type = write and evt.dir = < and evt.buffer contains "$MARK"
  output: "io write (fd=%fd.name type=%fd.type buflen=%evt.buflen w=%evt.is_io_write r=%evt.is_io_read io=%evt.is_io dir=%evt.io_dir buf=%evt.buffer)"
  priority: WARNING
- rule: io read
  desc: a marked read
  condition: evt.type = read and evt.dir = < and evt.buffer contains "$MARK"
  output: "io read (fd=%fd.name type=%fd.type buflen=%evt.buflen w=%evt.is_io_write r=%evt.is_io_read dir=%evt.io_dir buf=%evt.buffer)"
  priority: WARNING
Y
cat >"$TMP/any.yaml" <<Y
- rule: anything on the file
  desc: names no event type, so it wants every one
  condition: evt.dir = < and fd.name = $TMP/d/file
  output: "any (type=%evt.type buflen=%evt.buflen buf=%evt.buffer)"
  priority: WARNING
Y

# 1. named rules, default snaplen, and a -w capture
if run named "$TMP/named.yaml" -w "$TMP/cap.scap"; then
	python3 - "$TMP/named.out" "$MARK" "$TMP/d/file" <<'P' >"$TMP/named.check" 2>&1
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
mark, path = sys.argv[2], sys.argv[3]
def find(rule, text):
    for a in alerts:
        f = a["output_fields"]
        if a["rule"] == rule and text in f.get("evt.buffer", ""):
            return f
    raise SystemExit("no %s alert with %r in: %s" % (rule, text, [a["output_fields"] for a in alerts]))
def check(name, cond, f):
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else "\n    " + json.dumps(f)))
f = find("io write", mark + "-file")
check("write to a file: fd.name, evt.buflen, evt.is_io_write, evt.io_dir", f["fd.name"] == path and
      f["evt.buflen"] == len(mark) + 5 and f["evt.is_io_write"] is True and f["evt.is_io_read"] is False and
      f["evt.is_io"] is True and f["evt.io_dir"] == "write" and f["evt.buffer"] == mark + "-file", f)
f = find("io write", mark + "-long")
check("a long write: evt.buflen is the whole write, evt.buffer the 80-byte snaplen",
      f["evt.buflen"] == len(mark) + 156 and len(f["evt.buffer"]) == 80, f)
f = find("io write", mark + "-pipe")
check("write to a pipe: fd.type pipe, evt.buflen", f["fd.type"] == "pipe" and f["evt.buflen"] == len(mark) + 5 and
      f["evt.is_io_write"] is True, f)
f = find("io write", mark + "-sock")
check("write to a loopback socket: fd.name is the tuple", f["fd.type"] == "ipv4" and
      f["fd.name"].startswith("127.0.0.1:") and "->127.0.0.1:" in f["fd.name"] and f["evt.buflen"] == len(mark) + 5, f)
b = [x for x in alerts if x["rule"] == "io bytes"]
check("bcontains: the hex bytes 00 01 b i n 00 match the one binary write, printed with dots", len(b) == 1 and
      b[0]["output_fields"]["evt.buflen"] == 9 + len(mark) and b[0]["output_fields"]["evt.buffer"] == "..bin.ary" + mark, b)
f = find("io read", mark + "-file" + mark + "-long")
check("read of a file: fd.name, evt.buflen, evt.is_io_read, 80 bytes", f["fd.name"] == path and
      f["evt.buflen"] == 2 * len(mark) + 161 and f["evt.is_io_read"] is True and f["evt.is_io_write"] is False and
      f["evt.io_dir"] == "read" and len(f["evt.buffer"]) == 80, f)
f = find("io read", mark + "-sock")
check("read of a socket: the accepted end's tuple", f["fd.name"].startswith("127.0.0.1:") and
      f["evt.buflen"] == len(mark) + 5, f)
P
	cat "$TMP/named.check"
	grep -q '^ok' "$TMP/named.check" || not_ok "named rules fired" "$(cat "$TMP/named.out" "$TMP/named.err" | tail -5)"
fi

# 2. the capture: sysdig and sakerdump agree on the I/O fields of the workload
PID=$(head -1 "$TMP/named.pid" 2>/dev/null)
if [ -s "$TMP/cap.scap" ] && [ -n "$PID" ]; then
	F='*%evt.num %evt.type %evt.dir %evt.buflen %evt.is_io %evt.is_io_read %evt.is_io_write %evt.io_dir [%evt.buffer] [%evt.arg.data]'
	sysdig -r "$TMP/cap.scap" -p "$F" "proc.pid=$PID and evt.is_io=true" >"$TMP/sysdig.txt" 2>"$TMP/sysdig.err"
	"$BUILD/sakerdump" -r "$TMP/cap.scap" -p "$F" "proc.pid=$PID and evt.is_io=true" >"$TMP/dump.txt" 2>"$TMP/dump.err"
	n=$(grep -c "$MARK" "$TMP/sysdig.txt")
	if [ "$n" -ge 8 ] && cmp -s "$TMP/sysdig.txt" "$TMP/dump.txt"; then
		ok "replay: sysdig and sakerdump print the same I/O fields ($(wc -l <"$TMP/sysdig.txt") events, $n marked)"
	else
		not_ok "replay: sysdig and sakerdump print the same I/O fields" "marked events in sysdig: $n" \
			"$(diff "$TMP/sysdig.txt" "$TMP/dump.txt" | head -6)" "$(cat "$TMP/sysdig.err" "$TMP/dump.err" | head -3)"
	fi
	# the same without '*': sysdig skips lines with a missing field
	F2='%evt.num %evt.buflen [%evt.buffer] [%evt.arg.data]'
	sysdig -r "$TMP/cap.scap" -p "$F2" "proc.pid=$PID" >"$TMP/sysdig2.txt" 2>/dev/null
	"$BUILD/sakerdump" -r "$TMP/cap.scap" -p "$F2" "proc.pid=$PID" >"$TMP/dump2.txt" 2>/dev/null
	[ -s "$TMP/sysdig2.txt" ] && cmp -s "$TMP/sysdig2.txt" "$TMP/dump2.txt" &&
		ok "replay: the same lines without '*' ($(wc -l <"$TMP/sysdig2.txt"))" ||
		not_ok "replay: the same lines without '*'" "$(diff "$TMP/sysdig2.txt" "$TMP/dump2.txt" | head -6)"
	# sysdig's buffer dumps: -x hex, -X hex and ASCII, -A (sakerdump --print-ascii) printable bytes and line breaks
	F3='%evt.num [%evt.buffer] [%evt.arg.data]'
	for m in "-x -x" "-X -X" "-A --print-ascii"; do
		set -- $m
		sysdig "$1" -r "$TMP/cap.scap" -p "$F3" "proc.pid=$PID and evt.is_io=true" >"$TMP/sysdig3.txt" 2>/dev/null
		"$BUILD/sakerdump" "$2" -r "$TMP/cap.scap" -p "$F3" "proc.pid=$PID and evt.is_io=true" >"$TMP/dump3.txt" 2>/dev/null
		grep -q '0x0000: \|'"$MARK" "$TMP/sysdig3.txt" && cmp -s "$TMP/sysdig3.txt" "$TMP/dump3.txt" &&
			ok "replay: sakerdump $2 prints buffers as sysdig $1 ($(wc -l <"$TMP/sysdig3.txt") lines)" ||
			not_ok "replay: sakerdump $2 prints buffers as sysdig $1" "$(diff "$TMP/sysdig3.txt" "$TMP/dump3.txt" | head -6)"
	done
	"$BUILD/sakerdump" -x -r "$TMP/cap.scap" -p "$F3" "proc.pid=$PID" >"$TMP/dump4.txt" 2>/dev/null
	grep -q '0x0000: 6109 620a 630d 647f 65c3 a9' "$TMP/dump4.txt" && ok "sakerdump -x: the control bytes' write in hex rows" ||
		not_ok "sakerdump -x: the control bytes' write in hex rows" "$(grep -A2 '0x0000: 6109' "$TMP/dump4.txt" | head -3)"
else
	not_ok "replay: saker -w wrote a capture with the workload" "$(cat "$TMP/named.err" | tail -3)"
fi

# 3. a rule that names no event type: no I/O events without -A
if run plain "$TMP/any.yaml"; then
	grep -q '"rule":"anything on the file"' "$TMP/plain.out" && ok "without -A: the rule sees the file's other events" ||
		not_ok "without -A: the rule sees the file's other events" "$(tail -3 "$TMP/plain.err")"
	grep -q 'type=write' "$TMP/plain.out" && not_ok "without -A: no write events" "$(grep type=write "$TMP/plain.out" | head -2)" ||
		ok "without -A: no write events"
fi

# 4. -A -S 200 -b: write events come, with up to 200 bytes, printed in base64
if run all "$TMP/any.yaml" -A -S 200 -b; then
	python3 - "$TMP/all.out" "$MARK" <<'P' || not_ok "-A -S 200 -b: the long write, all of it, in base64" "$(grep type=write "$TMP/all.out" | head -3)"
import base64, json, sys
mark = sys.argv[2]
bufs = [base64.b64decode(json.loads(l)["output_fields"]["evt.buffer"]) for l in open(sys.argv[1])
        if '"type=write' in l or "(type=write" in l]
want = (mark + "-long-" + "x" * 150).encode()
assert want in bufs, bufs
assert (mark + "-file").encode() in bufs, bufs
print("ok - -A brings write events to a rule that names none; -S 200 keeps all %d bytes; -b prints base64" % len(want))
P
fi

# 5. -i lists the ignored I/O syscalls and exits
"$S" -i >"$TMP/i.out" 2>&1
rc=$?
n=$(grep -c '^- ' "$TMP/i.out")
if [ $rc -eq 0 ] && [ "$n" -eq 16 ] && grep -qx -- '- write' "$TMP/i.out" && grep -qx -- '- recvmmsg' "$TMP/i.out" &&
	grep -qx -- '- splice' "$TMP/i.out" && ! grep -qx -- '- open' "$TMP/i.out" && ! grep -qx -- '- close' "$TMP/i.out"; then
	ok "-i prints the 16 ignored I/O syscalls and exits 0"
else
	not_ok "-i prints the ignored I/O syscalls" "rc=$rc n=$n" "$(head -5 "$TMP/i.out")"
fi
# a bad -S is a usage error
"$S" -S 0 -i >/dev/null 2>"$TMP/s.err"
[ $? -eq 1 ] && grep -q "invalid snaplen '0'" "$TMP/s.err" && ok "-S 0 is refused" || not_ok "-S 0 is refused" "$(cat "$TMP/s.err")"
# bcontains takes hex bytes, as in Falco: anything else is a load error
printf -- '- rule: x\n  desc: d\n  condition: evt.type = write and evt.buffer bcontains zz\n  output: o\n  priority: INFO\n' >"$TMP/badhex.yaml"
"$S" -V "$TMP/badhex.yaml" >"$TMP/badhex.out" 2>&1
[ $? -ne 0 ] && grep -q "take bytes in hex (like 0a1b), not 'zz'" "$TMP/badhex.out" && ok "bcontains with non-hex bytes is refused" ||
	not_ok "bcontains with non-hex bytes is refused" "$(cat "$TMP/badhex.out")"

# 6. long values print whole, as libs prints them (no 4 KiB cut in -p or in
#    outputs): a 16 KiB write under -S 16384, and an exec whose arguments
#    fill the 4 KiB of them saker captures. Buffers: sakerdump cuts them at
#    80 bytes as sysdig does without -v, and prints them whole with -v as
#    sysdig -v; saker's alerts print them whole, as Falco (which never sets
#    libs' max_evt_output_len)
LONG="sklong$$"
if start_dump "$TMP/long.live" -w "$TMP/long.scap" -S 16384 --syscalls write,execve; then
	python3 -c 'import os, sys; os.write(1, (sys.argv[1] + "y" * 16000).encode())' "$LONG" >"$TMP/d/long"
	/bin/echo "$LONG" "$(python3 -c 'print("a" * 5000)')" >/dev/null
	sleep 0.5
	stop_dump
	flt="evt.type = write and evt.dir = < and evt.buflen > 16000 and evt.buffer contains $LONG"
	for v in "" -v; do
		sysdig $v -r "$TMP/long.scap" -p '%evt.buflen %evt.buffer [%evt.args]' "$flt" >"$TMP/long.s" 2>/dev/null
		"$BUILD/sakerdump" $v -r "$TMP/long.scap" -p '%evt.buflen %evt.buffer [%evt.args]' "$flt" >"$TMP/long.k" 2>/dev/null
		n=$(wc -c <"$TMP/long.k")
		if [ -n "$v" ]; then want=32000; [ "$n" -gt $want ]; else want=300; [ "$n" -lt $want ]; fi && cmp -s "$TMP/long.s" "$TMP/long.k" &&
			ok "sakerdump ${v:-without -v} prints a 16 KiB evt.buffer and evt.args as sysdig ${v:-without -v} ($n bytes)" ||
			not_ok "sakerdump ${v:-without -v} prints a 16 KiB evt.buffer as sysdig" "saker $n bytes, sysdig $(wc -c <"$TMP/long.s")" \
				"$(cut -c1-100 "$TMP/long.k" | head -2)" "$(cut -c1-100 "$TMP/long.s" | head -2)"
	done
	printf -- '- rule: long\n  desc: d\n  condition: %s\n  output: "long %%evt.buffer end"\n  priority: INFO\n' "$flt" >"$TMP/long.yaml"
	"$S" -r "$TMP/long.yaml" -e "$TMP/long.scap" -o stdout_output.enabled=true >"$TMP/long.alert" 2>"$TMP/long.alert.err"
	python3 - "$TMP/long.alert" "$LONG" <<'P' || not_ok "saker's alert prints a 16 KiB evt.buffer whole" "$(cut -c1-120 "$TMP/long.alert" "$TMP/long.alert.err")"
import sys
text = open(sys.argv[1]).read()
want = " long " + sys.argv[2] + "y" * 16000 + " end"
assert want in text, text[:200]
print("ok - saker's alert prints a 16 KiB evt.buffer whole, as Falco (%d chars)" % len(want))
P
	"$BUILD/sakerdump" -r "$TMP/long.scap" -p '%proc.exeline' "evt.type = execve and evt.dir = < and proc.name = echo and proc.args contains $LONG" >"$TMP/long.x" 2>&1
	python3 - "$TMP/long.x" "$LONG" <<'P' || not_ok "proc.exeline of a 4 KiB command line prints whole" "$(cut -c1-100 "$TMP/long.x")"
import sys
line = open(sys.argv[1]).read().rstrip("\n")
full = "/bin/echo " + sys.argv[2] + " " + "a" * 5000
assert len(line) > 4096 and full.startswith(line), (len(line), line[:60])
print("ok - proc.exeline of a 4 KiB command line prints whole (%d chars: the exe and every captured argument byte)" % len(line))
P
else
	not_ok "sakerdump -w -S 16384 starts" "$(cat "$TMP/long.live.err")"
fi

# 7. unconnected UDP: the tuple's remote end is the address the caller gave
#    (send*) or got (recv*) when the socket has none, as libs reads it
#    (usrsockaddr: dest_addr, src_addr, msg_name of each message); receives
#    put the remote end first (libs' INBOUND); recvmsg and recvmmsg copy the
#    control data (an IP_PKTINFO message)
U="$(dirname "$0")/udp_work.py"
UM="skudp$$"
if start_dump "$TMP/udp.out" -v --syscalls socket,bind,sendto,recvfrom,sendmsg,recvmsg,sendmmsg,recvmmsg; then
	python3 "$U" "$UM" >"$TMP/udp.pid" 2>"$TMP/udp.err"
	wait_for "$TMP/udp.out" "< recvmsg res=-11" 50
	stop_dump
	read -r upid pa pb <"$TMP/udp.pid"
	T="tuple=127.0.0.1:$pa->127.0.0.1:$pb"
	uexpect() { # NAME PATTERN: a line of the workload's pid matches
		grep -aE "\($upid\) < $2" "$TMP/udp.out" >/dev/null && ok "unconnected UDP: $1" ||
			not_ok "unconnected UDP: $1" "want: $2" "$(grep -a "($upid) <" "$TMP/udp.out" | cut -c1-200 | head -8)" "$(cat "$TMP/udp.err")"
	}
	uexpect "sendto's tuple ends at dest_addr" "sendto res=[0-9]+ data=$UM-sendto fd=[0-9]+.* $T"
	uexpect "recvfrom's tuple starts at src_addr (remote first)" "recvfrom res=[0-9]+ data=$UM-sendto $T fd="
	uexpect "sendmsg's tuple ends at msg_name" "sendmsg res=[0-9]+ data=$UM-sendmsg fd=.* $T"
	uexpect "recvmsg: the length received as size (libs), msg_name first, and the IP_PKTINFO control data" "recvmsg res=([0-9]+) size=\\1 data=$UM-sendmsg $T msgcontrol=[^ ]{16,} fd="
	uexpect "sendmmsg, first message: its msg_name" "sendmmsg res=([0-9]+) fd=[^ ]+ size=\\1 data=$UM-mmsg1 $T"
	uexpect "sendmmsg, second message: its msg_name" "sendmmsg res=([0-9]+) fd=[^ ]+ size=\\1 data=$UM-mmsg2 $T"
	uexpect "recvmmsg: the length received as size, msg_name first, the control data" \
		"recvmmsg res=([0-9]+) fd=[^ ]+ size=\\1 data=$UM-mmsg1 $T msgcontrol=[^ ]{16,}"
	# failed receives: libs' recvfrom_x/recvmsg_x (driver/modern_bpf) send an empty
	# tuple (and data, msgcontrol) when ret < 0, recvmsg's size 0, not the socket's tuple
	uexpect "a failed recvfrom: empty data and tuple, as libs" "recvfrom res=-11\\(EAGAIN\\) data= tuple= fd=[0-9]+[^ ]* size=100\$"
	uexpect "a failed recvmsg: size 0, empty data, tuple and msgcontrol, as libs" "recvmsg res=-11\\(EAGAIN\\) size=0 data= tuple= msgcontrol= fd=[0-9]+[^ ]*\$"
	# an empty datagram (ret 0): libs' recvfrom_x/recvmsg_x send data, tuple and msgcontrol
	# empty unless ret > 0
	uexpect "recvfrom of an empty datagram: empty data and tuple, as libs" "recvfrom res=0 data= tuple= fd=[0-9]+[^ ]* size=100\$"
	uexpect "recvmsg of an empty datagram: size 0, empty data, tuple and msgcontrol, as libs" "recvmsg res=0 size=0 data= tuple= msgcontrol= fd=[0-9]+[^ ]*\$"
	# msgcontrol is msg_controllen bytes, not cut at the snaplen (80), as libs (-v prints it whole)
	ctl=$(grep -a "($upid) < recvmsg .* data=$UM-ctl " "$TMP/udp.out" | sed 's/.* msgcontrol=\(.*\) fd=[0-9].*/\1/')
	[ "${#ctl}" -ge 100 ] && ok "recvmsg: control data past the snaplen whole (${#ctl} bytes)" ||
		not_ok "recvmsg: long control data" "want >= 100 bytes, got ${#ctl}" "$(grep -a "($upid) < recvmsg" "$TMP/udp.out" | cut -c1-300)"
else
	not_ok "sakerdump starts for the UDP workload" "$(cat "$TMP/udp.out.err")"
fi
