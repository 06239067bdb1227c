/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The I/O family: read, write, pread64, pwrite64, readv, writev, preadv,
 * pwritev, sendfile, splice, recvfrom, sendto, recvmsg, sendmsg, recvmmsg,
 * sendmmsg. Each emits its scap exit event with the fd, the size and, where
 * the call moves a user buffer, its first `snaplen` bytes (Falco's default:
 * 80). These syscalls are the busiest on most hosts: userspace marks them
 * interesting only when a loaded rule names them, or -A / -w asks, so the
 * dispatcher's table lookup is all they cost otherwise. process_vm_readv and
 * process_vm_writev are here for their iovecs, not for their volume.
 * Included at the end of saker.bpf.c (it uses SYS_EXIT and BEGIN).
 */
#ifndef SAKER_IO_BPF_H
#define SAKER_IO_BPF_H

/* Bytes of data kept per event (-S / --snaplen), at most SAKER_MAX_SNAPLEN. */
const volatile __u32 snaplen = SAKER_DEFAULT_SNAPLEN;

/* iovecs looked at per call: the data and the size come from these */
#define IO_MAX_IOV 8
/* masks a data length for the verifier; lengths are clamped below it first */
#define IO_LEN_MASK (SAKER_MAX_SNAPLEN * 2 - 1)

/*
 * A length the verifier knows is below IO_LEN_MASK + 1 whatever the compiler
 * proved: summed over a loop, the masked lengths would otherwise add up past
 * the scratch buffer in its eyes.
 */
static __always_inline __u32 io__bound(__u64 v)
{
	asm volatile("%[v] &= 32767" : [v] "+r"(v));
	return v;
}

_Static_assert(IO_LEN_MASK == 32767, "io__bound masks with IO_LEN_MASK");

static __always_inline __u32 io__cap(__s64 len)
{
	__u32 max = snaplen < SAKER_MAX_SNAPLEN ? snaplen : SAKER_MAX_SNAPLEN;

	if (len <= 0)
		return 0;
	return len > max ? max : (__u32)len;
}

/* Parameter `data` (BYTEBUF): the first bytes of a user buffer, bounded by the snaplen. */
static __always_inline void io__store_data(struct evt *e, const void *p, __s64 len)
{
	__u32 n = io__cap(len);

	if (!p || (n && bpf_probe_read_user(&e->buf[e->pos & SAKER_POS_MASK], n & IO_LEN_MASK, p)))
		n = 0;
	evt__set_len(e, n);
}

/*
 * Parameter `msgcontrol` (BYTEBUF): the control data the kernel left
 * (msg_controllen bytes), not cut at the snaplen: libs' recvmsg_x reads
 * msg_controllen bytes whatever the snaplen. At most SAKER_MAX_SNAPLEN.
 */
static __always_inline void io__store_ctl(struct evt *e, const void *p, __s64 len)
{
	__u32 n = len <= 0 ? 0 : len > SAKER_MAX_SNAPLEN ? SAKER_MAX_SNAPLEN : (__u32)len;

	if (!p || (n && bpf_probe_read_user(&e->buf[e->pos & SAKER_POS_MASK], n & IO_LEN_MASK, p)))
		n = 0;
	evt__set_len(e, n);
}

/* Read up to IO_MAX_IOV iovecs of a 64-bit caller; their count, or 0. */
static __always_inline __u32 io__read_iov(struct iovec *iov, const void *uiov, __u64 cnt)
{
	if (!uiov || !cnt)
		return 0;
	if (cnt > IO_MAX_IOV)
		cnt = IO_MAX_IOV;
	if (bpf_probe_read_user(iov, (cnt * sizeof(*iov)) & (IO_MAX_IOV * sizeof(*iov) * 2 - 1), uiov))
		return 0;
	return cnt;
}

/* The bytes the iovecs describe (the first IO_MAX_IOV of them). */
static __always_inline __u64 io__iov_size(const struct iovec *iov, __u32 cnt)
{
	__u64 size = 0;
	int i;

	for (i = 0; i < IO_MAX_IOV; i++)
		if (i < cnt)
			size += iov[i].iov_len;
	return size;
}

/* Parameter `data` (BYTEBUF) gathered from iovecs: `len` bytes at most, bounded by the snaplen. */
static __always_inline void io__store_iov_data(struct evt *e, const struct iovec *iov, __u32 cnt, __s64 len)
{
	__u32 want = io__cap(len), total = 0;
	int i;

	for (i = 0; i < IO_MAX_IOV; i++) {
		__u32 n;

		if (i >= cnt || total >= want)
			break;
		n = iov[i].iov_len < want - total ? iov[i].iov_len : want - total;
		if (bpf_probe_read_user(&e->buf[(e->pos + total) & SAKER_POS_MASK], n & IO_LEN_MASK,
					iov[i].iov_base))
			break;
		total = io__bound(total + (n & IO_LEN_MASK));
	}
	evt__set_len(e, total);
}

/* A msghdr, and its iovecs' count (none for ia32 callers, whose layout differs; mh then zero). */
static __always_inline __u32 io__read_msg(struct sc *s, const struct user_msghdr *umh, struct user_msghdr *mh,
					  struct iovec *iov)
{
	if (s->compat || !umh || bpf_probe_read_user(mh, sizeof(*mh), umh)) {
		__builtin_memset(mh, 0, sizeof(*mh));
		return 0;
	}
	return io__read_iov(iov, mh->msg_iov, mh->msg_iovlen);
}

/* The user address of an unconnected IPv4 or IPv6 socket's remote end: struct sockaddr_in/_in6's head. */
struct io_uaddr {
	__u16 family;
	__u16 port;                 /* network order */
	union {
		__u32 v4;
		struct {
			__u32 flowinfo;
			__u8 v6[16];
		};
	};
};

/*
 * Parameter `tuple` (SOCKTUPLE) of a send or a receive: the socket's two
 * ends, as evt__store_socktuple. An IP socket with no remote end (an
 * unconnected UDP socket) takes it from the address the caller gave (send)
 * or got (receive: the kernel wrote it before the exit), as libs'
 * auxmap__store_socktuple_param does with its usrsockaddr. A receive puts
 * the remote end first (libs' INBOUND), a send the local end.
 */
static __always_inline void io__store_tuple(struct evt *e, struct sc *s, long fd, int inbound, const void *uaddr,
					    int cast)
{
	struct sock *sk = sc__fd_sock(s, fd, cast);
	struct io_uaddr ua = {};
	__u16 family, lport, rport;
	__u8 *b;

	if (!sk || !uaddr || CAST_RD(cast, sk, __sk_common.skc_dport) ||
	    bpf_probe_read_user(&ua, sizeof(ua), uaddr)) {
		evt__store_socktuple(e, sk, inbound, cast);
		return;
	}
	family = CAST_RD(cast, sk, __sk_common.skc_family);
	if ((family != 2 && family != 10) || ua.family != family) {
		evt__store_socktuple(e, sk, inbound, cast);
		return;
	}
	lport = CAST_RD(cast, sk, __sk_common.skc_num);
	rport = bpf_ntohs(ua.port);
	b = &e->buf[e->pos & SAKER_POS_MASK];
	b[0] = family;
	if (family == 2) { /* AF_INET */
		__u32 laddr = CAST_RD(cast, sk, __sk_common.skc_rcv_saddr);

		__builtin_memcpy(&b[inbound ? 7 : 1], &laddr, 4);
		__builtin_memcpy(&b[inbound ? 11 : 5], &lport, 2);
		__builtin_memcpy(&b[inbound ? 1 : 7], &ua.v4, 4);
		__builtin_memcpy(&b[inbound ? 5 : 11], &rport, 2);
		evt__set_len(e, 13);
		return;
	}
	/* AF_INET6 */
	evt__write_in6(e, inbound ? 19 : 1, &sk->__sk_common.skc_v6_rcv_saddr, cast);
	__builtin_memcpy(&b[inbound ? 1 : 19], ua.v6, 16);
	__builtin_memcpy(&b[inbound ? 35 : 17], &lport, 2);
	__builtin_memcpy(&b[inbound ? 17 : 35], &rport, 2);
	evt__set_len(e, 37);
}

/* What a read-like call got, or what a write-like call gave: res when it succeeded, else the size asked. */
static __always_inline __s64 io__written(struct sc *s, __u64 size)
{
	return s->ret > 0 ? s->ret : (__s64)size;
}

/* ---------------------------------------------------------------------- */
/* read, write, pread64, pwrite64                                           */

SYS_EXIT(read)
{
	BEGIN(SAKER_EV_READ_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF): what was read */
	io__store_data(&e, (void *)sc__arg(&s, 1), s.ret);
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT(write)
{
	BEGIN(SAKER_EV_WRITE_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF): what was written, or asked to be */
	io__store_data(&e, (void *)sc__arg(&s, 1), io__written(&s, sc__arg(&s, 2)));
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT(pread)
{
	BEGIN(SAKER_EV_PREAD_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF) */
	io__store_data(&e, (void *)sc__arg(&s, 1), s.ret);
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	/* Parameter 5: pos (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 3));
	return evt__submit(&e);
}

SYS_EXIT(pwrite)
{
	BEGIN(SAKER_EV_PWRITE_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF) */
	io__store_data(&e, (void *)sc__arg(&s, 1), io__written(&s, sc__arg(&s, 2)));
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	/* Parameter 5: pos (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 3));
	return evt__submit(&e);
}

/* ---------------------------------------------------------------------- */
/* readv, writev, preadv, pwritev                                           */

/* The iovecs of a vectored call (none for ia32 callers, whose iovec is 8 bytes). */
static __always_inline __u32 io__args_iov(struct sc *s, struct iovec *iov)
{
	return s->compat ? 0 : io__read_iov(iov, (void *)sc__arg(s, 1), sc__arg(s, 2));
}

SYS_EXIT(readv)
{
	BEGIN(SAKER_EV_READV_X, SAKER_CAT_FILE);
	struct iovec iov[IO_MAX_IOV] = {};
	__u32 cnt = io__args_iov(&s, iov);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: size (UINT32) */
	evt__store_u32(&e, io__iov_size(iov, cnt));
	/* Parameter 3: data (BYTEBUF) */
	io__store_iov_data(&e, iov, cnt, s.ret);
	/* Parameter 4: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	return evt__submit(&e);
}

SYS_EXIT(writev)
{
	BEGIN(SAKER_EV_WRITEV_X, SAKER_CAT_FILE);
	struct iovec iov[IO_MAX_IOV] = {};
	__u32 cnt = io__args_iov(&s, iov);
	__u64 size = io__iov_size(iov, cnt);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF) */
	io__store_iov_data(&e, iov, cnt, io__written(&s, size));
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, size);
	return evt__submit(&e);
}

SYS_EXIT(preadv)
{
	BEGIN(SAKER_EV_PREADV_X, SAKER_CAT_FILE);
	struct iovec iov[IO_MAX_IOV] = {};
	__u32 cnt = io__args_iov(&s, iov);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: size (UINT32) */
	evt__store_u32(&e, io__iov_size(iov, cnt));
	/* Parameter 3: data (BYTEBUF) */
	io__store_iov_data(&e, iov, cnt, s.ret);
	/* Parameter 4: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 5: pos (UINT64): pos_l; x86-64 passes the whole offset there */
	evt__store_u64(&e, sc__arg(&s, 3));
	return evt__submit(&e);
}

SYS_EXIT(pwritev)
{
	BEGIN(SAKER_EV_PWRITEV_X, SAKER_CAT_FILE);
	struct iovec iov[IO_MAX_IOV] = {};
	__u32 cnt = io__args_iov(&s, iov);
	__u64 size = io__iov_size(iov, cnt);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF) */
	io__store_iov_data(&e, iov, cnt, io__written(&s, size));
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, size);
	/* Parameter 5: pos (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 3));
	return evt__submit(&e);
}

/* ---------------------------------------------------------------------- */
/* process_vm_readv, process_vm_writev: another process's memory; the data  */
/* is the local buffers' (what was read or written), as libs' modern probe  */

static __always_inline int io__process_vm(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN(type, SAKER_CAT_PROCESS);
	struct iovec iov[IO_MAX_IOV] = {};
	__u32 cnt = io__args_iov(&s, iov);

	/* Parameter 1: res (INT64) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: pid (PID) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: data (BYTEBUF): empty unless ret > 0 */
	io__store_iov_data(&e, iov, cnt, s.ret);
	return evt__submit(&e);
}

SYS_EXIT(process_vm_readv)
{
	return io__process_vm(ctx, SAKER_EV_PROCESS_VM_READV_X);
}

SYS_EXIT(process_vm_writev)
{
	return io__process_vm(ctx, SAKER_EV_PROCESS_VM_WRITEV_X);
}

/* ---------------------------------------------------------------------- */
/* sendfile, splice: no user buffer, so no data                             */

SYS_EXIT(sendfile)
{
	BEGIN(SAKER_EV_SENDFILE_X, SAKER_CAT_FILE);
	void *uoff = (void *)sc__arg(&s, 2);
	__u64 off = 0;

	/* the offset after the call, where the caller gave one */
	if (uoff)
		bpf_probe_read_user(&off, s.compat ? 4 : 8, uoff);
	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: offset (UINT64) */
	evt__store_u64(&e, off);
	/* Parameter 3: out_fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 4: in_fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 1));
	/* Parameter 5: size (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 3));
	return evt__submit(&e);
}

SYS_EXIT(splice)
{
	BEGIN(SAKER_EV_SPLICE_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd_in (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: fd_out (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 2));
	/* Parameter 4: size (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 4));
	/* Parameter 5: flags (FLAGS32): SPLICE_F_* bits equal PPM_SPLICE_F_* */
	evt__store_u32(&e, sc__arg(&s, 5) & 0xf);
	return evt__submit(&e);
}

/* ---------------------------------------------------------------------- */
/* Sockets                                                                  */

SYS_EXIT_TWIN(sendto)
{
	BEGIN_AS(SAKER_EV_SENDTO_X, SAKER_CAT_NET, cast);
	long fd = sc__arg_int(&s, 0);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF) */
	io__store_data(&e, (void *)sc__arg(&s, 1), io__written(&s, sc__arg(&s, 2)));
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, fd);
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	/* Parameter 5: tuple (SOCKTUPLE): an unconnected socket's remote end is dest_addr */
	io__store_tuple(&e, &s, fd, 0, s.compat ? NULL : (void *)sc__arg(&s, 4), cast);
	return evt__submit(&e);
}

SYS_EXIT_TWIN(recvfrom)
{
	BEGIN_AS(SAKER_EV_RECVFROM_X, SAKER_CAT_NET, cast);
	long fd = sc__arg_int(&s, 0);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF) */
	io__store_data(&e, (void *)sc__arg(&s, 1), s.ret);
	/* Parameter 3: tuple (SOCKTUPLE): remote end first; an unconnected socket's is src_addr;
	 * empty when nothing came (ret <= 0: an error, an empty datagram, EOF), as libs' recvfrom_x */
	if (s.ret <= 0)
		evt__store_empty(&e);
	else
		io__store_tuple(&e, &s, fd, 1, s.compat ? NULL : (void *)sc__arg(&s, 4), cast);
	/* Parameter 4: fd (FD) */
	evt__store_u64(&e, fd);
	/* Parameter 5: size (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT_TWIN(sendmsg)
{
	BEGIN_AS(SAKER_EV_SENDMSG_X, SAKER_CAT_NET, cast);
	long fd = sc__arg_int(&s, 0);
	struct iovec iov[IO_MAX_IOV] = {};
	struct user_msghdr mh;
	__u32 cnt = io__read_msg(&s, (void *)sc__arg(&s, 1), &mh, iov);
	__u64 size = io__iov_size(iov, cnt);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: data (BYTEBUF) */
	io__store_iov_data(&e, iov, cnt, io__written(&s, size));
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, fd);
	/* Parameter 4: size (UINT32) */
	evt__store_u32(&e, size);
	/* Parameter 5: tuple (SOCKTUPLE): an unconnected socket's remote end is msg_name */
	io__store_tuple(&e, &s, fd, 0, mh.msg_name, cast);
	return evt__submit(&e);
}

SYS_EXIT_TWIN(recvmsg)
{
	BEGIN_AS(SAKER_EV_RECVMSG_X, SAKER_CAT_NET, cast);
	long fd = sc__arg_int(&s, 0);
	struct iovec iov[IO_MAX_IOV] = {};
	struct user_msghdr mh;
	__u32 cnt = io__read_msg(&s, (void *)sc__arg(&s, 1), &mh, iov);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: size (UINT32): the length received, 0 when the call failed, as libs' recvmsg_x */
	evt__store_u32(&e, s.ret < 0 ? 0 : s.ret);
	/* Parameter 3: data (BYTEBUF) */
	io__store_iov_data(&e, iov, cnt, s.ret);
	/* Parameter 4: tuple (SOCKTUPLE): remote end first; an unconnected socket's is msg_name;
	 * empty when nothing came (ret <= 0), as libs' recvmsg_x */
	if (s.ret <= 0)
		evt__store_empty(&e);
	else
		io__store_tuple(&e, &s, fd, 1, mh.msg_name, cast);
	/* Parameter 5: msgcontrol (BYTEBUF): the control data received (msg_controllen, the kernel's),
	 * empty when nothing came, as libs */
	io__store_ctl(&e, mh.msg_control, s.ret > 0 ? mh.msg_controllen : 0);
	/* Parameter 6: fd (FD) */
	evt__store_u64(&e, fd);
	return evt__submit(&e);
}

/* Messages of one sendmmsg/recvmmsg reported, as Falco's modern probe (MAX_SENDMMSG_RECVMMSG_SIZE). */
#define IO_MAX_MMSG 16

/*
 * sendmmsg, recvmmsg: one exit event per message, as current libs emit
 * them: res is the message's length, data its iovecs, size their total
 * (sendmmsg) or the length received (recvmmsg), the tuple the socket's or,
 * unconnected, the message's msg_name (io__store_tuple), recvmmsg's
 * msgcontrol the message's control data. The program reports message mmsg_index and tail-calls itself for
 * the next one, up to min(res, IO_MAX_MMSG) messages (a tail call per
 * message keeps every kernel's verifier to one message's program; 16 of them
 * stay far below the 33 tail calls a chain may make). A failed call is one
 * event with res, fd, size 0 and no data or tuple (libs). ia32 callers,
 * whose mmsghdr differs, get one event with their result only.
 */
static __always_inline int io__mmsg(struct bpf_raw_tracepoint_args *ctx, __u16 type, int recv, int cast)
{
	struct mmsghdr *umm;
	struct iovec iov[IO_MAX_IOV] = {};
	struct user_msghdr mh = {};
	struct sc s;
	struct evt e;
	__u32 i = 0, cnt = 0, len = 0, n, zero = 0, *mi;
	__s64 res;
	long fd;

	sc__init(&s, ctx, cast);
	mi = bpf_map_lookup_elem(&mmsg_index, &zero);
	if (mi) {
		i = *mi;
		*mi = 0;
	}
	if (i >= IO_MAX_MMSG)
		return 0;
	fd = sc__arg_int(&s, 0);
	umm = (struct mmsghdr *)sc__arg(&s, 1) + i;
	res = s.ret;
	n = s.ret <= 0 || s.compat ? 1 : s.ret < IO_MAX_MMSG ? s.ret : IO_MAX_MMSG;
	if (s.ret > 0 && !s.compat) {
		cnt = io__read_msg(&s, (void *)umm, &mh, iov);
		res = bpf_probe_read_user(&len, sizeof(len), &umm->msg_len) ? 0 : len;
	}
	if (evt__begin_tid(&e, type, s.tid, SAKER_CAT_NET))
		return 0;
	/* Parameter 1: res (ERRNO): the message's length, or the call's error */
	evt__store_u64(&e, res);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, fd);
	/* Parameter 3: size (UINT32): the iovecs' total (sendmmsg), the length received (recvmmsg), as libs */
	evt__store_u32(&e, recv ? (s.ret > 0 ? res : 0) : io__iov_size(iov, cnt));
	/* Parameter 4: data (BYTEBUF) */
	io__store_iov_data(&e, iov, cnt, s.ret > 0 ? res : 0);
	/* Parameter 5: tuple (SOCKTUPLE): none for a failed call */
	if (s.ret > 0)
		io__store_tuple(&e, &s, fd, recv, mh.msg_name, cast);
	else
		evt__store_empty(&e);
	/* Parameter 6: msgcontrol (BYTEBUF), recvmmsg only: the message's control data (msg_controllen bytes) */
	if (recv)
		io__store_ctl(&e, mh.msg_control, s.ret > 0 ? mh.msg_controllen : 0);
	evt__submit(&e);
	if (i + 1 < n && mi) {
		*mi = i + 1;
		bpf_tail_call(ctx, &syscall_progs, sc__id(&s));
		*mi = 0; /* the tail call failed: the chain ends here */
	}
	return 0;
}

SYS_EXIT_TWIN(sendmmsg) { return io__mmsg(ctx, SAKER_EV_SENDMMSG_X, 0, cast); }
SYS_EXIT_TWIN(recvmmsg) { return io__mmsg(ctx, SAKER_EV_RECVMMSG_X, 1, cast); }

#endif
