/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The I/O options of saker and sakerdump, as Falco has them: -S/--snaplen,
 * -A (all events, the high-volume I/O syscalls included), -i (print the
 * syscalls ignored by default) and -b/--print-base64; and which I/O
 * syscalls a ruleset makes interesting.
 */
#ifndef SAKER_IO_CLI_H
#define SAKER_IO_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event/event_table.h"
#include "event/print.h"

struct ruleset;

struct io_cli {
	unsigned snaplen;   /* -S: data bytes per I/O event; 0 = the default (80) */
	bool all_events;    /* -A */
	bool print_ignored; /* -i */
	bool base64;        /* -b */
	enum bytes_format bytes; /* sakerdump's -x, -X, --print-ascii (BYTES_DOTS: none given) */
};

/* Parse -S's value into o->snaplen; -1 with a message on stderr (prefixed by prog). */
int io_cli_snaplen(struct io_cli *o, const char *arg, const char *prog);

/* Apply the process-wide parts (-b). */
void io_cli_apply(const struct io_cli *o);

/* -i: the syscalls saker ignores unless a rule names them or -A is given. */
void io_cli_print_ignored(FILE *f);

/*
 * Drop from `types` (event types the rules want) the high-volume I/O types
 * that no active rule names by evt.type: a rule that restricts nothing wants
 * every type, but pays for I/O only under -A (or `keep`, for -w).
 */
void io_cli_filter_types(const struct ruleset *rs, bool keep, uint8_t types[EVENT_TABLE_SIZE]);

#endif
