#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Live Kubernetes metadata through the CRI: containerd with its CRI plugin on
# a private socket, a small gRPC client playing kubelet (a pod with a name,
# a namespace, a uid and labels; containers in it), saker pointed at the
# socket with --cri. The alerts carry k8s.pod.*, k8s.ns.name and the
# container's name and image, the entrypoint's first alert included;
# upstream rules on k8s.ns.name and container.image.repository fire or stay
# quiet as they should.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
for b in containerd ctr podman runc; do command -v $b >/dev/null || { not_ok "$b installed (make deps)"; exit 1; }; done
$PY -c 'import grpc, grpc_tools' 2>/dev/null || { not_ok "python3-grpcio and python3-grpc-tools installed (make deps)"; exit 1; }
podman_conf
N=containers$$
D=/tmp/containers-ctrd-$$
SOCK=$D/containerd.sock
IMG=localhost/containers-cri-img:v$$
TRUSTED=localhost/containers-cri-trusted:v$$
PAUSE=localhost/containers-pause:v$$
kubelet() { $PY "$ROOT/tests/e2e/cri_kubelet.py" "$D.gen" "$SOCK" "$@"; }

# images built here: a pause image and two busybox images with a shadow file
busybox_rootfs "$TMP/ctx/rootfs" sh cat head tail sleep true
echo 'root:*:19000:0:99999:7:::' >"$TMP/ctx/rootfs/etc/shadow"
printf 'FROM scratch\nCOPY rootfs/ /\n' >"$TMP/ctx/Containerfile"
printf 'FROM scratch\nCOPY rootfs/ /\nLABEL trusted=yes\n' >"$TMP/ctx/Containerfile.trusted"
printf 'FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/bin/busybox","sleep","infinity"]\n' >"$TMP/ctx/Containerfile.pause"
for i in "$IMG Containerfile" "$TRUSTED Containerfile.trusted" "$PAUSE Containerfile.pause"; do
	set -- $i
	podman build -q --pull=never -t "$1" -f "$TMP/ctx/$2" "$TMP/ctx" >>"$TMP/build.log" 2>&1 || { not_ok "images built" "$(tail -3 "$TMP/build.log")"; exit 1; }
done
for i in "$IMG" "$TRUSTED" "$PAUSE"; do
	podman save -q --format docker-archive -o "$TMP/$(echo "$i" | tr -c 'a-z0-9\n' _).tar" "$i" >>"$TMP/build.log" 2>&1 ||
		{ not_ok "images saved" "$(tail -3 "$TMP/build.log")"; exit 1; }
done
SP=
cleanup() {
	[ -n "$SP" ] && kill "$SP" 2>/dev/null
	for p in $PODS; do kubelet rmpod "$p" >/dev/null 2>&1; done
	containerd_stop "$D"
	podman rmi -f "$IMG" "$TRUSTED" "$PAUSE" >/dev/null 2>&1
	[ -n "$KEEP" ] || rm -rf "$TMP"
}
PODS=
trap cleanup EXIT
containerd_start "$D" "$PAUSE" || { not_ok "containerd started" "$(tail -5 "$D.log")"; exit 1; }
for t in "$TMP"/*.tar; do
	ctr --address "$SOCK" -n k8s.io images import "$t" >>"$TMP/import.log" 2>&1 ||
		{ not_ok "images imported into containerd" "$(tail -3 "$TMP/import.log")"; exit 1; }
done

cat >"$TMP/rules.yaml" <<'EOF'
- list: read_sensitive_file_images
  items: [TRUSTED_REPO]
  append: true
- rule: containers cri shadow read
  desc: test rule
  condition: evt.type in (open, openat, openat2) and fd.name = /etc/shadow and container.id != host
  output: shadow read (pod=%k8s.pod.name ns=%k8s.ns.name uid=%k8s.pod.uid app=%k8s.pod.label[app] team=%k8s.pod.label[team] name=%container.name image=%container.image repo=%container.image.repository sandbox=%k8s.pod.sandbox_id type=%container.type liveness=%container.liveness_probe %container.info)
  priority: WARNING
- rule: containers cri k8s infra read
  desc: the upstream macro k8s_containers (k8s.ns.name = kube-system)
  condition: evt.type in (open, openat, openat2) and fd.name = /etc/shadow and k8s_containers
  output: k8s infrastructure container read shadow (ns=%k8s.ns.name)
  priority: NOTICE
EOF
sed -i "s|TRUSTED_REPO|${TRUSTED%:*}|" "$TMP/rules.yaml"
"$BUILD/saker" -r "$ROOT/../shared/compat/falco_rules.yaml" -r "$TMP/rules.yaml" -o json_output=true -o rule_matching=all -pk \
	--cri "$SOCK" -o container_engines.docker.enabled=false -o container_engines.podman.enabled=false \
	>"$TMP/out" 2>"$TMP/err" &
SP=$!
wait_for "$TMP/err" capturing 300 || echo "saker did not print capturing within 30 s" >&2

P1=$(kubelet pod "$N-web" "$N-ns" "uid-$N-1" app=web team=blue) || { not_ok "pod sandbox started" "$(tail -5 "$TMP/containerd.log")"; exit 1; }
PODS="$P1"
P2=$(kubelet pod "$N-sys" kube-system "uid-$N-2" app=sys)
PODS="$P1 $P2"
# the entrypoint itself reads the file: the container's first process
C1=$(kubelet ctr "$P1" app "$IMG" -- cat /etc/shadow)
# told apart in upstream alerts (which name no container field) by the program
C2=$(kubelet ctr "$P1" trusted "$TRUSTED" -- sh -c 'sleep 0.2; head /etc/shadow')
C3=$(kubelet ctr "$P2" sys "$IMG" -- sh -c 'sleep 0.2; tail /etc/shadow')
for c in $C1 $C2 $C3; do kubelet wait "$c"; done
sleep 1
kill -TERM $SP
wait $SP
SP=

$PY - "$TMP/out" "$N" "$IMG" "$TRUSTED" "$P1" <<'P'
import json, sys
out, n, img, trusted, p1 = sys.argv[1:6]
alerts = [json.loads(l) for l in open(out) if l.strip().startswith("{")]
every = "; ".join(f'{a["rule"]}: {a["output_fields"]}' for a in alerts)
def check(name, cond):
    print(("ok - " if cond else "not ok - ") + name)
    if not cond:
        print("    " + every[:800])
def of(rule, cname):
    return [a["output_fields"] for a in alerts if a["rule"] == rule and a["output_fields"].get("container.name") == cname]
app = of("containers cri shadow read", "app")
f = app[0] if app else {}
check("cri: entrypoint 'cat /etc/shadow' alert carries container.name and container.image", bool(app) and f["container.image"] == img)
check("cri: k8s.pod.name and k8s.ns.name", f.get("k8s.pod.name") == n + "-web" and f.get("k8s.ns.name") == n + "-ns")
check("cri: k8s.pod.uid", f.get("k8s.pod.uid") == "uid-" + n + "-1")
check("cri: k8s.pod.label[app] and [team]", f.get("k8s.pod.label[app]") == "web" and f.get("k8s.pod.label[team]") == "blue")
check("cri: k8s.pod.sandbox_id is the pod's", f.get("k8s.pod.sandbox_id") == p1[:12])
check("cri: container.type is containerd", f.get("container.type") == "containerd")
check("cri: container.liveness_probe from the pod's applied configuration", f.get("container.liveness_probe") == "cat /tmp/healthy")
check("cri: container.image.repository", f.get("container.image.repository") == img.rsplit(":", 1)[0])
pk = [a["output"] for a in alerts if a["rule"] == "containers cri shadow read" and a["output_fields"].get("container.name") == "app"]
check("cri: -pk makes %container.info container_id=.. container_image=.. container_image_tag=.. container_name=.. k8s_ns=.. k8s_pod_name=..",
      bool(pk) and f"container_image={img.rsplit(':', 1)[0]} container_image_tag={img.rsplit(':', 1)[1]} container_name=app k8s_ns={n}-ns k8s_pod_name={n}-web)" in pk[0])
nopk = [a["output"] for a in alerts if a["rule"] == "Read sensitive file untrusted"]
check("cri: -pk adds nothing to outputs without %container.info (as Falco)", nopk and not any("k8s_ns=" in o for o in nopk))
untrusted = [a for a in alerts if a["rule"] == "Read sensitive file untrusted"]
names = sorted(a["output_fields"].get("proc.name") or "" for a in untrusted)
check("cri: upstream 'Read sensitive file untrusted' fires in the untrusted containers", "cat" in names and "tail" in names)
check("cri: ... and stays quiet for an image in read_sensitive_file_images (container.image.repository)", "head" not in names)
infra = [a["output_fields"].get("k8s.ns.name") for a in alerts if a["rule"] == "containers cri k8s infra read"]
check("cri: upstream macro k8s_containers (k8s.ns.name = kube-system) matches the kube-system pod only", infra and set(infra) == {"kube-system"})
P
