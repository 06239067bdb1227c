#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Default rules stay quiet on ordinary work, live, one saker instance: a
# locally built .deb (maintainer scripts, update-alternatives) installed and
# removed with dpkg and apt, apt-get install --reinstall of an installed
# package from the machine's cache (dpkg-preconfigure, triggers, man-db),
# a C project built with make and its tests run (with AddressSanitizer), git
# init/commit/clone, sudo, logrotate, everyday admin commands (a tarball
# unpacked and files copied with their times under /usr/local/lib), ssh logins to
# an sshd on loopback (key auth, scp, a tty, sudo), a cron job running
# logrotate on logs under /var/log, podman containers started, exec'd into
# and stopped (runc, --network none), an image built, saved and loaded, and
# a containerd CRI pod (sandbox and container) started and removed, an
# alternative installed, set and removed with update-alternatives by hand,
# a local Python project installed with pip into a directory and a local
# npm package installed offline, an image built with a RUN step, and an
# interactive bash piping curl downloads (loopback) into programs that read data.
# Expected: 0 alerts at warning or above; every alert seen is printed, with
# the counts per priority and per hour.
# Alerts are ours when the process is in one of our sessions (proc.sid: the
# test runs in a session of its own; ssh logins and the cron job, which get
# sessions of their own, write their session ids to $TMP/sids), runs in one
# of our containers, or is a container engine process on the host (conmon
# and runc leave our session; their alerts are the lifecycle noise this test
# is about, whoever started them).
# saker resolves names only through a hosts file (a private mount
# namespace): the mining pool rule is live, and no query leaves the machine.
# a session of our own (setsid execs in place, or forks when we lead a group)
[ "$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f4)" = $$ ] || exec setsid -w sh "$0" "$@"
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S="$BUILD/saker"
EG="$BUILD/saker-eventgen"

wait_for() {
	for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# --- what the workload needs, prepared before saker starts
IMG=localhost/saker-detect-test:latest
PODMAN=""
if command -v podman >/dev/null && command -v runc >/dev/null && [ -x /bin/busybox ]; then
	podman_conf
	if ! podman image exists $IMG 2>/dev/null; then
		mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs/etc" "$TMP/rootfs/tmp" "$TMP/rootfs/run"
		cp /bin/busybox "$TMP/rootfs/bin/"
		for c in sh true; do ln -sf busybox "$TMP/rootfs/bin/$c"; done
		echo 'root:x:0:0:root:/root:/bin/sh' >"$TMP/rootfs/etc/passwd"
		tar -C "$TMP/rootfs" -cf "$TMP/rootfs.tar" . && podman import -q "$TMP/rootfs.tar" $IMG >/dev/null
	fi
	podman image exists $IMG && PODMAN=1
fi
[ -n "$PODMAN" ] || not_ok "podman, runc and busybox installed (make deps)"

# a containerd CRI pod, as a kubelet starts one (containerd on a private
# socket, a pause image, the client tests/e2e/cri_kubelet.py)
CRI=""
D=/tmp/saker-detect-ctrd-$$
CSOCK=$D/containerd.sock
PAUSE=localhost/saker-detect-pause:v$$
PODS=""
SSHD=""
CROND=""
CRONTAB=/etc/cron.d/saker-benign-$$
kubelet() { /usr/bin/python3 "$ROOT/tests/e2e/cri_kubelet.py" "$D.gen" "$CSOCK" "$@"; }
cleanup() {
	for p in $PODS; do kubelet rmpod "$p" >/dev/null 2>&1; done
	containerd_stop "$D"
	[ -z "$CRI" ] || podman rmi -f "$PAUSE" >/dev/null 2>&1
	[ -z "$SSHD" ] || kill "$SSHD" 2>/dev/null
	[ -z "$CROND" ] || kill "$CROND" 2>/dev/null
	rm -f "$CRONTAB"
	rm -rf "/var/log/saker-benign-$$"
	[ -n "$KEEP" ] || rm -rf "$TMP"
}
trap cleanup EXIT
cri_setup() {
	command -v containerd >/dev/null && command -v ctr >/dev/null && [ -n "$PODMAN" ] &&
		/usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null && [ -e "$ROOT/../shared/reference/cri-api-runtime-v1.proto" ] || return 1
	mkdir -p "$TMP/pause/rootfs/bin"
	cp /bin/busybox "$TMP/pause/rootfs/bin/"
	for c in sh cat sleep true; do ln -sf busybox "$TMP/pause/rootfs/bin/$c"; done
	printf 'FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/bin/busybox","sleep","infinity"]\n' >"$TMP/pause/Containerfile"
	podman build -q --pull=never -t "$PAUSE" "$TMP/pause" >/dev/null 2>&1 &&
		podman save -q --format docker-archive -o "$TMP/pause.tar" "$PAUSE" >/dev/null 2>&1 || return 1
	containerd_start "$D" "$PAUSE" || return 1
	ctr --address "$CSOCK" -n k8s.io images import "$TMP/pause.tar" >/dev/null 2>&1
}
cri_setup && CRI=1

# a small Debian package with maintainer scripts
PKG=saker-detect-demo
mkdir -p "$TMP/deb/DEBIAN" "$TMP/deb/usr/bin" "$TMP/deb/usr/share/doc/$PKG"
printf '#!/bin/sh\necho saker-detect-demo\n' >"$TMP/deb/usr/bin/$PKG"
chmod 0755 "$TMP/deb/usr/bin/$PKG"
echo "demo package of saker's detection tests" >"$TMP/deb/usr/share/doc/$PKG/README"
cat >"$TMP/deb/DEBIAN/control" <<EOF
Package: $PKG
Version: 1.0
Architecture: all
Maintainer: saker tests <root@localhost>
Description: demo package of saker's detection tests
EOF
cat >"$TMP/deb/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
update-alternatives --install /usr/bin/$PKG-alt $PKG-alt /usr/bin/$PKG 10 >/dev/null
# as iputils-ping's postinst: file capabilities (Set file capabilities, exec and setxattr)
if command -v setcap >/dev/null; then setcap cap_net_raw+p /usr/bin/$PKG; fi
EOF
cat >"$TMP/deb/DEBIAN/prerm" <<EOF
#!/bin/sh
set -e
update-alternatives --remove $PKG-alt /usr/bin/$PKG >/dev/null || true
EOF
chmod 0755 "$TMP/deb/DEBIAN/postinst" "$TMP/deb/DEBIAN/prerm"

# a package to reinstall from the machine's cache: the installed version's .deb
REINSTALL=""
for p in gawk busybox-static procps iproute2; do
	v=$(dpkg-query -W -f='${Version}' $p 2>/dev/null) || continue
	f=/var/cache/apt/archives/${p}_$(echo "$v" | sed 's/:/%3a/')_*.deb
	# shellcheck disable=SC2086
	if ls $f >/dev/null 2>&1; then REINSTALL=$p; break; fi
done

# a C project with a test suite
mkdir -p "$TMP/proj/src" "$TMP/proj/tests"
cat >"$TMP/proj/src/sum.c" <<'EOF'
#include <stdlib.h>
#include "sum.h"
long sum(const long *v, int n) { long s = 0; for (int i = 0; i < n; i++) s += v[i]; return s; }
long *range(int n) { long *v = malloc(n * sizeof(*v)); for (int i = 0; i < n; i++) v[i] = i; return v; }
EOF
printf 'long sum(const long *v, int n);\nlong *range(int n);\n' >"$TMP/proj/src/sum.h"
cat >"$TMP/proj/tests/test_sum.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include "../src/sum.h"
int main(void) { long *v = range(100); int ok = sum(v, 100) == 4950; free(v); puts(ok ? "ok" : "FAIL"); return !ok; }
EOF
cat >"$TMP/proj/Makefile" <<'EOF'
CFLAGS ?= -O2 -g -Wall
all: build/libsum.a
build:
	mkdir -p build
build/sum.o: src/sum.c src/sum.h | build
	$(CC) $(CFLAGS) -c -o $@ $<
build/libsum.a: build/sum.o
	$(AR) rcs $@ $^
build/test_sum: tests/test_sum.c build/libsum.a
	$(CC) $(CFLAGS) -o $@ $^
build/test_sum_asan: tests/test_sum.c src/sum.c
	$(CC) -g -fsanitize=address,undefined -o $@ $^
test: build/test_sum build/test_sum_asan
	./build/test_sum && ./build/test_sum_asan
clean:
	rm -rf build
.PHONY: all test clean
EOF

cat >"$TMP/logrotate.conf" <<EOF
$TMP/logs/*.log {
    rotate 2
    size 1
    compress
    missingok
}
EOF
mkdir -p "$TMP/logs"

# an sshd on a loopback port, with a host key and a root login key made
# here (each login's forced command writes its session id to $TMP/sids and
# runs what was asked: a command, sftp-server for scp)
SSH=""
if [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null && command -v ssh-keygen >/dev/null; then
	mkdir -p "$TMP/ssh" /run/sshd
	SSHPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	ssh-keygen -q -t ed25519 -N '' -f "$TMP/ssh/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$TMP/ssh/id_ed25519" &&
		cp "$TMP/ssh/id_ed25519.pub" "$TMP/ssh/authorized_keys" && SSH=1
	cat >"$TMP/ssh/sshd_config" <<EOF
Port $SSHPORT
ListenAddress 127.0.0.1
HostKey $TMP/ssh/host_key
PidFile $TMP/ssh/sshd.pid
AuthorizedKeysFile $TMP/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
StrictModes no
ForceCommand /bin/sh -c 'sed "s/.*) //" /proc/self/stat | cut -d" " -f4 >>$TMP/sids; exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"'
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
fi
[ -n "$SSH" ] || not_ok "openssh-server and openssh-client installed (make deps)"

# a cron job (the system's cron daemon, or one started here if none runs)
# rotating logs under /var/log with logrotate, as cron.daily does
CRON=""
if command -v cron >/dev/null && command -v logrotate >/dev/null; then
	mkdir -p "/var/log/saker-benign-$$"
	head -c 4096 /dev/zero >"/var/log/saker-benign-$$/app.log"
	head -c 4096 /dev/zero >"/var/log/saker-benign-$$/copy.log"
	cat >"$TMP/logrotate-cron.conf" <<EOF
/var/log/saker-benign-$$/app.log {
    rotate 2
    size 1
    compress
    create 0640 root root
    postrotate
        true
    endscript
}
/var/log/saker-benign-$$/copy.log {
    rotate 1
    size 1
    copytruncate
    missingok
}
EOF
	cat >"$CRONTAB" <<EOF
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
* * * * * root sed 's/.*) //' /proc/self/stat | cut -d' ' -f4 >>$TMP/sids; logrotate -s $TMP/logrotate-cron.state $TMP/logrotate-cron.conf >/dev/null 2>&1; touch $TMP/cron.ran
EOF
	chmod 0644 "$CRONTAB"
	CRON=1
fi
[ -n "$CRON" ] || not_ok "cron and logrotate installed (make deps)"

{ echo "127.0.0.1 localhost"; "$EG" --hosts; } >"$TMP/hosts"
exec_with_hosts "$TMP/hosts" "$S" -c "$ROOT/saker.yaml" -r "$ROOT/rules/saker_rules.yaml" -r "$ROOT/rules/saker_rules.local.yaml" \
	-o json_output=true -o stdout_output.enabled=false -o file_output.enabled=true \
	-o "file_output.filename=$TMP/quiet.json" -o file_output.keep_alive=true -p "sid=%proc.sid cgroups=%thread.cgroups" \
	>"$TMP/saker.log" 2>&1 &
SAKER_PID=$!
wait_for "$TMP/saker.log" capturing || not_ok "saker starts" "$(cat "$TMP/saker.log")"
START=$(date +%s)

echo $$ >>"$TMP/sids"
step() { # step NAME COMMAND...: run, record the outcome
	_name=$1
	shift
	echo "== $_name" >>"$TMP/workload.log"
	if "$@" >>"$TMP/workload.log" 2>&1; then echo "$_name" >>"$TMP/steps.ok"; else echo "$_name" >>"$TMP/steps.failed"; fi
}
# package steps take the lock tools/deps.sh takes: one dpkg at a time on this machine
deb_cycle() (
	exec 9>/var/lock/saker-deps.lock
	flock -w 600 9 || exit 1
	dpkg-deb --build --root-owner-group "$TMP/deb" "$TMP/$PKG.deb" &&
		dpkg -i "$TMP/$PKG.deb" && $PKG && $PKG-alt &&
		dpkg -r $PKG && apt-get install -y -q "$TMP/$PKG.deb" && apt-get purge -y -q $PKG
)
reinstall() (
	[ -n "$REINSTALL" ] || exit 0
	exec 9>/var/lock/saker-deps.lock
	flock -w 600 9 || exit 1
	DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q --reinstall --no-download \
		-o Dpkg::Options::=--force-confold "$REINSTALL"
)
c_project() (
	cd "$TMP/proj" && make -s -j2 all && make -s test && make -s clean && make -s -j2 CFLAGS=-O0 all
)
git_work() (
	cd "$TMP" && rm -rf repo clone && mkdir repo && cd repo && git init -q &&
		git config user.email root@localhost && git config user.name saker-tests &&
		cp -r "$TMP/proj/src" . && git add . && git commit -qm "first" && echo x >>src/sum.h &&
		git commit -qam "second" && git log --oneline >/dev/null && git status --short >/dev/null &&
		git diff HEAD~1 --stat >/dev/null && cd "$TMP" && git clone -q repo clone && git -C clone log -1 >/dev/null
)
admin() {
	ls -la /etc >/dev/null; cat /etc/os-release /etc/hostname >/dev/null; id; whoami; uname -a; ps aux >/dev/null
	ip addr >/dev/null 2>&1; ss -tan >/dev/null 2>&1 || true; df -h >/dev/null; free >/dev/null 2>&1 || true
	dpkg -l >/dev/null; apt-cache policy bash >/dev/null; find /usr/share/doc -maxdepth 1 -name 'libc*' >/dev/null
	tar -C "$TMP" -czf "$TMP/proj.tgz" proj && tar -tzf "$TMP/proj.tgz" >/dev/null
	# files given their source's times on purpose under a directory "Timestomp
	# file times" covers: tar -x, cp -p, install -p, rsync -a (file_time_preservers)
	_lib=/usr/local/lib/saker-benign-$$
	mkdir -p "$_lib" && tar -C "$_lib" -xzf "$TMP/proj.tgz" && cp -p "$_lib/proj/Makefile" "$_lib/Makefile.kept" &&
		install -p -m 644 "$_lib/proj/Makefile" "$_lib/Makefile.inst" &&
		{ ! command -v rsync >/dev/null || rsync -a "$_lib/proj/" "$_lib/copy/"; }
	rm -rf "$_lib"
	python3 -c 'import json,os; print(json.dumps(sorted(os.listdir("/etc"))[:3]))'
	grep -c root /etc/passwd; journalctl -n 5 --no-pager >/dev/null 2>&1 || true
	if command -v sudo >/dev/null; then sudo -n -u nobody true && sudo -n true; fi
	if command -v logrotate >/dev/null; then
		head -c 4096 /dev/zero >"$TMP/logs/app.log" && logrotate -s "$TMP/logrotate.state" "$TMP/logrotate.conf"
	fi
	return 0
}
# an interactive bash (a tty of its own from script(1); its session id to
# $TMP/sids) piping downloads from a web server on loopback into programs
# that read data, a subshell and a shell running a command: no stage reads
# a script from the download (the stages between fork and exec are copies
# of bash, which the pipeline check must not take for a shell reading stdin)
tty_pipelines() {
	command -v curl >/dev/null && command -v script >/dev/null || return 0
	mkdir -p "$TMP/www" && echo hello >"$TMP/www/x.txt" && tar -C "$TMP" -czf "$TMP/www/p.tgz" proj || return 1
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	python3 -m http.server --bind 127.0.0.1 --directory "$TMP/www" "$port" >/dev/null 2>&1 &
	web=$!
	u=http://127.0.0.1:$port
	for _ in $(seq 1 50); do curl -fs -o /dev/null "$u/x.txt" && break; sleep 0.1; done
	printf '%s\n' "curl -fsS $u/x.txt | grep -c hello" "curl -fsS $u/x.txt | wc -c" "curl -fsS $u/p.tgz | tar -tz >/dev/null" \
		"curl -fsS $u/x.txt | (cd /tmp && cat >/dev/null)" "curl -fsS $u/x.txt | sh -c 'cat >/dev/null'" \
		"curl -fsS $u/x.txt | tee /dev/null | sort" "exit" |
		SIDS="$TMP/sids" timeout 60 script -qc 'echo $$ >>"$SIDS"; exec bash --norc --noprofile -i' /dev/null
	rc=$?
	# an admin's shell whose history file is over HISTFILESIZE: bash 5.2
	# truncates it through "<file>-<pid>.tmp" below /root (root's own
	# history is put back after)
	h=$HOME/.bash_history
	if [ "$rc" -eq 0 ] && [ "$h" = /root/.bash_history ]; then
		had=0
		if [ -e "$h" ]; then had=1 && cp -p "$h" "$TMP/bash_history.saved"; fi
		printf 'true\ntrue\ntrue\n' >>"$h"
		printf '%s\n' "true" "exit" | HISTFILESIZE=1 SIDS="$TMP/sids" timeout 60 \
			script -qc 'echo $$ >>"$SIDS"; exec bash --norc --noprofile -i' /dev/null
		rc=$?
		if [ "$had" = 1 ]; then mv "$TMP/bash_history.saved" "$h"; else rm -f "$h"; fi
	fi
	kill "$web"
	wait "$web" 2>/dev/null
	return $rc
}
# Debian's alternatives, run by an admin (not through dpkg)
alternatives() {
	command -v update-alternatives >/dev/null || return 0
	a=saker-benign-$$
	update-alternatives --install "/usr/local/bin/$a" "$a" /bin/true 10 &&
		update-alternatives --set "$a" /bin/true && update-alternatives --remove "$a" /bin/true
}
# language package managers installing local projects into a directory
lang_pkgs() (
	mkdir -p "$TMP/pyp/pkgx" "$TMP/npmp" &&
		echo 'X = 1' >"$TMP/pyp/pkgx/__init__.py" &&
		printf '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "pkgx"\nversion = "0.1"\n' >"$TMP/pyp/pyproject.toml" || exit 1
	if /usr/bin/python3 -m pip --version >/dev/null 2>&1 && /usr/bin/python3 -c 'import setuptools' 2>/dev/null; then
		/usr/bin/python3 -m pip install -q --no-index --no-build-isolation --target "$TMP/pytarget" "$TMP/pyp" &&
			[ -e "$TMP/pytarget/pkgx/__init__.py" ] || exit 1
	fi
	if command -v npm >/dev/null; then
		printf '{"name":"npmx","version":"1.0.0","bin":{"npmx":"x.js"}}\n' >"$TMP/npmp/package.json" &&
			printf '#!/usr/bin/env node\nconsole.log(1)\n' >"$TMP/npmp/x.js" &&
			cd "$TMP" && npm install --offline --no-audit --no-fund --prefix "$TMP/npmi" "$TMP/npmp" &&
			[ -e "$TMP/npmi/node_modules/npmx/package.json" ] || exit 1
	fi
)
containers() {
	[ -n "$PODMAN" ] || return 1
	for i in 1 2; do
		cid=$(timeout 60 podman run -d --ulimit host --network none --name "saker-detect-$$-$i" $IMG /bin/busybox sleep 30) || return 1
		echo "$cid" >>"$TMP/cids"
		timeout 30 podman exec "$cid" /bin/busybox sh -c 'busybox id; busybox ls / >/dev/null; echo hello >/tmp/x; busybox cat /tmp/x' &&
			timeout 30 podman exec "$cid" true &&
			timeout 30 podman stop -t 1 "$cid" >/dev/null && podman rm -f "$cid" >/dev/null || return 1
	done
	timeout 60 podman run --rm --ulimit host --network none $IMG sh -c 'echo done' >/dev/null &&
		image_build
}
# an image built (COPY of a root file system with /etc/shadow and /bin),
# saved, removed, loaded back and removed: layers unpacked by podman
image_build() (
	b=localhost/saker-detect-build-$$:v1
	mkdir -p "$TMP/img/rootfs/bin" "$TMP/img/rootfs/etc" &&
		cp /bin/busybox "$TMP/img/rootfs/bin/" && echo 'root:*:19000:0:99999:7:::' >"$TMP/img/rootfs/etc/shadow" &&
		printf 'FROM scratch\nCOPY rootfs/ /\nRUN ["/bin/busybox", "sh", "-c", "echo built >/built"]\n' >"$TMP/img/Containerfile" &&
		timeout 120 podman build -q --pull=never -t "$b" "$TMP/img" && podman save -q -o "$TMP/img.tar" "$b" &&
		podman rmi -f "$b" >/dev/null && podman load -q -i "$TMP/img.tar" && podman rmi -f "$b" >/dev/null
)
# cron: started now (its job runs at the next minute; waited for at the end)
cron_start() {
	[ -n "$CRON" ] || return 1
	pgrep -x cron >/dev/null && return 0 # the machine's cron reads /etc/cron.d each minute
	cron -f &
	CROND=$!
	sleep 0.5
	kill -0 "$CROND"
}
cron_wait() {
	for _ in $(seq 1 1300); do [ -e "$TMP/cron.ran" ] && break; sleep 0.1; done
	[ -e "$TMP/cron.ran" ] && ls /var/log/saker-benign-$$/app.log.1.gz /var/log/saker-benign-$$/copy.log.1
}
ssh_login() {
	[ -n "$SSH" ] || return 1
	/usr/sbin/sshd -D -e -f "$TMP/ssh/sshd_config" &
	SSHD=$!
	for _ in $(seq 1 50); do [ -s "$TMP/ssh/sshd.pid" ] && break; sleep 0.1; done
	o="-F /dev/null -i $TMP/ssh/id_ed25519 -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=$TMP/ssh/known_hosts"
	# shellcheck disable=SC2086
	ssh $o -p "$SSHPORT" root@127.0.0.1 'id; uname -a; ls -la /etc >/dev/null; cat /etc/os-release >/dev/null; ps aux >/dev/null; sudo -n -u nobody true' &&
		echo "hello over scp" >"$TMP/ssh/file" && scp -q $o -P "$SSHPORT" "$TMP/ssh/file" "root@127.0.0.1:$TMP/ssh/file.copy" &&
		ssh $o -p "$SSHPORT" root@127.0.0.1 "cat $TMP/ssh/file.copy" && ssh $o -p "$SSHPORT" -t -t root@127.0.0.1 'exit' </dev/null
	rc=$?
	kill "$SSHD"
	wait "$SSHD" 2>/dev/null
	SSHD=""
	return $rc
}
step "cron daemon running" cron_start
step "ssh logins to an sshd on loopback (key auth, scp, a tty, sudo)" ssh_login
step "install and remove a local .deb (dpkg, apt)" deb_cycle
step "apt-get install --reinstall ${REINSTALL:-(none cached)}" reinstall
step "build a C project and run its tests" c_project
step "git init, commit, clone" git_work
step "admin commands, sudo, logrotate" admin
step "an interactive bash piping curl downloads into grep, wc, tar, a subshell, sh -c" tty_pipelines
step "update-alternatives --install, --set, --remove by hand" alternatives
step "pip and npm install local projects into a directory" lang_pkgs
step "podman run, exec, stop, rm; build, save, load an image" containers
cri_pod() {
	[ -n "$CRI" ] || return 0
	pod=$(kubelet pod "saker-detect-$$" saker-detect "uid-saker-detect-$$" app=web) || return 1
	PODS=$pod
	echo "$pod" >>"$TMP/cids"
	c=$(kubelet ctr "$pod" app "$PAUSE" -- sh -c 'cat /etc/passwd >/dev/null; echo ok >/tmp/x; sleep 0.3') || return 1
	echo "$c" >>"$TMP/cids"
	kubelet wait "$c" && kubelet rmpod "$pod" && PODS=""
}
step "containerd CRI pod sandbox and container" cri_pod
step "a cron job ran logrotate on logs under /var/log" cron_wait
END=$(date +%s)
sleep 1.5
kill -TERM $SAKER_PID
wait $SAKER_PID
touch "$TMP/quiet.json" "$TMP/cids" "$TMP/steps.ok" "$TMP/steps.failed" "$TMP/sids"
while read -r s; do ok "benign workload step ran: $s"; done <"$TMP/steps.ok"
while read -r s; do not_ok "benign workload step ran: $s" "$(tail -15 "$TMP/workload.log")"; done <"$TMP/steps.failed"
[ -n "$REINSTALL" ] || echo "skip - apt-get install --reinstall (no installed package's .deb in /var/cache/apt/archives)"
[ -n "$CRI" ] || echo "skip - containerd CRI pod (containerd, python3-grpcio or the CRI proto missing, or containerd did not start)"

python3 - "$TMP/quiet.json" "$TMP/sids" "$TMP/cids" $((END - START)) <<'P'
import json, sys, collections
alerts = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
sids, secs = {int(l) for l in open(sys.argv[2]) if l.strip()}, max(1, int(sys.argv[4]))
cids = {l.strip()[:12] for l in open(sys.argv[3]) if l.strip()}
engines = {"podman", "conmon", "runc", "crun", "catatonit", "netavark", "aardvark-dns", "containerd",
           "containerd-shim", "containerd-shim-runc-v2", "containerd-shim-runc-v1", "slirp4netns", "pasta", "ctr"}
def engine(n):
    return n in engines or n.startswith("runc:")
def ours(a):
    f = a["output_fields"]
    # engine processes run on the host; what runs in someone else's container is theirs
    # a build step of our image (podman build's RUN: a cgroup of buildah's, no container id)
    return (f.get("proc.sid") in sids or f.get("container.id") in cids or "/buildah-" in (f.get("thread.cgroups") or "") or
            (f.get("container.id") == "host" and (engine(f.get("proc.name") or "") or engine(f.get("proc.pname") or ""))))
mine = [a for a in alerts if ours(a)]
loud = [a for a in mine if a["priority"] in ("Emergency", "Alert", "Critical", "Error", "Warning")]
by = collections.Counter(a["priority"] for a in mine)
rate = {p: round(n * 3600 / secs) for p, n in by.items()}
print(f"# sessions of ours: {sorted(sids)}")
print(f"# benign workload: {secs} s, {len(mine)} alerts of ours by priority {dict(by)}, per hour {rate}")
for a in mine:
    print("#   " + a["priority"] + " " + a["rule"] + ": " + a["output"][:240])
other = [a for a in alerts if not ours(a)]
print(f"# {len(other)} alerts from other processes on this machine (not counted)")
for a in other[:10]:
    print("#   (other) " + a["priority"] + " " + a["rule"] + ": " + a["output"][:200])
print(("ok - " if not loud else "not ok - ") + "benign workload: no alert at warning or above")
for a in loud:
    print("    " + a["rule"] + ": " + a["output"][:240])
P
