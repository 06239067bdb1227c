/* SPDX-License-Identifier: Apache-2.0 */
/*
 * saker's counters as Prometheus text, rendered on the event thread once a
 * second and handed to the web server (which adds process_* at scrape time).
 */
#ifndef SAKER_METRICS_H
#define SAKER_METRICS_H

#include <stdint.h>

#include "capture/capture.h"
#include "output/output.h"
#include "rules/rules.h"
#include "state/state.h"
#include "web/web.h"

/* Where the values come from; every pointer may be NULL. */
struct metrics_src {
	const char *version;
	uint64_t events;               /* events through the pipeline */
	struct capture *cap;
	struct outputs *out;
	struct ruleset *rs;
	struct state *state;
	const uint64_t *alerts_by_prio; /* PRIO_COUNT entries */
	uint64_t drop_alerts;          /* syscall_event_drops alerts */
};

/* A reusable render buffer. */
struct metrics {
	char *buf;
	size_t cap;
};

/* Render every family into m's buffer and publish it to w. */
void metrics_publish(struct metrics *m, struct web *w, const struct metrics_src *src);

void metrics_release(struct metrics *m);

#endif
