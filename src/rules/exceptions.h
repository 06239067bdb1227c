/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A rule's exceptions folded into its condition text.
 */
#ifndef SAKER_RULES_EXCEPTIONS_H
#define SAKER_RULES_EXCEPTIONS_H

struct ruleset;
struct rule_item;

/* "(cond) and not (...)" per exception with values, or "(cond)"; malloc'd. */
char *exceptions_fold(struct ruleset *rs, const struct rule_item *ri);

#endif
