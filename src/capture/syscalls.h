/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Syscall names and numbers of this architecture (generated from the uapi
 * headers), and the syscalls that have a dedicated capture program.
 */
#ifndef SAKER_SYSCALLS_H
#define SAKER_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

struct syscall_name {
	const char *name;
	int nr;
};

/* Terminated by {NULL, -1}. */
extern const struct syscall_name syscalls_64[];
extern const struct syscall_name syscalls_ia32[];

/* A syscall that has its own program, and the scap exit event it emits. */
struct syscall_probe {
	const char *name;
	uint16_t event;
};

extern const struct syscall_probe syscall_probes[];

/* The 64-bit number of `name`, or -1. */
int syscall_nr(const char *name);

/* The name of 64-bit syscall `nr`, or NULL. */
const char *syscall_name(int nr);

/* The probe of `name`, or NULL when it only has the generic event. */
const struct syscall_probe *syscall_probe_find(const char *name);

/*
 * The high-volume I/O syscalls (read, write, send*, recv*, their vectored
 * and positioned forms, sendfile, splice): captured only when a rule names
 * them or the user asks for all events (saker -A, -w), as Falco ignores them
 * by default.
 */
bool syscall_probe_high_volume(const struct syscall_probe *p);

#endif
