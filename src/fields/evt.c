// SPDX-License-Identifier: Apache-2.0
/*
 * evt.* fields: the event itself (number, time, type, direction,
 * parameters, result), the open-flag booleans, and the absolute path of
 * its path argument.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "event/print.h"
#include "fields/extract.h"

#define PPM_O_RDONLY (1u << 0)
#define PPM_O_WRONLY (1u << 1)
#define PPM_O_CREAT (1u << 2)
#define PPM_O_TMPFILE (1u << 13)

enum { E_NUM, E_TIME, E_TIME_S, E_ISO, E_DATETIME, E_RAWTIME, E_RELTIME, E_CPU, E_TYPE, E_DIR,
	E_ARGS, E_ARG, E_RAWARG, E_RES, E_RAWRES, E_FAILED, E_OPEN_READ, E_OPEN_WRITE, E_OPEN_EXEC,
	E_OPEN_CREATE, E_CATEGORY, E_COUNT, E_ABSPATH, E_HOSTNAME, E_LATENCY, E_PLUGINNAME, E_DATETIME_S,
	E_RAWTIME_S, E_RAWTIME_NS, E_RELTIME_S, E_RELTIME_NS, E_DELTATIME, E_DELTATIME_S, E_DELTATIME_NS,
	E_OUTPUTTIME, E_TYPE_IS, E_SYSCALL_TYPE, E_SOURCE, E_IS_WAIT, E_INFO, E_IS_SYSLOG, E_COUNT_ERROR,
	E_COUNT_ERROR_FILE, E_COUNT_ERROR_NET, E_COUNT_ERROR_MEMORY, E_COUNT_ERROR_OTHER, E_COUNT_EXIT,
	E_ABSPATH_SRC, E_ABSPATH_DST, E_IS_ASYNC, E_ASYNCTYPE, E_PLUGININFO, E_LATENCY_HUMAN, E_AROUND };

enum { OPEN_NOT, OPEN_YES, OPEN_CREAT };

/* OPEN_NOT, OPEN_YES, or OPEN_CREAT (creat(2): its flags are implied): the event's kind in the table */
static int open_kind(const struct event *ev)
{
	if (!ev->info)
		return OPEN_NOT;
	return ev->info->kind == SAKER_KIND_OPEN ? OPEN_YES : ev->info->kind == SAKER_KIND_CREAT ? OPEN_CREAT : OPEN_NOT;
}

static bool evt_arg(struct field_ctx *c, const char *arg, int64_t idx, bool raw, struct field_value *v)
{
	const struct event *ev = c->ev;
	int i = idx >= 0 ? (int)idx : event_param_index(ev, arg);
	struct print_hooks h;
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
	if (c->state)
		state_print_hooks(c->state, &h);
	event_format_param_value(ev, i, c->state ? &h : NULL, &sb);
	return set_str(v, c->buf);
}

/* evt.time, evt.time.s, evt.time.iso8601, evt.datetime: local time, ISO 8601 in UTC. */
static bool evt_time(struct field_ctx *c, int which, struct field_value *v)
{
	const struct event *ev = c->ev;
	time_t secs = ev->ts / 1000000000ull;
	uint64_t ns = ev->ts % 1000000000ull;
	struct tm tm;

	if (which == E_ISO) {
		gmtime_r(&secs, &tm);
		strftime(c->buf, 64, "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(c->buf + strlen(c->buf), 64, ".%09" PRIu64 "Z", ns);
	} else if (which == E_DATETIME || which == E_DATETIME_S) {
		localtime_r(&secs, &tm);
		strftime(c->buf, 64, "%Y-%m-%d %H:%M:%S", &tm);
		if (which == E_DATETIME)
			snprintf(c->buf + strlen(c->buf), 64, ".%09" PRIu64, ns);
	} else {
		localtime_r(&secs, &tm);
		strftime(c->buf, 64, "%H:%M:%S", &tm);
		if (which == E_TIME)
			snprintf(c->buf + strlen(c->buf), 64, ".%09" PRIu64, ns);
	}
	return set_str(v, c->buf);
}

/* evt.res (SUCCESS or the errno name), evt.rawres, evt.failed. */
static bool evt_result(struct field_ctx *c, int which, struct field_value *v)
{
	int64_t res = 0;
	bool has_res = event_result(c->ev, &res);
	const char *name;

	if (which == E_FAILED)
		return set_num(v, has_res && res < 0);
	if (!has_res)
		return false;
	if (which == E_RAWRES)
		return set_num(v, res);
	if (res >= 0)
		return set_str(v, "SUCCESS");
	name = strerrorname_np((int)-res);
	return set_str(v, name ? name : "EUNKNOWN");
}

/* evt.is_open_read/write/create/exec: the open flags (and mode, for exec) of an open-like event. */
static bool evt_open_flag(struct field_ctx *c, int which, struct field_value *v)
{
	const struct event *ev = c->ev;
	int k = open_kind(ev), i, m;
	uint32_t fl;

	if (k == OPEN_NOT)
		return set_num(v, 0);
	fl = (i = ev_param(ev, "flags")) >= 0 ? event_param_int(ev, i) : 0;
	if (k == OPEN_CREAT)
		fl |= PPM_O_CREAT | PPM_O_WRONLY;
	if (which == E_OPEN_READ)
		return set_num(v, (fl & PPM_O_RDONLY) != 0);
	if (which == E_OPEN_WRITE)
		return set_num(v, (fl & PPM_O_WRONLY) != 0);
	if (which == E_OPEN_CREATE)
		return set_num(v, (fl & (PPM_O_CREAT | PPM_O_TMPFILE)) != 0);
	m = (i = ev_param(ev, "mode")) >= 0 ? event_param_int(ev, i) : 0;
	return set_num(v, (fl & (PPM_O_CREAT | PPM_O_TMPFILE)) && (m & 0111));
}

/* The event's path argument, and the index of its directory-fd argument (or -1). */
static const char *path_arg(const struct event *ev, int *dirfd_idx)
{
	static const char *const paths[] = { "name", "path", "pathname", "filename", "newpath", "linkpath", NULL };
	static const char *const dirfds[] = { "dirfd", "newdirfd", "linkdirfd", NULL };
	const char *path = NULL;
	int i;

	/* a parameter typed as a path first: setxattr's "name" is the attribute, its "path" the file */
	for (const char *const *n = paths; *n && !path; n++)
		if ((i = event_param_index(ev, *n)) >= 0 &&
		    (event_param_type(ev, i) == PT_FSPATH || event_param_type(ev, i) == PT_FSRELPATH))
			path = event_param_str(ev, i);
	for (const char *const *n = paths; *n && !path; n++) /* older forms carry the path as a plain string */
		if ((i = event_param_index(ev, *n)) >= 0)
			path = event_param_str(ev, i);
	if (!path)
		path = "";
	*dirfd_idx = -1;
	for (const char *const *n = dirfds; *n && *path && path[0] != '/'; n++)
		if ((*dirfd_idx = event_param_index(ev, *n)) >= 0)
			break;
	/* utimensat and futimesat name their directory fd "fd"; an open's "fd" is its result, and its path a FSPATH */
	if (*dirfd_idx < 0 && *path && path[0] != '/' && i >= 0 && event_param_type(ev, i) == PT_FSRELPATH &&
	    (i = event_param_index(ev, "fd")) >= 0 && event_param_type(ev, i) == PT_FD)
		*dirfd_idx = i;
	return path;
}

/* The path of a two-path call (rename, link, symlink and their *at forms): its source or its destination. */
static const char *path_pair_arg(const struct event *ev, bool dst, int *dirfd_idx)
{
	static const char *const srcs[] = { "oldpath", "target", NULL };
	static const char *const dsts[] = { "newpath", "linkpath", NULL };
	static const char *const srcdirs[] = { "olddirfd", "olddir", NULL };
	static const char *const dstdirs[] = { "newdirfd", "newdir", "linkdirfd", NULL };
	const char *path = "";
	int i;

	for (const char *const *n = dst ? dsts : srcs; *n; n++)
		if ((i = event_param_index(ev, *n)) >= 0) {
			path = event_param_str(ev, i);
			break;
		}
	*dirfd_idx = -1;
	for (const char *const *n = dst ? dstdirs : srcdirs; *n && *path && path[0] != '/'; n++)
		if ((*dirfd_idx = event_param_index(ev, *n)) >= 0)
			break;
	return path;
}

/* evt.abspath: a relative path resolved against its directory fd, else the cwd (src/dst: of a path pair). */
static bool evt_abspath(struct field_ctx *c, int which, struct field_value *v)
{
	const struct event *ev = c->ev;
	struct fdinfo *fd;
	int di;
	const char *path = which == E_ABSPATH ? path_arg(ev, &di) : path_pair_arg(ev, which == E_ABSPATH_DST, &di);

	if (!*path)
		return false;
	if (path[0] == '/')
		return set_str(v, path);
	fd = di >= 0 ? state_fd(c->state, ctx_thread(c), event_param_int(ev, di)) : NULL;
	if (fd)
		snprintf(c->buf, FIELD_BUF_SIZE, "%s/%s", fd->name, path);
	else if (ctx_proc(c) && ctx_proc(c)->cwd)
		snprintf(c->buf, FIELD_BUF_SIZE, "%s/%s", ctx_proc(c)->cwd, path);
	else
		return false;
	return set_str(v, c->buf);
}

/* evt.args: every parameter with fds, pids and ids resolved, each followed by a space as in libs */
static bool evt_args(struct field_ctx *c, struct field_value *v)
{
	struct print_hooks h;
	struct strbuf sb;

	strbuf_init(&sb, c->buf, FIELD_BUF_SIZE);
	if (c->state)
		state_print_hooks(c->state, &h);
	event_format_params(c->ev, c->state ? &h : NULL, &sb);
	if (sb.len)
		strbuf_putc(&sb, ' ');
	return set_str(v, c->buf);
}

/* evt.is_syslog: a write to /dev/log (libs: the fd's name). */
static bool is_syslog(struct field_ctx *c)
{
	const struct event *ev = c->ev;
	int i = ev->info && (ev->info->flags & EF_WRITES_TO_FD) ? ev_param(ev, "fd") : -1;
	struct fdinfo *fd = i >= 0 ? state_fd(c->state, ctx_thread(c), event_param_int(ev, i)) : NULL;

	return fd && !strcmp(fd->name, "/dev/log");
}

/*
 * evt.category as libs names it: the event table's category, and for I/O
 * events the kind of the fd they use (file, net, ipc), "unknown" where the
 * fd is not in the table or of another kind. Generic events are "other":
 * current libs take every category from the event table.
 */
static const char *evt_category(struct field_ctx *c)
{
	uint32_t base = c->ev->info->category & EC_BASE_MASK;
	struct fdinfo *fd;

	if (base != EC_IO_READ && base != EC_IO_WRITE && base != EC_IO_OTHER)
		return event_category_name(c->ev->info->category);
	if (!(fd = ctx_fd(c)))
		return "unknown";
	switch (fd->type) {
	case FDT_FILE: case FDT_FILE_V2: case FDT_DIRECTORY:
		return "file";
	case FDT_IPV4_SOCK: case FDT_IPV6_SOCK: case FDT_IPV4_SERVSOCK: case FDT_IPV6_SERVSOCK:
		return "net";
	case FDT_FIFO: case FDT_UNIX_SOCK: case FDT_EVENT: case FDT_SIGNALFD: case FDT_INOTIFY: case FDT_USERFAULTFD:
		return "ipc";
	default:
		return "unknown";
	}
}

/* An exit of a call whose fd libs files under file (open family) or net (accept, connect) when it has none. */
static bool exit_is(const struct event *ev, const char *const *names)
{
	if (!ev->info || ev->info->dir != 'X')
		return false;
	for (; *names; names++)
		if (!strcmp(event_name(ev), *names))
			return true;
	return false;
}

static const char *const open_calls[] = { "open", "creat", "openat", "openat2", "open_by_handle_at", NULL };
static const char *const net_calls[] = { "accept", "accept4", "connect", NULL };

/*
 * evt.count.error[.file|.net|.memory|.other]: 1 for a failed call, as libs
 * sorts it: by the kind of its fd, or for a call without one (a failed
 * open, accept or connect) by the call; memory by the event's category.
 */
static bool evt_count_error(struct field_ctx *c, int which, struct field_value *v)
{
	const struct event *ev = c->ev;
	struct fdinfo *fd;
	bool file, net, mem;
	int64_t res;

	if (!ev->info || !event_result(ev, &res) || res >= 0)
		return false;
	if (which == E_COUNT_ERROR)
		return set_num(v, 1);
	fd = ctx_fd(c);
	mem = (ev->info->category & EC_BASE_MASK) == EC_MEMORY;
	if (fd) {
		file = fd->type == FDT_FILE || fd->type == FDT_FILE_V2 || fd->type == FDT_DIRECTORY;
		net = fd->type == FDT_IPV4_SOCK || fd->type == FDT_IPV6_SOCK || fd->type == FDT_IPV4_SERVSOCK ||
		      fd->type == FDT_IPV6_SERVSOCK || fd->type == FDT_UNIX_SOCK;
	} else {
		file = exit_is(ev, open_calls);
		net = exit_is(ev, net_calls);
	}
	switch (which) {
	case E_COUNT_ERROR_FILE: return file ? set_num(v, 1) : false;
	case E_COUNT_ERROR_NET: return net ? set_num(v, 1) : false;
	case E_COUNT_ERROR_MEMORY: return mem ? set_num(v, 1) : false;
	default: return !file && !net && (fd || !mem) ? set_num(v, 1) : false;
	}
}

/*
 * evt.deltatime: the time since this reference last gave a value, 0 the
 * first time. libs keeps the last time per filtercheck, so with a filter
 * an output's delta spans the events printed, a condition's every event
 * it was evaluated on.
 */
static uint64_t evt_delta(struct field_ctx *c)
{
	uint64_t *last = &c->ref->last_ts, d = *last ? c->ev->ts - *last : 0;

	*last = c->ev->ts;
	return d;
}

static bool x_evt(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		  struct field_value *v)
{
	const struct event *ev = c->ev;

	switch (f->param) {
	case E_NUM: return set_num(v, ev->num);
	case E_RAWTIME:
	case E_AROUND: return set_num(v, ev->ts); /* what evt.around's check compares (cond.c) */
	case E_RELTIME: return set_num(v, ev->ts - c->first_ts);
	case E_CPU: return set_num(v, ev->cpu);
	case E_TIME: case E_TIME_S: case E_ISO: case E_DATETIME: return evt_time(c, f->param, v);
	case E_TYPE: return ev->info ? set_str(v, event_name(ev)) : false;
	case E_DIR: return ev->info ? set_str(v, ev->info->dir == 'E' ? ">" : "<") : false;
	case E_ARGS: return evt_args(c, v);
	case E_ARG: return evt_arg(c, arg, idx, false, v);
	case E_RAWARG: return evt_arg(c, arg, idx, true, v);
	case E_RES: case E_RAWRES: case E_FAILED: return evt_result(c, f->param, v);
	case E_OPEN_READ: case E_OPEN_WRITE: case E_OPEN_EXEC: case E_OPEN_CREATE:
		return evt_open_flag(c, f->param, v);
	case E_CATEGORY: return ev->info ? set_str(v, evt_category(c)) : false;
	case E_COUNT: return set_num(v, 1);
	case E_ABSPATH: case E_ABSPATH_SRC: case E_ABSPATH_DST: return evt_abspath(c, f->param, v);
	case E_DATETIME_S: return evt_time(c, f->param, v);
	case E_OUTPUTTIME: return evt_time(c, E_TIME, v); /* as %evt.time, libs' default */
	case E_RAWTIME_S: return set_num(v, ev->ts / 1000000000ull);
	case E_RAWTIME_NS: return set_num(v, ev->ts % 1000000000ull);
	case E_RELTIME_S: return set_num(v, (ev->ts - c->first_ts) / 1000000000ull);
	case E_RELTIME_NS: return set_num(v, (ev->ts - c->first_ts) % 1000000000ull);
	case E_DELTATIME: return set_num(v, evt_delta(c));
	case E_DELTATIME_S: return set_num(v, evt_delta(c) / 1000000000ull);
	case E_DELTATIME_NS: /* libs pads the fraction to 9 digits */
		snprintf(c->buf, 16, "%09llu", (unsigned long long)(evt_delta(c) % 1000000000ull));
		return set_str(v, c->buf);
	case E_TYPE_IS: return ev->info ? set_num(v, !strcmp(event_name(ev), arg)) : false;
	case E_SYSCALL_TYPE:
		/* libs: every event but internal and meta ones (procexit included) */
		return ev->info && !(ev->info->category & (EC_INTERNAL | EC_METAEVENT | EC_PLUGIN | EC_SCHEDULER)) ?
		       set_str(v, event_name(ev)) : false;
	case E_SOURCE: return set_str(v, "syscall");
	case E_IS_WAIT: return ev->info ? set_num(v, (ev->info->flags & EF_WAITS) != 0) : false;
	case E_INFO: return evt_args(c, v);
	case E_IS_SYSLOG: return set_num(v, is_syslog(c));
	case E_COUNT_ERROR: case E_COUNT_ERROR_FILE: case E_COUNT_ERROR_NET: case E_COUNT_ERROR_MEMORY:
	case E_COUNT_ERROR_OTHER:
		return evt_count_error(c, f->param, v);
	case E_COUNT_EXIT: return ev->info && ev->info->dir == 'X' ? set_num(v, 1) : false;
	case E_HOSTNAME: return set_str(v, c->hostname);
	case E_LATENCY: return set_num(v, 0); /* libs: deprecated, hardcoded 0 (and "0ns") */
	case E_LATENCY_HUMAN: return set_str(v, "0ns");
	case E_PLUGINNAME: case E_PLUGININFO: return false; /* libs: plugin events only */
	/* libs' gen_event: a meta event (EC_METAEVENT) is async; its type is
	 * an asyncevent's name parameter, else the event's name */
	case E_IS_ASYNC: return ev->info ? set_num(v, (ev->info->category & EC_METAEVENT) != 0) : false;
	case E_ASYNCTYPE:
		if (!ev->info || !(ev->info->category & EC_METAEVENT))
			return false;
		if (!strcmp(event_name(ev), "asyncevent")) {
			int i = event_param_index(ev, "name");
			return i >= 0 ? set_str(v, event_param_str(ev, i)) : false;
		}
		return set_str(v, event_name(ev));
	}
	return false;
}

#define EVT(n, t, fl, p, d) { "evt." n, t, fl, d, x_evt, p }

const struct field_def fields_evt[] = {
	EVT("num", FT_UINT, 0, E_NUM, "event number"),
	EVT("time", FT_STRING, 0, E_TIME, "event time as HH:MM:SS.nnnnnnnnn"),
	EVT("time.s", FT_STRING, 0, E_TIME_S, "event time as HH:MM:SS"),
	EVT("time.iso8601", FT_STRING, 0, E_ISO, "event time in ISO 8601 with nanoseconds, UTC"),
	EVT("datetime", FT_STRING, 0, E_DATETIME, "event date and time, local"),
	EVT("datetime.s", FT_STRING, 0, E_DATETIME_S, "event date and time, local, to the second"),
	EVT("rawtime", FT_ABSTIME, 0, E_RAWTIME, "event time in ns since the epoch"),
	EVT("rawtime.s", FT_ABSTIME, 0, E_RAWTIME_S, "whole seconds of evt.rawtime"),
	EVT("rawtime.ns", FT_ABSTIME, 0, E_RAWTIME_NS, "the ns part of evt.rawtime"),
	EVT("reltime", FT_RELTIME, 0, E_RELTIME, "ns since the first event"),
	EVT("reltime.s", FT_RELTIME, 0, E_RELTIME_S, "whole seconds of evt.reltime"),
	EVT("reltime.ns", FT_RELTIME, 0, E_RELTIME_NS, "the ns part of evt.reltime"),
	EVT("deltatime", FT_RELTIME, FF_PER_REF, E_DELTATIME,
	    "ns since the previous event this field was read for (in an output: the previous printed one; 0 the first time)"),
	EVT("deltatime.s", FT_RELTIME, FF_PER_REF, E_DELTATIME_S, "whole seconds of evt.deltatime"),
	EVT("deltatime.ns", FT_STRING, FF_PER_REF, E_DELTATIME_NS, "the ns part of evt.deltatime, 9 digits"),
	EVT("around", FT_UINT, FA_TIME | FA_REQUIRED | FF_FILTER_ONLY, E_AROUND,
	    "filter only: evt.around[T]=D accepts the event when it is at most D ms before or after T, a time in ns "
	    "as %evt.rawtime prints it (evt.around[1404996934793590564]=1000: two seconds of capture); only '='"),
	EVT("outputtime", FT_STRING, 0, E_OUTPUTTIME, "event time as outputs print it (as evt.time)"),
	EVT("type.is", FT_UINT, FA_KEY | FA_REQUIRED, E_TYPE_IS, "1 when the event is of the type given (evt.type.is.open), else 0"),
	EVT("source", FT_STRING, 0, E_SOURCE, "the event source: syscall"),
	EVT("is_wait", FT_BOOL, 0, E_IS_WAIT, "the call makes the thread wait (poll, select, epoll_wait, nanosleep, ...)"),
	EVT("info", FT_STRING, 0, E_INFO, "as evt.args"),
	EVT("is_syslog", FT_BOOL, 0, E_IS_SYSLOG, "a write to /dev/log"),
	EVT("count.error", FT_UINT, 0, E_COUNT_ERROR, "1 for a call that failed"),
	EVT("count.error.file", FT_UINT, 0, E_COUNT_ERROR_FILE, "1 for a file call that failed"),
	EVT("count.error.net", FT_UINT, 0, E_COUNT_ERROR_NET, "1 for a network call that failed"),
	EVT("count.error.memory", FT_UINT, 0, E_COUNT_ERROR_MEMORY, "1 for a memory call that failed"),
	EVT("count.error.other", FT_UINT, 0, E_COUNT_ERROR_OTHER, "1 for any other call that failed"),
	EVT("count.exit", FT_UINT, 0, E_COUNT_EXIT, "1 for an exit event"),
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
	EVT("abspath.src", FT_STRING, 0, E_ABSPATH_SRC, "absolute source path of rename, link and symlink calls"),
	EVT("abspath.dst", FT_STRING, 0, E_ABSPATH_DST, "absolute destination path of rename, link and symlink calls"),
	EVT("hostname", FT_STRING, 0, E_HOSTNAME, "host name"),
	EVT("latency", FT_RELTIME, FF_HIDDEN, E_LATENCY, "deprecated in libs: always 0"),
	EVT("latency.s", FT_RELTIME, FF_HIDDEN, E_LATENCY, "deprecated in libs: always 0"),
	EVT("latency.ns", FT_RELTIME, FF_HIDDEN, E_LATENCY, "deprecated in libs: always 0"),
	EVT("latency.quantized", FT_UINT, FF_HIDDEN, E_LATENCY, "deprecated in libs: always 0"),
	EVT("latency.human", FT_STRING, FF_HIDDEN, E_LATENCY_HUMAN, "deprecated in libs: always 0ns"),
	EVT("wait_latency", FT_RELTIME, FF_HIDDEN, E_LATENCY, "deprecated in libs: always 0"),
	EVT("pluginname", FT_STRING, 0, E_PLUGINNAME, "the plugin of a plugin event; saker loads no plugins, so always <NA>"),
	EVT("plugininfo", FT_STRING, 0, E_PLUGININFO, "a plugin event as its plugin formats it; saker loads no plugins, so always <NA>"),
	EVT("is_async", FT_BOOL, 0, E_IS_ASYNC, "true for an asynchronous (meta) event: container, procinfo, drop, asyncevent, ...; false for a syscall"),
	EVT("asynctype", FT_STRING, 0, E_ASYNCTYPE, "the type of an asynchronous event (an asyncevent's name, else the event's name, e.g. container)"),
	{ NULL, 0, 0, NULL, NULL, 0 },
};

/*
 * fs.path.*: the path a successful filesystem call worked on, as libs
 * picks it per call: name for one-path calls, source and target for
 * rename, link, symlink and mount; the raw forms as given, the others with
 * the cwd prepended when relative (libs ignores the dirfd here).
 */
enum { FS_NAME, FS_NAMERAW, FS_SOURCE, FS_SOURCERAW, FS_TARGET, FS_TARGETRAW };

struct fspath_rule {
	const char *call, *name, *source, *target; /* parameter names; "<fd>": the fd's name */
	bool fd_result;                             /* success is a result >= 0 (opens), else 0 */
};

static const struct fspath_rule fspath_rules[] = {
	{ "mkdir", "path", NULL, NULL, false }, { "mkdirat", "path", NULL, NULL, false },
	{ "rmdir", "path", NULL, NULL, false }, { "unlink", "path", NULL, NULL, false },
	{ "unlinkat", "name", NULL, NULL, false }, { "open", "name", NULL, NULL, true },
	{ "openat", "name", NULL, NULL, true }, { "openat2", "name", NULL, NULL, true },
	{ "fchmodat", "filename", NULL, NULL, false }, { "chmod", "filename", NULL, NULL, false },
	{ "fchmod", "<fd>", NULL, NULL, false }, { "chown", "path", NULL, NULL, false },
	{ "lchown", "path", NULL, NULL, false }, { "fchown", "<fd>", NULL, NULL, false },
	{ "fchownat", "pathname", NULL, NULL, false }, { "quotactl", "special", NULL, NULL, false },
	{ "umount", "name", NULL, NULL, false }, { "umount2", "name", NULL, NULL, false },
	{ "rename", NULL, "oldpath", "newpath", false }, { "renameat", NULL, "oldpath", "newpath", false },
	{ "renameat2", NULL, "oldpath", "newpath", false }, { "link", NULL, "newpath", "oldpath", false },
	{ "linkat", NULL, "newpath", "oldpath", false }, { "symlink", NULL, "linkpath", "target", false },
	{ "symlinkat", NULL, "linkpath", "target", false }, { "mount", NULL, "dev", "dir", false },
	{ NULL, NULL, NULL, NULL, false },
};

/* "/a/./b/../c" as "/a/c", in place. */
static void path_normalize(char *p)
{
	char *out = p, *seg = p;

	while (*seg) {
		char *end = strchr(seg, '/');
		size_t l = end ? (size_t)(end - seg) : strlen(seg);

		if (l == 0 || (l == 1 && seg[0] == '.')) {
			/* nothing */
		} else if (l == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, seg, l);
			out += l;
		}
		seg += l + (end ? 1 : 0);
	}
	if (out == p)
		*out++ = '/';
	*out = 0;
}

static bool x_fspath(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		     struct field_value *v)
{
	const struct event *ev = c->ev;
	const struct fspath_rule *r;
	const char *pname, *path;
	struct fdinfo *fd;
	int64_t res;
	int i;

	(void)arg; (void)idx;
	if (!ev->info || ev->info->dir != 'X' || !event_result(ev, &res))
		return false;
	for (r = fspath_rules; r->call && strcmp(r->call, event_name(ev)); r++)
		;
	if (!r->call || (r->fd_result ? res < 0 : res != 0))
		return false;
	pname = f->param <= FS_NAMERAW ? r->name : f->param <= FS_SOURCERAW ? r->source : r->target;
	if (!pname)
		return false;
	if (!strcmp(pname, "<fd>")) {
		fd = (i = ev_param(ev, "fd")) >= 0 ? state_fd(c->state, ctx_thread(c), event_param_int(ev, i)) : NULL;
		path = fd ? fd->name : NULL;
	} else {
		path = (i = event_param_index(ev, pname)) >= 0 ? event_param_str(ev, i) : NULL;
	}
	if (!path || !*path)
		return false;
	if (f->param == FS_NAMERAW || f->param == FS_SOURCERAW || f->param == FS_TARGETRAW || path[0] == '/')
		snprintf(c->buf, FIELD_BUF_SIZE, "%s", path);
	else if (ctx_proc(c) && ctx_proc(c)->cwd)
		snprintf(c->buf, FIELD_BUF_SIZE, "%s/%s", ctx_proc(c)->cwd, path);
	else
		return false;
	if (f->param != FS_NAMERAW && f->param != FS_SOURCERAW && f->param != FS_TARGETRAW)
		path_normalize(c->buf);
	return set_str(v, c->buf);
}

const struct field_def fields_fspath[] = {
	{ "fs.path.name", FT_STRING, 0, "the path a successful filesystem call worked on, absolute", x_fspath, FS_NAME },
	{ "fs.path.nameraw", FT_STRING, 0, "the path a successful filesystem call worked on, as given", x_fspath, FS_NAMERAW },
	{ "fs.path.source", FT_STRING, 0, "the source path of a rename, link, symlink or mount, absolute", x_fspath, FS_SOURCE },
	{ "fs.path.sourceraw", FT_STRING, 0, "the source path of a rename, link, symlink or mount, as given", x_fspath, FS_SOURCERAW },
	{ "fs.path.target", FT_STRING, 0, "the target path of a rename, link, symlink or mount, absolute", x_fspath, FS_TARGET },
	{ "fs.path.targetraw", FT_STRING, 0, "the target path of a rename, link, symlink or mount, as given", x_fspath, FS_TARGETRAW },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

/* syscall.type: the syscall's name, for syscall events only */
const struct field_def fields_syscall[] = {
	{ "syscall.type", FT_STRING, 0, "name of the system call, for syscall events only", x_evt, E_SYSCALL_TYPE },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
