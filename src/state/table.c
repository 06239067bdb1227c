// SPDX-License-Identifier: Apache-2.0
/*
 * The int64-keyed chained hash table behind the thread table and every fd
 * table: insertion with doubling, unlinking by key, iteration that tolerates
 * the removal of the current entry.
 */
#include <errno.h>
#include <stdlib.h>

#include "state/table.h"

int table_init(struct table *t, unsigned nbuckets, size_t key_off, size_t next_off)
{
	t->buckets = calloc(nbuckets, sizeof(*t->buckets));
	t->nbuckets = t->buckets ? nbuckets : 0;
	t->count = 0;
	t->key_off = key_off;
	t->next_off = next_off;
	return t->buckets ? 0 : -ENOMEM;
}

void table_release(struct table *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = t->count = 0;
}

/* Double the buckets; on allocation failure the table stays as it is. */
static void table_grow(struct table *t)
{
	unsigned n = t->nbuckets * 2;
	void **nb = calloc(n, sizeof(*nb));

	if (!nb)
		return;
	for (unsigned i = 0; i < t->nbuckets; i++)
		for (void *e = t->buckets[i], *next; e; e = next) {
			void **link = table_next(t, e);
			uint64_t b = table_hash(table_key(t, e)) & (n - 1);

			next = *link;
			*link = nb[b];
			nb[b] = e;
		}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = n;
}

void table_insert(struct table *t, void *entry)
{
	uint64_t b;

	if (t->count >= t->nbuckets * 2)
		table_grow(t);
	b = table_hash(table_key(t, entry)) & (t->nbuckets - 1);
	*table_next(t, entry) = t->buckets[b];
	t->buckets[b] = entry;
	t->count++;
}

void *table_unlink(struct table *t, int64_t key)
{
	void **pp;

	if (!t->buckets)
		return NULL;
	for (pp = &t->buckets[table_hash(key) & (t->nbuckets - 1)]; *pp; pp = table_next(t, *pp))
		if (table_key(t, *pp) == key) {
			void *e = *pp;

			*pp = *table_next(t, e);
			t->count--;
			return e;
		}
	return NULL;
}

void table_foreach(const struct table *t, void (*fn)(void *ctx, void *entry), void *ctx)
{
	for (unsigned i = 0; i < t->nbuckets; i++)
		for (void *e = t->buckets[i], *next; e; e = next) {
			next = *table_next(t, e);
			fn(ctx, e);
		}
}
