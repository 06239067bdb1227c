#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fields of current Falco that sysdig 0.29 does not know, checked on the
# shared captures in a condition and in an output (saker -e, sakerdump -r),
# with sysdig as the oracle wherever an older field means the same:
# proc.args[N] and proc.aargs (Falco 0.41), evt.is_async and evt.asynctype,
# evt.pluginname and evt.plugininfo, proc.pidns_init_start_ts.
. "$(dirname "$0")/lib.sh"
CAPS=${CAPTURES:-$(dirname "$0")/../../../shared/captures}
command -v sysdig >/dev/null || { not_ok "sysdig installed (make deps)"; exit 1; }
CAP=$CAPS/open-multiple-files.scap
[ -f "$CAP" ] || { not_ok "shared capture open-multiple-files.scap"; exit 1; }

# proc.args[N]: the Nth argument after argv[0]. python runs one argument here,
# so proc.args[0] = open.py selects what sysdig's proc.args = open.py selects.
sysdig -r "$CAP" -p '%evt.num' 'proc.args = open.py' >"$TMP/s" 2>/dev/null
"$BUILD/sakerdump" -r "$CAP" -p '%evt.num' 'proc.args[0] = open.py' >"$TMP/k" 2>/dev/null
[ -s "$TMP/s" ] && cmp -s "$TMP/s" "$TMP/k" && ok "proc.args[0] = open.py selects sysdig's proc.args = open.py ($(wc -l <"$TMP/s") events)" ||
	not_ok "proc.args[0] = open.py selects sysdig's proc.args = open.py" "$(diff "$TMP/s" "$TMP/k" | head -3)"
"$BUILD/sakerdump" -r "$CAP" -p '%evt.num' 'proc.args[1] exists' >"$TMP/k" 2>/dev/null
[ ! -s "$TMP/k" ] && ok "proc.args[1]: no second argument, no value" || not_ok "proc.args[1] exists" "$(head -2 "$TMP/k")"
# the parent, python's shell, ran with two arguments: proc.aargs[1] is the parent's proc.args (sysdig: %proc.pcmdline's tail)
sysdig -r "$CAP" -p '*%evt.num %proc.pname %proc.pcmdline' 'proc.name = python' >"$TMP/s" 2>/dev/null
"$BUILD/sakerdump" -r "$CAP" -p '*%evt.num %proc.pname %proc.pname %proc.aargs[1]' 'proc.name = python' >"$TMP/k" 2>/dev/null
[ -s "$TMP/s" ] && cmp -s "$TMP/s" "$TMP/k" && ok "proc.aargs[1] is the parent's arguments, as sysdig's proc.pcmdline ($(head -1 "$TMP/k"))" ||
	not_ok "proc.aargs[1] is the parent's arguments" "$(diff "$TMP/s" "$TMP/k" | head -3)"
# without N: a condition matches any ancestor's (not the process's own), an output prints the process's own
parent_args=$("$BUILD/sakerdump" -r "$CAP" -p '%proc.aargs[1]' 'proc.name = python' 2>/dev/null | head -1)
n1=$("$BUILD/sakerdump" -r "$CAP" -p '%evt.num' "proc.aargs = \"$parent_args\"" 2>/dev/null | wc -l)
n2=$("$BUILD/sakerdump" -r "$CAP" -p '%evt.num' 'proc.aargs = open.py' 2>/dev/null | wc -l)
np=$("$BUILD/sakerdump" -r "$CAP" -p '%evt.num' 'proc.name = python' 2>/dev/null | wc -l)
[ -n "$parent_args" ] && [ "$n1" -ge "$np" ] && [ "$n2" -eq 0 ] && ok "proc.aargs in a condition: any ancestor ($n1 events), not the process itself" ||
	not_ok "proc.aargs in a condition" "parent_args='$parent_args' n1=$n1 np=$np n2=$n2"

# In a rule: conditions and outputs of saker itself
cat >"$TMP/r.yaml" <<'EOF'
- rule: issue17_args
  desc: indexed and ancestor arguments, async and plugin fields
  condition: evt.type = open and evt.dir = < and proc.args[0] = open.py and proc.aargs[1] exists and evt.is_async = false and not evt.asynctype exists and not evt.pluginname exists
  output: "a0=%proc.args[0] a1=%proc.args[1] aa=[%proc.aargs] aa0=[%proc.aargs[0]] async=%evt.is_async at=%evt.asynctype pn=%evt.pluginname pi=%evt.plugininfo ns=%proc.pidns_init_start_ts"
  priority: INFO
EOF
"$BUILD/saker" -r "$TMP/r.yaml" -e "$CAP" -o stdout_output.enabled=true >"$TMP/alerts" 2>"$TMP/alerts.err"
nopen=$(sysdig -r "$CAP" -p '%evt.num' 'evt.type = open and evt.dir = < and proc.name = python' 2>/dev/null | wc -l)
nalert=$(grep -c 'a0=open.py a1=<NA> aa=\[open.py\] aa0=\[open.py\] async=false at=<NA> pn=<NA> pi=<NA> ns=0$' "$TMP/alerts")
[ "$nopen" -gt 0 ] && [ "$nalert" -eq "$nopen" ] && ok "a rule on proc.args[N], proc.aargs, evt.is_async, evt.asynctype, evt.pluginname fires on python's $nopen open exits" ||
	not_ok "a rule on the new fields" "alerts=$nalert want=$nopen" "$(head -2 "$TMP/alerts") $(head -2 "$TMP/alerts.err")"

# evt.is_async: no shared capture has a meta event, so false on every event, as many as sysdig prints
for cap in "$CAPS"/*.scap; do
	name=$(basename "$cap" .scap)
	ns=$(sysdig -r "$cap" -p '*%evt.num' 2>/dev/null | wc -l)
	nf=$("$BUILD/sakerdump" -r "$cap" -p '*%evt.num' 'evt.is_async = false' 2>/dev/null | wc -l)
	nt=$("$BUILD/sakerdump" -r "$cap" -p '*%evt.num' 'evt.is_async = true or evt.asynctype exists' 2>/dev/null | wc -l)
	[ "$nf" -eq "$ns" ] && [ "$nt" -eq 0 ] && ok "$name: evt.is_async false on all $ns events, no evt.asynctype" ||
		not_ok "$name: evt.is_async" "false=$nf sysdig=$ns true=$nt"
done

# --list says why a field has no value
"$BUILD/saker" --list >"$TMP/list" 2>/dev/null
for f in evt.pluginname evt.plugininfo proc.pidns_init_start_ts proc.exe_ino.ctime_duration_pidns_start; do
	grep -A2 -E "^$f( |$)" "$TMP/list" | tr '\n' ' ' | grep -Eq 'no plugins|not filled by saker' && ok "--list says why $f has no value" ||
		not_ok "--list says why $f has no value" "$(grep -A1 -E "^$f( |$)" "$TMP/list")"
done
