#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# In a real podman container (runc, cgroupfs, a busybox image built from a
# local root file system): a terminal shell and a binary written then run
# inside the container are detected, with the container id.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v podman >/dev/null && command -v runc >/dev/null || { not_ok "podman and runc installed (make deps)"; exit 1; }
podman_conf
IMG=localhost/saker-test:latest
if ! podman image exists $IMG 2>/dev/null; then
	busybox_rootfs "$TMP/rootfs" sh ls cat id sleep cp true
	tar -C "$TMP/rootfs" -cf "$TMP/rootfs.tar" . && podman import -q "$TMP/rootfs.tar" $IMG >/dev/null
fi
podman image exists $IMG || { not_ok "test image imported"; exit 1; }

"$BUILD/saker" -c "$ROOT/saker.yaml" -r "$ROOT/rules/saker_rules.yaml" -o json_output=true -o name_resolution.enabled=false >"$TMP/out" 2>"$TMP/err" &
SP=$!
wait_for "$TMP/err" capturing 300 || echo "saker did not print capturing within 30 s" >&2
CID=$(timeout 60 podman run -d --ulimit host --network none -t $IMG /bin/sh -c 'cp /bin/busybox /tmp/dropped && /tmp/dropped true; sleep 2')
timeout 30 podman wait "$CID" >/dev/null 2>&1
podman rm -f "$CID" >/dev/null 2>&1
# the event generator inside a container (static, so it runs in a busybox image)
cc -static -O2 -D_GNU_SOURCE -o "$TMP/eventgen" "$ROOT/tools/eventgen/eventgen.c"
EGID=$(timeout 60 podman run -d --ulimit host --network none -v "$TMP/eventgen:/saker-eventgen:ro" $IMG /saker-eventgen --all)
timeout 60 podman wait "$EGID" >/dev/null 2>&1
podman logs "$EGID" >"$TMP/eg.log" 2>&1
podman rm -f "$EGID" >/dev/null 2>&1
sleep 1
kill -TERM $SP
wait $SP
SHORT=$(echo "$CID" | cut -c1-12)
EGSHORT=$(echo "$EGID" | cut -c1-12)
python3 - "$TMP/out" "$SHORT" "$EGSHORT" <<'P'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
cid = sys.argv[2]
eg = [a for a in alerts if a["output_fields"].get("container.id") == sys.argv[3]]
for rule in ("Write below etc", "Write below root", "Set setuid or setgid bit", "Modify shell configuration file",
             "Detect release_agent file container escapes", "PTRACE anti-debug attempt"):
    ok = any(a["rule"] == rule for a in eg)
    print(("ok - " if ok else "not ok - ") + f"eventgen inside a container: '{rule}' with container.id {sys.argv[3]}")
def fired(rule):
    return [a for a in alerts if a["rule"] == rule and a["output_fields"].get("container.id") == cid]
for rule in ("Terminal shell in container", "Drop and execute new binary in container"):
    print(("ok - " if fired(rule) else "not ok - ") + f"container: '{rule}' with container.id {cid}")
    if not fired(rule):
        print("    alerts: " + "; ".join(a["rule"] + " " + str(a["output_fields"].get("container.id")) for a in alerts)[:500])
P
