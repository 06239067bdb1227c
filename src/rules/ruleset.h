/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the ruleset: the items a rules file defines (lists, macros,
 * rules with their exceptions), the check table and field cache their
 * conditions compile into, the event-type index, and the load messages.
 * Functions here are the item lifecycle and lookups every stage shares.
 */
#ifndef SAKER_RULES_RULESET_H
#define SAKER_RULES_RULESET_H

#include "rules/check.h"
#include "rules/rules.h"
#include "rules/slot.h"

/* Where a YAML node starts in its file: 1-based line and column, byte offset. */
struct src_pos {
	int line, col;
	long off;
};

/* A loaded file's text, kept for snippets and condition positions. */
struct rules_content {
	char *name;
	char *text;
	size_t len;
	char schema[320];          /* Falco's schema validation of it: "ok", "failed for ...", "none" (not YAML) */
};

struct list_item {
	char *name;
	char **items;
	size_t n;
	char file[256];
	int line, col;
	bool used;
};

struct macro_item {
	char *name;
	char *condition;
	char file[256];
	int line, col;             /* the item */
	struct src_pos cond_pos;   /* its condition's value */
	char *cond_src;            /* the condition as that value gave it (appends come after) */
	bool used;
	bool visiting;
	bool warned;               /* its compile warning is reported (once) */
	unsigned index, visibility; /* Falco's order: it sees the macros whose index is below its visibility */
};

struct exception {
	char *name;
	char **fields;
	size_t nfields;
	bool fields_is_list;
	char **comps;
	size_t ncomps;
	/* values: rows of strings (one per field) */
	char ***rows;
	size_t *rowlen;
	size_t nrows;
};

/* A plugin a rules file requires: its name and the lowest version it takes ("0.4.0"). */
struct plugin_req {
	char *name;
	char *version;
};

/*
 * One required_plugin_versions entry: the plugin (alts[0]) and its
 * alternatives (alts[1..]), any one of which satisfies it. Entries are
 * kept in load order, never merged (Falco's collector pushes each).
 */
struct plugin_reqs {
	struct plugin_req *alts;
	size_t n;
	char file[256];            /* the file it came from */
};

/* A rule's program for the event types whose evt.type checks all answer alike (those checks folded in). */
struct type_prog {
	struct insn *code;         /* NULL: no event of those types can match */
	size_t ncode;
};

struct rule_item {
	struct rule r;
	struct src_pos cond_pos;   /* the condition's value (r.line/col: the item) */
	char *cond_src;            /* the condition as that value gave it */
	struct src_pos out_pos;    /* the output's value */
	struct exception *exc;
	size_t nexc;
	bool skip_if_unknown;
	bool warn_evttypes;
	int prio_filter;           /* set by -o priority */
	struct type_prog *progs;   /* per-type programs (index_type_programs), NULL: r.code for every type */
	size_t nprogs;
	int16_t *prog_of;          /* per event type: its program in progs, -1: r.code */
};

/*
 * A rule as ruleset_eval runs it for one event type: its program for the
 * type, where it starts, its gate, and the first entry after it with
 * another gate (a false gate skips the run of entries it gates at once).
 * With no gate, nany >= 2: the program starts with an `or` of that many
 * checks it requires one of (all false skips the VM).
 */
struct type_entry {
	const struct insn *code;
	uint32_t rule;
	uint32_t pc;
	uint32_t gate;
	uint32_t next_gate;
	uint32_t nany;
};

/* A check's result for the current event (generation-stamped). */
struct check_memo {
	uint64_t gen;
	bool val;
};

struct ruleset {
	struct list_item *lists;
	size_t nlists;
	struct macro_item *macros;
	size_t nmacros;
	struct rule_item *rules;
	size_t nrules;
	struct load_msg *msgs;
	size_t nmsgs;
	struct rules_content *contents;
	size_t ncontents;
	int nerrors;
	struct check *checks;
	size_t nchecks;
	struct check_memo *memo;   /* one per check, sized at compile */
	struct check_group *groups; /* `=`/`in` checks of one string slot, answered together */
	size_t ngroups;
	int32_t *check_group;      /* per check: its group, or -1 */
	uint32_t *check_pos;       /* per check: its position in the group */
	uint32_t *gate;            /* per rule: a check its program requires (bit 31: negated), or GATE_NONE */
	struct type_entry *entries[EVENT_TABLE_SIZE]; /* per type: by_type with evt.type checks folded */
	uint32_t n_entries[EVENT_TABLE_SIZE];
	struct slots slots;        /* its generation is the current event's */
	/* evt-type index: for each type, rule indexes in file order */
	uint32_t *by_type[EVENT_TABLE_SIZE];
	uint32_t n_by_type[EVENT_TABLE_SIZE];
	int min_priority;
	bool match_all;
	char **only_tags;
	size_t nonly_tags;
	bool compiled;
	bool compiling;            /* in ruleset_compile: a file's messages end at its first error */
	bool keep_expanded;
	char *container_info;      /* what %container.info becomes (-pc, -pk), NULL: the default */
	int required_engine[3];    /* the highest required_engine_version of the files, 0.0.0 when none */
	struct plugin_reqs *plugin_reqs; /* the required_plugin_versions entries, in load order */
	size_t nplugin_reqs;
};

#define GATE_NONE UINT32_MAX

/* Groups and gates (groups.c), built with the index; 0 or -1 when out of memory. */
int groups_build(struct ruleset *rs);
void groups_free(struct ruleset *rs);
/*
 * Check i on the current event, for its memo: a member of a group from the
 * group's one lookup per event, any other through check_eval.
 */
bool memo_eval(struct ruleset *rs, uint32_t i, struct field_ctx *fctx);

/* Record a load error or warning (code in Falco's vocabulary). */
void rs_msg(struct ruleset *rs, bool error, const char *code, const char *file, int line, int col,
	    const char *item_type, const char *item_name, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

/* The same, with places inside the item (a value, a condition) after the item's own. */
void rs_msg_locs(struct ruleset *rs, bool error, const char *code, const char *file, int line, int col,
		 const char *item_type, const char *item_name, const struct load_loc *extra, size_t nextra,
		 const char *fmt, ...) __attribute__((format(printf, 11, 12)));

/* Has a file (a message's file) an error yet? Falco stops reading and compiling a file at its first. */
bool rs_file_failed(const struct ruleset *rs, const char *file);

/*
 * Falco's schema check of a rules document (its first, as Falco's
 * yaml_helper::load_from_string reads): "ok" or "failed for CONTEXT:
 * DESCRIPTION" in valijson's words, into out.
 */
struct ynode;
void rules_schema_check(const struct ynode *doc, char *out, size_t n);

/* Keep a copy of a file's text (for snippets and positions). 0 or -1. */
int rs_add_content(struct ruleset *rs, const char *name, const char *text, size_t len);

/* The byte offset of 1-based line and column in a kept file, or -1. */
long rs_offset(const struct ruleset *rs, const char *file, int line, int col);

/*
 * Where character idx of a scalar's value lies in its file: the scalar
 * starts at offset off; folding (block scalars, continuation lines) and
 * quoting are undone by walking the raw text alongside the value.
 * Fills a "condition expression" place (1-based line and column). 0 or -1.
 */
int rs_locate(const struct ruleset *rs, const char *file, long off, const char *value, size_t idx,
	      struct load_loc *out);

struct list_item *rs_find_list(struct ruleset *rs, const char *name);
struct macro_item *rs_find_macro(struct ruleset *rs, const char *name);
struct rule_item *rs_find_rule(struct ruleset *rs, const char *name);

/* Append a zeroed rule item named `name`, in order of first appearance; NULL when out of memory. */
struct rule_item *rs_new_rule(struct ruleset *rs, const char *name);

/* Append a required_plugin_versions entry (alts moved in, file copied). 0 or -1 (out of memory: alts freed). */
int rs_add_plugin_reqs(struct ruleset *rs, struct plugin_req *alts, size_t n, const char *file);
void plugin_reqs_free(struct plugin_req *alts, size_t n);

/* Free a string array of n entries, and n exceptions. */
void strv_free(char **a, size_t n);
void exceptions_free(struct exception *e, size_t n);

#endif
