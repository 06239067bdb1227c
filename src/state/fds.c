// SPDX-License-Identifier: Apache-2.0
/*
 * File-descriptor tables: one per process, shared by processes created with
 * CLONE_FILES (reference counted), copied on fork. Freed entries go to a
 * per-state pool, since opens and closes churn.
 */
#include <errno.h>
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

/* A name buffer of a pooled entry is kept when it is this small, so the next open copies into it. */
#define FD_POOL_KEEP 256

/* Make *buf hold need bytes; its content is not kept. 0 or -ENOMEM (the old buffer stays). */
static int buf_fit(char **buf, uint32_t *cap, size_t need)
{
	/* what malloc gives anyway: glibc chunks grow by 16 bytes, 8 of them its header */
	size_t want = ((need + 23) & ~(size_t)15) - 8;
	char *n;

	if (*buf && need <= *cap)
		return 0;
	if (want > UINT32_MAX || !(n = malloc(want)))
		return -ENOMEM;
	free(*buf);
	*buf = n;
	*cap = want;
	return 0;
}

int fdinfo_set_name(struct fdinfo *f, const char *name, size_t len)
{
	if (buf_fit(&f->name, &f->name_cap, len + 1))
		return -ENOMEM;
	memcpy(f->name, name, len);
	f->name[len] = 0;
	f->name_len = len;
	return 0;
}

int fdinfo_set_nameraw(struct fdinfo *f, const char *raw, size_t len, bool plain)
{
	char *o;

	if (buf_fit(&f->nameraw, &f->nameraw_cap, len + 1))
		return -ENOMEM;
	if (plain) {
		memcpy(f->nameraw, raw, len);
		f->nameraw[len] = 0;
		return 0;
	}
	/* each run of '/' made one, as libs keeps an open's raw name */
	o = f->nameraw;
	for (size_t i = 0; i < len; i++)
		if (raw[i] != '/' || o == f->nameraw || o[-1] != '/')
			*o++ = raw[i];
	*o = 0;
	return 0;
}

/* Free a buffer a pooled entry does not keep. */
static void buf_trim(char **buf, uint32_t *cap)
{
	if (*cap > 0 && *cap <= FD_POOL_KEEP)
		return;
	free(*buf);
	*buf = NULL;
	*cap = 0;
}

static void fdinfo_free(struct state *s, struct fdinfo *f)
{
	if (s->fd_pool_n < FD_POOL_MAX) {
		buf_trim(&f->name, &f->name_cap);
		buf_trim(&f->nameraw, &f->nameraw_cap);
		f->next = s->fd_pool;
		s->fd_pool = f;
		s->fd_pool_n++;
	} else {
		fdinfo_release(f);
		free(f);
	}
	s->nfds--;
}

void fdinfo_release(struct fdinfo *f)
{
	free(f->name);
	free(f->nameraw);
}

/* An entry from the pool (its name buffers kept, empty) or a new one. */
static struct fdinfo *fdinfo_alloc(struct state *s)
{
	struct fdinfo *f = s->fd_pool;
	struct fdinfo keep;

	if (!f)
		return calloc(1, sizeof(*f));
	s->fd_pool = f->next;
	s->fd_pool_n--;
	keep = *f;
	memset(f, 0, sizeof(*f));
	f->name = keep.name;
	f->name_cap = keep.name_cap;
	f->nameraw = keep.nameraw;
	f->nameraw_cap = keep.nameraw_cap;
	if (f->name)
		f->name[0] = 0;
	if (f->nameraw)
		f->nameraw[0] = 0;
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

/* A new empty entry for fd in t (an older one removed), not yet in the table. */
static struct fdinfo *fd_entry(struct state *s, struct fdtable *t, int64_t fd, uint8_t type)
{
	struct fdinfo *f;

	fdtable_remove(s, t, fd);
	f = fdinfo_alloc(s);
	if (!f)
		return NULL;
	f->fd = fd;
	f->type = type;
	return f;
}

/* Put f in t; a new fd with a name: its name changed (libs). */
static struct fdinfo *fd_entry_add(struct state *s, struct fdtable *t, struct fdinfo *f)
{
	f->name_evt = f->name && *f->name ? s->cur_evt : 0;
	table_insert(&t->entries, f);
	s->nfds++;
	return f;
}

struct fdinfo *fdtable_insert(struct state *s, struct fdtable *t, int64_t fd, uint8_t type, char *name)
{
	struct fdinfo *f = fd_entry(s, t, fd, type);

	if (!f) {
		free(name);
		return NULL;
	}
	if (name) {
		free(f->name);
		f->name = name;
		f->name_len = strlen(name);
		f->name_cap = f->name_len + 1;
	} else if (fdinfo_set_name(f, "", 0)) {
		free(f->name); /* as strdup("") failing did */
		f->name = NULL;
		f->name_cap = 0;
	}
	return fd_entry_add(s, t, f);
}

struct fdinfo *fdtable_insert_name(struct state *s, struct fdtable *t, int64_t fd, uint8_t type, const char *name,
				   size_t len)
{
	struct fdinfo *f = fd_entry(s, t, fd, type);

	if (!f)
		return NULL;
	if (fdinfo_set_name(f, name, len)) {
		fdinfo_release(f);
		free(f);
		return NULL;
	}
	return fd_entry_add(s, t, f);
}

struct fdinfo *fdtable_insert_copy(struct state *s, struct fdtable *t, int64_t fd, const struct fdinfo *src)
{
	struct fdinfo *n = fdtable_insert_name(s, t, fd, src->type, src->name, src->name_len);

	if (n) {
		struct fdinfo keep = *n;

		*n = *src;
		n->fd = fd;
		n->name = keep.name;
		n->name_len = keep.name_len;
		n->name_cap = keep.name_cap;
		n->nameraw = keep.nameraw;
		n->nameraw_cap = keep.nameraw_cap;
		n->next = keep.next;
		n->name_evt = keep.name_evt;
		/* the raw name copied (already squeezed), else none */
		if ((!src->nameraw || fdinfo_set_nameraw(n, src->nameraw, strlen(src->nameraw), true)) && n->nameraw)
			n->nameraw[0] = 0;
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
