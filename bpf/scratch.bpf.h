/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building scap events in this CPU's batch and sending batches to the ring
 * of this CPU. Every probe follows the same shape: evt__begin, one
 * evt__store_* per parameter in table order, evt__submit.
 */
#ifndef SAKER_SCRATCH_BPF_H
#define SAKER_SCRATCH_BPF_H

#include "maps.bpf.h"

struct evt {
	__u8 *buf;
	struct saker_batch *batch;
	__u32 start; /* where buf starts in the batch's data */
	__u32 pos;
	__u32 idx;
	__u32 nparams;
	__u32 category;
	__u32 cpu;
	__u32 size; /* evt__begin_fixed: the event's size, a constant */
};

/* Loads and stores the compiler keeps, in order: a flush program may interrupt. */
#define BATCH_READ(x) (*(volatile typeof(x) *)&(x))
#define BATCH_WRITE(x, v) (*(volatile typeof(x) *)&(x) = (v))

/*
 * Word stores at any offset: events are packed (a 26-byte header, then
 * 2-byte lengths), so most values sit unaligned. Through __builtin_memcpy
 * clang stores such a value byte by byte (a u64 was 15 instructions); a
 * plain store is one. The verifier takes unaligned stores into map values
 * and ring memory on architectures with efficient unaligned access (x86,
 * arm64: it enforces alignment only with BPF_F_STRICT_ALIGNMENT, which
 * saker never sets), stack slots excepted, and no store here goes to the
 * stack.
 */
#define EVT_PUT(p, type, v) (*(type *)(void *)(p) = (type)(v))

static __always_inline struct saker_counters *counters__get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

/*
 * The ring of a CPU. cpus_per_ring is read-only data, which the verifier
 * reads as the constant it is: with the default 1 the division (a div and
 * the verifier's zero check) is dead code and removed.
 */
static __always_inline __u32 ring__of_cpu(__u32 cpu)
{
	return cpus_per_ring == 1 ? cpu : cpu / cpus_per_ring;
}

static __always_inline void counters__drop(enum saker_drop_reason reason)
{
	struct saker_counters *c = counters__get();

	if (c && reason < SAKER_DROP_REASONS)
		c->drops[reason]++;
}

/* The header but its len, which evt__submit patches in. */
static __always_inline void evt__put_hdr(__u8 *b, __u64 ts, __u64 tid, __u16 type, __u32 nparams)
{
	EVT_PUT(b + SAKER_HDR_OFF(ts), __u64, ts);
	EVT_PUT(b + SAKER_HDR_OFF(tid), __u64, tid);
	EVT_PUT(b + SAKER_HDR_OFF(type), __u16, type);
	EVT_PUT(b + SAKER_HDR_OFF(nparams), __u32, nparams);
}

/*
 * What both ways of starting an event share: the header in `buf` and the
 * builder's state, with the first parameter's bytes after the header and
 * the length table. The parameter count comes from the generated table, a
 * constant (the submit checks that the program stored exactly that many,
 * nparams_skew added there, tests only), so every offset folds at compile
 * time.
 */
static __always_inline void evt__init(struct evt *e, __u8 *buf, __u32 cpu, __u16 type, __u64 tid,
				      __u32 category)
{
	__u32 nparams = saker_event_nparams(type);

	evt__put_hdr(buf, bpf_ktime_get_boot_ns() + boot_to_epoch_ns, tid, type, nparams);
	e->buf = buf;
	e->cpu = cpu;
	e->nparams = nparams;
	e->pos = SAKER_HDR_LEN + nparams * 2;
	e->idx = 0;
	e->category = category;
}

/*
 * Start an event of `type` for thread `tid` in this CPU's batch, right
 * after the events it holds: everything past them is free (a builder's
 * scratch included), and the event joins them only at its submit.
 */
static __always_inline int evt__begin_tid(struct evt *e, __u16 type, __u64 tid, __u32 category)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct saker_batch *b = bpf_map_lookup_elem(&batches, &cpu);
	__u32 start;

	if (!b)
		return -1;
	start = BATCH_READ(b->len) & SAKER_BATCH_MASK;
	e->batch = b;
	e->start = start;
	evt__init(e, &b->data[start], cpu, type, tid, category);
	return 0;
}

static __always_inline int evt__begin(struct evt *e, __u16 type, __u32 category)
{
	return evt__begin_tid(e, type, bpf_get_current_pid_tgid() & 0xffffffff, category);
}

static __always_inline void evt__set_len(struct evt *e, __u16 len)
{
	EVT_PUT(&e->buf[SAKER_HDR_LEN + (e->idx & 63) * 2], __u16, len);
	e->idx++;
	e->pos += len;
}

static __always_inline void evt__store_u8(struct evt *e, __u8 v)
{
	e->buf[e->pos & SAKER_POS_MASK] = v;
	evt__set_len(e, 1);
}

static __always_inline void evt__store_u16(struct evt *e, __u16 v)
{
	EVT_PUT(&e->buf[e->pos & SAKER_POS_MASK], __u16, v);
	evt__set_len(e, 2);
}

static __always_inline void evt__store_u32(struct evt *e, __u32 v)
{
	EVT_PUT(&e->buf[e->pos & SAKER_POS_MASK], __u32, v);
	evt__set_len(e, 4);
}

static __always_inline void evt__store_u64(struct evt *e, __u64 v)
{
	EVT_PUT(&e->buf[e->pos & SAKER_POS_MASK], __u64, v);
	evt__set_len(e, 8);
}

static __always_inline void evt__store_empty(struct evt *e)
{
	evt__set_len(e, 0);
}

/* A NUL-terminated string from user memory; empty when unreadable. */
static __always_inline void evt__store_user_str(struct evt *e, const void *p)
{
	long n = 0;

	if (p)
		n = bpf_probe_read_user_str(&e->buf[e->pos & SAKER_POS_MASK], SAKER_MAX_PATH, p);
	if (n < 0)
		n = 0;
	evt__set_len(e, n);
}

static __always_inline void evt__store_kernel_str(struct evt *e, const void *p)
{
	long n = 0;

	if (p)
		n = bpf_probe_read_kernel_str(&e->buf[e->pos & SAKER_POS_MASK], SAKER_MAX_PATH, p);
	if (n < 0)
		n = 0;
	evt__set_len(e, n);
}

/* Raw bytes from user memory, at most SAKER_MAX_ARGS. */
static __always_inline void evt__store_user_bytes(struct evt *e, const void *p, __u64 len)
{
	if (len > SAKER_MAX_ARGS)
		len = SAKER_MAX_ARGS;
	if (!p || bpf_probe_read_user(&e->buf[e->pos & SAKER_POS_MASK], len & (SAKER_MAX_ARGS * 2 - 1), p))
		len = 0;
	evt__set_len(e, len);
}

/* Append raw bytes to the parameter being built (no length bookkeeping). */
static __always_inline long evt__append_kernel_str(struct evt *e, __u32 *plen, const void *p, __u32 max)
{
	long n = bpf_probe_read_kernel_str(&e->buf[(e->pos + *plen) & SAKER_POS_MASK], max & 0xfff, p);

	if (n > 0)
		*plen += n;
	return n;
}

/*
 * Wakeups: a batch never wakes the consumer by itself (an irq_work per
 * record is an APIC write, which traps to the hypervisor in a VM). Userspace
 * drains every ring on a short timer; in between, each CPU counts the bytes
 * it sent since it last woke the consumer and the first batch past
 * wakeup_bytes forces ONE wakeup and restarts the count, so a burst that
 * would fill the ring before the next tick gets the consumer early, at one
 * wakeup per wakeup_bytes. No helper call decides it (no bpf_ringbuf_query),
 * and no lookup: the count is in this CPU's counters.
 *
 * Every event built ends as exactly one of events_sent or a drop (once its
 * batch is out), so the programs do not count events_seen: userspace sums
 * it (capture.c).
 */
static __always_inline __u64 evt__wakeup_flags(struct saker_counters *c, __u32 len)
{
	if (!c)
		return BPF_RB_NO_WAKEUP;
	c->unwoken += len;
	if (c->unwoken <= wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	c->unwoken = 0;
	return BPF_RB_FORCE_WAKEUP;
}

/* `n` events of `len` bytes at `p` into the ring of `cpu`, as one record. */
static __always_inline void batch__output(struct saker_counters *c, __u32 cpu, void *p, __u32 len, __u32 n)
{
	__u32 ring = ring__of_cpu(cpu);
	void *rb = bpf_map_lookup_elem(&rings, &ring);

	if (!rb) {
		if (c)
			c->drops[SAKER_DROP_NO_RING] += n;
		return;
	}
	if (bpf_ringbuf_output(rb, p, len & SAKER_BATCH_LEN_MASK, evt__wakeup_flags(c, len))) {
		if (c)
			c->drops[SAKER_DROP_RING_FULL] += n;
		return;
	}
	if (c)
		c->events_sent += n;
}

/* Send this CPU's batch to the ring and empty it; busy is the caller's. */
static __always_inline void batch__flush(struct saker_batch *b, __u32 cpu, struct saker_counters *c)
{
	__u32 len = BATCH_READ(b->len);

	if (!len)
		return;
	batch__output(c, cpu, b->data, len, BATCH_READ(b->n));
	BATCH_WRITE(b->len, 0);
	BATCH_WRITE(b->n, 0);
	BATCH_WRITE(b->first_ts, 0);
}

/*
 * The event built at e->buf joins its batch, which goes to the ring when
 * full or old. busy tells saker_flush (userspace's flush of a quiet CPU,
 * which runs in an interrupt on this CPU and may come between any two
 * instructions here) to leave the batch alone until it is cleared. If that
 * flush came while the event was being built, the batch is empty now and
 * the event, which lies past where it was, goes out alone, after it.
 */
static __always_inline void batch__add(struct evt *e, struct saker_counters *c, __u32 len)
{
	struct saker_batch *b = e->batch;
	__u64 ts = *(__u64 *)(void *)(e->buf + SAKER_HDR_OFF(ts));
	__u32 end;

	BATCH_WRITE(b->busy, 1);
	if (BATCH_READ(b->len) != e->start) {
		batch__output(c, e->cpu, e->buf, len, 1);
		BATCH_WRITE(b->busy, 0);
		return;
	}
	end = e->start + SAKER_BATCH_ALIGN(len);
	if (!e->start)
		BATCH_WRITE(b->first_ts, ts);
	BATCH_WRITE(b->n, BATCH_READ(b->n) + 1);
	BATCH_WRITE(b->len, end);
	if (end >= batch_flush_bytes || ts - BATCH_READ(b->first_ts) >= SAKER_BATCH_AGE_NS)
		batch__flush(b, e->cpu, c);
	BATCH_WRITE(b->busy, 0);
}

static __always_inline int evt__submit(struct evt *e)
{
	struct saker_counters *c = counters__get();
	__u32 len = e->pos;

	if (c && e->category < SAKER_CATEGORIES)
		c->by_category[e->category]++;
	if (e->idx != e->nparams + nparams_skew) {
		counters__drop(SAKER_DROP_NPARAMS);
		return -1;
	}
	if (len > SAKER_MAX_EVENT) {
		counters__drop(SAKER_DROP_TOO_LARGE);
		return -1;
	}
	EVT_PUT(&e->buf[SAKER_HDR_OFF(len)], __u32, len);
	batch__add(e, c, len);
	return 0;
}

/*
 * Events of a fixed size (no string or buffer parameter): every store lands
 * at an offset known at compile time, and the size is checked against the
 * stores at build time. They are built in the batch as the others are.
 */
extern void evt__fixed_size_mismatch(void)
	__attribute__((error("evt__begin_fixed: the payload size differs from the stores")));

static __always_inline int evt__begin_fixed(struct evt *e, __u16 type, __u64 tid, __u32 category,
					    __u32 payload)
{
	if (evt__begin_tid(e, type, tid, category))
		return -1;
	e->size = SAKER_HDR_LEN + e->nparams * 2 + payload;
	EVT_PUT(e->buf + SAKER_HDR_OFF(len), __u32, e->size);
	return 0;
}

static __always_inline int evt__submit_fixed(struct evt *e)
{
	struct saker_counters *c = counters__get();

	if (e->pos != e->size)
		evt__fixed_size_mismatch(); /* folded away, or the build stops */
	if (c && e->category < SAKER_CATEGORIES)
		c->by_category[e->category]++;
	if (e->idx != e->nparams + nparams_skew) {
		counters__drop(SAKER_DROP_NPARAMS);
		return -1;
	}
	batch__add(e, c, e->size);
	return 0;
}

#endif
