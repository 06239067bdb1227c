/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-event path shared by saker and sakerdump: decode, pair with the
 * enter event (old captures), update state, hand the event to a consumer
 * (rules, printer), then apply removals. Events come from live capture or
 * from a capture file.
 */
#ifndef SAKER_PIPELINE_H
#define SAKER_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event/event.h"
#include "event/pairing.h"
#include "fields/fields.h"
#include "state/state.h"
#include "scapfile/scapfile.h"

struct pipeline;

/* Called for every decoded event, after state update and before removals. */
typedef void (*pipeline_fn)(void *ctx, struct event *ev, struct field_ctx *fctx);

/* Called after state update and before fn: live container metadata hooks in here. */
typedef void (*pipeline_hook_fn)(void *ctx, struct pipeline *p, struct event *ev);

struct pipeline {
	struct state *state;
	struct enter_cache *enters;
	uint64_t num;
	uint64_t malformed;
	uint64_t first_ts;
	char hostname[256];
	char buf[FIELD_BUF_SIZE];
	pipeline_fn fn;
	void *ctx;
	struct scap_writer *writer;   /* -w: every event is also written here */
	uint64_t write_errors;
	pipeline_hook_fn before_rules;
	void *hook_ctx;
	bool containers_written;      /* the writer got the container table */
};

int pipeline_init(struct pipeline *p, struct state *st, pipeline_fn fn, void *ctx);

/* With -w: the writer's counts (events it could not write, enter events added, errors, files). */
void pipeline_print_writer(const struct pipeline *p, FILE *f);
void pipeline_release(struct pipeline *p);

/*
 * With -w: write a container JSON document as a container metaevent
 * (PPME_CONTAINER_JSON_E) at time ts, before the event being processed.
 */
void pipeline_write_container(struct pipeline *p, const char *json, uint64_t ts);

/* Process one raw event; the signature fits capture_event_fn. */
int pipeline_event(void *pipeline, const void *data, size_t len, unsigned cpu);

/*
 * Replay a capture file through the pipeline (seeding state from it).
 * Returns 0 at its end, -1 with err naming the offset on a corrupt file
 * (every event before it was delivered). *stop is polled between events.
 */
int pipeline_replay(struct pipeline *p, const char *path, volatile int *stop, uint64_t *skipped, char *err, size_t n);

#endif
