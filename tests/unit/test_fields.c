// SPDX-License-Identifier: Apache-2.0
/*
 * Field extraction tests: synthetic events through decode and state, then
 * every class of fields (evt, proc, thread, user, fd, container) extracted
 * and rendered as an output would print them; field resolution errors; the
 * registry walk across the class tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/pipeline.h"
#include "fields/fields.h"
#include "rules/slot.h"
#include "synth.h"

#define PPME_SYSCALL_CLOSE_E 4
#define PPME_SYSCALL_CLOSE_X 5
#define PPME_SYSCALL_WRITE_X 9

/* What one event gave: the rendered value of each asked field. */
struct probe {
	const char *const *names;
	char vals[64][256];
	int seen;                  /* events delivered */
};

/*
 * Every field is resolved into the same stack ref: event parameter lookups
 * cache by the address of the argument text, so this also checks that a
 * reused buffer never gets another name's cached answer (evt.rawarg.flags
 * right after evt.arg.name).
 */
static void on_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	struct probe *pr = ctx;

	(void)ev;
	pr->seen++;
	for (int i = 0; pr->names && pr->names[i]; i++) {
		struct field_ref ref;
		struct field_value v;
		char err[256];

		if (field_resolve(pr->names[i], &ref, err, sizeof(err)))
			fail_msg("%s: %s", pr->names[i], err);
		field_extract(fctx, &ref, &v);
		field_value_format(&v, pr->vals[i], sizeof(pr->vals[i]));
	}
}

struct world {
	struct state *st;
	struct pipeline p;
	struct probe pr;
};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->st = state_new(&(struct state_opts){ .no_proc = true });
	assert_non_null(w->st);
	assert_int_equal(pipeline_init(&w->p, w->st, on_event, &w->pr), 0);
	snprintf(w->p.hostname, sizeof(w->p.hostname), "knots-host");
}

static void world_release(struct world *w)
{
	pipeline_release(&w->p);
	state_free(w->st);
}

/* Send one event; with names, the fields are read on it (else on nothing). */
static void send(struct world *w, struct synth *s, const char *const *names)
{
	uint32_t len = synth_end(s);

	w->pr.names = names;
	pipeline_event(&w->p, s->buf, len, 0);
	w->pr.names = NULL;
}

/* nginx (100) forks bash (200), which execs /bin/bash -c id in a podman container. */
static void spawn_shell(struct world *w)
{
	static const char cg[] = "cpuset=/libpod_parent/libpod-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct synth s;

	state_add_thread(w->st, 100, 100, 1);
	synth_execve(&s, 1000, 100, "/usr/sbin/nginx", "", 0, "/", "cpuset=/", 9, "", 0, 0, UINT32_MAX);
	send(w, &s, NULL);
	synth_clone(&s, 2000, 0, 200, 200, 100, "nginx", 0, "cpuset=/", 9);
	send(w, &s, NULL);
	synth_execve(&s, 3000, 200, "/bin/bash", "-c\0id\0", 6, "/work", cg, sizeof(cg),
		     "HOME=/root\0TERM=xterm\0", 22, 34816, 1000);
	send(w, &s, NULL);
}

static void expect(const struct probe *pr, const char *const *names, const char *const *want)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(pr->vals[i], want[i]))
			fail_msg("%s: got '%s', want '%s'", names[i], pr->vals[i], want[i]);
}

/* An openat of /etc/hosts by TID as fd FD at TS, then NAMES must read WANT. */
static void open_expect(struct world *w, uint64_t ts, uint64_t tid, int64_t fd, const char *const *names,
			const char *const *want)
{
	struct synth s;

	synth_openat(&s, ts, tid, fd, -100, "/etc/hosts", 1);
	send(w, &s, names);
	expect(&w->pr, names, want);
}

static void test_evt_fields(void **unused)
{
	static const char *const names[] = {
		"evt.type", "evt.dir", "evt.num", "evt.rawres", "evt.res", "evt.failed", "evt.is_open_read",
		"evt.is_open_write", "evt.is_open_create", "evt.is_open_exec", "evt.arg.name", "evt.arg[2]",
		"evt.rawarg.flags", "evt.category", "evt.count", "evt.abspath", "evt.time.iso8601", "evt.rawtime",
		"evt.reltime", "evt.hostname", "evt.cpu", NULL, /* reltime: since the first event (ts 1000) */
	};
	static const char *const want[] = {
		"openat", "<", "4", "5", "SUCCESS", "false", "true",
		"false", "false", "false", "/etc/passwd", "/etc/passwd",
		"1", "file", "1", "/etc/passwd", "2023-11-14T22:13:20.123456789Z", "1700000000123456789",
		"1700000000123455789", "knots-host", "0",
	};
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	synth_openat(&s, 1700000000123456789ull, 200, 5, -100, "/etc/passwd", 1 /* PPM_O_RDONLY */);
	send(&w, &s, names);
	assert_int_equal(w.pr.seen, 4);
	expect(&w.pr, names, want);
	world_release(&w);
}

/* A failed open, a created executable, a relative path through a directory fd. */
static void test_evt_open_variants(void **unused)
{
	static const char *const failed[] = { "evt.res", "evt.rawres", "evt.failed", "fd.num", "fd.name", NULL };
	static const char *const failed_want[] = { "ENOENT", "-2", "true", "<NA>", "<NA>" };
	static const char *const created[] = { "evt.is_open_write", "evt.is_open_create", "evt.is_open_read", NULL };
	static const char *const created_want[] = { "true", "true", "false" };
	static const char *const rel[] = { "evt.abspath", "fd.name", "fd.directory", "fd.filename", "evt.rawarg.dirfd", NULL };
	static const char *const rel_want[] = { "/etc/ssh/sshd_config", "/etc/ssh/sshd_config", "/etc/ssh",
						"sshd_config", "3" };
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	synth_openat(&s, 4000, 200, -2, -100, "/nope", 1);
	send(&w, &s, failed);
	expect(&w.pr, failed, failed_want);
	synth_openat(&s, 5000, 200, 6, -100, "/tmp/x", 2 | 4 /* PPM_O_WRONLY | PPM_O_CREAT */);
	send(&w, &s, created);
	expect(&w.pr, created, created_want);
	synth_openat(&s, 6000, 200, 3, -100, "/etc/ssh", 1 | (1 << 10) /* PPM_O_DIRECTORY */);
	send(&w, &s, NULL);
	synth_openat(&s, 7000, 200, 4, 3, "sshd_config", 1);
	send(&w, &s, rel);
	expect(&w.pr, rel, rel_want);
	world_release(&w);
}

static void test_proc_fields(void **unused)
{
	static const char *const names[] = {
		"proc.name", "proc.exe", "proc.exepath", "proc.cmdline", "proc.args", "proc.pid", "proc.ppid",
		"proc.pname", "proc.pcmdline", "proc.aname[1]", "proc.aname[2]", "proc.aname", "proc.apid[1]",
		"proc.cwd", "proc.env[HOME]", "proc.env[NOPE]", "proc.env", "proc.tty", "proc.sid", "proc.vpgid",
		"proc.vpgid.name", "thread.tid", "thread.vtid", NULL,
	};
	static const char *const want[] = {
		"bash", "/bin/bash", "/bin/bash", "bash -c id", "-c id", "200", "100",
		"nginx", "nginx", "nginx", "<NA>", "nginx", "100",
		"/work/", "/root", "<NA>", "HOME=/root TERM=xterm", "34816", "0", "200",
		"bash", "200", "200",
	};
	struct world w;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	open_expect(&w, 4000, 200, 5, names, want);
	world_release(&w);
}

static void test_user_and_container_fields(void **unused)
{
	static const char *const names[] = {
		"user.uid", "user.name", "user.loginuid", "group.gid", "container.id", "container.type", NULL,
	};
	static const char *const want[] = { "0", "root", "1000", "0", "0123456789ab", "<NA>" };
	static const char *const host[] = { "container.id", "container.name", "container.type",
					    "container.privileged", "user.loginuid", NULL };
	static const char *const host_want[] = { "host", "host", "host", "false", "-1" };
	struct world w;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	open_expect(&w, 4000, 200, 5, names, want);
	open_expect(&w, 5000, 100, 5, host, host_want); /* nginx, on the host */
	world_release(&w);
}

/* A write on a connected TCP socket that state knows: the address fields of both ends. */
static void test_fd_socket_fields(void **unused)
{
	static const char *const names[] = {
		"fd.num", "fd.type", "fd.typechar", "fd.l4proto", "fd.sockfamily", "fd.cip", "fd.sip", "fd.lip",
		"fd.rip", "fd.cport", "fd.sport", "fd.lport", "fd.rport", "fd.ip", "fd.port", "fd.is_server",
		"fd.directory", "fd.lnet", "fd.rnet", "fd.cnet", "fd.snet", "fd.cproto", "fd.sproto", "fd.lproto",
		"fd.rproto", "fd.proto", "fd.uid", "fd.containername", "fd.types", "fd.types[7]", "fd.types[8]",
		"fd.sip.name", NULL,
	};
	static const char *const want[] = {
		"7", "ipv4", "4", "tcp", "ip", "10.0.0.1", "192.168.1.9", "10.0.0.1",
		"192.168.1.9", "40000", "443", "40000", "443", "10.0.0.1,192.168.1.9", "40000,443", "false",
		"<NA>", "10.0.0.1", "192.168.1.9", "10.0.0.1", "192.168.1.9", "40000", "443", "40000",
		"443", "40000,443", "2007", "0123456789ab:10.0.0.1:40000->192.168.1.9:443", "(ipv4)", "(ipv4)", "<NA>",
		"<NA>",
	};
	struct world w;
	struct synth s;
	struct fdinfo *fd;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	fd = state_add_fd(w.st, state_thread(w.st, 200), 7, FDT_IPV4_SOCK, strdup("10.0.0.1:40000->192.168.1.9:443"));
	assert_non_null(fd);
	fd->l4proto = 6;
	memcpy(fd->sip, (uint8_t[]){ 10, 0, 0, 1 }, 4);
	memcpy(fd->dip, (uint8_t[]){ 192, 168, 1, 9 }, 4);
	fd->sport = 40000;
	fd->dport = 443;
	fd->connected = 1;
	synth_begin(&s, PPME_SYSCALL_WRITE_X, 200, 4000, 4);
	synth_u64(&s, 3);           /* res */
	synth_bytes(&s, "abc", 3);  /* data */
	synth_u64(&s, 7);           /* fd */
	synth_u32(&s, 3);           /* size */
	send(&w, &s, names);
	expect(&w.pr, names, want);
	world_release(&w);
}

/* A write on fd of thread 200 with names read on it. */
static void write_on(struct world *w, int64_t fd, const char *const *names)
{
	struct synth s;

	synth_begin(&s, PPME_SYSCALL_WRITE_X, 200, 5000, 4);
	synth_u64(&s, 3);           /* res */
	synth_bytes(&s, "abc", 3);  /* data */
	synth_u64(&s, fd);          /* fd */
	synth_u32(&s, 3);           /* size */
	send(w, &s, names);
}

/* A socket neither connected nor serving has no ends (libs' role none); a listening one only its own. */
static void test_fd_socket_roles(void **unused)
{
	static const char *const names[] = {
		"fd.cip", "fd.sip", "fd.lip", "fd.rip", "fd.cport", "fd.sport", "fd.lport", "fd.rport", "fd.ip",
		"fd.port", "fd.rnet", "fd.sproto", "fd.l4proto", "fd.is_server", NULL,
	};
	static const char *const none[] = {
		"<NA>", "<NA>", "<NA>", "<NA>", "<NA>", "<NA>", "<NA>", "<NA>", "<NA>",
		"<NA>", "<NA>", "<NA>", "udp", "false",
	};
	static const char *const listening[] = {
		"<NA>", "0.0.0.0", "<NA>", "<NA>", "<NA>", "8080", "<NA>", "<NA>", "0.0.0.0",
		"8080", "<NA>", "<NA>", "tcp", "true",
	};
	struct world w;
	struct fdinfo *fd;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	fd = state_add_fd(w.st, state_thread(w.st, 200), 8, FDT_IPV4_SOCK, strdup(""));
	assert_non_null(fd);
	fd->l4proto = 17;
	write_on(&w, 8, names);
	expect(&w.pr, names, none);
	fd = state_add_fd(w.st, state_thread(w.st, 200), 9, FDT_IPV4_SERVSOCK, strdup("0.0.0.0:8080"));
	assert_non_null(fd);
	fd->l4proto = 6;
	fd->is_server = 1;
	fd->dport = 8080;
	write_on(&w, 9, names);
	expect(&w.pr, names, listening);
	world_release(&w);
}

/*
 * Ancestors are processes: a child forked by a non-main thread of nginx
 * ("worker") has nginx as proc.aname[1]; its own name is the process's,
 * and the thread's name is the thread's own (proc.pname, as libs: the
 * parent thread; proc.ppid the parent tid).
 */
static void test_ancestors_by_process(void **unused)
{
	static const char *const names[] = {
		"proc.name", "proc.aname[1]", "proc.apid[1]", "proc.aname[2]", "proc.pname", "proc.ppid", NULL,
	};
	static const char *const want[] = { "nginx", "nginx", "100", "<NA>", "worker", "101" };
	static const char *const tnames[] = { "proc.name", "proc.pid", "thread.tid", "proc.aname[0]", NULL };
	static const char *const twant[] = { "worker", "100", "101", "nginx" };
	struct world w;
	struct synth s;
	struct thread *t;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	t = state_add_thread(w.st, 101, 100, 100);
	assert_non_null(t);
	snprintf(t->comm, sizeof(t->comm), "worker");
	synth_clone(&s, 4000, 0, 300, 300, 101, "nginx", 0, "cpuset=/", 9);
	send(&w, &s, NULL);
	open_expect(&w, 4100, 300, 5, names, want);
	open_expect(&w, 4200, 101, 6, tnames, twant);
	world_release(&w);
}

/* setsid() and setpgid() move the process: proc.sid, proc.vpgid and the leader booleans follow. */
static void test_setsid_setpgid(void **unused)
{
	static const char *const names[] = { "proc.sid", "proc.vpgid", "proc.is_sid_leader", "proc.is_vpgid_leader", NULL };
	static const char *const before[] = { "0", "200", "false", "true" };
	static const char *const grouped[] = { "0", "100", "false", "false" };
	static const char *const session[] = { "200", "200", "true", "true" };
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	open_expect(&w, 4000, 200, 5, names, before);
	synth_begin(&s, SAKER_EV_SETPGID_X, 200, 4100, 3);
	synth_u64(&s, 0);   /* res */
	synth_u64(&s, 0);   /* pid: the caller */
	synth_u64(&s, 100); /* pgid */
	send(&w, &s, NULL);
	open_expect(&w, 4200, 200, 6, names, grouped);
	synth_begin(&s, SAKER_EV_SETSID_X, 200, 4300, 1);
	synth_u64(&s, 200); /* res: the new session */
	send(&w, &s, NULL);
	open_expect(&w, 4400, 200, 7, names, session);
	world_release(&w);
}

/* A process in group gid with a name and NUL-separated args (a main thread). */
static struct thread *group_member(struct world *w, int64_t pid, int64_t gid, const char *comm, const char *args, uint32_t n)
{
	struct thread *t = state_add_thread(w->st, pid, pid, 200);

	assert_non_null(t);
	snprintf(t->proc->comm, sizeof(t->proc->comm), "%s", comm);
	proc_set_blob(&t->proc->args, &t->proc->args_len, args, n);
	t->proc->pgid = gid;
	return t;
}

/*
 * proc.pgid.cmdlines: an interactive shell's `curl URL | sh -s | tee log`,
 * seen from curl (the leader) and from sh; another thread of sh, an exited
 * member, a fork not yet exec'd and a process of another group are not listed.
 */
static void test_pgid_cmdlines(void **unused)
{
	static const char *const names[] = { "proc.pgid.cmdlines", "proc.is_pgid_leader", NULL };
	struct thread *t;
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	group_member(&w, 300, 300, "curl", "-fsSL\0http://x/i.sh\0", 20);
	group_member(&w, 301, 300, "sh", "-s\0", 3);
	group_member(&w, 302, 300, "tee", "log\0", 4);
	t = state_add_thread(w.st, 303, 301, 301); /* a second thread of sh */
	assert_non_null(t);
	t->proc->pgid = 300;
	group_member(&w, 304, 300, "gone", "", 0)->exited = true;
	t = group_member(&w, 306, 300, "bash", "", 0); /* forked by bash, not exec'd yet */
	t->proc->clone_ts = t->proc->start_ts = 3500;
	group_member(&w, 305, 305, "vim", "", 0);
	synth_openat(&s, 4000, 300, 5, -100, "/etc/hosts", 1);
	send(&w, &s, names);
	if (strcmp(w.pr.vals[0], "(sh -s,tee log)") && strcmp(w.pr.vals[0], "(tee log,sh -s)"))
		fail_msg("proc.pgid.cmdlines of curl: got '%s', want sh -s and tee log", w.pr.vals[0]);
	assert_string_equal(w.pr.vals[1], "true");
	synth_openat(&s, 4100, 301, 5, -100, "/etc/hosts", 1);
	send(&w, &s, names);
	if (strcmp(w.pr.vals[0], "(curl -fsSL http://x/i.sh,tee log)") && strcmp(w.pr.vals[0], "(tee log,curl -fsSL http://x/i.sh)"))
		fail_msg("proc.pgid.cmdlines of sh: got '%s', want curl's and tee's", w.pr.vals[0]);
	synth_openat(&s, 4200, 305, 5, -100, "/etc/hosts", 1);
	send(&w, &s, names);
	assert_string_equal(w.pr.vals[0], "<NA>"); /* alone in its group */
	world_release(&w);
}

/*
 * The cheap fields on a relative openat, a renameat2 and a poll: fs.path.*
 * with the cwd prepended, evt.abspath.src/dst, fdlist.*, evt.type.is,
 * syscall.type, the command line counts, cgroups, std fds.
 */
static void test_more_fields(void **unused)
{
	static const char *const open_names[] = {
		"fs.path.name", "fs.path.nameraw", "fs.path.source", "evt.type.is.openat", "evt.type.is.open",
		"syscall.type", "evt.source", "proc.cmdnargs", "proc.cmdlenargs", "proc.exeline", "thread.cgroups",
		"thread.cgroup.cpuset", "thread.cgroup.memory", "proc.stdout.type", "proc.stdout.name",
		"proc.stdin.name", "proc.aenv[HOME]", "proc.aenv[1]", "thread.ismain", "thread.nametid",
		"proc.nthreads", "proc.nchilds", "proc.fdopencount", "evt.is_wait", NULL,
	};
	static const char *const open_want[] = {
		"/work/x/y.txt", "x/../x/./y.txt", "<NA>", "1", "0",
		"openat", "syscall", "2", "4", "/bin/bash -c id", "cpuset=/libpod_parent/libpod-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"/libpod_parent/libpod-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "<NA>", "pipe", "pipe:[7]",
		"<NA>", "", "", "true", "bash200", /* aenv[HOME]: no ancestor has it (libs: ""); aenv[1]: nginx's environment, empty (libs: "", as proc.env) */
		"1", "0", "2", "false",
	};
	static const char *const ren_names[] = {
		"fs.path.source", "fs.path.target", "fs.path.targetraw", "fs.path.name", "evt.abspath.src",
		"evt.abspath.dst", NULL,
	};
	static const char *const ren_want[] = { "/work/old", "/tmp/new", "/tmp/new", "<NA>", "/work/old", "/tmp/new" };
	static const char *const xattr_names[] = { "evt.abspath", "evt.arg.path", "evt.arg.name", NULL };
	static const char *const xattr_want[] = { "/work/f.bin", "f.bin", "security.capability" };
	static const char *const abspath_names[] = { "evt.abspath", NULL };
	static const char *const poll_names[] = { "fdlist.nums", "fdlist.names", "fdlist.cips", "fdlist.sips", "fdlist.cports",
						  "fdlist.sports", "evt.is_wait", NULL };
	static const char *const poll_want[] = { "1,9,5", "pipe:[7],10.0.0.1:40000->192.168.1.9:443,/work/x/y.txt", "10.0.0.1",
						 "192.168.1.9", "40000", "443", "true" };
	struct fdinfo *sock;
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	assert_non_null(state_add_fd(w.st, state_thread(w.st, 200), 1, FDT_FIFO, strdup("pipe:[7]")));
	synth_openat(&s, 4000, 200, 5, -100, "x/../x/./y.txt", 1);
	send(&w, &s, open_names);
	expect(&w.pr, open_names, open_want);
	synth_begin(&s, SAKER_EV_RENAMEAT2_X, 200, 4100, 6);
	synth_u64(&s, 0);          /* res */
	synth_u64(&s, -100);       /* olddirfd: AT_FDCWD */
	synth_str(&s, "old");      /* oldpath */
	synth_u64(&s, -100);       /* newdirfd */
	synth_str(&s, "/tmp/new"); /* newpath */
	synth_u32(&s, 0);          /* flags */
	send(&w, &s, ren_names);
	expect(&w.pr, ren_names, ren_want);
	/* setxattr: evt.abspath is the file (its path), not the attribute (its name) */
	synth_begin(&s, SAKER_EV_SETXATTR_X, 200, 4150, 5);
	synth_u64(&s, 0);                       /* res */
	synth_str(&s, "f.bin");                 /* path */
	synth_str(&s, "security.capability");  /* name */
	synth_bytes(&s, "\1\0\0\2", 4);        /* value */
	synth_u32(&s, 0);                       /* flags */
	send(&w, &s, xattr_names);
	expect(&w.pr, xattr_names, xattr_want);
	/* utimensat(dirfd, "rel"): its directory fd is named "fd" */
	assert_non_null(state_add_fd(w.st, state_thread(w.st, 200), 7, FDT_DIRECTORY, strdup("/usr/local/lib")));
	synth_begin(&s, SAKER_EV_UTIMENSAT_X, 200, 4160, 6);
	synth_u64(&s, 0);         /* res */
	synth_u64(&s, 7);         /* fd: the directory */
	synth_str(&s, "stomped"); /* path */
	synth_u64(&s, 1);         /* atime */
	synth_u64(&s, 1);         /* mtime */
	synth_u32(&s, 0);         /* flags */
	send(&w, &s, abspath_names);
	assert_string_equal(w.pr.vals[0], "/usr/local/lib/stomped");
	/* open("rel"): its "fd" is the result, the cwd stays the directory */
	synth_begin(&s, SAKER_EV_OPEN_X, 200, 4170, 6);
	synth_u64(&s, 7);         /* fd */
	synth_str(&s, "opened");  /* name */
	synth_u32(&s, 0);         /* flags */
	synth_u32(&s, 0);         /* mode */
	synth_u32(&s, 0);         /* dev */
	synth_u64(&s, 0);         /* ino */
	send(&w, &s, abspath_names);
	assert_string_equal(w.pr.vals[0], "/work/opened");
	sock = state_add_fd(w.st, state_thread(w.st, 200), 9, FDT_IPV4_SOCK, strdup("10.0.0.1:40000->192.168.1.9:443"));
	assert_non_null(sock);
	sock->l4proto = 6;
	memcpy(sock->sip, (uint8_t[]){ 10, 0, 0, 1 }, 4);
	memcpy(sock->dip, (uint8_t[]){ 192, 168, 1, 9 }, 4);
	sock->sport = 40000;
	sock->dport = 443;
	sock->connected = 1;
	synth_begin(&s, SAKER_EV_POLL_X, 200, 4200, 3);
	synth_u64(&s, 1);          /* res */
	{
		uint8_t fds[2 + 3 * 10] = { 3, 0 };
		int64_t nums[3] = { 1, 9, 5 };

		for (int k = 0; k < 3; k++)
			memcpy(fds + 2 + k * 10, &nums[k], 8);
		synth_bytes(&s, (const char *)fds, sizeof(fds));
	}
	synth_u64(&s, 100);        /* timeout */
	send(&w, &s, poll_names);
	expect(&w.pr, poll_names, poll_want);
	/* an exit without its fds (an older form) reads the enter event's, never past its own slots */
	synth_begin(&s, SAKER_EV_POLL_X - 1, 200, 4300, 2);
	{
		uint8_t fds[2 + 3 * 10] = { 3, 0 };
		int64_t nums[3] = { 1, 9, 5 };

		for (int k = 0; k < 3; k++)
			memcpy(fds + 2 + k * 10, &nums[k], 8);
		synth_bytes(&s, (const char *)fds, sizeof(fds));
	}
	synth_u64(&s, 100);        /* timeout */
	send(&w, &s, NULL);
	synth_begin(&s, SAKER_EV_POLL_X, 200, 4400, 1);
	synth_u64(&s, 1);          /* res */
	send(&w, &s, poll_names);
	expect(&w.pr, poll_names, poll_want);
	world_release(&w);
}

/*
 * evt.is_async, evt.asynctype, evt.pluginname, evt.plugininfo as libs'
 * gen_event: a syscall is not async and has no plugin; a meta event is
 * async, typed by its name (an asyncevent by its name parameter, not
 * checked here: its parameters have 4-byte lengths, which synth does not write).
 */
static void test_async_fields(void **unused)
{
	static const char *const names[] = { "evt.is_async", "evt.asynctype", "evt.pluginname", "evt.plugininfo", NULL };
	static const char *const sys_want[] = { "false", "<NA>", "<NA>", "<NA>" };
	static const char *const procinfo_want[] = { "true", "procinfo", "<NA>", "<NA>" };
	static const char *const async_want[] = { "true", "container", "<NA>", "<NA>" };
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	open_expect(&w, 4000, 200, 5, names, sys_want);
	synth_begin(&s, SAKER_EV_PROCINFO_E, 200, 4100, 2);
	synth_u64(&s, 10); /* cpu_usr */
	synth_u64(&s, 20); /* cpu_sys */
	w.pr.seen = 0;
	send(&w, &s, names);
	assert_int_equal(w.pr.seen, 1);
	expect(&w.pr, names, procinfo_want);
	synth_begin(&s, SAKER_EV_CONTAINER_JSON_E, 200, 4200, 1);
	synth_str(&s, "{}"); /* json */
	w.pr.seen = 0;
	send(&w, &s, names);
	assert_int_equal(w.pr.seen, 1);
	expect(&w.pr, names, async_want);
	world_release(&w);
}

/*
 * proc.args[N] (Falco 0.41): the Nth argument after argv[0]; proc.aargs[N]:
 * the Nth ancestor's proc.args, without N any ancestor's in a condition and
 * the process's own in an output; the pid namespace fields saker cannot fill.
 */
static void test_args_index(void **unused)
{
	static const char *const names[] = { "proc.args[0]", "proc.args[1]", "proc.args[2]", "proc.args", "proc.aargs[0]",
					     "proc.aargs[1]", "proc.aargs[2]", "proc.aargs", "proc.pidns_init_start_ts",
					     "proc.exe_ino.ctime_duration_pidns_start", NULL };
	/* proc.aargs without N as a condition sees it: the ancestors' (nginx's); an output prints bash's own (test_fields_issue17) */
	static const char *const want[] = { "-c", "id", "<NA>", "-c id", "-c id", "-u www", "<NA>", "-u www", "<NA>", "<NA>" };
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	state_add_thread(w.st, 100, 100, 1);
	synth_execve(&s, 1000, 100, "/usr/sbin/nginx", "-u\0www\0", 7, "/", "cpuset=/", 9, "", 0, 0, UINT32_MAX);
	send(&w, &s, NULL);
	synth_clone(&s, 2000, 0, 200, 200, 100, "nginx", 0, "cpuset=/", 9);
	send(&w, &s, NULL);
	synth_execve(&s, 3000, 200, "/bin/bash", "-c\0id\0", 6, "/work", "cpuset=/", 9, "", 0, 0, 0);
	send(&w, &s, names);
	expect(&w.pr, names, want);
	world_release(&w);
}

/* close(-1): the fd it was given shows as fd.num, as sysdig shows it; an fd state never saw has no name */
static void test_fd_negative(void **unused)
{
	static const char *const names[] = { "fd.num", "fd.name", NULL };
	static const char *const want[] = { "-1", "<NA>" };
	static const char *const unseen[] = { "fd.num", "fd.type", NULL };
	static const char *const unseen_want[] = { "9", "<NA>" };
	static const char *const exit_names[] = { "fd.num", "fd.name", "evt.res", NULL };
	static const char *const exit_want[] = { "-1", "", "EBADF" };
	struct world w;
	struct synth s;

	(void)unused;
	world_init(&w);
	spawn_shell(&w);
	synth_begin(&s, PPME_SYSCALL_CLOSE_E, 200, 4000, 1);
	synth_u64(&s, -1);
	send(&w, &s, names);
	expect(&w.pr, names, want);
	synth_begin(&s, PPME_SYSCALL_CLOSE_E, 200, 5000, 1);
	synth_u64(&s, 9);
	send(&w, &s, unseen);
	expect(&w.pr, unseen, unseen_want);
	synth_begin(&s, PPME_SYSCALL_CLOSE_X, 200, 6000, 2); /* the exit of close(-1): fd.name is "" */
	synth_u64(&s, -9);
	synth_u64(&s, -1);
	send(&w, &s, exit_names);
	expect(&w.pr, exit_names, exit_want);
	world_release(&w);
}

static void test_resolve_errors(void **unused)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "proc.nme", "unknown field 'proc.nme'" },
		{ "proc.aname[x]", "field 'proc.aname' takes a numeric index, not 'x'" },
		{ "proc.name[1]", "field 'proc.name' takes no argument" },
		{ "evt.arg", "field 'evt.arg' requires an argument" },
		{ "proc.env[HOME", "malformed argument in field 'proc.env[HOME'" },
	};
	struct field_ref ref;
	char err[256];

	(void)unused;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		if (!field_resolve(bad[i].text, &ref, err, sizeof(err)))
			fail_msg("'%s' resolved", bad[i].text);
		assert_string_equal(err, bad[i].msg);
	}
	assert_int_equal(field_resolve("proc.aname[3]", &ref, err, sizeof(err)), 0);
	assert_int_equal(ref.idx, 3);
	assert_int_equal(field_resolve("evt.arg.flags", &ref, err, sizeof(err)), 0);
	assert_string_equal(ref.arg, "flags");
	assert_int_equal(field_resolve("proc.env[HOME]", &ref, err, sizeof(err)), 0);
	assert_string_equal(ref.arg, "HOME");
	assert_int_equal(ref.idx, -1);
	/* the longest name wins: fd.sip.name is its own field, not fd.sip with an argument */
	assert_int_equal(field_resolve("fd.sip.name", &ref, err, sizeof(err)), 0);
	assert_string_equal(ref.def->name, "fd.sip.name");
}

/* The walk visits every field of every class table once, and every name resolves to itself. */
static void test_registry_walk(void **unused)
{
	static const char *const classes[] = { "evt", "proc", "thread", "user", "group", "fd", "container", "k8s" };
	bool seen[8] = { false };
	size_t n = 0;

	(void)unused;
	for (const struct field_def *f = field_registry_next(NULL); f; f = field_registry_next(f), n++) {
		struct field_ref ref;
		char err[256];
		size_t cl = field_class_len(f->name);

		for (int k = 0; k < 8; k++)
			if (strlen(classes[k]) == cl && !strncmp(f->name, classes[k], cl))
				seen[k] = true;
		if (f->flags & FA_REQUIRED)
			continue;
		assert_int_equal(field_resolve(f->name, &ref, err, sizeof(err)), 0);
		if (ref.def != f)
			fail_msg("'%s' resolves to '%s'", f->name, ref.def->name);
	}
	for (int k = 0; k < 8; k++)
		if (!seen[k])
			fail_msg("no %s.* field", classes[k]);
	assert_true(n > 120);
	assert_string_equal(field_registry_next(NULL)->name, "evt.num");
}

/* Two references to evt.deltatime, the second read on some events only (as an output under a filter). */
struct delta_refs {
	struct field_ref every, some, some_ns;
	bool read_some;
	char every_v[32], some_v[32], some_ns_v[32];
};

static void delta_read(struct field_ctx *fctx, struct field_ref *ref, char *out, size_t n)
{
	struct field_value v;

	field_extract(fctx, ref, &v);
	field_value_format(&v, out, n);
}

static void on_delta(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	struct delta_refs *d = ctx;

	(void)ev;
	delta_read(fctx, &d->every, d->every_v, sizeof(d->every_v));
	if (d->read_some) {
		delta_read(fctx, &d->some, d->some_v, sizeof(d->some_v));
		delta_read(fctx, &d->some_ns, d->some_ns_v, sizeof(d->some_ns_v));
	}
}

/*
 * evt.deltatime as libs: each reference keeps the time it last gave a
 * value for (0 the first time), so a reference read on fewer events spans
 * them; the rules' value cache gives each place reading it its own slot.
 */
static void test_deltatime_per_ref(void **unused)
{
	static const uint64_t ts[] = { 1000, 1500, 3000, 1000004000 };
	static const bool some[] = { true, false, true, true };
	static const char *const every_want[] = { "0", "500", "1500", "1000001000" };
	static const char *const some_want[] = { "0", "", "2000", "1000001000" };
	static const char *const ns_want[] = { "000000000", "", "000002000", "000001000" };
	struct delta_refs d;
	struct pipeline p;
	struct slots sc = { 0 };
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct synth s;
	char err[256];

	(void)unused;
	memset(&d, 0, sizeof(d));
	assert_int_equal(field_resolve("evt.deltatime", &d.every, err, sizeof(err)), 0);
	assert_int_equal(field_resolve("evt.deltatime", &d.some, err, sizeof(err)), 0);
	assert_int_equal(field_resolve("evt.deltatime.ns", &d.some_ns, err, sizeof(err)), 0);
	assert_int_equal(pipeline_init(&p, st, on_delta, &d), 0);
	for (int i = 0; i < 4; i++) {
		d.read_some = some[i];
		d.some_v[0] = d.some_ns_v[0] = 0;
		synth_openat(&s, ts[i], 100, 5 + i, -100, "/etc/hosts", 1);
		pipeline_event(&p, s.buf, synth_end(&s), 0);
		assert_string_equal(d.every_v, every_want[i]);
		assert_string_equal(d.some_v, some_want[i]);
		assert_string_equal(d.some_ns_v, ns_want[i]);
	}
	pipeline_release(&p);
	state_free(st);
	/* one slot per place for evt.deltatime, one shared slot for proc.name */
	assert_int_not_equal(slots_get(&sc, "evt.deltatime", &d.every, NULL, 0),
			     slots_get(&sc, "evt.deltatime", &d.every, NULL, 0));
	assert_int_equal(field_resolve("proc.name", &d.some, err, sizeof(err)), 0);
	assert_int_equal(slots_get(&sc, "proc.name", &d.some, NULL, 0), slots_get(&sc, "proc.name", &d.some, NULL, 0));
	slots_release(&sc);
}

static void test_value_format(void **unused)
{
	struct field_value v = { .type = FT_BOOL, .count = 1, .n = { 1 } };
	char out[64];

	(void)unused;
	field_value_format(&v, out, sizeof(out));
	assert_string_equal(out, "true");
	v.count = 0;
	field_value_format(&v, out, sizeof(out));
	assert_string_equal(out, "<NA>");
	v = (struct field_value){ .type = FT_PORT, .count = 2, .n = { 80, 65535 } };
	field_value_format(&v, out, sizeof(out));
	assert_string_equal(out, "80,65535");
	v = (struct field_value){ .type = FT_STRING, .count = 1, .s = { "abcdef" }, .len = { 3 } };
	field_value_format(&v, out, sizeof(out));
	assert_string_equal(out, "abc");
	v = (struct field_value){ .type = FT_INT, .count = 1, .n = { -5 } };
	field_value_format(&v, out, 3);
	assert_string_equal(out, "-5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evt_fields),
		cmocka_unit_test(test_evt_open_variants),
		cmocka_unit_test(test_proc_fields),
		cmocka_unit_test(test_user_and_container_fields),
		cmocka_unit_test(test_fd_socket_fields),
		cmocka_unit_test(test_fd_socket_roles),
		cmocka_unit_test(test_ancestors_by_process),
		cmocka_unit_test(test_setsid_setpgid),
		cmocka_unit_test(test_pgid_cmdlines),
		cmocka_unit_test(test_more_fields),
		cmocka_unit_test(test_async_fields),
		cmocka_unit_test(test_args_index),
		cmocka_unit_test(test_fd_negative),
		cmocka_unit_test(test_resolve_errors),
		cmocka_unit_test(test_registry_walk),
		cmocka_unit_test(test_value_format),
		cmocka_unit_test(test_deltatime_per_ref),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
