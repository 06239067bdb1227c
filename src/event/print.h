/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysdig-style rendering of event parameters (`name=value ...`).
 */
#ifndef SAKER_PRINT_H
#define SAKER_PRINT_H

#include <stdbool.h>

#include "event/event.h"
#include "event/strbuf.h"

/* Optional state lookups that enrich fds and pids, as sysdig does. */
struct print_hooks {
	/* "<f>/etc/passwd" for an fd of the event's thread; false when unknown */
	bool (*fd_desc)(void *ctx, const struct event *ev, int64_t fd, char *out, size_t n);
	/* the command name of a pid; false when unknown */
	bool (*pid_comm)(void *ctx, int64_t pid, char *out, size_t n);
	/* the user (group when group is true) name of an id; false when unknown */
	bool (*id_name)(void *ctx, uint32_t id, bool group, char *out, size_t n);
	void *ctx;
};

/* Append parameter i as sysdig shows it. */
void event_format_param(const struct event *ev, int i, const struct print_hooks *h, struct strbuf *sb);

/* Append parameter i as Falco's evt.arg.X gives it: what an fd, pid, id,
 * errno, signal or flags value resolves to ("<f>/tmp/x", "bash", "O_RDONLY"),
 * else the text of event_format_param. */
void event_format_param_value(const struct event *ev, int i, const struct print_hooks *h, struct strbuf *sb);

/* Append every parameter as `name=value`, space separated. */
void event_format_params(const struct event *ev, const struct print_hooks *h, struct strbuf *sb);

/*
 * How buffers (BYTEBUF parameters, evt.buffer) print, as sysdig's options
 * print them: printable ASCII with '.' for other bytes (default), base64
 * (-b), hex rows (-x), hex rows with their ASCII (-X), or only the printable
 * bytes and line breaks (--print-ascii, sysdig's -A).
 */
enum bytes_format { BYTES_DOTS, BYTES_BASE64, BYTES_HEX, BYTES_HEX_ASCII, BYTES_ASCII };

/* Process-wide, set once from the command line. */
void event_set_bytes_format(enum bytes_format f);

/*
 * Longest buffer printed in the dots format, as libs' set_max_evt_output_len:
 * longer ones print as their first n - 3 bytes and "...". 0 (the default,
 * Falco's) prints them whole; sakerdump sets sysdig's 80 unless -v.
 */
void event_set_max_bytes(uint32_t n);

/* Append a buffer in the current format (enum bytes_format). */
void event_put_bytes(struct strbuf *sb, const uint8_t *p, uint32_t n);

/* Socket address / tuple parameters as text. */
void event_put_sockaddr(struct strbuf *sb, const uint8_t *p, uint32_t n);
void event_put_socktuple(struct strbuf *sb, const uint8_t *p, uint32_t n);

#endif
