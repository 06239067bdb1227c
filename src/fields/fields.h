/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The field registry: every field a rule or an output can name, with its
 * type, argument rules, description and extractor. Rules resolve fields at
 * load time into a field_ref; the VM extracts values through it, once per
 * event per ref (cached by the caller).
 */
#ifndef SAKER_FIELDS_H
#define SAKER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "state/state.h"

enum field_type {
	FT_STRING,   /* text */
	FT_UINT,     /* unsigned number */
	FT_INT,      /* signed number */
	FT_BOOL,
	FT_IPADDR,   /* stored as text, compared as text or against CIDR */
	FT_IPNET,
	FT_PORT,
	FT_RELTIME,  /* ns */
	FT_ABSTIME,  /* ns since the epoch */
	FT_BYTES,    /* raw bytes */
};

/* Argument rules of a field. */
#define FA_NONE      0
#define FA_INDEX     (1 << 0)  /* [N]: a number */
#define FA_KEY       (1 << 1)  /* [NAME] or .NAME */
#define FA_REQUIRED  (1 << 2)
#define FF_MULTI     (1 << 3)  /* without an argument: every value (any-of semantics) */
#define FF_HIDDEN    (1 << 4)  /* accepted for compatibility, not listed */
#define FF_UNFILLED  (1 << 7)  /* needs what saker does not capture: one value always, and --list says so */
#define FF_RESOLVES  (1 << 6)  /* a domain-name field: the names a rule compares it with are resolved (resolver.h) */
#define FF_OUTPUT_SELF (1 << 5) /* in an output, without an argument: the value of [0] (the event's
				   own process), as libs prints it; conditions still match any ancestor */
#define FF_LIST      (1 << 8)  /* a list (libs EPF_IS_LIST): printed "(a,b)", a JSON array in output_fields */
#define FF_PER_REF   (1 << 9)  /* the value depends on this reference's last extraction (libs keeps it per
				  filtercheck: evt.deltatime): every reference gets its own cache slot */
#define FA_TIME      (1 << 10) /* [T]: a time in ns since the epoch, a 64-bit number in brackets only (evt.around) */
#define FF_FILTER_ONLY (1 << 11) /* conditions only (libs EPF_FILTER_ONLY): an output naming it is an error */

#define FIELD_MAX_VALUES 16
/*
 * Room for one value, and the scratch an extractor builds it in: as long as
 * the longest value an event can give (a live event is at most 32 KiB, a
 * buffer at most the 16 KiB snaplen, a command line 4 KiB of arguments and
 * its name). libs cuts no value (its strings are std::string); 4 KiB here cut
 * evt.buffer under -S, proc.cmdline, proc.exeline, proc.env.
 */
#define FIELD_BUF_SIZE 65536

/* One extracted value (or several for multi-valued fields). */
struct field_value {
	enum field_type type;
	uint32_t count;                 /* 0 means <NA> */
	bool list;                      /* the field is FF_LIST: printed in parentheses */
	const char *s[FIELD_MAX_VALUES];
	uint32_t len[FIELD_MAX_VALUES];
	int64_t n[FIELD_MAX_VALUES];
};

/* What extraction sees: the event, state, and per-ref scratch space. */
struct field_ctx {
	struct state *state;
	const struct event *ev;
	struct thread *thread;      /* the event's thread, or NULL */
	bool thread_done;
	bool fd_done;               /* fd looked up: fd (may be NULL) is valid */
	struct fdinfo *fd;
	bool fdnum_done;            /* the event's fd number worked out: fdnum is valid */
	int64_t fdnum;
	char *buf;                  /* FIELD_BUF_SIZE bytes owned by the caller */
	const char *hostname;
	uint64_t first_ts;          /* for evt.reltime */
	struct field_ref *ref;      /* the reference being extracted: its per-reference state (FF_PER_REF) */
};

struct field_def;
struct field_ref;

typedef bool (*field_extract_fn)(struct field_ctx *ctx, const struct field_def *f, const char *arg,
				 int64_t idx, struct field_value *out);

struct field_def {
	const char *name;
	enum field_type type;
	unsigned flags;             /* FA_* and FF_* */
	const char *desc;
	field_extract_fn extract;
	int param;                  /* extractor-specific selector */
};

/* A resolved reference: field plus argument. */
struct field_ref {
	const struct field_def *def;
	char arg[128];              /* key argument, "" when none */
	const char *key;            /* arg interned: one address per text for the process's life,
				       so per-address parameter caches never see a reused buffer */
	int32_t idx;                /* index argument, -1 when none (32 bits, as libs parses it) */
	bool has_arg;
	uint64_t last_ts;           /* FF_PER_REF state: the event time this reference last gave a value for, 0 before */
};

/* The container and k8s fields (fields_container.c); NULL-name terminated. */
extern const struct field_def field_registry_container[];

/*
 * Walk the registry: the first field for NULL, then the one after prev;
 * NULL after the last. Fields come class by class (evt, proc, thread, user,
 * group, fd, then container and k8s); each class's table lives in its own file.
 */
const struct field_def *field_registry_next(const struct field_def *prev);

/*
 * Resolve "proc.aname[2]", "evt.arg.flags", "proc.env[HOME]". On error
 * returns -1 with a message in err.
 */
int field_resolve(const char *text, struct field_ref *out, char *err, size_t errlen);

/* A decimal 64-bit unsigned number, all of s (digits only); -1 when it is not one. out may be NULL. */
int field_parse_u64(const char *s, uint64_t *out);

/*
 * Extract a value; false (and out->count 0) when it is not available. A
 * FF_PER_REF field updates ref's state: extract through the one reference
 * that stands for a field's place in a condition or output.
 */
static inline bool field_extract(struct field_ctx *ctx, struct field_ref *ref, struct field_value *out)
{
	out->type = ref->def->type;
	out->count = 0;
	out->list = ref->def->flags & FF_LIST;
	if (!ctx->ev)
		return false;
	ctx->ref = ref;
	if (!ref->def->extract(ctx, ref->def, ref->key ? ref->key : ref->arg, ref->idx, out)) {
		out->count = 0;
		return false;
	}
	return out->count > 0;
}

/* Render a value as Falco prints it in outputs ("<NA>" when missing). */
size_t field_value_format(const struct field_value *v, char *out, size_t n);

/* Type names for docs and --list. */
const char *field_type_name(enum field_type t);

/* The field's class prefix ("evt", "proc", ...) for grouping in docs. */
size_t field_class_len(const char *name);

#endif
