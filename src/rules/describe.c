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

#include "rules/cond.h"
#include "rules/format.h"
#include "rules/index.h"
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


/* The field inside transformers: "tolower(basename(proc.exe))" gives "proc.exe". */
static void add_field(cJSON *fields, const char *key, size_t n)
{
	char buf[512];
	const char *open = NULL;

	for (size_t i = 0; i < n; i++)
		if (key[i] == '(')
			open = key + i;
	if (open) {
		n -= (size_t)(open + 1 - key);
		key = open + 1;
		while (n && key[n - 1] == ')')
			n--;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1), key);
	if (*buf)
		add_unique(fields, buf);
}

static const char *skip_sp(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* Past a quoted value, or a parenthesized list of values (quotes inside honoured). */
static const char *skip_values(const char *p)
{
	int depth = 0;

	do {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		}
		if (*p)
			p++;
	} while (*p && depth > 0);
	return p;
}

/*
 * The fields and operators of a compiled condition (the text ast_print
 * writes: "KEY OP VALUE", "KEY exists", "KEY OP val(KEY)", lists in
 * parentheses), each once, in order: Falco's condition_fields and
 * condition_operators, taken from the compiled condition.
 */
static void compiled_refs(const char *text, cJSON *fields, cJSON *ops)
{
	const char *p = text ? text : "";

	while (*(p = skip_sp(p))) {
		size_t n;
		char op[32];

		if (*p == '(' || *p == ')') {
			p++;
			continue;
		}
		for (n = 0; p[n] && p[n] != ' '; n++)
			;
		if ((n == 3 && !strncmp(p, "and", 3)) || (n == 2 && !strncmp(p, "or", 2)) ||
		    (n == 3 && !strncmp(p, "not", 3))) {
			p += n;
			continue;
		}
		add_field(fields, p, n); /* a check: its left side, */
		p = skip_sp(p + n);
		for (n = 0; p[n] && p[n] != ' ' && p[n] != ')'; n++)
			;
		snprintf(op, sizeof(op), "%.*s", (int)(n < sizeof(op) ? n : sizeof(op) - 1), p);
		add_unique(ops, op); /* its operator, */
		p = skip_sp(p + n);
		if (!strcmp(op, "exists"))
			continue;
		if (!strncmp(p, "val(", 4)) { /* and a field on its right side (the parentheses after it close groups) */
			for (n = 0; p[n] && p[n] != ' '; n++)
				;
			add_field(fields, p, n);
			p += n;
			continue;
		}
		if (!strncmp(p, "anyof ", 6) || !strncmp(p, "allof ", 6) || !strncmp(p, "oneof ", 6))
			p = skip_sp(p + 6);
		if (*p == '(' || *p == '"') {
			p = skip_values(p);
			continue;
		}
		while (*p && *p != ' ' && *p != ')')
			p++;
	}
}

/* The syntactic and compiled details Falco gives a rule and a macro alike. */
static void condition_details(const struct ruleset *rs, cJSON *d, const char *cond, const char *compiled)
{
	cJSON *unused = cJSON_CreateArray();

	condition_refs(rs, cond, cJSON_AddArrayToObject(d, "macros"), cJSON_AddArrayToObject(d, "lists"), unused);
	cJSON_Delete(unused);
	compiled_refs(compiled, cJSON_AddArrayToObject(d, "condition_fields"),
		      cJSON_AddArrayToObject(d, "condition_operators"));
	cJSON_AddStringToObject(d, "condition_compiled", compiled ? compiled : "");
}

static int cmp_str_item(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->valuestring, (*(cJSON *const *)b)->valuestring);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

/* Sort an object's keys, recursively: Falco's JSON (nlohmann's std::map) prints keys in order. */
static void sort_keys(cJSON *o)
{
	cJSON *it, **kids;
	size_t n = 0, i = 0;

	cJSON_ArrayForEach(it, o) {
		sort_keys(it);
		n++;
	}
	if (!cJSON_IsObject(o) || n < 2 || !(kids = malloc(n * sizeof(*kids))))
		return;
	while (o->child)
		kids[i++] = cJSON_DetachItemViaPointer(o, o->child);
	qsort(kids, n, sizeof(*kids), cmp_key);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(o, kids[i]); /* keeps each item's key */
	free(kids);
}

static cJSON *strings(char *const *a, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(a[i]));
	return arr;
}

/*
 * Event type names a compiled condition matches, each once: the events of
 * the table, the syscalls that come as generic events, and "asyncevent",
 * which Falco adds to every syscall-source condition (all of them when the
 * condition does not restrict evt.type).
 */
static cJSON *event_names(const uint8_t *types, bool all, const uint8_t *syscalls)
{
	cJSON *arr = cJSON_CreateArray();

	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		const struct event_info *ei = event_info_get((uint16_t)t);

		if ((all || types[t]) && ei && ei->name && strcmp(ei->name, "NA"))
			add_unique(arr, ei->name);
	}
	for (size_t k = 1; k < ppm_sc_count; k++)
		if ((all || (syscalls && syscalls[k])) && ppm_sc_names[k] && *ppm_sc_names[k])
			add_unique(arr, ppm_sc_names[k]);
	add_unique(arr, "asyncevent");
	return arr;
}

/* The fields of a rule's exceptions, sorted, each once (Falco keeps them in a std::set). */
static cJSON *exception_fields(const struct rule_item *ri)
{
	cJSON *arr = cJSON_CreateArray(), **kids = NULL;
	size_t n = 0;

	for (size_t i = 0; i < ri->nexc; i++)
		for (size_t f = 0; f < ri->exc[i].nfields; f++)
			add_unique(arr, ri->exc[i].fields[f]);
	n = (size_t)cJSON_GetArraySize(arr);
	if (n < 2 || !(kids = malloc(n * sizeof(*kids))))
		return arr;
	for (size_t i = 0; i < n; i++)
		kids[i] = cJSON_DetachItemFromArray(arr, 0);
	qsort(kids, n, sizeof(*kids), cmp_str_item);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, kids[i]);
	free(kids);
	return arr;
}

/* The comparison operators of a rule's exceptions: their comps, or Falco's defaults ("in" for one field, "=" for each of a list). */
static cJSON *exception_operators(const struct rule_item *ri)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < ri->nexc; i++) {
		const struct exception *e = &ri->exc[i];

		if (e->ncomps)
			for (size_t c = 0; c < e->ncomps; c++)
				add_unique(arr, e->comps[c]);
		else if (e->nfields)
			add_unique(arr, e->fields_is_list ? "=" : "in");
	}
	return arr;
}

/* The fields of a rule's output, in order, as Falco's formatter names them. */
static cJSON *output_fields(const struct rule *r)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; r->fmt && i < r->fmt->n; i++)
		if (r->fmt->toks[i].is_field)
			cJSON_AddItemToArray(arr, cJSON_CreateString(r->fmt->toks[i].text));
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
	condition_details(rs, d, r->condition, r->expanded);
	cJSON_AddItemToObject(d, "output_fields", output_fields(r));
	cJSON_AddItemToObject(d, "exception_fields", exception_fields(ri));
	for (size_t i = 0; i < ri->nexc; i++)
		add_unique(exc, ri->exc[i].name);
	cJSON_AddItemToObject(d, "exception_names", exc);
	cJSON_AddItemToObject(d, "exception_operators", exception_operators(ri));
	cJSON_AddItemToObject(d, "events", event_names(r->evttypes, r->all_types, r->syscalls));
	cJSON_AddStringToObject(d, "output_compiled", r->output ? r->output : "");
	cJSON_AddItemToObject(d, "plugins", cJSON_CreateArray());
	return o;
}

/*
 * A macro's condition compiled on its own (its macros and lists inlined):
 * the text and the event types it matches. The used marks parsing sets
 * are the caller's to restore.
 */
static char *macro_compiled(struct ruleset *rs, const struct macro_item *m, struct rule *tmp)
{
	struct cond_error e;
	struct ast *a;
	char *text;

	memset(&e, 0, sizeof(e));
	if (!m->condition || !(a = cond_parse(rs, m->condition, &e)))
		return NULL;
	tmp->all_types = !index_event_types(rs, a, tmp->evttypes);
	index_scan_type_names(rs, a, tmp);
	text = ast_print(rs->checks, &rs->slots, a);
	ast_free(a);
	return text;
}

static cJSON *macro_json(struct ruleset *rs, const struct macro_item *m)
{
	cJSON *o = cJSON_CreateObject(), *info = cJSON_AddObjectToObject(o, "info");
	cJSON *d = cJSON_AddObjectToObject(o, "details");
	struct rule tmp;
	char *compiled;
	size_t nmsgs = rs->nmsgs;

	memset(&tmp, 0, sizeof(tmp));
	compiled = macro_compiled(rs, m, &tmp);
	rs->nmsgs = nmsgs; /* what parsing it again says was reported at load */
	cJSON_AddStringToObject(info, "name", m->name);
	cJSON_AddStringToObject(info, "condition", m->condition ? m->condition : "");
	cJSON_AddBoolToObject(d, "used", m->used);
	condition_details(rs, d, m->condition, compiled);
	cJSON_AddItemToObject(d, "events", event_names(tmp.evttypes, tmp.all_types || !compiled, tmp.syscalls));
	cJSON_AddItemToObject(d, "plugins", cJSON_CreateArray());
	free(tmp.syscalls);
	free(compiled);
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

/* The used marks of every macro and list, to put back after macro_json's parsing; NULL when out of memory. */
static bool *save_used(const struct ruleset *rs)
{
	bool *u = malloc((rs->nmacros + rs->nlists + 1) * sizeof(*u));

	for (size_t i = 0; u && i < rs->nmacros; i++)
		u[i] = rs->macros[i].used;
	for (size_t i = 0; u && i < rs->nlists; i++)
		u[rs->nmacros + i] = rs->lists[i].used;
	return u;
}

static void restore_used(struct ruleset *rs, const bool *u)
{
	for (size_t i = 0; i < rs->nmacros; i++)
		rs->macros[i].used = u[i];
	for (size_t i = 0; i < rs->nlists; i++)
		rs->lists[i].used = u[rs->nmacros + i];
}

static cJSON *plugin_req_json(const struct plugin_req *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "version", r->version);
	return o;
}

/* Falco's required_plugin_versions: per entry its name, version and alternatives ({name, version} each). */
static cJSON *plugin_reqs_json(const struct ruleset *rs)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < rs->nplugin_reqs; i++) {
		const struct plugin_reqs *pr = &rs->plugin_reqs[i];
		cJSON *o = plugin_req_json(&pr->alts[0]), *alts = cJSON_AddArrayToObject(o, "alternatives");

		for (size_t k = 1; k < pr->n; k++)
			cJSON_AddItemToArray(alts, plugin_req_json(&pr->alts[k]));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

cJSON *ruleset_describe_json(struct ruleset *rs, const char *rule)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	char ver[48];
	bool *used;
	int nerrors = rs->nerrors;

	if (rule) {
		const struct rule_item *ri = rs_find_rule(rs, rule);

		if (!ri) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "rules"), rule_json(rs, ri));
		sort_keys(o);
		return o;
	}
	snprintf(ver, sizeof(ver), "%d.%d.%d", rs->required_engine[0], rs->required_engine[1], rs->required_engine[2]);
	cJSON_AddStringToObject(o, "required_engine_version", ver);
	cJSON_AddItemToObject(o, "required_plugin_versions", plugin_reqs_json(rs));
	arr = cJSON_AddArrayToObject(o, "rules");
	for (size_t i = 0; i < rs->nrules; i++)
		cJSON_AddItemToArray(arr, rule_json(rs, &rs->rules[i]));
	arr = cJSON_AddArrayToObject(o, "macros");
	used = save_used(rs);
	for (size_t i = 0; used && i < rs->nmacros; i++)
		cJSON_AddItemToArray(arr, macro_json(rs, &rs->macros[i]));
	if (used)
		restore_used(rs, used);
	free(used);
	rs->nerrors = nerrors;
	arr = cJSON_AddArrayToObject(o, "lists");
	for (size_t i = 0; i < rs->nlists; i++)
		cJSON_AddItemToArray(arr, list_json(rs, &rs->lists[i]));
	sort_keys(o);
	return o;
}
