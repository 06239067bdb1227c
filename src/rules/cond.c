// SPDX-License-Identifier: Apache-2.0
/*
 * The condition language: a context-sensitive lexer and a recursive-descent
 * parser into an AST. Macros are parsed and inlined where referenced (cycles
 * are errors), list names inside value lists expand to their items, and each
 * comparison becomes a check with its right side compiled for its field type.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields/resolver.h"
#include "rules/cond.h"
#include "rules/ruleset.h"

struct parser {
	struct ruleset *rs;
	const char *src;
	size_t pos;
	size_t tok;                /* start of the last identifier or value lexed */
	struct cond_error *e;      /* shared with the parsers of inlined macros */
	struct macro_item *macro;  /* whose condition src is, or NULL */
	int depth;
};

static const struct {
	const char *name;
	enum cmp_op op;
} ops[] = {
	{"==", CMP_EQ}, {"=", CMP_EQ}, {"!=", CMP_NE}, {"<=", CMP_LE}, {"<", CMP_LT}, {">=", CMP_GE},
	{">", CMP_GT}, {"contains", CMP_CONTAINS}, {"icontains", CMP_ICONTAINS},
	{"bcontains", CMP_BCONTAINS}, {"startswith", CMP_STARTSWITH},
	{"bstartswith", CMP_BSTARTSWITH}, {"endswith", CMP_ENDSWITH}, {"glob", CMP_GLOB},
	{"iglob", CMP_IGLOB}, {"regex", CMP_REGEX}, {"in", CMP_IN}, {"intersects", CMP_INTERSECTS},
	{"pmatch", CMP_PMATCH}, {"exists", CMP_EXISTS},
};

static const char *const xform_names[X_COUNT] = { "tolower", "toupper", "b64", "basename", "len" };

/* The first error wins: its message, where it is, and in which macro's text. */
static int fail_at(struct parser *p, size_t pos, const char *fmt, const char *arg)
{
	if (!p->e->msg[0]) {
		snprintf(p->e->msg, sizeof(p->e->msg), fmt, arg);
		p->e->pos = pos;
		p->e->macro = p->macro;
	}
	return -1;
}

/* A syntax error where the parser stands (after blanks). */
static int fail(struct parser *p, const char *fmt, const char *arg)
{
	while (p->src[p->pos] && isspace((unsigned char)p->src[p->pos]))
		p->pos++;
	if (!p->e->msg[0])
		p->e->syntax = true;
	return fail_at(p, p->pos, fmt, arg);
}

/* An error about the last token: an unknown field, a bad value. */
static int fail_tok(struct parser *p, const char *fmt, const char *arg)
{
	return fail_at(p, p->tok, fmt, arg);
}

static void skip_ws(struct parser *p)
{
	while (p->src[p->pos] && isspace((unsigned char)p->src[p->pos]))
		p->pos++;
}

static bool at_end(struct parser *p)
{
	skip_ws(p);
	return !p->src[p->pos];
}

/* An identifier: letters, digits, '_' and '.', with an optional [arg]. */
static int lex_ident(struct parser *p, char *out, size_t n)
{
	size_t start, len;

	skip_ws(p);
	start = p->tok = p->pos;
	while (isalnum((unsigned char)p->src[p->pos]) || p->src[p->pos] == '_' || p->src[p->pos] == '.' ||
	       p->src[p->pos] == '-')
		p->pos++;
	if (p->src[p->pos] == '[') {
		while (p->src[p->pos] && p->src[p->pos] != ']')
			p->pos++;
		if (p->src[p->pos] == ']')
			p->pos++;
	}
	len = p->pos - start;
	if (!len || len >= n)
		return -1;
	memcpy(out, p->src + start, len);
	out[len] = 0;
	return 0;
}

/* Peek a keyword (and, or, not, an operator name) as a whole word. */
static bool peek_word(struct parser *p, const char *w)
{
	size_t l = strlen(w);

	skip_ws(p);
	return strncmp(p->src + p->pos, w, l) == 0 && !isalnum((unsigned char)p->src[p->pos + l]) &&
	       p->src[p->pos + l] != '_' && p->src[p->pos + l] != '.';
}

static bool accept_word(struct parser *p, const char *w)
{
	if (!peek_word(p, w))
		return false;
	p->pos += strlen(w);
	return true;
}

static bool accept_char(struct parser *p, char c)
{
	skip_ws(p);
	if (p->src[p->pos] != c)
		return false;
	p->pos++;
	return true;
}

/* A value: quoted string (with \ escapes) or a bare word up to space , ( ). */
static char *lex_value(struct parser *p)
{
	char q, *out;
	size_t cap, n = 0;

	skip_ws(p);
	p->tok = p->pos;
	q = p->src[p->pos];
	cap = strlen(p->src + p->pos) + 1;
	out = malloc(cap);
	if (!out)
		return NULL;
	if (q == '"' || q == '\'') {
		p->pos++;
		while (p->src[p->pos] && p->src[p->pos] != q) {
			if (p->src[p->pos] == '\\' && p->src[p->pos + 1])
				p->pos++;
			out[n++] = p->src[p->pos++];
		}
		if (p->src[p->pos] != q) {
			free(out);
			fail(p, "unterminated string%s", "");
			return NULL;
		}
		p->pos++;
		out[n] = 0;
		return out;
	}
	{
		int paren = 0;

		while (p->src[p->pos] && !isspace((unsigned char)p->src[p->pos]) && p->src[p->pos] != ',') {
			char c = p->src[p->pos];

			/* parentheses inside a bare word are kept when balanced: "foo(bar)" */
			if (c == '(')
				paren++;
			if (c == ')' && paren-- == 0)
				break;
			out[n++] = c;
			p->pos++;
		}
	}
	out[n] = 0;
	if (!n) {
		free(out);
		fail(p, "expected a value%s", "");
		return NULL;
	}
	return out;
}

/* ------------------------------------------------------------ values */

struct vals {
	char **v;
	size_t n, cap;
};

static int vals_push(struct vals *vs, char *s)
{
	if (vs->n == vs->cap) {
		size_t nc = vs->cap ? vs->cap * 2 : 8;
		char **nv = realloc(vs->v, nc * sizeof(*nv));

		if (!nv) {
			free(s);
			return -1;
		}
		vs->v = nv;
		vs->cap = nc;
	}
	vs->v[vs->n++] = s;
	return 0;
}

/* A value as written: quoted ones are never list names. */
struct rawval {
	char *v;
	bool quoted;
};

struct rawvals {
	struct rawval *a;
	size_t n, cap;
};

static int raw_push(struct rawvals *r, char *v, bool quoted)
{
	if (!v)
		return -1;
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 8;
		struct rawval *na = realloc(r->a, nc * sizeof(*na));

		if (!na) {
			free(v);
			return -1;
		}
		r->a = na;
		r->cap = nc;
	}
	r->a[r->n++] = (struct rawval){ v, quoted };
	return 0;
}

static void raw_free(struct rawvals *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->a[i].v);
	free(r->a);
}

/* One list's items as Falco compiles them: a name of a list defined before it stands for that list's items. */
static int list_compiled(struct parser *p, struct list_item *l, struct rawvals *out)
{
	for (size_t i = 0; i < l->n; i++) {
		struct list_item *ref = rs_find_list(p->rs, l->items[i]);

		if (ref && ref < l) {
			ref->used = true;
			for (size_t k = 0; k < ref->n; k++)
				if (raw_push(out, strdup(ref->items[k]), strchr(ref->items[k], ' ') != NULL))
					return -1;
		} else if (raw_push(out, strdup(l->items[i]), strchr(l->items[i], ' ') != NULL)) {
			return -1;
		}
	}
	return 0;
}

/*
 * List names among values, replaced as Falco's text substitution does:
 * list by list in definition order, each name with that list's compiled
 * items. Items a list brings in are replaced by the lists after it, not by
 * itself or the ones before: a list naming itself keeps the name as a value.
 */
static int expand_lists(struct parser *p, struct rawvals *r)
{
	for (size_t li = 0; li < p->rs->nlists; li++) {
		struct list_item *l = &p->rs->lists[li];
		struct rawvals out = { 0 }, items = { 0 };
		bool hit = false;

		for (size_t i = 0; i < r->n && !hit; i++)
			hit = !r->a[i].quoted && !strcmp(r->a[i].v, l->name);
		if (!hit)
			continue;
		l->used = true;
		if (list_compiled(p, l, &items))
			goto oom;
		for (size_t i = 0; i < r->n; i++) {
			if (r->a[i].quoted || strcmp(r->a[i].v, l->name)) {
				if (raw_push(&out, r->a[i].v, r->a[i].quoted))
					goto oom;
				r->a[i].v = NULL;
				continue;
			}
			for (size_t k = 0; k < items.n; k++)
				if (raw_push(&out, strdup(items.a[k].v), items.a[k].quoted))
					goto oom;
		}
		raw_free(&items);
		raw_free(r);
		*r = out;
		continue;
oom:
		raw_free(&items);
		raw_free(&out);
		return -1;
	}
	return 0;
}

/* The expanded values into vs (taking them). */
static int raw_to_vals(struct rawvals *r, struct vals *vs)
{
	for (size_t i = 0; i < r->n; i++) {
		if (vals_push(vs, r->a[i].v))
			return -1;
		r->a[i].v = NULL;
	}
	return 0;
}

/*
 * Falco's compile warnings about a value (LOAD_COMPILE_CONDITION): a field
 * name written as a value (val() forgotten), and a regex that a simpler
 * operator does. The first one is kept, at the value's token.
 */
static void warn_tok(struct parser *p, const char *msg)
{
	if (p->e->wmsg[0])
		return;
	snprintf(p->e->wmsg, sizeof(p->e->wmsg), "%s", msg);
	p->e->wpos = p->tok;
	p->e->wmacro = p->macro;
}

static void check_value_warnings(struct parser *p, const char *v)
{
	char bare[256], err[128], msg[400];
	struct field_ref ref;
	size_t n = 0;

	for (const char *s = v; *s && n + 1 < sizeof(bare); s++)
		if (!isspace((unsigned char)*s))
			bare[n++] = *s;
	bare[n] = 0;
	if (strchr(bare, '.') && isalpha((unsigned char)bare[0]) && !field_resolve(bare, &ref, err, sizeof(err))) {
		snprintf(msg, sizeof(msg), "'%s' may be a valid field misused as a const string value", v);
		warn_tok(p, msg);
	}
}

static void check_regex_warning(struct parser *p, const char *v)
{
	size_t len = strlen(v);
	char msg[400];

	for (size_t i = 0; i < len; i++) {
		if ((i == 0 && v[i] == '^') || (i == len - 1 && v[i] == '$'))
			continue; /* anchors are implied */
		if (((i == 0 && len > 1) || i + 2 == len) && v[i] == '.' && strchr("+*?", v[i + 1])) {
			i++; /* a leading or trailing .* is contains, startswith or endswith */
			continue;
		}
		if (strchr(".+*?^$()[]{}|\\", v[i]))
			return;
	}
	snprintf(msg, sizeof(msg), "regex check with '%s' may be optimized with simpler operators such as "
		 "'=', 'contains', 'startswith', 'endswith'", v);
	warn_tok(p, msg);
}

/* "(a, b, list_name, 'c d')" */
static int parse_list(struct parser *p, struct vals *vs)
{
	struct rawvals r = { 0 };
	int rc = 0;

	if (!accept_char(p, '('))
		return fail(p, "expected '(' to start a list%s", "");
	if (accept_char(p, ')'))
		return 0;
	do {
		bool quoted;
		char *v;

		skip_ws(p);
		quoted = p->src[p->pos] == '"' || p->src[p->pos] == '\'';
		v = lex_value(p);
		if (v)
			check_value_warnings(p, v);
		if (raw_push(&r, v, quoted)) {
			raw_free(&r);
			return -1;
		}
	} while (accept_char(p, ','));
	if (!accept_char(p, ')'))
		rc = fail(p, "expected ',' or ')' in a list%s", "");
	else if (expand_lists(p, &r) || raw_to_vals(&r, vs))
		rc = -1;
	raw_free(&r);
	return rc;
}

/* ------------------------------------------------------------ checks */

static void vals_free(struct vals *vs)
{
	for (size_t k = 0; k < vs->n; k++)
		free(vs->v[k]);
	free(vs->v);
}

static bool is_numeric_type(enum field_type t)
{
	return t == FT_UINT || t == FT_INT || t == FT_BOOL || t == FT_PORT || t == FT_RELTIME || t == FT_ABSTIME;
}

static bool op_is_string(enum cmp_op op)
{
	return op == CMP_CONTAINS || op == CMP_ICONTAINS || op == CMP_BCONTAINS || op == CMP_STARTSWITH ||
	       op == CMP_BSTARTSWITH || op == CMP_ENDSWITH || op == CMP_GLOB || op == CMP_IGLOB ||
	       op == CMP_REGEX || op == CMP_PMATCH;
}

static int parse_num(const char *s, enum field_type t, int64_t *out)
{
	char *end;

	if (t == FT_BOOL) {
		if (!strcmp(s, "true")) { *out = 1; return 0; }
		if (!strcmp(s, "false")) { *out = 0; return 0; }
	}
	errno = 0;
	*out = strtoll(s, &end, 0);
	if (errno == ERANGE)
		*out = (int64_t)strtoull(s, &end, 0);
	return (*s && !*end) ? 0 : -1;
}

static int parse_net(const char *s, uint32_t *net, uint32_t *mask)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	int bits = 32;
	struct in_addr a;

	snprintf(buf, sizeof(buf), "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
	if (slash)
		bits = atoi(slash + 1);
	if (bits < 0 || bits > 32 || inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	*mask = bits ? htonl(~0u << (32 - bits)) : 0;
	*net = a.s_addr & *mask;
	return 0;
}

/* bcontains and bstartswith take bytes in hex, as in Falco: decode in place; -1 on bad hex. */
static int hex_decode(char *v, size_t *len)
{
	size_t n = strlen(v), o = 0;

	if (n % 2)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		char pair[3] = { v[i], v[i + 1], 0 }, *end;

		if (!isxdigit((unsigned char)v[i]) || !isxdigit((unsigned char)v[i + 1]))
			return -1;
		v[o++] = (char)strtoul(pair, &end, 16);
	}
	*len = o;
	return 0;
}

/* Prepare the right side of a check for fast evaluation. */
static int check_prepare(struct parser *p, struct check *c, const char *field)
{
	bool numeric = is_numeric_type(c->type) && c->nxforms == 0;
	bool hex = c->op == CMP_BCONTAINS || c->op == CMP_BSTARTSWITH;

	c->vlens = calloc(c->nvals + 1, sizeof(*c->vlens));
	for (size_t i = 0; c->vlens && i < c->nvals; i++) {
		c->vlens[i] = strlen(c->vals[i]);
		if (hex && c->rhs_slot < 0 && hex_decode(c->vals[i], &c->vlens[i]))
			return fail_tok(p, "bcontains and bstartswith take bytes in hex (like 0a1b), not '%s'", c->vals[i]);
	}
	if (c->op == CMP_EXISTS)
		return 0;
	if (numeric && op_is_string(c->op)) {
		return fail_tok(p, "operator cannot be applied to numeric field '%s'", field);
	}
	if ((c->op == CMP_LT || c->op == CMP_LE || c->op == CMP_GT || c->op == CMP_GE) && !numeric &&
	    c->type != FT_STRING) {
		return fail_tok(p, "ordering comparison on non-numeric field '%s'", field);
	}
	if (c->rhs_slot >= 0)
		return 0; /* val(field): the other field's value at each event */
	if (c->lhs.def && (c->lhs.def->flags & FF_RESOLVES) && (c->op == CMP_EQ || c->op == CMP_NE || c->op == CMP_IN))
		for (size_t i = 0; i < c->nvals; i++) /* Falco: the names a rule mentions are resolved in the background */
			resolver_watch(c->vals[i]);
	if (numeric) {
		c->nums = calloc(c->nvals + 1, sizeof(*c->nums));
		for (size_t i = 0; i < c->nvals; i++)
			if (parse_num(c->vals[i], c->type, &c->nums[i])) {
				char msg[sizeof(p->e->msg)];

				snprintf(msg, sizeof(msg), "'%s' is not a number, as field '%s' needs", c->vals[i], field);
				return fail_tok(p, "%s", msg);
			}
		return 0;
	}
	if ((c->type == FT_IPNET || c->type == FT_IPADDR) && c->op != CMP_IN && c->op != CMP_EQ && c->op != CMP_NE)
		return 0;
	if (c->type == FT_IPNET || (c->type == FT_IPADDR && c->nvals && strchr(c->vals[0], '/'))) {
		c->nets = calloc(c->nvals + 1, sizeof(uint32_t));
		c->masks = calloc(c->nvals + 1, sizeof(uint32_t));
		for (size_t i = 0; i < c->nvals; i++)
			if (parse_net(c->vals[i], &c->nets[i], &c->masks[i])) {
				free(c->nets);
				free(c->masks);
				c->nets = c->masks = NULL;
				break;
			}
		if (c->nets)
			return 0;
	}
	if (c->op == CMP_IN || c->op == CMP_INTERSECTS)
		for (size_t i = 0; i < c->nvals; i++)
			strset_add(&c->set, c->vals[i]);
	if (c->op == CMP_REGEX) {
		c->re = calloc(1, sizeof(*c->re));
		if (!c->re || regcomp(c->re, c->vals[0], REG_EXTENDED | REG_NOSUB)) {
			free(c->re);
			c->re = NULL;
			return fail_tok(p, "invalid regular expression '%s'", c->vals[0]);
		}
		c->has_re = true;
	}
	return 0;
}

/* An existing check making the same comparison (same slot, operator and values), or -1. */
static int find_check(const struct ruleset *rs, const struct check *c)
{
	for (size_t i = 0; i < rs->nchecks; i++) {
		const struct check *o = &rs->checks[i];
		size_t k;

		if (o->slot != c->slot || o->op != c->op || o->quant != Q_NONE || o->rhs_slot != c->rhs_slot ||
		    o->nvals != c->nvals || o->nsubs)
			continue;
		for (k = 0; k < c->nvals; k++)
			if (o->vlens[k] != c->vlens[k] || memcmp(o->vals[k], c->vals[k], c->vlens[k]))
				break;
		if (k == c->nvals)
			return i;
	}
	return -1;
}

static int add_check(struct ruleset *rs, struct check *c)
{
	struct check *nc = realloc(rs->checks, (rs->nchecks + 1) * sizeof(*nc));

	if (!nc)
		return -1;
	rs->checks = nc;
	rs->checks[rs->nchecks] = *c;
	return rs->nchecks++;
}

/* lhs: field, or transformer(lhs). Fills the check's field, transformers and slot key. */
static int parse_lhs(struct parser *p, struct check *c, char *key, size_t keylen)
{
	char id[256], ferr[256];

	if (lex_ident(p, id, sizeof(id)))
		return fail(p, "expected a field name%s", "");
	for (int x = 0; x < X_COUNT; x++)
		if (!strcmp(id, xform_names[x]) && accept_char(p, '(')) {
			char inner[512];

			if (c->nxforms >= SLOT_MAX_XFORMS)
				return fail(p, "too many nested transformers%s", "");
			if (parse_lhs(p, c, inner, sizeof(inner)))
				return -1;
			if (!accept_char(p, ')'))
				return fail(p, "expected ')' after transformer argument%s", "");
			c->xforms[c->nxforms++] = x;
			snprintf(key, keylen, "%s(%s)", id, inner);
			if (x == X_LEN)
				c->type = FT_UINT;
			else if (x != X_BASENAME || c->type != FT_STRING)
				c->type = FT_STRING;
			return 0;
		}
	if (field_resolve(id, &c->lhs, ferr, sizeof(ferr))) {
		if (!strchr(id, '.'))
			return fail_tok(p, "Undefined macro '%s' used in filter.", id);
		return fail_tok(p, "%s", ferr);
	}
	c->type = c->lhs.def->type;
	snprintf(key, keylen, "%s", id);
	return 0;
}

static struct ast *parse_or(struct parser *p);

/*
 * A quantifier after the operator: "anyof", "allof" or "oneof", followed by
 * a list "(a, b)" or a list name. Without one of those after it, the word is
 * an ordinary value ("proc.name = oneof" compares with the text "oneof").
 */
static enum quant parse_quant(struct parser *p)
{
	size_t save = p->pos;

	for (enum quant q = Q_ANY; q <= Q_ONE; q++) {
		char id[256];
		size_t after;

		if (!accept_word(p, quant_names[q]))
			continue;
		after = p->pos;
		skip_ws(p);
		if (p->src[p->pos] == '(' || (!lex_ident(p, id, sizeof(id)) && rs_find_list(p->rs, id))) {
			p->pos = after;
			return q;
		}
		break;
	}
	p->pos = save;
	return Q_NONE;
}

/*
 * "field op anyof (v1, v2)": one sub-check per value, each compiled as
 * "field op v"; the quantified check counts how many of them hold.
 */
static struct ast *parse_quantified(struct parser *p, struct check *c, const char *key)
{
	struct vals vs = { 0 };
	int idx;

	skip_ws(p);
	if (p->src[p->pos] == '(') {
		if (parse_list(p, &vs))
			goto bad;
	} else {
		struct rawvals r = { 0 };
		bool quoted = p->src[p->pos] == '"' || p->src[p->pos] == '\'';
		int rc = raw_push(&r, lex_value(p), quoted) || expand_lists(p, &r) || raw_to_vals(&r, &vs);

		raw_free(&r);
		if (rc)
			goto bad;
	}
	if (!vs.n) {
		fail(p, "anyof, allof and oneof need at least one value%s", "");
		goto bad;
	}
	c->sub0 = p->rs->nchecks;
	c->nsubs = vs.n;
	for (size_t i = 0; i < vs.n; i++) {
		struct check sub = *c;

		sub.quant = Q_NONE;
		sub.nsubs = 0;
		sub.vals = malloc(sizeof(char *));
		if (!sub.vals)
			goto bad;
		sub.vals[0] = vs.v[i];
		vs.v[i] = NULL;
		sub.nvals = 1;
		if (check_prepare(p, &sub, key) || add_check(p->rs, &sub) < 0) {
			check_release(&sub);
			goto bad;
		}
	}
	free(vs.v);
	idx = add_check(p->rs, c);
	return idx < 0 ? NULL : ast_check(idx);
bad:
	vals_free(&vs);
	return NULL;
}

/* The operator after the left side. */
static int parse_op(struct parser *p, struct check *c, const char *key)
{
	skip_ws(p);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const char *o = ops[i].name;

		if (isalpha((unsigned char)o[0]) ? peek_word(p, o) : !strncmp(p->src + p->pos, o, strlen(o))) {
			p->pos += strlen(o);
			c->op = ops[i].op;
			return 0;
		}
	}
	return fail(p, "expected an operator after field '%s'", key);
}

/* "val(field)": the right side is another field, read through its own slot. */
static int parse_val_field(struct parser *p, struct check *c)
{
	char id[256], ferr[256];

	p->pos += 4;
	if (lex_ident(p, id, sizeof(id)) || !accept_char(p, ')'))
		return fail(p, "expected val(field)%s", "");
	if (field_resolve(id, &c->rhs, ferr, sizeof(ferr)))
		return fail_tok(p, "%s", ferr);
	if (c->rhs.def->flags & FF_FILTER_ONLY)
		return fail_tok(p, "field '%s' is filter only: it has no value for val()", c->rhs.def->name);
	if (c->op == CMP_REGEX)
		return fail_tok(p, "regex takes a pattern written in the rule, not val(%s)", c->rhs.def->name);
	c->rhs_slot = slots_get(&p->rs->slots, id, &c->rhs, NULL, 0);
	return 0;
}

/* The right side of an unquantified check: a list, val(field), one value, or nothing (exists). */
static int parse_rhs(struct parser *p, struct check *c, struct vals *vs)
{
	struct list_item *l;
	bool quoted;
	char *v;

	if (c->op == CMP_IN || c->op == CMP_INTERSECTS || c->op == CMP_PMATCH)
		return parse_list(p, vs);
	if (c->op == CMP_EXISTS)
		return 0;
	skip_ws(p);
	if (!strncmp(p->src + p->pos, "val(", 4))
		return parse_val_field(p, c);
	quoted = p->src[p->pos] == '"' || p->src[p->pos] == '\'';
	v = lex_value(p);
	if (!v)
		return -1;
	if (c->op == CMP_REGEX)
		check_regex_warning(p, v);
	check_value_warnings(p, v);
	if (!quoted && (l = rs_find_list(p->rs, v))) {
		/* a list name as the whole right side stands for its items, as in
		 * Falco, where that is one value ("proc.name = one_item_list") */
		struct rawvals r = { 0 };
		int rc = raw_push(&r, v, false) || expand_lists(p, &r) ? -1 : 0;

		if (!rc && r.n != 1)
			rc = fail_tok(p, "list '%s' stands for more or fewer than one value here", l->name);
		if (!rc)
			rc = raw_to_vals(&r, vs);
		raw_free(&r);
		return rc;
	}
	return vals_push(vs, v) ? -1 : 0;
}

/* c as a check of the ruleset: an existing one making the same comparison is shared (c released). */
static struct ast *check_share(struct parser *p, struct check *c)
{
	int idx = find_check(p->rs, c);

	if (idx >= 0)
		check_release(c);
	else if ((idx = add_check(p->rs, c)) < 0)
		check_release(c);
	return idx < 0 ? NULL : ast_check(idx);
}

/*
 * evt.around[T] = D, libs' filter-only TYPE_AROUND: '=' and one number of
 * milliseconds (exists, as libs, is D = 0). The check (CMP_AROUND) compares
 * T with the event's time, the field's value.
 */
static struct ast *parse_around(struct parser *p, struct check *c, const char *key)
{
	char msg[sizeof(p->e->msg)];
	uint64_t t = 0, d = 0;
	size_t at = p->tok;
	char *v;

	if (c->nxforms) {
		fail_at(p, at, "field '%s' takes no transformer: evt.around[T] = D compares times", c->lhs.def->name);
		return NULL;
	}
	c->slot = slots_get(&p->rs->slots, key, &c->lhs, NULL, 0);
	skip_ws(p);
	at = p->pos;
	if (parse_op(p, c, key))
		return NULL;
	if (c->op != CMP_EQ && c->op != CMP_EXISTS) {
		fail_at(p, at, "evt.around supports only '=' comparison operator%s", "");
		return NULL;
	}
	skip_ws(p);
	if (c->op == CMP_EQ && (parse_quant(p) != Q_NONE || !strncmp(p->src + p->pos, "val(", 4))) {
		fail(p, "evt.around[T] = D takes one number of milliseconds as D%s", "");
		return NULL;
	}
	v = c->op == CMP_EQ ? lex_value(p) : strdup("0");
	if (!v)
		return NULL;
	if (field_parse_u64(v, &d) || d > UINT64_MAX / 1000000) {
		snprintf(msg, sizeof(msg), "'%s' is not a number of milliseconds, as evt.around[T] = D needs for D", v);
		free(v);
		fail_tok(p, "%s", msg);
		return NULL;
	}
	field_parse_u64(c->lhs.arg, &t); /* checked by field_resolve */
	c->op = CMP_AROUND;
	c->vals = malloc(sizeof(*c->vals));
	c->vlens = calloc(1, sizeof(*c->vlens));
	c->nums = calloc(2, sizeof(*c->nums));
	if (!c->vals || !c->vlens || !c->nums) {
		free(v);
		check_release(c);
		return NULL;
	}
	c->vals[0] = v;
	c->vlens[0] = strlen(v);
	c->nvals = 1;
	c->nums[0] = (int64_t)t;
	c->nums[1] = (int64_t)(d * 1000000);
	return check_share(p, c);
}

static struct ast *parse_check(struct parser *p)
{
	struct check c;
	struct vals vs = { 0 };
	char key[512];

	memset(&c, 0, sizeof(c));
	c.rhs_slot = -1;
	if (parse_lhs(p, &c, key, sizeof(key)))
		return NULL;
	if (c.lhs.def->flags & FA_TIME)
		return parse_around(p, &c, key);
	c.slot = slots_get(&p->rs->slots, key, &c.lhs, c.xforms, c.nxforms);
	if (parse_op(p, &c, key))
		return NULL;
	c.quant = parse_quant(p);
	if (c.quant != Q_NONE) {
		if (c.op == CMP_IN || c.op == CMP_INTERSECTS || c.op == CMP_PMATCH || c.op == CMP_EXISTS) {
			fail(p, "anyof, allof and oneof apply to operators that compare one value, not '%s'",
			     cmp_names[c.op]);
			return NULL;
		}
		return parse_quantified(p, &c, key);
	}
	if (parse_rhs(p, &c, &vs)) {
		vals_free(&vs);
		return NULL;
	}
	c.vals = vs.v;
	c.nvals = vs.n;
	if (check_prepare(p, &c, key)) {
		check_release(&c);
		return NULL;
	}
	return check_share(p, &c);
}

/* A macro reference: parse its condition in place (an error in it is reported in the macro). */
static struct ast *parse_macro(struct parser *p, struct macro_item *m)
{
	struct parser sub = { p->rs, m->condition, 0, 0, p->e, m, p->depth + 1 };
	struct ast *a;

	if (m->visiting || p->depth > 64) {
		fail_tok(p, "reference loop in macro '%s'", m->name);
		return NULL;
	}
	m->used = true;
	m->visiting = true;
	a = parse_or(&sub);
	if (a && !at_end(&sub)) {
		ast_free(a);
		a = NULL;
		fail(&sub, "unexpected text in macro condition%s", "");
	}
	m->visiting = false;
	return a;
}

static struct ast *parse_primary(struct parser *p)
{
	size_t save;
	char id[256];

	skip_ws(p);
	if (accept_char(p, '(')) {
		struct ast *a = parse_or(p);

		if (a && !accept_char(p, ')')) {
			ast_free(a);
			fail(p, "expected ')'%s", "");
			return NULL;
		}
		return a;
	}
	save = p->pos;
	if (lex_ident(p, id, sizeof(id)) == 0 && !strchr(id, '.') && !strchr(id, '[')) {
		struct macro_item *m = rs_find_macro(p->rs, id);

		if (m && p->macro && m->index >= p->macro->visibility)
			m = NULL; /* as in Falco, a macro sees only the macros defined before it (or before its appends) */
		skip_ws(p);
		if (m && p->src[p->pos] != '(')
			return parse_macro(p, m);
		if (!m && p->src[p->pos] != '(') {
			fail_tok(p, "Undefined macro '%s' used in filter.", id);
			return NULL;
		}
	}
	p->pos = save;
	return parse_check(p);
}

static struct ast *parse_not(struct parser *p)
{
	if (accept_word(p, "not")) {
		struct ast *a = parse_not(p);

		return a ? ast_new(A_NOT, a, NULL) : NULL;
	}
	return parse_primary(p);
}

static struct ast *parse_and(struct parser *p)
{
	struct ast *l = parse_not(p);

	while (l && accept_word(p, "and")) {
		struct ast *r = parse_not(p);

		if (!r) {
			ast_free(l);
			return NULL;
		}
		l = ast_new(A_AND, l, r);
	}
	return l;
}

static struct ast *parse_or(struct parser *p)
{
	struct ast *l = parse_and(p);

	while (l && accept_word(p, "or")) {
		struct ast *r = parse_and(p);

		if (!r) {
			ast_free(l);
			return NULL;
		}
		l = ast_new(A_OR, l, r);
	}
	return l;
}

struct ast *cond_parse(struct ruleset *rs, const char *text, struct cond_error *e)
{
	struct parser p = { rs, text, 0, 0, e, NULL, 0 };
	struct ast *a;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < rs->nmacros && !p.macro; i++) /* a macro's own text: parsed as that macro's */
		if (rs->macros[i].condition == text)
			p.macro = &rs->macros[i];
	if (at_end(&p)) {
		e->syntax = true;
		fail_at(&p, 0, "empty condition%s", "");
		return NULL;
	}
	a = parse_or(&p);
	if (a && !at_end(&p)) {
		ast_free(a);
		a = NULL;
		fail(&p, "unexpected text '%.20s' after the condition", text + p.pos);
	}
	if (!a && !e->msg[0]) {
		e->syntax = true;
		fail_at(&p, p.pos, "cannot parse condition%s", "");
	}
	return a;
}
