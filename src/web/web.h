/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The built-in web server (libmicrohttpd, its own thread): a health endpoint
 * for kubelet probes and Prometheus metrics. The event thread only stores a
 * heartbeat and, once a second, hands over the metrics text it rendered; it
 * never waits for the server.
 */
#ifndef SAKER_WEB_H
#define SAKER_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/strbuf.h"

struct web_opts {
	const char *listen_address; /* numeric IPv4 or IPv6 address; NULL: 0.0.0.0 */
	long listen_port;           /* 1..65535 */
	const char *healthz_path;   /* NULL: /healthz */
	bool metrics;               /* serve /metrics */
	unsigned stall_ms;          /* heartbeat older than this: unhealthy; 0: 10000 */
};

struct web;

/*
 * Listen and start the server thread. Returns 0, or -errno with a message
 * naming the address and port in err (bad port, address in use).
 */
int web_start(struct web **out, const struct web_opts *opts, char *err, size_t errlen);

/* Stop the thread, close the socket, free. Accepts NULL. */
void web_free(struct web *w);

/* Event thread: capture runs and this thread is alive at mono_ns (CLOCK_MONOTONIC). */
void web_heartbeat(struct web *w, uint64_t mono_ns);

/*
 * Event thread: the current metrics text (Prometheus exposition format,
 * without the process_* families, which the server adds at scrape time).
 * Copied when the server is not reading the previous one; skipped otherwise.
 */
void web_publish_metrics(struct web *w, const char *text, size_t len);

/* Prometheus text helpers: a family header, then samples. */
void prom_family(struct strbuf *sb, const char *name, const char *type, const char *help);

/* name{k1="v1",...} value; labels are key/value strings ending with NULL. */
void prom_sample(struct strbuf *sb, const char *name, double value, ...) __attribute__((sentinel));

#endif
