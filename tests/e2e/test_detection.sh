#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Default rules end to end: every saker-eventgen action fires its expected
# rule (with process, parent and file or connection in output_fields) and no
# action triggers an unrelated rule at warning or above; a benign workload
# raises nothing at warning or above; an exception in the local rules file
# silences one action and nothing else.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S="$BUILD/saker"
EG="$BUILD/saker-eventgen"

wait_for() {
	for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# start_saker JSONFILE EXTRA_RULES...: default rules (+ extra), JSON to a file
start_saker() {
	out=$1
	shift
	"$S" -c "$ROOT/saker.yaml" -r "$ROOT/rules/saker_rules.yaml" -r "$ROOT/rules/saker_rules.local.yaml" "$@" \
		-o json_output=true -o stdout_output.enabled=false -o file_output.enabled=true \
		-o "file_output.filename=$out" -o file_output.keep_alive=true >"$out.log" 2>&1 &
	SAKER_PID=$!
	wait_for "$out.log" capturing
}

stop_saker() {
	sleep 1
	kill -TERM $SAKER_PID
	wait $SAKER_PID
}

# --- detection
start_saker "$TMP/det.json" || not_ok "saker starts" "$(cat "$TMP/det.json.log")"
"$EG" --all >"$TMP/eg.out" 2>&1
stop_saker
"$EG" --list >"$TMP/eg.list"
python3 - "$TMP/det.json" "$TMP/eg.list" <<'P'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
fired = {}
for a in alerts:
    fired.setdefault(a["rule"], []).append(a)
expected = set()
for line in open(sys.argv[2]):
    name, rules = line.split(None, 1)
    for r in rules.strip().split(";"):
        expected.add(r)
        hits = fired.get(r, [])
        good = [a for a in hits if any(k in a["output_fields"] for k in ("proc.name", "proc.cmdline"))
                and any(k in a["output_fields"] for k in ("proc.pname", "fd.name", "evt.arg.filename", "evt.abspath", "evt.arg.target", "evt.arg.oldpath", "evt.arg.request"))]
        print(("ok - " if good else "not ok - ") + f"eventgen {name}: '{r}' fires with process and target in output_fields")
prio = ["Emergency", "Alert", "Critical", "Error", "Warning"]
unrelated = [a for a in alerts if a["rule"] not in expected and a["priority"] in prio]
print(("ok - " if not unrelated else "not ok - ") + "eventgen: no unrelated rule at warning or above")
for a in unrelated[:5]:
    print("    " + a["rule"] + ": " + a["output"][:200])
P

# --- local rules: an exception silences one action, nothing else
cat >"$TMP/local.yaml" <<'Y'
- rule: Read sensitive file untrusted
  exceptions:
    - name: eventgen_reads_shadow
      fields: [proc.name, fd.name]
      comps: [=, =]
      values:
        - [saker-eventgen, /etc/shadow]
  override:
    exceptions: append
Y
start_saker "$TMP/loc.json" -r "$TMP/local.yaml" || not_ok "saker starts (local rules)"
"$EG" --action read_shadow >/dev/null 2>&1
"$EG" --action write_etc >/dev/null 2>&1
stop_saker
if grep -q '"rule":"Read sensitive file untrusted"' "$TMP/loc.json"; then
	not_ok "local exception silences read_shadow" "$(cat "$TMP/loc.json")"
else
	ok "local exception silences read_shadow"
fi
grep -q '"rule":"Write below etc"' "$TMP/loc.json" && ok "local exception leaves other rules firing" || not_ok "other rules still fire" "$(cat "$TMP/loc.json" "$TMP/loc.json.log")"

# --- quiet: a benign workload raises nothing at warning or above
start_saker "$TMP/quiet.json" || not_ok "saker starts (quiet)"
(
	set -e
	cd "$TMP"
	git clone -q "$ROOT" src 2>/dev/null || cp -r "$ROOT" src
	cd src
	make -s -j2 build/libsaker.a >/dev/null
	git status --short >/dev/null; git log --oneline -3 >/dev/null; git diff HEAD~1 --stat >/dev/null 2>&1 || true
	cd "$TMP"
	printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' >hello.c
	cc -o hello hello.c && ./hello >/dev/null
	apt-cache policy bash >/dev/null 2>&1 || true
	apt-cache show coreutils >/dev/null 2>&1 || true
	tar czf src.tgz src/src && tar tzf src.tgz >/dev/null && gzip -dc src.tgz >/dev/null
	python3 -c 'import json,os; print(json.dumps(sorted(os.listdir("."))))' >/dev/null
	"$ROOT/$BUILD/tests/test_state" >/dev/null 2>&1 || "$BUILD/tests/test_state" >/dev/null 2>&1 || true
	ls -la /etc >/dev/null; cat /etc/hostname >/dev/null; id >/dev/null
) >"$TMP/workload.log" 2>&1
stop_saker
touch "$TMP/quiet.json" # the file sink creates it on the first alert only
python3 - "$TMP/quiet.json" <<'P'
import json, sys, collections
alerts = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
counts = collections.Counter(a["priority"] for a in alerts)
loud = [a for a in alerts if a["priority"] in ("Emergency", "Alert", "Critical", "Error", "Warning")]
print(("ok - " if not loud else "not ok - ") + "benign workload: no alert at warning or above (all priorities: %s)" % dict(counts))
for a in loud[:5]:
    print("    " + a["rule"] + ": " + a["output"][:200])
P
