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
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture/capture.h"
#include "event/event_table.h"
#include "capture/syscalls.h"
#include "saker.skel.h"

/* An event is delivered once every ring has been read past ts + this slack. */
#define MERGE_SLACK_NS 2000000ull

struct pending {
	uint64_t ts;
	uint64_t seq;
	uint32_t len;
	uint16_t cpu;
	uint8_t *data;
};

struct ring_ctx {
	struct capture *c;
	unsigned cpu;
};

struct capture {
	struct saker_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[4];
	int ring_fds[SAKER_MAX_RINGS];
	struct ring_ctx ring_ctx[SAKER_MAX_RINGS];
	unsigned nrings;
	int template_fd;
	struct pending *pend;
	size_t npend, cap;
	uint64_t seq;
	uint64_t boot_to_epoch;
	int oom;
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's own messages only on request; saker reports failures itself */
	(void)level;
	return getenv("SAKER_DEBUG_BPF") ? vfprintf(stderr, fmt, ap) : 0;
}

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

static int check_env(const struct capture_opts *o, char *err, size_t n)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};
	long page = sysconf(_SC_PAGESIZE);

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
		snprintf(err, n, "missing privileges: run as root or grant CAP_BPF and CAP_PERFMON "
			 "(CAP_SYS_ADMIN on kernels before 5.8)");
		return CAPTURE_ERR_ENV;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		snprintf(err, n, "kernel BTF not found at '/sys/kernel/btf/vmlinux': saker needs a kernel "
			 "built with CONFIG_DEBUG_INFO_BTF=y");
		return CAPTURE_ERR_ENV;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		snprintf(err, n, "this kernel has no BPF ring buffer: saker needs Linux 5.8 or later");
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

static int on_sample(void *ctx, void *data, size_t size)
{
	struct ring_ctx *rc = ctx;
	struct capture *c = rc->c;
	struct pending *p;

	if (size < SAKER_HDR_LEN)
		return 0;
	if (c->npend == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;
		struct pending *np = realloc(c->pend, ncap * sizeof(*np));

		if (!np) {
			c->oom++;
			return 0;
		}
		c->pend = np;
		c->cap = ncap;
	}
	p = &c->pend[c->npend];
	p->data = malloc(size);
	if (!p->data) {
		c->oom++;
		return 0;
	}
	memcpy(p->data, data, size);
	memcpy(&p->ts, data, 8);
	p->len = size;
	p->cpu = rc->cpu;
	p->seq = c->seq++;
	c->npend++;
	return 0;
}

static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/* Deliver pending events with ts <= limit, in order; keep the rest. */
static int deliver(struct capture *c, uint64_t limit, capture_event_fn fn, void *ctx)
{
	size_t i, kept = 0;
	int rc = 0;

	if (!c->npend)
		return 0;
	qsort(c->pend, c->npend, sizeof(*c->pend), pending_cmp);
	for (i = 0; i < c->npend; i++) {
		struct pending *p = &c->pend[i];

		if (p->ts > limit || rc) {
			c->pend[kept++] = *p;
			continue;
		}
		rc = fn(ctx, p->data, p->len, p->cpu);
		free(p->data);
	}
	c->npend = kept;
	return rc;
}

int capture_poll(struct capture *c, int timeout_ms, capture_event_fn fn, void *ctx)
{
	uint64_t start;
	int err;

	err = ring_buffer__poll(c->rb, timeout_ms);
	if (err < 0 && err != -EINTR)
		return err;
	/* Everything committed before `start` is read by this consume. */
	start = clock_ns(CLOCK_BOOTTIME) + c->boot_to_epoch;
	err = ring_buffer__consume(c->rb);
	if (err < 0 && err != -EINTR)
		return err;
	return deliver(c, start - MERGE_SLACK_NS, fn, ctx);
}

int capture_drain(struct capture *c, capture_event_fn fn, void *ctx)
{
	/* detach first: after this nothing new enters the rings */
	for (int i = 0; i < 4; i++) {
		bpf_link__destroy(c->links[i]);
		c->links[i] = NULL;
	}
	ring_buffer__consume(c->rb);
	return deliver(c, UINT64_MAX, fn, ctx);
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
		out->events_seen += per[i].events_seen;
		out->events_sent += per[i].events_sent;
		out->ia32_syscalls += per[i].ia32_syscalls;
		for (j = 0; j < SAKER_DROP_REASONS; j++)
			out->drops[j] += per[i].drops[j];
		for (j = 0; j < SAKER_CATEGORIES; j++)
			out->by_category[j] += per[i].by_category[j];
	}
	free(per);
	return 0;
}

unsigned capture_rings(const struct capture *c)
{
	return c->nrings;
}

static int set_tunables(struct capture *c, const struct capture_opts *o, unsigned ncpu)
{
	struct saker_bpf *s = c->skel;

	c->boot_to_epoch = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	s->rodata->self_tgid = getpid();
	s->rodata->cpus_per_ring = o->cpus_per_ring;
	s->rodata->boot_to_epoch_ns = c->boot_to_epoch;
	s->rodata->wakeup_bytes = o->ring_bytes / 4;
	s->rodata->nparams_skew = o->nparams_skew;
	c->nrings = (ncpu + o->cpus_per_ring - 1) / o->cpus_per_ring;
	if (c->nrings > SAKER_MAX_RINGS)
		return -E2BIG;
	c->template_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "saker_tmpl", 0, 0, o->ring_bytes, NULL);
	if (c->template_fd < 0)
		return -errno;
	if (bpf_map__set_max_entries(s->maps.rings, c->nrings) ||
	    bpf_map__set_inner_map_fd(s->maps.rings, c->template_fd) ||
	    bpf_map__set_max_entries(s->maps.scratch, ncpu))
		return -EINVAL;
	return 0;
}

static int create_rings(struct capture *c, const struct capture_opts *o)
{
	int outer = bpf_map__fd(c->skel->maps.rings);
	unsigned i;

	for (i = 0; i < c->nrings; i++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "saker_ring", 0, 0, o->ring_bytes, NULL);
		int err;

		if (fd < 0)
			return -errno;
		c->ring_fds[i] = fd;
		if (bpf_map_update_elem(outer, &i, &fd, BPF_ANY))
			return -errno;
		c->ring_ctx[i].c = c;
		c->ring_ctx[i].cpu = i * o->cpus_per_ring;
		if (!c->rb) {
			c->rb = ring_buffer__new(fd, on_sample, &c->ring_ctx[i], NULL);
			err = c->rb ? 0 : -errno;
		} else {
			err = ring_buffer__add(c->rb, fd, on_sample, &c->ring_ctx[i]);
		}
		if (err)
			return err;
	}
	return 0;
}

static int fill_syscall_maps(struct capture *c, const struct capture_opts *o)
{
	int progs = bpf_map__fd(c->skel->maps.syscall_progs);
	int generic = bpf_program__fd(c->skel->progs.sys_exit_generic);
	uint8_t have[SAKER_MAX_SYSCALLS] = {};
	char name[64];

	memset(c->skel->bss->ia32_to_64, 0xff, sizeof(c->skel->bss->ia32_to_64));
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		int nr = syscall_nr(p->name), fd;
		struct bpf_program *prog;

		snprintf(name, sizeof(name), "sys_exit_%s", p->name);
		prog = bpf_object__find_program_by_name(c->skel->obj, name);
		if (nr < 0 || nr >= SAKER_MAX_SYSCALLS || !prog)
			continue;
		fd = bpf_program__fd(prog);
		if (bpf_map_update_elem(progs, &nr, &fd, BPF_ANY))
			return -errno;
		have[nr] = 1;
	}
	for (const struct syscall_name *s = syscalls_64; s->name; s++) {
		__u32 nr = s->nr;
		__u8 on;

		if (nr >= SAKER_MAX_SYSCALLS)
			continue;
		/* a syscall asked for without a program of its own comes as a
		 * generic event rather than not at all */
		if (!have[nr] && (o->generic_others || o->interesting[nr]) &&
		    bpf_map_update_elem(progs, &nr, &generic, BPF_ANY) == 0)
			have[nr] = 1;
		on = have[nr] && (o->interesting[nr] || (o->generic_others && !syscall_probe_find(s->name)));
		c->skel->bss->interesting[nr] = on;
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
			}
		}
		if (nr < SAKER_MAX_SYSCALLS)
			c->skel->bss->ia32_to_64[nr] = to;
	}
	return 0;
}

static int attach(struct capture *c)
{
	struct saker_bpf *s = c->skel;
	struct bpf_program *p[4] = { s->progs.sys_exit_dispatch, s->progs.sched_process_exec,
				     s->progs.sched_process_fork, s->progs.sched_process_exit };
	int i;

	for (i = 0; i < 4; i++) {
		c->links[i] = bpf_program__attach(p[i]);
		if (!c->links[i])
			return -errno;
	}
	return 0;
}

int capture_open(struct capture **out, const struct capture_opts *o, char *err, size_t n)
{
	struct capture *c;
	int ncpu, rc;
	const char *step = "open";

	*out = NULL;
	rc = check_env(o, err, n);
	if (rc)
		return rc;
	libbpf_set_print(libbpf_quiet);
	ncpu = libbpf_num_possible_cpus();
	c = calloc(1, sizeof(*c));
	if (!c || ncpu <= 0) {
		free(c);
		snprintf(err, n, "out of memory");
		return CAPTURE_ERR_RUNTIME;
	}
	c->skel = saker_bpf__open();
	rc = c->skel ? 0 : -errno;
	if (!rc) {
		step = "configure";
		rc = set_tunables(c, o, ncpu);
	}
	if (!rc) {
		step = "load";
		rc = saker_bpf__load(c->skel);
	}
	if (!rc) {
		step = "create rings";
		rc = create_rings(c, o);
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
		snprintf(err, n, "cannot %s the BPF programs: %s%s", step, strerror(-rc),
			 rc == -EPERM ? " (missing CAP_BPF and CAP_PERFMON?)" : "");
		capture_free(c);
		return rc == -EPERM ? CAPTURE_ERR_ENV : CAPTURE_ERR_RUNTIME;
	}
	*out = c;
	return 0;
}

void capture_free(struct capture *c)
{
	unsigned i;

	if (!c)
		return;
	for (i = 0; i < 4; i++)
		bpf_link__destroy(c->links[i]);
	ring_buffer__free(c->rb);
	for (i = 0; i < c->nrings; i++)
		if (c->ring_fds[i] > 0)
			close(c->ring_fds[i]);
	for (i = 0; i < c->npend; i++)
		free(c->pend[i].data);
	free(c->pend);
	saker_bpf__destroy(c->skel);
	if (c->template_fd > 0)
		close(c->template_fd);
	free(c);
}
