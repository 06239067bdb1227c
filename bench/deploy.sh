#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Deployment figures: image size (uncompressed and as an OCI archive), package
# size, and the sensor's idle CPU and RSS inside the container (the README's
# least-privileged podman command) against outside it, side by side.
#   sh bench/deploy.sh [BUILD] [SECONDS]   (after make image deb)
set -eu
BUILD=${1:-build}
SECS=${2:-30}
VERSION=$(sed -n 's/^#define SAKER_VERSION "\(.*\)"/\1/p' src/app/saker.c)
IMG=localhost/saker:$VERSION
PODMAN="podman --runtime runc --cgroup-manager cgroupfs"
tmp=$(mktemp -d /tmp/ship-bench.XXXXXX)
trap '$PODMAN rm -f ship-bench >/dev/null 2>&1; rm -rf "$tmp"' EXIT

size=$(podman image inspect --format '{{.Size}}' "$IMG")
podman save --format oci-archive -o "$tmp/img.tar" "$IMG" >/dev/null 2>&1
gz=$(tar -xOf "$tmp/img.tar" --wildcards 'blobs/sha256/*' | wc -c)
echo "image $IMG: $((size / 1024)) KiB uncompressed, OCI archive $(($(stat -c %s "$tmp/img.tar") / 1024)) KiB"
deb=$(ls "$BUILD"/saker_"$VERSION"_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && echo "package $(basename "$deb"): $(($(stat -c %s "$deb") / 1024)) KiB, installed $(dpkg-deb -f "$deb" Installed-Size) KiB"

# ticks of utime+stime and VmRSS of a pid over SECS seconds of idle
measure() {
	pid=$1
	t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
	sleep "$SECS"
	t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
	rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
	hz=$(getconf CLK_TCK)
	echo "$t0 $t1 $hz $rss" | awk -v s="$SECS" '{ printf "cpu %.2f%% of one core, RSS %.1f MiB\n", ($2 - $1) / $3 / s * 100, $4 / 1024 }'
}
wait_capturing() { for _ in $(seq 1 300); do grep -q capturing "$1" && return 0; sleep 0.1; done; return 1; }

for round in 1 2; do
	"$BUILD/saker" -c packaging/saker.yaml -r rules/saker_rules.yaml -o name_resolution.enabled=false -o json_output=true >/dev/null 2>"$tmp/out.err" &
	sp=$!
	wait_capturing "$tmp/out.err"
	sleep 2
	printf 'round %s outside:   ' $round; measure $sp
	kill -TERM $sp; wait $sp || true
	$PODMAN run -d --name ship-bench --ulimit host --network none --cap-drop all \
		--cap-add BPF,PERFMON,SYS_PTRACE,SYS_RESOURCE --security-opt seccomp=unconfined \
		-v /proc:/host/proc:ro -v /etc:/host/etc:ro -e HOST_ROOT=/host "$IMG" -o json_output=true >/dev/null
	for _ in $(seq 1 300); do podman logs ship-bench 2>&1 | grep -q capturing && break; sleep 0.1; done
	sleep 2
	cp=$(podman inspect --format '{{.State.Pid}}' ship-bench)
	printf 'round %s container: ' $round; measure "$cp"
	$PODMAN rm -f ship-bench >/dev/null
	# the web server on, /metrics scraped every second
	"$BUILD/saker" -c packaging/saker.yaml -r rules/saker_rules.yaml -o name_resolution.enabled=false -o json_output=true -o webserver.enabled=true \
		-o webserver.listen_address=127.0.0.1 -o webserver.listen_port=18765 -o webserver.prometheus_metrics_enabled=true \
		>/dev/null 2>"$tmp/web.err" &
	sp=$!
	wait_capturing "$tmp/web.err"
	( while kill -0 $sp 2>/dev/null; do curl -s -o /dev/null http://127.0.0.1:18765/metrics; sleep 1; done ) &
	scr=$!
	sleep 2
	printf 'round %s outside, web server scraped each second: ' $round; measure $sp
	kill -TERM $sp; wait $sp || true
	wait $scr 2>/dev/null || true
done
