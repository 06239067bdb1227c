#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Live container metadata from podman's API service (started here on a
# private socket): containers with a name, a locally built image, labels,
# --privileged and a bind mount raise alerts whose JSON output_fields name
# them; an entrypoint's own alert (the container's first process) carries
# its name and image; a -w capture replays with the same fields and sysdig
# reads its container events.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v podman >/dev/null && command -v runc >/dev/null || { not_ok "podman and runc installed (make deps)"; exit 1; }
podman_conf
N=containers$$
IMG=localhost/containers-img:v$$
SOCK=/tmp/containers-podman-$$.sock
# an image built here: busybox and a shadow file, FROM scratch
mkdir -p "$TMP/hostdir"
busybox_rootfs "$TMP/ctx/rootfs" sh ls cat id sleep true
echo 'root:*:19000:0:99999:7:::' >"$TMP/ctx/rootfs/etc/shadow"
printf 'FROM scratch\nCOPY rootfs/ /\n' >"$TMP/ctx/Containerfile"
podman build -q --pull=never -t "$IMG" "$TMP/ctx" >"$TMP/build.log" 2>&1 || { not_ok "image built locally" "$(tail -3 "$TMP/build.log")"; exit 1; }

podman system service --time=0 "unix://$SOCK" >"$TMP/svc.log" 2>&1 &
SVC=$!
cleanup() {
	kill "$SVC" 2>/dev/null
	wait "$SVC" 2>/dev/null
	rm -f "$SOCK"
	podman rm -f "$N-entry" "$N-web" "$N-plain" "$N-health" >/dev/null 2>&1
	podman rmi -f "$IMG" >/dev/null 2>&1
	[ -n "$KEEP" ] || rm -rf "$TMP"
}
trap cleanup EXIT
for _ in $(seq 1 50); do [ -S "$SOCK" ] && break; sleep 0.1; done

cat >"$TMP/rules.yaml" <<'EOF'
- rule: containers test shadow read
  desc: test rule
  condition: evt.type in (open, openat, openat2) and fd.name = /etc/shadow and container.id != host
  output: shadow read (name=%container.name image=%container.image repo=%container.image.repository tag=%container.image.tag priv=%container.privileged dest=%container.mount.dest[0] src=%container.mount.source[/data] app=%container.label[app] tier=%container.label[tier] type=%container.type full=%container.full_id digest=%container.image.digest id=%container.id hc=%container.healthcheck is_hc=%proc.is_container_healthcheck)
  priority: WARNING
- rule: containers test image rule
  desc: an upstream-style rule on container.image.repository
  condition: evt.type in (open, openat, openat2) and fd.name = /etc/shadow and container.image.repository in (localhost/containers-img)
  output: trusted image read shadow (repo=%container.image.repository)
  priority: NOTICE
- rule: containers test other image rule
  desc: must stay quiet, no container runs this image
  condition: evt.type in (open, openat, openat2) and fd.name = /etc/shadow and container.image.repository in (docker.io/library/nginx)
  output: nginx read shadow (repo=%container.image.repository)
  priority: NOTICE
EOF
"$BUILD/saker" -r "$TMP/rules.yaml" -o json_output=true -o rule_matching=all -o "container_engines.podman.sockets[]=unix://$SOCK" \
	-o container_engines.docker.enabled=false -o container_engines.cri.enabled=false \
	-o container_engines.wait_ms=3000 -o container_engines.lookup_timeout_ms=5000 \
	-w "$TMP/cap.scap" >"$TMP/out" 2>"$TMP/err" &
SP=$!
wait_for "$TMP/err" capturing 300 || echo "saker did not print capturing within 30 s" >&2
run() { timeout 60 podman run --ulimit host --network none "$@" >>"$TMP/podman.log" 2>&1; }
# the entrypoint itself reads the file: the container's first process
run --name "$N-entry" --label app=entry "$IMG" cat /etc/shadow
run --name "$N-web" --label app=web --label tier=front --privileged -v "$TMP/hostdir:/data:ro" "$IMG" \
	sh -c 'sleep 0.3; cat /etc/shadow; sleep 0.5'
run --name "$N-plain" "$IMG" sh -c 'sleep 0.3; cat /etc/shadow'
# a health check that reads the file, run by the runtime (an exec from outside the container)
timeout 60 podman run -d --ulimit host --network none --name "$N-health" --health-cmd 'cat /etc/shadow; true' \
	"$IMG" sleep 30 >>"$TMP/podman.log" 2>&1
sleep 0.5
timeout 30 podman healthcheck run "$N-health" >>"$TMP/podman.log" 2>&1
timeout 30 podman exec "$N-health" sh -c 'cat /etc/shadow' >>"$TMP/podman.log" 2>&1
podman rm -f -t 0 "$N-health" >/dev/null 2>&1
sleep 1
kill -TERM $SP
wait $SP
ENTRY_ID=$(podman inspect -f '{{.Id}}' "$N-entry" 2>/dev/null)

python3 - "$TMP/out" "$N" "$IMG" "$TMP/hostdir" "$ENTRY_ID" <<'P'
import json, sys
out, n, img, hostdir, entry_id = sys.argv[1:6]
alerts = [json.loads(l) for l in open(out) if l.strip().startswith("{")]
def check(name, cond, extra=""):
    print(("ok - " if cond else "not ok - ") + name)
    if not cond and extra:
        print("    " + extra[:600])
def by(name, rule="containers test shadow read"):
    return [a for a in alerts if a["rule"] == rule and a["output_fields"].get("container.name") == name]
every = "; ".join(f'{a["rule"]}: {a["output_fields"]}' for a in alerts)
e, w, p = by(n + "-entry"), by(n + "-web"), by(n + "-plain")
check("podman: entrypoint 'cat /etc/shadow' alert carries container.name", len(e) > 0, every)
check("podman: entrypoint alert carries the image", bool(e) and e[0]["output_fields"]["container.image"] == img, every)
check("podman: entrypoint alert carries container.full_id", bool(e) and e[0]["output_fields"]["container.full_id"] == entry_id, every)
check("podman: entrypoint alert container.label[app]", bool(e) and e[0]["output_fields"]["container.label[app]"] == "entry", every)
repo, tag = img.rsplit(":", 1)
check("podman: container.image.repository and tag", bool(w) and w[0]["output_fields"]["container.image.repository"] == repo
      and w[0]["output_fields"]["container.image.tag"] == tag, every)
check("podman: --privileged gives container.privileged true", bool(w) and w[0]["output_fields"]["container.privileged"] is True, every)
check("podman: a plain container has container.privileged false", bool(p) and p[0]["output_fields"]["container.privileged"] is False, every)
check("podman: bind mount container.mount.dest[0] and mount.source[/data]", bool(w) and w[0]["output_fields"]["container.mount.dest[0]"] == "/data"
      and w[0]["output_fields"]["container.mount.source[/data]"] == hostdir, every)
check("podman: labels container.label[app] and [tier]", bool(w) and w[0]["output_fields"]["container.label[app]"] == "web"
      and w[0]["output_fields"]["container.label[tier]"] == "front", every)
check("podman: container.type is podman", bool(w) and w[0]["output_fields"]["container.type"] == "podman", every)
check("podman: container.image.digest is a sha256 digest", bool(w) and str(w[0]["output_fields"]["container.image.digest"]).startswith("sha256:"), every)
check("podman: a plain container has no labels (<NA>)", bool(p) and p[0]["output_fields"]["container.label[app]"] is None, every)
h = by(n + "-health")
hc = [a["output_fields"]["proc.is_container_healthcheck"] for a in h]
check("podman: container.healthcheck is the --health-cmd", bool(h) and h[0]["output_fields"]["container.healthcheck"] == "/bin/sh -c cat /etc/shadow; true", every)
check("podman: proc.is_container_healthcheck true for the health check, false for another exec", True in hc and False in hc, every)
img_rule = [a for a in alerts if a["rule"] == "containers test image rule"]
check("podman: rule on container.image.repository fires for each container", len(img_rule) >= 4, every)
check("podman: rule on another image repository stays quiet", not [a for a in alerts if a["rule"] == "containers test other image rule"], every)
P

# the capture replays with the same container fields
"$BUILD/saker" -r "$TMP/rules.yaml" -o json_output=true -e "$TMP/cap.scap" >"$TMP/replay" 2>"$TMP/replay.err"
python3 - "$TMP/out" "$TMP/replay" <<'P'
import json, sys
def load(f):
    return [json.loads(l) for l in open(f) if l.strip().startswith("{") and "shadow read" in l]
live, rep = load(sys.argv[1]), load(sys.argv[2])
key = lambda a: (a["output_fields"].get("container.name"), a["output_fields"].get("container.image"),
                 a["output_fields"].get("container.privileged"), a["output_fields"].get("container.label[app]"),
                 a["output_fields"].get("container.mount.dest[0]"))
ok = len(rep) >= 3 and sorted(map(key, live)) == sorted(map(key, rep))
print(("ok - " if ok else "not ok - ") + "podman: -w capture replays (saker -e) with the same container fields")
if not ok:
    print("    live: %s\n    replay: %s" % (sorted(map(key, live)), sorted(map(key, rep))))
P
if command -v sysdig >/dev/null; then
	sysdig -r "$TMP/cap.scap" -p '%container.name %container.image' "container.name=$N-web" 2>"$TMP/sysdig.err" | head -1 >"$TMP/sysdig.out"
	if grep -q "^$N-web $IMG" "$TMP/sysdig.out"; then ok "podman: sysdig -r reads the capture's container events (name and image)"
	else not_ok "podman: sysdig -r reads the capture's container events (name and image)" "$(cat "$TMP/sysdig.out" "$TMP/sysdig.err" | head -3)"; fi
else
	echo "skip - podman: sysdig -r reads container events (sysdig not installed)"
fi
