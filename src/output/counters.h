/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The output counters, for readers on any thread (stats, -v, the metrics
 * endpoint): each is a relaxed atomic, written by the event thread and the
 * sink threads. Read them with atomic_load_explicit(&c->x, memory_order_relaxed);
 * outputs_counters() in output.h returns the live struct, valid until outputs_free.
 */
#ifndef SAKER_OUTPUT_COUNTERS_H
#define SAKER_OUTPUT_COUNTERS_H

#include <stdatomic.h>
#include <stdint.h>

enum sink_kind { SINK_STDOUT, SINK_FILE, SINK_PROGRAM, SINK_SYSLOG, SINK_HTTP, SINK_COUNT };

struct output_sink_counters {
	_Atomic uint64_t sent;        /* alerts written to the sink */
	_Atomic uint64_t failed;      /* alerts the sink never got: queue_full + undelivered */
	_Atomic uint64_t queue_full;  /* refused because this sink's queue was full */
	_Atomic uint64_t undelivered; /* still failing when saker stopped */
	_Atomic uint64_t errors;      /* failed write attempts (retried with backoff) */
	_Atomic uint64_t incidents;   /* times the sink went from working to failing */
	_Atomic uint64_t queued;      /* alerts waiting in the sink's queue now (a gauge) */
};

struct output_counters {
	_Atomic uint64_t alerts;      /* alerts offered to the outputs */
	_Atomic uint64_t throttled;   /* refused by outputs.rate / outputs.max_burst */
	_Atomic uint64_t lost;        /* alerts that missed at least one sink (queue full or undelivered) */
	_Atomic uint64_t reports;     /* loss reports logged (each also an internal alert) */
	struct output_sink_counters sink[SINK_COUNT];
};

#endif
