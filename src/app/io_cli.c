// SPDX-License-Identifier: Apache-2.0
/*
 * The I/O options shared by saker and sakerdump (-S, -A, -i, -b), and the
 * rule that keeps the high-volume I/O syscalls out of the capture unless a
 * rule names them: Falco's ignored set, minus Falco's need for -A when a
 * rule does name them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/io_cli.h"
#include "capture/syscalls.h"
#include "event/print.h"
#include "rules/rules.h"
#include "saker_shared.h"

int io_cli_snaplen(struct io_cli *o, const char *arg, const char *prog)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > SAKER_MAX_SNAPLEN) {
		fprintf(stderr, "%s: invalid snaplen '%s': expected bytes, 1 to %u\n", prog, arg, SAKER_MAX_SNAPLEN);
		return -1;
	}
	o->snaplen = v;
	return 0;
}

void io_cli_apply(const struct io_cli *o)
{
	event_set_bytes_format(o->base64 ? BYTES_BASE64 : o->bytes);
}

void io_cli_print_ignored(FILE *f)
{
	fprintf(f, "Ignored I/O syscall(s):\n"); /* Falco's header, exactly: tools read it */
	for (const struct syscall_probe *p = syscall_probes; p->name; p++)
		if (syscall_probe_high_volume(p))
			fprintf(f, "- %s\n", p->name);
	fprintf(f, "\n");
}

void io_cli_filter_types(const struct ruleset *rs, bool keep, uint8_t types[EVENT_TABLE_SIZE])
{
	uint8_t named[EVENT_TABLE_SIZE] = { 0 };

	if (keep)
		return;
	for (size_t i = 0; i < ruleset_nrules(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);

		if (r->code && !r->all_types && rule_is_active(rs, r))
			for (int t = 0; t < EVENT_TABLE_SIZE; t++)
				named[t] |= r->evttypes[t];
	}
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		const struct event_info *ei;

		if (!syscall_probe_high_volume(p) || !(ei = event_info_get(p->event)))
			continue;
		/* every version of the syscall's events, enter and exit */
		for (int t = 0; t < EVENT_TABLE_SIZE; t++)
			if (types[t] && !named[t] && event_info_get(t) && !strcmp(event_info_get(t)->name, ei->name))
				types[t] = 0;
	}
}
