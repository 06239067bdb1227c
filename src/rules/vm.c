// SPDX-License-Identifier: Apache-2.0
/*
 * The VM and the per-event entry points: for the event's type, the indexed
 * rules' programs for that type run in file order, checks memoized per
 * event so a check shared by many rules (through a macro) runs once.
 */
#include "rules/bytecode.h"
#include "rules/ruleset.h"

/* Evaluate check i for this event into its memo m. */
static inline void memo_fill(struct ruleset *rs, struct check_memo *m, uint32_t i, struct field_ctx *fctx)
{
	m->val = memo_eval(rs, i, fctx);
	m->gen = rs->slots.gen;
}

/*
 * The VM: direct threading (GNU C labels as values), one indirect jump per
 * instruction. Every program ends with RET and jumps only forward to an
 * instruction of the program (bytecode_compile), so there is no bounds check.
 */
static bool run(struct ruleset *rs, const struct insn *code, uint32_t pc, struct field_ctx *fctx)
{
	static const void *const at[OP_COUNT] = {
#define OP(name, kind, meaning) [OP_##name] = &&op_##name,
#include "rules/opcodes.def"
#undef OP
	};
	const struct insn *in = code + pc;
	struct check_memo *m;
	bool flag = false;

	goto *at[in->op];
op_CHECK:
op_NCHECK:
	/* a check shared by many rules (through a macro) runs once per event */
	m = &rs->memo[in->arg];
	if (m->gen != rs->slots.gen)
		memo_fill(rs, m, in->arg, fctx);
	flag = m->val ^ (in->op == OP_NCHECK);
	in++;
	goto *at[in->op];
op_JF:
	in = flag ? in + 1 : code + in->arg;
	goto *at[in->op];
op_JT:
	in = flag ? code + in->arg : in + 1;
	goto *at[in->op];
op_NOT:
	flag = !flag;
	in++;
	goto *at[in->op];
op_TRUE:
	flag = true;
	in++;
	goto *at[in->op];
op_RET:
	return flag;
}

/* Is one of the n checks of a required `or` at in (CHECK or NCHECK, then a jump) true? In order, as the VM would. */
static bool any_required(struct ruleset *rs, const struct insn *in, uint32_t n, struct field_ctx *fctx)
{
	for (uint32_t k = 0; k < n; k++, in += 2) {
		struct check_memo *m = &rs->memo[in->arg];

		if (m->gen != rs->slots.gen)
			memo_fill(rs, m, in->arg, fctx);
		if (m->val ^ (in->op == OP_NCHECK))
			return true;
	}
	return false;
}

int ruleset_eval(struct ruleset *rs, struct field_ctx *fctx, rule_hit_fn hit, void *ctx)
{
	uint16_t t = fctx->ev->type;
	const struct type_entry *te;
	int matches = 0;

	if (t >= EVENT_TABLE_SIZE)
		return 0;
	slots_next_event(&rs->slots);
	te = rs->entries[t];
	for (uint32_t i = 0, n = rs->n_entries[t]; te && i < n; i++) {
		uint32_t g = te[i].gate;
		struct rule *r;

		if (g != GATE_NONE) {
			/* the check the rule requires: false skips the VM, for every rule of the run it gates */
			struct check_memo *m = &rs->memo[g & 0x7fffffff];

			if (m->gen != rs->slots.gen)
				memo_fill(rs, m, g & 0x7fffffff, fctx);
			if (m->val == (g >> 31)) {
				i = te[i].next_gate - 1;
				continue;
			}
		} else if (te[i].nany && !any_required(rs, te[i].code + te[i].pc, te[i].nany, fctx))
			continue;
		if (!run(rs, te[i].code, te[i].pc, fctx))
			continue;
		r = &rs->rules[te[i].rule].r;
		r->hits++;
		matches++;
		if (hit)
			hit(ctx, r, fctx);
		if (!rs->match_all)
			break;
	}
	return matches;
}

bool ruleset_match(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx)
{
	slots_next_event(&rs->slots);
	return r->code && r->ncode && run(rs, r->code, 0, fctx);
}
