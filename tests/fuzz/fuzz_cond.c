// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target: the condition parser (with a macro and a list defined). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

static const char base[] = "- list: l\n  items: [a, b]\n- macro: m\n  condition: proc.name in (l)\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs = ruleset_new();
	char *cond = malloc(size + 1);

	memcpy(cond, data, size);
	cond[size] = 0;
	ruleset_load_buffer(rs, "base.yaml", base, sizeof(base) - 1);
	ruleset_add_rule(rs, "fuzz", cond, "out %proc.name", PRIO_INFORMATIONAL);
	ruleset_compile(rs);
	ruleset_free(rs);
	free(cond);
	return 0;
}
