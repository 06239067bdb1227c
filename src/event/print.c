// SPDX-License-Identifier: Apache-2.0
/*
 * Rendering event parameters the way sysdig prints them: flags with their
 * names, errors with their errno names, socket tuples as addr:port->addr:port,
 * byte buffers with non-printables as dots.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "event/print.h"
#include "saker_flags.h"

struct flag_name {
	uint32_t value;
	const char *name;
};

#define END { 0, NULL }
/* Names from the flag lists of bpf/saker_flags.h: (scap value, name). */
#define FLAG_NAME(name, kernel, scap) { (scap), #name },

static const struct flag_name open_flags[] = { SAKER_OPEN_FLAGS(FLAG_NAME) END };
static const struct flag_name creat_flags[] = { SAKER_CREAT_FLAGS(FLAG_NAME) END };
static const struct flag_name clone_flags[] = { SAKER_CLONE_FLAGS(FLAG_NAME) END };
static const struct flag_name prot_flags[] = { SAKER_PROT_FLAGS(FLAG_NAME) END };

static const struct flag_name mmap_flags[] = {
	{1 << 0, "MAP_SHARED"}, {1 << 1, "MAP_PRIVATE"}, {1 << 2, "MAP_FIXED"},
	{1 << 3, "MAP_ANONYMOUS"}, {1 << 4, "MAP_32BIT"}, {1 << 5, "MAP_RENAME"},
	{1 << 6, "MAP_NORESERVE"}, {1 << 7, "MAP_POPULATE"}, {1 << 8, "MAP_NONBLOCK"},
	{1 << 9, "MAP_GROWSDOWN"}, {1 << 10, "MAP_DENYWRITE"}, {1 << 11, "MAP_EXECUTABLE"},
	{1 << 12, "MAP_INHERIT"}, {1 << 13, "MAP_FILE"}, {1 << 14, "MAP_LOCKED"}, END,
};

static const struct flag_name access_flags[] = {
	{1 << 0, "X_OK"}, {1 << 1, "W_OK"}, {1 << 2, "R_OK"}, END,
};

static const struct flag_name at_flags[] = {
	{0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"}, {0x1000, "AT_EMPTY_PATH"},
	{0x100, "AT_SYMLINK_NOFOLLOW"}, END,
};

static const struct flag_name rename_flags[] = {
	{1 << 0, "RENAME_NOREPLACE"}, {1 << 1, "RENAME_EXCHANGE"}, {1 << 2, "RENAME_WHITEOUT"}, END,
};

static const struct flag_name memfd_flags[] = {
	{1 << 0, "MFD_CLOEXEC"}, {1 << 1, "MFD_ALLOW_SEALING"}, {1 << 2, "MFD_HUGETLB"}, END,
};

static const struct flag_name exe_flags[] = { SAKER_EXE_FLAGS(FLAG_NAME) END };

/* Enumerations: the value is one of these, not a bit set. */
static const struct flag_name af_names[] = { SAKER_SOCKET_FAMILIES(FLAG_NAME) END };
static const struct flag_name fcntl_names[] = {
	{ SAKER_F_UNKNOWN, "F_UNKNOWN" }, SAKER_FCNTL_CMDS(FLAG_NAME) END,
};
static const struct flag_name ptrace_names[] = {
	{ SAKER_PTRACE_UNKNOWN, "PTRACE_UNKNOWN" }, SAKER_PTRACE_REQS(FLAG_NAME) END,
};

struct param_names {
	const char *event;  /* NULL: any event */
	const char *param;
	const struct flag_name *names;
	int is_enum;
};

static const struct param_names param_names[] = {
	{"open", "flags", open_flags, 0}, {"openat", "flags", open_flags, 0},
	{"openat2", "flags", open_flags, 0}, {"pipe2", "flags", open_flags, 0},
	{"dup3", "flags", open_flags, 0}, {"userfaultfd", "flags", open_flags, 0},
	{"creat", "creat_flags", creat_flags, 0},
	{"clone", "flags", clone_flags, 0}, {"clone3", "flags", clone_flags, 0},
	{"fork", "flags", clone_flags, 0}, {"vfork", "flags", clone_flags, 0},
	{"unshare", "flags", clone_flags, 0}, {"setns", "nstype", clone_flags, 0},
	{NULL, "prot", prot_flags, 0}, {"mmap", "flags", mmap_flags, 0},
	{"mmap2", "flags", mmap_flags, 0}, {"access", "mode", access_flags, 0},
	{"unlinkat", "flags", at_flags, 0}, {"linkat", "flags", at_flags, 0},
	{"renameat2", "flags", rename_flags, 0}, {"memfd_create", "flags", memfd_flags, 0},
	{"execve", "flags", exe_flags, 0}, {"execveat", "flags", exe_flags, 0},
	{NULL, "domain", af_names, 1}, {"fcntl", "cmd", fcntl_names, 1},
	{"ptrace", "request", ptrace_names, 1},
	{NULL, NULL, NULL, 0},
};

static const struct param_names *names_for(const struct event *ev, const char *param)
{
	for (const struct param_names *p = param_names; p->param; p++)
		if (strcmp(p->param, param) == 0 && (!p->event || strcmp(p->event, ev->info->name) == 0))
			return p;
	return NULL;
}

static void put_flags(struct strbuf *sb, const struct event *ev, const char *pname, uint64_t v)
{
	const struct param_names *pn = names_for(ev, pname);
	const char *sep = "";

	if (!pn)
		return;
	if (pn->is_enum) {
		for (const struct flag_name *f = pn->names; f->name; f++)
			if (f->value == v) {
				strbuf_printf(sb, "(%s)", f->name);
				return;
			}
		return;
	}
	strbuf_putc(sb, '(');
	if (pn->names == open_flags) {
		sep = "|";
		if (v & SAKER_O_RDWR)
			strbuf_puts(sb, (v & SAKER_O_RDWR) == SAKER_O_RDWR ? "O_RDWR" : (v & SAKER_O_WRONLY) ? "O_WRONLY" : "O_RDONLY");
		else if (v == 0)
			strbuf_puts(sb, "O_NONE");
		else
			sep = "";
	} else if (pn->names == access_flags && v == 0) {
		strbuf_puts(sb, "F_OK");
	}
	for (const struct flag_name *f = pn->names; f->name; f++)
		if ((v & f->value) == f->value && f->value) {
			strbuf_printf(sb, "%s%s", sep, f->name);
			sep = "|";
		}
	strbuf_putc(sb, ')');
	if (sb->len >= 2 && sb->buf[sb->len - 2] == '(') {
		sb->len -= 2;
		sb->buf[sb->len] = 0;
	}
}

/*
 * Bytes as sysdig shows them: printable ASCII kept, everything else a dot;
 * longer than max, the first max - 3 and "..." (max in all, as sysdig).
 */
static void put_bytes(struct strbuf *sb, const uint8_t *p, uint32_t n, uint32_t max)
{
	uint32_t i, lim = n <= max ? n : max - 3;

	for (i = 0; i < lim; i++)
		strbuf_putc(sb, (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.');
	if (n > max)
		strbuf_puts(sb, "...");
}

static enum bytes_format bytes_format = BYTES_DOTS;
static uint32_t max_bytes; /* 0: buffers whole (Falco); sysdig's 80 without -v */

void event_set_bytes_format(enum bytes_format f)
{
	bytes_format = f;
}

void event_set_max_bytes(uint32_t n)
{
	max_bytes = n;
}

static void put_base64(struct strbuf *sb, const uint8_t *p, uint32_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (uint32_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);

		strbuf_putc(sb, abc[v >> 18 & 63]);
		strbuf_putc(sb, abc[v >> 12 & 63]);
		strbuf_putc(sb, i + 1 < n ? abc[v >> 6 & 63] : '=');
		strbuf_putc(sb, i + 2 < n ? abc[v & 63] : '=');
	}
}

/*
 * sysdig's hex dump: a row per 16 bytes, "\n\t0xOFFS:" and the bytes in
 * 2-byte groups (a last odd byte alone), a line break after the last row;
 * with ascii, the row is padded to 8 groups and followed by its characters.
 */
static void put_hex(struct strbuf *sb, const uint8_t *p, uint32_t n, bool ascii)
{
	for (uint32_t row = 0; row < n; row += 16) {
		uint32_t end = row + 16 < n ? row + 16 : n, groups = 0;

		strbuf_printf(sb, "\n\t0x%.4x:", row);
		for (uint32_t i = row; i < end; i += 2, groups++) {
			if (i + 1 < end)
				strbuf_printf(sb, " %02x%02x", p[i], p[i + 1]);
			else
				strbuf_printf(sb, " %02x", p[i]);
		}
		if (!ascii)
			continue;
		for (; groups < 8; groups++)
			strbuf_puts(sb, "     ");
		strbuf_puts(sb, "  ");
		for (uint32_t i = row; i < end; i++)
			strbuf_putc(sb, (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.');
	}
	strbuf_putc(sb, '\n');
}

/*
 * sysdig's ascii form: a line break, then the printable bytes; a CR is a
 * line break, an LF one too unless it ends a CRLF or starts the buffer; the
 * other bytes are left out.
 */
static void put_ascii(struct strbuf *sb, const uint8_t *p, uint32_t n)
{
	strbuf_putc(sb, '\n');
	for (uint32_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			strbuf_putc(sb, (char)p[i]);
		else if (p[i] == '\r' || (p[i] == '\n' && i > 0 && p[i - 1] != '\r'))
			strbuf_putc(sb, '\n');
	}
}

void event_put_bytes(struct strbuf *sb, const uint8_t *p, uint32_t n)
{
	if (n == 0)
		return;
	switch (bytes_format) {
	case BYTES_BASE64: put_base64(sb, p, n); break;
	case BYTES_HEX: put_hex(sb, p, n, false); break;
	case BYTES_HEX_ASCII: put_hex(sb, p, n, true); break;
	case BYTES_ASCII: put_ascii(sb, p, n); break;
	default: put_bytes(sb, p, n, max_bytes > 3 && n > max_bytes ? max_bytes : n); break;
	}
}

static void put_ip(struct strbuf *sb, int family, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];

	if (inet_ntop(family, addr, buf, sizeof(buf)))
		strbuf_puts(sb, buf);
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

void event_put_sockaddr(struct strbuf *sb, const uint8_t *p, uint32_t n)
{
	if (n >= 7 && p[0] == SAKER_AF_INET) {
		put_ip(sb, AF_INET, p + 1);
		strbuf_printf(sb, ":%u", rd16(p + 5));
	} else if (n >= 19 && p[0] == SAKER_AF_INET6) {
		put_ip(sb, AF_INET6, p + 1);
		strbuf_printf(sb, ":%u", rd16(p + 17));
	} else if (n >= 1 && p[0] == SAKER_AF_LOCAL) {
		put_bytes(sb, p + 1, strnlen((const char *)p + 1, n - 1), 256);
	}
}

void event_put_socktuple(struct strbuf *sb, const uint8_t *p, uint32_t n)
{
	if (n >= 13 && p[0] == SAKER_AF_INET) {
		put_ip(sb, AF_INET, p + 1);
		strbuf_printf(sb, ":%u->", rd16(p + 5));
		put_ip(sb, AF_INET, p + 7);
		strbuf_printf(sb, ":%u", rd16(p + 11));
	} else if (n >= 37 && p[0] == SAKER_AF_INET6) {
		put_ip(sb, AF_INET6, p + 1);
		strbuf_printf(sb, ":%u->", rd16(p + 17));
		put_ip(sb, AF_INET6, p + 19);
		strbuf_printf(sb, ":%u", rd16(p + 35));
	} else if (n >= 17 && p[0] == SAKER_AF_LOCAL) {
		uint64_t src, dst;

		memcpy(&src, p + 1, 8);
		memcpy(&dst, p + 9, 8);
		strbuf_printf(sb, "%" PRIx64 "->%" PRIx64 " ", src, dst);
		put_bytes(sb, p + 17, strnlen((const char *)p + 17, n - 17), 256);
	}
}

static void put_errno(struct strbuf *sb, int64_t v)
{
	const char *name = v < 0 && v > -4096 ? strerrorname_np((int)-v) : NULL;

	strbuf_printf(sb, "%" PRId64, v);
	if (name)
		strbuf_printf(sb, "(%s)", name);
}

/* An fd: AT_FDCWD by name, an error by errno name, else the number and what it is. */
static void put_fd(struct strbuf *sb, const struct event *ev, int64_t v, const struct print_hooks *h)
{
	char desc[512];

	if (v == SAKER_AT_FDCWD) {
		strbuf_printf(sb, "%d(AT_FDCWD)", SAKER_AT_FDCWD);
		return;
	}
	if (v < 0) {
		put_errno(sb, v);
		return;
	}
	strbuf_printf(sb, "%" PRId64, v);
	if (h && h->fd_desc && h->fd_desc(h->ctx, ev, v, desc, sizeof(desc)))
		strbuf_printf(sb, "(%s)", desc);
}

static void put_pid(struct strbuf *sb, int64_t v, const struct print_hooks *h)
{
	char comm[512];

	strbuf_printf(sb, "%" PRId64, v);
	if (v > 0 && h && h->pid_comm && h->pid_comm(h->ctx, v, comm, sizeof(comm)))
		strbuf_printf(sb, "(%s)", comm);
}

/* As sysdig: -1 is "no change", ids with a name show it. */
static void put_id(struct strbuf *sb, uint32_t v, bool group, const struct print_hooks *h)
{
	char name[512];

	if (v == UINT32_MAX) {
		strbuf_puts(sb, "-1(<NONE>)");
		return;
	}
	strbuf_printf(sb, "%" PRIu32, v);
	if (h && h->id_name && h->id_name(h->ctx, v, group, name, sizeof(name)))
		strbuf_printf(sb, "(%s)", name);
}

static void put_signal(struct strbuf *sb, int64_t v)
{
	const char *abbrev = sigabbrev_np((int)v);

	strbuf_printf(sb, "%" PRId64, v);
	if (abbrev)
		strbuf_printf(sb, "(SIG%s)", abbrev);
}

/* A PT_DYN value: an index byte, then a 64- or 32-bit number. */
static void put_dyn(struct strbuf *sb, const uint8_t *p, uint32_t n)
{
	if (n >= 9) {
		uint64_t d;

		memcpy(&d, p + 1, 8);
		strbuf_printf(sb, "%" PRIX64, d);
	} else if (n >= 5) {
		uint32_t d;

		memcpy(&d, p + 1, 4);
		strbuf_printf(sb, "%u", d);
	}
}

/*
 * A PT_FDLIST value (a 16-bit count, then a 64-bit fd and 16-bit flags
 * each) as libs' get_param_as_str prints it: "fd:<type char><flags in hex>"
 * space separated, the type char '?' for an fd the thread does not have.
 */
static void put_fdlist(struct strbuf *sb, const struct event *ev, const uint8_t *p, uint32_t n,
		       const struct print_hooks *h)
{
	uint16_t count = 0;

	if (n >= 2)
		memcpy(&count, p, 2);
	for (uint32_t k = 0; k < count && 2 + (k + 1) * 10 <= n; k++) {
		char desc[512];
		char type = '?';
		int64_t fd;
		uint16_t flags;

		memcpy(&fd, p + 2 + k * 10, 8);
		memcpy(&flags, p + 2 + k * 10 + 8, 2);
		if (h && h->fd_desc && h->fd_desc(h->ctx, ev, fd, desc, sizeof(desc)) && desc[0] == '<' && desc[1])
			type = desc[1];
		strbuf_printf(sb, "%s%" PRIu64 ":%c%x", k ? " " : "", (uint64_t)fd, type, flags);
	}
}

/* Unsigned numbers in the table's print format. */
static void put_unsigned(struct strbuf *sb, const struct param_info *pi, uint64_t v)
{
	if (pi->format == PF_HEX)
		strbuf_printf(sb, "%" PRIX64, v);
	else if (pi->format == PF_OCT)
		strbuf_printf(sb, "%" PRIo64, v);
	else
		strbuf_printf(sb, "%" PRIu64, v);
}

void event_format_param(const struct event *ev, int i, const struct print_hooks *h, struct strbuf *sb)
{
	const struct param_info *pi = &ev->info->params[i];
	const uint8_t *p = ev->param[i];
	uint32_t n = ev->plen[i];
	int64_t v = event_param_int(ev, i);

	switch (pi->type) {
	case PT_CHARBUF:
	case PT_FSPATH:
	case PT_FSRELPATH:
		put_bytes(sb, p, n && p[n - 1] == 0 ? n - 1 : n, 4096);
		break;
	case PT_BYTEBUF:
		/* as libs' get_param_as_str: whole, or cut with "..." at the output length sysdig sets (80 without -v) */
		event_put_bytes(sb, p, n);
		break;
	case PT_ERRNO:
		if (pi->format == PF_HEX && v >= 0) /* mmap's address, as sysdig prints it */
			strbuf_printf(sb, "%" PRIX64, (uint64_t)v);
		else
			put_errno(sb, v);
		break;
	case PT_FD:
	case PT_FD32:
		put_fd(sb, ev, v, h);
		break;
	case PT_PID:
	case PT_PID32:
		put_pid(sb, v, h);
		break;
	case PT_UID:
	case PT_GID:
		put_id(sb, (uint32_t)v, pi->type == PT_GID, h);
		break;
	case PT_SOCKADDR:
		event_put_sockaddr(sb, p, n);
		break;
	case PT_SOCKTUPLE:
		event_put_socktuple(sb, p, n);
		break;
	case PT_SIGTYPE:
		put_signal(sb, v);
		break;
	case PT_DYN:
		put_dyn(sb, p, n);
		break;
	case PT_FLAGS8: case PT_FLAGS16: case PT_FLAGS32:
	case PT_ENUMFLAGS8: case PT_ENUMFLAGS16: case PT_ENUMFLAGS32:
		strbuf_printf(sb, "%" PRIu64, (uint64_t)v);
		put_flags(sb, ev, pi->name, (uint64_t)v);
		break;
	case PT_MODE:
		strbuf_printf(sb, "0%" PRIo64, (uint64_t)v);
		break;
	case PT_FDLIST:
		put_fdlist(sb, ev, p, n, h);
		break;
	case PT_INT8: case PT_INT16: case PT_INT32: case PT_INT64:
		if (pi->format == PF_HEX) /* as libs: the bits of the value's width in hex (accept4's flags 80000) */
			strbuf_printf(sb, "%" PRIX64, (uint64_t)v & (pi->type == PT_INT64 ? UINT64_MAX :
					pi->type == PT_INT32 ? UINT32_MAX : pi->type == PT_INT16 ? UINT16_MAX : UINT8_MAX));
		else
			strbuf_printf(sb, "%" PRId64, v);
		break;
	default:
		put_unsigned(sb, pi, (uint64_t)v);
		break;
	}
}

void event_format_params(const struct event *ev, const struct print_hooks *h, struct strbuf *sb)
{
	uint32_t i;

	if (!ev->info)
		return;
	for (i = 0; i < ev->nparams && i < ev->info->nparams; i++) {
		strbuf_printf(sb, "%s%s=", i ? " " : "", ev->info->params[i].name);
		event_format_param(ev, i, h, sb);
	}
}

void event_format_param_value(const struct event *ev, int i, const struct print_hooks *h, struct strbuf *sb)
{
	char buf[4200];
	struct strbuf t;
	const char *open;
	size_t n;

	strbuf_init(&t, buf, sizeof(buf));
	event_format_param(ev, i, h, &t);
	n = t.len < sizeof(buf) ? t.len : sizeof(buf) - 1;
	buf[n] = 0;
	switch (ev->info->params[i].type) {
	case PT_FD: case PT_FD32: case PT_PID: case PT_PID32: case PT_UID: case PT_GID:
	case PT_ERRNO: case PT_SIGTYPE:
	case PT_FLAGS8: case PT_FLAGS16: case PT_FLAGS32:
	case PT_ENUMFLAGS8: case PT_ENUMFLAGS16: case PT_ENUMFLAGS32:
		/* "3(<f>/tmp/x)": what the number resolves to, as libs' evt.arg gives it */
		open = strchr(buf, '(');
		if (open && open > buf && n > 0 && buf[n - 1] == ')' && open[1] != ')') {
			strbuf_add(sb, open + 1, (size_t)(buf + n - 1 - (open + 1)));
			return;
		}
		break;
	default:
		break;
	}
	strbuf_add(sb, buf, n);
}
