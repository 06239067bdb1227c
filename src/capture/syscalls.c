// SPDX-License-Identifier: Apache-2.0
/*
 * The syscalls with a dedicated capture program, and name/number lookups
 * over the generated tables.
 */
#include <string.h>

#include "capture/syscalls.h"
#include "saker_shared.h"

/* From the live column of src/event/event_table.tsv, through gen/saker_events.h. */
#define PROBE(name, type) { name, type },
const struct syscall_probe syscall_probes[] = {
	SAKER_SYSCALL_PROBES(PROBE)
	{NULL, 0},
};

int syscall_nr(const char *name)
{
	for (const struct syscall_name *s = syscalls_64; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s->nr;
	return -1;
}

const char *syscall_name(int nr)
{
	for (const struct syscall_name *s = syscalls_64; s->name; s++)
		if (s->nr == nr)
			return s->name;
	return NULL;
}

const struct syscall_probe *syscall_probe_find(const char *name)
{
	for (const struct syscall_probe *p = syscall_probes; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
