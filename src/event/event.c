// SPDX-License-Identifier: Apache-2.0
/*
 * Decoding scap events: header, parameter lengths, parameter values.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "event/event.h"
#include "saker_shared.h"

const struct event_info *event_info_get(uint16_t type)
{
	if (type >= EVENT_TABLE_SIZE || !event_table[type].name)
		return NULL;
	return &event_table[type];
}

const char *event_category_name(uint32_t category)
{
	static const char *const names[] = {
		"unknown", "other", "file", "net", "IPC", "memory", "process", "sleep",
		"system", "signal", "user", "time", "processing",
	};
	/* the source bits do not name a category; the rest is one value, as libs switches on it */
	uint32_t cat = category & ~(uint32_t)(EC_SYSCALL | EC_TRACEPOINT | EC_ITER);

	if (cat < sizeof(names) / sizeof(names[0]))
		return names[cat];
	switch (cat) {
	case EC_IO_READ: case EC_IO_WRITE: case EC_IO_OTHER: return "file";
	case EC_WAIT: return "wait";
	case EC_SCHEDULER: return "scheduler";
	case EC_INTERNAL: return "internal";
	case EC_PLUGIN: return "plugin";
	case EC_METAEVENT: return "meta";
	default: return "unknown";
	}
}

/* Where each of the np parameters lies, from its length; the lengths must fit ev->len. */
static inline int decode_params(struct event *ev, const uint8_t *b, size_t np, int lensize, char *err, size_t n)
{
	size_t off, i;

	off = SAKER_HDR_LEN + np * lensize;
	/* the two length sizes get their own loops: a fixed-size load, not a memcpy call per parameter */
	for (i = 0; i < np; i++) {
		uint32_t pl;

		if (lensize == 2) {
			uint16_t l16;

			memcpy(&l16, b + SAKER_HDR_LEN + i * 2, 2);
			pl = l16;
		} else {
			memcpy(&pl, b + SAKER_HDR_LEN + i * 4, 4);
		}
		if (off + pl > ev->len) {
			snprintf(err, n, "parameter %zu of event type %u overruns the event", i + 1, ev->type);
			return -EINVAL;
		}
		if (i < EVENT_MAX_PARAMS) {
			ev->param[i] = b + off;
			ev->plen[i] = pl;
		}
		off += pl;
	}
	return 0;
}

int event_decode(struct event *ev, const void *buf, size_t len, int lensize, char *err, size_t n)
{
	const uint8_t *b = buf;
	struct saker_evt_hdr h;
	size_t np;

	if (len < SAKER_HDR_LEN) {
		snprintf(err, n, "event shorter than its header (%zu bytes)", len);
		return -EINVAL;
	}
	memcpy(&h, b, sizeof(h));
	ev->ts = h.ts;
	ev->tid = h.tid;
	ev->len = h.len;
	ev->type = h.type;
	ev->nparams = h.nparams;
	ev->raw = b;
	ev->enter = NULL;
	ev->info = event_info_get(ev->type);
	if (ev->len > len || ev->len < SAKER_HDR_LEN) {
		snprintf(err, n, "event length %u does not fit its %zu-byte block", ev->len, len);
		return -EINVAL;
	}
	if (!lensize)
		lensize = ev->info && (ev->info->flags & EF_LARGE_PAYLOAD) ? 4 : 2;
	np = ev->nparams;
	if (np > 1024 || SAKER_HDR_LEN + np * lensize > ev->len) {
		snprintf(err, n, "event type %u declares %zu parameters that do not fit %u bytes",
			 ev->type, np, ev->len);
		return -EINVAL;
	}
	if (decode_params(ev, b, np, lensize, err, n))
		return -EINVAL;
	if (np > EVENT_MAX_PARAMS)
		np = EVENT_MAX_PARAMS;
	ev->nparams = np;
	/* the result is read by state and many fields: once here */
	ev->has_res = ev->info && ev->info->dir == 'X' && ev->info->res >= 0 && (uint32_t)ev->info->res < np;
	ev->res = ev->has_res ? event_param_int(ev, ev->info->res) : 0;
	return 0;
}

/*
 * Lookups by name are hot (state and fields ask for "fd", "name", ... on
 * every event) and their names are mostly string literals or per-rule
 * buffers with stable addresses: a direct-mapped cache keyed by (type, name
 * address) answers them without string compares. The cache holds the table
 * index only; the event's own nparams is checked on every call.
 */
#define PIDX_CACHE 4096

struct pidx_entry {
	const char *name;
	uint16_t type;
	int16_t idx;
};

static __thread struct pidx_entry pidx_cache[PIDX_CACHE];

/* Index of parameter `name` in a table entry, -1 when it has none. */
static int table_find(const struct event_info *info, const char *name)
{
	for (unsigned i = 0; i < info->nparams; i++)
		if (!strcmp(info->params[i].name, name))
			return i;
	return -1;
}

static int table_param_index(const struct event_info *info, uint16_t type, const char *name)
{
	size_t h = (((uintptr_t)name >> 3) ^ (type * 2654435761u)) & (PIDX_CACHE - 1);
	struct pidx_entry *e = &pidx_cache[h];

	if (e->name == name && e->type == type)
		return e->idx;
	e->name = name;
	e->type = type;
	e->idx = table_find(info, name);
	return e->idx;
}

/* A parameter index of the enter event, as the exit event refers to it. */
static int enter_index(int k)
{
	return k >= 0 && k < EVENT_ENTER_BASE ? EVENT_ENTER_BASE + k : -1;
}

int event_param_index(const struct event *ev, const char *name)
{
	int i;

	if (!ev->info)
		return -1;
	i = table_param_index(ev->info, ev->type, name);
	if (i >= 0 && (uint32_t)i < ev->nparams)
		return i;
	return ev->enter ? enter_index(event_param_index(ev->enter, name)) : -1;
}

int event_param_key_index_slow(const struct event *ev, struct param_key *k)
{
	int i;

	if (!ev->info)
		return -1;
	i = k->idx[ev->type];
	if (i == PARAM_UNSEEN) {
		i = table_find(ev->info, k->name);
		if (i > INT8_MAX) /* no event has that many parameters; the table could not hold it */
			i = -1;
		k->idx[ev->type] = i;
	}
	if (i >= 0 && (uint32_t)i < ev->nparams)
		return i;
	return ev->enter ? enter_index(event_param_key_index_slow(ev->enter, k)) : -1;
}

enum param_type event_param_type(const struct event *ev, int i)
{
	if (i >= EVENT_ENTER_BASE && ev->enter)
		return event_param_type(ev->enter, i - EVENT_ENTER_BASE);
	if (!ev->info || i < 0 || (unsigned)i >= ev->info->nparams)
		return PT_NONE;
	return ev->info->params[i].type;
}

int64_t event_param_int(const struct event *ev, int i)
{
	const uint8_t *p;
	enum param_type t;

	if (i >= EVENT_ENTER_BASE && ev->enter)
		return event_param_int(ev->enter, i - EVENT_ENTER_BASE);
	if (i < 0 || (uint32_t)i >= ev->nparams)
		return 0;
	p = ev->param[i];
	if (ev->plen[i] == 8) {
		int64_t v;

		memcpy(&v, p, 8);
		return v;
	}
	/* narrower values: the declared type says whether to sign-extend */
	t = ev->info && (unsigned)i < ev->info->nparams ? ev->info->params[i].type : PT_NONE;
	switch (ev->plen[i]) {
	case 1: return (t == PT_INT8) ? (int64_t)(int8_t)p[0] : (int64_t)p[0];
	case 2: { uint16_t v; memcpy(&v, p, 2); return t == PT_INT16 ? (int64_t)(int16_t)v : (int64_t)v; }
	case 4: {
		uint32_t v;

		memcpy(&v, p, 4);
		return (t == PT_INT32 || t == PT_FD32 || t == PT_PID32 || t == PT_ERRNO) ? (int64_t)(int32_t)v : (int64_t)v;
	}
	case 8: { int64_t v; memcpy(&v, p, 8); return v; }
	default: return 0;
	}
}

const uint8_t *event_param_bytes(const struct event *ev, int i, uint32_t *len)
{
	while (i >= EVENT_ENTER_BASE && ev->enter) {
		i -= EVENT_ENTER_BASE;
		ev = ev->enter;
	}
	if (i < 0 || (uint32_t)i >= ev->nparams) {
		*len = 0;
		return NULL;
	}
	*len = ev->plen[i];
	return ev->param[i];
}

const char *event_param_str(const struct event *ev, int i)
{
	if (i >= EVENT_ENTER_BASE && ev->enter)
		return event_param_str(ev->enter, i - EVENT_ENTER_BASE);
	if (i < 0 || (uint32_t)i >= ev->nparams || ev->plen[i] == 0)
		return "";
	/* strings are NUL-terminated on the wire; refuse ones that are not */
	if (ev->param[i][ev->plen[i] - 1] != 0)
		return "";
	return (const char *)ev->param[i];
}

bool event_param_present_slow(const struct event *ev, int i)
{
	if (i >= EVENT_ENTER_BASE && ev->enter)
		return event_param_present(ev->enter, i - EVENT_ENTER_BASE);
	return i >= 0 && (uint32_t)i < ev->nparams && ev->plen[i] > 0;
}

bool event_result(const struct event *ev, int64_t *res)
{
	if (!ev->has_res)
		return false;
	*res = ev->res;
	return true;
}

const char *event_name(const struct event *ev)
{
	if (!ev->info)
		return "unknown";
	if ((ev->type == 0 || ev->type == 1) && ev->nparams >= 1) {
		uint64_t sc = (uint64_t)event_param_int(ev, 0);

		if (sc > 0 && sc < ppm_sc_count && ppm_sc_names[sc])
			return ppm_sc_names[sc];
		return "<unknown>";
	}
	return ev->info->name;
}
