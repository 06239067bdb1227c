// SPDX-License-Identifier: Apache-2.0
/*
 * The metadata thread: takes container ids off a request queue, asks the
 * enabled runtimes' sockets in turn (the one the cgroup path names first),
 * and leaves the answer on a result list for the event thread. A socket that
 * is absent is skipped quietly; one that answers badly is logged once; one
 * that timed out is left alone for a while so a hung runtime costs one
 * timeout per back-off period, not one per container.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "runtime/runtime_internal.h"

#define BACKOFF_NS (30ull * 1000000000ull)
#define MAX_QUEUE 4096

struct item {
	char id[72];
	int hint;
	char *json;            /* result: the document, or NULL when unknown */
	struct item *next;
};

struct sock {
	char path[512];
	enum runtime_api api;
	enum runtime_type type;
	bool logged;           /* its error was logged */
	uint64_t skip_until;   /* back-off after a timeout */
};

struct runtime {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct item *queue, **queue_tail;
	size_t nqueue;
	struct item *results;
	atomic_bool has_results;
	bool stop;
	struct sock *socks;
	size_t nsocks;
	unsigned timeout_ms;
	void (*log)(const char *msg);
	struct runtime_stats st;
	char current[16];      /* id being looked up, "" when idle */
};

uint64_t runtime_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static char **strv(const char *const *v)
{
	size_t n = 0;
	char **out;

	while (v[n])
		n++;
	out = calloc(n + 1, sizeof(*out));
	for (size_t i = 0; out && i < n; i++)
		out[i] = strdup(v[i]);
	return out;
}

static size_t strv_len(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

void runtime_opts_defaults(struct runtime_opts *o)
{
	static const char *const docker[] = { "/var/run/docker.sock", NULL };
	static const char *const podman[] = { "/run/podman/podman.sock", NULL };
	static const char *const cri[] = { "/run/containerd/containerd.sock", "/run/crio/crio.sock",
					   "/run/k3s/containerd/containerd.sock", NULL };

	memset(o, 0, sizeof(*o));
	o->engines[0] = (struct runtime_engine){ API_DOCKER, RT_DOCKER, "docker", true, strv(docker), 1 };
	o->engines[1] = (struct runtime_engine){ API_DOCKER, RT_PODMAN, "podman", true, strv(podman), 1 };
	o->engines[2] = (struct runtime_engine){ API_CRI, RT_CRI, "cri", true, strv(cri), 3 };
	for (size_t i = 0; i < 3; i++)
		o->engines[i].nsockets = strv_len(o->engines[i].sockets);
	o->nengines = 3;
	o->host_root = "";
	o->timeout_ms = 1000;
}

static void rt_log(struct runtime *rt, struct sock *s, const char *what, const char *err)
{
	char msg[1024];

	if (s->logged || !rt->log)
		return;
	s->logged = true;
	snprintf(msg, sizeof(msg), "container runtime socket '%s' %s: %s (logged once)", s->path, what, err);
	rt->log(msg);
}

static bool engine_first(const struct sock *s, int hint)
{
	if (hint < 0)
		return false;
	if (hint == RT_CRI || hint == RT_CONTAINERD || hint == RT_CRIO)
		return s->api == API_CRI;
	return (int)s->type == hint;
}

/* Ask one socket; LOOKUP_* result, *out set when found. */
static int ask(struct runtime *rt, CURL *c, struct sock *s, const char *id, cJSON **out)
{
	char err[512] = "";
	struct stat sb;
	uint64_t now = runtime_now_ns();
	int rc;

	if (s->skip_until > now || stat(s->path, &sb) || !S_ISSOCK(sb.st_mode))
		return LOOKUP_UNKNOWN;
	curl_easy_reset(c);
	if (s->api == API_DOCKER)
		rc = docker_lookup(c, s->path, s->type, id, rt->timeout_ms, out, err, sizeof(err));
	else
		rc = cri_lookup(c, s->path, id, rt->timeout_ms, out, err, sizeof(err));
	if (rc == LOOKUP_TIMEOUT) {
		s->skip_until = runtime_now_ns() + BACKOFF_NS;
		rt->st.timeouts++;
		rt_log(rt, s, "did not answer in time", err);
	} else if (rc == LOOKUP_ERROR) {
		rt->st.errors++;
		rt_log(rt, s, "answered badly", err);
	}
	return rc;
}

static char *lookup(struct runtime *rt, CURL *c, const char *id, int hint)
{
	cJSON *doc = NULL;
	char *json = NULL;

	/* two passes: the engine the cgroup names, then the others */
	for (int pass = 0; pass < 2 && !doc; pass++)
		for (size_t i = 0; i < rt->nsocks && !doc; i++)
			if (engine_first(&rt->socks[i], hint) == (pass == 0) &&
			    ask(rt, c, &rt->socks[i], id, &doc) != LOOKUP_FOUND)
				doc = NULL;
	if (doc) {
		json = cJSON_PrintUnformatted(doc);
		cJSON_Delete(doc);
	}
	return json;
}

static void *thread_main(void *arg)
{
	struct runtime *rt = arg;
	CURL *c = curl_easy_init();

	pthread_mutex_lock(&rt->mu);
	while (!rt->stop) {
		struct item *it = rt->queue;
		uint64_t t0, dt;

		if (!it) {
			pthread_cond_wait(&rt->work, &rt->mu);
			continue;
		}
		rt->queue = it->next;
		if (!rt->queue)
			rt->queue_tail = &rt->queue;
		rt->nqueue--;
		snprintf(rt->current, sizeof(rt->current), "%.12s", it->id);
		pthread_mutex_unlock(&rt->mu);
		t0 = runtime_now_ns();
		it->json = c ? lookup(rt, c, it->id, it->hint) : NULL;
		dt = runtime_now_ns() - t0;
		pthread_mutex_lock(&rt->mu);
		rt->st.requests++;
		rt->st.lookup_ns_total += dt;
		if (dt > rt->st.lookup_ns_max)
			rt->st.lookup_ns_max = dt;
		if (it->json)
			rt->st.found++;
		else
			rt->st.not_found++;
		rt->current[0] = 0;
		it->next = rt->results;
		rt->results = it;
		atomic_store(&rt->has_results, true);
		pthread_cond_broadcast(&rt->done);
	}
	pthread_mutex_unlock(&rt->mu);
	curl_easy_cleanup(c);
	return NULL;
}

static int add_sockets(struct runtime *rt, const struct runtime_opts *o)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nengines; i++)
		n += o->engines[i].enabled ? o->engines[i].nsockets : 0;
	if (!n || !(rt->socks = calloc(n, sizeof(*rt->socks))))
		return -1;
	for (size_t i = 0; i < o->nengines; i++) {
		const struct runtime_engine *e = &o->engines[i];

		for (size_t j = 0; e->enabled && j < e->nsockets; j++) {
			struct sock *s = &rt->socks[rt->nsocks++];
			const char *p = e->sockets[j];

			if (!strncmp(p, "unix://", 7))
				p += 7;
			snprintf(s->path, sizeof(s->path), "%s%s", o->host_root ? o->host_root : "", p);
			s->api = e->api;
			s->type = e->type;
		}
	}
	return 0;
}

struct runtime *runtime_new(const struct runtime_opts *o)
{
	struct runtime *rt = calloc(1, sizeof(*rt));

	if (!rt)
		return NULL;
	if (add_sockets(rt, o)) {
		free(rt);
		return NULL;
	}
	rt->timeout_ms = o->timeout_ms ? o->timeout_ms : 1000;
	rt->log = o->log;
	rt->queue_tail = &rt->queue;
	pthread_mutex_init(&rt->mu, NULL);
	pthread_cond_init(&rt->work, NULL);
	pthread_cond_init(&rt->done, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (pthread_create(&rt->thread, NULL, thread_main, rt)) {
		free(rt->socks);
		free(rt);
		return NULL;
	}
	return rt;
}

static void items_free(struct item *it)
{
	for (struct item *n; it; it = n) {
		n = it->next;
		free(it->json);
		free(it);
	}
}

void runtime_free(struct runtime *rt)
{
	if (!rt)
		return;
	pthread_mutex_lock(&rt->mu);
	rt->stop = true;
	pthread_cond_broadcast(&rt->work);
	pthread_mutex_unlock(&rt->mu);
	pthread_join(rt->thread, NULL);
	items_free(rt->queue);
	items_free(rt->results);
	pthread_mutex_destroy(&rt->mu);
	pthread_cond_destroy(&rt->work);
	pthread_cond_destroy(&rt->done);
	free(rt->socks);
	free(rt);
}

void runtime_request(struct runtime *rt, const char *id, int type_hint)
{
	struct item *it;

	if (!rt || !id || !*id)
		return;
	pthread_mutex_lock(&rt->mu);
	if (rt->nqueue < MAX_QUEUE && (it = calloc(1, sizeof(*it)))) {
		snprintf(it->id, sizeof(it->id), "%s", id);
		it->hint = type_hint;
		*rt->queue_tail = it;
		rt->queue_tail = &it->next;
		rt->nqueue++;
		pthread_cond_signal(&rt->work);
	}
	pthread_mutex_unlock(&rt->mu);
}

bool runtime_pending_results(struct runtime *rt)
{
	return rt && atomic_load_explicit(&rt->has_results, memory_order_relaxed);
}

void runtime_take(struct runtime *rt, void (*fn)(void *ctx, const char *id, const char *json), void *ctx)
{
	struct item *list, *rev = NULL;

	if (!rt)
		return;
	pthread_mutex_lock(&rt->mu);
	list = rt->results;
	rt->results = NULL;
	atomic_store(&rt->has_results, false);
	pthread_mutex_unlock(&rt->mu);
	/* oldest first */
	for (struct item *n; list; list = n) {
		n = list->next;
		list->next = rev;
		rev = list;
	}
	for (struct item *it = rev; it; it = it->next) {
		char id[16];

		snprintf(id, sizeof(id), "%.12s", it->id);
		fn(ctx, id, it->json);
	}
	items_free(rev);
}

static bool finished_locked(struct runtime *rt, const char *id)
{
	for (struct item *it = rt->results; it; it = it->next)
		if (!strncmp(it->id, id, 12))
			return true;
	return false;
}

bool runtime_wait(struct runtime *rt, const char *id, uint64_t deadline_ns)
{
	struct timespec ts;
	bool done;

	if (!rt)
		return false;
	/* pthread_cond_timedwait takes CLOCK_REALTIME: convert the remaining time */
	pthread_mutex_lock(&rt->mu);
	while (!(done = finished_locked(rt, id)) && !rt->stop) {
		uint64_t now = runtime_now_ns(), left, real;

		if (now >= deadline_ns)
			break;
		left = deadline_ns - now;
		clock_gettime(CLOCK_REALTIME, &ts);
		real = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + left;
		ts.tv_sec = (time_t)(real / 1000000000ull);
		ts.tv_nsec = (long)(real % 1000000000ull);
		if (pthread_cond_timedwait(&rt->done, &rt->mu, &ts) == ETIMEDOUT)
			continue;
	}
	pthread_mutex_unlock(&rt->mu);
	return done;
}

void runtime_stats(struct runtime *rt, struct runtime_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!rt)
		return;
	pthread_mutex_lock(&rt->mu);
	*out = rt->st;
	pthread_mutex_unlock(&rt->mu);
}

/* ------------------------------------------------ container JSON helpers */

size_t rt_buf_write(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct rt_buf *b = userdata;
	size_t n = size * nmemb;

	if (b->len + n + 1 > b->limit)
		return 0;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
	return n;
}

void rt_buf_release(struct rt_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void runtime_split_image(const char *image, char *repo, size_t nrepo, char *tag, size_t ntag, char *digest,
			 size_t ndigest)
{
	const char *at = strchr(image, '@'), *end = at ? at : image + strlen(image);
	const char *slash = NULL, *colon = NULL;

	for (const char *p = image; p < end; p++) {
		if (*p == '/')
			slash = p, colon = NULL;
		else if (*p == ':')
			colon = p;
	}
	(void)slash;
	snprintf(repo, nrepo, "%.*s", (int)((colon ? colon : end) - image), image);
	snprintf(tag, ntag, "%.*s", colon ? (int)(end - colon - 1) : 0, colon ? colon + 1 : "");
	snprintf(digest, ndigest, "%s", at ? at + 1 : "");
}

cJSON *rt_container_new(const char *full_id, enum runtime_type type, cJSON **c)
{
	cJSON *root = cJSON_CreateObject();
	char id[16];

	*c = cJSON_AddObjectToObject(root, "container");
	snprintf(id, sizeof(id), "%.12s", full_id);
	cJSON_AddStringToObject(*c, "id", id);
	cJSON_AddStringToObject(*c, "full_id", full_id);
	cJSON_AddNumberToObject(*c, "type", type);
	cJSON_AddNumberToObject(*c, "lookup_state", 1);
	cJSON_AddArrayToObject(*c, "Mounts");
	return root;
}

void rt_set_image(cJSON *c, const char *image)
{
	char repo[512], tag[256], digest[256];

	if (!image || !*image)
		return;
	runtime_split_image(image, repo, sizeof(repo), tag, sizeof(tag), digest, sizeof(digest));
	cJSON_AddStringToObject(c, "image", image);
	cJSON_AddStringToObject(c, "imagerepo", repo);
	cJSON_AddStringToObject(c, "imagetag", tag);
	if (*digest)
		cJSON_AddStringToObject(c, "imagedigest", digest);
}

void rt_add_mount(cJSON *c, const char *src, const char *dst, const char *mode, bool rw, const char *propagation)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(c, "Mounts"), *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "Source", src ? src : "");
	cJSON_AddStringToObject(m, "Destination", dst ? dst : "");
	cJSON_AddStringToObject(m, "Mode", mode ? mode : "");
	cJSON_AddBoolToObject(m, "RW", rw);
	cJSON_AddStringToObject(m, "Propagation", propagation ? propagation : "");
	cJSON_AddItemToArray(arr, m);
}

cJSON *rt_probe(const char *const *argv, size_t argc)
{
	cJSON *p, *args;

	if (!argc || !argv[0])
		return NULL;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "exe", argv[0]);
	args = cJSON_AddArrayToObject(p, "args");
	for (size_t i = 1; i < argc; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(argv[i]));
	return p;
}
