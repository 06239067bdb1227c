// SPDX-License-Identifier: Apache-2.0
/*
 * The syscalls with a dedicated capture program, and name/number lookups
 * over the generated tables.
 */
#include <string.h>

#include "capture/syscalls.h"
#include "event/event_table.h"
#include "saker_shared.h"

/* From the live column of src/event/event_table.tsv, through gen/saker_events.h. */
#define PROBE(name, type) { name, type },
const struct syscall_probe syscall_probes[] = {
	SAKER_SYSCALL_PROBES(PROBE)
	{NULL, 0},
};

/* Event names of the scap table that the kernel spells otherwise. */
static const char *const kernel_names[][2] = {
	{ "pread", "pread64" },
	{ "pwrite", "pwrite64" },
};

int syscall_nr(const char *name)
{
	for (size_t i = 0; i < sizeof(kernel_names) / sizeof(kernel_names[0]); i++)
		if (strcmp(name, kernel_names[i][0]) == 0)
			name = kernel_names[i][1];
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

bool syscall_probe_high_volume(const struct syscall_probe *p)
{
	const struct event_info *ei = event_info_get(p->event);
	unsigned cat = ei ? ei->category & ~(EC_SYSCALL | EC_TRACEPOINT) : 0;

	return cat == EC_IO_READ || cat == EC_IO_WRITE || !strcmp(p->name, "splice");
}
