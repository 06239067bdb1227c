#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Live capture: a child performs every captured syscall with known arguments;
# each event's full parameter list is checked against what the child did.
. "$(dirname "$0")/lib.sh"

D="$TMP/work"
mkdir -p "$D"
start_dump "$TMP/out" -v || { not_ok "sakerdump starts" "$(cat "$TMP/out.err")"; exit 1; }
"$BUILD/tests/syscall_child" "$D" 2>"$TMP/child.err" &
CHILD=$!
wait $CHILD
sleep 0.3
stop_dump
OUT="$TMP/out"

# expect NAME TID EVENT PARAMS-REGEX: one line of thread TID has exactly these params
expect() {
	if grep -Eq "^[0-9]+ [0-9:.]+ [0-9]+ [^ ]+ \($2\) < $3 $4\$" "$OUT"; then
		ok "$1"
	else
		not_ok "$1" "wanted: ($2) < $3 $4" "got:" "$(grep -E "\($2\) < $3 " "$OUT" | head -3 | cut -d' ' -f5-)"
	fi
}

C=$CHILD
H='[0-9A-F]+'
N='[0-9]+'
# trusted_exepath: the image's canonical path (symlinks resolved), as regexes
re_path() { realpath "$1" | sed 's/[.[\*^$]/\\&/g'; }
CHILD_EXE=$(re_path "$BUILD/tests/syscall_child")
TRUE_EXE=$(re_path /bin/true)
expect prctl $C prctl "res=0 option=15 arg2_str=sk_child arg2_int=$N"
expect open_create $C open "fd=3\(<f>$D/a\) name=$D/a flags=262\(O_WRONLY\|O_CREAT\|O_TRUNC\) mode=640 dev=$H ino=$N"
expect open_enoent $C open "fd=-2\(ENOENT\) name=$D/missing/x flags=1\(O_RDONLY\) mode=0 dev=0 ino=0"
expect openat_dir $C openat "fd=3\(<d>$D\) dirfd=-100\(AT_FDCWD\) name=$D flags=1025\(O_RDONLY\|O_DIRECTORY\) mode=0 dev=$H ino=$N"
expect openat_dirfd $C openat "fd=4\(<f>$D/a\) dirfd=3\(<d>$D\) name=a flags=11\(O_RDWR\|O_APPEND\) mode=0 dev=$H ino=$N"
expect openat2 $C openat2 "fd=5\(<f>$D/a\) dirfd=3\(<d>$D\) name=a flags=4097\(O_RDONLY\|O_CLOEXEC\) mode=0 resolve=4 dev=$H ino=$N"
expect creat $C creat "fd=5\(<f>$D/b\) name=$D/b mode=600 dev=$H ino=$N creat_flags=0"
expect dup $C dup "res=6\(<f>$D/a\) oldfd=4\(<f>$D/a\)"
expect dup2 $C dup2 "res=40\(<f>$D/a\) oldfd=4\(<f>$D/a\) newfd=40\(<f>$D/a\)"
expect dup3 $C dup3 "res=41\(<f>$D/a\) oldfd=4\(<f>$D/a\) newfd=41\(<f>$D/a\) flags=4096\(O_CLOEXEC\)"
expect fcntl $C fcntl "res=50\(<f>$D/a\) fd=4\(<f>$D/a\) cmd=26\(F_DUPFD_CLOEXEC\) arg=32"
expect close $C close "res=0 fd=40\(<f>$D/a\)"
expect close_ebadf $C close "res=-9\(EBADF\) fd=999"
expect chdir $C chdir "res=0 path=$D"
expect fchdir $C fchdir "res=0 fd=3\(<d>$D\)"
expect mkdir $C mkdir "res=0 path=$D/d1 mode=1ED"
expect mkdirat $C mkdirat "res=0 dirfd=3\(<d>$D\) path=d2 mode=1C0"
expect rmdir $C rmdir "res=0 path=$D/d1"
expect rename $C rename "res=0 oldpath=$D/b newpath=$D/c"
expect renameat $C renameat "res=0 olddirfd=3\(<d>$D\) oldpath=c newdirfd=3\(<d>$D\) newpath=e"
expect renameat2 $C renameat2 "res=0 olddirfd=3\(<d>$D\) oldpath=e newdirfd=3\(<d>$D\) newpath=f flags=1\(RENAME_NOREPLACE\)"
expect link $C link "res=0 oldpath=$D/f newpath=$D/g"
expect linkat $C linkat "res=0 olddir=3\(<d>$D\) oldpath=g newdir=3\(<d>$D\) newpath=h flags=0"
expect symlink $C symlink "res=0 target=/etc/shadow linkpath=$D/s1"
expect symlinkat $C symlinkat "res=0 target=/etc/passwd linkdirfd=3\(<d>$D\) linkpath=s2"
expect unlink $C unlink "res=0 path=$D/g"
expect unlink_enoent $C unlink "res=-2\(ENOENT\) path=$D/nonexistent"
expect unlinkat $C unlinkat "res=0 dirfd=3\(<d>$D\) name=d2 flags=512\(AT_REMOVEDIR\)"
expect chmod $C chmod "res=0 filename=$D/f mode=04755"
expect fchmod $C fchmod "res=0 fd=4\(<f>$D/a\) mode=0600"
expect fchmodat $C fchmodat "res=0 dirfd=3\(<d>$D\) filename=f mode=0644"
expect chown $C chown "res=0 path=$D/f uid=1 gid=2"
expect lchown $C lchown "res=0 path=$D/s1 uid=3 gid=4"
expect fchown $C fchown "res=0 fd=4\(<f>$D/a\) uid=5 gid=6"
expect fchownat $C fchownat "res=0 dirfd=3\(<d>$D\) pathname=f uid=7 gid=8 flags=256"
expect memfd_create $C memfd_create "fd=7\(<m>memfd:sk_memfd\) name=sk_memfd flags=1\(MFD_CLOEXEC\)"
expect pipe $C pipe "res=0 fd1=8\(<p>\) fd2=9\(<p>\) ino=$N"
expect pipe2 $C pipe2 "res=0 fd1=10\(<p>\) fd2=11\(<p>\) ino=$N flags=4160\(O_NONBLOCK\|O_CLOEXEC\)"
expect socket $C socket "fd=12\(<4>\) domain=2\(AF_INET\) type=1 proto=0 flags=0"
# the bound socket is named after its address by the bind exit itself (libs parses before it prints)
expect bind $C bind "res=0 addr=127.0.0.1:47123 fd=12\(<4>127.0.0.1:47123\)"
expect listen $C listen "res=0 fd=12\(<4>127.0.0.1:47123\) backlog=7"
expect connect $C connect "res=0 tuple=127.0.0.1:($N)->127.0.0.1:47123 fd=13\(<4>127.0.0.1:$N->127.0.0.1:47123\) addr=127.0.0.1:47123"
expect accept $C accept "fd=14\(<4>127.0.0.1:$N->127.0.0.1:47123\) tuple=127.0.0.1:$N->127.0.0.1:47123 queuepct=0 queuelen=0 queuemax=7"
expect accept4 $C accept4 "fd=15\(<4>127.0.0.1:$N->127.0.0.1:47123\) tuple=127.0.0.1:$N->127.0.0.1:47123 queuepct=0 queuelen=0 queuemax=7 flags=80000"
expect sendto $C sendto "res=4 data=ping fd=14\(<4>127.0.0.1:$N->127.0.0.1:47123\) size=4 tuple=127.0.0.1:$N->127.0.0.1:47123"
expect recvfrom $C recvfrom "res=4 data=ping tuple=127.0.0.1:$N->127.0.0.1:47123 fd=15\(<4>127.0.0.1:$N->127.0.0.1:47123\) size=8"
expect sendmsg $C sendmsg "res=4 data=ping fd=14\(<4>127.0.0.1:$N->127.0.0.1:47123\) size=4 tuple=127.0.0.1:$N->127.0.0.1:47123"
expect recvmsg $C recvmsg "res=4 size=4 data=ping tuple=127.0.0.1:$N->127.0.0.1:47123 msgcontrol= fd=15\(<4>127.0.0.1:$N->127.0.0.1:47123\)"
expect socketpair $C socketpair "res=0 fd1=16\(<u>\) fd2=17\(<u>\) source=$H peer=$H domain=1\(AF_LOCAL\) type=1 proto=0"
expect connect_refused $C connect "res=-111\(ECONNREFUSED\) tuple= fd=18\(<4>\) addr=127.0.0.1:1"
# the I/O family (io() in syscall_child): data as written or read, bounded by the 80-byte snaplen
F="fd=3\(<f>$D/io\)"
expect write $C write "res=13 data=sk-write-data $F size=13"
expect pwrite $C pwrite "res=9 data=sk-pwrite $F size=9 pos=100"
expect writev $C writev "res=9 data=sk-writev $F size=9"
expect pwritev $C pwritev "res=10 data=sk-pwritev $F size=10 pos=200"
expect read $C read "res=8 data=sk-write $F size=8"
expect pread $C pread "res=9 data=sk-pwrite $F size=9 pos=100"
expect readv $C readv "res=8 size=8 data=-datask- $F"
expect preadv $C preadv "res=10 size=10 data=sk-pwritev $F pos=200"
expect write_pipe $C write "res=7 data=sk-pipe fd=5\(<p>\) size=7"
expect read_pipe $C read "res=7 data=sk-pipe fd=4\(<p>\) size=16"
expect sendfile $C sendfile "res=4 offset=4 out_fd=5\(<p>\) in_fd=3\(<f>$D/io\) size=4"
expect splice $C splice "res=4 fd_in=4\(<p>\) fd_out=3\(<f>$D/io\) size=4 flags=1"
# one event per message, as current libs: the second of the two messages too
expect sendmmsg $C sendmmsg "res=8 fd=6\(<u>\) size=8 data=sk-mmsg1 tuple=[0-9a-f]+->[0-9a-f]+ ?"
expect setxattr $C setxattr "res=(0|-95\(EOPNOTSUPP\)) path=$D/f name=user.sk value=sk-val flags=1"
expect lsetxattr $C lsetxattr "res=-1\(EPERM\) path=$D/s1 name=user.sk value=sk-l flags=0"
expect fsetxattr $C fsetxattr "res=-(61\(ENODATA\)|95\(EOPNOTSUPP\)) fd=4\(<f>$D/a\) name=trusted.sk value=sk-fd flags=2"
expect utimensat_given $C utimensat "res=0 fd=3\(<d>$D\) path=f atime=1000000000000000005 mtime=1500000000000000999 flags=256"
expect utimensat_now_omit $C utimensat "res=0 fd=4\(<f>$D/a\) path= atime=0 mtime=0 flags=0"
expect utimensat_null $C utimensat "res=0 fd=-100\(AT_FDCWD\) path=$D/f atime=0 mtime=0 flags=0"
expect utimensat_epoch $C utimensat "res=0 fd=-100\(AT_FDCWD\) path=$D/a atime=1 mtime=1 flags=0"
expect futimesat $C futimesat "res=0 fd=3\(<d>$D\) path=f atime=1200000000000007000 mtime=1300000000000008000"
expect utimes $C utimes "res=0 path=$D/f atime=1200000000000007000 mtime=1300000000000008000"
expect utime $C utime "res=-2\(ENOENT\) path=$D/missing/x atime=1100000000000000000 mtime=1100000001000000000"
expect sendmmsg_2nd $C sendmmsg "res=8 fd=6\(<u>\) size=8 data=sk-mmsg2 tuple=[0-9a-f]+->[0-9a-f]+ ?"
n=$(grep -Ec "^[0-9]+ [0-9:.]+ [0-9]+ [^ ]+ \($C\) < sendmmsg " "$OUT")
check "sendmmsg of 2 messages: 2 events ($n)" [ "$n" -eq 2 ]
expect recvmmsg $C recvmmsg "res=8 fd=7\(<u>\) size=8 data=sk-mmsg1 tuple=[0-9a-f]+->[0-9a-f]+ ? msgcontrol="
expect setuid $C setuid "res=0 uid=0\(root\)"
expect setgid $C setgid "res=0 gid=0\(root\)"
expect setreuid $C setreuid "res=0 ruid=-1\(<NONE>\) euid=0\(root\)"
expect setregid $C setregid "res=0 rgid=-1\(<NONE>\) egid=0\(root\)"
expect setpgid $C setpgid "res=0 pid=0 pgid=$N(\([^)]*\))?"
expect setsid $C setsid "res=$C(\(sk_child\))?"
expect setresuid $C setresuid "res=0 ruid=-1\(<NONE>\) euid=0\(root\) suid=-1\(<NONE>\)"
expect setresgid $C setresgid "res=0 rgid=-1\(<NONE>\) egid=0\(root\) sgid=-1\(<NONE>\)"
expect capset $C capset "res=0 cap_inheritable=0 cap_permitted=$H cap_effective=$H"
expect setns $C setns "res=0 fd=19\(<f>/proc/(self|[0-9]+)/ns/uts\) nstype=128\(CLONE_NEWUTS\)"
expect unshare $C unshare "res=0 flags=128\(CLONE_NEWUTS\)"
expect mount $C mount "res=-2\(ENOENT\) dev=none dir=$D/nomount type=tmpfs flags=1"
expect umount2 $C umount2 "res=-2\(ENOENT\) name=$D/nomount flags=2"
expect ptrace $C ptrace "res=-1\(EPERM\) addr=0 data=0 request=11\(PTRACE_ATTACH\) pid=1(\([^)]*\))?"
expect bpf $C bpf "fd=-22\(EINVAL\) cmd=1000"
expect init_module $C init_module "res=-(38\(ENOSYS\)|14\(EFAULT\)|1\(EPERM\)) img= length=0 uargs=sk=1"
expect finit_module $C finit_module "res=-(38\(ENOSYS\)|9\(EBADF\)|1\(EPERM\)) fd=-1\(EPERM\) uargs=sk=2 flags=0"
expect delete_module $C delete_module "res=-(38\(ENOSYS\)|2\(ENOENT\)|1\(EPERM\)) name=sk_nomodule flags=2048"
expect kill $C kill "res=0 pid=$C\([^)]*\) sig=0"
expect tkill $C tkill "res=0 tid=$C\([^)]*\) sig=0"
expect tgkill $C tgkill "res=0 pid=$C\([^)]*\) tid=$C\([^)]*\) sig=0"
expect process_vm_writev $C process_vm_writev "res=6 pid=$C\([^)]*\) data=sk-vmw"
expect process_vm_readv $C process_vm_readv "res=6 pid=$C\([^)]*\) data=sk-vmr"
expect process_vm_writev_fault $C process_vm_writev "res=-14 pid=$C\([^)]*\) data="
expect mprotect_exec $C mprotect "res=0 addr=$H length=4096 prot=5\(PROT_READ\|PROT_EXEC\)"
if grep -Eq "\($C\) < mprotect .*prot=1\(PROT_READ\)$" "$OUT"; then not_ok "mprotect without exec bit is not captured"; else ok "mprotect without exec bit is not captured"; fi
expect userfaultfd $C userfaultfd "res=$N flags=4096\(O_CLOEXEC\)"
expect io_uring_setup $C io_uring_setup "res=$N entries=4 sq_entries=4 cq_entries=8 flags=0 sq_thread_cpu=0 sq_thread_idle=0 features=$N"
expect execve_fail $C execve "res=-2\(ENOENT\) exe=sk_noexec args=arg1. tid=$C\([^)]*\) pid=$C\([^)]*\) ptid=$N(\([^)]*\))? cwd= fdlimit=$N pgft_maj=$N pgft_min=$N vm_size=$N vm_rss=$N vm_swap=$N comm=sk_child cgroups=cpuset=/.* env=.* tty=$N vpgid=$N(\([^)]*\))? loginuid=(-1\(<NONE>\)|$N(\([^)]*\))?) flags=$N.* cap_inheritable=$H cap_permitted=$H cap_effective=$H exe_ino=$N exe_ino_ctime=$N exe_ino_mtime=$N uid=0\(root\) trusted_exepath=$CHILD_EXE pgid=$N(\([^)]*\))? gid=0\(root\) filename=$D/noexec"
expect execveat_fail $C execveat "res=-2\(ENOENT\) exe=sk_noexec args=arg1. tid=$C\([^)]*\) pid=$C.* gid=0\(root\)"
IA32=$(grep -E '\(([0-9]+)\) < clone res=0 ' "$OUT" | grep "ptid=$C(" | head -1 | sed -E 's/.* \(([0-9]+)\) < clone.*/\1/')
if grep -q 'ia32: unavailable' "$TMP/child.err"; then
	echo "skip - ia32_open: this machine faults int 0x80 ($(cat "$TMP/child.err"))"
else
	expect ia32_open "$IA32" open "fd=$N\(<f>$D/ia32\) name=$D/ia32 flags=6\(O_WRONLY\|O_CREAT\) mode=600 dev=$H ino=$N"
	# 32-bit times, then the y2038 call's 64-bit ones, both as utimensat
	expect ia32_utimensat "$IA32" utimensat "res=0 fd=-100\(AT_FDCWD\) path=$D/ia32 atime=1000000000000000005 mtime=1500000000000000999 flags=0"
	expect ia32_utimensat_time64 "$IA32" utimensat "res=0 fd=-100\(AT_FDCWD\) path=$D/ia32 atime=1100000000000000007 mtime=1600000000000000009 flags=0"
	# the fd argument from the ia32 registers (bx), in the close program itself on 6.2+ (sc__init)
	expect ia32_close "$IA32" close "res=0 fd=$N\(<f>$D/ia32\)"
fi
for ev in fork vfork clone clone3; do
	expect "${ev}_parent" $C $ev "res=[1-9][0-9]*\([^)]*\) exe=[^ ]*syscall_child args=$D. tid=$C\([^)]*\) pid=$C\([^)]*\) ptid=$N.* comm=sk_child cgroups=cpuset=/.* flags=$N.* uid=0 gid=0 vtid=$C\([^)]*\) vpid=$C\([^)]*\) pidns_init_start_ts=$N"
done
# children: their own clone event (res=0) from sched_process_fork, then procexit with their exit code
for code in 3 4 5 6; do
	kid=$(grep -E "\($C\) < (fork|vfork|clone|clone3) res=[1-9]" "$OUT" | sed -n "$((code - 1))p" | sed -E 's/.* res=([0-9]+).*/\1/')
	expect "child_clone_$code" "$kid" clone "res=0 exe=[^ ]*syscall_child args=$D. tid=$kid\([^)]*\) pid=$kid\([^)]*\) ptid=$C\([^)]*\) .* comm=sk_child .*"
	grep -Eq "\($kid\) > procexit status=$((code * 256)) ret=$code sig=0 core=0 reaper_tid=$N" "$OUT" &&
		ok "procexit_$code" || not_ok "procexit_$code" "$(grep "($kid)" "$OUT" | tail -2)"
done
expect execve_success "$N" execve "res=0 exe=/bin/true args=--sk-exec. tid=$N\(true\) pid=$N\(true\) ptid=$C\([^)]*\) cwd=$D fdlimit=.* comm=true .* uid=0\(root\) trusted_exepath=$TRUE_EXE pgid=.* filename=/bin/true"
# lifecycle order: child clone before its execve before its procexit
# (this test's child only: another syscall_child may run on the machine at the same time)
kid=$(grep -E " < execve res=0 exe=/bin/true args=--sk-exec. .* ptid=$C\(" "$OUT" | head -1 | sed -E 's/.* \(([0-9]+)\) < execve.*/\1/')
# (fields, not a grep of the line: another sensor's output written by a
# process this capture sees carries such text in its write's data)
order=$(awk -v k="($kid)" '$5 == k && (($6 == "<" && $7 == "clone") || ($6 == "<" && $7 == "execve" && $8 == "res=0") ||
	($6 == ">" && $7 == "procexit")) {print $7}' "$OUT" | tr '\n' ' ')
[ "$order" = "clone execve procexit " ] && ok "lifecycle_order" || not_ok "lifecycle_order" "got: $order"
# every program stored exactly its event's parameter count from the generated table
np=$(sed -nE 's/^drops: .*, nparams ([0-9]+)$/\1/p' "$OUT.err")
[ "$np" = 0 ] && ok "no nparams drops: every program stores its table count" ||
	not_ok "no nparams drops: every program stores its table count" "$(grep '^drops' "$OUT.err")"
