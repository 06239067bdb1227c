/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the field registry: the per-class tables that fields.c chains
 * into one registry, and the helpers every extractor uses (setting a
 * value, the event's thread and process, looked up once per event).
 * A new class of fields is a new file with its table, listed in fields.c.
 */
#ifndef SAKER_FIELDS_EXTRACT_H
#define SAKER_FIELDS_EXTRACT_H

#include <string.h>

#include "fields/fields.h"

/* The class tables, each terminated by a NULL name (registry order: this order). */
extern const struct field_def fields_evt[];       /* evt.c */
extern const struct field_def fields_io[];        /* io.c: evt.buffer, evt.buflen, evt.is_io*, ... */
extern const struct field_def fields_syscall[];   /* evt.c: syscall.type */
extern const struct field_def fields_proc[];      /* proc.c: proc.*, thread.* */
extern const struct field_def fields_user[];      /* user.c: user.*, group.* */
extern const struct field_def fields_fd[];        /* fd.c */
extern const struct field_def fields_fdlist[];    /* fd.c: fdlist.* */
extern const struct field_def fields_fspath[];    /* evt.c: fs.path.* */
/* container.*, k8s.* and the health-check proc fields: field_registry_container (fields_container.c, fields.h) */

/* a parameter named by a literal: a per-type table at each call site */
#define ev_param(ev, name) event_param_key_index(ev, PARAM_KEY(name))

static inline bool set_str(struct field_value *v, const char *s)
{
	if (!s)
		return false;
	v->count = 1;
	v->s[0] = s;
	v->len[0] = strlen(s);
	return true;
}

/* set_str with the length known (a state name that carries it): no strlen. */
static inline bool set_strn(struct field_value *v, const char *s, size_t len)
{
	v->count = 1;
	v->s[0] = s;
	v->len[0] = len;
	return true;
}

static inline bool set_num(struct field_value *v, int64_t n)
{
	v->count = 1;
	v->s[0] = NULL; /* a number, not text */
	v->n[0] = n;
	return true;
}

static inline struct thread *ctx_thread(struct field_ctx *c)
{
	if (!c->thread_done) {
		c->thread = c->state ? state_thread(c->state, c->ev->tid) : NULL;
		c->thread_done = true;
	}
	return c->thread;
}

static inline struct proc *ctx_proc(struct field_ctx *c)
{
	struct thread *t = ctx_thread(c);

	return t ? t->proc : NULL;
}

/* The fd the event refers to in its thread's table, looked up once per event (fd.c); NULL if none. */
struct fdinfo *ctx_fd(struct field_ctx *c);

#endif
