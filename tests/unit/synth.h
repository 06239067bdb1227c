/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building synthetic scap events for unit tests: header, then parameters in
 * table order, each with its length.
 */
#ifndef SAKER_TEST_SYNTH_H
#define SAKER_TEST_SYNTH_H

#include <stdint.h>
#include <string.h>

struct synth {
	uint8_t buf[8192];
	uint32_t np, n;       /* params declared, params written */
	uint32_t pos;
};

static inline void synth_begin(struct synth *s, uint16_t type, uint64_t tid, uint64_t ts, uint32_t nparams)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->buf, &ts, 8);
	memcpy(s->buf + 8, &tid, 8);
	memcpy(s->buf + 20, &type, 2);
	memcpy(s->buf + 22, &nparams, 4);
	s->np = nparams;
	s->pos = 26 + 2 * nparams;
}

static inline void synth_raw(struct synth *s, const void *p, uint16_t len)
{
	memcpy(s->buf + 26 + 2 * s->n, &len, 2);
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
	memcpy(s->buf + 16, &s->pos, 4);
	return s->pos;
}

#endif
