// SPDX-License-Identifier: Apache-2.0
/*
 * saker: the sensor. Loads the configuration and rules, captures live (or
 * replays a capture), runs every event through state and rules, and sends
 * alerts to the outputs. Falco's flags and config keys, with the same meaning.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/config.h"
#include "app/io_cli.h"
#include "app/metrics.h"
#include "app/pipeline.h"
#include "runtime/meta.h"
#include "capture/capture.h"
#include "capture/syscalls.h"
#include "fields/resolver.h"
#include "output/output.h"
#include "rules/rules.h"
#include "state/hostroot.h"
#include "web/web.h"

#define SAKER_VERSION "0.1.0"
#define DEFAULT_CONFIG "/etc/saker/saker.yaml"

static volatile sig_atomic_t stop_flag, reload_flag;
static struct outputs *signal_outputs; /* SIGUSR1 reopens its files (a lock-free flag) */

struct opts {
	const char *config;
	char **rules;
	size_t nrules;
	char **overrides;
	size_t noverrides;
	char **disable;          /* -D */
	size_t ndisable;
	char **disable_tags;     /* -T */
	size_t ndisable_tags;
	char **only_tags;        /* -t */
	size_t nonly_tags;
	const char *validate;    /* -V: first file; more with -r */
	char **validate_files;
	size_t nvalidate;
	bool list_rules;         /* -L */
	const char *describe;    /* -l */
	bool list_fields;        /* --list[=SOURCE] */
	const char *list_source; /* its SOURCE, NULL for all */
	bool names_only;         /* -N: --list prints field names only */
	bool markdown;           /* --markdown: --list and --list-events as Markdown */
	bool list_events;        /* --list-events (--list-syscall-events) */
	bool support;            /* --support */
	bool dry_run;            /* --dry-run: load config and rules, do not capture */
	bool page_size;          /* --page-size: log the system page size and exit */
	bool rule_schema;        /* --rule-schema: print the rules files' JSON schema and exit */
	bool config_schema;      /* --config-schema: print the config's JSON schema and exit */
	char **enable_sources;   /* --enable-source, --disable-source: saker has one source, syscall */
	size_t nenable_sources;
	char **disable_sources;
	size_t ndisable_sources;
	uint64_t stats_interval_ms; /* --stats-interval: the -s period, 0 the default */
	int argc;                /* the command line, for --support */
	char **argv;
	bool list_markdown;      /* --list-markdown: docs/fields.md */
	const char *write;       /* -w: capture file */
	struct scap_writer_opts wopts; /* --no-compress, --write-file-size, --write-files */
	const char *disasm;
	const char *replay;      /* -e */
	const char *extra_format;/* -p */
	const char *pidfile;
	const char *stats_file;
	uint64_t duration;
	bool unbuffered;
	bool verbose;
	char **cri;              /* --cri: CRI sockets, replacing container_engines.cri.sockets */
	size_t ncri;
	bool disable_cri_async;  /* --disable-cri-async */
	struct io_cli io;        /* -S, -A, -i, -b */
};

struct app {
	struct opts o;
	struct config cfg;
	struct ruleset *rs;
	struct outputs *out;
	struct state *state;
	struct pipeline pipe;
	struct capture *cap;
	uint64_t alerts_by_prio[PRIO_COUNT];
	uint64_t alerts;
	FILE *stats;
	uint64_t last_drops;
	uint64_t last_seen;
	double drop_tokens;
	uint64_t drop_alerts;
	struct container_meta *meta;  /* live container metadata, NULL in replay */
	struct web *web;              /* webserver.enabled: health and metrics endpoint */
	struct metrics metrics;
	uint64_t last_evicted;        /* state evictions already logged */
	uint64_t last_purge;          /* mono_ns of the last thread-table purge */
	char **config_files;          /* the config files read: -c (or the default), then config_files' */
	char **config_status;         /* each one's schema validation: "ok" or Falco's "failed for ..." */
	size_t nconfig;
	bool config_ok;               /* every one "ok" */
};

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_flag = 1;
	else if (sig == SIGUSR1 && signal_outputs)
		outputs_reopen(signal_outputs);
	else if (sig != SIGUSR1)
		stop_flag = 1;
}

static int log_level_cfg = 6;
static bool log_syslog_cfg, log_stderr_cfg = true;

static void app_log(int level, const char *msg)
{
	if (level > log_level_cfg)
		return;
	if (log_stderr_cfg) /* a line break ends every entry, as in Falco's logger */
		fprintf(stderr, "saker: %s%s", msg, *msg && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	if (log_syslog_cfg)
		syslog(LOG_USER | level, "%s", msg);
}

static void warn_cb(const char *msg)
{
	app_log(LOG_WARNING, msg);
}

static void push(char ***arr, size_t *n, const char *v)
{
	char **a = realloc(*arr, (*n + 1) * sizeof(*a));

	if (!a)
		abort();
	*arr = a;
	a[(*n)++] = (char *)v;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: saker [options]\n"
		"  -A                       all events: also capture the high-volume I/O syscalls (read, write,\n"
		"                           send*, recv*, their vectored and positioned forms, sendfile,\n"
		"                           splice; see -i) for rules that do not name them by evt.type\n"
		"  -b, --print-base64       print data buffers (evt.buffer, evt.arg.data) in base64\n"
		"  -c FILE                  configuration file (default " DEFAULT_CONFIG ")\n"
		"      --disasm RULE        print the bytecode of a rule and exit\n"
		"  -D PATTERN               disable rules whose name matches (exact or regex); repeatable\n"
		"  -e FILE                  replay a scap capture file instead of capturing live\n"
		"  -h, --help               this help\n"
		"      --dry-run            load the configuration and rules, report errors, and exit without capturing\n"
		"      --enable-source SRC  enable only this event source; repeatable (saker has one: syscall)\n"
		"      --disable-source SRC disable an event source; repeatable (syscall, the only one, cannot be)\n"
		"  -i                       print the event types ignored by default (without -A) and exit\n"
		"  -L                       list the loaded rules with their descriptions, Falco's two columns\n"
		"                           (json_output: rules, macros and lists as Falco's describe JSON)\n"
		"  -l RULE                  describe one rule (json_output: as JSON, with its compiled condition)\n"
		"      --list[=SOURCE]      list every field by Falco's field classes (SOURCE: syscall; -v: with types)\n"
		"      --list-events        list every event with its parameters (also --list-syscall-events)\n"
		"      --list-markdown      --list as Markdown, the page docs/fields.md is\n"
		"  -M SECONDS               stop after this many seconds\n"
		"      --markdown           with --list or --list-events: print Markdown\n"
		"  -N                       with --list: print field names only\n"
		"      --no-compress        with -w: write the capture uncompressed\n"
		"  -o, --option KEY=VALUE   override a config key (dot paths, list[N], list[]=append, KEY={json object})\n"
		"  -P, --pidfile FILE       write the process id to FILE\n"
		"      --page-size          log the system page size and exit\n"
		"      --rule-schema        print the JSON schema of rules files (Falco's, which -V checks) and exit\n"
		"      --config-schema      print the JSON schema of the config (every key saker checks) and exit\n"
		"  -p, --print FORMAT       append FORMAT to every output (-pc: container, -pk: k8s)\n"
		"  --cri PATH               CRI socket for container metadata; repeatable, tried in order\n"
		"  --disable-cri-async      wait for each new container's metadata (up to the lookup timeout)\n"
		"  -r PATH                  rules file or directory; repeatable (replaces rules_files)\n"
		"  -S, --snaplen BYTES      data bytes captured per I/O event (default 80, at most 16384)\n"
		"  -s FILE                  write stats as JSON lines to FILE periodically\n"
		"      --stats-interval MS  with -s: every MS milliseconds (default 5000, at least 100)\n"
		"      --support            print support information (version, system, config, rules files with\n"
		"                           their contents and SHA-256) as one JSON object and exit\n"
		"  -T TAG                   disable rules with this tag; repeatable\n"
		"  -t TAG                   run only rules with this tag; repeatable\n"
		"  -U, --unbuffered         unbuffered outputs: every alert is written and flushed at once\n"
		"  -V, --validate FILE      validate a rules file and exit (repeatable, more with -r; json_output: JSON)\n"
		"  -v                       verbose: stats at exit\n"
		"  -w FILE                  also write the captured events to a scap file (gzip; --no-compress)\n"
		"      --write-file-size MB start a new -w file past MB million bytes: FILE0, FILE1, ...\n"
		"      --write-files N      with --write-file-size: keep at most N files, reusing the oldest\n"
		"      --version            print the version\n"
		"exit codes: 0 ok, 1 bad configuration, rules or capture file, 2 environment (privileges, BTF, kernel), 3 runtime error\n");
}

/*
 * --stats-interval: milliseconds (Falco's first form) or a Prometheus interval (its later one: 5s, 1m30s,
 * units ms s m h d w y); at least 100 ms, Falco's minimum. 0, or -1 when it is neither.
 */
static int stats_interval(const char *s, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
		{ "w", 604800000 }, { "y", 31536000000ull },
	};
	uint64_t total = 0;
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	total = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end) { /* units: every number has one */
		total = 0;
		while (*s) {
			uint64_t v;
			size_t i, l = 0;

			if (*s < '0' || *s > '9')
				return -1;
			v = strtoull(s, &end, 10);
			for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
				l = strlen(units[i].unit);
				if (!strncmp(end, units[i].unit, l) && (end[l] < 'a' || end[l] > 'z'))
					break;
			}
			if (i == sizeof(units) / sizeof(units[0]))
				return -1;
			total += v * units[i].ms;
			s = end + l;
		}
	}
	*ms = total < 100 ? 100 : total;
	return 0;
}

static int parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, 0, 'h'}, {"version", no_argument, 0, 1}, {"list", optional_argument, 0, 2},
		{"list-events", no_argument, 0, 10}, {"list-syscall-events", no_argument, 0, 10},
		{"markdown", no_argument, 0, 11}, {"support", no_argument, 0, 12}, {"dry-run", no_argument, 0, 13},
		{"validate", required_argument, 0, 'V'},
		{"disasm", required_argument, 0, 3}, {"unbuffered", no_argument, 0, 'U'},
		{"list-markdown", no_argument, 0, 4}, {"no-compress", no_argument, 0, 5},
		{"write-file-size", required_argument, 0, 6}, {"write-files", required_argument, 0, 7},
		{"cri", required_argument, 0, 8}, {"disable-cri-async", no_argument, 0, 9},
		{"snaplen", required_argument, 0, 'S'}, {"print-base64", no_argument, 0, 'b'},
		{"option", required_argument, 0, 'o'}, {"print", required_argument, 0, 'p'},
		{"pidfile", required_argument, 0, 'P'}, {"page-size", no_argument, 0, 14},
		{"stats-interval", required_argument, 0, 15}, {"enable-source", required_argument, 0, 16},
		{"disable-source", required_argument, 0, 17}, {"rule-schema", no_argument, 0, 18},
		{"config-schema", no_argument, 0, 19}, {0, 0, 0, 0},
	};
	int opt;
	char *end;

	o->wopts.compress = true;

	o->argc = argc;
	o->argv = argv;
	while ((opt = getopt_long(argc, argv, "AbiS:c:D:e:hLl:M:No:P:p:r:s:T:t:UV:vw:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'A': o->io.all_events = true; break;
		case 'b': o->io.base64 = true; break;
		case 'i': o->io.print_ignored = true; break;
		case 'S': if (io_cli_snaplen(&o->io, optarg, "saker")) return -1; break;
		case 'c': o->config = optarg; break;
		case 'D': push(&o->disable, &o->ndisable, optarg); break;
		case 'e': o->replay = optarg; break;
		case 'h': usage(stdout); exit(0);
		case 'L': o->list_rules = true; break;
		case 'l': o->describe = optarg; break;
		case 'N': o->names_only = true; break;
		case 'M':
			errno = 0;
			o->duration = strtoull(optarg, &end, 10);
			if (errno || *end || optarg[0] == '-') {
				fprintf(stderr, "saker: invalid -M '%s': expected seconds\n", optarg);
				return -1;
			}
			break;
		case 'o': push(&o->overrides, &o->noverrides, optarg); break;
		case 'P': o->pidfile = optarg; break;
		case 'p': o->extra_format = optarg; break;
		case 'r': push(&o->rules, &o->nrules, optarg); break;
		case 's': o->stats_file = optarg; break;
		case 'T': push(&o->disable_tags, &o->ndisable_tags, optarg); break;
		case 't': push(&o->only_tags, &o->nonly_tags, optarg); break;
		case 'U': o->unbuffered = true; break;
		case 'V': push(&o->validate_files, &o->nvalidate, optarg); o->validate = optarg; break;
		case 'v': o->verbose = true; break;
		case 1: printf("saker %s (rules engine %s)\n", SAKER_VERSION, SAKER_ENGINE_VERSION); exit(0);
		case 2: o->list_fields = true; o->list_source = optarg; break;
		case 10: o->list_events = true; break;
		case 11: o->markdown = true; break;
		case 12: o->support = true; break;
		case 13: o->dry_run = true; break;
		case 14: o->page_size = true; break;
		case 15:
			if (stats_interval(optarg, &o->stats_interval_ms)) {
				fprintf(stderr, "saker: invalid --stats-interval '%s': expected milliseconds or an interval "
						"such as 5s, 1m30s\n", optarg);
				return -1;
			}
			break;
		case 18: o->rule_schema = true; break;
		case 19: o->config_schema = true; break;
		case 16: push(&o->enable_sources, &o->nenable_sources, optarg); break;
		case 17: push(&o->disable_sources, &o->ndisable_sources, optarg); break;
		case 3: o->disasm = optarg; break;
		case 4: o->list_markdown = true; break;
		case 5: o->wopts.compress = false; break;
		case 6:
		case 7: {
			unsigned long long v;

			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno || *end || optarg[0] == '-' || v == 0 || v > (opt == 6 ? UINT64_MAX / 1000000 : UINT32_MAX)) {
				fprintf(stderr, "saker: invalid --%s '%s': expected %s\n", opt == 6 ? "write-file-size" : "write-files",
					optarg, opt == 6 ? "millions of bytes, at least 1" : "a number of files, at least 1");
				return -1;
			}
			if (opt == 6)
				o->wopts.rotate_bytes = v * 1000000;
			else
				o->wopts.rotate_files = v;
			break;
		}
		case 8: push(&o->cri, &o->ncri, optarg); break;
		case 9: o->disable_cri_async = true; break;
		case 'w': o->write = optarg; break;
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "saker: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if ((o->wopts.rotate_bytes && !o->write) || (o->wopts.rotate_files && !o->wopts.rotate_bytes)) {
		fprintf(stderr, "saker: --write-file-size needs -w FILE, and --write-files needs --write-file-size\n");
		return -1;
	}
	if (o->nonly_tags && (o->ndisable || o->ndisable_tags)) {
		fprintf(stderr, "saker: -t cannot be combined with -D or -T\n");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ config */

/* Falco's checks of --enable-source and --disable-source (select_event_sources.cpp), when not replaying. */
static int select_sources(const struct opts *o, char *err, size_t n)
{
	size_t k = o->nenable_sources ? o->nenable_sources : o->ndisable_sources;
	char **names = o->nenable_sources ? o->enable_sources : o->disable_sources;

	if (o->nenable_sources && o->ndisable_sources) {
		snprintf(err, n, "You can not mix --enable-source and --disable-source");
		return -1;
	}
	for (size_t i = 0; i < k; i++)
		if (strcmp(names[i], "syscall")) {
			snprintf(err, n, "Attempted %s an unknown event source: %s",
				 o->nenable_sources ? "enabling" : "disabling", names[i]);
			return -1;
		}
	if (o->ndisable_sources) {
		snprintf(err, n, "Must enable at least one event source");
		return -1;
	}
	return 0;
}

/*
 * Falco's log of the config files (load_config.cpp, 0.38 on): "initialized with configuration files:", then
 * "   PATH | schema validation: STATUS" per file, a warning unless ok. Then the schema's per-key warnings
 * (key and line; each one with -v, else only those of keys -o set, which no file line covers).
 */
static void log_config_files(struct app *a, const struct config_tree *t)
{
	char line[1200], status[2];

	if (a->nconfig)
		app_log(LOG_INFO, "saker initialized with configuration files:");
	for (size_t i = 0; i < a->nconfig; i++) {
		snprintf(line, sizeof(line), "   %s | schema validation: %s", a->config_files[i], a->config_status[i]);
		app_log(strcmp(a->config_status[i], "ok") ? LOG_WARNING : LOG_INFO, line);
	}
	if (t)
		config_schema_check(t, warn_cb, !a->o.verbose, status, sizeof(status));
}

static void config_files_release(struct app *a)
{
	for (size_t i = 0; i < a->nconfig; i++) {
		free(a->config_files[i]);
		free(a->config_status[i]);
	}
	free(a->config_files);
	free(a->config_status);
	a->config_files = a->config_status = NULL;
	a->nconfig = 0;
	a->config_ok = true;
}

/* A config file read, with its schema status (config_tree_include's callback too). */
static void config_file_loaded(void *ctx, const char *path, const char *status)
{
	struct app *a = ctx;
	size_t n = a->nconfig;

	push(&a->config_files, &n, strdup(path));
	push(&a->config_status, &a->nconfig, strdup(status));
	a->config_ok &= !strcmp(status, "ok");
}

static int load_config(struct app *a, char *err, size_t n)
{
	const char *path = a->o.config;
	struct config_tree *t;
	int rc;

	if (!path && access(DEFAULT_CONFIG, R_OK) == 0)
		path = DEFAULT_CONFIG;
	t = config_tree_load(path, err, n);
	if (!t)
		return -1;
	config_files_release(a);
	if (path) {
		char status[800];

		config_schema_check(t, NULL, false, status, sizeof(status));
		config_file_loaded(a, path, status);
	}
	if (config_tree_include(t, path, config_file_loaded, a, err, n)) { /* before -o, as Falco merges them */
		config_tree_free(t);
		return -1;
	}
	for (size_t i = 0; i < a->o.noverrides; i++)
		if (config_tree_set(t, a->o.overrides[i], err, n)) {
			config_tree_free(t);
			return -1;
		}
	rc = config_read(t, &a->cfg, warn_cb, err, n);
	if (!rc) { /* Falco logs once the config says where logs go */
		log_level_cfg = a->cfg.log_level;
		log_syslog_cfg = a->cfg.log_syslog;
		log_stderr_cfg = a->cfg.log_stderr;
		if (!a->config_ok)
			log_config_files(a, t);
		else
			config_schema_check(t, warn_cb, true, err, n); /* the -o keys now; the ok line with the capture */
		err[0] = 0;
	}
	config_tree_free(t);
	if (rc)
		return -1;
	if (!a->cfg.nrules_files && !a->o.nrules) {
		static const char *const defaults[] = { "/etc/saker/saker_rules.yaml",
							"/etc/saker/saker_rules.local.yaml", "/etc/saker/rules.d" };

		for (int i = 0; i < 3; i++)
			if (access(defaults[i], R_OK) == 0)
				push(&a->cfg.rules_files, &a->cfg.nrules_files, strdup(defaults[i]));
	}
	if (a->o.replay) {
		free(a->cfg.replay_file);
		a->cfg.replay_file = strdup(a->o.replay);
		free(a->cfg.engine_kind);
		a->cfg.engine_kind = strdup("replay");
	}
	if (!strcmp(a->cfg.engine_kind, "replay") && !a->cfg.replay_file) {
		snprintf(err, n, "engine.kind is replay but engine.replay.capture_file is not set");
		return -1;
	}
	if (a->o.unbuffered)
		a->cfg.out.buffered_outputs = false;
	if (a->o.stats_interval_ms)
		a->cfg.stats_interval_ms = a->o.stats_interval_ms;
	return 0;
}

/* ------------------------------------------------------------- rules */

static void print_msgs(const struct ruleset *rs, FILE *f, bool warnings)
{
	for (size_t i = 0; i < ruleset_nmsgs(rs); i++) {
		const struct load_msg *m = ruleset_msg(rs, i);

		if (!m->error && !warnings)
			continue;
		fprintf(f, "%s:%d:%d: %s %s", m->file, m->line, m->col, m->error ? "error" : "warning", m->code);
		if (m->item_type[0])
			fprintf(f, " in %s '%s'", m->item_type, m->item_name);
		fputc('\n', f);
		fprintf(f, "    %s\n", m->msg);
	}
}

/* Falco's -pc and -pk: what %container.info becomes; NULL for any other -p. */
static const char *container_info(const char *p)
{
	if (p && (!strcmp(p, "c") || !strcmp(p, "container")))
		return "container_id=%container.id container_image=%container.image.repository "
		       "container_image_tag=%container.image.tag container_name=%container.name";
	if (p && (!strcmp(p, "k") || !strcmp(p, "kubernetes")))
		return "container_id=%container.id container_image=%container.image.repository "
		       "container_image_tag=%container.image.tag container_name=%container.name "
		       "k8s_ns=%k8s.ns.name k8s_pod_name=%k8s.pod.name";
	return NULL;
}

static void apply_selection(struct app *a, struct ruleset *rs)
{
	for (size_t i = 0; i < a->cfg.nrules_select; i++) {
		const struct rule_select *s = &a->cfg.rules_select[i];

		if (s->rule) {
			const char *pat = !strcmp(s->rule, "*") ? ".*" : s->rule;

			if (s->enable)
				ruleset_enable_name(rs, pat);
			else
				ruleset_disable_name(rs, pat);
		}
		if (s->tag) {
			if (s->enable)
				ruleset_enable_tag(rs, s->tag);
			else
				ruleset_disable_tag(rs, s->tag);
		}
	}
	for (size_t i = 0; i < a->o.ndisable; i++)
		if (!ruleset_disable_name(rs, a->o.disable[i]))
			fprintf(stderr, "saker: warning: -D '%s' matches no rule\n", a->o.disable[i]);
	for (size_t i = 0; i < a->o.ndisable_tags; i++)
		ruleset_disable_tag(rs, a->o.disable_tags[i]);
	for (size_t i = 0; i < a->o.nonly_tags; i++)
		ruleset_only_tag(rs, a->o.only_tags[i]);
	ruleset_set_min_priority(rs, a->cfg.priority);
	ruleset_set_match_all(rs, a->cfg.rule_matching_all);
	ruleset_set_container_info(rs, container_info(a->o.extra_format));
}

/* Load and compile; NULL (messages printed) when any file has errors. */
static struct ruleset *load_rules(struct app *a, char **files, size_t n)
{
	struct ruleset *rs = ruleset_new();
	char err[1024];
	int errors = 0;

	/* before the conditions compile: they hand the resolver the names fd.*ip.name is compared with;
	 * a run that evaluates no event (-L, -l, --disasm, --dry-run) resolves nothing */
	resolver_set_enabled(a->cfg.name_resolution && !a->o.list_rules && !a->o.describe && !a->o.disasm &&
			     !a->o.dry_run);
	resolver_set_refresh((unsigned)a->cfg.name_refresh_s);

	if (!rs)
		return NULL;
	if (a->o.describe || a->o.list_rules)
		ruleset_keep_expanded(rs);
	for (size_t i = 0; i < n; i++)
		errors += ruleset_load_path(rs, files[i]);
	if (!errors) {
		apply_selection(a, rs);
		errors = ruleset_compile(rs);
	}
	/* as Falco: checked once the files are loaded, and a plugin requirement not met is the error then */
	if (ruleset_check_plugins(rs, true, err, sizeof(err))) {
		fprintf(stderr, "saker: %s\n", err);
		ruleset_free(rs);
		return NULL;
	}
	if (errors) {
		print_msgs(rs, stderr, false);
		ruleset_free(rs);
		return NULL;
	}
	print_msgs(rs, stderr, a->o.verbose);
	return rs;
}

/* --------------------------------------------------------------- alerts */

static const char *extra_for(struct app *a, const struct rule *r, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = 0;
	if (a->o.extra_format) {
		const char *x = a->o.extra_format;

		/* -pc and -pk replace %container.info instead (container_info) */
		if (!container_info(x))
			o += snprintf(buf + o, n - o, "%s", x);
	}
	for (size_t i = 0; i < a->cfg.nappend_output && o < n; i++) {
		const struct extra_output *e = &a->cfg.append_output[i];
		bool match = true;

		if (e->rule && strcmp(e->rule, r->name))
			match = false;
		if (e->tag) {
			match = false;
			for (size_t t = 0; t < r->ntags; t++)
				if (!strcmp(r->tags[t], e->tag))
					match = true;
		}
		if (match)
			o += snprintf(buf + o, n - o, "%s%s", o ? " " : "", e->format);
	}
	return buf;
}

static int syslog_level(int prio)
{
	return prio <= PRIO_DEBUG ? prio : LOG_DEBUG; /* the scales line up: emergency 0 .. debug 7 */
}

static void emit_alert(struct app *a, const char *rule, int prio, const char *source, char **tags, size_t ntags,
		       const char *msg, uint64_t ts, const struct alert_fields *fields)
{
	struct alert al = {
		.rule = rule, .priority = priority_name(prio), .syslog_level = syslog_level(prio), .source = source,
		.tags = tags, .ntags = ntags, .output = msg, .ts = ts, .hostname = a->pipe.hostname, .fields = fields,
	};

	outputs_emit(a->out, &al, ts);
	a->alerts++;
	if (prio >= 0 && prio < PRIO_COUNT)
		a->alerts_by_prio[prio]++;
}

static void on_hit(void *ctx, struct rule *r, struct field_ctx *fctx)
{
	struct app *a = ctx;
	static char out[4 * FIELD_BUF_SIZE]; /* the event thread's: room for long values, off its stack */
	char extra[2048];
	struct alert_fields *f = alert_fields_new();

	extra_for(a, r, extra, sizeof(extra));
	rule_format_output(a->rs, r, fctx, extra, out, sizeof(out));
	if (f)
		rule_output_fields(a->rs, r, fctx, extra, alert_fields_add, f);
	emit_alert(a, r->name, r->priority, "syscall", r->tags, r->ntags, out, fctx->ev->ts, f);
	alert_fields_free(f);
}

static void on_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	struct app *a = ctx;

	ruleset_eval(a->rs, fctx, on_hit, a);
	(void)ev;
}

/* ------------------------------------------------------ drops and stats */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Once a second: compare new drops with the threshold and act as configured. */
static int check_drops(struct app *a)
{
	struct saker_counters k;
	uint64_t drops, seen, nd, ns;
	double ratio;
	static char internal[] = "internal";
	char *tags[] = { internal };

	if (!a->cap || capture_counters(a->cap, &k))
		return 0;
	drops = 0;
	for (int i = 0; i < SAKER_DROP_REASONS; i++)
		drops += k.drops[i];
	seen = k.events_seen;
	nd = drops - a->last_drops;
	ns = seen - a->last_seen;
	a->last_drops = drops;
	a->last_seen = seen;
	a->drop_tokens += a->cfg.drops_rate;
	if (a->drop_tokens > a->cfg.drops_max_burst)
		a->drop_tokens = a->cfg.drops_max_burst;
	if (!nd)
		return 0;
	ratio = ns ? (double)nd / ns : 1;
	if (ratio < a->cfg.drops_threshold || (a->cfg.drops_actions & DROP_ACTION_IGNORE))
		return 0;
	if (a->drop_tokens < 1)
		return 0;
	a->drop_tokens -= 1;
	if (a->cfg.drops_actions & DROP_ACTION_LOG) {
		char msg[256];

		snprintf(msg, sizeof(msg), "falling behind: %llu of %llu events dropped in the last second (ring full %llu, too large %llu)",
			 (unsigned long long)nd, (unsigned long long)ns, (unsigned long long)k.drops[0],
			 (unsigned long long)k.drops[1]);
		app_log(LOG_ERR, msg);
	}
	if (a->cfg.drops_actions & DROP_ACTION_ALERT) {
		char msg[512];
		struct alert_fields *f = alert_fields_new();

		snprintf(msg, sizeof(msg), "Falco internal: syscall event drop. %llu system calls dropped in last second.",
			 (unsigned long long)nd);
		if (f) {
			alert_fields_add_number(f, "n_drops", (double)nd);
			alert_fields_add_number(f, "n_drops_buffer", (double)k.drops[0]);
			alert_fields_add_number(f, "n_drops_too_large", (double)k.drops[1]);
			alert_fields_add_number(f, "n_evts", (double)ns);
			alert_fields_add_number(f, "ebpf_enabled", 1);
		}
		a->drop_alerts++;
		emit_alert(a, "Falco internal: syscall event drop", PRIO_DEBUG, "internal", tags, 1, msg, real_ns(), f);
		alert_fields_free(f);
	}
	if (a->cfg.drops_actions & DROP_ACTION_EXIT) {
		app_log(LOG_ERR, "exiting: syscall_event_drops action is exit");
		return -1;
	}
	return 0;
}

static void add_rule_loss(void *ctx, const char *rule, uint64_t lost, uint64_t throttled)
{
	cJSON **objs = ctx;

	if (lost)
		cJSON_AddNumberToObject(objs[0], rule, (double)lost);
	if (throttled)
		cJSON_AddNumberToObject(objs[1], rule, (double)throttled);
}

/* The output counters in a stats line: totals, per sink, and losses by rule. */
static void add_output_stats(struct app *a, cJSON *o, const struct output_stats *os)
{
	cJSON *byr[2] = { cJSON_CreateObject(), cJSON_CreateObject() };
	uint64_t queue_full = 0;

	for (int i = 0; i < SINK_COUNT; i++) {
		static const char *const names[] = { "sent", "failed", "queue_full", "undelivered", "errors" };
		const uint64_t v[] = { os->sink[i].sent, os->sink[i].failed, os->sink[i].queue_full,
				       os->sink[i].undelivered, os->sink[i].errors };
		char key[64];

		queue_full += os->sink[i].queue_full;
		for (int j = 0; os->sink[i].enabled && j < 5; j++) {
			snprintf(key, sizeof(key), "output_%s_%s", sink_name(i), names[j]);
			cJSON_AddNumberToObject(o, key, (double)v[j]);
		}
	}
	cJSON_AddNumberToObject(o, "outputs_throttled", (double)os->throttled);
	cJSON_AddNumberToObject(o, "outputs_queue_overflow", (double)queue_full);
	cJSON_AddNumberToObject(o, "outputs_lost", (double)os->lost);
	outputs_rule_losses(a->out, add_rule_loss, byr);
	cJSON_AddItemToObject(o, "alerts_lost_by_rule", byr[0]);
	cJSON_AddItemToObject(o, "alerts_throttled_by_rule", byr[1]);
}

static void write_stats(struct app *a, FILE *f)
{
	cJSON *o = cJSON_CreateObject(), *byr = cJSON_CreateObject(), *byp = cJSON_CreateObject();
	struct output_stats os;
	struct saker_counters k = { 0 };
	char *s;

	if (a->cap)
		capture_counters(a->cap, &k);
	outputs_stats(a->out, &os);
	cJSON_AddNumberToObject(o, "time", (double)real_ns() / 1e9);
	cJSON_AddNumberToObject(o, "events", (double)a->pipe.num);
	cJSON_AddNumberToObject(o, "kernel_events_seen", (double)k.events_seen);
	cJSON_AddNumberToObject(o, "drops_ring_full", (double)k.drops[SAKER_DROP_RING_FULL]);
	cJSON_AddNumberToObject(o, "drops_too_large", (double)k.drops[SAKER_DROP_TOO_LARGE]);
	cJSON_AddNumberToObject(o, "drops_no_ring", (double)k.drops[SAKER_DROP_NO_RING]);
	cJSON_AddNumberToObject(o, "drops_nparams", (double)k.drops[SAKER_DROP_NPARAMS]);
	cJSON_AddNumberToObject(o, "alerts", (double)a->alerts);
	if (a->state) {
		struct state_stats ss;

		state_stats(a->state, &ss);
		cJSON_AddNumberToObject(o, "threads", (double)ss.threads);
		cJSON_AddNumberToObject(o, "fds", (double)ss.fds);
		cJSON_AddNumberToObject(o, "threads_evicted", (double)ss.evicted);
		cJSON_AddNumberToObject(o, "threads_purged", (double)ss.purged);
	}
	add_output_stats(a, o, &os);
	for (size_t i = 0; a->rs && i < ruleset_nrules(a->rs); i++) {
		struct rule *r = ruleset_rule(a->rs, i);

		if (r->hits)
			cJSON_AddNumberToObject(byr, r->name, (double)r->hits);
	}
	for (int p = 0; p < PRIO_COUNT; p++)
		if (a->alerts_by_prio[p])
			cJSON_AddNumberToObject(byp, priority_name(p), (double)a->alerts_by_prio[p]);
	cJSON_AddItemToObject(o, "alerts_by_rule", byr);
	cJSON_AddItemToObject(o, "alerts_by_priority", byp);
	s = cJSON_PrintUnformatted(o);
	fprintf(f, "%s\n", s);
	fflush(f);
	free(s);
	cJSON_Delete(o);
}

/* ------------------------------------------------------------- capture */

/* Syscalls state tracking always needs, whatever the rules ask. */
static const char *const state_syscalls[] = {
	"clone", "clone3", "fork", "vfork", "execve", "execveat", "close", "dup", "dup2", "dup3", "fcntl",
	"open", "openat", "openat2", "creat", "chdir", "fchdir", "socket", "connect", "accept", "accept4",
	"bind", "listen", "pipe", "pipe2", "socketpair", "memfd_create", "prctl", "setuid", "setgid",
	"setresuid", "setresgid", "setsid", "setpgid", NULL,
};

static void interesting_syscalls(struct app *a, struct capture_opts *opts)
{
	uint8_t types[EVENT_TABLE_SIZE];

	if (a->cfg.base_syscalls_all) {
		capture_opts_all_probes(opts);
		opts->generic_others = true;
		return;
	}
	ruleset_event_types(a->rs, types);
	io_cli_filter_types(a->rs, a->o.io.all_events || a->o.write, types);
	for (const struct syscall_probe *p = syscall_probes; p->name; p++) {
		const struct event_info *ei = event_info_get(p->event);
		int nr = syscall_nr(p->name);

		if (nr < 0 || nr >= SAKER_MAX_SYSCALLS || !ei)
			continue;
		for (int t = 0; t < EVENT_TABLE_SIZE; t++)
			if (types[t] && event_info_get(t) && !strcmp(event_info_get(t)->name, ei->name))
				opts->interesting[nr] = 1;
	}
	{ /* syscalls rules name that have no event of their own: generic events */
		uint8_t *sc = calloc(ppm_sc_count, 1);

		if (sc) {
			ruleset_generic_syscalls(a->rs, sc);
			for (size_t k = 1; k < ppm_sc_count; k++) {
				int nr = sc[k] ? syscall_nr(ppm_sc_names[k]) : -1;

				if (nr >= 0 && nr < SAKER_MAX_SYSCALLS)
					opts->interesting[nr] = 1;
			}
			free(sc);
		} else {
			app_log(LOG_WARNING, "out of memory: syscalls named by rules without an event of their own are not captured");
		}
	}
	if (a->cfg.nbase_syscalls) { /* custom_set replaces the state set */
		for (size_t i = 0; i < a->cfg.nbase_syscalls; i++) {
			int nr = syscall_nr(a->cfg.base_syscalls[i]);

			if (nr >= 0 && nr < SAKER_MAX_SYSCALLS)
				opts->interesting[nr] = 1;
		}
		return;
	}
	for (const char *const *s = state_syscalls; *s; s++) {
		int nr = syscall_nr(*s);

		if (nr >= 0 && nr < SAKER_MAX_SYSCALLS)
			opts->interesting[nr] = 1;
	}
}

static int reload(struct app *a)
{
	struct config old = a->cfg;
	struct ruleset *rs;
	char err[512];

	memset(&a->cfg, 0, sizeof(a->cfg));
	if (load_config(a, err, sizeof(err))) {
		app_log(LOG_ERR, "reload failed, keeping the old rules:");
		app_log(LOG_ERR, err);
		config_release(&a->cfg);
		a->cfg = old;
		return -1;
	}
	rs = load_rules(a, a->o.nrules ? a->o.rules : a->cfg.rules_files,
			a->o.nrules ? a->o.nrules : a->cfg.nrules_files);
	if (!rs) {
		app_log(LOG_ERR, "reload failed, keeping the old rules (errors above)");
		config_release(&a->cfg);
		a->cfg = old;
		return -1;
	}
	ruleset_free(a->rs);
	a->rs = rs;
	config_release(&old);
	app_log(LOG_NOTICE, "configuration and rules reloaded");
	return 0;
}

struct meta_out {
	struct pipeline *p;
	uint64_t ts;
};

static void meta_write(void *ctx, const char *json)
{
	struct meta_out *o = ctx;

	pipeline_write_container(o->p, json, o->ts);
}

static void meta_hook(void *ctx, struct pipeline *p, struct event *ev)
{
	struct meta_out o = { p, ev->ts };

	container_meta_before_rules(ctx, ev, meta_write, &o);
}

/* One engine's switches from the config (and --cri), over the defaults. */
static void engine_from_cfg(struct runtime_engine *e, const struct container_engine_cfg *c, char **cli, size_t ncli)
{
	char **src = ncli ? cli : c->sockets;
	size_t n = ncli ? ncli : c->nsockets;

	e->enabled = c->enabled || ncli;
	if (!src)
		return;
	for (size_t j = 0; j < e->nsockets; j++)
		free(e->sockets[j]);
	free(e->sockets);
	e->sockets = calloc(n + 1, sizeof(*e->sockets));
	e->nsockets = 0;
	for (size_t j = 0; e->sockets && j < n; j++)
		e->sockets[e->nsockets++] = strdup(src[j]);
}

/* Live container metadata from the runtimes (skipped quietly when none is enabled). */
static void start_container_meta(struct app *a)
{
	struct container_meta_opts mo = { .wait_ms = (unsigned)a->cfg.container_wait_ms };

	runtime_opts_defaults(&mo.rt);
	engine_from_cfg(&mo.rt.engines[0], &a->cfg.docker, NULL, 0);
	engine_from_cfg(&mo.rt.engines[1], &a->cfg.podman, NULL, 0);
	engine_from_cfg(&mo.rt.engines[2], &a->cfg.cri, a->o.cri, a->o.ncri);
	mo.sync = a->o.disable_cri_async || a->cfg.cri_disable_async;
	mo.rt.timeout_ms = a->cfg.container_timeout_ms > 0 ? (unsigned)a->cfg.container_timeout_ms : 1000;
	mo.rt.host_root = hostroot();
	mo.rt.log = warn_cb;
	a->meta = container_meta_new(a->state, &mo);
	if (a->meta) {
		a->pipe.before_rules = meta_hook;
		a->pipe.hook_ctx = a->meta;
	}
	for (size_t i = 0; i < mo.rt.nengines; i++) {
		for (size_t j = 0; j < mo.rt.engines[i].nsockets; j++)
			free(mo.rt.engines[i].sockets[j]);
		free(mo.rt.engines[i].sockets);
	}
}

static void print_container_meta(struct container_meta *m)
{
	struct container_meta_stats st;

	container_meta_stats(m, &st);
	fprintf(stderr, "container metadata: %llu lookups, %llu found, %llu unknown, %llu errors, %llu timeouts; "
		"%llu waits (%llu reached the bound, longest %.1f ms); first event to metadata: median %.1f ms, "
		"worst %.1f ms over %llu containers\n",
		(unsigned long long)st.rt.requests, (unsigned long long)st.rt.found, (unsigned long long)st.rt.not_found,
		(unsigned long long)st.rt.errors, (unsigned long long)st.rt.timeouts, (unsigned long long)st.waits,
		(unsigned long long)st.wait_timeouts, st.wait_ns_max / 1e6, st.first_to_known_median_ns / 1e6,
		st.first_to_known_max_ns / 1e6, (unsigned long long)st.known);
}

/* The capabilities saker works without, but worse: each missing one is named with what it costs. */
static void warn_capabilities(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };
	static const struct { int cap; const char *name, *why; } caps[] = {
		{ 19, "CAP_SYS_PTRACE", "details of other users' processes in /proc (exe, cwd, environment) are unknown" },
		{ 24, "CAP_SYS_RESOURCE", "the locked-memory limit cannot be raised for the rings (kernels before 5.11 "
					  "account ring memory there)" },
	};

	if (syscall(SYS_capget, &h, d))
		return;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		char msg[300];

		if ((d[caps[i].cap / 32].effective >> (caps[i].cap % 32)) & 1)
			continue;
		snprintf(msg, sizeof(msg), "running without %s: %s", caps[i].name, caps[i].why);
		app_log(LOG_WARNING, msg);
	}
}

/* Start the health and metrics endpoint when webserver.enabled; 0 or an exit code. */
static int start_web(struct app *a)
{
	struct web_opts wo = { .listen_address = a->cfg.web_address, .listen_port = (long)a->cfg.web_port,
			       .healthz_path = a->cfg.web_healthz, .metrics = a->cfg.web_metrics,
			       .stall_ms = (unsigned)(a->cfg.web_healthz_timeout * 1000) };
	char err[512];
	int rc;

	if (!a->cfg.web_enabled)
		return 0;
	if (a->cfg.web_port != (double)wo.listen_port)
		wo.listen_port = -1; /* 8765.5 is not a port */
	rc = web_start(&a->web, &wo, err, sizeof(err));
	if (rc)
		fprintf(stderr, "saker: %s\n", err);
	return rc == -EINVAL ? 1 : rc ? 2 : 0;
}

/* Once a second on the event thread: the metrics text for the web server. */
static void publish_metrics(struct app *a)
{
	struct metrics_src src = { .version = SAKER_VERSION, .events = a->pipe.num, .cap = a->cap, .out = a->out,
				   .rs = a->rs, .state = a->state, .alerts_by_prio = a->alerts_by_prio,
				   .drop_alerts = a->drop_alerts };

	if (a->web && a->cfg.web_metrics)
		metrics_publish(&a->metrics, a->web, &src);
}

/*
 * Once a second: say when the thread table evicted (a full table loses the
 * oldest threads' state, which rules then see as unknown), and on
 * falco_libs' purging interval drop quiet threads whose exit was never seen.
 */
static void check_state(struct app *a, uint64_t now)
{
	struct state_stats st;
	char msg[320];

	state_stats(a->state, &st);
	if (st.evicted > a->last_evicted) {
		snprintf(msg, sizeof(msg),
			 "thread table full (falco_libs.thread_table_size %llu): evicted %llu least recently active threads in the last second, %llu in all",
			 (unsigned long long)st.max_threads, (unsigned long long)(st.evicted - a->last_evicted),
			 (unsigned long long)st.evicted);
		app_log(LOG_WARNING, msg);
		a->last_evicted = st.evicted;
	}
	if (a->cfg.purge_interval_s && now - a->last_purge >= a->cfg.purge_interval_s * 1000000000ull) {
		size_t n = state_purge(a->state, a->cfg.purge_timeout_s * 1000000000ull);

		a->last_purge = now;
		if (n) {
			snprintf(msg, sizeof(msg), "purged %zu threads quiet for %llu s whose exit was not seen (no longer in /proc)",
				 n, (unsigned long long)a->cfg.purge_timeout_s);
			app_log(LOG_INFO, msg);
		}
	}
}

static int run_live(struct app *a)
{
	struct capture_opts opts = { .ring_bytes = a->cfg.ring_bytes, .cpus_per_ring = a->cfg.cpus_per_ring,
				     .snaplen = a->o.io.snaplen };
	uint64_t start = mono_ns(), last_tick = start, last_stats = start, last_sweep = start;
	char err[2048];
	int rc;

	interesting_syscalls(a, &opts);
	warn_capabilities();
	rc = capture_open(&a->cap, &opts, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "saker: %s\n", err);
		return rc == CAPTURE_ERR_USAGE ? 1 : rc;
	}
	if (a->o.verbose) {
		capture_describe(a->cap, err, sizeof(err));
		fprintf(stderr, "saker: %s\n", err);
	}
	start_container_meta(a);
	state_scan_proc(a->state);
	if (a->o.write && scap_writer_open(&a->pipe.writer, a->o.write, &a->o.wopts, a->state, err, sizeof(err))) {
		fprintf(stderr, "saker: %s\n", err);
		return 1;
	}
	app_log(LOG_INFO, "capturing");
	a->last_purge = mono_ns();
	publish_metrics(a);
	while (!stop_flag) {
		uint64_t now;

		rc = capture_poll(a->cap, 50, pipeline_event, &a->pipe);
		if (rc < 0) {
			fprintf(stderr, "saker: polling the rings failed: %s\n", strerror(-rc));
			rc = 3;
			break;
		}
		rc = 0;
		now = mono_ns();
		web_heartbeat(a->web, now);
		if (now - last_tick >= 1000000000ull) {
			last_tick = now;
			publish_metrics(a);
			check_state(a, now);
			if (now - last_sweep >= 10000000000ull) { /* forget containers whose processes are gone */
				last_sweep = now;
				container_meta_sweep(a->meta);
			}
			if (check_drops(a)) {
				rc = 3;
				break;
			}
		}
		if (a->stats && now - last_stats >= a->cfg.stats_interval_ms * 1000000ull) {
			last_stats = now;
			write_stats(a, a->stats);
		}
		if (reload_flag) {
			reload_flag = 0;
			reload(a);
		}
		if (a->o.duration && now - start >= a->o.duration * 1000000000ull)
			break;
	}
	capture_drain(a->cap, pipeline_event, &a->pipe);
	if (a->o.verbose && a->meta)
		print_container_meta(a->meta);
	container_meta_free(a->meta);
	a->meta = NULL;
	a->pipe.before_rules = NULL;
	return rc;
}

static int run_replay(struct app *a)
{
	char err[512];

	if (a->o.write && scap_writer_open(&a->pipe.writer, a->o.write, &a->o.wopts, NULL, err, sizeof(err))) {
		fprintf(stderr, "saker: %s\n", err);
		return 1;
	}
	uint64_t skipped = 0;
	int rc = pipeline_replay(&a->pipe, a->cfg.replay_file, (volatile int *)&stop_flag, &skipped, err, sizeof(err));

	if (rc)
		fprintf(stderr, "saker: %s: %s\n", a->cfg.replay_file, err);
	if (a->o.verbose)
		fprintf(stderr, "replay: %llu events, %llu skipped (unknown type)\n", (unsigned long long)a->pipe.num,
			(unsigned long long)skipped);
	return rc ? 1 : 0;
}

static void print_rule_loss(void *ctx, const char *rule, uint64_t lost, uint64_t throttled)
{
	fprintf(ctx, "   %s: lost %llu, throttled %llu\n", rule, (unsigned long long)lost, (unsigned long long)throttled);
}

static void print_output_summary(struct app *a)
{
	struct output_stats os;

	outputs_stats(a->out, &os);
	fprintf(stderr, "Outputs: alerts %llu, throttled %llu, lost %llu (counted per sink), loss reports %llu\n",
		(unsigned long long)os.alerts, (unsigned long long)os.throttled, (unsigned long long)os.lost,
		(unsigned long long)os.reports);
	for (int k = 0; k < SINK_COUNT; k++)
		if (os.sink[k].enabled)
			fprintf(stderr, "   %s: sent %llu, failed %llu (queue full %llu, undelivered at exit %llu), "
				"errors %llu in %llu incidents\n", sink_name(k), (unsigned long long)os.sink[k].sent,
				(unsigned long long)os.sink[k].failed, (unsigned long long)os.sink[k].queue_full,
				(unsigned long long)os.sink[k].undelivered, (unsigned long long)os.sink[k].errors,
				(unsigned long long)os.sink[k].incidents);
	if (os.lost || os.throttled) {
		fprintf(stderr, "Alerts lost or throttled by rule:\n");
		outputs_rule_losses(a->out, print_rule_loss, stderr);
	}
}

static void print_summary(struct app *a)
{
	fprintf(stderr, "Events detected: %llu\n", (unsigned long long)a->alerts);
	fprintf(stderr, "Rule counts by severity:\n");
	for (int p = 0; p < PRIO_COUNT; p++)
		if (a->alerts_by_prio[p])
			fprintf(stderr, "   %s: %llu\n", priority_name(p), (unsigned long long)a->alerts_by_prio[p]);
	fprintf(stderr, "Triggered rules by rule name:\n");
	for (size_t i = 0; i < ruleset_nrules(a->rs); i++) {
		struct rule *r = ruleset_rule(a->rs, i);

		if (r->hits)
			fprintf(stderr, "   %s: %llu\n", r->name, (unsigned long long)r->hits);
	}
	print_output_summary(a);
	if (a->state) {
		struct state_stats ss;

		state_stats(a->state, &ss);
		fprintf(stderr, "State: threads %llu, processes %llu, fds %llu, evicted %llu, reaped %llu, purged %llu\n",
			(unsigned long long)ss.threads, (unsigned long long)ss.procs, (unsigned long long)ss.fds,
			(unsigned long long)ss.evicted, (unsigned long long)ss.reaped, (unsigned long long)ss.purged);
	}
	if (a->cap) {
		struct saker_counters k;

		if (!capture_counters(a->cap, &k))
			fprintf(stderr, "Kernel: events %llu, sent %llu, drops ring_full %llu, too_large %llu, no_ring %llu, "
				"nparams %llu\n", (unsigned long long)k.events_seen, (unsigned long long)k.events_sent,
				(unsigned long long)k.drops[SAKER_DROP_RING_FULL], (unsigned long long)k.drops[SAKER_DROP_TOO_LARGE],
				(unsigned long long)k.drops[SAKER_DROP_NO_RING], (unsigned long long)k.drops[SAKER_DROP_NPARAMS]);
	}
}

/* --------------------------------------------------------------- lists */

/* --list-markdown: docs/fields.md, saker's page of every field (Falco's --list layout is cli_list_fields) */
static void list_fields_markdown(void)
{
	size_t last = 0;
	const char *prev = "";

	printf("# Fields\n\nGenerated by `saker --list-markdown` from the field registry "
	       "(src/fields/fields.c); do not edit.\n\n"
	       "`[N]` takes an index, `[NAME]` or `.NAME` a key. `<NA>` is printed where a value is unknown.\n"
	       "A field marked **not filled** compiles, so rules naming it load, but needs events saker "
	       "does not capture: its description says the one value it has.\n"
	       "`proc.args` takes no index and there is no `proc.aargs`: current libs' field tables (0.20 and later) "
	       "define neither `proc.args[N]` nor `proc.aargs`, so saker gives them no meaning of its own.\n");
	for (const struct field_def *f = field_registry_next(NULL); f; f = field_registry_next(f)) {
		size_t cl = field_class_len(f->name);
		const char *arg = (f->flags & FA_INDEX) && (f->flags & FA_KEY) ? "[N] / .NAME" :
				  (f->flags & FA_INDEX) ? "[N]" : (f->flags & FA_KEY) ? "[NAME]" : "";

		if (f->flags & FF_HIDDEN)
			continue;
		if (cl != last || strncmp(prev, f->name, cl))
			printf("\n## %.*s\n\n| field | type | description |\n|---|---|---|\n", (int)cl, f->name);
		last = cl;
		prev = f->name;
		printf("| `%s%s` | %s | %s%s |\n", f->name, arg, field_type_name(f->type),
		       (f->flags & FF_UNFILLED) ? "**not filled**: " : "", f->desc);
	}
}

static void validate_log(bool warning, const char *msg)
{
	app_log(warning ? LOG_WARNING : LOG_INFO, msg);
}

/* -V: Falco's load results for the files (text, or one JSON document); the exit code. */
static int validate(struct app *a)
{
	char **files = a->o.validate_files, err[1024];
	size_t n = a->o.nvalidate;
	int rc;

	resolver_set_enabled(false); /* validating evaluates no event: no name is resolved */
	for (size_t i = 0; i < a->o.nrules; i++)
		push(&files, &n, a->o.rules[i]);
	/* as Falco: every file is read before any is loaded, and one that cannot be read stops -V there */
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(files[i], "re");

		if (!f) {
			fprintf(stderr, "saker: could not open file '%s' for reading: %s\n", files[i], strerror(errno));
			return 1;
		}
		fclose(f);
	}
	rc = rules_validate(files, n, a->cfg.out.json_output, validate_log, stdout, err, sizeof(err));
	if (err[0])
		fprintf(stderr, "saker: %s\n", err);
	return rc;
}

/* -L and -l RULE with json_output: Falco's describe JSON on stdout; the exit code. */
static int describe_json(struct app *a)
{
	cJSON *o = ruleset_describe_json(a->rs, a->o.list_rules ? NULL : a->o.describe);
	char *s;

	if (!o) {
		fprintf(stderr, "saker: rule \"%s\" is not loaded\n", a->o.describe);
		return 1;
	}
	s = cJSON_PrintUnformatted(o);
	printf("%s\n", s ? s : "{}");
	free(s);
	cJSON_Delete(o);
	return 0;
}

/* -L, -l RULE, --disasm RULE over the loaded rules; the exit code. */
static int list_rules(struct app *a)
{
	const char *wanted = a->o.describe ? a->o.describe : a->o.disasm;

	if (a->cfg.out.json_output && !a->o.disasm)
		return describe_json(a);
	if (wanted && !ruleset_find(a->rs, wanted)) {
		fprintf(stderr, "saker: rule \"%s\" is not loaded\n", wanted);
		return 1;
	}
	if (!a->o.disasm) /* Falco's text: two columns, name and description */
		cli_describe_text_header(stdout);
	for (size_t i = 0; i < ruleset_nrules(a->rs); i++) {
		struct rule *r = ruleset_rule(a->rs, i);

		if (a->o.disasm && !strcmp(r->name, a->o.disasm))
			ruleset_disasm(a->rs, r, stdout);
		else if (a->o.list_rules || (a->o.describe && !strcmp(r->name, a->o.describe)))
			cli_describe_text_rule(stdout, r->name, r->desc);
	}
	return 0;
}

/* --support: version, system, command line, config and rules files as one JSON object; the exit code. */
static int print_support(struct app *a)
{
	const char *cfg = a->o.config ? a->o.config : access(DEFAULT_CONFIG, R_OK) == 0 ? DEFAULT_CONFIG : NULL;
	struct support_info si = {
		.version = SAKER_VERSION, .engine_version = SAKER_ENGINE_VERSION, .argc = a->o.argc, .argv = a->o.argv,
		.config_path = cfg, .rules = a->o.nrules ? a->o.rules : a->cfg.rules_files,
		.nrules = a->o.nrules ? a->o.nrules : a->cfg.nrules_files,
	};
	char err[256];

	if (cli_print_support(stdout, &si, err, sizeof(err))) {
		fprintf(stderr, "saker: %s\n", err);
		return 1;
	}
	return 0;
}

/* -P and -s files; -1 (message printed) when one cannot be opened. */
static int open_run_files(struct app *a)
{
	if (a->o.pidfile) {
		FILE *f = fopen(a->o.pidfile, "we");

		if (!f) {
			fprintf(stderr, "saker: cannot write pid file '%s': %s\n", a->o.pidfile, strerror(errno));
			return -1;
		}
		fprintf(f, "%d\n", getpid());
		fclose(f);
	}
	if (a->o.stats_file && !(a->stats = fopen(a->o.stats_file, "ae"))) {
		fprintf(stderr, "saker: cannot open stats file '%s': %s\n", a->o.stats_file, strerror(errno));
		return -1;
	}
	return 0;
}

/* Capture or replay until stopped, with outputs and state around it; the exit code. */
static int run(struct app *a)
{
	struct state_opts so = { .no_proc = !strcmp(a->cfg.engine_kind, "replay"),
				 .max_threads = a->cfg.thread_table_size };
	char err[1024];
	int rc;

	if (a->cfg.host_root)
		hostroot_set(a->cfg.host_root);
	so.host_root = hostroot();
	if ((rc = start_web(a)))
		return rc;
	a->out = outputs_new(&a->cfg.out, app_log, err, sizeof(err));
	if (!a->out) {
		fprintf(stderr, "saker: %s\n", err);
		return 3;
	}
	a->state = state_new(&so);
	pipeline_init(&a->pipe, a->state, on_event, a);
	outputs_set_hostname(a->out, a->pipe.hostname);
	signal_outputs = a->out;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGUSR1, on_signal);
	a->drop_tokens = a->cfg.drops_max_burst;
	rc = !strcmp(a->cfg.engine_kind, "replay") ? run_replay(a) : run_live(a);
	outputs_close(a->out);
	if (a->stats) {
		write_stats(a, a->stats);
		fclose(a->stats);
	}
	if (a->o.verbose) {
		fprintf(stderr, "Events processed: %llu\n", (unsigned long long)a->pipe.num);
		pipeline_print_writer(&a->pipe, stderr);
		print_summary(a);
	}
	signal(SIGUSR1, SIG_IGN);
	signal_outputs = NULL;
	web_free(a->web);
	a->web = NULL;
	metrics_release(&a->metrics);
	outputs_free(a->out);
	a->out = NULL;
	capture_free(a->cap);
	if (a->pipe.writer && scap_writer_close(a->pipe.writer, err, sizeof(err))) {
		fprintf(stderr, "saker: %s\n", err);
		rc = rc ? rc : 3;
	}
	pipeline_release(&a->pipe);
	state_free(a->state);
	return rc;
}

int main(int argc, char **argv)
{
	static struct app a;
	char err[1024];
	int rc;

	/*
	 * A fixed mmap threshold: glibc's sliding one rises to the size of
	 * each large block freed, after which a burst's buffers (the capture's
	 * pending events, grown by doubling) come from the heap and stay
	 * resident once freed or shrunk (bench/README.md, RSS after a minute).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	if (parse_args(&a.o, argc, argv))
		return 1;
	if (a.o.io.print_ignored) {
		io_cli_print_ignored(stdout);
		return 0;
	}
	io_cli_apply(&a.o.io);
	if (a.o.list_fields || a.o.list_markdown) {
		if (a.o.list_source && *a.o.list_source && strcmp(a.o.list_source, "syscall")) {
			fprintf(stderr, "saker: value for --list must be a valid source type: '%s' is not (saker has 'syscall')\n",
				a.o.list_source);
			return 1;
		}
		if (a.o.list_markdown) /* saker's docs/fields.md */
			list_fields_markdown();
		else
			cli_list_fields(stdout, a.o.markdown, a.o.names_only, a.o.verbose);
		return 0;
	}
	if (a.o.list_events) {
		cli_list_events(stdout, a.o.markdown);
		return 0;
	}
	if (a.o.rule_schema || a.o.config_schema) {
		struct cJSON *j = a.o.rule_schema ? rules_schema_json() : config_schema_json();

		if (!j)
			return 3;
		cli_print_json(stdout, j);
		cJSON_Delete(j);
		return 0;
	}
	if (load_config(&a, err, sizeof(err))) {
		fprintf(stderr, "saker: %s\n", err);
		return 1;
	}
	if (a.o.page_size) {
		snprintf(err, sizeof(err), "Your system page size is: %ld bytes", sysconf(_SC_PAGESIZE));
		app_log(LOG_INFO, err);
		return 0;
	}
	if (a.o.validate)
		return validate(&a);
	if (a.o.support)
		return print_support(&a);
	a.rs = load_rules(&a, a.o.nrules ? a.o.rules : a.cfg.rules_files, a.o.nrules ? a.o.nrules : a.cfg.nrules_files);
	if (!a.rs)
		return 1;
	if (!ruleset_nrules(a.rs) && !a.o.list_rules)
		app_log(LOG_WARNING, "no rules loaded: pass -r FILE or set rules_files");
	if (a.o.list_rules || a.o.describe || a.o.disasm) {
		rc = list_rules(&a);
		ruleset_free(a.rs);
		return rc;
	}
	if (strcmp(a.cfg.engine_kind, "replay") && select_sources(&a.o, err, sizeof(err))) {
		fprintf(stderr, "saker: %s\n", err);
		ruleset_free(a.rs);
		return 1;
	}
	if (a.config_ok)
		log_config_files(&a, NULL);
	if (a.o.dry_run) { /* as Falco's --dry-run: everything up to the capture, then stop */
		app_log(LOG_INFO, "dry run: configuration and rules loaded; not capturing");
		ruleset_free(a.rs);
		config_release(&a.cfg);
		config_files_release(&a);
		return 0;
	}
	if (open_run_files(&a))
		return 1;
	rc = run(&a);
	ruleset_free(a.rs);
	config_release(&a.cfg);
	config_files_release(&a);
	if (a.o.pidfile)
		unlink(a.o.pidfile);
	return rc;
}
