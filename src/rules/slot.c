// SPDX-License-Identifier: Apache-2.0
/*
 * The field value cache: slots, and the transformers (tolower, toupper,
 * b64, basename, len) applied to a slot's value after extraction.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/slot.h"

int slots_get(struct slots *sc, const char *key, const struct field_ref *ref, const uint8_t *xf, int nxf)
{
	struct slot *ns;

	/* a field with per-reference state is never shared: each place reading it has its own */
	for (size_t i = 0; !(ref->def->flags & FF_PER_REF) && i < sc->n; i++)
		if (!strcmp(sc->v[i].key, key))
			return i;
	ns = realloc(sc->v, (sc->n + 1) * sizeof(*ns));
	if (!ns)
		return -1;
	sc->v = ns;
	ns = &sc->v[sc->n];
	memset(ns, 0, sizeof(*ns));
	ns->key = strdup(key);
	ns->ref = *ref;
	if (nxf)
		memcpy(ns->xforms, xf, nxf);
	ns->nxforms = nxf;
	ns->buf = malloc(FIELD_BUF_SIZE * 2);
	return sc->n++;
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Apply a transformer to every value, writing into the slot's second buffer half. */
static void apply_xform(struct slot *s, int x, struct field_value *v)
{
	char *out = s->buf + FIELD_BUF_SIZE;
	size_t o = 0;

	for (uint32_t i = 0; i < v->count; i++) {
		const char *in = v->s[i];
		size_t n = v->len[i], start = o;

		if (!in) { /* numbers turned into text first */
			char num[32];

			n = snprintf(num, sizeof(num), "%lld", (long long)v->n[i]);
			in = num;
			if (x == X_LEN) {
				v->n[i] = n;
				continue;
			}
			memcpy(out + o, in, n);
			in = out + o;
		}
		if (x == X_LEN) {
			v->n[i] = n;
			v->s[i] = NULL;
			continue;
		}
		if (x == X_BASENAME) {
			const char *slash = memrchr(in, '/', n);

			if (slash) {
				v->len[i] = n - (slash + 1 - in);
				v->s[i] = slash + 1;
			}
			continue;
		}
		if (x == X_B64) {
			for (size_t k = 0; k < n && o + 5 < FIELD_BUF_SIZE; k += 3) {
				uint32_t w = (unsigned char)in[k] << 16;

				if (k + 1 < n) w |= (unsigned char)in[k + 1] << 8;
				if (k + 2 < n) w |= (unsigned char)in[k + 2];
				out[o++] = b64chars[(w >> 18) & 63];
				out[o++] = b64chars[(w >> 12) & 63];
				out[o++] = k + 1 < n ? b64chars[(w >> 6) & 63] : '=';
				out[o++] = k + 2 < n ? b64chars[w & 63] : '=';
			}
		} else {
			for (size_t k = 0; k < n && o + 1 < FIELD_BUF_SIZE; k++)
				out[o++] = x == X_TOLOWER ? tolower((unsigned char)in[k]) : toupper((unsigned char)in[k]);
		}
		v->s[i] = out + start;
		v->len[i] = o - start;
	}
	if (x == X_LEN)
		v->type = FT_UINT;
	else
		v->type = FT_STRING;
}

void slots_fill(struct slots *sc, struct slot *s, struct field_ctx *fctx)
{
	char *saved = fctx->buf;

	s->gen = sc->gen;
	fctx->buf = s->buf;
	s->ok = field_extract(fctx, &s->ref, &s->val);
	fctx->buf = saved;
	for (int i = 0; s->ok && i < s->nxforms; i++)
		apply_xform(s, s->xforms[i], &s->val);
}

void slots_release(struct slots *sc)
{
	for (size_t i = 0; i < sc->n; i++) {
		free(sc->v[i].key);
		free(sc->v[i].buf);
	}
	free(sc->v);
	memset(sc, 0, sizeof(*sc));
}
