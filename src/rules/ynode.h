/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A YAML document as a tree (libyaml events folded into nodes), with the line
 * and column of every node kept for error messages.
 */
#ifndef SAKER_YNODE_H
#define SAKER_YNODE_H

#include <stddef.h>

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_kind kind;
	int line, col;          /* 1-based */
	long off;               /* byte offset in the document's text */
	char *value;            /* scalars */
	int quoted;             /* scalar was quoted: never a bool or number */
	struct ynode **items;   /* seq items, or map keys and values interleaved */
	size_t n;               /* item count (map: 2 per pair) */
};

/* Documents of a stream. */
struct ydocs {
	struct ynode **docs;
	size_t n;
};

/*
 * Parse `len` bytes. On error returns -1 and writes "line L, column C: ..."
 * into err, with the position in *line and *col.
 */
int ydocs_parse(struct ydocs *out, const char *buf, size_t len, char *err, size_t errlen, int *line, int *col);
void ydocs_release(struct ydocs *d);

/* A new node (value copied for scalars); ynode_free frees it and its children. */
struct ynode *ynode_make(enum ynode_kind k, const char *value);
void ynode_free(struct ynode *n);

/* Append a child (sequence item, or map key then value). 0 or -1. */
int ynode_push(struct ynode *parent, struct ynode *child);

/* Value of key in a map, or NULL. */
struct ynode *ynode_get(const struct ynode *map, const char *key);

#endif
