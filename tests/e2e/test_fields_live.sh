#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fields on live events, each value checked against what the process knows
# of itself: a python actor (named sk_fields2) with a pipe for stdin and a
# file for stdout calls setsid(), starts two threads, opens marker files,
# makes a directory and renames a file; rules print the process, thread,
# session, fs.path and evt fields, and the actor writes the values it
# expects (its pid, fd limit, arguments, cwd) next to them.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
D="$TMP/work"
mkdir -p "$D"
ln -s "$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')" "$TMP/sk_fields2"
cat >"$TMP/actor.py" <<'PY'
import os, sys, threading, time, resource
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
args = sys.argv[1:]
with open(d + '/expected', 'w') as f:
    f.write('pid=%d\n' % os.getpid())
    f.write('fdlimit=%d\n' % resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    f.write('nargs=%d\n' % (len(args) + 1))
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
  output: "rename source=%fs.path.source target=%fs.path.target src=%evt.abspath.src dst=%evt.abspath.dst end"
  priority: WARNING
Y
"$S" -r "$TMP/rules.yaml" -o stdout_output.enabled=true -v >"$TMP/out" 2>"$TMP/err" &
SAKER_PID=$!
for _ in $(seq 1 100); do grep -q capturing "$TMP/err" && break; sleep 0.1; done
(cd "$D" && echo input | "$TMP/sk_fields2" "$TMP/actor.py" "$D" >"$TMP/actor.out" 2>"$TMP/actor.err")
for _ in $(seq 1 50); do grep -q 'rename source' "$TMP/out" && break; sleep 0.1; done
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
grep -q "rename source=$D/a target=$D/b src=$D/a dst=$D/b end" "$TMP/out" && ok "fs.path.source/target and evt.abspath.src/dst of rename" ||
	not_ok "fs.path.source/target of rename" "$(grep 'rename source' "$TMP/out" | head -2)"
