// SPDX-License-Identifier: Apache-2.0
/*
 * The string set behind `in (...)` and `intersects`: lookups cost one hash
 * of the length and end bytes and, mostly, one compare.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/strset.h"

/*
 * Set lookups hash the length and the first and last 8 bytes (paths share
 * prefixes, names are short); probing compares whole keys, so this only
 * has to spread, not to be unique.
 */
uint64_t strset_hash(const char *s, size_t n)
{
	uint64_t h = n * 0x9E3779B97F4A7C15ull, a, b;

	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	} else {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		h ^= a * 0xC2B2AE3D27D4EB4Full;
		h = (h ^ (h >> 31)) * 0x165667B19E3779F9ull;
		h ^= b * 0x9E3779B97F4A7C15ull;
	}
	return h ^ (h >> 29);
}

int strset_add(struct strset *s, const char *key)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		char **nk = calloc(nc, sizeof(*nk));
		size_t *nl = calloc(nc, sizeof(*nl));

		if (!nk || !nl) {
			free(nk);
			free(nl);
			return -1;
		}
		for (i = 0; i < s->cap; i++)
			if (s->keys[i]) {
				size_t j = strset_hash(s->keys[i], s->lens[i]) & (nc - 1);

				while (nk[j])
					j = (j + 1) & (nc - 1);
				nk[j] = s->keys[i];
				nl[j] = s->lens[i];
			}
		free(s->keys);
		free(s->lens);
		s->keys = nk;
		s->lens = nl;
		s->cap = nc;
	}
	i = strset_hash(key, strlen(key)) & (s->cap - 1);
	while (s->keys[i]) {
		if (!strcmp(s->keys[i], key))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->keys[i] = strdup(key);
	s->lens[i] = strlen(key);
	s->n++;
	return 0;
}

bool strset_has(const struct strset *s, const char *key, size_t len)
{
	size_t i;

	if (!s->cap)
		return false;
	i = strset_hash(key, len) & (s->cap - 1);
	while (s->keys[i]) {
		if (s->lens[i] == len && !memcmp(s->keys[i], key, len))
			return true;
		i = (i + 1) & (s->cap - 1);
	}
	return false;
}

void strset_release(struct strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->lens);
	memset(s, 0, sizeof(*s));
}

