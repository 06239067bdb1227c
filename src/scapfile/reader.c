// SPDX-License-Identifier: Apache-2.0
/*
 * The scap file reader. Blocks are (type, total length, body, total length).
 * State blocks seed threads, fds and users; event blocks are converted to the
 * 26-byte header form (old blocks have a 22-byte header without nparams,
 * which is inferred from the lengths). zlib reads gzip and plain files alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "event/event_table.h"
#include "saker_shared.h"
#include "scapfile/blocks.h"
#include "scapfile/scapfile.h"
#include "state/users.h"

#define MAX_BLOCK (256u << 20)

struct scap_reader {
	gzFile gz;
	struct state *st;
	uint64_t offset;          /* of the next block, in the decompressed stream */
	/* decompressed bytes: blocks are parsed in place, buf[pos..have) unread */
	uint8_t *buf;
	size_t cap, pos, have;
	bool eof;                 /* gzread said end of file */
	bool zfail;               /* gzread said error */
	const uint8_t *block;     /* body of the current block, inside buf */
	uint8_t *ev;              /* normalized event */
	size_t evcap;
	uint64_t skipped;
	/* the first event block, read while seeding */
	bool pending;
	uint32_t ptype, plen;
};

/* Little cursor over a block body with bounds checks. */
struct cur {
	const uint8_t *p;
	size_t n, o;
	bool bad;
};

static uint64_t rd(struct cur *c, size_t sz)
{
	uint64_t v = 0;

	if (sz > 8) { /* skip larger fields */
		if (c->o + sz > c->n)
			c->bad = true;
		else
			c->o += sz;
		return 0;
	}
	if (c->o + sz > c->n) {
		c->bad = true;
		return 0;
	}
	memcpy(&v, c->p + c->o, sz);
	c->o += sz;
	return v;
}

/* A u16-length-prefixed string, returned NUL-terminated in a static-ish buffer. */
static char *rd_str(struct cur *c, char *buf, size_t bufsz, uint16_t *lenout)
{
	uint16_t l = rd(c, 2);
	size_t k;

	if (lenout)
		*lenout = 0;
	if (c->bad || c->o + l > c->n) {
		c->bad = true;
		buf[0] = 0;
		return buf;
	}
	k = l < bufsz - 1 ? l : bufsz - 1;
	memcpy(buf, c->p + c->o, k);
	buf[k] = 0;
	if (lenout)
		*lenout = k;
	c->o += l;
	return buf;
}

#define READ_CHUNK (1 << 18)

/*
 * Make `need` unread bytes available at buf + pos, reading more when short.
 * Returns how many are available (fewer than need at the end of the file
 * or on an error: see r->eof, r->zfail). Pointers into buf from before the
 * call are invalid after it.
 */
static size_t buf_fill(struct scap_reader *r, size_t need)
{
	if (r->have - r->pos >= need)
		return r->have - r->pos;
	if (r->pos) { /* keep the unread tail at the start */
		memmove(r->buf, r->buf + r->pos, r->have - r->pos);
		r->have -= r->pos;
		r->pos = 0;
	}
	if (need + READ_CHUNK > r->cap) {
		uint8_t *nb = realloc(r->buf, need + READ_CHUNK);

		if (!nb)
			return r->have;
		r->buf = nb;
		r->cap = need + READ_CHUNK;
	}
	while (r->have < need && !r->eof && !r->zfail) {
		int got = gzread(r->gz, r->buf + r->have, r->cap - r->have);

		if (got < 0)
			r->zfail = true;
		else if (got == 0)
			r->eof = true;
		else
			r->have += got;
	}
	return r->have;
}

/* Read the next block: r->block is its body. 1 ok, 0 end, -1 error. */
static int read_block(struct scap_reader *r, uint32_t *type, uint32_t *len, char *err, size_t n)
{
	uint32_t hdr[2];
	size_t avail = buf_fill(r, 8);
	int zerr;

	if (avail == 0 && !r->zfail)
		return 0;
	if (r->zfail && avail < 8) {
		snprintf(err, n, "cannot read block at offset %llu: %s", (unsigned long long)r->offset,
			 gzerror(r->gz, &zerr));
		return -1;
	}
	if (avail < 8) {
		snprintf(err, n, "truncated file: block header at offset %llu is incomplete",
			 (unsigned long long)r->offset);
		return -1;
	}
	memcpy(hdr, r->buf + r->pos, 8);
	*type = hdr[0];
	*len = hdr[1];
	if (*len < 12 || *len > MAX_BLOCK || (*len & 3)) {
		snprintf(err, n, "corrupt block at offset %llu: type 0x%x, length %u", (unsigned long long)r->offset,
			 *type, *len);
		return -1;
	}
	if (buf_fill(r, *len) < *len) {
		if (r->buf == NULL || r->cap < *len) {
			snprintf(err, n, "out of memory for a %u-byte block at offset %llu", *len, (unsigned long long)r->offset);
			return -1;
		}
		if (r->zfail && gzerror(r->gz, &zerr) && zerr != Z_OK && zerr != Z_BUF_ERROR) {
			snprintf(err, n, "corrupt compressed data in block 0x%x at offset %llu: %s", *type,
				 (unsigned long long)r->offset, gzerror(r->gz, &zerr));
			return -1;
		}
		snprintf(err, n, "truncated file: block 0x%x at offset %llu needs %u bytes", *type,
			 (unsigned long long)r->offset, *len);
		return -1;
	}
	r->block = r->buf + r->pos + 8;
	{
		uint32_t trail;

		memcpy(&trail, r->block + *len - 12, 4);
		if (trail != *len) {
			snprintf(err, n, "corrupt block 0x%x at offset %llu: trailing length %u does not match %u",
				 *type, (unsigned long long)r->offset, trail, *len);
			return -1;
		}
	}
	r->pos += *len;
	r->offset += *len;
	return 1;
}

static bool is_event_block(uint32_t t)
{
	return t == EV_V1 || t == EV_V2 || t == EV_V2_LARGE || t == EVF_V1 || t == EVF_V2 || t == EVF_V2_LARGE ||
	       t == 0x8010ABCD;
}

/* --------------------------------------------------------- state lists */

/* The fields of a process list entry after its ids, as each block version has them. */
static void read_proc_fields(struct cur *c, uint32_t type, struct thread *t, char *buf, size_t bufsz)
{
	struct proc *p = t->proc;
	const char *comm = rd_str(c, buf, bufsz, NULL);
	uint16_t l;

	/* a task of a process already listed names itself, not its process */
	t->comm[0] = 0;
	if (t->tid != p->pid && p->comm[0] && strcmp(comm, p->comm))
		snprintf(t->comm, sizeof(t->comm), "%s", comm);
	else
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
	free(p->exe);
	p->exe = strdup(rd_str(c, buf, bufsz, NULL));
	free(p->exepath);
	p->exepath = strdup(type >= PL_V7 ? rd_str(c, buf, bufsz, NULL) : ""); /* not in old lists */
	rd_str(c, buf, bufsz, &l);
	proc_set_blob(&p->args, &p->args_len, buf, l);
	free(p->cwd);
	p->cwd = strdup(rd_str(c, buf, bufsz, NULL));
	p->fdlimit = (int64_t)rd(c, 8);
	rd(c, 4); /* flags */
	p->uid = rd(c, 4);
	p->gid = rd(c, 4);
	if (type >= PL_V3) {
		p->vmsize_kb = rd(c, 4);
		p->vmrss_kb = rd(c, 4);
		p->vmswap_kb = rd(c, 4);
		p->pfmajor = rd(c, 8);
		p->pfminor = rd(c, 8);
	}
	if (type >= PL_V4) {
		rd_str(c, buf, bufsz, &l);
		proc_set_blob(&p->env, &p->env_len, buf, l);
		t->vtid = rd(c, 8);
		p->vpid = rd(c, 8);
	}
	if (type >= PL_V5) {
		rd_str(c, buf, bufsz, &l);
		proc_set_cgroups(p, buf, l);
	}
	if (type >= PL_V6)
		rd_str(c, buf, bufsz, NULL); /* root */
}

/* Each seed_* returns the byte within the block where an entry ran past its end, or -1 when all is well.
 * Blocks are padded to 4 bytes: fewer than 4 bytes left is padding, not an entry. */
static long seed_proclist(struct scap_reader *r, uint32_t type, const uint8_t *body, size_t len)
{
	struct cur c = { body, len, 0, false };
	size_t last = 0;
	char buf[4096];

	while (c.o + 4 <= c.n && !c.bad) {
		size_t start = last = c.o, entry_len = 0;
		int64_t tid, pid, ptid, sid = -1, vpgid = -1; /* -1 where the block is too old to say, as libs */
		struct thread *t;
		struct proc *p;

		if (type >= PL_V9) {
			entry_len = rd(&c, 4);
			if (entry_len < 4) {
				c.bad = true;
				break;
			}
		}
		tid = rd(&c, 8);
		pid = rd(&c, 8);
		ptid = rd(&c, 8);
		if (type >= PL_V6)
			sid = rd(&c, 8);
		if (type >= PL_V8)
			vpgid = rd(&c, 8);
		if (c.bad || !r->st)
			break;
		t = state_add_thread(r->st, tid, pid, ptid);
		if (!t || !(p = t->proc))
			break;
		p->sid = sid;
		p->vpgid = p->pgid = vpgid;
		read_proc_fields(&c, type, t, buf, sizeof(buf));
		if (type >= PL_V9) {
			if (c.o - start + 4 <= entry_len)
				p->loginuid = rd(&c, 4);
			c.o = start + entry_len;
		}
	}
	return c.bad ? (long)last : -1;
}

/* An IPv4 socket's tuple, named as sysdig names it. */
static void seed_ipv4_sock(struct state *st, struct thread *t, struct cur *c, int64_t fd, uint8_t ftype)
{
	uint32_t sip = rd(c, 4), dip = rd(c, 4);
	uint16_t sp = rd(c, 2), dp = rd(c, 2);
	uint8_t proto = rd(c, 1);
	uint8_t *a = (uint8_t *)&sip, *b = (uint8_t *)&dip;
	struct fdinfo *f;
	char name[64];

	snprintf(name, sizeof(name), "%u.%u.%u.%u:%u->%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], sp,
		 b[0], b[1], b[2], b[3], dp);
	f = state_add_fd(st, t, fd, ftype, strdup(name));
	if (f) {
		memcpy(f->sip, &sip, 4);
		memcpy(f->dip, &dip, 4);
		f->sport = sp;
		f->dport = dp;
		f->l4proto = proto;
		f->connected = 1;
	}
}

/* An IPv4 listening socket: its local address. */
static void seed_ipv4_servsock(struct state *st, struct thread *t, struct cur *c, int64_t fd, uint8_t ftype)
{
	uint32_t ip = rd(c, 4);
	uint16_t port = rd(c, 2);
	uint8_t proto = rd(c, 1), *a = (uint8_t *)&ip;
	struct fdinfo *f;
	char name[32];

	snprintf(name, sizeof(name), "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], port);
	f = state_add_fd(st, t, fd, ftype, strdup(name));
	if (f) {
		memcpy(f->dip, &ip, 4);
		f->dport = port;
		f->l4proto = proto;
		f->is_server = 1;
	}
}

/* One fd list entry after its number, inode and type: the type-specific part. */
static void seed_fd_entry(struct state *st, struct thread *t, struct cur *c, int64_t fd, uint8_t ftype)
{
	char buf[4096];
	struct fdinfo *f;

	switch (ftype) {
	case FDT_IPV4_SOCK:
		seed_ipv4_sock(st, t, c, fd, ftype);
		break;
	case FDT_IPV6_SOCK:
		rd(c, 16); rd(c, 16); rd(c, 2); rd(c, 2); rd(c, 1);
		state_add_fd(st, t, fd, ftype, strdup(""));
		break;
	case FDT_IPV4_SERVSOCK:
		seed_ipv4_servsock(st, t, c, fd, ftype);
		break;
	case FDT_IPV6_SERVSOCK:
		rd(c, 16); rd(c, 2); rd(c, 1);
		state_add_fd(st, t, fd, ftype, strdup(""));
		break;
	case FDT_UNIX_SOCK:
		rd(c, 8); rd(c, 8);
		state_add_fd(st, t, fd, ftype, strdup(rd_str(c, buf, sizeof(buf), NULL)));
		break;
	case FDT_FILE_V2: {
		uint32_t flags = rd(c, 4);

		f = state_add_fd(st, t, fd, FDT_FILE, strdup(rd_str(c, buf, sizeof(buf), NULL)));
		if (f)
			f->open_flags = flags;
		break;
	}
	default:
		state_add_fd(st, t, fd, ftype, strdup(rd_str(c, buf, sizeof(buf), NULL)));
		break;
	}
}

static long seed_fdlist(struct scap_reader *r, uint32_t type, const uint8_t *body, size_t len)
{
	struct cur c = { body, len, 0, false };
	size_t last = 0;
	struct thread *t;
	int64_t tid = rd(&c, 8);

	t = r->st ? state_thread(r->st, tid) : NULL;
	while (c.o + 4 <= c.n && !c.bad && t) {
		size_t start = last = c.o, entry_len = 0;
		int64_t fd;
		uint8_t ftype;

		if (type == FDL_V2)
			entry_len = rd(&c, 4);
		fd = rd(&c, 8);
		rd(&c, 8); /* ino */
		ftype = rd(&c, 1);
		seed_fd_entry(r->st, t, &c, fd, ftype);
		if (type == FDL_V2 && entry_len >= 4)
			c.o = start + entry_len;
	}
	return c.bad ? (long)last : -1;
}

static long seed_userlist(struct scap_reader *r, uint32_t type, const uint8_t *body, size_t len)
{
	struct cur c = { body, len, 0, false };
	size_t last = 0;
	char name[256], home[1024], shell[256];

	while (c.o + 4 <= c.n && !c.bad && r->st) {
		size_t start = last = c.o, entry_len = 0;
		uint8_t kind;
		uint32_t id, gid = 0;

		if (type == UL_V2)
			entry_len = rd(&c, 4);
		kind = rd(&c, 1); /* 0 user, 1 group */
		id = rd(&c, 4);
		if (kind == 0)
			gid = rd(&c, 4);
		rd_str(&c, name, sizeof(name), NULL);
		if (c.bad)
			break;
		if (kind == 0) {
			rd_str(&c, home, sizeof(home), NULL);
			rd_str(&c, shell, sizeof(shell), NULL);
			if (!c.bad)
				users_add(state_users(r->st), id, gid, name, home, shell);
		} else {
			users_add_group(state_users(r->st), id, name);
		}
		if (type == UL_V2 && entry_len)
			c.o = start + entry_len;
	}
	return c.bad ? (long)last : -1;
}

/* Open path and check its section header block; the reader is left at the next block. */
static int open_section(struct scap_reader *r, const char *path, char *err, size_t n)
{
	uint32_t type, len, magic;
	int rc;

	r->gz = gzopen(path, "rb");
	if (!r->gz) {
		snprintf(err, n, "cannot open capture file '%s': %s", path, strerror(errno));
		return -1;
	}
	gzbuffer(r->gz, 1 << 16); /* under half of READ_CHUNK: zlib reads plain files straight into ours */
	if (gzread(r->gz, &magic, 4) != 4 || magic != SHB_BLOCK_TYPE) {
		snprintf(err, n, "'%s' is not a scap capture file (no section header at offset 0)", path);
		return -1;
	}
	if (gzrewind(r->gz)) {
		snprintf(err, n, "cannot rewind capture file '%s'", path);
		return -1;
	}
	rc = read_block(r, &type, &len, err, n);
	if (rc <= 0 || type != SHB_BLOCK_TYPE || (memcpy(&magic, r->block, 4), magic != SHB_MAGIC)) {
		if (rc >= 0)
			snprintf(err, n, "'%s' is not a scap capture file (no section header at offset 0)", path);
		return -1;
	}
	return 0;
}

/* One state block: process, fd or user list (others are skipped); -1 on a corrupt entry. */
static int seed_block(struct scap_reader *r, uint32_t type, uint32_t len, char *err, size_t n)
{
	const uint8_t *body = r->block;
	size_t blen = len - 12;
	const char *what = NULL;
	long bad = -1;

	if (type >= PL_V1 && type <= PL_V9 && type != FDL_V1 && type != EV_V1 && type != IL_V1 &&
	    type != UL_V1 && type != EVF_V1)
		bad = seed_proclist(r, type, body, blen), what = "process list";
	else if (type == FDL_V1 || type == FDL_V2)
		bad = seed_fdlist(r, type, body, blen), what = "fd list";
	else if (type == UL_V1 || type == UL_V2)
		bad = seed_userlist(r, type, body, blen), what = "user list";
	if (bad < 0)
		return 0;
	snprintf(err, n, "corrupt %s block 0x%x at offset %llu: the entry at byte %ld runs past the block's end",
		 what, type, (unsigned long long)(r->offset - len), bad);
	return -1;
}

int scap_reader_open(struct scap_reader **out, const char *path, struct state *st, char *err, size_t n)
{
	struct scap_reader *r = calloc(1, sizeof(*r));
	uint32_t type, len;
	int rc;

	*out = NULL;
	if (!r)
		return -1;
	r->st = st;
	if (open_section(r, path, err, n)) {
		scap_reader_close(r);
		return -1;
	}
	/* state blocks come first; stop at the first event block */
	while ((rc = read_block(r, &type, &len, err, n)) > 0) {
		if (is_event_block(type)) {
			r->pending = true;
			r->ptype = type;
			r->plen = len;
			break;
		}
		if (seed_block(r, type, len, err, n)) {
			rc = -1;
			break;
		}
	}
	if (rc < 0) {
		scap_reader_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

/* Sum of the parameter lengths of a version-1 (22-byte header) event with np params. */
static bool nparams_fit(const uint8_t *e, uint32_t len, uint32_t np, int lsz)
{
	uint64_t sum = 0;

	if (SAKER_HDR_V1_LEN + (uint64_t)np * lsz > len)
		return false;
	for (uint32_t i = 0; i < np; i++) {
		uint32_t l = 0;

		memcpy(&l, e + SAKER_HDR_V1_LEN + i * lsz, lsz);
		sum += l;
	}
	return SAKER_HDR_V1_LEN + np * lsz + sum == len;
}

/*
 * The event in a block body in the 26-byte header form: v2 events are that
 * already and are returned in place (valid until the next block is read);
 * v1 events are converted into r->ev.
 */
static int normalize(struct scap_reader *r, uint32_t btype, const uint8_t *body, size_t blen, uint16_t *cpu,
		     const uint8_t **out, size_t *outlen, char *err, size_t n, uint64_t boff)
{
	bool v2 = btype == EV_V2 || btype == EV_V2_LARGE || btype == EVF_V2 || btype == EVF_V2_LARGE;
	bool flags = btype == EVF_V1 || btype == EVF_V2 || btype == EVF_V2_LARGE;
	int lsz = (btype == EV_V2_LARGE || btype == EVF_V2_LARGE) ? 4 : 2;
	size_t off = 2 + (flags ? 4 : 0);
	const uint8_t *e = body + off;
	uint32_t len, np;
	uint16_t type;

	if (blen < off + SAKER_HDR_V1_LEN) {
		snprintf(err, n, "corrupt event block 0x%x at offset %llu: too short", btype, (unsigned long long)boff);
		return -1;
	}
	memcpy(cpu, body, 2);
	memcpy(&len, e + SAKER_HDR_OFF(len), sizeof(len));
	memcpy(&type, e + SAKER_HDR_OFF(type), sizeof(type));
	if (len > blen - off || len < (v2 ? SAKER_HDR_LEN : SAKER_HDR_V1_LEN)) {
		snprintf(err, n, "corrupt event block 0x%x at offset %llu: event length %u in a %zu-byte block",
			 btype, (unsigned long long)boff, len, blen);
		return -1;
	}
	if (v2) { /* large payloads keep 4-byte lengths: decode knows them by the table flag */
		*out = e;
		*outlen = len;
		return 0;
	}
	/* v1: infer nparams from the lengths, starting from the table's count */
	{
		const struct event_info *ei = event_info_get(type);
		uint32_t want = ei ? ei->nparams : 0;
		size_t outl;

		np = UINT32_MAX;
		for (int64_t k = want; k >= 0; k--)
			if (nparams_fit(e, len, k, lsz)) {
				np = k;
				break;
			}
		if (np == UINT32_MAX) {
			for (uint32_t k = want + 1; k < 64; k++)
				if (nparams_fit(e, len, k, lsz)) {
					np = k;
					break;
				}
		}
		if (np == UINT32_MAX) {
			snprintf(err, n, "corrupt event at offset %llu: type %u, parameter lengths do not add up to %u",
				 (unsigned long long)boff, type, len);
			return -1;
		}
		outl = len + sizeof(np);
		if (outl > r->evcap) {
			uint8_t *nb = realloc(r->ev, outl);

			if (!nb) {
				snprintf(err, n, "out of memory for a %zu-byte event at offset %llu", outl,
					 (unsigned long long)boff);
				return -1;
			}
			r->ev = nb;
			r->evcap = outl;
		}
		memcpy(r->ev, e, SAKER_HDR_V1_LEN);
		memcpy(r->ev + SAKER_HDR_OFF(nparams), &np, sizeof(np));
		memcpy(r->ev + SAKER_HDR_LEN, e + SAKER_HDR_V1_LEN, len - SAKER_HDR_V1_LEN);
		{
			uint32_t nl = outl;

			memcpy(r->ev + SAKER_HDR_OFF(len), &nl, sizeof(nl));
		}
		*outlen = outl;
		*out = r->ev;
	}
	return 0;
}

int scap_reader_next(struct scap_reader *r, const uint8_t **ev, size_t *len, uint16_t *cpu, char *err, size_t n)
{
	for (;;) {
		uint32_t type, blen;
		uint64_t boff;
		int rc;

		if (r->pending) {
			r->pending = false;
			type = r->ptype;
			blen = r->plen;
		} else {
			rc = read_block(r, &type, &blen, err, n);
			if (rc <= 0)
				return rc;
		}
		boff = r->offset - blen;
		if (!is_event_block(type))
			continue; /* state blocks mid-stream, interface lists: nothing to deliver */
		if (normalize(r, type, r->block, blen - 12, cpu, ev, len, err, n, boff))
			return -1;
		{
			uint16_t et;

			memcpy(&et, *ev + SAKER_HDR_OFF(type), sizeof(et));
			if (!event_info_get(et)) {
				r->skipped++;
				continue;
			}
		}
		return 1;
	}
}

uint64_t scap_reader_skipped(const struct scap_reader *r)
{
	return r->skipped;
}

void scap_reader_close(struct scap_reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	free(r->buf);
	free(r->ev);
	free(r);
}
