/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live capture: load the BPF programs, create the per-CPU rings, attach, and
 * deliver raw scap events merged across CPUs in timestamp order.
 */
#ifndef SAKER_CAPTURE_H
#define SAKER_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "saker_shared.h"

#define CAPTURE_DEFAULT_RING_BYTES (8u * 1024 * 1024)

struct capture_opts {
	size_t ring_bytes;          /* per ring; power of two, page multiple */
	unsigned cpus_per_ring;     /* CPUs sharing one ring (>= 1) */
	bool generic_others;        /* every other syscall as the generic event */
	unsigned nparams_skew;      /* testing only: see nparams_skew in bpf/maps.bpf.h */
	unsigned snaplen;           /* I/O data bytes per event (0: SAKER_DEFAULT_SNAPLEN) */
	uint8_t interesting[SAKER_MAX_SYSCALLS]; /* 64-bit ids to capture */
};

/* Called once per event, in timestamp order; `cpu` is the ring's first CPU. */
typedef int (*capture_event_fn)(void *ctx, const void *event, size_t len, unsigned cpu);

struct capture;

/* Exit codes for failures a user can act on. */
enum capture_status {
	CAPTURE_OK = 0,
	CAPTURE_ERR_USAGE = 1,      /* impossible option value */
	CAPTURE_ERR_ENV = 2,        /* privileges, BTF, kernel features */
	CAPTURE_ERR_RUNTIME = 3,    /* anything else */
};

/* Mark every syscall that has a dedicated probe as interesting. */
void capture_opts_all_probes(struct capture_opts *opts);

/*
 * Check the environment, load and attach. On failure returns a
 * capture_status and writes a message into err (several lines for a load
 * failure: give it 2 KiB). SAKER_BTF=FILE loads the kernel's BTF from FILE;
 * SAKER_DEBUG_BPF=1 prints everything libbpf and the verifier say.
 */
int capture_open(struct capture **out, const struct capture_opts *opts, char *err, size_t errlen);

/* Wait up to timeout_ms, then deliver every event that is safe to order. */
int capture_poll(struct capture *c, int timeout_ms, capture_event_fn fn, void *ctx);

/* Stop capturing (detach), then deliver everything still held. */
int capture_drain(struct capture *c, capture_event_fn fn, void *ctx);

/* Sum of the per-CPU kernel counters. */
int capture_counters(struct capture *c, struct saker_counters *out);

/* "N of M BPF programs loaded and attached in X ms (Linux R)": open to attached. */
void capture_describe(const struct capture *c, char *buf, size_t n);

/*
 * The consumer's own counts: batches of quiet CPUs it sent out (saker_flush
 * runs) and the runs that found a program there adding an event (tried
 * again later) or failed (warned on stderr); ring records whose events did not add up, and events lost
 * for want of memory (both dropped; never seen so far).
 */
struct capture_stats {
	uint64_t flush_runs, flush_busy, flush_failed, bad_records, oom;
	int batching; /* 0: this kernel cannot run saker_flush, events go out one at a time */
};

void capture_stats(const struct capture *c, struct capture_stats *out);

/* Number of rings created. */
unsigned capture_rings(const struct capture *c);

void capture_free(struct capture *c);

#endif
