/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the files of src/state: the table layout and helpers.
 */
#ifndef SAKER_STATE_INTERNAL_H
#define SAKER_STATE_INTERNAL_H

#include "state/state.h"
#include "state/users.h"

struct state {
	struct thread **buckets;
	unsigned nbuckets;
	size_t nthreads, nprocs, nfds;
	size_t max_threads;
	uint64_t evicted, reaped, proc_scanned;
	char host_root[256];
	struct users *users;
	bool no_proc;           /* replay: the host's /proc says nothing about a capture */
	struct container_table *containers;
	bool containers_hook;    /* state_on_new_container was set */
	struct fdinfo *fd_pool;  /* freed fdinfo structs kept for reuse (opens and closes churn) */
	size_t fd_pool_n;
};

struct fdinfo *fdtable_find(struct fdtable *t, int64_t fd);
void fdtable_remove(struct state *s, struct fdtable *t, int64_t fd);
struct fdinfo *fdtable_insert(struct state *s, struct fdtable *t, int64_t fd, uint8_t type, char *name);

/* Resolve rel against base (absolute), folding "." and "..". Caller frees. */
char *path_resolve(const char *base, const char *rel);

void containers_from_json(struct state *s, const char *json);
void containers_from_event(struct state *s, const char *id, uint32_t type, const char *name, const char *image);
void containers_free(struct state *s);
/* A process's container id was set: a new id gets a pending entry and the hook. */
void containers_note(struct state *s, const struct proc *p);

/* Load one thread from /proc (on first sight of an unknown tid); NULL when gone. */
struct thread *state_scan_thread(struct state *s, int64_t tid);

#endif
