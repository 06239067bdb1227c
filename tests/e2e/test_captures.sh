#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every capture in ../shared/captures: `sakerdump -r` prints the same events
# with the same values as `sysdig -r` for the common fields. Where sysdig
# shows <NA>, saker may show a value (it knows more, e.g. users).
. "$(dirname "$0")/lib.sh"
CAPS=${CAPTURES:-$(dirname "$0")/../../../shared/captures}
FMT='*%evt.num %evt.time %evt.type %evt.dir %proc.name %thread.tid %proc.pid %fd.num %fd.name %evt.res %proc.cmdline %user.name'
command -v sysdig >/dev/null || { not_ok "sysdig installed (make deps)"; exit 1; }
for cap in "$CAPS"/*.scap; do
	name=$(basename "$cap" .scap)
	sysdig -r "$cap" -p "$FMT" >"$TMP/$name.sysdig" 2>"$TMP/$name.sysdig.err"
	"$BUILD/sakerdump" -r "$cap" -p "$FMT" >"$TMP/$name.saker" 2>"$TMP/$name.saker.err"
	rc=$?
	check "$name: read without error" [ "$rc" -eq 0 ]
	n1=$(wc -l <"$TMP/$name.sysdig")
	n2=$(wc -l <"$TMP/$name.saker")
	if [ "$n1" -eq "$n2" ]; then ok "$name: same event count ($n1)"; else not_ok "$name: same event count" "sysdig $n1, saker $n2"; fi
	# compare field by field; a <NA> from sysdig matches anything
	diffs=$(paste -d '\n' "$TMP/$name.sysdig" "$TMP/$name.saker" | awk '
		NR % 2 == 1 { want = $0; next }
		{
			nw = split(want, w, " "); ng = split($0, g, " ")
			# the last field, user.name, and cmdline (variable words) are compared as a tail
			bad = 0
			for (i = 1; i <= 10; i++) if (w[i] != "<NA>" && w[i] != g[i]) bad = 1
			if (w[nw] != "<NA>" && w[nw] != g[ng]) bad = 1
			wt = ""; gt = ""
			for (i = 11; i < nw; i++) wt = wt " " w[i]
			for (i = 11; i < ng; i++) gt = gt " " g[i]
			if (wt != gt && wt != " <NA>") bad = 1
			if (bad) { print "sysdig: " want; print "saker:  " $0; n++ }
			if (n >= 3) exit
		}')
	if [ -z "$diffs" ]; then ok "$name: same values as sysdig"; else not_ok "$name: same values as sysdig" "$diffs"; fi
done
