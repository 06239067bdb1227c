// SPDX-License-Identifier: Apache-2.0
/*
 * Compiling a loaded ruleset: each rule's condition (exceptions folded in)
 * parsed and compiled to bytecode, its output format resolved, unused or
 * broken macros and lists reported, then the event-type index built.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/bytecode.h"
#include "rules/cond.h"
#include "rules/exceptions.h"
#include "rules/format.h"
#include "rules/index.h"
#include "rules/ruleset.h"

/* Macro resolution errors (cond.c's texts, libs' words) are Falco's validation errors; the rest compile errors. */
static const char *cond_code(const char *msg)
{
	return !strncmp(msg, "Undefined macro '", 17) || !strncmp(msg, "reference loop in macro '", 25)
		       ? "LOAD_ERR_VALIDATE"
		       : "LOAD_ERR_COMPILE_CONDITION";
}

/*
 * A message at the item, one of its values ("condition", "output") and, for
 * a condition, the token at character idx of src (the condition as its YAML
 * value gave it; NULL for the value alone). A macro resolution error names
 * the item and the token only, as Falco's resolve_macros (its context is the
 * item's, not the condition's).
 */
static void value_msg(struct ruleset *rs, bool error, const char *code, const char *type, const char *name,
		      const char *file, int line, int col, const char *what, const struct src_pos *cp, const char *src,
		      size_t idx, const char *msg)
{
	struct load_loc locs[2];
	size_t n = 0;

	memset(locs, 0, sizeof(locs));
	if (cp->line > 0 && src && !strcmp(code, "LOAD_ERR_VALIDATE")) {
		if (rs_locate(rs, file, cp->off, src, idx, &locs[0]) == 0)
			n = 1;
	} else if (cp->line > 0) {
		snprintf(locs[0].item_type, sizeof(locs[0].item_type), "%s %s", type, what);
		snprintf(locs[0].name, sizeof(locs[0].name), "%s", file);
		locs[0].line = cp->line - 1;
		locs[0].col = cp->col - 1;
		locs[0].offset = cp->off;
		n = 1;
		if (src && rs_locate(rs, file, cp->off, src, idx, &locs[1]) == 0)
			n = 2;
	}
	rs_msg_locs(rs, error, code, file, line, col, type, name, locs, n, "%s", msg);
}

static void cond_msg(struct ruleset *rs, bool error, const char *code, const char *type, const char *name,
		     const char *file, int line, int col, const struct src_pos *cp, const char *src, size_t idx,
		     const char *msg)
{
	value_msg(rs, error, code, type, name, file, line, col, "condition", cp, src, idx, msg);
}

/* ------------------------------------------------------ deprecated fields */

#define LATENCY_GONE "field is not available due to the drop of enter events."

/* The fields Falco warns about (LOAD_DEPRECATED_ITEM), in its order, with what its warning says. */
static const struct {
	const char *name, *desc;
} deprecated[] = {
	{ "evt.dir", "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' "
		     "always evaluates to false. The rule expression can be simplified by removing the condition on "
		     "'evt.dir'" },
	{ "evt.latency", LATENCY_GONE },
	{ "evt.latency.s", LATENCY_GONE },
	{ "evt.latency.ns", LATENCY_GONE },
	{ "evt.latency.human", LATENCY_GONE },
	{ "evt.wait_latency", LATENCY_GONE },
};

#define NDEPRECATED (sizeof(deprecated) / sizeof(deprecated[0]))

static int deprecated_index(const char *field)
{
	for (size_t k = 0; k < NDEPRECATED; k++)
		if (!strcmp(deprecated[k].name, field))
			return (int)k;
	return -1;
}

/* Mark in used[] the deprecated fields a check (or a quantifier's sub-checks) compares. */
static void check_deprecated(const struct ruleset *rs, const struct check *c, bool used[NDEPRECATED])
{
	int k = c->lhs.def ? deprecated_index(c->lhs.def->name) : -1;

	if (k >= 0)
		used[k] = true;
	for (uint32_t i = 0; c->quant != Q_NONE && i < c->nsubs; i++)
		check_deprecated(rs, &rs->checks[c->sub0 + i], used);
}

static void ast_deprecated(const struct ruleset *rs, const struct ast *a, bool used[NDEPRECATED])
{
	if (!a)
		return;
	if (a->kind == A_CHECK)
		check_deprecated(rs, &rs->checks[a->check], used);
	ast_deprecated(rs, a->l, used);
	ast_deprecated(rs, a->r, used);
}

/* One LOAD_DEPRECATED_ITEM warning of a rule at its condition or output value, naming field k. */
static void deprecated_msg(struct ruleset *rs, const struct rule_item *ri, const char *what,
			   const struct src_pos *pos, size_t k, const char *msg)
{
	const struct rule *r = &ri->r;
	size_t n = rs->nmsgs;

	value_msg(rs, false, "LOAD_DEPRECATED_ITEM", "rule", r->name, r->file, r->line, r->col, what, pos, NULL, 0,
		  msg);
	if (rs->nmsgs > n)
		snprintf(rs->msgs[n].field, sizeof(rs->msgs[n].field), "%s", deprecated[k].name);
}

/* Falco's check of an output: any deprecated field's name in its text (a substring, as Falco finds it). */
static void output_deprecated(struct ruleset *rs, const struct rule_item *ri)
{
	char msg[128];

	for (size_t k = 0; k < NDEPRECATED; k++) {
		if (!strstr(ri->r.output, deprecated[k].name))
			continue;
		snprintf(msg, sizeof(msg), "usage of deprecated field '%s' has been detected in the rule output",
			 deprecated[k].name);
		deprecated_msg(rs, ri, "output", &ri->out_pos, k, msg);
	}
}

/* Falco's check of a condition, macros expanded: one warning per deprecated field, at the condition. */
static void condition_deprecated(struct ruleset *rs, const struct rule_item *ri, const struct ast *a)
{
	bool used[NDEPRECATED] = { false };

	ast_deprecated(rs, a, used);
	for (size_t k = 0; k < NDEPRECATED; k++)
		if (used[k])
			deprecated_msg(rs, ri, "condition", &ri->cond_pos, k, deprecated[k].desc);
}

/* An error in a macro's own text (reached through a rule, or the macro checked alone). */
static void macro_error(struct ruleset *rs, const struct macro_item *m, const struct cond_error *e)
{
	cond_msg(rs, true, cond_code(e->msg), "macro", m->name, m->file, m->line, m->col, &m->cond_pos, m->cond_src,
		 e->pos, e->msg);
}

/*
 * A parse failure of a rule: in a macro's text, the macro's error; else at
 * the rule's token (the parsed text is "(condition)" and exceptions), skipped
 * with a warning under skip-if-unknown-filter.
 */
static void rule_cond_failed(struct ruleset *rs, struct rule_item *ri, const struct cond_error *e)
{
	struct rule *r = &ri->r;
	const char *src = ri->cond_src;
	size_t idx = e->pos > 0 ? e->pos - 1 : 0;
	bool unknown = strstr(e->msg, "unknown field") != NULL;

	if (e->macro && !(ri->skip_if_unknown && unknown)) {
		macro_error(rs, e->macro, e);
		return;
	}
	if (e->macro || !src || strncmp(r->condition, src, strlen(src)) || idx > strlen(src))
		idx = src ? strlen(src) : 0; /* past the condition as written (an append, an exception) */
	if (ri->skip_if_unknown && unknown) {
		cond_msg(rs, false, "LOAD_UNKNOWN_FILTER", "rule", r->name, r->file, r->line, r->col, &ri->cond_pos, src,
			 idx, e->msg);
		r->enabled = false;
		return;
	}
	cond_msg(rs, true, cond_code(e->msg), "rule", r->name, r->file, r->line, r->col, &ri->cond_pos, src, idx,
		 e->msg);
}

/* A compile warning of a parsed condition (LOAD_COMPILE_CONDITION): at its macro (once), or the rule's token. */
static void cond_warning(struct ruleset *rs, struct rule_item *ri, const struct cond_error *e)
{
	struct macro_item *m = e->wmacro;
	const char *src = ri->cond_src;
	size_t idx = e->wpos > 0 ? e->wpos - 1 : 0;

	if (!e->wmsg[0])
		return;
	if (m) {
		if (!m->warned)
			cond_msg(rs, false, "LOAD_COMPILE_CONDITION", "macro", m->name, m->file, m->line, m->col,
				 &m->cond_pos, m->cond_src, e->wpos, e->wmsg);
		m->warned = true;
		return;
	}
	if (!src || strncmp(ri->r.condition, src, strlen(src)) || idx > strlen(src))
		idx = src ? strlen(src) : 0;
	cond_msg(rs, false, "LOAD_COMPILE_CONDITION", "rule", ri->r.name, ri->r.file, ri->r.line, ri->r.col,
		 &ri->cond_pos, src, idx, e->wmsg);
}

/* What an AST gives a rule: its event types, generic syscalls, programs and expanded text. */
static void rule_take_ast(struct ruleset *rs, struct rule_item *ri, const struct ast *a)
{
	struct rule *r = &ri->r;

	r->all_types = !index_event_types(rs, a, r->evttypes);
	free(r->syscalls);
	r->syscalls = NULL;
	index_scan_type_names(rs, a, r);
	if (r->all_types && ri->warn_evttypes)
		rs_msg(rs, false, "LOAD_NO_EVTTYPE", r->file, r->line, r->col, "rule", r->name,
		       "Rule matches too many evt.type values. This has a significant performance penalty.");
	bytecode_compile(a, &r->code, &r->ncode);
	index_type_programs(rs, ri, a); /* out of memory: r->code for every type */
	if (rs->keep_expanded) {
		free(r->expanded);
		r->expanded = ast_print(rs->checks, &rs->slots, a);
	}
}

/*
 * The output first, as Falco validates it before the condition: an error,
 * or under skip-if-unknown-filter an unknown field's warning and the rule
 * left out (Falco's skip-if-unknown-filter covers the output too). 0 when
 * the condition is to be compiled.
 */
static int compile_output(struct ruleset *rs, struct rule_item *ri)
{
	struct rule *r = &ri->r;
	char err[512];

	r->fmt = format_parse(&rs->slots, rs->container_info, r->output, err, sizeof(err));
	if (r->fmt) {
		output_deprecated(rs, ri);
		return 0;
	}
	if (ri->skip_if_unknown && strstr(err, "unknown field")) {
		value_msg(rs, false, "LOAD_UNKNOWN_FILTER", "rule", r->name, r->file, r->line, r->col, "output",
			  &ri->out_pos, NULL, 0, err);
		r->enabled = false;
		return -1;
	}
	value_msg(rs, true, "LOAD_ERR_COMPILE_OUTPUT", "rule", r->name, r->file, r->line, r->col, "output",
		  &ri->out_pos, NULL, 0, err);
	return -1;
}

/* Disabled rules are compiled too: their errors show up in -V. A file stops at its first error. */
static void compile_rule(struct ruleset *rs, struct rule_item *ri)
{
	struct rule *r = &ri->r;
	struct cond_error e;
	struct ast *a;
	char *cond;

	if (rs_file_failed(rs, r->file) || compile_output(rs, ri))
		return;
	cond = exceptions_fold(rs, ri);
	if (!cond) {
		rs_msg(rs, true, "LOAD_ERR_VALIDATE", r->file, r->line, r->col, "rule", r->name, "out of memory");
		return;
	}
	a = cond_parse(rs, cond, &e);
	free(cond);
	if (!a) {
		rule_cond_failed(rs, ri, &e);
		return;
	}
	condition_deprecated(rs, ri, a);
	cond_warning(rs, ri, &e);
	rule_take_ast(rs, ri, a);
	ast_free(a);
}

/*
 * Falco's compile checks every macro before any rule (compile_macros_infos:
 * each condition parsed and its macros resolved, in definition order), so
 * a syntax error, an undefined macro or a loop in a macro is the first error
 * of its file, before any rule's. Unknown fields and bad values in a macro
 * are found where a rule uses it, as in Falco.
 */
static void check_macros(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nmacros; i++) {
		struct macro_item *m = &rs->macros[i];
		struct cond_error e;
		struct ast *a;

		if (rs_file_failed(rs, m->file))
			continue;
		m->visiting = true; /* a loop back to it closes at the reference to it */
		a = cond_parse(rs, m->condition, &e);
		m->visiting = false;
		if (!a && (e.syntax || strcmp(cond_code(e.msg), "LOAD_ERR_COMPILE_CONDITION")))
			macro_error(rs, e.macro ? e.macro : m, &e);
		ast_free(a);
	}
}

static void warn_unused_macros(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nmacros; i++)
		if (!rs->macros[i].used)
			rs_msg(rs, false, "LOAD_UNUSED_MACRO", rs->macros[i].file, rs->macros[i].line, rs->macros[i].col,
			       "macro", rs->macros[i].name, "Macro not referred to by any other rule/macro");
}

static void warn_unused_lists(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nlists; i++)
		if (!rs->lists[i].used)
			rs_msg(rs, false, "LOAD_UNUSED_LIST", rs->lists[i].file, rs->lists[i].line, rs->lists[i].col,
			       "list", rs->lists[i].name, "List not referred to by any other rule/macro");
}

/* The index, per-type evt.type answers, faster checks and the memo table, once every check exists. */
static int build_index(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].r.code && rule_is_active(rs, &rs->rules[i].r))
			index_add_rule(rs, i);
	index_type_sets(rs);
	for (size_t i = 0; i < rs->nchecks; i++)
		check_optimize(rs->checks, &rs->checks[i]);
	free(rs->memo);
	rs->memo = calloc(rs->nchecks + 1, sizeof(*rs->memo));
	if (!rs->memo || groups_build(rs)) {
		rs_msg(rs, true, "LOAD_ERR_VALIDATE", "", 0, 0, "ruleset", "", "out of memory");
		return -1;
	}
	return 0;
}

int ruleset_compile(struct ruleset *rs)
{
	int before = rs->nerrors;

	rs->compiling = true;
	check_macros(rs);
	for (size_t i = 0; i < rs->nrules; i++)
		compile_rule(rs, &rs->rules[i]);
	warn_unused_macros(rs);
	warn_unused_lists(rs);
	rs->compiling = false;
	if (build_index(rs) == 0)
		rs->compiled = true;
	return rs->nerrors - before;
}
