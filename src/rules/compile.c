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

static void cond_error(struct ruleset *rs, const char *kind, const char *name, const char *file, int line,
		       int col, const char *err, int pos)
{
	rs_msg(rs, true, "LOAD_ERR_COMPILE_CONDITION", file, line, col, kind, name,
	       "%s (at character %d of the condition)", err, pos + 1);
}

/* A parse failure: skipped with a warning under skip-if-unknown-filter, else an error. */
static void rule_cond_failed(struct ruleset *rs, struct rule_item *ri, const char *err, int pos)
{
	struct rule *r = &ri->r;

	if (ri->skip_if_unknown && strstr(err, "unknown field")) {
		rs_msg(rs, false, "LOAD_UNKNOWN_FILTER", r->file, r->line, r->col, "rule", r->name,
		       "%s: rule skipped (skip-if-unknown-filter)", err);
		r->enabled = false;
		return;
	}
	cond_error(rs, "rule", r->name, r->file, r->line, r->col, err, pos);
}

/* What an AST gives a rule: its event types, generic syscalls, program and expanded text. */
static void rule_take_ast(struct ruleset *rs, struct rule_item *ri, const struct ast *a)
{
	struct rule *r = &ri->r;

	r->all_types = !index_event_types(rs, a, r->evttypes);
	free(r->syscalls);
	r->syscalls = NULL;
	index_scan_type_names(rs, a, r);
	if (r->all_types && ri->warn_evttypes)
		rs_msg(rs, false, "LOAD_NO_EVTTYPE", r->file, r->line, r->col, "rule", r->name,
		       "rule matches every event type: restrict it with evt.type for speed");
	bytecode_compile(a, &r->code, &r->ncode);
	if (rs->keep_expanded) {
		free(r->expanded);
		r->expanded = ast_print(rs->checks, &rs->slots, a);
	}
}

/* Disabled rules are compiled too: their errors show up in -V. */
static void compile_rule(struct ruleset *rs, struct rule_item *ri)
{
	struct rule *r = &ri->r;
	char err[512], *cond = exceptions_fold(rs, ri);
	struct ast *a;
	int pos;

	a = cond ? cond_parse(rs, cond, err, sizeof(err), &pos) : NULL;
	free(cond);
	if (!a) {
		rule_cond_failed(rs, ri, cond ? err : "out of memory", cond ? pos : 0);
		return;
	}
	rule_take_ast(rs, ri, a);
	ast_free(a);
	r->fmt = format_parse(&rs->slots, rs->container_info, r->output, err, sizeof(err));
	if (!r->fmt)
		rs_msg(rs, true, "LOAD_ERR_COMPILE_OUTPUT", r->file, r->line, r->col, "rule", r->name, "%s", err);
}

/* Macros no rule used are parsed too, so a broken unused macro is still reported. */
static void check_unused_macros(struct ruleset *rs)
{
	char err[512];

	for (size_t i = 0; i < rs->nmacros; i++) {
		struct macro_item *m = &rs->macros[i];
		struct ast *a;
		int pos;

		if (m->used)
			continue;
		a = cond_parse(rs, m->condition, err, sizeof(err), &pos);
		m->used = false;
		if (!a)
			cond_error(rs, "macro", m->name, m->file, m->line, m->col, err, pos);
		else
			rs_msg(rs, false, "LOAD_UNUSED_MACRO", m->file, m->line, m->col, "macro", m->name,
			       "macro is not used by any rule");
		ast_free(a);
	}
}

static void warn_unused_lists(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nlists; i++)
		if (!rs->lists[i].used)
			rs_msg(rs, false, "LOAD_UNUSED_LIST", rs->lists[i].file, rs->lists[i].line, rs->lists[i].col,
			       "list", rs->lists[i].name, "list is not used by any rule or macro");
}

/* The index, per-type evt.type answers and the memo table, once every check exists. */
static int build_index(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].r.code && rule_is_active(rs, &rs->rules[i].r))
			index_add_rule(rs, i);
	index_type_sets(rs);
	free(rs->memo);
	rs->memo = calloc(rs->nchecks + 1, sizeof(*rs->memo));
	if (!rs->memo) {
		rs_msg(rs, true, "LOAD_ERR_VALIDATE", "", 0, 0, "ruleset", "", "out of memory");
		return -1;
	}
	return 0;
}

int ruleset_compile(struct ruleset *rs)
{
	int before = rs->nerrors;

	for (size_t i = 0; i < rs->nrules; i++)
		compile_rule(rs, &rs->rules[i]);
	check_unused_macros(rs);
	warn_unused_lists(rs);
	if (build_index(rs) == 0)
		rs->compiled = true;
	return rs->nerrors - before;
}
