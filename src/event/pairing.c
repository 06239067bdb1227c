// SPDX-License-Identifier: Apache-2.0
/*
 * The enter-event cache: a hash map from tid to a copy of its last enter
 * event, decoded in place.
 */
#include <stdlib.h>
#include <string.h>

#include "event/pairing.h"

#define BUCKETS 4096

struct entry {
	uint64_t tid;
	uint8_t *buf;
	size_t cap;
	struct event ev;
	bool valid;
	struct entry *next;
};

struct enter_cache {
	struct entry *b[BUCKETS];
};

struct enter_cache *enter_cache_new(void)
{
	return calloc(1, sizeof(struct enter_cache));
}

void enter_cache_free(struct enter_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < BUCKETS; i++)
		for (struct entry *e = c->b[i], *n; e; e = n) {
			n = e->next;
			free(e->buf);
			free(e);
		}
	free(c);
}

static struct entry *find(struct enter_cache *c, uint64_t tid, bool create)
{
	struct entry **pp = &c->b[(tid * 0x9E3779B97F4A7C15ull) >> 52];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->tid == tid)
			return *pp;
	if (!create || !(*pp = calloc(1, sizeof(**pp))))
		return NULL;
	(*pp)->tid = tid;
	return *pp;
}

void enter_cache_apply(struct enter_cache *c, struct event *ev)
{
	struct entry *e;
	char err[128];

	if (!ev->info)
		return;
	if (ev->info->dir == 'E') {
		e = find(c, ev->tid, true);
		if (!e)
			return;
		if (ev->len > e->cap) {
			uint8_t *nb = realloc(e->buf, ev->len);

			if (!nb) {
				e->valid = false; /* never pair the exit with an older enter */
				return;
			}
			e->buf = nb;
			e->cap = ev->len;
		}
		memcpy(e->buf, ev->raw, ev->len);
		e->valid = event_decode(&e->ev, e->buf, ev->len, 0, err, sizeof(err)) == 0;
		return;
	}
	e = find(c, ev->tid, false);
	if (e && e->valid && e->ev.type + 1 == ev->type) {
		ev->enter = &e->ev;
		e->valid = false; /* one exit per enter */
	}
}

void enter_cache_forget(struct enter_cache *c, uint64_t tid)
{
	struct entry **pp = &c->b[(tid * 0x9E3779B97F4A7C15ull) >> 52];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->tid == tid) {
			struct entry *e = *pp;

			*pp = e->next;
			free(e->buf);
			free(e);
			return;
		}
}
