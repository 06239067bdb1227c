// SPDX-License-Identifier: Apache-2.0
/*
 * The ruleset as a container: creating and freeing it and its items,
 * finding items by name, the load messages, priorities, accessors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/format.h"
#include "rules/ruleset.h"

void rs_msg(struct ruleset *rs, bool error, const char *code, const char *file, int line, int col,
	    const char *item_type, const char *item_name, const char *fmt, ...)
{
	struct load_msg *m, *nm = realloc(rs->msgs, (rs->nmsgs + 1) * sizeof(*nm));
	va_list ap;

	if (!nm)
		return;
	rs->msgs = nm;
	m = &rs->msgs[rs->nmsgs++];
	memset(m, 0, sizeof(*m));
	m->error = error;
	m->code = code;
	snprintf(m->file, sizeof(m->file), "%s", file ? file : "");
	m->line = line;
	m->col = col;
	snprintf(m->item_type, sizeof(m->item_type), "%s", item_type ? item_type : "");
	snprintf(m->item_name, sizeof(m->item_name), "%s", item_name ? item_name : "");
	va_start(ap, fmt);
	vsnprintf(m->msg, sizeof(m->msg), fmt, ap);
	va_end(ap);
	if (error)
		rs->nerrors++;
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
	for (size_t i = 0; i < rs->nlists; i++) {
		free(rs->lists[i].name);
		strv_free(rs->lists[i].items, rs->lists[i].n);
	}
	free(rs->lists);
	for (size_t i = 0; i < rs->nmacros; i++) {
		free(rs->macros[i].name);
		free(rs->macros[i].condition);
	}
	free(rs->macros);
	for (size_t i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i].r;

		free(r->name);
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
	}
	free(rs->rules);
	for (size_t i = 0; i < rs->nchecks; i++)
		check_release(&rs->checks[i]);
	free(rs->checks);
	free(rs->memo);
	slots_release(&rs->slots);
	for (int t = 0; t < EVENT_TABLE_SIZE; t++)
		free(rs->by_type[t]);
	strv_free(rs->only_tags, rs->nonly_tags);
	free(rs->msgs);
	free(rs);
}
