// SPDX-License-Identifier: Apache-2.0
/*
 * Fixed-capacity string builder: appends are cut at capacity, the buffer is
 * always NUL-terminated.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "event/strbuf.h"

void strbuf_init(struct strbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	if (cap)
		buf[0] = 0;
}

void strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + 1 >= sb->cap)
		return;
	if (n > sb->cap - sb->len - 1)
		n = sb->cap - sb->len - 1;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->len + 1 >= sb->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb->len += (size_t)n < sb->cap - sb->len ? (size_t)n : sb->cap - sb->len - 1;
}
