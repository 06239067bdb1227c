// SPDX-License-Identifier: Apache-2.0
/*
 * State updates from events: what each kind of event (the kind column of
 * the event table) does to threads, processes and fd tables. Parameters are
 * found by name, so every version of an event (live or from an old capture)
 * updates state the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/print.h"
#include "saker_flags.h"
#include "state/state_internal.h"

size_t path_plain_len(const char *path)
{
	size_t i = 1;

	if (path[0] != '/')
		return 0;
	while (path[i] && !(path[i - 1] == '/' && (path[i] == '.' || path[i] == '/')))
		i++;
	return !path[i] && path[i - 1] != '/' ? i : 0;
}

/* Join base and rel, then fold "." and ".." the way the kernel resolves them. */
char *path_resolve(const char *base, const char *rel)
{
	size_t cap, len = 0, plain = path_plain_len(rel);
	char *out, *tmp;
	char *save = NULL, *tok;

	if (plain) /* an absolute path with nothing to fold (no "/.", no "//", no trailing '/') */
		return (out = malloc(plain + 1)) ? memcpy(out, rel, plain + 1) : NULL;
	cap = strlen(base ? base : "") + strlen(rel) + 3;
	if (!(out = malloc(cap)))
		return NULL;
	if (rel[0] == '/' || !base || !*base)
		tmp = strdup(rel);
	else {
		tmp = malloc(cap);
		if (tmp)
			snprintf(tmp, cap, "%s/%s", base, rel);
	}
	if (!tmp) {
		free(out);
		return NULL;
	}
	out[0] = 0;
	for (tok = strtok_r(tmp, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			out[len] = 0;
			continue;
		}
		len += snprintf(out + len, cap - len, "/%s", tok);
	}
	if (len == 0)
		strcpy(out, "/");
	free(tmp);
	return out;
}

static inline const char *param_str_k(const struct event *ev, struct param_key *k)
{
	return event_param_str(ev, event_param_key_index(ev, k));
}

static inline int64_t param_int_k(const struct event *ev, struct param_key *k, int64_t dflt)
{
	int i = event_param_key_index(ev, k);

	return i >= 0 && event_param_present(ev, i) ? event_param_int(ev, i) : dflt;
}

/* parameters by name: each call site keeps its own per-type index table */
#define param_str(ev, name) param_str_k(ev, PARAM_KEY(name))
#define param_int(ev, name, dflt) param_int_k(ev, PARAM_KEY(name), dflt)

/* Directory a relative path of this event is resolved against. */
static const char *dirfd_base(struct state *s, struct thread *t, int64_t dirfd)
{
	struct fdinfo *f;

	if (dirfd == SAKER_AT_FDCWD || dirfd == INT64_MIN)
		return t->proc->cwd;
	f = state_fd(s, t, dirfd);
	return f ? f->name : NULL;
}

static void on_open(struct state *s, struct thread *t, const struct event *ev, int64_t fd)
{
	const char *name = param_str(ev, "name");
	int64_t dirfd = param_int(ev, "dirfd", SAKER_AT_FDCWD);
	uint32_t flags = param_int(ev, "flags", 0);
	uint8_t type = (flags & SAKER_O_DIRECTORY) ? FDT_DIRECTORY : FDT_FILE;
	struct fdinfo *f;
	size_t len;

	if (fd < 0)
		return;
	if (!*name)
		name = param_str(ev, "path");
	/* a plain absolute path is copied into a recycled entry's buffer: no allocation */
	if ((len = path_plain_len(name)))
		f = state_add_fd_name(s, t, fd, type, name, len);
	else
		f = state_add_fd(s, t, fd, type,
				 name[0] == '/' ? path_resolve(NULL, name) : path_resolve(dirfd_base(s, t, dirfd), name));
	if (!f)
		return;
	f->open_flags = flags;
	fdinfo_set_nameraw(f, name, len ? len : strlen(name), len > 0); /* a plain path has no "//" */
	if (ev->info->kind == SAKER_KIND_CREAT) { /* creat sends its layer in creat_flags, as libs reads it */
		uint32_t cf = param_int(ev, "creat_flags", 0);

		f->open_flags |= (cf & SAKER_FD_UPPER_LAYER_CREAT) ? SAKER_FD_UPPER_LAYER :
				 (cf & SAKER_FD_LOWER_LAYER_CREAT) ? SAKER_FD_LOWER_LAYER : 0;
	}
	f->dev = param_int(ev, "dev", 0);
	f->ino = param_int(ev, "ino", 0);
}

struct cloexec {
	struct state *s;
	struct fdtable *fds;
};

static void drop_cloexec(void *arg, struct fdinfo *f)
{
	struct cloexec *c = arg;

	if (f->open_flags & SAKER_O_CLOEXEC)
		fdtable_remove(c->s, c->fds, f->fd);
}

/* vm sizes, page faults and the fd limit where an exit event carries them (exec, clone, brk, mmap, munmap). */
static void proc_take_counters(struct proc *p, const struct event *ev)
{
	p->vmsize_kb = param_int(ev, "vm_size", p->vmsize_kb);
	p->vmrss_kb = param_int(ev, "vm_rss", p->vmrss_kb);
	p->vmswap_kb = param_int(ev, "vm_swap", p->vmswap_kb);
	p->pfmajor = param_int(ev, "pgft_maj", p->pfmajor);
	p->pfminor = param_int(ev, "pgft_min", p->pfminor);
	p->fdlimit = param_int(ev, "fdlimit", p->fdlimit);
}

static void on_exec(struct state *s, struct thread *t, const struct event *ev)
{
	struct proc *p = t->proc;
	int i = event_param_key_index(ev, PARAM_KEY("args"));
	const char *cwd = param_str(ev, "cwd");
	const char *comm = param_str(ev, "comm");
	const char *trusted = param_str(ev, "trusted_exepath");
	const char *filename = param_str(ev, "filename");
	const char *exe = param_str(ev, "exe");
	const uint8_t *b;
	uint32_t uid, blen;

	str_set(&p->exe, exe);
	b = event_param_bytes(ev, i, &blen);
	proc_set_blob(&p->args, &p->args_len, (const char *)b, blen);
	if ((i = event_param_key_index(ev, PARAM_KEY("env"))) >= 0 && event_param_present(ev, i)) {
		b = event_param_bytes(ev, i, &blen);
		proc_set_blob(&p->env, &p->env_len, (const char *)b, blen);
	}
	if ((i = event_param_key_index(ev, PARAM_KEY("cgroups"))) >= 0 && event_param_present(ev, i)) {
		b = event_param_bytes(ev, i, &blen);
		proc_set_cgroups(p, (const char *)b, blen);
		containers_note(s, p);
	}
	if (*cwd)
		str_set(&p->cwd, cwd);
	snprintf(p->comm, sizeof(p->comm), "%s", *comm ? comm : exe);
	t->comm[0] = 0; /* the one thread left after exec names the process */
	free(p->exepath);
	if (*trusted)
		p->exepath = strdup(trusted);
	else if (*filename)
		p->exepath = filename[0] == '/' ? strdup(filename) : path_resolve(p->cwd, filename);
	else
		p->exepath = strdup(""); /* as libs: no trusted path, no filename (old captures) */
	p->pid = param_int(ev, "pid", p->pid);
	if (param_int(ev, "ptid", 0) > 0)
		t->ptid = param_int(ev, "ptid", 0);
	p->tty = param_int(ev, "tty", p->tty);
	p->loginuid = param_int(ev, "loginuid", p->loginuid);
	/* exec changes the effective uid only through a setuid file */
	uid = param_int(ev, "uid", p->uid);
	p->exe_setuid = p->uid != UINT32_MAX && uid != UINT32_MAX && uid != p->uid;
	p->uid = uid;
	p->gid = param_int(ev, "gid", p->gid);
	p->exe_flags = param_int(ev, "flags", 0);
	p->cap_inheritable = param_int(ev, "cap_inheritable", p->cap_inheritable);
	p->cap_permitted = param_int(ev, "cap_permitted", p->cap_permitted);
	p->cap_effective = param_int(ev, "cap_effective", p->cap_effective);
	p->exe_ino = param_int(ev, "exe_ino", 0);
	p->exe_ino_ctime = param_int(ev, "exe_ino_ctime", 0);
	p->exe_ino_mtime = param_int(ev, "exe_ino_mtime", 0);
	p->vpgid = param_int(ev, "vpgid", p->vpgid);
	p->pgid = param_int(ev, "pgid", p->pgid);
	p->start_ts = ev->ts;
	proc_take_counters(p, ev);
	/* close-on-exec fds are gone in the new image */
	fdtable_foreach(p->fds, drop_cloexec, &(struct cloexec){ s, p->fds });
}

static void fill_proc_from_clone(struct proc *p, const struct event *ev)
{
	const char *comm = param_str(ev, "comm");
	int i = event_param_key_index(ev, PARAM_KEY("cgroups"));

	if (*comm)
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
	if (i >= 0 && event_param_present(ev, i)) {
		uint32_t blen;
		const uint8_t *b = event_param_bytes(ev, i, &blen);

		proc_set_cgroups(p, (const char *)b, blen);
	}
	if (!p->exe && *param_str(ev, "exe"))
		p->exe = strdup(param_str(ev, "exe"));
	if (*param_str(ev, "cwd"))
		str_set(&p->cwd, param_str(ev, "cwd"));
	p->uid = param_int(ev, "uid", p->uid);
	p->gid = param_int(ev, "gid", p->gid);
	proc_take_counters(p, ev);
}

/* The child of a clone: from its own event (res 0) or the parent's (res > 0). */
static void on_clone(struct state *s, const struct event *ev, int64_t res)
{
	uint32_t flags = param_int(ev, "flags", 0);
	int64_t child = res == 0 ? (int64_t)ev->tid : res;
	int64_t ptid = res == 0 ? param_int(ev, "ptid", 0) : (int64_t)ev->tid;
	int64_t pid = res == 0 ? param_int(ev, "pid", child) : ((flags & SAKER_CLONE_THREAD) ? param_int(ev, "pid", 0) : child);
	struct thread *parent = state_thread(s, ptid);
	struct thread *t = state_thread(s, child);
	struct proc *p;

	if (t && !t->exited && res > 0)
		return; /* the child already reported itself */
	if (res == 0 && (flags & SAKER_CLONE_THREAD)) {
		struct thread *leader = state_thread(s, pid);

		parent = leader ? leader : parent;
	}
	if ((flags & SAKER_CLONE_THREAD) && parent && parent->proc) {
		p = parent->proc;
		p->refs++;
	} else {
		p = proc_fork(s, parent ? parent->proc : NULL, flags & SAKER_CLONE_FILES);
		if (!p)
			return;
		p->pid = pid;
		p->vpid = param_int(ev, "vpid", pid);
		p->start_ts = p->clone_ts = ev->ts;
		if (res == 0)
			fill_proc_from_clone(p, ev);
		containers_note(s, p);
	}
	t = thread_insert(s, child, p);
	if (!t)
		return;
	t->ptid = (flags & SAKER_CLONE_THREAD) && parent ? parent->ptid : ptid;
	if (flags & SAKER_CLONE_THREAD)
		t->ptid = ptid;
	t->vtid = res == 0 ? param_int(ev, "vtid", child) : child;
	t->last_ts = ev->ts;
	if ((flags & SAKER_CLONE_THREAD) && res == 0 && *param_str(ev, "comm") && strcmp(param_str(ev, "comm"), p->comm))
		snprintf(t->comm, sizeof(t->comm), "%s", param_str(ev, "comm"));
}

static uint8_t socket_type(int64_t domain)
{
	switch (domain) {
	case SAKER_AF_INET: return FDT_IPV4_SOCK;
	case SAKER_AF_INET6: return FDT_IPV6_SOCK;
	case SAKER_AF_LOCAL: return FDT_UNIX_SOCK;
	case SAKER_AF_NETLINK: return FDT_NETLINK;
	default: return FDT_UNKNOWN;
	}
}

static uint8_t l4proto_of(int64_t type, int64_t proto)
{
	switch (type & 0xf) {
	case 1: return 6;    /* SOCK_STREAM: tcp */
	case 2: return proto == 1 || proto == 58 ? 1 : 17; /* SOCK_DGRAM: udp (or icmp) */
	case 3: return 255;  /* SOCK_RAW */
	default: return 0;
	}
}

/* Take the tuple of a connect/accept/send into the fd, and name it. */
static void fd_set_tuple(struct fdinfo *f, const struct event *ev, int i)
{
	uint32_t n;
	const uint8_t *p = event_param_bytes(ev, i, &n);
	char buf[512];
	struct strbuf sb;

	if (!f || !p || n == 0)
		return;
	if (p[0] == SAKER_AF_INET && n >= 13) {
		memcpy(f->sip, p + 1, 4);
		memcpy(&f->sport, p + 5, 2);
		memcpy(f->dip, p + 7, 4);
		memcpy(&f->dport, p + 11, 2);
		if (f->type != FDT_IPV4_SERVSOCK)
			f->type = FDT_IPV4_SOCK;
	} else if (p[0] == SAKER_AF_INET6 && n >= 37) {
		memcpy(f->sip, p + 1, 16);
		memcpy(&f->sport, p + 17, 2);
		memcpy(f->dip, p + 19, 16);
		memcpy(&f->dport, p + 35, 2);
		/* IPv4-mapped addresses are shown as IPv4, as sysdig does */
		if (f->type != FDT_IPV6_SERVSOCK)
			f->type = FDT_IPV6_SOCK;
	} else if (p[0] == SAKER_AF_LOCAL) {
		f->type = FDT_UNIX_SOCK;
	}
	f->family = p[0];
	f->connected = 1;
	strbuf_init(&sb, buf, sizeof(buf));
	event_put_socktuple(&sb, p, n);
	if (p[0] == SAKER_AF_LOCAL && n > 17) /* unix: the path names the fd */
		snprintf(buf, sizeof(buf), "%s", (const char *)p + 17);
	if (!f->name || strcmp(f->name, buf))
		f->name_evt = ev->num;
	fdinfo_set_name(f, buf, strlen(buf));
}

/*
 * A read or write with a tuple (recvfrom, recvmsg, sendto, sendmsg, ...) of
 * an IP socket, as libs' parse_read_exit/parse_write_exit and update_fd: a
 * socket with no name or that is not TCP takes the tuple unless it holds
 * that one or its reverse already. The source address and port are always
 * taken, the destination ones only where it has none yet, so an
 * unconnected UDP server keeps its own end while its peers change. A
 * socket with no role becomes the server on a read and the client on a
 * write (libs' guess ends there: the socket itself holds both ports it
 * looks for), and the ends are swapped when a client reads or a server
 * writes, which keeps the client first. libs' server socket (bind) holds
 * its address where the client's goes (a union), so its first peer's tuple
 * keeps the bound port's bytes as the server address: here the bound
 * address is kept. Other families are named after the tuple once, as before.
 */
static void fd_rw_tuple(struct fdinfo *f, const struct event *ev, int i, bool incoming)
{
	static const uint8_t zero[16];
	uint32_t n;
	const uint8_t *p = event_param_bytes(ev, i, &n);
	uint8_t type, tsip[16], tdip[16], tup[37];
	uint16_t tsport, tdport;
	bool changed = false;
	size_t alen;
	char buf[512];
	struct strbuf sb;

	if (!f || !p || n == 0)
		return;
	if (p[0] == SAKER_AF_INET && n >= 13) {
		alen = 4;
		type = FDT_IPV4_SOCK;
	} else if (p[0] == SAKER_AF_INET6 && n >= 37) {
		alen = 16;
		type = FDT_IPV6_SOCK;
	} else {
		if (!f->connected)
			fd_set_tuple(f, ev, i);
		return;
	}
	if (f->name && f->name[0] && f->type == type && f->l4proto == 6)
		return; /* a named TCP socket: its tuple does not change */
	memcpy(tsip, p + 1, alen);
	memcpy(&tsport, p + 1 + alen, 2);
	memcpy(tdip, p + 3 + alen, alen);
	memcpy(&tdport, p + 3 + 2 * alen, 2);
	if (f->type == type && ((!memcmp(f->sip, tsip, alen) && f->sport == tsport && !memcmp(f->dip, tdip, alen) &&
				 f->dport == tdport) ||
				(!memcmp(f->sip, tdip, alen) && f->sport == tdport && !memcmp(f->dip, tsip, alen) &&
				 f->dport == tsport)))
		return;
	if (memcmp(f->sip, tsip, alen) || f->sport != tsport) {
		memcpy(f->sip, tsip, alen);
		f->sport = tsport;
		changed = true;
	}
	if (!memcmp(f->dip, zero, alen)) {
		memcpy(f->dip, tdip, alen);
		changed = true;
	}
	if (f->dport == 0) {
		f->dport = tdport;
		changed = true;
	}
	if (!changed)
		return;
	f->type = type;
	f->family = p[0];
	if (!f->l4proto)
		f->l4proto = 17; /* libs: the address changed mid-connection, so not TCP */
	if (!f->is_server && !f->connected)
		f->is_server = incoming;
	f->connected = 1;
	if (incoming != f->is_server) {
		memcpy(tsip, f->sip, alen);
		memcpy(f->sip, f->dip, alen);
		memcpy(f->dip, tsip, alen);
		tsport = f->sport;
		f->sport = f->dport;
		f->dport = tsport;
	}
	tup[0] = p[0];
	memcpy(tup + 1, f->sip, alen);
	memcpy(tup + 1 + alen, &f->sport, 2);
	memcpy(tup + 3 + alen, f->dip, alen);
	memcpy(tup + 3 + 2 * alen, &f->dport, 2);
	strbuf_init(&sb, buf, sizeof(buf));
	event_put_socktuple(&sb, tup, 5 + 2 * alen);
	if (!f->name || strcmp(f->name, buf))
		f->name_evt = ev->num;
	fdinfo_set_name(f, buf, strlen(buf));
}

/*
 * bind(): as libs' parse_bind_exit, an IP socket bound to a port > 0 serves
 * on that address and port (an IPv4-mapped IPv6 address as IPv4), and every
 * socket bound to an address is named after it as the addr parameter prints
 * ("127.0.0.1:8080", "::1:8080", "::ffff:127.0.0.1:8080", a unix path).
 */
static void fd_set_bound(struct fdinfo *f, const struct event *ev)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	uint32_t n;
	const uint8_t *p = event_param_bytes(ev, event_param_key_index(ev, PARAM_KEY("addr")), &n);
	uint16_t port = 0;
	char buf[512];
	struct strbuf sb;

	if (!f || !p || n == 0)
		return; /* no address: nothing to learn (libs) */
	if (p[0] == SAKER_AF_INET && n >= 7 && (memcpy(&port, p + 5, 2), port)) {
		f->type = FDT_IPV4_SERVSOCK;
		memset(f->dip, 0, sizeof(f->dip));
		memcpy(f->dip, p + 1, 4);
	} else if (p[0] == SAKER_AF_INET6 && n >= 19 && (memcpy(&port, p + 17, 2), port)) {
		bool v4 = !memcmp(p + 1, mapped, sizeof(mapped));

		f->type = v4 ? FDT_IPV4_SERVSOCK : FDT_IPV6_SERVSOCK;
		memset(f->dip, 0, sizeof(f->dip));
		memcpy(f->dip, v4 ? p + 13 : p + 1, v4 ? 4 : 16);
	}
	if (port) {
		f->dport = port;
		f->is_server = 1;
	}
	strbuf_init(&sb, buf, sizeof(buf));
	event_put_sockaddr(&sb, p, n);
	if (!f->name || strcmp(f->name, buf))
		f->name_evt = ev->num;
	fdinfo_set_name(f, buf, strlen(buf));
}

static void on_dup(struct state *s, struct thread *t, int64_t oldfd, int64_t newfd)
{
	struct fdinfo *o = state_fd(s, t, oldfd), *n;

	if (!o || newfd < 0 || oldfd == newfd)
		return;
	n = fdtable_insert_copy(s, t->proc->fds, newfd, o);
	if (n)
		n->open_flags &= ~SAKER_O_CLOEXEC;
}

static void on_socket_event(struct state *s, struct thread *t, const struct event *ev, enum saker_event_kind k,
			    int64_t res)
{
	int ti = event_param_key_index(ev, PARAM_KEY("tuple"));
	int64_t fd = param_int(ev, "fd", -1);

	if (k == SAKER_KIND_SOCKET && res >= 0) {
		int64_t domain = param_int(ev, "domain", 0);
		struct fdinfo *f = state_add_fd(s, t, res, socket_type(domain), NULL);

		if (f) {
			f->family = domain;
			/* only IP sockets have a layer-4 protocol (a unix datagram socket is not udp) */
			if (domain == SAKER_AF_INET || domain == SAKER_AF_INET6)
				f->l4proto = l4proto_of(param_int(ev, "type", 0), param_int(ev, "proto", 0));
		}
	} else if (k == SAKER_KIND_ACCEPT && res >= 0) {
		struct fdinfo *lf = state_fd(s, t, param_int(ev, "fd", -1));
		struct fdinfo *f = state_add_fd(s, t, res, FDT_IPV4_SOCK, NULL);

		if (f && ti >= 0) {
			fd_set_tuple(f, ev, ti);
			f->is_server = 1;
			f->l4proto = lf ? lf->l4proto : 6;
		}
	} else if (k == SAKER_KIND_CONNECT && (res == 0 || res == -EINPROGRESS)) {
		struct fdinfo *f = state_fd(s, t, fd);

		if (!f)
			f = state_add_fd(s, t, fd, FDT_IPV4_SOCK, NULL);
		if (f && ti >= 0)
			fd_set_tuple(f, ev, ti);
	} else if (k == SAKER_KIND_BIND && res == 0) {
		/* listen() changes nothing: libs has no parser for it, bind made the server */
		fd_set_bound(state_fd(s, t, fd), ev);
	}
}

static void on_pair(struct state *s, struct thread *t, const struct event *ev, uint8_t type)
{
	int64_t a = param_int(ev, "fd1", -1), b = param_int(ev, "fd2", -1);

	if (a >= 0)
		state_add_fd(s, t, a, type, NULL);
	if (b >= 0)
		state_add_fd(s, t, b, type, NULL);
}

/* The fd type an fd-creating kind makes (an fd of a fixed type with no name), 0 if none. */
static uint8_t typed_fd_type(enum saker_event_kind k)
{
	switch (k) {
	case SAKER_KIND_EVENTFD: return FDT_EVENT;
	case SAKER_KIND_SIGNALFD: return FDT_SIGNALFD;
	case SAKER_KIND_EPOLL: return FDT_EVENTPOLL;
	case SAKER_KIND_INOTIFY: return FDT_INOTIFY;
	case SAKER_KIND_TIMERFD: return FDT_TIMERFD;
	case SAKER_KIND_USERFAULTFD: return FDT_USERFAULTFD;
	case SAKER_KIND_IO_URING: return FDT_IOURING;
	case SAKER_KIND_PIDFD: return FDT_PIDFD;
	case SAKER_KIND_BPF: return FDT_BPF;
	default: return 0;
	}
}

/* The thread of an event, created on first sight from /proc or as unknown. */
static struct thread *event_thread(struct state *s, const struct event *ev)
{
	struct thread *t = state_thread(s, ev->tid);

	if (!t) {
		t = s->no_proc ? NULL : state_scan_thread(s, ev->tid);
		if (!t && (t = state_add_thread(s, ev->tid, ev->tid, -1)) && t->proc) {
			/* never described: named as libs name such a thread, ids it cannot know -1 as in libs */
			snprintf(t->proc->comm, sizeof(t->proc->comm), "<NA>");
			str_set(&t->proc->exe, "<NA>");
			str_set(&t->proc->exepath, "");
			str_set(&t->proc->cwd, "");
			t->proc->sid = t->proc->vpid = t->proc->vpgid = t->proc->pgid = -1;
			t->vtid = -1;
		}
	}
	if (t)
		t->last_ts = ev->ts;
	return t;
}

/* What an event type does to state: the kind column of the event table. */
static enum saker_event_kind kind_of(const struct event *ev)
{
	return ev->info->kind;
}

static void on_chdir(struct state *s, struct thread *t, const struct event *ev, bool by_fd)
{
	const char *base = NULL;
	char *cwd = NULL;

	if (!by_fd)
		cwd = path_resolve(t->proc->cwd, param_str(ev, "path"));
	else if ((base = dirfd_base(s, t, param_int(ev, "fd", -1))))
		cwd = strdup(base);
	if (cwd) {
		free(t->proc->cwd);
		t->proc->cwd = cwd;
	}
}

/* Container metaevents fill the container table; true when ev was one. */
static bool on_metaevent(struct state *s, const struct event *ev, enum saker_event_kind k)
{
	if (k == SAKER_KIND_CONTAINER_JSON) {
		containers_from_json(s, event_param_str(ev, 0));
		return true;
	}
	if (k == SAKER_KIND_CONTAINER) { /* id, type, name, image */
		containers_from_event(s, event_param_str(ev, 0), event_param_int(ev, 1), event_param_str(ev, 2),
				      event_param_str(ev, 3));
		return true;
	}
	return false;
}

/* What an exit event does to the fd table of its thread. */
static void on_fd_event(struct state *s, struct thread *t, const struct event *ev, enum saker_event_kind k,
			int64_t res)
{
	if ((ev->info->flags & (EF_READS_FROM_FD | EF_WRITES_TO_FD)) && res >= 0) {
		int ti = event_param_key_index(ev, PARAM_KEY("tuple"));

		if (ti >= 0 && event_param_present(ev, ti))
			fd_rw_tuple(state_fd(s, t, param_int(ev, "fd", -1)), ev, ti, ev->info->flags & EF_READS_FROM_FD);
	}
	switch (k) {
	case SAKER_KIND_OPEN:
	case SAKER_KIND_CREAT:
		on_open(s, t, ev, res);
		break;
	case SAKER_KIND_DUP:
		if (res >= 0)
			on_dup(s, t, param_int(ev, "oldfd", param_int(ev, "fd", -1)), res);
		break;
	case SAKER_KIND_FCNTL: {
		int64_t cmd = param_int(ev, "cmd", 0);

		if (res >= 0 && (cmd == SAKER_F_DUPFD || cmd == SAKER_F_DUPFD_CLOEXEC))
			on_dup(s, t, param_int(ev, "fd", -1), res);
		break;
	}
	case SAKER_KIND_PIPE:
	case SAKER_KIND_SOCKETPAIR:
		if (res == 0)
			on_pair(s, t, ev, k == SAKER_KIND_PIPE ? FDT_FIFO : FDT_UNIX_SOCK);
		break;
	case SAKER_KIND_MEMFD:
		if (res >= 0) {
			char buf[300];

			snprintf(buf, sizeof(buf), "memfd:%s", param_str(ev, "name"));
			state_add_fd(s, t, res, FDT_MEMFD, strdup(buf));
		}
		break;
	case SAKER_KIND_SOCKET:
	case SAKER_KIND_ACCEPT:
	case SAKER_KIND_CONNECT:
	case SAKER_KIND_LISTEN:
	case SAKER_KIND_BIND:
	case SAKER_KIND_NET:
		on_socket_event(s, t, ev, k, res);
		break;
	default:
		if (typed_fd_type(k) && res >= 0)
			state_add_fd(s, t, res, typed_fd_type(k), NULL);
		break;
	}
}

/* setsid(): the process leads a new session and a new group, both named after it (res: its id as it sees it). */
static void on_setsid(struct proc *p, int64_t sid)
{
	p->sid = sid;
	p->vpgid = sid;
	p->pgid = p->pid;
}

/*
 * setpgid(pid, pgid), ids as the caller sees them: pid 0 is the caller,
 * pgid 0 the target's own id. Another process is found by id only outside
 * pid namespaces, where the caller's ids are the host's.
 */
static void on_setpgid(struct state *s, struct thread *t, int64_t pid, int64_t pgid)
{
	struct proc *p = t->proc;
	struct thread *other;

	if (pid != 0 && pid != p->vpid) {
		if (p->vpid != p->pid || !(other = state_thread(s, pid)) || !other->proc)
			return;
		p = other->proc;
	}
	if (pgid == 0)
		pgid = p->vpid;
	p->vpgid = pgid;
	if (p->vpid == p->pid)
		p->pgid = pgid;
	else if (pgid == p->vpid)
		p->pgid = p->pid;
}

/* What a successful exit event changes in its process: image, cwd, name, ids. */
static void on_proc_event(struct state *s, struct thread *t, const struct event *ev, enum saker_event_kind k)
{
	struct proc *p = t->proc;
	int64_t euid;

	switch (k) {
	case SAKER_KIND_EXEC:
		on_exec(s, t, ev);
		break;
	case SAKER_KIND_CHDIR:
	case SAKER_KIND_FCHDIR:
		on_chdir(s, t, ev, k == SAKER_KIND_FCHDIR);
		break;
	case SAKER_KIND_PRCTL:
		if (param_int(ev, "option", 0) != SAKER_PR_SET_NAME)
			break;
		if (t->tid == p->pid) /* the main thread names the process; another thread itself */
			snprintf(p->comm, sizeof(p->comm), "%s", param_str(ev, "arg2_str"));
		else
			snprintf(t->comm, sizeof(t->comm), "%s", param_str(ev, "arg2_str"));
		break;
	case SAKER_KIND_SETUID:
		p->uid = param_int(ev, "uid", p->uid);
		break;
	case SAKER_KIND_SETRESUID:
		euid = param_int(ev, "euid", -1);
		if (euid != (int64_t)UINT32_MAX && euid >= 0)
			p->uid = euid;
		break;
	case SAKER_KIND_SETGID:
		p->gid = param_int(ev, "gid", p->gid);
		break;
	default:
		break;
	}
}

void state_update(struct state *s, const struct event *ev)
{
	enum saker_event_kind k;
	struct thread *t;
	int64_t res = 0;
	bool has_res;

	if (!ev->info)
		return;
	s->cur_evt = ev->num;
	k = kind_of(ev);
	if (on_metaevent(s, ev, k))
		return;
	if (ev->info->dir != 'X' && k != SAKER_KIND_PROCEXIT) {
		event_thread(s, ev);
		return;
	}
	has_res = event_result(ev, &res);
	if (k == SAKER_KIND_CLONE) {
		if (has_res && res >= 0)
			on_clone(s, ev, res);
		if (res != 0)
			event_thread(s, ev);
		return;
	}
	t = event_thread(s, ev);
	if (!t || !t->proc)
		return;
	on_fd_event(s, t, ev, k, res);
	if ((ev->info->category & EC_BASE_MASK) == EC_MEMORY)
		proc_take_counters(t->proc, ev); /* brk, mmap, munmap give the new sizes */
	if (k == SAKER_KIND_SETSID && has_res && res > 0)
		on_setsid(t->proc, res);
	else if (k == SAKER_KIND_SETPGID && has_res && res == 0)
		on_setpgid(s, t, param_int(ev, "pid", 0), param_int(ev, "pgid", 0));
	else if (res == 0)
		on_proc_event(s, t, ev, k);
}

void state_post_update(struct state *s, const struct event *ev)
{
	struct thread *t;
	int64_t res = 0;

	if (!ev->info)
		return;
	if (kind_of(ev) == SAKER_KIND_PROCEXIT) {
		if (!(t = state_thread(s, ev->tid)))
			return;
		t->exited = true;
		thread_unlink(s, ev->tid);
		s->reaped++;
		return;
	}
	if (kind_of(ev) == SAKER_KIND_CLOSE && ev->info->dir == 'X' && event_result(ev, &res) && res == 0) {
		int64_t fd = param_int(ev, "fd", INT64_MIN); /* old captures: from the paired enter */

		if (fd != INT64_MIN && (t = state_thread(s, ev->tid)) && t->proc)
			fdtable_remove(s, t->proc->fds, fd);
	}
}

