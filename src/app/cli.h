/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Informational commands of the command line, printed as Falco prints them:
 * --list-events and --support.
 */
#ifndef SAKER_CLI_H
#define SAKER_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* --list-events: every event of the table, then the syscalls that come as generic events; --markdown a table. */
void cli_list_events(FILE *f, bool markdown);

/* What --support reports on. */
struct support_info {
	const char *version, *engine_version;
	int argc;
	char **argv;
	const char *config_path;   /* NULL: no config file */
	char *const *rules;        /* files or directories, in loading order */
	size_t nrules;
};

/* --support: one JSON object on f, Falco's keys; 0, or -1 with err. */
int cli_print_support(FILE *f, const struct support_info *si, char *err, size_t n);

#endif
