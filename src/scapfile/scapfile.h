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

struct scap_writer_opts {
	bool compress;             /* gzip */
	uint64_t rotate_bytes;     /* 0: one file; else start a new file past this size */
	uint32_t rotate_files;     /* with rotation: reuse names after this many (0: never) */
};

/*
 * Create `path` and write the header and the state lists (st may be NULL).
 * With rotation the files are `path0`, `path1`, ... (sysdig -C/-W naming),
 * each starting with the state lists of the moment it is opened.
 */
int scap_writer_open(struct scap_writer **out, const char *path, const struct scap_writer_opts *o,
		     struct state *st, char *err, size_t n);

/* Append one event (26-byte header form), in the form sysdig 0.29 reads. */
int scap_writer_write(struct scap_writer *w, const uint8_t *ev, size_t len, uint16_t cpu);

/* Events that have no form sysdig 0.29 reads: not written, counted. */
uint64_t scap_writer_skipped(const struct scap_writer *w);

/* Enter events written before exits whose older form lacks parameters (close's fd, ...). */
uint64_t scap_writer_enters(const struct scap_writer *w);

/* Files opened so far (1 without rotation). */
uint64_t scap_writer_files(const struct scap_writer *w);

/* The last write error, as text ("" when none). */
const char *scap_writer_error(const struct scap_writer *w);

/* Close and free; on failure (now or in an earlier write) -1 and the reason in err. */
int scap_writer_close(struct scap_writer *w, char *err, size_t n);

#endif
