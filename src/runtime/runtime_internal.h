/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the runtime clients: one lookup on one socket, and
 * the helpers that build a container JSON document.
 */
#ifndef SAKER_RUNTIME_INTERNAL_H
#define SAKER_RUNTIME_INTERNAL_H

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "runtime/runtime.h"

/* What a lookup on one socket says. */
enum { LOOKUP_FOUND = 0, LOOKUP_UNKNOWN = 1, LOOKUP_ERROR = -1, LOOKUP_TIMEOUT = -2 };

/* Response body collected by curl. */
struct rt_buf {
	char *p;
	size_t len, cap;
	size_t limit;          /* larger answers are an error */
};

size_t rt_buf_write(char *data, size_t size, size_t nmemb, void *userdata);
void rt_buf_release(struct rt_buf *b);

/* Docker Engine API (Docker, podman): GET /containers/ID/json. */
int docker_lookup(CURL *c, const char *sock, enum runtime_type type, const char *id, unsigned timeout_ms,
		  cJSON **out, char *err, size_t n);

/* CRI over gRPC: ContainerStatus and PodSandboxStatus, verbose. */
int cri_lookup(CURL *c, const char *sock, const char *id, unsigned timeout_ms, cJSON **out, char *err, size_t n);

/* A new container JSON object ({"container":{...}}) with its ids and type; *c is the inner object. */
cJSON *rt_container_new(const char *full_id, enum runtime_type type, cJSON **c);
/* Set image, imagerepo, imagetag, imagedigest (when the reference has one) from an image reference. */
void rt_set_image(cJSON *c, const char *image);
/* Add one mount to "Mounts". */
void rt_add_mount(cJSON *c, const char *src, const char *dst, const char *mode, bool rw, const char *propagation);
/* A probe ({"exe":..,"args":[..]}) from a command vector; NULL when argv is empty. */
cJSON *rt_probe(const char *const *argv, size_t argc);

#endif
