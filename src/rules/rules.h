/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rules engine: loading Falco rules files (lists, macros, rules,
 * appends, overrides, exceptions), compiling conditions to bytecode indexed
 * by event type, and evaluating them on events through the field registry.
 */
#ifndef SAKER_RULES_H
#define SAKER_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event/event_table.h"
#include "fields/fields.h"

#define SAKER_ENGINE_VERSION "0.57.0"
#define SAKER_ENGINE_VERSION_NUM 57

enum priority {
	PRIO_EMERGENCY, PRIO_ALERT, PRIO_CRITICAL, PRIO_ERROR, PRIO_WARNING, PRIO_NOTICE,
	PRIO_INFORMATIONAL, PRIO_DEBUG, PRIO_COUNT,
};

/* Parse a priority name in any case ("info" too); -1 when unknown. */
int priority_parse(const char *s);
/* "Warning", "Informational", ... as Falco prints them. */
const char *priority_name(int p);

/*
 * One place in Falco's context stack of a load message: the file
 * ("rules content"), the item, a value or condition inside it. Lines and
 * columns follow Falco: 0-based for YAML places, 1-based file line and
 * column for a "condition expression" (the offending token).
 */
struct load_loc {
	char item_type[40];    /* "rules content", "rule", "rule condition", "condition expression", ... */
	char item_name[128];
	char name[256];        /* the file, or the condition's first characters in quotes */
	int line, col;
	long offset;           /* byte offset in the file */
};

#define LOAD_MAX_LOCS 5

struct load_msg {
	bool error;
	const char *code;      /* LOAD_ERR_* or a warning code */
	char file[256];
	int line, col;         /* 1-based, of the innermost place */
	char item_type[40];    /* rule, macro, list, ... */
	char item_name[128];
	char msg[512];
	struct load_loc locs[LOAD_MAX_LOCS];
	size_t nlocs;
	long snippet_offset;   /* where the snippet's caret goes in the file, -1 for none */
	char field[32];        /* a deprecated field's warning: the field, which Falco's text adds to the code's text */
};

/* Falco's short description of a load error or warning code ("Error compiling condition"). */
const char *load_code_str(const char *code);
/* Falco's codedesc of a code, as its JSON output gives it. */
const char *load_code_desc(const char *code, bool error);

struct rule {
	char *name;
	char *desc;
	char *condition;
	char *output;
	int priority;
	char *source;
	bool enabled;
	char **tags;
	size_t ntags;
	char file[256];
	int line, col;
	size_t index;           /* order of first appearance */
	/* compiled */
	struct insn *code;
	size_t ncode;
	uint8_t evttypes[EVENT_TABLE_SIZE];
	bool all_types;
	uint8_t *syscalls;      /* ppm_sc codes named by evt.type that have no event
				   of their own (they come as generic events), or NULL */
	struct output_fmt *fmt;
	uint64_t hits;
	char *expanded;         /* condition with macros, lists and exceptions
				   inlined; kept only after ruleset_keep_expanded */
};

struct ruleset;

struct ruleset *ruleset_new(void);
void ruleset_free(struct ruleset *rs);

/* Load a file or a directory (its .yaml/.yml files, sorted). Returns errors seen. */
int ruleset_load_path(struct ruleset *rs, const char *path);

/* Load rules from memory; `name` appears in messages. */
int ruleset_load_buffer(struct ruleset *rs, const char *name, const char *buf, size_t len);

/* Add a rule programmatically (sakerdump's filter). Returns 0 or -1. */
int ruleset_add_rule(struct ruleset *rs, const char *name, const char *condition, const char *output, int priority);

/* True when some field of the rule's output has no value for this event. */
bool rule_output_missing(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx);

/* Selection, before compiling. */
int ruleset_disable_name(struct ruleset *rs, const char *pattern);  /* exact name or regex */
int ruleset_enable_name(struct ruleset *rs, const char *pattern);
void ruleset_disable_tag(struct ruleset *rs, const char *tag);
void ruleset_enable_tag(struct ruleset *rs, const char *tag);
void ruleset_only_tag(struct ruleset *rs, const char *tag);       /* -t, repeatable */
void ruleset_set_min_priority(struct ruleset *rs, int prio);
void ruleset_set_match_all(struct ruleset *rs, bool all);
/* What %container.info in outputs becomes (Falco's -pc, -pk); NULL: container_id and container_name. Before compile. */
void ruleset_set_container_info(struct ruleset *rs, const char *fmt);
/* Keep each rule's expanded condition (rule.expanded) when compiling. */
void ruleset_keep_expanded(struct ruleset *rs);

/* Expand macros and lists, compile every enabled rule, build the index. Returns errors. */
int ruleset_compile(struct ruleset *rs);

size_t ruleset_nmsgs(const struct ruleset *rs);
const struct load_msg *ruleset_msg(const struct ruleset *rs, size_t i);
int ruleset_nerrors(const struct ruleset *rs);

/* All rules in order of first appearance (enabled or not). */
size_t ruleset_nrules(const struct ruleset *rs);
struct rule *ruleset_rule(const struct ruleset *rs, size_t i);
struct rule *ruleset_find(const struct ruleset *rs, const char *name);
bool rule_is_active(const struct ruleset *rs, const struct rule *r);

/* Union of the event types of active rules (1 = needed). */
void ruleset_event_types(const struct ruleset *rs, uint8_t out[EVENT_TABLE_SIZE]);

/* Union over active rules of the syscalls (ppm_sc codes, out has ppm_sc_count
 * entries) they name in evt.type without an event of their own: the capture
 * delivers those as generic events. */
void ruleset_generic_syscalls(const struct ruleset *rs, uint8_t *out);

typedef void (*rule_hit_fn)(void *ctx, struct rule *r, struct field_ctx *fctx);

/*
 * Evaluate the active rules indexed under the event's type, in file order,
 * stopping at the first match unless rule_matching is "all". Returns matches.
 */
int ruleset_eval(struct ruleset *rs, struct field_ctx *fctx, rule_hit_fn hit, void *ctx);

/* Evaluate one compiled rule on the current event (a new event for the field cache). */
bool ruleset_match(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx);

/* Render a rule's output for the current event (control characters escaped). */
size_t rule_format_output(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx, const char *extra,
			  char *out, size_t n);

/*
 * Let line breaks and tabs through the escaping (sakerdump's -x, -X and
 * --print-ascii ask for sysdig's multi-line buffers); other control
 * characters stay escaped. Process-wide, off unless set; alerts never set it.
 */
void rule_format_keep_line_breaks(bool keep);

/* The fields an output names, for JSON output_fields: calls fn(name, value) per field. */
typedef void (*output_field_fn)(void *ctx, const char *name, const struct field_value *v);
void rule_output_fields(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx, const char *extra,
			output_field_fn fn, void *ctx);

/* Check an output format (e.g. append_output): 0, or -1 with a message. */
int output_format_check(const char *fmt, char *err, size_t n);

/*
 * The plugins saker has, for required_plugin_versions: none is loaded
 * from a library, but the fields and metadata of Falco's container plugin
 * are built in, so saker counts as having that plugin at this version.
 */
#define SAKER_CONTAINER_PLUGIN "container"
#define SAKER_CONTAINER_PLUGIN_VERSION "0.6.0"

/*
 * Falco's check_plugin_requirements (falco_engine.cpp) over the loaded
 * required_plugin_versions entries: each needs one of its plugins loaded
 * (the first of them saker has decides) at a compatible version (libsinsp's
 * sinsp_version::compatible_with: the same major, no lower). With
 * upto_failed, only the entries of the files up to the first that has an
 * error count (Falco's run stops loading files there; -V loads them all).
 * 0, or -1 with Falco's message in err ("Plugin requirement not
 * satisfied, must load one of: k8saudit (>= 0.1.0)").
 */
int ruleset_check_plugins(const struct ruleset *rs, bool upto_failed, char *err, size_t n);

/* Where -V's log lines go: Falco's logger (info, or warning). msg ends with a line break. */
typedef void (*validate_log_fn)(bool warning, const char *msg);

/*
 * Falco's -V: load every file into one ruleset, compile it, and print one
 * load result per file, the messages attributed to the file they point
 * into: Falco's text (with snippets) or, with json, one JSON document
 * {"falco_load_results":[...]} on out. Falco's log lines go to log: the
 * files with their schema validation, the full text of files that are ok
 * with warnings. Returns Falco's exit code: 0 when every file loaded, else 1.
 * A required plugin saker lacks (ruleset_check_plugins) is Falco's fatal
 * error instead: its message in err, nothing on out, 1. err is "" otherwise.
 */
int rules_validate(char *const *files, size_t n, bool json, validate_log_fn log, FILE *out, char *err,
		   size_t errlen);

/*
 * -L / -l with json_output: Falco's describe document of the compiled
 * ruleset (every rule, macro and list), or of one rule ({"rules":[...]}),
 * NULL when there is no such rule. A cJSON tree the caller deletes.
 */
struct cJSON;
struct cJSON *ruleset_describe_json(struct ruleset *rs, const char *rule);

/*
 * --rule-schema: Falco's rules-file JSON schema (rule_json_schema.h), the
 * one rules_schema_check applies, as a cJSON tree the caller deletes (NULL:
 * out of memory).
 */
struct cJSON *rules_schema_json(void);

/* The contents of a loaded file by name (for snippets), or NULL. */
const char *ruleset_content(const struct ruleset *rs, const char *name, size_t *len);

/* Print a rule's bytecode. */
void ruleset_disasm(const struct ruleset *rs, const struct rule *r, FILE *f);

#endif
