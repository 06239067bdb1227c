/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside output/: a growing byte buffer and the JSON and text writers the
 * queue uses to build an alert's lines without a tree or a copy.
 */
#ifndef SAKER_OUTPUT_FORMAT_H
#define SAKER_OUTPUT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

struct output_opts;
struct alert;

struct obuf {
	char *p;
	size_t len, cap;
	bool failed;        /* an allocation failed: the content is cut */
};

int obuf_reserve(struct obuf *b, size_t more);
void obuf_add(struct obuf *b, const char *s, size_t n);
void obuf_puts(struct obuf *b, const char *s);
void obuf_release(struct obuf *b);

void json_string(struct obuf *b, const char *s);
void json_number(struct obuf *b, double d);

/* Append the alert's text line or JSON object (no newline). */
void alert_append_text(const struct output_opts *o, const struct alert *a, struct obuf *b);
void alert_append_json(const struct output_opts *o, const struct alert *a, struct obuf *b);

#endif
