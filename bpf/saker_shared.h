/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * The ABI that the kernel programs and userspace both see: sizes, drop
 * reasons and the per-CPU counters. Event types, parameter counts and kinds
 * come from gen/saker_events.h, generated from src/event/event_table.tsv.
 * Fixed-width types only, no kernel or libc includes.
 */
#ifndef SAKER_SHARED_H
#define SAKER_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
#include "gen/saker_events.h"
#include "saker_flags.h"

/*
 * The scap event header, the same from the kernel, in capture files (block
 * versions 2) and in memory. Then nparams lengths (__u16; __u32 for events
 * flagged EF_LARGE_PAYLOAD), then the parameters.
 */
struct saker_evt_hdr {
	__u64 ts;      /* ns since the epoch */
	__u64 tid;
	__u32 len;     /* whole event, header included */
	__u16 type;    /* enum saker_event_type */
	__u32 nparams;
} __attribute__((packed));

_Static_assert(sizeof(struct saker_evt_hdr) == 26, "the scap event header is 26 bytes, packed");

#define SAKER_HDR_LEN sizeof(struct saker_evt_hdr)
/* Byte offset of a header field, for reading or patching it in place. */
#define SAKER_HDR_OFF(field) __builtin_offsetof(struct saker_evt_hdr, field)
/* Version-1 capture blocks carry the header without nparams (22 bytes). */
#define SAKER_HDR_V1_LEN SAKER_HDR_OFF(nparams)
/*
 * What one event may use of its CPU's batch past where it starts: the event
 * (at most SAKER_MAX_EVENT) and, in its second half, a builder's scratch.
 */
#define SAKER_SCRATCH_SIZE (64 * 1024)
/* Largest event we submit; writes are masked below it. */
#define SAKER_MAX_EVENT (32 * 1024)
#define SAKER_POS_MASK (SAKER_MAX_EVENT - 1)
#define SAKER_MAX_PATH 4096
#define SAKER_MAX_ARGS 4096
/* I/O data bytes per event: Falco's default snaplen, and the most -S takes */
#define SAKER_DEFAULT_SNAPLEN 80
#define SAKER_MAX_SNAPLEN 16384
#define SAKER_MAX_SYSCALLS 512 /* a power of two: ids are masked with it */
#define SAKER_MAX_RINGS 256
#define SAKER_HOT_SYSCALLS 4 /* tail-called with a constant key: hot_nr in maps.bpf.h */
/* hot_nr[SAKER_HOT_OPENAT] is openat's id and so on (capture.c's hot_syscalls) */
#define SAKER_HOT_OPENAT 0
#define SAKER_HOT_CLOSE 1
#define SAKER_HOT_READ 2
#define SAKER_HOT_WRITE 3

/*
 * Events are built and kept in their CPU's batch (struct saker_batch, one
 * element per CPU of the `batches` map) and go to the ring many at a time:
 * one ring record holds whole events, each padded to 8 bytes. A batch goes
 * out once it holds SAKER_BATCH_FLUSH bytes or its first event is
 * SAKER_BATCH_AGE_NS old when the next one is added; userspace sends out a
 * batch that waits longer (a CPU gone quiet) by running the saker_flush
 * program on that CPU. An event starts below SAKER_BATCH_ROOM.
 */
#define SAKER_BATCH_ROOM 4096
#define SAKER_BATCH_MASK (SAKER_BATCH_ROOM - 1)
#define SAKER_BATCH_FLUSH 3072
#define SAKER_BATCH_AGE_NS 1000000ull
/* a batch's bytes: below SAKER_BATCH_FLUSH + a padded SAKER_MAX_EVENT */
#define SAKER_BATCH_LEN_MASK (64 * 1024 - 1)
#define SAKER_BATCH_ALIGN(n) (((n) + 7) & ~7u)

/*
 * A CPU's batch. The header is read by userspace through the map's mmap
 * (first_ts: when this CPU's oldest event not yet in the ring happened, 0
 * when none), so the consumer holds back later events until it is out.
 */
struct saker_batch {
	__u32 len;      /* bytes of whole events in data */
	__u32 n;        /* events in them */
	__u32 busy;     /* a program is between adding an event and sending the batch */
	__u32 pad;
	__u64 first_ts; /* the ts of data's first event; 0 when empty */
	__u8 pad2[40];
	__u8 data[SAKER_BATCH_ROOM + SAKER_SCRATCH_SIZE];
};

/*
 * The bits of the dispatcher's interesting[nr]: which ABI's syscall nr is
 * captured, and whether the program of that ABI's nr reads the syscall's
 * arguments from the registers itself (a __cast twin: sc__init in
 * bpf/task.bpf.h), so the dispatcher does not save them for it.
 */
#define SAKER_WANT_64 1
#define SAKER_WANT_IA32 2
#define SAKER_OWN_ARGS_64 4
#define SAKER_OWN_ARGS_IA32 8

/* Why an event was not delivered. */
enum saker_drop_reason {
	SAKER_DROP_RING_FULL,
	SAKER_DROP_TOO_LARGE,
	SAKER_DROP_NO_RING,
	SAKER_DROP_NPARAMS, /* a program stored other than its event's parameter count */
	SAKER_DROP_REASONS,
};

/* Syscall categories counted per CPU (coarse, for stats). */
enum saker_category {
	SAKER_CAT_FILE,
	SAKER_CAT_NET,
	SAKER_CAT_PROCESS,
	SAKER_CAT_OTHER,
	SAKER_CATEGORIES,
};

/* One per CPU, in a PERCPU_ARRAY of one entry. */
struct saker_counters {
	__u64 events_seen;      /* events built by a probe: events_sent + drops, summed by userspace */
	__u64 events_sent;      /* events committed to a ring */
	__u64 drops[SAKER_DROP_REASONS];
	__u64 by_category[SAKER_CATEGORIES];
	__u64 ia32_syscalls;    /* 32-bit syscalls converted to 64-bit ids */
	/*
	 * Not a counter: the bytes this CPU committed since it last woke the
	 * consumer (evt__wakeup_flags), kept here because every submit holds
	 * this CPU's counters anyway. Userspace does not read it.
	 */
	__u64 unwoken;
};

#endif
