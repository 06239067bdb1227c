// SPDX-License-Identifier: Apache-2.0
/*
 * The event ABI from one source: the generated header (types, parameter
 * counts, kinds) agrees with the generated C table for every type, and the
 * kinds state relies on land on the events they name. Then decoding (header,
 * lengths, values, malformed input) and printing as sysdig prints, names
 * from the shared flag lists included.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <bpf/libbpf.h>

#include "capture/syscalls.h"
#include "event/print.h"
#include "saker.skel.h"
#include "synth.h"

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

/* The TSV's live column and the kernel object agree: a sys_exit_<name> program for every probe, and back. */
static void every_probe_has_its_program(void **unused)
{
	struct saker_bpf *skel = saker_bpf__open();
	struct bpf_program *prog;
	int probes = 0, progs = 0;

	(void)unused;
	assert_non_null(skel);
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		char name[64];

		snprintf(name, sizeof(name), "sys_exit_%s", p->name);
		if (!bpf_object__find_program_by_name(skel->obj, name))
			fail_msg("the TSV marks '%s' live (sys_exit) but bpf/ has no program '%s'", p->name, name);
		assert_int_equal(event_info_get(p->event)->dir, 'X');
		assert_string_equal(event_info_get(p->event)->name, p->name);
		probes++;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		const char *name = bpf_program__name(prog);
		size_t l = strlen(name);

		if (strncmp(name, "sys_exit_", 9) || !strcmp(name, "sys_exit_dispatch") || !strcmp(name, "sys_exit_generic"))
			continue;
		/* a __cast twin (bpf_rdonly_cast) stands for its probe's program, which must exist */
		if (l > 6 && !strcmp(name + l - 6, "__cast")) {
			char base[64];

			snprintf(base, sizeof(base), "%.*s", (int)(l - 6), name);
			if (!bpf_object__find_program_by_name(skel->obj, base))
				fail_msg("program '%s' has no twin '%s'", name, base);
			continue;
		}
		if (!syscall_probe_find(name + 9))
			fail_msg("program '%s' has no live sys_exit row in src/event/event_table.tsv", name);
		progs++;
	}
	assert_int_equal(probes, progs);
	assert_true(probes >= 70);
	saker_bpf__destroy(skel);
}

/* Decode the synthetic event and render its parameters. */
static const char *render(struct synth *s, struct event *ev)
{
	static char out[2048];
	struct strbuf sb;
	char err[128];
	uint32_t len = synth_end(s);

	assert_int_equal(event_decode(ev, s->buf, len, 0, err, sizeof(err)), 0);
	strbuf_init(&sb, out, sizeof(out));
	event_format_params(ev, NULL, &sb);
	return out;
}

static void decode_header_and_params(void **unused)
{
	struct synth s;
	struct event ev;
	char err[128];
	uint32_t len;

	(void)unused;
	len = synth_openat(&s, 1700000000123456789ull, 4242, 3, SAKER_AT_FDCWD, "/etc/passwd",
			   SAKER_O_RDONLY | SAKER_O_CLOEXEC);
	assert_int_equal(event_decode(&ev, s.buf, len, 0, err, sizeof(err)), 0);
	assert_int_equal(ev.ts, 1700000000123456789ull);
	assert_int_equal(ev.tid, 4242);
	assert_int_equal(ev.len, len);
	assert_int_equal(ev.type, SAKER_EV_OPENAT_2_X);
	assert_int_equal(ev.nparams, 7);
	assert_non_null(ev.info);
	assert_string_equal(event_name(&ev), "openat");
	assert_true(ev.has_res);
	assert_int_equal(ev.res, 3);
	assert_int_equal(event_param_int(&ev, event_param_index(&ev, "dirfd")), -100);
	assert_string_equal(event_param_str(&ev, event_param_index(&ev, "name")), "/etc/passwd");
	assert_int_equal(ev.plen[2], strlen("/etc/passwd") + 1);
	assert_int_equal(event_param_type(&ev, 3), PT_FLAGS32);
	assert_int_equal(event_param_index(&ev, "nosuch"), -1);
}

static void decode_rejects_malformed(void **unused)
{
	struct synth s;
	struct event ev;
	char err[128];
	uint32_t len, bad;

	(void)unused;
	len = synth_openat(&s, 1, 1, 3, SAKER_AT_FDCWD, "/x", 1);
	/* shorter than the header */
	assert_int_equal(event_decode(&ev, s.buf, SAKER_HDR_LEN - 1, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "shorter than its header"));
	/* the header's length runs past the buffer */
	assert_int_equal(event_decode(&ev, s.buf, len - 1, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "does not fit"));
	/* more parameters declared than the event can hold */
	bad = 5000;
	memcpy(s.buf + SAKER_HDR_OFF(nparams), &bad, sizeof(bad));
	assert_int_equal(event_decode(&ev, s.buf, len, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "declares 5000 parameters"));
	/* a parameter length past the end */
	len = synth_openat(&s, 1, 1, 3, SAKER_AT_FDCWD, "/x", 1);
	bad = 0xffff;
	memcpy(s.buf + SAKER_HDR_LEN + 2 * 2, &bad, 2);
	assert_int_equal(event_decode(&ev, s.buf, len, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "parameter 3 of event type 307 overruns"));
}

static void decode_tolerates_fewer_and_more_params(void **unused)
{
	struct synth s;
	struct event ev;

	(void)unused;
	/* an old close exit with only res */
	synth_begin(&s, SAKER_EV_CLOSE_X, 7, 1, 1);
	synth_u64(&s, 0);
	assert_string_equal(render(&s, &ev), "res=0");
	assert_int_equal(ev.nparams, 1);
	assert_false(event_param_present(&ev, event_param_index(&ev, "fd")));
	/* a newer version with a trailing parameter we do not know */
	synth_begin(&s, SAKER_EV_CLOSE_X, 7, 1, 3);
	synth_u64(&s, 0);
	synth_u64(&s, 5);
	synth_u32(&s, 99);
	assert_string_equal(render(&s, &ev), "res=0 fd=5");
	assert_int_equal(ev.nparams, 3);
}

static void print_as_sysdig(void **unused)
{
	struct synth s;
	struct event ev;
	uint8_t tuple[13] = { SAKER_AF_INET, 10, 0, 0, 1, 0x39, 0x30, 127, 0, 0, 1, 80, 0 };

	(void)unused;
	synth_openat(&s, 1, 1, 3, SAKER_AT_FDCWD, "/etc/passwd", SAKER_O_RDONLY | SAKER_O_CLOEXEC);
	assert_string_equal(render(&s, &ev),
			    "fd=3 dirfd=-100(AT_FDCWD) name=/etc/passwd flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=803 ino=1234");
	synth_openat(&s, 1, 1, -2, 5, "x", SAKER_O_WRONLY | SAKER_O_CREAT | SAKER_O_TRUNC);
	assert_string_equal(render(&s, &ev), "fd=-2(ENOENT) dirfd=5 name=x flags=262(O_WRONLY|O_CREAT|O_TRUNC) mode=0 dev=803 ino=1234");
	/* an enumeration: one name, not bits */
	synth_begin(&s, SAKER_EV_FCNTL_X, 1, 1, saker_event_nparams(SAKER_EV_FCNTL_X));
	synth_u64(&s, 4);
	synth_u64(&s, 3);
	synth_u8(&s, SAKER_F_DUPFD_CLOEXEC);
	synth_u64(&s, 0);
	assert_string_equal(render(&s, &ev), "res=4 fd=3 cmd=26(F_DUPFD_CLOEXEC) arg=0");
	/* socket family names */
	synth_begin(&s, SAKER_EV_SOCKET_X, 1, 1, saker_event_nparams(SAKER_EV_SOCKET_X));
	synth_u64(&s, 3);
	synth_u32(&s, SAKER_AF_INET6);
	synth_u32(&s, 1);
	synth_u32(&s, 0);
	synth_u32(&s, 0);
	assert_string_equal(render(&s, &ev), "fd=3 domain=10(AF_INET6) type=1 proto=0 flags=0");
	/* clone flags and an ipv4 tuple */
	synth_begin(&s, SAKER_EV_UNSHARE_X, 1, 1, saker_event_nparams(SAKER_EV_UNSHARE_X));
	synth_u64(&s, 0);
	synth_u32(&s, SAKER_CLONE_NEWNS | SAKER_CLONE_NEWNET);
	assert_string_equal(render(&s, &ev), "res=0 flags=48(CLONE_NEWNET|CLONE_NEWNS)");
	synth_begin(&s, SAKER_EV_CONNECT_X, 1, 1, saker_event_nparams(SAKER_EV_CONNECT_X));
	synth_u64(&s, 0);
	synth_bytes(&s, (const char *)tuple, sizeof(tuple));
	synth_u64(&s, 3);
	synth_bytes(&s, "", 0);
	assert_string_equal(render(&s, &ev), "res=0 tuple=10.0.0.1:12345->127.0.0.1:80 fd=3 addr=");
}

/* A parameter the lookups find in the enter event (index EVENT_ENTER_BASE + j)
 * is read from the enter event, never as the exit's own slot j + 1000 (a
 * replay once crashed reading an exit's tuple that way). */
static void param_bytes_of_enter_events(void **state)
{
	struct event x = { .nparams = 1 }, e = { .nparams = 3 };
	uint32_t len = 99;
	uint8_t a = 1, b[3] = { 2, 3, 4 };

	(void)state;
	x.param[0] = &a;
	x.plen[0] = 1;
	e.param[2] = b;
	e.plen[2] = 3;
	assert_ptr_equal(event_param_bytes(&x, 0, &len), &a);
	assert_int_equal(len, 1);
	assert_null(event_param_bytes(&x, EVENT_ENTER_BASE + 2, &len));
	assert_int_equal(len, 0);
	x.enter = &e;
	assert_ptr_equal(event_param_bytes(&x, EVENT_ENTER_BASE + 2, &len), b);
	assert_int_equal(len, 3);
	assert_null(event_param_bytes(&x, EVENT_ENTER_BASE + 3, &len));
	assert_null(event_param_bytes(&x, 1, &len));
	assert_null(event_param_bytes(&x, -1, &len));
	assert_int_equal(len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_matches_table),
		cmocka_unit_test(named_types_have_their_numbers),
		cmocka_unit_test(kinds_name_what_state_does),
		cmocka_unit_test(every_probe_has_its_program),
		cmocka_unit_test(decode_header_and_params),
		cmocka_unit_test(decode_rejects_malformed),
		cmocka_unit_test(decode_tolerates_fewer_and_more_params),
		cmocka_unit_test(print_as_sysdig),
		cmocka_unit_test(param_bytes_of_enter_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
