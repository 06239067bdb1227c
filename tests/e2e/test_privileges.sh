#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# saker with only its capabilities (capsh drops the rest from the bounding
# set): CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE and CAP_SYS_RESOURCE run it and
# an alert fires; without CAP_BPF or CAP_PERFMON it stops with exit 2 and
# names the missing one; without CAP_SYS_PTRACE or CAP_SYS_RESOURCE it runs
# and names what is missing. On this VM root's bounding set lacks
# CAP_SYS_RESOURCE (see ../shared/containers.md), so the "all four" run gets
# the three that exist, and says so.
. "$(dirname "$0")/lib.sh"
command -v capsh >/dev/null || { not_ok "capsh installed (libcap2-bin)"; exit 1; }
S="$BUILD/saker"
MARK="$TMP/marker"
echo hi >"$MARK"
cat >"$TMP/r.yaml" <<Y
- rule: marker read
  desc: cat reads the marker
  condition: evt.type in (open, openat) and fd.name = $MARK and proc.name = cat
  output: "marker read by %proc.name"
  priority: WARNING
Y
ALL=$(capsh --decode=0x$(sed -n 's/^CapBnd:\t//p' /proc/self/status) | sed 's/.*=//' | tr ',' '\n')
# only CAPS...: run the rest of the line with just these capabilities (those in the bounding set)
only() {
	keep=$1
	shift
	drop=$(echo "$ALL" | grep -vxF "$(echo "$keep" | tr ',' '\n')" | paste -sd,)
	capsh --drop="$drop" -- -c "$*"
}

FOUR=cap_bpf,cap_perfmon,cap_sys_ptrace,cap_sys_resource
echo "$ALL" | grep -qx cap_sys_resource || echo "skip - CAP_SYS_RESOURCE: not in root's bounding set on this machine; the run below has the other three"
only $FOUR "exec $S -r $TMP/r.yaml -v -P $TMP/pid" >"$TMP/o" 2>"$TMP/e" &
P=$!
if wait_for "$TMP/e" capturing; then
	cat "$MARK" >/dev/null
	wait_for "$TMP/o" "marker read by cat"
	SP=$(cat "$TMP/pid")
	eff=$(sed -n 's/^CapEff:\t//p' /proc/$SP/status)
	kill -TERM $SP
	wait $P
	rc=$?
	have=$(capsh --decode=0x$eff | sed 's/.*=//' | tr ',' '\n')
	other=$(echo "$have" | grep -vxE 'cap_(bpf|perfmon|sys_ptrace|sys_resource)' | paste -sd,)
	[ $rc -eq 0 ] && grep -q "Warning marker read by cat" "$TMP/o" \
		&& ok "only $(echo "$have" | paste -sd, | tr a-z A-Z): saker captures, the rule fires, exit 0" || not_ok "runs with the four" "rc=$rc $(cat "$TMP/e")"
	[ -z "$other" ] && [ -n "$eff" ] && ok "it had no other capability (CapEff $eff)" || not_ok "no other capability" "CapEff=$eff: $other"
else
	kill $P 2>/dev/null
	not_ok "runs with the four" "$(cat "$TMP/e")"
fi
grep -q "running without CAP_SYS_PTRACE" "$TMP/e" && not_ok "no warning for a capability it has" "$(cat "$TMP/e")" || ok "no warning about CAP_SYS_PTRACE when it has it"

for miss in cap_bpf cap_perfmon; do
	NAME=$(echo $miss | tr a-z A-Z)
	only "$(echo $FOUR | tr ',' '\n' | grep -vx $miss | paste -sd,)" "$S -r $TMP/r.yaml -M 1" >"$TMP/o.$miss" 2>"$TMP/e.$miss"
	rc=$?
	[ $rc -eq 2 ] && grep -q "missing privileges: $NAME:" "$TMP/e.$miss" && ok "without $NAME: exit 2, the error names $NAME" \
		|| not_ok "without $NAME" "rc=$rc $(cat "$TMP/e.$miss")"
done
only cap_bpf,cap_perfmon "$S -r $TMP/r.yaml -M 1" >"$TMP/o.p" 2>"$TMP/e.p"
rc=$?
[ $rc -eq 0 ] && grep -q "running without CAP_SYS_PTRACE: details of other users' processes" "$TMP/e.p" \
	&& grep -q "running without CAP_SYS_RESOURCE" "$TMP/e.p" && ok "without CAP_SYS_PTRACE and CAP_SYS_RESOURCE: runs, names both and what they cost" \
	|| not_ok "without CAP_SYS_PTRACE" "rc=$rc $(cat "$TMP/e.p")"
