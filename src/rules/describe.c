// SPDX-License-Identifier: Apache-2.0
/*
 * -L and -l with json_output: the loaded rules, macros and lists as Falco's
 * describe JSON ({"required_engine_version", "required_plugin_versions",
 * "rules", "macros", "lists"}, each item an "info" object as written and
 * a "details" object of what its condition refers to and compiles into).
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ruleset.h"

/* Add s to the array unless it is there already. */
static void add_unique(cJSON *arr, const char *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (!strcmp(it->valuestring, s))
			return;
	cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
}

/*
 * The names a condition refers to: macros, lists, and fields (known to the
 * registry), each once, in order. Quoted strings are skipped.
 */
static void condition_refs(const struct ruleset *rs, const char *cond, cJSON *macros, cJSON *lists, cJSON *fields)
{
	const char *p = cond ? cond : "";

	while (*p) {
		char word[256];
		size_t n = 0;
		struct field_ref ref;
		char err[128];

		if (*p == '"' || *p == '\'') {
			char q = *p++;

			while (*p && *p != q)
				p += *p == '\\' && p[1] ? 2 : 1;
			p += *p ? 1 : 0;
			continue;
		}
		if (!word_char(*p)) {
			p++;
			continue;
		}
		while (word_char(p[n]))
			n++;
		snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ? n : sizeof(word) - 1), p);
		p += n;
		if (rs_find_macro((struct ruleset *)rs, word))
			add_unique(macros, word);
		else if (rs_find_list((struct ruleset *)rs, word))
			add_unique(lists, word);
		else if (strchr(word, '.') && !field_resolve(word, &ref, err, sizeof(err)))
			add_unique(fields, word);
	}
}

static cJSON *strings(char *const *a, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(a[i]));
	return arr;
}

/* Event type names of a compiled rule, sorted, each once. */
static cJSON *event_names(const struct rule *r)
{
	cJSON *arr = cJSON_CreateArray();

	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		const struct event_info *ei = event_info_get((uint16_t)t);

		if ((r->all_types || r->evttypes[t]) && ei && ei->name)
			add_unique(arr, ei->name);
	}
	for (size_t k = 1; r->syscalls && k < ppm_sc_count; k++)
		if (r->syscalls[k])
			add_unique(arr, ppm_sc_names[k]);
	return arr;
}

static cJSON *rule_json(const struct ruleset *rs, const struct rule_item *ri)
{
	const struct rule *r = &ri->r;
	cJSON *o = cJSON_CreateObject(), *info = cJSON_AddObjectToObject(o, "info");
	cJSON *d = cJSON_AddObjectToObject(o, "details"), *exc = cJSON_CreateArray();

	cJSON_AddStringToObject(info, "name", r->name);
	cJSON_AddStringToObject(info, "condition", r->condition ? r->condition : "");
	cJSON_AddStringToObject(info, "priority", priority_name(r->priority));
	cJSON_AddStringToObject(info, "output", r->output ? r->output : "");
	cJSON_AddStringToObject(info, "description", r->desc ? r->desc : "");
	cJSON_AddBoolToObject(info, "enabled", r->enabled);
	cJSON_AddStringToObject(info, "source", r->source ? r->source : "syscall");
	cJSON_AddItemToObject(info, "tags", strings(r->tags, r->ntags));
	condition_refs(rs, r->condition, cJSON_AddArrayToObject(d, "macros"), cJSON_AddArrayToObject(d, "lists"),
		       cJSON_AddArrayToObject(d, "condition_fields"));
	for (size_t i = 0; i < ri->nexc; i++)
		add_unique(exc, ri->exc[i].name);
	cJSON_AddItemToObject(d, "exception_names", exc);
	cJSON_AddItemToObject(d, "events", event_names(r));
	cJSON_AddStringToObject(d, "condition_compiled", r->expanded ? r->expanded : "");
	cJSON_AddStringToObject(d, "output_compiled", r->output ? r->output : "");
	cJSON_AddItemToObject(d, "plugins", cJSON_CreateArray());
	return o;
}

static cJSON *macro_json(const struct ruleset *rs, const struct macro_item *m)
{
	cJSON *o = cJSON_CreateObject(), *info = cJSON_AddObjectToObject(o, "info");
	cJSON *d = cJSON_AddObjectToObject(o, "details");

	cJSON_AddStringToObject(info, "name", m->name);
	cJSON_AddStringToObject(info, "condition", m->condition ? m->condition : "");
	cJSON_AddBoolToObject(d, "used", m->used);
	condition_refs(rs, m->condition, cJSON_AddArrayToObject(d, "macros"), cJSON_AddArrayToObject(d, "lists"),
		       cJSON_AddArrayToObject(d, "condition_fields"));
	cJSON_AddItemToObject(d, "plugins", cJSON_CreateArray());
	return o;
}

/*
 * A list as Falco describes it: items_compiled with the names of lists
 * defined before it replaced by their items; those names go to "lists", the
 * other items (a later list's name too) are "items".
 */
static cJSON *list_json(const struct ruleset *rs, const struct list_item *l)
{
	cJSON *o = cJSON_CreateObject(), *info = cJSON_AddObjectToObject(o, "info");
	cJSON *d = cJSON_AddObjectToObject(o, "details"), *items = cJSON_CreateArray();
	cJSON *lists = cJSON_CreateArray(), *compiled = cJSON_CreateArray();

	cJSON_AddStringToObject(info, "name", l->name);
	for (size_t i = 0; i < l->n; i++) {
		const struct list_item *ref = rs_find_list((struct ruleset *)rs, l->items[i]);

		if (ref && ref < l) {
			add_unique(lists, ref->name);
			for (size_t k = 0; k < ref->n; k++)
				cJSON_AddItemToArray(compiled, cJSON_CreateString(ref->items[k]));
			continue;
		}
		cJSON_AddItemToArray(items, cJSON_CreateString(l->items[i]));
		cJSON_AddItemToArray(compiled, cJSON_CreateString(l->items[i]));
	}
	cJSON_AddItemToObject(info, "items", items);
	cJSON_AddBoolToObject(d, "used", l->used);
	cJSON_AddItemToObject(d, "lists", lists);
	cJSON_AddItemToObject(d, "items_compiled", compiled);
	cJSON_AddItemToObject(d, "plugins", cJSON_CreateArray());
	return o;
}

cJSON *ruleset_describe_json(const struct ruleset *rs, const char *rule)
{
	cJSON *o = cJSON_CreateObject(), *rules;
	char ver[48];

	if (rule) {
		const struct rule_item *ri = rs_find_rule((struct ruleset *)rs, rule);

		if (!ri) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "rules"), rule_json(rs, ri));
		return o;
	}
	snprintf(ver, sizeof(ver), "%d.%d.%d", rs->required_engine[0], rs->required_engine[1], rs->required_engine[2]);
	cJSON_AddStringToObject(o, "required_engine_version", ver);
	cJSON_AddItemToObject(o, "required_plugin_versions", cJSON_CreateArray());
	rules = cJSON_AddArrayToObject(o, "rules");
	for (size_t i = 0; i < rs->nrules; i++)
		cJSON_AddItemToArray(rules, rule_json(rs, &rs->rules[i]));
	rules = cJSON_AddArrayToObject(o, "macros");
	for (size_t i = 0; i < rs->nmacros; i++)
		cJSON_AddItemToArray(rules, macro_json(rs, &rs->macros[i]));
	rules = cJSON_AddArrayToObject(o, "lists");
	for (size_t i = 0; i < rs->nlists; i++)
		cJSON_AddItemToArray(rules, list_json(rs, &rs->lists[i]));
	return o;
}
