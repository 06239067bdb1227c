// SPDX-License-Identifier: Apache-2.0
/*
 * The disassembler: a rule's program, one instruction a line with its
 * check spelled out, and the event types the rule is indexed under.
 */
#include <stdio.h>
#include <string.h>

#include "rules/bytecode.h"
#include "rules/ruleset.h"

void ruleset_disasm(const struct ruleset *rs, const struct rule *r, FILE *f)
{
	fprintf(f, "rule '%s':\n", r->name);
	for (size_t pc = 0; pc < r->ncode; pc++) {
		const struct insn *in = &r->code[pc];

		fprintf(f, "  %3zu %-5s", pc, opinfo[in->op].name);
		if (opinfo[in->op].kind == OPK_TARGET)
			fprintf(f, " -> %u", in->arg);
		else if (opinfo[in->op].kind == OPK_CHECK) {
			const struct check *c = &rs->checks[in->arg];
			fprintf(f, " #%u %s %s", in->arg, rs->slots.v[c->slot].key, cmp_names[c->op]);
			if (c->quant != Q_NONE)
				fprintf(f, " %s #%u..#%u", quant_names[c->quant], c->sub0, c->sub0 + c->nsubs - 1);
			else if (c->rhs_slot >= 0)
				fprintf(f, " val(%s)", rs->slots.v[c->rhs_slot].key);
			else if (c->op == CMP_IN || c->op == CMP_INTERSECTS || c->op == CMP_PMATCH)
				fprintf(f, " (%zu values)", c->nvals);
			else if (c->nvals)
				fprintf(f, " \"%s\"", c->vals[0]);
		}
		fputc('\n', f);
	}
	if (r->all_types) {
		fprintf(f, "  event types: all\n");
		return;
	}
	fprintf(f, "  event types:");
	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		bool seen = false;

		if (!r->evttypes[t] || !event_info_get(t))
			continue;
		for (int u = 0; u < t && !seen; u++) /* each name once */
			seen = r->evttypes[u] && event_info_get(u) && !strcmp(event_info_get(u)->name, event_info_get(t)->name);
		if (!seen)
			fprintf(f, " %s", event_info_get(t)->name);
	}
	fputc('\n', f);
}
