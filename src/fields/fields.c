// SPDX-License-Identifier: Apache-2.0
/*
 * The field registry and its extractors. Values point into the event, into
 * state, or into the caller's per-ref buffer: extraction never allocates.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event/print.h"
#include "fields/fields.h"
#include "state/users.h"

#define PPM_O_RDONLY (1u << 0)
#define PPM_O_WRONLY (1u << 1)
#define PPM_O_CREAT (1u << 2)
#define PPM_O_TMPFILE (1u << 13)

/* ------------------------------------------------------------ helpers */

static bool set_str(struct field_value *v, const char *s)
{
	if (!s)
		return false;
	v->count = 1;
	v->s[0] = s;
	v->len[0] = strlen(s);
	return true;
}

static bool set_num(struct field_value *v, int64_t n)
{
	v->count = 1;
	v->s[0] = NULL; /* a number, not text */
	v->n[0] = n;
	return true;
}

static struct thread *ctx_thread(struct field_ctx *c)
{
	if (!c->thread_done) {
		c->thread = c->state ? state_thread(c->state, c->ev->tid) : NULL;
		c->thread_done = true;
	}
	return c->thread;
}

static struct proc *ctx_proc(struct field_ctx *c)
{
	struct thread *t = ctx_thread(c);

	return t ? t->proc : NULL;
}

/* The Nth ancestor thread (0 = self). */
static struct thread *ancestor(struct field_ctx *c, int64_t n)
{
	struct thread *t = ctx_thread(c);

	while (t && n-- > 0)
		t = state_parent(c->state, t);
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

/* a parameter named by a literal: a per-type table at each call site */
#define ev_param(ev, name) event_param_key_index(ev, PARAM_KEY(name))

/* The fd an event refers to: its result for fd-creating exits, else its fd param. */
static int64_t event_fd(const struct event *ev)
{
	int64_t res;
	int i;

	if (!ev->info)
		return -1;
	if (ev->info->flags & EF_CREATES_FD) {
		if (ev->info->dir == 'E')
			return -1;
		if ((i = ev_param(ev, "fd1")) >= 0)
			return event_param_int(ev, i);
		if (event_result(ev, &res))
			return res;
	}
	if ((ev->info->flags & EF_USES_FD) && (i = ev_param(ev, "fd")) >= 0) {
		int64_t fd = event_param_int(ev, i);

		return fd == 0xffffffffll ? -1 : fd; /* a 32-bit -1 widened by old drivers */
	}
	return -1;
}

static int64_t ctx_fdnum(struct field_ctx *c)
{
	if (!c->fdnum_done) {
		c->fdnum = event_fd(c->ev);
		c->fdnum_done = true;
	}
	return c->fdnum;
}

/* fd.num: -1 for the enter of an fd-creating call, as sysdig shows it. */
static bool event_fd_num(struct field_ctx *c, struct field_value *v)
{
	const struct event *ev = c->ev;
	int64_t fd = ctx_fdnum(c);

	if (fd >= 0 || (ev->info && (ev->info->flags & EF_CREATES_FD) && ev->info->dir == 'E'))
		return set_num(v, fd);
	return false;
}

static struct fdinfo *ctx_fd(struct field_ctx *c)
{
	if (!c->fd_done) {
		int64_t fd = ctx_fdnum(c);

		c->fd = fd >= 0 ? state_fd(c->state, ctx_thread(c), fd) : NULL;
		c->fd_done = true;
	}
	return c->fd;
}

/* ---------------------------------------------------------------- evt */

enum { E_NUM, E_TIME, E_TIME_S, E_ISO, E_DATETIME, E_RAWTIME, E_RELTIME, E_CPU, E_TYPE, E_DIR,
	E_ARGS, E_ARG, E_RAWARG, E_RES, E_RAWRES, E_FAILED, E_OPEN_READ, E_OPEN_WRITE, E_OPEN_EXEC,
	E_OPEN_CREATE, E_CATEGORY, E_COUNT, E_ABSPATH, E_HOSTNAME, E_LATENCY, E_PLUGINNAME };

static bool is_open_name(const char *n)
{
	return strcmp(n, "open") == 0 || strcmp(n, "openat") == 0 || strcmp(n, "openat2") == 0 ||
	       strcmp(n, "creat") == 0 || strcmp(n, "open_by_handle_at") == 0;
}

enum { OPEN_UNSEEN, OPEN_NOT, OPEN_YES, OPEN_CREAT };

/* OPEN_NOT, OPEN_YES, or OPEN_CREAT (creat(2): its flags are implied) for this event's type */
static int open_kind(const struct event *ev)
{
	static _Atomic uint8_t kind[EVENT_TABLE_SIZE];
	uint8_t k;

	if (!ev->info || ev->type >= EVENT_TABLE_SIZE)
		return OPEN_NOT;
	k = kind[ev->type];
	if (k == OPEN_UNSEEN) {
		k = !is_open_name(ev->info->name) ? OPEN_NOT : strcmp(ev->info->name, "creat") ? OPEN_YES : OPEN_CREAT;
		kind[ev->type] = k;
	}
	return k;
}

static bool evt_arg(struct field_ctx *c, const char *arg, int64_t idx, bool raw, struct field_value *v)
{
	const struct event *ev = c->ev;
	int i = idx >= 0 ? (int)idx : event_param_index(ev, arg);
	struct strbuf sb;

	if (i >= EVENT_ENTER_BASE && ev->enter) { /* a parameter of the enter event */
		ev = ev->enter;
		i -= EVENT_ENTER_BASE;
	}
	if (i < 0 || (uint32_t)i >= ev->nparams || !ev->info || (unsigned)i >= ev->info->nparams)
		return false;
	if (raw) {
		enum param_type t = event_param_type(ev, i);

		if (t == PT_CHARBUF || t == PT_FSPATH || t == PT_FSRELPATH || t == PT_BYTEBUF ||
		    t == PT_SOCKADDR || t == PT_SOCKTUPLE) {
			strbuf_init(&sb, c->buf, FIELD_BUF_SIZE);
			event_format_param(ev, i, NULL, &sb);
			v->type = FT_STRING;
			return set_str(v, c->buf);
		}
		v->type = FT_INT;
		return set_num(v, event_param_int(ev, i));
	}
	strbuf_init(&sb, c->buf, FIELD_BUF_SIZE);
	event_format_param(ev, i, NULL, &sb);
	return set_str(v, c->buf);
}

static bool x_evt(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		  struct field_value *v)
{
	const struct event *ev = c->ev;
	int64_t res = 0;
	bool has_res = event_result(ev, &res);
	time_t secs = ev->ts / 1000000000ull;
	struct tm tm;
	int i;

	switch (f->param) {
	case E_NUM: return set_num(v, ev->num);
	case E_RAWTIME: return set_num(v, ev->ts);
	case E_RELTIME: return set_num(v, ev->ts - c->first_ts);
	case E_CPU: return set_num(v, ev->cpu);
	case E_TIME:
	case E_TIME_S:
	case E_ISO:
	case E_DATETIME:
		if (f->param == E_ISO) {
			gmtime_r(&secs, &tm);
			strftime(c->buf, 64, "%Y-%m-%dT%H:%M:%S", &tm);
			snprintf(c->buf + strlen(c->buf), 64, ".%09" PRIu64 "Z", (uint64_t)(ev->ts % 1000000000ull));
		} else if (f->param == E_DATETIME) {
			localtime_r(&secs, &tm);
			strftime(c->buf, 64, "%Y-%m-%d %H:%M:%S", &tm);
			snprintf(c->buf + strlen(c->buf), 64, ".%09" PRIu64, (uint64_t)(ev->ts % 1000000000ull));
		} else {
			localtime_r(&secs, &tm);
			strftime(c->buf, 64, "%H:%M:%S", &tm);
			if (f->param == E_TIME)
				snprintf(c->buf + strlen(c->buf), 64, ".%09" PRIu64, (uint64_t)(ev->ts % 1000000000ull));
		}
		return set_str(v, c->buf);
	case E_TYPE: return ev->info ? set_str(v, event_name(ev)) : false;
	case E_DIR: return ev->info ? set_str(v, ev->info->dir == 'E' ? ">" : "<") : false;
	case E_ARGS: {
		struct strbuf sb;

		strbuf_init(&sb, c->buf, FIELD_BUF_SIZE);
		event_format_params(ev, NULL, &sb);
		return set_str(v, c->buf);
	}
	case E_ARG: return evt_arg(c, arg, idx, false, v);
	case E_RAWARG: return evt_arg(c, arg, idx, true, v);
	case E_RES:
		if (!has_res)
			return false;
		if (res >= 0)
			return set_str(v, "SUCCESS");
		return set_str(v, strerrorname_np((int)-res) ? strerrorname_np((int)-res) : "EUNKNOWN");
	case E_RAWRES: return has_res ? set_num(v, res) : false;
	case E_FAILED: return set_num(v, has_res && res < 0);
	case E_OPEN_READ:
	case E_OPEN_WRITE:
	case E_OPEN_EXEC:
	case E_OPEN_CREATE: {
		uint32_t fl;
		int m;

		int k = open_kind(ev);

		if (k == OPEN_NOT)
			return set_num(v, 0);
		fl = (i = ev_param(ev, "flags")) >= 0 ? event_param_int(ev, i) : 0;
		if (k == OPEN_CREAT)
			fl |= PPM_O_CREAT | PPM_O_WRONLY;
		if (f->param == E_OPEN_READ) return set_num(v, (fl & PPM_O_RDONLY) != 0);
		if (f->param == E_OPEN_WRITE) return set_num(v, (fl & PPM_O_WRONLY) != 0);
		if (f->param == E_OPEN_CREATE) return set_num(v, (fl & (PPM_O_CREAT | PPM_O_TMPFILE)) != 0);
		m = (i = ev_param(ev, "mode")) >= 0 ? event_param_int(ev, i) : 0;
		return set_num(v, (fl & (PPM_O_CREAT | PPM_O_TMPFILE)) && (m & 0111));
	}
	case E_CATEGORY: return ev->info ? set_str(v, event_category_name(ev->info->category)) : false;
	case E_COUNT: return set_num(v, 1);
	case E_ABSPATH: {
		struct fdinfo *fd;
		const char *path = "";
		int di = -1;

		for (const char *const *n = (const char *const[]){ "name", "path", "pathname", "filename",
								  "newpath", "linkpath", NULL }; *n; n++)
			if ((i = event_param_index(ev, *n)) >= 0) {
				path = event_param_str(ev, i);
				break;
			}
		if (!*path)
			return false;
		if (path[0] == '/')
			return set_str(v, path);
		for (const char *const *n = (const char *const[]){ "dirfd", "newdirfd", "linkdirfd", NULL }; *n; n++)
			if ((di = event_param_index(ev, *n)) >= 0)
				break;
		fd = di >= 0 ? state_fd(c->state, ctx_thread(c), event_param_int(ev, di)) : NULL;
		if (fd)
			snprintf(c->buf, FIELD_BUF_SIZE, "%s/%s", fd->name, path);
		else if (ctx_proc(c) && ctx_proc(c)->cwd)
			snprintf(c->buf, FIELD_BUF_SIZE, "%s/%s", ctx_proc(c)->cwd, path);
		else
			return false;
		return set_str(v, c->buf);
	}
	case E_HOSTNAME: return set_str(v, c->hostname);
	case E_LATENCY: return set_num(v, 0);
	case E_PLUGINNAME: return false;
	}
	return false;
}

/* --------------------------------------------------------------- proc */

enum { P_NAME, P_EXE, P_EXEPATH, P_CMDLINE, P_ARGS, P_PID, P_PPID, P_VPID, P_PVPID, P_SID, P_SNAME,
	P_TTY, P_CWD, P_ENV, P_LOGINSHELLID, P_DURATION, P_START_TS, P_EXE_WRITABLE, P_EXE_UPPER,
	P_EXE_MEMFD, P_IS_SID_LEADER, P_IS_VPGID_LEADER, P_EXE_INO, P_EXE_INO_CTIME, P_EXE_INO_MTIME,
	P_CTIME_DUR_START, P_VPGID, P_VPGID_NAME, P_VPGID_EXE, P_VPGID_EXEPATH, P_PPID_DURATION,
	P_PGID };

/* Value of one proc.* property of thread t (t may be an ancestor). */
static bool proc_prop(struct field_ctx *c, struct thread *t, int prop, const char *arg, struct field_value *v,
		      char *buf, size_t bufsz)
{
	struct proc *p = t ? t->proc : NULL;
	struct thread *pt;

	if (!p)
		return false;
	switch (prop) {
	case P_NAME: return p->comm[0] ? set_str(v, p->comm) : false;
	case P_EXE: return set_str(v, p->exe);
	case P_EXEPATH: return set_str(v, p->exepath);
	case P_CMDLINE: {
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
	case P_ARGS:
		join_args(p->args ? p->args : "", p->args_len, buf, bufsz);
		return set_str(v, buf);
	case P_PID: return set_num(v, p->pid);
	case P_PPID: pt = state_parent(c->state, t); return pt && pt->proc ? set_num(v, pt->proc->pid) : (t->ptid > 0 ? set_num(v, t->ptid) : false);
	case P_VPID: return set_num(v, p->vpid);
	case P_PVPID: pt = state_parent(c->state, t); return pt && pt->proc ? set_num(v, pt->proc->vpid) : false;
	case P_SID: return set_num(v, p->sid);
	case P_SNAME:
		for (pt = t; pt; pt = state_parent(c->state, pt))
			if (pt->proc && pt->proc->pid == p->sid)
				return set_str(v, pt->proc->comm);
		return false;
	case P_TTY: return set_num(v, p->tty);
	case P_CWD: return set_str(v, p->cwd);
	case P_ENV:
		if (!p->env)
			return false;
		if (!arg || !*arg) {
			join_args(p->env, p->env_len, buf, bufsz);
			return set_str(v, buf);
		}
		for (uint32_t o = 0; o < p->env_len; o += strlen(p->env + o) + 1) {
			size_t l = strlen(arg);

			if (strncmp(p->env + o, arg, l) == 0 && p->env[o + l] == '=')
				return set_str(v, p->env + o + l + 1);
		}
		return false;
	case P_LOGINSHELLID: {
		int64_t id = -1;

		for (pt = t; pt; pt = state_parent(c->state, pt))
			if (pt->proc && (strstr(pt->proc->comm, "sh") && strlen(pt->proc->comm) <= 5))
				id = pt->proc->pid;
		return id >= 0 ? set_num(v, id) : false;
	}
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
	case P_VPGID_NAME:
	case P_VPGID_EXE:
	case P_VPGID_EXEPATH: {
		struct thread *lt = state_thread(c->state, p->pgid);

		if (!lt || !lt->proc)
			return false;
		return set_str(v, prop == P_VPGID_NAME ? lt->proc->comm : prop == P_VPGID_EXE ? lt->proc->exe : lt->proc->exepath);
	}
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
	return proc_prop(c, ancestor(c, 1), f->param, arg, v, c->buf, FIELD_BUF_SIZE);
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
	for (t = ancestor(c, 1); t && v->count < FIELD_MAX_VALUES; t = state_parent(c->state, t)) {
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

enum { U_UID, U_NAME, U_HOME, U_SHELL, U_LOGINUID, U_LOGINNAME, G_GID, G_NAME };

static bool x_user(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		   struct field_value *v)
{
	struct proc *p = ctx_proc(c);
	struct users *users = c->state ? state_users(c->state) : NULL;
	const struct user_info *u;
	uint32_t id;

	if (!p)
		return false;
	switch (f->param) {
	case U_UID: return set_num(v, p->uid);
	case U_LOGINUID: return set_num(v, p->loginuid == UINT32_MAX ? -1 : (int64_t)p->loginuid);
	case G_GID: return set_num(v, p->gid);
	case G_NAME: return users ? set_str(v, users_group_name(users, p->gid)) : false;
	}
	id = f->param == U_LOGINNAME ? p->loginuid : p->uid;
	if (f->param == U_LOGINNAME && id == UINT32_MAX)
		return false;
	u = users ? users_by_uid(users, id) : NULL;
	if (!u)
		return false;
	return set_str(v, f->param == U_HOME ? u->home : f->param == U_SHELL ? u->shell : u->name);
}

/* ----------------------------------------------------------------- fd */

enum { F_NUM, F_TYPE, F_TYPECHAR, F_NAME, F_DIRECTORY, F_FILENAME, F_IP, F_CIP, F_SIP, F_LIP, F_RIP,
	F_PORT, F_CPORT, F_SPORT, F_LPORT, F_RPORT, F_L4PROTO, F_SOCKFAMILY, F_IS_SERVER, F_NET,
	F_CNET, F_SNET, F_CONNECTED, F_NAME_CHANGED, F_DEV, F_INO, F_NAMERAW, F_TYPES, F_SIP_NAME };

static bool fd_is_inet(const struct fdinfo *fd)
{
	return fd->type == FDT_IPV4_SOCK || fd->type == FDT_IPV6_SOCK || fd->type == FDT_IPV4_SERVSOCK ||
	       fd->type == FDT_IPV6_SERVSOCK;
}

static bool fd_ip(struct field_ctx *c, const struct fdinfo *fd, const uint8_t *ip, struct field_value *v)
{
	int af = (fd->type == FDT_IPV6_SOCK || fd->type == FDT_IPV6_SERVSOCK) ? AF_INET6 : AF_INET;

	if (!fd_is_inet(fd) || !inet_ntop(af, ip, c->buf, 64))
		return false;
	return set_str(v, c->buf);
}

static bool x_fd(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		 struct field_value *v)
{
	struct fdinfo *fd;
	const char *slash;
	bool local_is_client;

	if (f->param == F_NUM)
		return event_fd_num(c, v);
	fd = ctx_fd(c);
	if (!fd) /* an fd the event uses but state never saw: named "", as sysdig does */
		return (f->param == F_NAME || f->param == F_NAMERAW) && c->ev->info->dir == 'X' && ctx_fdnum(c) >= 0 ? set_str(v, "") : false;
	/* the local end is the client unless this side accepted or listens */
	local_is_client = !fd->is_server;
	switch (f->param) {
	case F_TYPE:
	case F_TYPES: return set_str(v, fd_type_name(fd->type));
	case F_TYPECHAR: return set_str(v, fd_type_char(fd->type));
	case F_NAME:
	case F_NAMERAW: return set_str(v, fd->name);
	case F_DIRECTORY:
	case F_FILENAME:
		if (fd->type != FDT_FILE && fd->type != FDT_DIRECTORY && fd->type != FDT_MEMFD)
			return false;
		slash = strrchr(fd->name, '/');
		if (!slash)
			return false;
		if (f->param == F_FILENAME)
			return set_str(v, slash + 1);
		{
			size_t n = slash == fd->name ? 1 : (size_t)(slash - fd->name);

			if (n >= FIELD_BUF_SIZE)
				n = FIELD_BUF_SIZE - 1;
			memcpy(c->buf, fd->name, n);
			c->buf[n] = 0;
		}
		return set_str(v, c->buf);
	case F_IP:
	case F_NET:
		if (!fd_is_inet(fd))
			return false;
		v->count = 0;
		for (int k = 0; k < 2; k++) {
			int af = (fd->type == FDT_IPV6_SOCK || fd->type == FDT_IPV6_SERVSOCK) ? AF_INET6 : AF_INET;

			if (inet_ntop(af, k ? fd->dip : fd->sip, c->buf + k * 64, 64)) {
				v->s[v->count] = c->buf + k * 64;
				v->len[v->count] = strlen(c->buf + k * 64);
				v->count++;
			}
		}
		return v->count > 0;
	case F_CIP:
	case F_CNET: return fd_ip(c, fd, fd->sip, v);
	case F_SIP:
	case F_SNET:
	case F_SIP_NAME: return fd_ip(c, fd, fd->dip, v);
	case F_LIP: return fd_ip(c, fd, local_is_client ? fd->sip : fd->dip, v);
	case F_RIP: return fd_ip(c, fd, local_is_client ? fd->dip : fd->sip, v);
	case F_PORT:
		if (!fd_is_inet(fd))
			return false;
		v->count = 2;
		v->s[0] = v->s[1] = NULL;
		v->n[0] = fd->sport;
		v->n[1] = fd->dport;
		return true;
	case F_CPORT: return fd_is_inet(fd) ? set_num(v, fd->sport) : false;
	case F_SPORT: return fd_is_inet(fd) ? set_num(v, fd->dport) : false;
	case F_LPORT: return fd_is_inet(fd) ? set_num(v, local_is_client ? fd->sport : fd->dport) : false;
	case F_RPORT: return fd_is_inet(fd) ? set_num(v, local_is_client ? fd->dport : fd->sport) : false;
	case F_L4PROTO:
		return set_str(v, fd->l4proto == 6 ? "tcp" : fd->l4proto == 17 ? "udp" :
				  fd->l4proto == 1 ? "icmp" : fd->l4proto == 255 ? "raw" : "unknown");
	case F_SOCKFAMILY:
		if (fd_is_inet(fd))
			return set_str(v, "ip");
		return fd->type == FDT_UNIX_SOCK ? set_str(v, "unix") : false;
	case F_IS_SERVER: return set_num(v, fd->is_server);
	case F_CONNECTED: return set_num(v, fd->connected);
	case F_NAME_CHANGED: return set_num(v, fd->name_changed);
	case F_DEV: return set_num(v, fd->dev);
	case F_INO: return set_num(v, fd->ino);
	}
	return false;
}

/* ------------------------------------------------------------ registry */

#define EVT(n, t, fl, p, d) { "evt." n, t, fl, d, x_evt, p }
#define PROC(n, t, fl, p, d) { "proc." n, t, fl, d, x_proc, p }

const struct field_def field_registry[] = {
	EVT("num", FT_UINT, 0, E_NUM, "event number"),
	EVT("time", FT_STRING, 0, E_TIME, "event time as HH:MM:SS.nnnnnnnnn"),
	EVT("time.s", FT_STRING, 0, E_TIME_S, "event time as HH:MM:SS"),
	EVT("time.iso8601", FT_STRING, 0, E_ISO, "event time in ISO 8601 with nanoseconds, UTC"),
	EVT("datetime", FT_STRING, 0, E_DATETIME, "event date and time, local"),
	EVT("rawtime", FT_ABSTIME, 0, E_RAWTIME, "event time in ns since the epoch"),
	EVT("reltime", FT_RELTIME, 0, E_RELTIME, "ns since the first event"),
	EVT("cpu", FT_UINT, 0, E_CPU, "CPU the event was captured on"),
	EVT("type", FT_STRING, 0, E_TYPE, "event type (syscall name)"),
	EVT("dir", FT_STRING, 0, E_DIR, "'>' enter, '<' exit"),
	EVT("args", FT_STRING, 0, E_ARGS, "all parameters as text"),
	EVT("arg", FT_STRING, FA_KEY | FA_INDEX | FA_REQUIRED, E_ARG, "one parameter by name (evt.arg.fd) or index (evt.arg[0]), as text"),
	EVT("rawarg", FT_INT, FA_KEY | FA_INDEX | FA_REQUIRED, E_RAWARG, "one parameter by name, as its raw value"),
	EVT("res", FT_STRING, 0, E_RES, "SUCCESS or the errno name of a failed call"),
	EVT("rawres", FT_INT, 0, E_RAWRES, "the return value"),
	EVT("failed", FT_BOOL, 0, E_FAILED, "true when the call returned an error"),
	EVT("is_open_read", FT_BOOL, 0, E_OPEN_READ, "an open for reading"),
	EVT("is_open_write", FT_BOOL, 0, E_OPEN_WRITE, "an open for writing"),
	EVT("is_open_exec", FT_BOOL, 0, E_OPEN_EXEC, "an open that creates an executable file"),
	EVT("is_open_create", FT_BOOL, 0, E_OPEN_CREATE, "an open that creates a file"),
	EVT("category", FT_STRING, 0, E_CATEGORY, "event category (file, net, process, ...)"),
	EVT("count", FT_UINT, 0, E_COUNT, "1 for every event"),
	EVT("abspath", FT_STRING, 0, E_ABSPATH, "absolute path of the event's path argument"),
	EVT("hostname", FT_STRING, 0, E_HOSTNAME, "host name"),
	EVT("latency", FT_RELTIME, FF_HIDDEN, E_LATENCY, "enter-to-exit latency (0 for exit-only events)"),
	EVT("pluginname", FT_STRING, FF_HIDDEN, E_PLUGINNAME, "plugin name (no plugins)"),

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
	{ "proc.aname", FT_STRING, FA_INDEX | FF_MULTI, "name of the Nth ancestor (0 is self); without N, any ancestor", x_aproc, P_NAME },
	{ "proc.aexe", FT_STRING, FA_INDEX | FF_MULTI, "argv[0] of the Nth ancestor", x_aproc, P_EXE },
	{ "proc.aexepath", FT_STRING, FA_INDEX | FF_MULTI, "executable path of the Nth ancestor", x_aproc, P_EXEPATH },
	{ "proc.acmdline", FT_STRING, FA_INDEX | FF_MULTI, "command line of the Nth ancestor", x_aproc, P_CMDLINE },
	{ "proc.apid", FT_INT, FA_INDEX | FF_MULTI, "pid of the Nth ancestor", x_aproc, P_PID },

	{ "thread.tid", FT_INT, 0, "thread id", x_thread, T_TID },
	{ "thread.vtid", FT_INT, 0, "thread id in its pid namespace", x_thread, T_VTID },
	{ "thread.cap_permitted", FT_STRING, 0, "permitted capabilities", x_thread, T_CAP_PERM },
	{ "thread.cap_effective", FT_STRING, 0, "effective capabilities", x_thread, T_CAP_EFF },
	{ "thread.cap_inheritable", FT_STRING, 0, "inheritable capabilities", x_thread, T_CAP_INH },

	{ "user.uid", FT_UINT, 0, "effective user id", x_user, U_UID },
	{ "user.name", FT_STRING, 0, "user name", x_user, U_NAME },
	{ "user.homedir", FT_STRING, 0, "home directory", x_user, U_HOME },
	{ "user.shell", FT_STRING, 0, "login shell", x_user, U_SHELL },
	{ "user.loginuid", FT_INT, 0, "audit login uid (-1 when none)", x_user, U_LOGINUID },
	{ "user.loginname", FT_STRING, 0, "name of the login user", x_user, U_LOGINNAME },
	{ "group.gid", FT_UINT, 0, "effective group id", x_user, G_GID },
	{ "group.name", FT_STRING, 0, "group name", x_user, G_NAME },

	{ "fd.num", FT_INT, 0, "fd number of the event", x_fd, F_NUM },
	{ "fd.type", FT_STRING, 0, "fd type: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, memfd, pidfd, bpf, userfaultfd, io_uring", x_fd, F_TYPE },
	{ "fd.typechar", FT_STRING, 0, "fd type as one character (f, d, 4, 6, u, p, ...)", x_fd, F_TYPECHAR },
	{ "fd.name", FT_STRING, 0, "file path, or connection tuple", x_fd, F_NAME },
	{ "fd.nameraw", FT_STRING, 0, "fd name as given", x_fd, F_NAMERAW },
	{ "fd.directory", FT_STRING, 0, "directory of a file fd", x_fd, F_DIRECTORY },
	{ "fd.filename", FT_STRING, 0, "file name without its directory", x_fd, F_FILENAME },
	{ "fd.ip", FT_IPADDR, FF_MULTI, "client or server address", x_fd, F_IP },
	{ "fd.cip", FT_IPADDR, 0, "client address", x_fd, F_CIP },
	{ "fd.sip", FT_IPADDR, 0, "server address", x_fd, F_SIP },
	{ "fd.sip.name", FT_STRING, FF_HIDDEN, "server address (no DNS resolution)", x_fd, F_SIP_NAME },
	{ "fd.lip", FT_IPADDR, 0, "local address", x_fd, F_LIP },
	{ "fd.rip", FT_IPADDR, 0, "remote address", x_fd, F_RIP },
	{ "fd.port", FT_PORT, FF_MULTI, "client or server port", x_fd, F_PORT },
	{ "fd.cport", FT_PORT, 0, "client port", x_fd, F_CPORT },
	{ "fd.sport", FT_PORT, 0, "server port", x_fd, F_SPORT },
	{ "fd.lport", FT_PORT, 0, "local port", x_fd, F_LPORT },
	{ "fd.rport", FT_PORT, 0, "remote port", x_fd, F_RPORT },
	{ "fd.l4proto", FT_STRING, 0, "tcp, udp, icmp or raw", x_fd, F_L4PROTO },
	{ "fd.sockfamily", FT_STRING, 0, "ip or unix", x_fd, F_SOCKFAMILY },
	{ "fd.is_server", FT_BOOL, 0, "this side is the server", x_fd, F_IS_SERVER },
	{ "fd.net", FT_IPNET, FF_MULTI, "client or server address, compared against a network", x_fd, F_NET },
	{ "fd.cnet", FT_IPNET, 0, "client address, compared against a network", x_fd, F_CNET },
	{ "fd.snet", FT_IPNET, 0, "server address, compared against a network", x_fd, F_SNET },
	{ "fd.connected", FT_BOOL, 0, "the socket is connected", x_fd, F_CONNECTED },
	{ "fd.name_changed", FT_BOOL, 0, "the fd name changed in this event", x_fd, F_NAME_CHANGED },
	{ "fd.dev", FT_UINT, 0, "device number of the file", x_fd, F_DEV },
	{ "fd.ino", FT_UINT, 0, "inode number of the file", x_fd, F_INO },
	{ "fd.types", FT_STRING, FF_MULTI, "types of the fds of the event", x_fd, F_TYPES },

	{ NULL, 0, 0, NULL, NULL, 0 },
};

/* Every table of fields: this file's, then the container and k8s fields (fields_container.c). */
static const struct field_def *const field_tables[] = { field_registry, field_registry_container, NULL };

const struct field_def *field_registry_next(const struct field_def *prev)
{
	const struct field_def *next = prev ? prev + 1 : field_tables[0];
	size_t t;

	if (next->name)
		return next;
	/* next is a table's terminator: go on with the following table */
	for (t = 0; field_tables[t]; t++) {
		const struct field_def *end = field_tables[t];

		while (end->name)
			end++;
		if (end == next)
			break;
	}
	for (t = field_tables[t] ? t + 1 : t; field_tables[t]; t++)
		if (field_tables[t]->name)
			return field_tables[t];
	return NULL;
}

/* -------------------------------------------------------------- resolve */

int field_resolve(const char *text, struct field_ref *out, char *err, size_t n)
{
	const struct field_def *best = NULL;
	size_t bl = 0, tl = strlen(text);
	const char *rest;

	memset(out, 0, sizeof(*out));
	out->idx = -1;
	/* longest registered name that prefixes the text at a boundary */
	for (const struct field_def *f = field_registry_next(NULL); f; f = field_registry_next(f)) {
		size_t l = strlen(f->name);

		if (l > bl && l <= tl && strncmp(text, f->name, l) == 0 &&
		    (text[l] == 0 || text[l] == '[' || (text[l] == '.' && (f->flags & FA_KEY))))
			best = f, bl = l;
	}
	if (!best) {
		snprintf(err, n, "unknown field '%s'", text);
		return -1;
	}
	out->def = best;
	rest = text + bl;
	if (*rest == '.') {
		snprintf(out->arg, sizeof(out->arg), "%s", rest + 1);
		out->has_arg = true;
	} else if (*rest == '[') {
		size_t l = strlen(rest);
		char *end;

		if (rest[l - 1] != ']' || l < 3) {
			snprintf(err, n, "malformed argument in field '%s'", text);
			return -1;
		}
		snprintf(out->arg, sizeof(out->arg), "%.*s", (int)(l - 2), rest + 1);
		out->has_arg = true;
		out->idx = strtoll(out->arg, &end, 10);
		if (*end) {
			out->idx = -1;
			if (!(best->flags & FA_KEY)) {
				snprintf(err, n, "field '%s' takes a numeric index, not '%s'", best->name, out->arg);
				return -1;
			}
		} else if (!(best->flags & FA_INDEX)) {
			if (!(best->flags & FA_KEY)) {
				snprintf(err, n, "field '%s' takes no argument", best->name);
				return -1;
			}
			out->idx = -1;
		} else {
			out->arg[0] = 0;
		}
	}
	if ((best->flags & FA_REQUIRED) && !out->has_arg) {
		snprintf(err, n, "field '%s' requires an argument", best->name);
		return -1;
	}
	if (out->has_arg && !(best->flags & (FA_KEY | FA_INDEX))) {
		snprintf(err, n, "field '%s' takes no argument", best->name);
		return -1;
	}
	return 0;
}

bool field_extract(struct field_ctx *ctx, const struct field_ref *ref, struct field_value *out)
{
	out->type = ref->def->type;
	out->count = 0;
	if (!ctx->ev)
		return false;
	if (!ref->def->extract(ctx, ref->def, ref->arg, ref->idx, out)) {
		out->count = 0;
		return false;
	}
	return out->count > 0;
}

size_t field_value_format(const struct field_value *v, char *out, size_t n)
{
	size_t o = 0;

	if (!v->count)
		return snprintf(out, n, "<NA>");
	for (uint32_t i = 0; i < v->count && o < n; i++) {
		if (i)
			o += snprintf(out + o, n - o, ",");
		if (o >= n)
			break;
		switch (v->type) {
		case FT_STRING: case FT_IPADDR: case FT_IPNET: case FT_BYTES:
			if (v->s[i]) {
				o += snprintf(out + o, n - o, "%.*s", (int)v->len[i], v->s[i]);
				break;
			}
			/* a raw number in a string-typed field */
			__attribute__((fallthrough));
		case FT_INT: case FT_RELTIME: case FT_ABSTIME:
			o += snprintf(out + o, n - o, "%" PRId64, v->n[i]);
			break;
		case FT_UINT: case FT_PORT:
			o += snprintf(out + o, n - o, "%" PRIu64, (uint64_t)v->n[i]);
			break;
		case FT_BOOL:
			o += snprintf(out + o, n - o, "%s", v->n[i] ? "true" : "false");
			break;
		}
	}
	return o < n ? o : n - 1;
}

const char *field_type_name(enum field_type t)
{
	static const char *const names[] = { "CHARBUF", "UINT64", "INT64", "BOOL", "IPADDR", "IPNET",
					     "PORT", "RELTIME", "ABSTIME", "BYTEBUF" };

	return t <= FT_BYTES ? names[t] : "?";
}

size_t field_class_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? (size_t)(dot - name) : strlen(name);
}
