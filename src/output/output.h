/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alert delivery: a bounded queue from the event thread to one output
 * thread that writes to the sinks (stdout, file, program, syslog, HTTP).
 * A failing sink is counted, logged and retried with backoff; it never
 * blocks the event thread.
 */
#ifndef SAKER_OUTPUT_H
#define SAKER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/config.h"

enum sink_kind { SINK_STDOUT, SINK_FILE, SINK_PROGRAM, SINK_SYSLOG, SINK_HTTP, SINK_COUNT };

struct output_stats {
	uint64_t queued;
	uint64_t queue_overflow;   /* alerts dropped because the queue was full */
	uint64_t throttled;        /* alerts dropped by outputs.rate / max_burst */
	uint64_t sent[SINK_COUNT];
	uint64_t failed[SINK_COUNT];
};

struct outputs;

/* Logging callback for sink failures (message without newline). */
typedef void (*output_log_fn)(int level, const char *msg);

struct outputs *outputs_new(const struct config *c, bool unbuffered, output_log_fn log, char *err, size_t n);

/*
 * Queue one alert: `text` is the full text line (without newline), `json`
 * the JSON object (may be NULL when not needed), `priority` a syslog level.
 * Never blocks. Returns false when the alert was throttled or the queue full.
 */
bool outputs_emit(struct outputs *o, const char *text, const char *json, int syslog_level, uint64_t now_ns);

/* Stop: drain the queue, flush and close every sink, join the thread; final stats into *final. */
void outputs_close(struct outputs *o, struct output_stats *final);

void outputs_stats(struct outputs *o, struct output_stats *out);

const char *sink_name(enum sink_kind k);

#endif
