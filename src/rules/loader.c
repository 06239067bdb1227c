// SPDX-License-Identifier: Apache-2.0
/*
 * Loading rules files: YAML documents of items (rule, macro, list,
 * required_engine_version, required_plugin_versions), with append and
 * override, into the ruleset. Every problem becomes a message naming file,
 * line, column, item type and name, with a code in Falco's vocabulary.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rules/ruleset.h"
#include "rules/ynode.h"

/* ------------------------------------------------------------- helpers */

struct ctx {
	struct ruleset *rs;
	const char *file;
	const char *type;
	const char *name;
	const struct ynode *item;  /* the item being loaded: its place comes first in messages */
};

/* A message at node n of the current item; error or warning by the macros below. */
static void msg_at(struct ctx *c, bool error, const struct ynode *n, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void msg_at(struct ctx *c, bool error, const struct ynode *n, const char *code, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (c->item && n && n != c->item) { /* a value inside the item: Falco's "value for" place */
		struct load_loc v;

		memset(&v, 0, sizeof(v));
		snprintf(v.item_type, sizeof(v.item_type), "value for");
		snprintf(v.name, sizeof(v.name), "%s", c->file);
		v.line = n->line - 1;
		v.col = n->col - 1;
		v.offset = n->off;
		rs_msg_locs(c->rs, error, code, c->file, c->item->line, c->item->col, c->type, c->name, &v, 1, "%s", buf);
		return;
	}
	rs_msg(c->rs, error, code, c->file, n ? n->line : 0, n ? n->col : 0, c->type, c->name, "%s", buf);
}

#define err_at(c, n, ...) msg_at(c, true, n, __VA_ARGS__)
#define warn_at(c, n, ...) msg_at(c, false, n, __VA_ARGS__)

/* Falco's texts for these (its rule_loading_messages.h says the same) */
#define MSG_APPEND_DEPRECATED "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') " \
			      "under 'override' instead."
#define MSG_ENABLED_DEPRECATED "The standalone 'enabled' key usage is deprecated. The correct approach requires " \
			       "also a 'replace' entry under the 'override' key (i.e. 'enabled: replace')."
#define MSG_OVERRIDE_AND_APPEND "Keys 'override' and 'append: true' cannot be used together. Add an 'append' " \
				"entry (e.g. 'condition: append') under 'override' instead."
#define MSG_NO_PREVIOUS_MACRO "Macro uses 'append' or 'override.condition: append' but no macro by that name " \
			      "already exists"
#define MSG_NO_PREVIOUS_LIST "List uses 'append' or 'override.items: append' but no list by that name already exists"
#define MSG_NO_PREVIOUS_RULE_APPEND "Rule uses 'append' or 'override.<key>: append' but no rule by that name " \
				    "already exists"
#define MSG_NO_PREVIOUS_RULE_REPLACE "An 'override.<key>: replace' to a rule was requested but no rule by that " \
				     "name already exists"
#define RGX_IDENTIFIER "([a-zA-Z]+[a-zA-Z0-9_]*)"
#define RGX_BARESTR "([^()\"'[:space:]=,]+)"

/* A message about an exception of the current item: its place ("exception 'name'") after the item's. */
static void exc_msg(struct ctx *c, bool error, const struct ynode *n, const char *exc, const char *code, const char *msg)
{
	struct load_loc v;

	memset(&v, 0, sizeof(v));
	snprintf(v.item_type, sizeof(v.item_type), "exception");
	snprintf(v.item_name, sizeof(v.item_name), "%s", exc);
	snprintf(v.name, sizeof(v.name), "%s", c->file);
	v.line = n->line - 1;
	v.col = n->col - 1;
	v.offset = n->off;
	rs_msg_locs(c->rs, error, code, c->file, c->item->line, c->item->col, c->type, c->name, &v, 1, "%s", msg);
}

/* Falco's name checks: macros are identifiers, lists bare strings (what a condition can name). */
static bool macro_name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static bool list_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (strchr("()\"'=,", *s) || isspace((unsigned char)*s))
			return false;
	return true;
}

static const char *scalar(struct ctx *c, const struct ynode *n, const char *key)
{
	if (!n)
		return NULL;
	if (n->kind != Y_SCALAR) {
		err_at(c, n, "LOAD_ERR_YAML_VALIDATE", "'%s' must be a string", key);
		return NULL;
	}
	return n->value;
}

static int parse_bool(struct ctx *c, const struct ynode *n, const char *key, bool *out)
{
	const char *v = scalar(c, n, key);

	if (!v)
		return -1;
	if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "no")) {
		*out = false;
		return 0;
	}
	err_at(c, n, "LOAD_ERR_YAML_VALIDATE", "'%s' must be true or false, not '%s'", key, v);
	return -1;
}

/* A sequence of scalars as a string array. */
static int str_seq(struct ctx *c, const struct ynode *n, const char *key, char ***out, size_t *count)
{
	char **a;

	*out = NULL;
	*count = 0;
	if (n->kind == Y_SCALAR && !*n->value)
		return 0;
	if (n->kind != Y_SEQ) {
		err_at(c, n, "LOAD_ERR_YAML_VALIDATE", "'%s' must be a list", key);
		return -1;
	}
	a = calloc(n->n + 1, sizeof(*a));
	if (!a)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind != Y_SCALAR) {
			err_at(c, n->items[i], "LOAD_ERR_YAML_VALIDATE", "items of '%s' must be strings", key);
			for (size_t k = 0; k < i; k++)
				free(a[k]);
			free(a);
			return -1;
		}
		a[i] = strdup(n->items[i]->value);
	}
	*out = a;
	*count = n->n;
	return 0;
}

static char *concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *r = malloc(la + lb + 2);

	if (r) {
		memcpy(r, a, la);
		r[la] = ' ';
		memcpy(r + la + 1, b, lb + 1);
	}
	return r;
}

/* Which keys an override may touch, and how. */
static bool override_allowed(const char *type, const char *key, const char *how)
{
	static const char *const rule_append[] = { "condition", "output", "desc", "tags", "exceptions", NULL };
	static const char *const rule_replace[] = { "condition", "output", "desc", "priority", "tags",
						    "exceptions", "enabled", "warn_evttypes",
						    "skip-if-unknown-filter", NULL };
	const char *const *ok;

	if (!strcmp(type, "list"))
		return !strcmp(key, "items");
	if (!strcmp(type, "macro"))
		return !strcmp(key, "condition");
	ok = !strcmp(how, "append") ? rule_append : rule_replace;
	for (; *ok; ok++)
		if (!strcmp(*ok, key))
			return true;
	return false;
}

/* ---------------------------------------------------------------- items */

static int check_keys(struct ctx *c, const struct ynode *item, const char *const *known)
{
	for (size_t i = 0; i + 1 < item->n; i += 2) {
		const char *k = item->items[i]->value;
		bool found = false;

		for (const char *const *kk = known; *kk; kk++)
			if (k && !strcmp(k, *kk))
				found = true;
		if (!found)
			warn_at(c, item->items[i], "LOAD_UNKNOWN_KEY", "unknown key '%s'", k ? k : "?");
	}
	return 0;
}

/* Read an `override:` map: key -> "append"/"replace". */
static int read_override(struct ctx *c, const struct ynode *ov, const struct ynode *item, bool *any)
{
	*any = false;
	if (!ov)
		return 0;
	if (ov->kind != Y_MAP) {
		err_at(c, ov, "LOAD_ERR_YAML_VALIDATE", "'override' must be a map of key: append|replace");
		return -1;
	}
	for (size_t i = 0; i + 1 < ov->n; i += 2) {
		const char *k = ov->items[i]->value, *how = ov->items[i + 1]->value;

		if (!how || (strcmp(how, "append") && strcmp(how, "replace"))) {
			err_at(c, ov->items[i + 1], "LOAD_ERR_YAML_VALIDATE", "override of '%s' must be append or replace", k);
			return -1;
		}
		if (!override_allowed(c->type, k, how)) {
			err_at(c, ov->items[i], "LOAD_ERR_YAML_VALIDATE", "key '%s' cannot be overridden with %s", k, how);
			return -1;
		}
		if (!ynode_get(item, k)) {
			err_at(c, ov->items[i], "LOAD_ERR_YAML_VALIDATE", "override of '%s' without a '%s' key", k, k);
			return -1;
		}
		*any = true;
	}
	return 0;
}

/*
 * An item's modification keys: a legacy `append: true` (deprecated, with
 * Falco's warning) or an `override` map, never both. *append and *has_ov say
 * which; -1 after an error.
 */
static int read_modify(struct ctx *c, const struct ynode *item, bool *append, bool *has_ov)
{
	const struct ynode *ap = ynode_get(item, "append");

	*append = false;
	if (ap && parse_bool(c, ap, "append", append))
		return -1;
	if (*append)
		warn_at(c, item, "LOAD_DEPRECATED_ITEM", MSG_APPEND_DEPRECATED);
	if (read_override(c, ynode_get(item, "override"), item, has_ov))
		return -1;
	if (*append && *has_ov) {
		err_at(c, item, "LOAD_ERR_YAML_VALIDATE", MSG_OVERRIDE_AND_APPEND);
		return -1;
	}
	return 0;
}

static const char *override_how(const struct ynode *ov, const char *key)
{
	const struct ynode *h = ynode_get(ov, key);

	return h && h->kind == Y_SCALAR ? h->value : NULL;
}

/* Append n values to a list (taking them), after dropping its items when replacing. */
static int list_extend(struct list_item *l, char **vals, size_t n, bool replace)
{
	char **ni;

	if (replace) {
		strv_free(l->items, l->n);
		l->items = NULL;
		l->n = 0;
	}
	ni = realloc(l->items, (l->n + n + 1) * sizeof(*ni));
	if (!ni) {
		strv_free(vals, n);
		return -1;
	}
	l->items = ni;
	memcpy(l->items + l->n, vals, n * sizeof(*vals));
	l->n += n;
	free(vals);
	return 0;
}

/* A new list at the end, with its position for messages. */
static int list_add(struct ctx *c, const struct ynode *item, char **vals, size_t n)
{
	struct list_item *l, *nl = realloc(c->rs->lists, (c->rs->nlists + 1) * sizeof(*nl));

	if (!nl) {
		strv_free(vals, n);
		return -1;
	}
	c->rs->lists = nl;
	l = &nl[c->rs->nlists++];
	memset(l, 0, sizeof(*l));
	l->name = strdup(c->name);
	l->items = vals;
	l->n = n;
	snprintf(l->file, sizeof(l->file), "%s", c->file);
	l->line = item->line;
	l->col = item->col;
	return 0;
}

static int load_list(struct ctx *c, const struct ynode *item)
{
	static const char *const keys[] = { "list", "items", "append", "override", NULL };
	const struct ynode *items = ynode_get(item, "items");
	const struct ynode *ov = ynode_get(item, "override");
	struct list_item *l = rs_find_list(c->rs, c->name);
	bool append = false, has_ov;
	char **vals;
	size_t n;

	check_keys(c, item, keys);
	if (!items) {
		err_at(c, item, "LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'items'");
		return -1;
	}
	if (read_modify(c, item, &append, &has_ov))
		return -1;
	if (has_ov && override_how(ov, "items") && !strcmp(override_how(ov, "items"), "append"))
		append = true;
	if (str_seq(c, items, "items", &vals, &n))
		return -1;
	if ((append || has_ov) && !l) {
		err_at(c, item, "LOAD_ERR_VALIDATE", MSG_NO_PREVIOUS_LIST);
		strv_free(vals, n);
		return -1;
	}
	if (append || has_ov)
		return list_extend(l, vals, n, !append);
	if (l) /* a later definition replaces, keeping the first position */
		return list_extend(l, vals, n, true);
	return list_add(c, item, vals, n);
}

/*
 * The next step of Falco's item counter, for macros (rule_loader_collector:
 * a macro's index is its first definition's step, its visibility its last
 * definition's or append's; only macros compare them).
 */
static unsigned macro_step(const struct ruleset *rs)
{
	unsigned next = 0;

	for (size_t i = 0; i < rs->nmacros; i++)
		if (rs->macros[i].visibility >= next)
			next = rs->macros[i].visibility + 1;
	return next;
}

static int load_macro(struct ctx *c, const struct ynode *item)
{
	static const char *const keys[] = { "macro", "condition", "append", "override", NULL };
	const struct ynode *cn = ynode_get(item, "condition");
	const struct ynode *ov = ynode_get(item, "override");
	struct macro_item *m = rs_find_macro(c->rs, c->name), *nm;
	bool append = false, has_ov;
	const char *cond;

	check_keys(c, item, keys);
	if (!cn) {
		err_at(c, item, "LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'condition'");
		return -1;
	}
	cond = scalar(c, cn, "condition");
	if (!cond || read_modify(c, item, &append, &has_ov))
		return -1;
	if (has_ov && override_how(ov, "condition") && !strcmp(override_how(ov, "condition"), "append"))
		append = true;
	if (append || has_ov) {
		char *nc;

		if (!m) {
			err_at(c, item, "LOAD_ERR_VALIDATE", MSG_NO_PREVIOUS_MACRO);
			return -1;
		}
		nc = append ? concat(m->condition, cond) : strdup(cond);
		free(m->condition);
		m->condition = nc;
		m->visibility = macro_step(c->rs);
		return 0;
	}
	if (m) {
		m->visibility = macro_step(c->rs);
		free(m->condition);
		free(m->cond_src);
		m->condition = strdup(cond);
		m->cond_src = strdup(cond);
		m->cond_pos = (struct src_pos){ cn->line, cn->col, cn->off };
		snprintf(m->file, sizeof(m->file), "%s", c->file);
		m->line = item->line;
		m->col = item->col;
		return 0;
	}
	nm = realloc(c->rs->macros, (c->rs->nmacros + 1) * sizeof(*nm));
	if (!nm)
		return -1;
	c->rs->macros = nm;
	m = &nm[c->rs->nmacros];
	memset(m, 0, sizeof(*m));
	m->index = m->visibility = macro_step(c->rs);
	c->rs->nmacros++;
	m->name = strdup(c->name);
	m->condition = strdup(cond);
	snprintf(m->file, sizeof(m->file), "%s", c->file);
	m->line = item->line;
	m->col = item->col;
	m->cond_pos = (struct src_pos){ cn->line, cn->col, cn->off };
	m->cond_src = strdup(cond);
	return 0;
}

/* A scalar or a sequence of scalars as a string array (fields, comps); *is_list says which. */
static int str_or_seq(struct ctx *c, const struct ynode *n, const char *key, char ***out, size_t *count, bool *is_list)
{
	if (n->kind == Y_SCALAR) {
		*out = calloc(2, sizeof(char *));
		if (!*out || !((*out)[0] = strdup(n->value)))
			return -1;
		*count = 1;
		if (is_list)
			*is_list = false;
		return 0;
	}
	if (str_seq(c, n, key, out, count))
		return -1;
	if (is_list)
		*is_list = true;
	return 0;
}

/* An inline list in an exception value, [a, b], as the condition text ("a", "b"). */
static char *inline_list(const struct ynode *v)
{
	size_t len = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	fputc('(', f);
	for (size_t q = 0; q < v->n; q++)
		fprintf(f, "%s\"%s\"", q ? ", " : "", v->items[q]->value ? v->items[q]->value : "");
	fputc(')', f);
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}

/* One row of exception values: a scalar (one field: a value or a list name) or a tuple. */
static int exception_row(struct ctx *c, struct exception *x, const struct ynode *row)
{
	size_t r = x->nrows;

	if (row->kind == Y_SCALAR) {
		x->rows[r] = calloc(2, sizeof(char *));
		if (!x->rows[r] || !(x->rows[r][0] = strdup(row->value)))
			return -1;
		x->rowlen[r] = 1;
	} else if (row->kind == Y_SEQ) {
		if (!(x->rows[r] = calloc(row->n + 1, sizeof(char *))))
			return -1;
		x->rowlen[r] = row->n;
		for (size_t k = 0; k < row->n; k++) {
			const struct ynode *v = row->items[k];

			x->rows[r][k] = v->kind == Y_SCALAR ? strdup(v->value) : v->kind == Y_SEQ ? inline_list(v) : strdup("");
			if (!x->rows[r][k])
				return -1;
		}
	} else {
		err_at(c, row, "LOAD_ERR_YAML_VALIDATE", "bad value in exception '%s'", x->name);
		return -1;
	}
	x->nrows++;
	return 0;
}

/* The values of an exception: a list of rows, after the rows it has (an append adds rows). */
static int exception_values(struct ctx *c, struct exception *x, const struct ynode *vl)
{
	char ***rows;
	size_t *rowlen;

	if (vl->kind != Y_SEQ) {
		err_at(c, vl, "LOAD_ERR_YAML_VALIDATE", "values of exception '%s' must be a list", x->name);
		return -1;
	}
	rows = realloc(x->rows, (x->nrows + vl->n + 1) * sizeof(*x->rows));
	if (rows)
		x->rows = rows;
	rowlen = realloc(x->rowlen, (x->nrows + vl->n + 1) * sizeof(*x->rowlen));
	if (rowlen)
		x->rowlen = rowlen;
	if (!rows || !rowlen)
		return -1;
	for (size_t r = 0; r < vl->n; r++)
		if (exception_row(c, x, vl->items[r]))
			return -1;
	return 0;
}

/* One exception: name, fields (one or a list), comps matching the fields, values. */
static int load_exception(struct ctx *c, const struct ynode *e, struct exception *x)
{
	const struct ynode *nm = ynode_get(e, "name"), *fl = ynode_get(e, "fields");
	const struct ynode *cp = ynode_get(e, "comps"), *vl = ynode_get(e, "values");

	x->name = strdup(nm->value);
	if (!fl) {
		err_at(c, e, "LOAD_ERR_YAML_VALIDATE", "exception '%s' has no 'fields'", x->name);
		return -1;
	}
	if (str_or_seq(c, fl, "fields", &x->fields, &x->nfields, &x->fields_is_list))
		return -1;
	if (cp) {
		if (str_or_seq(c, cp, "comps", &x->comps, &x->ncomps, NULL))
			return -1;
		if (x->ncomps != x->nfields) {
			err_at(c, cp, "LOAD_ERR_YAML_VALIDATE", "exception '%s' has %zu fields but %zu comps",
			       x->name, x->nfields, x->ncomps);
			return -1;
		}
	}
	return vl ? exception_values(c, x, vl) : 0;
}

/* An earlier exception named name among exc[0..n), or NULL. */
static struct exception *find_exception(struct exception *exc, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(exc[k].name, name))
			return &exc[k];
	return NULL;
}

/*
 * exceptions: [{name, fields, comps, values}] appended to *exc. When
 * appending (append: true, or override exceptions: append), an exception
 * naming one the rule has, without fields, adds its values to that one.
 */
static int load_exceptions(struct ctx *c, const struct ynode *n, struct exception **exc, size_t *nexc, bool append)
{
	size_t before = *nexc;

	if (n->kind == Y_SCALAR && !*n->value && !n->quoted)
		return 0; /* "exceptions:" with nothing: allowed, as in Falco */
	if (n->kind != Y_SEQ) {
		err_at(c, n, "LOAD_ERR_YAML_VALIDATE", "'exceptions' must be a list");
		return -1;
	}
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *e = n->items[i], *nm = ynode_get(e, "name");
		struct exception *ne, *old;
		char msg[300];

		if (e->kind != Y_MAP || !nm || nm->kind != Y_SCALAR) {
			err_at(c, e, "LOAD_ERR_YAML_VALIDATE", "an exception needs a 'name'");
			return -1;
		}
		if (find_exception(*exc + before, *nexc - before, nm->value)) {
			snprintf(msg, sizeof(msg), "Multiple definitions of exception '%s' in the same rule", nm->value);
			exc_msg(c, false, e, nm->value, "LOAD_EXCEPTION_NAME_NOT_UNIQUE", msg);
		}
		if (append && !ynode_get(e, "values"))
			exc_msg(c, false, e, nm->value, "LOAD_APPEND_NO_VALUES", "Overriding/appending exception with no values");
		old = append ? find_exception(*exc, before, nm->value) : NULL;
		if (old && !ynode_get(e, "fields")) {
			if (ynode_get(e, "values") && exception_values(c, old, ynode_get(e, "values")))
				return -1;
			continue;
		}
		ne = realloc(*exc, (*nexc + 1) * sizeof(*ne));
		if (!ne)
			return -1;
		*exc = ne;
		memset(&ne[*nexc], 0, sizeof(*ne));
		if (load_exception(c, e, &ne[(*nexc)++]))
			return -1;
	}
	return 0;
}

static int rule_set_tags(struct ctx *c, struct rule *r, const struct ynode *t, bool append)
{
	char **tags;
	size_t n;

	if (str_seq(c, t, "tags", &tags, &n))
		return -1;
	if (!append) {
		strv_free(r->tags, r->ntags);
		r->tags = tags;
		r->ntags = n;
		return 0;
	}
	char **nt = realloc(r->tags, (r->ntags + n + 1) * sizeof(*nt));

	if (!nt) {
		strv_free(tags, n);
		return -1;
	}
	r->tags = nt;
	memcpy(r->tags + r->ntags, tags, n * sizeof(*tags));
	r->ntags += n;
	free(tags);
	return 0;
}

/* Apply the keys of an append/override item onto an existing rule. */
static int rule_modify(struct ctx *c, struct rule_item *ri, const struct ynode *item, const struct ynode *ov, bool legacy_append)
{
	static const char *const textkeys[] = { "condition", "output", "desc", NULL };

	for (const char *const *k = textkeys; *k; k++) {
		const struct ynode *n = ynode_get(item, *k);
		const char *how = ov ? override_how(ov, *k) : (legacy_append ? "append" : NULL);
		char **dst = !strcmp(*k, "condition") ? &ri->r.condition : !strcmp(*k, "output") ? &ri->r.output : &ri->r.desc;
		const char *v;

		if (!n || !how)
			continue;
		if (!(v = scalar(c, n, *k)))
			return -1;
		char *nv = !strcmp(how, "append") ? concat(*dst ? *dst : "", v) : strdup(v);

		free(*dst);
		*dst = nv;
	}
	if (ynode_get(item, "tags") && (ov ? override_how(ov, "tags") != NULL : legacy_append))
		if (rule_set_tags(c, &ri->r, ynode_get(item, "tags"), ov ? !strcmp(override_how(ov, "tags"), "append") : true))
			return -1;
	if (ynode_get(item, "exceptions") && (ov ? override_how(ov, "exceptions") != NULL : legacy_append)) {
		if (ov && !strcmp(override_how(ov, "exceptions"), "replace")) {
			exceptions_free(ri->exc, ri->nexc);
			ri->exc = NULL;
			ri->nexc = 0;
		}
		if (load_exceptions(c, ynode_get(item, "exceptions"), &ri->exc, &ri->nexc,
				    !ov || !strcmp(override_how(ov, "exceptions"), "append")))
			return -1;
	}
	if (ov && override_how(ov, "priority")) {
		int p = priority_parse(ynode_get(item, "priority")->value ? ynode_get(item, "priority")->value : "");

		if (p < 0) {
			err_at(c, ynode_get(item, "priority"), "LOAD_ERR_YAML_VALIDATE", "unknown priority '%s'",
			       ynode_get(item, "priority")->value);
			return -1;
		}
		ri->r.priority = p;
	}
	if (ov && override_how(ov, "enabled") && parse_bool(c, ynode_get(item, "enabled"), "enabled", &ri->r.enabled))
		return -1;
	return 0;
}

/* A later definition replaces a rule in place: what the earlier one set goes. */
static void rule_reset(struct rule_item *ri)
{
	free(ri->r.desc);
	free(ri->r.condition);
	free(ri->r.output);
	free(ri->r.source);
	strv_free(ri->r.tags, ri->r.ntags);
	exceptions_free(ri->exc, ri->nexc);
	ri->r.tags = NULL;
	ri->r.ntags = 0;
	ri->exc = NULL;
	ri->nexc = 0;
}

/* The optional keys of a full definition: tags, exceptions, skip-if-unknown-filter, warn_evttypes. */
static int rule_options(struct ctx *c, struct rule_item *ri, const struct ynode *item)
{
	const struct ynode *n;

	if ((n = ynode_get(item, "tags")) && rule_set_tags(c, &ri->r, n, false))
		return -1;
	if ((n = ynode_get(item, "exceptions")) && load_exceptions(c, n, &ri->exc, &ri->nexc, false))
		return -1;
	if ((n = ynode_get(item, "skip-if-unknown-filter")))
		parse_bool(c, n, "skip-if-unknown-filter", &ri->skip_if_unknown);
	ri->warn_evttypes = true;
	if ((n = ynode_get(item, "warn_evttypes")))
		parse_bool(c, n, "warn_evttypes", &ri->warn_evttypes);
	return 0;
}

/* A full definition: condition, output and priority required; a new rule or a replacement. */
static int rule_define(struct ctx *c, struct rule_item *ri, const struct ynode *item, bool enabled)
{
	const char *cond = scalar(c, ynode_get(item, "condition"), "condition");
	const char *out = scalar(c, ynode_get(item, "output"), "output");
	const char *prio = scalar(c, ynode_get(item, "priority"), "priority");
	const char *desc = scalar(c, ynode_get(item, "desc"), "desc");
	int p;

	if (!cond || !out || !desc || !prio) {
		err_at(c, item, "LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key '%s'",
		       !cond ? "condition" : !out ? "output" : !desc ? "desc" : "priority");
		return -1;
	}
	if ((p = priority_parse(prio)) < 0) {
		err_at(c, ynode_get(item, "priority"), "LOAD_ERR_YAML_VALIDATE", "unknown priority '%s'", prio);
		return -1;
	}
	if (ri)
		rule_reset(ri);
	else if (!(ri = rs_new_rule(c->rs, c->name)))
		return -1;
	ri->r.desc = strdup(desc ? desc : "");
	ri->r.condition = strdup(cond);
	ri->r.output = strdup(out);
	ri->r.priority = p;
	ri->r.source = strdup("syscall");
	ri->r.enabled = enabled;
	snprintf(ri->r.file, sizeof(ri->r.file), "%s", c->file);
	ri->r.line = item->line;
	ri->r.col = item->col;
	{
		const struct ynode *cn = ynode_get(item, "condition"), *on = ynode_get(item, "output");

		free(ri->cond_src);
		ri->cond_src = strdup(cond);
		ri->cond_pos = (struct src_pos){ cn->line, cn->col, cn->off };
		ri->out_pos = (struct src_pos){ on->line, on->col, on->off };
	}
	return rule_options(c, ri, item);
}

static int load_rule(struct ctx *c, const struct ynode *item)
{
	static const char *const keys[] = { "rule", "desc", "condition", "output", "priority", "source",
					    "enabled", "tags", "exceptions", "warn_evttypes",
					    "skip-if-unknown-filter", "append", "override", NULL };
	const struct ynode *ov = ynode_get(item, "override");
	const struct ynode *en = ynode_get(item, "enabled"), *src = ynode_get(item, "source");
	struct rule_item *ri = rs_find_rule(c->rs, c->name);
	bool append = false, has_ov, enabled = true;

	check_keys(c, item, keys);
	if (read_modify(c, item, &append, &has_ov) || (en && parse_bool(c, en, "enabled", &enabled)))
		return -1;
	if (src && src->kind == Y_SCALAR && strcmp(src->value, "syscall")) {
		warn_at(c, src, "LOAD_UNKNOWN_SOURCE", "rule '%s' is for source '%s', which saker does not have: skipped",
			c->name, src->value);
		return 0;
	}
	if (append || has_ov) {
		if (!ri) {
			bool replace = has_ov && !append;

			for (size_t i = 0; replace && i + 1 < ov->n; i += 2)
				if (ov->items[i + 1]->value && !strcmp(ov->items[i + 1]->value, "append"))
					replace = false;
			err_at(c, item, "LOAD_ERR_VALIDATE", replace ? MSG_NO_PREVIOUS_RULE_REPLACE : MSG_NO_PREVIOUS_RULE_APPEND);
			return -1;
		}
		if (append && !has_ov && !ynode_get(item, "condition") && !ynode_get(item, "exceptions")) {
			err_at(c, item, "LOAD_ERR_VALIDATE", "Appended rule must have exceptions or condition property");
			return -1;
		}
		return rule_modify(c, ri, item, has_ov ? ov : NULL, append);
	}
	/* "- rule: X\n  enabled: false" only (none of condition, output, desc, priority): toggles an existing rule */
	if (ri && en && !ynode_get(item, "condition") && !ynode_get(item, "output") && !ynode_get(item, "desc") &&
	    !ynode_get(item, "priority")) {
		warn_at(c, item, "LOAD_DEPRECATED_ITEM", MSG_ENABLED_DEPRECATED);
		ri->r.enabled = enabled;
		return 0;
	}
	return rule_define(c, ri, item, enabled);
}

/* "x.y.z" (missing parts 0) or the old plain integer N meaning 0.N.0. -1 when it is neither. */
static int version_parse(const char *v, int out[3])
{
	char *end;
	long n;

	out[0] = out[1] = out[2] = 0;
	for (int k = 0; k < 3; k++) {
		if (*v < '0' || *v > '9')
			return -1;
		n = strtol(v, &end, 10);
		out[k] = (int)n;
		if (!*end) {
			if (k == 0) { /* the integer form */
				out[1] = out[0];
				out[0] = 0;
			}
			return 0;
		}
		if (*end != '.' || k == 2)
			return -1;
		v = end + 1;
	}
	return -1;
}

static int version_cmp(const int a[3], const int b[3])
{
	for (int k = 0; k < 3; k++)
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	return 0;
}

/* required_engine_version: a number or a semver string no newer than this engine. */
static int load_engine_version(struct ctx *c, const struct ynode *item, const struct ynode *v)
{
	int want[3], have[3];

	c->type = "required_engine_version";
	c->name = "";
	if (v->kind != Y_SCALAR || !*v->value) {
		err_at(c, v, "LOAD_ERR_YAML_VALIDATE", v->kind != Y_SCALAR ? "Value is not a scalar value" : "Value must be non-empty");
		return -1;
	}
	if (version_parse(v->value, want)) {
		err_at(c, item, "LOAD_ERR_YAML_VALIDATE",
		       "Unable to parse engine version '%s' as a semver string. Expected \"x.y.z\" semver format.", v->value);
		return -1;
	}
	version_parse(SAKER_ENGINE_VERSION, have);
	/* compatible: the same major version and no newer minor.patch */
	if (want[0] != have[0] || version_cmp(want, have) > 0) {
		err_at(c, item, "LOAD_ERR_VALIDATE", "Rules require engine version %d.%d.%d, but engine version is %s",
		       want[0], want[1], want[2], SAKER_ENGINE_VERSION);
		return -1;
	}
	if (version_cmp(want, c->rs->required_engine) > 0)
		memcpy(c->rs->required_engine, want, sizeof(want));
	return 0;
}

/*
 * required_plugin_versions, as Falco's reader and collector take it
 * (rule_loader_reader.cpp, rule_loader_collector.cpp): a sequence of
 * maps, each a plugin `name` and `version` with optional `alternatives`
 * (maps of name and version too). Each entry is kept as it is, in load
 * order: Falco has no append or override for them, and merges none.
 * Messages carry Falco's context stack: "required plugin versions" at
 * the sequence, then the entry, the alternative, the value.
 */
struct pv_ctx {
	struct ctx *c;
	const struct ynode *seq;
	struct load_loc locs[LOAD_MAX_LOCS - 2];
	size_t n;
};

static void pv_push(struct pv_ctx *p, const char *type, const char *name, const struct ynode *at)
{
	struct load_loc *l = &p->locs[p->n < sizeof(p->locs) / sizeof(p->locs[0]) ? p->n++ : p->n - 1];

	memset(l, 0, sizeof(*l));
	snprintf(l->item_type, sizeof(l->item_type), "%s", type);
	snprintf(l->item_name, sizeof(l->item_name), "%s", name ? name : "");
	snprintf(l->name, sizeof(l->name), "%s", p->c->file);
	l->line = at->line - 1;
	l->col = at->col - 1;
	l->offset = at->off;
}

static void pv_err(struct pv_ctx *p, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void pv_err(struct pv_ctx *p, const char *code, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rs_msg_locs(p->c->rs, true, code, p->c->file, p->seq->line, p->seq->col, "required_plugin_versions", "",
		    p->locs, p->n, "%s", buf);
}

/* YAML's null, as yaml-cpp's IsNull sees a plain scalar. */
static bool yaml_null(const struct ynode *v)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (v->kind != Y_SCALAR || v->quoted)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (!strcmp(v->value, nulls[i]))
			return true;
	return false;
}

/* Falco's decode_val of a required string: the value, or NULL after its error. */
static const char *pv_string(struct pv_ctx *p, const struct ynode *map, const char *key)
{
	const struct ynode *v = ynode_get(map, key);
	const char *msg = NULL;

	if (!v || yaml_null(v)) {
		pv_err(p, "LOAD_ERR_YAML_VALIDATE", v ? "Mapping for key '%s' is empty" : "Item has no mapping for key '%s'",
		       key);
		return NULL;
	}
	if (v->kind != Y_SCALAR)
		msg = "Value is not a scalar value";
	else if (!*v->value)
		msg = "Value must be non-empty";
	if (msg) {
		pv_push(p, "value for", key, v);
		pv_err(p, "LOAD_ERR_YAML_VALIDATE", "%s", msg);
		p->n--;
		return NULL;
	}
	return v->value;
}

/* One name and version (an entry or an alternative) at node n, typed `type`, into r. 0 or -1. */
static int pv_requirement(struct pv_ctx *p, const struct ynode *n, const char *type, const char *not_map,
			  struct plugin_req *r)
{
	const char *name, *version;

	pv_push(p, type, "", n);
	if (n->kind != Y_MAP) {
		pv_err(p, "LOAD_ERR_YAML_VALIDATE", "%s", not_map);
		return -1;
	}
	if (!(name = pv_string(p, n, "name")))
		return -1;
	snprintf(p->locs[p->n - 1].item_name, sizeof(p->locs[0].item_name), "%s", name);
	if (!(version = pv_string(p, n, "version")))
		return -1;
	r->name = strdup(name);
	r->version = strdup(version);
	return r->name && r->version ? 0 : -1;
}

/* libsinsp's sinsp_version: valid when it starts with three dot-separated numbers. */
static bool plugin_version_valid(const char *v)
{
	unsigned a, b, d;

	return sscanf(v, "%u.%u.%u", &a, &b, &d) == 3;
}

/* Falco's collector: every version a semver, no plugin twice among the alternatives; then kept. */
static int pv_define(struct pv_ctx *p, struct plugin_req *alts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool twice = false;

		for (size_t k = 0; k < i; k++)
			twice |= !strcmp(alts[k].name, alts[i].name);
		if (!plugin_version_valid(alts[i].version))
			pv_err(p, "LOAD_ERR_VALIDATE", "Invalid required version '%s' for plugin '%s'", alts[i].version,
			       alts[i].name);
		else if (twice)
			pv_err(p, "LOAD_ERR_VALIDATE", "Defined multiple alternative version requirements for plugin '%s'",
			       alts[i].name);
		else
			continue;
		plugin_reqs_free(alts, n);
		return -1;
	}
	return rs_add_plugin_reqs(p->c->rs, alts, n, p->c->file);
}

/* One entry: its requirement, then its alternatives. 0 or -1. */
static int pv_entry(struct pv_ctx *p, const struct ynode *e)
{
	const struct ynode *alt = NULL;
	struct plugin_req *alts = NULL, *na;
	size_t n = 0;

	p->n = 0;
	if (!(alts = calloc(1, sizeof(*alts))) ||
	    pv_requirement(p, e, "required plugin versions entry", "Plugin version must be a mapping", &alts[n++]))
		goto fail;
	if (e->kind == Y_MAP && (alt = ynode_get(e, "alternatives")) && alt->kind != Y_SEQ) {
		pv_err(p, "LOAD_ERR_YAML_VALIDATE", "Value of plugin version alternatives must be a sequence");
		goto fail;
	}
	for (size_t i = 0; alt && i < alt->n; i++) {
		if (!(na = realloc(alts, (n + 1) * sizeof(*alts))))
			goto fail;
		alts = na;
		memset(&alts[n], 0, sizeof(alts[n]));
		if (pv_requirement(p, alt->items[i], "required plugin versions alternative",
				   "Plugin version alternative must be a mapping", &alts[n++]))
			goto fail;
		p->n--;
	}
	return pv_define(p, alts, n);
fail:
	plugin_reqs_free(alts, n);
	return -1;
}

static int load_plugin_versions(struct ctx *c, const struct ynode *v)
{
	struct pv_ctx p = { .c = c, .seq = v };

	c->type = "required_plugin_versions";
	c->name = "";
	if (v->kind != Y_SEQ) {
		pv_err(&p, "LOAD_ERR_YAML_VALIDATE", "Value of required_plugin_versions must be a sequence");
		return -1;
	}
	for (size_t i = 0; i < v->n; i++)
		if (pv_entry(&p, v->items[i]))
			return -1;
	return 0;
}

/* rule, macro or list: a non-empty scalar name, then the item's own loader. */
static int load_named(struct ctx *c, const struct ynode *item, int k, const struct ynode *v)
{
	static const char *const kinds[] = { "rule", "macro", "list" };

	c->type = kinds[k];
	c->name = v->kind == Y_SCALAR ? v->value : "";
	if (v->kind != Y_SCALAR || !*v->value) {
		c->name = "";
		err_at(c, item, "LOAD_ERR_YAML_VALIDATE",
		       v->kind != Y_SCALAR ? "Value is not a scalar value" :
		       v->quoted ? "Value must be non-empty" : "Mapping for key '%s' is empty", kinds[k]);
		return -1;
	}
	if (k == 1 && !macro_name_ok(c->name))
		warn_at(c, item, "LOAD_INVALID_MACRO_NAME",
			"Macro has an invalid name. Macro names should match a regular expression: " RGX_IDENTIFIER);
	if (k == 2 && !list_name_ok(c->name))
		warn_at(c, item, "LOAD_INVALID_LIST_NAME",
			"List has an invalid name. List names should match a regular expression: " RGX_BARESTR);
	return k == 0 ? load_rule(c, item) : k == 1 ? load_macro(c, item) : load_list(c, item);
}

static int load_item(struct ctx *c, const struct ynode *item)
{
	static const char *const kinds[] = { "rule", "macro", "list" };
	const struct ynode *v;

	c->item = item;
	c->type = "item";
	c->name = "";
	if (item->kind != Y_MAP) {
		err_at(c, item, "LOAD_ERR_YAML_VALIDATE", "Unexpected element type. Each element should be a yaml associative array.");
		return -1;
	}
	if ((v = ynode_get(item, "required_engine_version")))
		return load_engine_version(c, item, v);
	if ((v = ynode_get(item, "required_plugin_versions")))
		return load_plugin_versions(c, v);
	for (int k = 0; k < 3; k++)
		if ((v = ynode_get(item, kinds[k])))
			return load_named(c, item, k, v);
	warn_at(c, item, "LOAD_UNKNOWN_ITEM", "Unknown top level item");
	return 0;
}

/* A document: a sequence of items, read until the first error (as Falco does). */
static int load_doc(struct ctx *c, const struct ynode *doc)
{
	int before = c->rs->nerrors;

	if (doc->kind == Y_SCALAR && !*doc->value && !doc->quoted)
		return 0; /* an empty document */
	if (doc->kind != Y_SEQ) {
		rs_msg(c->rs, true, "LOAD_ERR_YAML_VALIDATE", c->file, 0, 0, "", "",
		       doc->kind == Y_MAP ? "Rules content is not yaml array of objects" : "Rules content is not yaml");
		return -1;
	}
	for (size_t i = 0; i < doc->n && c->rs->nerrors == before; i++)
		if (!(doc->items[i]->kind == Y_SCALAR && !*doc->items[i]->value && !doc->items[i]->quoted))
			load_item(c, doc->items[i]); /* null items are skipped */
	return c->rs->nerrors == before ? 0 : -1;
}

int ruleset_load_buffer(struct ruleset *rs, const char *name, const char *buf, size_t len)
{
	struct ctx c = { rs, name, "", "", NULL };
	struct ydocs docs;
	char err[512];
	int line, col, before = rs->nerrors;
	bool kept = rs_add_content(rs, name, buf, len) == 0;

	if (ydocs_parse(&docs, buf, len, err, sizeof(err), &line, &col)) {
		rs_msg(rs, true, "LOAD_ERR_YAML_PARSE", name, line, col, "", "", "%s", err);
		return rs->nerrors - before;
	}
	if (kept)
		rules_schema_check(docs.n ? docs.docs[0] : NULL, rs->contents[rs->ncontents - 1].schema,
				   sizeof(rs->contents[0].schema));
	for (size_t d = 0; d < docs.n && !load_doc(&c, docs.docs[d]); d++)
		;
	ydocs_release(&docs);
	return rs->nerrors - before;
}

/* A file's whole text in *buf (NUL-terminated, *len bytes); -1 with errno when it cannot be read. */
static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "re"), *m;
	char chunk[65536];
	size_t n;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	if (!f)
		return -1;
	m = open_memstream(buf, len);
	while (m && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	if (!m || ferror(f))
		rc = errno ? errno : EIO;
	if (m)
		fclose(m);
	fclose(f);
	if (rc) {
		free(*buf);
		*buf = NULL;
		errno = rc;
	}
	return rc ? -1 : 0;
}

static void read_failed(struct ruleset *rs, const char *path)
{
	rs_msg(rs, true, "LOAD_ERR_FILE_READ", path, 0, 0, "", "", "cannot open rules file '%s': %s", path,
	       strerror(errno));
}

static int load_file(struct ruleset *rs, const char *path)
{
	char *buf;
	size_t len;
	int rc;

	if (read_file(path, &buf, &len)) {
		read_failed(rs, path);
		return 1;
	}
	rc = ruleset_load_buffer(rs, path, buf ? buf : "", len);
	free(buf);
	return rc;
}

/*
 * A directory's files, read before any is loaded as Falco reads every
 * rules file first: one that cannot be read is the directory's only
 * message (LOAD_ERR_FILE_READ) and none of its files is loaded.
 */
static int load_files(struct ruleset *rs, char **names, size_t n)
{
	char **bufs = calloc(n + 1, sizeof(*bufs));
	size_t *lens = calloc(n + 1, sizeof(*lens)), i;
	int rc = 0;

	if (!bufs || !lens) {
		free(bufs);
		free(lens);
		return 1;
	}
	for (i = 0; i < n && !read_file(names[i], &bufs[i], &lens[i]); i++)
		;
	if (i < n) {
		read_failed(rs, names[i]);
		rc = 1;
	}
	for (size_t k = 0; k < n; k++) {
		if (i == n)
			rc += ruleset_load_buffer(rs, names[k], bufs[k] ? bufs[k] : "", lens[k]);
		free(bufs[k]);
	}
	free(bufs);
	free(lens);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ruleset_load_path(struct ruleset *rs, const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (stat(path, &sb) != 0) {
		rs_msg(rs, true, "LOAD_ERR_FILE_READ", path, 0, 0, "", "", "cannot open rules file '%s': %s",
		       path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(sb.st_mode))
		return load_file(rs, path);
	d = opendir(path);
	if (!d) {
		rs_msg(rs, true, "LOAD_ERR_FILE_READ", path, 0, 0, "", "", "cannot open rules directory '%s': %s",
		       path, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **nn;

		if (de->d_name[0] == '.' || !((l > 5 && !strcmp(de->d_name + l - 5, ".yaml")) ||
					      (l > 4 && !strcmp(de->d_name + l - 4, ".yml"))))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn)
			break;
		names = nn;
		if (asprintf(&names[n], "%s/%s", path, de->d_name) > 0)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	rc = load_files(rs, names, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
