// SPDX-License-Identifier: Apache-2.0
/*
 * The background resolver behind the fd.*ip.name fields: a list of watched
 * names (it only grows; a node is never freed), each with the addresses its
 * last resolution gave, and one thread that resolves new names at once and
 * all of them every refresh. Lookups take the lock for a scan of the list.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "fields/resolver.h"

struct raddr {
	int af;
	uint8_t a[16];
};

struct rname {
	struct rname *next;
	struct raddr *addrs;
	size_t naddrs;
	bool resolved;
	char name[];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct rname *names;
static bool enabled = true, started, pending;
static unsigned refresh = 60;

void resolver_set_enabled(bool on)
{
	pthread_mutex_lock(&lock);
	enabled = on;
	pthread_mutex_unlock(&lock);
}

void resolver_set_refresh(unsigned seconds)
{
	pthread_mutex_lock(&lock);
	refresh = seconds ? seconds : 1;
	pthread_mutex_unlock(&lock);
}

/* The addresses name resolves to now (none when it does not resolve). */
static size_t resolve(const char *name, struct raddr **out)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	struct raddr *v = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (getaddrinfo(name, NULL, &hints, &res))
		return 0;
	for (ai = res; ai; ai = ai->ai_next) {
		struct raddr r = { .af = ai->ai_family };

		if (ai->ai_family == AF_INET)
			memcpy(r.a, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			memcpy(r.a, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		if (n == cap) {
			struct raddr *nv = realloc(v, (cap = cap ? cap * 2 : 4) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[n++] = r;
	}
	freeaddrinfo(res);
	*out = v;
	return n;
}

/* Resolve every watched name once, outside the lock, and publish each answer. */
static void resolve_all(void)
{
	struct rname *head;

	pthread_mutex_lock(&lock);
	head = names;
	pthread_mutex_unlock(&lock);
	for (struct rname *r = head; r; r = r->next) {
		struct raddr *v, *old;
		size_t n = resolve(r->name, &v);

		pthread_mutex_lock(&lock);
		old = r->addrs;
		r->addrs = v;
		r->naddrs = n;
		r->resolved = true;
		pthread_mutex_unlock(&lock);
		free(old);
	}
}

static void *resolver_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += refresh;
		while (!pending)
			if (pthread_cond_timedwait(&wake, &lock, &until) == ETIMEDOUT)
				break;
		pending = false;
		pthread_mutex_unlock(&lock);
		resolve_all();
		pthread_mutex_lock(&lock);
	}
	return NULL;
}

void resolver_watch(const char *name)
{
	struct rname *r;
	pthread_t th;
	size_t l = strlen(name);

	pthread_mutex_lock(&lock);
	for (r = names; r && strcmp(r->name, name); r = r->next)
		;
	if (!r && enabled && l && (r = calloc(1, sizeof(*r) + l + 1))) {
		memcpy(r->name, name, l + 1);
		r->next = names;
		names = r;
		pending = true;
		if (!started && pthread_create(&th, NULL, resolver_main, NULL) == 0) {
			pthread_detach(th);
			started = true;
		}
		pthread_cond_signal(&wake);
	}
	pthread_mutex_unlock(&lock);
}

size_t resolver_names_of(int af, const uint8_t *addr, const char **out, size_t max)
{
	size_t k = 0, len = af == AF_INET ? 4 : 16;

	pthread_mutex_lock(&lock);
	for (struct rname *r = names; r && k < max; r = r->next)
		for (size_t i = 0; i < r->naddrs; i++)
			if (r->addrs[i].af == af && !memcmp(r->addrs[i].a, addr, len)) {
				out[k++] = r->name;
				break;
			}
	pthread_mutex_unlock(&lock);
	return k;
}

bool resolver_settled(void)
{
	bool all = true;

	pthread_mutex_lock(&lock);
	for (struct rname *r = names; r; r = r->next)
		all = all && r->resolved;
	pthread_mutex_unlock(&lock);
	return all;
}
