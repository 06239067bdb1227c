// SPDX-License-Identifier: Apache-2.0
/*
 * The ruleset as a container: creating and freeing it and its items,
 * finding items by name, the load messages, priorities, accessors.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/format.h"
#include "rules/index.h"
#include "rules/ruleset.h"

/* Falco's name of an item type ("required plugin versions"), from saker's short one. */
static const char *falco_item_type(const char *t)
{
	if (!strcmp(t, "required_plugin_versions"))
		return "required plugin versions";
	if (!strcmp(t, "item"))
		return "rules content item";
	return t;
}

static void set_loc(struct load_loc *l, const char *type, const char *name, const char *where, int line, int col,
		    long off)
{
	snprintf(l->item_type, sizeof(l->item_type), "%s", type);
	snprintf(l->item_name, sizeof(l->item_name), "%s", name ? name : "");
	snprintf(l->name, sizeof(l->name), "%s", where ? where : "");
	l->line = line;
	l->col = col;
	l->offset = off;
}

/* The same error twice (a broken macro that several rules use) is reported once. */
static bool is_repeat(const struct ruleset *rs, const struct load_msg *m)
{
	for (size_t i = 0; i < rs->nmsgs; i++) {
		const struct load_msg *o = &rs->msgs[i];

		if (o->error == m->error && !strcmp(o->code, m->code) && !strcmp(o->msg, m->msg) &&
		    o->nlocs == m->nlocs && !memcmp(o->locs, m->locs, m->nlocs * sizeof(m->locs[0])))
			return true;
	}
	return false;
}

/*
 * The context stack, as Falco builds it: the file ("rules content"), the
 * item at its YAML place (0-based), then the places inside it.
 */
static void build_locs(const struct ruleset *rs, struct load_msg *m, const struct load_loc *extra, size_t nextra)
{
	long off = m->line > 0 ? rs_offset(rs, m->file, m->line, m->col) : -1;

	memset(m->locs, 0, sizeof(m->locs));
	set_loc(&m->locs[0], "rules content", "", m->file, 0, 0, 0);
	m->nlocs = 1;
	m->snippet_offset = off;
	if (m->item_type[0] && m->line > 0)
		set_loc(&m->locs[m->nlocs++], falco_item_type(m->item_type), m->item_name, m->file, m->line - 1,
			m->col - 1, off < 0 ? 0 : off);
	else if (m->line > 0) /* a place with no item: a YAML error */
		set_loc(&m->locs[m->nlocs++], "value for", "", m->file, m->line - 1, m->col - 1, off < 0 ? 0 : off);
	for (size_t i = 0; i < nextra && m->nlocs < LOAD_MAX_LOCS; i++) {
		m->locs[m->nlocs++] = extra[i];
		m->snippet_offset = extra[i].offset;
	}
}

bool rs_file_failed(const struct ruleset *rs, const char *file)
{
	for (size_t i = 0; i < rs->nmsgs; i++)
		if (rs->msgs[i].error && !strcmp(rs->msgs[i].file, file))
			return true;
	return false;
}

static void rs_vmsg(struct ruleset *rs, bool error, const char *code, const char *file, int line, int col,
		    const char *item_type, const char *item_name, const struct load_loc *extra, size_t nextra,
		    const char *fmt, va_list ap)
{
	struct load_msg m, *nm;

	memset(&m, 0, sizeof(m));
	m.error = error;
	m.code = code;
	snprintf(m.file, sizeof(m.file), "%s", file ? file : "");
	m.line = line;
	m.col = col;
	snprintf(m.item_type, sizeof(m.item_type), "%s", item_type ? item_type : "");
	snprintf(m.item_name, sizeof(m.item_name), "%s", item_name ? item_name : "");
	vsnprintf(m.msg, sizeof(m.msg), fmt, ap);
	/* Falco's compile of a file throws at its first error: nothing after it is reported for the file
	 * (rule_loader::compiler::compile), and a file its reader failed on is not compiled at all */
	if (rs->compiling && rs_file_failed(rs, m.file))
		return;
	build_locs(rs, &m, extra, nextra);
	if (nextra) { /* the 1-based place of a message is its innermost one */
		const struct load_loc *in = &extra[nextra - 1];
		int one = strcmp(in->item_type, "condition expression") ? 1 : 0;

		m.line = in->line + one;
		m.col = in->col + one;
	}
	if (is_repeat(rs, &m))
		return;
	nm = realloc(rs->msgs, (rs->nmsgs + 1) * sizeof(*nm));
	if (!nm)
		return;
	rs->msgs = nm;
	rs->msgs[rs->nmsgs++] = m;
	if (error)
		rs->nerrors++;
}

void rs_msg(struct ruleset *rs, bool error, const char *code, const char *file, int line, int col,
	    const char *item_type, const char *item_name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rs_vmsg(rs, error, code, file, line, col, item_type, item_name, NULL, 0, fmt, ap);
	va_end(ap);
}

void rs_msg_locs(struct ruleset *rs, bool error, const char *code, const char *file, int line, int col,
		 const char *item_type, const char *item_name, const struct load_loc *extra, size_t nextra,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rs_vmsg(rs, error, code, file, line, col, item_type, item_name, extra, nextra, fmt, ap);
	va_end(ap);
}

int rs_add_content(struct ruleset *rs, const char *name, const char *text, size_t len)
{
	struct rules_content *nc = realloc(rs->contents, (rs->ncontents + 1) * sizeof(*nc));

	if (!nc)
		return -1;
	rs->contents = nc;
	nc = &nc[rs->ncontents];
	nc->name = strdup(name);
	nc->text = malloc(len + 1);
	if (!nc->name || !nc->text) {
		free(nc->name);
		free(nc->text);
		return -1;
	}
	memcpy(nc->text, text, len);
	nc->text[len] = 0;
	nc->len = len;
	snprintf(nc->schema, sizeof(nc->schema), "none");
	rs->ncontents++;
	return 0;
}

static const struct rules_content *find_content(const struct ruleset *rs, const char *name)
{
	for (size_t i = rs->ncontents; i-- > 0;)
		if (!strcmp(rs->contents[i].name, name))
			return &rs->contents[i];
	return NULL;
}

const char *ruleset_content(const struct ruleset *rs, const char *name, size_t *len)
{
	const struct rules_content *c = find_content(rs, name);

	if (len)
		*len = c ? c->len : 0;
	return c ? c->text : NULL;
}

long rs_offset(const struct ruleset *rs, const char *file, int line, int col)
{
	const struct rules_content *c = find_content(rs, file);
	size_t o = 0;

	if (!c || line < 1 || col < 1)
		return -1;
	for (int l = 1; l < line && o < c->len; o++)
		if (c->text[o] == '\n')
			l++;
	o += col - 1;
	return o <= c->len ? (long)o : -1;
}

/* 1-based line and column of a byte offset of a file's text. */
static void line_col(const struct rules_content *c, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < c->len; i++) {
		if (c->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int rs_locate(const struct ruleset *rs, const char *file, long off, const char *value, size_t idx,
	      struct load_loc *out)
{
	const struct rules_content *c = find_content(rs, file);
	size_t r, v = 0, vl = strlen(value);
	char name[24];
	int line, col;

	if (!c || off < 0 || (size_t)off > c->len)
		return -1;
	if (idx > vl)
		idx = vl;
	/* value characters match raw ones in order; what the raw text has more
	 * (indicators, indentation, line breaks folded away, escapes) is skipped */
	for (r = off; r < c->len && v < idx; r++)
		if (c->text[r] == value[v] || (isspace((unsigned char)value[v]) && isspace((unsigned char)c->text[r])))
			v++;
	while (r < c->len && v < vl && c->text[r] != value[v] &&
	       !(isspace((unsigned char)value[v]) && isspace((unsigned char)c->text[r])))
		r++;
	line_col(c, r, &line, &col);
	if (vl > 20)
		snprintf(name, sizeof(name), "\"%.17s...\"", value);
	else
		snprintf(name, sizeof(name), "\"%s\"", value);
	for (char *q = name; *q; q++)
		if (*q == '\n' || *q == '\r')
			*q = ' ';
	memset(out, 0, sizeof(*out));
	snprintf(out->item_type, sizeof(out->item_type), "condition expression");
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->line = line;
	out->col = col;
	out->offset = r;
	return 0;
}

int priority_parse(const char *s)
{
	static const char *const names[] = { "emergency", "alert", "critical", "error", "warning",
					     "notice", "informational", "debug" };

	for (int i = 0; i < PRIO_COUNT; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	if (strcasecmp(s, "info") == 0)
		return PRIO_INFORMATIONAL;
	return -1;
}

const char *priority_name(int p)
{
	static const char *const names[] = { "Emergency", "Alert", "Critical", "Error", "Warning",
					     "Notice", "Informational", "Debug" };

	return p >= 0 && p < PRIO_COUNT ? names[p] : "Unknown";
}

struct ruleset *ruleset_new(void)
{
	struct ruleset *rs = calloc(1, sizeof(*rs));

	if (rs)
		rs->min_priority = PRIO_DEBUG;
	return rs;
}

struct list_item *rs_find_list(struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nlists; i++)
		if (strcmp(rs->lists[i].name, name) == 0)
			return &rs->lists[i];
	return NULL;
}

struct macro_item *rs_find_macro(struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nmacros; i++)
		if (strcmp(rs->macros[i].name, name) == 0)
			return &rs->macros[i];
	return NULL;
}

struct rule_item *rs_find_rule(struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].r.name, name) == 0)
			return &rs->rules[i];
	return NULL;
}

struct rule *ruleset_find(const struct ruleset *rs, const char *name)
{
	struct rule_item *ri = rs_find_rule((struct ruleset *)rs, name);

	return ri ? &ri->r : NULL;
}

struct rule_item *rs_new_rule(struct ruleset *rs, const char *name)
{
	struct rule_item *nr = realloc(rs->rules, (rs->nrules + 1) * sizeof(*nr)), *ri;

	if (!nr)
		return NULL;
	rs->rules = nr;
	ri = &nr[rs->nrules];
	memset(ri, 0, sizeof(*ri));
	ri->r.index = rs->nrules++;
	ri->r.name = strdup(name);
	return ri;
}

int ruleset_add_rule(struct ruleset *rs, const char *name, const char *condition, const char *output, int priority)
{
	struct rule_item *ri = rs_new_rule(rs, name);

	if (!ri)
		return -1;
	ri->r.desc = strdup("");
	ri->r.condition = strdup(condition);
	ri->r.output = strdup(output);
	ri->r.priority = priority;
	ri->r.source = strdup("syscall");
	ri->r.enabled = true;
	snprintf(ri->r.file, sizeof(ri->r.file), "<command line>");
	return 0;
}

void strv_free(char **a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(a[i]);
	free(a);
}

void plugin_reqs_free(struct plugin_req *alts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(alts[i].name);
		free(alts[i].version);
	}
	free(alts);
}

int rs_add_plugin_reqs(struct ruleset *rs, struct plugin_req *alts, size_t n, const char *file)
{
	struct plugin_reqs *nr = realloc(rs->plugin_reqs, (rs->nplugin_reqs + 1) * sizeof(*nr));

	if (!nr) {
		plugin_reqs_free(alts, n);
		return -1;
	}
	rs->plugin_reqs = nr;
	nr = &nr[rs->nplugin_reqs++];
	nr->alts = alts;
	nr->n = n;
	snprintf(nr->file, sizeof(nr->file), "%s", file);
	return 0;
}

/* libsinsp's sinsp_version: three numbers first ("%u.%u.%u"); false when it is not one. */
static bool version_of(const char *s, unsigned v[3])
{
	return sscanf(s, "%u.%u.%u", &v[0], &v[1], &v[2]) == 3;
}

/* sinsp_version::compatible_with: the same major version, and no lower. */
static bool version_compatible(const char *have, const char *want)
{
	unsigned h[3], w[3];

	if (!version_of(have, h) || !version_of(want, w) || h[0] != w[0])
		return false;
	return h[1] != w[1] ? h[1] > w[1] : h[2] >= w[2];
}

/* One entry: 1 met, 0 not (err says why when a plugin of it is there at another version). */
static int plugin_reqs_met(const struct plugin_reqs *pr, char *err, size_t n)
{
	static const struct {
		const char *name, *version;
	} have[] = { { SAKER_CONTAINER_PLUGIN, SAKER_CONTAINER_PLUGIN_VERSION } };

	for (size_t i = 0; i < pr->n; i++)
		for (size_t k = 0; k < sizeof(have) / sizeof(have[0]); k++) {
			if (strcmp(pr->alts[i].name, have[k].name))
				continue;
			if (version_compatible(have[k].version, pr->alts[i].version))
				return 1;
			snprintf(err, n, "Plugin '%s' version '%s' is not compatible with required plugin version '%s'",
				 have[k].name, have[k].version, pr->alts[i].version);
			return 0;
		}
	return 0;
}

/* A file's place in load order (its first content), or SIZE_MAX. */
static size_t content_index(const struct ruleset *rs, const char *file)
{
	for (size_t i = 0; i < rs->ncontents; i++)
		if (!strcmp(rs->contents[i].name, file))
			return i;
	return SIZE_MAX;
}

int ruleset_check_plugins(const struct ruleset *rs, bool upto_failed, char *err, size_t n)
{
	size_t last = SIZE_MAX;

	for (size_t i = 0; upto_failed && i < rs->ncontents && last == SIZE_MAX; i++)
		if (rs_file_failed(rs, rs->contents[i].name))
			last = i;
	for (size_t i = 0; i < rs->nplugin_reqs; i++) {
		const struct plugin_reqs *pr = &rs->plugin_reqs[i];
		size_t o = 0;

		if (last != SIZE_MAX && content_index(rs, pr->file) > last)
			continue;
		err[0] = 0;
		if (plugin_reqs_met(pr, err, n))
			continue;
		if (err[0])
			return -1;
		o = snprintf(err, n, "Plugin requirement not satisfied, must load one of: ");
		for (size_t k = 0; k < pr->n && o < n; k++)
			o += snprintf(err + o, n - o, "%s%s (>= %s)", k ? ", " : "", pr->alts[k].name, pr->alts[k].version);
		return -1;
	}
	return 0;
}

void exceptions_free(struct exception *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		strv_free(e[i].fields, e[i].nfields);
		strv_free(e[i].comps, e[i].ncomps);
		for (size_t r = 0; r < e[i].nrows; r++)
			strv_free(e[i].rows[r], e[i].rowlen[r]);
		free(e[i].rows);
		free(e[i].rowlen);
	}
	free(e);
}

size_t ruleset_nmsgs(const struct ruleset *rs) { return rs->nmsgs; }
const struct load_msg *ruleset_msg(const struct ruleset *rs, size_t i) { return &rs->msgs[i]; }
int ruleset_nerrors(const struct ruleset *rs) { return rs->nerrors; }
size_t ruleset_nrules(const struct ruleset *rs) { return rs->nrules; }
struct rule *ruleset_rule(const struct ruleset *rs, size_t i) { return &rs->rules[i].r; }

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	free(rs->container_info);
	for (size_t i = 0; i < rs->nplugin_reqs; i++)
		plugin_reqs_free(rs->plugin_reqs[i].alts, rs->plugin_reqs[i].n);
	free(rs->plugin_reqs);
	for (size_t i = 0; i < rs->nlists; i++) {
		free(rs->lists[i].name);
		strv_free(rs->lists[i].items, rs->lists[i].n);
	}
	free(rs->lists);
	for (size_t i = 0; i < rs->nmacros; i++) {
		free(rs->macros[i].name);
		free(rs->macros[i].condition);
		free(rs->macros[i].cond_src);
	}
	free(rs->macros);
	for (size_t i = 0; i < rs->ncontents; i++) {
		free(rs->contents[i].name);
		free(rs->contents[i].text);
	}
	free(rs->contents);
	for (size_t i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i].r;

		free(r->name);
		free(rs->rules[i].cond_src);
		free(r->desc);
		free(r->condition);
		free(r->output);
		free(r->source);
		strv_free(r->tags, r->ntags);
		free(r->code);
		free(r->syscalls);
		free(r->expanded);
		format_free(r->fmt);
		exceptions_free(rs->rules[i].exc, rs->rules[i].nexc);
		index_type_programs_free(&rs->rules[i]);
	}
	free(rs->rules);
	for (size_t i = 0; i < rs->nchecks; i++)
		check_release(&rs->checks[i]);
	free(rs->checks);
	free(rs->memo);
	groups_free(rs);
	slots_release(&rs->slots);
	for (int t = 0; t < EVENT_TABLE_SIZE; t++)
		free(rs->by_type[t]);
	strv_free(rs->only_tags, rs->nonly_tags);
	free(rs->msgs);
	free(rs);
}
