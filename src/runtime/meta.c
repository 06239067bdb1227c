// SPDX-License-Identifier: Apache-2.0
/*
 * Live container metadata on the event thread's side: requests for new
 * container ids, answers installed into state/ before rules run, and the
 * bounded wait that lets a container's first events (its entrypoint) carry
 * its name and image. The wait holds the event thread, in stream order, for
 * at most the bound once per new container; a container whose answer is late
 * gets <NA> until it lands, never a longer stall.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/meta.h"

#define MAX_SAMPLES 4096

struct container_meta {
	struct state *state;
	uint64_t samples[MAX_SAMPLES]; /* first event to metadata, ns */
	size_t nsamples;
	struct runtime *rt;
	uint64_t wait_ns;
	struct container_meta_stats st;
	void (*out)(void *ctx, const char *json);
	void *out_ctx;
};

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The 64-hex id in a cgroup path list, or "" */
static void full_id(const char *cg, size_t len, char out[72])
{
	size_t run = 0;

	out[0] = 0;
	for (size_t i = 0; cg && i < len; i++) {
		run = is_hex(cg[i]) ? run + 1 : 0;
		if (run == 64 && (i + 1 >= len || !is_hex(cg[i + 1]))) {
			memcpy(out, cg + i - 63, 64);
			out[64] = 0;
			return;
		}
	}
}

static int type_hint(const char *cg, size_t len)
{
	if (!cg)
		return -1;
	if (memmem(cg, len, "libpod", 6))
		return RT_PODMAN;
	if (memmem(cg, len, "crio-", 5))
		return RT_CRIO;
	if (memmem(cg, len, "kubepods", 8) || memmem(cg, len, "containerd", 10))
		return RT_CRI;
	if (memmem(cg, len, "docker", 6))
		return RT_DOCKER;
	return -1;
}

static void on_new(void *ctx, struct container_info *c, const char *cgroups, uint32_t len)
{
	struct container_meta *m = ctx;
	char id[72];

	full_id(cgroups, len, id);
	c->wait_deadline = runtime_now_ns() + m->wait_ns;
	runtime_request(m->rt, *id ? id : c->id, type_hint(cgroups, len));
}

struct container_meta *container_meta_new(struct state *s, const struct container_meta_opts *o)
{
	struct container_meta *m = calloc(1, sizeof(*m));

	if (!m || !(m->rt = runtime_new(&o->rt))) {
		free(m);
		return NULL;
	}
	m->state = s;
	m->wait_ns = (uint64_t)(o->sync ? o->rt.timeout_ms : o->wait_ms) * 1000000ull;
	state_on_new_container(s, on_new, m);
	return m;
}

void container_meta_free(struct container_meta *m)
{
	if (!m)
		return;
	state_on_new_container(m->state, NULL, NULL);
	runtime_free(m->rt);
	free(m);
}

static void install(void *ctx, const char *id, const char *json)
{
	struct container_meta *m = ctx;
	const struct container_info *ci;

	if (!json) {
		state_container_unknown(m->state, id);
		return;
	}
	ci = state_container(m->state, id);
	if (ci && ci->lookup == CONTAINER_PENDING && m->nsamples < MAX_SAMPLES)
		m->samples[m->nsamples++] = runtime_now_ns() - (ci->wait_deadline - m->wait_ns);
	ci = state_container_json(m->state, json);
	if (ci && m->out)
		m->out(m->out_ctx, ci->json);
}

static void take(struct container_meta *m, void (*out)(void *ctx, const char *json), void *ctx)
{
	m->out = out;
	m->out_ctx = ctx;
	runtime_take(m->rt, install, m);
}

/* The event's container, when its lookup is pending and its wait not over. */
static const struct container_info *waiting_for(struct container_meta *m, const struct event *ev)
{
	struct thread *t = state_thread(m->state, ev->tid);
	const struct container_info *ci;

	if (!t || !t->proc || !t->proc->container_id[0] || !strcmp(t->proc->container_id, "host"))
		return NULL;
	ci = state_container(m->state, t->proc->container_id);
	return ci && ci->lookup == CONTAINER_PENDING && !ci->waited ? ci : NULL;
}

void container_meta_before_rules(struct container_meta *m, const struct event *ev,
				 void (*out)(void *ctx, const char *json), void *ctx)
{
	const struct container_info *ci;
	uint64_t t0, dt;
	char id[16];

	if (!m)
		return;
	if (runtime_pending_results(m->rt))
		take(m, out, ctx);
	if (!state_containers_waiting(m->state) || !(ci = waiting_for(m, ev)))
		return;
	memcpy(id, ci->id, sizeof(id));
	t0 = runtime_now_ns();
	m->st.waits++;
	if (!runtime_wait(m->rt, id, ci->wait_deadline))
		m->st.wait_timeouts++;
	dt = runtime_now_ns() - t0;
	m->st.wait_ns_total += dt;
	if (dt > m->st.wait_ns_max)
		m->st.wait_ns_max = dt;
	take(m, out, ctx);
	state_container_waited(m->state, id);
}

size_t container_meta_sweep(struct container_meta *m)
{
	return m ? state_containers_sweep(m->state) : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void container_meta_stats(struct container_meta *m, struct container_meta_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!m)
		return;
	*out = m->st;
	runtime_stats(m->rt, &out->rt);
	out->known = m->nsamples;
	if (m->nsamples) {
		uint64_t *c = malloc(m->nsamples * sizeof(*c));

		if (c) {
			memcpy(c, m->samples, m->nsamples * sizeof(*c));
			qsort(c, m->nsamples, sizeof(*c), cmp_u64);
			out->first_to_known_median_ns = c[m->nsamples / 2];
			out->first_to_known_max_ns = c[m->nsamples - 1];
			free(c);
		}
	}
}
