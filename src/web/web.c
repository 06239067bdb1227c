// SPDX-License-Identifier: Apache-2.0
/*
 * Health and metrics over HTTP with libmicrohttpd's internal polling thread.
 * We bind the socket ourselves so a bad address or a port in use is a clear
 * startup error, then hand it to the daemon.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "web/web.h"

struct web {
	struct MHD_Daemon *daemon;
	int fd;
	char healthz[256];
	bool metrics;
	uint64_t stall_ns;
	uint64_t heartbeat;        /* atomic: mono ns of the last event-loop turn, 0 before capture */
	pthread_mutex_t mu;        /* guards text; the event thread only trylocks it */
	char *text;
	size_t len, cap;
	double start_time;
};

static uint64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void prom_family(struct strbuf *sb, const char *name, const char *type, const char *help)
{
	strbuf_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prom_escape(struct strbuf *sb, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			strbuf_putc(sb, '\\'), strbuf_putc(sb, *v);
		else if (*v == '\n')
			strbuf_puts(sb, "\\n");
		else
			strbuf_putc(sb, *v);
	}
}

void prom_sample(struct strbuf *sb, const char *name, double value, ...)
{
	const char *k;
	va_list ap;
	int n = 0;

	strbuf_puts(sb, name);
	va_start(ap, value);
	while ((k = va_arg(ap, const char *))) {
		strbuf_puts(sb, n++ ? ",": "{");
		strbuf_printf(sb, "%s=\"", k);
		prom_escape(sb, va_arg(ap, const char *));
		strbuf_putc(sb, '"');
	}
	va_end(ap);
	strbuf_printf(sb, "%s %.17g\n", n ? "}" : "", value);
}

/* process_* families as Prometheus client libraries name them. */
static void process_metrics(struct web *w, struct strbuf *sb)
{
	struct rusage ru;
	long rss_pages = 0, vm_pages = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (f) {
		if (fscanf(f, "%ld %ld", &vm_pages, &rss_pages) != 2)
			vm_pages = rss_pages = 0;
		fclose(f);
	}
	getrusage(RUSAGE_SELF, &ru);
	prom_family(sb, "process_cpu_seconds_total", "counter", "user and system CPU time of saker in seconds");
	prom_sample(sb, "process_cpu_seconds_total", ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6, NULL);
	prom_family(sb, "process_resident_memory_bytes", "gauge", "resident memory of saker in bytes");
	prom_sample(sb, "process_resident_memory_bytes", (double)rss_pages * sysconf(_SC_PAGESIZE), NULL);
	prom_family(sb, "process_virtual_memory_bytes", "gauge", "virtual memory of saker in bytes");
	prom_sample(sb, "process_virtual_memory_bytes", (double)vm_pages * sysconf(_SC_PAGESIZE), NULL);
	prom_family(sb, "process_start_time_seconds", "gauge", "start time of saker since the epoch in seconds");
	prom_sample(sb, "process_start_time_seconds", w->start_time, NULL);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, const char *body,
			     size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result healthz(struct web *w, struct MHD_Connection *c)
{
	uint64_t hb = __atomic_load_n(&w->heartbeat, __ATOMIC_ACQUIRE), now = mono_now();
	char body[160];

	if (!hb)
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "application/json",
			     "{\"status\": \"starting\"}\n", 23);
	if (now > hb && now - hb > w->stall_ns) {
		snprintf(body, sizeof(body), "{\"status\": \"stalled\", \"seconds_since_heartbeat\": %.1f}\n",
			 (double)(now - hb) / 1e9);
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "application/json", body, strlen(body));
	}
	return reply(c, MHD_HTTP_OK, "application/json", "{\"status\": \"ok\"}\n", 17);
}

static enum MHD_Result metrics(struct web *w, struct MHD_Connection *c)
{
	struct strbuf sb;
	size_t cap;
	char *buf;
	enum MHD_Result ret;

	pthread_mutex_lock(&w->mu);
	cap = w->len + 4096;
	buf = malloc(cap);
	if (!buf) {
		pthread_mutex_unlock(&w->mu);
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "out of memory\n", 14);
	}
	strbuf_init(&sb, buf, cap);
	if (w->text)
		strbuf_add(&sb, w->text, w->len);
	pthread_mutex_unlock(&w->mu);
	process_metrics(w, &sb);
	ret = reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", sb.buf, sb.len);
	free(buf);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct web *w = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n", 19);
	if (!strcmp(url, w->healthz))
		return healthz(w, c);
	if (w->metrics && !strcmp(url, "/metrics"))
		return metrics(w, c);
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", 10);
}

/* A listening socket on address:port, or -errno with the reason in err. */
static int listen_on(const char *addr, long port, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE };
	struct addrinfo *ai = NULL;
	char ports[16];
	int fd = -1, one = 1, rc;

	if (port < 1 || port > 65535) {
		snprintf(err, errlen, "webserver.listen_port %ld is not a port (1 to 65535)", port);
		return -EINVAL;
	}
	snprintf(ports, sizeof(ports), "%ld", port);
	rc = getaddrinfo(addr, ports, &hints, &ai);
	if (rc) {
		snprintf(err, errlen, "webserver.listen_address '%s' is not a numeric IPv4 or IPv6 address: %s",
			 addr, gai_strerror(rc));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		rc = -errno;
		snprintf(err, errlen, "web server cannot listen on %s%s%s:%ld: %s", strchr(addr, ':') ? "[" : "", addr,
			 strchr(addr, ':') ? "]" : "", port, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = rc;
	}
	freeaddrinfo(ai);
	return fd;
}

int web_start(struct web **out, const struct web_opts *o, char *err, size_t errlen)
{
	struct web *w = calloc(1, sizeof(*w));
	const char *addr = o->listen_address && *o->listen_address ? o->listen_address : "0.0.0.0";

	*out = NULL;
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	w->fd = listen_on(addr, o->listen_port, err, errlen);
	if (w->fd < 0) {
		int rc = w->fd;

		free(w);
		return rc;
	}
	snprintf(w->healthz, sizeof(w->healthz), "%s", o->healthz_path && *o->healthz_path ? o->healthz_path : "/healthz");
	w->metrics = o->metrics;
	w->stall_ns = (uint64_t)(o->stall_ms ? o->stall_ms : 10000) * 1000000ull;
	w->start_time = (double)time(NULL);
	pthread_mutex_init(&w->mu, NULL);
	w->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, on_request, w,
				     MHD_OPTION_LISTEN_SOCKET, w->fd, MHD_OPTION_CONNECTION_LIMIT, 32,
				     MHD_OPTION_CONNECTION_TIMEOUT, 10, MHD_OPTION_END);
	if (!w->daemon) {
		snprintf(err, errlen, "web server on %s:%ld did not start", addr, o->listen_port);
		close(w->fd);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return -EIO;
	}
	*out = w;
	return 0;
}

void web_free(struct web *w)
{
	if (!w)
		return;
	MHD_stop_daemon(w->daemon); /* closes the listening socket it was given */
	pthread_mutex_destroy(&w->mu);
	free(w->text);
	free(w);
}

void web_heartbeat(struct web *w, uint64_t mono_ns)
{
	if (w)
		__atomic_store_n(&w->heartbeat, mono_ns ? mono_ns : 1, __ATOMIC_RELEASE);
}

void web_publish_metrics(struct web *w, const char *text, size_t len)
{
	if (!w || pthread_mutex_trylock(&w->mu))
		return;
	if (len + 1 > w->cap) {
		char *t = realloc(w->text, len + 1);

		if (!t) {
			pthread_mutex_unlock(&w->mu);
			return;
		}
		w->text = t;
		w->cap = len + 1;
	}
	memcpy(w->text, text, len);
	w->text[len] = '\0';
	w->len = len;
	pthread_mutex_unlock(&w->mu);
}
