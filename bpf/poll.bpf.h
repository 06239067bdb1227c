/* SPDX-License-Identifier: GPL-2.0 */
/*
 * poll and ppoll: their exit events with the fds and the events each
 * returned (the FDLIST that fdlist.* read), the timeout and ppoll's signal
 * mask. Included at the end of saker.bpf.c, after the helpers it uses.
 */
#ifndef SAKER_POLL_BPF_H
#define SAKER_POLL_BPF_H

/* pollfd entries looked at per call, as libs' MAX_POLLFD */
#define POLL_MAX_FDS 16

/* struct pollfd as the kernel's uapi has it, for 64-bit and ia32 callers alike */
struct poll_fd {
	__s32 fd;
	__s16 events;
	__s16 revents;
};

/* poll(2) event bits (asm-generic/poll.h) to scap's PPM_POLL* */
static __always_inline __u16 poll_events_to_scap(__u16 ev)
{
	__u16 r = 0;

	r |= ev & 0x0001 ? 1 << 0 : 0;   /* POLLIN */
	r |= ev & 0x0002 ? 1 << 1 : 0;   /* POLLPRI */
	r |= ev & 0x0004 ? 1 << 2 : 0;   /* POLLOUT */
	r |= ev & 0x2000 ? 1 << 3 : 0;   /* POLLRDHUP */
	r |= ev & 0x0008 ? 1 << 4 : 0;   /* POLLERR */
	r |= ev & 0x0010 ? 1 << 5 : 0;   /* POLLHUP */
	r |= ev & 0x0020 ? 1 << 6 : 0;   /* POLLNVAL */
	r |= ev & 0x0040 ? 1 << 7 : 0;   /* POLLRDNORM */
	r |= ev & 0x0080 ? 1 << 8 : 0;   /* POLLRDBAND */
	r |= ev & 0x0100 ? 1 << 9 : 0;   /* POLLWRNORM */
	r |= ev & 0x0200 ? 1 << 10 : 0;  /* POLLWRBAND */
	return r;
}

/*
 * Parameter fds (FDLIST): a 16-bit count, then per fd a 64-bit fd and the
 * 16-bit events the kernel returned (revents), at most POLL_MAX_FDS of
 * them, as libs' exit events. The pollfd array is read in one probe read
 * into the second half of the scratch buffer; an unreadable one gives a
 * count of 0.
 */
static __always_inline void evt__store_pollfds(struct evt *e, const void *ufds, __u32 nfds)
{
	struct poll_fd *pf = (struct poll_fd *)&e->buf[TMP_BASE];
	__u64 n = nfds < POLL_MAX_FDS ? nfds : POLL_MAX_FDS;
	int k;

	/* a count the verifier sees bounded whatever clang proved (as io__bound) */
	asm volatile("%[v] &= 31" : [v] "+r"(n));
	if (!ufds || bpf_probe_read_user(pf, n * sizeof(*pf), ufds))
		n = 0;
	EVT_PUT(&e->buf[e->pos & SAKER_POS_MASK], __u16, n);
	for (k = 0; k < POLL_MAX_FDS; k++) {
		__u32 off = e->pos + 2 + k * 10;

		if (k >= n)
			break;
		EVT_PUT(&e->buf[off & SAKER_POS_MASK], __s64, pf[k].fd);
		EVT_PUT(&e->buf[(off + 8) & SAKER_POS_MASK], __u16, poll_events_to_scap(pf[k].revents));
	}
	evt__set_len(e, 2 + n * 10);
}

SYS_EXIT(poll)
{
	BEGIN(SAKER_EV_POLL_X, SAKER_CAT_OTHER);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fds (FDLIST) */
	evt__store_pollfds(&e, (void *)sc__arg(&s, 0), sc__arg(&s, 1));
	/*
	 * Parameter 3: timeout (INT64): the int milliseconds widened through
	 * u32, as every libs driver does (modern probe poll_e, bpf filler
	 * sys_poll_e): no timeout (-1) is 4294967295, not -1
	 */
	evt__store_u64(&e, (__u32)sc__arg_int(&s, 2));
	return evt__submit(&e);
}

/* ppoll's timespec in ns, 0 when there is none (NULL: no timeout), as libs */
static __always_inline __u64 poll__timeout_ns(struct sc *s, const void *uts)
{
	__s64 ts[2] = {};
	__s32 ts32[2] = {};

	if (!uts)
		return 0;
	if (sc__time32(s)) { /* ia32 ppoll: struct old_timespec32; ppoll_time64's is 64-bit */
		bpf_probe_read_user(ts32, sizeof(ts32), uts);
		return (__u64)(__u32)ts32[0] * 1000000000ULL + ts32[1];
	}
	bpf_probe_read_user(ts, sizeof(ts), uts);
	return (__u64)ts[0] * 1000000000ULL + ts[1];
}

SYS_EXIT(ppoll)
{
	BEGIN(SAKER_EV_PPOLL_X, SAKER_CAT_OTHER);
	__u64 sigmask = 0;

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fds (FDLIST) */
	evt__store_pollfds(&e, (void *)sc__arg(&s, 0), sc__arg(&s, 1));
	/* Parameter 3: timeout (RELTIME) */
	evt__store_u64(&e, poll__timeout_ns(&s, (void *)sc__arg(&s, 2)));
	/* Parameter 4: sigmask (SIGSET): its low 32 bits, 0 when there is none */
	if (sc__arg(&s, 3))
		bpf_probe_read_user(&sigmask, sizeof(sigmask), (void *)sc__arg(&s, 3));
	evt__store_u32(&e, (__u32)sigmask);
	return evt__submit(&e);
}

#endif
