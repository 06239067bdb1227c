/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The condition parser: condition text to an AST, with macros inlined,
 * list names expanded, and each comparison added to the ruleset's check
 * table (identical comparisons shared) with its field given a cache slot.
 */
#ifndef SAKER_RULES_COND_H
#define SAKER_RULES_COND_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/ast.h"

struct ruleset;
struct macro_item;

/* Why a condition did not parse, and where. */
struct cond_error {
	char msg[512];
	size_t pos;                /* offset of the offending token in the text it is in */
	struct macro_item *macro;  /* that text is this macro's condition; NULL: the parsed text */
	bool syntax;               /* a syntax error (what Falco's parser finds), not an unknown field or a value */
	char wmsg[400];            /* the first compile warning (LOAD_COMPILE_CONDITION), "" none */
	size_t wpos;               /* its token, in the text of wmacro (NULL: the parsed text) */
	struct macro_item *wmacro;
};

/* Parse a condition. NULL on error, with e filled in. */
struct ast *cond_parse(struct ruleset *rs, const char *text, struct cond_error *e);

#endif
