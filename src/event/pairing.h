/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Enter/exit pairing for captures of the enter-and-exit era: the last enter
 * event of each thread is kept, and attached to the thread's next exit event
 * of the same syscall so that its parameters (e.g. close's fd) are found.
 */
#ifndef SAKER_PAIRING_H
#define SAKER_PAIRING_H

#include "event/event.h"

struct enter_cache;

struct enter_cache *enter_cache_new(void);
void enter_cache_free(struct enter_cache *c);

/* Remember an enter event, or attach the matching enter to an exit event. */
void enter_cache_apply(struct enter_cache *c, struct event *ev);

/* Forget a thread (after its procexit). */
void enter_cache_forget(struct enter_cache *c, uint64_t tid);

#endif
