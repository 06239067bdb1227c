// SPDX-License-Identifier: Apache-2.0
/*
 * Test workload: performs each captured syscall once (plus failing variants)
 * with known arguments, through raw syscall(2) so the kernel sees exactly
 * that syscall. tests/e2e/test_syscalls.sh checks every parameter captured.
 * Usage: syscall_child DIR
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

static char dir[512];

static const char *p(const char *name)
{
	static char buf[4][700];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void files(void)
{
	long fd, fd2;
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .mode = 0, .resolve = RESOLVE_NO_SYMLINKS };
	int dfd;

	fd = syscall(SYS_open, p("a"), O_WRONLY | O_CREAT | O_TRUNC, 0640);
	syscall(SYS_close, fd);
	syscall(SYS_open, p("missing/x"), O_RDONLY);
	dfd = syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY);
	fd = syscall(SYS_openat, dfd, "a", O_RDWR | O_APPEND);
	fd2 = syscall(SYS_openat2, dfd, "a", &how, sizeof(how));
	syscall(SYS_close, fd2);
	fd2 = syscall(SYS_creat, p("b"), 0600);
	syscall(SYS_dup, fd);
	syscall(SYS_dup2, fd, 40);
	syscall(SYS_dup3, fd, 41, O_CLOEXEC);
	syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 50);
	syscall(SYS_close, 40);
	syscall(SYS_close, 999);
	syscall(SYS_chdir, dir);
	syscall(SYS_fchdir, dfd);
	syscall(SYS_mkdir, p("d1"), 0755);
	syscall(SYS_mkdirat, dfd, "d2", 0700);
	syscall(SYS_rmdir, p("d1"));
	syscall(SYS_rename, p("b"), p("c"));
	syscall(SYS_renameat, dfd, "c", dfd, "e");
	syscall(SYS_renameat2, dfd, "e", dfd, "f", RENAME_NOREPLACE);
	syscall(SYS_link, p("f"), p("g"));
	syscall(SYS_linkat, dfd, "g", dfd, "h", 0);
	syscall(SYS_symlink, "/etc/shadow", p("s1"));
	syscall(SYS_symlinkat, "/etc/passwd", dfd, "s2");
	syscall(SYS_unlink, p("g"));
	syscall(SYS_unlinkat, dfd, "d2", AT_REMOVEDIR);
	syscall(SYS_chmod, p("f"), 04755);
	syscall(SYS_fchmod, fd, 0600);
	syscall(SYS_fchmodat, dfd, "f", 0644, 0);
	syscall(SYS_chown, p("f"), 1, 2);
	syscall(SYS_lchown, p("s1"), 3, 4);
	syscall(SYS_fchown, fd, 5, 6);
	syscall(SYS_fchownat, dfd, "f", 7, 8, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_setxattr, p("f"), "user.sk", "sk-val", 6, 1 /* XATTR_CREATE */);
	syscall(SYS_lsetxattr, p("s1"), "user.sk", "sk-l", 4, 0); /* EPERM: no user.* on a symlink */
	syscall(SYS_fsetxattr, fd, "trusted.sk", "sk-fd", 5, 2 /* XATTR_REPLACE: ENODATA */);
	/* file times: given (ns since the epoch), not given (NULL, UTIME_NOW, UTIME_OMIT: 0), at or before the epoch (1) */
	struct timespec ts[2] = { { 1000000000, 5 }, { 1500000000, 999 } };
	struct timespec tn[2] = { { 0, UTIME_NOW }, { 7, UTIME_OMIT } };
	struct timespec te[2] = { { 0, 0 }, { -5, 0 } };
	struct timeval tv[2] = { { 1200000000, 7 }, { 1300000000, 8 } };
	struct utimbuf ub = { 1100000000, 1100000001 };
	syscall(SYS_utimensat, dfd, "f", ts, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_utimensat, fd, NULL, tn, 0);
	syscall(SYS_utimensat, AT_FDCWD, p("f"), NULL, 0);
	syscall(SYS_utimensat, AT_FDCWD, p("a"), te, 0);
	syscall(SYS_futimesat, dfd, "f", tv);
	syscall(SYS_utimes, p("f"), tv);
	syscall(SYS_utime, p("missing/x"), &ub);
	syscall(SYS_memfd_create, "sk_memfd", MFD_CLOEXEC);
	syscall(SYS_unlink, p("nonexistent"));
}

static void pipes(void)
{
	int fds[2];

	syscall(SYS_pipe, fds);
	syscall(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK);
}

static void net(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(47123) };
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_port = htons(1) };
	socklen_t len = sizeof(a);
	int srv, cli, acc, sp[2];
	char buf[8] = "ping";
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;

	srv = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	syscall(SYS_bind, srv, &a, sizeof(a));
	syscall(SYS_listen, srv, 7);
	cli = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (syscall(SYS_connect, cli, &a, sizeof(a)))
		return; /* never block in accept: the checks will report the failure */
	acc = syscall(SYS_accept, srv, NULL, NULL);
	syscall(SYS_close, acc);
	cli = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (syscall(SYS_connect, cli, &a, sizeof(a)))
		return;
	acc = syscall(SYS_accept4, srv, &a, &len, SOCK_CLOEXEC);
	syscall(SYS_sendto, cli, buf, 4, 0, NULL, 0);
	syscall(SYS_recvfrom, acc, buf, 8, 0, NULL, NULL);
	syscall(SYS_sendmsg, cli, &mh, 0);
	iov.iov_len = 8;
	syscall(SYS_recvmsg, acc, &mh, 0);
	syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sp);
	cli = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	syscall(SYS_connect, cli, &b, sizeof(b)); /* refused */
}

static void ids(void)
{
	syscall(SYS_setuid, 0);
	syscall(SYS_setgid, 0);
	syscall(SYS_setreuid, -1, 0);
	syscall(SYS_setregid, -1, 0);
	syscall(SYS_setresuid, -1, 0, -1);
	syscall(SYS_setresgid, -1, 0, -1);
	/* the group it is in already (allowed), then a session of its own: not a group leader, so it may */
	syscall(SYS_setpgid, 0, getpgrp());
	syscall(SYS_setsid);
}

static void misc(void)
{
	struct __user_cap_header { unsigned version; int pid; } h = { 0x20080522, 0 };
	struct __user_cap_data { unsigned eff, perm, inh; } d[2];
	struct io_uring_params up = { 0 };
	void *m;
	long fd;

	syscall(SYS_capget, &h, d);
	syscall(SYS_capset, &h, d);
	fd = syscall(SYS_open, "/proc/self/ns/uts", O_RDONLY);
	syscall(SYS_setns, fd, CLONE_NEWUTS);
	syscall(SYS_unshare, CLONE_NEWUTS);
	syscall(SYS_mount, "none", p("nomount"), "tmpfs", MS_RDONLY, NULL);
	syscall(SYS_umount2, p("nomount"), MNT_DETACH);
	syscall(SYS_ptrace, PTRACE_ATTACH, 1, 0, 0);
	syscall(SYS_bpf, 1000, NULL, 0);
	syscall(SYS_init_module, NULL, 0, "sk=1");
	syscall(SYS_finit_module, -1, "sk=2", 0);
	syscall(SYS_delete_module, "sk_nomodule", O_NONBLOCK);
	syscall(SYS_kill, getpid(), 0);
	syscall(SYS_tkill, syscall(SYS_gettid), 0);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0);
	{
		/* its own memory, through two local buffers; then a remote address that faults */
		char a[] = "sk-", b[] = "vmw", to[6], from[] = "sk-vmr", got[6];
		struct iovec lw[2] = { { a, 3 }, { b, 3 } }, rw = { to, 6 }, lr = { got, 6 }, rr = { from, 6 },
			     bad = { NULL, 6 };

		syscall(SYS_process_vm_writev, getpid(), lw, 2, &rw, 1, 0);
		syscall(SYS_process_vm_readv, getpid(), &lr, 1, &rr, 1, 0);
		syscall(SYS_process_vm_writev, getpid(), lw, 2, &bad, 1, 0);
	}
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_mprotect, m, 4096, PROT_READ | PROT_EXEC);
	syscall(SYS_mprotect, m, 4096, PROT_READ);
	syscall(SYS_userfaultfd, O_CLOEXEC);
	syscall(SYS_io_uring_setup, 4, &up);
}

static void procs(void)
{
	char a0[] = "sk_noexec", a1[] = "arg1";
	char *argv[] = { a0, a1, NULL };
	char *envp[] = { NULL };
	pid_t c;

	syscall(SYS_execve, p("noexec"), argv, envp);
	syscall(SYS_execveat, AT_FDCWD, p("noexec"), argv, envp, 0);
	c = syscall(SYS_fork);
	if (c == 0)
		_exit(3);
	waitpid(c, NULL, 0);
	c = vfork(); /* glibc issues the raw vfork syscall */
	if (c == 0)
		_exit(4);
	waitpid(c, NULL, 0);
	c = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
	if (c == 0)
		_exit(5);
	waitpid(c, NULL, 0);
	{
		struct clone_args ca = { .exit_signal = SIGCHLD };

		c = syscall(SYS_clone3, &ca, sizeof(ca));
		if (c == 0)
			_exit(6);
		waitpid(c, NULL, 0);
	}
	c = fork();
	if (c == 0) {
		char t0[] = "/bin/true", t1[] = "--sk-exec";
		char *a[] = { t0, t1, NULL };

		execve("/bin/true", a, envp);
		_exit(127);
	}
	waitpid(c, NULL, 0);
}

/* The I/O family on a file, a pipe and a unix socket pair: fds 3 to 7. */
static void io(void)
{
	char buf[16] = {0}, b2[16] = {0};
	char w1[] = "sk-", w2[] = "writev", w3[] = "sk-pwritev";
	struct iovec wv[2] = { { w1, 3 }, { w2, 6 } }, pv = { w3, 10 };
	struct iovec rv[2] = { { buf, 4 }, { b2, 4 } }, r1 = { buf, 10 };
	char m1[] = "sk-mmsg1", m2[] = "sk-mmsg2";
	struct iovec mi[2] = { { m1, 8 }, { m2, 8 } }, ri = { b2, 16 };
	struct mmsghdr mm[2] = { { .msg_hdr = { .msg_iov = &mi[0], .msg_iovlen = 1 } },
				 { .msg_hdr = { .msg_iov = &mi[1], .msg_iovlen = 1 } } };
	struct mmsghdr rm = { .msg_hdr = { .msg_iov = &ri, .msg_iovlen = 1 } };
	int fds[2], sp[2], fd;
	off_t off = 0;
	loff_t loff = 300;

	syscall(SYS_close_range, 3, ~0U, 0);
	fd = syscall(SYS_open, p("io"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	syscall(SYS_write, fd, "sk-write-data", 13);
	syscall(SYS_pwrite64, fd, "sk-pwrite", 9, 100);
	syscall(SYS_writev, fd, wv, 2);
	syscall(SYS_pwritev, fd, &pv, 1, 200, 0);
	syscall(SYS_lseek, fd, 0, SEEK_SET);
	syscall(SYS_read, fd, buf, 8);
	syscall(SYS_pread64, fd, buf, 9, 100);
	syscall(SYS_readv, fd, rv, 2);
	syscall(SYS_preadv, fd, &r1, 1, 200, 0);
	syscall(SYS_pipe2, fds, 0);
	syscall(SYS_write, fds[1], "sk-pipe", 7);
	syscall(SYS_read, fds[0], buf, 16);
	syscall(SYS_sendfile, fds[1], fd, &off, 4);
	syscall(SYS_splice, fds[0], NULL, fd, &loff, 4, 1 /* SPLICE_F_MOVE */);
	syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sp);
	syscall(SYS_sendmmsg, sp[0], mm, 2, 0);
	syscall(SYS_recvmmsg, sp[1], &rm, 1, 0, NULL);
	syscall(SYS_close_range, 3, ~0U, 0);
}

/* A 32-bit syscall from this 64-bit process: int 0x80 runs the ia32 table. */
static void ia32(void)
{
	char *path = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long ret, fd;

	if (path == MAP_FAILED)
		return;
	snprintf(path, 4096, "%s/ia32", dir);
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(5 /* ia32 open */), "b"((unsigned)(unsigned long)path),
			   "c"(O_WRONLY | O_CREAT), "d"(0600)
			 : "memory", "r8", "r9", "r10", "r11");
	fd = ret;
	/* ia32 utimensat: struct old_timespec32 times[2] */
	{
		int32_t *t32 = (int32_t *)(path + 2048);

		t32[0] = 1000000000, t32[1] = 5, t32[2] = 1500000000, t32[3] = 999;
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(320 /* ia32 utimensat */), "b"(AT_FDCWD), "c"((unsigned)(unsigned long)path),
				   "d"((unsigned)(unsigned long)t32), "S"(0)
				 : "memory", "r8", "r9", "r10", "r11");
	}
	/* ia32 utimensat_time64 (Linux 5.1): struct __kernel_timespec times[2] */
	{
		int64_t *t64 = (int64_t *)(path + 3072);

		t64[0] = 1100000000, t64[1] = 7, t64[2] = 1600000000, t64[3] = 9;
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(412 /* ia32 utimensat_time64 */), "b"(AT_FDCWD),
				   "c"((unsigned)(unsigned long)path), "d"((unsigned)(unsigned long)t64), "S"(0)
				 : "memory", "r8", "r9", "r10", "r11");
	}
	/* ia32 close of the file opened above: its fd comes in bx, not di */
	if (fd >= 0)
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(6 /* ia32 close */), "b"((unsigned)fd)
				 : "memory", "r8", "r9", "r10", "r11");
	(void)ret;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: syscall_child DIR\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	/* fd numbers are part of the expected output: start from 3 whatever
	 * the caller left open */
	syscall(SYS_close_range, 3, ~0U, 0);
	syscall(SYS_prctl, PR_SET_NAME, "sk_child", 0, 0, 0);
	files();
	pipes();
	net();
	ids();
	misc();
	io();
	{
		/* some hypervisors fault int 0x80: try it in a child and say so */
		pid_t c = fork();
		int st = 0;

		if (c == 0) {
			ia32();
			_exit(0);
		}
		waitpid(c, &st, 0);
		if (WIFSIGNALED(st))
			fprintf(stderr, "ia32: unavailable (signal %d)\n", WTERMSIG(st));
		else if (!WIFEXITED(st) || WEXITSTATUS(st)) /* a sanitizer caught the fault */
			fprintf(stderr, "ia32: unavailable (exit %d)\n", WEXITSTATUS(st));
	}
	procs();
	return 0;
}
