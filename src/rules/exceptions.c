// SPDX-License-Identifier: Apache-2.0
/*
 * Exceptions folded into a rule's condition as text:
 * "(cond) and not (f1 op1 v1 and f2 op2 v2) or (...)" per exception, so
 * they compile, share checks and print like any other condition.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/exceptions.h"
#include "rules/ruleset.h"

static void sb_add(char **s, size_t *len, size_t *cap, const char *t)
{
	size_t l = strlen(t);

	if (*len + l + 1 > *cap) {
		*cap = (*len + l + 1) * 2;
		*s = realloc(*s, *cap);
	}
	memcpy(*s + *len, t, l + 1);
	*len += l;
}

/* A value as condition text: list names and "(...)" as written, others quoted. */
static void sb_value(struct ruleset *rs, char **s, size_t *len, size_t *cap, const char *v, bool list_op)
{
	if (v[0] == '(' || (list_op && rs_find_list(rs, v))) {
		if (v[0] != '(')
			sb_add(s, len, cap, "(");
		sb_add(s, len, cap, v);
		if (v[0] != '(')
			sb_add(s, len, cap, ")");
		return;
	}
	sb_add(s, len, cap, "\"");
	for (const char *p = v; *p; p++) {
		char ch[3] = { *p, 0, 0 };

		if (*p == '"' || *p == '\\') {
			ch[0] = '\\';
			ch[1] = *p;
		}
		sb_add(s, len, cap, ch);
	}
	sb_add(s, len, cap, "\"");
}

static bool is_list_op(const char *op)
{
	return !strcmp(op, "in") || !strcmp(op, "pmatch") || !strcmp(op, "intersects");
}

/* A one-field exception: "and not field op value" or "and not field in (v1, v2)". */
static void fold_single(struct ruleset *rs, const struct exception *e, char **s, size_t *len, size_t *cap)
{
	const char *op = e->ncomps ? e->comps[0] : "in";

	sb_add(s, len, cap, " and not ");
	sb_add(s, len, cap, e->fields[0]);
	sb_add(s, len, cap, " ");
	sb_add(s, len, cap, op);
	sb_add(s, len, cap, " ");
	if (!is_list_op(op)) {
		sb_value(rs, s, len, cap, e->rows[0][0], false);
		return;
	}
	sb_add(s, len, cap, "(");
	for (size_t r = 0; r < e->nrows; r++) {
		if (r)
			sb_add(s, len, cap, ", ");
		if (rs_find_list(rs, e->rows[r][0]))
			sb_add(s, len, cap, e->rows[r][0]);
		else
			sb_value(rs, s, len, cap, e->rows[r][0], false);
	}
	sb_add(s, len, cap, ")");
}

/* A fields-list exception: "and not ((f1 op1 v1 and f2 op2 v2) or (...))", a row per tuple. */
static void fold_rows(struct ruleset *rs, const struct exception *e, char **s, size_t *len, size_t *cap)
{
	sb_add(s, len, cap, " and not (");
	for (size_t r = 0; r < e->nrows; r++) {
		if (r)
			sb_add(s, len, cap, " or ");
		sb_add(s, len, cap, "(");
		for (size_t f = 0; f < e->nfields && f < e->rowlen[r]; f++) {
			const char *op = e->ncomps ? e->comps[f] : "=";

			if (f)
				sb_add(s, len, cap, " and ");
			sb_add(s, len, cap, e->fields[f]);
			sb_add(s, len, cap, " ");
			sb_add(s, len, cap, op);
			sb_add(s, len, cap, " ");
			sb_value(rs, s, len, cap, e->rows[r][f], is_list_op(op));
		}
		sb_add(s, len, cap, ")");
	}
	sb_add(s, len, cap, ")");
}

char *exceptions_fold(struct ruleset *rs, const struct rule_item *ri)
{
	size_t len = 0, cap = 0;
	char *s = NULL;

	sb_add(&s, &len, &cap, "(");
	sb_add(&s, &len, &cap, ri->r.condition);
	sb_add(&s, &len, &cap, ")");
	for (size_t i = 0; i < ri->nexc; i++) {
		const struct exception *e = &ri->exc[i];

		if (!e->nrows)
			continue;
		if (e->fields_is_list)
			fold_rows(rs, e, &s, &len, &cap);
		else
			fold_single(rs, e, &s, &len, &cap);
	}
	return s;
}
