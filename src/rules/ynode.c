// SPDX-License-Identifier: Apache-2.0
/*
 * libyaml's event parser folded into a node tree with positions. Anchors and
 * aliases are refused (Falco rules files do not use them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "rules/ynode.h"

void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->value);
	free(n);
}

int ynode_push(struct ynode *parent, struct ynode *child)
{
	struct ynode **ni = realloc(parent->items, (parent->n + 1) * sizeof(*ni));

	if (!ni)
		return -1;
	parent->items = ni;
	parent->items[parent->n++] = child;
	return 0;
}

struct ynode *ynode_make(enum ynode_kind k, const char *value)
{
	struct ynode *n = calloc(1, sizeof(*n));

	if (n) {
		n->kind = k;
		n->value = value ? strdup(value) : NULL;
	}
	return n;
}

static struct ynode *ynode_new(enum ynode_kind k, const yaml_mark_t *m)
{
	struct ynode *n = ynode_make(k, NULL);

	if (n) {
		n->line = m->line + 1;
		n->col = m->column + 1;
		n->off = m->index;
	}
	return n;
}

#define MAX_DEPTH 64

/* Folding events into trees: open collections on a stack, finished documents in out. */
struct builder {
	struct ydocs *out;
	struct ynode *stack[MAX_DEPTH];
	int depth;
	char *err;
	size_t errlen;
	int *line, *col;
};

static int build_error(struct builder *b, const yaml_mark_t *m, const char *msg)
{
	*b->line = m->line + 1;
	*b->col = m->column + 1;
	snprintf(b->err, b->errlen, "%s", msg);
	return -1;
}

/* A finished node goes into its parent collection, or is a document. */
static int build_attach(struct builder *b, struct ynode *n)
{
	struct ynode **nd;

	if (b->depth > 0) {
		if (ynode_push(b->stack[b->depth - 1], n) == 0)
			return 0;
		ynode_free(n);
		return -1;
	}
	nd = realloc(b->out->docs, (b->out->n + 1) * sizeof(*nd));
	if (!nd) {
		ynode_free(n);
		return -1;
	}
	b->out->docs = nd;
	b->out->docs[b->out->n++] = n;
	return 0;
}

/* One parser event: 1 at the end of the stream, 0 to go on, -1 on error. */
static int build_event(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n = NULL;
	char msg[64];

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_ALIAS_EVENT:
		return build_error(b, &ev->start_mark, "YAML aliases are not supported");
	case YAML_SCALAR_EVENT:
		if (!(n = ynode_new(Y_SCALAR, &ev->start_mark)))
			return -1;
		n->value = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		return build_attach(b, n);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= MAX_DEPTH) {
			snprintf(msg, sizeof(msg), "YAML nesting deeper than %d levels", MAX_DEPTH);
			return build_error(b, &ev->start_mark, msg);
		}
		n = ynode_new(ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP, &ev->start_mark);
		if (!n)
			return -1;
		b->stack[b->depth++] = n;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = b->stack[--b->depth];
		return build_attach(b, n);
	default:
		return 0;
	}
}

int ydocs_parse(struct ydocs *out, const char *buf, size_t len, char *err, size_t errlen, int *line, int *col)
{
	struct builder b = { .out = out, .err = err, .errlen = errlen, .line = line, .col = col };
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	*line = *col = 0;
	err[0] = 0;
	if (!yaml_parser_initialize(&p)) {
		snprintf(err, errlen, "cannot initialize the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			*line = p.problem_mark.line + 1;
			*col = p.problem_mark.column + 1;
			snprintf(err, errlen, "%s%s%s", p.problem ? p.problem : "invalid YAML",
				 p.context ? " " : "", p.context ? p.context : "");
			rc = -1;
			break;
		}
		rc = build_event(&b, &ev);
		if (rc < 0 && !err[0])
			build_error(&b, &ev.start_mark, "out of memory");
		yaml_event_delete(&ev);
	}
	while (b.depth > 0)
		ynode_free(b.stack[--b.depth]);
	yaml_parser_delete(&p);
	if (rc < 0)
		ydocs_release(out);
	return rc < 0 ? -1 : 0;
}

void ydocs_release(struct ydocs *d)
{
	for (size_t i = 0; i < d->n; i++)
		ynode_free(d->docs[i]);
	free(d->docs);
	d->docs = NULL;
	d->n = 0;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->kind == Y_SCALAR && strcmp(map->items[i]->value, key) == 0)
			return map->items[i + 1];
	return NULL;
}
