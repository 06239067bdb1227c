// SPDX-License-Identifier: Apache-2.0
/*
 * Falco's rules-file schema check (userspace/engine/rule_json_schema.h,
 * validated by valijson with weak types), for -V's "FILE | schema
 * validation: STATUS" line: "ok", or "failed for CONTEXT: DESCRIPTION" with
 * the first error valijson reports (the innermost one of the first item that
 * fails), its context as valijson writes it ("<root>[2][priority]").
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "rules/ruleset.h"
#include "rules/ynode.h"

/* valijson's words */
#define V_TYPE "Value type not permitted by 'type' constraint."
#define V_ENUM "Failed to match against any enum values."
#define V_ANYOF "Failed to validate against any schemas allowed by anyOf constraint."
#define V_EXTRA "Object contains a property that could not be validated using 'properties' or " \
		"'additionalProperties' constraints: '%s'."
#define V_REQUIRED "Missing required property '%s'."
#define V_MIN_PROPS "Object should have no fewer than 1 properties."

/* The schema's definitions and property types */
enum stype {
	S_ANY, S_STRING, S_BOOL, S_INT, S_PRIORITY, S_OVERRIDE,
	S_RULE, S_ITEM, S_EXCEPTION, S_PLUGIN, S_ALTERNATIVE,          /* one object or value */
	S_STRINGS, S_ITEMS, S_EXCEPTIONS, S_PLUGINS, S_ALTERNATIVES,  /* arrays of them */
};

struct prop {
	const char *name;
	enum stype type;
};

/* FalcoRule's properties (additionalProperties: false, nothing required) */
static const struct prop rule_props[] = {
	{ "required_engine_version", S_STRING }, { "required_plugin_versions", S_PLUGINS },
	{ "macro", S_STRING }, { "condition", S_STRING }, { "list", S_STRING }, { "items", S_ITEMS },
	{ "rule", S_STRING }, { "desc", S_STRING }, { "enabled", S_BOOL }, { "output", S_STRING },
	{ "append", S_BOOL }, { "priority", S_PRIORITY }, { "capture", S_BOOL }, { "capture_duration", S_INT },
	{ "capture_events", S_INT }, { "capture_filesize", S_INT }, { "source", S_STRING },
	{ "exceptions", S_EXCEPTIONS }, { "override", S_OVERRIDE }, { "tags", S_STRINGS },
	{ "warn_evttypes", S_BOOL }, { "skip-if-unknown-filter", S_BOOL }, { NULL, 0 },
};

/* Override's keys, each "append" or "replace" */
static const char *const override_keys[] = { "items", "desc", "condition", "output", "priority", "enabled",
					      "exceptions", "capture", "capture_duration", "capture_events",
					      "capture_filesize", "tags", "warn_evttypes", "skip-if-unknown-filter",
					      NULL };

struct sch {
	char ctx[256];
	char *out;
	size_t n;
	bool failed;
};

/* The first error only, as Falco reports it. */
static bool fail(struct sch *s, const char *desc, const char *arg)
{
	char d[300];

	if (!s->failed) {
		snprintf(d, sizeof(d), desc, arg);
		snprintf(s->out, s->n, "failed for %s: %s", s->ctx, d);
		s->failed = true;
	}
	return false;
}

/* Descend into [seg] of the context; sub returns the context to what it was. */
static size_t push(struct sch *s, const char *seg)
{
	size_t l = strlen(s->ctx);

	snprintf(s->ctx + l, sizeof(s->ctx) - l, "[%s]", seg);
	return l;
}

static bool is_scalar(const struct ynode *v)
{
	return v->kind == Y_SCALAR;
}

/* Weak types: a scalar is a string; a word yaml-cpp reads as a bool a boolean; digits an integer. */
static bool weak_bool(const struct ynode *v)
{
	static const char *const words[] = { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On",
					     "ON", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off",
					     "Off", "OFF", NULL };

	for (const char *const *w = words; is_scalar(v) && *w; w++)
		if (!strcmp(*w, v->value))
			return true;
	return false;
}

static bool weak_int(const struct ynode *v)
{
	const char *p = v->value;

	if (!is_scalar(v) || !*p)
		return false;
	p += *p == '-';
	return *p && strspn(p, "0123456789") == strlen(p);
}

static bool check_value(struct sch *s, const struct ynode *v, enum stype t);

/* Each item of a sequence, at [i]. */
static bool check_items(struct sch *s, const struct ynode *v, enum stype item)
{
	char idx[24];
	bool ok = true;

	if (v->kind != Y_SEQ)
		return fail(s, V_TYPE, NULL);
	for (size_t i = 0; i < v->n; i++) {
		size_t l;

		snprintf(idx, sizeof(idx), "%zu", i);
		l = push(s, idx);
		ok &= check_value(s, v->items[i], item);
		s->ctx[l] = 0;
	}
	return ok;
}

/* An object of known keys: each value checked, then the required ones. */
static bool check_object(struct sch *s, const struct ynode *v, const struct prop *props, const char *const *req)
{
	bool ok = true;

	if (v->kind != Y_MAP)
		return fail(s, V_TYPE, NULL);
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const char *k = v->items[i]->value ? v->items[i]->value : "";
		const struct prop *p = props;
		size_t l;

		while (p->name && strcmp(p->name, k))
			p++;
		if (!p->name) {
			ok = fail(s, V_EXTRA, k);
			continue;
		}
		l = push(s, k);
		ok &= check_value(s, v->items[i + 1], p->type);
		s->ctx[l] = 0;
	}
	for (; req && *req; req++)
		if (!ynode_get(v, *req))
			ok = fail(s, V_REQUIRED, *req);
	return ok;
}

static const char *const prios[] = { "EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE",
				     "INFO", "INFORMATIONAL", "DEBUG", NULL };

static bool check_priority(struct sch *s, const struct ynode *v)
{

	if (!is_scalar(v))
		return fail(s, V_TYPE, NULL);
	for (const char *const *p = prios; *p; p++)
		if (!strcmp(*p, v->value))
			return true;
	return fail(s, V_ENUM, NULL);
}

static bool check_override(struct sch *s, const struct ynode *v)
{
	bool ok = true;

	if (v->kind != Y_MAP)
		return fail(s, V_TYPE, NULL);
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const char *k = v->items[i]->value ? v->items[i]->value : "", *const *o = override_keys;
		const struct ynode *h = v->items[i + 1];
		size_t l;

		while (*o && strcmp(*o, k))
			o++;
		if (!*o) {
			ok = fail(s, V_EXTRA, k);
			continue;
		}
		l = push(s, k);
		if (!is_scalar(h))
			ok = fail(s, V_TYPE, NULL);
		else if (strcmp(h->value, "append") && strcmp(h->value, "replace"))
			ok = fail(s, V_ENUM, NULL);
		s->ctx[l] = 0;
	}
	if (!v->n)
		ok = fail(s, V_MIN_PROPS, NULL);
	return ok;
}

static const struct prop exception_props[] = { { "name", S_STRING }, { "fields", S_ANY }, { "comps", S_ANY },
					       { "values", S_ANY }, { NULL, 0 } };
static const struct prop plugin_props[] = { { "name", S_STRING }, { "version", S_STRING },
					    { "alternatives", S_ALTERNATIVES }, { NULL, 0 } };
static const struct prop alternative_props[] = { { "name", S_STRING }, { "version", S_STRING }, { NULL, 0 } };
static const char *const name_req[] = { "name", NULL }, *const name_version_req[] = { "name", "version", NULL };

static bool check_value(struct sch *s, const struct ynode *v, enum stype t)
{
	switch (t) {
	case S_ANY:
		return true;
	case S_STRING:
		return is_scalar(v) || fail(s, V_TYPE, NULL);
	case S_BOOL:
		return weak_bool(v) || fail(s, V_TYPE, NULL);
	case S_INT:
		return weak_int(v) || fail(s, V_TYPE, NULL);
	case S_PRIORITY:
		return check_priority(s, v);
	case S_OVERRIDE:
		return check_override(s, v);
	case S_RULE:
		return check_object(s, v, rule_props, NULL);
	case S_ITEM: /* integer or string */
		return is_scalar(v) || fail(s, V_ANYOF, NULL);
	case S_EXCEPTION:
		return check_object(s, v, exception_props, name_req);
	case S_PLUGIN:
		return check_object(s, v, plugin_props, name_version_req);
	case S_ALTERNATIVE:
		return check_object(s, v, alternative_props, name_version_req);
	case S_STRINGS:
		return check_items(s, v, S_STRING);
	case S_ITEMS:
		return check_items(s, v, S_ITEM);
	case S_EXCEPTIONS:
		return check_items(s, v, S_EXCEPTION);
	case S_PLUGINS:
		return check_items(s, v, S_PLUGIN);
	case S_ALTERNATIVES:
		return check_items(s, v, S_ALTERNATIVE);
	}
	return true;
}

void rules_schema_check(const struct ynode *doc, char *out, size_t n)
{
	struct sch s = { "<root>", out, n, false };

	snprintf(out, n, "ok");
	if (!doc || (doc->kind == Y_SCALAR && !*doc->value && !doc->quoted))
		return; /* no document, or an empty one (a file of comments): Falco says ok */
	if (doc->kind != Y_SEQ) {
		fail(&s, V_TYPE, NULL);
		return;
	}
	check_items(&s, doc, S_RULE);
}

/* ------------------------------------------------------- the schema as JSON */

static cJSON *ref(const char *def)
{
	cJSON *o = cJSON_CreateObject();
	char r[64];

	snprintf(r, sizeof(r), "#/definitions/%s", def);
	cJSON_AddStringToObject(o, "$ref", r);
	return o;
}

static cJSON *type_json(enum stype t)
{
	static const char *const refs[] = { [S_PRIORITY] = "Priority", [S_OVERRIDE] = "Override",
					    [S_RULE] = "FalcoRule", [S_ITEM] = "Item", [S_EXCEPTION] = "Exception",
					    [S_PLUGIN] = "RequiredPluginVersion", [S_ALTERNATIVE] = "Alternative" };
	static const char *const scalars[] = { [S_STRING] = "string", [S_BOOL] = "boolean", [S_INT] = "integer" };
	static const enum stype items[] = { [S_STRINGS] = S_STRING, [S_ITEMS] = S_ITEM, [S_EXCEPTIONS] = S_EXCEPTION,
					    [S_PLUGINS] = S_PLUGIN, [S_ALTERNATIVES] = S_ALTERNATIVE };
	cJSON *o;

	if (t >= S_STRINGS) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "array");
		cJSON_AddItemToObject(o, "items", type_json(items[t]));
		return o;
	}
	if (t == S_ANY)
		return cJSON_CreateObject();
	if (t <= S_INT) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", scalars[t]);
		return o;
	}
	return ref(refs[t]);
}

/* An object definition: its properties, additionalProperties false, required, title. */
static cJSON *object_def(const char *title, const struct prop *props, const char *const *req)
{
	cJSON *o = cJSON_CreateObject(), *p = cJSON_CreateObject(), *r = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "type", "object");
	cJSON_AddFalseToObject(o, "additionalProperties");
	for (; props->name; props++)
		cJSON_AddItemToObject(p, props->name, type_json(props->type));
	cJSON_AddItemToObject(o, "properties", p);
	for (; req && *req; req++)
		cJSON_AddItemToArray(r, cJSON_CreateString(*req));
	cJSON_AddItemToObject(o, "required", r);
	cJSON_AddStringToObject(o, "title", title);
	return o;
}

static cJSON *enum_def(const char *title, const char *const *values)
{
	cJSON *o = cJSON_CreateObject(), *e = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "type", "string");
	for (; *values; values++)
		cJSON_AddItemToArray(e, cJSON_CreateString(*values));
	cJSON_AddItemToObject(o, "enum", e);
	cJSON_AddStringToObject(o, "title", title);
	return o;
}

cJSON *rules_schema_json(void)
{
	static const char *const overridden[] = { "append", "replace", NULL };
	cJSON *root = cJSON_CreateObject(), *defs = cJSON_CreateObject(), *item = cJSON_CreateObject();
	cJSON *any = cJSON_CreateArray(), *ov = cJSON_CreateObject(), *ovp = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "$schema", "http://json-schema.org/draft-06/schema#");
	cJSON_AddStringToObject(root, "type", "array");
	cJSON_AddItemToObject(root, "items", ref("FalcoRule"));
	cJSON_AddItemToObject(defs, "FalcoRule", object_def("FalcoRule", rule_props, NULL));
	cJSON_AddItemToArray(any, type_json(S_INT));
	cJSON_AddItemToArray(any, type_json(S_STRING));
	cJSON_AddItemToObject(item, "anyOf", any);
	cJSON_AddStringToObject(item, "title", "Item");
	cJSON_AddItemToObject(defs, "Item", item);
	cJSON_AddItemToObject(defs, "Exception", object_def("Exception", exception_props, name_req));
	cJSON_AddItemToObject(defs, "Priority", enum_def("Priority", prios));
	cJSON_AddItemToObject(defs, "OverriddenItem", enum_def("OverriddenItem", overridden));
	cJSON_AddStringToObject(ov, "type", "object");
	cJSON_AddFalseToObject(ov, "additionalProperties");
	for (const char *const *k = override_keys; *k; k++)
		cJSON_AddItemToObject(ovp, *k, ref("OverriddenItem"));
	cJSON_AddItemToObject(ov, "properties", ovp);
	cJSON_AddNumberToObject(ov, "minProperties", 1);
	cJSON_AddStringToObject(ov, "title", "Override");
	cJSON_AddItemToObject(defs, "Override", ov);
	cJSON_AddItemToObject(defs, "RequiredPluginVersion",
			      object_def("RequiredPluginVersion", plugin_props, name_version_req));
	cJSON_AddItemToObject(defs, "Alternative", object_def("Alternative", alternative_props, name_version_req));
	cJSON_AddItemToObject(root, "definitions", defs);
	return root;
}
