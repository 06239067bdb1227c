// SPDX-License-Identifier: Apache-2.0
/*
 * Config tests: the defaults of the key table, a falco.yaml-style file read
 * into struct config (output keys into struct output_opts), -o overrides,
 * type errors that name the key, and the unknown-key warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/config.h"
#include "rules/rules.h"

static char warnings[4096];

static void warn(const char *msg)
{
	strncat(warnings, msg, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

/* Write yaml to a temporary file and load it. */
static struct config_tree *load_yaml(const char *yaml, char *err, size_t n)
{
	char path[] = "/tmp/saker-output-config-XXXXXX";
	int fd = mkstemp(path);
	struct config_tree *t;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	t = config_tree_load(path, err, n);
	unlink(path);
	return t;
}

/* Read yaml plus overrides; returns config_read's result, the error in err. */
static int read_config(const char *yaml, const char *const *overrides, struct config *c, char *err, size_t n)
{
	struct config_tree *t = yaml ? load_yaml(yaml, err, n) : config_tree_load(NULL, err, n);
	int rc;

	assert_non_null(t);
	for (; overrides && *overrides; overrides++)
		assert_int_equal(config_tree_set(t, *overrides, err, n), 0);
	warnings[0] = 0;
	rc = config_read(t, c, warn, err, n);
	config_tree_free(t);
	return rc;
}

static void test_defaults(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(read_config(NULL, NULL, &c, err, sizeof(err)), 0);
	assert_true(c.out.stdout_enabled);
	assert_false(c.out.json_output);
	assert_true(c.out.json_include_output_property);
	assert_true(c.out.json_include_tags_property);
	assert_true(c.out.json_include_output_fields_property);
	assert_false(c.out.buffered_outputs);
	assert_false(c.out.file_enabled);
	assert_null(c.out.file_filename);
	assert_true(c.out.rate == 0);
	assert_true(c.out.max_burst == 1000);
	assert_int_equal(c.out.queue_capacity, 32768);
	assert_int_equal(c.priority, PRIO_DEBUG);
	assert_false(c.rule_matching_all);
	assert_int_equal(c.log_level, 6);
	assert_true(c.log_stderr);
	assert_false(c.log_syslog);
	assert_true(c.drops_threshold == 0.1);
	assert_true(c.drops_rate == 0.03333);
	assert_true(c.drops_max_burst == 1);
	assert_int_equal(c.drops_actions, DROP_ACTION_LOG | DROP_ACTION_ALERT);
	assert_string_equal(c.engine_kind, "ebpf");
	assert_int_equal(c.ring_bytes, 4u << 20);
	assert_int_equal(c.cpus_per_ring, 1);
	assert_int_equal(c.nrules_files, 0);
	assert_int_equal(c.stats_interval_ms, 5000);
	assert_true(c.docker.enabled && c.podman.enabled && c.cri.enabled);
	assert_null(c.cri.sockets);
	assert_false(c.cri_disable_async);
	assert_true(c.container_timeout_ms == 1000 && c.container_wait_ms == 300);
	assert_string_equal(warnings, "");
	config_release(&c);
}

static const char full_yaml[] =
	"rules_files:\n  - /etc/a.yaml\n  - /etc/b.yaml\n"
	"json_output: true\n"
	"json_include_tags_property: false\n"
	"time_format_iso_8601: true\n"
	"priority: warning\n"
	"rule_matching: all\n"
	"buffered_outputs: true\n"
	"outputs:\n  rate: 2.5\n  max_burst: 7\n"
	"outputs_queue:\n  capacity: 0\n"
	"stdout_output:\n  enabled: false\n"
	"file_output:\n  enabled: true\n  keep_alive: true\n  filename: /tmp/events.txt\n"
	"program_output:\n  enabled: true\n  program: \"jq '{text: .output}'\"\n"
	"http_output:\n  enabled: true\n  url: http://127.0.0.1:2801/\n  user_agent: me\n"
	"log_level: debug\n"
	"log_syslog: true\n"
	"syscall_event_drops:\n  threshold: 0.5\n  actions:\n    - log\n    - exit\n  rate: 1\n  max_burst: 3\n"
	"engine:\n  kind: modern_ebpf\n  modern_ebpf:\n    buf_size_preset: 3\n    cpus_for_each_buffer: 2\n"
	"base_syscalls:\n  custom_set: [open, close]\n  all: true\n"
	"append_output:\n  - match:\n      rule: R1\n    extra_output: \"x=%proc.name\"\n  - \"y=%fd.name\"\n"
	"rules:\n  - disable:\n      rule: \"*\"\n  - enable:\n      tag: network\n"
	"host_root: /host\n"
	"webserver:\n  enabled: true\n"
	"container_engines:\n  docker:\n    enabled: false\n  cri:\n    sockets: [/run/a.sock, /run/b.sock]\n"
	"    disable_async: true\n  wait_ms: 50\n";

static void test_full_file(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(read_config(full_yaml, NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules_files, 2);
	assert_string_equal(c.rules_files[1], "/etc/b.yaml");
	assert_true(c.out.json_output);
	assert_false(c.out.json_include_tags_property);
	assert_true(c.out.json_include_output_property);
	assert_true(c.out.time_format_iso_8601);
	assert_int_equal(c.priority, PRIO_WARNING);
	assert_true(c.rule_matching_all);
	assert_true(c.out.buffered_outputs);
	assert_true(c.out.rate == 2.5 && c.out.max_burst == 7);
	assert_int_equal(c.out.queue_capacity, 0); /* Falco's meaning: unbounded */
	assert_false(c.out.stdout_enabled);
	assert_true(c.out.file_enabled && c.out.file_keep_alive);
	assert_string_equal(c.out.file_filename, "/tmp/events.txt");
	assert_string_equal(c.out.program, "jq '{text: .output}'");
	assert_true(c.out.http_enabled);
	assert_string_equal(c.out.http_url, "http://127.0.0.1:2801/");
	assert_string_equal(c.out.http_user_agent, "me");
	assert_int_equal(c.log_level, 7);
	assert_true(c.log_syslog);
	assert_true(c.drops_threshold == 0.5 && c.drops_rate == 1 && c.drops_max_burst == 3);
	assert_int_equal(c.drops_actions, DROP_ACTION_LOG | DROP_ACTION_EXIT);
	assert_string_equal(c.engine_kind, "modern_ebpf");
	assert_int_equal(c.ring_bytes, 4u << 20);
	assert_int_equal(c.cpus_per_ring, 2);
	assert_int_equal(c.nbase_syscalls, 2);
	assert_string_equal(c.base_syscalls[0], "open");
	assert_true(c.base_syscalls_all);
	assert_int_equal(c.nappend_output, 2);
	assert_string_equal(c.append_output[0].rule, "R1");
	assert_string_equal(c.append_output[0].format, "x=%proc.name");
	assert_null(c.append_output[1].rule);
	assert_string_equal(c.append_output[1].format, "y=%fd.name");
	assert_int_equal(c.nrules_select, 2);
	assert_false(c.rules_select[0].enable);
	assert_string_equal(c.rules_select[0].rule, "*");
	assert_true(c.rules_select[1].enable);
	assert_string_equal(c.rules_select[1].tag, "network");
	assert_string_equal(c.host_root, "/host");
	assert_false(c.docker.enabled);
	assert_true(c.podman.enabled);
	assert_int_equal(c.cri.nsockets, 2);
	assert_string_equal(c.cri.sockets[1], "/run/b.sock");
	assert_true(c.cri_disable_async);
	assert_true(c.container_wait_ms == 50 && c.container_timeout_ms == 1000);
	assert_string_equal(warnings, ""); /* webserver is a known key */
	config_release(&c);
}

static void test_overrides(void **state)
{
	static const char *const ov[] = {
		"file_output.filename=/var/log/x", "rules_files[]=/extra.yaml", "rules_files[0]=/first.yaml",
		"engine.ebpf.ring_bytes=65536", "json_output=true", "syscall_event_drops.actions[]=alert", NULL,
	};
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(read_config(full_yaml, ov, &c, err, sizeof(err)), 0);
	assert_string_equal(c.out.file_filename, "/var/log/x");
	assert_int_equal(c.nrules_files, 3);
	assert_string_equal(c.rules_files[0], "/first.yaml");
	assert_string_equal(c.rules_files[2], "/extra.yaml");
	assert_int_equal(c.ring_bytes, 65536); /* ring_bytes wins over the preset */
	assert_int_equal(c.drops_actions, DROP_ACTION_LOG | DROP_ACTION_EXIT | DROP_ACTION_ALERT);
	config_release(&c);
}

/* -o key={...} sets a whole map (Falco parses the value as YAML); booleans as yaml-cpp reads them. */
static void test_override_objects(void **state)
{
	static const char *const ov[] = {
		"file_output={\"enabled\": true, \"filename\": \"/tmp/o.txt\"}", "webserver={enabled: yes, listen_port: 9000}",
		"stdout_output.enabled=off", "rules_files[]=/a.yaml", NULL,
	};
	static const char *const bad[] = { "webserver={enabled: [}", NULL };
	struct config_tree *t = config_tree_load(NULL, NULL, 0);
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(read_config(NULL, ov, &c, err, sizeof(err)), 0);
	assert_true(c.out.file_enabled);
	assert_string_equal(c.out.file_filename, "/tmp/o.txt");
	assert_true(c.web_enabled && c.web_port == 9000);
	assert_false(c.out.stdout_enabled);
	assert_int_equal(c.nrules_files, 1);
	assert_string_equal(c.rules_files[0], "/a.yaml");
	config_release(&c);
	assert_non_null(t);
	assert_int_equal(config_tree_set(t, bad[0], err, sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid -o 'webserver={enabled: [}': the value is not a YAML or JSON object"));
	config_tree_free(t);
}

/* rules_file (Falco's old name) and rules_files: a list or one string; both set is an error, as in Falco. */
static void test_old_rules_file_name(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(read_config("rules_file:\n  - /old.yaml\n", NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules_files, 1);
	assert_string_equal(c.rules_files[0], "/old.yaml");
	assert_non_null(strstr(warnings, "deprecated config key 'rules_file'"));
	config_release(&c);
	assert_int_equal(read_config("rules_file: /one.yaml\n", NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules_files, 1);
	assert_string_equal(c.rules_files[0], "/one.yaml");
	config_release(&c);
	assert_int_equal(read_config("rules_files: /two.yaml\n", NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules_files, 1);
	assert_string_equal(c.rules_files[0], "/two.yaml");
	config_release(&c);
	assert_int_equal(read_config("rules_file: [/old.yaml]\nrules_files: [/new.yaml]\n", NULL, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "config keys 'rules_files' and 'rules_file' are both set: keep one (rules_files)");
	config_release(&c);
}

/* Each bad value fails with a message that names the key. */
static void test_errors_name_the_key(void **state)
{
	static const struct { const char *yaml, *msg; } cases[] = {
		{ "json_output: maybe\n", "config key 'json_output' must be true or false, not 'maybe'" },
		{ "stdout_output:\n  enabled: 1\n", "config key 'stdout_output.enabled' must be true or false, not '1'" },
		{ "priority: loud\n", "config key 'priority': unknown priority 'loud'" },
		{ "log_level: chatty\n", "config key 'log_level': unknown level 'chatty'" },
		{ "rule_matching: some\n", "config key 'rule_matching' must be 'first' or 'all', not 'some'" },
		{ "outputs:\n  rate: -1\n", "config key 'outputs.rate' must be a non-negative number, not '-1'" },
		{ "outputs:\n  max_burst: lots\n", "config key 'outputs.max_burst' must be a whole number, not 'lots'" },
		{ "outputs_queue:\n  capacity: 1.5\n", "config key 'outputs_queue.capacity' must be a whole number, not '1.5'" },
		{ "file_output:\n  filename: [a]\n", "config key 'file_output.filename' must be a string" },
		{ "rules_files:\n  a: b\n", "config key 'rules_files' must be a list or a string, not a map" },
		{ "rules_files: [[a]]\n", "items of config key 'rules_files' must be strings" },
		{ "engine:\n  kind: kmod\n", "config key 'engine.kind' must be 'ebpf', 'modern_ebpf' or 'replay', not 'kmod'" },
		{ "engine:\n  ebpf:\n    buf_size_preset: 11\n", "config key 'engine.ebpf.buf_size_preset' must be 1 to 10, not '11'" },
		{ "syscall_event_drops:\n  actions: [log, shout]\n",
		  "config key 'syscall_event_drops.actions': unknown action 'shout' (available: ignore, log, alert, exit)" },
		{ "syscall_event_drops:\n  actions: [ignore, log]\n",
		  "config key 'syscall_event_drops.actions': action 'log' cannot be combined with 'ignore'" },
		{ "syscall_event_drops:\n  actions: [alert, ignore]\n",
		  "config key 'syscall_event_drops.actions': action 'ignore' cannot be combined with other actions" },
		{ "syscall_event_drops:\n  threshold: 1.5\n",
		  "config key 'syscall_event_drops.threshold' must be a number in the range [0, 1], not '1.5'" },
		{ "syscall_event_drops:\n  threshold: -0.1\n",
		  "config key 'syscall_event_drops.threshold' must be a number in the range [0, 1], not '-0.1'" },
		{ "syscall_event_timeouts:\n  max_consecutives: 0\n",
		  "config key 'syscall_event_timeouts.max_consecutives' must be a whole number greater than 0, not '0'" },
		{ "webserver:\n  listen_address: localhost\n",
		  "config key 'webserver.listen_address' must be an IPv4 or IPv6 address, not 'localhost'" },
		{ "file_output:\n  enabled: true\n", "config key 'file_output.enabled' is true but 'file_output.filename' is not set" },
		{ "program_output:\n  enabled: true\n  program: \"\"\n",
		  "config key 'program_output.enabled' is true but 'program_output.program' is not set" },
		{ "http_output:\n  enabled: true\n", "config key 'http_output.enabled' is true but 'http_output.url' is not set" },
		{ "append_output:\n  - match:\n      rule: x\n", "config key 'append_output' item 0 (line 2) needs 'extra_output' text" },
		{ "rules:\n  - foo: bar\n", "config key 'rules' item 0 needs 'enable' or 'disable' with 'rule' or 'tag'" },
	};
	struct config c;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = 0;
		assert_int_equal(read_config(cases[i].yaml, NULL, &c, err, sizeof(err)), -1);
		assert_string_equal(err, cases[i].msg);
		config_release(&c);
	}
}

static void test_unknown_keys_warn(void **state)
{
	static const char *const over[] = { "nosuch.key=1", NULL };
	struct config_tree *t;
	struct config c;
	char err[512], status[600];

	(void)state;
	assert_int_equal(read_config("json_output: true\njson_outptu: true\nmetrics:\n  enabled: true\n", NULL, &c,
				     err, sizeof(err)), 0);
	assert_true(c.out.json_output);
	config_release(&c);
	t = load_yaml("json_output: true\njson_outptu: true\nmetrics:\n  enabled: true\nwatch_config_files: 3\n", err,
		      sizeof(err));
	assert_non_null(t);
	/* the file's status: the first failure, as Falco's "schema validation:" word; a warning per key */
	warnings[0] = 0;
	config_schema_check(t, warn, false, status, sizeof(status));
	assert_string_equal(status, "failed for <root>: Object contains a property that could not be validated using "
				    "'properties' or 'additionalProperties' constraints: 'json_outptu'.");
	assert_non_null(strstr(warnings, "unknown config key 'json_outptu' (line 2): ignored (schema validation: "
					 "failed for <root>: "));
	assert_non_null(strstr(warnings, "config key 'watch_config_files' (line 5) must be true or false, not '3'"));
	/* a key -o set: its warning alone with overrides_only */
	assert_int_equal(config_tree_set(t, over[0], err, sizeof(err)), 0);
	warnings[0] = 0;
	config_schema_check(t, warn, true, status, sizeof(status));
	assert_non_null(strstr(status, "'json_outptu'."));
	assert_non_null(strstr(warnings, "unknown config key 'nosuch' (-o): ignored (schema validation: failed for <root>: "));
	assert_null(strstr(warnings, "json_outptu"));
	config_tree_free(t);
	t = load_yaml("json_output: true\n", err, sizeof(err));
	config_schema_check(t, NULL, false, status, sizeof(status));
	assert_string_equal(status, "ok");
	config_tree_free(t);
}

static void test_bad_yaml(void **state)
{
	char err[512];

	(void)state;
	assert_null(load_yaml("a: [\n", err, sizeof(err)));
	assert_non_null(strstr(err, "invalid YAML"));
	assert_null(load_yaml("- a\n- b\n", err, sizeof(err)));
	assert_non_null(strstr(err, "a config file must be a map of keys"));
	assert_null(config_tree_load("/nonexistent/saker.yaml", err, sizeof(err)));
	assert_string_equal(err, "cannot open config file '/nonexistent/saker.yaml': No such file or directory");
}

static void test_bad_override(void **state)
{
	struct config_tree *t = config_tree_load(NULL, NULL, 0);
	char err[512];

	(void)state;
	assert_non_null(t);
	assert_int_equal(config_tree_set(t, "novalue", err, sizeof(err)), -1);
	assert_string_equal(err, "invalid -o 'novalue': expected key=value");
	assert_int_equal(config_tree_set(t, "rules_files[3]=x", err, sizeof(err)), -1);
	assert_string_equal(err, "invalid -o 'rules_files[3]=x': index 3 past the end of 'rules_files'");
	config_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_old_rules_file_name),
		cmocka_unit_test(test_override_objects),
		cmocka_unit_test(test_errors_name_the_key),
		cmocka_unit_test(test_unknown_keys_warn),
		cmocka_unit_test(test_bad_yaml),
		cmocka_unit_test(test_bad_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
