// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the host-root helper and the Prometheus text helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "state/hostroot.h"
#include "web/web.h"

static void test_hostroot_env_and_set(void **st)
{
	char buf[64];

	setenv("HOST_ROOT", "/host", 1);
	assert_string_equal(hostroot(), "/host"); /* first use reads $HOST_ROOT */
	assert_string_equal(hostroot_path(buf, "/proc/1/status"), "/host/proc/1/status");
	hostroot_set("/other//");
	assert_string_equal(hostroot_path(buf, "/etc/passwd"), "/other/etc/passwd");
	hostroot_set(NULL);
	assert_string_equal(hostroot_path(buf, "/etc/group"), "/etc/group");
	assert_int_equal(hostroot_self_pid(), getpid());
	hostroot_set("/nonexistent-ship");
	assert_int_equal(hostroot_self_pid(), getpid()); /* unreadable: our own view */
	hostroot_set("");
}

static void test_prom_escaping(void **st)
{
	char b[512];
	struct strbuf sb;

	strbuf_init(&sb, b, sizeof(b));
	prom_family(&sb, "saker_x_total", "counter", "things");
	prom_sample(&sb, "saker_x_total", 3, "rule", "a \"quoted\" \\ rule\nline", "priority", "Warning", NULL);
	prom_sample(&sb, "saker_y", 0.5, NULL);
	assert_string_equal(b, "# HELP saker_x_total things\n# TYPE saker_x_total counter\n"
			       "saker_x_total{rule=\"a \\\"quoted\\\" \\\\ rule\\nline\",priority=\"Warning\"} 3\n"
			       "saker_y 0.5\n");
}

static void test_bad_port(void **st)
{
	struct web *w = (struct web *)1;
	struct web_opts o = { .listen_address = "127.0.0.1", .listen_port = 0 };
	char err[256];

	assert_int_not_equal(web_start(&w, &o, err, sizeof(err)), 0);
	assert_null(w);
	assert_non_null(strstr(err, "listen_port 0"));
	o.listen_port = 8765;
	o.listen_address = "localhost"; /* names are not resolved: numeric only */
	assert_int_not_equal(web_start(&w, &o, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "listen_address 'localhost'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostroot_env_and_set),
		cmocka_unit_test(test_prom_escaping),
		cmocka_unit_test(test_bad_port),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
