// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: raw kernel events as the rings hand them over, through
 * the whole per-event path (decode, enter pairing, state update, every
 * parameter printed, removals). Input: records of a 2-byte little-endian
 * ring length followed by that many bytes (the event, header included).
 * tests/fuzz/corpus/event holds events taken from the shared captures.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app/pipeline.h"
#include "event/print.h"
#include "event/strbuf.h"

static void print_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	struct print_hooks hooks = { 0 };
	char line[16384];
	struct strbuf sb;

	(void)ctx;
	(void)fctx;
	strbuf_init(&sb, line, sizeof(line));
	strbuf_puts(&sb, event_name(ev));
	event_format_params(ev, &hooks, &sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t rec[65536] __attribute__((aligned(8)));
	struct state_opts so = { .no_proc = true };
	struct state *st = state_new(&so);
	struct pipeline p;

	if (!st || pipeline_init(&p, st, print_event, NULL)) {
		state_free(st);
		return 0;
	}
	while (size >= 2) {
		size_t len = data[0] | (size_t)data[1] << 8;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		memcpy(rec, data, len); /* the ring's copy: 8-byte aligned, exactly len bytes */
		pipeline_event(&p, rec, len, 0);
		data += len;
		size -= len;
	}
	pipeline_release(&p);
	state_free(st);
	return 0;
}
