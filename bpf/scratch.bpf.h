/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building scap events in per-CPU scratch space and submitting them to the
 * ring of this CPU. Every probe follows the same shape: evt__begin, one
 * evt__store_* per parameter in table order, evt__submit.
 */
#ifndef SAKER_SCRATCH_BPF_H
#define SAKER_SCRATCH_BPF_H

#include "maps.bpf.h"

struct evt {
	__u8 *buf;
	__u32 pos;
	__u32 idx;
	__u32 nparams;
	__u32 category;
	__u32 cpu;
	__u32 size; /* evt__begin_fixed: the bytes reserved in the ring */
};

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
 * What both ways of starting an event share: the header in `buf` (the
 * scratch buffer or the reserved record) and the builder's state, with
 * the first parameter's bytes after the header and the length table.
 * The parameter count comes from the generated table, a constant (the
 * submit checks that the program stored exactly that many, nparams_skew
 * added there, tests only), so every offset folds at compile time.
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

/* Start an event of `type` for thread `tid` in this CPU's scratch buffer. */
static __always_inline int evt__begin_tid(struct evt *e, __u16 type, __u64 tid, __u32 category)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u8 *buf = bpf_map_lookup_elem(&scratch, &cpu);

	if (!buf)
		return -1;
	evt__init(e, buf, cpu, type, tid, category);
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
 * Commit the event to the ring of this CPU; counts every failure.
 *
 * Wakeups: an event never wakes the consumer by itself (an irq_work per
 * event is an APIC write, which traps to the hypervisor in a VM). Userspace
 * drains every ring on a short timer; in between, each CPU counts the bytes
 * it committed since it last woke the consumer and the first event past
 * wakeup_bytes forces ONE wakeup and restarts the count, so a burst that
 * would fill the ring before the next tick gets the consumer early, at one
 * wakeup per wakeup_bytes. No helper call decides it (no bpf_ringbuf_query),
 * and no lookup: the count is in this CPU's counters, which the submit
 * holds anyway.
 *
 * Every event built ends as exactly one of events_sent or a drop, so the
 * programs do not count events_seen: userspace sums it (capture.c).
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

static __always_inline int evt__submit(struct evt *e)
{
	struct saker_counters *c = counters__get();
	__u32 ring = ring__of_cpu(e->cpu);
	__u32 len = e->pos;
	void *rb;

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
	rb = bpf_map_lookup_elem(&rings, &ring);
	if (!rb) {
		counters__drop(SAKER_DROP_NO_RING);
		return -1;
	}
	if (bpf_ringbuf_output(rb, e->buf, len, evt__wakeup_flags(c, len))) {
		if (c)
			c->drops[SAKER_DROP_RING_FULL]++;
		return -1;
	}
	if (c)
		c->events_sent++;
	return 0;
}

/*
 * Events of a fixed size (no string or buffer parameter) are written in the
 * ring itself: evt__begin_fixed reserves header + lengths + `payload` bytes
 * and evt__submit_fixed commits them, with no scratch buffer and no copy
 * (bpf_ringbuf_output is a reserve, a memcpy and a commit). The size must be
 * a constant for bpf_ringbuf_reserve, and every store lands at an offset
 * known at compile time, so the verifier of any kernel (5.10 included) sees
 * each one inside the record. A program between the two may call helpers
 * but must not return without evt__submit_fixed: the reserved record is a
 * reference the verifier makes every path release.
 */
extern void evt__fixed_size_mismatch(void)
	__attribute__((error("evt__begin_fixed: the payload size differs from the stores")));

static __always_inline int evt__begin_fixed(struct evt *e, __u16 type, __u64 tid, __u32 category,
					    __u32 payload)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u32 ring = ring__of_cpu(cpu);
	__u32 nparams = saker_event_nparams(type);
	__u32 size = SAKER_HDR_LEN + nparams * 2 + payload;
	struct saker_counters *c;
	void *rb = bpf_map_lookup_elem(&rings, &ring);
	__u8 *buf = rb ? bpf_ringbuf_reserve(rb, size, 0) : NULL;

	if (!buf) {
		c = counters__get();
		if (c)
			c->drops[rb ? SAKER_DROP_RING_FULL : SAKER_DROP_NO_RING]++;
		return -1;
	}
	evt__init(e, buf, cpu, type, tid, category);
	EVT_PUT(buf + SAKER_HDR_OFF(len), __u32, size);
	e->size = size;
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
		bpf_ringbuf_discard(e->buf, 0);
		counters__drop(SAKER_DROP_NPARAMS);
		return -1;
	}
	bpf_ringbuf_submit(e->buf, evt__wakeup_flags(c, e->size));
	if (c)
		c->events_sent++;
	return 0;
}

#endif
