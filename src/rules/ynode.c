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
	}
	return n;
}

#define MAX_DEPTH 64

int ydocs_parse(struct ydocs *out, const char *buf, size_t len, char *err, size_t errlen, int *line, int *col)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct ynode *stack[MAX_DEPTH];
	int depth = 0, rc = 0, done = 0;

	memset(out, 0, sizeof(*out));
	*line = *col = 0;
	if (!yaml_parser_initialize(&p)) {
		snprintf(err, errlen, "cannot initialize the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && !rc) {
		struct ynode *n = NULL;

		if (!yaml_parser_parse(&p, &ev)) {
			*line = p.problem_mark.line + 1;
			*col = p.problem_mark.column + 1;
			snprintf(err, errlen, "%s%s%s", p.problem ? p.problem : "invalid YAML",
				 p.context ? " " : "", p.context ? p.context : "");
			rc = -1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			*line = ev.start_mark.line + 1;
			*col = ev.start_mark.column + 1;
			snprintf(err, errlen, "YAML aliases are not supported");
			rc = -1;
			break;
		case YAML_SCALAR_EVENT:
			n = ynode_new(Y_SCALAR, &ev.start_mark);
			if (n) {
				n->value = strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
				n->quoted = ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
					    ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= MAX_DEPTH) {
				*line = ev.start_mark.line + 1;
				*col = ev.start_mark.column + 1;
				snprintf(err, errlen, "YAML nesting deeper than %d levels", MAX_DEPTH);
				rc = -1;
				break;
			}
			stack[depth] = ynode_new(ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP, &ev.start_mark);
			if (!stack[depth])
				rc = -1;
			else
				depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			n = stack[--depth];
			break;
		case YAML_DOCUMENT_END_EVENT:
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (!n || rc)
			continue;
		if (depth > 0) {
			if (ynode_push(stack[depth - 1], n))
				rc = -1;
		} else {
			struct ynode **nd = realloc(out->docs, (out->n + 1) * sizeof(*nd));

			if (!nd) {
				ynode_free(n);
				rc = -1;
			} else {
				out->docs = nd;
				out->docs[out->n++] = n;
			}
		}
	}
	while (depth > 0)
		ynode_free(stack[--depth]);
	yaml_parser_delete(&p);
	if (rc)
		ydocs_release(out);
	return rc;
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
