/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Informational commands of the command line, printed as Falco prints them:
 * --list, --list-events, -L/-l in text, and --support.
 */
#ifndef SAKER_CLI_H
#define SAKER_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* --list-events: every event of the table, then the syscalls that come as generic events; --markdown a table. */
void cli_list_events(FILE *f, bool markdown);

/*
 * --list[=syscall] as Falco prints it: per field class a block (name, short
 * description, description, event sources) and the fields with their
 * descriptions in columns; markdown: --markdown's tables; names_only: -N;
 * verbose: -v adds each field's type.
 */
void cli_list_fields(FILE *f, bool markdown, bool names_only, bool verbose);

/* -L and -l in text, Falco's two columns: the header, then one rule (description wrapped as Falco wraps it). */
void cli_describe_text_header(FILE *f);
void cli_describe_text_rule(FILE *f, const char *name, const char *desc);

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

/* A JSON document as Falco's nlohmann dump(2) prints it (--rule-schema): keys sorted, indent 2, then a line break. */
struct cJSON;
void cli_print_json(FILE *f, const struct cJSON *j);

#endif
