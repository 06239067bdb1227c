// SPDX-License-Identifier: Apache-2.0
/*
 * The event ABI from one source: the generated header (types, parameter
 * counts, kinds) agrees with the generated C table for every type, and the
 * kinds state relies on land on the events they name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "event/event_table.h"

static void header_matches_table(void **unused)
{
	int known = 0;

	(void)unused;
	for (unsigned t = 0; t < EVENT_TABLE_SIZE; t++) {
		const struct event_info *ei = event_info_get(t);

		if (!ei) {
			assert_int_equal(saker_event_nparams(t), 0);
			assert_int_equal(saker_event_kind(t), SAKER_KIND_NONE);
			continue;
		}
		known++;
		assert_int_equal(saker_event_nparams(t), ei->nparams);
		assert_int_equal(saker_event_kind(t), ei->kind);
	}
	assert_true(known > 400);
}

static void named_types_have_their_numbers(void **unused)
{
	(void)unused;
	/* numbers of the scap format, as sysdig writes them */
	assert_int_equal(SAKER_EV_PROCEXIT_E, 16);
	assert_int_equal(SAKER_EV_PROCEXIT_1_E, 186);
	assert_int_equal(SAKER_EV_CONTAINER_E, 228);
	assert_int_equal(SAKER_EV_CONTAINER_JSON_E, 272);
	assert_int_equal(SAKER_EV_CONTAINER_JSON_2_E, 324);
	assert_int_equal(SAKER_EV_OPENAT_2_X, 307);
	assert_int_equal(SAKER_EV_EXECVE_19_X, 293);
	assert_string_equal(event_info_get(SAKER_EV_OPENAT_2_X)->name, "openat");
	assert_int_equal(saker_event_nparams(SAKER_EV_OPENAT_2_X), 7);
	assert_int_equal(saker_event_nparams(SAKER_EV_CLONE_20_X), 21);
}

static void kinds_name_what_state_does(void **unused)
{
	static const struct { unsigned type; enum saker_event_kind kind; } want[] = {
		{SAKER_EV_OPEN_X, SAKER_KIND_OPEN}, {SAKER_EV_OPENAT2_X, SAKER_KIND_OPEN},
		{SAKER_EV_CREAT_X, SAKER_KIND_CREAT}, {SAKER_EV_CLONE3_X, SAKER_KIND_CLONE},
		{SAKER_EV_VFORK_20_X, SAKER_KIND_CLONE}, {SAKER_EV_EXECVEAT_X, SAKER_KIND_EXEC},
		{SAKER_EV_ACCEPT4_6_X, SAKER_KIND_ACCEPT}, {SAKER_EV_SOCKET_X, SAKER_KIND_SOCKET},
		{SAKER_EV_SENDTO_X, SAKER_KIND_NET}, {SAKER_EV_CLOSE_X, SAKER_KIND_CLOSE},
		{SAKER_EV_PROCEXIT_E, SAKER_KIND_PROCEXIT}, {SAKER_EV_PROCEXIT_1_E, SAKER_KIND_PROCEXIT},
		{SAKER_EV_CONTAINER_E, SAKER_KIND_CONTAINER}, {SAKER_EV_CONTAINER_JSON_2_E, SAKER_KIND_CONTAINER_JSON},
		{SAKER_EV_BPF_2_X, SAKER_KIND_BPF}, {SAKER_EV_USERFAULTFD_X, SAKER_KIND_USERFAULTFD},
		{SAKER_EV_READ_X, SAKER_KIND_NONE}, {SAKER_EV_MKDIR_2_X, SAKER_KIND_NONE},
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(saker_event_kind(want[i].type), want[i].kind);
		assert_int_equal(event_info_get(want[i].type)->kind, want[i].kind);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_matches_table),
		cmocka_unit_test(named_types_have_their_numbers),
		cmocka_unit_test(kinds_name_what_state_does),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
