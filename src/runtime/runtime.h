/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container runtime clients and the metadata thread. The event thread asks
 * about a container id (runtime_request) and goes on; the metadata thread
 * asks the runtimes (Docker Engine API for Docker and podman, the Kubernetes
 * CRI for containerd and CRI-O) and leaves each answer as a container JSON
 * document, in the form of scap's container metaevents, for the event thread
 * to take (runtime_take). Nothing here touches saker's state.
 */
#ifndef SAKER_RUNTIME_H
#define SAKER_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Container runtime type numbers of scap's container JSON ("type"). */
enum runtime_type {
	RT_DOCKER = 0, RT_LXC = 1, RT_LIBVIRT_LXC = 2, RT_MESOS = 3, RT_RKT = 4, RT_CUSTOM = 5,
	RT_CRI = 6, RT_CONTAINERD = 7, RT_CRIO = 8, RT_BPM = 9, RT_PODMAN = 10,
};

enum runtime_api { API_DOCKER, API_CRI };

struct runtime_engine {
	enum runtime_api api;
	enum runtime_type type;   /* what containers found through it are */
	const char *name;         /* "docker", "podman", "cri" */
	bool enabled;
	char **sockets;           /* tried in order */
	size_t nsockets;
};

#define RUNTIME_MAX_ENGINES 3

struct runtime_opts {
	struct runtime_engine engines[RUNTIME_MAX_ENGINES];
	size_t nengines;
	const char *host_root;    /* "" or a prefix for socket paths */
	unsigned timeout_ms;      /* one request to one socket */
	void (*log)(const char *msg);
};

/* Default sockets and engines (Falco's): docker, podman, cri. */
void runtime_opts_defaults(struct runtime_opts *o);

struct runtime;

/* Start the metadata thread. NULL when out of memory or no engine is enabled. */
struct runtime *runtime_new(const struct runtime_opts *o);
/* Stop the thread (an in-flight request ends within timeout_ms) and free. NULL is fine. */
void runtime_free(struct runtime *rt);

/*
 * Ask about a container (its full 64-hex id, or a 12-hex prefix). type_hint
 * is the runtime the cgroup path suggests (RT_* or -1); that engine is asked
 * first. Never blocks on a socket.
 */
void runtime_request(struct runtime *rt, const char *id, int type_hint);

/* Answers waiting to be taken: a cheap check for the event thread. */
bool runtime_pending_results(struct runtime *rt);

/*
 * Hand every finished lookup to fn: the 12-character id and the container
 * JSON ({"container":{...}}), or json NULL when no runtime knew the id.
 */
void runtime_take(struct runtime *rt, void (*fn)(void *ctx, const char *id, const char *json), void *ctx);

/* Block until the lookup of id (12 characters) has finished or the monotonic deadline (ns) passed. */
bool runtime_wait(struct runtime *rt, const char *id, uint64_t deadline_ns);

/* Monotonic clock in ns, the one deadlines use. */
uint64_t runtime_now_ns(void);

struct runtime_stats {
	uint64_t requests, found, not_found, errors, timeouts;
	uint64_t lookup_ns_total, lookup_ns_max;
};
void runtime_stats(struct runtime *rt, struct runtime_stats *out);

/* Split "repo[:tag][@digest]" as Falco does; outputs may be empty strings. */
void runtime_split_image(const char *image, char *repo, size_t nrepo, char *tag, size_t ntag, char *digest,
			 size_t ndigest);

#endif
