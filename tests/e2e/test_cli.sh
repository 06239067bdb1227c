#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Falco's command line and config contracts: --help names every flag, an
# unknown flag prints the usage and exits 1, --list[=syscall] / -N /
# --markdown, --list-events, -L and -l with json_output, --support, --dry-run,
# -U; config validation (each bad value fails naming the key, exit 1), the
# rules_file/rules_files keys, -o list[]= and -o key={json}; Falco-era
# configs written from Falco's documented keys load.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
S=$(cd "$BUILD" && pwd)/saker
FIX=$HERE/../fixtures
SRC=$HERE/../../src/app/saker.c
CAP=$(cd "$HERE/../../../shared/captures" 2>/dev/null && pwd)
cd "$TMP" || exit 1
: >empty.yaml
# the rule names of -L's text (Falco's two columns after the two header lines), one a line
names() { sed -n '3,$p' "$1" | grep -v '^ ' | grep . | cut -c1-50 | sed 's/ *$//'; }

cat >r.yaml <<'Y'
- required_engine_version: 0.50.0
- list: shells
  items: [bash, sh]
- list: more_shells
  items: [shells, zsh]
- macro: spawned
  condition: evt.type = execve and evt.dir = <
- rule: shell run
  desc: a shell ran
  condition: spawned and proc.name in (more_shells)
  output: "shell %proc.name (%proc.cmdline)"
  priority: WARNING
  tags: [process, test]
- rule: other
  desc: another
  condition: evt.type = openat and fd.name = /etc/shadow
  output: "%fd.name"
  priority: ERROR
- rule: long
  desc: >
    a rule whose description is long enough to be wrapped by Falco's text layout of -L, which keeps
    each line of the second column within 110 characters and indents the lines after the first
  condition: evt.type in (connect, accept) and not tolower(proc.pname) = val(proc.name) and fd.sport exists
  output: "%proc.name %fd.name %proc.aname[2]"
  priority: NOTICE
  exceptions:
    - name: pairs
      fields: [proc.name, fd.sport]
      comps: [=, in]
      values: [[nginx, [80, 443]]]
    - name: one
      fields: proc.exe
      values: [/usr/bin/curl]
Y

# --help: every flag the parser accepts is listed
"$S" --help >help.txt 2>&1
rc=$?
missing=""
for f in -c --disasm -D -e -h --help --dry-run -L -l --list --list-events --list-markdown -M --markdown -N \
	--no-compress -o -P -p --cri --disable-cri-async -r -s --support -T -t -U --unbuffered -V --validate -v -w \
	--write-file-size --write-files --version; do
	grep -qE -- "(^| )$f([ =,[)]|$)" help.txt || missing="$missing $f"
done
[ $rc -eq 0 ] && [ -z "$missing" ] && ok "--help lists every flag" || not_ok "--help lists every flag" "exit $rc, missing:$missing"
# every long option in the parser's table (src/app/saker.c) is in --help
for lo in $(grep -o '{"[a-z][a-z-]*", [a-z_]*_argument' "$SRC" | sed 's/{"\([^"]*\)".*/\1/'); do
	grep -qE -- "--$lo([ =,[)]|$)" help.txt || missing="$missing --$lo"
done
[ -z "$missing" ] && ok "--help: every long option of the parser's table is listed" || not_ok "--help completeness" "missing:$missing"

# an unknown flag: the usage on stderr, exit 1
"$S" --no-such-flag >out.txt 2>err.txt
rc=$?
[ $rc -eq 1 ] && grep -q '^usage: saker' err.txt && [ ! -s out.txt ] && ok "unknown flag: usage on stderr, exit 1" \
	|| not_ok "unknown flag" "exit $rc" "$(head -3 err.txt)"
"$S" -Z >out.txt 2>err.txt
[ $? -eq 1 ] && grep -q '^usage: saker' err.txt && ok "unknown short flag: usage, exit 1" || not_ok "unknown short flag"

# --list, --list=syscall, -N, --markdown: Falco's layout (libsinsp's field class blocks)
"$S" --list >all.txt && "$S" --list=syscall >sys.txt && cmp -s all.txt sys.txt \
	&& ok "--list=syscall lists the syscall fields (all of saker's)" || not_ok "--list=syscall"
"$S" --list=k8s_audit >/dev/null 2>err.txt
[ $? -eq 1 ] && grep -q 'value for --list must be a valid source type' err.txt && ok "--list=UNKNOWN: error, exit 1" \
	|| not_ok "--list=UNKNOWN" "$(cat err.txt)"
# each class: a rule of dashes, "Field Class:" / "Description:" / "Event Sources:" padded to column 30,
# a blank line, the fields (name padded to 30, description wrapped at 120 with continuation lines
# indented 30), a blank line; in libsinsp's class order
[ "$(grep '^Field Class:' all.txt | cut -c31- | tr '\n' '|')" = \
	"evt (All event types)|evt (Syscall events only)|process|user|group|container|fd|fs.path|fdlist|k8s|" ] \
	&& ok "--list: Falco's field classes, in libsinsp's order" || not_ok "--list classes" "$(grep '^Field Class:' all.txt)"
python3 - all.txt <<'P2' && ok "--list: Falco's columns (30, 120) and block layout" || not_ok "--list layout"
import sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[0] == "-------------------------------", lines[0]
assert lines[1] == "Field Class:".ljust(30) + "evt (All event types)", lines[1]
assert lines[2] == "Description:".ljust(30) + "These fields can be used for all event types ", lines[2]
assert lines[3] == "Event Sources:".ljust(30) + "syscall ", lines[3]
assert lines[4] == "" and lines[5] == "evt.num".ljust(30) + "event number ", lines[5]
for l in lines:
    assert len(l) <= 120, l
    assert not l or l[0] != " " or (l[:30].strip() == "" and l[30] != " "), repr(l)
name = [l for l in lines if l.startswith("proc.aname ")][0]
assert name[30:].startswith("(ARG_ALLOWED) "), name
assert [l for l in lines if l.startswith("evt.arg ")][0][30:].startswith("(ARG_REQUIRED) ")
# a long description goes on in lines indented to column 30
i = lines.index([l for l in lines if l.startswith("Description:") and "syscall events" in l][0])
assert lines[i + 1].startswith(" " * 30) and lines[i + 1][30] != " ", lines[i + 1]
P2
"$S" --list -v | grep -q '^proc.name  *(Type: CHARBUF) ' && ok "--list -v: each description starts with its type" \
	|| not_ok "--list -v"
"$S" --list -N >names.txt
n=$(wc -l <names.txt)
[ "$n" -gt 100 ] && grep -qx 'proc.name' names.txt && grep -qx 'fd.name' names.txt && ! grep -q ' ' names.txt \
	&& [ "$n" -eq "$(grep -c '^[a-z]' all.txt)" ] && ok "-N: field names only, one a line ($n)" \
	|| not_ok "-N" "$n lines, $(grep -c '^[a-z]' all.txt) in --list"
"$S" --list --markdown >md.txt
python3 - md.txt <<'P2' && ok "--list --markdown: Falco's per-class tables" || not_ok "--list --markdown" "$(head -12 md.txt)"
import sys
t = open(sys.argv[1]).read()
head = ("## Field Class: evt\n\nThese fields can be used for all event types\n\nEvent Sources: syscall \n\n"
        "Name | Type | Description\n:----|:-----|:-----------\n`evt.num` | UINT64 | event number\n")
assert t.startswith(head), t[:300]
assert t.count("## Field Class: ") == 10
assert "\n`proc.name` | CHARBUF | " in t and "\n\n## Field Class: process\n\nAdditional information about the process" in t
P2
# --list-events: Falco's lines "> name(TYPE param, ...)", then the generic syscalls
"$S" --list-events >ev.txt
grep -qx '> open(FSPATH name, FLAGS32 flags, UINT32 mode)' ev.txt && grep -q '^< execve(' ev.txt \
	&& grep -q '^> syscall(\|^> [a-z_0-9]*(SYSCALLID ID, UINT16 nativeID)$' ev.txt \
	&& ! grep -v '^[<>] [a-z_0-9]*(.*)$' ev.txt | grep -q . && ok "--list-events: every event with its parameters" \
	|| not_ok "--list-events" "$(head -3 ev.txt)"
"$S" --list-syscall-events | cmp -s - ev.txt && ok "--list-syscall-events: the same list (Falco's older name)" \
	|| not_ok "--list-syscall-events"
"$S" --list-events --markdown >evmd.txt
[ "$(head -2 evmd.txt)" = "$(printf 'Falco | Dir | Event\n:-----|:----|:-----')" ] \
	&& grep -qx 'Yes | > | \*\*open\*\*(FSPATH name, FLAGS32 flags, UINT32 mode)' evmd.txt \
	&& [ "$(wc -l <evmd.txt)" -eq $(($(wc -l <ev.txt) + 2)) ] && ok "--list-events --markdown: Falco's table" \
	|| not_ok "--list-events --markdown" "$(head -3 evmd.txt)"

# --rule-schema: Falco's rules schema (rule_json_schema.h) as nlohmann's dump(2) prints it (keys sorted,
# indent 2); it is the schema -V checks: a JSON Schema validator (python's jsonschema, when there) agrees
# with -V's "schema validation" word on every fixture of tests/fixtures/validate
"$S" --rule-schema >rs.json 2>rs.err
rc=$?
python3 - rs.json <<'P' && [ $rc -eq 0 ] && [ ! -s rs.err ] && ok "--rule-schema: Falco's rules schema, dump(2) form, exit 0" || not_ok "--rule-schema" "exit $rc $(head -c 300 rs.json)"
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t)
assert t == json.dumps(d, indent=2, sort_keys=True) + "\n"
assert d["$schema"] == "http://json-schema.org/draft-06/schema#" and d["type"] == "array"
assert d["items"] == {"$ref": "#/definitions/FalcoRule"}
r = d["definitions"]["FalcoRule"]
assert sorted(r["properties"]) == sorted(["required_engine_version", "required_plugin_versions", "macro", "condition",
    "list", "items", "rule", "desc", "enabled", "output", "append", "priority", "capture", "capture_duration",
    "capture_events", "capture_filesize", "source", "exceptions", "override", "tags", "warn_evttypes",
    "skip-if-unknown-filter"]) and r["additionalProperties"] is False and r["required"] == []
assert d["definitions"]["Priority"]["enum"] == ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO",
    "INFORMATIONAL", "DEBUG"]
assert d["definitions"]["Override"]["minProperties"] == 1 and d["definitions"]["Exception"]["required"] == ["name"]
assert d["definitions"]["RequiredPluginVersion"]["required"] == ["name", "version"]
assert d["definitions"]["Item"]["anyOf"] == [{"type": "integer"}, {"type": "string"}]
P
if python3 -c 'import jsonschema, yaml' 2>/dev/null; then
	bad=""
	for f in "$FIX"/validate/*.yaml; do
		st=$("$S" -V "$f" 2>&1 >/dev/null | sed -n 's/.* | schema validation: \([a-z]*\).*/\1/p' | head -1)
		py=$(python3 - "$f" rs.json <<'P'
import json, sys, yaml, jsonschema
try:
    d = yaml.safe_load(open(sys.argv[1]))
except Exception:
    print("none"); sys.exit()
def blank(v):  # yaml-cpp's null scalars are empty strings to the schema check, as saker reads them
    return "" if v is None else {k: blank(x) for k, x in v.items()} if isinstance(v, dict) else [blank(x) for x in v] if isinstance(v, list) else v
try:
    jsonschema.validate(blank(d) if d is not None else [], json.load(open(sys.argv[2])))
    print("ok")
except jsonschema.ValidationError:
    print("failed")
P
)
		[ "$st" = "$py" ] || bad="$bad $(basename "$f"):$st/$py"
	done
	[ -z "$bad" ] && ok "--rule-schema is the schema -V checks: jsonschema agrees on every validate fixture" \
		|| not_ok "--rule-schema vs -V" "$bad"
else
	echo "skip - --rule-schema vs -V (no python3 jsonschema/yaml)"
fi

# -L and -l: text, and with json_output Falco's describe JSON
"$S" -c empty.yaml -r r.yaml -L >l.txt 2>&1 && cmp -s l.txt "$FIX/describe/L.txt" && ok "-L text: Falco's two columns, as describe/L.txt" \
	|| not_ok "-L text" "$(diff "$FIX/describe/L.txt" l.txt | head -8)"
"$S" -c empty.yaml -r r.yaml -l other >l1.txt 2>&1 && cmp -s l1.txt "$FIX/describe/l_other.txt" \
	&& ok "-l RULE text: the header and that rule, as describe/l_other.txt" || not_ok "-l text" "$(diff "$FIX/describe/l_other.txt" l1.txt)"
"$S" -c empty.yaml -r r.yaml -l nope >/dev/null 2>err.txt
[ $? -eq 1 ] && grep -q 'rule "nope" is not loaded' err.txt && ok "-l unknown rule: exit 1" || not_ok "-l unknown" "$(cat err.txt)"
"$S" -c empty.yaml -r r.yaml -L -o json_output=true >l.json 2>l.err
d=$(python3 "$HERE/jsoncmp.py" "$FIX/describe/L.json" l.json | head -5)
[ -z "$d" ] && ok "-L with json_output: every key of Falco's describe JSON, as describe/L.json" || not_ok "-L json golden" "$d"
python3 -c 'import sys; t=open(sys.argv[1]).read(); assert t.startswith("{\"lists\":[{\"details\":{\"items_compiled\":"), t[:80]' l.json \
	&& ok "-L JSON keys in Falco's (sorted) order" || not_ok "-L JSON key order" "$(head -c 100 l.json)"
python3 - l.json <<'P' && ok "-L with json_output: rules, macros and lists as Falco's JSON" || not_ok "-L json" "$(head -c 400 l.json)"
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert set(d) == {"required_engine_version", "required_plugin_versions", "rules", "macros", "lists"}, d.keys()
assert d["required_engine_version"] == "0.50.0" and d["required_plugin_versions"] == []
r = d["rules"][0]
assert r["info"] == {"name": "shell run", "condition": "spawned and proc.name in (more_shells)", "priority": "Warning",
                     "output": "shell %proc.name (%proc.cmdline)", "description": "a shell ran", "enabled": True,
                     "source": "syscall", "tags": ["process", "test"]}, r["info"]
det = r["details"]
assert det["macros"] == ["spawned"] and det["lists"] == ["more_shells"] and det["condition_fields"] == ["evt.type", "evt.dir", "proc.name"], det
assert det["events"] == ["execve", "asyncevent"], det["events"]
assert "bash, sh, zsh" in det["condition_compiled"] and "evt.type = execve" in det["condition_compiled"], det
assert det["output_compiled"] == "shell %proc.name (%proc.cmdline)" and det["plugins"] == []
assert [x["info"]["name"] for x in d["rules"]] == ["shell run", "other", "long"]
m = d["macros"][0]
assert m["info"] == {"name": "spawned", "condition": "evt.type = execve and evt.dir = <"} and m["details"]["used"] is True
assert m["details"]["condition_fields"] == ["evt.type", "evt.dir"], m
l = {x["info"]["name"]: x for x in d["lists"]}
assert l["more_shells"]["info"]["items"] == ["zsh"] and l["more_shells"]["details"]["lists"] == ["shells"]
assert l["more_shells"]["details"]["items_compiled"] == ["bash", "sh", "zsh"] and l["shells"]["details"]["used"] is True
P
"$S" -c empty.yaml -r r.yaml -l other -o json_output=true >l1.json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert list(d)==["rules"] and len(d["rules"])==1 and d["rules"][0]["info"]["priority"]=="Error"' l1.json \
	&& ok "-l RULE with json_output: {\"rules\":[that rule]}" || not_ok "-l json" "$(head -c 300 l1.json)"
"$S" -c empty.yaml -r r.yaml -l nope -o json_output=true >/dev/null 2>err.txt
[ $? -eq 1 ] && grep -q 'rule "nope" is not loaded' err.txt && ok "-l unknown rule with json_output: exit 1" || not_ok "-l unknown json"

# required_plugin_versions in -L's JSON: each entry as written, in load order, never merged, Falco's shape
# (name, version, alternatives of name and version); a plugin saker lacks stops the run as Falco's
# load_rules_files does: its message alone, nothing on stdout, exit 1
cat >pv.yaml <<'Y'
- required_plugin_versions:
    - name: container
      version: 0.4.0
      alternatives:
        - name: container-ng
          version: 1.2.0
- required_plugin_versions:
    - name: container
      version: 0.2.0
Y
"$S" -c empty.yaml -r pv.yaml -r r.yaml -L -o json_output=true >pv.json 2>pv.err
python3 - pv.json <<'P' && ok "-L with json_output: required_plugin_versions as loaded, in Falco's shape and key order" \
	|| not_ok "-L required_plugin_versions" "$(head -c 300 pv.json) $(cat pv.err)"
import json, sys
t = open(sys.argv[1]).read()
want = ('"required_plugin_versions":[{"alternatives":[{"name":"container-ng","version":"1.2.0"}],"name":"container",'
        '"version":"0.4.0"},{"alternatives":[],"name":"container","version":"0.2.0"}]')
assert want in t, t[:400]
assert json.loads(t)["rules"][0]["info"]["name"] == "shell run"
P
printf -- '- required_plugin_versions:\n    - name: k8saudit\n      version: 0.1.0\n' >pv_k8s.yaml
"$S" -c empty.yaml -r r.yaml -r pv_k8s.yaml -L -o json_output=true >pv.out 2>pv.err
rc=$?
[ $rc -eq 1 ] && [ ! -s pv.out ] && [ "$(cat pv.err)" = "saker: Plugin requirement not satisfied, must load one of: k8saudit (>= 0.1.0)" ] \
	&& ok "a rules file requiring a plugin saker lacks: Falco's 'Plugin requirement not satisfied', exit 1" \
	|| not_ok "missing plugin" "exit $rc $(cat pv.out pv.err)"
printf -- '- rule: broken\n' >broken.yaml
"$S" -c empty.yaml -r broken.yaml -r pv_k8s.yaml -L >pv.out 2>pv.err
[ $? -eq 1 ] && grep -q "Item has no mapping for key 'condition'" pv.err && ! grep -q "Plugin requirement" pv.err \
	&& ok "a file with an error before the one requiring a plugin: that error (Falco stops loading there)" \
	|| not_ok "error before plugin file" "$(cat pv.err)"

# --support: one JSON object with version, system, config and rules files with content and hash
printf 'json_output: false\nrules_files: [%s/r.yaml]\n' "$TMP" >cfg.yaml
"$S" -c cfg.yaml --support >sup.json 2>sup.err
rc=$?
python3 - sup.json "$TMP" <<'P' && [ $rc -eq 0 ] && ok "--support: one JSON object, rules files with content and SHA-256" \
	|| not_ok "--support" "exit $rc $(head -c 300 sup.json) $(cat sup.err)"
import hashlib, json, os, sys
d = json.loads(open(sys.argv[1]).read())
tmp = sys.argv[2]
for k in ("version", "engine_info", "system_info", "cmdline", "config", "rules_files"):
    assert k in d, k
assert d["system_info"]["sysname"] == os.uname().sysname and d["system_info"]["release"] == os.uname().release
assert d["system_info"]["machine"] == os.uname().machine and d["system_info"]["nodename"] == os.uname().nodename
assert d["config"] == open("cfg.yaml").read()
assert d["cmdline"].endswith("saker -c cfg.yaml --support"), d["cmdline"]
f = d["rules_files"]
assert [x["name"] for x in f] == [tmp + "/r.yaml"], f
content = open("r.yaml", "rb").read()
assert f[0]["variants"][0]["content"] == content.decode()
assert f[0]["variants"][0]["sha256sum"] == hashlib.sha256(content).hexdigest()
P
mkdir -p rd && cp r.yaml rd/b.yaml && printf -- '- list: x\n  items: [a]\n' >rd/a.yml && echo no >rd/c.txt
"$S" -c empty.yaml -r rd --support >sup2.json
python3 -c '
import hashlib, json, sys
f = json.load(open(sys.argv[1]))["rules_files"]
assert [x["name"] for x in f] == ["rd/a.yml", "rd/b.yaml"], f
assert all(x["variants"][0]["sha256sum"] == hashlib.sha256(open(x["name"], "rb").read()).hexdigest() for x in f)
' sup2.json && ok "--support -r DIR: each .yaml/.yml file in name order, hashed" || not_ok "--support dir" "$(head -c 300 sup2.json)"

# --dry-run: config and rules checked, nothing captured, exit 0; a broken rules file exits 1
"$S" -c empty.yaml -r r.yaml --dry-run >dr.out 2>dr.err
rc=$?
[ $rc -eq 0 ] && grep -q 'dry run' dr.err && ! grep -q capturing.$ dr.err && ok "--dry-run: loads config and rules, exit 0 without capturing" \
	|| not_ok "--dry-run" "exit $rc $(cat dr.err)"
"$S" -c empty.yaml -r "$FIX/validate/compile_condition.yaml" --dry-run >/dev/null 2>dr.err
[ $? -eq 1 ] && grep -q LOAD_ERR_COMPILE_CONDITION dr.err && ok "--dry-run: a broken rules file exits 1" || not_ok "--dry-run broken"
"$S" -c empty.yaml -r r.yaml -o syscall_event_drops.threshold=2 --dry-run >/dev/null 2>dr.err
[ $? -eq 1 ] && grep -q "syscall_event_drops.threshold" dr.err && ok "--dry-run: a bad config exits 1" || not_ok "--dry-run bad config"

# Falco's long forms: --option (-o), --print (-p), --pidfile (-P); --page-size; --enable-source and
# --disable-source (saker's one source, syscall: Falco's select_event_sources errors, none on replay)
"$S" --option json_output=true -V "$FIX/validate/good.yaml" 2>/dev/null \
	| python3 -c 'import json,sys; assert json.load(sys.stdin)["falco_load_results"][0]["successful"]' \
	&& ok "--option KEY=VALUE: as -o (json_output=true gives -V's JSON)" || not_ok "--option"
printf -- '- rule: any open\n  desc: d\n  condition: evt.type in (open, openat)\n  output: "o %%fd.name %%container.info"\n  priority: INFO\n' >ci.yaml
"$S" -c empty.yaml -r ci.yaml -e "$FIX/cat_write.scap" -pc >pc.txt 2>/dev/null
"$S" -c empty.yaml -r ci.yaml -e "$FIX/cat_write.scap" --print c >print.txt 2>/dev/null
"$S" -c empty.yaml -r ci.yaml -e "$FIX/cat_write.scap" >plain.txt 2>/dev/null
grep -q 'container_image_tag=' print.txt && cmp -s pc.txt print.txt && ! grep -q container_image_tag plain.txt \
	&& ok "--print c: as -pc (%container.info in the container form)" || not_ok "--print" "$(head -2 print.txt)"
"$S" -c empty.yaml -r ci.yaml -e "$FIX/cat_write.scap" --pidfile "$TMP/p.pid" >/dev/null 2>e.txt \
	&& "$S" -c empty.yaml -r ci.yaml -e "$FIX/cat_write.scap" -P "$TMP/p.pid" >/dev/null 2>&1 \
	&& ok "--pidfile FILE: taken as -P" || not_ok "--pidfile" "$(cat e.txt)"
"$S" --page-size >ps.out 2>ps.err
rc=$?
[ $rc -eq 0 ] && [ ! -s ps.out ] && [ "$(cat ps.err)" = "saker: Your system page size is: $(getconf PAGESIZE) bytes" ] \
	&& ok "--page-size: Falco's line (the page size), exit 0" || not_ok "--page-size" "exit $rc $(cat ps.out ps.err)"
while IFS='|' read -r flags want; do
	# shellcheck disable=SC2086
	"$S" -c empty.yaml -r r.yaml --dry-run $flags >/dev/null 2>e.txt
	rc=$?
	if [ -n "$want" ]; then
		[ $rc -eq 1 ] && grep -qxF "saker: $want" e.txt && ok "$flags: exit 1, '$want'" || not_ok "$flags" "exit $rc $(cat e.txt)"
	else
		[ $rc -eq 0 ] && ok "$flags: accepted" || not_ok "$flags" "exit $rc $(cat e.txt)"
	fi
done <<'C'
--enable-source syscall|
--disable-source syscall|Must enable at least one event source
--enable-source k8s_audit|Attempted enabling an unknown event source: k8s_audit
--disable-source aws_cloudtrail|Attempted disabling an unknown event source: aws_cloudtrail
--enable-source syscall --disable-source syscall|You can not mix --enable-source and --disable-source
C
"$S" -c empty.yaml -r ci.yaml -e "$FIX/cat_write.scap" --disable-source syscall >/dev/null 2>e.txt \
	&& ok "--disable-source on replay: no effect (Falco's selection is for live sources)" || not_ok "--disable-source replay" "$(cat e.txt)"

# -U / --unbuffered (live): with buffered_outputs: true an alert waits up to 1 s in the batch; -U writes it at once
printf -- '- rule: marker open\n  desc: d\n  condition: evt.type in (open, openat) and evt.dir = < and fd.name startswith %s/cli-marker\n  output: "m %%fd.name"\n  priority: INFO\n' "$TMP" >m.yaml
# seen_within FILE TENTHS: the alert line reached FILE within that many tenths of a second
seen_within() { for _ in $(seq 1 "$2"); do grep -q '^.*m .*cli-marker' "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
live_case() { # live_case NAME [FLAG]: start, wait until capturing, open the marker, then look at the file
	"$S" -c empty.yaml -r m.yaml -o buffered_outputs=true -o stdout_output.enabled=false -o file_output.enabled=true \
		-o file_output.filename="$TMP/$1.txt" -M 20 $2 >"$TMP/$1.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 150); do grep -q capturing "$TMP/$1.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	grep -q capturing "$TMP/$1.log" || { kill $pid 2>/dev/null; wait $pid 2>/dev/null; return 2; }
	sleep 0.3
	cat "$TMP/cli-marker-$1" 2>/dev/null; : >"$TMP/cli-marker-$1"; cat "$TMP/cli-marker-$1"
}
if [ "$(id -u)" = 0 ]; then
	live_case buffered ""
	if [ $? -eq 2 ]; then
		echo "skip - -U (no live capture here: $(tail -1 "$TMP/buffered.log"))"
	else
		sleep 0.4
		b_early=$(grep -c cli-marker "$TMP/buffered.txt" 2>/dev/null)
		seen_within "$TMP/buffered.txt" 30; b_late=$?
		kill $pid; wait $pid 2>/dev/null
		for flag in -U --unbuffered; do
			live_case "u$flag" "$flag"
			seen_within "$TMP/u$flag.txt" 9 && u_ok=1 || u_ok=0
			kill $pid; wait $pid 2>/dev/null
			[ "${b_early:-0}" -eq 0 ] && [ $b_late -eq 0 ] && [ $u_ok = 1 ] \
				&& ok "$flag: the alert written at once (buffered_outputs: true held it 0.4 s, then wrote it)" \
				|| not_ok "$flag" "buffered: early ${b_early:-0} late-rc $b_late; unbuffered seen $u_ok"
		done
	fi
else
	echo "skip - -U (needs root for a live capture)"
fi
# --stats-interval MS (Falco's, with -s): the stats file gets a line every MS ms (the default is 5 s)
if [ "$(id -u)" = 0 ]; then
	rm -f st.jsonl st.log
	"$S" -c empty.yaml -r r.yaml -s st.jsonl --stats-interval 200 >/dev/null 2>st.log &
	pid=$!
	for _ in $(seq 1 300); do grep -q capturing st.log && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	if grep -q capturing st.log; then
		sleep 1.5
		kill $pid; wait $pid 2>/dev/null
		n=$(wc -l <st.jsonl)
		[ "$n" -ge 4 ] && ok "--stats-interval 200: $n stats lines in 1.5 s (the default 5 s period gives 1)" \
			|| not_ok "--stats-interval" "$n lines"
	elif grep -q '^usage: saker' st.log; then
		not_ok "--stats-interval" "refused: $(head -1 st.log)"
	else
		kill $pid 2>/dev/null; wait $pid 2>/dev/null
		echo "skip - --stats-interval (no live capture here: $(tail -1 st.log))"
	fi
fi
bad=""
for v in 5s 1m30s 250ms 100 50; do
	"$S" -c empty.yaml -r r.yaml -s st.jsonl --stats-interval $v --dry-run >/dev/null 2>e.txt || bad="$bad $v"
done
for v in 5x 5.5s s -1 ''; do
	"$S" -c empty.yaml -r r.yaml -s st.jsonl --stats-interval "$v" --dry-run >/dev/null 2>e.txt
	[ $? -eq 1 ] && grep -q "invalid --stats-interval '$v'" e.txt || bad="$bad '$v'"
done
[ -z "$bad" ] && ok "--stats-interval: milliseconds or Falco's intervals (5s, 1m30s, 250ms) taken, others refused" \
	|| not_ok "--stats-interval values" "$bad"

# config validation: each bad value fails naming the key (and the value), exit 1
while IFS='|' read -r opt msg; do
	[ -n "$opt" ] || continue
	"$S" -c empty.yaml -r r.yaml -L -o "$opt" >/dev/null 2>err.txt
	rc=$?
	[ $rc -eq 1 ] && grep -qF -- "$msg" err.txt && ok "config -o $opt: exit 1, '$msg'" || not_ok "config -o $opt" "exit $rc" "$(cat err.txt)"
done <<'C'
syscall_event_drops.actions={x: y}|config key 'syscall_event_drops.actions' must be a list or a string, not a map
syscall_event_drops.actions[]=shout|config key 'syscall_event_drops.actions': unknown action 'shout'
syscall_event_drops.threshold=1.01|config key 'syscall_event_drops.threshold' must be a number in the range [0, 1], not '1.01'
syscall_event_drops.threshold=-1|config key 'syscall_event_drops.threshold' must be a number in the range [0, 1], not '-1'
syscall_event_drops.rate=fast|config key 'syscall_event_drops.rate' must be a non-negative number, not 'fast'
syscall_event_timeouts.max_consecutives=0|config key 'syscall_event_timeouts.max_consecutives' must be a whole number greater than 0, not '0'
json_output=maybe|config key 'json_output' must be true or false, not 'maybe'
priority=loud|config key 'priority': unknown priority 'loud'
log_level=chatty|config key 'log_level': unknown level 'chatty'
rule_matching=some|config key 'rule_matching' must be 'first' or 'all', not 'some'
engine.kind=kmod|config key 'engine.kind' must be 'ebpf', 'modern_ebpf' or 'replay', not 'kmod'
engine.modern_ebpf.buf_size_preset=12|config key 'engine.modern_ebpf.buf_size_preset' must be 1 to 10, not '12'
outputs_queue.capacity=-5|config key 'outputs_queue.capacity' must be a non-negative number, not '-5'
webserver.listen_address=my-host|config key 'webserver.listen_address' must be an IPv4 or IPv6 address, not 'my-host'
webserver.listen_port=http|config key 'webserver.listen_port' must be a port number from 0 to 65535, not 'http'
file_output.enabled=true|config key 'file_output.enabled' is true but 'file_output.filename' is not set
program_output.enabled=true|config key 'program_output.enabled' is true but 'program_output.program' is not set
http_output.enabled=true|config key 'http_output.enabled' is true but 'http_output.url' is not set
file_output={enabled: [}|invalid -o 'file_output={enabled: [}': the value is not a YAML or JSON object
C
printf 'syscall_event_drops:\n  actions:\n    - log\n    - ignore\n' >drops.yaml
"$S" -c drops.yaml -r r.yaml -L >/dev/null 2>err.txt
[ $? -eq 1 ] && grep -q "config key 'syscall_event_drops.actions': action 'ignore' cannot be combined with other actions" err.txt \
	&& ok "config file: actions [log, ignore] refused naming the key" || not_ok "config file drops" "$(cat err.txt)"
"$S" -c empty.yaml -r r.yaml -L -o webserver.listen_address=::1 -o webserver.listen_address=' 10.0.0.1 ' >/dev/null 2>err.txt \
	&& "$S" -c empty.yaml -r r.yaml -L -o webserver.listen_address=fe80::1%eth0 >/dev/null 2>&1 \
	&& ok "config: IPv6, padded IPv4 and zoned IPv6 listen addresses accepted" || not_ok "listen addresses" "$(cat err.txt)"

# rules_file / rules_files: a list or one file under either key; -o 'rules_files[]=x' appends; both keys: error
printf 'rules_file: %s/r.yaml\n' "$TMP" >old.yaml
"$S" -c old.yaml -L >o.txt 2>e.txt && names o.txt | grep -qx 'shell run' && grep -q "deprecated config key 'rules_file'" e.txt \
	&& ok "rules_file: one file (Falco's old key, with its deprecation warning)" || not_ok "rules_file string" "$(cat e.txt)"
printf 'rules_files: %s/r.yaml\n' "$TMP" >one.yaml
"$S" -c one.yaml -L >o.txt 2>&1 && names o.txt | grep -qx 'shell run' && ok "rules_files: one file as a string" || not_ok "rules_files string"
printf -- '- rule: extra\n  desc: e\n  condition: evt.type = close\n  output: x\n  priority: INFO\n' >extra.yaml
"$S" -c one.yaml -o "rules_files[]=$TMP/extra.yaml" -L >o.txt 2>&1 && [ "$(names o.txt | tail -1)" = extra ] \
	&& ok "-o 'rules_files[]=x' appends a rules file" || not_ok "rules_files[]=" "$(cat o.txt)"
"$S" -c old.yaml -o "rules_file[]=$TMP/extra.yaml" -L >o.txt 2>&1 && names o.txt | grep -qx extra && names o.txt | grep -qx 'shell run' \
	&& ok "-o 'rules_file[]=x' appends to the old key's single file" || not_ok "rules_file[]=" "$(cat o.txt)"
"$S" -c one.yaml -o rules_file=/x.yaml -L >/dev/null 2>e.txt
[ $? -eq 1 ] && grep -q "config keys 'rules_files' and 'rules_file' are both set" e.txt \
	&& ok "-o rules_file=x over a config with rules_files: error, exit 1" || not_ok "-o rules_file both" "$(cat e.txt)"
printf 'syscall_event_drops:\n  actions: log\n' >drop1.yaml
"$S" -c drop1.yaml -o 'syscall_event_drops.actions[]=ignore' -r r.yaml -L >/dev/null 2>e.txt
[ $? -eq 1 ] && grep -q "action 'ignore' cannot be combined with other actions" e.txt \
	&& ok "-o 'syscall_event_drops.actions[]=ignore' over actions: log: error naming the key" || not_ok "drops []=ignore" "$(cat e.txt)"
printf 'rules_file: [%s/r.yaml]\nrules_files: [%s/extra.yaml]\n' "$TMP" "$TMP" >both.yaml
"$S" -c both.yaml -L >/dev/null 2>e.txt
[ $? -eq 1 ] && grep -q "config keys 'rules_files' and 'rules_file' are both set" e.txt && ok "rules_file and rules_files both: error, exit 1" \
	|| not_ok "both rules keys" "$(cat e.txt)"

# -o key={json}: a whole map, as Falco parses it
"$S" -c empty.yaml -r r.yaml -o 'file_output={"enabled": true, "filename": "'"$TMP"'/fo.txt"}' -o stdout_output.enabled=false \
	-e "${CAP:-/nonexistent}/cat_write.scap" >/dev/null 2>e.txt
if [ -n "$CAP" ]; then
	printf -- '- rule: any open\n  desc: d\n  condition: evt.type in (open, openat) and evt.dir = <\n  output: "o %%fd.name"\n  priority: INFO\n' >o.yaml
	"$S" -c empty.yaml -r o.yaml -o 'file_output={"enabled": true, "filename": "'"$TMP"'/fo.txt"}' \
		-o 'stdout_output={enabled: false}' -e "$CAP/cat_write.scap" >so.txt 2>e.txt
	[ -s fo.txt ] && [ ! -s so.txt ] && ok "-o key={json}: file_output and stdout_output set as objects" || not_ok "-o {json}" "$(cat e.txt)"
fi

# Falco-era configs (written from Falco's documented keys) load
for c in "$FIX"/configs/falco-*.yaml; do
	"$S" -c "$c" -r r.yaml --dry-run >/dev/null 2>e.txt
	rc=$?
	[ $rc -eq 0 ] && grep -qxF "saker:    $c | schema validation: ok" e.txt && ! grep -q 'schema validation: failed' e.txt \
		&& ok "a Falco config loads: $(basename "$c"), schema validation: ok" \
		|| not_ok "Falco config $(basename "$c")" "exit $rc" "$(head -5 e.txt)"
done

# Falco's config schema: a key it does not name, at any depth, and a schema key of the wrong type make the
# file's line Falco's (load_config.cpp, 0.38 on: "   PATH | schema validation: STATUS", valijson's first
# failure, a warning) and Falco goes on; -v adds a warning per key naming the key, its line and valijson's
# words; a key -o sets has its own warning (no file line covers it); saker's own keys fail
cat >schema.yaml <<'Y'
file_output:
  enabled: false
  filenmae: /tmp/x
watch_config_files: maybe
rules:
  - disable:
      rule: x
      tags: y
engine:
  kind: modern_ebpf
  modern_ebpf:
    buf_size_prest: 3
Y
"$S" -c schema.yaml -r r.yaml --dry-run >/dev/null 2>e.txt
rc=$?
printf '%s\n' 'saker: saker initialized with configuration files:' \
	"saker:    schema.yaml | schema validation: failed for <root>[file_output]: Object contains a property that could not be validated using 'properties' or 'additionalProperties' constraints: 'filenmae'." \
	'saker: dry run: configuration and rules loaded; not capturing' >want.txt
cmp -s want.txt e.txt && [ $rc -eq 0 ] && ok "config schema: one line for the file, Falco's, with the first failure; exit 0" \
	|| not_ok "config schema line" "exit $rc" "$(diff want.txt e.txt)"
"$S" -c schema.yaml -r r.yaml --dry-run -v -o no_such_key=1 >/dev/null 2>e.txt
rc=$?
sed -n 2p e.txt | grep -qF '   schema.yaml | schema validation: failed for <root>[file_output]:' \
	&& grep -qF "unknown config key 'no_such_key' (-o): ignored (schema validation: failed for <root>: " e.txt \
	&& grep -qF "unknown config key 'file_output.filenmae' (line 3): ignored (schema validation: failed for <root>[file_output]: Object contains a property that could not be validated using 'properties' or 'additionalProperties' constraints: 'filenmae'.)" e.txt \
	&& grep -qF "unknown config key 'rules[0].disable.tags' (line 8)" e.txt \
	&& grep -qF "unknown config key 'engine.modern_ebpf.buf_size_prest' (line 12)" e.txt \
	&& grep -qF "config key 'watch_config_files' (line 4) must be true or false, not 'maybe': ignored (schema validation: failed for <root>[watch_config_files]: Value type not permitted by 'type' constraint.)" e.txt \
	&& [ "$(grep -c 'schema validation: failed' e.txt)" -eq 6 ] && [ $rc -eq 0 ] \
	&& ok "config schema -v: nested unknown keys and a mistyped key warned with key, line and Falco's words, exit 0" \
	|| not_ok "config schema warnings" "exit $rc" "$(cat e.txt)"
while IFS='|' read -r o msg; do
	"$S" -c empty.yaml -r r.yaml -o "$o" --dry-run >/dev/null 2>e.txt
	[ $? -eq 1 ] && grep -qF "$msg" e.txt && ok "-o $o: exit 1, $msg" || not_ok "-o $o" "$(cat e.txt)"
done <<'C'
webserver.listen_port=70000|config key 'webserver.listen_port' must be a port number from 0 to 65535, not '70000'
syscall_event_drops.max_burst=1.5|config key 'syscall_event_drops.max_burst' must be a whole number, not '1.5'
engine.modern_ebpf.cpus_for_each_buffer=2.5|config key 'engine.modern_ebpf.cpus_for_each_buffer' must be a whole number, not '2.5'
C

# config_files (Falco 0.38 on): files and directories (their files in name order) merged after the main file,
# before -o, each with its schema line; a relative path from the main file's directory; append (lists get the
# items, other keys replaced), add-only; a path that is not there skipped; nested config_files refused
mkdir -p inc/config.d
printf -- '- rule: warn open\n  desc: d\n  condition: evt.type in (open, openat)\n  output: "w %%fd.name"\n  priority: WARNING\n' >inc/w.yaml
printf -- '- rule: extra\n  desc: e\n  condition: evt.type = close\n  output: x\n  priority: ERROR\n' >inc/e.yaml
printf 'config_files:\n  - config.d\n  - path: extra.yaml\n    strategy: add-only\n  - /nonexistent/config.d\nrules_files: [%s/inc/w.yaml]\npriority: debug\n' "$TMP" >inc/main.yaml
printf 'rules_files: [%s/inc/e.yaml]\njson_output: true\n' "$TMP" >inc/config.d/10-a.yaml
printf 'priority: error\nfile_outptu: 3\n' >inc/config.d/20-b.yaml
printf 'priority: debug\nlog_level: debug\n' >inc/extra.yaml
"$S" -c inc/main.yaml -L -o json_output=false >inc.L 2>inc.err
rc=$?
printf '%s\n' 'saker: saker initialized with configuration files:' 'saker:    inc/main.yaml | schema validation: ok' \
	'saker:    inc/config.d/10-a.yaml | schema validation: ok' \
	"saker:    inc/config.d/20-b.yaml | schema validation: failed for <root>: Object contains a property that could not be validated using 'properties' or 'additionalProperties' constraints: 'file_outptu'." \
	'saker:    extra.yaml | schema validation: ok' >inc.want
[ $rc -eq 0 ] && cmp -s inc.want inc.err && [ "$(names inc.L | tr '\n' '|')" = "warn open|extra|" ] \
	&& ok "config_files: a directory's files in order, then a file, each with its schema line; rules_files appended; -o after them" \
	|| not_ok "config_files" "exit $rc $(diff inc.want inc.err) $(cat inc.L)"
"$S" -c inc/main.yaml -e "$FIX/cat_write.scap" -o json_output=false >inc.out 2>inc.err
[ $? -eq 0 ] && ! grep -q ' w ' inc.out && "$S" -c inc/main.yaml -e "$FIX/cat_write.scap" -o priority=debug -o json_output=false 2>/dev/null | grep -q ' w ' \
	&& ok "config_files: a later file's scalar replaces (priority: error), add-only keeps it" || not_ok "config_files priority" "$(head -3 inc.out inc.err)"
(cd / && "$S" -c "$TMP/inc/main.yaml" -L -o json_output=true 2>/dev/null) | python3 -c 'import json,sys; assert len(json.load(sys.stdin)["rules"]) == 2' \
	&& ok "config_files: relative paths from the main file's directory, whatever the working directory" || not_ok "config_files relative"
printf 'config_files: [more.yaml]\n' >inc/config.d/30-c.yaml
"$S" -c inc/main.yaml -L >/dev/null 2>e.txt
[ $? -eq 1 ] && grep -q "config file '.*30-c.yaml' (from config_files) has a 'config_files' key of its own" e.txt \
	&& ok "config_files in an included file: error, exit 1" || not_ok "nested config_files" "$(cat e.txt)"
rm inc/config.d/30-c.yaml
printf 'config_files:\n  - path: config.d/10-a.yaml\n    strategy: override\nrules_files: [%s/inc/w.yaml]\n' "$TMP" >inc/over.yaml
"$S" -c inc/over.yaml -L -o json_output=false 2>/dev/null >inc.L
[ "$(names inc.L | tr '\n' '|')" = "extra|" ] && ok "config_files strategy override: a list key replaced" || not_ok "config_files override" "$(cat inc.L)"
printf 'config_files:\n  - path: extra.yaml\n    strategy: merge\n' >inc/bad.yaml
"$S" -c inc/bad.yaml -L >/dev/null 2>e.txt
[ $? -eq 1 ] && grep -q "config key 'config_files' item 0 (line 3): unknown strategy 'merge' (append, override or add-only)" e.txt \
	&& ok "config_files: an unknown strategy is an error naming it" || not_ok "config_files strategy" "$(cat e.txt)"

# --config-schema: the keys a config may have as a JSON Schema (dump(2) form, closed objects); a JSON Schema
# validator (python's jsonschema, when there) agrees with the files' schema validation word
"$S" --config-schema >cs.json 2>cs.err
rc=$?
python3 - cs.json <<'P' && [ $rc -eq 0 ] && [ ! -s cs.err ] && ok "--config-schema: a JSON Schema of every key, dump(2) form, exit 0" || not_ok "--config-schema" "exit $rc $(head -c 300 cs.json)"
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t)
assert t == json.dumps(d, indent=2, sort_keys=True) + "\n"
assert d["type"] == "object" and d["additionalProperties"] is False
p = d["properties"]
assert p["json_output"] == {"type": "boolean"}
assert p["syscall_event_drops"]["properties"]["threshold"] == {"type": "number", "minimum": 0, "maximum": 1}
assert p["webserver"]["properties"]["listen_port"] == {"type": "integer", "minimum": 0, "maximum": 65535}
assert p["file_output"]["additionalProperties"] is False and "filename" in p["file_output"]["properties"]
assert p["plugins"]["type"] == "array" and "library_path" in p["plugins"]["items"]["properties"]
assert p["rules"]["items"]["properties"]["disable"]["properties"]["tag"] == {"type": "string"}
assert "modern_ebpf" in p["engine"]["properties"]["kind"]["enum"]
P
if python3 -c 'import jsonschema, yaml' 2>/dev/null; then
	bad=""
	for f in "$FIX"/configs/*.yaml schema.yaml old.yaml one.yaml; do
		st=$("$S" -c "$f" -r r.yaml --dry-run 2>&1 | sed -n 's/.* | schema validation: \([a-z]*\).*/\1/p' | head -1)
		py=$(python3 -c '
import json, sys, yaml, jsonschema
try:
    jsonschema.validate(yaml.safe_load(open(sys.argv[1])) or {}, json.load(open(sys.argv[2]))); print("ok")
except jsonschema.ValidationError:
    print("failed")' "$f" cs.json)
		[ -n "$st" ] && [ "$st" = "$py" ] || bad="$bad $(basename "$f"):$st/$py"
	done
	[ -z "$bad" ] && ok "--config-schema agrees with the config files' schema validation (jsonschema)" || not_ok "--config-schema vs configs" "$bad"
else
	echo "skip - --config-schema vs configs (no python3 jsonschema/yaml)"
fi

# ${VAR} in a config value is the environment's (Falco's yaml_helper), $${VAR} a literal ${VAR}
printf -- '- rule: any open\n  desc: d\n  condition: evt.type in (open, openat)\n  output: "o %%fd.name"\n  priority: INFO\n' >env_r.yaml
printf 'stdout_output:\n  enabled: false\nfile_output:\n  enabled: true\n  filename: ${SAKER_ENV_DIR}/env.txt\n' >env.yaml
SAKER_ENV_DIR=$TMP/envdir
mkdir -p "$SAKER_ENV_DIR"
SAKER_ENV_DIR=$SAKER_ENV_DIR "$S" -c env.yaml -r env_r.yaml -e "$FIX/cat_write.scap" >/dev/null 2>e.txt
[ -s "$SAKER_ENV_DIR/env.txt" ] && ok "config: \${VAR} in file_output.filename is the environment's value" || not_ok "config \${VAR}" "$(cat e.txt)"
"$S" -c empty.yaml -r env_r.yaml -o stdout_output.enabled=false -o file_output.enabled=true \
	-o 'file_output.filename='"$TMP"'/lit_$${X}.txt' -e "$FIX/cat_write.scap" >/dev/null 2>e.txt
[ -s "$TMP/lit_\${X}.txt" ] && ok "-o value: \$\${VAR} stays a literal \${VAR}" || not_ok "config \$\${VAR}" "$(ls "$TMP"; cat e.txt)"

# -i: exit 0, Falco's header line exactly, then one "- name" a line (read and write among them),
# and a blank last line; nothing on stderr
"$S" -i >i.txt 2>i.err
rc=$?
n=$(wc -l <i.txt)
if [ $rc -eq 0 ] && [ ! -s i.err ] && [ "$(head -n 1 i.txt)" = "Ignored I/O syscall(s):" ] && [ "$n" -ge 3 ] \
	&& [ "$(tail -c 2 i.txt | od -An -c | tr -d ' ')" = '\n\n' ] \
	&& ! sed -n "2,$((n - 1))p" i.txt | grep -vqx -- '- [a-z0-9_]*' && grep -qx -- '- read' i.txt && grep -qx -- '- write' i.txt; then
	ok "-i: exit 0, Falco's 'Ignored I/O syscall(s):' then one '- name' a line, a blank last line"
else
	not_ok "-i layout" "exit $rc, $n lines: $(head -3 i.txt) ... $(tail -n 2 i.txt | od -c | tail -3) $(cat i.err)"
fi
