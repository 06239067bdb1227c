/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fixed-capacity string builder that truncates instead of overflowing.
 * Used to format values without allocating per event.
 */
#ifndef SAKER_STRBUF_H
#define SAKER_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t cap;
	size_t len;
};

void strbuf_init(struct strbuf *sb, char *buf, size_t cap);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
