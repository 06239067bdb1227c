// SPDX-License-Identifier: Apache-2.0
/*
 * From AST to bytecode: a check per leaf, JF/JT around the right side of
 * and/or, "not check" as one NCHECK, then jump threading.
 */
#include <assert.h>
#include <stdlib.h>

#include "rules/bytecode.h"

const struct opinfo opinfo[OP_COUNT] = {
#define OP(name, kind, meaning) { #name, OPK_##kind, meaning },
#include "rules/opcodes.def"
#undef OP
};

struct code {
	struct insn *v;
	size_t n, cap;
};

static size_t emit(struct code *c, enum opcode op, uint32_t arg)
{
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 32;
		struct insn *nv = realloc(c->v, nc * sizeof(*nv));

		if (!nv)
			abort();
		c->v = nv;
		c->cap = nc;
	}
	assert(opinfo[op].kind == OPK_NONE || arg <= UINT32_MAX);
	assert(op < OP_COUNT);
	c->v[c->n].op = op;
	c->v[c->n].arg = opinfo[op].kind == OPK_NONE ? 0 : arg;
	return c->n++;
}

static void gen(struct code *c, const struct ast *a)
{
	size_t j;

	switch (a->kind) {
	case A_CHECK:
		emit(c, OP_CHECK, a->check);
		break;
	case A_TRUE:
		emit(c, OP_TRUE, 0);
		break;
	case A_NOT:
		if (a->l->kind == A_CHECK) { /* "not check" is one instruction */
			emit(c, OP_NCHECK, a->l->check);
			break;
		}
		gen(c, a->l);
		emit(c, OP_NOT, 0);
		break;
	case A_AND:
	case A_OR:
		gen(c, a->l);
		j = emit(c, a->kind == A_AND ? OP_JF : OP_JT, 0);
		gen(c, a->r);
		c->v[j].arg = c->n; /* patched: jump past the right side */
		break;
	}
}

/*
 * Jump threading: a jump landing on another jump with the flag unchanged
 * goes straight to where that one leads. "a and b and c" compiles to
 * a JF b JF c, and without this a false `a` would step through every JF.
 * Targets only point forward, so one pass from the end settles each jump.
 */
static void thread_jumps(struct code *c)
{
	for (size_t pc = c->n; pc-- > 0;) {
		struct insn *in = &c->v[pc];
		uint32_t t;

		if (in->op != OP_JF && in->op != OP_JT)
			continue;
		t = in->arg;
		while (t < c->n && (c->v[t].op == OP_JF || c->v[t].op == OP_JT))
			t = c->v[t].op == in->op ? c->v[t].arg : t + 1;
		in->arg = t;
	}
}

int bytecode_compile(const struct ast *a, struct insn **code, size_t *ncode)
{
	struct code c = { 0 };

	gen(&c, a);
	emit(&c, OP_RET, 0);
	thread_jumps(&c);
	free(*code);
	*code = c.v;
	*ncode = c.n;
	return 0;
}
