// SPDX-License-Identifier: Apache-2.0
/*
 * The event-type index: which event types a condition can match (from its
 * evt.type checks), per-type answers for evt.type checks, syscalls named
 * without an event of their own, and per type the rules to run, in order.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/index.h"
#include "rules/ruleset.h"

/* A check on evt.type itself (no transformer): its values are event or syscall names. */
static bool is_type_check(const struct check *c)
{
	return c->lhs.def && !strcmp(c->lhs.def->name, "evt.type") && !c->nxforms;
}

/* The ppm_sc code of a syscall name, 0 when there is none. */
static size_t sc_code(const char *name)
{
	for (size_t k = 1; k < ppm_sc_count; k++)
		if (ppm_sc_names[k] && !strcmp(ppm_sc_names[k], name))
			return k;
	return 0;
}

/* Does any event of the table carry this name? */
static bool is_event_name(const char *name)
{
	for (int t = 2; t < EVENT_TABLE_SIZE; t++)
		if (event_info_get(t) && !strcmp(event_info_get(t)->name, name))
			return true;
	return false;
}

/*
 * Event types whose name is one of the check's values. A syscall with no
 * event of its own (sync, mlock, ...) arrives as a generic event (types 0
 * and 1) whose evt.type is the syscall's name: those types are added.
 */
static void types_of_names(const struct check *c, uint8_t out[EVENT_TABLE_SIZE])
{
	for (int t = 2; t < EVENT_TABLE_SIZE; t++) {
		const struct event_info *ei = event_info_get(t);

		if (!ei)
			continue;
		for (size_t i = 0; i < c->nvals; i++)
			if (!strcmp(ei->name, c->vals[i]))
				out[t] = 1;
	}
	for (size_t i = 0; i < c->nvals; i++)
		if (!is_event_name(c->vals[i]) && sc_code(c->vals[i]))
			out[0] = out[1] = 1;
}

/*
 * evt.type compared with names (=, !=, in, no transformer): the answer is a
 * function of the event type, so it is worked out once per type at load.
 * Generic events (types 0 and 1) take their name from the syscall number
 * and go the usual way (check_eval never reads their entries).
 */
static void check_type_set(struct check *c)
{
	if (c->type_set || !is_type_check(c) || c->quant != Q_NONE || c->rhs_slot >= 0 || c->nets ||
	    !(c->op == CMP_EQ || c->op == CMP_NE || c->op == CMP_IN) || (c->op != CMP_IN && c->nvals != 1))
		return;
	c->type_set = calloc(EVENT_TABLE_SIZE, 1);
	if (c->type_set)
		types_of_names(c, c->type_set);
}

/*
 * The names an evt.type check of rule r compares with: syscalls with no
 * event of their own go to r->syscalls (the capture asks for them as
 * generic events); a name that is neither an event nor a syscall matches
 * nothing, which is worth a warning (a typo would silence the rule).
 */
void index_scan_type_names(struct ruleset *rs, const struct ast *a, struct rule *r)
{
	const struct check *c;

	if (!a)
		return;
	if (a->kind != A_CHECK) {
		index_scan_type_names(rs, a->l, r);
		index_scan_type_names(rs, a->r, r);
		return;
	}
	c = &rs->checks[a->check];
	if (!is_type_check(c) || c->rhs_slot >= 0 ||
	    !(c->op == CMP_EQ || c->op == CMP_NE || c->op == CMP_IN))
		return;
	for (uint32_t s = 0; s < (c->quant != Q_NONE ? c->nsubs : 1); s++) {
		const struct check *v = c->quant != Q_NONE ? &rs->checks[c->sub0 + s] : c;

		for (size_t i = 0; i < v->nvals; i++) {
			size_t k;

			if (is_event_name(v->vals[i]))
				continue;
			if (!(k = sc_code(v->vals[i]))) {
				rs_msg(rs, false, "LOAD_UNKNOWN_EVTTYPE", r->file, r->line, r->col, "rule", r->name,
				       "evt.type compared with '%s', which names no event type or syscall",
				       v->vals[i]);
				continue;
			}
			if (!r->syscalls && !(r->syscalls = calloc(ppm_sc_count, 1)))
				return;
			r->syscalls[k] = 1;
		}
	}
}

bool index_event_types(const struct ruleset *rs, const struct ast *a, uint8_t out[EVENT_TABLE_SIZE])
{
	uint8_t l[EVENT_TABLE_SIZE], r[EVENT_TABLE_SIZE];
	bool lr, rr;

	memset(out, 0, EVENT_TABLE_SIZE);
	switch (a->kind) {
	case A_CHECK: {
		const struct check *c = &rs->checks[a->check];

		if (!is_type_check(c))
			return false;
		if (c->quant != Q_NONE && c->op == CMP_EQ) {
			/* anyof/oneof: any of the names; allof: the names all name it */
			memset(l, c->quant == Q_ALL, EVENT_TABLE_SIZE);
			for (uint32_t i = 0; i < c->nsubs; i++) {
				types_of_names(&rs->checks[c->sub0 + i], memset(r, 0, EVENT_TABLE_SIZE));
				for (int t = 0; t < EVENT_TABLE_SIZE; t++)
					l[t] = c->quant == Q_ALL ? (l[t] && r[t]) : (l[t] || r[t]);
			}
			memcpy(out, l, EVENT_TABLE_SIZE);
			return true;
		}
		if (c->quant == Q_NONE && (c->op == CMP_EQ || c->op == CMP_IN)) {
			types_of_names(c, out);
			return true;
		}
		return false;
	}
	case A_AND:
		lr = index_event_types(rs, a->l, l);
		rr = index_event_types(rs, a->r, r);
		if (!lr && !rr)
			return false;
		for (int t = 0; t < EVENT_TABLE_SIZE; t++)
			out[t] = lr && rr ? (l[t] && r[t]) : lr ? l[t] : r[t];
		return true;
	case A_OR:
		lr = index_event_types(rs, a->l, l);
		rr = index_event_types(rs, a->r, r);
		if (!lr || !rr)
			return false;
		for (int t = 0; t < EVENT_TABLE_SIZE; t++)
			out[t] = l[t] || r[t];
		return true;
	case A_NOT: /* a negation restricts nothing */
	case A_TRUE:
	default:
		return false;
	}
}

void index_type_sets(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nchecks; i++)
		check_type_set(&rs->checks[i]);
}

void index_add_rule(struct ruleset *rs, uint32_t idx)
{
	struct rule *r = &rs->rules[idx].r;

	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		uint32_t *n;

		if (!(r->all_types ? event_info_get(t) != NULL : r->evttypes[t]))
			continue;
		n = realloc(rs->by_type[t], (rs->n_by_type[t] + 1) * sizeof(*n));
		if (!n)
			continue;
		rs->by_type[t] = n;
		n[rs->n_by_type[t]++] = idx;
	}
}

void ruleset_generic_syscalls(const struct ruleset *rs, uint8_t *out)
{
	memset(out, 0, ppm_sc_count);
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i].r;

		if (r->syscalls && r->code && rule_is_active(rs, r))
			for (size_t k = 0; k < ppm_sc_count; k++)
				out[k] |= r->syscalls[k];
	}
}

void ruleset_event_types(const struct ruleset *rs, uint8_t out[EVENT_TABLE_SIZE])
{
	for (int t = 0; t < EVENT_TABLE_SIZE; t++)
		out[t] = rs->n_by_type[t] > 0;
}
