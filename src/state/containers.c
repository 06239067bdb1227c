// SPDX-License-Identifier: Apache-2.0
/*
 * The container table: metadata per 12-character container id, in a hash
 * table. Entries come from container JSON documents (a runtime's answer
 * live, PPME_CONTAINER_JSON metaevents in captures) and the older
 * id/type/name/image event. The first process seen in an unknown container
 * creates a pending entry and tells the hook (the app asks the runtimes);
 * entries no thread uses any more are swept.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/state_internal.h"

struct container_table {
	struct container_info **b;
	unsigned nb;
	size_t n;
	size_t nwaiting;           /* PENDING and not yet waited for */
	state_container_fn fn;
	void *ctx;
};

static const char *const runtime_names[] = { "docker", "lxc", "libvirt-lxc", "mesos", "rkt", "custom", "cri",
					     "containerd", "cri-o", "bpm", "podman" };

static unsigned hash_id(const char *id)
{
	unsigned h = 2166136261u;

	for (int i = 0; i < 12 && id[i]; i++)
		h = (h ^ (unsigned char)id[i]) * 16777619u;
	return h;
}

static struct container_table *table(struct state *s)
{
	struct container_table *t = s->containers;

	if (!t && (t = calloc(1, sizeof(*t)))) {
		t->nb = 256;
		if (!(t->b = calloc(t->nb, sizeof(*t->b)))) {
			free(t);
			return NULL;
		}
		s->containers = t;
	}
	return t;
}

static struct container_info *container_find(const struct container_table *t, const char *key)
{
	if (!t)
		return NULL;
	for (struct container_info *c = t->b[hash_id(key) & (t->nb - 1)]; c; c = c->next)
		if (!memcmp(c->id, key, 13))
			return c;
	return NULL;
}

static void grow(struct container_table *t)
{
	unsigned nb = t->nb * 2;
	struct container_info **b = calloc(nb, sizeof(*b));

	if (!b)
		return;
	for (unsigned i = 0; i < t->nb; i++)
		for (struct container_info *c = t->b[i], *n; c; c = n) {
			n = c->next;
			c->next = b[hash_id(c->id) & (nb - 1)];
			b[hash_id(c->id) & (nb - 1)] = c;
		}
	free(t->b);
	t->b = b;
	t->nb = nb;
}

static struct container_info *container_get(struct state *s, const char *id, bool create)
{
	struct container_table *t = create ? table(s) : s->containers;
	struct container_info *c;
	char key[16] = { 0 };
	unsigned h;

	snprintf(key, sizeof(key), "%.12s", id);
	if ((c = container_find(t, key)) || !create || !t || !(c = calloc(1, sizeof(*c))))
		return c;
	memcpy(c->id, key, sizeof(c->id));
	if (t->n + 1 > t->nb)
		grow(t);
	h = hash_id(key) & (t->nb - 1);
	c->next = t->b[h];
	t->b[h] = c;
	t->n++;
	return c;
}

static void set(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? strdup(v) : NULL;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *runtime_name(int t)
{
	return t >= 0 && t < (int)(sizeof(runtime_names) / sizeof(runtime_names[0])) ? runtime_names[t] : "unknown";
}

static void kv_free(struct container_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

static void probe_release(struct container_probe *p)
{
	free(p->exe);
	free(p->args);
	p->exe = p->args = NULL;
}

static void mounts_free(struct container_info *c)
{
	for (size_t i = 0; i < c->nmount; i++) {
		free(c->mount[i].source);
		free(c->mount[i].dest);
		free(c->mount[i].mode);
		free(c->mount[i].propagation);
	}
	free(c->mount);
	free(c->mounts);
	c->mount = NULL;
	c->mounts = NULL;
	c->nmount = 0;
}

static void info_release(struct container_info *c)
{
	char **strs[] = { &c->full_id, &c->name, &c->image, &c->image_id, &c->image_repo, &c->image_tag,
			  &c->image_digest, &c->type, &c->ip, &c->cni_json, &c->pod_sandbox_id, &c->json };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	mounts_free(c);
	kv_free(c->label, c->nlabel);
	kv_free(c->pod_label, c->npod_label);
	c->label = c->pod_label = NULL;
	c->nlabel = c->npod_label = 0;
	probe_release(&c->healthcheck);
	probe_release(&c->liveness);
	probe_release(&c->readiness);
}

static size_t kv_read(const cJSON *o, struct container_kv **out)
{
	size_t n = 0, k = 0;
	const cJSON *it;

	*out = NULL;
	cJSON_ArrayForEach(it, o) {
		n += cJSON_IsString(it) && it->string;
	}
	if (!n || !(*out = calloc(n, sizeof(**out))))
		return 0;
	cJSON_ArrayForEach(it, o) {
		if (cJSON_IsString(it) && it->string) {
			(*out)[k].key = strdup(it->string);
			(*out)[k++].value = strdup(it->valuestring);
		}
	}
	return k;
}

static void probe_read(const cJSON *o, struct container_probe *p)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(o, "args"), *a;
	size_t len = 1;

	if (!jstr(o, "exe"))
		return;
	p->exe = strdup(jstr(o, "exe"));
	cJSON_ArrayForEach(a, args) {
		len += cJSON_IsString(a) ? strlen(a->valuestring) + 1 : 0;
	}
	if (!(p->args = calloc(1, len)))
		return;
	cJSON_ArrayForEach(a, args) {
		if (cJSON_IsString(a)) {
			if (*p->args)
				strcat(p->args, " ");
			strcat(p->args, a->valuestring);
		}
	}
}

static void mounts_read(struct container_info *ci, const cJSON *m)
{
	size_t n = (size_t)cJSON_GetArraySize(m), len = 1, k = 0;
	const cJSON *it;

	if (!n || !(ci->mount = calloc(n, sizeof(*ci->mount))))
		return;
	cJSON_ArrayForEach(it, m) {
		struct container_mount *cm = &ci->mount[k++];
		const char *v;

		cm->source = strdup((v = jstr(it, "Source")) ? v : "");
		cm->dest = strdup((v = jstr(it, "Destination")) ? v : "");
		cm->mode = strdup((v = jstr(it, "Mode")) ? v : "");
		cm->propagation = strdup((v = jstr(it, "Propagation")) ? v : "");
		cm->rw = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "RW"));
		len += strlen(cm->source) + strlen(cm->dest) + strlen(cm->mode) + strlen(cm->propagation) + 12;
	}
	ci->nmount = k;
	if (!(ci->mounts = calloc(1, len)))
		return;
	for (size_t i = 0, o = 0; i < k; i++) {
		const struct container_mount *cm = &ci->mount[i];

		o += snprintf(ci->mounts + o, len - o, "%s%s:%s:%s:%s:%s", i ? "," : "", cm->source, cm->dest,
			      cm->mode, cm->rw ? "true" : "false", cm->propagation);
	}
}

static bool jbool(const cJSON *o, const char *k, bool *has)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (has)
		*has = *has || cJSON_IsBool(v);
	return cJSON_IsTrue(v);
}

static void fill(struct container_info *ci, const cJSON *c)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "type");
	const cJSON *ct = cJSON_GetObjectItemCaseSensitive(c, "created_time");
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(c, "pod_sandbox_id");

	info_release(ci);
	set(&ci->full_id, jstr(c, "full_id"));
	set(&ci->name, jstr(c, "name"));
	set(&ci->image, jstr(c, "image"));
	set(&ci->image_id, jstr(c, "imageid"));
	set(&ci->image_repo, jstr(c, "imagerepo"));
	set(&ci->image_tag, jstr(c, "imagetag"));
	set(&ci->image_digest, jstr(c, "imagedigest"));
	set(&ci->ip, jstr(c, "ip"));
	set(&ci->cni_json, jstr(c, "cni_json"));
	set(&ci->pod_sandbox_id, cJSON_IsString(ps) && *ps->valuestring ? ps->valuestring : NULL);
	set(&ci->type, cJSON_IsNumber(t) ? runtime_name(t->valueint) : NULL);
	ci->has_privileged = false;
	ci->privileged = jbool(c, "privileged", &ci->has_privileged);
	ci->has_host_ns = false;
	ci->host_pid = jbool(c, "host_pid", &ci->has_host_ns);
	ci->host_network = jbool(c, "host_network", &ci->has_host_ns);
	ci->host_ipc = jbool(c, "host_ipc", &ci->has_host_ns);
	ci->is_pod_sandbox = jbool(c, "is_pod_sandbox", NULL);
	ci->created_ns = cJSON_IsNumber(ct) && ct->valuedouble > 0 ? (int64_t)ct->valuedouble * 1000000000ll : 0;
	mounts_read(ci, cJSON_GetObjectItemCaseSensitive(c, "Mounts"));
	ci->nlabel = kv_read(cJSON_GetObjectItemCaseSensitive(c, "labels"), &ci->label);
	ci->npod_label = kv_read(cJSON_GetObjectItemCaseSensitive(c, "pod_sandbox_labels"), &ci->pod_label);
	probe_read(cJSON_GetObjectItemCaseSensitive(c, "Healthcheck"), &ci->healthcheck);
	probe_read(cJSON_GetObjectItemCaseSensitive(c, "LivenessProbe"), &ci->liveness);
	probe_read(cJSON_GetObjectItemCaseSensitive(c, "ReadinessProbe"), &ci->readiness);
}

static void stop_waiting(struct state *s, struct container_info *ci)
{
	if (ci->lookup == CONTAINER_PENDING && !ci->waited && s->containers->nwaiting)
		s->containers->nwaiting--;
	ci->waited = true;
}

const struct container_info *state_container_json(struct state *s, const char *json)
{
	cJSON *root = json ? cJSON_Parse(json) : NULL, *c;
	struct container_info *ci = NULL;
	const char *id;

	c = root ? cJSON_GetObjectItemCaseSensitive(root, "container") : NULL;
	id = c ? jstr(c, "id") : NULL;
	if (id && *id && (ci = container_get(s, id, true))) {
		stop_waiting(s, ci);
		fill(ci, c);
		ci->json = strdup(json);
		ci->lookup = CONTAINER_KNOWN;
	}
	cJSON_Delete(root);
	return ci;
}

void containers_from_json(struct state *s, const char *json)
{
	state_container_json(s, json);
}

void containers_from_event(struct state *s, const char *id, uint32_t type, const char *name, const char *image)
{
	struct container_info *ci = container_get(s, id, true);

	if (!ci)
		return;
	stop_waiting(s, ci);
	set(&ci->name, name);
	set(&ci->image, image);
	set(&ci->type, runtime_name(type));
	ci->lookup = CONTAINER_KNOWN;
}

void containers_note(struct state *s, const struct proc *p)
{
	struct container_info *ci;

	if (!p->container_id[0] || !strcmp(p->container_id, "host") || !s->containers_hook)
		return;
	if (container_find(s->containers, p->container_id) || !(ci = container_get(s, p->container_id, true)))
		return;
	ci->lookup = CONTAINER_PENDING;
	s->containers->nwaiting++;
	s->containers->fn(s->containers->ctx, ci, p->cgroups, p->cgroups_len);
}

void state_on_new_container(struct state *s, state_container_fn fn, void *ctx)
{
	struct container_table *t = table(s);

	if (!t)
		return;
	t->fn = fn;
	t->ctx = ctx;
	s->containers_hook = fn != NULL;
}

void state_container_unknown(struct state *s, const char *id)
{
	struct container_info *ci = container_get(s, id, false);

	if (ci && ci->lookup == CONTAINER_PENDING) {
		stop_waiting(s, ci);
		ci->lookup = CONTAINER_UNKNOWN;
	}
}

void state_container_waited(struct state *s, const char *id)
{
	struct container_info *ci = container_get(s, id, false);

	if (ci)
		stop_waiting(s, ci);
}

size_t state_containers_waiting(const struct state *s)
{
	return s->containers ? s->containers->nwaiting : 0;
}

const struct container_info *state_container(struct state *s, const char *id)
{
	return id && *id && s->containers ? container_get(s, id, false) : NULL;
}

void state_foreach_container(struct state *s, void (*fn)(void *ctx, const struct container_info *c), void *ctx)
{
	struct container_table *t = s->containers;

	for (unsigned i = 0; t && i < t->nb; i++)
		for (struct container_info *c = t->b[i]; c; c = c->next)
			fn(ctx, c);
}

static void container_free(struct container_info *c)
{
	info_release(c);
	free(c);
}

static void mark_used(void *ctx, struct thread *th)
{
	struct container_info *c;

	if (th->proc && th->proc->container_id[0] && (c = container_find(ctx, th->proc->container_id)))
		c->in_use = true;
}

size_t state_containers_sweep(struct state *s)
{
	struct container_table *t = s->containers;
	size_t dropped = 0;

	if (!t || !t->n)
		return 0;
	for (unsigned i = 0; i < t->nb; i++)
		for (struct container_info *c = t->b[i]; c; c = c->next)
			c->in_use = false;
	state_foreach_thread(s, mark_used, t);
	for (unsigned i = 0; i < t->nb; i++) {
		struct container_info **pp = &t->b[i];

		while (*pp) {
			struct container_info *c = *pp;

			if (c->in_use || c->lookup == CONTAINER_PENDING) {
				pp = &c->next;
				continue;
			}
			*pp = c->next;
			container_free(c);
			t->n--;
			dropped++;
		}
	}
	return dropped;
}

void containers_free(struct state *s)
{
	struct container_table *t = s->containers;

	for (unsigned i = 0; t && i < t->nb; i++)
		for (struct container_info *c = t->b[i], *n; c; c = n) {
			n = c->next;
			container_free(c);
		}
	if (t)
		free(t->b);
	free(t);
	s->containers = NULL;
}
