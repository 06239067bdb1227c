#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Overlayfs layers, live in a real podman container (an image built here):
# a binary copied into the container and run is proc.is_exe_upper_layer, one
# from the image proc.is_exe_lower_layer; a file of the image opened is
# fd.is_lower_layer, a file written in the container (open and creat)
# fd.is_upper_layer; host files are neither. Upstream's "Drop and execute new
# binary in container" fires for the copied binary only. A -w capture replays
# with the same values for open/openat, and sysdig reads their flags.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v podman >/dev/null && command -v runc >/dev/null || { not_ok "podman and runc installed (make deps)"; exit 1; }
podman_conf
# the probe's name is unique to this run: rules and checks select its events only
P=lp$$
IMG=localhost/layers-img:v$$
N=layers$$
cleanup() {
	podman rm -f "$N" >/dev/null 2>&1
	podman rmi -f "$IMG" >/dev/null 2>&1
	[ -n "$KEEP" ] || rm -rf "$TMP"
}
trap cleanup EXIT

# the probe opens each path it is given (creat:PATH creates one with creat(2))
cat >"$TMP/probe.c" <<'EOF'
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int fd = strncmp(argv[i], "creat:", 6) == 0 ? creat(argv[i] + 6, 0644) : open(argv[i], O_RDONLY);

		if (fd < 0)
			return 1;
		close(fd);
	}
	return 0;
}
EOF
mkdir -p "$TMP/ctx/rootfs/bin" "$TMP/ctx/rootfs/etc" "$TMP/ctx/rootfs/tmp"
if ! ${CC:-cc} -static -O2 -o "$TMP/ctx/rootfs/bin/$P" "$TMP/probe.c" 2>"$TMP/cc.err"; then
	not_ok "static probe built" "$(head -3 "$TMP/cc.err")"
	exit 1
fi
busybox_rootfs "$TMP/ctx/rootfs" sh cp
echo image >"$TMP/ctx/rootfs/etc/image-file"
printf 'FROM scratch\nCOPY rootfs/ /\n' >"$TMP/ctx/Containerfile"
podman build -q --pull=never -t "$IMG" "$TMP/ctx" >"$TMP/build.log" 2>&1 || { not_ok "image built locally" "$(tail -3 "$TMP/build.log")"; exit 1; }
cp "$TMP/ctx/rootfs/bin/$P" "$TMP/$P"

cat >"$TMP/rules.yaml" <<EOF
- rule: layers exec
  desc: the probe starts
  condition: evt.type in (execve, execveat) and proc.name = $P
  output: "exec exe=%proc.exepath up=%proc.is_exe_upper_layer low=%proc.is_exe_lower_layer"
  priority: WARNING
- rule: layers open
  desc: the probe opens a file
  condition: evt.type in (open, openat, openat2, creat) and proc.name = $P and fd.typechar = f
  output: "open type=%evt.type exe=%proc.exepath name=%fd.name up=%fd.is_upper_layer low=%fd.is_lower_layer"
  priority: WARNING
- rule: layers upper only
  desc: a condition on the field
  condition: evt.type in (open, openat, openat2, creat) and proc.name = $P and fd.is_upper_layer = true
  output: "upper file name=%fd.name"
  priority: WARNING
EOF
"$BUILD/saker" -r "$TMP/rules.yaml" -r "$ROOT/../shared/compat/falco_rules.yaml" -o rule_matching=all \
	-o container_engines.docker.enabled=false -o container_engines.podman.enabled=false -o container_engines.cri.enabled=false \
	-w "$TMP/cap.scap" >"$TMP/out" 2>"$TMP/err" &
SP=$!
wait_for "$TMP/err" capturing || { not_ok "saker started" "$(tail -3 "$TMP/err")"; kill $SP; exit 1; }
timeout 60 podman run --name "$N" --ulimit host --network none "$IMG" \
	sh -c "cp /bin/$P /tmp/$P && /tmp/$P /etc/image-file creat:/tmp/new /tmp/new && /bin/$P /etc/image-file" >"$TMP/podman.log" 2>&1 ||
	not_ok "container ran" "$(tail -3 "$TMP/podman.log")"
"$TMP/$P" /etc/hostname
sleep 1
kill -TERM $SP
wait $SP

# line PATTERN: the alert lines matching an extended regex
has() { grep -Eq "$1" "$TMP/out"; }
expect() {
	if has "$2"; then ok "$1"; else not_ok "$1" "wanted: $2" "$(grep -E "exec exe|open type|upper file" "$TMP/out" | head -12)"; fi
}
expect "binary copied into the container: proc.is_exe_upper_layer" "exec exe=/tmp/$P up=true low=false"
expect "binary from the image: proc.is_exe_lower_layer" "exec exe=/bin/$P up=false low=true"
expect "host binary: neither layer" "exec exe=$TMP/$P up=false low=false"
expect "image file opened: fd.is_lower_layer" "open type=openat exe=/tmp/$P name=/etc/image-file up=false low=true"
expect "file created with creat(2) in the container: fd.is_upper_layer" "open type=creat exe=/tmp/$P name=/tmp/new up=true low=false"
expect "file written in the container, opened again: fd.is_upper_layer" "open type=openat exe=/tmp/$P name=/tmp/new up=true low=false"
expect "host file: neither layer" "open type=openat exe=$TMP/$P name=/etc/hostname up=false low=false"
if grep "upper file" "$TMP/out" | grep -qv "name=/tmp/new"; then
	not_ok "fd.is_upper_layer = true selects the container's own files only" "$(grep "upper file" "$TMP/out")"
else
	expect "fd.is_upper_layer = true selects the container's own files only" "upper file name=/tmp/new"
fi
drop=$(grep "Executing binary not part of base image" "$TMP/out" | grep "process=$P ")
if echo "$drop" | grep -q "proc_exepath=/tmp/$P " && ! echo "$drop" | grep -q "proc_exepath=/bin/$P "; then
	ok "upstream 'Drop and execute new binary in container' fires for the copied binary only"
else
	not_ok "upstream 'Drop and execute new binary in container' fires for the copied binary only" "${drop:-no alert}"
fi

# the capture keeps the layers of open/openat: saker's replay and sysdig read
# them. creat's creat_flags is newer than sysdig 0.29, so -w (which writes
# what sysdig 0.29 reads) drops it: a creat replays with neither layer.
"$BUILD/sakerdump" -r "$TMP/cap.scap" -p '%evt.type %fd.name %fd.is_upper_layer %fd.is_lower_layer' \
	"proc.name = $P and evt.type = openat and fd.typechar = f" >"$TMP/replay" 2>"$TMP/replay.err"
if grep -q "^openat /tmp/new true false" "$TMP/replay" && grep -q "^openat /etc/image-file false true" "$TMP/replay" &&
	grep -q "^openat /etc/hostname false false" "$TMP/replay"; then
	ok "-w capture replays with fd.is_upper_layer/fd.is_lower_layer"
else
	not_ok "-w capture replays with fd.is_upper_layer/fd.is_lower_layer" "$(cat "$TMP/replay" "$TMP/replay.err" | head -8)"
fi
if command -v sysdig >/dev/null; then
	# PPM_O_RDONLY is 1, PPM_FD_UPPER_LAYER 1 << 15, PPM_FD_LOWER_LAYER 1 << 16
	sysdig -r "$TMP/cap.scap" -p '%evt.type %fd.name %evt.args' \
		"proc.name=$P and evt.dir=< and evt.type=openat" >"$TMP/sysdig.out" 2>"$TMP/sysdig.err"
	if grep -q "^openat /etc/image-file .* flags=65537(O_RDONLY) " "$TMP/sysdig.out" &&
		grep -q "^openat /tmp/new .* flags=32769(O_RDONLY) " "$TMP/sysdig.out" &&
		grep -q "^openat /etc/hostname .* flags=1(O_RDONLY) " "$TMP/sysdig.out"; then
		ok "sysdig -r reads the layer bits of the capture's open flags"
	else
		not_ok "sysdig -r reads the layer bits of the capture's open flags" "$(cat "$TMP/sysdig.out" "$TMP/sysdig.err" | head -8)"
	fi
else
	echo "skip - sysdig reads the layer bits (sysdig not installed)"
fi
