// SPDX-License-Identifier: Apache-2.0
/*
 * The scap file writer: section header, machine info, the process list (V9
 * entries with their length), fd lists (V2) and the user list (V2) from
 * current state, then
 * event blocks (V2, 26-byte headers). Only event types Debian's sysdig 0.29
 * reads are written, with no more parameters than it expects; a newer type
 * is written as the newest older type of the same syscall, when one exists
 * (accept4 and pipe2: of accept and pipe).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "event/event_table.h"
#include "saker_shared.h"
#include "scapfile/blocks.h"
#include "scapfile/scapfile.h"
#include "state/state.h"
#include "state/users.h"

/* Generated from src/scapfile/sysdig_2022.tsv: parameter count + 1; 0 = unreadable. */
extern const uint8_t sysdig2022_nparams[EVENT_TABLE_SIZE];

#define ENTER_MAX_PARAMS 8

struct scap_writer {
	gzFile gz;
	FILE *plain;
	uint64_t plain_bytes;     /* written to the current plain file */
	struct scap_writer_opts o;
	char *path;
	struct state *st;
	uint64_t files;
	char errmsg[320];
	uint64_t skipped;
	uint8_t *buf;
	size_t cap;
	int err;
	int16_t map[EVENT_TABLE_SIZE];  /* our type -> type written, -1 none */
	/*
	 * Exits whose older form lacks parameters the enter event of that era
	 * carried (close's fd, read's fd and size): the enter event written just
	 * before the exit, its parameters taken from the exit's by name, so that
	 * sysdig and saker pair them as in an old capture and lose nothing.
	 */
	int16_t enter_of[EVENT_TABLE_SIZE];          /* -1: none needed or none possible */
	uint8_t enter_src[EVENT_TABLE_SIZE][ENTER_MAX_PARAMS]; /* exit parameter of each enter parameter */
	uint64_t enters;
};

static int put(struct scap_writer *w, const void *p, size_t n)
{
	if (w->err)
		return -1;
	if (w->gz ? gzwrite(w->gz, p, n) != (int)n : fwrite(p, 1, n, w->plain) != n) {
		snprintf(w->errmsg, sizeof(w->errmsg), "cannot write capture file '%s': %s", w->path, strerror(errno));
		w->err = -1;
	}
	w->plain_bytes += n;
	return w->err;
}

/* A growable byte buffer for one block body. */
struct blk {
	uint8_t *p;
	size_t n, cap;
};

static void b_add(struct blk *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		size_t nc = (b->n + n) * 2 + 256;
		uint8_t *np = realloc(b->p, nc);

		if (!np)
			return;
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void b_u64(struct blk *b, uint64_t v) { b_add(b, &v, 8); }
static void b_u32(struct blk *b, uint32_t v) { b_add(b, &v, 4); }
static void b_u16(struct blk *b, uint16_t v) { b_add(b, &v, 2); }
static void b_u8(struct blk *b, uint8_t v) { b_add(b, &v, 1); }

static void b_str(struct blk *b, const char *s, size_t len)
{
	if (len > 65535)
		len = 65535;
	b_u16(b, len);
	b_add(b, s ? s : "", len);
}

static void b_cstr(struct blk *b, const char *s)
{
	b_str(b, s ? s : "", s ? strlen(s) : 0);
}

/*
 * Readers refuse a proc, fd or user list whose strings exceed libscap's
 * limits (SCAP_MAX_PATH_SIZE, SCAP_MAX_ARGS_SIZE, ... in scap.h), and then
 * refuse the whole file: longer values are cut to fit.
 */
enum {
	SCAP_PATH_MAX = 1024 - 1,
	SCAP_ARGS_MAX = 4096 - 1,
	SCAP_ENV_MAX = 4096 - 1,
	SCAP_CGROUPS_MAX = 4096 - 1,
	SCAP_CRED_MAX = 256 - 1,
};

static void b_str_max(struct blk *b, const char *s, size_t len, size_t max)
{
	b_str(b, s, len > max ? max : len);
}

static void b_cstr_max(struct blk *b, const char *s, size_t max)
{
	b_str_max(b, s ? s : "", s ? strlen(s) : 0, max);
}

/* Write a block: type, total length, body padded to 4 bytes, total length. */
static int write_block(struct scap_writer *w, uint32_t type, const struct blk *b)
{
	static const uint8_t zero[4];
	uint32_t pad = (4 - (b->n & 3)) & 3, total = 12 + b->n + pad;

	put(w, &type, 4);
	put(w, &total, 4);
	put(w, b->p, b->n);
	put(w, zero, pad);
	return put(w, &total, 4);
}

/* The enter event to write before exits of type t (see enter_of), or -1. */
static int16_t enter_for(struct scap_writer *w, int t)
{
	const struct event_info *x = event_info_get(t), *e;
	int wt = w->map[t], et;
	bool lost = false;
	unsigned n;

	if (!x || x->dir != 'X' || wt < 1 || sysdig2022_nparams[wt] - 1u >= x->nparams)
		return -1; /* not an exit, not written, or nothing dropped */
	et = wt - 1;
	e = event_info_get(et);
	if (!e || e->dir != 'E' || strcmp(e->name, event_info_get(wt)->name) || !sysdig2022_nparams[et])
		return -1;
	n = sysdig2022_nparams[et] - 1u;
	if (n == 0 || n != e->nparams || n > ENTER_MAX_PARAMS)
		return -1;
	for (unsigned j = 0; j < n; j++) {
		unsigned i;

		for (i = 0; i < x->nparams; i++)
			if (!strcmp(x->params[i].name, e->params[j].name) && x->params[i].type == e->params[j].type)
				break;
		if (i == x->nparams)
			return -1;
		w->enter_src[t][j] = i;
		if (i >= sysdig2022_nparams[wt] - 1u)
			lost = true;
	}
	return lost ? et : -1; /* only when the enter brings back a parameter the written exit lacks */
}

/*
 * The newest id older than t, named name, of t's direction, that sysdig
 * reads, when its parameters are a prefix of t's (same types); -1 none.
 */
static int older_form(int t, const char *name)
{
	const struct event_info *ei = event_info_get(t);

	for (int u = t - 1; u >= 0; u--) {
		const struct event_info *eu = event_info_get(u);
		unsigned n;

		if (!eu || eu->dir != ei->dir || strcmp(eu->name, name) || sysdig2022_nparams[u] == 0)
			continue;
		n = sysdig2022_nparams[u] - 1u;
		for (unsigned i = 0; i < n; i++)
			if (i >= ei->nparams || i >= eu->nparams || ei->params[i].type != eu->params[i].type)
				return -1;
		return u;
	}
	return -1;
}

/*
 * Syscalls sysdig 0.29 has no event of, written as the older call whose
 * event carries the same fds (and tuple): accept4 as accept (its flags
 * event, PPME_SOCKET_ACCEPT4_5, is named accept), pipe2 as pipe. A replay
 * keeps the accepted fd and the pipe's two; evt.type reads accept, pipe.
 */
static const char *const older_call[][2] = { { "accept4", "accept" }, { "pipe2", "pipe" } };

static void build_map(struct scap_writer *w)
{
	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		const struct event_info *ei = event_info_get(t);

		w->map[t] = -1;
		if (!ei)
			continue;
		if (sysdig2022_nparams[t] != 0) {
			w->map[t] = t;
			continue;
		}
		w->map[t] = older_form(t, ei->name);
		for (size_t i = 0; w->map[t] < 0 && i < sizeof(older_call) / sizeof(older_call[0]); i++)
			if (!strcmp(ei->name, older_call[i][0]))
				w->map[t] = older_form(t, older_call[i][1]);
	}
	for (int t = 0; t < EVENT_TABLE_SIZE; t++)
		w->enter_of[t] = enter_for(w, t);
}

static void write_header(struct scap_writer *w)
{
	struct blk b = { 0 };
	char host[128] = "";
	long ncpu = sysconf(_SC_NPROCESSORS_CONF), pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	b_u32(&b, SHB_MAGIC);        /* byte-order magic */
	b_u16(&b, 1);                 /* major */
	b_u16(&b, 2);                 /* minor */
	b_u64(&b, UINT64_MAX);        /* section length: unknown */
	write_block(w, SHB_BLOCK_TYPE, &b);
	b.n = 0;
	gethostname(host, sizeof(host) - 1);
	b_u32(&b, ncpu > 0 ? ncpu : 1);
	b_u64(&b, (uint64_t)pages * psz);
	b_u64(&b, 4194304);           /* max pid */
	b_add(&b, host, 128);
	for (int i = 0; i < 4; i++)
		b_u64(&b, 0);
	write_block(w, MI_BLOCK, &b);
	free(b.p);
}

struct lists {
	struct scap_writer *w;
	struct blk b, e;
	struct thread *t;
};

static void proc_entry(void *ctx, struct thread *t)
{
	struct lists *l = ctx;
	struct blk e = l->e;
	struct proc *p = t->proc;

	if (!p)
		return;
	e.n = 0;
	b_u64(&e, t->tid);
	b_u64(&e, p->pid);
	b_u64(&e, t->ptid > 0 ? t->ptid : 0);
	b_u64(&e, p->sid);
	b_u64(&e, p->vpgid);
	b_cstr_max(&e, p->comm, SCAP_PATH_MAX);
	b_cstr_max(&e, p->exe, SCAP_PATH_MAX);
	b_cstr_max(&e, p->exepath, SCAP_PATH_MAX);
	b_str_max(&e, p->args, p->args ? p->args_len : 0, SCAP_ARGS_MAX);
	b_cstr_max(&e, p->cwd, SCAP_PATH_MAX);
	b_u64(&e, 1024);       /* fdlimit */
	b_u32(&e, 0);          /* flags */
	b_u32(&e, p->uid);
	b_u32(&e, p->gid);
	b_u32(&e, 0);          /* vm size, rss, swap */
	b_u32(&e, 0);
	b_u32(&e, 0);
	b_u64(&e, 0);          /* page faults */
	b_u64(&e, 0);
	b_str_max(&e, p->env, p->env ? p->env_len : 0, SCAP_ENV_MAX);
	b_u64(&e, t->vtid);
	b_u64(&e, p->vpid);
	b_str_max(&e, p->cgroups, p->cgroups ? p->cgroups_len : 0, SCAP_CGROUPS_MAX);
	b_cstr(&e, "/");       /* root */
	b_u32(&e, p->loginuid);
	b_u32(&l->b, e.n + 4);
	b_add(&l->b, e.p, e.n);
	l->e = e;
}

/* Process list (V9): one entry per thread, each prefixed with its length. */
static void write_proclist(struct scap_writer *w, struct state *st)
{
	struct lists l = { .w = w };

	state_foreach_thread(st, proc_entry, &l);
	write_block(w, PL_V9, &l.b);
	free(l.b.p);
	free(l.e.p);
}

static void fd_entry(void *ctx, struct fdinfo *f)
{
	struct lists *l = ctx;
	struct blk e = l->e;
	uint8_t type = f->type;

	e.n = 0;
	b_u64(&e, f->fd);
	b_u64(&e, f->ino);
	if (type == FDT_IPV4_SOCK) {
		b_u8(&e, type);
		b_add(&e, f->sip, 4);
		b_add(&e, f->dip, 4);
		b_u16(&e, f->sport);
		b_u16(&e, f->dport);
		b_u8(&e, f->l4proto);
	} else if (type == FDT_IPV4_SERVSOCK) {
		b_u8(&e, type);
		b_add(&e, f->dip, 4);
		b_u16(&e, f->dport);
		b_u8(&e, f->l4proto);
	} else if (type == FDT_IPV6_SOCK || type == FDT_IPV6_SERVSOCK || type > FDT_FILE_V2 || type == FDT_UNKNOWN) {
		l->e = e;
		return; /* not kept in enough detail, or unknown to sysdig 0.29 */
	} else if (type == FDT_UNIX_SOCK) {
		b_u8(&e, type);
		b_u64(&e, 0);
		b_u64(&e, 0);
		b_cstr_max(&e, f->name, SCAP_PATH_MAX);
	} else if (type == FDT_FILE || type == FDT_FILE_V2) {
		b_u8(&e, FDT_FILE_V2);
		b_u32(&e, f->open_flags);
		b_cstr_max(&e, f->name, SCAP_PATH_MAX);
	} else {
		b_u8(&e, type);
		b_cstr_max(&e, f->name, SCAP_PATH_MAX);
	}
	b_u32(&l->b, e.n + 4);
	b_add(&l->b, e.p, e.n);
	l->e = e;
}

static void fd_list(void *ctx, struct thread *t)
{
	struct lists *l = ctx;
	struct fdtable *ft = t->proc ? t->proc->fds : NULL;

	if (!fdtable_count(ft) || t->tid != t->proc->pid)
		return;
	l->b.n = 0;
	b_u64(&l->b, t->tid);
	fdtable_foreach(ft, fd_entry, l);
	write_block(l->w, FDL_V2, &l->b);
}

/* One fd list (V2) per process leader with fds. */
static void write_fdlists(struct scap_writer *w, struct state *st)
{
	struct lists l = { .w = w };

	state_foreach_thread(st, fd_list, &l);
	free(l.b.p);
	free(l.e.p);
}

static void user_entry(void *ctx, const struct user_info *ui)
{
	struct lists *l = ctx;
	struct blk e = l->e;

	e.n = 0;
	b_u8(&e, 0); /* a user */
	b_u32(&e, ui->uid);
	b_u32(&e, ui->gid);
	b_cstr_max(&e, ui->name, SCAP_CRED_MAX);
	b_cstr_max(&e, ui->home, SCAP_CRED_MAX);
	b_cstr_max(&e, ui->shell, SCAP_CRED_MAX);
	b_u32(&l->b, e.n + 4);
	b_add(&l->b, e.p, e.n);
	l->e = e;
}

static void group_entry(void *ctx, uint32_t gid, const char *name)
{
	struct lists *l = ctx;
	struct blk e = l->e;

	e.n = 0;
	b_u8(&e, 1); /* a group */
	b_u32(&e, gid);
	b_cstr_max(&e, name, SCAP_CRED_MAX);
	b_u32(&l->b, e.n + 4);
	b_add(&l->b, e.p, e.n);
	l->e = e;
}

/* User list (V2): users, then groups, each entry prefixed with its length. */
static void write_userlist(struct scap_writer *w, struct state *st)
{
	struct lists l = { .w = w };

	users_foreach(state_users(st), user_entry, group_entry, &l);
	write_block(w, UL_V2, &l.b);
	free(l.b.p);
	free(l.e.p);
}

/* Open the next file (the only one without rotation) and write its head. */
static int open_file(struct scap_writer *w)
{
	char name[4096];

	if (w->o.rotate_bytes)
		snprintf(name, sizeof(name), "%s%llu", w->path,
			 (unsigned long long)(w->o.rotate_files ? w->files % w->o.rotate_files : w->files));
	else
		snprintf(name, sizeof(name), "%s", w->path);
	w->plain_bytes = 0;
	if (w->o.compress)
		w->gz = gzopen(name, "wb6");
	else
		w->plain = fopen(name, "we");
	if (!w->gz && !w->plain) {
		snprintf(w->errmsg, sizeof(w->errmsg), "cannot create capture file '%s': %s", name, strerror(errno));
		w->err = -1;
		return -1;
	}
	w->files++;
	write_header(w);
	if (w->st) {
		write_proclist(w, w->st);
		write_fdlists(w, w->st);
		write_userlist(w, w->st);
	}
	return w->err;
}

static int close_file(struct scap_writer *w)
{
	int rc = 0;

	if (w->gz && gzclose(w->gz) != Z_OK)
		rc = -1;
	if (w->plain && fclose(w->plain))
		rc = -1;
	w->gz = NULL;
	w->plain = NULL;
	if (rc && !w->err) {
		snprintf(w->errmsg, sizeof(w->errmsg), "cannot finish capture file: %s", strerror(errno));
		w->err = -1;
	}
	return rc;
}

int scap_writer_open(struct scap_writer **out, const char *path, const struct scap_writer_opts *o,
		     struct state *st, char *err, size_t n)
{
	struct scap_writer *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w || !(w->path = strdup(path))) {
		free(w);
		snprintf(err, n, "out of memory");
		return -1;
	}
	w->o = *o;
	w->st = st;
	build_map(w);
	if (open_file(w)) {
		snprintf(err, n, "%s", w->errmsg);
		scap_writer_close(w, NULL, 0);
		return -1;
	}
	*out = w;
	return 0;
}

/* Past the size limit: close this file, open the next. */
static int maybe_rotate(struct scap_writer *w)
{
	if (!w->o.rotate_bytes ||
	    (w->gz ? (uint64_t)gzoffset(w->gz) : w->plain_bytes) < w->o.rotate_bytes)
		return 0;
	if (close_file(w))
		return -1;
	return open_file(w);
}

/* The enter event of an exit (enter_of): same time and thread, parameters copied from the exit's (pv, pl). */
static int write_enter(struct scap_writer *w, const uint8_t *ev, uint32_t np, const uint8_t *const *pv,
		       const uint16_t *pl, uint16_t type, uint16_t cpu)
{
	const uint8_t *src = w->enter_src[type];
	uint16_t et = w->enter_of[type];
	uint32_t n = sysdig2022_nparams[et] - 1u, evlen = SAKER_HDR_LEN + n * 2;
	struct blk b = { w->buf, 0, w->cap };
	int rc;

	for (uint32_t j = 0; j < n; j++) {
		if (src[j] >= np)
			return 0; /* an older live form without that parameter: nothing to add */
		evlen += pl[src[j]];
	}
	b_u16(&b, cpu);
	b_add(&b, ev, SAKER_HDR_OFF(len)); /* ts, tid */
	b_u32(&b, evlen);
	b_u16(&b, et);
	b_u32(&b, n);
	for (uint32_t j = 0; j < n; j++)
		b_u16(&b, pl[src[j]]);
	for (uint32_t j = 0; j < n; j++)
		b_add(&b, pv[src[j]], pl[src[j]]);
	w->buf = b.p;
	w->cap = b.cap;
	rc = write_block(w, EV_V2, &b);
	if (!rc)
		w->enters++;
	return rc;
}

int scap_writer_write(struct scap_writer *w, const uint8_t *ev, size_t len, uint16_t cpu)
{
	const uint8_t *pv[64];
	uint16_t type, wtype, pl[64];
	uint32_t np, keep, evlen, off;
	struct blk b;
	uint64_t skip = 0;

	if (len < SAKER_HDR_LEN || w->err || maybe_rotate(w))
		return -1;
	memcpy(&type, ev + SAKER_HDR_OFF(type), sizeof(type));
	memcpy(&np, ev + SAKER_HDR_OFF(nparams), sizeof(np));
	if (type >= EVENT_TABLE_SIZE || w->map[type] < 0 || np > 64) {
		w->skipped++;
		return 0;
	}
	wtype = w->map[type];
	keep = np < sysdig2022_nparams[wtype] - 1u ? np : sysdig2022_nparams[wtype] - 1u;
	/* where each parameter lies, and the bytes of the dropped trailing ones */
	off = SAKER_HDR_LEN + np * 2;
	for (uint32_t i = 0; i < np; i++) {
		memcpy(&pl[i], ev + SAKER_HDR_LEN + i * 2, 2);
		pv[i] = ev + off;
		if (i >= keep)
			skip += pl[i];
		off += pl[i];
	}
	if (off > len) {
		w->skipped++;
		return 0;
	}
	if (w->enter_of[type] >= 0 && np > keep && write_enter(w, ev, np, pv, pl, type, cpu))
		return -1;
	b = (struct blk){ w->buf, 0, w->cap };
	evlen = off - skip - (np - keep) * 2;
	b_u16(&b, cpu);
	b_add(&b, ev, SAKER_HDR_OFF(type)); /* ts, tid, len: the type is rewritten */
	b_u16(&b, wtype);
	b_u32(&b, keep);
	memcpy(b.p + 2 + SAKER_HDR_OFF(len), &evlen, sizeof(evlen));
	b_add(&b, ev + SAKER_HDR_LEN, keep * 2);
	b_add(&b, ev + SAKER_HDR_LEN + np * 2, evlen - SAKER_HDR_LEN - keep * 2);
	w->buf = b.p;
	w->cap = b.cap;
	return write_block(w, EV_V2, &b);
}

uint64_t scap_writer_skipped(const struct scap_writer *w)
{
	return w->skipped;
}

uint64_t scap_writer_enters(const struct scap_writer *w)
{
	return w->enters;
}

uint64_t scap_writer_files(const struct scap_writer *w)
{
	return w->files;
}

const char *scap_writer_error(const struct scap_writer *w)
{
	return w->errmsg;
}

int scap_writer_close(struct scap_writer *w, char *err, size_t n)
{
	int rc;

	if (!w)
		return 0;
	rc = w->err;
	if (close_file(w))
		rc = -1;
	if (rc && err)
		snprintf(err, n, "%s", w->errmsg);
	free(w->path);
	free(w->buf);
	free(w);
	return rc;
}
