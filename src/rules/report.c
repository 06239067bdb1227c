// SPDX-License-Identifier: Apache-2.0
/*
 * Load results as Falco reports them for -V: one result per file with its
 * errors and warnings, each with Falco's code, the code's description, the
 * context stack and a snippet of the file with a caret under the place, as
 * Falco's text or as one JSON document {"falco_load_results":[...]}.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ruleset.h"

/* code, Falco's short text, Falco's long description */
static const struct {
	const char *code, *str, *desc;
} codes[] = {
	{ "LOAD_ERR_FILE_READ", "File read error",
	  "This occurs when falco can not read a given file. Check permissions and whether the file exists." },
	{ "LOAD_ERR_YAML_PARSE", "YAML parse error", "This occurs when the rules content is not valid YAML." },
	{ "LOAD_ERR_YAML_VALIDATE", "Error validating internal structure of YAML file",
	  "This occurs when the internal structure of the YAML file is incorrect. Examples include not consisting of "
	  "a sequence of maps, a given rule/macro/list item not having required keys, values not having the right type "
	  "(e.g. the items property of a list not being a sequence), etc." },
	{ "LOAD_ERR_COMPILE_CONDITION", "Error compiling condition",
	  "This occurs when a condition string can not be compiled to a filter object." },
	{ "LOAD_ERR_COMPILE_OUTPUT", "Error compiling output",
	  "This occurs when an output string can not be compiled to an output object." },
	{ "LOAD_ERR_VALIDATE", "Error validating rule/macro/list/exception objects",
	  "This occurs when a rule/macro/list item is incorrect. Examples include a condition field referring to an "
	  "undefined macro, falco engine/plugin version mismatches, items with append without any existing item, "
	  "exception fields/comps having different lengths, etc." },
	{ "LOAD_ERR_EXTENSION", "Error in extension item", "This occurs when there is an error in an extension item" },
	{ "LOAD_UNKNOWN_SOURCE", "Unknown event source",
	  "A rule has a unknown event source. This can occur when reading rules content without having a "
	  "corresponding plugin loaded, etc. The rule will be silently ignored." },
	{ "LOAD_UNSAFE_NA_CHECK", "Unsafe <NA> comparison in condition",
	  "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. "
	  "If you need to check for the existence of a field, consider using the 'exists' operator instead." },
	{ "LOAD_NO_EVTTYPE", "Condition has no event-type restriction",
	  "A rule condition matches too many evt.type values. This has a significant performance penalty. Make the "
	  "condition more specific by adding an evt.type field or further restricting the number of evt.type values "
	  "in the condition." },
	{ "LOAD_UNKNOWN_FILTER", "Unknown field or event-type in condition or output",
	  "A rule condition or output refers to a field or evt.type that does not exist. This is normally an error, "
	  "but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning." },
	{ "LOAD_UNUSED_MACRO", "Unused macro",
	  "A macro is defined in the rules content but is not used by any other macro or rule." },
	{ "LOAD_UNUSED_LIST", "Unused list",
	  "A list is defined in the rules content but is not used by any other list, macro, or rule." },
	{ "LOAD_UNKNOWN_ITEM", "Unknown rules file item",
	  "An unknown top-level object is in the rules content. It will be ignored." },
	{ "LOAD_DEPRECATED_ITEM", "Used deprecated item", "A deprecated item is employed by lists, macros, or rules." },
	{ "LOAD_WARNING_EXTENSION", "Warning in extension item", "An extension item has a warning" },
	{ "LOAD_APPEND_NO_VALUES", "Overriding/appending with no values",
	  "A rule exception is overriding/appending with no values" },
	{ "LOAD_EXCEPTION_NAME_NOT_UNIQUE", "Multiple exceptions defined with the same name",
	  "A rule is defining multiple exceptions with the same name" },
	{ "LOAD_INVALID_MACRO_NAME", "Invalid macro name", "A macro is defined with an invalid name" },
	{ "LOAD_INVALID_LIST_NAME", "Invalid list name", "A list is defined with an invalid name" },
	{ "LOAD_COMPILE_CONDITION", "Warning in rule condition",
	  "A rule condition or output have been parsed with a warning" },
	{ "LOAD_UNKNOWN_KEY", "Unknown key in item definition",
	  "An item in the rules content contains an unrecognized key. The key will be ignored. This may indicate a "
	  "typo or a property placed on the wrong item type." },
	/* saker's own: evt.type compared with a name that is no event or syscall */
	{ "LOAD_UNKNOWN_EVTTYPE", "Unknown event type in condition",
	  "A rule condition compares evt.type with a name that is neither an event type nor a syscall: that "
	  "comparison never matches." },
};

static int code_index(const char *code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(codes[i].code, code))
			return i;
	return -1;
}

const char *load_code_str(const char *code)
{
	int i = code_index(code);

	return i < 0 ? "" : codes[i].str;
}

/* Falco's JSON gives errors their short text and warnings their long description. */
const char *load_code_desc(const char *code, bool error)
{
	int i = code_index(code);

	return i < 0 ? "" : error ? codes[i].str : codes[i].desc;
}

/* ------------------------------------------------------------ snippet */

#define SNIPPET_HALF 80

/* The file's line around the message's place, and a caret under it (Falco's snippet). */
static char *snippet(const struct ruleset *rs, const struct load_msg *m)
{
	size_t len, pos, from, to;
	const char *t = ruleset_content(rs, m->file, &len);
	char *out;

	if (!t)
		return asprintf(&out, "<No context for file + %s>\n", m->file) < 0 ? NULL : out;
	if (!len)
		return strdup("<No context available>\n");
	pos = m->snippet_offset > 0 ? (size_t)m->snippet_offset : 0;
	while (pos > 0 && (pos >= len || t[pos] == '\n')) /* a place at a line's end or past the file's */
		pos--;
	for (from = pos; from > 0 && t[from - 1] != '\n' && pos - from < SNIPPET_HALF; from--)
		;
	for (to = pos; to + 1 < len && t[to + 1] != '\n' && to - pos < SNIPPET_HALF; to++)
		;
	if (asprintf(&out, "%s%.*s%s\n%*s^\n", from > 0 && t[from - 1] != '\n' ? "..." : "", (int)(to - from + 1),
		     t + from, to + 1 < len && t[to + 1] != '\n' ? "..." : "",
		     (int)(pos - from + (from > 0 && t[from - 1] != '\n' ? 3 : 0)), "") < 0)
		return NULL;
	return out;
}

/* ------------------------------------------------------------- results */

/* Does message m belong to the file (or directory) named f? */
static bool msg_in(const struct load_msg *m, const char *f)
{
	size_t l = strlen(f);

	return !strncmp(m->file, f, l) && (m->file[l] == 0 || m->file[l] == '/' || f[l - 1] == '/');
}

struct result {
	const char *name;
	size_t nerr, nwarn;
};

static struct result result_of(const struct ruleset *rs, const char *file)
{
	struct result r = { file, 0, 0 };

	for (size_t i = 0; i < ruleset_nmsgs(rs); i++) {
		const struct load_msg *m = ruleset_msg(rs, i);

		if (msg_in(m, file))
			*(m->error ? &r.nerr : &r.nwarn) += 1;
	}
	return r;
}

static void text_msg(FILE *f, const struct ruleset *rs, const struct load_msg *m)
{
	char *snip = snippet(rs, m);

	for (size_t i = 0; i < m->nlocs; i++) {
		const struct load_loc *l = &m->locs[i];

		fprintf(f, "%s%s", i ? "    " : "In ", l->item_type);
		if (l->item_name[0])
			fprintf(f, " '%s'", l->item_name);
		fprintf(f, ": (%s:%d:%d)\n", l->name, l->line, l->col);
	}
	fprintf(f, "------\n%s------\n%s (%s", snip ? snip : "", m->code, load_code_str(m->code));
	if (m->field[0])
		fprintf(f, ": field '%s'", m->field);
	fprintf(f, "): %s\n", m->msg);
	free(snip);
}

/* Falco's verbose text of one file's result. */
static void text_result(FILE *f, const struct ruleset *rs, const struct result *r)
{
	fprintf(f, "%s: %s%s", r->name, r->nerr ? "Invalid" : "Ok", !r->nerr && r->nwarn ? ", with warnings" : "");
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass ? r->nwarn : r->nerr;

		if (!n)
			continue;
		fprintf(f, "\n%zu %s:\n", n, pass ? "Warnings" : "Errors");
		for (size_t i = 0; i < ruleset_nmsgs(rs); i++) {
			const struct load_msg *m = ruleset_msg(rs, i);

			if (msg_in(m, r->name) && m->error == !pass)
				text_msg(f, rs, m);
		}
	}
}

static cJSON *json_msg(const struct ruleset *rs, const struct load_msg *m)
{
	cJSON *e = cJSON_CreateObject(), *ctx, *locs;
	char *snip = snippet(rs, m);

	cJSON_AddStringToObject(e, "code", m->code);
	cJSON_AddStringToObject(e, "codedesc", load_code_desc(m->code, m->error));
	ctx = cJSON_AddObjectToObject(e, "context");
	locs = cJSON_AddArrayToObject(ctx, "locations");
	for (size_t i = 0; i < m->nlocs; i++) {
		const struct load_loc *l = &m->locs[i];
		cJSON *jl = cJSON_CreateObject(), *pos;

		cJSON_AddStringToObject(jl, "item_name", l->item_name);
		cJSON_AddStringToObject(jl, "item_type", l->item_type);
		pos = cJSON_AddObjectToObject(jl, "position");
		cJSON_AddNumberToObject(pos, "column", l->col);
		cJSON_AddNumberToObject(pos, "line", l->line);
		cJSON_AddStringToObject(pos, "name", l->name);
		cJSON_AddNumberToObject(pos, "offset", l->offset);
		cJSON_AddItemToArray(locs, jl);
	}
	cJSON_AddStringToObject(ctx, "snippet", snip ? snip : "");
	cJSON_AddStringToObject(e, "message", m->msg);
	free(snip);
	return e;
}

static cJSON *json_result(const struct ruleset *rs, const struct result *r)
{
	cJSON *j = cJSON_CreateObject(), *errs = cJSON_AddArrayToObject(j, "errors"), *warns;

	cJSON_AddStringToObject(j, "name", r->name);
	cJSON_AddBoolToObject(j, "successful", r->nerr == 0);
	warns = cJSON_AddArrayToObject(j, "warnings");
	for (size_t i = 0; i < ruleset_nmsgs(rs); i++) {
		const struct load_msg *m = ruleset_msg(rs, i);

		if (msg_in(m, r->name))
			cJSON_AddItemToArray(m->error ? errs : warns, json_msg(rs, m));
	}
	return j;
}

static int print_json(const struct ruleset *rs, char *const *files, size_t n, FILE *out)
{
	cJSON *root = cJSON_CreateObject(), *results = cJSON_AddArrayToObject(root, "falco_load_results");
	char *text;
	int ok = 1;

	for (size_t i = 0; i < n; i++) {
		struct result r = result_of(rs, files[i]);

		ok &= r.nerr == 0;
		cJSON_AddItemToArray(results, json_result(rs, &r));
	}
	text = cJSON_PrintUnformatted(root);
	fprintf(out, "%s\n", text ? text : "{\"falco_load_results\":[]}");
	free(text);
	cJSON_Delete(root);
	return ok ? 0 : 1;
}

/* Falco's summary: a file with errors, or with nothing to say, in full; one with only warnings in a line. */
static int print_text(const struct ruleset *rs, char *const *files, size_t n, FILE *out)
{
	int ok = 1;

	for (size_t i = 0; i < n; i++) {
		struct result r = result_of(rs, files[i]);

		if (i)
			fputc('\n', out);
		ok &= r.nerr == 0;
		if (r.nerr || !r.nwarn)
			text_result(out, rs, &r);
		else
			fprintf(out, "%s: Ok, with warnings", r.name);
	}
	fputc('\n', out);
	return ok ? 0 : 1;
}

/* Falco's schema validation of a -V file (of a directory: its first file that is not ok). */
static const char *schema_status(const struct ruleset *rs, const char *f)
{
	const char *st = "none";

	for (size_t i = 0; i < rs->ncontents; i++) {
		struct load_msg m = { .file = "" };

		snprintf(m.file, sizeof(m.file), "%s", rs->contents[i].name);
		if (!msg_in(&m, f))
			continue;
		st = rs->contents[i].schema;
		if (strcmp(st, "ok"))
			break;
	}
	return st;
}

/*
 * Falco's log lines of -V (app/actions/validate_rules_files.cpp, 0.38 to
 * 0.43): "Validating rules file(s):", then "   FILE | schema validation:
 * STATUS" per file (a warning unless ok); then, when loaded (no fatal
 * error stopped -V), per file that loaded with warnings only, its full
 * text as a warning (the summary has one line).
 */
static void log_validation(const struct ruleset *rs, char *const *files, size_t n, validate_log_fn log, bool loaded)
{
	char line[1024];

	log(false, "Validating rules file(s):\n");
	for (size_t i = 0; i < n; i++) {
		const char *st = schema_status(rs, files[i]);

		snprintf(line, sizeof(line), "   %s | schema validation: %s\n", files[i], st);
		log(strcmp(st, "ok") != 0, line);
	}
	for (size_t i = 0; loaded && i < n; i++) {
		struct result r = result_of(rs, files[i]);
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		if (r.nerr || !r.nwarn || !(f = open_memstream(&text, &len)))
			continue;
		text_result(f, rs, &r);
		fputs("\n", f);
		if (!fclose(f))
			log(true, text);
		free(text);
	}
}

int rules_validate(char *const *files, size_t n, bool json, validate_log_fn log, FILE *out, char *err, size_t errlen)
{
	struct ruleset *rs = ruleset_new();
	int rc;

	err[0] = 0;
	if (!rs)
		return 1;
	for (size_t i = 0; i < n; i++)
		ruleset_load_path(rs, files[i]);
	ruleset_compile(rs);
	/* as Falco: a plugin requirement not met stops -V after the schema lines, nothing on out */
	if (ruleset_check_plugins(rs, false, err, errlen)) {
		log_validation(rs, files, n, log, false);
		ruleset_free(rs);
		return 1;
	}
	log_validation(rs, files, n, log, true);
	rc = json ? print_json(rs, files, n, out) : print_text(rs, files, n, out);
	ruleset_free(rs);
	return rc;
}
