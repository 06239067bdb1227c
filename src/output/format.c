// SPDX-License-Identifier: Apache-2.0
/*
 * Falco's alert formats: the text line "<time>: <Priority> <output>" and the
 * JSON object (hostname, output, output_fields, priority, rule, source, tags,
 * time), with the json_include_* and time_format_iso_8601 options. The
 * rendered message comes from the rules; this file only assembles the alert.
 * JSON is written straight into a growing buffer (no tree per alert), with
 * cJSON's escaping and number forms so the bytes match what cJSON printed.
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields/fields.h"
#include "output/format.h"
#include "output/output.h"

#define MAX_FIELDS 64

struct alert_fields {
	struct obuf body;                /* "name":value,"name":value */
	char *names[MAX_FIELDS];         /* for first-value-wins */
	size_t n;
};

/* ------------------------------------------------------------- buffers */

int obuf_reserve(struct obuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->failed)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void obuf_add(struct obuf *b, const char *s, size_t n)
{
	if (obuf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void obuf_puts(struct obuf *b, const char *s)
{
	obuf_add(b, s, strlen(s));
}

void obuf_release(struct obuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* A JSON string: cJSON's escapes (short forms, \u00XX below 0x20), bytes >= 0x80 as they are. */
void json_string(struct obuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (obuf_reserve(b, 2))
		return;
	b->p[b->len++] = '"';
	for (;;) {
		const unsigned char *run = p;

		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		obuf_add(b, (const char *)run, p - run);
		if (!*p || obuf_reserve(b, 6))
			break;
		b->p[b->len++] = '\\';
		switch (*p) {
		case '"': b->p[b->len++] = '"'; break;
		case '\\': b->p[b->len++] = '\\'; break;
		case '\b': b->p[b->len++] = 'b'; break;
		case '\f': b->p[b->len++] = 'f'; break;
		case '\n': b->p[b->len++] = 'n'; break;
		case '\r': b->p[b->len++] = 'r'; break;
		case '\t': b->p[b->len++] = 't'; break;
		default:
			b->p[b->len++] = 'u';
			b->p[b->len++] = '0';
			b->p[b->len++] = '0';
			b->p[b->len++] = hex[*p >> 4];
			b->p[b->len++] = hex[*p & 15];
		}
		p++;
	}
	obuf_add(b, "\"", 1);
}

/* A JSON number as cJSON prints it: an int when it is one, else 15 digits, 17 when 15 lose bits. */
void json_number(struct obuf *b, double d)
{
	char num[32];
	double back;
	int n;

	if (isnan(d) || isinf(d)) {
		obuf_puts(b, "null");
		return;
	}
	if (d >= -2147483648.0 && d <= 2147483647.0 && d == (double)(int)d) {
		n = snprintf(num, sizeof(num), "%d", (int)d);
	} else {
		n = snprintf(num, sizeof(num), "%1.15g", d);
		/* cJSON's test: recovered within DBL_EPSILON of the larger magnitude */
		if (sscanf(num, "%lg", &back) != 1 || fabs(back - d) > fmax(fabs(back), fabs(d)) * DBL_EPSILON)
			n = snprintf(num, sizeof(num), "%1.17g", d);
	}
	obuf_add(b, num, (size_t)n);
}

/* -------------------------------------------------------------- options */

static int dup_str(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? -ENOMEM : 0;
}

int output_opts_copy(struct output_opts *dst, const struct output_opts *src)
{
	int rc = 0;

	*dst = *src;
	rc |= dup_str(&dst->file_filename, src->file_filename);
	rc |= dup_str(&dst->program, src->program);
	rc |= dup_str(&dst->http_url, src->http_url);
	rc |= dup_str(&dst->http_user_agent, src->http_user_agent);
	rc |= dup_str(&dst->http_ca_cert, src->http_ca_cert);
	rc |= dup_str(&dst->http_ca_bundle, src->http_ca_bundle);
	rc |= dup_str(&dst->http_ca_path, src->http_ca_path);
	if (rc) {
		output_opts_release(dst);
		return -ENOMEM;
	}
	return 0;
}

void output_opts_release(struct output_opts *o)
{
	free(o->file_filename);
	free(o->program);
	free(o->http_url);
	free(o->http_user_agent);
	free(o->http_ca_cert);
	free(o->http_ca_bundle);
	free(o->http_ca_path);
	o->file_filename = o->program = o->http_url = o->http_user_agent = NULL;
	o->http_ca_cert = o->http_ca_bundle = o->http_ca_path = NULL;
}

/* --------------------------------------------------------------- fields */

struct alert_fields *alert_fields_new(void)
{
	return calloc(1, sizeof(struct alert_fields));
}

void alert_fields_free(struct alert_fields *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->names[i]);
	obuf_release(&f->body);
	free(f);
}

/* Start "name": unless the name is there already (false: skip the value). */
static bool field_key(struct alert_fields *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->names[i], name))
			return false;
	if (f->n == MAX_FIELDS || !(f->names[f->n] = strdup(name)))
		return false;
	f->n++;
	if (f->body.len)
		obuf_add(&f->body, ",", 1);
	json_string(&f->body, name);
	obuf_add(&f->body, ":", 1);
	return true;
}

static bool is_number_type(enum field_type t)
{
	return t == FT_UINT || t == FT_INT || t == FT_PORT || t == FT_RELTIME || t == FT_ABSTIME;
}

void alert_fields_add(void *fields, const char *name, const struct field_value *v)
{
	struct alert_fields *f = fields;
	char buf[FIELD_BUF_SIZE];

	if (!field_key(f, name))
		return;
	if (!v->count) {
		obuf_puts(&f->body, "null");
	} else if (v->count == 1 && !v->s[0] && is_number_type(v->type)) {
		json_number(&f->body, (double)v->n[0]);
	} else if (v->count == 1 && !v->s[0] && v->type == FT_BOOL) {
		obuf_puts(&f->body, v->n[0] ? "true" : "false");
	} else if (v->list) { /* libs' tojson of an EPF_IS_LIST field: an array */
		obuf_add(&f->body, "[", 1);
		for (uint32_t i = 0; i < v->count; i++) {
			struct field_value one = { .type = v->type, .count = 1, .s = { v->s[i] }, .len = { v->len[i] },
						   .n = { v->n[i] } };

			if (i)
				obuf_add(&f->body, ",", 1);
			field_value_format(&one, buf, sizeof(buf));
			json_string(&f->body, buf);
		}
		obuf_add(&f->body, "]", 1);
	} else {
		field_value_format(v, buf, sizeof(buf));
		json_string(&f->body, buf);
	}
}

void alert_fields_add_number(struct alert_fields *f, const char *name, double v)
{
	if (field_key(f, name))
		json_number(&f->body, v);
}

void alert_fields_add_counts(struct alert_fields *f, const char *name, const char *const *keys,
			     const uint64_t *counts, size_t n)
{
	if (!field_key(f, name))
		return;
	obuf_add(&f->body, "{", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			obuf_add(&f->body, ",", 1);
		json_string(&f->body, keys[i]);
		obuf_add(&f->body, ":", 1);
		json_number(&f->body, (double)counts[i]);
	}
	obuf_add(&f->body, "}", 1);
}

/* ---------------------------------------------------------------- times */

/* "HH:MM:SS" local or "YYYY-mm-ddTHH:MM:SS" UTC for a second, cached per thread (alerts come in bursts). */
static const char *second_text(time_t secs, bool utc_iso)
{
	static __thread time_t last[2] = { -1, -1 };
	static __thread char text[2][32];
	struct tm tm;

	if (last[utc_iso] != secs) {
		if (utc_iso)
			gmtime_r(&secs, &tm);
		else
			localtime_r(&secs, &tm);
		strftime(text[utc_iso], sizeof(text[0]), utc_iso ? "%Y-%m-%dT%H:%M:%S" : "%H:%M:%S", &tm);
		last[utc_iso] = secs;
	}
	return text[utc_iso];
}

size_t alert_format_text(const struct output_opts *o, const struct alert *a, char *buf, size_t n)
{
	time_t secs = a->ts / 1000000000ull;
	unsigned ns = a->ts % 1000000000ull;

	return (size_t)snprintf(buf, n, "%s.%09u%s: %s %s", second_text(secs, o->time_format_iso_8601), ns,
				o->time_format_iso_8601 ? "+0000" : "", a->priority, a->output);
}

void alert_append_text(const struct output_opts *o, const struct alert *a, struct obuf *b)
{
	time_t secs = a->ts / 1000000000ull;
	char head[64];
	int n;

	n = snprintf(head, sizeof(head), "%s.%09u%s: ", second_text(secs, o->time_format_iso_8601),
		     (unsigned)(a->ts % 1000000000ull), o->time_format_iso_8601 ? "+0000" : "");
	obuf_add(b, head, (size_t)n);
	obuf_puts(b, a->priority);
	obuf_add(b, " ", 1);
	obuf_puts(b, a->output);
}

/* -------------------------------------------------------------- objects */

static void json_key(struct obuf *b, const char *key, bool first)
{
	if (!first)
		obuf_add(b, ",", 1);
	json_string(b, key);
	obuf_add(b, ":", 1);
}

void alert_append_json(const struct output_opts *o, const struct alert *a, struct obuf *b)
{
	char when[64];

	snprintf(when, sizeof(when), "%s.%09uZ", second_text(a->ts / 1000000000ull, true),
		 (unsigned)(a->ts % 1000000000ull));
	obuf_add(b, "{", 1);
	json_key(b, "hostname", true);
	json_string(b, a->hostname ? a->hostname : "");
	if (o->json_include_output_property) {
		json_key(b, "output", false);
		json_string(b, a->output);
	}
	if (o->json_include_output_fields_property && a->fields) {
		json_key(b, "output_fields", false);
		obuf_add(b, "{", 1);
		if (a->fields->body.len)
			obuf_add(b, a->fields->body.p, a->fields->body.len);
		obuf_add(b, "}", 1);
	}
	json_key(b, "priority", false);
	json_string(b, a->priority);
	json_key(b, "rule", false);
	json_string(b, a->rule);
	json_key(b, "source", false);
	json_string(b, a->source);
	if (o->json_include_tags_property) {
		json_key(b, "tags", false);
		obuf_add(b, "[", 1);
		for (size_t i = 0; i < a->ntags; i++) {
			if (i)
				obuf_add(b, ",", 1);
			json_string(b, a->tags[i]);
		}
		obuf_add(b, "]", 1);
	}
	json_key(b, "time", false);
	json_string(b, when);
	obuf_add(b, "}", 1);
}

char *alert_format_json(const struct output_opts *o, const struct alert *a)
{
	struct obuf b = { 0 };

	alert_append_json(o, a, &b);
	if (b.failed) {
		obuf_release(&b);
		return NULL;
	}
	return b.p;
}
