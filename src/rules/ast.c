// SPDX-License-Identifier: Apache-2.0
/*
 * AST nodes and the printer that turns a compiled condition back into
 * text: every macro, list and exception inlined, values quoted only where
 * the parser needs it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ast.h"

struct ast *ast_new(enum ast_kind k, struct ast *l, struct ast *r)
{
	struct ast *a = calloc(1, sizeof(*a));

	if (a) {
		a->kind = k;
		a->l = l;
		a->r = r;
		a->check = -1;
	}
	return a;
}

struct ast *ast_check(int idx)
{
	struct ast *a = ast_new(A_CHECK, NULL, NULL);

	if (a)
		a->check = idx;
	return a;
}

void ast_free(struct ast *a)
{
	if (!a)
		return;
	ast_free(a->l);
	ast_free(a->r);
	free(a);
}

/* A value as the parser reads it back: bare when it is one plain word. */
static void print_value(FILE *f, const char *v)
{
	bool bare = *v != 0;

	for (const char *q = v; *q && bare; q++)
		bare = !isspace((unsigned char)*q) && !strchr(",()\"'\\", *q);
	if (bare && strcmp(v, "and") && strcmp(v, "or") && strcmp(v, "not")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (const char *q = v; *q; q++) {
		if (*q == '"' || *q == '\\')
			fputc('\\', f);
		fputc(*q, f);
	}
	fputc('"', f);
}

static void print_check(FILE *f, const struct check *checks, const struct slots *sc, const struct check *c)
{
	fprintf(f, "%s %s", sc->v[c->slot].key, cmp_names[c->op]);
	if (c->op == CMP_EXISTS)
		return;
	if (c->rhs_slot >= 0) {
		fprintf(f, " val(%s)", sc->v[c->rhs_slot].key);
	} else if (c->quant != Q_NONE) {
		fprintf(f, " %s (", quant_names[c->quant]);
		for (uint32_t i = 0; i < c->nsubs; i++) {
			if (i)
				fputs(", ", f);
			print_value(f, checks[c->sub0 + i].vals[0]);
		}
		fputc(')', f);
	} else if (c->op == CMP_IN || c->op == CMP_INTERSECTS || c->op == CMP_PMATCH) {
		fputs(" (", f);
		for (size_t i = 0; i < c->nvals; i++) {
			if (i)
				fputs(", ", f);
			print_value(f, c->vals[i]);
		}
		fputc(')', f);
	} else {
		fputc(' ', f);
		print_value(f, c->nvals ? c->vals[0] : "");
	}
}

static void print_ast(FILE *f, const struct check *checks, const struct slots *sc, const struct ast *a)
{
	switch (a->kind) {
	case A_CHECK:
		print_check(f, checks, sc, &checks[a->check]);
		break;
	case A_NOT:
		fputs("not ", f);
		if (a->l->kind != A_CHECK)
			fputc('(', f);
		print_ast(f, checks, sc, a->l);
		if (a->l->kind != A_CHECK)
			fputc(')', f);
		break;
	case A_AND:
	case A_OR:
		/* "a and b or c" is bracketed even where precedence makes it
		 * unambiguous: older sysdig filters refuse and/or unbracketed */
		for (int side = 0; side < 2; side++) {
			const struct ast *k = side ? a->r : a->l;
			bool paren = (k->kind == A_AND || k->kind == A_OR) && k->kind != a->kind;

			if (side)
				fputs(a->kind == A_AND ? " and " : " or ", f);
			if (paren)
				fputc('(', f);
			print_ast(f, checks, sc, k);
			if (paren)
				fputc(')', f);
		}
		break;
	case A_TRUE:
		fputs("evt.num exists", f);
		break;
	}
}

char *ast_print(const struct check *checks, const struct slots *sc, const struct ast *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	print_ast(f, checks, sc, a);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
