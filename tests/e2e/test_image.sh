#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The container image: built from the tree with podman (no registry), at most
# 40 MB, saved as an OCI archive; run the least-privileged way the README
# shows, it alerts on a host process reading /etc/shadow with the host's
# process name and user; a missing capability or seccomp is named.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
command -v podman >/dev/null && command -v runc >/dev/null || { not_ok "podman and runc installed (make deps)"; exit 1; }
PODMAN="podman --runtime runc --cgroup-manager cgroupfs"
IMG=localhost/ship-saker-test
VERSION=$(sed -n 's/^#define SAKER_VERSION "\(.*\)"/\1/p' src/app/saker.c)
CTR=ship-image-$$
trap '$PODMAN rm -f $CTR >/dev/null 2>&1; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

if sh packaging/image/build.sh "$BUILD" "$VERSION" "$IMG" >"$TMP/build.log" 2>&1; then
	ok "image $IMG:$VERSION builds with podman, no registry"
else
	not_ok "image builds" "$(tail -5 "$TMP/build.log")"
	exit 1
fi
size=$(podman image inspect --format '{{.Size}}' "$IMG:$VERSION")
[ "$size" -le $((40 * 1024 * 1024)) ] && ok "image is $((size / 1024 / 1024)) MB (at most 40)" ||
	not_ok "image at most 40 MB" "size $size bytes"
podman image exists "$IMG:latest" && ok "image tagged :latest too" || not_ok "image tagged :latest"
ep=$(podman image inspect --format '{{json .Config.Entrypoint}}' "$IMG:$VERSION")
[ "$ep" = '["/usr/bin/saker"]' ] && ok "entrypoint is saker" || not_ok "entrypoint is saker" "got $ep"
v=$($PODMAN run --rm --ulimit host --network none "$IMG:$VERSION" --version 2>&1)
[ "$v" = "$("$BUILD/saker" --version)" ] && ok "saker --version runs in the image" || not_ok "saker --version in the image" "$v"
l=$($PODMAN run --rm --ulimit host --network none --entrypoint /usr/bin/saker-eventgen "$IMG:$VERSION" --list 2>&1)
echo "$l" | grep -q 'read_sensitive_file\|shadow' && ok "saker-eventgen is in the image" ||
	not_ok "saker-eventgen is in the image" "$(echo "$l" | head -3)"

# OCI archive: an oci-layout and an index naming the image
rm -f "$TMP/img.tar"
podman save --format oci-archive -o "$TMP/img.tar" "$IMG:$VERSION" >/dev/null 2>&1
if tar -tf "$TMP/img.tar" 2>/dev/null | grep -q '^oci-layout$' && tar -xOf "$TMP/img.tar" index.json | grep -q "$VERSION"; then
	ok "OCI archive has oci-layout and an index naming $VERSION"
else
	not_ok "OCI archive written"
fi
out=$(podman load -q -i "$TMP/img.tar" 2>&1) && ok "OCI archive loads back with podman load" || not_ok "OCI archive loads" "$out"

# The least-privileged run of the README (plus this VM's --ulimit host, no network).
run_sensor() { # CAPS, then extra podman args before the image
	caps=$1
	shift
	$PODMAN run --rm --name $CTR --ulimit host --network none --cap-drop all \
		--cap-add "$caps" -v /proc:/host/proc:ro -v /etc:/host/etc:ro \
		-e HOST_ROOT=/host "$@" -o json_output=true >"$TMP/out" 2>"$TMP/err" &
	SP=$!
	for _ in $(seq 1 300); do
		grep -q capturing "$TMP/err" && return 0
		kill -0 $SP 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
stop_sensor() {
	$PODMAN stop -t 5 $CTR >/dev/null 2>&1
	wait $SP
}

cp /bin/cat "$TMP/ship_shadow"
if run_sensor BPF,PERFMON,SYS_PTRACE,SYS_RESOURCE --security-opt seccomp=unconfined "$IMG:$VERSION"; then
	ok "sensor starts least-privileged in the image"
	# uid 1 (daemon) is named only in the host's /etc/passwd, not the image's
	setpriv --reuid=1 --regid=1 --clear-groups --inh-caps=+dac_read_search --ambient-caps=+dac_read_search \
		"$TMP/ship_shadow" /etc/shadow >/dev/null
	for _ in $(seq 1 50); do grep -q ship_shadow "$TMP/out" && break; sleep 0.1; done
	sleep 0.5
else
	not_ok "sensor starts least-privileged in the image" "$(tail -5 "$TMP/err")"
fi
stop_sensor
python3 - "$TMP/out" <<'P'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
hit = [a for a in alerts if a["output_fields"].get("proc.name") == "ship_shadow"
       and a["output_fields"].get("fd.name") == "/etc/shadow"]
ok = bool(hit) and hit[0]["rule"] == "Read sensitive file untrusted"
print(("ok - " if ok else "not ok - ") + "alert on a host process reading /etc/shadow from inside the image")
if not ok:
    print("    alerts: " + "; ".join(a["rule"] for a in alerts)[:400])
    sys.exit(0)
f = hit[0]["output_fields"]
print(("ok - " if f.get("user.name") == "daemon" else "not ok - ") +
      "host user resolved through HOST_ROOT (user.name %s)" % f.get("user.name"))
print(("ok - " if f.get("proc.pname") not in (None, "<NA>") else "not ok - ") +
      "host parent process named (proc.pname %s)" % f.get("proc.pname"))
print(("ok - " if f.get("container.id") == "host" else "not ok - ") +
      "host process is container.id host (%s)" % f.get("container.id"))
P

# Missing privileges are named.
run_sensor PERFMON,SYS_PTRACE,SYS_RESOURCE --security-opt seccomp=unconfined "$IMG:$VERSION"
wait $SP
rc=$?
grep -q 'CAP_BPF' "$TMP/err" && [ $rc -eq 2 ] && ok "without CAP_BPF: exit 2 naming CAP_BPF" ||
	not_ok "without CAP_BPF: exit 2 naming CAP_BPF" "rc $rc: $(head -3 "$TMP/err")"
$PODMAN rm -f $CTR >/dev/null 2>&1
run_sensor BPF,PERFMON,SYS_PTRACE,SYS_RESOURCE "$IMG:$VERSION"
wait $SP
rc=$?
grep -qi 'seccomp' "$TMP/err" && [ $rc -eq 2 ] && ok "under podman's default seccomp filter: exit 2 naming seccomp" ||
	not_ok "under podman's default seccomp filter: exit 2 naming seccomp" "rc $rc: $(head -3 "$TMP/err")"
