/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bytecode: the opcodes (defined once in opcodes.def), the instruction
 * format, and the compiler from a condition AST to a program with
 * short-circuit jumps. Programs end with RET and jump only forward.
 */
#ifndef SAKER_RULES_BYTECODE_H
#define SAKER_RULES_BYTECODE_H

#include <stddef.h>
#include <stdint.h>

#include "rules/ast.h"

enum opcode {
#define OP(name, kind, meaning) OP_##name,
#include "rules/opcodes.def"
#undef OP
	OP_COUNT,
};

enum operand_kind { OPK_NONE, OPK_CHECK, OPK_TARGET };

struct insn {
	uint8_t op;
	uint32_t arg;
};

/* Name, operand kind and meaning of each opcode. */
struct opinfo {
	const char *name;
	enum operand_kind kind;
	const char *meaning;
};

extern const struct opinfo opinfo[OP_COUNT];

/* Compile an AST into *code, replacing what was there (out of memory aborts). Returns 0. */
int bytecode_compile(const struct ast *a, struct insn **code, size_t *ncode);

#endif
