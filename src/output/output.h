/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alerts out: Falco's text line and JSON object built from one struct alert,
 * then a bounded queue from the event thread to one output thread that
 * writes to the sinks (stdout, file, program, syslog, HTTP). A failing sink
 * is counted, logged and retried with backoff; it never blocks the event
 * thread. The options are this module's own (app/ fills them from config).
 */
#ifndef SAKER_OUTPUT_H
#define SAKER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/counters.h"

struct field_value;

/* What the formatter and the sinks read; strings are owned by whoever fills it. */
struct output_opts {
	bool json_output;
	bool json_include_output_property;
	bool json_include_tags_property;
	bool json_include_output_fields_property;
	bool time_format_iso_8601;
	bool buffered_outputs;
	double rate;                  /* outputs.rate: alerts per second, 0 = unlimited */
	double max_burst;             /* outputs.max_burst */
	bool stdout_enabled;
	bool file_enabled, file_keep_alive;
	char *file_filename;
	bool program_enabled, program_keep_alive;
	char *program;
	bool syslog_enabled;
	bool http_enabled, http_insecure;
	char *http_url, *http_user_agent, *http_ca_cert, *http_ca_bundle, *http_ca_path;
	uint64_t queue_capacity;      /* outputs_queue.capacity: alerts per sink queue, 0 = unbounded */
};

/* Copy with its own strings (0 or -ENOMEM); release frees them. */
int output_opts_copy(struct output_opts *dst, const struct output_opts *src);
void output_opts_release(struct output_opts *o);

/* ------------------------------------------------------------ formatting */

struct alert_fields;   /* the JSON output_fields object */

struct alert {
	const char *rule;
	const char *priority;         /* Falco's name: "Warning" */
	int syslog_level;             /* LOG_EMERG .. LOG_DEBUG */
	const char *source;           /* "syscall", "internal" */
	char *const *tags;
	size_t ntags;
	const char *output;           /* the rendered message */
	uint64_t ts;                  /* ns since the epoch */
	const char *hostname;
	const struct alert_fields *fields; /* NULL: none */
};

struct alert_fields *alert_fields_new(void);
void alert_fields_free(struct alert_fields *f);

/*
 * Add one field (the first value of a name wins): numbers and booleans as
 * JSON numbers and booleans, <NA> as null, the rest as text. Matches the
 * rules' output_field_fn, so it can be passed to rule_output_fields.
 */
void alert_fields_add(void *fields, const char *name, const struct field_value *v);
void alert_fields_add_number(struct alert_fields *f, const char *name, double v);
/* name: {"key": count, ...} */
void alert_fields_add_counts(struct alert_fields *f, const char *name, const char *const *keys,
			     const uint64_t *counts, size_t n);

/* "<time>: <Priority> <output>"; returns the length it needed (snprintf's rule). */
size_t alert_format_text(const struct output_opts *o, const struct alert *a, char *buf, size_t n);

/* The JSON object, one line, malloc'd (NULL: out of memory). */
char *alert_format_json(const struct output_opts *o, const struct alert *a);

/* ---------------------------------------------------------------- sinks */

/* A snapshot of the counters (counters.h says what each means). */
struct output_stats {
	uint64_t alerts, throttled, lost, reports;
	struct {
		bool enabled;
		uint64_t sent, failed, queue_full, undelivered, errors, incidents, queued;
	} sink[SINK_COUNT];
};

struct outputs;

/* Logging callback for sink failures and loss reports (message without newline). */
typedef void (*output_log_fn)(int level, const char *msg);

/*
 * Start one thread per enabled sink and the loss reporter; opts are copied.
 * Delivery: with buffered_outputs false an alert is written as soon as its
 * sink thread takes it (batches are what queued up meanwhile, at most 1024
 * alerts); with buffered_outputs true a stream sink writes when 64 KiB wait
 * or the oldest alert waited 1 s.
 */
struct outputs *outputs_new(const struct output_opts *opts, output_log_fn log, char *err, size_t n);

/* The hostname of internal alerts (rule alerts carry their own). */
void outputs_set_hostname(struct outputs *o, const char *hostname);

/*
 * Format and queue one alert to every enabled sink. Never blocks. False
 * when it was throttled or some sink's queue was full: counted per sink and
 * per rule, logged and alerted on within a second.
 */
bool outputs_emit(struct outputs *o, const struct alert *a, uint64_t now_ns);

/* SIGUSR1: kept-open files are reopened before their next write (lock-free, signal-safe). */
void outputs_reopen(struct outputs *o);

/*
 * Stop: every sink delivers what is queued (healthy sinks get 5 s, plus one
 * I/O timeout of 5 s for a write in progress; a sink still failing gets one
 * last attempt), what is left is counted as undelivered and logged, threads
 * are joined. Counters stay readable until outputs_free.
 */
void outputs_close(struct outputs *o);
void outputs_free(struct outputs *o);

/* The live counters (relaxed atomics), valid until outputs_free. */
const struct output_counters *outputs_counters(const struct outputs *o);
void outputs_stats(struct outputs *o, struct output_stats *out);

/* fn(rule, lost, throttled) for each rule with losses since the start. */
void outputs_rule_losses(struct outputs *o, void (*fn)(void *ctx, const char *rule, uint64_t lost, uint64_t throttled),
			 void *ctx);

const char *sink_name(enum sink_kind k);

#endif
