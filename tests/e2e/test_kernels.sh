#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Kernel matrix: one build of saker on Debian's own cloud kernels, booted
# under qemu (software emulation) with an initramfs holding build/saker,
# build/sakerdump and the syscall workload (tests/kernels/). On each kernel:
# every BPF program loads, the workload's syscalls come with the right
# parameters (exec, open, socket/connect, fd ops, process lifecycle), and a
# rule fires. One more boot checks the failure path: kernel BTF unavailable
# and a broken CO-RE relocation give a clear message and exit 2.
# Kernels are fetched with apt-get download and cached (tests/kernels/fetch.sh).
. "$(dirname "$0")/lib.sh"
K="$(dirname "$0")/../kernels"
# suite:package:name, the kernels tested in CI (README.md names them)
MATRIX="bullseye:linux-image-cloud-amd64:5.10 bookworm:linux-image-cloud-amd64:6.1 bookworm:linux-image-6.12-cloud-amd64:6.12"
FAIL_KERNEL=6.1

if ! command -v qemu-system-x86_64 >/dev/null; then
	not_ok "qemu-system-x86_64 installed (make deps installs qemu-system-x86)"
	exit 1
fi
# every program in the object is expected to load on every kernel, but of
# each program and its __cast twin (bpf_rdonly_cast, Linux >= 6.2) one only
SKEL_PROGS=$(sed -n '/^	struct {$/,/} progs;/p' "$BUILD/saker.skel.h")
EXPECT_PROGS=$(($(echo "$SKEL_PROGS" | grep -c 'struct bpf_program \*') - $(echo "$SKEL_PROGS" | grep -c 'struct bpf_program \*.*__cast;')))

for m in $MATRIX; do
	suite=${m%%:*} rest=${m#*:}
	pkg=${rest%%:*} name=${rest#*:}
	if v=$(sh "$K/fetch.sh" "$suite" "$pkg" 2>"$TMP/fetch-$name.err"); then
		eval "VMLINUZ_$(echo "$name" | tr . _)=\$v"
	else
		not_ok "fetch $suite $pkg" "$(tail -3 "$TMP/fetch-$name.err")"
	fi
done
vmlinuz() { eval "echo \"\${VMLINUZ_$(echo "$1" | tr . _):-}\""; }

if ! sh "$K/mkinitramfs.sh" "$BUILD" "$TMP/initrd.cpio" 2>"$TMP/initrd.err"; then
	not_ok "initramfs built" "$(cat "$TMP/initrd.err")"
	exit 1
fi
ok "initramfs built ($(($(wc -c <"$TMP/initrd.cpio") / 1048576)) MiB)"

# boot every kernel at once: each is one emulated CPU
start=$(date +%s)
pids=""
for m in $MATRIX; do
	name=${m##*:}
	v=$(vmlinuz "$name")
	[ -n "$v" ] || continue
	sh "$K/boot.sh" "$v" "$TMP/initrd.cpio" "$TMP/vm-$name" run &
	pids="$pids $!"
done
v=$(vmlinuz $FAIL_KERNEL)
if [ -n "$v" ]; then
	sh "$K/boot.sh" "$v" "$TMP/initrd.cpio" "$TMP/vm-fail" fail &
	pids="$pids $!"
fi
for p in $pids; do wait "$p"; done
echo "# matrix booted and ran in $(($(date +%s) - start)) s"

# field OUT KEY: the value of "@@ KEY VALUE"
field() { sed -n "s/^@@ $2 //p" "$1" | head -1; }
# section OUT NAME: the lines between "@@ begin NAME" and "@@ end NAME"
section() { sed -n "/^@@ begin $2\$/,/^@@ end $2\$/p" "$1" | sed '1d;$d'; }

H='[0-9A-F]+'
N='[0-9]+'
D=/tmp/work
for m in $MATRIX; do
	k=${m##*:}
	raw="$TMP/vm-$k"
	[ -n "$(vmlinuz "$k")" ] || continue
	out="$raw.txt"
	tr -d '\r' <"$raw" >"$out" 2>/dev/null
	rel=$(field "$out" kernel)
	if [ "$(field "$out" done)" = "" ] && ! grep -q '^@@ done' "$out"; then
		not_ok "$k: the VM ran to the end (qemu exit $(cat "$raw.rc" 2>/dev/null))" \
			"$(tail -5 "$out")" "console: $(tail -5 "$raw.console" | tr -d '\r')"
		continue
	fi
	echo "# $k: Linux $rel"
	P="$k ($rel)"
	section "$out" dump_err >"$out.err"
	section "$out" dump >"$out.dump"
	section "$out" child_err >"$out.err.child"
	[ "$(field "$out" btf)" = yes ] && ok "$P: kernel BTF present" || not_ok "$P: kernel BTF present"
	if [ "$(field "$out" attached)" = yes ]; then ok "$P: sakerdump loads and attaches"; else
		not_ok "$P: sakerdump loads and attaches" "$(cat "$out.err")"; continue
	fi
	n=$(field "$out" prog_fds)
	[ "$n" = "$EXPECT_PROGS" ] && ok "$P: all $n BPF programs loaded" ||
		not_ok "$P: all BPF programs loaded" "BPF program fds of sakerdump: $n, programs in the object: $EXPECT_PROGS"
	grep -Fq "sakerdump: $EXPECT_PROGS of $EXPECT_PROGS BPF programs loaded and attached in " "$out.err" &&
		grep -Fq " ms (Linux $rel)" "$out.err" &&
		ok "$P: sakerdump -v reports $EXPECT_PROGS of $EXPECT_PROGS programs" ||
		not_ok "$P: sakerdump -v reports the programs" "$(head -2 "$out.err")"
	# a __cast twin the verifier refuses silently costs every twin its plain loads (6.2+)
	! grep -q "the kernel refused '" "$out.err" && ok "$P: no __cast twin refused" ||
		not_ok "$P: no __cast twin refused" "$(head -1 "$out.err")"
	grep -Eq "^events: seen $N, sent $N, printed $N, malformed 0$" "$out.err" &&
		grep -q '^drops: ' "$out.err" && ! grep '^drops: ' "$out.err" | grep -Eq ' [1-9]' &&
		ok "$P: no drops, no malformed events" || not_ok "$P: no drops, no malformed events" "$(cat "$out.err")"
	C=$(field "$out" child)
	OUT="$out.dump"
	# expect NAME EVENT PARAMS-REGEX: one exit event of the workload has exactly these params
	expect() {
		if grep -Eq "^[0-9]+ [0-9:.]+ [0-9]+ [^ ]+ \($C\) < $2 $3\$" "$OUT"; then
			ok "$P: $1"
		else
			not_ok "$P: $1" "wanted: ($C) < $2 $3" "got:" "$(grep -E "\($C\) < $2 " "$OUT" | head -3 | cut -d' ' -f5- | cut -c1-400)"
		fi
	}
	# open family
	expect open_create open "fd=3\(<f>$D/a\) name=$D/a flags=262\(O_WRONLY\|O_CREAT\|O_TRUNC\) mode=640 dev=$H ino=$N"
	expect open_enoent open "fd=-2\(ENOENT\) name=$D/missing/x flags=1\(O_RDONLY\) mode=0 dev=0 ino=0"
	expect openat_dir openat "fd=3\(<d>$D\) dirfd=-100\(AT_FDCWD\) name=$D flags=1025\(O_RDONLY\|O_DIRECTORY\) mode=0 dev=$H ino=$N"
	expect openat2 openat2 "fd=5\(<f>$D/a\) dirfd=3\(<d>$D\) name=a flags=4097\(O_RDONLY\|O_CLOEXEC\) mode=0 resolve=4 dev=$H ino=$N"
	# fd operations
	expect dup dup "res=6\(<f>$D/a\) oldfd=4\(<f>$D/a\)"
	expect dup3 dup3 "res=41\(<f>$D/a\) oldfd=4\(<f>$D/a\) newfd=41\(<f>$D/a\) flags=4096\(O_CLOEXEC\)"
	expect fcntl fcntl "res=50\(<f>$D/a\) fd=4\(<f>$D/a\) cmd=26\(F_DUPFD_CLOEXEC\) arg=32"
	expect close close "res=0 fd=40\(<f>$D/a\)"
	expect pipe2 pipe2 "res=0 fd1=10\(<p>\) fd2=11\(<p>\) ino=$N flags=4160\(O_NONBLOCK\|O_CLOEXEC\)"
	expect rename renameat2 "res=0 olddirfd=3\(<d>$D\) oldpath=e newdirfd=3\(<d>$D\) newpath=f flags=1\(RENAME_NOREPLACE\)"
	expect memfd_create memfd_create "fd=7\(<m>memfd:sk_memfd\) name=sk_memfd flags=1\(MFD_CLOEXEC\)"
	# sockets
	expect socket socket "fd=12\(<4>\) domain=2\(AF_INET\) type=1 proto=0 flags=0"
	expect bind bind "res=0 addr=127.0.0.1:47123 fd=12\(<4>127.0.0.1:47123\)"
	expect connect connect "res=0 tuple=127.0.0.1:($N)->127.0.0.1:47123 fd=13\(<4>127.0.0.1:$N->127.0.0.1:47123\) addr=127.0.0.1:47123"
	expect accept4 accept4 "fd=15\(<4>127.0.0.1:$N->127.0.0.1:47123\) tuple=127.0.0.1:$N->127.0.0.1:47123 queuepct=0 queuelen=0 queuemax=7 flags=80000"
	expect sendto sendto "res=4 data=ping fd=14\(<4>127.0.0.1:$N->127.0.0.1:47123\) size=4 tuple=127.0.0.1:$N->127.0.0.1:47123"
	expect recvmsg recvmsg "res=4 size=4 data=ping tuple=127.0.0.1:$N->127.0.0.1:47123 msgcontrol= fd=15\(<4>127.0.0.1:$N->127.0.0.1:47123\)"
	# the I/O family: data bounded by the snaplen, iovecs gathered, an event per message of sendmmsg
	expect write write "res=13 data=sk-write-data fd=3\(<f>$D/io\) size=13"
	expect readv readv "res=8 size=8 data=-datask- fd=3\(<f>$D/io\)"
	expect pwritev pwritev "res=10 data=sk-pwritev fd=3\(<f>$D/io\) size=10 pos=200"
	expect splice splice "res=4 fd_in=4\(<p>\) fd_out=3\(<f>$D/io\) size=4 flags=1"
	expect sendmmsg sendmmsg "res=8 fd=6\(<u>\) size=8 data=sk-mmsg1 tuple=[0-9a-f]+->[0-9a-f]+ ?"
	expect sendmmsg_2nd sendmmsg "res=8 fd=6\(<u>\) size=8 data=sk-mmsg2 tuple=[0-9a-f]+->[0-9a-f]+ ?"
	expect socketpair socketpair "res=0 fd1=16\(<u>\) fd2=17\(<u>\) source=$H peer=$H domain=1\(AF_LOCAL\) type=1 proto=0"
	expect connect_refused connect "res=-111\(ECONNREFUSED\) tuple= fd=18\(<4>\) addr=127.0.0.1:1"
	# an ia32 task's open (int 0x80): the dispatcher's compat check on each kernel
	if grep -q 'ia32: unavailable' "$out.err.child" 2>/dev/null; then
		echo "skip - $P: ia32_open: int 0x80 faults here"
	elif grep -Eq " < open fd=$N\(<f>$D/ia32\) name=$D/ia32 flags=6\(O_WRONLY\|O_CREAT\) mode=600 dev=$H ino=$N\$" "$OUT"; then
		ok "$P: ia32_open"
	else
		not_ok "$P: ia32_open" "$(grep ia32 "$OUT" | head -3)"
	fi
	# its utimensat (32-bit times) and utimensat_time64 (Linux 5.1, 64-bit times): both as utimensat
	ia32_utime() {
		grep -Eq " < utimensat res=0 fd=-100\(AT_FDCWD\) path=$D/ia32 atime=$2 mtime=$3 flags=0\$" "$OUT" &&
			ok "$P: $1" || not_ok "$P: $1" "$(grep "< utimensat .*$D/ia32" "$OUT" | head -3)"
	}
	if ! grep -q 'ia32: unavailable' "$out.err.child" 2>/dev/null; then
		ia32_utime ia32_utimensat 1000000000000000005 1500000000000000999
		ia32_utime ia32_utimensat_time64 1100000000000000007 1600000000000000009
		# its close: the fd from the ia32 registers (the close program reads it itself on 6.2+)
		grep -Eq " < close res=0 fd=$N\(<f>$D/ia32\)\$" "$OUT" &&
			ok "$P: ia32_close" || not_ok "$P: ia32_close" "$(grep "< close .*$D/ia32" "$OUT" | head -3)"
	fi
	# credentials: kernel_cap_t is u32[2] before 6.3, u64 after; root has all 41 capabilities
	expect capset capset "res=0 cap_inheritable=0 cap_permitted=1FFFFFFFFFF cap_effective=1FFFFFFFFFF"
	expect setresuid setresuid "res=0 ruid=-1\(<NONE>\) euid=0\(root\) suid=-1\(<NONE>\)"
	# exec: a failing execve from the workload, a successful one from its child
	expect execve_fail execve "res=-2\(ENOENT\) exe=sk_noexec args=arg1. tid=$C\([^)]*\) pid=$C\([^)]*\) ptid=$N(\([^)]*\))? cwd= fdlimit=$N pgft_maj=$N pgft_min=$N vm_size=$N vm_rss=$N vm_swap=$N comm=sk_child cgroups=cpuset=/.* env=.* tty=$N vpgid=$N(\([^)]*\))? loginuid=(-1\(<NONE>\)|$N(\([^)]*\))?) flags=$N.* cap_inheritable=0 cap_permitted=1FFFFFFFFFF cap_effective=1FFFFFFFFFF exe_ino=$N exe_ino_ctime=$N exe_ino_mtime=$N uid=0\(root\) trusted_exepath=/saker/syscall_child pgid=$N(\([^)]*\))? gid=0\(root\) filename=$D/noexec"
	ex=$(grep -E " < execve res=0 exe=/bin/true args=--sk-exec\. " "$OUT" | head -1)
	if echo "$ex" | grep -Eq "tid=$N\(true\) pid=$N\(true\) ptid=$C\([^)]*\) cwd=$D fdlimit=.* comm=true .* cap_permitted=1FFFFFFFFFF cap_effective=1FFFFFFFFFF exe_ino=$N .* trusted_exepath=/bin/busybox pgid=.* filename=/bin/true$"; then
		ok "$P: execve_success"
	else
		not_ok "$P: execve_success" "got: $(echo "$ex" | cut -c1-600)"
	fi
	# inode times: i_ctime before 6.6, __i_ctime 6.6-6.10, i_ctime_sec from 6.11;
	# the initramfs was unpacked at boot (ctime) from files built just now (mtime)
	ct=$(echo "$ex" | sed -n 's/.* exe_ino_ctime=\([0-9]*\) .*/\1/p')
	mt=$(echo "$ex" | sed -n 's/.* exe_ino_mtime=\([0-9]*\) .*/\1/p')
	now=$(date +%s)
	if [ -n "$ct" ] && [ -n "$mt" ] && [ $((ct / 1000000000)) -gt $((now - 3600)) ] &&
		[ $((ct / 1000000000)) -le $((now + 60)) ] && [ $((mt / 1000000000)) -gt $((now - 3600)) ] && [ "$mt" -le "$ct" ]; then
		ok "$P: exe inode ctime and mtime"
	else
		not_ok "$P: exe inode ctime and mtime" "ctime=$ct mtime=$mt now=$now"
	fi
	# process lifecycle: parent side, the child's clone, its exit status
	expect fork_parent fork "res=[1-9][0-9]*\([^)]*\) exe=[^ ]*syscall_child args=$D. tid=$C\([^)]*\) pid=$C\([^)]*\) ptid=$N.* comm=sk_child cgroups=cpuset=/.* flags=$N.* uid=0 gid=0 vtid=$C\([^)]*\) vpid=$C\([^)]*\) pidns_init_start_ts=$N"
	expect clone3_parent clone3 "res=[1-9][0-9]*\([^)]*\) exe=[^ ]*syscall_child args=$D. tid=$C.* vtid=$C\([^)]*\) vpid=$C\([^)]*\) pidns_init_start_ts=$N"
	kid=$(grep -E "\($C\) < fork res=[1-9]" "$OUT" | head -1 | sed -E 's/.* res=([0-9]+).*/\1/')
	if [ -n "$kid" ] && grep -Eq "\($kid\) < clone res=0 exe=[^ ]*syscall_child args=$D. tid=$kid\([^)]*\) pid=$kid\([^)]*\) ptid=$C\([^)]*\) " "$OUT" &&
		grep -Eq "\($kid\) > procexit status=768 ret=3 sig=0 core=0 reaper_tid=$N" "$OUT"; then
		ok "$P: fork child: clone event and exit status"
	else
		not_ok "$P: fork child: clone event and exit status" "$(grep "($kid)" "$OUT" | head -3 | cut -c1-300)"
	fi
	kid=$(grep -E " < execve res=0 exe=/bin/true args=--sk-exec" "$OUT" | sed -E 's/.* \(([0-9]+)\) < execve.*/\1/')
	order=$(grep -E "\($kid\) (< clone|< execve res=0|> procexit)" "$OUT" | awk '{print $7}' | tr '\n' ' ')
	[ "$order" = "clone execve procexit " ] && ok "$P: lifecycle order" || not_ok "$P: lifecycle order" "got: $order"
	# saker: the rule fires with fields from the kernel and from process state
	[ "$(field "$out" saker_rc)" = 0 ] && ok "$P: saker exits 0" || not_ok "$P: saker exits 0" "$(section "$out" saker_err)"
	section "$out" saker_out | grep -q "Warning marker read by cat (file=/tmp/sk_marker parent=sh user=root)" &&
		ok "$P: saker -r: the rule fires" || not_ok "$P: saker -r: the rule fires" "$(section "$out" saker_out | head -3)" "$(section "$out" saker_err)"
	# load time, open to attached, for bench/README.md
	echo "# $k: $(grep -o "$EXPECT_PROGS of .*" "$out.err" | head -1); saker: $(section "$out" saker_err | grep -o "[0-9]* of .*" | head -1)"
done

# On this machine's kernel: bpf() refused by a seccomp filter is named as such
"$BUILD/tests/seccomp_deny" "$BUILD/sakerdump" -M 1 >"$TMP/sc.out" 2>"$TMP/sc.err"
rc=$?
[ $rc = 2 ] && grep -q "^sakerdump: the bpf() system call is blocked by a seccomp filter (Seccomp: 2 in /proc/self/status" "$TMP/sc.err" &&
	ok "seccomp filter blocking bpf(): named, exit 2" || not_ok "seccomp filter blocking bpf(): named, exit 2" "exit $rc: $(cat "$TMP/sc.err")"

# A kernel that rejects one syscall's program: the rest load, that syscall
# comes as the generic event. The kernel's BTF with one field renamed
# (same length, so every offset holds) breaks the relocation of the two
# accept programs only.
if [ -r /sys/kernel/btf/vmlinux ] && grep -q sk_max_ack_backlog /sys/kernel/btf/vmlinux; then
	LC_ALL=C sed 's/sk_max_ack_backlog/sk_max_ack_backloX/' /sys/kernel/btf/vmlinux >"$TMP/btf"
	SAKER_BTF="$TMP/btf" "$BUILD/sakerdump" -v 'proc.name=python3' >"$TMP/fb.out" 2>"$TMP/fb.err" &
	FB=$!
	for _ in $(seq 1 150); do grep -q 'BPF programs loaded' "$TMP/fb.err" && break; kill -0 $FB 2>/dev/null || break; sleep 0.1; done
	python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); c=socket.create_connection(s.getsockname()); a,_=s.accept()"
	sleep 0.5
	kill -INT $FB 2>/dev/null
	wait $FB
	rc=$?
	want=$((EXPECT_PROGS - 2))
	[ $rc = 0 ] && grep -q "^sakerdump: warning: Linux .* rejects BPF program 'sys_exit_accept' (failed to resolve CO-RE relocation .*struct sock.sk_max_ack_backlog.*): accept comes as a generic event" "$TMP/fb.err" &&
		grep -q "rejects BPF program 'sys_exit_accept4'" "$TMP/fb.err" &&
		grep -q "^sakerdump: $want of $EXPECT_PROGS BPF programs loaded and attached" "$TMP/fb.err" &&
		ok "a rejected syscall program: warned, the other $want load" ||
		not_ok "a rejected syscall program: warned, the others load" "exit $rc: $(cat "$TMP/fb.err")"
	grep -Eq " python3 \([0-9]+\) < accept4 ID=$N nativeID=288\$" "$TMP/fb.out" &&
		grep -Eq " python3 \([0-9]+\) < connect res=-?[0-9]+.* tuple=127.0.0.1:" "$TMP/fb.out" &&
		ok "a rejected syscall program: its syscall comes as the generic event, the others as before" ||
		not_ok "a rejected syscall program: generic event" "$(grep -E '< (accept|connect)' "$TMP/fb.out" | head -3)"
else
	echo "skip - rejected syscall program fallback: no readable /sys/kernel/btf/vmlinux with struct sock here"
fi

# the failure path
if [ -n "$(vmlinuz $FAIL_KERNEL)" ]; then
	out="$TMP/vm-fail.txt"
	tr -d '\r' <"$TMP/vm-fail" >"$out" 2>/dev/null
	P="$FAIL_KERNEL ($(field "$out" kernel)) failure path"
	if ! grep -q '^@@ done' "$out"; then
		not_ok "$P: the VM ran to the end" "$(tail -5 "$out")" "$(tail -5 "$TMP/vm-fail.console")"
	else
		e=$(section "$out" nobtf_err)
		[ "$(field "$out" nobtf_rc)" = 2 ] && echo "$e" | grep -q "kernel BTF not found at '/sys/kernel/btf/vmlinux' (Linux $(field "$out" kernel)): saker needs a kernel built with CONFIG_DEBUG_INFO_BTF=y" &&
			ok "$P: BTF unavailable: clear message, exit 2" ||
			not_ok "$P: BTF unavailable: clear message, exit 2" "exit $(field "$out" nobtf_rc): $e"
		e=$(section "$out" reloc_err)
		[ "$(field "$out" reloc_rc)" = 2 ] &&
			echo "$e" | grep -q "^sakerdump: cannot load BPF program 'sys_exit_[a-z_0-9]*' on Linux $(field "$out" kernel): Invalid argument" &&
			# the first relocation the dispatcher or a program makes (pt_regs.orig_ax before 5.15)
			echo "$e" | grep -Eq "failed to resolve CO-RE relocation .* struct (pt_regs|task_struct)\.[a-z_]" &&
			echo "$e" | grep -q "the BTF that SAKER_BTF names (/saker/broken-btf.o) is not this kernel's" &&
			ok "$P: broken relocation: program, relocation and what to do, exit 2" ||
			not_ok "$P: broken relocation: program, relocation and what to do, exit 2" "exit $(field "$out" reloc_rc): $e"
		n=$(field "$out" debug_lines)
		[ "$(field "$out" debug_rc)" = 2 ] && [ "${n:-0}" -gt 50 ] && [ "$(field "$out" debug_verifier_logs)" -ge 1 ] &&
			ok "$P: SAKER_DEBUG_BPF=1 prints the whole libbpf and verifier log ($n lines)" ||
			not_ok "$P: SAKER_DEBUG_BPF=1 prints the whole log" "exit $(field "$out" debug_rc), $n lines"
	fi
fi
