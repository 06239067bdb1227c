/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A set of strings for `in` and `intersects`: open addressing over hashes of
 * the length and the end bytes, probed with whole-key compares.
 */
#ifndef SAKER_RULES_STRSET_H
#define SAKER_RULES_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	char **keys;
	size_t *lens;              /* length of each key, compared before the bytes */
	size_t cap, n;
};

/* Add a copy of key (once). 0, or -1 when out of memory. */
int strset_add(struct strset *s, const char *key);
/* Is the len bytes at key (not NUL-terminated) a member? */
bool strset_has(const struct strset *s, const char *key, size_t len);
void strset_release(struct strset *s);
/* The hash the sets use (length and end bytes), for tables of other shapes. */
uint64_t strset_hash(const char *s, size_t n);

#endif
