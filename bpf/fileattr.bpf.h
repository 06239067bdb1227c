/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls that change a file's attributes without writing it: setxattr,
 * lsetxattr, fsetxattr (security.capability is how file capabilities are
 * set); utimensat, futimesat, utimes, utime (a file's atime and mtime, how
 * timestamps are forged). The scap table has no event for them: their types
 * are saker's own, from 480 up (docs/architecture.md, "Saker-only event
 * types"), which a capture written for sysdig 0.29.3 leaves out.
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

/* ---------------------------------------------------------------------- */
/* utimensat, futimesat, utimes, utime: (res, [fd,] path, atime, mtime[, flags]) */
/* A time is in ns since the epoch when the caller gave it; 0 when it did   */
/* not (times NULL, UTIME_NOW, UTIME_OMIT: the time of the call or the file's */
/* own); one given at or before the epoch is 1 (it is still given).         */

#define FILEATTR_UTIME_NOW ((1ll << 30) - 1)
#define FILEATTR_UTIME_OMIT ((1ll << 30) - 2)
/* a second count past this (year 2262) no longer fits in ns */
#define FILEATTR_MAX_SEC 9223372035ll

static __always_inline __u64 utime__given(__s64 sec, __s64 nsec)
{
	if (sec < 0 || (sec == 0 && nsec <= 0))
		return 1;
	if (sec > FILEATTR_MAX_SEC)
		return ~0ull;
	return (__u64)sec * 1000000000ull + (__u64)nsec;
}

/*
 * times[2] of utimensat (struct timespec, unit 1 ns: UTIME_NOW and
 * UTIME_OMIT are not given times) or of futimesat and utimes (struct
 * timeval, unit 1000 ns); 32-bit fields for an ia32 caller but in
 * utimensat_time64. NULL or
 * unreadable: neither given.
 */
static __always_inline void utime__store_times(struct evt *e, struct sc *s, const void *p, __s64 unit)
{
	__s64 t[4] = {};
	__u64 at = 0, mt = 0;
	int ok = 0;

	if (p && sc__time32(s)) {
		__s32 c[4] = {};

		ok = !bpf_probe_read_user(c, sizeof(c), p);
		t[0] = c[0], t[1] = c[1], t[2] = c[2], t[3] = c[3];
	} else if (p) {
		ok = !bpf_probe_read_user(t, sizeof(t), p);
	}
	if (ok && (unit != 1 || (t[1] != FILEATTR_UTIME_NOW && t[1] != FILEATTR_UTIME_OMIT)))
		at = utime__given(t[0], t[1] * unit);
	if (ok && (unit != 1 || (t[3] != FILEATTR_UTIME_NOW && t[3] != FILEATTR_UTIME_OMIT)))
		mt = utime__given(t[2], t[3] * unit);
	/* Parameters atime, mtime (ABSTIME) */
	evt__store_u64(e, at);
	evt__store_u64(e, mt);
}

SYS_EXIT(utimensat)
{
	BEGIN(SAKER_EV_UTIMENSAT_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD): the directory of a relative path, or with no path (futimens, touch) the file */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: path (FSRELPATH): empty when NULL */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameters 4, 5: atime, mtime (ABSTIME) */
	utime__store_times(&e, &s, (void *)sc__arg(&s, 2), 1);
	/* Parameter 6: flags (FLAGS32): AT_SYMLINK_NOFOLLOW 0x100, AT_EMPTY_PATH 0x1000 */
	evt__store_u32(&e, sc__arg(&s, 3));
	return evt__submit(&e);
}

SYS_EXIT(futimesat)
{
	BEGIN(SAKER_EV_FUTIMESAT_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD): the directory of a relative path */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: path (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameters 4, 5: atime, mtime (ABSTIME) */
	utime__store_times(&e, &s, (void *)sc__arg(&s, 2), 1000);
	return evt__submit(&e);
}

SYS_EXIT(utimes)
{
	BEGIN(SAKER_EV_UTIMES_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: path (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameters 3, 4: atime, mtime (ABSTIME) */
	utime__store_times(&e, &s, (void *)sc__arg(&s, 1), 1000);
	return evt__submit(&e);
}

SYS_EXIT(utime)
{
	BEGIN(SAKER_EV_UTIME_X, SAKER_CAT_FILE);
	const void *p = (void *)sc__arg(&s, 1);
	__s64 t[2] = {};
	int ok = 0;

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: path (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* struct utimbuf: whole seconds, 32-bit for an ia32 caller; NULL: now */
	if (p && s.compat) {
		__s32 c[2] = {};

		ok = !bpf_probe_read_user(c, sizeof(c), p);
		t[0] = c[0], t[1] = c[1];
	} else if (p) {
		ok = !bpf_probe_read_user(t, sizeof(t), p);
	}
	/* Parameters 3, 4: atime, mtime (ABSTIME) */
	evt__store_u64(&e, ok ? utime__given(t[0], 0) : 0);
	evt__store_u64(&e, ok ? utime__given(t[1], 0) : 0);
	return evt__submit(&e);
}

#endif
