// SPDX-License-Identifier: Apache-2.0
/*
 * Container metadata cost: the rules_bench event mix (forks, execs, opens,
 * closes, connects, exits) run by processes spread over 200 podman
 * containers, through decode + state + live container metadata hook + a
 * ruleset, on one core, side by side: the containers' metadata known (200
 * cached documents) against none known, and host processes for reference.
 * Usage: containers_bench RULES.yaml [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/pipeline.h"
#include "fields/resolver.h"
#include "rules/rules.h"
#include "runtime/meta.h"
#include "../tests/unit/synth.h"

#define NEV 60000
#define NCONT 200

struct mix {
	uint8_t *ev[NEV];
	uint32_t len[NEV];
	size_t n;
};

static struct mix host_mix, cont_mix;
static struct ruleset *RS;
static uint64_t matches;

static void keep(struct mix *m, struct synth *s)
{
	uint32_t l = synth_end(s);

	m->ev[m->n] = malloc(l);
	memcpy(m->ev[m->n], s->buf, l);
	m->len[m->n++] = l;
}

static void cont_id(unsigned i, char out[65])
{
	snprintf(out, 65, "%08x%056x", 0xc0de0000u + i, i);
}

/* A process in cgroup cg: fork, exec, a dozen opens and closes, a connect, exit. */
static void build(struct mix *m, bool containers)
{
	static const char *const files[] = { "/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6",
					     "/usr/lib/locale/locale-archive", "/etc/passwd", "/tmp/build/x.o",
					     "/home/user/src/main.c", "/proc/self/status", "/etc/nsswitch.conf" };
	static const char *const progs[] = { "/usr/bin/cc", "/usr/bin/make", "/usr/bin/git", "/usr/bin/python3",
					     "/bin/ls", "/usr/bin/curl" };
	uint64_t tid = 1000;

	while (m->n + 40 < NEV) {
		char cg[256], id[65];
		int cgl;
		struct synth s;

		cont_id((unsigned)(tid % NCONT), id);
		cgl = containers ? snprintf(cg, sizeof(cg), "cpuset=/libpod_parent/libpod-%s", id) + 1
				 : snprintf(cg, sizeof(cg), "cpuset=/") + 1;
		synth_clone(&s, m->n, 0, tid, tid, 100, "bash", 0, cg, cgl);
		keep(m, &s);
		synth_execve(&s, m->n, tid, progs[tid % 6], "-c\0x.c\0", 7, "/home/user", cg, cgl,
			     "HOME=/home/user\0PATH=/usr/bin\0", 30, 0, 1000);
		keep(m, &s);
		for (int i = 0; i < 12; i++) {
			synth_openat(&s, m->n, tid, 3 + (i % 4), -100, files[(tid + i) % 8], i % 5 ? 1 | (1 << 12) : 2 | 4);
			keep(m, &s);
			synth_begin(&s, 5, tid, m->n, 2); /* close exit: res, fd */
			synth_u64(&s, 0);
			synth_u64(&s, 3 + (i % 4));
			keep(m, &s);
		}
		synth_begin(&s, 186, tid, m->n, 5); /* procexit */
		synth_u64(&s, 0);
		synth_u64(&s, 0);
		synth_u8(&s, 0);
		synth_u8(&s, 0);
		synth_u64(&s, 1);
		keep(m, &s);
		tid++;
	}
}

static void on_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	(void)ctx;
	(void)ev;
	matches += ruleset_eval(RS, fctx, NULL, NULL);
}

static void hook(void *ctx, struct pipeline *p, struct event *ev)
{
	(void)p;
	container_meta_before_rules(ctx, ev, NULL, NULL);
}

static void known(struct state *st)
{
	for (unsigned i = 0; i < NCONT; i++) {
		char id[65], json[1024];

		cont_id(i, id);
		snprintf(json, sizeof(json),
			 "{\"container\":{\"id\":\"%.12s\",\"full_id\":\"%s\",\"type\":10,\"name\":\"web-%u\","
			 "\"image\":\"docker.io/library/nginx:1.25\",\"imagerepo\":\"docker.io/library/nginx\","
			 "\"imagetag\":\"1.25\",\"privileged\":false,\"labels\":{\"app\":\"web\",\"tier\":\"front\"},"
			 "\"Mounts\":[{\"Source\":\"/srv/%u\",\"Destination\":\"/data\",\"Mode\":\"\",\"RW\":true,"
			 "\"Propagation\":\"rprivate\"}]}}", id, id, i, i);
		state_container_json(st, json);
	}
}

/* ev/s of a mix; with_meta: the live metadata hook (its runtime has no socket: lookups fail fast). */
static double run(const struct mix *m, int rounds, bool preload)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct container_meta_opts mo = { .wait_ms = 300 };
	struct container_meta *meta;
	struct pipeline p;
	struct timespec a, b;

	runtime_opts_defaults(&mo.rt);
	for (size_t i = 0; i < mo.rt.nengines; i++)
		for (size_t j = 0; j < mo.rt.engines[i].nsockets; j++) {
			free(mo.rt.engines[i].sockets[j]);
			mo.rt.engines[i].sockets[j] = strdup("/nonexistent/saker-bench.sock");
		}
	meta = container_meta_new(st, &mo);
	pipeline_init(&p, st, on_event, NULL);
	p.before_rules = hook;
	p.hook_ctx = meta;
	state_add_thread(st, 100, 100, 1);
	if (preload)
		known(st);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < m->n; i++)
			pipeline_event(&p, m->ev[i], m->len[i], 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	pipeline_release(&p);
	container_meta_free(meta);
	state_free(st);
	for (size_t i = 0; i < mo.rt.nengines; i++) {
		for (size_t j = 0; j < mo.rt.engines[i].nsockets; j++)
			free(mo.rt.engines[i].sockets[j]);
		free(mo.rt.engines[i].sockets);
	}
	return (double)rounds * m->n / ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
}

#define REPS 9

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	double c[REPS];

	memcpy(c, v, sizeof(c));
	qsort(c, REPS, sizeof(c[0]), cmp_d);
	return c[REPS / 2];
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 3;

	if (argc < 2) {
		fprintf(stderr, "usage: containers_bench RULES.yaml [ROUNDS]\n");
		return 1;
	}
	build(&host_mix, false);
	build(&cont_mix, true);
	resolver_set_enabled(false); /* no DNS from a benchmark: fd.*ip.name names stay unresolved */
	RS = ruleset_new();
	if (ruleset_load_path(RS, argv[1]) || ruleset_compile(RS)) {
		fprintf(stderr, "containers_bench: cannot load '%s'\n", argv[1]);
		return 1;
	}
	/* alternate short runs and keep each configuration's median: the machine is shared */
	double none[REPS], known200[REPS], host[REPS];

	for (int k = 0; k < REPS; k++) {
		none[k] = run(&cont_mix, rounds, false);
		known200[k] = run(&cont_mix, rounds, true);
		host[k] = run(&host_mix, rounds, false);
	}
	printf("%s, %zu-event mix x %d, median of %d alternated runs:\n", argv[1], cont_mix.n, rounds, REPS);
	printf("  %d containers, none known:  %.0f ev/s\n", NCONT, median(none));
	printf("  %d containers, all known:   %.0f ev/s  (ratio known/none %.3f)\n", NCONT, median(known200),
	       median(known200) / median(none));
	printf("  host processes:             %.0f ev/s\n", median(host));
	ruleset_free(RS);
	return 0;
}
