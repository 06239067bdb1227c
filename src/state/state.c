// SPDX-License-Identifier: Apache-2.0
/*
 * The state as a whole: its creation and release over the thread table, the
 * container table and the users, and its counters. The one file that knows
 * all the others of src/state; none of them calls back into it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "state/hostroot.h"
#include "state/state_internal.h"

#define THREAD_BUCKETS 1024

struct state *state_new(const struct state_opts *opts)
{
	struct state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (table_init(&s->threads, THREAD_BUCKETS, offsetof(struct thread, tid), offsetof(struct thread, next))) {
		free(s);
		return NULL;
	}
	snprintf(s->host_root, sizeof(s->host_root), "%s", opts && opts->host_root ? opts->host_root : hostroot());
	s->max_threads = opts && opts->max_threads ? opts->max_threads : 131072;
	s->users = users_new(s->host_root);
	s->no_proc = opts && opts->no_proc;
	return s;
}

void state_free(struct state *s)
{
	if (!s)
		return;
	threads_release(s);
	while (s->fd_pool) {
		struct fdinfo *f = s->fd_pool;

		s->fd_pool = f->next;
		fdinfo_release(f);
		free(f);
	}
	users_free(s->users);
	containers_free(s);
	free(s);
}

struct users *state_users(struct state *s)
{
	return s->users;
}

void state_stats(const struct state *s, struct state_stats *o)
{
	o->threads = s->threads.count;
	o->procs = s->nprocs;
	o->fds = s->nfds;
	o->evicted = s->evicted;
	o->reaped = s->reaped;
	o->purged = s->purged;
	o->max_threads = s->max_threads;
	o->proc_scanned = s->proc_scanned;
}

