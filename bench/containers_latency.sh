#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Time from a container's first event to its metadata being known, live:
# N containers started one after the other under podman (API service on a
# private socket) and under containerd's CRI (a kubelet-like client), saker
# -v prints the median and the worst. Usage: bench/containers_latency.sh [N]
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-20}
. "$ROOT/tests/e2e/lib.sh" # containerd_start, containerd_stop; $TMP
BUILD=$ROOT/build
set -u
PY=/usr/bin/python3
T=$TMP
IMG=localhost/containers-lat-img:v$$
PAUSE=localhost/containers-lat-pause:v$$
SOCK=$T/podman.sock
D=/tmp/containers-lat-ctrd-$$
mkdir -p "$T/ctx/rootfs/bin"
cp /bin/busybox "$T/ctx/rootfs/bin/"
for c in sh true sleep; do ln -sf busybox "$T/ctx/rootfs/bin/$c"; done
printf 'FROM scratch\nCOPY rootfs/ /\n' >"$T/ctx/Containerfile"
printf 'FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/bin/busybox","sleep","infinity"]\n' >"$T/ctx/Containerfile.pause"
podman build -q --pull=never -t "$IMG" "$T/ctx" >/dev/null
podman build -q --pull=never -t "$PAUSE" -f "$T/ctx/Containerfile.pause" "$T/ctx" >/dev/null
SVC= SP=
cleanup() {
	[ -n "$SP" ] && kill "$SP" 2>/dev/null
	[ -n "$SVC" ] && kill "$SVC" 2>/dev/null
	containerd_stop "$D"
	podman rmi -f "$IMG" "$PAUSE" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

start_saker() {
	"$BUILD/saker" -v -r "$ROOT/rules/saker_rules.yaml" -o name_resolution.enabled=false -o stdout_output.enabled=false -o container_engines.docker.enabled=false "$@" \
		>/dev/null 2>"$T/err" &
	SP=$!
	for _ in $(seq 1 100); do grep -q capturing "$T/err" && break; sleep 0.1; done
}
stop_saker() {
	kill -TERM "$SP"
	wait "$SP"
	SP=
	grep "container metadata:" "$T/err"
}

echo "podman ($N containers, API service on a unix socket):"
podman system service --time=0 "unix://$SOCK" >/dev/null 2>&1 &
SVC=$!
for _ in $(seq 1 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
start_saker -o "container_engines.podman.sockets[]=$SOCK" -o container_engines.cri.enabled=false
for i in $(seq 1 "$N"); do podman run --rm --ulimit host --network none "$IMG" true >/dev/null 2>&1; done
sleep 1
stop_saker

echo "containerd CRI ($N containers in one pod):"
containerd_start "$D" "$PAUSE" || { echo "containerd did not start: $(tail -3 "$D.log")"; exit 1; }
for i in img pause; do
	[ $i = img ] && ref=$IMG || ref=$PAUSE
	podman save -q --format docker-archive -o "$T/$i.tar" "$ref" && ctr --address "$D/containerd.sock" -n k8s.io images import "$T/$i.tar" >/dev/null
done
kubelet() { $PY "$ROOT/tests/e2e/cri_kubelet.py" "$D.gen" "$D/containerd.sock" "$@"; }
start_saker --cri "$D/containerd.sock" -o container_engines.podman.enabled=false
P=$(kubelet pod lat default "uid-lat-$$")
for i in $(seq 1 "$N"); do c=$(kubelet ctr "$P" "c$i" "$IMG" -- true); kubelet wait "$c"; done
sleep 1
stop_saker
kubelet rmpod "$P" >/dev/null 2>&1
