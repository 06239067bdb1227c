// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the config loader. Input: a saker.yaml, then optionally
 * a NUL byte and -o overrides, one per line; the tree is built, edited and
 * read into struct config (every key of the table), then released.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t ylen = nul ? (size_t)(nul - data) : size;
	char err[512], *ov = NULL, *line, *save = NULL;
	struct config_tree *t = config_tree_load_buffer("fuzz.yaml", (const char *)data, ylen, err, sizeof(err));
	struct config c;

	if (!t)
		return 0;
	if (nul) {
		ov = strndup((const char *)nul + 1, size - ylen - 1);
		for (line = strtok_r(ov, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			config_tree_set(t, line, err, sizeof(err));
	}
	config_read(t, &c, NULL, err, sizeof(err));
	config_release(&c);
	config_tree_free(t);
	free(ov);
	return 0;
}
