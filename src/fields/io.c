// SPDX-License-Identifier: Apache-2.0
/*
 * The I/O fields: evt.buffer and evt.buflen (the data an I/O call moved,
 * bounded by the snaplen, and its length), evt.is_io, evt.is_io_read,
 * evt.is_io_write, evt.io_dir (from the event's table flags, as libs), and
 * evt.arg.data / evt.rawarg.data as sysdig gives them. They take the longest
 * name, so evt.arg.data is this table's, not evt.arg's with a key.
 */
#include <string.h>

#include "event/print.h"
#include "fields/extract.h"

enum { IO_BUFFER, IO_BUFLEN, IO_IS_IO, IO_IS_READ, IO_IS_WRITE, IO_DIR, IO_ARG_DATA, IO_RAWARG_DATA };

/* The event's data parameter, or -1. */
static int data_param(const struct event *ev)
{
	return ev->info ? ev_param(ev, "data") : -1;
}

/* evt.buffer: the bytes as captured, NULs included. */
static bool io_buffer(struct field_ctx *c, struct field_value *v)
{
	int i = data_param(c->ev);
	uint32_t len;
	const uint8_t *p;

	/* the event's own data only, as libs' get_param_by_name("data"): not an enter event's */
	if (i < 0 || i >= EVENT_ENTER_BASE || (uint32_t)i >= c->ev->nparams)
		return false;
	p = event_param_bytes(c->ev, i, &len);
	v->count = 1;
	v->s[0] = len ? (const char *)p : "";
	v->len[0] = len;
	return true;
}

/*
 * evt.buflen: what an I/O exit returned, as libs has it: only for events of
 * an I/O category whose fd the thread's table knows, and never negative.
 */
static bool io_buflen(struct field_ctx *c, struct field_value *v)
{
	const struct event *ev = c->ev;
	int64_t res;
	int i;

	/* EC_IO_READ, _WRITE and _OTHER share the bit of EC_IO_READ (libs' EC_IO_BASE) */
	if (!ev->info || ev->info->dir != 'X' || !(ev->info->category & EC_IO_READ))
		return false;
	if ((i = ev_param(ev, "fd")) < 0 || !state_fd(c->state, ctx_thread(c), event_param_int(ev, i)))
		return false;
	if (!event_result(ev, &res) || res < 0)
		return false;
	return set_num(v, res);
}

/* evt.rawarg.data: the bytes up to the first NUL, as libs hands a raw buffer to a string field. */
static bool io_rawarg_data(struct field_ctx *c, struct field_value *v)
{
	if (!io_buffer(c, v))
		return false;
	v->type = FT_STRING;
	v->len[0] = strnlen(v->s[0], v->len[0]);
	return true;
}

/* evt.arg.data: the bytes as sysdig prints them (dots, or base64 under -b). */
static bool io_arg_data(struct field_ctx *c, struct field_value *v)
{
	struct strbuf sb;

	if (!io_buffer(c, v))
		return false;
	strbuf_init(&sb, c->buf, FIELD_BUF_SIZE);
	event_put_bytes(&sb, (const uint8_t *)v->s[0], v->len[0]);
	v->type = FT_STRING;
	return set_str(v, c->buf);
}

static bool x_io(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		 struct field_value *v)
{
	unsigned flags = c->ev->info ? c->ev->info->flags : 0;

	(void)arg;
	(void)idx;
	switch (f->param) {
	case IO_BUFFER: return io_buffer(c, v);
	case IO_BUFLEN: return io_buflen(c, v);
	case IO_IS_IO: return set_num(v, (flags & (EF_READS_FROM_FD | EF_WRITES_TO_FD)) != 0);
	case IO_IS_READ: return set_num(v, (flags & EF_READS_FROM_FD) != 0);
	case IO_IS_WRITE: return set_num(v, (flags & EF_WRITES_TO_FD) != 0);
	case IO_DIR:
		return flags & EF_WRITES_TO_FD ? set_str(v, "write") : flags & EF_READS_FROM_FD ? set_str(v, "read") : false;
	case IO_ARG_DATA: return io_arg_data(c, v);
	case IO_RAWARG_DATA: return io_rawarg_data(c, v);
	}
	return false;
}

#define IO(n, t, p, d) { "evt." n, t, 0, d, x_io, p }

const struct field_def fields_io[] = {
	IO("buffer", FT_BYTES, IO_BUFFER, "the data an I/O call read or wrote, its first snaplen bytes (-S, default 80)"),
	IO("buflen", FT_UINT, IO_BUFLEN, "bytes an I/O call read or wrote (its result), on exits whose fd is known"),
	IO("is_io", FT_BOOL, IO_IS_IO, "true for calls that read or write an fd (read, write, send, recv, ...)"),
	IO("is_io_read", FT_BOOL, IO_IS_READ, "true for calls that read from an fd"),
	IO("is_io_write", FT_BOOL, IO_IS_WRITE, "true for calls that write to an fd"),
	IO("io_dir", FT_STRING, IO_DIR, "'read' or 'write' for I/O calls"),
	IO("arg.data", FT_STRING, IO_ARG_DATA, "the data parameter as sysdig prints it (printable bytes, others as '.')"),
	IO("rawarg.data", FT_STRING, IO_RAWARG_DATA, "the data parameter's bytes up to the first NUL"),
	{ NULL, 0, 0, NULL, NULL, 0 },
};
