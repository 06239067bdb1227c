/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event-type index, built at compile: the event types each rule can
 * match, and for each type the active rules to run in file order.
 */
#ifndef SAKER_RULES_INDEX_H
#define SAKER_RULES_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "event/event_table.h"
#include "rules/ast.h"

struct ruleset;
struct rule;

/* Event types a condition can match: out[type]=1; false when it is unrestricted. */
bool index_event_types(const struct ruleset *rs, const struct ast *a, uint8_t out[EVENT_TABLE_SIZE]);

/*
 * The names rule r's evt.type checks compare with: syscalls without an
 * event of their own go to r->syscalls; a name that is neither an event
 * nor a syscall is warned about (LOAD_UNKNOWN_EVTTYPE).
 */
void index_scan_type_names(struct ruleset *rs, const struct ast *a, struct rule *r);

/* Work out once per event type the answer of every evt.type =/!=/in check. */
void index_type_sets(struct ruleset *rs);

struct rule_item;

/*
 * Rule ri's programs per event type (ri->progs, ri->prog_of): its
 * condition with every evt.type check answered for the type and folded
 * away, so "(evt.type = open and A) or (evt.type = execve and B)" runs A
 * alone on opens and B alone on execs. Types whose checks answer alike
 * share a program. 0, or -1 when out of memory (r.code serves every type).
 */
int index_type_programs(struct ruleset *rs, struct rule_item *ri, const struct ast *a);
void index_type_programs_free(struct rule_item *ri);

/* Put rule number idx under each event type it can match. */
void index_add_rule(struct ruleset *rs, uint32_t idx);

#endif
