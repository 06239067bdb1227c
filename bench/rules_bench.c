// SPDX-License-Identifier: Apache-2.0
/*
 * Rules engine throughput: a synthetic event mix (execs, opens, closes,
 * connects, forks and exits of many processes) through decode + state, then
 * through decode + state + a ruleset, on one core, side by side in one run.
 * Also: compile time and memory of a ruleset.
 * Usage: rules_bench RULES.yaml [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "app/pipeline.h"
#include "fields/resolver.h"
#include "rules/rules.h"
#include "../tests/unit/synth.h"

#define NEV 60000

static uint8_t *events[NEV];
static uint32_t lens[NEV];
static size_t nev;
static struct ruleset *RS;
static uint64_t matches;

static void keep(struct synth *s)
{
	uint32_t l = synth_end(s);

	events[nev] = malloc(l);
	memcpy(events[nev], s->buf, l);
	lens[nev++] = l;
}

static void mk_clone(uint64_t tid, uint64_t ptid)
{
	struct synth s;

	synth_clone(&s, nev, 0, tid, tid, ptid, "bash", 0, "cpuset=/\0", 10);
	keep(&s);
}

static void mk_exec(uint64_t tid, const char *exe, const char *args, int argslen)
{
	struct synth s;

	synth_execve(&s, nev, tid, exe, args, argslen, "/home/user", "cpuset=/\0", 10,
		     "HOME=/home/user\0PATH=/usr/bin\0", 30, 0, 1000);
	keep(&s);
}

static void mk_open(uint64_t tid, int64_t fd, const char *name, uint32_t flags)
{
	struct synth s;

	synth_openat(&s, nev, tid, fd, -100, name, flags);
	keep(&s);
}

static void mk_close(uint64_t tid, int64_t fd)
{
	struct synth s;

	synth_begin(&s, 5, tid, nev, 2);
	synth_u64(&s, 0);
	synth_u64(&s, fd);
	keep(&s);
}

static void mk_connect(uint64_t tid, int64_t fd)
{
	uint8_t tuple[13] = { 2, 10, 0, 0, 5, 0x39, 0x30, 93, 184, 216, 34, 0xbb, 1 };
	struct synth s;

	synth_begin(&s, 19, tid, nev, 5);
	synth_u64(&s, fd);
	synth_u32(&s, 2);
	synth_u32(&s, 1);
	synth_u32(&s, 0);
	synth_u32(&s, 0);
	keep(&s);
	synth_begin(&s, 23, tid, nev, 4);
	synth_u64(&s, 0);
	synth_raw(&s, tuple, 13);
	synth_u64(&s, fd);
	synth_raw(&s, tuple + 6, 7);
	keep(&s);
}

static void mk_exit(uint64_t tid)
{
	struct synth s;

	synth_begin(&s, 186, tid, nev, 5);
	synth_u64(&s, 0);
	synth_u64(&s, 0);
	synth_u8(&s, 0);
	synth_u8(&s, 0);
	synth_u64(&s, 1);
	keep(&s);
}

/* A process: fork, exec, a dozen opens and closes, a connect, exit. */
static void build_mix(void)
{
	static const char *const files[] = { "/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6",
					     "/usr/lib/locale/locale-archive", "/etc/passwd", "/tmp/build/x.o",
					     "/home/user/src/main.c", "/proc/self/status", "/etc/nsswitch.conf" };
	static const char *const progs[] = { "/usr/bin/cc", "/usr/bin/make", "/usr/bin/git", "/usr/bin/python3",
					     "/bin/ls", "/usr/bin/curl" };
	uint64_t tid = 1000;

	while (nev + 40 < NEV) {
		const char *exe = progs[tid % 6];

		mk_clone(tid, 100);
		mk_exec(tid, exe, "-c\0x.c\0", 7);
		for (int i = 0; i < 12; i++) {
			mk_open(tid, 3 + (i % 4), files[(tid + i) % 8], i % 5 ? 1 | (1 << 12) : 2 | 4);
			mk_close(tid, 3 + (i % 4));
		}
		if (tid % 3 == 0)
			mk_connect(tid, 8);
		mk_exit(tid);
		tid++;
	}
}

static void on_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	(void)ctx;
	(void)ev;
	if (RS)
		matches += ruleset_eval(RS, fctx, NULL, NULL);
}

static double run(int rounds)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct pipeline p;
	struct timespec a, b;

	pipeline_init(&p, st, on_event, NULL);
	state_add_thread(st, 100, 100, 1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < nev; i++)
			pipeline_event(&p, events[i], lens[i], 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	pipeline_release(&p);
	state_free(st);
	return (double)rounds * nev / ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Memory per tracked thread: 100,000 live processes with 3 fds each. */
static void measure_memory(void)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true, .max_threads = 200000 });
	struct pipeline p;
	struct synth s;
	long before, after;

	pipeline_init(&p, st, NULL, NULL);
	before = maxrss_kb();
	for (uint64_t tid = 1000; tid < 101000; tid++) {
		uint32_t l = synth_clone(&s, tid, 0, tid, tid, 1, "worker", 0, "cpuset=/\0", 10);

		pipeline_event(&p, s.buf, l, 0);
		l = synth_execve(&s, tid, tid, "/usr/bin/worker", "--serve\0--port=8080\0", 20, "/srv/app",
				 "cpuset=/\0", 10, "HOME=/root\0", 11, 0, 1000);
		pipeline_event(&p, s.buf, l, 0);
		for (int fd = 3; fd < 6; fd++) {
			l = synth_openat(&s, tid, tid, fd, -100, "/var/lib/app/data.db", 1);
			pipeline_event(&p, s.buf, l, 0);
		}
	}
	after = maxrss_kb();
	printf("memory: 100000 processes with 3 fds each: %.0f bytes per thread (RSS growth, strings and fds included)\n",
	       (after - before) * 1024.0 / 100000);
	pipeline_release(&p);
	state_free(st);
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	struct timespec a, b;
	long rss0;
	double base, with;

	if (argc < 2) {
		fprintf(stderr, "usage: rules_bench RULES.yaml [ROUNDS]\n");
		return 1;
	}
	build_mix();
	rss0 = maxrss_kb();
	clock_gettime(CLOCK_MONOTONIC, &a);
	resolver_set_enabled(false); /* no DNS from a benchmark: fd.*ip.name names stay unresolved */
	RS = ruleset_new();
	if (ruleset_load_path(RS, argv[1]) || ruleset_compile(RS)) {
		fprintf(stderr, "rules_bench: cannot load '%s'\n", argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("ruleset %s: %zu rules, compiled in %.1f ms, max RSS grew by %ld KiB\n", argv[1],
	       ruleset_nrules(RS), ((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6), maxrss_kb() - rss0);
	{
		struct ruleset *keep = RS;

		for (int k = 0; k < 3; k++) { /* alternate to share the machine's noise */
			RS = NULL;
			base = run(rounds);
			RS = keep;
			with = run(rounds);
			printf("round %d: %zu-event mix x %d: state only %.0f ev/s, state + rules %.0f ev/s (%.2fx), matches %llu\n",
			       k + 1, nev, rounds, base, with, with / base, (unsigned long long)matches);
			matches = 0;
		}
	}
	ruleset_free(RS);
	measure_memory();
	return 0;
}
