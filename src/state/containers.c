// SPDX-License-Identifier: Apache-2.0
/*
 * Container metadata from capture metaevents (container JSON, and the older
 * id/type/name/image event): name, image, repository, tag, runtime type,
 * privileged flag and mounts, looked up by the 12-character container id.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/state_internal.h"

static const char *const runtime_names[] = { "docker", "lxc", "libvirt-lxc", "mesos", "rkt", "custom", "cri",
					     "containerd", "cri-o", "bpm", "podman" };

static struct container_info *container_get(struct state *s, const char *id, bool create)
{
	struct container_info *c;
	char key[16];

	snprintf(key, sizeof(key), "%.12s", id);
	for (c = s->containers; c; c = c->next)
		if (!strcmp(c->id, key))
			return c;
	if (!create || !(c = calloc(1, sizeof(*c))))
		return NULL;
	snprintf(c->id, sizeof(c->id), "%s", key);
	c->next = s->containers;
	s->containers = c;
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

void containers_from_json(struct state *s, const char *json)
{
	cJSON *root = cJSON_Parse(json), *c, *m;
	struct container_info *ci;
	const char *id;

	c = root ? cJSON_GetObjectItemCaseSensitive(root, "container") : NULL;
	id = c ? jstr(c, "id") : NULL;
	if (!id || !(ci = container_get(s, id, true))) {
		cJSON_Delete(root);
		return;
	}
	set(&ci->name, jstr(c, "name"));
	set(&ci->image, jstr(c, "image"));
	set(&ci->image_repo, jstr(c, "imagerepo"));
	set(&ci->image_tag, jstr(c, "imagetag"));
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(c, "type")))
		set(&ci->type, runtime_name(cJSON_GetObjectItemCaseSensitive(c, "type")->valueint));
	ci->privileged = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "privileged"));
	ci->has_privileged = cJSON_GetObjectItemCaseSensitive(c, "privileged") != NULL;
	m = cJSON_GetObjectItemCaseSensitive(c, "Mounts");
	if (cJSON_IsArray(m)) {
		size_t cap = 1, n = 0;
		char *out = malloc(cap);
		const cJSON *it;

		out[0] = 0;
		cJSON_ArrayForEach(it, m) {
			const char *src = jstr(it, "Source"), *dst = jstr(it, "Destination"), *mode = jstr(it, "Mode");
			bool rw = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "RW"));
			size_t need = n + strlen(src ? src : "") + strlen(dst ? dst : "") + strlen(mode ? mode : "") + 16;

			if (need > cap) {
				char *no = realloc(out, need * 2);

				if (!no)
					break;
				out = no;
				cap = need * 2;
			}
			n += snprintf(out + n, cap - n, "%s%s:%s:%s:%s", n ? "," : "", src ? src : "", dst ? dst : "",
				      mode ? mode : "", rw ? "true" : "false");
		}
		free(ci->mounts);
		ci->mounts = out;
	}
	cJSON_Delete(root);
}

void containers_from_event(struct state *s, const char *id, uint32_t type, const char *name, const char *image)
{
	struct container_info *ci = container_get(s, id, true);

	if (!ci)
		return;
	set(&ci->name, name);
	set(&ci->image, image);
	set(&ci->type, runtime_name(type));
}

const struct container_info *state_container(struct state *s, const char *id)
{
	return id && *id ? container_get(s, id, false) : NULL;
}

void containers_free(struct state *s)
{
	for (struct container_info *c = s->containers, *n; c; c = n) {
		n = c->next;
		free(c->name);
		free(c->image);
		free(c->image_repo);
		free(c->image_tag);
		free(c->type);
		free(c->mounts);
		free(c);
	}
	s->containers = NULL;
}
