// SPDX-License-Identifier: Apache-2.0
/*
 * proc.* and thread.* fields: the event's process and its ancestors
 * (proc.p* the parent, proc.a*[N] the Nth ancestor or any of them), and
 * the thread's ids and capabilities.
 */
#include <stdio.h>
#include <string.h>

#include "fields/extract.h"

/* The parent thread (the event thread's parent, as proc.p* take it). */
static struct thread *parent_thread(struct field_ctx *c)
{
	return state_parent(c->state, ctx_thread(c));
}

/*
 * The Nth ancestor process (0 = the event's), as the main thread of each:
 * the walk goes from process to parent process, never through the other
 * threads of a process, whichever thread forked.
 */
static struct thread *ancestor(struct field_ctx *c, int64_t n)
{
	struct thread *t = state_main_thread(c->state, ctx_thread(c));

	while (t && n-- > 0)
		t = state_main_thread(c->state, state_parent(c->state, t));
	return t;
}

/* "a b c" from NUL-separated args, into buf at offset. */
static size_t join_args(const char *args, uint32_t len, char *out, size_t n)
{
	size_t o = 0;

	for (uint32_t i = 0; i < len && o + 1 < n; i++) {
		if (args[i] == 0) {
			if (i + 1 == len)
				break;
			out[o++] = ' ';
		} else {
			out[o++] = args[i];
		}
	}
	out[o] = 0;
	return o;
}


enum { P_NAME, P_EXE, P_EXEPATH, P_CMDLINE, P_ARGS, P_PID, P_PPID, P_VPID, P_PVPID, P_SID, P_SNAME,
	P_TTY, P_CWD, P_ENV, P_LOGINSHELLID, P_DURATION, P_START_TS, P_EXE_WRITABLE, P_EXE_UPPER,
	P_EXE_MEMFD, P_IS_SID_LEADER, P_IS_VPGID_LEADER, P_EXE_INO, P_EXE_INO_CTIME, P_EXE_INO_MTIME,
	P_CTIME_DUR_START, P_VPGID, P_VPGID_NAME, P_VPGID_EXE, P_VPGID_EXEPATH, P_PPID_DURATION,
	P_PGID, P_PGID_NAME, P_PGID_EXE, P_PGID_EXEPATH, P_SID_EXE, P_SID_EXEPATH, P_IS_PGID_LEADER,
	P_EXE_LOWER, P_CMDNARGS, P_CMDLENARGS, P_EXELINE, P_AENV, P_PID_TS, P_PPID_TS, P_VMSIZE, P_VMRSS,
	P_VMSWAP, P_FDOPENCOUNT, P_FDLIMIT, P_FDUSAGE, P_NTHREADS, P_NCHILDS, P_STDIN_TYPE, P_STDIN_NAME,
	P_STDOUT_TYPE, P_STDOUT_NAME, P_STDERR_TYPE, P_STDERR_NAME, P_EXE_SETUID, P_PGID_CMDLINES,
	P_PIDNS_INIT_TS, P_CTIME_DUR_PIDNS };

/* proc.cmdline: the name, then the arguments. */
static bool proc_cmdline(const struct proc *p, struct field_value *v, char *buf, size_t bufsz)
{
	size_t o;

	if (!p->comm[0])
		return false;
	o = snprintf(buf, bufsz, "%s", p->comm);
	if (p->args_len && o + 1 < bufsz) {
		buf[o++] = ' ';
		join_args(p->args, p->args_len, buf + o, bufsz - o);
	}
	return set_str(v, buf);
}

/* proc.env: the whole environment, or the value of proc.env[NAME]. */
static bool proc_env(const struct proc *p, const char *arg, struct field_value *v, char *buf, size_t bufsz)
{
	size_t l;

	if (!arg || !*arg) { /* libs: the whole environment, empty when none is known */
		join_args(p->env ? p->env : "", p->env_len, buf, bufsz);
		return set_str(v, buf);
	}
	l = strlen(arg);
	for (uint32_t o = 0; p->env && o < p->env_len; o += strlen(p->env + o) + 1)
		if (strncmp(p->env + o, arg, l) == 0 && p->env[o + l] == '=')
			return set_str(v, p->env + o + l + 1);
	return false;
}

/*
 * The leader of t's session (by_sid) or process group, as libs finds it:
 * the process with that id outside pid namespaces, else the highest
 * ancestor that still has the same id.
 */
static struct proc *group_leader(struct field_ctx *c, struct thread *t, bool by_sid)
{
	struct proc *p = t->proc, *best = p;
	int64_t id = by_sid ? p->sid : p->vpgid;
	struct thread *lt;

	if (p->vpid == p->pid && (lt = state_thread(c->state, id)) && lt->proc)
		return lt->proc;
	for (struct thread *pt = state_parent(c->state, t); pt && pt->proc; pt = state_parent(c->state, pt)) {
		if ((by_sid ? pt->proc->sid : pt->proc->vpgid) != id)
			break;
		best = pt->proc;
	}
	return best;
}

/* proc.sname, proc.sid.exe, proc.sid.exepath, proc.vpgid.*, proc.pgid.*: the leader's name, argv[0] or path. */
static bool proc_leader_prop(struct field_ctx *c, struct thread *t, int prop, struct field_value *v)
{
	bool by_sid = prop == P_SNAME || prop == P_SID_EXE || prop == P_SID_EXEPATH;
	struct proc *lp = group_leader(c, t, by_sid);

	if (prop == P_SNAME || prop == P_VPGID_NAME || prop == P_PGID_NAME)
		return lp->comm[0] ? set_str(v, lp->comm) : false;
	if (prop == P_SID_EXE || prop == P_VPGID_EXE || prop == P_PGID_EXE)
		return set_str(v, lp->exe);
	return set_str(v, lp->exepath);
}

/* The walk behind proc.pgid.cmdlines: the other live processes of one process group. */
struct pgid_walk {
	const struct proc *self;
	struct field_value *v;
	char *buf;
	size_t used;
};

static void pgid_member(void *arg, struct thread *t)
{
	struct pgid_walk *w = arg;
	struct proc *p = t->proc;
	struct field_value one = { .type = FT_STRING };
	size_t room = FIELD_BUF_SIZE - w->used;

	/* a fork not yet exec'd (start_ts still its clone's) is a copy of its parent: left out */
	if (!p || p == w->self || t->tid != p->pid || t->exited || p->pgid != w->self->pgid ||
	    (p->clone_ts && p->start_ts == p->clone_ts) || w->v->count >= FIELD_MAX_VALUES || room < 64 || !proc_cmdline(p, &one, w->buf + w->used, room))
		return;
	w->v->s[w->v->count] = one.s[0];
	w->v->len[w->v->count++] = one.len[0];
	w->used += one.len[0] + 1;
}

/*
 * proc.pgid.cmdlines: the command line of every other live process in the
 * process's group (main threads, the process itself left out) that has
 * executed a program since its fork, in no particular order, at most
 * FIELD_MAX_VALUES. A fork of an interactive shell between its fork and
 * its exec still has the shell's command line (bash), which is not what
 * that stage of the pipeline runs. A walk of the thread table:
 * rules ask for it only behind a cheaper check (a downloader's exec), where
 * it sees the rest of an interactive shell's pipeline (curl URL | sh).
 */
static bool proc_pgid_cmdlines(struct field_ctx *c, const struct proc *p, struct field_value *v)
{
	struct pgid_walk w = { p, v, c->buf, 0 };

	v->count = 0;
	if (p->pgid <= 0)
		return false;
	state_foreach_thread(c->state, pgid_member, &w);
	return v->count > 0;
}

/* proc.cmdnargs, proc.cmdlenargs: how many arguments, and their length without separators. */
static bool proc_args_count(const struct proc *p, bool len, struct field_value *v)
{
	int64_t n = 0, l = 0;

	for (uint32_t o = 0; p->args && o < p->args_len; o++) {
		if (p->args[o])
			l++;
		if (!p->args[o] || o + 1 == p->args_len)
			n++;
		if (!p->args[o] && o + 1 == p->args_len)
			break;
	}
	return set_num(v, len ? l : n);
}

/* proc.exeline: argv[0] then the arguments, a space after argv[0] always (libs). */
static bool proc_exeline(const struct proc *p, struct field_value *v, char *buf, size_t bufsz)
{
	size_t o = (size_t)snprintf(buf, bufsz, "%s ", p->exe ? p->exe : "");

	if (o < bufsz && p->args_len)
		join_args(p->args, p->args_len, buf + o, bufsz - o);
	return set_str(v, buf);
}

/* proc.std{in,out,err}.{type,name}: what fd 0, 1 or 2 of the process is. */
static bool proc_std(struct field_ctx *c, struct thread *t, int prop, struct field_value *v)
{
	int fd = prop == P_STDIN_TYPE || prop == P_STDIN_NAME ? 0 : prop == P_STDOUT_TYPE || prop == P_STDOUT_NAME ? 1 : 2;
	struct fdinfo *f = state_fd(c->state, t, fd);

	if (!f)
		return false;
	return set_str(v, prop == P_STDIN_TYPE || prop == P_STDOUT_TYPE || prop == P_STDERR_TYPE ? fd_type_name(f->type) : f->name);
}

/* proc.nthreads (the leader included) and proc.nchilds (the other threads): the threads state holds. */
static bool proc_threads(struct field_ctx *c, const struct proc *p, bool childs, struct field_value *v)
{
	struct thread *lt = state_thread(c->state, p->pid);
	int64_t n = p->refs;

	return set_num(v, childs && lt && lt->proc == p ? n - 1 : n);
}

/* proc.loginshellid: the pid of the oldest ancestor that is a shell (a short name with "sh"). */
/*
 * proc.loginshellid as libs finds it: the pid of the outermost process,
 * from the main thread up its parents, whose name ends in "sh". The walk
 * is bounded: a parent loop in a damaged capture must not hang it.
 */
static bool proc_loginshellid(struct field_ctx *c, struct thread *t, struct field_value *v)
{
	int64_t id = -1;
	int steps = 0;

	for (struct thread *pt = state_main_thread(c->state, t); pt && steps < 1024; pt = state_parent(c->state, pt), steps++) {
		const char *comm = pt->proc ? pt->proc->comm : "";
		size_t n = strlen(comm);

		if (n >= 2 && comm[n - 2] == 's' && comm[n - 1] == 'h')
			id = pt->proc->pid;
	}
	return id >= 0 ? set_num(v, id) : false;
}

/* Value of one proc.* property of thread t (t may be an ancestor). */
static bool proc_prop(struct field_ctx *c, struct thread *t, int prop, const char *arg, struct field_value *v,
		      char *buf, size_t bufsz)
{
	struct proc *p = t ? t->proc : NULL;
	struct thread *pt;

	if (!p)
		return false;
	switch (prop) {
	case P_NAME: return thread_comm(t)[0] ? set_str(v, thread_comm(t)) : false;
	case P_EXE: return set_str(v, p->exe);
	case P_EXEPATH: return set_str(v, p->exepath);
	case P_CMDLINE: return proc_cmdline(p, v, buf, bufsz);
	case P_ARGS:
		join_args(p->args ? p->args : "", p->args_len, buf, bufsz);
		return set_str(v, buf);
	case P_PID: return set_num(v, p->pid);
	case P_PPID: /* the main thread's parent tid as state has it, -1 for a thread never described (libs) */
		pt = state_main_thread(c->state, t);
		return pt->ptid >= -1 && pt->ptid <= UINT32_MAX ? set_num(v, pt->ptid) : false;
	case P_VPID: return p->vpid >= 0 ? set_num(v, p->vpid) : false; /* -1: a thread never described */
	case P_PVPID:
		pt = state_parent(c->state, t);
		return pt && pt->proc && pt->proc->vpid >= 0 ? set_num(v, pt->proc->vpid) : false;
	case P_SID: return set_num(v, p->sid);
	case P_SNAME: case P_SID_EXE: case P_SID_EXEPATH:
	case P_VPGID_NAME: case P_VPGID_EXE: case P_VPGID_EXEPATH:
	case P_PGID_NAME: case P_PGID_EXE: case P_PGID_EXEPATH:
		return proc_leader_prop(c, t, prop, v);
	case P_IS_PGID_LEADER: return set_num(v, p->pgid == p->pid);
	case P_EXE_LOWER: return set_num(v, (p->exe_flags & 8) != 0);
	case P_CMDNARGS: case P_CMDLENARGS: return proc_args_count(p, prop == P_CMDLENARGS, v);
	case P_EXELINE: return proc_exeline(p, v, buf, bufsz);
	case P_PID_TS: return p->clone_ts ? set_num(v, p->clone_ts) : false;
	case P_PPID_TS:
		pt = state_parent(c->state, t);
		return pt && pt->proc && pt->proc->clone_ts ? set_num(v, pt->proc->clone_ts) : false;
	case P_VMSIZE: return set_num(v, p->vmsize_kb);
	case P_VMRSS: return set_num(v, p->vmrss_kb);
	case P_VMSWAP: return set_num(v, p->vmswap_kb);
	case P_FDOPENCOUNT: return set_num(v, fdtable_count(p->fds));
	case P_FDLIMIT: return set_num(v, p->fdlimit);
	case P_FDUSAGE: /* libs: open fds per 100 of the limit */
		snprintf(buf, 32, "%.1f", p->fdlimit > 0 ? fdtable_count(p->fds) * 100.0 / (double)p->fdlimit : 0.0);
		return set_str(v, buf);
	case P_NTHREADS: case P_NCHILDS: return proc_threads(c, p, prop == P_NCHILDS, v);
	case P_STDIN_TYPE: case P_STDIN_NAME: case P_STDOUT_TYPE: case P_STDOUT_NAME: case P_STDERR_TYPE:
	case P_STDERR_NAME:
		return proc_std(c, t, prop, v);
	case P_TTY: return set_num(v, p->tty);
	case P_CWD: /* libs keeps a cwd with its trailing slash */
		if (!p->cwd || !*p->cwd || p->cwd[strlen(p->cwd) - 1] == '/')
			return set_str(v, p->cwd);
		snprintf(buf, bufsz, "%s/", p->cwd);
		return set_str(v, buf);
	case P_ENV: return proc_env(p, arg, v, buf, bufsz);
	case P_LOGINSHELLID: return proc_loginshellid(c, t, v);
	case P_DURATION: /* libs: since the clone, none without one */
		return p->clone_ts ? set_num(v, c->ev->ts - p->clone_ts) : false;
	case P_START_TS: return p->start_ts ? set_num(v, p->start_ts) : false;
	case P_EXE_WRITABLE: return set_num(v, (p->exe_flags & 1) != 0);
	case P_EXE_UPPER: return set_num(v, (p->exe_flags & 2) != 0);
	case P_EXE_MEMFD: return set_num(v, (p->exe_flags & 4) != 0);
	case P_EXE_SETUID: return set_num(v, p->exe_setuid);
	case P_PGID_CMDLINES: return proc_pgid_cmdlines(c, p, v);
	case P_IS_SID_LEADER: return set_num(v, p->sid == p->pid);
	case P_IS_VPGID_LEADER: return set_num(v, p->vpgid == p->vpid);
	case P_EXE_INO: return p->exe_ino ? set_num(v, p->exe_ino) : false;
	case P_EXE_INO_CTIME: return p->exe_ino_ctime ? set_num(v, p->exe_ino_ctime) : false;
	case P_EXE_INO_MTIME: return p->exe_ino_mtime ? set_num(v, p->exe_ino_mtime) : false;
	case P_CTIME_DUR_START: /* libs' parse_execve_exit: the clone's time, not the exec's, less the ctime; none when 0 */
		return p->exe_ino_ctime && p->clone_ts && p->clone_ts != p->exe_ino_ctime ?
		       set_num(v, (int64_t)p->clone_ts - (int64_t)p->exe_ino_ctime) : false;
	/* libs takes these from the clone event's pidns_init_start_ts, which saker sends as 0:
	 * libs has no value for a 0 (TYPE_PIDNS_INIT_START_TS) */
	case P_PIDNS_INIT_TS: case P_CTIME_DUR_PIDNS: return false;
	case P_VPGID: return set_num(v, p->vpgid);
	case P_PGID: return set_num(v, p->pgid);
	case P_PPID_DURATION:
		pt = state_parent(c->state, t);
		return pt && pt->proc && pt->proc->clone_ts ? set_num(v, c->ev->ts - pt->proc->clone_ts) : false;
	}
	return false;
}

/* proc.args[N]: the Nth argument after argv[0] (0 is the first), <NA> past the last. */
static bool proc_arg_n(struct thread *t, int64_t n, struct field_value *v, char *buf, size_t bufsz)
{
	const struct proc *p = t ? t->proc : NULL;
	uint32_t i = 0, len;

	if (!p || !p->args)
		return false;
	len = p->args_len;
	while (n-- > 0 && i < len)
		i += strnlen(p->args + i, len - i) + 1;
	if (i >= len)
		return false;
	snprintf(buf, bufsz, "%.*s", (int)strnlen(p->args + i, len - i), p->args + i);
	return set_str(v, buf);
}

static bool x_proc(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		   struct field_value *v)
{
	if (f->param == P_ARGS && idx >= 0)
		return proc_arg_n(ctx_thread(c), idx, v, c->buf, FIELD_BUF_SIZE);
	return proc_prop(c, ctx_thread(c), f->param, arg, v, c->buf, FIELD_BUF_SIZE);
}

/* proc.p*: the parent's property. */
static bool x_pproc(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		    struct field_value *v)
{
	return proc_prop(c, parent_thread(c), f->param, arg, v, c->buf, FIELD_BUF_SIZE);
}

/* proc.a*[N]: the Nth ancestor's property; without N, every ancestor. */
static bool x_aproc(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		    struct field_value *v)
{
	struct thread *t;
	size_t used = 0;

	if (idx >= 0)
		return proc_prop(c, ancestor(c, idx), f->param, arg, v, c->buf, FIELD_BUF_SIZE);
	v->count = 0;
	for (t = ancestor(c, 1); t && v->count < FIELD_MAX_VALUES; t = state_main_thread(c->state, state_parent(c->state, t))) {
		struct field_value one = { .type = v->type };
		size_t room = FIELD_BUF_SIZE - used;

		if (room < 64 || !proc_prop(c, t, f->param, arg, &one, c->buf + used, room))
			continue;
		v->s[v->count] = one.s[0];
		v->len[v->count] = one.len[0];
		v->n[v->count] = one.n[0];
		v->count++;
		if (one.s[0] >= c->buf && one.s[0] < c->buf + FIELD_BUF_SIZE)
			used += one.len[0] + 1;
	}
	return v->count > 0;
}

/*
 * proc.aenv: as libs, proc.aenv[NAME] is the value of NAME in the nearest
 * ancestor (parent first, the process itself not looked at) that has it, ""
 * when none has it, proc.aenv[N] the Nth ancestor's
 * environment; without an argument a condition matches any ancestor's
 * environment, and an output prints the process's own.
 */
static bool x_aenv(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		   struct field_value *v)
{
	struct thread *t;
	size_t used = 0;

	(void)f;
	if (idx >= 0)
		return proc_prop(c, ancestor(c, idx), P_ENV, NULL, v, c->buf, FIELD_BUF_SIZE);
	if (arg && *arg) {
		for (t = ancestor(c, 1); t; t = state_main_thread(c->state, state_parent(c->state, t)))
			if (proc_prop(c, t, P_ENV, arg, v, c->buf, FIELD_BUF_SIZE) && v->len[0])
				return true;
		/* libs: no ancestor has it, an empty string (not <NA>) for a known thread */
		return ctx_thread(c) ? set_str(v, "") : (v->count = 0, false);
	}
	v->count = 0;
	for (t = ancestor(c, 1); t && v->count < FIELD_MAX_VALUES; t = state_main_thread(c->state, state_parent(c->state, t))) {
		struct field_value one = { .type = FT_STRING };

		if (FIELD_BUF_SIZE - used < 64 || !proc_prop(c, t, P_ENV, NULL, &one, c->buf + used, FIELD_BUF_SIZE - used) ||
		    !one.len[0]) /* an ancestor with no environment adds no value */
			continue;
		v->s[v->count] = one.s[0];
		v->len[v->count++] = one.len[0];
		used += one.len[0] + 1;
	}
	return v->count > 0;
}

/* ------------------------------------------------------ thread, user */

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
	"CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON",
	"CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

enum { T_TID, T_VTID, T_CAP_PERM, T_CAP_EFF, T_CAP_INH, T_ISMAIN, T_NAMETID, T_CGROUPS, T_CGROUP, T_VMSIZE,
	T_VMRSS, T_VMSIZE_B, T_VMRSS_B, T_PFMAJOR, T_PFMINOR, T_EXECTIME, T_TOTEXECTIME, T_CPU, T_CPU_USER,
	T_CPU_SYSTEM };

/* thread.cgroups ("cpuset=/a cpu=/b", libs' text) or thread.cgroup.SUBSYS (its path). */
static bool thread_cgroups(struct field_ctx *c, const struct proc *p, const char *subsys, struct field_value *v)
{
	size_t o = 0, l = subsys ? strlen(subsys) : 0;

	for (uint32_t i = 0; p->cgroups && i < p->cgroups_len; i += strlen(p->cgroups + i) + 1) {
		const char *e = p->cgroups + i;

		if (subsys) {
			if (!strncmp(e, subsys, l) && e[l] == '=')
				return set_str(v, e + l + 1);
			continue;
		}
		if (*e && o + 2 < FIELD_BUF_SIZE)
			o += snprintf(c->buf + o, FIELD_BUF_SIZE - o, "%s%s", o ? " " : "", e);
	}
	return !subsys && o ? set_str(v, c->buf) : false;
}

/* The thread.* fields beyond ids and capabilities; false for those saker does not capture. */
static bool thread_other(struct field_ctx *c, struct thread *t, int which, const char *arg, struct field_value *v)
{
	struct proc *p = t->proc;
	bool main = t->tid == p->pid;

	switch (which) {
	case T_ISMAIN: return set_num(v, main);
	case T_NAMETID:
		snprintf(c->buf, FIELD_BUF_SIZE, "%s%lld", thread_comm(t), (long long)t->tid);
		return set_str(v, c->buf);
	case T_CGROUPS: return thread_cgroups(c, p, NULL, v);
	case T_CGROUP: return arg && *arg ? thread_cgroups(c, p, arg, v) : false;
	case T_VMSIZE: return set_num(v, main ? p->vmsize_kb : 0);
	case T_VMRSS: return set_num(v, main ? p->vmrss_kb : 0);
	case T_VMSIZE_B: return set_num(v, main ? (int64_t)p->vmsize_kb * 1024 : 0);
	case T_VMRSS_B: return set_num(v, main ? (int64_t)p->vmrss_kb * 1024 : 0);
	case T_PFMAJOR: return set_num(v, p->pfmajor);
	case T_PFMINOR: return set_num(v, p->pfminor);
	case T_EXECTIME: case T_TOTEXECTIME:
		return set_num(v, 0); /* libs: 0 on every event but a scheduler switch, which saker never captures */
	}
	return false; /* thread.cpu*: only on procinfo events, which saker does not capture */
}

static bool x_thread(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		     struct field_value *v)
{
	struct thread *t = ctx_thread(c);
	uint64_t caps;
	size_t o = 0;

	if (f->param == T_TID)
		return set_num(v, c->ev->tid);
	if (!t || !t->proc)
		return false;
	if (f->param == T_VTID)
		return t->vtid >= 0 ? set_num(v, t->vtid) : false; /* -1: a thread never described */
	if (f->param >= T_ISMAIN)
		return thread_other(c, t, f->param, arg, v);
	caps = f->param == T_CAP_PERM ? t->proc->cap_permitted :
	       f->param == T_CAP_EFF ? t->proc->cap_effective : t->proc->cap_inheritable;
	c->buf[0] = 0;
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (caps & (1ull << i))
			o += snprintf(c->buf + o, FIELD_BUF_SIZE - o, "%s%s", o ? " " : "", cap_names[i]);
	return set_str(v, c->buf);
}

#define PROC(n, t, fl, p, d) { "proc." n, t, fl, d, x_proc, p }

const struct field_def fields_proc[] = {
	PROC("name", FT_STRING, 0, P_NAME, "process name (comm)"),
	PROC("exe", FT_STRING, 0, P_EXE, "first command-line argument (argv[0])"),
	PROC("exepath", FT_STRING, 0, P_EXEPATH, "full path of the executable"),
	PROC("cmdline", FT_STRING, 0, P_CMDLINE, "name and arguments"),
	PROC("args", FT_STRING, FA_INDEX, P_ARGS, "arguments after argv[0], space separated; proc.args[N]: the Nth of them alone (0 is the first), <NA> past the last"),
	PROC("pid", FT_INT, 0, P_PID, "process id"),
	PROC("ppid", FT_INT, 0, P_PPID, "parent process id"),
	PROC("vpid", FT_INT, 0, P_VPID, "process id in its pid namespace"),
	PROC("sid", FT_INT, 0, P_SID, "session id"),
	PROC("sname", FT_STRING, 0, P_SNAME, "name of the session leader"),
	PROC("tty", FT_INT, 0, P_TTY, "controlling terminal (0 for none)"),
	PROC("cwd", FT_STRING, 0, P_CWD, "working directory"),
	PROC("env", FT_STRING, FA_KEY, P_ENV, "environment, or one variable with proc.env[NAME]"),
	PROC("loginshellid", FT_INT, 0, P_LOGINSHELLID, "pid of the oldest shell ancestor"),
	PROC("duration", FT_RELTIME, 0, P_DURATION, "ns since the process started"),
	PROC("start_ts", FT_ABSTIME, 0, P_START_TS, "process start time"),
	PROC("is_exe_writable", FT_BOOL, 0, P_EXE_WRITABLE, "the executable is writable by its user"),
	PROC("is_exe_upper_layer", FT_BOOL, 0, P_EXE_UPPER, "the executable is in an overlayfs upper layer (written in the container)"),
	PROC("is_exe_from_memfd", FT_BOOL, 0, P_EXE_MEMFD, "the executable is a memfd (fileless)"),
	PROC("is_exe_setuid", FT_BOOL, 0, P_EXE_SETUID, "the last exec changed the effective user id: a setuid file (saker, not in Falco)"),
	PROC("is_sid_leader", FT_BOOL, 0, P_IS_SID_LEADER, "the process leads its session"),
	PROC("is_vpgid_leader", FT_BOOL, 0, P_IS_VPGID_LEADER, "the process leads its process group"),
	PROC("exe_ino", FT_UINT, 0, P_EXE_INO, "inode of the executable"),
	PROC("exe_ino.ctime", FT_ABSTIME, 0, P_EXE_INO_CTIME, "ctime of the executable"),
	PROC("exe_ino.mtime", FT_ABSTIME, 0, P_EXE_INO_MTIME, "mtime of the executable"),
	PROC("exe_ino.ctime_duration_proc_start", FT_RELTIME, 0, P_CTIME_DUR_START, "ns between the executable's ctime and the process's clone (proc.pid.ts)"),
	PROC("exe_ino.ctime_duration_pidns_start", FT_RELTIME, FF_UNFILLED, P_CTIME_DUR_PIDNS, "always <NA>: ns between the pid namespace's start and the executable's ctime, which needs proc.pidns_init_start_ts"),
	PROC("pidns_init_start_ts", FT_UINT, FF_UNFILLED, P_PIDNS_INIT_TS, "always <NA>: the start time of the pid namespace's init, which saker's clone events send as 0 (libs: no value for 0)"),
	PROC("vpgid", FT_INT, 0, P_VPGID, "process group id in its namespace"),
	PROC("pgid", FT_INT, 0, P_PGID, "process group id"),
	PROC("pgid.name", FT_STRING, 0, P_PGID_NAME, "name of the process group leader"),
	PROC("pgid.exe", FT_STRING, 0, P_PGID_EXE, "argv[0] of the process group leader"),
	PROC("pgid.exepath", FT_STRING, 0, P_PGID_EXEPATH, "executable path of the process group leader"),
	PROC("is_pgid_leader", FT_BOOL, 0, P_IS_PGID_LEADER, "the process leads its process group"),
	PROC("pgid.cmdlines", FT_STRING, FF_MULTI | FF_LIST, P_PGID_CMDLINES, "command lines of the other live processes in the process group that have executed a program since their fork, as a list; a condition matches any (saker, not in Falco)"),
	PROC("sid.exe", FT_STRING, 0, P_SID_EXE, "argv[0] of the session leader"),
	PROC("sid.exepath", FT_STRING, 0, P_SID_EXEPATH, "executable path of the session leader"),
	PROC("is_exe_lower_layer", FT_BOOL, 0, P_EXE_LOWER, "the executable is in an overlayfs lower layer (from the image)"),
	PROC("cmdnargs", FT_UINT, 0, P_CMDNARGS, "number of command-line arguments"),
	PROC("cmdlenargs", FT_UINT, 0, P_CMDLENARGS, "total length of the command-line arguments, separators not counted"),
	PROC("exeline", FT_STRING, 0, P_EXELINE, "argv[0] and the arguments"),
	PROC("pid.ts", FT_ABSTIME, 0, P_PID_TS, "when the process was created (clone)"),
	PROC("ppid.ts", FT_ABSTIME, 0, P_PPID_TS, "when the parent was created"),
	PROC("vmsize", FT_UINT, 0, P_VMSIZE, "total virtual memory of the process, KiB (at exec and clone, refreshed by brk, mmap, munmap)"),
	PROC("vmrss", FT_UINT, 0, P_VMRSS, "resident memory of the process, KiB, the kernel's approximate counter as libs reads it (as proc.vmsize; a process just exec'd may show 0)"),
	PROC("vmswap", FT_UINT, 0, P_VMSWAP, "swapped memory of the process, KiB (as proc.vmsize)"),
	PROC("fdopencount", FT_UINT, 0, P_FDOPENCOUNT, "number of open fds of the process"),
	PROC("fdlimit", FT_INT, 0, P_FDLIMIT, "the process's open-fd limit"),
	PROC("fdusage", FT_STRING, 0, P_FDUSAGE, "open fds per 100 of the limit"),
	PROC("nthreads", FT_UINT, 0, P_NTHREADS, "number of live threads of the process, its leader included"),
	PROC("nchilds", FT_UINT, 0, P_NCHILDS, "number of live threads of the process other than its leader"),
	PROC("stdin.type", FT_STRING, 0, P_STDIN_TYPE, "fd type of the process's stdin"),
	PROC("stdin.name", FT_STRING, 0, P_STDIN_NAME, "name of the process's stdin"),
	PROC("stdout.type", FT_STRING, 0, P_STDOUT_TYPE, "fd type of the process's stdout"),
	PROC("stdout.name", FT_STRING, 0, P_STDOUT_NAME, "name of the process's stdout"),
	PROC("stderr.type", FT_STRING, 0, P_STDERR_TYPE, "fd type of the process's stderr"),
	PROC("stderr.name", FT_STRING, 0, P_STDERR_NAME, "name of the process's stderr"),
	PROC("vpgid.name", FT_STRING, 0, P_VPGID_NAME, "name of the process group leader"),
	PROC("vpgid.exe", FT_STRING, 0, P_VPGID_EXE, "argv[0] of the process group leader"),
	PROC("vpgid.exepath", FT_STRING, 0, P_VPGID_EXEPATH, "executable path of the process group leader"),
	PROC("ppid.duration", FT_RELTIME, 0, P_PPID_DURATION, "ns since the parent started"),
	{ "proc.pname", FT_STRING, 0, "parent process name", x_pproc, P_NAME },
	{ "proc.pexe", FT_STRING, 0, "parent argv[0]", x_pproc, P_EXE },
	{ "proc.pexepath", FT_STRING, 0, "parent executable path", x_pproc, P_EXEPATH },
	{ "proc.pcmdline", FT_STRING, 0, "parent command line", x_pproc, P_CMDLINE },
	{ "proc.pvpid", FT_INT, 0, "parent pid in its namespace", x_pproc, P_VPID },
	{ "proc.aname", FT_STRING, FA_INDEX | FF_MULTI | FF_OUTPUT_SELF, "name of the Nth ancestor (0 is self); without N, any ancestor", x_aproc, P_NAME },
	{ "proc.aexe", FT_STRING, FA_INDEX | FF_MULTI | FF_OUTPUT_SELF, "argv[0] of the Nth ancestor", x_aproc, P_EXE },
	{ "proc.aexepath", FT_STRING, FA_INDEX | FF_MULTI | FF_OUTPUT_SELF, "executable path of the Nth ancestor", x_aproc, P_EXEPATH },
	{ "proc.acmdline", FT_STRING, FA_INDEX | FF_MULTI | FF_OUTPUT_SELF, "command line of the Nth ancestor", x_aproc, P_CMDLINE },
	{ "proc.aargs", FT_STRING, FA_INDEX | FF_MULTI | FF_OUTPUT_SELF, "proc.args of the Nth ancestor (0 is self); without N, any ancestor", x_aproc, P_ARGS },
	{ "proc.apid", FT_INT, FA_INDEX | FF_MULTI | FF_OUTPUT_SELF, "pid of the Nth ancestor", x_aproc, P_PID },
	{ "proc.aenv", FT_STRING, FA_INDEX | FA_KEY | FF_MULTI | FF_OUTPUT_SELF, "proc.aenv[NAME]: NAME in the nearest ancestor that has it; proc.aenv[N]: the Nth ancestor's environment; without an argument any ancestor's", x_aenv, P_AENV },
	{ "thread.tid", FT_INT, 0, "thread id", x_thread, T_TID },
	{ "thread.vtid", FT_INT, 0, "thread id in its pid namespace", x_thread, T_VTID },
	{ "thread.cap_permitted", FT_STRING, 0, "permitted capabilities", x_thread, T_CAP_PERM },
	{ "thread.cap_effective", FT_STRING, 0, "effective capabilities", x_thread, T_CAP_EFF },
	{ "thread.cap_inheritable", FT_STRING, 0, "inheritable capabilities", x_thread, T_CAP_INH },
	{ "thread.ismain", FT_BOOL, 0, "the thread is its process's main thread (leader)", x_thread, T_ISMAIN },
	{ "thread.nametid", FT_STRING, 0, "the thread's name and tid chained", x_thread, T_NAMETID },
	{ "thread.cgroups", FT_STRING, 0, "all cgroups of the thread, SUBSYS=PATH space separated", x_thread, T_CGROUPS },
	{ "thread.cgroup", FT_STRING, FA_KEY | FA_REQUIRED, "the thread's cgroup for one subsystem (thread.cgroup.cpuset)", x_thread, T_CGROUP },
	{ "thread.vmsize", FT_UINT, 0, "proc.vmsize for the main thread, 0 for the others", x_thread, T_VMSIZE },
	{ "thread.vmrss", FT_UINT, 0, "proc.vmrss for the main thread, 0 for the others", x_thread, T_VMRSS },
	{ "thread.vmsize.b", FT_UINT, 0, "thread.vmsize in bytes", x_thread, T_VMSIZE_B },
	{ "thread.vmrss.b", FT_UINT, 0, "thread.vmrss in bytes", x_thread, T_VMRSS_B },
	{ "thread.pfmajor", FT_UINT, 0, "major page faults, as the last exec or clone gave them", x_thread, T_PFMAJOR },
	{ "thread.pfminor", FT_UINT, 0, "minor page faults, as the last exec or clone gave them", x_thread, T_PFMINOR },
	{ "thread.exectime", FT_RELTIME, FF_UNFILLED, "always 0: the CPU time of the last scheduled thread, which needs scheduler switch events", x_thread, T_EXECTIME },
	{ "thread.totexectime", FT_RELTIME, FF_UNFILLED, "always 0: the thread's total CPU time, which needs scheduler switch events", x_thread, T_TOTEXECTIME },
	{ "thread.cpu", FT_STRING, FF_UNFILLED, "always <NA>: the CPU the thread used in the last second, which needs procinfo events", x_thread, T_CPU },
	{ "thread.cpu.user", FT_STRING, FF_UNFILLED, "always <NA>: the user CPU of the last second, which needs procinfo events", x_thread, T_CPU_USER },
	{ "thread.cpu.system", FT_STRING, FF_UNFILLED, "always <NA>: the system CPU of the last second, which needs procinfo events", x_thread, T_CPU_SYSTEM },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
