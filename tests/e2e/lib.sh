# SPDX-License-Identifier: Apache-2.0
# Helpers for end-to-end tests: TAP-like "ok - NAME" / "not ok - NAME" lines.
BUILD=${1:-build}
TMP=$(mktemp -d /tmp/saker-test.XXXXXX)
trap '[ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do echo "    $l"; done; }

# wait_for FILE PATTERN [TENTHS]: until FILE has a line matching PATTERN (10 s by default)
wait_for() {
	for _ in $(seq 1 "${3:-100}"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# exec_with_hosts HOSTS CMD...: exec CMD in a private mount namespace where
# names resolve only through the file HOSTS (nsswitch "hosts: files",
# resolv.conf on loopback), so no query reaches the machine's resolver. It
# execs: run it in the background (`exec_with_hosts F "$S" ... &`, and $! is
# CMD's pid) or in a subshell.
exec_with_hosts() {
	_hosts=$1
	shift
	printf 'hosts: files\n' >"$TMP/with_hosts.nsswitch"
	printf 'nameserver 127.0.0.1\n' >"$TMP/with_hosts.resolv"
	exec unshare -m --propagation private sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf &&
		mount --bind "$3" /etc/resolv.conf && shift 3 && exec "$@"' sh "$_hosts" "$TMP/with_hosts.nsswitch" "$TMP/with_hosts.resolv" "$@"
}

# session_of PID: the session id of a process (the 4th field after comm in its stat)
session_of() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f4; }

# in_session FILE CMD...: run CMD in a session of its own (setsid), its session id written to FILE
in_session() {
	_f=$1
	shift
	setsid -w sh -c 'echo $$ >"$0" && exec "$@"' "$_f" "$@"
}

# check NAME COMMAND...: ok when the command succeeds
check() {
	_check_name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$_check_name"; else not_ok "$_check_name" "command: $*"; fi
}

# Start sakerdump in the background writing to $1; waits until it is attached.
start_dump() {
	out=$1
	shift
	"$BUILD/sakerdump" "$@" >"$out" 2>"$out.err" &
	DUMP_PID=$!
	# the sensor is attached once it sees events of our own marker process
	for _ in $(seq 1 100); do
		sh -c 'exec cat /dev/null' 2>/dev/null
		grep -q ' < execve .*exe=cat args=/dev/null' "$out" 2>/dev/null && return 0
		kill -0 "$DUMP_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop_dump() {
	kill -INT "$DUMP_PID" 2>/dev/null
	wait "$DUMP_PID"
}

# containerd_start DIR SANDBOX_IMAGE: a private containerd with its CRI
# plugin (runc, overlayfs, cgroupfs, the given pause image) on
# DIR/containerd.sock, log in DIR.log; waits for the socket. Sets CTRD_PID.
# Needs ROOT (the checkout, next to ../shared).
# The kubelet-like client's messages are generated into DIR.gen from the
# upstream CRI definition (cri_kubelet.py DIR.gen DIR/containerd.sock ...).
containerd_start() {
	_d=$1
	mkdir -p "$_d" "$_d.gen"
	sed 's/ *\[debug_redact = true\]//' "$ROOT/../shared/reference/cri-api-runtime-v1.proto" >"$_d.gen/api.proto" || return 1
	(cd "$_d.gen" && /usr/bin/python3 -m grpc_tools.protoc -I. --python_out=. --grpc_python_out=. api.proto) || return 1
	cat >"$_d/config.toml" <<EOT
version = 2
root = "$_d/root"
state = "$_d/state"
[grpc]
  address = "$_d/containerd.sock"
[ttrpc]
  address = "$_d/containerd.sock.ttrpc"
[debug]
  address = "$_d/debug.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$2"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
EOT
	containerd -c "$_d/config.toml" >"$_d.log" 2>&1 &
	CTRD_PID=$!
	for _ in $(seq 1 100); do
		[ -S "$_d/containerd.sock" ] && return 0
		kill -0 "$CTRD_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# containerd_stop DIR: stop containerd_start's containerd, unmount what it
# left under DIR, remove DIR and its client.
containerd_stop() {
	if [ -n "${CTRD_PID:-}" ]; then
		kill "$CTRD_PID" 2>/dev/null
		wait "$CTRD_PID" 2>/dev/null
		CTRD_PID=
	fi
	grep " $1/" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$1" "$1.gen" "$1.log"
}

# podman_conf: cgroupfs and runc, no default ulimits, unless the machine has
# its own containers.conf
podman_conf() {
	[ -e /etc/containers/containers.conf ] && return 0
	mkdir -p /etc/containers
	printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n' \
		>/etc/containers/containers.conf
}

# busybox_rootfs DIR APPLET...: a root file system in DIR for a test image:
# /bin/busybox with a link per APPLET, /etc/passwd with root, an empty /tmp
busybox_rootfs() {
	_d=$1; shift
	mkdir -p "$_d/bin" "$_d/etc" "$_d/tmp"
	cp /bin/busybox "$_d/bin/"
	for _c in "$@"; do ln -sf busybox "$_d/bin/$_c"; done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$_d/etc/passwd"
}

# hostname_burst NAME: $TMP/NAME, a python the kernel names NAME (a symlink),
# and $TMP/burst.yaml, a WARNING rule on each of its opens of /etc/hostname
# with the output "hostname read (proc=NAME fd=N)".
hostname_burst() {
	ln -s "$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')" "$TMP/$1"
	cat >"$TMP/burst.yaml" <<Y
- rule: hostname burst
  desc: the burst process reads /etc/hostname
  condition: evt.type in (open, openat) and fd.name = /etc/hostname and proc.name = $1
  output: "hostname read (proc=%proc.name fd=%fd.num)"
  priority: WARNING
Y
}

# fake_syslog FILE SECONDS: listen on /dev/log (datagrams), append each
# message and a newline to FILE, stop after SECONDS without one. Its pid is
# SYSLOG_PID; the caller removes /dev/log.
fake_syslog() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
s.settimeout(float(sys.argv[2]))
with open(sys.argv[1], "ab", buffering=0) as f:
    try:
        while True:
            f.write(s.recv(65536) + b"\n")
    except socket.timeout:
        pass
' "$1" "$2" &
	SYSLOG_PID=$!
}
