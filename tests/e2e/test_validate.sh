#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# -V as Falco's: for every load error and warning code a rules file in
# tests/fixtures/validate/ with its expected JSON (compared key by key) and
# text (stdout; with -v, the warnings of an ok file on stderr); exit codes;
# several files, each with its own result; list names as whole right sides.
. "$(dirname "$0")/lib.sh"
S=$(cd "$BUILD" && pwd)/saker
FIX=$(cd "$(dirname "$0")/../fixtures/validate" && pwd)
CMP="python3 $(cd "$(dirname "$0")" && pwd)/jsoncmp.py"
cd "$FIX" || exit 1

for want in *.json; do
	b=${want%.json}
	f=$b.yaml
	[ "$b" = file_read ] && f=missing.yaml
	# exit code: 0 when the golden says the file loaded, else 1
	exp_rc=$(python3 -c 'import json,sys; print(0 if json.load(open(sys.argv[1]))["falco_load_results"][0]["successful"] else 1)' "$want")
	"$S" -V "$f" -o json_output=true >"$TMP/$b.json" 2>"$TMP/$b.err"
	rc=$?
	d=$($CMP "$want" "$TMP/$b.json" | head -5)
	[ $rc -eq "$exp_rc" ] && [ -z "$d" ] && ok "-V $f: JSON as $want, exit $rc" || not_ok "-V $f JSON" "exit $rc (want $exp_rc)" "$d"
	"$S" -V "$f" >"$TMP/$b.txt" 2>/dev/null
	cmp -s "$b.txt" "$TMP/$b.txt" && ok "-V $f: text as $b.txt" || not_ok "-V $f text" "$(diff "$b.txt" "$TMP/$b.txt" | head -8)"
	if [ -f "$b.warn.txt" ]; then
		"$S" -V "$f" -v 2>"$TMP/$b.warn" >/dev/null
		cmp -s "$b.warn.txt" "$TMP/$b.warn" && ok "-V $f -v: warnings as $b.warn.txt" \
			|| not_ok "-V $f -v warnings" "$(diff "$b.warn.txt" "$TMP/$b.warn" | head -8)"
	fi
done

# every code of the issue has a fixture
for code in LOAD_ERR_FILE_READ LOAD_ERR_YAML_PARSE LOAD_ERR_YAML_VALIDATE LOAD_ERR_COMPILE_CONDITION \
	LOAD_ERR_COMPILE_OUTPUT LOAD_ERR_VALIDATE LOAD_UNKNOWN_FILTER LOAD_UNUSED_MACRO LOAD_UNUSED_LIST \
	LOAD_UNKNOWN_ITEM LOAD_UNKNOWN_KEY LOAD_NO_EVTTYPE LOAD_UNKNOWN_SOURCE; do
	grep -lq "\"$code\"" ./*.json && ok "a golden fixture for $code" || not_ok "a golden fixture for $code"
done

# several files: one JSON document, one result each; a broken file leaves the others Ok
"$S" -V compile_condition.yaml -V good.yaml -V unused.yaml -o json_output=true >"$TMP/multi.json"
rc=$?
python3 - "$TMP/multi.json" <<'P' && [ $rc -eq 1 ] && ok "-V three files: one document, the broken one Invalid, the others successful, exit 1" || not_ok "-V three files" "exit $rc $(head -c 300 "$TMP/multi.json")"
import json, sys
r = json.loads(open(sys.argv[1]).read())["falco_load_results"]
assert [x["name"] for x in r] == ["compile_condition.yaml", "good.yaml", "unused.yaml"], r
assert [x["successful"] for x in r] == [False, True, True]
assert r[1]["errors"] == [] and r[1]["warnings"] == [] and len(r[2]["warnings"]) == 2
P
"$S" -V good.yaml -r compile_output.yaml >"$TMP/multi.txt" 2>/dev/null
rc=$?
[ $rc -eq 1 ] && grep -qx 'good.yaml: Ok' "$TMP/multi.txt" && grep -qx 'compile_output.yaml: Invalid' "$TMP/multi.txt" \
	&& ok "-V with -r: the valid file Ok, the broken one Invalid" || not_ok "-V with -r" "exit $rc $(cat "$TMP/multi.txt")"
"$S" -V good.yaml -V unknown_key.yaml >"$TMP/ok.txt" 2>/dev/null
[ $? -eq 0 ] && [ "$(cat "$TMP/ok.txt")" = "$(printf 'good.yaml: Ok\nunknown_key.yaml: Ok, with warnings')" ] \
	&& ok "-V files with warnings only: exit 0, 'Ok, with warnings'" || not_ok "-V warnings only" "$(cat "$TMP/ok.txt")"

# a condition error inside a folded block points at the token's line and column in the file
python3 - "$FIX/compile_condition.json" <<'P' && ok "condition error: file line 5, column 34 inside 'condition: >'" || not_ok "condition error position"
import json, sys
loc = json.load(open(sys.argv[1]))["falco_load_results"][0]["errors"][0]["context"]["locations"][-1]
assert loc["item_type"] == "condition expression" and loc["position"]["line"] == 5 and loc["position"]["column"] == 34, loc
line = open("compile_condition.yaml").read().split("\n")[4]
assert line[33:].startswith("fd.nmae"), line
P

# a list name is substituted where Falco substitutes it: in parentheses (next to
# tabs and newlines too) and as the whole right side of a one-value operator
cat >"$TMP/lists.yaml" <<'Y'
- list: shells
  items: [bash, sh]
- list: one_shell
  items: [zsh]
- rule: r
  desc: d
  condition: >
    evt.type = execve and (proc.name in (	shells	) or proc.name in (
      one_shell
    ) or proc.pname = one_shell)
  output: o
  priority: INFO
Y
"$S" -r "$TMP/lists.yaml" -l r >"$TMP/l" 2>&1
grep -q 'expanded condition: evt.type = execve and (proc.name in (bash, sh) or proc.name in (zsh) or proc.pname = zsh)' "$TMP/l" \
	&& ok "list names substituted in parentheses, next to tabs and newlines, as a whole right side" || not_ok "list substitution" "$(grep expanded "$TMP/l")"
