// SPDX-License-Identifier: Apache-2.0
/*
 * Configuration: a YAML tree of maps, lists and scalars (built from the
 * rules' YAML node parser), edited by -o overrides and read into struct
 * config. Every type error names its key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "rules/rules.h"
#include "rules/ynode.h"

struct config_tree {
	struct ynode *root;
};

struct config_tree *config_tree_load(const char *path, char *err, size_t n)
{
	struct config_tree *t = calloc(1, sizeof(*t));
	struct ydocs docs = { 0 };
	char *buf = NULL, perr[256];
	size_t len = 0;
	int line, col;
	FILE *f, *m;

	if (!t)
		return NULL;
	if (!path) {
		t->root = ynode_make(Y_MAP, NULL);
		return t;
	}
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, n, "cannot open config file '%s': %s", path, strerror(errno));
		free(t);
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
	if (ydocs_parse(&docs, buf ? buf : "", len, perr, sizeof(perr), &line, &col)) {
		snprintf(err, n, "%s:%d:%d: invalid YAML: %s", path, line, col, perr);
		free(buf);
		free(t);
		return NULL;
	}
	free(buf);
	if (docs.n == 0 || (docs.docs[0]->kind == Y_SCALAR && !*docs.docs[0]->value)) {
		t->root = ynode_make(Y_MAP, NULL);
	} else if (docs.docs[0]->kind != Y_MAP) {
		snprintf(err, n, "%s:%d:%d: a config file must be a map of keys", path, docs.docs[0]->line,
			 docs.docs[0]->col);
		ydocs_release(&docs);
		free(t);
		return NULL;
	} else {
		t->root = docs.docs[0];
		docs.docs[0] = NULL;
		docs.n = docs.n > 0 ? docs.n : 0;
		for (size_t i = 1; i < docs.n; i++)
			ynode_free(docs.docs[i]);
		free(docs.docs);
		return t;
	}
	ydocs_release(&docs);
	return t;
}

void config_tree_free(struct config_tree *t)
{
	if (!t)
		return;
	ynode_free(t->root);
	free(t);
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
				free(next->items[idx]->value);
				next->items[idx]->kind = Y_SCALAR;
				next->items[idx]->value = strdup(eq + 1);
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
			for (size_t i = 0; i < next->n; i++)
				ynode_free(next->items[i]);
			free(next->items);
			next->items = NULL;
			next->n = 0;
			free(next->value);
			next->kind = Y_SCALAR;
			next->value = strdup(eq + 1);
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

struct reader {
	char *err;
	size_t n;
	int failed;
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

static void rd_bool(struct reader *r, const struct ynode *root, const char *key, bool *out)
{
	const struct ynode *v = get_path(root, key);

	if (!v || r->failed)
		return;
	if (v->kind == Y_SCALAR && (!strcmp(v->value, "true") || !strcmp(v->value, "false"))) {
		*out = !strcmp(v->value, "true");
		return;
	}
	snprintf(r->err, r->n, "config key '%s' must be true or false", key);
	r->failed = 1;
}

static void rd_str(struct reader *r, const struct ynode *root, const char *key, char **out)
{
	const struct ynode *v = get_path(root, key);

	if (!v || r->failed)
		return;
	if (v->kind != Y_SCALAR) {
		snprintf(r->err, r->n, "config key '%s' must be a string", key);
		r->failed = 1;
		return;
	}
	free(*out);
	*out = strdup(v->value);
}

static void rd_num(struct reader *r, const struct ynode *root, const char *key, double *out)
{
	const struct ynode *v = get_path(root, key);
	char *end;
	double d;

	if (!v || r->failed)
		return;
	d = v->kind == Y_SCALAR ? strtod(v->value, &end) : 0;
	if (v->kind != Y_SCALAR || !*v->value || *end || d < 0) {
		snprintf(r->err, r->n, "config key '%s' must be a non-negative number", key);
		r->failed = 1;
		return;
	}
	*out = d;
}

static void rd_strlist(struct reader *r, const struct ynode *root, const char *key, char ***out, size_t *count)
{
	const struct ynode *v = get_path(root, key);

	if (!v || r->failed)
		return;
	if (v->kind != Y_SEQ) {
		snprintf(r->err, r->n, "config key '%s' must be a list", key);
		r->failed = 1;
		return;
	}
	for (size_t i = 0; i < *count; i++)
		free((*out)[i]);
	free(*out);
	*out = calloc(v->n + 1, sizeof(char *));
	*count = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != Y_SCALAR) {
			snprintf(r->err, r->n, "items of config key '%s' must be strings", key);
			r->failed = 1;
			return;
		}
		(*out)[(*count)++] = strdup(v->items[i]->value);
	}
}

static void rd_engine(struct reader *r, const struct ynode *root, const char *key, struct container_engine_cfg *e)
{
	char k[96];

	snprintf(k, sizeof(k), "%s.enabled", key);
	rd_bool(r, root, k, &e->enabled);
	snprintf(k, sizeof(k), "%s.sockets", key);
	rd_strlist(r, root, k, &e->sockets, &e->nsockets);
}

static const char *const known_keys[] = {
	"rules_files", "rules_file", "json_output", "json_include_output_property",
	"json_include_tags_property", "json_include_output_fields_property",
	"json_include_message_property", "time_format_iso_8601", "priority", "rule_matching",
	"buffered_outputs", "outputs", "outputs_queue", "stdout_output", "file_output", "program_output",
	"syslog_output", "http_output", "log_level", "log_stderr", "log_syslog", "syscall_event_drops",
	"engine", "base_syscalls", "append_output", "rules", "stats", "host_root", "watch_config_files",
	"load_plugins", "plugins", "webserver", "grpc", "grpc_output", "metrics", "libs_logger",
	"output_timeout", "syscall_event_timeouts", "falco_libs", "config_files", "container_engines",
	"syscall_buf_size_preset", "modern_bpf", "static_fields", NULL,
};

static void check_unknown(const struct ynode *root, void (*warn)(const char *))
{
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const char *k = root->items[i]->value;
		bool found = false;
		char msg[300];

		for (const char *const *kk = known_keys; *kk; kk++)
			if (k && !strcmp(k, *kk))
				found = true;
		if (!found && warn) {
			snprintf(msg, sizeof(msg), "unknown config key '%s' (line %d): ignored", k ? k : "?",
				 root->items[i]->line);
			warn(msg);
		}
	}
}

static uint64_t preset_bytes(double preset)
{
	int p = (int)preset;

	return p >= 1 && p <= 10 ? (1ull << 20) << (p - 1) : 0;
}

static void rd_append_output(struct reader *r, const struct ynode *root, struct config *c)
{
	const struct ynode *v = get_path(root, "append_output");

	if (!v || r->failed)
		return;
	if (v->kind != Y_SEQ) {
		snprintf(r->err, r->n, "config key 'append_output' must be a list");
		r->failed = 1;
		return;
	}
	c->append_output = calloc(v->n + 1, sizeof(*c->append_output));
	if (!c->append_output) {
		snprintf(r->err, r->n, "out of memory reading 'append_output'");
		r->failed = 1;
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i], *x = ynode_get(it, "extra_output");
		const struct ynode *m = ynode_get(it, "match");
		const struct ynode *rule = m ? ynode_get(m, "rule") : NULL, *tags = m ? ynode_get(m, "tags") : NULL;
		struct extra_output *e = &c->append_output[c->nappend_output];

		if (it->kind == Y_SCALAR)
			x = it;
		if (!x || x->kind != Y_SCALAR || !x->value) {
			snprintf(r->err, r->n, "config key 'append_output' item %zu (line %d) needs 'extra_output' text", i,
				 it->line);
			r->failed = 1;
			return;
		}
		e->format = strdup(x->value);
		if (rule && rule->kind == Y_SCALAR && rule->value)
			e->rule = strdup(rule->value);
		if (tags && tags->kind == Y_SEQ && tags->n && tags->items[0]->kind == Y_SCALAR && tags->items[0]->value)
			e->tag = strdup(tags->items[0]->value);
		c->nappend_output++;
	}
}

static void rd_rules_select(struct reader *r, const struct ynode *root, struct config *c)
{
	const struct ynode *v = get_path(root, "rules");

	if (!v || r->failed)
		return;
	if (v->kind != Y_SEQ) {
		snprintf(r->err, r->n, "config key 'rules' must be a list of enable/disable selections");
		r->failed = 1;
		return;
	}
	c->rules_select = calloc(v->n + 1, sizeof(*c->rules_select));
	if (!c->rules_select) {
		snprintf(r->err, r->n, "out of memory reading 'rules'");
		r->failed = 1;
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		const struct ynode *en = ynode_get(it, "enable"), *dis = ynode_get(it, "disable");
		const struct ynode *sel = en ? en : dis;
		struct rule_select *s = &c->rules_select[c->nrules_select];

		if (!sel || sel->kind != Y_MAP) {
			snprintf(r->err, r->n, "config key 'rules' item %zu needs 'enable' or 'disable' with 'rule' or 'tag'", i);
			r->failed = 1;
			return;
		}
		s->enable = en != NULL;
		if (ynode_get(sel, "rule"))
			s->rule = strdup(ynode_get(sel, "rule")->value ? ynode_get(sel, "rule")->value : "");
		if (ynode_get(sel, "tag"))
			s->tag = strdup(ynode_get(sel, "tag")->value ? ynode_get(sel, "tag")->value : "");
		c->nrules_select++;
	}
}

int config_read(const struct config_tree *t, struct config *c, void (*warn)(const char *), char *err, size_t n)
{
	struct reader r = { err, n, 0 };
	const struct ynode *root = t->root;
	char *s = NULL;
	double d;

	memset(c, 0, sizeof(*c));
	c->json_include_output_property = true;
	c->json_include_tags_property = true;
	c->json_include_output_fields_property = true;
	c->priority = PRIO_DEBUG;
	c->stdout_enabled = true;
	c->log_level = 6;
	c->log_stderr = true;
	c->drops_threshold = 0.1;
	c->drops_actions = DROP_ACTION_LOG | DROP_ACTION_ALERT;
	c->drops_rate = 0.03333;
	c->drops_max_burst = 1;
	c->engine_kind = strdup("ebpf");
	c->ring_bytes = 8u << 20;
	c->cpus_per_ring = 1;
	c->outputs_rate = 0;
	c->outputs_max_burst = 1000;
	c->stats_interval_ms = 5000;
	c->docker.enabled = c->podman.enabled = c->cri.enabled = true;
	c->container_timeout_ms = 1000;
	c->container_wait_ms = 300;
	check_unknown(root, warn);
	if (get_path(root, "rules_file") && !get_path(root, "rules_files"))
		rd_strlist(&r, root, "rules_file", &c->rules_files, &c->nrules_files);
	rd_strlist(&r, root, "rules_files", &c->rules_files, &c->nrules_files);
	rd_bool(&r, root, "json_output", &c->json_output);
	rd_bool(&r, root, "json_include_output_property", &c->json_include_output_property);
	rd_bool(&r, root, "json_include_tags_property", &c->json_include_tags_property);
	rd_bool(&r, root, "json_include_output_fields_property", &c->json_include_output_fields_property);
	rd_bool(&r, root, "time_format_iso_8601", &c->time_format_iso_8601);
	rd_str(&r, root, "priority", &s);
	if (s && !r.failed && (c->priority = priority_parse(s)) < 0) {
		snprintf(err, n, "config key 'priority': unknown priority '%s'", s);
		r.failed = 1;
	}
	free(s);
	s = NULL;
	rd_str(&r, root, "rule_matching", &s);
	if (s && !r.failed) {
		if (strcmp(s, "first") && strcmp(s, "all")) {
			snprintf(err, n, "config key 'rule_matching' must be 'first' or 'all', not '%s'", s);
			r.failed = 1;
		}
		c->rule_matching_all = !strcmp(s, "all");
	}
	free(s);
	s = NULL;
	rd_bool(&r, root, "buffered_outputs", &c->buffered_outputs);
	rd_num(&r, root, "outputs.rate", &c->outputs_rate);
	rd_num(&r, root, "outputs.max_burst", &c->outputs_max_burst);
	rd_bool(&r, root, "stdout_output.enabled", &c->stdout_enabled);
	rd_bool(&r, root, "file_output.enabled", &c->file_enabled);
	rd_bool(&r, root, "file_output.keep_alive", &c->file_keep_alive);
	rd_str(&r, root, "file_output.filename", &c->file_filename);
	rd_bool(&r, root, "program_output.enabled", &c->program_enabled);
	rd_bool(&r, root, "program_output.keep_alive", &c->program_keep_alive);
	rd_str(&r, root, "program_output.program", &c->program);
	rd_bool(&r, root, "syslog_output.enabled", &c->syslog_enabled);
	rd_bool(&r, root, "http_output.enabled", &c->http_enabled);
	rd_bool(&r, root, "http_output.insecure", &c->http_insecure);
	rd_str(&r, root, "http_output.url", &c->http_url);
	rd_str(&r, root, "http_output.user_agent", &c->http_user_agent);
	rd_str(&r, root, "http_output.ca_cert", &c->http_ca_cert);
	rd_str(&r, root, "http_output.ca_bundle", &c->http_ca_bundle);
	rd_str(&r, root, "http_output.ca_path", &c->http_ca_path);
	rd_str(&r, root, "log_level", &s);
	if (s && !r.failed) {
		static const char *const lv[] = { "emergency", "alert", "critical", "error", "warning",
						  "notice", "info", "debug" };
		int found = -1;

		for (int i = 0; i < 8; i++)
			if (!strcmp(s, lv[i]))
				found = i;
		if (found < 0) {
			snprintf(err, n, "config key 'log_level': unknown level '%s'", s);
			r.failed = 1;
		}
		c->log_level = found;
	}
	free(s);
	s = NULL;
	rd_bool(&r, root, "log_stderr", &c->log_stderr);
	rd_bool(&r, root, "log_syslog", &c->log_syslog);
	rd_num(&r, root, "syscall_event_drops.threshold", &c->drops_threshold);
	rd_num(&r, root, "syscall_event_drops.rate", &c->drops_rate);
	rd_num(&r, root, "syscall_event_drops.max_burst", &c->drops_max_burst);
	{
		char **acts = NULL;
		size_t na = 0;

		rd_strlist(&r, root, "syscall_event_drops.actions", &acts, &na);
		if (acts) {
			c->drops_actions = 0;
			for (size_t i = 0; i < na && !r.failed; i++) {
				if (!strcmp(acts[i], "ignore")) c->drops_actions |= DROP_ACTION_IGNORE;
				else if (!strcmp(acts[i], "log")) c->drops_actions |= DROP_ACTION_LOG;
				else if (!strcmp(acts[i], "alert")) c->drops_actions |= DROP_ACTION_ALERT;
				else if (!strcmp(acts[i], "exit")) c->drops_actions |= DROP_ACTION_EXIT;
				else {
					snprintf(err, n, "config key 'syscall_event_drops.actions': unknown action '%s'", acts[i]);
					r.failed = 1;
				}
			}
			for (size_t i = 0; i < na; i++)
				free(acts[i]);
			free(acts);
		}
	}
	rd_str(&r, root, "engine.kind", &c->engine_kind);
	if (!r.failed && strcmp(c->engine_kind, "ebpf") && strcmp(c->engine_kind, "modern_ebpf") &&
	    strcmp(c->engine_kind, "replay")) {
		snprintf(err, n, "config key 'engine.kind' must be 'ebpf', 'modern_ebpf' or 'replay', not '%s'", c->engine_kind);
		r.failed = 1;
	}
	rd_str(&r, root, "engine.replay.capture_file", &c->replay_file);
	d = 0;
	rd_num(&r, root, "engine.modern_ebpf.buf_size_preset", &d);
	rd_num(&r, root, "engine.ebpf.buf_size_preset", &d);
	if (d && !preset_bytes(d) && !r.failed) {
		snprintf(err, n, "config key 'engine.modern_ebpf.buf_size_preset' must be 1 to 10");
		r.failed = 1;
	}
	if (d)
		c->ring_bytes = preset_bytes(d);
	d = 0;
	rd_num(&r, root, "engine.ebpf.ring_bytes", &d);
	if (d)
		c->ring_bytes = (uint64_t)d;
	d = 0;
	rd_num(&r, root, "engine.modern_ebpf.cpus_for_each_buffer", &d);
	rd_num(&r, root, "engine.ebpf.cpus_for_each_buffer", &d);
	if (d)
		c->cpus_per_ring = (unsigned)d;
	rd_strlist(&r, root, "base_syscalls.custom_set", &c->base_syscalls, &c->nbase_syscalls);
	rd_bool(&r, root, "base_syscalls.all", &c->base_syscalls_all);
	rd_append_output(&r, root, c);
	rd_rules_select(&r, root, c);
	rd_str(&r, root, "host_root", &c->host_root);
	rd_engine(&r, root, "container_engines.docker", &c->docker);
	rd_engine(&r, root, "container_engines.podman", &c->podman);
	rd_engine(&r, root, "container_engines.cri", &c->cri);
	rd_bool(&r, root, "container_engines.cri.disable_async", &c->cri_disable_async);
	rd_num(&r, root, "container_engines.lookup_timeout_ms", &c->container_timeout_ms);
	rd_num(&r, root, "container_engines.wait_ms", &c->container_wait_ms);
	return r.failed ? -1 : 0;
}

void config_release(struct config *c)
{
	for (size_t i = 0; i < c->nrules_files; i++)
		free(c->rules_files[i]);
	free(c->rules_files);
	free(c->file_filename);
	free(c->program);
	free(c->http_url);
	free(c->http_user_agent);
	free(c->http_ca_cert);
	free(c->http_ca_bundle);
	free(c->http_ca_path);
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
