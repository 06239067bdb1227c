// SPDX-License-Identifier: Apache-2.0
/*
 * Rule selection before compiling: enabling and disabling by name (exact
 * or regex) and tag, -t tag filters, the minimum priority, and whether a
 * rule is active under all of them.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ruleset.h"

static bool has_tag(const struct rule *r, const char *tag)
{
	for (size_t i = 0; i < r->ntags; i++)
		if (!strcmp(r->tags[i], tag))
			return true;
	return false;
}

bool rule_is_active(const struct ruleset *rs, const struct rule *r)
{
	if (!r->enabled || r->priority > rs->min_priority)
		return false;
	if (rs->nonly_tags) {
		for (size_t i = 0; i < rs->nonly_tags; i++)
			if (has_tag(r, rs->only_tags[i]))
				return true;
		return false;
	}
	return true;
}

static int select_by_name(struct ruleset *rs, const char *pattern, bool enable)
{
	regex_t re;
	int n = 0;
	bool use_re = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) == 0;

	for (size_t i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i].r;
		regmatch_t m;

		if (!strcmp(r->name, pattern) ||
		    (use_re && regexec(&re, r->name, 1, &m, 0) == 0)) {
			r->enabled = enable;
			n++;
		}
	}
	if (use_re)
		regfree(&re);
	return n;
}

int ruleset_disable_name(struct ruleset *rs, const char *pattern) { return select_by_name(rs, pattern, false); }
int ruleset_enable_name(struct ruleset *rs, const char *pattern) { return select_by_name(rs, pattern, true); }

static void select_by_tag(struct ruleset *rs, const char *tag, bool enable)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (has_tag(&rs->rules[i].r, tag))
			rs->rules[i].r.enabled = enable;
}

void ruleset_disable_tag(struct ruleset *rs, const char *tag) { select_by_tag(rs, tag, false); }
void ruleset_enable_tag(struct ruleset *rs, const char *tag) { select_by_tag(rs, tag, true); }

void ruleset_only_tag(struct ruleset *rs, const char *tag)
{
	char **n = realloc(rs->only_tags, (rs->nonly_tags + 1) * sizeof(*n));

	if (!n)
		return;
	rs->only_tags = n;
	rs->only_tags[rs->nonly_tags++] = strdup(tag);
}

void ruleset_set_min_priority(struct ruleset *rs, int prio) { rs->min_priority = prio; }
void ruleset_set_match_all(struct ruleset *rs, bool all) { rs->match_all = all; }
void ruleset_keep_expanded(struct ruleset *rs) { rs->keep_expanded = true; }

void ruleset_set_container_info(struct ruleset *rs, const char *fmt)
{
	free(rs->container_info);
	rs->container_info = fmt ? strdup(fmt) : NULL;
}
