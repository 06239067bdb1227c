/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scap event table: for every event type its name, direction, category,
 * flags, parameters and kind. Built at compile time from src/event/event_table.tsv
 * (the facts of the scap format) by tools/gen_event_table.awk; the type names,
 * counts and kinds come from the same TSV through gen/saker_events.h.
 */
#ifndef SAKER_EVENT_TABLE_H
#define SAKER_EVENT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "gen/saker_events.h"

#define EVENT_TABLE_SIZE 512

/* Parameter types (scap PT_* without the prefix; our own numbering). */
enum param_type {
	PT_NONE, PT_INT8, PT_INT16, PT_INT32, PT_INT64, PT_UINT8, PT_UINT16, PT_UINT32,
	PT_UINT64, PT_CHARBUF, PT_BYTEBUF, PT_ERRNO, PT_SOCKADDR, PT_SOCKTUPLE, PT_FD,
	PT_PID, PT_FDLIST, PT_FSPATH, PT_SYSCALLID, PT_SIGTYPE, PT_RELTIME, PT_ABSTIME,
	PT_PORT, PT_L4PROTO, PT_SOCKFAMILY, PT_BOOL, PT_IPV4ADDR, PT_DYN, PT_FLAGS8,
	PT_FLAGS16, PT_FLAGS32, PT_UID, PT_GID, PT_DOUBLE, PT_SIGSET, PT_CHARBUFARRAY,
	PT_CHARBUF_PAIR_ARRAY, PT_IPV4NET, PT_IPV6ADDR, PT_IPV6NET, PT_IPADDR, PT_IPNET,
	PT_MODE, PT_FSRELPATH, PT_ENUMFLAGS8, PT_ENUMFLAGS16, PT_ENUMFLAGS32, PT_FD32,
	PT_PID32,
};

enum param_format { PF_NA, PF_DEC, PF_HEX, PF_OCT };

/* Event categories: a base value plus flag bits, as scap defines them. */
enum event_category {
	EC_UNKNOWN = 0, EC_OTHER = 1, EC_FILE = 2, EC_NET = 3, EC_IPC = 4, EC_MEMORY = 5,
	EC_PROCESS = 6, EC_SLEEP = 7, EC_SYSTEM = 8, EC_SIGNAL = 9, EC_USER = 10,
	EC_TIME = 11, EC_PROCESSING = 12, EC_IO_READ = 32, EC_IO_WRITE = 33,
	EC_IO_OTHER = 34, EC_WAIT = 64, EC_SCHEDULER = 128, EC_INTERNAL = 256,
	EC_SYSCALL = 512, EC_TRACEPOINT = 1024, EC_PLUGIN = 2048, EC_METAEVENT = 4096,
	EC_ITER = 8192,
};
#define EC_BASE_MASK 0xff

enum event_flags {
	EF_NONE = 0, EF_CREATES_FD = 1 << 0, EF_DESTROYS_FD = 1 << 1, EF_USES_FD = 1 << 2,
	EF_READS_FROM_FD = 1 << 3, EF_WRITES_TO_FD = 1 << 4, EF_MODIFIES_STATE = 1 << 5,
	EF_UNUSED = 1 << 6, EF_WAITS = 1 << 7, EF_SKIPPARSERESET = 1 << 8,
	EF_OLD_VERSION = 1 << 9, EF_LARGE_PAYLOAD = 1 << 10, EF_CONVERTER_MANAGED = 1 << 11,
};

struct param_info {
	const char *name;
	uint8_t type;   /* enum param_type */
	uint8_t format; /* enum param_format */
};

struct event_info {
	const char *name;   /* NULL where the id is not in the table */
	char dir;           /* 'E' or 'X' */
	uint8_t in_2022;    /* known to sysdig 0.29.3 */
	uint16_t nparams;
	uint32_t category;
	uint32_t flags;
	const struct param_info *params;
	int8_t res;         /* the parameter holding the result, -1 none */
	uint8_t kind;       /* enum saker_event_kind */
};

extern const struct event_info event_table[EVENT_TABLE_SIZE];

/* The entry of `type`, or NULL when the type is unknown. */
const struct event_info *event_info_get(uint16_t type);

/* scap syscall codes (the ID of generic events) and their names. */
extern const char *const ppm_sc_names[];
extern const size_t ppm_sc_count;

/* Category name as Falco prints evt.category ("file", "net", ...). */
const char *event_category_name(uint32_t category);

#endif
