// SPDX-License-Identifier: Apache-2.0
/*
 * The field registry: the class tables chained in one order, resolving a
 * field text to a field and its argument, extracting through it, and
 * rendering values as Falco prints them. The extractors live in one file
 * per class (evt.c, proc.c, user.c, fd.c, fields_container.c); they never allocate.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/print.h"
#include "fields/extract.h"

/* Every class table, in registry order (docs and --list follow it). */
static const struct field_def *const field_tables[] = {
	fields_evt, fields_io, fields_syscall, fields_proc, fields_user, fields_fd, fields_fdlist, fields_fspath,
	field_registry_container,
};

#define NTABLES (sizeof(field_tables) / sizeof(field_tables[0]))

/* The first entry of table t or a later one, or NULL past the last. */
static const struct field_def *first_from(size_t t)
{
	for (; t < NTABLES; t++)
		if (field_tables[t]->name)
			return field_tables[t];
	return NULL;
}

const struct field_def *field_registry_next(const struct field_def *prev)
{
	if (!prev)
		return first_from(0);
	if (prev[1].name)
		return prev + 1;
	for (size_t t = 0; t < NTABLES; t++) { /* prev ends a table: which one? */
		const struct field_def *f = field_tables[t];

		while (f->name && f != prev)
			f++;
		if (f == prev)
			return first_from(t + 1);
	}
	return NULL;
}

/* The registered field with the longest name that prefixes text at a boundary. */
static const struct field_def *longest_prefix(const char *text, size_t *len)
{
	const struct field_def *best = NULL;
	size_t bl = 0, tl = strlen(text);

	for (size_t t = 0; t < NTABLES; t++)
		for (const struct field_def *f = field_tables[t]; f->name; f++) {
			size_t l;

			if (f->name[0] != text[0]) /* no prefix (every name is non-empty): skip its strlen */
				continue;
			l = strlen(f->name);
			if (l > bl && l <= tl && strncmp(text, f->name, l) == 0 &&
			    (text[l] == 0 || text[l] == '[' || (text[l] == '.' && (f->flags & (FA_KEY | FA_TIME)))))
				best = f, bl = l;
		}
	*len = bl;
	return best;
}

/* -------------------------------------------------------------- resolve */

/*
 * Field arguments interned for the life of the process: event parameter
 * lookups cache by the address of the name, and a ruleset freed and
 * loaded again must not hand a cached address a different name.
 */
struct interned {
	struct interned *next;
	char text[];
};

static const char *intern(const char *text)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct interned *pool;
	struct interned *e;
	size_t l = strlen(text);

	pthread_mutex_lock(&lock);
	for (e = pool; e && strcmp(e->text, text); e = e->next)
		;
	if (!e && (e = malloc(sizeof(*e) + l + 1))) {
		memcpy(e->text, text, l + 1);
		e->next = pool;
		pool = e;
	}
	pthread_mutex_unlock(&lock);
	return e ? e->text : NULL;
}

/*
 * A FA_TIME argument: "[T]", T a time in ns as a 64-bit unsigned number,
 * kept as text in arg (the check that compares with it parses it again).
 */
static int resolve_time_arg(const char *rest, struct field_ref *out, char *err, size_t n)
{
	const struct field_def *f = out->def;
	size_t l = strlen(rest);

	if (*rest != '[' || rest[l - 1] != ']' || l < 3) {
		snprintf(err, n, "wrong syntax for field '%s': it takes [T], a time in ns since the epoch", f->name);
		return -1;
	}
	snprintf(out->arg, sizeof(out->arg), "%.*s", (int)(l - 2), rest + 1);
	out->has_arg = true;
	if (field_parse_u64(out->arg, NULL)) {
		snprintf(err, n, "'%s' is not a valid number: field '%s' takes [T], a time in ns since the epoch",
			 out->arg, f->name);
		return -1;
	}
	return 0;
}

int field_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || *end)
		return -1;
	if (out)
		*out = v;
	return 0;
}

/* The argument after a field name: ".key", "[key]" or "[N]", checked against the field's rules. */
static int resolve_arg(const char *text, const char *rest, struct field_ref *out, char *err, size_t n)
{
	const struct field_def *f = out->def;
	size_t l = strlen(rest);
	long long idx;
	char *end;

	if (f->flags & FA_TIME)
		return resolve_time_arg(rest, out, err, n);
	if (*rest == '.') {
		snprintf(out->arg, sizeof(out->arg), "%s", rest + 1);
		out->has_arg = true;
		return 0;
	}
	if (rest[l - 1] != ']' || l < 3) {
		snprintf(err, n, "malformed argument in field '%s'", text);
		return -1;
	}
	snprintf(out->arg, sizeof(out->arg), "%.*s", (int)(l - 2), rest + 1);
	out->has_arg = true;
	idx = strtoll(out->arg, &end, 10);
	out->idx = idx;
	if (!*end && idx != out->idx) {
		snprintf(err, n, "index '%s' of field '%s' is out of range", out->arg, f->name);
		return -1;
	}
	if (*end) {
		out->idx = -1;
		if (!(f->flags & FA_KEY)) {
			snprintf(err, n, "field '%s' takes a numeric index, not '%s'", f->name, out->arg);
			return -1;
		}
	} else if (!(f->flags & FA_INDEX)) {
		if (!(f->flags & FA_KEY)) {
			snprintf(err, n, "field '%s' takes no argument", f->name);
			return -1;
		}
		out->idx = -1;
	} else {
		out->arg[0] = 0;
	}
	return 0;
}

int field_resolve(const char *text, struct field_ref *out, char *err, size_t n)
{
	size_t bl;
	const struct field_def *best = longest_prefix(text, &bl);

	memset(out, 0, sizeof(*out));
	out->idx = -1;
	if (!best) {
		snprintf(err, n, "unknown field '%s'", text);
		return -1;
	}
	out->def = best;
	if (text[bl] && resolve_arg(text, text + bl, out, err, n))
		return -1;
	if ((best->flags & FA_REQUIRED) && !out->has_arg) {
		snprintf(err, n, "field '%s' requires an argument", best->name);
		return -1;
	}
	if (out->has_arg && !(best->flags & (FA_KEY | FA_INDEX | FA_TIME))) {
		snprintf(err, n, "field '%s' takes no argument", best->name);
		return -1;
	}
	if (!(out->key = intern(out->arg))) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	return 0;
}

size_t field_value_format(const struct field_value *v, char *out, size_t n)
{
	size_t o = 0;

	if (!v->count)
		return snprintf(out, n, "<NA>");
	if (v->list) /* libs' tostring of an EPF_IS_LIST field: "(a,b)" */
		o += snprintf(out, n, "(");
	for (uint32_t i = 0; i < v->count && o < n; i++) {
		if (i)
			o += snprintf(out + o, n - o, ",");
		if (o >= n)
			break;
		switch (v->type) {
		case FT_BYTES: { /* as sysdig prints a buffer: dots, or base64 under -b */
			struct strbuf sb;

			strbuf_init(&sb, out + o, n - o);
			event_put_bytes(&sb, (const uint8_t *)v->s[i], v->len[i]);
			o += sb.len < n - o ? sb.len : n - o - 1;
			break;
		}
		case FT_STRING: case FT_IPADDR: case FT_IPNET:
			if (v->s[i]) {
				o += snprintf(out + o, n - o, "%.*s", (int)v->len[i], v->s[i]);
				break;
			}
			/* a raw number in a string-typed field */
			__attribute__((fallthrough));
		case FT_INT: case FT_RELTIME: case FT_ABSTIME:
			o += snprintf(out + o, n - o, "%" PRId64, v->n[i]);
			break;
		case FT_UINT: case FT_PORT:
			o += snprintf(out + o, n - o, "%" PRIu64, (uint64_t)v->n[i]);
			break;
		case FT_BOOL:
			o += snprintf(out + o, n - o, "%s", v->n[i] ? "true" : "false");
			break;
		}
	}
	if (v->list && o < n)
		o += snprintf(out + o, n - o, ")");
	return o < n ? o : n - 1;
}

const char *field_type_name(enum field_type t)
{
	static const char *const names[] = { "CHARBUF", "UINT64", "INT64", "BOOL", "IPADDR", "IPNET",
					     "PORT", "RELTIME", "ABSTIME", "BYTEBUF" };

	return t <= FT_BYTES ? names[t] : "?";
}

size_t field_class_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? (size_t)(dot - name) : strlen(name);
}

