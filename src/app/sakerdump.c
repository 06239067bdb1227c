// SPDX-License-Identifier: Apache-2.0
/*
 * sakerdump: print every captured syscall event, one line each, the way
 * sysdig does. A debugging and testing companion to the saker daemon.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "capture/syscalls.h"
#include "event/event.h"
#include "event/print.h"
#include "state/state.h"

static volatile sig_atomic_t stop;

struct dump {
	struct state *state;
	uint64_t num;
	uint64_t printed;
	uint64_t bad;
	FILE *out;
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sakerdump [options]\n"
		"  -h, --help               this help\n"
		"      --list-events        list the event types captured and exit\n"
		"  -M, --duration SECONDS   stop after this many seconds\n"
		"      --ring-bytes BYTES   size of each per-CPU ring (default 8388608)\n"
		"      --cpus-per-ring N    CPUs sharing one ring (default 1)\n"
		"      --syscalls LIST      capture only these syscalls (comma-separated names)\n"
		"  -A, --all-syscalls       also capture every other syscall as the generic event\n"
		"  -v, --verbose            print kernel counters and drops at exit\n"
		"exit codes: 0 ok, 1 bad usage, 2 environment (privileges, BTF, kernel), 3 runtime error\n");
}

static bool fd_desc(void *ctx, const struct event *ev, int64_t fd, char *out, size_t n)
{
	struct dump *d = ctx;
	struct thread *t = state_thread(d->state, ev->tid);
	struct fdinfo *f = state_fd(d->state, t, fd);

	if (!f)
		return false;
	snprintf(out, n, "<%s>%s", fd_type_char(f->type), f->name);
	return true;
}

static bool pid_comm(void *ctx, int64_t pid, char *out, size_t n)
{
	struct dump *d = ctx;
	struct thread *t = state_thread(d->state, pid);

	if (!t || !t->proc || !t->proc->comm[0])
		return false;
	snprintf(out, n, "%s", t->proc->comm);
	return true;
}

static int on_event(void *ctx, const void *data, size_t len, unsigned cpu)
{
	struct dump *d = ctx;
	struct print_hooks hooks = { fd_desc, pid_comm, d };
	char line[16384], err[256], tbuf[32];
	struct strbuf sb;
	struct event ev;
	struct thread *t;
	struct tm tm;
	time_t secs;

	if (event_decode(&ev, data, len, 0, err, sizeof(err))) {
		d->bad++;
		fprintf(stderr, "sakerdump: skipping malformed event: %s\n", err);
		return 0;
	}
	ev.num = ++d->num;
	ev.cpu = cpu;
	state_update(d->state, &ev);
	t = state_thread(d->state, ev.tid);
	secs = ev.ts / 1000000000ull;
	localtime_r(&secs, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	strbuf_init(&sb, line, sizeof(line));
	strbuf_printf(&sb, "%" PRIu64 " %s.%09" PRIu64 " %u %s (%" PRIu64 ") %c %s ", ev.num, tbuf,
		      (uint64_t)(ev.ts % 1000000000ull), cpu, t && t->proc && t->proc->comm[0] ? t->proc->comm : "<NA>",
		      ev.tid, ev.info && ev.info->dir == 'E' ? '>' : '<', ev.info ? ev.info->name : "unknown");
	event_format_params(&ev, &hooks, &sb);
	fputs(line, d->out);
	fputc('\n', d->out);
	d->printed++;
	state_post_update(d->state, &ev);
	return 0;
}

static void list_events(void)
{
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		const struct event_info *ei = event_info_get(p->event);

		printf("%-16s %3u %s(%u params)\n", p->name, p->event, ei ? "" : "?", ei ? ei->nparams : 0);
	}
	printf("%-16s %3u (process exec, from sched_process_exec)\n", "execve", 293);
	printf("%-16s %3u (new thread or process, from sched_process_fork)\n", "clone", 223);
	printf("%-16s %3u (thread exit, from sched_process_exit)\n", "procexit", 186);
	printf("%-16s %3u (any other syscall with -A)\n", "syscall", 1);
}

static void print_counters(struct capture *c, const struct dump *d)
{
	struct saker_counters k;

	if (capture_counters(c, &k)) {
		fprintf(stderr, "sakerdump: cannot read kernel counters\n");
		return;
	}
	fprintf(stderr, "events: seen %llu, sent %llu, printed %llu, malformed %llu\n",
		(unsigned long long)k.events_seen, (unsigned long long)k.events_sent,
		(unsigned long long)d->printed, (unsigned long long)d->bad);
	fprintf(stderr, "drops: ring_full %llu, too_large %llu, no_ring %llu\n",
		(unsigned long long)k.drops[SAKER_DROP_RING_FULL],
		(unsigned long long)k.drops[SAKER_DROP_TOO_LARGE],
		(unsigned long long)k.drops[SAKER_DROP_NO_RING]);
	fprintf(stderr, "categories: file %llu, net %llu, process %llu, other %llu\n",
		(unsigned long long)k.by_category[SAKER_CAT_FILE],
		(unsigned long long)k.by_category[SAKER_CAT_NET],
		(unsigned long long)k.by_category[SAKER_CAT_PROCESS],
		(unsigned long long)k.by_category[SAKER_CAT_OTHER]);
	fprintf(stderr, "ia32 syscalls: %llu, rings: %u\n", (unsigned long long)k.ia32_syscalls,
		capture_rings(c));
}

static int parse_u64(const char *s, const char *what, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "sakerdump: invalid %s '%s': expected a non-negative integer\n", what, s);
		return -1;
	}
	return 0;
}

static int select_syscalls(struct capture_opts *opts, const char *list)
{
	char *copy = strdup(list), *save = NULL, *name;
	int rc = 0;

	for (name = strtok_r(copy, ",", &save); name && !rc; name = strtok_r(NULL, ",", &save)) {
		int nr = syscall_nr(name);

		if (nr < 0 || nr >= SAKER_MAX_SYSCALLS) {
			fprintf(stderr, "sakerdump: unknown syscall '%s' in --syscalls\n", name);
			rc = -1;
		} else {
			opts->interesting[nr] = 1;
		}
	}
	free(copy);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, 0, 'h'}, {"list-events", no_argument, 0, 'E'},
		{"duration", required_argument, 0, 'M'}, {"ring-bytes", required_argument, 0, 'R'},
		{"cpus-per-ring", required_argument, 0, 'C'}, {"all-syscalls", no_argument, 0, 'A'},
		{"verbose", no_argument, 0, 'v'}, {"syscalls", required_argument, 0, 'S'},
		{0, 0, 0, 0},
	};
	struct capture_opts opts = { .ring_bytes = CAPTURE_DEFAULT_RING_BYTES, .cpus_per_ring = 1 };
	struct dump d = { .out = stdout };
	struct capture *c = NULL;
	uint64_t duration = 0, v;
	int verbose = 0, opt, rc;
	const char *syscalls = NULL;
	char err[512];
	struct timespec start, now;

	while ((opt = getopt_long(argc, argv, "hM:Av", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': usage(stdout); return 0;
		case 'E': list_events(); return 0;
		case 'M': if (parse_u64(optarg, "duration", &duration)) return 1; break;
		case 'R': if (parse_u64(optarg, "ring size", &v)) return 1; opts.ring_bytes = v; break;
		case 'C':
			if (parse_u64(optarg, "cpus per ring", &v) || v == 0 || v > 4096) {
				fprintf(stderr, "sakerdump: cpus per ring must be between 1 and 4096\n");
				return 1;
			}
			opts.cpus_per_ring = v;
			break;
		case 'A': opts.generic_others = true; break;
		case 'S': syscalls = optarg; break;
		case 'v': verbose = 1; break;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sakerdump: unexpected argument '%s'\n", argv[optind]);
		return 1;
	}
	if (syscalls) {
		if (select_syscalls(&opts, syscalls))
			return 1;
	} else {
		capture_opts_all_probes(&opts);
	}
	d.state = state_new(NULL);
	if (!d.state) {
		fprintf(stderr, "sakerdump: out of memory\n");
		return 3;
	}
	rc = capture_open(&c, &opts, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "sakerdump: %s\n", err);
		state_free(d.state);
		return rc;
	}
	state_scan_proc(d.state);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop) {
		rc = capture_poll(c, 50, on_event, &d);
		if (rc < 0) {
			fprintf(stderr, "sakerdump: polling the rings failed: %s\n", strerror(-rc));
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (duration && (uint64_t)(now.tv_sec - start.tv_sec) >= duration)
			break;
	}
	capture_drain(c, on_event, &d);
	fflush(stdout);
	if (verbose)
		print_counters(c, &d);
	capture_free(c);
	state_free(d.state);
	return rc < 0 ? 3 : 0;
}
