// SPDX-License-Identifier: Apache-2.0
/*
 * File-descriptor tables: one per process, shared by processes created with
 * CLONE_FILES (reference counted), copied on fork. Freed entries go to a
 * per-state pool, since opens and closes churn.
 */
#include <stdlib.h>
#include <string.h>

#include "state/state_internal.h"

#define FD_POOL_MAX 4096
#define FD_BUCKETS 16

struct fdtable *fdtable_new(void)
{
	struct fdtable *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->refs = 1;
	if (table_init(&t->entries, FD_BUCKETS, offsetof(struct fdinfo, fd), offsetof(struct fdinfo, next))) {
		free(t);
		return NULL;
	}
	return t;
}

static void fdinfo_free(struct state *s, struct fdinfo *f)
{
	free(f->name);
	free(f->nameraw);
	if (s->fd_pool_n < FD_POOL_MAX) {
		f->next = s->fd_pool;
		s->fd_pool = f;
		s->fd_pool_n++;
	} else {
		free(f);
	}
	s->nfds--;
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

static void fdinfo_free_cb(void *s, void *f)
{
	fdinfo_free(s, f);
}

void fdtable_release(struct state *s, struct fdtable *t)
{
	if (!t || --t->refs > 0)
		return;
	table_foreach(&t->entries, fdinfo_free_cb, s);
	table_release(&t->entries);
	free(t);
}

struct fdinfo *fdtable_find(struct fdtable *t, int64_t fd)
{
	return t ? table_find(&t->entries, fd) : NULL;
}

void fdtable_remove(struct state *s, struct fdtable *t, int64_t fd)
{
	struct fdinfo *f = t ? table_unlink(&t->entries, fd) : NULL;

	if (f)
		fdinfo_free(s, f);
}

struct fdinfo *fdtable_insert(struct state *s, struct fdtable *t, int64_t fd, uint8_t type, char *name)
{
	struct fdinfo *f;

	fdtable_remove(s, t, fd);
	f = fdinfo_alloc(s);
	if (!f) {
		free(name);
		return NULL;
	}
	f->fd = fd;
	f->type = type;
	f->name = name ? name : strdup("");
	f->name_evt = f->name && *f->name ? s->cur_evt : 0; /* a new fd with a name: its name changed (libs) */
	table_insert(&t->entries, f);
	s->nfds++;
	return f;
}

struct fdinfo *fdtable_insert_copy(struct state *s, struct fdtable *t, int64_t fd, const struct fdinfo *src)
{
	struct fdinfo *n = fdtable_insert(s, t, fd, src->type, strdup(src->name));

	if (n) {
		struct fdinfo *keep = n->next;
		char *name = n->name;

		*n = *src;
		n->fd = fd;
		n->name = name;
		n->nameraw = src->nameraw ? strdup(src->nameraw) : NULL;
		n->next = keep;
		n->name_evt = *name ? s->cur_evt : 0;
	}
	return n;
}

struct fd_copy {
	struct state *s;
	struct fdtable *to;
};

static void fd_copy_one(void *arg, void *f)
{
	struct fd_copy *c = arg;
	const struct fdinfo *src = f;

	fdtable_insert_copy(c->s, c->to, src->fd, src);
}

struct fdtable *fdtable_copy(struct state *s, struct fdtable *src)
{
	struct fd_copy c = { s, fdtable_new() };

	if (c.to && src)
		table_foreach(&src->entries, fd_copy_one, &c);
	return c.to;
}

struct fd_visit {
	void (*fn)(void *ctx, struct fdinfo *f);
	void *ctx;
};

static void fd_visit_one(void *arg, void *f)
{
	struct fd_visit *v = arg;

	v->fn(v->ctx, f);
}

void fdtable_foreach(struct fdtable *t, void (*fn)(void *ctx, struct fdinfo *f), void *ctx)
{
	struct fd_visit v = { fn, ctx };

	if (t)
		table_foreach(&t->entries, fd_visit_one, &v);
}

unsigned fdtable_count(const struct fdtable *t)
{
	return t ? t->entries.count : 0;
}
