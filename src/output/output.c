// SPDX-License-Identifier: Apache-2.0
/*
 * The output thread and its sinks. The event thread formats alerts and
 * pushes them into a bounded ring (mutex + condition variable); the output
 * thread pops and writes each alert to every enabled sink. Rate limiting is
 * a token bucket (outputs.rate per second, outputs.max_burst tokens).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "output/output.h"

#define QUEUE_CAP 4096
#define RETRIES 3

struct item {
	char *text;
	char *json;
	int level;
};

struct outputs {
	struct output_opts cfg;
	output_log_fn log;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item q[QUEUE_CAP];
	size_t head, count;
	bool stop;
	struct output_stats st;
	double tokens;
	uint64_t last_ns;
	FILE *file;
	FILE *prog;
	pid_t prog_pid;
	CURL *curl;
	uint64_t backoff_until_ns[SINK_COUNT];
	unsigned backoff_ms[SINK_COUNT];
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

static void logf_(struct outputs *o, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void logf_(struct outputs *o, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->log)
		o->log(level, msg);
}

/* ----------------------------------------------------------------- sinks */

static int sink_file(struct outputs *o, const char *line)
{
	FILE *f = o->file;

	if (!f) {
		f = fopen(o->cfg.file_filename, "ae");
		if (!f) {
			logf_(o, LOG_ERR, "file output: cannot open '%s': %s", o->cfg.file_filename, strerror(errno));
			return -1;
		}
	}
	if (fprintf(f, "%s\n", line) < 0 || (!o->cfg.buffered_outputs ? fflush(f) : 0)) {
		logf_(o, LOG_ERR, "file output: cannot write '%s': %s", o->cfg.file_filename, strerror(errno));
		fclose(f);
		o->file = NULL;
		return -1;
	}
	if (o->cfg.file_keep_alive)
		o->file = f;
	else
		fclose(f);
	return 0;
}

static void program_close(struct outputs *o)
{
	if (!o->prog)
		return;
	fclose(o->prog);
	o->prog = NULL;
	if (o->prog_pid > 0)
		waitpid(o->prog_pid, NULL, 0);
	o->prog_pid = 0;
}

static int program_open(struct outputs *o)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		execl("/bin/sh", "sh", "-c", o->cfg.program, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	o->prog = fdopen(fds[1], "w");
	o->prog_pid = pid;
	return o->prog ? 0 : -1;
}

static int sink_program(struct outputs *o, const char *line)
{
	int rc = 0;

	if (!o->prog && program_open(o)) {
		logf_(o, LOG_ERR, "program output: cannot start '%s': %s", o->cfg.program, strerror(errno));
		return -1;
	}
	if (fprintf(o->prog, "%s\n", line) < 0 || fflush(o->prog)) {
		logf_(o, LOG_ERR, "program output: '%s' does not take input (exited?)", o->cfg.program);
		rc = -1;
	}
	if (rc || !o->cfg.program_keep_alive)
		program_close(o);
	return rc;
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
	(void)p;
	(void)u;
	return s * n;
}

static int sink_http(struct outputs *o, const char *json)
{
	struct curl_slist *h = NULL;
	long code = 0;
	CURLcode rc;

	if (!o->curl && !(o->curl = curl_easy_init()))
		return -1;
	curl_easy_reset(o->curl);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(o->curl, CURLOPT_URL, o->cfg.http_url);
	curl_easy_setopt(o->curl, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(o->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(o->curl, CURLOPT_USERAGENT, o->cfg.http_user_agent ? o->cfg.http_user_agent : "saker");
	curl_easy_setopt(o->curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(o->curl, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(o->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(o->curl, CURLOPT_WRITEFUNCTION, discard);
	if (o->cfg.http_insecure) {
		curl_easy_setopt(o->curl, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(o->curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o->cfg.http_ca_cert)
		curl_easy_setopt(o->curl, CURLOPT_CAINFO, o->cfg.http_ca_cert);
	if (o->cfg.http_ca_bundle)
		curl_easy_setopt(o->curl, CURLOPT_CAINFO, o->cfg.http_ca_bundle);
	if (o->cfg.http_ca_path)
		curl_easy_setopt(o->curl, CURLOPT_CAPATH, o->cfg.http_ca_path);
	rc = curl_easy_perform(o->curl);
	curl_slist_free_all(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(o->curl, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK || code >= 400) {
		logf_(o, LOG_ERR, "http output: POST '%s' failed: %s", o->cfg.http_url,
		      rc != CURLE_OK ? curl_easy_strerror(rc) : "HTTP error status");
		return -1;
	}
	return 0;
}

/* Deliver to one sink, with a few retries and a growing backoff on failure. */
static void deliver(struct outputs *o, enum sink_kind k, const struct item *it)
{
	int rc = -1;

	if (o->backoff_until_ns[k] > now_ns()) {
		o->st.failed[k]++;
		return;
	}
	for (int attempt = 0; attempt < RETRIES && rc; attempt++) {
		if (attempt)
			usleep(10000u << attempt);
		switch (k) {
		case SINK_STDOUT:
			rc = fprintf(stdout, "%s\n", o->cfg.json_output ? it->json : it->text) < 0 ? -1 : 0;
			if (!o->cfg.buffered_outputs)
				fflush(stdout);
			break;
		case SINK_FILE: rc = sink_file(o, o->cfg.json_output ? it->json : it->text); break;
		case SINK_PROGRAM: rc = sink_program(o, o->cfg.json_output ? it->json : it->text); break;
		case SINK_SYSLOG: syslog(LOG_USER | it->level, "%s", o->cfg.json_output ? it->json : it->text); rc = 0; break;
		case SINK_HTTP: rc = sink_http(o, it->json); break;
		default: break;
		}
	}
	if (rc) {
		o->st.failed[k]++;
		o->backoff_ms[k] = o->backoff_ms[k] ? (o->backoff_ms[k] * 2 > 30000 ? 30000 : o->backoff_ms[k] * 2) : 100;
		o->backoff_until_ns[k] = now_ns() + o->backoff_ms[k] * 1000000ull;
	} else {
		o->st.sent[k]++;
		o->backoff_ms[k] = 0;
	}
}

static bool sink_on(const struct outputs *o, enum sink_kind k)
{
	switch (k) {
	case SINK_STDOUT: return o->cfg.stdout_enabled;
	case SINK_FILE: return o->cfg.file_enabled && o->cfg.file_filename;
	case SINK_PROGRAM: return o->cfg.program_enabled && o->cfg.program;
	case SINK_SYSLOG: return o->cfg.syslog_enabled;
	case SINK_HTTP: return o->cfg.http_enabled && o->cfg.http_url;
	default: return false;
	}
}

static void *output_thread(void *arg)
{
	struct outputs *o = arg;

	pthread_mutex_lock(&o->mu);
	for (;;) {
		struct item it;

		while (!o->count && !o->stop)
			pthread_cond_wait(&o->cv, &o->mu);
		if (!o->count && o->stop)
			break;
		it = o->q[o->head];
		o->head = (o->head + 1) % QUEUE_CAP;
		o->count--;
		pthread_mutex_unlock(&o->mu);
		for (int k = 0; k < SINK_COUNT; k++)
			if (sink_on(o, k))
				deliver(o, k, &it);
		free(it.text);
		free(it.json);
		pthread_mutex_lock(&o->mu);
	}
	pthread_mutex_unlock(&o->mu);
	return NULL;
}

struct outputs *outputs_new(const struct output_opts *opts, output_log_fn log, char *err, size_t n)
{
	struct outputs *o = calloc(1, sizeof(*o));

	if (!o || output_opts_copy(&o->cfg, opts)) {
		snprintf(err, n, "out of memory");
		free(o);
		return NULL;
	}
	o->log = log;
	o->tokens = opts->max_burst;
	signal(SIGPIPE, SIG_IGN);
	if (opts->syslog_enabled)
		openlog("saker", LOG_PID, LOG_USER);
	if (opts->http_enabled)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	pthread_mutex_init(&o->mu, NULL);
	pthread_cond_init(&o->cv, NULL);
	if (pthread_create(&o->thread, NULL, output_thread, o)) {
		snprintf(err, n, "cannot start the output thread");
		output_opts_release(&o->cfg);
		free(o);
		return NULL;
	}
	return o;
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

/* Queue a formatted alert (text and json are taken over); false when throttled or full. */
static bool enqueue(struct outputs *o, char *text, char *json, int level, uint64_t now)
{
	bool ok = false;

	pthread_mutex_lock(&o->mu);
	if (!take_token(o, now)) {
		o->st.throttled++;
	} else if (o->count == QUEUE_CAP) {
		o->st.queue_overflow++;
	} else {
		struct item *it = &o->q[(o->head + o->count) % QUEUE_CAP];

		it->text = text;
		it->json = json;
		it->level = level;
		o->count++;
		o->st.queued++;
		ok = true;
		pthread_cond_signal(&o->cv);
	}
	pthread_mutex_unlock(&o->mu);
	if (!ok) {
		free(text);
		free(json);
	}
	return ok;
}

bool outputs_emit(struct outputs *o, const struct alert *a, uint64_t now)
{
	char line[16384];
	char *json;

	alert_format_text(&o->cfg, a, line, sizeof(line));
	json = alert_format_json(&o->cfg, a);
	return enqueue(o, strdup(line), json ? json : strdup(line), a->syslog_level, now);
}

void outputs_stats(struct outputs *o, struct output_stats *out)
{
	pthread_mutex_lock(&o->mu);
	*out = o->st;
	pthread_mutex_unlock(&o->mu);
}

void outputs_close(struct outputs *o, struct output_stats *final)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->mu);
	o->stop = true;
	pthread_cond_signal(&o->cv);
	pthread_mutex_unlock(&o->mu);
	pthread_join(o->thread, NULL);
	fflush(stdout);
	if (final)
		*final = o->st;
	if (o->file)
		fclose(o->file);
	program_close(o);
	if (o->curl)
		curl_easy_cleanup(o->curl);
	if (o->cfg.http_enabled)
		curl_global_cleanup();
	if (o->cfg.syslog_enabled)
		closelog();
	output_opts_release(&o->cfg);
	pthread_mutex_destroy(&o->mu);
	pthread_cond_destroy(&o->cv);
	free(o);
}
