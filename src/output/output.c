// SPDX-License-Identifier: Apache-2.0
/*
 * The alert queues and the sinks. The event thread formats each alert once
 * (text line and/or JSON object, as the sinks need) into one refcounted item
 * and pushes it into every enabled sink's queue (outputs_queue.capacity
 * each; 0 = unbounded). Every sink has its own thread, so a slow or hung
 * sink never holds back the others. Stream sinks (stdout, file, a kept-alive
 * program) write whole batches with one write(2); syslog, HTTP and a program
 * per alert deliver alert by alert. A failure is logged once per incident,
 * counted, and retried with backoff while the alerts wait in the queue; a
 * full queue or a sink still failing at exit loses alerts, and every loss is
 * counted per sink and per rule and reported within a second by the
 * reporter thread (a log line and an internal alert).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "output/format.h"
#include "output/output.h"

#define BATCH_MAX 1024                   /* alerts a sink takes from its queue at once */
#define FLUSH_BYTES (64u << 10)          /* buffered_outputs: write when this much is waiting */
#define FLUSH_NS 1000000000ull           /* buffered_outputs: ... or when the oldest waited 1 s */
#define IO_TIMEOUT_MS 5000               /* a program or HTTP endpoint that takes longer has failed */
#define EXIT_GRACE_NS 5000000000ull      /* at close, healthy sinks get this long to drain */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define RULES_MAX 4096                   /* rules with their own loss counters; more share "other" */
#define NO_RULE UINT32_MAX
#define SYSLOG_PATH "/dev/log"
#define INTERNAL_RULE "Falco internal: alerts lost"

extern char **environ;

struct item {
	atomic_int refs;
	int level;
	uint32_t rule;               /* index in the loss table, NO_RULE for internal alerts */
	uint32_t text_len, json_len; /* each counts its trailing '\n' */
	char *text, *json;           /* into data; NULL when no sink needs it */
	char data[];
};

struct rule_loss {
	char *name;
	_Atomic uint64_t lost, throttled;
	uint64_t lost_seen, throttled_seen;   /* reporter: what it already reported */
};

struct sink {
	struct outputs *o;
	enum sink_kind kind;
	struct output_sink_counters *c;
	bool on, started;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item **q;                      /* ring of qcap slots */
	size_t qcap, head, count;
	bool stop;
	/* the sink thread's own state */
	struct item *held[BATCH_MAX];         /* taken from the queue, not yet delivered */
	size_t end[BATCH_MAX];                /* stream sinks: offset in out where held[i] ends */
	size_t nheld, done;                   /* done: held[0..done) delivered (per-alert sinks) */
	struct obuf out;                      /* stream sinks: the bytes of held, woff of them written */
	size_t woff;
	uint64_t pending_since;
	int fd;                               /* file, program pipe or syslog socket; -1 closed */
	dev_t dev;
	ino_t ino;
	unsigned reopen_seen;
	pid_t pid;
	CURL *curl;
	bool failing;
	unsigned backoff_ms;
	uint64_t retry_at, errors_at_incident;
	uint64_t seen_queue_full, seen_undelivered; /* reporter */
};

struct outputs {
	struct output_opts cfg;
	output_log_fn log;
	struct output_counters c;
	struct sink sinks[SINK_COUNT];
	bool need_text, need_json;
	atomic_uint reopen_gen;
	_Atomic uint64_t deadline;            /* close: healthy sinks stop draining after this */
	/* event thread */
	struct obuf scratch_text, scratch_json;
	double tokens;
	uint64_t last_ns;
	uint32_t *rule_slots;                 /* open addressing over rules, 2 * RULES_MAX */
	/* loss table: appended by the event thread, read by the reporter */
	struct rule_loss rules[RULES_MAX];
	atomic_size_t nrules;
	/* reporter */
	pthread_t reporter;
	bool reporter_started, reporter_stop;
	pthread_mutex_t rmu;
	pthread_cond_t rcv;
	uint64_t throttled_seen;
	char hostname[256];
};

const char *sink_name(enum sink_kind k)
{
	static const char *const n[] = { "stdout", "file", "program", "syslog", "http" };

	return k < SINK_COUNT ? n[k] : "?";
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static struct timespec mono_deadline(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	return ts;
}

static void logf_(struct outputs *o, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void logf_(struct outputs *o, int level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->log)
		o->log(level, msg);
}

static void add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static uint64_t get(_Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* ---------------------------------------------------------------- items */

static void item_unref(struct item *it)
{
	if (it && atomic_fetch_sub_explicit(&it->refs, 1, memory_order_acq_rel) == 1)
		free(it);
}

/* One allocation holding the lines the sinks need, each ending in '\n'. */
static struct item *item_make(struct outputs *o, const struct alert *a, struct obuf *t, struct obuf *j)
{
	struct item *it;
	size_t tl = 0, jl = 0;

	t->len = j->len = 0;
	t->failed = j->failed = false;
	if (o->need_text) {
		alert_append_text(&o->cfg, a, t);
		obuf_add(t, "\n", 1);
		tl = t->len;
	}
	if (o->need_json) {
		alert_append_json(&o->cfg, a, j);
		obuf_add(j, "\n", 1);
		jl = j->len;
	}
	if (t->failed || j->failed || !(it = malloc(sizeof(*it) + tl + jl)))
		return NULL;
	atomic_init(&it->refs, 0);
	it->level = a->syslog_level;
	it->rule = NO_RULE;
	it->text_len = tl;
	it->json_len = jl;
	it->text = tl ? memcpy(it->data, t->p, tl) : NULL;
	it->json = jl ? memcpy(it->data + tl, j->p, jl) : NULL;
	return it;
}

/* The line a sink writes: JSON for HTTP and with json_output, else text. */
static const char *item_line(const struct sink *s, const struct item *it, size_t *len)
{
	bool json = s->kind == SINK_HTTP || s->o->cfg.json_output;

	*len = json ? it->json_len : it->text_len;
	return json ? it->json : it->text;
}

/* ---------------------------------------------------------- rule losses */

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The loss-table index of a rule name (event thread only; the table only grows). */
static uint32_t rule_index(struct outputs *o, const char *name)
{
	size_t n = atomic_load_explicit(&o->nrules, memory_order_relaxed);
	uint32_t h = hash_name(name) & (2 * RULES_MAX - 1);

	for (;; h = (h + 1) & (2 * RULES_MAX - 1)) {
		uint32_t i = o->rule_slots[h];

		if (i == NO_RULE)
			break;
		if (!strcmp(o->rules[i].name, name))
			return i;
	}
	if (n == RULES_MAX - 1) /* the last entry is "other" */
		return RULES_MAX - 1;
	o->rules[n].name = strdup(name);
	if (!o->rules[n].name)
		return RULES_MAX - 1;
	o->rule_slots[h] = n;
	atomic_store_explicit(&o->nrules, n + 1, memory_order_release);
	return n;
}

static void count_lost(struct outputs *o, struct sink *s, uint32_t rule, bool queue_full)
{
	add(queue_full ? &s->c->queue_full : &s->c->undelivered, 1);
	add(&s->c->failed, 1);
	add(&o->c.lost, 1);
	if (rule != NO_RULE)
		add(&o->rules[rule].lost, 1);
}

/* ---------------------------------------------------------------- queue */

/* Push into a sink's queue; false when full (internal alerts always fit: the queue grows). */
static bool sink_push(struct sink *s, struct item *it, bool internal)
{
	uint64_t cap = s->o->cfg.queue_capacity;
	bool ok = true;

	pthread_mutex_lock(&s->mu);
	if (!internal && cap && s->count >= cap) {
		ok = false;
	} else {
		if (s->count == s->qcap) {
			size_t ncap = s->qcap ? s->qcap * 2 : 1024;
			struct item **nq = malloc(ncap * sizeof(*nq));

			if (!nq) {
				pthread_mutex_unlock(&s->mu);
				return false;
			}
			for (size_t i = 0; i < s->count; i++)
				nq[i] = s->q[(s->head + i) % s->qcap];
			free(s->q);
			s->q = nq;
			s->qcap = ncap;
			s->head = 0;
		}
		s->q[(s->head + s->count) % s->qcap] = it;
		s->count++;
		atomic_store_explicit(&s->c->queued, s->count, memory_order_relaxed);
		pthread_cond_signal(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return ok;
}

/* Format once and queue to every enabled sink; losses are counted per sink and rule. */
static bool push_alert(struct outputs *o, const struct alert *a, uint32_t rule, bool internal,
		       struct obuf *t, struct obuf *j)
{
	struct item *it = item_make(o, a, t, j);
	int nsinks = 0, queued = 0;

	for (int k = 0; k < SINK_COUNT; k++)
		nsinks += o->sinks[k].on;
	if (!it) {
		for (int k = 0; k < SINK_COUNT; k++)
			if (o->sinks[k].on)
				count_lost(o, &o->sinks[k], rule, true);
		logf_(o, LOG_ERR, "out of memory formatting an alert of '%s': lost", a->rule);
		return false;
	}
	it->rule = rule;
	atomic_store(&it->refs, nsinks + 1); /* one for us while pushing */
	for (int k = 0; k < SINK_COUNT; k++) {
		struct sink *s = &o->sinks[k];

		if (!s->on)
			continue;
		if (sink_push(s, it, internal)) {
			queued++;
		} else {
			count_lost(o, s, rule, true);
			item_unref(it);
		}
	}
	item_unref(it);
	return queued == nsinks;
}

/* Token bucket: refill at rate per second up to max_burst; spend one per alert. */
static bool take_token(struct outputs *o, uint64_t now)
{
	if (o->cfg.rate <= 0)
		return true;
	if (o->last_ns)
		o->tokens += (now - o->last_ns) / 1e9 * o->cfg.rate;
	if (o->tokens > o->cfg.max_burst)
		o->tokens = o->cfg.max_burst;
	o->last_ns = now;
	if (o->tokens < 1)
		return false;
	o->tokens -= 1;
	return true;
}

bool outputs_emit(struct outputs *o, const struct alert *a, uint64_t now)
{
	uint32_t rule = rule_index(o, a->rule ? a->rule : "");

	add(&o->c.alerts, 1);
	if (!take_token(o, now)) {
		add(&o->c.throttled, 1);
		add(&o->rules[rule].throttled, 1);
		return false;
	}
	return push_alert(o, a, rule, false, &o->scratch_text, &o->scratch_json);
}

/* ------------------------------------------------------------- failures */

static void sink_failed(struct sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One failed attempt: logged when it starts an incident, always counted, retried after a backoff. */
static void sink_failed(struct sink *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	add(&s->c->errors, 1);
	if (!s->failing) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		s->failing = true;
		s->errors_at_incident = get(&s->c->errors) - 1;
		s->backoff_ms = BACKOFF_MIN_MS;
		add(&s->c->incidents, 1);
		logf_(s->o, LOG_ERR, "%s output: %s; alerts wait in its queue, retrying with backoff", sink_name(s->kind), msg);
	} else {
		s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s->backoff_ms * 2;
	}
	s->retry_at = now_ns() + s->backoff_ms * 1000000ull;
}

static void sink_recovered(struct sink *s)
{
	if (!s->failing)
		return;
	s->failing = false;
	logf_(s->o, LOG_NOTICE, "%s output: delivering again after %llu failed attempts", sink_name(s->kind),
	      (unsigned long long)(get(&s->c->errors) - s->errors_at_incident));
}

/* ------------------------------------------------------------- programs */

static int program_wait(struct sink *s);

/* Close the program's stdin and reap it (killed at once, or after IO_TIMEOUT_MS if it does not exit). */
static void program_close(struct sink *s, bool kill_it)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->pid > 0 && kill_it)
		kill(s->pid, SIGKILL);
	if (s->pid > 0)
		program_wait(s);
	s->pid = 0;
}

/* sh -c PROGRAM with its stdin on a non-blocking pipe of ours, SIGPIPE back to its default. */
static int program_open(struct sink *s)
{
	char *argv[] = { (char *)"sh", (char *)"-c", s->o->cfg.program, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t def;
	int fds[2], rc;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
	posix_spawnattr_init(&at);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&s->pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(fds[0]);
	if (rc) {
		close(fds[1]);
		s->pid = 0;
		return -rc;
	}
	s->fd = fds[1];
	fcntl(s->fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Write all of buf to a non-blocking fd, waiting at most IO_TIMEOUT_MS for room. */
static ssize_t write_timed(int fd, const char *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);
	struct pollfd p = { fd, POLLOUT, 0 };

	if (n >= 0 || errno != EAGAIN)
		return n;
	if (poll(&p, 1, IO_TIMEOUT_MS) <= 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	return write(fd, buf, len);
}

/* Wait for a per-alert program to end, killing it past the timeout; 0 when it exited 0. */
static int program_wait(struct sink *s)
{
	uint64_t until = now_ns() + IO_TIMEOUT_MS * 1000000ull;
	int st = 0;

	for (;;) {
		pid_t r = waitpid(s->pid, &st, WNOHANG);

		if (r == s->pid)
			break;
		if (r < 0 || now_ns() > until) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &st, 0);
			s->pid = 0;
			return -ETIMEDOUT;
		}
		usleep(1000);
	}
	s->pid = 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -ECHILD;
}

/* ---------------------------------------------------------- stream sinks */

static void file_close(struct sink *s)
{
	if (s->fd >= 0 && s->kind == SINK_FILE)
		close(s->fd);
	if (s->kind == SINK_FILE)
		s->fd = -1;
}

/* A kept-open file that was renamed or deleted under us, or a SIGUSR1: open the path again. */
static void file_check_rotated(struct sink *s)
{
	unsigned gen = atomic_load(&s->o->reopen_gen);
	struct stat st;

	if (s->fd < 0)
		return;
	if (gen != s->reopen_seen) {
		s->reopen_seen = gen;
		logf_(s->o, LOG_NOTICE, "file output: reopening '%s' (SIGUSR1)", s->o->cfg.file_filename);
		file_close(s);
	} else if (stat(s->o->cfg.file_filename, &st) || st.st_dev != s->dev || st.st_ino != s->ino) {
		logf_(s->o, LOG_NOTICE, "file output: '%s' was moved or deleted: reopening it", s->o->cfg.file_filename);
		file_close(s);
	}
}

static int stream_open(struct sink *s)
{
	struct stat st;
	int rc;

	if (s->fd >= 0)
		return 0;
	switch (s->kind) {
	case SINK_STDOUT:
		s->fd = STDOUT_FILENO;
		return 0;
	case SINK_FILE:
		s->fd = open(s->o->cfg.file_filename, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		if (s->fd < 0) {
			sink_failed(s, "cannot open '%s': %s", s->o->cfg.file_filename, strerror(errno));
			return -1;
		}
		if (!fstat(s->fd, &st)) {
			s->dev = st.st_dev;
			s->ino = st.st_ino;
		}
		s->reopen_seen = atomic_load(&s->o->reopen_gen);
		return 0;
	default:
		rc = program_open(s);
		if (rc)
			sink_failed(s, "cannot start '%s': %s", s->o->cfg.program, strerror(-rc));
		return rc;
	}
}

/* Release the held alerts whose bytes are all written. */
static void stream_release_written(struct sink *s)
{
	while (s->done < s->nheld && s->end[s->done] <= s->woff) {
		item_unref(s->held[s->done]);
		s->held[s->done++] = NULL;
		add(&s->c->sent, 1);
	}
}

static void stream_write_error(struct sink *s, int err)
{
	switch (s->kind) {
	case SINK_STDOUT:
		sink_failed(s, "cannot write: %s", strerror(err));
		break;
	case SINK_FILE:
		sink_failed(s, "cannot write '%s': %s", s->o->cfg.file_filename, strerror(err));
		file_close(s);
		break;
	default:
		if (err == ETIMEDOUT)
			sink_failed(s, "'%s' has not read its input for %d ms (hung?): killed, restarting it",
				    s->o->cfg.program, IO_TIMEOUT_MS);
		else
			sink_failed(s, "'%s' does not take input (exited?): %s", s->o->cfg.program, strerror(err));
		program_close(s, true);
	}
}

/* Write what is held in one go (the kernel may take it in parts); 0 when all of it is out. */
static int stream_deliver(struct sink *s)
{
	if (s->kind == SINK_FILE)
		file_check_rotated(s);
	if (stream_open(s))
		return -1;
	while (s->woff < s->out.len) {
		ssize_t n = s->kind == SINK_PROGRAM ? write_timed(s->fd, s->out.p + s->woff, s->out.len - s->woff)
						    : write(s->fd, s->out.p + s->woff, s->out.len - s->woff);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			stream_write_error(s, n < 0 ? errno : EIO);
			return -1;
		}
		s->woff += n;
		stream_release_written(s);
	}
	if (s->kind == SINK_FILE && !s->o->cfg.file_keep_alive)
		file_close(s);
	return 0;
}

/* --------------------------------------------------------- alert sinks */

static int syslog_send(struct sink *s, const struct item *it)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = SYSLOG_PATH };
	char head[64], stamp[32], *msg;
	time_t now = time(NULL);
	size_t len;
	const char *line = item_line(s, it, &len);
	struct tm tm;
	int n;

	if (s->fd < 0) {
		s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s->fd < 0 || connect(s->fd, (struct sockaddr *)&sa, sizeof(sa))) {
			sink_failed(s, "cannot reach '%s': %s", SYSLOG_PATH, strerror(errno));
			if (s->fd >= 0)
				close(s->fd);
			s->fd = -1;
			return -1;
		}
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	n = snprintf(head, sizeof(head), "<%d>%s saker[%d]: ", LOG_USER | it->level, stamp, (int)getpid());
	msg = malloc(n + len);
	if (!msg)
		return -1;
	memcpy(msg, head, n);
	memcpy(msg + n, line, len - 1);
	if (send(s->fd, msg, n + len - 1, MSG_NOSIGNAL) < 0) {
		sink_failed(s, "cannot send to '%s': %s", SYSLOG_PATH, strerror(errno));
		close(s->fd);
		s->fd = -1;
		free(msg);
		return -1;
	}
	free(msg);
	return 0;
}

static size_t discard(char *p, size_t sz, size_t n, void *u)
{
	(void)p;
	(void)u;
	return sz * n;
}

static void http_setup(struct sink *s)
{
	const struct output_opts *c = &s->o->cfg;

	curl_easy_setopt(s->curl, CURLOPT_URL, c->http_url);
	curl_easy_setopt(s->curl, CURLOPT_USERAGENT, c->http_user_agent ? c->http_user_agent : "saker");
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, (long)IO_TIMEOUT_MS);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, discard);
	if (c->http_insecure) {
		curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->http_ca_cert)
		curl_easy_setopt(s->curl, CURLOPT_CAINFO, c->http_ca_cert);
	if (c->http_ca_bundle)
		curl_easy_setopt(s->curl, CURLOPT_CAINFO, c->http_ca_bundle);
	if (c->http_ca_path)
		curl_easy_setopt(s->curl, CURLOPT_CAPATH, c->http_ca_path);
}

static int http_post(struct sink *s, const struct item *it)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	size_t len;
	const char *json = item_line(s, it, &len);
	long code = 0;
	CURLcode rc;

	if (!s->curl) {
		if (!(s->curl = curl_easy_init())) {
			curl_slist_free_all(h);
			sink_failed(s, "cannot set up libcurl");
			return -1;
		}
		http_setup(s);
	}
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE, (long)(len - 1));
	rc = curl_easy_perform(s->curl);
	curl_slist_free_all(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK || code >= 400) {
		char status[32];

		snprintf(status, sizeof(status), "HTTP status %ld", code);
		sink_failed(s, "POST '%s' failed: %s", s->o->cfg.http_url, rc != CURLE_OK ? curl_easy_strerror(rc) : status);
		return -1;
	}
	return 0;
}

/* A program started for one alert: the line on its stdin, then it must exit 0. */
static int program_once(struct sink *s, const struct item *it)
{
	size_t len;
	const char *line = item_line(s, it, &len);
	int rc = program_open(s);

	if (rc) {
		sink_failed(s, "cannot start '%s': %s", s->o->cfg.program, strerror(-rc));
		return -1;
	}
	if (write_timed(s->fd, line, len) != (ssize_t)len) {
		stream_write_error(s, errno);
		return -1;
	}
	close(s->fd);
	s->fd = -1;
	rc = program_wait(s);
	if (rc) {
		sink_failed(s, "'%s' %s", s->o->cfg.program, rc == -ETIMEDOUT ? "did not exit in time: killed" :
			    "exited with an error");
		return -1;
	}
	return 0;
}

static int alerts_deliver(struct sink *s)
{
	while (s->done < s->nheld) {
		const struct item *it = s->held[s->done];
		int rc = s->kind == SINK_SYSLOG ? syslog_send(s, it) : s->kind == SINK_HTTP ? http_post(s, it)
											   : program_once(s, it);

		if (rc)
			return -1;
		item_unref(s->held[s->done]);
		s->held[s->done++] = NULL;
		add(&s->c->sent, 1);
	}
	return 0;
}

/* --------------------------------------------------------- sink thread */

static bool is_stream(const struct sink *s)
{
	return s->kind == SINK_STDOUT || s->kind == SINK_FILE || (s->kind == SINK_PROGRAM && s->o->cfg.program_keep_alive);
}

static void held_reset(struct sink *s)
{
	s->nheld = s->done = 0;
	s->out.len = 0;
	s->woff = 0;
}

/* Move n taken items behind what is held (stream sinks copy their bytes into out). */
static void hold(struct sink *s, struct item **items, size_t n)
{
	if (!s->nheld)
		s->pending_since = now_ns();
	for (size_t i = 0; i < n; i++) {
		s->held[s->nheld] = items[i];
		if (is_stream(s)) {
			size_t len;
			const char *line = item_line(s, items[i], &len);

			obuf_add(&s->out, line, len);
			s->end[s->nheld] = s->out.len;
		}
		s->nheld++;
	}
}

/* Held alerts should go out now: unbuffered, enough bytes, old enough, full, or stopping. */
static bool due(const struct sink *s, uint64_t now, bool stop)
{
	if (!s->nheld)
		return false;
	if (s->failing)
		return stop || now >= s->retry_at;
	return !s->o->cfg.buffered_outputs || stop || s->nheld == BATCH_MAX || s->out.len >= FLUSH_BYTES ||
	       now >= s->pending_since + FLUSH_NS;
}

/* Wait until something is due, taking queued alerts meanwhile; false when stopped with nothing held. */
static bool sink_wait(struct sink *s)
{
	struct item *taken[BATCH_MAX];
	size_t n = 0;
	bool stop;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		uint64_t now = now_ns(), wake;
		struct timespec ts;

		stop = s->stop;
		if (s->count && s->nheld < BATCH_MAX && !s->failing) {
			n = s->count < BATCH_MAX - s->nheld ? s->count : BATCH_MAX - s->nheld;
			for (size_t i = 0; i < n; i++)
				taken[i] = s->q[(s->head + i) % s->qcap];
			s->head = (s->head + n) % s->qcap;
			s->count -= n;
			atomic_store_explicit(&s->c->queued, s->count, memory_order_relaxed);
			break;
		}
		if (due(s, now, stop) || (stop && !s->count))
			break;
		if (!s->nheld || (stop && !s->failing)) {
			pthread_cond_wait(&s->cv, &s->mu);
			continue;
		}
		wake = s->failing ? s->retry_at : s->pending_since + FLUSH_NS;
		ts = mono_deadline(wake);
		pthread_cond_timedwait(&s->cv, &s->mu, &ts);
	}
	pthread_mutex_unlock(&s->mu);
	hold(s, taken, n);
	return !(stop && !s->nheld && !n);
}

static void sink_deliver(struct sink *s)
{
	int rc = is_stream(s) ? stream_deliver(s) : alerts_deliver(s);

	if (!rc) {
		sink_recovered(s);
		held_reset(s);
	}
}

/* At exit: what a failing sink still holds, and what is queued past the deadline, is lost (counted). */
static void sink_finish(struct sink *s)
{
	for (size_t i = s->done; i < s->nheld; i++) {
		count_lost(s->o, s, s->held[i]->rule, false);
		item_unref(s->held[i]);
	}
	held_reset(s);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->count; i++) {
		struct item *it = s->q[(s->head + i) % s->qcap];

		count_lost(s->o, s, it->rule, false);
		item_unref(it);
	}
	s->count = 0;
	atomic_store_explicit(&s->c->queued, 0, memory_order_relaxed);
	pthread_mutex_unlock(&s->mu);
	if (s->kind == SINK_PROGRAM)
		program_close(s, false);
	else if (s->kind != SINK_STDOUT && s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->curl)
		curl_easy_cleanup(s->curl);
	s->curl = NULL;
}

static void *sink_main(void *arg)
{
	struct sink *s = arg;

	while (sink_wait(s)) {
		bool stop, late;

		pthread_mutex_lock(&s->mu);
		stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		late = stop && now_ns() > atomic_load(&s->o->deadline);
		if (stop && (late || s->failing)) {
			/* one last attempt for a failing sink, none past the deadline */
			if (!late)
				sink_deliver(s);
			if (s->failing || late)
				break;
			continue;
		}
		if (due(s, now_ns(), stop))
			sink_deliver(s);
	}
	sink_finish(s);
	return NULL;
}

/* ------------------------------------------------------------- reporter */

struct loss_report {
	uint64_t lost, throttled, queue_full[SINK_COUNT], undelivered[SINK_COUNT];
	const char *names[RULES_MAX];
	uint64_t lost_by[RULES_MAX], throttled_by[RULES_MAX];
	size_t nlost, nthrottled;
	const char *tnames[RULES_MAX];
};

/* What was lost or throttled since the last report, per sink and per rule. */
static void loss_delta(struct outputs *o, struct loss_report *r)
{
	size_t n = atomic_load_explicit(&o->nrules, memory_order_acquire);
	uint64_t thr = get(&o->c.throttled);

	memset(r, 0, offsetof(struct loss_report, names));
	r->nlost = r->nthrottled = 0;
	for (int k = 0; k < SINK_COUNT; k++) {
		struct sink *s = &o->sinks[k];
		uint64_t qf = get(&s->c->queue_full), ud = get(&s->c->undelivered);

		r->queue_full[k] = qf - s->seen_queue_full;
		r->undelivered[k] = ud - s->seen_undelivered;
		r->lost += r->queue_full[k] + r->undelivered[k];
		s->seen_queue_full = qf;
		s->seen_undelivered = ud;
	}
	r->throttled = thr - o->throttled_seen;
	o->throttled_seen = thr;
	for (size_t j = 0; j <= n && j < RULES_MAX; j++) {
		size_t i = j < n ? j : RULES_MAX - 1; /* the rules, then "other" */
		struct rule_loss *rl = &o->rules[i];
		uint64_t l = get(&rl->lost), t = get(&rl->throttled);
		const char *name = rl->name ? rl->name : "other rules";

		if (l != rl->lost_seen) {
			r->names[r->nlost] = name;
			r->lost_by[r->nlost++] = l - rl->lost_seen;
		}
		if (t != rl->throttled_seen) {
			r->tnames[r->nthrottled] = name;
			r->throttled_by[r->nthrottled++] = t - rl->throttled_seen;
		}
		rl->lost_seen = l;
		rl->throttled_seen = t;
	}
}

/* "file 4367 queue full, http 12 undelivered at exit" */
static void describe_sinks(const struct loss_report *r, struct obuf *b)
{
	char part[96];

	for (int k = 0; k < SINK_COUNT; k++) {
		if (r->queue_full[k]) {
			snprintf(part, sizeof(part), "%s%s %llu queue full", b->len ? ", " : "", sink_name(k),
				 (unsigned long long)r->queue_full[k]);
			obuf_puts(b, part);
		}
		if (r->undelivered[k]) {
			snprintf(part, sizeof(part), "%s%s %llu undelivered at exit", b->len ? ", " : "", sink_name(k),
				 (unsigned long long)r->undelivered[k]);
			obuf_puts(b, part);
		}
	}
}

static void describe_rules(const char *const *names, const uint64_t *counts, size_t n, struct obuf *b)
{
	char num[32];

	for (size_t i = 0; i < n; i++) {
		if (i == 20) {
			snprintf(num, sizeof(num), ", and %zu more rules", n - i);
			obuf_puts(b, num);
			break;
		}
		obuf_puts(b, i ? ", '" : "'");
		obuf_puts(b, names[i]);
		snprintf(num, sizeof(num), "' %llu", (unsigned long long)counts[i]);
		obuf_puts(b, num);
	}
}

/* Log the losses since the last report and, when asked, emit the internal alert about them. */
static void report(struct outputs *o, bool alert, const char *when)
{
	static struct loss_report r; /* the reporter thread's, then close's: never both at once */
	static char tag[] = "internal";
	char *tags[] = { tag };
	struct obuf msg = { 0 }, sinks = { 0 }, t = { 0 }, j = { 0 };
	char head[256];

	loss_delta(o, &r);
	if (!r.lost && !r.throttled)
		return;
	describe_sinks(&r, &sinks);
	snprintf(head, sizeof(head), "Falco internal: %llu alerts lost and %llu throttled %s.",
		 (unsigned long long)r.lost, (unsigned long long)r.throttled, when);
	obuf_puts(&msg, head);
	if (r.lost) {
		obuf_puts(&msg, " Lost (");
		obuf_puts(&msg, sinks.p ? sinks.p : "");
		obuf_puts(&msg, ") by rule: ");
		describe_rules(r.names, r.lost_by, r.nlost, &msg);
		obuf_puts(&msg, ".");
	}
	if (r.throttled) {
		obuf_puts(&msg, " Throttled by outputs.rate by rule: ");
		describe_rules(r.tnames, r.throttled_by, r.nthrottled, &msg);
		obuf_puts(&msg, ".");
	}
	add(&o->c.reports, 1);
	logf_(o, LOG_WARNING, "%s", msg.p ? msg.p : head);
	if (alert) {
		struct alert_fields *f = alert_fields_new();
		struct alert a = {
			.rule = INTERNAL_RULE, .priority = "Error", .syslog_level = LOG_ERR, .source = "internal",
			.tags = tags, .ntags = 1, .output = msg.p ? msg.p : head, .hostname = o->hostname, .fields = f,
		};
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		a.ts = ts.tv_sec * 1000000000ull + ts.tv_nsec;
		if (f) {
			alert_fields_add_number(f, "n_lost", (double)r.lost);
			alert_fields_add_number(f, "n_throttled", (double)r.throttled);
			alert_fields_add_counts(f, "lost_by_rule", r.names, r.lost_by, r.nlost);
			alert_fields_add_counts(f, "throttled_by_rule", r.tnames, r.throttled_by, r.nthrottled);
		}
		push_alert(o, &a, NO_RULE, true, &t, &j);
		alert_fields_free(f);
	}
	obuf_release(&msg);
	obuf_release(&sinks);
	obuf_release(&t);
	obuf_release(&j);
}

static void *reporter_main(void *arg)
{
	struct outputs *o = arg;
	uint64_t next = now_ns() + 1000000000ull;

	pthread_mutex_lock(&o->rmu);
	while (!o->reporter_stop) {
		struct timespec ts = mono_deadline(next);

		if (pthread_cond_timedwait(&o->rcv, &o->rmu, &ts) == ETIMEDOUT || now_ns() >= next) {
			pthread_mutex_unlock(&o->rmu);
			report(o, true, "in the last second");
			pthread_mutex_lock(&o->rmu);
			next = now_ns() + 1000000000ull;
		}
	}
	pthread_mutex_unlock(&o->rmu);
	report(o, true, "in the last second");
	return NULL;
}

/* ------------------------------------------------------------ lifecycle */

static bool sink_enabled(const struct output_opts *c, enum sink_kind k)
{
	switch (k) {
	case SINK_STDOUT: return c->stdout_enabled;
	case SINK_FILE: return c->file_enabled && c->file_filename;
	case SINK_PROGRAM: return c->program_enabled && c->program;
	case SINK_SYSLOG: return c->syslog_enabled;
	case SINK_HTTP: return c->http_enabled && c->http_url;
	default: return false;
	}
}

static int start_threads(struct outputs *o)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&o->rmu, NULL);
	pthread_cond_init(&o->rcv, &ca);
	for (int k = 0; k < SINK_COUNT; k++) {
		struct sink *s = &o->sinks[k];

		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, &ca);
		if (s->on && pthread_create(&s->thread, NULL, sink_main, s))
			return -1;
		s->started = s->on;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&o->reporter, NULL, reporter_main, o))
		return -1;
	o->reporter_started = true;
	return 0;
}

struct outputs *outputs_new(const struct output_opts *opts, output_log_fn log, char *err, size_t n)
{
	struct outputs *o = calloc(1, sizeof(*o));

	if (!o || output_opts_copy(&o->cfg, opts) || !(o->rule_slots = malloc(2 * RULES_MAX * sizeof(uint32_t)))) {
		snprintf(err, n, "out of memory");
		if (o)
			output_opts_release(&o->cfg);
		free(o);
		return NULL;
	}
	memset(o->rule_slots, 0xff, 2 * RULES_MAX * sizeof(uint32_t));
	o->log = log;
	o->tokens = opts->max_burst;
	atomic_store(&o->deadline, UINT64_MAX);
	if (gethostname(o->hostname, sizeof(o->hostname) - 1))
		snprintf(o->hostname, sizeof(o->hostname), "localhost");
	for (int k = 0; k < SINK_COUNT; k++) {
		o->sinks[k] = (struct sink){ .o = o, .kind = k, .c = &o->c.sink[k], .fd = -1 };
		o->sinks[k].on = sink_enabled(opts, k);
		if (o->sinks[k].on && (k == SINK_HTTP || opts->json_output))
			o->need_json = true;
		if (o->sinks[k].on && k != SINK_HTTP && !opts->json_output)
			o->need_text = true;
	}
	signal(SIGPIPE, SIG_IGN);
	if (o->sinks[SINK_HTTP].on)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	if (start_threads(o)) {
		snprintf(err, n, "cannot start the output threads");
		outputs_close(o);
		outputs_free(o);
		return NULL;
	}
	return o;
}

void outputs_set_hostname(struct outputs *o, const char *hostname)
{
	pthread_mutex_lock(&o->rmu);
	snprintf(o->hostname, sizeof(o->hostname), "%s", hostname);
	pthread_mutex_unlock(&o->rmu);
}

void outputs_reopen(struct outputs *o)
{
	atomic_fetch_add(&o->reopen_gen, 1);
}

const struct output_counters *outputs_counters(const struct outputs *o)
{
	return &o->c;
}

void outputs_stats(struct outputs *o, struct output_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->alerts = get(&o->c.alerts);
	out->throttled = get(&o->c.throttled);
	out->lost = get(&o->c.lost);
	out->reports = get(&o->c.reports);
	for (int k = 0; k < SINK_COUNT; k++) {
		struct output_sink_counters *c = &o->c.sink[k];

		out->sink[k].enabled = o->sinks[k].on;
		out->sink[k].sent = get(&c->sent);
		out->sink[k].failed = get(&c->failed);
		out->sink[k].queue_full = get(&c->queue_full);
		out->sink[k].undelivered = get(&c->undelivered);
		out->sink[k].errors = get(&c->errors);
		out->sink[k].incidents = get(&c->incidents);
		out->sink[k].queued = get(&c->queued);
	}
}

void outputs_rule_losses(struct outputs *o, void (*fn)(void *ctx, const char *rule, uint64_t lost, uint64_t throttled),
			 void *ctx)
{
	size_t n = atomic_load_explicit(&o->nrules, memory_order_acquire);

	for (size_t i = 0; i < n; i++) {
		uint64_t l = get(&o->rules[i].lost), t = get(&o->rules[i].throttled);

		if (l || t)
			fn(ctx, o->rules[i].name, l, t);
	}
	if (get(&o->rules[RULES_MAX - 1].lost) || get(&o->rules[RULES_MAX - 1].throttled))
		fn(ctx, "other rules", get(&o->rules[RULES_MAX - 1].lost), get(&o->rules[RULES_MAX - 1].throttled));
}

void outputs_close(struct outputs *o)
{
	if (!o)
		return;
	if (o->reporter_started) {
		pthread_mutex_lock(&o->rmu);
		o->reporter_stop = true;
		pthread_cond_signal(&o->rcv);
		pthread_mutex_unlock(&o->rmu);
		pthread_join(o->reporter, NULL);
		o->reporter_started = false;
	}
	atomic_store(&o->deadline, now_ns() + EXIT_GRACE_NS);
	for (int k = 0; k < SINK_COUNT; k++) {
		struct sink *s = &o->sinks[k];

		if (!s->started)
			continue;
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	for (int k = 0; k < SINK_COUNT; k++)
		if (o->sinks[k].started) {
			pthread_join(o->sinks[k].thread, NULL);
			o->sinks[k].started = false;
		}
	report(o, false, "at exit");
}

void outputs_free(struct outputs *o)
{
	if (!o)
		return;
	for (int k = 0; k < SINK_COUNT; k++) {
		free(o->sinks[k].q);
		obuf_release(&o->sinks[k].out);
		pthread_mutex_destroy(&o->sinks[k].mu);
		pthread_cond_destroy(&o->sinks[k].cv);
	}
	for (size_t i = 0; i < RULES_MAX; i++)
		free(o->rules[i].name);
	if (o->sinks[SINK_HTTP].on)
		curl_global_cleanup();
	obuf_release(&o->scratch_text);
	obuf_release(&o->scratch_json);
	free(o->rule_slots);
	output_opts_release(&o->cfg);
	free(o);
}
