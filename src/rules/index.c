// SPDX-License-Identifier: Apache-2.0
/*
 * The event-type index: which event types a condition can match (from its
 * evt.type checks), per-type answers for evt.type checks, syscalls named
 * without an event of their own, per type the rules to run, in order, and
 * each rule's program specialised per type.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/bytecode.h"
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

/* ----------------------------------------------------- per-type programs */

#define TYPE_CHECKS_MAX 64

/* Check k's answer on events of type t (> 1): 0 or 1; -1 when it is not an evt.type check answered per type. */
static int type_answer(struct ruleset *rs, int k, int t)
{
	struct check *c = &rs->checks[k];

	check_type_set(c);
	if (!c->type_set)
		return -1;
	return c->type_set[t] ^ (c->op == CMP_NE);
}

/* The distinct evt.type checks of a condition into ids (*n past TYPE_CHECKS_MAX: too many). */
static void type_checks(struct ruleset *rs, const struct ast *a, int *ids, int *n)
{
	int k;

	if (!a)
		return;
	if (a->kind != A_CHECK) {
		type_checks(rs, a->l, ids, n);
		type_checks(rs, a->r, ids, n);
		return;
	}
	if (*n > TYPE_CHECKS_MAX || type_answer(rs, a->check, 2) < 0)
		return;
	for (k = 0; k < *n && ids[k] != a->check; k++)
		;
	if (k == *n && (*n)++ < TYPE_CHECKS_MAX)
		ids[k] = a->check;
}

enum fold { F_FALSE, F_TRUE, F_EXPR };

/* A node over l and r, or NULL (both freed) when out of memory. */
static struct ast *node(enum ast_kind k, struct ast *l, struct ast *r)
{
	struct ast *a = l && (r || k == A_NOT) ? ast_new(k, l, r) : NULL;

	if (!a) {
		ast_free(l);
		ast_free(r);
	}
	return a;
}

/*
 * Condition a with its evt.type checks answered for type t: a constant, or
 * F_EXPR and the rest in *out (NULL when out of memory). Checks have no
 * side effects, so dropping one whose answer cannot matter is exact.
 */
static enum fold fold(struct ruleset *rs, const struct ast *a, int t, struct ast **out)
{
	struct ast *l = NULL, *r = NULL;
	enum fold fl, fr, absorb;
	int v;

	*out = NULL;
	switch (a->kind) {
	case A_TRUE:
		return F_TRUE;
	case A_CHECK:
		if ((v = type_answer(rs, a->check, t)) >= 0)
			return v ? F_TRUE : F_FALSE;
		*out = ast_check(a->check);
		return F_EXPR;
	case A_NOT:
		fl = fold(rs, a->l, t, &l);
		if (fl != F_EXPR)
			return fl == F_TRUE ? F_FALSE : F_TRUE;
		*out = node(A_NOT, l, NULL);
		return F_EXPR;
	case A_AND:
	case A_OR:
		absorb = a->kind == A_AND ? F_FALSE : F_TRUE; /* false and x, true or x */
		if ((fl = fold(rs, a->l, t, &l)) == absorb)
			return absorb;
		if ((fr = fold(rs, a->r, t, &r)) == absorb) {
			ast_free(l);
			return absorb;
		}
		if (fl != F_EXPR) { /* the identity: true and x, false or x */
			*out = r;
			return fr;
		}
		if (fr != F_EXPR) {
			*out = l;
			return fl;
		}
		*out = node(a->kind, l, r);
		return F_EXPR;
	}
	return F_EXPR;
}

/* The program of condition a for events of type t. 0 or -1 (out of memory). */
static int type_prog_build(struct ruleset *rs, const struct ast *a, int t, struct type_prog *p)
{
	struct ast *f = NULL;
	enum fold k = fold(rs, a, t, &f);

	memset(p, 0, sizeof(*p));
	if (k == F_FALSE)
		return 0;
	if (k == F_TRUE)
		f = ast_new(A_TRUE, NULL, NULL);
	if (!f)
		return -1;
	bytecode_compile(f, &p->code, &p->ncode);
	ast_free(f);
	return 0;
}

void index_type_programs_free(struct rule_item *ri)
{
	for (size_t i = 0; i < ri->nprogs; i++)
		free(ri->progs[i].code);
	free(ri->progs);
	free(ri->prog_of);
	ri->progs = NULL;
	ri->nprogs = 0;
	ri->prog_of = NULL;
}

/* Program v for answers sig, found or built; -1 when out of memory. */
static int type_prog_of(struct ruleset *rs, struct rule_item *ri, const struct ast *a, int t, uint64_t *sigs,
			uint64_t sig)
{
	struct type_prog *np;
	size_t v;

	for (v = 0; v < ri->nprogs; v++)
		if (sigs[v] == sig)
			return v;
	np = realloc(ri->progs, (v + 1) * sizeof(*np));
	if (!np)
		return -1;
	ri->progs = np;
	if (type_prog_build(rs, a, t, &np[v]))
		return -1;
	sigs[v] = sig;
	ri->nprogs++;
	return v;
}

int index_type_programs(struct ruleset *rs, struct rule_item *ri, const struct ast *a)
{
	const struct rule *r = &ri->r;
	uint64_t sigs[EVENT_TABLE_SIZE];
	int ids[TYPE_CHECKS_MAX], n = 0;

	index_type_programs_free(ri);
	type_checks(rs, a, ids, &n);
	if (!n || n > TYPE_CHECKS_MAX)
		return 0;
	if (!(ri->prog_of = malloc(EVENT_TABLE_SIZE * sizeof(*ri->prog_of))))
		return -1;
	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		uint64_t sig = 0;
		int v;

		ri->prog_of[t] = -1;
		/* generic events (0, 1) take evt.type from the syscall: r.code */
		if (t < 2 || !(r->all_types ? event_info_get(t) != NULL : r->evttypes[t]))
			continue;
		for (int k = 0; k < n; k++)
			sig |= (uint64_t)type_answer(rs, ids[k], t) << k;
		if ((v = type_prog_of(rs, ri, a, t, sigs, sig)) < 0) {
			index_type_programs_free(ri);
			return -1;
		}
		ri->prog_of[t] = v;
	}
	return 0;
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
