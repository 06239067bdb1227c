// SPDX-License-Identifier: Apache-2.0
/*
 * Configuration: a YAML tree of maps, lists and scalars (built from the
 * rules' YAML node parser), edited by -o overrides and read into struct
 * config. Every type error names its key.
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/config.h"
#include "rules/rules.h"
#include "rules/ynode.h"

struct config_tree {
	struct ynode *root;
};

/*
 * Falco's environment references in a scalar value: ${NAME} becomes the
 * variable's value (nothing when unset), $${NAME} stays as ${NAME}. The
 * result replaces the scalar's text; NULL when out of memory.
 */
static char *expand_env(const char *v)
{
	char *out = NULL, *close;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	if (!m)
		return NULL;
	for (const char *p = v; *p;) {
		bool escaped = p[0] == '$' && p[1] == '$' && p[2] == '{';

		if ((escaped || (p[0] == '$' && p[1] == '{')) && (close = strchr(p, '}'))) {
			if (escaped) {
				fprintf(m, "%.*s", (int)(close - p), p + 1);
			} else {
				char name[256];
				const char *val;

				snprintf(name, sizeof(name), "%.*s", (int)(close - p - 2), p + 2);
				val = getenv(name);
				fputs(val ? val : "", m);
			}
			p = close + 1;
			continue;
		}
		fputc(*p++, m);
	}
	fclose(m);
	return out;
}

/* Expand the scalar values of maps below n (Falco expands what it reads as a scalar: not list items). */
static int expand_tree(struct ynode *n)
{
	for (size_t i = 0; n->kind != Y_SCALAR && i < n->n; i++) {
		struct ynode *c = n->items[i];

		if (c->kind == Y_SCALAR && n->kind == Y_MAP && i % 2 && c->value && strchr(c->value, '$')) {
			char *x = expand_env(c->value);

			if (!x)
				return -1;
			free(c->value);
			c->value = x;
		} else if (c->kind != Y_SCALAR && expand_tree(c)) {
			return -1;
		}
	}
	return 0;
}

struct config_tree *config_tree_load_buffer(const char *name, const char *buf, size_t len, char *err, size_t n)
{
	struct config_tree *t = calloc(1, sizeof(*t));
	struct ydocs docs = { 0 };
	char perr[256];
	int line, col;

	if (!t) {
		snprintf(err, n, "out of memory reading '%s'", name);
		return NULL;
	}
	if (ydocs_parse(&docs, buf, len, perr, sizeof(perr), &line, &col)) {
		snprintf(err, n, "%s:%d:%d: invalid YAML: %s", name, line, col, perr);
		free(t);
		return NULL;
	}
	if (docs.n && docs.docs[0]->kind != Y_MAP && !(docs.docs[0]->kind == Y_SCALAR && !*docs.docs[0]->value)) {
		snprintf(err, n, "%s:%d:%d: a config file must be a map of keys", name, docs.docs[0]->line,
			 docs.docs[0]->col);
		ydocs_release(&docs);
		free(t);
		return NULL;
	}
	if (docs.n && docs.docs[0]->kind == Y_MAP) {
		t->root = docs.docs[0]; /* the first document; later ones are ignored */
		docs.docs[0] = NULL;
	} else {
		t->root = ynode_make(Y_MAP, NULL);
	}
	ydocs_release(&docs);
	if (!t->root || expand_tree(t->root)) {
		config_tree_free(t);
		snprintf(err, n, "out of memory reading '%s'", name);
		return NULL;
	}
	return t;
}

struct config_tree *config_tree_load(const char *path, char *err, size_t n)
{
	struct config_tree *t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *m;

	if (!path)
		return config_tree_load_buffer("(none)", "", 0, err, n);
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, n, "cannot open config file '%s': %s", path, strerror(errno));
		return NULL;
	}
	m = open_memstream(&buf, &len);
	if (m) {
		char chunk[8192];
		size_t r;

		while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, r, m);
		fclose(m);
	}
	fclose(f);
	t = config_tree_load_buffer(path, buf ? buf : "", len, err, n);
	free(buf);
	return t;
}

void config_tree_free(struct config_tree *t)
{
	if (!t)
		return;
	ynode_free(t->root);
	free(t);
}

enum merge { MERGE_APPEND, MERGE_OVERRIDE, MERGE_ADD_ONLY };

static void node_replace(struct ynode *dst, struct ynode *v);

/* Falco's include_config_file: each top-level key of inc into t by the strategy; inc's nodes move to t. */
static void merge_keys(struct config_tree *t, struct config_tree *inc, enum merge how)
{
	struct ynode *r = inc->root;

	for (size_t i = 0; i + 1 < r->n; i += 2) {
		struct ynode *k = r->items[i], *v = r->items[i + 1], *have = ynode_get(t->root, k->value);

		if (have && how == MERGE_ADD_ONLY)
			continue;
		if (have && how == MERGE_APPEND && have->kind == Y_SEQ && v->kind == Y_SEQ) {
			for (size_t j = 0; j < v->n; j++)
				ynode_push(have, v->items[j]);
			v->n = 0;
			continue;
		}
		if (have) {
			node_replace(have, v);
		} else {
			ynode_push(t->root, k);
			ynode_push(t->root, v);
			r->items[i] = NULL;
		}
		r->items[i + 1] = NULL;
	}
}

/* One included file: loaded, checked (its status to loaded()), merged. */
static int include_file(struct config_tree *t, const char *path, const char *shown, enum merge how,
			void (*loaded)(void *, const char *, const char *), void *ctx, char *err, size_t n)
{
	struct config_tree *inc = config_tree_load(path, err, n);
	char status[800];

	if (!inc)
		return -1;
	if (ynode_get(inc->root, "config_files")) { /* Falco allows no nested includes */
		snprintf(err, n, "config file '%s' (from config_files) has a 'config_files' key of its own: "
				 "an included file cannot include others", path);
		config_tree_free(inc);
		return -1;
	}
	config_schema_check(inc, NULL, false, status, sizeof(status));
	if (loaded)
		loaded(ctx, shown, status);
	merge_keys(t, inc, how);
	config_tree_free(inc);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files (symlinks followed), in name order. */
static int include_dir(struct config_tree *t, const char *dir, enum merge how,
		       void (*loaded)(void *, const char *, const char *), void *ctx, char *err, size_t n)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t k = 0;
	int rc = 0;
	struct dirent *e;

	if (!d)
		return 0; /* Falco skips what it cannot list */
	while ((e = readdir(d))) {
		char *full, **grown;
		struct stat st;

		if (asprintf(&full, "%s/%s", dir, e->d_name) < 0)
			break;
		if (stat(full, &st) || !S_ISREG(st.st_mode) || !(grown = realloc(names, (k + 1) * sizeof(*names)))) {
			free(full);
			continue;
		}
		names = grown;
		names[k++] = full;
	}
	closedir(d);
	qsort(names, k, sizeof(*names), name_cmp);
	for (size_t i = 0; i < k; i++) {
		if (!rc)
			rc = include_file(t, names[i], names[i], how, loaded, ctx, err, n);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* One config_files entry: a path, or {path, strategy}. */
static int include_entry(struct config_tree *t, const char *main_path, const struct ynode *e, size_t idx,
			 void (*loaded)(void *, const char *, const char *), void *ctx, char *err, size_t n)
{
	static const char *const strategies[] = { "append", "override", "add-only" };
	const struct ynode *p = e->kind == Y_MAP ? ynode_get(e, "path") : e, *st = NULL;
	enum merge how = MERGE_APPEND;
	char full[4096];
	struct stat sb;
	size_t dl;

	if (!p || p->kind != Y_SCALAR || !*p->value) {
		snprintf(err, n, "config key 'config_files' item %zu (line %d) needs a 'path'", idx, e->line);
		return -1;
	}
	if (e->kind == Y_MAP && (st = ynode_get(e, "strategy"))) {
		for (how = 0; how < 3 && (st->kind != Y_SCALAR || strcmp(st->value, strategies[how])); how++)
			;
		if (how == 3) {
			snprintf(err, n, "config key 'config_files' item %zu (line %d): unknown strategy '%s' (append, "
					 "override or add-only)", idx, st->line, st->kind == Y_SCALAR ? st->value : "");
			return -1;
		}
	}
	/* a relative path is relative to the main config file's directory, as in Falco */
	dl = p->value[0] != '/' && main_path && strrchr(main_path, '/') ? (size_t)(strrchr(main_path, '/') - main_path) : 0;
	snprintf(full, sizeof(full), "%.*s%s%s", (int)dl, main_path ? main_path : "", dl ? "/" : "", p->value);
	if (stat(full, &sb))
		return 0; /* neither a file nor a directory: skipped, as Falco does */
	if (S_ISDIR(sb.st_mode))
		return include_dir(t, full, how, loaded, ctx, err, n);
	return S_ISREG(sb.st_mode) ? include_file(t, full, p->value, how, loaded, ctx, err, n) : 0;
}

int config_tree_include(struct config_tree *t, const char *main_path,
			void (*loaded)(void *ctx, const char *path, const char *status), void *ctx, char *err, size_t n)
{
	struct ynode *v = ynode_get(t->root, "config_files");
	struct ynode *list;
	int rc = 0;

	if (!v)
		return 0;
	/* the entries as the main file gives them: merging may not change them (no nested includes) */
	list = v->kind == Y_SEQ ? v : NULL;
	if (!list)
		return v->kind == Y_SCALAR && *v->value ? include_entry(t, main_path, v, 0, loaded, ctx, err, n) : 0;
	for (size_t i = 0; !rc && i < list->n; i++)
		rc = include_entry(t, main_path, list->items[i], i, loaded, ctx, err, n);
	return rc;
}

/* The value node of key in map, created (as kind) when missing. */
static struct ynode *map_child(struct ynode *map, const char *key, enum ynode_kind kind)
{
	struct ynode *v = ynode_get(map, key);

	if (v)
		return v;
	v = ynode_make(kind, kind == Y_SCALAR ? "" : NULL);
	ynode_push(map, ynode_make(Y_SCALAR, key));
	ynode_push(map, v);
	return v;
}

/*
 * The node an -o value stands for: Falco parses a value written {...} as a
 * YAML (JSON) object; anything else is a scalar. NULL with err on bad YAML.
 */
static struct ynode *override_value(const char *assignment, const char *v, char *err, size_t n)
{
	size_t len = strlen(v);
	struct ydocs docs = { 0 };
	struct ynode *node;
	char perr[256];
	int line, col;

	if (len < 2 || v[0] != '{' || v[len - 1] != '}') {
		char *x = expand_env(v);

		node = x ? ynode_make(Y_SCALAR, x) : NULL;
		free(x);
		if (!node)
			snprintf(err, n, "invalid -o '%s': out of memory", assignment);
		return node;
	}
	if (ydocs_parse(&docs, v, len, perr, sizeof(perr), &line, &col) || !docs.n || docs.docs[0]->kind != Y_MAP) {
		snprintf(err, n, "invalid -o '%s': the value is not a YAML or JSON object%s%s", assignment,
			 docs.n ? "" : ": ", docs.n ? "" : perr);
		ydocs_release(&docs);
		return NULL;
	}
	node = docs.docs[0];
	docs.docs[0] = NULL;
	ydocs_release(&docs);
	if (expand_tree(node)) {
		ynode_free(node);
		snprintf(err, n, "invalid -o '%s': out of memory", assignment);
		return NULL;
	}
	return node;
}

/* Make dst the value node v (its contents moved; v freed). */
static void node_replace(struct ynode *dst, struct ynode *v)
{
	for (size_t i = 0; i < dst->n; i++)
		ynode_free(dst->items[i]);
	free(dst->items);
	free(dst->value);
	dst->kind = v->kind;
	dst->value = v->value;
	dst->items = v->items;
	dst->n = v->n;
	dst->quoted = 0;
	v->value = NULL;
	v->items = NULL;
	v->n = 0;
	ynode_free(v);
}

int config_tree_set(struct config_tree *t, const char *assignment, char *err, size_t n)
{
	const char *eq = strchr(assignment, '=');
	char path[512], *seg, *save = NULL;
	struct ynode *cur = t->root;

	if (!eq || eq == assignment) {
		snprintf(err, n, "invalid -o '%s': expected key=value", assignment);
		return -1;
	}
	snprintf(path, sizeof(path), "%.*s", (int)(eq - assignment), assignment);
	for (seg = strtok_r(path, ".", &save); seg; seg = strtok_r(NULL, ".", &save)) {
		char *br = strchr(seg, '[');
		bool last = save == NULL || *save == 0;
		struct ynode *next;

		if (cur->kind != Y_MAP) {
			snprintf(err, n, "invalid -o '%s': '%s' is not inside a map", assignment, seg);
			return -1;
		}
		if (br) {
			long idx = -1;

			*br = 0;
			if (br[1] != ']')
				idx = strtol(br + 1, NULL, 10);
			next = map_child(cur, seg, Y_SEQ);
			if (next->kind == Y_SCALAR) { /* one string is a list of one: append after it */
				struct ynode *first = *next->value ? ynode_make(Y_SCALAR, next->value) : NULL;

				free(next->value);
				next->value = NULL;
				next->kind = Y_SEQ;
				if (first)
					ynode_push(next, first);
			}
			if (next->kind != Y_SEQ) {
				snprintf(err, n, "invalid -o '%s': '%s' is not a list", assignment, seg);
				return -1;
			}
			if (idx < 0 || (size_t)idx >= next->n) {
				if (idx > (long)next->n) {
					snprintf(err, n, "invalid -o '%s': index %ld past the end of '%s'", assignment, idx, seg);
					return -1;
				}
				ynode_push(next, ynode_make(last ? Y_SCALAR : Y_MAP, last ? "" : NULL));
				idx = next->n - 1;
			}
			if (last) {
				struct ynode *v = override_value(assignment, eq + 1, err, n);

				if (!v)
					return -1;
				node_replace(next->items[idx], v);
				return 0;
			}
			if (next->items[idx]->kind != Y_MAP) {
				ynode_free(next->items[idx]);
				next->items[idx] = ynode_make(Y_MAP, NULL);
			}
			cur = next->items[idx];
			continue;
		}
		next = map_child(cur, seg, last ? Y_SCALAR : Y_MAP);
		if (last) {
			struct ynode *v = override_value(assignment, eq + 1, err, n);

			if (!v)
				return -1;
			node_replace(next, v);
			return 0;
		}
		if (next->kind != Y_MAP) {
			next->kind = Y_MAP;
			free(next->value);
			next->value = NULL;
		}
		cur = next;
	}
	return 0;
}

/* ------------------------------------------------------------- reading */

/*
 * How a key's value is checked and stored. Each kind has one reader; a
 * reader gets the key's node (a scalar for a default) and the address of the
 * field in struct config.
 */
enum key_kind {
	K_BOOL,          /* bool: true or false */
	K_STR,           /* char *: any scalar */
	K_NUM,           /* double: a non-negative number */
	K_WHOLE,         /* double: a non-negative whole number (Falco's schema: integer) */
	K_PORT,          /* double: a TCP port, 0 to 65535 */
	K_FRACTION,      /* double: a number from 0 to 1 */
	K_POSITIVE,      /* unsigned: a whole number, at least 1 */
	K_IPADDR,        /* char *: an IPv4 or IPv6 address */
	K_COUNT,         /* unsigned: a non-negative integer; 0 keeps the value before */
	K_BYTES,         /* uint64_t: a non-negative integer; 0 keeps the value before */
	K_U64,           /* uint64_t: a non-negative integer, 0 included */
	K_PRESET,        /* uint64_t: a ring size preset 1 to 10 (1 MiB << (preset - 1)) */
	K_STRLIST,       /* char ** with its count at .aux: a list of strings, or one string */
	K_PRIORITY,      /* int: a rule priority name */
	K_LOG_LEVEL,     /* int: a syslog level name */
	K_MATCHING,      /* bool: "first" or "all" (true) */
	K_ENGINE,        /* char *: ebpf, modern_ebpf or replay */
	K_DROP_ACTIONS,  /* unsigned: a list of DROP_ACTION_* names ("ignore" alone) */
	K_APPEND_OUTPUT, /* append_output list */
	K_RULES_SELECT,  /* rules: enable/disable list */
	K_KIND_COUNT,
};

struct key {
	const char *path;     /* dotted: "file_output.filename" */
	enum key_kind kind;
	size_t off, aux;      /* field offset in struct config; K_STRLIST: offset of the count */
	const char *def;      /* default, read as if written in the file (lists: words); NULL: zero */
};

#define KEY(path, kind, field, def) { path, kind, offsetof(struct config, field), 0, def }
#define LIST(path, field, count) { path, K_STRLIST, offsetof(struct config, field), offsetof(struct config, count), NULL }

/*
 * Every key saker knows, in reading order (a later key of the same field
 * wins). With schema[] below they are every key a config may have.
 * Adding a key is one line here and its field in struct config.
 */
static const struct key keys[] = {
	LIST("rules_file", rules_files, nrules_files),   /* Falco's old name; both set is an error */
	LIST("rules_files", rules_files, nrules_files),
	KEY("json_output", K_BOOL, out.json_output, NULL),
	KEY("json_include_output_property", K_BOOL, out.json_include_output_property, "true"),
	KEY("json_include_tags_property", K_BOOL, out.json_include_tags_property, "true"),
	KEY("json_include_output_fields_property", K_BOOL, out.json_include_output_fields_property, "true"),
	KEY("time_format_iso_8601", K_BOOL, out.time_format_iso_8601, NULL),
	KEY("priority", K_PRIORITY, priority, "debug"),
	KEY("rule_matching", K_MATCHING, rule_matching_all, NULL),
	KEY("buffered_outputs", K_BOOL, out.buffered_outputs, NULL),
	KEY("outputs.rate", K_NUM, out.rate, NULL),
	KEY("outputs.max_burst", K_WHOLE, out.max_burst, "1000"),
	KEY("outputs_queue.capacity", K_U64, out.queue_capacity, "32768"),
	KEY("stdout_output.enabled", K_BOOL, out.stdout_enabled, "true"),
	KEY("file_output.enabled", K_BOOL, out.file_enabled, NULL),
	KEY("file_output.keep_alive", K_BOOL, out.file_keep_alive, NULL),
	KEY("file_output.filename", K_STR, out.file_filename, NULL),
	KEY("program_output.enabled", K_BOOL, out.program_enabled, NULL),
	KEY("program_output.keep_alive", K_BOOL, out.program_keep_alive, NULL),
	KEY("program_output.program", K_STR, out.program, NULL),
	KEY("syslog_output.enabled", K_BOOL, out.syslog_enabled, NULL),
	KEY("http_output.enabled", K_BOOL, out.http_enabled, NULL),
	KEY("http_output.insecure", K_BOOL, out.http_insecure, NULL),
	KEY("http_output.url", K_STR, out.http_url, NULL),
	KEY("http_output.user_agent", K_STR, out.http_user_agent, NULL),
	KEY("http_output.ca_cert", K_STR, out.http_ca_cert, NULL),
	KEY("http_output.ca_bundle", K_STR, out.http_ca_bundle, NULL),
	KEY("http_output.ca_path", K_STR, out.http_ca_path, NULL),
	KEY("log_level", K_LOG_LEVEL, log_level, "info"),
	KEY("log_stderr", K_BOOL, log_stderr, "true"),
	KEY("log_syslog", K_BOOL, log_syslog, NULL),
	KEY("syscall_event_drops.threshold", K_FRACTION, drops_threshold, "0.1"),
	KEY("syscall_event_drops.rate", K_NUM, drops_rate, "0.03333"),
	KEY("syscall_event_drops.max_burst", K_WHOLE, drops_max_burst, "1"),
	KEY("syscall_event_drops.actions", K_DROP_ACTIONS, drops_actions, "log alert"),
	KEY("engine.kind", K_ENGINE, engine_kind, "ebpf"),
	KEY("engine.replay.capture_file", K_STR, replay_file, NULL),
	KEY("engine.modern_ebpf.buf_size_preset", K_PRESET, ring_bytes, NULL),
	KEY("engine.ebpf.buf_size_preset", K_PRESET, ring_bytes, NULL),
	KEY("engine.ebpf.ring_bytes", K_BYTES, ring_bytes, "4194304"),
	KEY("engine.modern_ebpf.cpus_for_each_buffer", K_COUNT, cpus_per_ring, NULL),
	KEY("engine.ebpf.cpus_for_each_buffer", K_COUNT, cpus_per_ring, "1"),
	LIST("base_syscalls.custom_set", base_syscalls, nbase_syscalls),
	KEY("base_syscalls.all", K_BOOL, base_syscalls_all, NULL),
	KEY("append_output", K_APPEND_OUTPUT, append_output, NULL),
	KEY("rules", K_RULES_SELECT, rules_select, NULL),
	KEY("host_root", K_STR, host_root, NULL),
	KEY("webserver.enabled", K_BOOL, web_enabled, NULL),
	KEY("webserver.listen_port", K_PORT, web_port, "8765"),
	KEY("webserver.listen_address", K_IPADDR, web_address, "0.0.0.0"),
	KEY("webserver.k8s_healthz_endpoint", K_STR, web_healthz, "/healthz"),
	KEY("webserver.prometheus_metrics_enabled", K_BOOL, web_metrics, NULL),
	KEY("webserver.healthz_timeout_seconds", K_NUM, web_healthz_timeout, "10"),
	KEY("container_engines.docker.enabled", K_BOOL, docker.enabled, "true"),
	LIST("container_engines.docker.sockets", docker.sockets, docker.nsockets),
	KEY("container_engines.podman.enabled", K_BOOL, podman.enabled, "true"),
	LIST("container_engines.podman.sockets", podman.sockets, podman.nsockets),
	KEY("container_engines.cri.enabled", K_BOOL, cri.enabled, "true"),
	LIST("container_engines.cri.sockets", cri.sockets, cri.nsockets),
	KEY("container_engines.cri.disable_async", K_BOOL, cri_disable_async, NULL),
	KEY("container_engines.lookup_timeout_ms", K_NUM, container_timeout_ms, "1000"),
	KEY("container_engines.wait_ms", K_NUM, container_wait_ms, "300"),
	KEY("falco_libs.thread_table_size", K_U64, thread_table_size, "131072"),
	KEY("falco_libs.thread_table_auto_purging_interval_s", K_U64, purge_interval_s, "300"),
	KEY("falco_libs.thread_table_auto_purging_thread_timeout_s", K_U64, purge_timeout_s, "300"),
	KEY("name_resolution.enabled", K_BOOL, name_resolution, "true"),
	KEY("name_resolution.refresh_seconds", K_NUM, name_refresh_s, "60"),
	KEY("syscall_event_timeouts.max_consecutives", K_POSITIVE, timeouts_max_consecutives, "1000"),
};

/*
 * The rest of Falco's config schema (config_json_schema.h; falco.yaml of the
 * 0.32 to 0.4x era): keys saker accepts and does not use, each with the type
 * Falco's schema gives it. With keys[] this is the whole set of keys: a map
 * key that neither names, and a value of the wrong type here, get Falco's
 * schema-validation warning (Falco warns and goes on; so does saker).
 */
enum schema_type {
	SC_OPEN,         /* anything: a plugin's init_config, static_fields, an old block */
	SC_BOOL, SC_INT, SC_STR, SC_STRS,
	SC_MAP,          /* a map whose keys the table names ("path[]": the items of a list of maps) */
};

static const struct {
	const char *path;
	enum schema_type type;
} schema[] = {
	{ "config_files", SC_OPEN }, { "watch_config_files", SC_BOOL }, { "load_plugins", SC_STRS },
	{ "plugins[]", SC_MAP }, { "plugins[].name", SC_STR }, { "plugins[].library_path", SC_STR },
	{ "plugins[].init_config", SC_OPEN }, { "plugins[].open_params", SC_STR },
	{ "rules[]", SC_MAP }, { "rules[].enable.rule", SC_STR }, { "rules[].enable.tag", SC_STR },
	{ "rules[].disable.rule", SC_STR }, { "rules[].disable.tag", SC_STR },
	{ "append_output[]", SC_MAP }, { "append_output[].match.source", SC_STR },
	{ "append_output[].match.tags", SC_STRS }, { "append_output[].match.rule", SC_STR },
	{ "append_output[].extra_output", SC_STR }, { "append_output[].extra_fields", SC_OPEN },
	{ "json_include_message_property", SC_BOOL }, { "buffer_format_base64", SC_BOOL },
	{ "static_fields", SC_OPEN }, { "plugins_hostinfo", SC_BOOL },
	{ "engine.kmod.buf_size_preset", SC_INT }, { "engine.kmod.drop_failed_exit", SC_BOOL },
	{ "engine.ebpf.probe", SC_STR }, { "engine.ebpf.drop_failed_exit", SC_BOOL },
	{ "engine.modern_ebpf.drop_failed_exit", SC_BOOL }, { "engine.gvisor.config", SC_STR },
	{ "engine.gvisor.root", SC_STR },
	{ "http_output.mtls", SC_BOOL }, { "http_output.client_cert", SC_STR }, { "http_output.client_key", SC_STR },
	{ "http_output.echo", SC_BOOL }, { "http_output.compress_uploads", SC_BOOL },
	{ "http_output.keep_alive", SC_BOOL }, { "http_output.max_consecutive_timeouts", SC_INT },
	{ "grpc_output.enabled", SC_BOOL }, { "grpc.enabled", SC_BOOL }, { "grpc.bind_address", SC_STR },
	{ "grpc.threadiness", SC_INT },
	{ "webserver.threadiness", SC_INT }, { "webserver.ssl_enabled", SC_BOOL },
	{ "webserver.ssl_certificate", SC_STR },
	{ "libs_logger.enabled", SC_BOOL }, { "libs_logger.severity", SC_STR }, { "output_timeout", SC_INT },
	{ "syscall_event_drops.simulate_drops", SC_BOOL },
	{ "metrics.enabled", SC_BOOL }, { "metrics.interval", SC_STR }, { "metrics.output_rule", SC_BOOL },
	{ "metrics.output_file", SC_STR }, { "metrics.rules_counters_enabled", SC_BOOL },
	{ "metrics.resource_utilization_enabled", SC_BOOL }, { "metrics.state_counters_enabled", SC_BOOL },
	{ "metrics.kernel_event_counters_enabled", SC_BOOL },
	{ "metrics.kernel_event_counters_per_cpu_enabled", SC_BOOL }, { "metrics.libbpf_stats_enabled", SC_BOOL },
	{ "metrics.plugins_metrics_enabled", SC_BOOL }, { "metrics.jemalloc_stats_enabled", SC_BOOL },
	{ "metrics.convert_memory_to_mb", SC_BOOL }, { "metrics.include_empty_values", SC_BOOL },
	{ "falco_libs.snaplen", SC_INT }, { "base_syscalls.repair", SC_BOOL },
	{ "capture.enabled", SC_BOOL }, { "capture.path_prefix", SC_STR }, { "capture.mode", SC_STR },
	{ "capture.default_duration", SC_INT },
	{ "container_engines.lxc.enabled", SC_BOOL }, { "container_engines.libvirt_lxc.enabled", SC_BOOL },
	{ "container_engines.bpm.enabled", SC_BOOL },
	/* keys of older falco.yaml files */
	{ "syscall_buf_size_preset", SC_INT }, { "syscall_drop_failed_exit", SC_BOOL }, { "modern_bpf", SC_OPEN },
	{ "metadata_download", SC_OPEN }, { "stats", SC_OPEN },
};

static const struct ynode *get_path(const struct ynode *root, const char *path)
{
	char buf[256], *seg, *save = NULL;
	const struct ynode *cur = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (seg = strtok_r(buf, ".", &save); seg && cur; seg = strtok_r(NULL, ".", &save))
		cur = ynode_get(cur, seg);
	return cur;
}

/* The value of a number scalar, or -1 when it is not a non-negative number. */
static double scalar_num(const struct ynode *v)
{
	char *end;
	double d = 0;

	if (v->kind != Y_SCALAR || !*v->value)
		return -1;
	d = strtod(v->value, &end);
	return *end || !isfinite(d) || d < 0 ? -1 : d;
}

/* A scalar's text, or NULL (with the error written) when the node is not a scalar. */
static const char *scalar(const struct key *k, const struct ynode *v, char *err, size_t n)
{
	if (v->kind == Y_SCALAR && v->value)
		return v->value;
	snprintf(err, n, "config key '%s' must be a string", k->path);
	return NULL;
}

/* The strings of a list, NULL-terminated (the caller frees them), or NULL with the error written. */
static char **string_list(const struct key *k, const struct ynode *v, size_t *count, char *err, size_t n)
{
	char **out;

	if (v->kind == Y_SCALAR) { /* as Falco's get_sequence: one string is a list of one ("" none) */
		out = calloc(2, sizeof(char *));
		*count = 0;
		if (out && *v->value && !(out[(*count)++] = strdup(v->value))) {
			free(out);
			out = NULL;
		}
		if (!out)
			snprintf(err, n, "out of memory reading '%s'", k->path);
		return out;
	}
	if (v->kind != Y_SEQ) {
		snprintf(err, n, "config key '%s' must be a list or a string, not a map", k->path);
		return NULL;
	}
	out = calloc(v->n + 1, sizeof(char *));
	*count = 0;
	for (size_t i = 0; out && i < v->n; i++) {
		if (v->items[i]->kind != Y_SCALAR) {
			snprintf(err, n, "items of config key '%s' must be strings", k->path);
			for (size_t j = 0; j < *count; j++)
				free(out[j]);
			free(out);
			return NULL;
		}
		out[(*count)++] = strdup(v->items[i]->value);
	}
	if (!out)
		snprintf(err, n, "out of memory reading '%s'", k->path);
	return out;
}

static void free_list(char **l, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(l[i]);
	free(l);
}

/* The index of a scalar among names, or -1 (with the error written). */
static int choose(const struct key *k, const struct ynode *v, const char *const *names, const char *what,
		  char *err, size_t n)
{
	const char *s = scalar(k, v, err, n);

	if (!s)
		return -1;
	for (int i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	snprintf(err, n, "config key '%s': unknown %s '%s'", k->path, what, s);
	return -1;
}

/* The value, or "" for a node that is not a scalar (for messages). */
static const char *shown(const struct ynode *v)
{
	return v->kind == Y_SCALAR && v->value ? v->value : "";
}

/* The error for a value of the wrong kind: the key, what it must be, and the value when it is a scalar. */
static int bad_value(const struct key *k, const struct ynode *v, const char *must, char *err, size_t n)
{
	if (v->kind == Y_SCALAR)
		snprintf(err, n, "config key '%s' must be %s, not '%s'", k->path, must, shown(v));
	else
		snprintf(err, n, "config key '%s' must be %s, not a %s", k->path, must, v->kind == Y_SEQ ? "list" : "map");
	return -1;
}

/* Booleans as yaml-cpp (Falco's parser) reads them: true/false, yes/no, on/off, y/n, in three cases. */
static int rd_bool(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N", NULL };

	for (int i = 0; v->kind == Y_SCALAR && v->value && yes[i]; i++) {
		if (!strcmp(v->value, yes[i]) || !strcmp(v->value, no[i])) {
			*(bool *)dst = !strcmp(v->value, yes[i]);
			return 0;
		}
	}
	return bad_value(k, v, "true or false", err, n);
}

static int rd_str(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	const char *s = scalar(k, v, err, n);
	char *copy = s ? strdup(s) : NULL;

	if (!copy)
		return -1;
	free(*(char **)dst);
	*(char **)dst = copy;
	return 0;
}

static int rd_num(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = scalar_num(v);

	if (d < 0)
		return bad_value(k, v, "a non-negative number", err, n);
	*(double *)dst = d;
	return 0;
}

static int rd_whole(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = scalar_num(v);

	if (d < 0 || d != floor(d))
		return bad_value(k, v, "a whole number", err, n);
	*(double *)dst = d;
	return 0;
}

static int rd_port(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = scalar_num(v);

	if (d < 0 || d > 65535 || d != floor(d))
		return bad_value(k, v, "a port number from 0 to 65535", err, n);
	*(double *)dst = d;
	return 0;
}

static int rd_fraction(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = scalar_num(v);

	if (d < 0 || d > 1)
		return bad_value(k, v, "a number in the range [0, 1]", err, n);
	*(double *)dst = d;
	return 0;
}

static int rd_positive(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = scalar_num(v);

	if (d < 1 || d > UINT_MAX || d != floor(d))
		return bad_value(k, v, "a whole number greater than 0", err, n);
	*(unsigned *)dst = (unsigned)d;
	return 0;
}

static int rd_ipaddr(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char addr[INET6_ADDRSTRLEN + 64], *pct;
	const char *s = shown(v);

	/* Falco's check: an IPv4 address, or an IPv6 one with an optional %zone; blanks around allowed */
	while (*s == ' ' || *s == '\t')
		s++;
	snprintf(addr, sizeof(addr), "%s", s);
	for (size_t l = strlen(addr); l && (addr[l - 1] == ' ' || addr[l - 1] == '\t'); l--)
		addr[l - 1] = 0;
	if ((pct = strchr(addr, '%')) && pct[1] && strchr(addr, ':'))
		*pct = 0;
	if (v->kind != Y_SCALAR || (inet_pton(AF_INET, addr, buf) != 1 && inet_pton(AF_INET6, addr, buf) != 1))
		return bad_value(k, v, "an IPv4 or IPv6 address", err, n);
	return rd_str(k, v, dst, err, n);
}

static int rd_count(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = 0;

	if (rd_whole(k, v, &d, err, n))
		return -1;
	if (d)
		*(unsigned *)dst = (unsigned)d;
	return 0;
}

static int rd_bytes(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = 0;

	if (rd_num(k, v, &d, err, n))
		return -1;
	if (d)
		*(uint64_t *)dst = (uint64_t)d;
	return 0;
}

static int rd_u64(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = 0;

	if (rd_num(k, v, &d, err, n))
		return -1;
	if (d != (double)(uint64_t)d)
		return bad_value(k, v, "a whole number", err, n);
	*(uint64_t *)dst = (uint64_t)d;
	return 0;
}

static int rd_preset(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	double d = scalar_num(v);

	if (d == 0) /* 0: the default size */
		return 0;
	if (d < 1 || d > 10 || d != (int)d)
		return bad_value(k, v, "1 to 10", err, n);
	*(uint64_t *)dst = (1ull << 20) << ((int)d - 1);
	return 0;
}

static int rd_strlist(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	size_t *count = (size_t *)((char *)dst - k->off + k->aux), nl;
	char **l = string_list(k, v, &nl, err, n);

	if (!l)
		return -1;
	free_list(*(char ***)dst, *count);
	*(char ***)dst = l;
	*count = nl;
	return 0;
}

static int rd_priority(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	const char *s = scalar(k, v, err, n);
	int p = s ? priority_parse(s) : -1;

	if (s && p < 0)
		snprintf(err, n, "config key '%s': unknown priority '%s'", k->path, s);
	if (p < 0)
		return -1;
	*(int *)dst = p;
	return 0;
}

static int rd_log_level(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	static const char *const levels[] = { "emergency", "alert", "critical", "error", "warning",
					      "notice", "info", "debug", NULL };
	int l = choose(k, v, levels, "level", err, n);

	if (l < 0)
		return -1;
	*(int *)dst = l;
	return 0;
}

static int rd_matching(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	const char *s = scalar(k, v, err, n);

	if (!s)
		return -1;
	if (strcmp(s, "first") && strcmp(s, "all")) {
		snprintf(err, n, "config key '%s' must be 'first' or 'all', not '%s'", k->path, s);
		return -1;
	}
	*(bool *)dst = !strcmp(s, "all");
	return 0;
}

static int rd_engine(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	const char *s = scalar(k, v, err, n);

	if (!s)
		return -1;
	if (strcmp(s, "ebpf") && strcmp(s, "modern_ebpf") && strcmp(s, "replay")) {
		snprintf(err, n, "config key '%s' must be 'ebpf', 'modern_ebpf' or 'replay', not '%s'", k->path, s);
		return -1;
	}
	return rd_str(k, v, dst, err, n);
}

static int rd_drop_actions(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	static const char *const names[] = { "ignore", "log", "alert", "exit", NULL }; /* DROP_ACTION_* bit order */
	size_t na;
	char **acts = string_list(k, v, &na, err, n);
	unsigned set = 0;
	int rc = 0;

	if (!acts)
		return -1;
	for (size_t i = 0; i < na && !rc; i++) {
		int a = -1;

		for (int j = 0; names[j]; j++)
			if (!strcmp(acts[i], names[j]))
				a = j;
		if (a < 0) {
			snprintf(err, n, "config key '%s': unknown action '%s' (available: ignore, log, alert, exit)",
				 k->path, acts[i]);
			rc = -1;
		} else if ((set & DROP_ACTION_IGNORE) && a != 0) {
			snprintf(err, n, "config key '%s': action '%s' cannot be combined with 'ignore'", k->path, acts[i]);
			rc = -1;
		}
		set |= a >= 0 ? 1u << a : 0;
		if (a == 0 && (set & ~(unsigned)DROP_ACTION_IGNORE)) {
			snprintf(err, n, "config key '%s': action 'ignore' cannot be combined with other actions", k->path);
			rc = -1;
		}
	}
	free_list(acts, na);
	if (!rc)
		*(unsigned *)dst = set ? set : DROP_ACTION_IGNORE; /* an empty list: ignore, as Falco */
	return rc;
}

/* One append_output item: a string, or a map with extra_output and an optional match. */
static int append_item(const struct ynode *it, size_t i, struct extra_output *e, char *err, size_t n)
{
	const struct ynode *x = it->kind == Y_SCALAR ? it : ynode_get(it, "extra_output");
	const struct ynode *m = ynode_get(it, "match");
	const struct ynode *rule = m ? ynode_get(m, "rule") : NULL, *tags = m ? ynode_get(m, "tags") : NULL;

	if (!x || x->kind != Y_SCALAR || !x->value) {
		snprintf(err, n, "config key 'append_output' item %zu (line %d) needs 'extra_output' text", i, it->line);
		return -1;
	}
	e->format = strdup(x->value);
	if (rule && rule->kind == Y_SCALAR && rule->value)
		e->rule = strdup(rule->value);
	if (tags && tags->kind == Y_SEQ && tags->n && tags->items[0]->kind == Y_SCALAR && tags->items[0]->value)
		e->tag = strdup(tags->items[0]->value);
	return 0;
}

static int rd_append_output(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	struct config *c = (struct config *)((char *)dst - k->off);

	if (v->kind != Y_SEQ) {
		snprintf(err, n, "config key '%s' must be a list", k->path);
		return -1;
	}
	c->append_output = calloc(v->n + 1, sizeof(*c->append_output));
	if (!c->append_output) {
		snprintf(err, n, "out of memory reading '%s'", k->path);
		return -1;
	}
	for (size_t i = 0; i < v->n; i++) {
		/* an item with only extra_fields adds JSON output fields in Falco; saker has none to add */
		if (v->items[i]->kind == Y_MAP && ynode_get(v->items[i], "extra_fields") &&
		    !ynode_get(v->items[i], "extra_output"))
			continue;
		if (append_item(v->items[i], i, &c->append_output[c->nappend_output], err, n))
			return -1;
		c->nappend_output++;
	}
	return 0;
}

/* One rules item: {enable|disable: {rule: NAME, tag: TAG}}. */
static int select_item(const struct ynode *it, size_t i, struct rule_select *s, char *err, size_t n)
{
	const struct ynode *en = ynode_get(it, "enable"), *sel = en ? en : ynode_get(it, "disable");
	const struct ynode *rule = sel ? ynode_get(sel, "rule") : NULL, *tag = sel ? ynode_get(sel, "tag") : NULL;

	if (!sel || sel->kind != Y_MAP) {
		snprintf(err, n, "config key 'rules' item %zu needs 'enable' or 'disable' with 'rule' or 'tag'", i);
		return -1;
	}
	s->enable = en != NULL;
	if (rule)
		s->rule = strdup(rule->value ? rule->value : "");
	if (tag)
		s->tag = strdup(tag->value ? tag->value : "");
	return 0;
}

static int rd_rules_select(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n)
{
	struct config *c = (struct config *)((char *)dst - k->off);

	if (v->kind != Y_SEQ) {
		snprintf(err, n, "config key '%s' must be a list of enable/disable selections", k->path);
		return -1;
	}
	c->rules_select = calloc(v->n + 1, sizeof(*c->rules_select));
	if (!c->rules_select) {
		snprintf(err, n, "out of memory reading '%s'", k->path);
		return -1;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (select_item(v->items[i], i, &c->rules_select[c->nrules_select], err, n))
			return -1;
		c->nrules_select++;
	}
	return 0;
}

typedef int (*key_reader)(const struct key *k, const struct ynode *v, void *dst, char *err, size_t n);

static const key_reader readers[K_KIND_COUNT] = {
	[K_BOOL] = rd_bool, [K_STR] = rd_str, [K_NUM] = rd_num, [K_WHOLE] = rd_whole, [K_PORT] = rd_port,
	[K_FRACTION] = rd_fraction,
	[K_POSITIVE] = rd_positive, [K_IPADDR] = rd_ipaddr, [K_COUNT] = rd_count, [K_BYTES] = rd_bytes, [K_U64] = rd_u64,
	[K_PRESET] = rd_preset, [K_STRLIST] = rd_strlist, [K_PRIORITY] = rd_priority,
	[K_LOG_LEVEL] = rd_log_level, [K_MATCHING] = rd_matching, [K_ENGINE] = rd_engine,
	[K_DROP_ACTIONS] = rd_drop_actions, [K_APPEND_OUTPUT] = rd_append_output,
	[K_RULES_SELECT] = rd_rules_select,
};

/* A default as a node: a scalar, or for list kinds a list of its space-separated words. */
static struct ynode *default_node(const struct key *k)
{
	struct ynode *v;
	char buf[256], *w, *save = NULL;

	if (k->kind != K_STRLIST && k->kind != K_DROP_ACTIONS)
		return ynode_make(Y_SCALAR, k->def);
	v = ynode_make(Y_SEQ, NULL);
	snprintf(buf, sizeof(buf), "%s", k->def);
	for (w = strtok_r(buf, " ", &save); v && w; w = strtok_r(NULL, " ", &save))
		ynode_push(v, ynode_make(Y_SCALAR, w));
	return v;
}

static int apply_defaults(struct config *c, char *err, size_t n)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		struct ynode *v;
		int rc;

		if (!k->def)
			continue;
		v = default_node(k);
		rc = v ? readers[k->kind](k, v, (char *)c + k->off, err, n) : -1;
		ynode_free(v);
		if (rc)
			return -1;
	}
	return 0;
}

/* Is p (a dotted path, "[]" for list items) a key of keys[] or the schema, or a map above one? */
static bool path_is(const char *key, const char *p, bool *leaf)
{
	size_t l = strlen(p);

	if (strncmp(key, p, l))
		return false;
	if (!key[l])
		*leaf = true;
	return !key[l] || key[l] == '.' || key[l] == '[';
}

/* 1: p is a key saker reads (keys[]); 2: a schema key (*sch its entry); 3: a map above keys; 0: unknown. */
static int path_kind(const char *p, int *sch)
{
	bool leaf = false, above = false;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (path_is(keys[i].path, p, &leaf) && leaf)
			return 1;
		else if (path_is(keys[i].path, p, &leaf))
			above = true;
	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++) {
		leaf = false;
		if (path_is(schema[i].path, p, &leaf) && leaf && schema[i].type != SC_MAP) {
			*sch = (int)i;
			return 2;
		}
		above |= path_is(schema[i].path, p, &leaf);
	}
	return above ? 3 : 0;
}

/* Does a scalar read as yaml-cpp gives Falco's schema check its type (a quoted one is a string)? */
static bool scalar_is(const struct ynode *v, enum schema_type t)
{
	static const char *const bools[] = { "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
					     "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", NULL };
	char *end;

	if (v->kind != Y_SCALAR)
		return false;
	if (t == SC_STR)
		return true;
	if (v->quoted || !*v->value)
		return false;
	if (t == SC_INT) {
		(void)strtoll(v->value, &end, 0);
		return !*end;
	}
	for (int i = 0; bools[i]; i++)
		if (!strcmp(v->value, bools[i]))
			return true;
	return false;
}

static bool schema_type_ok(const struct ynode *v, enum schema_type t)
{
	if (t == SC_OPEN)
		return true;
	if (t != SC_STRS)
		return scalar_is(v, t);
	if (v->kind == Y_SCALAR) /* one string stands for a list of one, as Falco's get_sequence reads it */
		return true;
	for (size_t i = 0; v->kind == Y_SEQ && i < v->n; i++)
		if (v->items[i]->kind != Y_SCALAR)
			return false;
	return v->kind == Y_SEQ;
}

struct walk {
	void (*warn)(const char *);
	bool overrides_only; /* warn() only for keys -o set (line 0) */
	char *status;        /* the first failure, as Falco's status; "" none yet */
	size_t nstatus;
	char path[256];  /* dotted, "[]" for items */
	char where[300]; /* Falco's (valijson's) context: <root>[key][index] */
};

/* The key as written in a config: <root>[a][0][b] is a[0].b. */
static void shown_key(const char *where, char *out, size_t n)
{
	size_t o = 0;

	for (const char *p = where + strlen("<root>"); *p == '[' && o + 1 < n; p++) {
		const char *e = strchr(p, ']');
		int len = (int)(e - p - 1);

		if (p[1] >= '0' && p[1] <= '9')
			o += snprintf(out + o, n - o, "[%.*s]", len, p + 1);
		else
			o += snprintf(out + o, n - o, "%s%.*s", o ? "." : "", len, p + 1);
		p = e;
	}
	out[o < n ? o : n - 1] = 0;
}

/*
 * A schema failure: the file's status if it is the first (valijson's words: ctx is where the failure
 * is), and a warning with the key and its line (from -o: line 0).
 */
static void schema_warn(struct walk *w, const char *what, int line, const char *ctx, const char *why)
{
	char msg[1200], key[300], at[24] = "-o";

	if (!w->status[0])
		snprintf(w->status, w->nstatus, "failed for %s: %s", ctx, why);
	if (!w->warn || (w->overrides_only && line))
		return;
	shown_key(w->where, key, sizeof(key));
	if (line)
		snprintf(at, sizeof(at), "line %d", line);
	snprintf(msg, sizeof(msg), "%s '%s' (%s)%s: ignored (schema validation: failed for %s: %s)",
		 ctx == w->where ? "config key" : "unknown config key", key, at, what, ctx, why);
	w->warn(msg);
}

static void walk_node(struct walk *w, const struct ynode *v, int line);

/* Descend into item or key seg of the node at w's path: the path and context grow, then shrink back. */
static void walk_child(struct walk *w, const struct ynode *v, const char *seg, const char *ctx, int line)
{
	size_t pl = strlen(w->path), wl = strlen(w->where);

	snprintf(w->path + pl, sizeof(w->path) - pl, "%s%s", pl && strcmp(seg, "[]") ? "." : "", seg);
	snprintf(w->where + wl, sizeof(w->where) - wl, "[%s]", ctx);
	walk_node(w, v, line);
	w->path[pl] = 0;
	w->where[wl] = 0;
}

static void walk_node(struct walk *w, const struct ynode *v, int line)
{
	int sch = -1, kind = w->path[0] ? path_kind(w->path, &sch) : 3;
	char msg[400], ctx[300], idx[24];

	if (kind == 0) { /* valijson names the map and the key */
		const char *last = strrchr(w->where, '[');

		snprintf(ctx, sizeof(ctx), "%.*s", (int)(last - w->where), w->where);
		snprintf(msg, sizeof(msg), "Object contains a property that could not be validated using 'properties' "
					   "or 'additionalProperties' constraints: '%.*s'.",
			 (int)strlen(last) - 2, last + 1);
		schema_warn(w, "", line, ctx, msg);
		return;
	}
	if (kind == 2 && !schema_type_ok(v, schema[sch].type)) {
		snprintf(msg, sizeof(msg), " must be %s, not %s%s%s",
			 (const char *[]){ "", "true or false", "a whole number", "a string", "a list of strings",
					   "" }[schema[sch].type],
			 v->kind == Y_SCALAR ? "'" : v->kind == Y_SEQ ? "a list" : "a map",
			 v->kind == Y_SCALAR ? v->value : "", v->kind == Y_SCALAR ? "'" : "");
		schema_warn(w, msg, line, w->where, "Value type not permitted by 'type' constraint.");
	}
	if (kind != 3 && !(kind == 1 && v->kind == Y_SEQ))
		return; /* a leaf: keys[] readers check their own values */
	if (v->kind == Y_MAP) {
		for (size_t i = 0; i + 1 < v->n; i += 2)
			if (v->items[i]->value)
				walk_child(w, v->items[i + 1], v->items[i]->value, v->items[i]->value, v->items[i]->line);
		return;
	}
	for (size_t i = 0; v->kind == Y_SEQ && i < v->n; i++) {
		strcat(w->path, "[]");
		kind = path_kind(w->path, &sch);
		w->path[strlen(w->path) - 2] = 0;
		if (kind != 3)
			return; /* a list of scalars (rules_files, ...) */
		snprintf(idx, sizeof(idx), "%zu", i);
		walk_child(w, v->items[i], "[]", idx, v->items[i]->line);
	}
}

void config_schema_check(const struct config_tree *t, void (*warn)(const char *), bool overrides_only, char *status,
			 size_t n)
{
	struct walk w = { .warn = warn, .overrides_only = overrides_only, .status = status, .nstatus = n,
			  .where = "<root>" };

	status[0] = 0;
	walk_node(&w, t->root, t->root->line);
	if (!status[0])
		snprintf(status, n, "ok");
}

/* A string key that is empty or missing. */
static bool unset(const char *s)
{
	return !s || !*s;
}

/* Falco's checks across keys: one rules files key, each enabled output with its target. */
static int check_together(const struct ynode *root, const struct config *c, void (*warn)(const char *), char *err,
			  size_t n)
{
	static const struct { const char *enabled, *target; size_t en, tg; } outs[] = {
		{ "file_output.enabled", "file_output.filename", offsetof(struct config, out.file_enabled),
		  offsetof(struct config, out.file_filename) },
		{ "program_output.enabled", "program_output.program", offsetof(struct config, out.program_enabled),
		  offsetof(struct config, out.program) },
		{ "http_output.enabled", "http_output.url", offsetof(struct config, out.http_enabled),
		  offsetof(struct config, out.http_url) },
	};

	if (get_path(root, "rules_file") && get_path(root, "rules_files")) {
		snprintf(err, n, "config keys 'rules_files' and 'rules_file' are both set: keep one (rules_files)");
		return -1;
	}
	if (get_path(root, "rules_file") && warn)
		warn("using deprecated config key 'rules_file' (singular form); please use 'rules_files'");
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (*(const bool *)((const char *)c + outs[i].en) && unset(*(char *const *)((const char *)c + outs[i].tg))) {
			snprintf(err, n, "config key '%s' is true but '%s' is not set", outs[i].enabled, outs[i].target);
			return -1;
		}
	}
	return 0;
}

int config_read(const struct config_tree *t, struct config *c, void (*warn)(const char *), char *err, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->stats_interval_ms = 5000; /* the -s period; not a config key */
	if (apply_defaults(c, err, n))
		return -1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		const struct ynode *v;

		if (!(v = get_path(t->root, k->path)))
			continue;
		if (readers[k->kind](k, v, (char *)c + k->off, err, n))
			return -1;
	}
	return check_together(t->root, c, warn, err, n);
}

void config_release(struct config *c)
{
	for (size_t i = 0; i < c->nrules_files; i++)
		free(c->rules_files[i]);
	free(c->rules_files);
	output_opts_release(&c->out);
	free(c->engine_kind);
	free(c->replay_file);
	for (size_t i = 0; i < c->nbase_syscalls; i++)
		free(c->base_syscalls[i]);
	free(c->base_syscalls);
	for (size_t i = 0; i < c->nappend_output; i++) {
		free(c->append_output[i].format);
		free(c->append_output[i].rule);
		free(c->append_output[i].tag);
	}
	free(c->append_output);
	for (size_t i = 0; i < c->nrules_select; i++) {
		free(c->rules_select[i].rule);
		free(c->rules_select[i].tag);
	}
	free(c->rules_select);
	free(c->stats_file);
	free(c->host_root);
	free(c->web_address);
	free(c->web_healthz);
	{
		struct container_engine_cfg *es[] = { &c->docker, &c->podman, &c->cri };

		for (size_t e = 0; e < 3; e++) {
			for (size_t i = 0; i < es[e]->nsockets; i++)
				free(es[e]->sockets[i]);
			free(es[e]->sockets);
		}
	}
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------- the schema as JSON */

static cJSON *type_obj(const char *type)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", type);
	return o;
}

static cJSON *ranged(const char *type, double min, double max)
{
	cJSON *o = type_obj(type);

	cJSON_AddNumberToObject(o, "minimum", min);
	if (max >= min)
		cJSON_AddNumberToObject(o, "maximum", max);
	return o;
}

static cJSON *enum_of(const char *const *words)
{
	cJSON *o = type_obj("string"), *e = cJSON_CreateArray();

	for (; *words; words++)
		cJSON_AddItemToArray(e, cJSON_CreateString(*words));
	cJSON_AddItemToObject(o, "enum", e);
	return o;
}

/* A list of items, or one of them alone (as Falco's get_sequence reads one string). */
static cJSON *one_or_list(cJSON *item)
{
	cJSON *o = cJSON_CreateObject(), *any = cJSON_CreateArray(), *arr = type_obj("array");

	cJSON_AddItemToObject(arr, "items", cJSON_Duplicate(item, true));
	cJSON_AddItemToArray(any, item);
	cJSON_AddItemToArray(any, arr);
	cJSON_AddItemToObject(o, "anyOf", any);
	return o;
}

static cJSON *key_schema(enum key_kind k)
{
	static const char *const prios[] = { "emergency", "alert", "critical", "error", "warning", "notice",
					     "informational", "info", "debug", NULL };
	static const char *const levels[] = { "emergency", "alert", "critical", "error", "warning", "notice", "info",
					      "debug", NULL };
	static const char *const matching[] = { "first", "all", NULL }, *const engines[] = { "ebpf", "modern_ebpf",
											  "replay", NULL };
	static const char *const actions[] = { "ignore", "log", "alert", "exit", NULL };

	switch (k) {
	case K_BOOL: return type_obj("boolean");
	case K_STR: case K_IPADDR: return type_obj("string");
	case K_NUM: return ranged("number", 0, -1);
	case K_WHOLE: case K_COUNT: case K_BYTES: case K_U64: return ranged("integer", 0, -1);
	case K_PORT: return ranged("integer", 0, 65535);
	case K_FRACTION: return ranged("number", 0, 1);
	case K_POSITIVE: return ranged("integer", 1, -1);
	case K_PRESET: return ranged("integer", 0, 10);
	case K_STRLIST: return one_or_list(type_obj("string"));
	case K_PRIORITY: return enum_of(prios);
	case K_LOG_LEVEL: return enum_of(levels);
	case K_MATCHING: return enum_of(matching);
	case K_ENGINE: return enum_of(engines);
	case K_DROP_ACTIONS: return one_or_list(enum_of(actions));
	case K_APPEND_OUTPUT: case K_RULES_SELECT: case K_KIND_COUNT: break; /* lists of maps: schema[] has them */
	}
	return NULL;
}

static cJSON *sc_schema(enum schema_type t)
{
	switch (t) {
	case SC_BOOL: return type_obj("boolean");
	case SC_INT: return type_obj("integer");
	case SC_STR: return type_obj("string");
	case SC_STRS: return one_or_list(type_obj("string"));
	case SC_OPEN: case SC_MAP: break;
	}
	return cJSON_CreateObject();
}

/* The properties of obj, which becomes a closed object schema if it is not one yet. */
static cJSON *props_of(cJSON *obj)
{
	cJSON *props = cJSON_GetObjectItemCaseSensitive(obj, "properties");

	if (props)
		return props;
	cJSON_AddStringToObject(obj, "type", "object");
	cJSON_AddFalseToObject(obj, "additionalProperties");
	return cJSON_AddObjectToObject(obj, "properties");
}

/* The object schema at obj's properties[seg], made when missing; a "[]" segment is a list's items. */
static cJSON *sub_object(cJSON *obj, const char *seg, size_t len)
{
	bool list = len > 2 && !strncmp(seg + len - 2, "[]", 2);
	cJSON *props = props_of(obj), *o;
	char name[128];

	snprintf(name, sizeof(name), "%.*s", (int)(list ? len - 2 : len), seg);
	if (!(o = cJSON_GetObjectItemCaseSensitive(props, name)))
		o = cJSON_AddObjectToObject(props, name);
	if (!list)
		return o;
	if (!cJSON_GetObjectItemCaseSensitive(o, "items")) {
		cJSON_AddStringToObject(o, "type", "array");
		cJSON_AddObjectToObject(o, "items");
	}
	return cJSON_GetObjectItemCaseSensitive(o, "items");
}

/* Place leaf (owned) at the dotted path below root; the first of two for one path stays. */
static void place(cJSON *root, const char *path, cJSON *leaf)
{
	cJSON *cur = root, *props;
	const char *dot, *seg = path;
	char name[128];

	while ((dot = strchr(seg, '.'))) {
		cur = sub_object(cur, seg, (size_t)(dot - seg));
		seg = dot + 1;
	}
	if (strlen(seg) > 2 && !strcmp(seg + strlen(seg) - 2, "[]")) { /* a list of maps: named by its keys */
		sub_object(cur, seg, strlen(seg));
		cJSON_Delete(leaf);
		return;
	}
	props = props_of(cur);
	snprintf(name, sizeof(name), "%s", seg);
	if (cJSON_GetObjectItemCaseSensitive(props, name) || !leaf)
		cJSON_Delete(leaf);
	else
		cJSON_AddItemToObject(props, name, leaf);
}

cJSON *config_schema_json(void)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "$schema", "http://json-schema.org/draft-06/schema#");
	cJSON_AddStringToObject(root, "title", "saker configuration");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].kind != K_APPEND_OUTPUT && keys[i].kind != K_RULES_SELECT)
			place(root, keys[i].path, key_schema(keys[i].kind));
	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		place(root, schema[i].path, sc_schema(schema[i].type));
	return root;
}
