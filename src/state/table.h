/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one hash table of src/state: chained entries keyed by an int64 (threads
 * by tid, fds by number), the key and the chain link at fixed offsets inside
 * each entry, so entries need no separate nodes. Grows at two entries per
 * bucket; lookups are inline, they run several times per event.
 */
#ifndef SAKER_STATE_TABLE_H
#define SAKER_STATE_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct table {
	void **buckets;
	unsigned nbuckets;      /* a power of two */
	unsigned count;
	unsigned key_off;       /* offsetof the int64_t key in an entry */
	unsigned next_off;      /* offsetof the entry's chain pointer */
};

/* Set up an empty table of nbuckets (a power of two); -ENOMEM. */
int table_init(struct table *t, unsigned nbuckets, size_t key_off, size_t next_off);
/* Free the buckets (not the entries). Accepts a table that failed to init. */
void table_release(struct table *t);

/* Insert an entry whose key is not in the table (callers unlink first). */
void table_insert(struct table *t, void *entry);
/* Take the entry of `key` out of the table; NULL when there is none. */
void *table_unlink(struct table *t, int64_t key);
/* Call fn for every entry; fn may unlink (and free) the entry it is given. */
void table_foreach(const struct table *t, void (*fn)(void *ctx, void *entry), void *ctx);

static inline uint64_t table_hash(int64_t k)
{
	uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15ull;

	return x ^ (x >> 29);
}

static inline int64_t table_key(const struct table *t, const void *entry)
{
	int64_t k;

	memcpy(&k, (const char *)entry + t->key_off, sizeof(k));
	return k;
}

static inline void **table_next(const struct table *t, void *entry)
{
	return (void **)((char *)entry + t->next_off);
}

/* The entry of `key`, or NULL. */
static inline void *table_find(const struct table *t, int64_t key)
{
	void *e;

	if (!t->buckets)
		return NULL;
	for (e = t->buckets[table_hash(key) & (t->nbuckets - 1)]; e; e = *table_next(t, e))
		if (table_key(t, e) == key)
			return e;
	return NULL;
}

#endif
