// SPDX-License-Identifier: Apache-2.0
/*
 * sakerdump: print every captured syscall event, one line each, the way
 * sysdig does. A debugging and testing companion to the saker daemon.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
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
#include "state/users.h"
#include "app/io_cli.h"
#include "app/pipeline.h"
#include "rules/rules.h"

static volatile sig_atomic_t stop;

struct dump {
	struct pipeline pipe;
	struct ruleset *rs;         /* the filter and -p format, when given */
	struct rule *filter;
	bool print_all;             /* -p "*...": print even when fields are missing */
	bool dump_bytes;            /* -x, -X, --print-ascii: sysdig's multi-line buffers */
	uint64_t printed;
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
		"usage: sakerdump [options] [FILTER]\n"
		"  -h, --help               this help\n"
		"      --list-events        list the event types captured and exit\n"
		"  -M, --duration SECONDS   stop after this many seconds\n"
		"      --ring-bytes BYTES   size of each per-CPU ring (default 8388608)\n"
		"      --cpus-per-ring N    CPUs sharing one ring (default 1)\n"
		"      --syscalls LIST      capture only these syscalls (comma-separated names)\n"
		"  -A, --all-syscalls       also capture every other syscall as the generic event\n"
		"  -S, --snaplen BYTES      data bytes captured per I/O event (default 80, at most 16384)\n"
		"  -b, --print-base64       print data buffers in base64\n"
		"  -x, --print-hex          print data buffers in hex (as sysdig -x)\n"
		"  -X, --print-hex-ascii    print data buffers in hex and ASCII (as sysdig -X)\n"
		"      --print-ascii        print only the printable bytes of data buffers (sysdig's -A;\n"
		"                           -A here is --all-syscalls, as in saker); the last of these wins\n"
		"  -v, --verbose            print kernel counters and drops at exit, and buffers whole\n"
		"                           (without it, as sysdig: the first 77 bytes and ...)\n"
		"  -r, --read FILE          read a scap capture file instead of capturing live\n"
		"  -w, --write FILE         also write the events to a scap file (gzip) that sysdig reads;\n"
		"                           events sysdig 0.29 has no type for are left out (process_vm_*,\n"
		"                           and saker's own types: setxattr, lsetxattr, fsetxattr,\n"
		"                           utimensat, futimesat, utimes, utime)\n"
		"      --no-compress        write the -w file uncompressed\n"
		"  -C, --file-size MB       with -w: start a new file past MB million bytes; files are\n"
		"                           FILE0, FILE1, ... (as sysdig -C)\n"
		"  -W, --limit N            with -C: keep at most N files, reusing the oldest name\n"
		"  -p, --print FORMAT       print these %%fields instead of the default line;\n"
		"                           a leading '*' prints events whose fields are missing too\n"
		"  FILTER                   a condition in the rules language (e.g. 'evt.type=openat and proc.name=cat')\n"
		"exit codes: 0 ok, 1 bad usage or input file, 2 environment (privileges, BTF, kernel), 3 runtime error\n");
}

/* Events sysdig does not print by default (internal bookkeeping). */
static bool hidden(const struct event *ev)
{
	return !ev->info || (ev->info->category & (EC_INTERNAL | EC_METAEVENT)) ||
	       ev->info->kind == SAKER_KIND_PROCINFO;
}

static void on_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	struct dump *d = ctx;
	struct print_hooks hooks;

	state_print_hooks(d->pipe.state, &hooks);
	static char line[4 * FIELD_BUF_SIZE]; /* a line of long values (one event thread) */
	char tbuf[32];
	struct strbuf sb;
	struct thread *t;
	struct tm tm;
	time_t secs;

	if (d->filter && !ruleset_match(d->rs, d->filter, fctx))
		return;
	if (hidden(ev))
		return;
	if (d->filter && d->filter->output[0]) {
		if (!d->print_all && rule_output_missing(d->rs, d->filter, fctx))
			return;
		rule_format_output(d->rs, d->filter, fctx, NULL, line, sizeof(line));
		fputs(line, d->out);
		fputc('\n', d->out);
		d->printed++;
		return;
	}
	t = state_thread(d->pipe.state, ev->tid);
	secs = ev->ts / 1000000000ull;
	localtime_r(&secs, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	strbuf_init(&sb, line, sizeof(line));
	strbuf_printf(&sb, "%" PRIu64 " %s.%09" PRIu64 " %u %s (%" PRIu64 ") %c %s ", ev->num, tbuf,
		      (uint64_t)(ev->ts % 1000000000ull), ev->cpu,
		      t && t->proc && t->proc->comm[0] ? t->proc->comm : "<NA>", ev->tid,
		      ev->info->dir == 'E' ? '>' : '<', event_name(ev));
	event_format_params(ev, &hooks, &sb);
	/* sysdig ends the line with the separator after the last parameter in its dump modes */
	if (d->dump_bytes && sb.len && line[sb.len - 1] != ' ')
		strbuf_putc(&sb, ' ');
	fputs(line, d->out);
	fputc('\n', d->out);
	d->printed++;
}

static void list_events(void)
{
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		const struct event_info *ei = event_info_get(p->event);

		printf("%-16s %3u %s(%u params)\n", p->name, p->event, ei ? "" : "?", ei ? ei->nparams : 0);
	}
	printf("%-16s %3u (process exec, from sched_process_exec)\n", "execve", SAKER_EV_EXECVE_19_X);
	printf("%-16s %3u (new thread or process, from sched_process_fork)\n", "clone", SAKER_EV_CLONE_20_X);
	printf("%-16s %3u (thread exit, from sched_process_exit)\n", "procexit", SAKER_EV_PROCEXIT_1_E);
	printf("%-16s %3u (any other syscall with -A)\n", "syscall", 1);
}

static void print_counters(struct capture *c, const struct dump *d)
{
	struct saker_counters k;
	struct capture_stats s;

	if (capture_counters(c, &k)) {
		fprintf(stderr, "sakerdump: cannot read kernel counters\n");
		return;
	}
	fprintf(stderr, "events: seen %llu, sent %llu, printed %llu, malformed %llu\n",
		(unsigned long long)k.events_seen, (unsigned long long)k.events_sent,
		(unsigned long long)d->printed, (unsigned long long)d->pipe.malformed);
	fprintf(stderr, "drops: ring_full %llu, too_large %llu, no_ring %llu, nparams %llu\n",
		(unsigned long long)k.drops[SAKER_DROP_RING_FULL],
		(unsigned long long)k.drops[SAKER_DROP_TOO_LARGE],
		(unsigned long long)k.drops[SAKER_DROP_NO_RING],
		(unsigned long long)k.drops[SAKER_DROP_NPARAMS]);
	fprintf(stderr, "categories: file %llu, net %llu, process %llu, other %llu\n",
		(unsigned long long)k.by_category[SAKER_CAT_FILE],
		(unsigned long long)k.by_category[SAKER_CAT_NET],
		(unsigned long long)k.by_category[SAKER_CAT_PROCESS],
		(unsigned long long)k.by_category[SAKER_CAT_OTHER]);
	fprintf(stderr, "ia32 syscalls: %llu, rings: %u\n", (unsigned long long)k.ia32_syscalls,
		capture_rings(c));
	capture_stats(c, &s);
	fprintf(stderr, "consumer: quiet batches flushed %llu (found busy %llu, failed %llu), bad records %llu, "
		"out of memory %llu\n", (unsigned long long)s.flush_runs, (unsigned long long)s.flush_busy,
		(unsigned long long)s.flush_failed,
		(unsigned long long)s.bad_records, (unsigned long long)s.oom);
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

/* Compile the positional filter and the -p format as one rule. */
static int setup_filter(struct dump *d, const char *filter, const char *format)
{
	int errors;

	if (format && format[0] == '*') {
		d->print_all = true;
		format++;
	}
	d->rs = ruleset_new();
	if (!d->rs || ruleset_add_rule(d->rs, "filter", filter && *filter ? filter : "evt.num > 0",
				       format ? format : "", PRIO_DEBUG))
		return -1;
	errors = ruleset_compile(d->rs);
	for (size_t i = 0; i < ruleset_nmsgs(d->rs); i++) {
		const struct load_msg *m = ruleset_msg(d->rs, i);

		if (m->error)
			fprintf(stderr, "sakerdump: %s: %s\n", !strcmp(m->code, "LOAD_ERR_COMPILE_OUTPUT") ?
				"invalid -p format" : "invalid filter", m->msg);
	}
	if (errors)
		return -1;
	d->filter = ruleset_find(d->rs, "filter");
	return 0;
}

/* Mark the syscalls whose events the filter can match (plus what state needs). */
static void interesting_from_filter(struct dump *d, struct capture_opts *opts)
{
	uint8_t types[EVENT_TABLE_SIZE];

	if (!d->filter || d->filter->all_types) {
		capture_opts_all_probes(opts);
		return;
	}
	memcpy(types, d->filter->evttypes, sizeof(types));
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		const struct event_info *ei = event_info_get(p->event);
		int nr = syscall_nr(p->name);
		bool state = !strcmp(p->name, "clone") || !strcmp(p->name, "clone3") || !strcmp(p->name, "fork") ||
			     !strcmp(p->name, "vfork") || !strcmp(p->name, "execve") || !strcmp(p->name, "execveat") ||
			     !strcmp(p->name, "close") || !strncmp(p->name, "dup", 3) || !strcmp(p->name, "fcntl") ||
			     !strncmp(p->name, "open", 4) || !strcmp(p->name, "creat") || !strcmp(p->name, "chdir") ||
			     !strcmp(p->name, "fchdir") || !strcmp(p->name, "socket") || !strcmp(p->name, "connect") ||
			     !strncmp(p->name, "accept", 6) || !strncmp(p->name, "pipe", 4) || !strcmp(p->name, "prctl") ||
			     /* as saker's state_syscalls: a listening socket, a socket pair, a memfd, credentials and sessions */
			     !strcmp(p->name, "bind") || !strcmp(p->name, "listen") || !strcmp(p->name, "socketpair") ||
			     !strcmp(p->name, "memfd_create") || !strcmp(p->name, "setuid") || !strcmp(p->name, "setgid") ||
			     !strcmp(p->name, "setresuid") || !strcmp(p->name, "setresgid") || !strcmp(p->name, "setsid") ||
			     !strcmp(p->name, "setpgid");

		if (nr < 0 || nr >= SAKER_MAX_SYSCALLS || !ei)
			continue;
		for (int t = 0; t < EVENT_TABLE_SIZE; t++)
			if (types[t] && event_info_get(t) && !strcmp(event_info_get(t)->name, ei->name))
				state = true;
		if (state)
			opts->interesting[nr] = 1;
	}
}

/* What the command line asked for. */
struct dump_args {
	struct capture_opts opts;
	struct scap_writer_opts wo;
	uint64_t duration;
	int verbose;
	const char *syscalls, *readfile, *format, *writefile;
	struct io_cli io;       /* -S, -b */
	char filter[8192];
};

/* A size option with its bounds; -1 (message printed) when out of them. */
static int parse_bounded(const char *s, const char *what, uint64_t lo, uint64_t hi, const char *msg, uint64_t *out)
{
	if (parse_u64(s, what, out) || *out < lo || *out > hi) {
		fprintf(stderr, "sakerdump: %s\n", msg);
		return -1;
	}
	return 0;
}

/* Options and the positional filter; 1 on a usage error, -1 after --help or --list-events, else 0. */
static int parse_args(struct dump_args *a, int argc, char **argv)
{
	enum { OPT_CPUS_PER_RING = 1001, OPT_TEST_NPARAMS_SKEW, OPT_SYSCALLS, OPT_PRINT_ASCII };
	static const struct option longopts[] = {
		{"help", no_argument, 0, 'h'}, {"list-events", no_argument, 0, 'E'},
		{"duration", required_argument, 0, 'M'}, {"ring-bytes", required_argument, 0, 'R'},
		{"cpus-per-ring", required_argument, 0, OPT_CPUS_PER_RING}, {"all-syscalls", no_argument, 0, 'A'},
		{"verbose", no_argument, 0, 'v'}, {"syscalls", required_argument, 0, OPT_SYSCALLS},
		{"read", required_argument, 0, 'r'}, {"print", required_argument, 0, 'p'},
		{"write", required_argument, 0, 'w'}, {"no-compress", no_argument, 0, 'Z'},
		{"file-size", required_argument, 0, 'C'}, {"limit", required_argument, 0, 'W'},
		{"snaplen", required_argument, 0, 'S'}, {"print-base64", no_argument, 0, 'b'},
		{"print-hex", no_argument, 0, 'x'}, {"print-hex-ascii", no_argument, 0, 'X'},
		{"print-ascii", no_argument, 0, OPT_PRINT_ASCII},
		/* testing only: programs declare more parameters than they store */
		{"test-nparams-skew", required_argument, 0, OPT_TEST_NPARAMS_SKEW},
		{0, 0, 0, 0},
	};
	uint64_t v;
	int opt;

	while ((opt = getopt_long(argc, argv, "hM:AbxXS:vr:p:w:C:W:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': usage(stdout); return -1;
		case 'E': list_events(); return -1;
		case 'M': if (parse_u64(optarg, "duration", &a->duration)) return 1; break;
		case 'R': if (parse_u64(optarg, "ring size", &v)) return 1; a->opts.ring_bytes = v; break;
		case OPT_TEST_NPARAMS_SKEW:
			if (parse_u64(optarg, "nparams skew", &v) || v > 8)
				return 1;
			a->opts.nparams_skew = v;
			break;
		case OPT_CPUS_PER_RING:
			if (parse_bounded(optarg, "cpus per ring", 1, 4096, "cpus per ring must be between 1 and 4096", &v))
				return 1;
			a->opts.cpus_per_ring = v;
			break;
		case 'A': a->opts.generic_others = true; break;
		case OPT_SYSCALLS: a->syscalls = optarg; break;
		case 'S': if (io_cli_snaplen(&a->io, optarg, "sakerdump")) return 1; a->opts.snaplen = a->io.snaplen; break;
		case 'b': a->io.base64 = true; break;
		case 'x': a->io.base64 = false; a->io.bytes = BYTES_HEX; break;
		case 'X': a->io.base64 = false; a->io.bytes = BYTES_HEX_ASCII; break;
		case OPT_PRINT_ASCII: a->io.base64 = false; a->io.bytes = BYTES_ASCII; break;
		case 'r': a->readfile = optarg; break;
		case 'p': a->format = optarg; break;
		case 'w': a->writefile = optarg; break;
		case 'Z': a->wo.compress = false; break;
		case 'C':
			if (parse_bounded(optarg, "file size", 1, UINT64_MAX / 1000000,
					  "-C takes a file size in millions of bytes, at least 1", &v))
				return 1;
			a->wo.rotate_bytes = v * 1000000;
			break;
		case 'W':
			if (parse_bounded(optarg, "file count", 1, UINT32_MAX, "-W takes a number of files, at least 1", &v))
				return 1;
			a->wo.rotate_files = v;
			break;
		case 'v': a->verbose = 1; break;
		default: usage(stderr); return 1;
		}
	}
	if (a->wo.rotate_files && !a->wo.rotate_bytes) {
		fprintf(stderr, "sakerdump: -W needs -C\n");
		return 1;
	}
	if (a->wo.rotate_bytes && !a->writefile) {
		fprintf(stderr, "sakerdump: -C needs -w FILE\n");
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		strncat(a->filter, argv[i], sizeof(a->filter) - strlen(a->filter) - 2);
		strcat(a->filter, " ");
	}
	return 0;
}

/* -r: print (and with -w, rewrite) a capture file. */
static int dump_file(struct dump *d, struct dump_args *a)
{
	uint64_t skipped = 0;
	char err[512];
	int rc;

	if (a->writefile && scap_writer_open(&d->pipe.writer, a->writefile, &a->wo, NULL, err, sizeof(err))) {
		fprintf(stderr, "sakerdump: %s\n", err);
		return 1;
	}
	rc = pipeline_replay(&d->pipe, a->readfile, (volatile int *)&stop, &skipped, err, sizeof(err));
	fflush(stdout);
	if (rc) {
		fprintf(stderr, "sakerdump: %s: %s\n", a->readfile, err);
		rc = 1;
	}
	if (a->verbose)
		fprintf(stderr, "events: read %llu, printed %llu, skipped (unknown type) %llu, malformed %llu\n",
			(unsigned long long)d->pipe.num, (unsigned long long)d->printed,
			(unsigned long long)skipped, (unsigned long long)d->pipe.malformed);
	return rc;
}

/* Poll the rings until a signal or -M, then read what is left in them. */
static int poll_until_stopped(struct capture *c, struct dump *d, uint64_t duration)
{
	struct timespec start, now;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop) {
		rc = capture_poll(c, 50, pipeline_event, &d->pipe);
		if (rc < 0) {
			fprintf(stderr, "sakerdump: polling the rings failed: %s\n", strerror(-rc));
			rc = 3;
			break;
		}
		rc = 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (duration && (uint64_t)(now.tv_sec - start.tv_sec) >= duration)
			break;
	}
	capture_drain(c, pipeline_event, &d->pipe);
	fflush(stdout);
	return rc;
}

/* Live: open the rings for the selected syscalls, scan /proc, print until stopped. */
static int dump_live(struct dump *d, struct dump_args *a)
{
	struct capture *c = NULL;
	char err[2048];
	int rc;

	if (a->syscalls) {
		if (select_syscalls(&a->opts, a->syscalls))
			return 1;
	} else {
		interesting_from_filter(d, &a->opts);
	}
	rc = capture_open(&c, &a->opts, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "sakerdump: %s\n", err);
		return rc;
	}
	if (a->verbose) {
		capture_describe(c, err, sizeof(err));
		fprintf(stderr, "sakerdump: %s\n", err);
	}
	state_scan_proc(d->pipe.state);
	if (a->writefile && scap_writer_open(&d->pipe.writer, a->writefile, &a->wo, d->pipe.state, err, sizeof(err))) {
		fprintf(stderr, "sakerdump: %s\n", err);
		capture_free(c);
		return 1;
	}
	rc = poll_until_stopped(c, d, a->duration);
	if (a->verbose)
		print_counters(c, d);
	capture_free(c);
	return rc;
}

int main(int argc, char **argv)
{
	static struct dump_args a = {
		.opts = { .ring_bytes = CAPTURE_DEFAULT_RING_BYTES, .cpus_per_ring = 1 }, .wo = { .compress = true },
	};
	struct dump d = { .out = stdout };
	struct state_opts so = { 0 };
	char err[512];
	struct state *st;
	int rc;

	/*
	 * A fixed mmap threshold: glibc's sliding one rises to the size of
	 * each large block freed, after which a burst's buffers (the capture's
	 * pending events, grown by doubling) come from the heap and stay
	 * resident once freed or shrunk (bench/README.md, RSS after a minute).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	rc = parse_args(&a, argc, argv);
	if (rc)
		return rc < 0 ? 0 : rc;
	io_cli_apply(&a.io);
	event_set_max_bytes(a.verbose ? 0 : 80); /* sysdig: buffers cut at 80 bytes unless -v */
	d.dump_bytes = a.io.bytes != BYTES_DOTS && !a.io.base64;
	rule_format_keep_line_breaks(d.dump_bytes);
	if ((optind < argc || a.format) && setup_filter(&d, a.filter, a.format))
		return 1;
	so.no_proc = a.readfile != NULL;
	st = state_new(&so);
	if (!st || pipeline_init(&d.pipe, st, on_event, &d)) {
		fprintf(stderr, "sakerdump: out of memory\n");
		return 3;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = a.readfile ? dump_file(&d, &a) : dump_live(&d, &a);
	if (d.pipe.writer) {
		if (a.verbose)
			pipeline_print_writer(&d.pipe, stderr);
		if (scap_writer_close(d.pipe.writer, err, sizeof(err))) {
			fprintf(stderr, "sakerdump: %s\n", err);
			rc = rc ? rc : 3;
		}
	}
	pipeline_release(&d.pipe);
	state_free(st);
	ruleset_free(d.rs);
	return rc;
}
