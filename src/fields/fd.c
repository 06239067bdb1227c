// SPDX-License-Identifier: Apache-2.0
/*
 * fd.* fields: the fd an event refers to (its result for fd-creating
 * calls, else its fd parameter), looked up once per event in the thread's
 * fd table: type, name, path parts, addresses and ports of sockets.
 */
#include <arpa/inet.h>
#include <string.h>

#include "fields/extract.h"


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

static struct fdinfo *ctx_fd(struct field_ctx *c)
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

/* fd.directory, fd.filename: the parts of a file fd's path. */
static bool fd_path_part(struct field_ctx *c, const struct fdinfo *fd, int which, struct field_value *v)
{
	const char *slash;
	size_t n;

	if (fd->type != FDT_FILE && fd->type != FDT_DIRECTORY && fd->type != FDT_MEMFD)
		return false;
	slash = strrchr(fd->name, '/');
	if (!slash)
		return false;
	if (which == F_FILENAME)
		return set_str(v, slash + 1);
	n = slash == fd->name ? 1 : (size_t)(slash - fd->name);
	if (n >= FIELD_BUF_SIZE)
		n = FIELD_BUF_SIZE - 1;
	memcpy(c->buf, fd->name, n);
	c->buf[n] = 0;
	return set_str(v, c->buf);
}

/* fd.ip, fd.net: both ends' addresses, client first. */
static bool fd_both_ips(struct field_ctx *c, const struct fdinfo *fd, struct field_value *v)
{
	int af = (fd->type == FDT_IPV6_SOCK || fd->type == FDT_IPV6_SERVSOCK) ? AF_INET6 : AF_INET;

	if (!fd_is_inet(fd))
		return false;
	v->count = 0;
	for (int k = 0; k < 2; k++)
		if (inet_ntop(af, k ? fd->dip : fd->sip, c->buf + k * 64, 64)) {
			v->s[v->count] = c->buf + k * 64;
			v->len[v->count] = strlen(c->buf + k * 64);
			v->count++;
		}
	return v->count > 0;
}

/* fd.port: both ends' ports, client first. */
static bool fd_both_ports(const struct fdinfo *fd, struct field_value *v)
{
	if (!fd_is_inet(fd))
		return false;
	v->count = 2;
	v->s[0] = v->s[1] = NULL;
	v->n[0] = fd->sport;
	v->n[1] = fd->dport;
	return true;
}

static bool x_fd(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		 struct field_value *v)
{
	struct fdinfo *fd;
	bool local_is_client;

	if (f->param == F_NUM)
		return event_fd_num(c, v);
	fd = ctx_fd(c);
	if (!fd) { /* an fd the event uses but state never saw (or a bad one): named "", as sysdig does */
		int64_t given;

		return (f->param == F_NAME || f->param == F_NAMERAW) && c->ev->info->dir == 'X' &&
		       (ctx_fdnum(c) >= 0 || given_fd(c->ev, &given)) ? set_str(v, "") : false;
	}
	/* the local end is the client unless this side accepted or listens */
	local_is_client = !fd->is_server;
	switch (f->param) {
	case F_TYPE:
	case F_TYPES: return set_str(v, fd_type_name(fd->type));
	case F_TYPECHAR: return set_str(v, fd_type_char(fd->type));
	case F_NAME:
	case F_NAMERAW: return set_str(v, fd->name);
	case F_DIRECTORY:
	case F_FILENAME: return fd_path_part(c, fd, f->param, v);
	case F_IP:
	case F_NET: return fd_both_ips(c, fd, v);
	case F_CIP:
	case F_CNET: return fd_ip(c, fd, fd->sip, v);
	case F_SIP:
	case F_SNET:
	case F_SIP_NAME: return fd_ip(c, fd, fd->dip, v);
	case F_LIP: return fd_ip(c, fd, local_is_client ? fd->sip : fd->dip, v);
	case F_RIP: return fd_ip(c, fd, local_is_client ? fd->dip : fd->sip, v);
	case F_PORT: return fd_both_ports(fd, v);
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


const struct field_def fields_fd[] = {
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
