// SPDX-License-Identifier: Apache-2.0
/*
 * Rule output formats: "%field" tokens checked at load time, rendered per
 * alert with control characters escaped so a value cannot forge a line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/format.h"
#include "rules/ruleset.h"

#define CONTAINER_INFO "container_id=%container.id container_name=%container.name"

static bool field_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '[' || c == ']' || c == '-';
}

static int tok_push(struct output_fmt *f, bool is_field, const char *text, size_t n)
{
	struct output_tok *nt = realloc(f->toks, (f->n + 1) * sizeof(*nt));

	if (!nt)
		return -1;
	f->toks = nt;
	memset(&nt[f->n], 0, sizeof(*nt));
	nt[f->n].is_field = is_field;
	nt[f->n].text = strndup(text, n);
	nt[f->n].slot = -1;
	f->n++;
	return 0;
}

void format_free(struct output_fmt *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->toks[i].text);
	free(f->toks);
	free(f);
}

static struct output_fmt *parse(struct slots *sc, const char *cinfo, const char *fmt, char *err, size_t n);

/* The end of a field name after '%': field characters up to a bracketed argument's ']'; no trailing '.'. */
static const char *field_end(const char *start)
{
	const char *p = start;

	while (field_char(*p) && *p != ']') {
		/* an argument in brackets may hold any character but ']' (container.mount[/data]);
		 * it ends the field ("[%evt.arg[0]]") */
		if (*p == '[' && strchr(p, ']')) {
			p = strchr(p, ']') + 1;
			break;
		}
		p++;
	}
	/* a trailing '.' belongs to the text ("... %fd.name.") */
	while (p > start && p[-1] == '.')
		p--;
	return p;
}

/* Add the tokens of %name: %container.info stands for its fields (cinfo, or the default); else one resolved field. */
static int push_field(struct slots *sc, const char *cinfo, struct output_fmt *f, const char *name, char *err, size_t n)
{
	char ferr[256], own[192];
	const char *key = name;
	struct field_ref ref;

	if (!strcmp(name, "container.info")) {
		struct output_fmt *sub = parse(sc, NULL, cinfo ? cinfo : CONTAINER_INFO, err, n);

		if (!sub)
			return -1;
		for (size_t i = 0; i < sub->n; i++) {
			tok_push(f, sub->toks[i].is_field, sub->toks[i].text, strlen(sub->toks[i].text));
			f->toks[f->n - 1].slot = sub->toks[i].slot;
			f->toks[f->n - 1].ref = sub->toks[i].ref;
		}
		format_free(sub);
		return 0;
	}
	if (field_resolve(name, &ref, ferr, sizeof(ferr))) {
		snprintf(err, n, "invalid output format token '%%%s': %s", name, ferr);
		return -1;
	}
	if (ref.def->flags & FF_FILTER_ONLY) { /* libs: EPF_FILTER_ONLY fields have no value to print */
		snprintf(err, n, "invalid output format token '%%%s': field '%s' is filter only", name, ref.def->name);
		return -1;
	}
	tok_push(f, true, name, strlen(name));
	if ((ref.def->flags & FF_OUTPUT_SELF) && !ref.has_arg) {
		/* %proc.aname prints the event's own value, as libs; conditions match any ancestor */
		snprintf(own, sizeof(own), "%s[0]", name);
		ref.idx = 0;
		key = own;
	}
	f->toks[f->n - 1].ref = ref;
	if (sc)
		f->toks[f->n - 1].slot = slots_get(sc, key, &ref, NULL, 0);
	return 0;
}

/* Split into literal and field tokens; fields are resolved (sc may be NULL: check only). */
static struct output_fmt *parse(struct slots *sc, const char *cinfo, const char *fmt, char *err, size_t n)
{
	struct output_fmt *f = calloc(1, sizeof(*f));
	const char *p = fmt, *lit = fmt;

	if (!f)
		return NULL;
	while (*p) {
		const char *start;
		char name[256];
		size_t l;

		if (*p != '%') {
			p++;
			continue;
		}
		if (p > lit)
			tok_push(f, false, lit, p - lit);
		start = ++p;
		if (*p == '%') { /* "%%" is a literal percent */
			lit = p++;
			continue;
		}
		p = field_end(start);
		l = p - start;
		if (!l || l >= sizeof(name)) {
			snprintf(err, n, "invalid output format token at '%.20s'", start - 1);
			format_free(f);
			return NULL;
		}
		memcpy(name, start, l);
		name[l] = 0;
		if (push_field(sc, cinfo, f, name, err, n)) {
			format_free(f);
			return NULL;
		}
		lit = p;
	}
	if (p > lit)
		tok_push(f, false, lit, p - lit);
	return f;
}

struct output_fmt *format_parse(struct slots *sc, const char *cinfo, const char *fmt, char *err, size_t n)
{
	return parse(sc, cinfo, fmt, err, n);
}

int output_format_check(const char *fmt, char *err, size_t n)
{
	struct output_fmt *f = parse(NULL, NULL, fmt, err, n);

	if (!f)
		return -1;
	format_free(f);
	return 0;
}

static bool keep_line_breaks;

void rule_format_keep_line_breaks(bool keep)
{
	keep_line_breaks = keep;
}

/* Append text, escaping control characters. */
static size_t put_escaped(char *out, size_t o, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < len && o + 5 < n; i++) {
		unsigned char c = s[i];

		if (keep_line_breaks && (c == '\n' || c == '\t')) {
			out[o++] = c;
		} else if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			o += snprintf(out + o, n - o, "\\x%02x", c);
		} else {
			out[o++] = c;
		}
	}
	out[o < n ? o : n - 1] = 0;
	return o;
}

/* Value of a token: through the rule set's cache when it has a slot. */
static const struct field_value *tok_value(struct ruleset *rs, struct output_tok *t, struct field_ctx *fctx,
					   struct field_value *tmp, char *buf)
{
	char *saved;

	if (t->slot >= 0)
		return slots_value(&rs->slots, t->slot, fctx);
	saved = fctx->buf;
	fctx->buf = buf;
	field_extract(fctx, &t->ref, tmp);
	fctx->buf = saved;
	return tmp;
}

static size_t render(struct ruleset *rs, const struct output_fmt *f, struct field_ctx *fctx, char *out, size_t o,
		     size_t n)
{
	static char buf[FIELD_BUF_SIZE];
	char val[FIELD_BUF_SIZE];

	for (size_t i = 0; i < f->n && o + 1 < n; i++) {
		struct output_tok *t = &f->toks[i];

		if (!t->is_field) {
			size_t l = strlen(t->text);

			if (o + l >= n)
				l = n - o - 1;
			memcpy(out + o, t->text, l);
			o += l;
			out[o] = 0;
			continue;
		}
		struct field_value tmp;
		const struct field_value *v = tok_value(rs, t, fctx, &tmp, buf);
		size_t vl = field_value_format(v, val, sizeof(val));

		o = put_escaped(out, o, n, val, vl);
	}
	return o;
}

size_t rule_format_output(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx, const char *extra,
			  char *out, size_t n)
{
	size_t o = 0;

	out[0] = 0;
	if (!r->fmt)
		return 0;
	o = render(rs, r->fmt, fctx, out, 0, n);
	if (extra && *extra) {
		char err[256];
		struct output_fmt *x = format_parse(NULL, rs->container_info, extra, err, sizeof(err));

		if (x) {
			if (o + 1 < n)
				out[o++] = ' ';
			o = render(rs, x, fctx, out, o, n);
			format_free(x);
		}
	}
	return o;
}

void rule_output_fields(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx, const char *extra,
			output_field_fn fn, void *ctx)
{
	static char buf[FIELD_BUF_SIZE];
	struct output_fmt *x = NULL;
	char err[256];

	if (!r->fmt)
		return;
	if (extra && *extra)
		x = format_parse(NULL, rs->container_info, extra, err, sizeof(err));
	for (int pass = 0; pass < 2; pass++) {
		const struct output_fmt *f = pass ? x : r->fmt;

		for (size_t i = 0; f && i < f->n; i++) {
			struct field_value tmp;

			if (!f->toks[i].is_field)
				continue;
			fn(ctx, f->toks[i].text, tok_value(rs, &f->toks[i], fctx, &tmp, buf));
		}
	}
	format_free(x);
}

bool rule_output_missing(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx)
{
	static char buf[FIELD_BUF_SIZE];

	for (size_t i = 0; r->fmt && i < r->fmt->n; i++) {
		struct field_value tmp;

		if (r->fmt->toks[i].is_field && !tok_value(rs, &r->fmt->toks[i], fctx, &tmp, buf)->count)
			return true;
	}
	return false;
}
