// SPDX-License-Identifier: Apache-2.0
/*
 * The thread and fd tables and their update from events. Process data is
 * shared by the threads of a process; fd tables are shared between processes
 * created with CLONE_FILES. Parameters are found by name, so every version of
 * an event (live or from an old capture) updates state the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/print.h"
#include "saker_flags.h"
#include "state/state_internal.h"


static uint64_t hash64(int64_t k)
{
	uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15ull;

	return x ^ (x >> 29);
}

/* ------------------------------------------------------------------ fds */

static struct fdtable *fdtable_new(void)
{
	struct fdtable *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->refs = 1;
	t->nbuckets = 16;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	return t;
}

#define FD_POOL_MAX 4096

static void fdinfo_free(struct state *s, struct fdinfo *f)
{
	if (!f)
		return;
	free(f->name);
	if (s->fd_pool_n < FD_POOL_MAX) {
		f->next = s->fd_pool;
		s->fd_pool = f;
		s->fd_pool_n++;
	} else {
		free(f);
	}
}

static struct fdinfo *fdinfo_alloc(struct state *s)
{
	struct fdinfo *f = s->fd_pool;

	if (!f)
		return calloc(1, sizeof(*f));
	s->fd_pool = f->next;
	s->fd_pool_n--;
	memset(f, 0, sizeof(*f));
	return f;
}

static void fdtable_release(struct state *s, struct fdtable *t)
{
	unsigned i;

	if (!t || --t->refs > 0)
		return;
	for (i = 0; i < t->nbuckets; i++) {
		struct fdinfo *f = t->buckets[i], *n;

		for (; f; f = n) {
			n = f->next;
			fdinfo_free(s, f);
			s->nfds--;
		}
	}
	free(t->buckets);
	free(t);
}

struct fdinfo *fdtable_find(struct fdtable *t, int64_t fd)
{
	struct fdinfo *f;

	if (!t)
		return NULL;
	for (f = t->buckets[hash64(fd) & (t->nbuckets - 1)]; f; f = f->next)
		if (f->fd == fd)
			return f;
	return NULL;
}

void fdtable_remove(struct state *s, struct fdtable *t, int64_t fd)
{
	struct fdinfo **pp;

	if (!t)
		return;
	for (pp = &t->buckets[hash64(fd) & (t->nbuckets - 1)]; *pp; pp = &(*pp)->next)
		if ((*pp)->fd == fd) {
			struct fdinfo *f = *pp;

			*pp = f->next;
			fdinfo_free(s, f);
			t->count--;
			s->nfds--;
			return;
		}
}

static void fdtable_grow(struct fdtable *t)
{
	unsigned n = t->nbuckets * 2, i;
	struct fdinfo **nb = calloc(n, sizeof(*nb));

	if (!nb)
		return;
	for (i = 0; i < t->nbuckets; i++) {
		struct fdinfo *f = t->buckets[i], *next;

		for (; f; f = next) {
			next = f->next;
			f->next = nb[hash64(f->fd) & (n - 1)];
			nb[hash64(f->fd) & (n - 1)] = f;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = n;
}

struct fdinfo *fdtable_insert(struct state *s, struct fdtable *t, int64_t fd, uint8_t type, char *name)
{
	struct fdinfo *f;
	unsigned b;

	fdtable_remove(s, t, fd);
	f = fdinfo_alloc(s);
	if (!f) {
		free(name);
		return NULL;
	}
	if (t->count >= t->nbuckets * 2)
		fdtable_grow(t);
	f->fd = fd;
	f->type = type;
	f->name = name ? name : strdup("");
	b = hash64(fd) & (t->nbuckets - 1);
	f->next = t->buckets[b];
	t->buckets[b] = f;
	t->count++;
	s->nfds++;
	return f;
}

static struct fdtable *fdtable_copy(struct state *s, struct fdtable *src)
{
	struct fdtable *t = fdtable_new();
	unsigned i;

	if (!t || !src)
		return t;
	for (i = 0; i < src->nbuckets; i++)
		for (struct fdinfo *f = src->buckets[i]; f; f = f->next) {
			struct fdinfo *n = fdtable_insert(s, t, f->fd, f->type, strdup(f->name));

			if (n) {
				struct fdinfo *keep = n->next;
				char *name = n->name;

				*n = *f;
				n->name = name;
				n->next = keep;
			}
		}
	return t;
}

/* -------------------------------------------------------------- threads */

static void proc_release(struct state *s, struct proc *p)
{
	if (!p || --p->refs > 0)
		return;
	fdtable_release(s, p->fds);
	free(p->exe);
	free(p->exepath);
	free(p->args);
	free(p->env);
	free(p->cwd);
	free(p->cgroups);
	free(p);
	s->nprocs--;
}

static struct proc *proc_new(struct state *s)
{
	struct proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->refs = 1;
	p->fds = fdtable_new();
	p->loginuid = UINT32_MAX;
	s->nprocs++;
	return p;
}

static char *dup_bytes(const char *src, uint32_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, src, n);
		d[n] = 0;
	}
	return d;
}

void proc_set_blob(char **dst, uint32_t *len, const char *src, uint32_t n)
{
	free(*dst);
	*dst = src ? dup_bytes(src, n) : NULL;
	*len = *dst ? n : 0;
}

void proc_set_cgroups(struct proc *p, const char *src, uint32_t n)
{
	proc_set_blob(&p->cgroups, &p->cgroups_len, src, n);
	container_id_from_cgroups(p->cgroups, p->cgroups_len, p->container_id);
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
}

/* A new process copying what a child inherits from its parent. */
static struct proc *proc_fork(struct state *s, const struct proc *parent, bool share_files)
{
	struct proc *p = proc_new(s);

	if (!p || !parent)
		return p;
	p->exe = parent->exe ? strdup(parent->exe) : NULL;
	p->exepath = parent->exepath ? strdup(parent->exepath) : NULL;
	p->args = parent->args ? dup_bytes(parent->args, parent->args_len) : NULL;
	p->args_len = parent->args_len;
	p->env = parent->env ? dup_bytes(parent->env, parent->env_len) : NULL;
	p->env_len = parent->env_len;
	p->cwd = parent->cwd ? strdup(parent->cwd) : NULL;
	p->cgroups = parent->cgroups ? dup_bytes(parent->cgroups, parent->cgroups_len) : NULL;
	p->cgroups_len = parent->cgroups_len;
	memcpy(p->comm, parent->comm, sizeof(p->comm));
	memcpy(p->container_id, parent->container_id, sizeof(p->container_id));
	p->uid = parent->uid;
	p->gid = parent->gid;
	p->loginuid = parent->loginuid;
	p->tty = parent->tty;
	p->sid = parent->sid;
	p->pgid = parent->pgid;
	p->vpgid = parent->vpgid;
	p->exe_flags = parent->exe_flags;
	p->exe_ino = parent->exe_ino;
	p->cap_permitted = parent->cap_permitted;
	p->cap_effective = parent->cap_effective;
	p->cap_inheritable = parent->cap_inheritable;
	if (share_files && parent->fds) {
		fdtable_release(s, p->fds);
		p->fds = parent->fds;
		p->fds->refs++;
	} else {
		fdtable_release(s, p->fds);
		p->fds = fdtable_copy(s, parent->fds);
	}
	return p;
}

struct thread *state_thread(struct state *s, int64_t tid)
{
	struct thread *t;

	for (t = s->buckets[hash64(tid) & (s->nbuckets - 1)]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void thread_unlink(struct state *s, int64_t tid)
{
	struct thread **pp;

	for (pp = &s->buckets[hash64(tid) & (s->nbuckets - 1)]; *pp; pp = &(*pp)->next)
		if ((*pp)->tid == tid) {
			struct thread *t = *pp;

			*pp = t->next;
			proc_release(s, t->proc);
			free(t);
			s->nthreads--;
			return;
		}
}

static void threads_grow(struct state *s)
{
	unsigned n = s->nbuckets * 2, i;
	struct thread **nb = calloc(n, sizeof(*nb));

	if (!nb)
		return;
	for (i = 0; i < s->nbuckets; i++) {
		struct thread *t = s->buckets[i], *next;

		for (; t; t = next) {
			next = t->next;
			t->next = nb[hash64(t->tid) & (n - 1)];
			nb[hash64(t->tid) & (n - 1)] = t;
		}
	}
	free(s->buckets);
	s->buckets = nb;
	s->nbuckets = n;
}

/* Drop the least recently active threads until under the limit. */
static void threads_evict(struct state *s)
{
	while (s->nthreads >= s->max_threads) {
		struct thread *oldest = NULL;
		unsigned i;

		for (i = 0; i < s->nbuckets; i++)
			for (struct thread *t = s->buckets[i]; t; t = t->next)
				if (!oldest || t->last_ts < oldest->last_ts)
					oldest = t;
		if (!oldest)
			return;
		thread_unlink(s, oldest->tid);
		s->evicted++;
	}
}

static struct thread *thread_insert(struct state *s, int64_t tid, struct proc *p)
{
	struct thread *t;
	unsigned b;

	thread_unlink(s, tid);
	if (s->nthreads >= s->max_threads)
		threads_evict(s);
	t = calloc(1, sizeof(*t));
	if (!t) {
		proc_release(s, p);
		return NULL;
	}
	if (s->nthreads >= s->nbuckets * 2)
		threads_grow(s);
	t->tid = tid;
	t->proc = p;
	b = hash64(tid) & (s->nbuckets - 1);
	t->next = s->buckets[b];
	s->buckets[b] = t;
	s->nthreads++;
	return t;
}

struct thread *state_add_thread(struct state *s, int64_t tid, int64_t pid, int64_t ptid)
{
	struct thread *leader = (tid != pid) ? state_thread(s, pid) : NULL;
	struct proc *p;
	struct thread *t;

	if (leader && leader->proc) {
		p = leader->proc;
		p->refs++;
	} else {
		p = proc_new(s);
		if (!p)
			return NULL;
		p->pid = pid;
		p->vpid = pid;
	}
	t = thread_insert(s, tid, p);
	if (t) {
		t->ptid = ptid;
		t->vtid = tid;
	}
	return t;
}

struct fdinfo *state_add_fd(struct state *s, struct thread *t, int64_t fd, uint8_t type, char *name)
{
	if (!t || !t->proc || !t->proc->fds) {
		free(name);
		return NULL;
	}
	return fdtable_insert(s, t->proc->fds, fd, type, name);
}

struct fdinfo *state_fd(struct state *s, const struct thread *t, int64_t fd)
{
	(void)s;
	if (!t || !t->proc)
		return NULL;
	return fdtable_find(t->proc->fds, fd);
}

struct thread *state_parent(struct state *s, const struct thread *t)
{
	struct thread *p;

	if (!t || t->ptid <= 0 || t->ptid == t->tid)
		return NULL;
	p = state_thread(s, t->ptid);
	return p;
}

struct state *state_new(const struct state_opts *opts)
{
	struct state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->nbuckets = 1024;
	s->buckets = calloc(s->nbuckets, sizeof(*s->buckets));
	if (!s->buckets) {
		free(s);
		return NULL;
	}
	snprintf(s->host_root, sizeof(s->host_root), "%s", opts && opts->host_root ? opts->host_root : "");
	s->max_threads = opts && opts->max_threads ? opts->max_threads : 131072;
	s->users = users_new(s->host_root);
	s->no_proc = opts && opts->no_proc;
	return s;
}

void state_free(struct state *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->nbuckets; i++) {
		struct thread *t = s->buckets[i], *n;

		for (; t; t = n) {
			n = t->next;
			proc_release(s, t->proc);
			free(t);
		}
	}
	free(s->buckets);
	while (s->fd_pool) {
		struct fdinfo *f = s->fd_pool;

		s->fd_pool = f->next;
		free(f);
	}
	users_free(s->users);
	containers_free(s);
	free(s);
}

void state_foreach_thread(struct state *s, void (*fn)(void *ctx, struct thread *t), void *ctx)
{
	for (unsigned i = 0; i < s->nbuckets; i++)
		for (struct thread *t = s->buckets[i], *n; t; t = n) {
			n = t->next;
			fn(ctx, t);
		}
}

void fdtable_foreach(struct fdtable *t, void (*fn)(void *ctx, struct fdinfo *f), void *ctx)
{
	for (unsigned i = 0; t && i < t->nbuckets; i++)
		for (struct fdinfo *f = t->buckets[i]; f; f = f->next)
			fn(ctx, f);
}

struct users *state_users(struct state *s)
{
	return s->users;
}

void state_stats(const struct state *s, struct state_stats *o)
{
	o->threads = s->nthreads;
	o->procs = s->nprocs;
	o->fds = s->nfds;
	o->evicted = s->evicted;
	o->reaped = s->reaped;
	o->proc_scanned = s->proc_scanned;
}

const char *fd_type_char(uint8_t type)
{
	static const char *const c[FDT_COUNT] = {
		"?", "f", "d", "4", "6", "4", "6", "p", "u", "e", "?", "s", "l", "i", "t", "n",
		"f", "b", "u", "r", "m", "P",
	};

	return type < FDT_COUNT ? c[type] : "?";
}

const char *fd_type_name(uint8_t type)
{
	static const char *const n[FDT_COUNT] = {
		"unknown", "file", "directory", "ipv4", "ipv6", "ipv4", "ipv6", "pipe", "unix",
		"event", "unknown", "signalfd", "eventpoll", "inotify", "timerfd", "netlink",
		"file", "bpf", "userfaultfd", "io_uring", "memfd", "pidfd",
	};

	return type < FDT_COUNT ? n[type] : "unknown";
}

/* ------------------------------------------------------- event updates */

/* Join base and rel, then fold "." and ".." the way the kernel resolves them. */
char *path_resolve(const char *base, const char *rel)
{
	size_t cap = strlen(base ? base : "") + strlen(rel) + 3;
	char *out = malloc(cap), *tmp;
	char *save = NULL, *tok;
	size_t len = 0;

	if (!out)
		return NULL;
	/* fast path: an absolute path with nothing to fold (no "/.", no "//", no trailing '/') */
	if (rel[0] == '/') {
		size_t i = 1;

		while (rel[i] && !(rel[i - 1] == '/' && (rel[i] == '.' || rel[i] == '/')))
			i++;
		if (!rel[i] && rel[i - 1] != '/') {
			memcpy(out, rel, i + 1);
			return out;
		}
	}
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

static const char *param_str_k(const struct event *ev, struct param_key *k)
{
	return event_param_str(ev, event_param_key_index(ev, k));
}

static int64_t param_int_k(const struct event *ev, struct param_key *k, int64_t dflt)
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
	struct fdinfo *f;
	char *path;

	if (fd < 0)
		return;
	if (!*name)
		name = param_str(ev, "path");
	path = name[0] == '/' ? path_resolve(NULL, name) : path_resolve(dirfd_base(s, t, dirfd), name);
	f = state_add_fd(s, t, fd, (flags & SAKER_O_DIRECTORY) ? FDT_DIRECTORY : FDT_FILE, path);
	if (!f)
		return;
	f->open_flags = flags;
	f->dev = param_int(ev, "dev", 0);
	f->ino = param_int(ev, "ino", 0);
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

	set_str(&p->exe, exe);
	proc_set_blob(&p->args, &p->args_len, i >= 0 ? (const char *)ev->param[i] : NULL, i >= 0 ? ev->plen[i] : 0);
	if ((i = event_param_key_index(ev, PARAM_KEY("env"))) >= 0 && event_param_present(ev, i))
		proc_set_blob(&p->env, &p->env_len, (const char *)ev->param[i], ev->plen[i]);
	if ((i = event_param_key_index(ev, PARAM_KEY("cgroups"))) >= 0 && event_param_present(ev, i)) {
		proc_set_cgroups(p, (const char *)ev->param[i], ev->plen[i]);
		containers_note(s, p);
	}
	if (*cwd)
		set_str(&p->cwd, cwd);
	snprintf(p->comm, sizeof(p->comm), "%s", *comm ? comm : exe);
	free(p->exepath);
	if (*trusted)
		p->exepath = strdup(trusted);
	else if (*filename)
		p->exepath = filename[0] == '/' ? strdup(filename) : path_resolve(p->cwd, filename);
	else
		p->exepath = exe[0] == '/' ? strdup(exe) : strdup(exe);
	p->pid = param_int(ev, "pid", p->pid);
	if (param_int(ev, "ptid", 0) > 0)
		t->ptid = param_int(ev, "ptid", 0);
	p->tty = param_int(ev, "tty", p->tty);
	p->loginuid = param_int(ev, "loginuid", p->loginuid);
	p->uid = param_int(ev, "uid", p->uid);
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
	/* close-on-exec fds are gone in the new image */
	if (p->fds)
		for (unsigned b = 0; b < p->fds->nbuckets; b++)
			for (struct fdinfo *f = p->fds->buckets[b], *n; f; f = n) {
				n = f->next;
				if (f->open_flags & SAKER_O_CLOEXEC)
					fdtable_remove(s, p->fds, f->fd);
			}
}

static void fill_proc_from_clone(struct proc *p, const struct event *ev)
{
	const char *comm = param_str(ev, "comm");
	int i = event_param_key_index(ev, PARAM_KEY("cgroups"));

	if (*comm)
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
	if (i >= 0 && event_param_present(ev, i))
		proc_set_cgroups(p, (const char *)ev->param[i], ev->plen[i]);
	if (!p->exe && *param_str(ev, "exe"))
		p->exe = strdup(param_str(ev, "exe"));
	if (*param_str(ev, "cwd"))
		set_str(&p->cwd, param_str(ev, "cwd"));
	p->uid = param_int(ev, "uid", p->uid);
	p->gid = param_int(ev, "gid", p->gid);
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
		p->start_ts = ev->ts;
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
	const uint8_t *p = ev->param[i];
	uint32_t n = ev->plen[i];
	char buf[512];
	struct strbuf sb;

	if (!f || n == 0)
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
	free(f->name);
	f->name = strdup(buf);
	f->name_changed = 1;
}

static void on_dup(struct state *s, struct thread *t, int64_t oldfd, int64_t newfd)
{
	struct fdinfo *o = state_fd(s, t, oldfd), *n;

	if (!o || newfd < 0 || oldfd == newfd)
		return;
	n = state_add_fd(s, t, newfd, o->type, strdup(o->name));
	if (n) {
		struct fdinfo *keep = n->next;
		char *name = n->name;

		*n = *o;
		n->fd = newfd;
		n->name = name;
		n->next = keep;
		n->open_flags &= ~SAKER_O_CLOEXEC;
	}
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
	} else if ((k == SAKER_KIND_LISTEN || k == SAKER_KIND_BIND) && res == 0) {
		struct fdinfo *f = state_fd(s, t, fd);

		if (f) {
			f->is_server = 1;
			if (f->type == FDT_IPV4_SOCK)
				f->type = FDT_IPV4_SERVSOCK;
			else if (f->type == FDT_IPV6_SOCK)
				f->type = FDT_IPV6_SERVSOCK;
		}
	} else if (ti >= 0 && fd >= 0 && event_param_present(ev, ti)) {
		struct fdinfo *f = state_fd(s, t, fd);

		if (f && !f->connected)
			fd_set_tuple(f, ev, ti);
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
		if (!t)
			t = state_add_thread(s, ev->tid, ev->tid, 0);
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

void state_update(struct state *s, const struct event *ev)
{
	struct thread *t;
	int64_t res = 0;
	bool has_res;
	enum saker_event_kind k;

	if (!ev->info)
		return;
	k = kind_of(ev);
	if (k == SAKER_KIND_CONTAINER_JSON) {
		containers_from_json(s, event_param_str(ev, 0));
		return;
	}
	if (k == SAKER_KIND_CONTAINER) { /* id, type, name, image */
		containers_from_event(s, event_param_str(ev, 0), event_param_int(ev, 1), event_param_str(ev, 2),
				      event_param_str(ev, 3));
		return;
	}
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
	switch (k) {
	case SAKER_KIND_EXEC:
		if (res == 0)
			on_exec(s, t, ev);
		break;
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
		if (res == 0)
			on_pair(s, t, ev, FDT_FIFO);
		break;
	case SAKER_KIND_SOCKETPAIR:
		if (res == 0)
			on_pair(s, t, ev, FDT_UNIX_SOCK);
		break;
	case SAKER_KIND_MEMFD:
		if (res >= 0) {
			char buf[300];

			snprintf(buf, sizeof(buf), "memfd:%s", param_str(ev, "name"));
			state_add_fd(s, t, res, FDT_MEMFD, strdup(buf));
		}
		break;
	case SAKER_KIND_CHDIR:
	case SAKER_KIND_FCHDIR:
		if (res == 0)
			on_chdir(s, t, ev, k == SAKER_KIND_FCHDIR);
		break;
	case SAKER_KIND_PRCTL:
		if (res == 0 && param_int(ev, "option", 0) == SAKER_PR_SET_NAME)
			snprintf(t->proc->comm, sizeof(t->proc->comm), "%s", param_str(ev, "arg2_str"));
		break;
	case SAKER_KIND_SETUID:
		if (res == 0)
			t->proc->uid = param_int(ev, "uid", t->proc->uid);
		break;
	case SAKER_KIND_SETRESUID:
		if (res == 0) {
			int64_t e = param_int(ev, "euid", -1);

			if (e != (int64_t)UINT32_MAX && e >= 0)
				t->proc->uid = e;
		}
		break;
	case SAKER_KIND_SETGID:
		if (res == 0)
			t->proc->gid = param_int(ev, "gid", t->proc->gid);
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

void container_id_from_cgroups(const char *cg, size_t len, char out[16])
{
	size_t i, run = 0;

	strcpy(out, "host");
	if (!cg)
		return;
	for (i = 0; i < len; i++) {
		char c = cg[i];
		int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');

		run = hex ? run + 1 : 0;
		if (run == 64) {
			char next = i + 1 < len ? cg[i + 1] : 0;
			int nhex = (next >= '0' && next <= '9') || (next >= 'a' && next <= 'f');

			if (!nhex) {
				memcpy(out, cg + i - 63, 12);
				out[12] = 0;
				return;
			}
		}
	}
}
