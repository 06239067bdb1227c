#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fields on live events, each value checked against what the process knows
# of itself: a python actor (named sk_fields2) with a pipe for stdin and a
# file for stdout calls setsid(), starts two threads, opens marker files,
# makes a directory and renames a file, opens /dev/null and sends on a
# loopback TCP connection; rules print the process, thread, session,
# fs.path, fd and evt fields, and the actor writes the values it
# expects (its pid, fd limit, arguments, cwd, ports, pipe inode) next to them.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
D="$TMP/work"
mkdir -p "$D"
ln -s "$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')" "$TMP/sk_fields2"
cat >"$TMP/actor.py" <<'PY'
import os, sys, threading, time, resource, socket
d = sys.argv[1]
time.sleep(0.5)
os.setsid()
ev = threading.Event()
ts = [threading.Thread(target=ev.wait) for _ in range(2)]
for t in ts: t.start()
os.close(os.open(d + '/marker', os.O_RDONLY | os.O_CREAT, 0o600))
ev.set()
for t in ts: t.join()
os.mkdir('newdir')
open('a', 'w').close()
os.rename('a', d + '/b')
os.close(os.open('/dev/null', os.O_RDONLY))
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(('127.0.0.1', 0))
srv.listen(1)
cli = socket.create_connection(srv.getsockname())
acc, _ = srv.accept()
cli.sendall(b'sk-f5-data')
acc.recv(64)
args = sys.argv[1:]
with open(d + '/expected', 'w') as f:
    f.write('pid=%d\n' % os.getpid())
    f.write('fdlimit=%d\n' % resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    f.write('nargs=%d\n' % (len(args) + 1))
    f.write('lenargs=%d\n' % sum(len(a) for a in [sys.argv[0]] + args))
    f.write('cport=%d\n' % cli.getsockname()[1])
    f.write('sport=%d\n' % srv.getsockname()[1])
    f.write('clifd=%d\n' % cli.fileno())
    st = os.stat('/dev/null').st_dev
    f.write('devnull=major=%d minor=%d\n' % (os.major(st), os.minor(st)))
    f.write('tid=%d\n' % threading.get_native_id())
PY
cat >"$TMP/rules.yaml" <<Y
- rule: fields2 marker
  desc: the actor opens its marker after setsid, with two more threads
  condition: evt.type in (open, openat) and evt.dir = < and fd.name = $D/marker and proc.name = sk_fields2
  output: "marker pid=%proc.pid sid=%proc.sid sid_leader=%proc.is_sid_leader vpgid=%proc.vpgid pgid_leader=%proc.is_pgid_leader sname=%proc.sname nthreads=%proc.nthreads nchilds=%proc.nchilds ismain=%thread.ismain nametid=%thread.nametid stdin=%proc.stdin.type stdout=%proc.stdout.name nargs=%proc.cmdnargs fdlimit=%proc.fdlimit vmsize=%proc.vmsize typeis=%evt.type.is.openat sctype=%syscall.type source=%evt.source pidts=%proc.pid.ts fdcount=%proc.fdopencount exeline=%proc.exeline end"
  priority: WARNING
- rule: fields2 mkdir
  desc: the actor makes a directory (relative to its cwd)
  condition: evt.type in (mkdir, mkdirat) and evt.dir = < and proc.name = sk_fields2
  output: "mkdir name=%fs.path.name raw=%fs.path.nameraw end"
  priority: WARNING
- rule: fields2 rename
  desc: the actor renames a file
  condition: evt.type in (rename, renameat, renameat2) and evt.dir = < and proc.name = sk_fields2
  output: "rename source=%fs.path.source target=%fs.path.target src=%evt.abspath.src dst=%evt.abspath.dst sourceraw=%fs.path.sourceraw targetraw=%fs.path.targetraw end"
  priority: WARNING
- rule: fields2 devnull
  desc: the actor opens /dev/null (character device 1:3)
  condition: evt.type in (open, openat) and evt.dir = < and fd.name = /dev/null and proc.name = sk_fields2
  output: "devnull major=%fd.dev.major minor=%fd.dev.minor end"
  priority: WARNING
- rule: fields2 send
  desc: the actor sends on its connected loopback TCP socket (both ends in 127.0.0.0/8)
  condition: >
    evt.type in (sendto, write) and evt.dir = < and fd.type = ipv4 and proc.name = sk_fields2 and
    evt.buffer contains sk-f5-data and fd.lnet = 127.0.0.0/8 and fd.rnet = 127.0.0.0/8 and
    fd.cnet = 127.0.0.0/8 and fd.snet = 127.0.0.0/8
  output: "send lproto=%fd.lproto rproto=%fd.rproto cproto=%fd.cproto sproto=%fd.sproto proto=%fd.proto uid=%fd.uid types=%fd.types type0=%fd.types[0] pgid=%proc.pgid pgname=%proc.pgid.name pgexe=%proc.pgid.exe pgexepath=%proc.pgid.exepath sidexe=%proc.sid.exe sidexepath=%proc.sid.exepath ppidts=%proc.ppid.ts pidts=%proc.pid.ts stdouttype=%proc.stdout.type stdinname=%proc.stdin.name stderrtype=%proc.stderr.type stderrname=%proc.stderr.name lenargs=%proc.cmdlenargs aenv=%proc.aenv[SK_F5_AENV] env=%proc.env[SK_F5_AENV] noaenv=%proc.aenv[SK_F5_NONE] exepath=%proc.exepath fdusage=%proc.fdusage fdcount=%proc.fdopencount fdlimit=%proc.fdlimit end"
  priority: WARNING
- rule: fields6 exec
  desc: an image run through a symlink, a bind mount, an overlay, or deeper than the kernel's path walk
  condition: evt.type = execve and evt.dir = < and proc.name startswith sk_x6
  output: "exec name=%proc.name exepath=%proc.exepath trusted=%evt.arg.trusted_exepath end"
  priority: WARNING
Y
# images for the exec cases: a copy of true in a directory, linked to, bound,
# overlaid, and one deeper than the walk's 48 steps (components and mounts)
X="$TMP/x6"
mkdir -p "$X/bin" "$X/bindsrc" "$X/bindmnt" "$X/lower" "$X/upper" "$X/ovlwork" "$X/ovl"
cp /bin/true "$X/bin/sk_x6img"
ln -s "$X/bin/sk_x6img" "$X/sk_x6link"
cp /bin/true "$X/bindsrc/sk_x6bound"
cp /bin/true "$X/lower/sk_x6ovl"
deep="$X/deep"
for i in $(seq 1 50); do deep="$deep/d"; done
mkdir -p "$deep"
cp /bin/true "$deep/sk_x6deep"
ln -s "$deep/sk_x6deep" "$X/sk_x6deeplink"
"$S" -r "$TMP/rules.yaml" -o stdout_output.enabled=true -v >"$TMP/out" 2>"$TMP/err" &
SAKER_PID=$!
for _ in $(seq 1 100); do grep -q capturing "$TMP/err" && break; sleep 0.1; done
t0=$(date +%s%N)
# the actor's parent (sh -c, exec'd with SK_F5_AENV in its environment) is what proc.aenv[NAME] reads first
env SK_F5_AENV=from-parent sh -c 'cd "$1" && echo input | SK_F5_AENV=from-self "$2/sk_fields2" "$2/actor.py" "$1" >"$2/actor.out" 2>"$2/actor.err"' sh "$D" "$TMP"
# each in a private mount namespace (unshare -m): the mounts go with it
"$X/sk_x6link"
unshare -m sh -c 'mount --bind "$1/bindsrc" "$1/bindmnt" && exec "$1/bindmnt/sk_x6bound"' sh "$X"
ovl=no
unshare -m sh -c 'mount -t overlay overlay -o "lowerdir=$1/lower,upperdir=$1/upper,workdir=$1/ovlwork" "$1/ovl" && exec "$1/ovl/sk_x6ovl"' sh "$X" 2>"$TMP/ovl.err" && ovl=yes
"$X/sk_x6deeplink"
for _ in $(seq 1 50); do grep -q 'send lproto' "$TMP/out" && grep -q 'exec name=sk_x6deeplink' "$TMP/out" && break; sleep 0.1; done
kill "$SAKER_PID"; wait "$SAKER_PID" 2>/dev/null

pid=$(sed -n 's/^pid=//p' "$D/expected")
lim=$(sed -n 's/^fdlimit=//p' "$D/expected")
m=$(grep -o 'marker pid=.* end' "$TMP/out" | head -1)
[ -n "$m" ] || not_ok "the marker rule fired" "$(tail -3 "$TMP/err") $(cat "$TMP/actor.err")"
has() { echo "$m" | grep -q " $1 " && ok "$2 ($1)" || not_ok "$2" "want ' $1 ' in: $m"; }
has "pid=$pid" "proc.pid is the actor's"
has "sid=$pid" "proc.sid follows setsid()"
has "sid_leader=true" "proc.is_sid_leader after setsid()"
has "vpgid=$pid" "proc.vpgid follows setsid() (a new group)"
has "pgid_leader=true" "proc.is_pgid_leader after setsid()"
has "sname=sk_fields2" "proc.sname names the new session's leader"
has "nthreads=3" "proc.nthreads counts the leader and the two threads"
has "nchilds=2" "proc.nchilds counts the two threads"
has "ismain=true" "thread.ismain on the main thread"
has "nametid=sk_fields2$pid" "thread.nametid"
has "stdin=pipe" "proc.stdin.type of a piped stdin"
has "stdout=$TMP/actor.out" "proc.stdout.name of a redirected stdout"
has "nargs=2" "proc.cmdnargs"
has "fdlimit=$lim" "proc.fdlimit is the soft RLIMIT_NOFILE"
has "typeis=1" "evt.type.is.openat"
has "sctype=openat" "syscall.type"
has "source=syscall" "evt.source"
has "exeline=$TMP/sk_fields2 $TMP/actor.py $D" "proc.exeline"
echo "$m" | grep -Eq ' vmsize=[1-9][0-9]* ' && ok "proc.vmsize is the size at exec (KiB, > 0)" || not_ok "proc.vmsize > 0" "$m"
# the process started (clone) before its marker, within the run
start=$(echo "$m" | sed -n 's/.* pidts=\([0-9]*\) .*/\1/p')
now=$(date +%s%N)
[ -n "$start" ] && [ "$start" -le "$now" ] && [ $((now - start)) -lt 60000000000 ] && ok "proc.pid.ts is the process's creation time" ||
	not_ok "proc.pid.ts is the process's creation time" "$m"
grep -q "mkdir name=$D/newdir raw=newdir end" "$TMP/out" && ok "fs.path.name (cwd prepended) and fs.path.nameraw of mkdir" ||
	not_ok "fs.path.name of mkdir" "$(grep 'mkdir name' "$TMP/out" | head -2)"
grep -q "rename source=$D/a target=$D/b src=$D/a dst=$D/b sourceraw=a targetraw=$D/b end" "$TMP/out" &&
	ok "fs.path.source/target, fs.path.sourceraw/targetraw (as given) and evt.abspath.src/dst of rename" ||
	not_ok "fs.path.source/target of rename" "$(grep 'rename source' "$TMP/out" | head -2)"

exp() { sed -n "s/^$1=//p" "$D/expected"; }
dn=$(grep -o 'devnull major=.* end' "$TMP/out" | head -1)
[ "$dn" = "devnull $(exp devnull) end" ] && ok "fd.dev.major/minor of /dev/null: the device of its filesystem, as stat(2) st_dev ($dn)" ||
	not_ok "fd.dev.major/minor of /dev/null" "want 'devnull $(exp devnull) end', got '$dn'"
m=$(grep -o 'send lproto=.* end' "$TMP/out" | head -1)
[ -n "$m" ] || not_ok "the send rule fired (fd.lnet/rnet/cnet/snet = 127.0.0.0/8 in its condition)" "$(tail -3 "$TMP/err") $(cat "$TMP/actor.err")"
cport=$(exp cport) sport=$(exp sport) tid=$(exp tid)
has "lproto=$cport" "fd.lproto is the local (client) port, unresolved as in Falco"
has "rproto=$sport" "fd.rproto is the remote (server) port"
has "cproto=$cport" "fd.cproto"
has "sproto=$sport" "fd.sproto"
has "proto=$cport,$sport" "fd.proto holds both ends"
has "uid=$tid$(exp clifd)" "fd.uid chains the tid and the fd number"
has "type0=(pipe)" "fd.types[0] of a piped stdin, a list of one"
echo "$m" | grep -Eq ' types=\((pipe|file|ipv4)(,(pipe|file|ipv4)){2}\) ' &&
	[ "$(echo "$m" | sed 's/.* types=(\([^)]*\)).*/\1/' | tr ',' '\n' | sort -u | wc -l)" = 3 ] &&
	ok "fd.types lists pipe, file and ipv4 once each, in parentheses as libs" || not_ok "fd.types" "$m"
has "pgid=$pid" "proc.pgid after setsid()"
has "pgname=sk_fields2" "proc.pgid.name names the group leader"
has "pgexe=$TMP/sk_fields2" "proc.pgid.exe is the leader's argv[0]"
exepath=$(echo "$m" | sed -n 's/.* exepath=\([^ ]*\) .*/\1/p')
has "pgexepath=$exepath" "proc.pgid.exepath is the leader's (the actor's own) proc.exepath"
has "sidexe=$TMP/sk_fields2" "proc.sid.exe is the session leader's argv[0]"
has "sidexepath=$exepath" "proc.sid.exepath"
has "stdouttype=file" "proc.stdout.type of a redirected stdout"
has "stdinname=" "proc.stdin.name of a pipe made by pipe2() during the capture is empty (libs' add_pipe names it \"\")"
has "stderrtype=file" "proc.stderr.type"
has "stderrname=$TMP/actor.err" "proc.stderr.name"
has "lenargs=$(exp lenargs)" "proc.cmdlenargs sums the argument lengths"
has "aenv=from-parent" "proc.aenv[NAME] reads the ancestors, parent first, not the process"
has "env=from-self" "proc.env[NAME] reads the process"
has "noaenv=" "proc.aenv[NAME] is empty when no ancestor has NAME (libs)"
has "fdlimit=$lim" "proc.fdlimit"
fdc=$(echo "$m" | sed -n 's/.* fdcount=\([0-9]*\) .*/\1/p')
use=$(echo "$m" | sed -n 's/.* fdusage=\([^ ]*\) .*/\1/p')
[ -n "$fdc" ] && [ "$fdc" -ge 6 ] && ok "proc.fdopencount counts the open fds (stdio, sockets: $fdc)" || not_ok "proc.fdopencount" "$m"
# libs: fdusage is open fds * 100 / limit, a double printed with one decimal
want=$(python3 -c "print('%.1f' % (100.0 * ${fdc:-0} / $lim))")
[ "$use" = "$want" ] && ok "proc.fdusage is 100 * fdopencount / fdlimit ($use)" || not_ok "proc.fdusage" "want $want, got '$use'"
pts=$(echo "$m" | sed -n 's/.* ppidts=\([0-9]*\) .*/\1/p')
ots=$(echo "$m" | sed -n 's/.* pidts=\([0-9]*\) .*/\1/p')
[ -n "$pts" ] && [ -n "$ots" ] && [ "$pts" -ge "$t0" ] && [ "$pts" -le "$ots" ] &&
	ok "proc.ppid.ts: the parent (the subshell) was created in the run, before the actor" ||
	not_ok "proc.ppid.ts" "t0=$t0 ppidts=$pts pidts=$ots"

# proc.exepath is the canonical path of the image (the kernel's trusted_exepath,
# mm->exe_file walked up to the root as libs' probes do), whatever path exec was given
# exe_check NAME EXEPATH TRUSTED DESC: the exec rule's line for NAME has that
# proc.exepath and evt.arg.trusted_exepath
exe_check() {
	e=$(grep -o "exec name=$1 exepath=.* end" "$TMP/out" | head -1)
	[ "$e" = "exec name=$1 exepath=$2 trusted=$3 end" ] && ok "$4" || not_ok "$4" "want exepath=$2 trusted=$3, got '$e'"
}
py=$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')
[ "$exepath" = "$py" ] && ok "proc.exepath of the actor run through a symlink ($TMP/sk_fields2) is the interpreter's real path ($py)" ||
	not_ok "proc.exepath through a symlink is the canonical path" "want $py, got '$exepath'"
exe_check sk_x6link "$X/bin/sk_x6img" "$X/bin/sk_x6img" \
	"an image run through a symlink: proc.exepath and evt.arg.trusted_exepath are the target"
exe_check sk_x6bound "$X/bindmnt/sk_x6bound" "$X/bindmnt/sk_x6bound" \
	"an image in a bind mount: the path through the mount point (the walk crosses the mount)"
if [ $ovl = no ]; then
	echo "skip - exec in an overlay: mount -t overlay failed here ($(head -1 "$TMP/ovl.err"))"
else
	exe_check sk_x6ovl "$X/ovl/sk_x6ovl" "$X/ovl/sk_x6ovl" "an image in an overlay mount: the overlay's path, not the lower layer's"
fi
# past the walk's bound the kernel sends trusted_exepath empty and proc.exepath
# is the filename exec was given (made absolute), as libs without the parameter
exe_check sk_x6deeplink "$X/sk_x6deeplink" "" \
	"an image deeper than the walk's 48 steps: trusted_exepath empty, proc.exepath the filename given"

# Capture round trips: dump_start NAME ARGS... runs sakerdump -w $TMP/NAME.scap
# ARGS (its output in $TMP/NAME.out, .err) until it is attached; dump_stop
# [PATTERN] stops it once its output has a line matching PATTERN (or after
# half a second). replay_check NAME WANT FORMAT FILTER DESC [SYSDIG_WANT]:
# sakerdump -r and sysdig -r of $TMP/NAME.scap print the file WANT (sysdig:
# SYSDIG_WANT where it knowingly differs).
dump_start() {
	n=$1
	shift
	"$BUILD/sakerdump" -w "$TMP/$n.scap" "$@" >"$TMP/$n.out" 2>"$TMP/$n.err" &
	DUMP=$! DUMP_OUT="$TMP/$n.out"
	for _ in $(seq 1 100); do grep -q attached "$TMP/$n.err" && break; sleep 0.1; done
}
dump_stop() {
	if [ -n "${1:-}" ]; then
		for _ in $(seq 1 30); do grep -q "$1" "$DUMP_OUT" && break; sleep 0.1; done
	else
		sleep 0.5
	fi
	kill -INT $DUMP
	wait $DUMP
}
same() { cmp -s "$1" "$2" && ok "$3" || not_ok "$3" "$(diff "$1" "$2" | head -20)"; }
replay_check() {
	"$BUILD/sakerdump" -r "$TMP/$1.scap" -p "$3" "$4" >"$TMP/$1.replay" 2>&1
	same "$2" "$TMP/$1.replay" "$5 (sakerdump -r)"
	if command -v sysdig >/dev/null; then
		timeout 120 sysdig -r "$TMP/$1.scap" -p "$3" "$4" >"$TMP/$1.sysdig" 2>&1
		same "${6:-$2}" "$TMP/$1.sysdig" "$5 (sysdig -r)"
	else
		echo "skip - $5 (sysdig -r: no sysdig)"
	fi
}

# fdlist.* and poll/ppoll live: a process polls a pipe with data, a connected
# TCP client, the listening socket it connects to (a connection pending) and
# an fd it does not have (99), then ppolls the same with a timeout and SIGUSR1
# in its signal mask, then accepts. The listener is named after the address
# it was bound to and serves on it, as libs' parse_bind_exit makes it.
ln -s "$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')" "$TMP/sk_poll6"
cat >"$TMP/poll.py" <<'PY'
import ctypes, os, select, signal, socket, sys, time
time.sleep(0.3)
r, w = os.pipe()
os.write(w, b'x')
t = socket.socket(); t.bind(('127.0.0.1', 0)); port = t.getsockname()[1]; t.close()
srv = socket.socket(); srv.bind(('127.0.0.1', port)); srv.listen(1)
cli = socket.create_connection(srv.getsockname())
p = select.poll()
p.register(r, select.POLLIN)
p.register(cli, select.POLLOUT)
p.register(srv, select.POLLIN)
p.register(99, select.POLLIN)
p.poll(100)
p.poll(-1)
class pollfd(ctypes.Structure):
    _fields_ = [('fd', ctypes.c_int), ('events', ctypes.c_short), ('revents', ctypes.c_short)]
class timespec(ctypes.Structure):
    _fields_ = [('tv_sec', ctypes.c_long), ('tv_nsec', ctypes.c_long)]
fds = (pollfd * 4)(pollfd(r, select.POLLIN, 0), pollfd(cli.fileno(), select.POLLOUT, 0),
                   pollfd(srv.fileno(), select.POLLIN, 0), pollfd(99, select.POLLIN, 0))
mask = ctypes.c_uint64(1 << (signal.SIGUSR1 - 1))
libc = ctypes.CDLL(None, use_errno=True)
libc.ppoll(fds, 4, ctypes.byref(timespec(0, 5000000)), ctypes.byref(mask))
acc, _ = srv.accept()
with open(sys.argv[1], 'w') as f:
    f.write('r=%d cli=%d cport=%d sport=%d srv=%d acc=%d\n' % (r, cli.fileno(), cli.getsockname()[1],
            srv.getsockname()[1], srv.fileno(), acc.fileno()))
PY
# the fdlist.* and fd.* of an event, printed live after evt.args and on replay after evt.type
PFD='| nums=%fdlist.nums names=%fdlist.names cips=%fdlist.cips sips=%fdlist.sips cports=%fdlist.cports sports=%fdlist.sports | name=%fd.name sip=%fd.sip sport=%fd.sport cip=%fd.cip server=%fd.is_server end'
PF="*%evt.type %evt.args $PFD"
PFILT='proc.name = sk_poll6 and (evt.type in (poll, ppoll) and fdlist.nums contains 99 or evt.type in (bind, listen, accept, accept4) and evt.dir = <)'
dump_start poll -p "$PF" "$PFILT"
"$TMP/sk_poll6" "$TMP/poll.py" "$TMP/poll.expected"
dump_stop '^accept'
read -r pr pc cport sport ps pa <"$TMP/poll.expected"
r=${pr#r=} c=${pc#cli=} cport=${cport#cport=} sport=${sport#sport=} s=${ps#srv=} a=${pa#acc=}
# revents as scap's PPM_POLL* bits in hex: POLLIN 1, POLLOUT 4, POLLNVAL 40; '?' for fd 99;
# fdlist.names: <NA> for the pipe (unnamed, as libs' add_pipe) and for fd 99, the listener's
# bound address; fdlist.sips has the listener's address, fdlist.cips/cports/sports only the
# connected sockets' (sinsp_filter_check_fdlist)
fds="$r:p1 $c:44 $s:41 99:\?40"
tup="127.0.0.1:$cport->127.0.0.1:$sport"
nofd="name=<NA> sip=<NA> sport=<NA> cip=<NA> server=<NA> end"
# the values as printed (lit) and as an extended regex (re: '|' escaped)
re() { printf '%s' "$1" | sed 's/[.|]/\\&/g'; }
rest_lit="nums=$r,$c,$s,99 names=<NA>,$tup,127.0.0.1:$sport,<NA> cips=127.0.0.1 sips=127.0.0.1,127.0.0.1 cports=$cport sports=$sport | $nofd"
rest=$(re "$rest_lit")
grep -Eq "^poll res=4 fds=$fds timeout=100 +\| $rest\$" "$TMP/poll.out" &&
	ok "poll live: res, fds (fd:type char and revents, as libs prints an FDLIST), timeout; fdlist.* of its fds, the listener's too" ||
	not_ok "poll live" "want: poll res=4 fds=$fds timeout=100 | $rest" "got: $(grep '^poll' "$TMP/poll.out")" "$(cat "$TMP/poll.err")"
# no timeout (-1) is 4294967295: libs' drivers widen poll's int timeout through u32
grep -Eq "^poll res=4 fds=$fds timeout=4294967295 +\| $rest\$" "$TMP/poll.out" &&
	ok "poll live: no timeout (-1) as libs sends it, 4294967295" ||
	not_ok "poll live, no timeout" "want: poll res=4 fds=$fds timeout=4294967295 | $rest" "got: $(grep '^poll' "$TMP/poll.out")"
# ppoll's timeout is read at exit, as libs: what the kernel left of the 5 ms
left=$(sed -n 's/^ppoll .* timeout=\([0-9]*\) .*/\1/p' "$TMP/poll.out")
grep -Eq "^ppoll res=4 fds=$fds timeout=[0-9]+ sigmask=512 +\| $rest\$" "$TMP/poll.out" && [ "$left" -gt 0 ] && [ "$left" -le 5000000 ] &&
	ok "ppoll live: res, fds, timeout in ns (left of 5 ms: $left), sigmask (SIGUSR1: 512); fdlist.* of its fds" ||
	not_ok "ppoll live" "want: ppoll res=4 fds=$fds timeout=(0,5000000] sigmask=512 | $rest" "got: $(grep '^ppoll' "$TMP/poll.out")"
# bind names the listener and makes it a server socket on 127.0.0.1:PORT (the
# port probe bound to port 0 is named 127.0.0.1:0 and serves nothing); listen
# changes nothing (libs has no parser for it); the accepted connection's server
# end is the same address and port
nolist="nums=<NA> names=<NA> cips=<NA> sips=<NA> cports=<NA> sports=<NA>"
lsn="$nolist | name=127.0.0.1:$sport sip=127.0.0.1 sport=$sport cip=<NA> server=true end"
prb="$nolist | name=127.0.0.1:0 sip=<NA> sport=<NA> cip=<NA> server=false end"
probe="^bind res=0 addr=127\\.0\\.0\\.1:0 fd=[0-9]+\\(<4>127\\.0\\.0\\.1:0\\) +\\| $(re "$prb")\$"
want_bind="^bind res=0 addr=127\\.0\\.0\\.1:$sport fd=$s\\(<4>127\\.0\\.0\\.1:$sport\\) +\\| $(re "$lsn")\$"
want_listen="^listen res=0 fd=$s\\(<4>127\\.0\\.0\\.1:$sport\\) backlog=1 +\\| $(re "$lsn")\$"
want_acc="| $nolist | name=$tup sip=127.0.0.1 sport=$sport cip=127.0.0.1 server=true end"
grep -Eq "$probe" "$TMP/poll.out" && grep -Eq "$want_bind" "$TMP/poll.out" && grep -Eq "$want_listen" "$TMP/poll.out" &&
	ok "bind/listen live: the listener's fd.name is its bound address, fd.sip/fd.sport the address and port, fd.is_server; port 0 serves nothing (libs' parse_bind_exit)" ||
	not_ok "bind/listen live" "want: $probe" "want: $want_bind" "want: $want_listen" "got: $(grep -E '^(bind|listen)' "$TMP/poll.out")"
grep -E "^accept4? " "$TMP/poll.out" | grep -Fq -- "$want_acc" &&
	ok "accept live: the accepted connection's server end is the listener's address and port" ||
	not_ok "accept live" "want: ... $want_acc" "got: $(grep -E '^accept' "$TMP/poll.out")"
# the capture round trip: the same values read back from the -w file, and what
# sysdig reads from it (its accept, written for accept4, is checked below)
F2='proc.name = sk_poll6 and evt.dir = < and evt.type in (bind, listen, poll, ppoll)'
printf '%s\n' "bind | $prb" "bind | $lsn" "listen | $lsn" "poll | $rest_lit" "poll | $rest_lit" "ppoll | $rest_lit" >"$TMP/poll.want"
replay_check poll "$TMP/poll.want" "*%evt.type $PFD" "$F2" "bind, listen, poll, ppoll: fd.* and fdlist.* of the listener on replay of the capture"
# the capture holds poll's timeout in its enter event (sysdig 0.29's poll exit has none)
printf 'poll 100\npoll 4294967295\n' >"$TMP/poll.want3"
replay_check poll "$TMP/poll.want3" '%evt.type %evt.arg.timeout' 'proc.name = sk_poll6 and evt.type = poll and evt.dir = >' \
	"poll's timeout on replay: 100 and 4294967295"

# accept4 and pipe2 in a -w capture: sysdig 0.29 has no event for either, so
# the writer writes them as the older accept (PPME_SOCKET_ACCEPT4_5, named
# accept) and pipe events with the same fds and tuple; a replay, by sakerdump
# or by sysdig, then knows the accepted socket and both ends of the pipe on
# the later write/read and send/recv (python's os.pipe() is pipe2(O_CLOEXEC),
# socket.accept() accept4(SOCK_CLOEXEC))
ln -s "$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')" "$TMP/sk_acc7"
cat >"$TMP/acc7.py" <<'PY'
import os, socket, sys, time
time.sleep(0.3)
r, w = os.pipe()
os.write(w, b'sk-pipe7')
os.read(r, 64)
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)
cli = socket.create_connection(srv.getsockname())
acc, _ = srv.accept()
acc.send(b'sk-acc7')
cli.recv(64)
with open(sys.argv[1], 'w') as f:
    f.write('%d %d %d %d %d %d\n' % (r, w, cli.fileno(), acc.fileno(), cli.getsockname()[1], srv.getsockname()[1]))
PY
dump_start acc7 'proc.name = sk_acc7'
"$TMP/sk_acc7" "$TMP/acc7.py" "$TMP/acc7.expected"
dump_stop
read -r r w c a cport sport <"$TMP/acc7.expected"
tup="127.0.0.1:$cport->127.0.0.1:$sport"
P7='*%evt.type %evt.rawres %fd.num %fd.type %fd.name'
F7='proc.name = sk_acc7 and evt.dir = < and (evt.type in (pipe, pipe2, accept, accept4) or (evt.type in (write, read, sendto, recvfrom) and evt.rawres > 0 and fd.type in (pipe, ipv4)))'
printf '%s\n' "pipe 0 $w pipe " "write 8 $w pipe " "read 8 $r pipe " "accept $a $a ipv4 $tup" \
	"sendto 7 $a ipv4 $tup" "recvfrom 7 $c ipv4 $tup" >"$TMP/acc7.want"
replay_check acc7 "$TMP/acc7.want" "$P7" "$F7" "accept4 and pipe2 written as accept and pipe: the accepted fd and the pipe on later I/O"

# UDP: a server bound to 127.0.0.1:P answers an unconnected client, a second
# one, and a connected one, then sends to the first again. Each recvfrom and
# sendto with an address updates the socket's tuple as libs' parse_read_exit
# and parse_write_exit do (update_fd): the source end is taken, the
# destination only where there is none, nothing when the tuple or its reverse
# is already there; a socket with no role serves on its first read and is a
# client on its first write, and the ends are swapped so the client comes
# first. The server's name follows its latest peer; the last sendto gives
# P->P, as in libs. An unconnected client's own address is 0.0.0.0 (libs
# fills it from the interface list, which a capture of saker does not have).
ln -s "$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')" "$TMP/sk_udp8"
cat >"$TMP/udp8.py" <<'PY'
import socket, sys, time
time.sleep(0.3)
U = (socket.AF_INET, socket.SOCK_DGRAM)
t = socket.socket(*U); t.bind(('127.0.0.1', 0)); port = t.getsockname()[1]; t.close()
srv = socket.socket(*U); srv.bind(('127.0.0.1', port))
peers = []
for connect in (False, False, True):
    c = socket.socket(*U)
    if connect:
        c.connect(srv.getsockname()); c.send(b'sk-udp8')
    else:
        c.sendto(b'sk-udp8', srv.getsockname())
    _, addr = srv.recvfrom(64)
    srv.sendto(b'sk-udp8-re', addr)
    c.recv(64) if connect else c.recvfrom(64)
    peers.append((c.fileno(), addr[1]))
srv.sendto(b'sk-udp8-again', ('127.0.0.1', peers[0][1]))
with open(sys.argv[1], 'w') as f:
    f.write('%d %d %s\n' % (srv.fileno(), port, ' '.join('%d %d' % p for p in peers)))
PY
P8='*%evt.type fd=%fd.num name=%fd.name cip=%fd.cip cport=%fd.cport sip=%fd.sip sport=%fd.sport'
F8='proc.name = sk_udp8 and evt.dir = < and evt.type in (connect, sendto, recvfrom)'
dump_start udp8 -p "$P8" "$F8"
"$TMP/sk_udp8" "$TMP/udp8.py" "$TMP/udp8.expected"
dump_stop
read -r s p c1 p1 c2 p2 c3 p3 <"$TMP/udp8.expected"
L=127.0.0.1
# end FD CIP CPORT: the line's fd and ends, the server's end being $L:$p
end() { echo "fd=$1 name=$2:$3->$L:$p cip=$2 cport=$3 sip=$L sport=$p"; }
printf '%s\n' "sendto $(end $c1 0.0.0.0 $p1)" "recvfrom $(end $s $L $p1)" "sendto $(end $s $L $p1)" "recvfrom $(end $c1 0.0.0.0 $p1)" \
	"sendto $(end $c2 0.0.0.0 $p2)" "recvfrom $(end $s $L $p2)" "sendto $(end $s $L $p2)" "recvfrom $(end $c2 0.0.0.0 $p2)" \
	"connect $(end $c3 $L $p3)" "sendto $(end $c3 $L $p3)" "recvfrom $(end $s $L $p3)" "sendto $(end $s $L $p3)" \
	"recvfrom $(end $c3 $L $p3)" "sendto $(end $s $L $p)" >"$TMP/udp8.want"
same "$TMP/udp8.want" "$TMP/udp8.out" "UDP live: the server's and the clients' fd.name, fd.cip/cport, fd.sip/sport after each recvfrom and sendto"
# A deliberate difference: libs keeps a bound socket's address in a union
# over the tuple's, so the server's first peer tuple gets the bound port's
# bytes and libs' l4 protocol (UDP, 3) as the server address, and the first
# reply swaps it in; saker keeps the bound address (as libs would without
# the union). From the second peer on they agree.
alias="$((p & 255)).$((p >> 8)).3.0"
sed -e "2s/.*/recvfrom fd=$s name=$L:$p1->$alias:$p cip=$L cport=$p1 sip=$alias sport=$p/" \
	-e "3s/.*/sendto fd=$s name=$alias:$p->$L:$p cip=$alias cport=$p sip=$L sport=$p/" "$TMP/udp8.want" >"$TMP/udp8.want.sysdig"
replay_check udp8 "$TMP/udp8.want" "$P8" "$F8" "UDP on replay: the same tuples" "$TMP/udp8.want.sysdig"
