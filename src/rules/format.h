/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rule output formats: a format string split into literal text and %field
 * tokens, each field resolved at load (and given a cache slot, so an alert
 * reads values the conditions already extracted).
 */
#ifndef SAKER_RULES_FORMAT_H
#define SAKER_RULES_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "fields/fields.h"
#include "rules/slot.h"

struct output_tok {
	bool is_field;
	char *text;                /* literal text or field name */
	int slot;                  /* cache slot for fields, -1 without one */
	struct field_ref ref;
};

struct output_fmt {
	struct output_tok *toks;
	size_t n;
};

/*
 * Parse a format; with sc, fields get slots in it; %container.info stands
 * for cinfo (NULL: container_id and container_name). NULL with a message in
 * err when a token is malformed or names an unknown field.
 */
struct output_fmt *format_parse(struct slots *sc, const char *cinfo, const char *fmt, char *err, size_t n);
void format_free(struct output_fmt *f);

#endif
