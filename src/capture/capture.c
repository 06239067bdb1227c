// SPDX-License-Identifier: Apache-2.0
/*
 * Live capture: environment checks, skeleton load with tunables, ring
 * creation (an ARRAY_OF_MAPS of RINGBUF), attach, and a poll loop that merges
 * the per-ring streams by timestamp before handing events on.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "capture/capture.h"
#include "event/event_table.h"
#include "capture/syscalls.h"
#include "state/hostroot.h"
#include "saker.skel.h"

/* An event is delivered once every ring has been read past ts + this slack. */
#define MERGE_SLACK_NS 2000000ull
/*
 * The programs never wake the consumer per event (BPF_RB_NO_WAKEUP; one
 * forced wakeup per wakeup_bytes a CPU commits), so the rings are drained on
 * this timer whatever timeout the caller asks for.
 */
#define DRAIN_MS 5
/*
 * A CPU's batch whose first event is this old is sent out by the consumer
 * (saker_flush run on that CPU): its CPU went quiet before the batch was
 * full or SAKER_BATCH_AGE_NS old at an event.
 */
#define FLUSH_AFTER_NS 1000000ull

/*
 * An event read from a ring: its bytes where they lie in the ring (`ptr`),
 * or, for a record that wraps around the ring's end, copied to `off` in
 * the arena (ptr NULL). `rpos` is the record's position in its ring, which
 * the consumer hands back only once the event is delivered.
 */
struct pending {
	uint64_t ts;
	uint64_t seq;
	const uint8_t *ptr;
	size_t off;
	unsigned long rpos;
	uint32_t len;
	uint16_t cpu;
	uint16_t ring;
};

/*
 * Bytes of the events that wrap around a ring's end, between consume and
 * delivery: appended in one buffer, no allocation per event. After a
 * delivery the few held back (newer than the merge horizon) move to the
 * front.
 */
struct arena {
	uint8_t *buf;
	size_t len, cap;
};

/*
 * One ring as the consumer maps it: the consumer page (read-write), then
 * the producer page and the data pages mapped ONCE (libbpf's ring_buffer
 * maps the data twice so a record that wraps reads contiguously; every
 * page of both mappings counts in RSS, so a ring cost twice its size
 * there). Events are evaluated where they lie in the ring: the consumer
 * position moves past a record only once it is delivered (read_pos is how
 * far the records were read), and the rare record that wraps is copied
 * out, in two parts.
 */
struct ring_ctx {
	struct capture *c;
	unsigned cpu;
	unsigned long *consumer_pos;
	unsigned long read_pos;
	const unsigned long *producer_pos;
	const uint8_t *data;
	size_t size;               /* data bytes, a power of two */
	size_t map_len;            /* producer page + data */
};

struct capture {
	struct saker_bpf *skel;
	int epoll_fd;
	struct bpf_link *links[4];
	int ring_fds[SAKER_MAX_RINGS];
	struct ring_ctx ring_ctx[SAKER_MAX_RINGS];
	unsigned nrings;
	int template_fd;
	struct pending *pend, *merge_tmp;
	size_t phead;               /* pend[phead, npend) are held */
	size_t npend, cap, merge_cap;
	struct arena arena, spare;
	int unsorted;               /* pend is not in (ts, seq) order */
	uint64_t seq;
	uint64_t boot_to_epoch;
	int oom;
	unsigned progs_loaded, progs_total;
	char twin_refused[64]; /* the __cast twin the kernel refused, so none was loaded */
	uint64_t load_ns;           /* open to attached */
	/* the batches map, mapped read-only: each CPU's first_ts */
	const uint8_t *batches;
	size_t batches_len, batch_size;
	unsigned ncpu;
	uint64_t flush_runs, flush_busy, flush_failed;
	int flush_err;              /* the last saker_flush run's error, 0 when none */
	uint8_t *unreachable;       /* per CPU: its last saker_flush failed (not tried again, not waited for) */
	int batching;               /* batches on: saker_flush runs on this kernel */
	uint64_t bad_records;       /* a record whose events do not add up (never seen) */
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * What libbpf says while saker opens and loads the programs, kept so a load
 * failure can name the program, the reason and the relevant lines of the
 * verifier log. SAKER_DEBUG_BPF=1 prints all of it as it comes as well.
 */
static struct {
	char *buf;
	size_t len, cap;
	int debug;
} bpf_log;

#define BPF_LOG_MAX (16u << 20)

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (bpf_log.debug) {
		va_copy(aq, ap);
		vfprintf(stderr, fmt, aq);
		va_end(aq);
	}
	if (level == LIBBPF_DEBUG && !bpf_log.debug)
		return 0;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n <= 0 || bpf_log.len + n + 1 > BPF_LOG_MAX)
		return 0;
	if (bpf_log.len + n + 1 > bpf_log.cap) {
		size_t ncap = bpf_log.cap ? bpf_log.cap : 65536;
		char *nb;

		while (ncap < bpf_log.len + n + 1)
			ncap *= 2;
		nb = realloc(bpf_log.buf, ncap);
		if (!nb)
			return 0;
		bpf_log.buf = nb;
		bpf_log.cap = ncap;
	}
	vsnprintf(bpf_log.buf + bpf_log.len, n + 1, fmt, ap);
	bpf_log.len += n;
	return 0;
}

static void bpf_log_reset(void)
{
	free(bpf_log.buf);
	memset(&bpf_log, 0, sizeof(bpf_log));
	bpf_log.debug = getenv("SAKER_DEBUG_BPF") && strcmp(getenv("SAKER_DEBUG_BPF"), "0") != 0;
}

/* Append to err at *off: at most n bytes in all, always NUL-terminated. */
static void appendf(char *err, size_t n, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*off >= n)
		return;
	va_start(ap, fmt);
	w = vsnprintf(err + *off, n - *off, fmt, ap);
	va_end(ap);
	if (w > 0)
		*off = *off + w < n ? *off + w : n - 1;
}

/* The line of the log that starts at p (without its newline), at most max. */
static void copy_line(char *dst, size_t max, const char *p)
{
	size_t l = strcspn(p, "\n");

	while (l && (p[l - 1] == '\r' || p[l - 1] == ' '))
		l--;
	if (l >= max)
		l = max - 1;
	memcpy(dst, p, l);
	dst[l] = 0;
}

static const char *find_last(const char *hay, const char *needle)
{
	const char *r = NULL, *p = hay;

	while ((p = strstr(p, needle))) {
		r = p;
		p++;
	}
	return r;
}

static const char *line_start(const char *base, const char *p)
{
	while (p > base && p[-1] != '\n')
		p--;
	return p;
}

static void kernel_release(char *buf, size_t n)
{
	struct utsname u;

	snprintf(buf, n, "%s", uname(&u) == 0 ? u.release : "unknown");
}

static const char *btf_path(void)
{
	const char *p = getenv("SAKER_BTF");

	return p && *p ? p : NULL;
}

/* The name of the program whose load failed, from libbpf's log ("" if none). */
static void failed_prog(char *prog, size_t n)
{
	const char *log = bpf_log.buf ? bpf_log.buf : "";
	const char *fail = find_last(log, "failed to load: ");
	const char *a;

	prog[0] = 0;
	if (!fail)
		fail = find_last(log, "BPF program load failed");
	if (!fail)
		return;
	a = strstr(line_start(log, fail), "prog '");
	if (a && a < fail) {
		copy_line(prog, n, a + 6);
		prog[strcspn(prog, "'")] = 0;
	}
}

/* The first line that says why: an unresolved relocation or the verifier's last word. */
static void failure_reason(char *buf, size_t n)
{
	const char *log = bpf_log.buf ? bpf_log.buf : "";
	const char *reloc = strstr(log, "failed to resolve CO-RE relocation");
	const char *begin = find_last(log, "-- BEGIN PROG LOAD LOG --");
	const char *end = begin ? strstr(begin, "-- END PROG LOAD LOG --") : NULL;
	const char *last = NULL;

	snprintf(buf, n, "rejected");
	if (reloc) {
		copy_line(buf, n, line_start(log, reloc));
		return;
	}
	if (!begin || !end)
		return;
	for (const char *p = strchr(begin, '\n'); p && p + 1 < end; p = strchr(p + 1, '\n')) {
		const char *l = p + 1;

		if (*l != '\n' && strncmp(l, "processed ", 10) && strncmp(l, "verification time", 17))
			last = l;
	}
	if (last)
		copy_line(buf, n, last);
}

/*
 * Programs the capture cannot do without: a kernel that rejects one of them
 * cannot run saker. Every other program is one syscall's exit event; when a
 * kernel rejects it, that syscall comes as the generic event instead.
 */
static int prog_is_core(const char *name)
{
	static const char *const core[] = { "sys_exit_dispatch", "sys_exit_generic", "sched_process_exec",
					    "sched_process_fork", "sched_process_exit", NULL };

	if (strncmp(name, "sys_exit_", 9) != 0)
		return 1;
	for (int i = 0; core[i]; i++)
		if (!strcmp(name, core[i]))
			return 1;
	return 0;
}

#define MAX_SKIPPED 16
#define TWIN_SUFFIX "__cast"

/*
 * Whether the kernel's BTF has the kfunc bpf_rdonly_cast (Linux >= 6.2),
 * which the __cast twins of the open-family programs call. The kernel's
 * own BTF even under SAKER_BTF: libbpf resolves kfuncs against it.
 */
static bool kernel_has_rdonly_cast(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool has;

	if (!btf)
		return false;
	has = btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) > 0;
	btf__free(btf);
	return has;
}

/* The NAME of NAME__cast into buf; 0 when `name` is no twin. */
static int twin_base(const char *name, char *buf, size_t n)
{
	size_t l = strlen(name), t = strlen(TWIN_SUFFIX);

	if (l <= t || strcmp(name + l - t, TWIN_SUFFIX))
		return 0;
	snprintf(buf, n, "%.*s", (int)(l - t), name);
	return 1;
}

/*
 * Of each program and its __cast twin, load one: the twin where `cast`.
 * Returns the number of pairs (the programs left out).
 */
static unsigned choose_twins(struct saker_bpf *skel, bool cast)
{
	struct bpf_program *prog, *base;
	unsigned pairs = 0;
	char name[64];

	bpf_object__for_each_program(prog, skel->obj) {
		if (!twin_base(bpf_program__name(prog), name, sizeof(name)))
			continue;
		base = bpf_object__find_program_by_name(skel->obj, name);
		if (!base)
			continue;
		bpf_program__set_autoload(cast ? base : prog, false);
		pairs++;
	}
	return pairs;
}

/*
 * Explain a failed load from what libbpf logged: the program, the first
 * CO-RE relocation that did not resolve or the verifier's last lines, and
 * what to do about it.
 */
static void explain_load_failure(int rc, char *err, size_t n)
{
	const char *log = bpf_log.buf ? bpf_log.buf : "";
	const char *fail = find_last(log, "failed to load: ");
	const char *reloc = strstr(log, "failed to resolve CO-RE relocation");
	const char *begin, *end;
	char prog[128] = "", line[160], rel[65];
	size_t off = 0;
	int shown = 0;

	kernel_release(rel, sizeof(rel));
	if (!fail)
		fail = find_last(log, "BPF program load failed");
	failed_prog(prog, sizeof(prog));
	if (prog[0])
		appendf(err, n, &off, "cannot load BPF program '%s' on Linux %s: %s", prog, rel, strerror(-rc));
	else
		appendf(err, n, &off, "cannot load the BPF programs on Linux %s: %s", rel, strerror(-rc));
	if (reloc) {
		copy_line(line, sizeof(line), line_start(log, reloc));
		appendf(err, n, &off, "\n  %s", line);
		shown++;
	}
	/* the verifier's verdict is at the end of the last program's log */
	begin = find_last(log, "-- BEGIN PROG LOAD LOG --");
	end = begin ? strstr(begin, "-- END PROG LOAD LOG --") : NULL;
	if (begin && end && shown == 0) {
		const char *lines[4] = {0};
		int k = 0;

		for (const char *p = strchr(begin, '\n'); p && p + 1 < end; p = strchr(p + 1, '\n')) {
			const char *l = p + 1;

			if (l >= end || *l == '\n' || !strncmp(l, "processed ", 10) || !strncmp(l, "verification time", 17))
				continue;
			lines[k++ % 4] = l;
		}
		for (int i = k > 3 ? k - 3 : 0; i < k; i++) {
			copy_line(line, sizeof(line), lines[i % 4]);
			appendf(err, n, &off, "\n  verifier: %s", line);
			shown++;
		}
	}
	if (!shown && fail) {
		copy_line(line, sizeof(line), line_start(log, fail));
		appendf(err, n, &off, "\n  %s", line);
	}
	if (reloc && btf_path())
		appendf(err, n, &off, "\n  the BTF that SAKER_BTF names (%s) is not this kernel's, or lacks a type "
			"or field saker reads", btf_path());
	else if (reloc)
		appendf(err, n, &off, "\n  this kernel lacks a type or field saker reads: please report it with the "
			"kernel version and the output of SAKER_DEBUG_BPF=1");
	else if (strstr(log, "unknown func") || strstr(log, "invalid func"))
		appendf(err, n, &off, "\n  this kernel lacks a BPF helper saker calls: please report it with the "
			"kernel version and the output of SAKER_DEBUG_BPF=1");
	else
		appendf(err, n, &off, "\n  rerun with SAKER_DEBUG_BPF=1 for the whole libbpf and verifier log, and "
			"report it with the kernel version");
}

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

/* The Seccomp: mode of this process (0 none, 1 strict, 2 filter), -1 unknown. */
static int seccomp_mode(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int mode = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

/* Can this process call bpf() at all? A one-entry array map says. */
static int check_bpf_syscall(const char *rel, char *err, size_t n)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "saker_probe", 4, 4, 1, NULL);
	int e = errno, mode;

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	mode = seccomp_mode();
	if (mode > 0 && (e == EPERM || e == EACCES || e == ENOSYS)) {
		snprintf(err, n, "the bpf() system call is blocked by a seccomp filter (Seccomp: %d in /proc/self/status, "
			 "bpf() failed: %s): run saker outside the sandbox, or allow bpf in its seccomp profile "
			 "(e.g. --security-opt seccomp=unconfined for podman and docker)", mode, strerror(e));
		return CAPTURE_ERR_ENV;
	}
	if (e == ENOSYS) {
		snprintf(err, n, "Linux %s has no bpf() system call: saker needs a kernel built with "
			 "CONFIG_BPF_SYSCALL=y, Linux 5.8 or later", rel);
		return CAPTURE_ERR_ENV;
	}
	snprintf(err, n, "the bpf() system call failed: %s: saker needs root or CAP_BPF and CAP_PERFMON; "
		 "a locked-down kernel (lockdown=confidentiality) refuses it to everyone", strerror(e));
	return CAPTURE_ERR_ENV;
}

static int check_env(const struct capture_opts *o, char *err, size_t n)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};
	long page = sysconf(_SC_PAGESIZE);
	const char *btf = btf_path();
	char rel[65];
	int rc;

	kernel_release(rel, sizeof(rel));
	if (o->ring_bytes < (size_t)page || (o->ring_bytes & (o->ring_bytes - 1)) ||
	    o->ring_bytes > (1ull << 30)) {
		snprintf(err, n, "impossible ring size %zu: it must be a power of two between %ld and %llu bytes",
			 o->ring_bytes, page, 1ull << 30);
		return CAPTURE_ERR_USAGE;
	}
	if (o->cpus_per_ring < 1) {
		snprintf(err, n, "cpus per ring must be at least 1");
		return CAPTURE_ERR_USAGE;
	}
	if (syscall(SYS_capget, &h, d) == 0 && !has_cap(d, 21 /* CAP_SYS_ADMIN */) &&
	    !(has_cap(d, 39 /* CAP_BPF */) && has_cap(d, 38 /* CAP_PERFMON */))) {
		bool bpf = has_cap(d, 39), perfmon = has_cap(d, 38);

		/* name each one that is missing */
		snprintf(err, n, "missing privileges: %s%s%s: run as root or grant CAP_BPF and CAP_PERFMON "
			 "(CAP_SYS_ADMIN on kernels before 5.8)", bpf ? "" : "CAP_BPF",
			 !bpf && !perfmon ? " and " : "", perfmon ? "" : "CAP_PERFMON");
		return CAPTURE_ERR_ENV;
	}
	rc = check_bpf_syscall(rel, err, n);
	if (rc)
		return rc;
	if (access(btf ? btf : "/sys/kernel/btf/vmlinux", R_OK) != 0) {
		if (btf)
			snprintf(err, n, "SAKER_BTF names '%s', which cannot be read: %s", btf, strerror(errno));
		else
			snprintf(err, n, "kernel BTF not found at '/sys/kernel/btf/vmlinux' (Linux %s): saker needs a "
				 "kernel built with CONFIG_DEBUG_INFO_BTF=y (Linux 5.8 or later; most distributions "
				 "since 2020), or SAKER_BTF=FILE naming this kernel's BTF", rel);
		return CAPTURE_ERR_ENV;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		snprintf(err, n, "Linux %s has no BPF ring buffer: saker needs Linux 5.8 or later", rel);
		return CAPTURE_ERR_ENV;
	}
	return 0;
}

void capture_opts_all_probes(struct capture_opts *opts)
{
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		int nr = syscall_nr(p->name);

		if (nr >= 0 && nr < SAKER_MAX_SYSCALLS)
			opts->interesting[nr] = 1;
	}
}

static const uint8_t *pending_bytes(const struct capture *c, const struct pending *p)
{
	return p->ptr ? p->ptr : c->arena.buf + p->off;
}

static int arena_reserve(struct arena *a, size_t n)
{
	if (a->len + n > a->cap) {
		size_t ncap = a->cap ? a->cap : 1u << 20;
		uint8_t *nb;

		while (ncap < a->len + n)
			ncap *= 2;
		nb = realloc(a->buf, ncap);
		if (!nb)
			return -1;
		a->buf = nb;
		a->cap = ncap;
	}
	return 0;
}

/* One event of `len` bytes (at ptr in the ring, or at off in the arena) to the pending events. */
static void pend_event(struct ring_ctx *rc, unsigned long rpos, const uint8_t *ptr, size_t off, uint32_t len)
{
	struct capture *c = rc->c;
	struct pending *p;

	if (c->npend == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;
		struct pending *np = realloc(c->pend, ncap * sizeof(*np));

		if (!np) {
			c->oom++;
			return;
		}
		c->pend = np;
		c->cap = ncap;
	}
	p = &c->pend[c->npend];
	p->ptr = ptr;
	p->off = off;
	memcpy(&p->ts, pending_bytes(c, p), 8);
	p->rpos = rpos;
	p->len = len;
	p->cpu = rc->cpu;
	p->ring = rc - c->ring_ctx;
	p->seq = c->seq++;
	if (c->npend > c->phead && p->ts < p[-1].ts)
		c->unsorted = 1;
	c->npend++;
}

/*
 * Append the events of the record at ring position rpos (size bytes: a,
 * then the rest from b when it wraps; a CPU's batch, whole events each
 * padded to 8 bytes) to the pending events: pointers into the ring, or
 * into a copy in the arena when the record wraps.
 */
static void on_sample(struct ring_ctx *rc, unsigned long rpos, const uint8_t *a, size_t alen, const uint8_t *b,
		      size_t size)
{
	struct capture *c = rc->c;
	const uint8_t *rec = a;
	size_t base = 0, off = 0;

	if (alen < size) {
		if (arena_reserve(&c->arena, size)) {
			c->oom++;
			return;
		}
		base = c->arena.len;
		memcpy(c->arena.buf + base, a, alen);
		memcpy(c->arena.buf + base + alen, b, size - alen);
		c->arena.len += size;
		rec = NULL;
	}
	while (off + SAKER_HDR_LEN <= size) {
		const uint8_t *ev = rec ? rec + off : c->arena.buf + base + off;
		uint32_t len;

		memcpy(&len, ev + SAKER_HDR_OFF(len), sizeof(len));
		if (len < SAKER_HDR_LEN || len > size - off) {
			c->bad_records++;
			return;
		}
		pend_event(rc, rpos, rec ? ev : NULL, base + off, len);
		off += SAKER_BATCH_ALIGN(len);
	}
}

/*
 * Read every committed record of one ring past read_pos (the kernel's ring
 * protocol, as libbpf reads it): stop at a record still being written,
 * skip discarded ones. The space goes back to the kernel in release_rings,
 * once the records are delivered.
 */
static void consume_ring(struct ring_ctx *rc)
{
	unsigned long cons = rc->read_pos, prod;
	size_t mask = rc->size - 1;

	prod = __atomic_load_n(rc->producer_pos, __ATOMIC_ACQUIRE);
	while (cons < prod) {
		const uint32_t *hdr = (const uint32_t *)(rc->data + (cons & mask));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		unsigned long rpos = cons;
		size_t off, first;

		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		off = (cons + BPF_RINGBUF_HDR_SZ) & mask;
		cons += ((len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT)) + BPF_RINGBUF_HDR_SZ + 7) / 8 * 8;
		if (len & BPF_RINGBUF_DISCARD_BIT)
			continue;
		first = rc->size - off;
		on_sample(rc, rpos, rc->data + off, first, rc->data, len);
		if (cons >= prod)
			prod = __atomic_load_n(rc->producer_pos, __ATOMIC_ACQUIRE);
	}
	rc->read_pos = cons;
}

/*
 * Hand each ring's space back up to its oldest event still held (or all
 * it has read): the kernel may then write there again.
 */
static void release_rings(struct capture *c)
{
	unsigned long upto[SAKER_MAX_RINGS];

	for (unsigned i = 0; i < c->nrings; i++)
		upto[i] = c->ring_ctx[i].read_pos;
	for (size_t i = c->phead; i < c->npend; i++) {
		const struct pending *p = &c->pend[i];

		if (p->rpos < upto[p->ring])
			upto[p->ring] = p->rpos;
	}
	for (unsigned i = 0; i < c->nrings; i++)
		if (c->ring_ctx[i].data)
			__atomic_store_n(c->ring_ctx[i].consumer_pos, upto[i], __ATOMIC_RELEASE);
}

static void consume_all(struct capture *c)
{
	for (unsigned i = 0; i < c->nrings; i++)
		if (c->ring_ctx[i].data)
			consume_ring(&c->ring_ctx[i]);
}

static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/*
 * Put pend in (ts, seq) order. It is a few ordered runs (the events held
 * back, then each ring's events as read, each ring in order), so adjacent
 * runs are merged pairwise: linear in the events per pass, a pass per
 * doubling of the runs. Falls back to qsort without memory for the merge.
 */
static void sort_pending(struct capture *c)
{
	struct pending *a = c->pend + c->phead, *b;
	size_t n = c->npend - c->phead;

	if (c->merge_cap < c->cap) {
		free(c->merge_tmp);
		c->merge_tmp = malloc(c->cap * sizeof(*c->merge_tmp));
		c->merge_cap = c->merge_tmp ? c->cap : 0;
	}
	if (!c->merge_tmp) {
		qsort(a, n, sizeof(*a), pending_cmp);
		return;
	}
	b = c->merge_tmp;
	for (;;) {
		size_t i = 0, o = 0, runs = 0;

		while (i < n) {
			size_t m = i + 1, e;

			while (m < n && pending_cmp(&a[m - 1], &a[m]) <= 0)
				m++;
			e = m;
			if (m < n)
				for (e = m + 1; e < n && pending_cmp(&a[e - 1], &a[e]) <= 0; e++)
					;
			/* merge a[i, m) and a[m, e) into b */
			for (size_t x = i, y = m; x < m || y < e;)
				b[o++] = y >= e || (x < m && pending_cmp(&a[x], &a[y]) <= 0) ? a[x++] : a[y++];
			i = e;
			runs++;
		}
		if (runs <= 1) {
			if (b != c->pend + c->phead)
				memcpy(c->pend + c->phead, b, n * sizeof(*b));
			return;
		}
		struct pending *t = a;

		a = b;
		b = t;
	}
}

/*
 * Give back what a burst grew. pend (and merge_tmp, its size) grow by
 * doubling to hold what the consumer read ahead of delivery, which under a
 * burst is up to a ring's worth of events (48 bytes each, 3 MiB twice for
 * a backlog of 64 Ki events) and stayed at that size for good. Called when
 * everything was delivered, with the number that had been held: once that
 * is an eighth of the capacity or less, both shrink to twice it (at least
 * PEND_MIN_CAP), and glibc unmaps the difference (saker fixes its mmap
 * threshold for that). The hysteresis keeps a steady rate from
 * reallocating every drain. A quiet poll (no wakeup, nothing held) trims
 * to the least, for a burst followed by silence.
 */
#define PEND_MIN_CAP 4096
static void pend_trim(struct capture *c, size_t used)
{
	size_t ncap = c->cap;
	struct pending *np;

	if (ncap <= PEND_MIN_CAP || used > ncap / 8)
		return;
	while (ncap > PEND_MIN_CAP && ncap / 2 >= used * 2)
		ncap /= 2;
	np = realloc(c->pend, ncap * sizeof(*np));
	if (!np)
		return; /* keep the larger one */
	c->pend = np;
	c->cap = ncap;
	free(c->merge_tmp); /* sort_pending takes one of cap's size again */
	c->merge_tmp = NULL;
	c->merge_cap = 0;
}

/*
 * Deliver pending events with ts <= limit, in order; keep the rest. Events
 * from one ring come in order, so the sort runs only when rings interleave.
 * The events held back stay where they are (phead moves past the delivered
 * ones): moving them on every poll made each event be copied once per poll
 * for as long as it was held. They are compacted into the spare arena only
 * once at least as many have been delivered since, so each event is moved
 * at most about once.
 */
static int deliver(struct capture *c, uint64_t limit, capture_event_fn fn, void *ctx)
{
	size_t i, kept;
	struct arena t;
	int rc = 0;

	if (c->npend == c->phead)
		return 0;
	if (c->unsorted)
		sort_pending(c);
	c->unsorted = 0;
	for (i = c->phead; i < c->npend && c->pend[i].ts <= limit; i++) {
		struct pending *p = &c->pend[i];

		c->phead = i + 1;
		rc = fn(ctx, pending_bytes(c, p), p->len, p->cpu);
		if (rc)
			break;
	}
	kept = c->npend - c->phead;
	if (!kept) {
		pend_trim(c, c->npend);
		c->npend = c->phead = 0;
		c->arena.len = 0;
		return rc;
	}
	if (c->phead < kept)
		return rc;
	/* compact: the held events' bytes in the arena to the spare arena,
	 * which becomes the arena; their entries to the front */
	c->spare.len = 0;
	if (arena_reserve(&c->spare, c->arena.len))
		return rc; /* no memory to compact: keep them in place */
	for (i = 0; i < kept; i++) {
		struct pending *p = &c->pend[c->phead + i];

		if (p->ptr)
			continue;
		memcpy(c->spare.buf + c->spare.len, c->arena.buf + p->off, p->len);
		p->off = c->spare.len;
		c->spare.len += p->len;
	}
	memmove(c->pend, c->pend + c->phead, kept * sizeof(*c->pend));
	c->npend = kept;
	c->phead = 0;
	t = c->arena;
	c->arena = c->spare;
	c->spare = t;
	c->spare.len = 0;
	return rc;
}

/* When CPU cpu's oldest event still in its batch happened; 0 when none is. */
static uint64_t batch_first_ts(const struct capture *c, unsigned cpu)
{
	const struct saker_batch *b = (const void *)(c->batches + (size_t)cpu * c->batch_size);

	return __atomic_load_n(&b->first_ts, __ATOMIC_ACQUIRE);
}

/* saker_flush on cpu: -errno, or its return (0: the batch is out; 1: a program there adds an event). */
static int run_flush(struct capture *c, unsigned cpu)
{
	__u64 args[1] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, t, .ctx_in = args, .ctx_size_in = sizeof(args), .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = cpu);

	if (bpf_prog_test_run_opts(bpf_program__fd(c->skel->progs.saker_flush), &t))
		return -errno;
	return t.retval != 0;
}

/*
 * Send out cpu's batch; 0 when it is out, 1 while a program there adds an
 * event. A CPU it cannot reach (offline?) is warned about and no longer
 * tried or waited for until its batch empties.
 */
static int flush_cpu(struct capture *c, unsigned cpu)
{
	int err = run_flush(c, cpu);

	if (err < 0) {
		if (c->flush_err != err)
			fprintf(stderr, "%s: warning: cannot send out CPU %u's batch of events (BPF_PROG_TEST_RUN of "
				"saker_flush: %s): they wait for that CPU's next event\n",
				program_invocation_short_name, cpu, strerror(-err));
		c->flush_err = err;
		c->flush_failed++;
		c->unreachable[cpu] = 1;
		return err;
	}
	if (err) {
		c->flush_busy++;
		return 1;
	}
	c->flush_runs++;
	return 0;
}

/*
 * Send out every batch whose first event happened before `before` (a CPU
 * gone quiet), then say when the oldest event still in a batch happened
 * (UINT64_MAX when none is): the events after it wait until it is out.
 */
static uint64_t flush_quiet(struct capture *c, uint64_t before)
{
	uint64_t oldest = UINT64_MAX;

	for (unsigned cpu = 0; c->batches && cpu < c->ncpu; cpu++) {
		uint64_t ts = batch_first_ts(c, cpu);

		if (!ts)
			c->unreachable[cpu] = 0;
		if (c->unreachable[cpu])
			continue;
		if (ts && ts < before && c->batching) {
			int rc = flush_cpu(c, cpu);

			if (rc < 0)
				continue;
			if (rc == 0)
				ts = batch_first_ts(c, cpu);
		}
		if (ts && ts < oldest)
			oldest = ts;
	}
	return oldest;
}

/*
 * Milliseconds until the oldest held event may be delivered, at most max.
 * Only while few events are held (a low rate, where latency is what shows):
 * under load the plain timer batches more events per wakeup, and every
 * timer armed is a trap to the hypervisor in a VM.
 */
#define HURRY_MAX_PENDING 256

static int next_delivery_ms(const struct capture *c, int max)
{
	uint64_t now, due;

	if (c->npend - c->phead > HURRY_MAX_PENDING)
		return max;
	due = UINT64_MAX;
	if (c->npend > c->phead)
		due = c->pend[c->phead].ts + MERGE_SLACK_NS;
	if (c->unsorted)
		for (size_t i = c->phead + 1; i < c->npend; i++)
			if (c->pend[i].ts + MERGE_SLACK_NS < due)
				due = c->pend[i].ts + MERGE_SLACK_NS;
	/* a batch of a quiet CPU is due for its flush */
	for (unsigned cpu = 0; c->batches && cpu < c->ncpu; cpu++) {
		uint64_t ts = batch_first_ts(c, cpu);

		if (ts && !c->unreachable[cpu] && ts + FLUSH_AFTER_NS < due)
			due = ts + FLUSH_AFTER_NS;
	}
	if (due == UINT64_MAX)
		return max;
	now = clock_ns(CLOCK_BOOTTIME) + c->boot_to_epoch;
	if (due <= now)
		return 0;
	due = (due - now + 999999) / 1000000;
	return due < (uint64_t)max ? (int)due : max;
}

int capture_poll(struct capture *c, int timeout_ms, capture_event_fn fn, void *ctx)
{
	struct epoll_event evs[SAKER_MAX_RINGS];
	uint64_t start, limit, held;
	int err, woken;

	if (timeout_ms < 0 || timeout_ms > DRAIN_MS)
		timeout_ms = DRAIN_MS;
	timeout_ms = next_delivery_ms(c, timeout_ms);
	woken = epoll_wait(c->epoll_fd, evs, SAKER_MAX_RINGS, timeout_ms);
	if (woken < 0 && errno != EINTR)
		return -errno;
	/*
	 * Everything committed before `start` is read by this consume. An
	 * event still in a CPU's batch is not: the events after the oldest of
	 * those wait (its first_ts is read before the rings, and the batch is
	 * in the ring before first_ts is cleared).
	 */
	start = clock_ns(CLOCK_BOOTTIME) + c->boot_to_epoch;
	limit = start - MERGE_SLACK_NS;
	held = flush_quiet(c, start - FLUSH_AFTER_NS);
	if (held <= limit)
		limit = held - 1;
	consume_all(c);
	err = deliver(c, limit, fn, ctx);
	release_rings(c);
	if (woken == 0 && c->npend == 0)
		pend_trim(c, 0); /* a quiet poll, nothing held: back to the least */
	return err;
}

int capture_drain(struct capture *c, capture_event_fn fn, void *ctx)
{
	int rc;

	/* detach first: after this nothing new enters the batches */
	for (int i = 0; i < 4; i++) {
		bpf_link__destroy(c->links[i]);
		c->links[i] = NULL;
	}
	/* then every batch to its ring (a program still running finishes first) */
	for (int tries = 0; tries < 100 && flush_quiet(c, UINT64_MAX) != UINT64_MAX; tries++)
		usleep(1000);
	consume_all(c);
	rc = deliver(c, UINT64_MAX, fn, ctx);
	release_rings(c);
	return rc;
}

int capture_counters(struct capture *c, struct saker_counters *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct saker_counters *per;
	__u32 zero = 0;
	int i, j;

	memset(out, 0, sizeof(*out));
	if (ncpu <= 0)
		return -EINVAL;
	per = calloc(ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.counters), &zero, per)) {
		free(per);
		return -errno;
	}
	for (i = 0; i < ncpu; i++) {
		/* the programs leave events_seen 0: every event is sent or dropped */
		out->events_seen += per[i].events_sent;
		out->events_sent += per[i].events_sent;
		out->ia32_syscalls += per[i].ia32_syscalls;
		for (j = 0; j < SAKER_DROP_REASONS; j++) {
			out->drops[j] += per[i].drops[j];
			out->events_seen += per[i].drops[j];
		}
		for (j = 0; j < SAKER_CATEGORIES; j++)
			out->by_category[j] += per[i].by_category[j];
	}
	free(per);
	return 0;
}

void capture_stats(const struct capture *c, struct capture_stats *out)
{
	out->flush_runs = c->flush_runs;
	out->flush_busy = c->flush_busy;
	out->flush_failed = c->flush_failed;
	out->batching = c->batching;
	out->bad_records = c->bad_records;
	out->oom = (uint64_t)c->oom;
}

unsigned capture_rings(const struct capture *c)
{
	return c->nrings;
}

/*
 * The syscalls whose programs the dispatcher tail-calls with a constant
 * key, a direct jump (hot_progs in bpf/maps.bpf.h): the most frequent of
 * those rules and state tracking capture.
 */
static const char *const hot_syscalls[SAKER_HOT_SYSCALLS] = {
	[SAKER_HOT_OPENAT] = "openat",
	[SAKER_HOT_CLOSE] = "close",
	[SAKER_HOT_READ] = "read",
	[SAKER_HOT_WRITE] = "write",
};

static int set_tunables(struct capture *c, const struct capture_opts *o, unsigned ncpu)
{
	struct saker_bpf *s = c->skel;

	c->boot_to_epoch = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	s->rodata->self_tgid = hostroot_self_pid();
	s->rodata->cpus_per_ring = o->cpus_per_ring;
	s->rodata->boot_to_epoch_ns = c->boot_to_epoch;
	/* each CPU of a ring wakes the consumer once per its share of a quarter */
	s->rodata->wakeup_bytes = o->ring_bytes / 4 / o->cpus_per_ring;
	s->rodata->nparams_skew = o->nparams_skew;
	s->rodata->snaplen = o->snaplen ? o->snaplen : SAKER_DEFAULT_SNAPLEN;
	for (int i = 0; i < SAKER_HOT_SYSCALLS; i++) {
		int nr = syscall_nr(hot_syscalls[i]);

		s->rodata->hot_nr[i] = nr >= 0 ? (__u32)nr : ~0u;
	}
	c->nrings = (ncpu + o->cpus_per_ring - 1) / o->cpus_per_ring;
	if (c->nrings > SAKER_MAX_RINGS)
		return -E2BIG;
	c->template_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "saker_tmpl", 0, 0, o->ring_bytes, NULL);
	if (c->template_fd < 0)
		return -errno;
	if (bpf_map__set_max_entries(s->maps.rings, c->nrings) ||
	    bpf_map__set_inner_map_fd(s->maps.rings, c->template_fd) ||
	    bpf_map__set_max_entries(s->maps.batches, ncpu))
		return -EINVAL;
	return 0;
}

/* Map ring i's consumer page, and its producer page and data once. */
static int map_ring(struct ring_ctx *rc, int fd, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	void *cp, *pp;

	cp = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cp == MAP_FAILED)
		return -errno;
	pp = mmap(NULL, page + size, PROT_READ, MAP_SHARED, fd, page);
	if (pp == MAP_FAILED) {
		int err = -errno;

		munmap(cp, page);
		return err;
	}
	rc->consumer_pos = cp;
	rc->read_pos = __atomic_load_n(rc->consumer_pos, __ATOMIC_ACQUIRE);
	rc->producer_pos = pp;
	rc->data = (const uint8_t *)pp + page;
	rc->size = size;
	rc->map_len = page + size;
	return 0;
}

static void unmap_ring(struct ring_ctx *rc)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!rc->data)
		return;
	munmap(rc->consumer_pos, page);
	munmap((void *)rc->producer_pos, rc->map_len);
	rc->data = NULL;
}

/* Map the batches read-only, for their first_ts (see flush_quiet). */
static int map_batches(struct capture *c, unsigned ncpu)
{
	long page = sysconf(_SC_PAGESIZE);
	void *m;
	int err;

	c->batch_size = (sizeof(struct saker_batch) + 7) / 8 * 8;
	c->batches_len = (ncpu * c->batch_size + page - 1) / page * page;
	m = mmap(NULL, c->batches_len, PROT_READ, MAP_SHARED, bpf_map__fd(c->skel->maps.batches), 0);
	if (m == MAP_FAILED)
		return -errno;
	c->batches = m;
	c->ncpu = ncpu;
	c->unreachable = calloc(ncpu, 1);
	if (!c->unreachable)
		return -ENOMEM;
	/*
	 * Batches only where the consumer can send out a quiet CPU's batch
	 * (BPF_F_TEST_RUN_ON_CPU for raw_tp programs, Linux 5.10): else every
	 * event goes to the ring on its own, as it is submitted.
	 */
	err = run_flush(c, 0);
	if (err < 0) {
		c->flush_err = err;
		c->skel->data->batch_flush_bytes = 0;
	} else {
		c->batching = 1;
	}
	return 0;
}

static int create_rings(struct capture *c, const struct capture_opts *o)
{
	int outer = bpf_map__fd(c->skel->maps.rings);
	unsigned i;

	c->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epoll_fd < 0)
		return -errno;
	for (i = 0; i < c->nrings; i++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "saker_ring", 0, 0, o->ring_bytes, NULL);
		/*
		 * Edge-triggered: a ring's poll says readable whenever it
		 * holds a byte, so level-triggered epoll returned at once
		 * while events kept coming and the consumer woke thousands of
		 * times a second to read a few events each, against the
		 * programs' BPF_RB_NO_WAKEUP. It wakes on the programs' forced
		 * wakeups (a quarter ring) and on the drain timer.
		 */
		struct epoll_event e = { .events = EPOLLIN | EPOLLET, .data.u32 = i };
		int err;

		if (fd < 0)
			return -errno;
		c->ring_fds[i] = fd;
		if (bpf_map_update_elem(outer, &i, &fd, BPF_ANY))
			return -errno;
		c->ring_ctx[i].c = c;
		c->ring_ctx[i].cpu = i * o->cpus_per_ring;
		err = map_ring(&c->ring_ctx[i], fd, o->ring_bytes);
		if (err)
			return err;
		if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &e))
			return -errno;
	}
	return 0;
}

/* Program fd for syscall nr, in hot_progs too where nr is a hot one. */
static int set_syscall_prog(struct capture *c, __u32 nr, int fd)
{
	int hot = bpf_map__fd(c->skel->maps.hot_progs);

	if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.syscall_progs), &nr, &fd, BPF_ANY))
		return -errno;
	for (__u32 i = 0; i < SAKER_HOT_SYSCALLS; i++)
		if (c->skel->rodata->hot_nr[i] == nr && bpf_map_update_elem(hot, &i, &fd, BPF_ANY))
			return -errno;
	return 0;
}

static int fill_syscall_maps(struct capture *c, const struct capture_opts *o)
{
	int generic = bpf_program__fd(c->skel->progs.sys_exit_generic);
	uint8_t have[SAKER_MAX_SYSCALLS] = {}, want[SAKER_MAX_SYSCALLS] = {}, own[SAKER_MAX_SYSCALLS] = {};
	char name[64];

	memset(c->skel->bss->ia32_to_64, 0xff, sizeof(c->skel->bss->ia32_to_64));
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		int nr = syscall_nr(p->name), fd;
		struct bpf_program *prog;

		/* the __cast twin where it was loaded (see choose_twins) */
		snprintf(name, sizeof(name), "sys_exit_%s" TWIN_SUFFIX, p->name);
		prog = bpf_object__find_program_by_name(c->skel->obj, name);
		if (!prog || bpf_program__fd(prog) < 0) {
			snprintf(name, sizeof(name), "sys_exit_%s", p->name);
			prog = bpf_object__find_program_by_name(c->skel->obj, name);
		}
		if (nr < 0 || nr >= SAKER_MAX_SYSCALLS || !prog)
			continue;
		fd = bpf_program__fd(prog);
		if (fd < 0) /* rejected by this kernel: the generic event instead */
			continue;
		if (set_syscall_prog(c, nr, fd))
			return -errno;
		have[nr] = 1;
		/* a __cast twin reads its arguments itself: the dispatcher saves none for it */
		own[nr] = twin_base(bpf_program__name(prog), name, sizeof(name));
	}
	for (const struct syscall_name *s = syscalls_64; s->name; s++) {
		__u32 nr = s->nr;
		__u8 on;

		if (nr >= SAKER_MAX_SYSCALLS)
			continue;
		/* a syscall asked for without a program of its own comes as a
		 * generic event rather than not at all */
		if (!have[nr] && (o->generic_others || o->interesting[nr]) && set_syscall_prog(c, nr, generic) == 0)
			have[nr] = 1;
		on = have[nr] && (o->interesting[nr] || (o->generic_others && !syscall_probe_find(s->name)));
		if (on)
			want[nr] |= SAKER_WANT_64 | (own[nr] ? SAKER_OWN_ARGS_64 : 0);
		for (size_t k = 1; k < ppm_sc_count; k++)
			if (ppm_sc_names[k] && !strcmp(ppm_sc_names[k], s->name)) {
				c->skel->bss->ppm_sc_of[nr] = k;
				break;
			}
	}
	for (const struct syscall_name *s = syscalls_ia32; s->name; s++) {
		__u32 nr = s->nr;
		__s32 to = syscall_nr(s->name);

		/* ia32 spells a few calls differently; map the common aliases */
		if (to < 0 && strncmp(s->name, "socketcall", 10) != 0) {
			size_t l = strlen(s->name);

			if (l > 2 && strcmp(s->name + l - 2, "32") == 0) {
				snprintf(name, sizeof(name), "%.*s", (int)(l - 2), s->name);
				to = syscall_nr(name);
			} else if (l > 6 && strcmp(s->name + l - 6, "time64") == 0) {
				/* the y2038 calls: utimensat_time64 is utimensat with
				 * 64-bit times (sc__time32 in bpf/task.bpf.h),
				 * clock_gettime64 clock_gettime */
				int cut = l > 7 && s->name[l - 7] == '_' ? 7 : 2;

				snprintf(name, sizeof(name), "%.*s", (int)(l - cut), s->name);
				to = syscall_nr(name);
			}
		}
		if (nr >= SAKER_MAX_SYSCALLS)
			continue;
		c->skel->bss->ia32_to_64[nr] = to;
		/* the dispatcher reads one table for both ABIs' numbers */
		if (to >= 0 && to < SAKER_MAX_SYSCALLS && (want[to] & SAKER_WANT_64))
			want[nr] |= SAKER_WANT_IA32 | (own[to] ? SAKER_OWN_ARGS_IA32 : 0);
	}
	memcpy(c->skel->bss->interesting, want, sizeof(want));
	return 0;
}

static int attach(struct capture *c)
{
	struct saker_bpf *s = c->skel;
	struct bpf_program *p[4] = { s->progs.sys_exit_dispatch, s->progs.sched_process_exec,
				     s->progs.sched_process_fork, s->progs.sched_process_exit };
	int i;

	/* the dispatcher's __cast twin where it was loaded (see choose_twins) */
	if (bpf_program__fd(s->progs.sys_exit_dispatch__cast) >= 0)
		p[0] = s->progs.sys_exit_dispatch__cast;

	for (i = 0; i < 4; i++) {
		c->links[i] = bpf_program__attach(p[i]);
		if (!c->links[i])
			return -errno;
	}
	return 0;
}

int capture_open(struct capture **out, const struct capture_opts *o, char *err, size_t n)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = btf_path());
	struct bpf_program *prog;
	struct capture *c;
	int ncpu, rc;
	const char *step = "open";
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	char skipped[MAX_SKIPPED][64], reasons[MAX_SKIPPED][160];
	unsigned nskipped = 0, pairs = 0;
	bool cast;

	*out = NULL;
	bpf_log_reset();
	libbpf_set_print(libbpf_print);
	rc = check_env(o, err, n);
	if (rc)
		return rc;
	ncpu = libbpf_num_possible_cpus();
	c = calloc(1, sizeof(*c));
	if (!c || ncpu <= 0) {
		free(c);
		snprintf(err, n, "out of memory");
		return CAPTURE_ERR_RUNTIME;
	}
	cast = kernel_has_rdonly_cast();
	for (;;) {
		char name[128], base[64];

		step = "open";
		c->skel = saker_bpf__open_opts(&oo);
		rc = c->skel ? 0 : -errno;
		if (!rc) {
			step = "configure";
			rc = set_tunables(c, o, ncpu);
		}
		for (unsigned i = 0; !rc && i < nskipped; i++) {
			prog = bpf_object__find_program_by_name(c->skel->obj, skipped[i]);
			if (prog)
				bpf_program__set_autoload(prog, false);
		}
		if (rc)
			break;
		pairs = choose_twins(c->skel, cast);
		step = "load";
		rc = saker_bpf__load(c->skel);
		if (!rc)
			break;
		/* a syscall's own program the kernel rejects: load without it;
		 * a __cast twin: load the probe-read programs instead */
		failed_prog(name, sizeof(name));
		if (cast && twin_base(name, base, sizeof(base))) {
			cast = false;
			snprintf(c->twin_refused, sizeof(c->twin_refused), "%s", name);
		} else if (!name[0] || prog_is_core(name) || nskipped == MAX_SKIPPED) {
			explain_load_failure(rc, err, n);
			capture_free(c);
			bpf_log_reset();
			return CAPTURE_ERR_ENV;
		} else {
			snprintf(skipped[nskipped], sizeof(skipped[0]), "%s", name);
			failure_reason(reasons[nskipped], sizeof(reasons[0]));
			nskipped++;
		}
		saker_bpf__destroy(c->skel);
		c->skel = NULL;
		if (c->template_fd > 0)
			close(c->template_fd);
		c->template_fd = 0;
		bpf_log_reset();
	}
	if (!rc) {
		char rel[65];

		kernel_release(rel, sizeof(rel));
		/* a twin left out is not a program this kernel misses */
		bpf_object__for_each_program(prog, c->skel->obj) {
			c->progs_total++;
			c->progs_loaded += bpf_program__fd(prog) >= 0;
		}
		c->progs_total -= pairs;
		for (unsigned i = 0; i < nskipped; i++)
			fprintf(stderr, "%s: warning: Linux %s rejects BPF program '%s' (%s): %s comes as a generic "
				"event, without its parameters\n", program_invocation_short_name, rel, skipped[i],
				reasons[i], skipped[i] + 9);
	}
	if (!rc) {
		step = "create rings";
		rc = create_rings(c, o);
	}
	if (!rc) {
		step = "map the batches";
		rc = map_batches(c, ncpu);
	}
	if (!rc) {
		step = "fill syscall maps";
		rc = fill_syscall_maps(c, o);
	}
	if (!rc) {
		step = "attach";
		rc = attach(c);
	}
	if (rc) {
		char rel[65];

		kernel_release(rel, sizeof(rel));
		snprintf(err, n, "cannot %s the BPF programs on Linux %s: %s%s", step, rel, strerror(-rc),
			 rc == -EPERM ? " (missing CAP_BPF and CAP_PERFMON?)" : "");
		capture_free(c);
		bpf_log_reset();
		return rc == -EPERM || !strcmp(step, "attach") ? CAPTURE_ERR_ENV : CAPTURE_ERR_RUNTIME;
	}
	c->load_ns = clock_ns(CLOCK_MONOTONIC) - t0;
	bpf_log_reset();
	*out = c;
	return 0;
}

void capture_describe(const struct capture *c, char *buf, size_t n)
{
	char rel[65], batch[160] = "";

	kernel_release(rel, sizeof(rel));
	if (!c->batching)
		snprintf(batch, sizeof(batch), "; events go to the ring one at a time (saker_flush cannot run on a "
			 "CPU: %s)", strerror(c->flush_err ? -c->flush_err : ENOSYS));
	snprintf(buf, n, "%u of %u BPF programs loaded and attached in %.0f ms (Linux %s)%s%s%s%s", c->progs_loaded,
		 c->progs_total, c->load_ns / 1e6, rel, c->twin_refused[0] ? "; the kernel refused '" : "",
		 c->twin_refused, c->twin_refused[0] ? "': the probe-read programs run instead of the __cast ones" : "",
		 batch);
}

void capture_free(struct capture *c)
{
	unsigned i;

	if (!c)
		return;
	for (i = 0; i < 4; i++)
		bpf_link__destroy(c->links[i]);
	for (i = 0; i < c->nrings; i++) {
		unmap_ring(&c->ring_ctx[i]);
		if (c->ring_fds[i] > 0)
			close(c->ring_fds[i]);
	}
	if (c->epoll_fd > 0)
		close(c->epoll_fd);
	if (c->batches)
		munmap((void *)c->batches, c->batches_len);
	free(c->unreachable);
	free(c->pend);
	free(c->merge_tmp);
	free(c->arena.buf);
	free(c->spare.buf);
	saker_bpf__destroy(c->skel);
	if (c->template_fd > 0)
		close(c->template_fd);
	free(c);
}
