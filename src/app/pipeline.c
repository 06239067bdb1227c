// SPDX-License-Identifier: Apache-2.0
/*
 * The shared per-event path: decode, pair, state, consumer, removals.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/pipeline.h"
#include "scapfile/scapfile.h"

int pipeline_init(struct pipeline *p, struct state *st, pipeline_fn fn, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->state = st;
	p->fn = fn;
	p->ctx = ctx;
	p->enters = enter_cache_new();
	/* In a pod the node's name comes from the downward API (as FALCO_HOSTNAME). */
	if (getenv("SAKER_HOSTNAME") && *getenv("SAKER_HOSTNAME"))
		snprintf(p->hostname, sizeof(p->hostname), "%s", getenv("SAKER_HOSTNAME"));
	else if (gethostname(p->hostname, sizeof(p->hostname)))
		snprintf(p->hostname, sizeof(p->hostname), "unknown");
	return p->enters ? 0 : -1;
}

void pipeline_release(struct pipeline *p)
{
	enter_cache_free(p->enters);
	p->enters = NULL;
}

static void write_raw(struct pipeline *p, const void *data, size_t len, unsigned cpu)
{
	if (p->writer && scap_writer_write(p->writer, data, len, cpu) && !p->write_errors++)
		fprintf(stderr, "%s; events are no longer written to it\n", scap_writer_error(p->writer));
}

void pipeline_write_container(struct pipeline *p, const char *json, uint64_t ts)
{
	size_t jl = json ? strlen(json) + 1 : 0;
	uint8_t *ev;
	uint64_t tid = UINT64_MAX;
	uint32_t len = 26 + 2 + (uint32_t)jl, np = 1;
	uint16_t type = 272, pl = (uint16_t)jl;

	if (!p->writer || !jl || jl > UINT16_MAX || !(ev = malloc(len)))
		return;
	memcpy(ev, &ts, 8);
	memcpy(ev + 8, &tid, 8);
	memcpy(ev + 16, &len, 4);
	memcpy(ev + 20, &type, 2);
	memcpy(ev + 22, &np, 4);
	memcpy(ev + 26, &pl, 2);
	memcpy(ev + 28, json, jl);
	write_raw(p, ev, len, 0);
	free(ev);
}

struct write_ctx {
	struct pipeline *p;
	uint64_t ts;
};

static void write_one(void *ctx, const struct container_info *c)
{
	struct write_ctx *w = ctx;

	if (c->json)
		pipeline_write_container(w->p, c->json, w->ts);
}

static void write_containers(struct pipeline *p, uint64_t ts)
{
	struct write_ctx w = { p, ts };

	p->containers_written = true;
	state_foreach_container(p->state, write_one, &w);
}

int pipeline_event(void *arg, const void *data, size_t len, unsigned cpu)
{
	struct pipeline *p = arg;
	struct field_ctx fctx;
	struct event ev;
	char err[256];

	p->num++;
	if (event_decode(&ev, data, len, 0, err, sizeof(err))) {
		p->malformed++;
		write_raw(p, data, len, cpu);
		return 0;
	}
	ev.num = p->num;
	ev.cpu = cpu;
	if (!p->first_ts)
		p->first_ts = ev.ts;
	enter_cache_apply(p->enters, &ev);
	state_update(p->state, &ev);
	if (p->before_rules)
		p->before_rules(p->hook_ctx, p, &ev);
	if (p->writer && !p->containers_written)
		write_containers(p, ev.ts);
	write_raw(p, data, len, cpu);
	memset(&fctx, 0, sizeof(fctx));
	fctx.state = p->state;
	fctx.ev = &ev;
	fctx.buf = p->buf;
	fctx.hostname = p->hostname;
	fctx.first_ts = p->first_ts;
	if (p->fn)
		p->fn(p->ctx, &ev, &fctx);
	state_post_update(p->state, &ev);
	if (ev.info && ev.info->kind == SAKER_KIND_PROCEXIT)
		enter_cache_forget(p->enters, ev.tid);
	return 0;
}

int pipeline_replay(struct pipeline *p, const char *path, volatile int *stop, uint64_t *skipped, char *err, size_t n)
{
	struct scap_reader *r;
	const uint8_t *ev;
	size_t len;
	uint16_t cpu;
	int rc = 0;

	if (scap_reader_open(&r, path, p->state, err, n))
		return -1;
	while (!(stop && *stop) && (rc = scap_reader_next(r, &ev, &len, &cpu, err, n)) > 0)
		pipeline_event(p, ev, len, cpu);
	if (stop && *stop)
		rc = 0;
	if (skipped)
		*skipped = scap_reader_skipped(r);
	scap_reader_close(r);
	return rc < 0 ? -1 : 0;
}

void pipeline_print_writer(const struct pipeline *p, FILE *f)
{
	if (!p->writer)
		return;
	fprintf(f, "capture file: %llu events not written (no form sysdig 0.29 reads), %llu enter events added, "
		"%llu write errors, %llu files\n",
		(unsigned long long)scap_writer_skipped(p->writer), (unsigned long long)scap_writer_enters(p->writer),
		(unsigned long long)p->write_errors, (unsigned long long)scap_writer_files(p->writer));
}
