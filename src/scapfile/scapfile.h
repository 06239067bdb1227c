/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap capture files (sysdig, Falco): reading, with the process, fd and user
 * lists seeding state, and events of every block version normalized to the
 * 26-byte header form.
 */
#ifndef SAKER_SCAPFILE_H
#define SAKER_SCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state/state.h"

struct scap_reader;

/* Open and read up to the first event block, seeding `st` (may be NULL). */
int scap_reader_open(struct scap_reader **out, const char *path, struct state *st, char *err, size_t n);

/*
 * Next event: 1 with ev, len and cpu set (valid until the next call), 0 at the
 * end, -1 on a corrupt or truncated file with err naming the byte offset
 * (in the decompressed stream) and the block.
 */
int scap_reader_next(struct scap_reader *r, const uint8_t **ev, size_t *len, uint16_t *cpu, char *err, size_t n);

/* Events of types missing from the event table, skipped. */
uint64_t scap_reader_skipped(const struct scap_reader *r);

void scap_reader_close(struct scap_reader *r);

struct scap_writer;

/* Create `path` (gzip unless compress is false) and write the header and state lists. */
int scap_writer_open(struct scap_writer **out, const char *path, bool compress, struct state *st, char *err, size_t n);

/* Append one event (26-byte header form), in the form sysdig 0.29 reads. */
int scap_writer_write(struct scap_writer *w, const uint8_t *ev, size_t len, uint16_t cpu);

/* Events that have no form sysdig 0.29 reads: not written, counted. */
uint64_t scap_writer_skipped(const struct scap_writer *w);

int scap_writer_close(struct scap_writer *w);

#endif
