/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-event cache of field values. Every distinct field text a ruleset
 * reads ("proc.name", "tolower(fd.name)") gets one slot at load; a slot is
 * extracted (and transformed) at most once per event, however many checks
 * and outputs read it. A new event is a new generation.
 */
#ifndef SAKER_RULES_SLOT_H
#define SAKER_RULES_SLOT_H

#include <stdint.h>

#include "fields/fields.h"

/* Transformers, in the order of their names in the condition language. */
enum xform { X_TOLOWER, X_TOUPPER, X_B64, X_BASENAME, X_LEN, X_COUNT };

#define SLOT_MAX_XFORMS 4

struct slot {
	char *key;                 /* canonical text: "tolower(proc.name)" */
	struct field_ref ref;
	uint8_t xforms[SLOT_MAX_XFORMS];
	int nxforms;
	uint64_t gen;
	struct field_value val;
	bool ok;
	char *buf;                 /* 2 x FIELD_BUF_SIZE: extraction, then transformation */
};

struct slots {
	struct slot *v;
	size_t n;
	uint64_t gen;              /* the current event's generation */
};

/*
 * The slot for a field text, created on first use (a FF_PER_REF field: a
 * new slot every call); -1 when out of memory.
 */
int slots_get(struct slots *sc, const char *key, const struct field_ref *ref, const uint8_t *xf, int nxf);

/* Extract slot s for the current event (slots_value calls it on a miss). */
void slots_fill(struct slots *sc, struct slot *s, struct field_ctx *fctx);

/* The value of a slot for the current event, extracted on first use. */
static inline const struct field_value *slots_value(struct slots *sc, int slot, struct field_ctx *fctx)
{
	struct slot *s = &sc->v[slot];

	if (s->gen != sc->gen)
		slots_fill(sc, s, fctx);
	return &s->val;
}

/* Start a new event: every slot and memo of the last one goes stale. */
static inline void slots_next_event(struct slots *sc) { sc->gen++; }

void slots_release(struct slots *sc);

#endif
