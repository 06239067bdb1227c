// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target: the rules file loader and compiler on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs = ruleset_new();

	if (ruleset_load_buffer(rs, "fuzz.yaml", (const char *)data, size) == 0)
		ruleset_compile(rs);
	ruleset_free(rs);
	return 0;
}
