// SPDX-License-Identifier: Apache-2.0
/*
 * Output tests: Falco's text line and JSON object for a rule alert and an
 * internal alert, with the json_include_* and time options, compared with
 * golden files in tests/fixtures/output/; and the file sink end to end
 * through the queue and the output thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fields/fields.h"
#include "output/output.h"

#define FIXTURES "tests/fixtures/output/"
#define TS 1700000000123456789ull /* 2023-11-14T22:13:20.123456789Z */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		fail_msg("cannot open fixture '%s'", path);
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* got + "\n" must equal the fixture's text. */
static void assert_golden(const char *got, const char *fixture)
{
	char *want = slurp(fixture);
	size_t n = strlen(want);

	assert_true(n > 0 && want[n - 1] == '\n');
	want[n - 1] = 0;
	if (strcmp(got, want))
		fail_msg("%s differs:\n got: %s\nwant: %s", fixture, got, want);
	free(want);
}

static struct output_opts default_opts(void)
{
	struct output_opts o = {
		.json_include_output_property = true, .json_include_tags_property = true,
		.json_include_output_fields_property = true, .max_burst = 1000,
	};

	return o;
}

static char tag1[] = "filesystem", tag2[] = "mitre_credential_access", tag3[] = "T1555";
static char *tags[] = { tag1, tag2, tag3 };

/* The fields of a rule alert: text, a number, a bool, <NA>, a list. */
static struct alert_fields *rule_fields(void)
{
	struct alert_fields *f = alert_fields_new();
	struct field_value name = { .type = FT_STRING, .count = 1, .s = { "cat" }, .len = { 3 } };
	struct field_value path = { .type = FT_STRING, .count = 1, .s = { "/etc/shadow \"x\"\n" }, .len = { 16 } };
	struct field_value pid = { .type = FT_INT, .count = 1, .n = { 4242 } };
	struct field_value port = { .type = FT_PORT, .count = 1, .n = { 443 } };
	struct field_value ok = { .type = FT_BOOL, .count = 1, .n = { 1 } };
	struct field_value na = { .type = FT_STRING, .count = 0 };
	struct field_value args = { .type = FT_STRING, .count = 2, .s = { "-n", "/etc/shadow" }, .len = { 2, 11 } };

	assert_non_null(f);
	alert_fields_add(f, "proc.name", &name);
	alert_fields_add(f, "fd.name", &path);
	alert_fields_add(f, "proc.pid", &pid);
	alert_fields_add(f, "fd.sport", &port);
	alert_fields_add(f, "fd.is_file", &ok);
	alert_fields_add(f, "container.name", &na);
	alert_fields_add(f, "proc.args", &args);
	alert_fields_add(f, "proc.name", &path); /* the first value of a name wins */
	return f;
}

static struct alert rule_alert(const struct alert_fields *f)
{
	struct alert a = {
		.rule = "Read sensitive file untrusted", .priority = "Warning", .syslog_level = LOG_WARNING,
		.source = "syscall", .tags = tags, .ntags = 3,
		.output = "Sensitive file opened for reading (user=root file=/etc/shadow program=cat)",
		.ts = TS, .hostname = "host-1", .fields = f,
	};

	return a;
}

static void test_rule_json(void **state)
{
	struct output_opts o = default_opts();
	struct alert_fields *f = rule_fields();
	struct alert a = rule_alert(f);
	char *j = alert_format_json(&o, &a);

	(void)state;
	assert_golden(j, FIXTURES "rule_alert.json");
	free(j);
	/* formatting twice gives the same object: the fields are not consumed */
	j = alert_format_json(&o, &a);
	assert_golden(j, FIXTURES "rule_alert.json");
	free(j);
	alert_fields_free(f);
}

/* A list field (libs EPF_IS_LIST, fd.types) is a JSON array in output_fields, "(a,b)" in text. */
static void test_list_field_json(void **state)
{
	struct output_opts o = default_opts();
	struct alert_fields *f = alert_fields_new();
	struct field_value types = { .type = FT_STRING, .count = 2, .list = true, .s = { "pipe", "ipv4" }, .len = { 4, 4 } };
	struct alert a;
	char text[64];
	char *j;

	(void)state;
	assert_non_null(f);
	alert_fields_add(f, "fd.types", &types);
	a = rule_alert(f);
	j = alert_format_json(&o, &a);
	assert_non_null(strstr(j, "\"output_fields\":{\"fd.types\":[\"pipe\",\"ipv4\"]}"));
	free(j);
	field_value_format(&types, text, sizeof(text));
	assert_string_equal(text, "(pipe,ipv4)");
	alert_fields_free(f);
}

static void test_json_without_optional_properties(void **state)
{
	struct output_opts o = default_opts();
	struct alert_fields *f = rule_fields();
	struct alert a = rule_alert(f);
	char *j;

	(void)state;
	o.json_include_output_property = false;
	o.json_include_tags_property = false;
	o.json_include_output_fields_property = false;
	j = alert_format_json(&o, &a);
	assert_golden(j, FIXTURES "rule_alert_minimal.json");
	free(j);
	alert_fields_free(f);
}

static void test_internal_json(void **state)
{
	static char internal[] = "internal";
	char *itags[] = { internal };
	struct output_opts o = default_opts();
	struct alert_fields *f = alert_fields_new();
	struct alert a = {
		.rule = "Falco internal: syscall event drop", .priority = "Debug", .syslog_level = LOG_DEBUG,
		.source = "internal", .tags = itags, .ntags = 1,
		.output = "Falco internal: syscall event drop. 17 system calls dropped in last second.",
		.ts = TS, .hostname = "host-1", .fields = f,
	};
	char *j;

	(void)state;
	alert_fields_add_number(f, "n_drops", 17);
	alert_fields_add_number(f, "n_drops_buffer", 17);
	alert_fields_add_number(f, "n_drops_too_large", 0);
	alert_fields_add_number(f, "n_evts", 120000);
	alert_fields_add_number(f, "ebpf_enabled", 1);
	j = alert_format_json(&o, &a);
	assert_golden(j, FIXTURES "internal_alert.json");
	free(j);
	alert_fields_free(f);
}

static void test_text(void **state)
{
	struct output_opts o = default_opts();
	struct alert a = rule_alert(NULL);
	char line[1024];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	alert_format_text(&o, &a, line, sizeof(line));
	assert_golden(line, FIXTURES "rule_alert.txt");
	o.time_format_iso_8601 = true;
	alert_format_text(&o, &a, line, sizeof(line));
	assert_golden(line, FIXTURES "rule_alert_iso.txt");
	/* the returned length is what the line needs, as snprintf's */
	assert_int_equal(alert_format_text(&o, &a, line, 10), strlen("2023-11-14T22:13:20.123456789+0000: Warning ") +
								 strlen(a.output));
	assert_int_equal(strlen(line), 9);
}

/* Alerts through the queue, the output thread and the file sink. */
static void test_file_sink(void **state)
{
	char path[] = "/tmp/saker-output-sink-XXXXXX";
	int fd = mkstemp(path);
	struct output_opts o = default_opts();
	struct alert_fields *f = rule_fields();
	struct alert a = rule_alert(f);
	struct output_stats st;
	struct outputs *out;
	char err[256], *got, *want_json, *want_text, *want;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	setenv("TZ", "UTC", 1);
	tzset();
	o.file_enabled = true;
	o.file_filename = path;
	out = outputs_new(&o, NULL, err, sizeof(err));
	assert_non_null(out);
	assert_true(outputs_emit(out, &a, 1));
	outputs_close(out);
	outputs_stats(out, &st);
	outputs_free(out);
	assert_int_equal(st.alerts, 1);
	assert_int_equal(st.sink[SINK_FILE].sent, 1);
	assert_int_equal(st.sink[SINK_FILE].failed, 0);
	o.json_output = true;
	out = outputs_new(&o, NULL, err, sizeof(err));
	assert_true(outputs_emit(out, &a, 1));
	outputs_close(out);
	outputs_free(out);
	got = slurp(path);
	want_text = slurp(FIXTURES "rule_alert.txt");
	want_json = slurp(FIXTURES "rule_alert.json");
	assert_true(asprintf(&want, "%s%s", want_text, want_json) > 0);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(want_text);
	free(want_json);
	alert_fields_free(f);
	unlink(path);
}

/* outputs.rate / max_burst: a burst of 3 passes, the 4th is throttled and counted. */
static void test_throttle_counted(void **state)
{
	struct output_opts o = default_opts();
	struct alert a = rule_alert(NULL);
	struct output_stats st;
	struct outputs *out;
	char err[256];
	int passed = 0;

	(void)state;
	o.stdout_enabled = false;
	o.rate = 1;
	o.max_burst = 3;
	out = outputs_new(&o, NULL, err, sizeof(err));
	assert_non_null(out);
	for (int i = 0; i < 4; i++)
		passed += outputs_emit(out, &a, 1000 + i);
	outputs_close(out);
	outputs_stats(out, &st);
	outputs_free(out);
	assert_int_equal(passed, 3);
	assert_int_equal(st.throttled, 1);
	assert_int_equal(st.alerts, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_json),
		cmocka_unit_test(test_list_field_json),
		cmocka_unit_test(test_json_without_optional_properties),
		cmocka_unit_test(test_internal_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_file_sink),
		cmocka_unit_test(test_throttle_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
