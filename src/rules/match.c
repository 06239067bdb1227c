// SPDX-License-Identifier: Apache-2.0
/*
 * Matching: a check's operator applied to the values of its field for the
 * current event. Hot path: no allocation; the operators that need a
 * NUL-terminated copy are kept out of the common stack frame.
 */
#include <arpa/inet.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/check.h"

const char *const cmp_names[CMP_COUNT] = {
	"=", "!=", "<", "<=", ">", ">=", "contains", "icontains", "bcontains", "startswith", "bstartswith",
	"endswith", "glob", "iglob", "regex", "in", "intersects", "pmatch", "exists", "=",
};

const char *const quant_names[] = { [Q_NONE] = "", [Q_ANY] = "anyof", [Q_ALL] = "allof", [Q_ONE] = "oneof" };

static bool ci_contains(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl > hl)
		return false;
	for (size_t i = 0; i + nl <= hl; i++)
		if (!strncasecmp(h + i, n, nl))
			return true;
	return false;
}

/* Operators that need a NUL-terminated copy of the value: kept out of the hot path's stack frame. */
static __attribute__((noinline)) bool match_one_str_copy(const struct check *c, const char *s, size_t len)
{
	char tmp[FIELD_BUF_SIZE];
	int r;

	snprintf(tmp, sizeof(tmp), "%.*s", (int)len, s);
	switch (c->op) {
	case CMP_REGEX:
		return regexec(c->re, tmp, 0, NULL, 0) == 0;
	case CMP_GLOB:
	case CMP_IGLOB:
		return fnmatch(c->vals[0], tmp, c->op == CMP_IGLOB ? FNM_CASEFOLD : 0) == 0;
	default:
		r = strcmp(tmp, c->vals[0]);
		return c->op == CMP_LT ? r < 0 : c->op == CMP_LE ? r <= 0 : c->op == CMP_GT ? r > 0 : r >= 0;
	}
}

static bool match_one_str(const struct check *c, const char *s, size_t len)
{
	switch (c->op) {
	case CMP_EQ:
	case CMP_NE:
		return c->nvals && c->vlens[0] == len && !memcmp(c->vals[0], s, len);
	case CMP_IN:
	case CMP_INTERSECTS:
		return strset_has(&c->set, s, len);
	case CMP_CONTAINS:
	case CMP_BCONTAINS:
		return memmem(s, len, c->vals[0], c->vlens[0]) != NULL;
	case CMP_ICONTAINS:
		return ci_contains(s, len, c->vals[0], c->vlens[0]);
	case CMP_STARTSWITH:
	case CMP_BSTARTSWITH: {
		size_t vl = c->vlens[0];

		/* the first byte before the call: most values differ there */
		return len >= vl && (!vl || (s[0] == c->vals[0][0] && !memcmp(s, c->vals[0], vl)));
	}
	case CMP_ENDSWITH: {
		size_t vl = c->vlens[0];

		return len >= vl && (!vl || (s[len - 1] == c->vals[0][vl - 1] && !memcmp(s + len - vl, c->vals[0], vl)));
	}
	case CMP_PMATCH:
		for (size_t i = 0; i < c->nvals; i++) {
			size_t vl = c->vlens[i];

			if (len >= vl && !memcmp(s, c->vals[i], vl) && (len == vl || s[vl] == '/' || c->vals[i][vl - 1] == '/'))
				return true;
		}
		return false;
	case CMP_GLOB:
	case CMP_IGLOB:
	case CMP_REGEX:
	case CMP_LT: case CMP_LE: case CMP_GT: case CMP_GE:
		return match_one_str_copy(c, s, len);
	default:
		return false;
	}
}

static bool match_one_num(const struct check *c, int64_t v)
{
	switch (c->op) {
	case CMP_EQ:
	case CMP_NE: return c->nvals && v == c->nums[0];
	case CMP_LT: return v < c->nums[0];
	case CMP_LE: return v <= c->nums[0];
	case CMP_GT: return v > c->nums[0];
	case CMP_GE: return v >= c->nums[0];
	case CMP_IN:
	case CMP_INTERSECTS:
		for (size_t i = 0; i < c->nvals; i++)
			if (c->nums[i] == v)
				return true;
		return false;
	case CMP_AROUND: { /* as libs: ts - D <= T <= ts + D, in 64-bit unsigned arithmetic (it wraps as libs' does) */
		uint64_t ts = v, t = c->nums[0], d = c->nums[1];

		return t >= ts - d && t <= ts + d;
	}
	default: return false;
	}
}

static __attribute__((noinline)) bool match_one_net(const struct check *c, const char *s, size_t len)
{
	char tmp[64];
	struct in_addr a;

	snprintf(tmp, sizeof(tmp), "%.*s", (int)len, s);
	if (inet_pton(AF_INET, tmp, &a) != 1)
		return false;
	for (size_t i = 0; i < c->nvals; i++)
		if ((a.s_addr & c->masks[i]) == c->nets[i])
			return true;
	return false;
}

/* a number compared as text (e.g. a numeric field with a string operator) */
static __attribute__((noinline)) bool match_num_as_text(const struct check *c, int64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", (long long)v);

	return match_one_str(c, num, n);
}

/*
 * "field op val(other)": the first value of each, compared with op as a
 * value written in the rule would be (as libs: ordering, contains,
 * startswith, glob... not only equality). A number against a text compares
 * the number's decimal text. <NA> on either side never matches.
 */
static __attribute__((noinline)) bool match_rhs_field(const struct check *c, const struct field_value *v,
						      const struct field_value *r)
{
	char text[FIELD_BUF_SIZE];
	char *vals[1] = { text };
	size_t vlens[1];
	int64_t nums[1];
	struct check k = *c;
	bool hit;

	if (!r->count)
		return false;
	k.vals = vals;
	k.vlens = vlens;
	k.nums = nums;
	k.nvals = 1;
	if (!v->s[0] && !r->s[0]) {
		nums[0] = r->n[0];
		hit = match_one_num(&k, v->n[0]);
	} else {
		int n = r->s[0] ? snprintf(text, sizeof(text), "%.*s", (int)r->len[0], r->s[0])
				: snprintf(text, sizeof(text), "%lld", (long long)r->n[0]);

		vlens[0] = n < 0 ? 0 : (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1;
		hit = v->s[0] ? match_one_str(&k, v->s[0], v->len[0]) : match_num_as_text(&k, v->n[0]);
	}
	return c->op == CMP_NE ? !hit : hit;
}

/*
 * "field op anyof (v1, v2, ...)" with a string operator (any_loop): the
 * items tried in one loop over the field's values, not one check_eval per
 * item. The same answer: each item is a check "field op v" on the same slot
 * with no set, network or number of its own. -1: a value has no text (a
 * number), which the general way handles.
 */
static int any_of_str(const struct check *all, const struct check *c, const struct field_value *v)
{
	for (uint32_t i = 0; i < v->count; i++)
		if (!v->s[i])
			return -1;
	for (uint32_t i = 0; i < v->count; i++)
		for (uint32_t k = 0; k < c->nsubs; k++)
			if (match_one_str(&all[c->sub0 + k], v->s[i], v->len[i]))
				return 1;
	return 0;
}

static bool quantified(const struct check *all, const struct check *c, struct slots *sc, struct field_ctx *fctx,
		       const struct field_value *v)
{
	uint32_t hits = 0;
	int r = c->any_loop ? any_of_str(all, c, v) : -1;

	if (r >= 0)
		return r;
	for (uint32_t i = 0; i < c->nsubs; i++) {
		if (check_eval(all, &all[c->sub0 + i], sc, fctx))
			hits++;
		else if (c->quant == Q_ALL)
			return false;
		if ((c->quant == Q_ANY && hits) || (c->quant == Q_ONE && hits > 1))
			break;
	}
	return c->quant == Q_ALL ? true : c->quant == Q_ANY ? hits > 0 : hits == 1;
}

/* Operators whose anyof can loop over its items (any_of_str): one string compared per item. */
static bool loop_op(enum cmp_op op)
{
	return op == CMP_CONTAINS || op == CMP_ICONTAINS || op == CMP_BCONTAINS || op == CMP_STARTSWITH ||
	       op == CMP_BSTARTSWITH || op == CMP_ENDSWITH || op == CMP_GLOB || op == CMP_IGLOB;
}

void check_optimize(const struct check *all, struct check *c)
{
	c->any_loop = c->quant == Q_ANY && loop_op(c->op) && c->rhs_slot < 0 && c->nsubs > 0;
	for (uint32_t k = 0; c->any_loop && k < c->nsubs; k++) {
		const struct check *e = &all[c->sub0 + k];

		c->any_loop = e->op == c->op && e->slot == c->slot && e->nvals == 1 && e->rhs_slot < 0 && !e->nums &&
			      !e->nets && !e->type_set && e->quant == Q_NONE;
	}
}

bool check_eval(const struct check *all, const struct check *c, struct slots *sc, struct field_ctx *fctx)
{
	const struct field_value *v;
	bool numeric = c->nums != NULL;
	bool any = false;

	if (c->type_set && fctx->ev->info && fctx->ev->type > 1)
		return c->type_set[fctx->ev->type] ^ (c->op == CMP_NE);
	v = slots_value(sc, c->slot, fctx);

	if (c->op == CMP_EXISTS)
		return v->count > 0;
	if (!v->count)
		return false; /* <NA> never matches, not even != */
	if (c->quant != Q_NONE)
		return quantified(all, c, sc, fctx, v);
	if (c->rhs_slot >= 0)
		return match_rhs_field(c, v, slots_value(sc, c->rhs_slot, fctx));
	for (uint32_t i = 0; i < v->count && !any; i++) {
		if (c->nets)
			any = match_one_net(c, v->s[i], v->len[i]);
		else if (numeric && !v->s[i])
			any = match_one_num(c, v->n[i]);
		else if (v->s[i])
			any = match_one_str(c, v->s[i], v->len[i]);
		else
			any = match_num_as_text(c, v->n[i]);
	}
	return c->op == CMP_NE ? !any : any;
}

void check_release(struct check *c)
{
	for (size_t k = 0; k < c->nvals; k++)
		free(c->vals[k]);
	free(c->vals);
	free(c->vlens);
	free(c->nums);
	strset_release(&c->set);
	if (c->has_re) {
		regfree(c->re);
		free(c->re);
	}
	free(c->nets);
	free(c->masks);
	free(c->type_set);
}
