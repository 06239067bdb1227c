/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A typed view over one raw scap event: header fields and the location of
 * each parameter, decoded by the event's own nparams.
 */
#ifndef SAKER_EVENT_H
#define SAKER_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event_table.h"

#define EVENT_MAX_PARAMS 64

struct event {
	uint64_t num;       /* 1-based position in the stream */
	uint64_t ts;        /* ns since the epoch */
	uint64_t tid;
	uint32_t len;
	uint16_t type;
	uint16_t cpu;
	uint32_t nparams;   /* as decoded (capped at EVENT_MAX_PARAMS) */
	bool has_res;       /* an exit with a result parameter: res holds it */
	int64_t res;
	const struct event_info *info; /* NULL for unknown types */
	const uint8_t *raw;
	const uint8_t *param[EVENT_MAX_PARAMS];
	uint32_t plen[EVENT_MAX_PARAMS];
	/* old captures: the matching enter event, whose parameters the exit lacks */
	const struct event *enter;
};

/* Parameter indexes at or above this refer to the enter event's parameters. */
#define EVENT_ENTER_BASE 1000

/*
 * Decode `len` bytes at `buf`. `lensize` is 2 for ordinary events and 4 for
 * large-payload ones (chosen from the table when 0). Returns 0, or -EINVAL
 * with a message in err when the event is malformed.
 */
int event_decode(struct event *ev, const void *buf, size_t len, int lensize, char *err, size_t errlen);

/* Index of parameter `name` in the event's table entry (or its enter event's), or -1. */
int event_param_index(const struct event *ev, const char *name);

/*
 * A parameter name looked up by event type through a per-name table filled
 * as types are met: the hot lookups of state and fields cost an array read.
 * PARAM_KEY("fd") gives a static key at the place it is written (GNU C).
 */
struct param_key {
	const char *name;
	int8_t idx[EVENT_TABLE_SIZE];   /* PARAM_UNSEEN, -1 (no such parameter), or the index */
};
#define PARAM_UNSEEN (-2)
#define PARAM_KEY(n) ({ static struct param_key k_ = { (n), { [0 ... EVENT_TABLE_SIZE - 1] = PARAM_UNSEEN } }; &k_; })

/* event_param_index by key: the same answers. */
int event_param_key_index_slow(const struct event *ev, struct param_key *k);

/*
 * event_param_index by key, the hot path of state and fields: a parameter
 * the event's type has is an array read; one that neither the type nor its
 * enter's has (an openat's fd1, a write's tuple) is answered from the
 * key's table too, without the slow lookup: the same -1.
 */
static inline int event_param_key_index(const struct event *ev, struct param_key *k)
{
	int i;

	if (!ev->info)
		return -1;
	i = k->idx[ev->type];
	if (i >= 0 && (uint32_t)i < ev->nparams)
		return i;
	if (i == -1 && (!ev->enter || (ev->enter->info && k->idx[ev->enter->type] == -1 && !ev->enter->enter)))
		return -1;
	return event_param_key_index_slow(ev, k);
}

/* Parameter i as an integer of its declared size (sign-extended for signed types). */
int64_t event_param_int(const struct event *ev, int i);

/*
 * Parameter i's bytes, an enter event's parameter too (EVENT_ENTER_BASE + j,
 * as the index lookups give it); NULL with *len 0 when absent.
 */
const uint8_t *event_param_bytes(const struct event *ev, int i, uint32_t *len);

/* Parameter i as a NUL-terminated string, or "" when absent. */
const char *event_param_str(const struct event *ev, int i);

/* True when parameter i is present and non-empty. */
bool event_param_present_slow(const struct event *ev, int i);

static inline bool event_param_present(const struct event *ev, int i)
{
	if (i >= 0 && i < EVENT_ENTER_BASE)
		return (uint32_t)i < ev->nparams && ev->plen[i] > 0;
	return event_param_present_slow(ev, i);
}

/* Type of parameter i, PT_NONE when unknown. */
enum param_type event_param_type(const struct event *ev, int i);

/* The event's name: the syscall of a generic event, else the table name. */
const char *event_name(const struct event *ev);

/* The event's return value (first ERRNO/FD/PID param named res or fd), or 0. */
bool event_result(const struct event *ev, int64_t *res);

#endif
