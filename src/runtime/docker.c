// SPDX-License-Identifier: Apache-2.0
/*
 * The Docker Engine API client, for Docker and for podman's compatible
 * service: GET /containers/ID/json (and /images/ID/json for the digest)
 * over a unix socket with libcurl, turned into a container JSON document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/runtime_internal.h"

#define API "/v1.41"
#define MAX_BODY (4u << 20)

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *jobj(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* GET path; LOOKUP_* with the parsed body in *out when found. */
static int get(CURL *c, const char *sock, const char *path, unsigned timeout_ms, cJSON **out, char *err, size_t n)
{
	struct rt_buf b = { .limit = MAX_BODY };
	char url[512];
	long code = 0;
	CURLcode rc;

	snprintf(url, sizeof(url), "http://localhost%s", path);
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, rt_buf_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(err, n, "%s", curl_easy_strerror(rc));
		rt_buf_release(&b);
		return rc == CURLE_OPERATION_TIMEDOUT ? LOOKUP_TIMEOUT : LOOKUP_ERROR;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code == 404) {
		rt_buf_release(&b);
		return LOOKUP_UNKNOWN;
	}
	*out = code == 200 && b.p ? cJSON_Parse(b.p) : NULL;
	if (!*out || !cJSON_IsObject(*out)) {
		snprintf(err, n, "GET %s: HTTP %ld, %s", path, code, *out ? "not a JSON object" : "not JSON");
		cJSON_Delete(*out);
		*out = NULL;
		rt_buf_release(&b);
		return LOOKUP_ERROR;
	}
	rt_buf_release(&b);
	return LOOKUP_FOUND;
}

/* Docker's health check Test: ["CMD-SHELL", "cmd"] or ["CMD", exe, args...]. */
static void add_healthcheck(cJSON *c, const cJSON *config)
{
	const cJSON *test = jobj(jobj(config, "Healthcheck"), "Test"), *it;
	const char *argv[64];
	size_t argc = 0;
	cJSON *p;

	if (!cJSON_IsArray(test) || !cJSON_IsString(cJSON_GetArrayItem(test, 0)))
		return;
	if (!strcmp(cJSON_GetArrayItem(test, 0)->valuestring, "CMD-SHELL")) {
		argv[argc++] = "/bin/sh";
		argv[argc++] = "-c";
	} else if (strcmp(cJSON_GetArrayItem(test, 0)->valuestring, "CMD")) {
		return; /* NONE: explicitly none */
	}
	cJSON_ArrayForEach(it, test) {
		if (it != cJSON_GetArrayItem(test, 0) && cJSON_IsString(it) && argc < 64)
			argv[argc++] = it->valuestring;
	}
	if ((p = rt_probe(argv, argc)))
		cJSON_AddItemToObject(c, "Healthcheck", p);
}

/* Seconds since the epoch of an RFC 3339 time ("2026-12-01T20:30:00.123Z"), 0 when unreadable. */
static long long rfc3339_s(const char *s)
{
	struct tm tm = { 0 };
	const char *rest;
	long long t;
	int sign = 1, hh = 0, mm = 0;

	if (!s || !(rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
		return 0;
	t = timegm(&tm);
	while (*rest == '.' || (*rest >= '0' && *rest <= '9'))
		rest++;
	if ((*rest == '+' || *rest == '-') && sscanf(rest + 1, "%d:%d", &hh, &mm) == 2) {
		sign = *rest == '-' ? -1 : 1;
		t -= sign * (hh * 3600 + mm * 60);
	}
	return t;
}

static void add_mounts(cJSON *c, const cJSON *mounts)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, mounts) {
		rt_add_mount(c, jstr(m, "Source"), jstr(m, "Destination"), jstr(m, "Mode"),
			     cJSON_IsTrue(jobj(m, "RW")), jstr(m, "Propagation"));
	}
}

static void add_labels(cJSON *c, const cJSON *labels)
{
	cJSON *l = cJSON_AddObjectToObject(c, "labels");
	const cJSON *it;

	cJSON_ArrayForEach(it, labels) {
		if (cJSON_IsString(it) && it->string)
			cJSON_AddStringToObject(l, it->string, it->valuestring);
	}
}

static bool is_host(const cJSON *hc, const char *key)
{
	const char *v = jstr(hc, key);

	return v && !strcmp(v, "host");
}

/* The digest of the image, from its RepoDigests ("repo@sha256:..."). */
static void add_digest(CURL *c, const char *sock, const char *imageid, unsigned timeout_ms, cJSON *out)
{
	char path[256], err[256];
	const cJSON *d;
	cJSON *img = NULL;
	const char *at;

	if (cJSON_GetObjectItemCaseSensitive(out, "imagedigest") || !imageid || !*imageid)
		return;
	snprintf(path, sizeof(path), API "/images/%s/json", imageid);
	if (get(c, sock, path, timeout_ms, &img, err, sizeof(err)) != LOOKUP_FOUND)
		return;
	d = cJSON_GetArrayItem(jobj(img, "RepoDigests"), 0);
	if (cJSON_IsString(d) && (at = strchr(d->valuestring, '@')))
		cJSON_AddStringToObject(out, "imagedigest", at + 1);
	cJSON_Delete(img);
}

int docker_lookup(CURL *c, const char *sock, enum runtime_type type, const char *id, unsigned timeout_ms,
		  cJSON **out, char *err, size_t n)
{
	const cJSON *config, *hc, *net;
	cJSON *doc = NULL, *root, *ct;
	const char *full, *name, *image, *ip;
	char path[256];
	int rc;

	snprintf(path, sizeof(path), API "/containers/%s/json", id);
	if ((rc = get(c, sock, path, timeout_ms, &doc, err, n)) != LOOKUP_FOUND)
		return rc;
	full = jstr(doc, "Id");
	config = jobj(doc, "Config");
	hc = jobj(doc, "HostConfig");
	if (!full || !cJSON_IsObject(config)) {
		snprintf(err, n, "GET %s: no Id or Config in the answer", path);
		cJSON_Delete(doc);
		return LOOKUP_ERROR;
	}
	root = rt_container_new(full, type, &ct);
	name = jstr(doc, "Name");
	cJSON_AddStringToObject(ct, "name", name ? name + (*name == '/') : "");
	image = jstr(config, "Image");
	rt_set_image(ct, image);
	if ((image = jstr(doc, "Image")))
		cJSON_AddStringToObject(ct, "imageid", image + (strncmp(image, "sha256:", 7) ? 0 : 7));
	cJSON_AddBoolToObject(ct, "privileged", cJSON_IsTrue(jobj(hc, "Privileged")));
	cJSON_AddBoolToObject(ct, "host_pid", is_host(hc, "PidMode"));
	cJSON_AddBoolToObject(ct, "host_network", is_host(hc, "NetworkMode"));
	cJSON_AddBoolToObject(ct, "host_ipc", is_host(hc, "IpcMode"));
	cJSON_AddNumberToObject(ct, "created_time", (double)rfc3339_s(jstr(doc, "Created")));
	net = jobj(doc, "NetworkSettings");
	ip = jstr(net, "IPAddress");
	cJSON_AddStringToObject(ct, "ip", ip ? ip : "");
	add_mounts(ct, jobj(doc, "Mounts"));
	add_labels(ct, jobj(config, "Labels"));
	add_healthcheck(ct, config);
	add_digest(c, sock, jstr(ct, "imageid"), timeout_ms, ct);
	cJSON_Delete(doc);
	*out = root;
	return LOOKUP_FOUND;
}
