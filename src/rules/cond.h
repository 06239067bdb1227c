/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The condition parser: condition text to an AST, with macros inlined,
 * list names expanded, and each comparison added to the ruleset's check
 * table (identical comparisons shared) with its field given a cache slot.
 */
#ifndef SAKER_RULES_COND_H
#define SAKER_RULES_COND_H

#include <stddef.h>

#include "rules/ast.h"

struct ruleset;

/*
 * Parse a condition. NULL on error, with a message in err and the offset
 * in the text of the offending token in *errpos.
 */
struct ast *cond_parse(struct ruleset *rs, const char *text, char *err, size_t errlen, int *errpos);

#endif
