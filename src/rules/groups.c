// SPDX-License-Identifier: Apache-2.0
/*
 * Check groups and rule gates: per-event work the VM no longer repeats.
 *
 * A group is every `=` and `in` check on one string field (one slot): for
 * the default rules, fd.name, fd.filename, fd.directory and proc.name each
 * have a dozen or more. The first of them an event evaluates looks the
 * field's value up once in one table of all their values and answers every
 * member's memo at once, instead of one set lookup per check.
 *
 * A rule's gate is a check its program requires (the first instruction is
 * a check whose false result jumps straight to RET). ruleset_eval skips a
 * rule whose gate is false without entering the VM: most rules that apply
 * to an open are gated by evt.is_open_write or a check on the file name.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/bytecode.h"
#include "rules/ruleset.h"

struct gkey {
	const char *s;
	size_t len;
	uint32_t check;            /* the member's position in its group */
};

struct check_group {
	int slot;
	uint32_t *members;
	size_t nmembers, words;    /* words: 64-bit words of a member bitmap */
	/* open addressing over the distinct values: entry i's members are the
	 * bitmap bits[i * words ...] */
	const char **keys;
	size_t *lens;
	uint64_t *bits;
	size_t cap;
	/* this event's answer: the members whose value the field has */
	uint64_t gen;
	const uint64_t *hit;
	uint64_t *acc;             /* a field with several values: their union */
	uint64_t *none;            /* all zero */
};

static bool groupable(const struct check *c)
{
	return c->slot >= 0 && (c->op == CMP_EQ || c->op == CMP_IN) && c->nvals && !c->nums && !c->nets &&
	       c->quant == Q_NONE && c->rhs_slot < 0 && !c->type_set && !c->has_re;
}

static int gkey_cmp(const void *a, const void *b)
{
	const struct gkey *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->s, y->s, x->len);
}

static void group_free(struct check_group *g)
{
	free(g->members);
	free(g->keys);
	free(g->lens);
	free(g->bits);
	free(g->acc);
	free(g->none);
}

void groups_free(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->ngroups; i++)
		group_free(&rs->groups[i]);
	free(rs->groups);
	free(rs->check_group);
	free(rs->check_pos);
	free(rs->gate);
	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		free(rs->entries[t]);
		rs->entries[t] = NULL;
		rs->n_entries[t] = 0;
	}
	rs->groups = NULL;
	rs->ngroups = 0;
	rs->check_group = NULL;
	rs->check_pos = NULL;
	rs->gate = NULL;
}

/* Build the group of slot s from its n eligible checks `ids`. 0 or -1. */
static int group_build(struct check_group *g, struct ruleset *rs, int s, const uint32_t *ids, size_t n)
{
	struct gkey *k;
	size_t nk = 0;

	memset(g, 0, sizeof(*g));
	g->slot = s;
	g->words = (n + 63) / 64;
	g->members = malloc(n * sizeof(*g->members));
	for (size_t i = 0; i < n; i++)
		nk += rs->checks[ids[i]].op == CMP_EQ ? 1 : rs->checks[ids[i]].nvals;
	k = malloc(nk * sizeof(*k));
	g->cap = 16;
	while (g->cap < nk * 2)
		g->cap *= 2;
	g->keys = calloc(g->cap, sizeof(*g->keys));
	g->lens = calloc(g->cap, sizeof(*g->lens));
	g->bits = calloc(g->cap * g->words, sizeof(*g->bits));
	g->acc = calloc(g->words, sizeof(*g->acc));
	g->none = calloc(g->words, sizeof(*g->none));
	if (!g->members || !k || !g->keys || !g->lens || !g->bits || !g->acc || !g->none) {
		free(k);
		return -1;
	}
	memcpy(g->members, ids, n * sizeof(*ids));
	g->nmembers = n;
	nk = 0;
	for (size_t i = 0; i < n; i++) {
		const struct check *c = &rs->checks[ids[i]];
		size_t nv = c->op == CMP_EQ ? 1 : c->nvals;

		rs->check_pos[ids[i]] = i;
		for (size_t v = 0; v < nv; v++)
			k[nk++] = (struct gkey){ c->vals[v], c->vlens[v], i };
	}
	qsort(k, nk, sizeof(*k), gkey_cmp);
	for (size_t i = 0; i < nk;) {
		size_t j = i, h = strset_hash(k[i].s, k[i].len) & (g->cap - 1);

		while (g->keys[h])
			h = (h + 1) & (g->cap - 1);
		g->keys[h] = k[i].s;
		g->lens[h] = k[i].len;
		/* the members with this value */
		for (; j < nk && !gkey_cmp(&k[i], &k[j]); j++)
			g->bits[h * g->words + k[j].check / 64] |= 1ull << (k[j].check % 64);
		i = j;
	}
	free(k);
	return 0;
}

/* Is c[pc] a check whose false result returns false at once (CHECK k; JF -> RET)? */
static bool required_at(const struct insn *c, size_t n, uint32_t pc)
{
	return pc + 2 < n && (c[pc].op == OP_CHECK || c[pc].op == OP_NCHECK) && c[pc + 1].op == OP_JF &&
	       c[pc + 1].arg < n && c[c[pc + 1].arg].op == OP_RET && c[pc].arg < (1u << 31) - 1;
}

/* A check program c requires at pc, as check index (bit 31: the program negates it), or GATE_NONE. */
static uint32_t rule_gate(const struct insn *c, size_t n, uint32_t pc)
{
	if (!required_at(c, n, pc))
		return GATE_NONE;
	return c[pc].arg | (c[pc].op == OP_NCHECK ? 1u << 31 : 0);
}

/*
 * The checks of an `or` that c requires at pc: k >= 2 checks, each but the
 * last followed by a JT past the last one's JF, the last one required
 * (JF -> RET): the program returns false unless one is true. 0 if none.
 */
static uint32_t required_any(const struct insn *c, size_t n, uint32_t pc)
{
	uint32_t k = 0, end;

	while (pc + 2 * k + 1 < n && (c[pc + 2 * k].op == OP_CHECK || c[pc + 2 * k].op == OP_NCHECK) &&
	       c[pc + 2 * k + 1].op == OP_JT)
		k++;
	if (!k || !required_at(c, n, pc + 2 * k))
		return 0;
	end = pc + 2 * k + 2;
	for (uint32_t i = 0; i < k; i++)
		if (c[pc + 2 * i + 1].arg != end)
			return 0;
	return k + 1;
}

/* Rule ri's program for events of type t (its code and length), false when none of them can match. */
static bool type_code(const struct ruleset *rs, uint32_t ri, int t, const struct insn **code, size_t *n)
{
	const struct rule_item *it = &rs->rules[ri];
	const struct type_prog *p;

	*code = it->r.code;
	*n = it->r.ncode;
	if (!it->prog_of || it->prog_of[t] < 0)
		return true;
	p = &it->progs[it->prog_of[t]];
	*code = p->code;
	*n = p->ncode;
	return p->code != NULL;
}

/*
 * The rules of event type t as ruleset_eval runs them, each with its
 * program for the type (evt.type checks folded in, index_type_programs);
 * a rule no event of type t can match is left out. In a program without
 * one (too many evt.type checks, out of memory), a leading required check
 * on evt.type alone (answered per type at load) is folded: true, the
 * program starts after it; false, the rule is left out. The gate is the
 * first required check after those. Generic events (types 0 and 1) take
 * their name from the syscall: as is.
 */
static int type_entries(struct ruleset *rs, int t)
{
	uint32_t n = rs->n_by_type[t], o = 0;
	struct type_entry *te;

	if (!n)
		return 0;
	te = malloc(n * sizeof(*te));
	if (!te)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ri = rs->by_type[t][i], pc = 0;
		const struct insn *code;
		size_t ncode;
		bool never = !type_code(rs, ri, t, &code, &ncode);

		while (!never && t > 1 && required_at(code, ncode, pc)) {
			const struct insn *in = &code[pc];
			const struct check *c = &rs->checks[in->arg];
			bool v;

			if (!c->type_set)
				break;
			v = (c->type_set[t] ^ (c->op == CMP_NE)) ^ (in->op == OP_NCHECK);
			if (!v) {
				never = true;
				break;
			}
			pc += 2;
		}
		if (never)
			continue;
		te[o] = (struct type_entry){ .code = code, .rule = ri, .pc = pc, .gate = rule_gate(code, ncode, pc) };
		if (te[o].gate == GATE_NONE)
			te[o].nany = required_any(code, ncode, pc);
		o++;
	}
	/* runs of one gate: each entry's next_gate is the end of its run */
	for (uint32_t i = o; i-- > 0;)
		te[i].next_gate = i + 1 < o && te[i + 1].gate == te[i].gate ? te[i + 1].next_gate : i + 1;
	rs->entries[t] = te;
	rs->n_entries[t] = o;
	return 0;
}

int groups_build(struct ruleset *rs)
{
	uint32_t *ids = malloc((rs->nchecks + 1) * sizeof(*ids));
	int rc = 0;

	groups_free(rs);
	rs->check_group = malloc((rs->nchecks + 1) * sizeof(*rs->check_group));
	rs->check_pos = calloc(rs->nchecks + 1, sizeof(*rs->check_pos));
	rs->gate = malloc((rs->nrules + 1) * sizeof(*rs->gate));
	if (!ids || !rs->check_group || !rs->check_pos || !rs->gate) {
		free(ids);
		groups_free(rs);
		return -1;
	}
	for (size_t i = 0; i < rs->nrules; i++)
		rs->gate[i] = rs->rules[i].r.code ? rule_gate(rs->rules[i].r.code, rs->rules[i].r.ncode, 0) : GATE_NONE;
	for (int t = 0; t < EVENT_TABLE_SIZE; t++)
		if (type_entries(rs, t)) {
			free(ids);
			groups_free(rs);
			return -1;
		}
	for (size_t i = 0; i < rs->nchecks; i++)
		rs->check_group[i] = -1;
	for (size_t s = 0; s < rs->slots.n && !rc; s++) {
		size_t n = 0;
		struct check_group *ng;

		for (size_t i = 0; i < rs->nchecks; i++)
			if (rs->checks[i].slot == (int)s && groupable(&rs->checks[i]))
				ids[n++] = i;
		if (n < 2)
			continue;
		ng = realloc(rs->groups, (rs->ngroups + 1) * sizeof(*ng));
		if (!ng) {
			rc = -1;
			break;
		}
		rs->groups = ng;
		if (group_build(&rs->groups[rs->ngroups], rs, s, ids, n)) {
			group_free(&rs->groups[rs->ngroups]);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n; i++)
			rs->check_group[ids[i]] = rs->ngroups;
		rs->ngroups++;
	}
	free(ids);
	if (rc)
		groups_free(rs);
	return rc;
}

/* The members whose values the field has, for this event; NULL: the field has a number. */
static const uint64_t *group_hits(struct check_group *g, struct ruleset *rs, struct field_ctx *fctx)
{
	const struct field_value *v = slots_value(&rs->slots, g->slot, fctx);
	const uint64_t *hit = g->none;

	for (uint32_t i = 0; i < v->count; i++) {
		size_t h;

		if (!v->s[i])
			return NULL;
		for (h = strset_hash(v->s[i], v->len[i]) & (g->cap - 1); g->keys[h]; h = (h + 1) & (g->cap - 1))
			if (g->lens[h] == v->len[i] && !memcmp(g->keys[h], v->s[i], v->len[i]))
				break;
		if (!g->keys[h])
			continue;
		if (hit == g->none) {
			hit = &g->bits[h * g->words];
			continue;
		}
		if (hit != g->acc) {
			memcpy(g->acc, hit, g->words * sizeof(*hit));
			hit = g->acc;
		}
		for (size_t w = 0; w < g->words; w++)
			g->acc[w] |= g->bits[h * g->words + w];
	}
	return hit;
}

/* Check `check` of a group, once the group's answer for this event is in. */
static inline bool group_answer(struct ruleset *rs, const struct check_group *g, uint32_t check,
				struct field_ctx *fctx)
{
	uint32_t pos = rs->check_pos[check];

	if (!g->hit) /* a number: the usual way */
		return check_eval(rs->checks, &rs->checks[check], &rs->slots, fctx);
	return g->hit[pos / 64] >> (pos % 64) & 1;
}

/* The first member of its group this event evaluates: the group's one lookup (out of line, a tail call). */
static __attribute__((noinline)) bool group_fill(struct ruleset *rs, struct check_group *g, uint32_t check,
						 struct field_ctx *fctx)
{
	g->hit = group_hits(g, rs, fctx);
	g->gen = rs->slots.gen;
	return group_answer(rs, g, check, fctx);
}

/* Check `check` of a group: its member bit in the group's answer for this event. */
static inline bool group_eval(struct ruleset *rs, uint32_t check, struct field_ctx *fctx)
{
	struct check_group *g = &rs->groups[rs->check_group[check]];

	if (g->gen != rs->slots.gen)
		return group_fill(rs, g, check, fctx);
	return group_answer(rs, g, check, fctx);
}

bool memo_eval(struct ruleset *rs, uint32_t i, struct field_ctx *fctx)
{
	if (rs->check_group && rs->check_group[i] >= 0)
		return group_eval(rs, i, fctx);
	return check_eval(rs->checks, &rs->checks[i], &rs->slots, fctx);
}
