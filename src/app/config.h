/* SPDX-License-Identifier: Apache-2.0 */
/*
 * saker.yaml: falco.yaml key names and meanings, loaded into a tree that
 * `-o key=value` overrides edit (dot paths, list indexes, [] to append),
 * then read into typed settings with errors naming the key. The keys, their
 * types and defaults are one table in config.c; the output keys land in the
 * output module's own options (struct output_opts).
 */
#ifndef SAKER_CONFIG_H
#define SAKER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/output.h"

struct extra_output {
	char *format;
	char *rule;   /* match: rule name, or NULL for all */
	char *tag;    /* match: tag, or NULL */
};

struct rule_select {
	bool enable;
	char *rule;   /* name (may be a wildcard "*") or NULL */
	char *tag;
};

/* container_engines.<name>: Falco's container engine switches. */
struct container_engine_cfg {
	bool enabled;
	char **sockets;           /* NULL: the engine's default sockets */
	size_t nsockets;
};

struct config {
	char **rules_files;
	size_t nrules_files;
	struct output_opts out;       /* json_*, time_format_iso_8601, buffered_outputs, outputs.*, *_output */
	int priority;                 /* minimum, enum priority */
	bool rule_matching_all;
	int log_level;                /* syslog levels: 3 error .. 7 debug */
	bool log_stderr, log_syslog;
	double drops_threshold;
	unsigned drops_actions;       /* bit set of DROP_ACTION_* */
	double drops_rate, drops_max_burst;
	unsigned timeouts_max_consecutives; /* syscall_event_timeouts.max_consecutives (checked, > 0) */
	char *engine_kind;            /* "ebpf" or "replay" */
	char *replay_file;
	uint64_t ring_bytes;
	unsigned cpus_per_ring;
	char **base_syscalls;
	size_t nbase_syscalls;
	bool base_syscalls_all;
	struct extra_output *append_output;
	size_t nappend_output;
	struct rule_select *rules_select;
	size_t nrules_select;
	char *stats_file;
	uint64_t stats_interval_ms;
	char *host_root;
	bool web_enabled;             /* webserver.*: health and metrics endpoint */
	double web_port;
	char *web_address, *web_healthz;
	bool web_metrics;
	double web_healthz_timeout;   /* seconds without an event-loop turn: unhealthy */
	struct container_engine_cfg docker, podman, cri;
	bool cri_disable_async;       /* container_engines.cri.disable_async */
	double container_timeout_ms;  /* container_engines.lookup_timeout_ms: one request */
	double container_wait_ms;     /* container_engines.wait_ms: a new container's events wait at most this */
	uint64_t thread_table_size;   /* falco_libs.thread_table_size: threads kept before eviction */
	uint64_t purge_interval_s;    /* falco_libs.thread_table_auto_purging_interval_s */
	uint64_t purge_timeout_s;     /* falco_libs.thread_table_auto_purging_thread_timeout_s */
	bool name_resolution;         /* name_resolution.enabled: resolve the names rules give fd.*ip.name */
	double name_refresh_s;        /* name_resolution.refresh_seconds */
};

enum { DROP_ACTION_IGNORE = 1, DROP_ACTION_LOG = 2, DROP_ACTION_ALERT = 4, DROP_ACTION_EXIT = 8 };

struct config_tree;

/* Load a YAML file (NULL: an empty tree). err names file, line, column. */
struct config_tree *config_tree_load(const char *path, char *err, size_t n);
/* The same from memory; name is used in error messages. */
struct config_tree *config_tree_load_buffer(const char *name, const char *buf, size_t len, char *err, size_t n);
void config_tree_free(struct config_tree *t);

/*
 * Falco's config_files (0.38 on), named in t by its main file main_path: each
 * entry a path or {path, strategy}; a directory's regular files in name
 * order; a relative path from main_path's directory; a path that is neither
 * file nor directory skipped, as Falco skips it. Each file is merged into t
 * key by top-level key: append (the default: a list gets the items, any other
 * value is replaced), override (replaced), add-only (only keys t lacks).
 * loaded() gets each file read with its schema status (config_schema_check).
 * -1 with err: a file that does not load, a nested config_files, a bad entry.
 */
int config_tree_include(struct config_tree *t, const char *main_path,
			void (*loaded)(void *ctx, const char *path, const char *status), void *ctx, char *err, size_t n);

/* Apply "key.path[0]=value" or "list[]=value". */
int config_tree_set(struct config_tree *t, const char *assignment, char *err, size_t n);

/*
 * Falco's config schema check (config_json_schema.h): every key known, each
 * of its type. status gets Falco's word for the tree, "ok" or the first
 * failure in valijson's words ("failed for <root>[key]: ..."); warn, when not
 * NULL, one line per failure naming the key and its line (only the keys -o
 * set, line 0, with overrides_only). Warnings only: Falco goes on too.
 */
void config_schema_check(const struct config_tree *t, void (*warn)(const char *msg), bool overrides_only, char *status,
			 size_t n);

/*
 * --config-schema: the keys a config may have (saker's key table and the rest
 * of Falco's schema, config_schema_check's set) as a JSON Schema: closed
 * objects, each key's type and range. A cJSON tree the caller deletes.
 */
struct cJSON;
struct cJSON *config_schema_json(void);

/*
 * Read settings with defaults; warnings (a deprecated key) go to warn(). On error
 * (-1, message in err naming the key) *c may be partly filled: release it.
 */
int config_read(const struct config_tree *t, struct config *c, void (*warn)(const char *msg), char *err, size_t n);
void config_release(struct config *c);

#endif
