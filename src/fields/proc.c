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
	P_PGID };

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

	if (!p->env)
		return false;
	if (!arg || !*arg) {
		join_args(p->env, p->env_len, buf, bufsz);
		return set_str(v, buf);
	}
	l = strlen(arg);
	for (uint32_t o = 0; o < p->env_len; o += strlen(p->env + o) + 1)
		if (strncmp(p->env + o, arg, l) == 0 && p->env[o + l] == '=')
			return set_str(v, p->env + o + l + 1);
	return false;
}

/* proc.sname: the name of the session leader, found among the ancestors. */
static bool proc_sname(struct field_ctx *c, struct thread *t, struct field_value *v)
{
	int64_t sid = t->proc->sid;

	for (struct thread *pt = t; pt; pt = state_parent(c->state, pt))
		if (pt->proc && pt->proc->pid == sid)
			return set_str(v, pt->proc->comm);
	return false;
}

/* proc.loginshellid: the pid of the oldest ancestor that is a shell (a short name with "sh"). */
static bool proc_loginshellid(struct field_ctx *c, struct thread *t, struct field_value *v)
{
	int64_t id = -1;

	for (struct thread *pt = t; pt; pt = state_parent(c->state, pt))
		if (pt->proc && (strstr(pt->proc->comm, "sh") && strlen(pt->proc->comm) <= 5))
			id = pt->proc->pid;
	return id >= 0 ? set_num(v, id) : false;
}

/* proc.vpgid.name/exe/exepath: the process group leader's. */
static bool proc_group_leader(struct field_ctx *c, const struct proc *p, int prop, struct field_value *v)
{
	struct thread *lt = state_thread(c->state, p->pgid);

	if (!lt || !lt->proc)
		return false;
	return set_str(v, prop == P_VPGID_NAME ? lt->proc->comm : prop == P_VPGID_EXE ? lt->proc->exe : lt->proc->exepath);
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
	case P_VPID: return set_num(v, p->vpid);
	case P_PVPID: pt = state_parent(c->state, t); return pt && pt->proc ? set_num(v, pt->proc->vpid) : false;
	case P_SID: return set_num(v, p->sid);
	case P_SNAME: return proc_sname(c, t, v);
	case P_TTY: return set_num(v, p->tty);
	case P_CWD: return set_str(v, p->cwd);
	case P_ENV: return proc_env(p, arg, v, buf, bufsz);
	case P_LOGINSHELLID: return proc_loginshellid(c, t, v);
	case P_DURATION: return p->start_ts ? set_num(v, c->ev->ts - p->start_ts) : false;
	case P_START_TS: return p->start_ts ? set_num(v, p->start_ts) : false;
	case P_EXE_WRITABLE: return set_num(v, (p->exe_flags & 1) != 0);
	case P_EXE_UPPER: return set_num(v, (p->exe_flags & 2) != 0);
	case P_EXE_MEMFD: return set_num(v, (p->exe_flags & 4) != 0);
	case P_IS_SID_LEADER: return set_num(v, p->sid == p->pid);
	case P_IS_VPGID_LEADER: return set_num(v, p->vpgid == p->vpid);
	case P_EXE_INO: return p->exe_ino ? set_num(v, p->exe_ino) : false;
	case P_EXE_INO_CTIME: return p->exe_ino_ctime ? set_num(v, p->exe_ino_ctime) : false;
	case P_EXE_INO_MTIME: return p->exe_ino_mtime ? set_num(v, p->exe_ino_mtime) : false;
	case P_CTIME_DUR_START:
		return p->exe_ino_ctime && p->start_ts ? set_num(v, (int64_t)p->start_ts - (int64_t)p->exe_ino_ctime) : false;
	case P_VPGID: return set_num(v, p->vpgid);
	case P_PGID: return set_num(v, p->pgid);
	case P_VPGID_NAME: case P_VPGID_EXE: case P_VPGID_EXEPATH: return proc_group_leader(c, p, prop, v);
	case P_PPID_DURATION:
		pt = state_parent(c->state, t);
		return pt && pt->proc && pt->proc->start_ts ? set_num(v, c->ev->ts - pt->proc->start_ts) : false;
	}
	return false;
}

static bool x_proc(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		   struct field_value *v)
{
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

enum { T_TID, T_VTID, T_CAP_PERM, T_CAP_EFF, T_CAP_INH };

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
		return set_num(v, t->vtid);
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
	PROC("args", FT_STRING, 0, P_ARGS, "arguments"),
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
	PROC("is_sid_leader", FT_BOOL, 0, P_IS_SID_LEADER, "the process leads its session"),
	PROC("is_vpgid_leader", FT_BOOL, 0, P_IS_VPGID_LEADER, "the process leads its process group"),
	PROC("exe_ino", FT_UINT, 0, P_EXE_INO, "inode of the executable"),
	PROC("exe_ino.ctime", FT_ABSTIME, 0, P_EXE_INO_CTIME, "ctime of the executable"),
	PROC("exe_ino.mtime", FT_ABSTIME, 0, P_EXE_INO_MTIME, "mtime of the executable"),
	PROC("exe_ino.ctime_duration_proc_start", FT_RELTIME, 0, P_CTIME_DUR_START, "ns between the executable's ctime and the process start"),
	PROC("vpgid", FT_INT, 0, P_VPGID, "process group id in its namespace"),
	PROC("pgid", FT_INT, FF_HIDDEN, P_PGID, "process group id"),
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
	{ "proc.apid", FT_INT, FA_INDEX | FF_MULTI | FF_OUTPUT_SELF, "pid of the Nth ancestor", x_aproc, P_PID },
	{ "thread.tid", FT_INT, 0, "thread id", x_thread, T_TID },
	{ "thread.vtid", FT_INT, 0, "thread id in its pid namespace", x_thread, T_VTID },
	{ "thread.cap_permitted", FT_STRING, 0, "permitted capabilities", x_thread, T_CAP_PERM },
	{ "thread.cap_effective", FT_STRING, 0, "effective capabilities", x_thread, T_CAP_EFF },
	{ "thread.cap_inheritable", FT_STRING, 0, "inheritable capabilities", x_thread, T_CAP_INH },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
