// SPDX-License-Identifier: Apache-2.0
/*
 * fd.* fields: the fd an event refers to (its result for fd-creating
 * calls, else its fd parameter), looked up once per event in the thread's
 * fd table: type, name, path parts, addresses and ports of sockets.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "fields/extract.h"
#include "fields/resolver.h"
#include "saker_flags.h"


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
		/* socketpair's first fd, pipe's second: libs' add_pipe makes each end the event's fd in turn */
		if ((i = ev->info->kind == SAKER_KIND_PIPE ? ev_param(ev, "fd2") : ev_param(ev, "fd1")) >= 0)
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

/*
 * The fd close was given, negative ones included (close(-1)), as sysdig
 * shows it; other calls' bad fds (mmap's -1) have none, as in sysdig.
 */
static bool given_fd(const struct event *ev, int64_t *fd)
{
	int i;

	if (!ev->info || !(ev->info->flags & EF_DESTROYS_FD) || (i = ev_param(ev, "fd")) < 0)
		return false;
	*fd = event_param_int(ev, i);
	if (*fd == 0xffffffffll) /* a 32-bit -1 widened by old drivers */
		*fd = -1;
	return true;
}

/*
 * fd.num: -1 for the enter of an fd-creating call, as sysdig shows it, and
 * the fd close was given even when it is negative (close(-1) shows -1).
 */
static bool event_fd_num(struct field_ctx *c, struct field_value *v)
{
	const struct event *ev = c->ev;
	int64_t fd = ctx_fdnum(c);

	if (fd >= 0 || (ev->info && (ev->info->flags & EF_CREATES_FD) && ev->info->dir == 'E') || given_fd(ev, &fd))
		return set_num(v, fd);
	return false;
}

struct fdinfo *ctx_fd(struct field_ctx *c)
{
	if (!c->fd_done) {
		int64_t fd = ctx_fdnum(c);

		c->fd = fd >= 0 ? state_fd(c->state, ctx_thread(c), fd) : NULL;
		c->fd_done = true;
	}
	return c->fd;
}

enum { F_NUM, F_TYPE, F_TYPECHAR, F_NAME, F_DIRECTORY, F_FILENAME, F_IP, F_CIP, F_SIP, F_LIP, F_RIP,
	F_PORT, F_CPORT, F_SPORT, F_LPORT, F_RPORT, F_L4PROTO, F_SOCKFAMILY, F_IS_SERVER, F_NET,
	F_CNET, F_SNET, F_LNET, F_RNET, F_CONNECTED, F_NAME_CHANGED, F_DEV, F_DEV_MAJOR, F_DEV_MINOR, F_INO,
	F_NAMERAW, F_TYPES, F_UID, F_PROTO, F_CPROTO, F_SPROTO, F_LPROTO, F_RPROTO, F_CIP_NAME, F_SIP_NAME,
	F_LIP_NAME, F_RIP_NAME, F_CONTAINERNAME, F_CONTAINERDIR, F_UPPER_LAYER, F_LOWER_LAYER };

/* An end of a socket, as libs picks it: the client, the server, the local or the remote one. */
enum end { END_CLIENT, END_SERVER, END_LOCAL, END_REMOTE };

static bool fd_is_inet(const struct fdinfo *fd)
{
	return fd->type == FDT_IPV4_SOCK || fd->type == FDT_IPV6_SOCK || fd->type == FDT_IPV4_SERVSOCK ||
	       fd->type == FDT_IPV6_SERVSOCK;
}

static bool fd_is_servsock(const struct fdinfo *fd)
{
	return fd->type == FDT_IPV4_SERVSOCK || fd->type == FDT_IPV6_SERVSOCK;
}

static int fd_af(const struct fdinfo *fd)
{
	return (fd->type == FDT_IPV6_SOCK || fd->type == FDT_IPV6_SERVSOCK) ? AF_INET6 : AF_INET;
}

/*
 * The address and port of one end of an IP socket, false when it has none:
 * a socket neither connected nor serving (role none in libs) has no ends,
 * a listening socket only its server end. The local end is the client
 * unless this side accepted or listens.
 */
static bool fd_end(const struct fdinfo *fd, enum end e, const uint8_t **ip, uint16_t *port)
{
	bool client;

	if (!fd_is_inet(fd))
		return false;
	if (fd_is_servsock(fd)) {
		if (e != END_SERVER)
			return false;
		*ip = fd->dip;
		*port = fd->dport;
		return true;
	}
	if (!fd->connected && !fd->is_server)
		return false;
	client = e == END_CLIENT || (e == END_LOCAL && !fd->is_server) || (e == END_REMOTE && fd->is_server);
	*ip = client ? fd->sip : fd->dip;
	*port = client ? fd->sport : fd->dport;
	return true;
}

static bool fd_end_ip(struct field_ctx *c, const struct fdinfo *fd, enum end e, struct field_value *v)
{
	const uint8_t *ip;
	uint16_t port;

	if (!fd_end(fd, e, &ip, &port) || !inet_ntop(fd_af(fd), ip, c->buf, 64))
		return false;
	return set_str(v, c->buf);
}

static bool fd_end_port(const struct fdinfo *fd, enum end e, struct field_value *v)
{
	const uint8_t *ip;
	uint16_t port;

	return fd_end(fd, e, &ip, &port) ? set_num(v, port) : false;
}

/* fd.*proto: the end's port as text, as libs gives it without port-name resolution (Falco's default). */
static bool fd_end_proto(struct field_ctx *c, const struct fdinfo *fd, enum end e, struct field_value *v)
{
	const uint8_t *ip;
	uint16_t port;

	if (!fd_end(fd, e, &ip, &port) || fd_is_servsock(fd))
		return false;
	snprintf(c->buf, 16, "%u", port);
	return set_str(v, c->buf);
}

/* fd.*ip.name: the watched names the end's address resolved to (resolver.h). */
static bool fd_end_names(const struct fdinfo *fd, enum end e, struct field_value *v)
{
	const uint8_t *ip;
	uint16_t port;

	if (!fd_end(fd, e, &ip, &port) || fd_is_servsock(fd))
		return false;
	v->count = resolver_names_of(fd_af(fd), ip, v->s, FIELD_MAX_VALUES);
	for (uint32_t i = 0; i < v->count; i++)
		v->len[i] = strlen(v->s[i]);
	return v->count > 0;
}

/* fd.types: the distinct types of the process's open fds; fd.types[N] the type of fd N. */
struct types_visit {
	struct field_value *v;
};

static void types_visit(void *ctx, struct fdinfo *f)
{
	struct field_value *v = ((struct types_visit *)ctx)->v;
	const char *t = fd_type_name(f->type);

	for (uint32_t i = 0; i < v->count; i++)
		if (v->s[i] == t)
			return;
	if (v->count < FIELD_MAX_VALUES) {
		v->s[v->count] = t;
		v->len[v->count++] = strlen(t);
	}
}

static bool fd_types(struct field_ctx *c, int64_t idx, struct field_value *v)
{
	struct thread *t = ctx_thread(c);
	struct fdinfo *f;

	if (!t || !t->proc || !c->ev->info || !(c->ev->info->flags & (EF_CREATES_FD | EF_USES_FD | EF_DESTROYS_FD)))
		return false; /* libs: only events about an fd */
	if (idx >= 0)
		return (f = state_fd(c->state, t, idx)) ? set_str(v, fd_type_name(f->type)) : false;
	v->count = 0;
	fdtable_foreach(t->proc->fds, types_visit, &(struct types_visit){ v });
	return v->count > 0;
}

/* fd.directory, fd.filename: the parts of a file fd's path. */
static bool fd_path_part(struct field_ctx *c, const struct fdinfo *fd, int which, struct field_value *v)
{
	const char *slash;
	size_t n;

	if (fd->type != FDT_FILE && fd->type != FDT_DIRECTORY && fd->type != FDT_MEMFD)
		return false;
	slash = memrchr(fd->name, '/', fd->name_len);
	if (!slash)
		return false;
	if (which == F_FILENAME)
		return set_strn(v, slash + 1, fd->name_len - (size_t)(slash + 1 - fd->name));
	n = slash == fd->name ? 1 : (size_t)(slash - fd->name);
	if (n >= FIELD_BUF_SIZE)
		n = FIELD_BUF_SIZE - 1;
	memcpy(c->buf, fd->name, n);
	c->buf[n] = 0;
	return set_strn(v, c->buf, n);
}

/* fd.ip, fd.net: both ends' addresses, client first (a listening socket: its own). */
static bool fd_both_ips(struct field_ctx *c, const struct fdinfo *fd, struct field_value *v)
{
	const uint8_t *ip;
	uint16_t port;

	v->count = 0;
	for (int k = 0; k < 2; k++)
		if (fd_end(fd, k ? END_SERVER : END_CLIENT, &ip, &port) && inet_ntop(fd_af(fd), ip, c->buf + k * 64, 64)) {
			v->s[v->count] = c->buf + k * 64;
			v->len[v->count] = strlen(c->buf + k * 64);
			v->count++;
		}
	return v->count > 0;
}

/* fd.port, fd.proto: both ends' ports, client first (a listening socket: its own). */
static bool fd_both_ports(const struct fdinfo *fd, struct field_value *v)
{
	const uint8_t *ip;
	uint16_t port;

	v->count = 0;
	for (int k = 0; k < 2; k++)
		if (fd_end(fd, k ? END_SERVER : END_CLIENT, &ip, &port)) {
			v->s[v->count] = NULL;
			v->n[v->count++] = port;
		}
	return v->count > 0;
}

/* fd.uid: the tid and the event's fd number chained (-1 when it has none), as libs, for fd events only. */
static bool fd_uid(struct field_ctx *c, struct field_value *v)
{
	const struct event_info *info = c->ev->info;

	if (!ctx_thread(c) || !info || !(info->flags & (EF_CREATES_FD | EF_USES_FD | EF_DESTROYS_FD)))
		return false;
	snprintf(c->buf, 48, "%lld%lld", (long long)c->ev->tid, (long long)ctx_fdnum(c));
	return set_str(v, c->buf);
}

/* fd.containername, fd.containerdirectory: the process's container id, ':', the name or its directory. */
static bool fd_container_name(struct field_ctx *c, const struct fdinfo *fd, int which, struct field_value *v)
{
	struct proc *p = ctx_proc(c);
	struct field_value d = { .type = FT_STRING };
	char dir[FIELD_BUF_SIZE];

	if (!p)
		return false;
	if (which == F_CONTAINERDIR) {
		if (!fd_path_part(c, fd, F_DIRECTORY, &d))
			return false;
		snprintf(dir, sizeof(dir), "%s", d.s[0]);
	}
	/* a host process has no container id here, as in libs */
	snprintf(c->buf, FIELD_BUF_SIZE, "%s:%s", strcmp(p->container_id, "host") ? p->container_id : "", which == F_CONTAINERDIR ? dir : fd->name);
	return set_str(v, c->buf);
}

static bool x_fd(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		 struct field_value *v)
{
	struct fdinfo *fd;

	if (f->param == F_NUM)
		return event_fd_num(c, v);
	if (f->param == F_TYPES)
		return fd_types(c, idx, v);
	if (f->param == F_UID)
		return fd_uid(c, v);
	fd = ctx_fd(c);
	if (!fd) { /* an fd the event uses but state never saw (or a bad one): named "", as sysdig does */
		int64_t given;
		static char none[] = "", root[] = "/";

		if (c->ev->info->dir != 'X' || (ctx_fdnum(c) < 0 && !given_fd(c->ev, &given)))
			return false;
		if (f->param == F_CONTAINERNAME)
			return fd_container_name(c, &(struct fdinfo){ .name = none }, f->param, v);
		if (f->param == F_CONTAINERDIR) /* libs: the directory of no name is "/" */
			return fd_container_name(c, &(struct fdinfo){ .type = FDT_FILE, .name = root, .name_len = 1 }, f->param, v);
		return f->param == F_NAME || f->param == F_NAMERAW ? set_str(v, "") : false;
	}
	switch (f->param) {
	case F_TYPE: return set_str(v, fd_type_name(fd->type));
	case F_TYPECHAR: return set_strn(v, fd_type_char(fd->type), 1); /* always one character */
	case F_NAME: return fd->name ? set_strn(v, fd->name, fd->name_len) : false;
	case F_NAMERAW: return set_str(v, fd->nameraw ? fd->nameraw : "");
	case F_DIRECTORY:
	case F_FILENAME: return fd_path_part(c, fd, f->param, v);
	case F_IP:
	case F_NET: return fd_both_ips(c, fd, v);
	case F_CIP: case F_CNET: return fd_end_ip(c, fd, END_CLIENT, v);
	case F_SIP: case F_SNET: return fd_end_ip(c, fd, END_SERVER, v);
	case F_LIP: case F_LNET: return fd_end_ip(c, fd, END_LOCAL, v);
	case F_RIP: case F_RNET: return fd_end_ip(c, fd, END_REMOTE, v);
	case F_PORT: case F_PROTO: return fd_both_ports(fd, v);
	case F_CPORT: return fd_end_port(fd, END_CLIENT, v);
	case F_SPORT: return fd_end_port(fd, END_SERVER, v);
	case F_LPORT: return fd_end_port(fd, END_LOCAL, v);
	case F_RPORT: return fd_end_port(fd, END_REMOTE, v);
	case F_CPROTO: return fd_end_proto(c, fd, END_CLIENT, v);
	case F_SPROTO: return fd_end_proto(c, fd, END_SERVER, v);
	case F_LPROTO: return fd_end_proto(c, fd, END_LOCAL, v);
	case F_RPROTO: return fd_end_proto(c, fd, END_REMOTE, v);
	case F_CIP_NAME: return fd_end_names(fd, END_CLIENT, v);
	case F_SIP_NAME: return fd_end_names(fd, END_SERVER, v);
	case F_LIP_NAME: return fd_end_names(fd, END_LOCAL, v);
	case F_RIP_NAME: return fd_end_names(fd, END_REMOTE, v);
	case F_L4PROTO:
		return set_str(v, fd->l4proto == 6 ? "tcp" : fd->l4proto == 17 ? "udp" :
				  fd->l4proto == 1 ? "icmp" : fd->l4proto == 255 ? "raw" : "<NA>"); /* libs' text */
	case F_SOCKFAMILY:
		if (fd_is_inet(fd))
			return set_str(v, "ip");
		return fd->type == FDT_UNIX_SOCK ? set_str(v, "unix") : false;
	case F_IS_SERVER: return set_num(v, fd->is_server);
	case F_CONNECTED: return set_num(v, fd->connected);
	case F_NAME_CHANGED: return set_num(v, fd->name_evt && fd->name_evt == c->ev->num);
	case F_DEV: return set_num(v, fd->dev);
	/* the kernel's new_encode_dev layout, as the drivers send it */
	case F_DEV_MAJOR: return set_num(v, (fd->dev & 0xfff00) >> 8);
	case F_DEV_MINOR: return set_num(v, (fd->dev & 0xff) | ((fd->dev >> 12) & 0xfff00));
	case F_CONTAINERNAME: case F_CONTAINERDIR: return fd_container_name(c, fd, f->param, v);
	case F_INO: return set_num(v, fd->ino);
	case F_UPPER_LAYER: return set_num(v, (fd->open_flags & SAKER_FD_UPPER_LAYER) != 0);
	case F_LOWER_LAYER: return set_num(v, (fd->open_flags & SAKER_FD_LOWER_LAYER) != 0);
	}
	return false;
}


/*
 * fdlist.*: the fds of a poll/ppoll call (its fds parameter: a count, then
 * a 64-bit fd and 16-bit flags each), comma separated as libs'
 * sinsp_filter_check_fdlist::extract gives them: every fd's number; every
 * fd's name, <NA> for an fd the thread does not have or one without a name;
 * the addresses and ports of IP sockets only, the tuple's ends whether
 * connected or not (0.0.0.0 before), and for fdlist.sips a listening
 * socket's address too (an IPv6 one printed as IPv4 from its first four
 * bytes, as libs does).
 */
enum { FL_NUMS, FL_NAMES, FL_CIPS, FL_SIPS, FL_CPORTS, FL_SPORTS };

/* One fd's entry of a fdlist.* field in buf (empty: none, no comma). */
static void fdlist_entry(const struct fdinfo *fi, int64_t fd, int what, char *buf, size_t n)
{
	bool serv = fi && fd_is_servsock(fi), inet = fi && fd_is_inet(fi);
	bool client = what == FL_CIPS || what == FL_CPORTS;

	buf[0] = 0;
	if (what == FL_NUMS)
		snprintf(buf, n, "%lld", (long long)fd);
	else if (what == FL_NAMES)
		snprintf(buf, n, "%s", fi && fi->name && *fi->name ? fi->name : "<NA>");
	else if (!inet || (serv && what != FL_SIPS))
		return;
	else if (serv)
		inet_ntop(AF_INET, fi->dip, buf, n);
	else if (what == FL_CIPS || what == FL_SIPS)
		inet_ntop(fd_af(fi), client ? fi->sip : fi->dip, buf, n);
	else
		snprintf(buf, n, "%u", client ? fi->sport : fi->dport);
}

static bool x_fdlist(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		     struct field_value *v)
{
	uint32_t len;
	/* the index may name the enter event's parameter (EVENT_ENTER_BASE + j): read it through event_param_bytes */
	const uint8_t *p = event_param_bytes(c->ev, ev_param(c->ev, "fds"), &len);
	uint16_t n;
	size_t o = 0;

	(void)arg; (void)idx;
	if (!p || len < 2 || !ctx_thread(c))
		return false;
	memcpy(&n, p, 2);
	c->buf[0] = 0;
	for (uint32_t k = 0; k < n && 2 + (k + 1) * 10u <= len; k++) {
		char a[4200];
		int64_t fd;

		memcpy(&fd, p + 2 + k * 10, 8);
		fdlist_entry(state_fd(c->state, ctx_thread(c), fd), fd, f->param, a, sizeof(a));
		if (a[0] && o + strlen(a) + 2 < FIELD_BUF_SIZE)
			o += snprintf(c->buf + o, FIELD_BUF_SIZE - o, "%s%s", o ? "," : "", a);
	}
	return o ? set_str(v, c->buf) : false;
}

const struct field_def fields_fdlist[] = {
	{ "fdlist.nums", FT_STRING, 0, "the fd numbers of a poll or ppoll call, comma separated (at most 16 fds live, as Falco's probes)", x_fdlist, FL_NUMS },
	{ "fdlist.names", FT_STRING, 0, "the fd names of a poll or ppoll call, comma separated (<NA> for an unknown or unnamed fd)", x_fdlist, FL_NAMES },
	{ "fdlist.cips", FT_STRING, 0, "client addresses of the IP sockets of a poll or ppoll call, comma separated", x_fdlist, FL_CIPS },
	{ "fdlist.sips", FT_STRING, 0, "server addresses of the IP sockets (listening ones included) of a poll or ppoll call, comma separated", x_fdlist, FL_SIPS },
	{ "fdlist.cports", FT_STRING, 0, "client ports of the IP sockets of a poll or ppoll call, comma separated", x_fdlist, FL_CPORTS },
	{ "fdlist.sports", FT_STRING, 0, "server ports of the IP sockets of a poll or ppoll call, comma separated", x_fdlist, FL_SPORTS },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

const struct field_def fields_fd[] = {
	{ "fd.num", FT_INT, 0, "fd number of the event", x_fd, F_NUM },
	{ "fd.type", FT_STRING, 0, "fd type: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, memfd, pidfd, bpf, userfaultfd, io_uring", x_fd, F_TYPE },
	{ "fd.typechar", FT_STRING, 0, "fd type as one character (f, d, 4, 6, u, p, ...)", x_fd, F_TYPECHAR },
	{ "fd.name", FT_STRING, 0, "file path, or connection tuple", x_fd, F_NAME },
	{ "fd.nameraw", FT_STRING, 0, "an opened file's path as the open gave it (not made absolute, runs of / made one); empty for other fds, as libs", x_fd, F_NAMERAW },
	{ "fd.directory", FT_STRING, 0, "directory of a file fd", x_fd, F_DIRECTORY },
	{ "fd.filename", FT_STRING, 0, "file name without its directory", x_fd, F_FILENAME },
	{ "fd.ip", FT_IPADDR, FF_MULTI, "client or server address", x_fd, F_IP },
	{ "fd.cip", FT_IPADDR, 0, "client address", x_fd, F_CIP },
	{ "fd.sip", FT_IPADDR, 0, "server address", x_fd, F_SIP },
	{ "fd.cip.name", FT_STRING, FF_MULTI | FF_RESOLVES, "client address's domain name: a name rules compare it with that resolved to the address (resolved in the background)", x_fd, F_CIP_NAME },
	{ "fd.sip.name", FT_STRING, FF_MULTI | FF_RESOLVES, "server address's domain name, as fd.cip.name", x_fd, F_SIP_NAME },
	{ "fd.lip.name", FT_STRING, FF_MULTI | FF_RESOLVES, "local address's domain name, as fd.cip.name", x_fd, F_LIP_NAME },
	{ "fd.rip.name", FT_STRING, FF_MULTI | FF_RESOLVES, "remote address's domain name, as fd.cip.name", x_fd, F_RIP_NAME },
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
	{ "fd.lnet", FT_IPNET, 0, "local address, compared against a network", x_fd, F_LNET },
	{ "fd.rnet", FT_IPNET, 0, "remote address, compared against a network", x_fd, F_RNET },
	{ "fd.proto", FT_PORT, FF_MULTI, "client or server port (libs' protocol without port names)", x_fd, F_PROTO },
	{ "fd.cproto", FT_STRING, 0, "client port as text (Falco does not name ports)", x_fd, F_CPROTO },
	{ "fd.sproto", FT_STRING, 0, "server port as text", x_fd, F_SPROTO },
	{ "fd.lproto", FT_STRING, 0, "local port as text", x_fd, F_LPROTO },
	{ "fd.rproto", FT_STRING, 0, "remote port as text", x_fd, F_RPROTO },
	{ "fd.uid", FT_STRING, 0, "the thread id and the fd number chained, unique per fd", x_fd, F_UID },
	{ "fd.containername", FT_STRING, 0, "the container id, ':', the fd name", x_fd, F_CONTAINERNAME },
	{ "fd.containerdirectory", FT_STRING, 0, "the container id, ':', the fd's directory", x_fd, F_CONTAINERDIR },
	{ "fd.connected", FT_BOOL, 0, "the socket is connected", x_fd, F_CONNECTED },
	{ "fd.name_changed", FT_BOOL, 0, "the fd name changed in this event", x_fd, F_NAME_CHANGED },
	{ "fd.dev", FT_UINT, 0, "device number of the file", x_fd, F_DEV },
	{ "fd.dev.major", FT_UINT, 0, "major device number of the file", x_fd, F_DEV_MAJOR },
	{ "fd.dev.minor", FT_UINT, 0, "minor device number of the file", x_fd, F_DEV_MINOR },
	{ "fd.ino", FT_UINT, 0, "inode number of the file", x_fd, F_INO },
	{ "fd.is_upper_layer", FT_BOOL, 0, "the file is in an overlayfs upper layer (written or copied up in the container), from its open", x_fd, F_UPPER_LAYER },
	{ "fd.is_lower_layer", FT_BOOL, 0, "the file is in an overlayfs lower layer (from the image), from its open", x_fd, F_LOWER_LAYER },
	{ "fd.types", FT_STRING, FA_INDEX | FF_MULTI | FF_LIST, "the distinct types of the process's open fds, as a list; fd.types[N] the type of fd N, a list of one", x_fd, F_TYPES },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
