/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A check: one comparison of a field (through its cache slot) against
 * values, a list, a network, another field, or a quantified list of
 * sub-checks. Checks are built by the condition parser and shared by every
 * rule that makes the same comparison.
 */
#ifndef SAKER_RULES_CHECK_H
#define SAKER_RULES_CHECK_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "fields/fields.h"
#include "rules/slot.h"
#include "rules/strset.h"

enum cmp_op {
	CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_CONTAINS, CMP_ICONTAINS, CMP_BCONTAINS,
	CMP_STARTSWITH, CMP_BSTARTSWITH, CMP_ENDSWITH, CMP_GLOB, CMP_IGLOB, CMP_REGEX, CMP_IN,
	CMP_INTERSECTS, CMP_PMATCH, CMP_EXISTS,
	CMP_AROUND,  /* evt.around[T] = D: nums[0] T, nums[1] D in ns; the field's value is the event's time */
	CMP_COUNT,
};

/* anyof/allof/oneof: how many of a list's values must satisfy the operator */
enum quant { Q_NONE, Q_ANY, Q_ALL, Q_ONE };

/* Operator and quantifier spellings, indexed by enum cmp_op and enum quant. */
extern const char *const cmp_names[CMP_COUNT];
extern const char *const quant_names[];

struct check {
	int slot;                  /* cache slot of the left side */
	struct field_ref lhs;
	uint8_t xforms[SLOT_MAX_XFORMS];
	int nxforms;
	enum field_type type;      /* after transformers */
	enum cmp_op op;
	char **vals;               /* right-side values as written */
	size_t *vlens;             /* their lengths */
	size_t nvals;
	int64_t *nums;             /* numeric right side */
	struct strset set;         /* in/intersects over strings */
	regex_t *re;
	bool has_re;
	int rhs_slot;              /* val(field): cache slot of the right side, or -1 */
	struct field_ref rhs;
	uint32_t *nets, *masks;    /* IPv4 networks for ipnet comparisons */
	enum quant quant;          /* with a quantifier, the values are checks */
	uint32_t sub0, nsubs;      /* sub0..sub0+nsubs-1 in the check table */
	uint8_t *type_set;         /* evt.type =/!=/in: the answer per event type (generic events excepted) */
	bool any_loop;             /* anyof with a string operator: the items tried in one loop (check_optimize) */
};

/*
 * Evaluate check c on the current event; `all` is the check table that c's
 * sub-checks index. <NA> never matches, not even `!=`.
 */
bool check_eval(const struct check *all, const struct check *c, struct slots *sc, struct field_ctx *fctx);

/*
 * Work out at compile what check_eval can do faster for c and keep the same
 * answer (an anyof of string operators as one loop over its items); `all`
 * is the check table that c's sub-checks index.
 */
void check_optimize(const struct check *all, struct check *c);

/* Free what a check owns (not the check itself). */
void check_release(struct check *c);

#endif
