/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building synthetic scap events for unit tests: header, then parameters in
 * table order, each with its length.
 */
#ifndef SAKER_TEST_SYNTH_H
#define SAKER_TEST_SYNTH_H

#include <stdint.h>
#include <string.h>

#include "saker_shared.h"

struct synth {
	uint8_t buf[8192];
	uint32_t np, n;       /* params declared, params written */
	uint32_t pos;
};

static inline void synth_begin(struct synth *s, uint16_t type, uint64_t tid, uint64_t ts, uint32_t nparams)
{
	struct saker_evt_hdr h = { .ts = ts, .tid = tid, .type = type, .nparams = nparams };

	memset(s, 0, sizeof(*s));
	memcpy(s->buf, &h, sizeof(h));
	s->np = nparams;
	s->pos = SAKER_HDR_LEN + 2 * nparams;
}

static inline void synth_raw(struct synth *s, const void *p, uint16_t len)
{
	memcpy(s->buf + SAKER_HDR_LEN + 2 * s->n, &len, 2);
	memcpy(s->buf + s->pos, p, len);
	s->pos += len;
	s->n++;
}

static inline void synth_u64(struct synth *s, int64_t v) { synth_raw(s, &v, 8); }
static inline void synth_u32(struct synth *s, uint32_t v) { synth_raw(s, &v, 4); }
static inline void synth_u16(struct synth *s, uint16_t v) { synth_raw(s, &v, 2); }
static inline void synth_u8(struct synth *s, uint8_t v) { synth_raw(s, &v, 1); }
static inline void synth_str(struct synth *s, const char *str) { synth_raw(s, str, strlen(str) + 1); }
static inline void synth_bytes(struct synth *s, const char *b, uint16_t len) { synth_raw(s, b, len); }

/* Finish: writes the length; returns it. */
static inline uint32_t synth_end(struct synth *s)
{
	memcpy(s->buf + SAKER_HDR_OFF(len), &s->pos, 4);
	return s->pos;
}

/* A clone-family exit event (clone_20_x: 21 parameters). */
static inline uint32_t synth_clone(struct synth *s, uint64_t ts, uint64_t res, uint64_t tid, uint64_t pid,
				   uint64_t ptid, const char *comm, uint32_t flags, const char *cg, uint16_t cglen)
{
	synth_begin(s, SAKER_EV_CLONE_20_X, tid, ts, saker_event_nparams(SAKER_EV_CLONE_20_X));
	synth_u64(s, res);
	synth_str(s, comm);              /* exe */
	synth_bytes(s, "", 0);           /* args */
	synth_u64(s, tid);
	synth_u64(s, pid);
	synth_u64(s, ptid);
	synth_str(s, "");                /* cwd */
	for (int i = 0; i < 3; i++)
		synth_u64(s, 0);         /* fdlimit, pgft_maj, pgft_min */
	for (int i = 0; i < 3; i++)
		synth_u32(s, 0);         /* vm_size, vm_rss, vm_swap */
	synth_str(s, comm);
	synth_bytes(s, cg, cglen);
	synth_u32(s, flags);
	synth_u32(s, 1000);              /* uid */
	synth_u32(s, 1000);              /* gid */
	synth_u64(s, tid);               /* vtid */
	synth_u64(s, pid);               /* vpid */
	synth_u64(s, 0);
	return synth_end(s);
}

/* A successful execve exit event (execve_19_x: 31 parameters). */
static inline uint32_t synth_execve(struct synth *s, uint64_t ts, uint64_t tid, const char *exe, const char *args,
				    uint16_t argslen, const char *cwd, const char *cg, uint16_t cglen, const char *env,
				    uint16_t envlen, uint32_t tty, uint32_t loginuid)
{
	const char *base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;

	synth_begin(s, SAKER_EV_EXECVE_19_X, tid, ts, saker_event_nparams(SAKER_EV_EXECVE_19_X));
	synth_u64(s, 0);                 /* res */
	synth_str(s, exe);
	synth_bytes(s, args, argslen);
	synth_u64(s, tid);
	synth_u64(s, tid);
	synth_u64(s, 0);                 /* ptid: 0 keeps what state knows */
	synth_str(s, cwd);
	for (int i = 0; i < 3; i++)
		synth_u64(s, 0);
	for (int i = 0; i < 3; i++)
		synth_u32(s, 0);
	synth_str(s, base);              /* comm */
	synth_bytes(s, cg, cglen);
	synth_bytes(s, env, envlen);
	synth_u32(s, tty);
	synth_u64(s, tid);               /* vpgid */
	synth_u32(s, loginuid);
	synth_u32(s, 0);                 /* flags */
	for (int i = 0; i < 6; i++)
		synth_u64(s, 0);         /* caps, exe_ino, ctime, mtime */
	synth_u32(s, 0);                 /* uid */
	synth_str(s, "");                /* trusted_exepath */
	synth_u64(s, tid);               /* pgid */
	synth_u32(s, 0);                 /* gid */
	synth_str(s, exe);               /* filename */
	return synth_end(s);
}

/* An openat exit event (openat_2_x: 7 parameters). */
static inline uint32_t synth_openat(struct synth *s, uint64_t ts, uint64_t tid, int64_t fd, int64_t dirfd,
				    const char *name, uint32_t flags)
{
	synth_begin(s, SAKER_EV_OPENAT_2_X, tid, ts, saker_event_nparams(SAKER_EV_OPENAT_2_X));
	synth_u64(s, fd);
	synth_u64(s, dirfd);
	synth_str(s, name);
	synth_u32(s, flags);
	synth_u32(s, 0);
	synth_u32(s, 0x803);
	synth_u64(s, 1234);
	return synth_end(s);
}

#endif
