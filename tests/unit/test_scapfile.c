// SPDX-License-Identifier: Apache-2.0
/*
 * scap files: what the writer writes the reader reads back (header fields,
 * cpu, the parameters sysdig 0.29 keeps, the enter events the writer adds,
 * the process and fd lists), compressed or not; and a capture recorded by
 * sysdig's own driver (tests/fixtures/cat_write.scap, from the Falco
 * project's regression tests) replays with the events sysdig shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/pipeline.h"
#include "synth.h"

static const char *fixture(const char *name)
{
	static char path[512];
	const char *dir = getenv("SAKER_FIXTURES");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", name);
	return path;
}

/* A state with one process (thread 100) holding fd 3 on /tmp/sk_file. */
static struct state *state_with_proc(void)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct thread *t = state_add_thread(st, 100, 100, 1);

	snprintf(t->proc->comm, sizeof(t->proc->comm), "sk_proc");
	t->proc->exe = strdup("/bin/sk_proc");
	t->proc->exepath = strdup("/bin/sk_proc");
	t->proc->cwd = strdup("/srv");
	state_add_fd(st, t, 3, FDT_FILE, strdup("/tmp/sk_file"));
	return st;
}

static void decode_or_fail(struct event *ev, const uint8_t *p, size_t len)
{
	char err[128];

	assert_int_equal(event_decode(ev, p, len, 0, err, sizeof(err)), 0);
}

static void round_trip(bool compress)
{
	char path[] = "/tmp/saker-abi-unit-XXXXXX", err[256];
	struct scap_writer_opts wo = { .compress = compress };
	struct state *st = state_with_proc(), *back = state_new(&(struct state_opts){ .no_proc = true });
	struct scap_writer *w;
	struct scap_reader *r;
	struct synth open_ev, close_ev;
	uint32_t open_len, close_len;
	const uint8_t *p;
	struct event ev, orig;
	size_t len;
	uint16_t cpu;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	open_len = synth_openat(&open_ev, 1000, 100, 4, SAKER_AT_FDCWD, "/etc/hosts", SAKER_O_RDONLY);
	synth_begin(&close_ev, SAKER_EV_CLOSE_X, 100, 2000, saker_event_nparams(SAKER_EV_CLOSE_X));
	synth_u64(&close_ev, 0);
	synth_u64(&close_ev, 4);
	close_len = synth_end(&close_ev);

	assert_int_equal(scap_writer_open(&w, path, &wo, st, err, sizeof(err)), 0);
	assert_int_equal(scap_writer_write(w, open_ev.buf, open_len, 1), 0);
	assert_int_equal(scap_writer_write(w, close_ev.buf, close_len, 0), 0);
	assert_int_equal(scap_writer_close(w, err, sizeof(err)), 0);

	assert_int_equal(scap_reader_open(&r, path, back, err, sizeof(err)), 0);
	/* the process and fd lists seeded the reading side's state */
	assert_non_null(state_thread(back, 100));
	assert_string_equal(state_thread(back, 100)->proc->comm, "sk_proc");
	assert_string_equal(state_thread(back, 100)->proc->exepath, "/bin/sk_proc");
	assert_non_null(state_fd(back, state_thread(back, 100), 3));
	assert_string_equal(state_fd(back, state_thread(back, 100), 3)->name, "/tmp/sk_file");

	/* openat: header and cpu as written, the 6 parameters sysdig 0.29 knows */
	assert_int_equal(scap_reader_next(r, &p, &len, &cpu, err, sizeof(err)), 1);
	decode_or_fail(&ev, p, len);
	decode_or_fail(&orig, open_ev.buf, open_len);
	assert_int_equal(ev.type, SAKER_EV_OPENAT_2_X);
	assert_int_equal(ev.ts, 1000);
	assert_int_equal(ev.tid, 100);
	assert_int_equal(cpu, 1);
	assert_int_equal(ev.nparams, 6);
	for (uint32_t i = 0; i < ev.nparams; i++) {
		assert_int_equal(ev.plen[i], orig.plen[i]);
		assert_memory_equal(ev.param[i], orig.param[i], ev.plen[i]);
	}
	/* close: its enter event first (the old close exit has no fd), then the exit with res */
	assert_int_equal(scap_reader_next(r, &p, &len, &cpu, err, sizeof(err)), 1);
	decode_or_fail(&ev, p, len);
	assert_int_equal(ev.type, SAKER_EV_CLOSE_E);
	assert_int_equal(event_param_int(&ev, event_param_index(&ev, "fd")), 4);
	assert_int_equal(scap_reader_next(r, &p, &len, &cpu, err, sizeof(err)), 1);
	decode_or_fail(&ev, p, len);
	assert_int_equal(ev.type, SAKER_EV_CLOSE_X);
	assert_int_equal(ev.ts, 2000);
	assert_int_equal(ev.nparams, 1);
	assert_int_equal(ev.res, 0);
	assert_int_equal(scap_reader_next(r, &p, &len, &cpu, err, sizeof(err)), 0);
	scap_reader_close(r);
	state_free(st);
	state_free(back);
	unlink(path);
}

static void round_trip_plain(void **unused)
{
	(void)unused;
	round_trip(false);
}

static void round_trip_gzip(void **unused)
{
	(void)unused;
	round_trip(true);
}

/* Write `count` copies of ev to path, then cut the file's last 10 bytes. */
static void write_cut(const char *path, const struct synth *ev, uint32_t n, int count)
{
	struct scap_writer_opts wo = { .compress = false };
	struct scap_writer *w;
	struct stat sb;
	char err[256];

	assert_int_equal(scap_writer_open(&w, path, &wo, NULL, err, sizeof(err)), 0);
	for (int i = 0; i < count; i++)
		assert_int_equal(scap_writer_write(w, ev->buf, n, 0), 0);
	assert_int_equal(scap_writer_close(w, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(truncate(path, sb.st_size - 10), 0);
}

static void reader_names_the_offset_of_a_truncated_file(void **unused)
{
	char path[] = "/tmp/saker-abi-unit-XXXXXX", err[256];
	struct scap_reader *r;
	struct synth s;
	const uint8_t *p;
	size_t len;
	uint16_t cpu;
	uint32_t n = synth_openat(&s, 1, 1, 3, SAKER_AT_FDCWD, "/etc/hosts", SAKER_O_RDONLY);
	int fd = mkstemp(path);

	(void)unused;
	assert_true(fd >= 0);
	close(fd);
	/* the cut falls in the first event block: the open reads up to it */
	write_cut(path, &s, n, 1);
	assert_int_equal(scap_reader_open(&r, path, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "offset"));
	/* cut in the second event: the first is delivered, then the error */
	write_cut(path, &s, n, 2);
	assert_int_equal(scap_reader_open(&r, path, NULL, err, sizeof(err)), 0);
	assert_int_equal(scap_reader_next(r, &p, &len, &cpu, err, sizeof(err)), 1);
	assert_int_equal(scap_reader_next(r, &p, &len, &cpu, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "offset"));
	scap_reader_close(r);
	unlink(path);
}

struct seen {
	int events, exits;
	uint64_t open_num[8];
	char open_name[8][128];
	int opens;
	char procexit_comm[32], procexit_parent[32];
};

static void on_fixture_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	struct seen *s = ctx;
	struct thread *t = state_thread(fctx->state, ev->tid);

	s->events++;
	if (ev->info && ev->info->kind == SAKER_KIND_OPEN && ev->info->dir == 'X' && ev->res >= 0 && s->opens < 8) {
		struct fdinfo *f = state_fd(fctx->state, t, ev->res);

		s->open_num[s->opens] = ev->num;
		snprintf(s->open_name[s->opens++], 128, "%s", f ? f->name : "?");
	}
	if (ev->info && ev->info->kind == SAKER_KIND_PROCEXIT && t) {
		struct thread *parent = state_parent(fctx->state, t);

		snprintf(s->procexit_comm, 32, "%s", t->proc->comm);
		snprintf(s->procexit_parent, 32, "%s", parent ? parent->proc->comm : "?");
	}
}

/* What `sysdig -r cat_write.scap` shows: the four opens by number and path, bash's cat exits. */
static void sysdig_capture_replays(void **unused)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct seen s = { 0 };
	struct pipeline p;
	uint64_t skipped = 0;
	char err[256];

	(void)unused;
	assert_int_equal(pipeline_init(&p, st, on_fixture_event, &s), 0);
	assert_int_equal(pipeline_replay(&p, fixture("cat_write.scap"), NULL, &skipped, err, sizeof(err)), 0);
	assert_int_equal(s.events, 345);
	assert_int_equal(skipped, 0);
	assert_int_equal(p.malformed, 0);
	assert_int_equal(s.opens, 4);
	assert_int_equal(s.open_num[0], 141);
	assert_string_equal(s.open_name[0], "/etc/ld.so.cache");
	assert_int_equal(s.open_num[1], 151);
	assert_string_equal(s.open_name[1], "/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(s.open_num[2], 187);
	assert_string_equal(s.open_name[2], "/usr/lib/locale/locale-archive");
	assert_int_equal(s.open_num[3], 197);
	assert_string_equal(s.open_name[3], "/dev/null");
	assert_string_equal(s.procexit_comm, "cat");
	assert_string_equal(s.procexit_parent, "bash");
	pipeline_release(&p);
	state_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_plain),
		cmocka_unit_test(round_trip_gzip),
		cmocka_unit_test(reader_names_the_offset_of_a_truncated_file),
		cmocka_unit_test(sysdig_capture_replays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
