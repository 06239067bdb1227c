/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls that change a file's attributes without writing it: setxattr,
 * lsetxattr, fsetxattr (security.capability is how file capabilities are
 * set). The scap table has no event for them: their types are saker's own,
 * from 480 up (docs/architecture.md, "Saker-only event types"), which a
 * capture written for sysdig 0.29.3 leaves out.
 * Included at the end of saker.bpf.c, after io.bpf.h (it uses SYS_EXIT,
 * BEGIN and io__store_data).
 */
#ifndef SAKER_FILEATTR_BPF_H
#define SAKER_FILEATTR_BPF_H

/* ---------------------------------------------------------------------- */
/* setxattr, lsetxattr, fsetxattr: (res, path or fd, name, value, flags)    */

static __always_inline void xattr__store_tail(struct evt *e, struct sc *s)
{
	/* Parameter 3: name (CHARBUF): the attribute, e.g. security.capability */
	evt__store_user_str(e, (void *)sc__arg(s, 1));
	/* Parameter 4: value (BYTEBUF): its first bytes, bounded by the snaplen */
	io__store_data(e, (void *)sc__arg(s, 2), (__s64)sc__arg(s, 3));
	/* Parameter 5: flags (FLAGS32): XATTR_CREATE 1, XATTR_REPLACE 2 */
	evt__store_u32(e, sc__arg(s, 4));
}

static __always_inline int xattr__path(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN(type, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: path (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	xattr__store_tail(&e, &s);
	return evt__submit(&e);
}

SYS_EXIT(setxattr) { return xattr__path(ctx, SAKER_EV_SETXATTR_X); }
SYS_EXIT(lsetxattr) { return xattr__path(ctx, SAKER_EV_LSETXATTR_X); }

SYS_EXIT(fsetxattr)
{
	BEGIN(SAKER_EV_FSETXATTR_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	xattr__store_tail(&e, &s);
	return evt__submit(&e);
}

#endif
