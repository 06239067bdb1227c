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

struct oldest {
	struct thread *t;
};

static void oldest_visit(void *arg, void *e)
{
	struct oldest *o = arg;
	struct thread *t = e;

	if (!o->t || t->last_ts < o->t->last_ts)
		o->t = t;
}

/* Drop the least recently active threads until under the limit. */
static void threads_evict(struct state *s)
{
	while (s->threads.count >= s->max_threads) {
		struct oldest o = { NULL };

		table_foreach(&s->threads, oldest_visit, &o);
		if (!o.t)
			return;
		thread_unlink(s, o.t->tid);
		s->evicted++;
	}
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
