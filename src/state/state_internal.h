/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the files of src/state. The call graph is one way:
 * state.c (lifecycle) and update.c (events) -> proc_scan.c (/proc on first
 * sight) -> containers.c -> threads.c -> fds.c -> table.c (the hash table).
 */
#ifndef SAKER_STATE_INTERNAL_H
#define SAKER_STATE_INTERNAL_H

#include "state/state.h"
#include "state/table.h"
#include "state/users.h"

struct state {
	struct table threads;   /* struct thread by tid */
	size_t nprocs, nfds;
	size_t max_threads;
	uint64_t evicted, reaped, purged, proc_scanned;
	char host_root[256];
	struct users *users;
	bool no_proc;           /* replay: the host's /proc says nothing about a capture */
	struct container_table *containers;
	bool containers_hook;    /* state_on_new_container was set */
	struct fdinfo *fd_pool;  /* freed fdinfo structs kept for reuse (opens and closes churn) */
	size_t fd_pool_n;
	uint64_t cur_evt;        /* number of the event state_update is applying */
};

/* fds.c: fd tables. */
struct fdtable *fdtable_new(void);
/* Drop a reference; the last one frees the entries (into the pool) and the table. */
void fdtable_release(struct state *s, struct fdtable *t);
/* A new table holding copies of src's entries (a fork without CLONE_FILES). */
struct fdtable *fdtable_copy(struct state *s, struct fdtable *src);
struct fdinfo *fdtable_find(struct fdtable *t, int64_t fd);
void fdtable_remove(struct state *s, struct fdtable *t, int64_t fd);
/* Add fd (replacing an older one); takes ownership of name. */
struct fdinfo *fdtable_insert(struct state *s, struct fdtable *t, int64_t fd, uint8_t type, char *name);
/* Add fd named by a copy of len bytes of name (into a pooled entry's buffer: no allocation per open). */
struct fdinfo *fdtable_insert_name(struct state *s, struct fdtable *t, int64_t fd, uint8_t type, const char *name,
				   size_t len);
/* Replace f's name with a copy of len bytes of name; 0 or -ENOMEM (the old name stays). */
int fdinfo_set_name(struct fdinfo *f, const char *name, size_t len);
/* Replace f's raw name with len bytes of raw, each run of '/' made one (plain: raw has none); 0 or -ENOMEM. */
int fdinfo_set_nameraw(struct fdinfo *f, const char *raw, size_t len, bool plain);
/* Free an entry's names (not the entry). */
void fdinfo_release(struct fdinfo *f);
/* Add fd as a copy of src (its type, name, flags, tuple), replacing an older one. */
struct fdinfo *fdtable_insert_copy(struct state *s, struct fdtable *t, int64_t fd, const struct fdinfo *src);

/* threads.c: threads and processes. */
/* Insert thread tid running p (a reference the table takes over), replacing an older one. */
struct thread *thread_insert(struct state *s, int64_t tid, struct proc *p);
/* Remove and free thread tid, if present. */
void thread_unlink(struct state *s, int64_t tid);
/* Free every thread and the thread table (state_free). */
void threads_release(struct state *s);
/* A new process inheriting what a child inherits from parent (NULL: an empty one). */
struct proc *proc_fork(struct state *s, const struct proc *parent, bool share_files);
/* Replace *dst with a copy of src (NULL: none). */
void str_set(char **dst, const char *src);

/* Resolve rel against base (absolute), folding "." and "..". Caller frees. */
char *path_resolve(const char *base, const char *rel);
/* strlen(path) when it is absolute with nothing to fold (path_resolve would return a copy), else 0. */
size_t path_plain_len(const char *path);
/* state_add_fd with a copy of len bytes of name. */
struct fdinfo *state_add_fd_name(struct state *s, struct thread *t, int64_t fd, uint8_t type, const char *name,
				 size_t len);

void containers_from_json(struct state *s, const char *json);
void containers_from_event(struct state *s, const char *id, uint32_t type, const char *name, const char *image);
void containers_free(struct state *s);
/* A process's container id was set: a new id gets a pending entry and the hook. */
void containers_note(struct state *s, const struct proc *p);

/* Load one thread from /proc (on first sight of an unknown tid); NULL when gone. */
struct thread *state_scan_thread(struct state *s, int64_t tid);

#endif
