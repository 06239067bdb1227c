// SPDX-License-Identifier: Apache-2.0
/*
 * The thread table and the processes behind it: process data is shared by
 * the threads of a process (reference counted), copied into a child on
 * fork; the table is bounded, evicting the least recently active threads.
 * Also the fd-type names and the container id found in a cgroup list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include "state/state_internal.h"

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
	p->fdlimit = -1;
	p->fds = fdtable_new();
	/* unknown until a process list, /proc, clone or execve says (libs' 0xffffffff) */
	p->uid = p->gid = p->loginuid = UINT32_MAX;
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

void str_set(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
}

/* A new process copying what a child inherits from its parent. */
struct proc *proc_fork(struct state *s, const struct proc *parent, bool share_files)
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
	p->exe_setuid = parent->exe_setuid;
	p->exe_ino = parent->exe_ino;
	p->cap_permitted = parent->cap_permitted;
	p->cap_effective = parent->cap_effective;
	p->cap_inheritable = parent->cap_inheritable;
	p->vmsize_kb = parent->vmsize_kb;
	p->vmrss_kb = parent->vmrss_kb;
	p->vmswap_kb = parent->vmswap_kb;
	p->fdlimit = parent->fdlimit;
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
	return table_find(&s->threads, tid);
}

static void thread_free(struct state *s, struct thread *t)
{
	proc_release(s, t->proc);
	free(t);
}

void thread_unlink(struct state *s, int64_t tid)
{
	struct thread *t = table_unlink(&s->threads, tid);

	if (t)
		thread_free(s, t);
}

struct ts_list {
	uint64_t *ts;
	int64_t *tids;
	size_t n, cap;
	uint64_t cutoff;   /* collect: threads active at or before this */
	uint64_t newest;
};

static void ts_visit(void *arg, void *e)
{
	struct ts_list *l = arg;
	struct thread *t = e;

	if (l->n < l->cap)
		l->ts[l->n++] = t->last_ts;
	if (t->last_ts > l->newest)
		l->newest = t->last_ts;
}

static void tid_visit(void *arg, void *e)
{
	struct ts_list *l = arg;
	struct thread *t = e;

	if (l->n < l->cap && t->last_ts <= l->cutoff)
		l->tids[l->n++] = t->tid;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The tids of up to max threads last active at or before cutoff; caller frees. */
static int64_t *tids_before(struct state *s, uint64_t cutoff, size_t max, size_t *n)
{
	struct ts_list l = { .cap = max, .cutoff = cutoff };

	l.tids = malloc(sizeof(*l.tids) * (max ? max : 1));
	if (!l.tids)
		return NULL;
	table_foreach(&s->threads, tid_visit, &l);
	*n = l.n;
	return l.tids;
}

/*
 * The table is full: drop the least recently active sixteenth of it in one
 * pass (sort the activity times, take the cut), so a fork storm at the limit
 * costs one scan per max/16 new threads, not one per thread.
 */
static void threads_evict(struct state *s)
{
	size_t k = s->max_threads / 16 ? s->max_threads / 16 : 1, n = 0;
	struct ts_list l = { .cap = s->threads.count };
	int64_t *tids;

	l.ts = malloc(sizeof(*l.ts) * (l.cap ? l.cap : 1));
	if (!l.ts)
		return;
	table_foreach(&s->threads, ts_visit, &l);
	if (l.n == 0) {
		free(l.ts);
		return;
	}
	if (k > l.n)
		k = l.n;
	qsort(l.ts, l.n, sizeof(*l.ts), cmp_u64);
	tids = tids_before(s, l.ts[k - 1], k, &n);
	free(l.ts);
	if (!tids)
		return;
	for (size_t i = 0; i < n; i++)
		thread_unlink(s, tids[i]);
	s->evicted += n;
	free(tids);
}

size_t state_purge(struct state *s, uint64_t timeout_ns)
{
	struct ts_list l = { .cap = 0 };
	size_t n = 0, purged = 0;
	int64_t *tids;

	if (s->no_proc || s->threads.count == 0)
		return 0;
	table_foreach(&s->threads, ts_visit, &l); /* cap 0: only the newest activity */
	if (l.newest <= timeout_ns)
		return 0;
	tids = tids_before(s, l.newest - timeout_ns, s->threads.count, &n);
	if (!tids)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char rel[64], path[512];
		struct stat st;

		snprintf(rel, sizeof(rel), "/proc/%lld", (long long)tids[i]);
		snprintf(path, sizeof(path), "%s%s", s->host_root, rel);
		if (stat(path, &st) == 0 || errno != ENOENT)
			continue; /* still running, only quiet (or /proc unreadable: keep it) */
		thread_unlink(s, tids[i]);
		purged++;
	}
	free(tids);
	s->purged += purged;
	return purged;
}

struct thread *thread_insert(struct state *s, int64_t tid, struct proc *p)
{
	struct thread *t;

	thread_unlink(s, tid);
	if (s->threads.count >= s->max_threads)
		threads_evict(s);
	t = calloc(1, sizeof(*t));
	if (!t) {
		proc_release(s, p);
		return NULL;
	}
	t->tid = tid;
	t->proc = p;
	table_insert(&s->threads, t);
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

struct fdinfo *state_add_fd_name(struct state *s, struct thread *t, int64_t fd, uint8_t type, const char *name,
				 size_t len)
{
	if (!t || !t->proc || !t->proc->fds)
		return NULL;
	return fdtable_insert_name(s, t->proc->fds, fd, type, name, len);
}

struct fdinfo *state_fd(struct state *s, const struct thread *t, int64_t fd)
{
	(void)s;
	if (!t || !t->proc)
		return NULL;
	return fdtable_find(t->proc->fds, fd);
}

struct thread *state_main_thread(struct state *s, struct thread *t)
{
	struct thread *m;

	if (!t || !t->proc || t->tid == t->proc->pid)
		return t;
	m = state_thread(s, t->proc->pid);
	return m && m->proc == t->proc ? m : t;
}

struct thread *state_parent(struct state *s, const struct thread *t)
{
	struct thread *p;

	if (!t || t->ptid <= 0 || t->ptid == t->tid)
		return NULL;
	p = state_thread(s, t->ptid);
	return p;
}

/* Free every thread (and its process reference) and the table. */
static void thread_free_cb(void *s, void *t)
{
	thread_free(s, t);
}

void threads_release(struct state *s)
{
	table_foreach(&s->threads, thread_free_cb, s);
	table_release(&s->threads);
}

struct thread_visit {
	void (*fn)(void *ctx, struct thread *t);
	void *ctx;
};

static void thread_visit_one(void *arg, void *t)
{
	struct thread_visit *v = arg;

	v->fn(v->ctx, t);
}

void state_foreach_thread(struct state *s, void (*fn)(void *ctx, struct thread *t), void *ctx)
{
	struct thread_visit v = { fn, ctx };

	table_foreach(&s->threads, thread_visit_one, &v);
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
