/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The condition AST: and/or/not over checks (leaves index the check table),
 * and its printing back into condition text (saker -l, sysdig filters).
 */
#ifndef SAKER_RULES_AST_H
#define SAKER_RULES_AST_H

#include "rules/check.h"
#include "rules/slot.h"

enum ast_kind { A_AND, A_OR, A_NOT, A_CHECK, A_TRUE };

struct ast {
	enum ast_kind kind;
	struct ast *l, *r;
	int check;                 /* A_CHECK: index into the check table */
};

/* A node (NULL when out of memory); ast_check makes a leaf for check idx. */
struct ast *ast_new(enum ast_kind k, struct ast *l, struct ast *r);
struct ast *ast_check(int idx);
void ast_free(struct ast *a);

/*
 * The condition an AST stands for, as text the condition parser reads back
 * (malloc'd; NULL when out of memory).
 */
char *ast_print(const struct check *checks, const struct slots *sc, const struct ast *a);

#endif
