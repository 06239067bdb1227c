#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Round trip: a live capture of a scripted workload written with -w is read
# by `sysdig -r` without error and shows the events sakerdump printed live
# (type, tid, first parameter); reading it back with `sakerdump -r` gives the
# same events. Then replay through rules with saker -e on the written file.
. "$(dirname "$0")/lib.sh"
command -v sysdig >/dev/null || { not_ok "sysdig installed (make deps)"; exit 1; }
D="$TMP/work"
mkdir -p "$D"
# A process with strings longer than libscap accepts in a proc list (args
# over 4 KiB, env over 4 KiB, a cwd over 1 KiB) is running when the capture
# starts: the written file must still open in sysdig.
deep="$D/$(printf 'd%.0s' $(seq 1 200))"
deep="$deep/$(basename "$deep")/$(basename "$deep")/$(basename "$deep")/$(basename "$deep")/$(basename "$deep")/$(basename "$deep")"
mkdir -p "$deep"
long=$(printf 'argument%.0s' $(seq 1 3000))
(cd "$deep" && SK_LONG_ENV=$long exec sh -c 'sleep 30' sk_long "$long" "$long") &
LONG_PID=$!
trap 'kill $LONG_PID 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT
sleep 0.2
start_dump "$TMP/live" -w "$TMP/cap.scap" -v || { not_ok "sakerdump -w starts" "$(cat "$TMP/live.err")"; exit 1; }
"$BUILD/tests/syscall_child" "$D" 2>/dev/null
sleep 0.5
stop_dump
check "capture file written" [ -s "$TMP/cap.scap" ]
sysdig -r "$TMP/cap.scap" >"$TMP/sysdig.out" 2>"$TMP/sysdig.err"
rc=$?
[ $rc -eq 0 ] && [ ! -s "$TMP/sysdig.err" ] && ok "sysdig -r reads the file without error" || not_ok "sysdig reads it" "rc=$rc $(head -3 "$TMP/sysdig.err")"
"$BUILD/sakerdump" -r "$TMP/cap.scap" >"$TMP/back.out" 2>"$TMP/back.err"
check "sakerdump -r reads it back" [ $? -eq 0 ]
# key: tid, direction, type, first parameter name=value (without fd decorations)
key() { awk '{ p = $8; sub(/\(.*/, "", p); print $5, $6, $7, p }' "$1"; }
key "$TMP/live" >"$TMP/k.live"
key "$TMP/sysdig.out" >"$TMP/k.sysdig"
key "$TMP/back.out" >"$TMP/k.back"
skipped=$(sed -nE 's/^capture file: ([0-9]+) events not written.*/\1/p' "$TMP/live.err")
enters=$(sed -nE 's/^capture file: .* ([0-9]+) enter events added.*/\1/p' "$TMP/live.err")
n_live=$(wc -l <"$TMP/k.live")
n_sys=$(wc -l <"$TMP/k.sysdig")
[ "$n_sys" -eq $((n_live - skipped + enters)) ] && ok "sysdig shows every written event ($n_sys: $n_live live, $skipped with no sysdig 0.29 form, $enters enter events added)" \
	|| not_ok "event counts" "live $n_live, skipped $skipped, enters $enters, sysdig $n_sys"
# every live event of a type that was written shows up
awk '{ print $3 }' "$TMP/k.sysdig" | sort -u >"$TMP/types"
# (sysdig 0.29's sendmmsg and recvmmsg exits have no parameters: their first one cannot agree)
missing=$(grep -vxFf "$TMP/k.sysdig" "$TMP/k.live" | awk 'NR == FNR { t[$1] = 1; next } ($3 in t) && $3 != "sendmmsg" && $3 != "recvmmsg"' "$TMP/types" - | head -5)
[ -z "$missing" ] && ok "sysdig shows the same events (type, tid, first parameter)" || not_ok "same events in sysdig" "$missing"
# saker-only event types (setxattr, lsetxattr, fsetxattr, utimensat,
# futimesat, utimes, utime: ids 480-493; the workload makes 10 of them) are
# printed live and left out of the file, as sysdig 0.29 has no type for them
nx_live=$(awk '$3 ~ /^([fl]?setxattr|utimensat|futimesat|utimes?)$/' "$TMP/k.live" | wc -l)
nx_back=$(awk '$3 ~ /^([fl]?setxattr|utimensat|futimesat|utimes?)$/' "$TMP/k.back" | wc -l)
[ "$nx_live" -ge 10 ] && [ "$nx_back" -eq 0 ] && ok "setxattr, utimensat and the other saker-only types live ($nx_live) and left out of the file" \
	|| not_ok "saker-only types left out of the file" "live $nx_live, read back $nx_back"
cmp -s "$TMP/k.sysdig" "$TMP/k.back" && ok "sakerdump -r prints what sysdig -r prints" || not_ok "sakerdump -r vs sysdig -r" "$(diff "$TMP/k.sysdig" "$TMP/k.back" | head -5)"
# close's exit in sysdig 0.29's form has no fd: the enter event written before it carries it
# (the workload's own closes: on a busy machine a close by another process
# whose fd was opened around the capture start has once read back with a
# different name in sysdig; seen 1 run in ~10 under load, not yet explained)
"$BUILD/sakerdump" -r "$TMP/cap.scap" -p '%evt.num %evt.dir %fd.num %fd.name' 'evt.type = close and proc.name = syscall_child' >"$TMP/close.back" 2>&1
sysdig -r "$TMP/cap.scap" -p '%evt.num %evt.dir %fd.num %fd.name' 'evt.type = close and proc.name = syscall_child' >"$TMP/close.sysdig" 2>&1
[ "$enters" -gt 0 ] && [ -s "$TMP/close.back" ] && ! grep -q '< <NA>' "$TMP/close.back" && cmp -s "$TMP/close.back" "$TMP/close.sysdig" \
	&& ok "close exits read back with their fd, as sysdig reads them ($(grep -c '<' "$TMP/close.back"))" \
	|| not_ok "close fd in the written file" "enters=$enters $(diff "$TMP/close.back" "$TMP/close.sysdig" | head -3) $(grep -m2 '< <NA>' "$TMP/close.back")"
n=$(grep -c ' < openat .*name=a ' "$TMP/back.out")
[ "$n" -ge 1 ] && ok "read-back keeps parameters (relative openat of the workload)" || not_ok "read-back parameters"
printf -- '- rule: child opens a\n  desc: d\n  condition: evt.type = openat and fd.name = %s/a\n  output: opened %%fd.name by %%proc.name\n  priority: NOTICE\n' "$D" >"$TMP/r.yaml"
"$BUILD/saker" -r "$TMP/r.yaml" -e "$TMP/cap.scap" >"$TMP/alerts" 2>&1
grep -Eq "Notice opened $D/a by (sk_child|syscall_child)" "$TMP/alerts" && ok "saker -e replays the written capture through rules" || not_ok "replay of written capture" "$(cat "$TMP/alerts")"
sysdig -r "$TMP/cap.scap" -p '%user.name' 2>/dev/null | grep -qx root && ok "sysdig reads the written user list (user.name)" || not_ok "user list"
kill $LONG_PID 2>/dev/null

# Rotation by size (sysdig -C/-W): files FILE0, FILE1, ... each under the
# limit plus one event, each a complete capture sysdig reads, names reused
# after -W files.
start_dump "$TMP/rot.live" -w "$TMP/rot.scap" -C 1 -W 3 --no-compress -v --syscalls read,write,execve,lseek ||
	{ not_ok "sakerdump -C -W starts" "$(cat "$TMP/rot.live.err")"; exit 1; }
dd if=/dev/zero of=/dev/null bs=1 count=150000 2>/dev/null
sleep 0.5
stop_dump
grep -q ' dd ([0-9]*) < lseek ID=[0-9]* nativeID=8$' "$TMP/rot.live" &&
	ok "--syscalls lseek (no program of its own) comes as generic events named lseek" ||
	not_ok "generic events for --syscalls lseek" "$(grep ' dd ' "$TMP/rot.live" | head -3)"
files=$(sed -nE 's/^capture file: .* ([0-9]+) files$/\1/p' "$TMP/rot.live.err")
[ "${files:-0}" -gt 3 ] && [ -s "$TMP/rot.scap0" ] && [ -s "$TMP/rot.scap2" ] && [ ! -e "$TMP/rot.scap3" ] && [ ! -e "$TMP/rot.scap" ] &&
	ok "rotation: $files files opened, names rot.scap0..2 reused" || not_ok "rotation files" "files=$files $(ls "$TMP" | grep rot)"
bad=""
last=$(( (${files:-1} - 1) % 3 )) # the file written last may hold only the tail of the run
for i in 0 1 2; do
	f=$TMP/rot.scap$i
	size=$(stat -c %s "$f")
	n=$(sysdig -r "$f" 2>"$TMP/rot.err" | wc -l)
	min=1000
	[ $i -eq $last ] && min=0
	{ [ "$size" -lt 1100000 ] && [ "$n" -gt $min ] && [ ! -s "$TMP/rot.err" ]; } || bad="$bad $f:size=$size,events=$n,$(head -c 100 "$TMP/rot.err")"
	sysdig -r "$f" -p '%user.name' 2>/dev/null | grep -qx root || bad="$bad $f:no-user-list"
done
[ -z "$bad" ] && ok "rotation: every file is under the limit and complete (sysdig reads events and user list)" || not_ok "rotated files" "$bad"
"$BUILD/sakerdump" -C 1 >"$TMP/o" 2>&1; [ $? -eq 1 ] && grep -q -- "-C needs -w" "$TMP/o" && ok "rotation: -C without -w is refused" || not_ok "-C without -w" "$(cat "$TMP/o")"
"$BUILD/saker" --write-files 2 -w "$TMP/x" >"$TMP/o" 2>&1; [ $? -eq 1 ] && grep -q -- "--write-files needs --write-file-size" "$TMP/o" && ok "rotation: saker --write-files alone is refused" || not_ok "saker --write-files alone" "$(cat "$TMP/o")"
