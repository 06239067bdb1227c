// SPDX-License-Identifier: Apache-2.0
/*
 * container.* and k8s.* fields, with Falco's names and meanings: what the
 * container table knows of the process's container (from the runtimes live,
 * from metaevents in captures). Host processes are container "host";
 * Kubernetes fields come from the labels kubelet puts on containers and from
 * the pod sandbox.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields/fields.h"

enum {
	C_ID, C_FULL_ID, C_NAME, C_TYPE, C_IMAGE, C_IMAGE_ID, C_IMAGE_REPO, C_IMAGE_TAG, C_IMAGE_DIGEST,
	C_PRIVILEGED, C_MOUNTS, C_MOUNT, C_MOUNT_SOURCE, C_MOUNT_DEST, C_MOUNT_MODE, C_MOUNT_RDWR,
	C_MOUNT_PROPAGATION, C_LABELS, C_LABEL, C_IP, C_CNI, C_HOST_PID, C_HOST_NETWORK, C_HOST_IPC,
	C_START_TS, C_DURATION, C_HEALTHCHECK, C_LIVENESS, C_READINESS,
	P_IS_HEALTHCHECK, P_IS_LIVENESS, P_IS_READINESS,
	K_POD_NAME, K_POD_UID, K_POD_ID, K_SANDBOX_ID, K_FULL_SANDBOX_ID, K_POD_LABELS, K_POD_LABEL, K_POD_IP,
	K_POD_CNI, K_NS,
};

static bool set_str(struct field_value *v, const char *s)
{
	if (!s)
		return false;
	v->count = 1;
	v->s[0] = s;
	v->len[0] = strlen(s);
	return true;
}

static bool set_num(struct field_value *v, int64_t n)
{
	v->count = 1;
	v->s[0] = NULL;
	v->n[0] = n;
	return true;
}

static struct thread *ctx_thread(struct field_ctx *c)
{
	if (!c->thread_done) {
		c->thread = c->state ? state_thread(c->state, c->ev->tid) : NULL;
		c->thread_done = true;
	}
	return c->thread;
}

static const char *kv_get(const struct container_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

/* "key:value, key:value" into the scratch buffer. */
static bool kv_list(struct field_ctx *c, struct field_value *v, const struct container_kv *kv, size_t n)
{
	size_t o = 0;

	if (!n)
		return false;
	c->buf[0] = 0;
	for (size_t i = 0; i < n && o < FIELD_BUF_SIZE; i++)
		o += snprintf(c->buf + o, FIELD_BUF_SIZE - o, "%s%s:%s", i ? ", " : "", kv[i].key, kv[i].value);
	return set_str(v, c->buf);
}

/* The mount an argument names: [N], or a path (a glob) matched against by. */
static const struct container_mount *mount_of(const struct container_info *ci, const char *arg, int64_t idx,
					      bool by_dest)
{
	if (idx >= 0)
		return (size_t)idx < ci->nmount ? &ci->mount[idx] : NULL;
	for (size_t i = 0; arg && *arg && i < ci->nmount; i++)
		if (!fnmatch(arg, by_dest ? ci->mount[i].dest : ci->mount[i].source, 0))
			return &ci->mount[i];
	return NULL;
}

static bool probe(struct field_ctx *c, struct field_value *v, const struct container_probe *p)
{
	if (!p->exe)
		return false;
	snprintf(c->buf, FIELD_BUF_SIZE, "%s%s%s", p->exe, p->args && *p->args ? " " : "", p->args ? p->args : "");
	return set_str(v, c->buf);
}

/* t runs the probe's command (executable and arguments as the probe gives them). */
static bool runs_cmd(const struct thread *t, const struct container_probe *p)
{
	char args[FIELD_BUF_SIZE];
	size_t o = 0;

	if (!t->proc || !t->proc->exe || (strcmp(t->proc->exe, p->exe) &&
					  !(t->proc->exepath && !strcmp(t->proc->exepath, p->exe))))
		return false;
	for (uint32_t i = 0; i < t->proc->args_len && o + 1 < sizeof(args); i++)
		args[o++] = t->proc->args[i] ? t->proc->args[i] : ' ';
	while (o && args[o - 1] == ' ')
		o--;
	args[o] = 0;
	return !strcmp(args, p->args ? p->args : "");
}

/*
 * The process is the probe, or a descendant of it in the container: the probe's
 * command started from outside the container (an exec by the runtime).
 */
static bool runs_probe(struct field_ctx *c, const struct thread *t, const struct container_probe *p)
{
	for (int depth = 0; p->exe && t && t->proc && depth < 16; depth++) {
		struct thread *parent = state_parent(c->state, t);
		bool outside = !parent || !parent->proc || strcmp(parent->proc->container_id, t->proc->container_id);

		if (runs_cmd(t, p) && outside)
			return true;
		if (outside)
			return false;
		t = parent;
	}
	return false;
}

static bool x_host(const struct field_def *f, struct field_value *v)
{
	switch (f->param) {
	case C_ID: case C_FULL_ID: case C_NAME: case C_TYPE: return set_str(v, "host");
	case C_PRIVILEGED: case C_HOST_PID: case C_HOST_NETWORK: case C_HOST_IPC:
	case P_IS_HEALTHCHECK: case P_IS_LIVENESS: case P_IS_READINESS: return set_num(v, 0);
	default: return false;
	}
}

static bool x_mount(struct field_ctx *c, int param, const struct container_info *ci, const char *arg, int64_t idx,
		    struct field_value *v)
{
	/* source[...] is keyed by destination; the others by source */
	const struct container_mount *m = mount_of(ci, arg, idx, param == C_MOUNT_SOURCE);

	if (!m)
		return false;
	switch (param) {
	case C_MOUNT:
		snprintf(c->buf, FIELD_BUF_SIZE, "%s:%s:%s:%s:%s", m->source, m->dest, m->mode,
			 m->rw ? "true" : "false", m->propagation);
		return set_str(v, c->buf);
	case C_MOUNT_SOURCE: return set_str(v, m->source);
	case C_MOUNT_DEST: return set_str(v, m->dest);
	case C_MOUNT_MODE: return set_str(v, m->mode);
	case C_MOUNT_RDWR: return set_str(v, m->rw ? "true" : "false");
	default: return set_str(v, m->propagation);
	}
}

static bool x_k8s(struct field_ctx *c, int param, const struct container_info *ci, const char *arg,
		  struct field_value *v)
{
	const char *uid = kv_get(ci->label, ci->nlabel, "io.kubernetes.pod.uid");

	if (!kv_get(ci->label, ci->nlabel, "io.kubernetes.pod.name") && !ci->pod_sandbox_id)
		return false; /* not a Kubernetes container */
	switch (param) {
	case K_POD_NAME: return set_str(v, kv_get(ci->label, ci->nlabel, "io.kubernetes.pod.name"));
	case K_NS: return set_str(v, kv_get(ci->label, ci->nlabel, "io.kubernetes.pod.namespace"));
	case K_POD_UID: case K_POD_ID: return set_str(v, uid);
	case K_FULL_SANDBOX_ID: return set_str(v, ci->pod_sandbox_id);
	case K_SANDBOX_ID:
		if (!ci->pod_sandbox_id)
			return false;
		snprintf(c->buf, FIELD_BUF_SIZE, "%.12s", ci->pod_sandbox_id);
		return set_str(v, c->buf);
	case K_POD_LABELS: return kv_list(c, v, ci->pod_label, ci->npod_label);
	case K_POD_LABEL: return set_str(v, kv_get(ci->pod_label, ci->npod_label, arg));
	case K_POD_IP: return ci->ip && *ci->ip ? set_str(v, ci->ip) : false;
	case K_POD_CNI: return ci->cni_json && *ci->cni_json ? set_str(v, ci->cni_json) : false;
	}
	return false;
}

static bool x_container(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
			struct field_value *v)
{
	struct thread *t = ctx_thread(c);
	const struct container_info *ci;
	const struct proc *p = t ? t->proc : NULL;

	if (!p)
		return false;
	if (!p->container_id[0] || !strcmp(p->container_id, "host"))
		return x_host(f, v);
	if (f->param == C_ID)
		return set_str(v, p->container_id);
	if (!(ci = state_container(c->state, p->container_id)) || ci->lookup != CONTAINER_KNOWN)
		return false;
	if (f->param >= K_POD_NAME)
		return x_k8s(c, f->param, ci, arg, v);
	if (f->param >= C_MOUNT && f->param <= C_MOUNT_PROPAGATION)
		return x_mount(c, f->param, ci, arg, idx, v);
	switch (f->param) {
	case C_FULL_ID: return set_str(v, ci->full_id);
	case C_NAME: return set_str(v, ci->name);
	case C_TYPE: return set_str(v, ci->type);
	case C_IMAGE: return set_str(v, ci->image);
	case C_IMAGE_ID: return set_str(v, ci->image_id);
	case C_IMAGE_REPO: return set_str(v, ci->image_repo);
	case C_IMAGE_TAG: return set_str(v, ci->image_tag);
	case C_IMAGE_DIGEST: return set_str(v, ci->image_digest);
	case C_PRIVILEGED: return ci->has_privileged ? set_num(v, ci->privileged) : false;
	case C_MOUNTS: return ci->mounts && *ci->mounts ? set_str(v, ci->mounts) : false;
	case C_LABELS: return kv_list(c, v, ci->label, ci->nlabel);
	case C_LABEL: return set_str(v, kv_get(ci->label, ci->nlabel, arg));
	case C_IP: return ci->ip && *ci->ip ? set_str(v, ci->ip) : false;
	case C_CNI: return ci->cni_json && *ci->cni_json ? set_str(v, ci->cni_json) : false;
	case C_HOST_PID: return ci->has_host_ns ? set_num(v, ci->host_pid) : false;
	case C_HOST_NETWORK: return ci->has_host_ns ? set_num(v, ci->host_network) : false;
	case C_HOST_IPC: return ci->has_host_ns ? set_num(v, ci->host_ipc) : false;
	case C_START_TS: return ci->created_ns ? set_num(v, ci->created_ns) : false;
	case C_DURATION:
		return ci->created_ns && (int64_t)c->ev->ts >= ci->created_ns ? set_num(v, (int64_t)c->ev->ts - ci->created_ns)
									     : false;
	case C_HEALTHCHECK: return probe(c, v, &ci->healthcheck);
	case C_LIVENESS: return probe(c, v, &ci->liveness);
	case C_READINESS: return probe(c, v, &ci->readiness);
	case P_IS_HEALTHCHECK: return set_num(v, runs_probe(c, t, &ci->healthcheck));
	case P_IS_LIVENESS: return set_num(v, runs_probe(c, t, &ci->liveness));
	case P_IS_READINESS: return set_num(v, runs_probe(c, t, &ci->readiness));
	}
	return false;
}

#define C(n, t, fl, p, d) { "container." n, t, fl, d, x_container, p }
#define K(n, t, fl, p, d) { "k8s." n, t, fl, d, x_container, p }
#define MOUNT_ARG FA_KEY | FA_INDEX | FA_REQUIRED

const struct field_def field_registry_container[] = {
	C("id", FT_STRING, 0, C_ID, "container id (12 hex characters), or 'host'"),
	C("full_id", FT_STRING, 0, C_FULL_ID, "full container id (64 hex characters), or 'host'"),
	C("name", FT_STRING, 0, C_NAME, "container name ('host' on the host)"),
	C("type", FT_STRING, 0, C_TYPE, "container runtime: docker, podman, containerd, cri-o, cri ('host' on the host)"),
	C("image", FT_STRING, 0, C_IMAGE, "container image as the runtime names it (repository:tag)"),
	C("image.id", FT_STRING, 0, C_IMAGE_ID, "container image id"),
	C("image.repository", FT_STRING, 0, C_IMAGE_REPO, "image repository"),
	C("image.tag", FT_STRING, 0, C_IMAGE_TAG, "image tag"),
	C("image.digest", FT_STRING, 0, C_IMAGE_DIGEST, "image digest (sha256:...)"),
	C("privileged", FT_BOOL, 0, C_PRIVILEGED, "privileged container (false on the host)"),
	C("mounts", FT_STRING, 0, C_MOUNTS, "mounts, space-separated source:dest:mode:rdwr:propagation"),
	C("mount", FT_STRING, MOUNT_ARG, C_MOUNT, "one mount as source:dest:mode:rdwr:propagation, by number or source path (a glob)"),
	C("mount.source", FT_STRING, MOUNT_ARG, C_MOUNT_SOURCE, "mount source, by number or destination path (a glob)"),
	C("mount.dest", FT_STRING, MOUNT_ARG, C_MOUNT_DEST, "mount destination, by number or source path (a glob)"),
	C("mount.mode", FT_STRING, MOUNT_ARG, C_MOUNT_MODE, "mount mode, by number or source path (a glob)"),
	C("mount.rdwr", FT_STRING, MOUNT_ARG, C_MOUNT_RDWR, "mount is read-write (true/false), by number or source path (a glob)"),
	C("mount.propagation", FT_STRING, MOUNT_ARG, C_MOUNT_PROPAGATION, "mount propagation, by number or source path (a glob)"),
	C("labels", FT_STRING, 0, C_LABELS, "container labels as key:value, key:value"),
	C("label", FT_STRING, FA_KEY | FA_REQUIRED, C_LABEL, "one container label, container.label[KEY]"),
	C("ip", FT_STRING, 0, C_IP, "container IP address"),
	C("cni.json", FT_STRING, 0, C_CNI, "the CNI result of the container's pod, JSON"),
	C("host_pid", FT_BOOL, 0, C_HOST_PID, "the container shares the host's pid namespace"),
	C("host_network", FT_BOOL, 0, C_HOST_NETWORK, "the container shares the host's network namespace"),
	C("host_ipc", FT_BOOL, 0, C_HOST_IPC, "the container shares the host's ipc namespace"),
	C("start_ts", FT_ABSTIME, 0, C_START_TS, "container creation time, ns since the epoch"),
	C("duration", FT_RELTIME, 0, C_DURATION, "ns since the container was created"),
	C("healthcheck", FT_STRING, 0, C_HEALTHCHECK, "the container's health check command"),
	C("liveness_probe", FT_STRING, 0, C_LIVENESS, "the container's Kubernetes liveness probe command"),
	C("readiness_probe", FT_STRING, 0, C_READINESS, "the container's Kubernetes readiness probe command"),
	{ "proc.is_container_healthcheck", FT_BOOL, 0, "the process is the container's health check", x_container,
	  P_IS_HEALTHCHECK },
	{ "proc.is_container_liveness_probe", FT_BOOL, 0, "the process is the container's liveness probe", x_container,
	  P_IS_LIVENESS },
	{ "proc.is_container_readiness_probe", FT_BOOL, 0, "the process is the container's readiness probe",
	  x_container, P_IS_READINESS },
	K("pod.name", FT_STRING, 0, K_POD_NAME, "Kubernetes pod name"),
	K("pod.uid", FT_STRING, 0, K_POD_UID, "Kubernetes pod uid"),
	K("pod.id", FT_STRING, FF_HIDDEN, K_POD_ID, "Kubernetes pod uid (legacy name of k8s.pod.uid)"),
	K("pod.sandbox_id", FT_STRING, 0, K_SANDBOX_ID, "pod sandbox id (12 hex characters)"),
	K("pod.full_sandbox_id", FT_STRING, 0, K_FULL_SANDBOX_ID, "full pod sandbox id"),
	K("pod.labels", FT_STRING, 0, K_POD_LABELS, "Kubernetes pod labels as key:value, key:value"),
	K("pod.label", FT_STRING, FA_KEY | FA_REQUIRED, K_POD_LABEL, "one pod label, k8s.pod.label[KEY]"),
	K("pod.ip", FT_STRING, 0, K_POD_IP, "the pod's IP address"),
	K("pod.cni.json", FT_STRING, 0, K_POD_CNI, "the pod's CNI result, JSON"),
	K("ns.name", FT_STRING, 0, K_NS, "Kubernetes namespace"),
	{ NULL, 0, 0, NULL, NULL, 0 },
};
