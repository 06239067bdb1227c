/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live container metadata: the glue between state/'s container table and
 * the metadata thread. A new container id seen by state/ becomes a request;
 * answers are installed on the event thread before rules see an event; the
 * first events of a brand-new container wait (bounded) for its answer.
 */
#ifndef SAKER_RUNTIME_META_H
#define SAKER_RUNTIME_META_H

#include "event/event.h"
#include "runtime/runtime.h"
#include "state/state.h"

struct container_meta;

struct container_meta_opts {
	struct runtime_opts rt;
	unsigned wait_ms;        /* the event thread's bound for a new container's events */
	bool sync;               /* --disable-cri-async: wait up to the lookup timeout instead */
};

/* Hook into s and start the metadata thread; NULL when no engine is enabled. */
struct container_meta *container_meta_new(struct state *s, const struct container_meta_opts *o);
void container_meta_free(struct container_meta *m);

/*
 * Before rules see ev: install finished lookups (each installed document
 * also goes to out, for capture files) and, when ev's thread is in a
 * container still being looked up, wait for it up to the bound.
 */
void container_meta_before_rules(struct container_meta *m, const struct event *ev,
				 void (*out)(void *ctx, const char *json), void *ctx);

/* Forget containers no thread is in; call now and then (it walks every thread). */
size_t container_meta_sweep(struct container_meta *m);

struct container_meta_stats {
	struct runtime_stats rt;
	uint64_t waits, wait_timeouts, wait_ns_total, wait_ns_max;
	uint64_t known;                       /* containers whose lookup answered */
	uint64_t first_to_known_median_ns;    /* from a container's first event to its metadata */
	uint64_t first_to_known_max_ns;
};
void container_meta_stats(struct container_meta *m, struct container_meta_stats *out);

#endif
