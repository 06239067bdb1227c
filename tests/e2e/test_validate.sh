#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# -V as Falco's: for every load error and warning code a rules file in
# tests/fixtures/validate/ with its expected JSON (compared key by key) and
# text (stdout; on stderr Falco's log lines, the warnings of an ok file with them); exit codes;
# several files, each with its own result; list names as whole right sides.
. "$(dirname "$0")/lib.sh"
S=$(cd "$BUILD" && pwd)/saker
FIX=$(cd "$(dirname "$0")/../fixtures/validate" && pwd)
CMP="python3 $(cd "$(dirname "$0")" && pwd)/jsoncmp.py"
cd "$FIX" || exit 1
# compiled FILE RULE: the rule's compiled condition (-l with json_output: details.condition_compiled)
compiled() {
	"$S" -c /dev/null -r "$1" -l "$2" -o json_output=true 2>&1 \
		| python3 -c 'import json,sys; print("compiled: " + json.load(sys.stdin)["rules"][0]["details"]["condition_compiled"])'
}

for want in *.json; do
	b=${want%.json}
	f=$b.yaml
	# exit code: 0 when the golden says the file loaded, else 1
	exp_rc=$(python3 -c 'import json,sys; print(0 if json.load(open(sys.argv[1]))["falco_load_results"][0]["successful"] else 1)' "$want")
	"$S" -V "$f" -o json_output=true >"$TMP/$b.json" 2>"$TMP/$b.err"
	rc=$?
	d=$($CMP "$want" "$TMP/$b.json" | head -5)
	[ $rc -eq "$exp_rc" ] && [ -z "$d" ] && ok "-V $f: JSON as $want, exit $rc" || not_ok "-V $f JSON" "exit $rc (want $exp_rc)" "$d"
	"$S" -V "$f" >"$TMP/$b.txt" 2>/dev/null
	cmp -s "$b.txt" "$TMP/$b.txt" && ok "-V $f: text as $b.txt" || not_ok "-V $f text" "$(diff "$b.txt" "$TMP/$b.txt" | head -8)"
	if [ -f "$b.warn.txt" ]; then
		"$S" -V "$f" 2>"$TMP/$b.warn" >/dev/null
		cmp -s "$b.warn.txt" "$TMP/$b.warn" && ok "-V $f: stderr (log lines, warnings) as $b.warn.txt" \
			|| not_ok "-V $f stderr" "$(diff "$b.warn.txt" "$TMP/$b.warn" | head -8)"
	fi
done

# every code of the issue has a fixture
for code in LOAD_ERR_YAML_PARSE LOAD_ERR_YAML_VALIDATE LOAD_ERR_COMPILE_CONDITION \
	LOAD_ERR_COMPILE_OUTPUT LOAD_ERR_VALIDATE LOAD_UNKNOWN_FILTER LOAD_UNUSED_MACRO LOAD_UNUSED_LIST \
	LOAD_UNKNOWN_ITEM LOAD_UNKNOWN_KEY LOAD_NO_EVTTYPE LOAD_UNKNOWN_SOURCE LOAD_DEPRECATED_ITEM \
	LOAD_APPEND_NO_VALUES LOAD_EXCEPTION_NAME_NOT_UNIQUE LOAD_INVALID_MACRO_NAME LOAD_INVALID_LIST_NAME \
	LOAD_COMPILE_CONDITION; do
	grep -lq "\"$code\"" ./*.json && ok "a golden fixture for $code" || not_ok "a golden fixture for $code"
done

# a file that cannot be read stops -V before anything is loaded, as in Falco (its read pass comes first):
# the error on stderr, nothing on stdout, exit 1, with or without json_output, whatever the other files
for j in false true; do
	"$S" -V good.yaml -V missing.yaml -o json_output=$j >"$TMP/fr.out" 2>"$TMP/fr.err"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$TMP/fr.out" ] \
		&& grep -qx "saker: could not open file 'missing.yaml' for reading: No such file or directory" "$TMP/fr.err" \
		&& ok "-V with an unreadable file (json_output=$j): stops before loading, exit 1" \
		|| not_ok "-V unreadable file json_output=$j" "exit $rc $(cat "$TMP/fr.out" "$TMP/fr.err")"
done
"$S" -V good.yaml -r missing.yaml >"$TMP/fr.out" 2>"$TMP/fr.err"
[ $? -eq 1 ] && [ ! -s "$TMP/fr.out" ] && grep -q "could not open file 'missing.yaml'" "$TMP/fr.err" \
	&& ok "-V with an unreadable -r file: stops too" || not_ok "-V unreadable -r" "$(cat "$TMP/fr.out" "$TMP/fr.err")"

# a file stops at its first error, as in Falco (its reader returns at the first error and then
# nothing is compiled; its compiler throws at the first error): first_compile_error and
# load_error_first have their goldens above, these say why they differ from saker before
python3 - "$FIX/first_compile_error.json" "$FIX/load_error_first.json" <<'P2' && ok "one error per file: the first compile error (output before condition), no unused warnings after it; a read error leaves the file uncompiled" || not_ok "first error per file"
import json, sys
r = json.load(open(sys.argv[1]))["falco_load_results"][0]
assert [(e["code"], e["context"]["locations"][1]["item_name"]) for e in r["errors"]] == [("LOAD_ERR_COMPILE_OUTPUT", "output and condition broken")], r["errors"]
assert [w["code"] for w in r["warnings"]] == ["LOAD_DEPRECATED_ITEM"], r["warnings"]
r = json.load(open(sys.argv[2]))["falco_load_results"][0]
assert [e["code"] for e in r["errors"]] == ["LOAD_ERR_YAML_VALIDATE"] and r["warnings"] == [], r
P2
# macros are checked before rules, as Falco's compile does: the broken macro after the broken rule is
# the one error; an unknown field in a macro no rule uses is no error (Falco finds fields in rules only),
# an undefined macro in one is
python3 - "$FIX/macro_before_rule.json" <<'P2' && ok "macros before rules: a macro's syntax error after a broken rule is the file's one error" || not_ok "macro before rule"
import json, sys
r = json.load(open(sys.argv[1]))["falco_load_results"][0]
assert [(e["code"], e["context"]["locations"][1]["item_type"], e["context"]["locations"][1]["item_name"]) for e in r["errors"]] \
	== [("LOAD_ERR_COMPILE_CONDITION", "macro", "broken_macro")], r["errors"]
P2
printf -- '- macro: m\n  condition: proc.nmae = x\n' >"$TMP/um.yaml"
printf -- '- macro: n\n  condition: evt.type = open and undefined_one\n' >"$TMP/um2.yaml"
"$S" -V "$TMP/um.yaml" -V "$TMP/um2.yaml" -o json_output=true 2>/dev/null >"$TMP/um.json"
python3 - "$TMP/um.json" <<'P2' && ok "an unused macro: an unknown field is no error (LOAD_UNUSED_MACRO), an undefined macro is" || not_ok "unused macro errors" "$(cat "$TMP/um.json")"
import json, sys
a, b = json.load(open(sys.argv[1]))["falco_load_results"]
assert a["successful"] and [w["code"] for w in a["warnings"]] == ["LOAD_UNUSED_MACRO"], a
assert [e["code"] for e in b["errors"]] == ["LOAD_ERR_VALIDATE"] and "undefined_one" in b["errors"][0]["message"], b
P2

# a directory whose file cannot be read: that read error and nothing else (no file of it is loaded)
"$S" -V read_error_first -o json_output=true >"$TMP/rf.json"
rc=$?
python3 - "$TMP/rf.json" <<'P2' && [ $rc -eq 1 ] && ok "-V a directory with an unreadable file: LOAD_ERR_FILE_READ only, exit 1" || not_ok "-V read error first" "exit $rc $(cat "$TMP/rf.json")"
import json, sys
r = json.load(open(sys.argv[1]))["falco_load_results"]
assert len(r) == 1 and r[0]["name"] == "read_error_first" and not r[0]["successful"], r
assert r[0]["warnings"] == [] and len(r[0]["errors"]) == 1, r
e = r[0]["errors"][0]
assert e["code"] == "LOAD_ERR_FILE_READ" and e["codedesc"] == "File read error", e
assert e["message"] == "cannot open rules file 'read_error_first/b.yaml': No such file or directory", e
assert e["context"]["locations"] == [{"item_name": "", "item_type": "rules content",
	"position": {"column": 0, "line": 0, "name": "read_error_first/b.yaml", "offset": 0}}], e
assert e["context"]["snippet"] == "<No context for file + read_error_first/b.yaml>\n", e
P2
"$S" -V read_error_first >"$TMP/rf.txt"
printf '%s\n' 'read_error_first: Invalid' '1 Errors:' 'In rules content: (read_error_first/b.yaml:0:0)' '------' \
	'<No context for file + read_error_first/b.yaml>' '------' \
	"LOAD_ERR_FILE_READ (File read error): cannot open rules file 'read_error_first/b.yaml': No such file or directory" '' >"$TMP/rf.want"
cmp -s "$TMP/rf.want" "$TMP/rf.txt" && ok "-V a directory with an unreadable file: text" || not_ok "-V read error text" "$(diff "$TMP/rf.want" "$TMP/rf.txt")"
# the same directory with b.yaml readable: a.yaml's warning and c.yaml's error are there
mkdir "$TMP/rf" && cp read_error_first/a.yaml read_error_first/c.yaml "$TMP/rf/" && : >"$TMP/rf/b.yaml"
"$S" -V "$TMP/rf" -o json_output=true >"$TMP/rf2.json"
python3 - "$TMP/rf2.json" <<'P2' && ok "the directory readable: its files' messages" || not_ok "-V readable directory" "$(cat "$TMP/rf2.json")"
import json, sys
r = json.load(open(sys.argv[1]))["falco_load_results"][0]
assert [e["code"] for e in r["errors"]] == ["LOAD_ERR_COMPILE_CONDITION"], r
assert [w["code"] for w in r["warnings"]] == ["LOAD_UNUSED_LIST"], r
P2

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

# Falco's log lines (validate_rules_files.cpp, 0.38-0.43) through saker's logger, text and JSON alike:
# "Validating rules file(s):", then "   FILE | schema validation: STATUS" per file in order (rule_json_schema.h
# checked with valijson's words); the full text of a file that is ok with warnings follows
for j in false true; do
	"$S" -V good.yaml -V unknown_key.yaml -V yaml_parse.yaml -o json_output=$j >/dev/null 2>"$TMP/log.err"
	printf '%s\n' 'saker: Validating rules file(s):' 'saker:    good.yaml | schema validation: ok' \
		"saker:    unknown_key.yaml | schema validation: failed for <root>[0]: Object contains a property that could not be validated using 'properties' or 'additionalProperties' constraints: 'prority'." \
		'saker:    yaml_parse.yaml | schema validation: none' 'saker: unknown_key.yaml: Ok, with warnings' >"$TMP/log.want"
	head -5 "$TMP/log.err" | cmp -s "$TMP/log.want" - && ok "-V log lines (json_output=$j): Validating rules file(s), one schema line per file, then the warnings" \
		|| not_ok "-V log lines json_output=$j" "$(head -5 "$TMP/log.err" | diff "$TMP/log.want" -)"
done
printf '# comments only\n' >"$TMP/empty.yaml"
"$S" -V "$TMP/empty.yaml" 2>&1 >/dev/null | grep -qxF "saker:    $TMP/empty.yaml | schema validation: ok" \
	&& ok "schema validation of a file of comments only: ok, as Falco logs it" || not_ok "schema empty file"
"$S" -V good.yaml -o log_level=error >/dev/null 2>"$TMP/log.err"
[ ! -s "$TMP/log.err" ] && ok "-V log lines follow log_level (none at error)" || not_ok "-V log_level" "$(cat "$TMP/log.err")"
# the schema: priorities in capitals, override values, required exception and plugin keys, item types
printf -- '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: Info\n' >"$TMP/s1.yaml"
printf -- '- rule: r\n  exceptions:\n    - fields: [proc.name]\n' >"$TMP/s2.yaml"
printf -- '- required_plugin_versions:\n    - name: container\n' >"$TMP/s3.yaml"
printf -- '- list: l\n  items: [a, [b]]\n' >"$TMP/s4.yaml"
printf -- '- macro: m\n  condition: x\n  override:\n    condition: add\n' >"$TMP/s5.yaml"
for c in "s1:[0][priority]: Failed to match against any enum values." \
	"s2:[0][exceptions][0]: Missing required property 'name'." \
	"s3:[0][required_plugin_versions][0]: Missing required property 'version'." \
	"s4:[0][items][1]: Failed to validate against any schemas allowed by anyOf constraint." \
	"s5:[0][override][condition]: Failed to match against any enum values."; do
	f=${c%%:*}
	"$S" -V "$TMP/$f.yaml" >/dev/null 2>"$TMP/$f.err"
	grep -qxF "saker:    $TMP/$f.yaml | schema validation: failed for <root>${c#*:}" "$TMP/$f.err" \
		&& ok "schema validation: $f fails at ${c#*:}" || not_ok "schema $f" "$(cat "$TMP/$f.err")"
done

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
compiled "$TMP/lists.yaml" r >"$TMP/l"
grep -q 'compiled: evt.type = execve and (proc.name in (bash, sh) or proc.name in (zsh) or proc.pname = zsh)' "$TMP/l" \
	&& ok "list names substituted in parentheses, next to tabs and newlines, as a whole right side" || not_ok "list substitution" "$(cat "$TMP/l")"

# a list naming itself (or a list defined after it) keeps that name as a literal item, as in Falco
compiled self_list.yaml 'editor run' >"$TMP/sl"
# (Falco substitutes list names in the condition text list by list, in definition order: "editors"
# brings in "editors" and "later_list"; the first stays, the second is substituted after)
grep -q 'compiled: evt.type = execve and proc.name in (vi, editors, nano, nano)' "$TMP/sl" \
	&& ok "a self-referencing list keeps its name as a literal; a later list named inside it is substituted" \
	|| not_ok "self list" "$(cat "$TMP/sl")"

# a compile warning inside a macro is reported once, at the macro, however many rules use it
cat >"$TMP/mw.yaml" <<'Y'
- macro: same_name
  condition: proc.name = proc.pname
- rule: a
  desc: a
  condition: evt.type = execve and same_name
  output: a
  priority: INFO
- rule: b
  desc: b
  condition: evt.type = openat and same_name
  output: b
  priority: INFO
Y
"$S" -V "$TMP/mw.yaml" -o json_output=true >"$TMP/mw.json"
python3 - "$TMP/mw.json" <<'P' && ok "LOAD_COMPILE_CONDITION in a macro: once, at the macro's token" || not_ok "macro compile warning" "$(head -c 600 "$TMP/mw.json")"
import json, sys
w = json.load(open(sys.argv[1]))["falco_load_results"][0]["warnings"]
cc = [x for x in w if x["code"] == "LOAD_COMPILE_CONDITION"]
assert len(cc) == 1, w
loc = cc[0]["context"]["locations"]
assert loc[1]["item_type"] == "macro" and loc[1]["item_name"] == "same_name", loc
assert loc[-1]["item_type"] == "condition expression" and loc[-1]["position"]["line"] == 2 and loc[-1]["position"]["column"] == 26, loc
P

# overrides and appends across documents and files, in Falco's order: every item as loaded, file by file,
# document by document; macros and lists resolved after all of them; rules keep their first position
cat >"$TMP/order_a.yaml" <<'Y'
- list: bins
  items: [ls]
- macro: spawned
  condition: evt.type = execve
- rule: r1
  desc: one
  condition: spawned and proc.name in (bins)
  output: "one %proc.name"
  priority: INFO
- rule: r2
  desc: two
  condition: evt.type = openat
  output: "two"
  priority: INFO
---
- list: bins
  items: [cat]
  override:
    items: append
- rule: r1
  condition: and proc.pid > 1
  override:
    condition: append
Y
cat >"$TMP/order_b.yaml" <<'Y'
- macro: spawned
  condition: and evt.dir = <
  override:
    condition: append
- rule: r3
  desc: three
  condition: evt.type = close
  output: "three"
  priority: INFO
- rule: r2
  output: "two replaced %fd.name"
  priority: ERROR
  override:
    output: replace
    priority: replace
- list: bins
  items: [head]
  override:
    items: append
- rule: r1
  desc: one, redefined
  condition: spawned and proc.name in (bins) and proc.pid > 2
  output: "one again %proc.name"
  priority: NOTICE
Y
"$S" -c /dev/null -r "$TMP/order_a.yaml" -r "$TMP/order_b.yaml" -L >"$TMP/ord.L" 2>&1 \
	&& [ "$(sed -n '3,$p' "$TMP/ord.L" | grep -v '^ ' | grep . | cut -c1-50 | tr -s ' ' | tr '\n' '|')" = "r1 |r2 |r3 |" ] \
	&& ok "rules across files keep the order of their first definition (r1 r2 r3)" || not_ok "order -L" "$(cat "$TMP/ord.L")"
"$S" -c /dev/null -r "$TMP/order_a.yaml" -r "$TMP/order_b.yaml" -L -o json_output=true >"$TMP/ord.json" 2>&1
python3 - "$TMP/ord.json" <<'P' && ok "appends and overrides across documents and files applied in order" || not_ok "override order" "$(head -c 800 "$TMP/ord.json")"
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["info"]["name"]: x for x in d["rules"]}
# r1: redefined in b (the document-2 append of a is replaced with it), in its first position
assert r["r1"]["info"]["condition"] == "spawned and proc.name in (bins) and proc.pid > 2", r["r1"]["info"]
assert r["r1"]["info"]["priority"] == "Notice" and r["r1"]["info"]["description"] == "one, redefined"
c = r["r1"]["details"]["condition_compiled"]
# the macro append of file b reaches r1; the list has the items of both documents of a and of b
assert "evt.dir = <" in c and "ls, cat, head" in c and "proc.pid > 2" in c and "proc.pid > 1" not in c, c
assert r["r2"]["info"]["output"] == "two replaced %fd.name" and r["r2"]["info"]["priority"] == "Error", r["r2"]["info"]
assert r["r2"]["info"]["condition"] == "evt.type = openat"
l = {x["info"]["name"]: x for x in d["lists"]}
assert l["bins"]["details"]["items_compiled"] == ["ls", "cat", "head"], l["bins"]
m = {x["info"]["name"]: x for x in d["macros"]}
assert m["spawned"]["info"]["condition"] == "evt.type = execve and evt.dir = <", m["spawned"]["info"]
P
"$S" -c /dev/null -r "$TMP/order_b.yaml" -r "$TMP/order_a.yaml" -V "$TMP/order_b.yaml" >"$TMP/ord.V" 2>&1
[ $? -eq 1 ] && grep -q "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists" "$TMP/ord.V" \
	&& ok "the files the other way round: the append in the first file has nothing to append to" || not_ok "reverse order" "$(head -20 "$TMP/ord.V")"

# an appended exception naming one the rule has adds its values to it (no fields needed), as in Falco
cat >"$TMP/exc.yaml" <<'Y'
- rule: passwd read
  desc: passwd was read
  condition: evt.type = openat and fd.name = /etc/passwd
  output: "read %fd.name by %proc.name"
  priority: WARNING
  exceptions:
    - name: trusted
      fields: [proc.name]
      values: [[sshd]]
- rule: passwd read
  exceptions:
    - name: trusted
      values: [[login]]
  override:
    exceptions: append
Y
compiled "$TMP/exc.yaml" 'passwd read' >"$TMP/exc.l"
grep -q 'compiled: evt.type = openat and fd.name = /etc/passwd and not (proc.name = sshd or proc.name = login)' "$TMP/exc.l" \
	&& ok "an appended exception of the same name adds its values" || not_ok "exception append values" "$(cat "$TMP/exc.l")"

# required_plugin_versions: a plugin saker lacks is Falco's fatal error (validate_rules_files.cpp,
# check_plugin_requirements): after the schema lines, the message on stderr, nothing on stdout, exit 1,
# text and JSON alike; saker's built-in container plugin meets a container requirement of its major version
cat >"$TMP/pv_k8s.yaml" <<'Y'
- required_plugin_versions:
    - name: container
      version: 0.4.0
    - name: k8saudit
      version: 0.7.0
      alternatives:
        - name: k8saudit-eks
          version: 0.4.0
Y
printf -- '- required_plugin_versions:\n    - name: container\n      version: 1.0.0\n' >"$TMP/pv_major.yaml"
printf -- '- required_plugin_versions:\n    - name: container\n      version: 0.1.0\n' >"$TMP/pv_ok.yaml"
for j in false true; do
	"$S" -V good.yaml -V "$TMP/pv_k8s.yaml" -o json_output=$j >"$TMP/pv.out" 2>"$TMP/pv.err"
	rc=$?
	printf '%s\n' 'saker: Validating rules file(s):' 'saker:    good.yaml | schema validation: ok' \
		"saker:    $TMP/pv_k8s.yaml | schema validation: ok" \
		'saker: Plugin requirement not satisfied, must load one of: k8saudit (>= 0.7.0), k8saudit-eks (>= 0.4.0)' >"$TMP/pv.want"
	[ $rc -eq 1 ] && [ ! -s "$TMP/pv.out" ] && cmp -s "$TMP/pv.want" "$TMP/pv.err" \
		&& ok "-V with a plugin saker lacks (json_output=$j): Falco's 'Plugin requirement not satisfied', nothing on stdout, exit 1" \
		|| not_ok "-V missing plugin json_output=$j" "exit $rc $(cat "$TMP/pv.out"; diff "$TMP/pv.want" "$TMP/pv.err")"
done
"$S" -V "$TMP/pv_major.yaml" >"$TMP/pv.out" 2>"$TMP/pv.err"
[ $? -eq 1 ] && [ ! -s "$TMP/pv.out" ] && grep -qxF "saker: Plugin 'container' version '0.6.0' is not compatible with required plugin version '1.0.0'" "$TMP/pv.err" \
	&& ok "-V with container 1.0.0 required: Falco's 'is not compatible' (another major version)" || not_ok "-V container major" "$(cat "$TMP/pv.out" "$TMP/pv.err")"
"$S" -V "$TMP/pv_ok.yaml" >"$TMP/pv.out" 2>"$TMP/pv.err"
[ $? -eq 0 ] && grep -qxF "$TMP/pv_ok.yaml: Ok" "$TMP/pv.out" && ok "-V with container 0.1.0 required: Ok (the built-in container plugin)" \
	|| not_ok "-V container ok" "$(cat "$TMP/pv.out" "$TMP/pv.err")"
