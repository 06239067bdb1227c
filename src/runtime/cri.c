// SPDX-License-Identifier: Apache-2.0
/*
 * The Kubernetes CRI client (containerd, CRI-O): gRPC is HTTP/2 with prior
 * knowledge over the runtime's unix socket (libcurl), messages are
 * protobuf (protobuf-c, from our own cri.proto subset), framed with gRPC's
 * 5-byte prefix; the call's status comes in the grpc-status header or
 * trailer. ContainerStatus and PodSandboxStatus, both verbose, make one
 * container JSON document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cri.pb-c.h"
#include "runtime/runtime_internal.h"

#define MAX_BODY (8u << 20)
#define GRPC_NOT_FOUND 5

struct grpc_status {
	int code;              /* -1 until a grpc-status arrives */
	char message[256];
};

static size_t on_header(char *line, size_t size, size_t nmemb, void *userdata)
{
	struct grpc_status *st = userdata;
	size_t n = size * nmemb;

	if (n > 12 && !strncasecmp(line, "grpc-status:", 12))
		st->code = atoi(line + 12);
	else if (n > 13 && !strncasecmp(line, "grpc-message:", 13))
		snprintf(st->message, sizeof(st->message), "%.*s", (int)strcspn(line + 13, "\r\n"), line + 13);
	return n;
}

/* One unary call; LOOKUP_* with the unpacked answer in *out when found. */
static int grpc_call(CURL *c, const char *sock, const char *method, const ProtobufCMessage *req,
		     const ProtobufCMessageDescriptor *resp_desc, unsigned timeout_ms, ProtobufCMessage **out,
		     char *err, size_t n)
{
	struct grpc_status st = { .code = -1 };
	struct rt_buf b = { .limit = MAX_BODY };
	struct curl_slist *hdr = NULL;
	size_t plen = protobuf_c_message_get_packed_size(req);
	uint8_t *frame = malloc(5 + plen);
	uint32_t mlen;
	char url[256];
	CURLcode rc;
	int ret = LOOKUP_ERROR;

	if (!frame)
		return LOOKUP_ERROR;
	frame[0] = 0; /* not compressed */
	frame[1] = (uint8_t)(plen >> 24), frame[2] = (uint8_t)(plen >> 16);
	frame[3] = (uint8_t)(plen >> 8), frame[4] = (uint8_t)plen;
	protobuf_c_message_pack(req, frame + 5);
	snprintf(url, sizeof(url), "http://localhost/runtime.v1.RuntimeService/%s", method);
	hdr = curl_slist_append(hdr, "Content-Type: application/grpc");
	hdr = curl_slist_append(hdr, "TE: trailers");
	hdr = curl_slist_append(hdr, "Expect:");
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
	/* libcurl 7.88 fails ("HTTP2 framing layer") reusing an h2 connection after curl_easy_reset */
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, frame);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(5 + plen));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, rt_buf_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &st);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(err, n, "%s: %s", method, curl_easy_strerror(rc));
		ret = rc == CURLE_OPERATION_TIMEDOUT ? LOOKUP_TIMEOUT : LOOKUP_ERROR;
	} else if (st.code == GRPC_NOT_FOUND) {
		ret = LOOKUP_UNKNOWN;
	} else if (st.code != 0) {
		snprintf(err, n, "%s: grpc-status %d %s", method, st.code, st.code < 0 ? "missing" : st.message);
	} else if (b.len < 5 || b.p[0] != 0 ||
		   (mlen = (uint32_t)(uint8_t)b.p[1] << 24 | (uint32_t)(uint8_t)b.p[2] << 16 |
			   (uint32_t)(uint8_t)b.p[3] << 8 | (uint8_t)b.p[4]) > b.len - 5) {
		snprintf(err, n, "%s: malformed gRPC frame (%zu bytes)", method, b.len);
	} else if (!(*out = protobuf_c_message_unpack(resp_desc, NULL, mlen, (const uint8_t *)b.p + 5))) {
		snprintf(err, n, "%s: cannot decode the answer", method);
	} else {
		ret = LOOKUP_FOUND;
	}
	curl_slist_free_all(hdr);
	free(frame);
	rt_buf_release(&b);
	return ret;
}

static const char *propagation(Runtime__V1__MountPropagation p)
{
	return p == RUNTIME__V1__MOUNT_PROPAGATION__PROPAGATION_HOST_TO_CONTAINER ? "rslave" :
	       p == RUNTIME__V1__MOUNT_PROPAGATION__PROPAGATION_BIDIRECTIONAL ? "rshared" : "private";
}

static const char *info_json(Runtime__V1__ContainerStatusResponse__InfoEntry **e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(e[i]->key, "info"))
			return e[i]->value;
	return NULL;
}

static const cJSON *jpath(const cJSON *o, const char *const *keys)
{
	for (; o && *keys; keys++)
		o = cJSON_GetObjectItemCaseSensitive(o, *keys);
	return o;
}

static void add_map(cJSON *c, const char *key, Runtime__V1__ContainerStatus__LabelsEntry **e, size_t n)
{
	cJSON *m = cJSON_AddObjectToObject(c, key);

	for (size_t i = 0; i < n; i++)
		cJSON_AddStringToObject(m, e[i]->key, e[i]->value);
}

/* kubectl's last-applied-configuration of the pod: the container's liveness and readiness exec probes. */
static void add_probes(cJSON *c, const char *applied, const char *cname)
{
	static const char *const kinds[][2] = { { "livenessProbe", "LivenessProbe" },
						{ "readinessProbe", "ReadinessProbe" } };
	cJSON *pod = applied ? cJSON_Parse(applied) : NULL;
	const cJSON *ct;

	cJSON_ArrayForEach(ct, jpath(pod, (const char *const[]){ "spec", "containers", NULL })) {
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ct, "name");

		if (!cJSON_IsString(nm) || !cname || strcmp(nm->valuestring, cname))
			continue;
		for (size_t k = 0; k < 2; k++) {
			const cJSON *cmd = jpath(ct, (const char *const[]){ kinds[k][0], "exec", "command", NULL }), *a;
			const char *argv[64];
			size_t argc = 0;
			cJSON *p;

			cJSON_ArrayForEach(a, cmd) {
				if (cJSON_IsString(a) && argc < 64)
					argv[argc++] = a->valuestring;
			}
			if ((p = rt_probe(argv, argc)))
				cJSON_AddItemToObject(c, kinds[k][1], p);
		}
	}
	cJSON_Delete(pod);
}

static void add_sandbox(CURL *c, const char *sock, const char *sandbox, unsigned timeout_ms, cJSON *ct,
			const char *cname, char *err, size_t n)
{
	Runtime__V1__PodSandboxStatusRequest req = RUNTIME__V1__POD_SANDBOX_STATUS_REQUEST__INIT;
	Runtime__V1__PodSandboxStatusResponse *resp = NULL;
	Runtime__V1__PodSandboxStatus *ps;
	Runtime__V1__NamespaceOption *ns = NULL;
	cJSON *info;
	const char *applied = NULL;

	req.pod_sandbox_id = (char *)sandbox;
	req.verbose = 1;
	if (grpc_call(c, sock, "PodSandboxStatus", &req.base, &runtime__v1__pod_sandbox_status_response__descriptor,
		      timeout_ms, (ProtobufCMessage **)&resp, err, n) != LOOKUP_FOUND)
		return;
	if ((ps = resp->status)) {
		add_map(ct, "pod_sandbox_labels", (Runtime__V1__ContainerStatus__LabelsEntry **)ps->labels,
			ps->n_labels);
		if (ps->network && *ps->network->ip)
			cJSON_ReplaceItemInObject(ct, "ip", cJSON_CreateString(ps->network->ip));
		if (ps->linux_status && ps->linux_status->namespaces)
			ns = ps->linux_status->namespaces->options;
		for (size_t i = 0; i < ps->n_annotations; i++)
			if (!strcmp(ps->annotations[i]->key, "kubectl.kubernetes.io/last-applied-configuration"))
				applied = ps->annotations[i]->value;
		add_probes(ct, applied, cname);
	}
	cJSON_AddBoolToObject(ct, "host_network", ns && ns->network == RUNTIME__V1__NAMESPACE_MODE__NODE);
	cJSON_AddBoolToObject(ct, "host_pid", ns && ns->pid == RUNTIME__V1__NAMESPACE_MODE__NODE);
	cJSON_AddBoolToObject(ct, "host_ipc", ns && ns->ipc == RUNTIME__V1__NAMESPACE_MODE__NODE);
	info = cJSON_Parse(info_json((Runtime__V1__ContainerStatusResponse__InfoEntry **)resp->info, resp->n_info));
	if (info) {
		const cJSON *cni = cJSON_GetObjectItemCaseSensitive(info, "cniResult");
		char *s = cni && !cJSON_IsNull(cni) ? cJSON_PrintUnformatted(cni) : NULL;

		cJSON_AddStringToObject(ct, "cni_json", s ? s : "");
		free(s);
		cJSON_Delete(info);
	}
	protobuf_c_message_free_unpacked(&resp->base, NULL);
}

static enum runtime_type cri_type(const char *sock)
{
	return strstr(sock, "containerd") ? RT_CONTAINERD : strstr(sock, "crio") ? RT_CRIO : RT_CRI;
}

/* The image fields: the name the pod asked for, the image id, the digest of the reference. */
static void add_image(cJSON *ct, const Runtime__V1__ContainerStatus *s)
{
	const char *image = s->image ? s->image->image : "";
	const char *ref = s->image_ref ? s->image_ref : "";
	const char *at = strchr(ref, '@');

	if (!strncmp(image, "sha256:", 7) && at)
		image = ref;
	rt_set_image(ct, image);
	if (!strncmp(ref, "sha256:", 7))
		cJSON_AddStringToObject(ct, "imageid", ref + 7);
	else if (s->image_id && !strncmp(s->image_id, "sha256:", 7))
		cJSON_AddStringToObject(ct, "imageid", s->image_id + 7);
	if (at && !cJSON_GetObjectItemCaseSensitive(ct, "imagedigest"))
		cJSON_AddStringToObject(ct, "imagedigest", at + 1);
}

static cJSON *status_json(const char *sock, const Runtime__V1__ContainerStatusResponse *r, const char **sandbox,
			  cJSON **ctp)
{
	const Runtime__V1__ContainerStatus *s = r->status;
	cJSON *root, *ct, *info;
	const cJSON *v;

	root = rt_container_new(s->id, cri_type(sock), &ct);
	cJSON_AddStringToObject(ct, "name", s->metadata ? s->metadata->name : "");
	add_image(ct, s);
	add_map(ct, "labels", s->labels, s->n_labels);
	for (size_t i = 0; i < s->n_mounts; i++)
		rt_add_mount(ct, s->mounts[i]->host_path, s->mounts[i]->container_path, "", !s->mounts[i]->readonly,
			     propagation(s->mounts[i]->propagation));
	cJSON_AddNumberToObject(ct, "created_time", (double)(s->created_at / 1000000000));
	cJSON_AddStringToObject(ct, "ip", "");
	info = cJSON_Parse(info_json(r->info, r->n_info));
	v = jpath(info, (const char *const[]){ "config", "linux", "security_context", "privileged", NULL });
	if (!v)
		v = cJSON_GetObjectItemCaseSensitive(info, "privileged"); /* CRI-O */
	cJSON_AddBoolToObject(ct, "privileged", cJSON_IsTrue(v));
	v = cJSON_GetObjectItemCaseSensitive(info, "sandboxID");
	*sandbox = NULL;
	for (size_t i = 0; !cJSON_IsString(v) && i < s->n_labels; i++)
		if (!strcmp(s->labels[i]->key, "io.kubernetes.sandbox.id"))
			*sandbox = s->labels[i]->value;
	if (cJSON_IsString(v)) {
		cJSON_AddStringToObject(ct, "pod_sandbox_id", v->valuestring);
		*sandbox = cJSON_GetObjectItemCaseSensitive(ct, "pod_sandbox_id")->valuestring;
	}
	cJSON_Delete(info);
	*ctp = ct;
	return root;
}

/* A pod's sandbox (pause) container: named after the pod, with its labels. */
static int sandbox_lookup(CURL *c, const char *sock, const char *id, unsigned timeout_ms, cJSON **out, char *err,
			  size_t n)
{
	Runtime__V1__PodSandboxStatusRequest req = RUNTIME__V1__POD_SANDBOX_STATUS_REQUEST__INIT;
	Runtime__V1__PodSandboxStatusResponse *resp = NULL;
	Runtime__V1__PodSandboxStatus *ps;
	cJSON *root, *ct;
	int rc;

	req.pod_sandbox_id = (char *)id;
	rc = grpc_call(c, sock, "PodSandboxStatus", &req.base, &runtime__v1__pod_sandbox_status_response__descriptor,
		       timeout_ms, (ProtobufCMessage **)&resp, err, n);
	if (rc != LOOKUP_FOUND)
		return rc;
	if (!(ps = resp->status) || !*ps->id) {
		protobuf_c_message_free_unpacked(&resp->base, NULL);
		return LOOKUP_UNKNOWN;
	}
	root = rt_container_new(ps->id, cri_type(sock), &ct);
	cJSON_AddStringToObject(ct, "name", ps->metadata ? ps->metadata->name : "");
	cJSON_AddBoolToObject(ct, "is_pod_sandbox", true);
	cJSON_AddStringToObject(ct, "ip", ps->network ? ps->network->ip : "");
	cJSON_AddNumberToObject(ct, "created_time", (double)(ps->created_at / 1000000000));
	add_map(ct, "labels", (Runtime__V1__ContainerStatus__LabelsEntry **)ps->labels, ps->n_labels);
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	add_sandbox(c, sock, id, timeout_ms, ct, NULL, err, n);
	cJSON_AddStringToObject(ct, "pod_sandbox_id", id);
	*out = root;
	return LOOKUP_FOUND;
}

int cri_lookup(CURL *c, const char *sock, const char *id, unsigned timeout_ms, cJSON **out, char *err, size_t n)
{
	Runtime__V1__ContainerStatusRequest req = RUNTIME__V1__CONTAINER_STATUS_REQUEST__INIT;
	Runtime__V1__ContainerStatusResponse *resp = NULL;
	const char *sandbox;
	char sb[128];
	cJSON *root, *ct;
	int rc;

	req.container_id = (char *)id;
	req.verbose = 1;
	rc = grpc_call(c, sock, "ContainerStatus", &req.base, &runtime__v1__container_status_response__descriptor,
		       timeout_ms, (ProtobufCMessage **)&resp, err, n);
	if (rc == LOOKUP_UNKNOWN)
		return sandbox_lookup(c, sock, id, timeout_ms, out, err, n);
	if (rc != LOOKUP_FOUND)
		return rc;
	if (!resp->status || !*resp->status->id) {
		protobuf_c_message_free_unpacked(&resp->base, NULL);
		snprintf(err, n, "ContainerStatus: no status in the answer");
		return LOOKUP_ERROR;
	}
	root = status_json(sock, resp, &sandbox, &ct);
	snprintf(sb, sizeof(sb), "%s", sandbox ? sandbox : "");
	/* the pod's part is best effort: the container is known either way */
	if (*sb) {
		char perr[256];
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ct, "name");

		add_sandbox(c, sock, sb, timeout_ms, ct, cJSON_IsString(nm) ? nm->valuestring : NULL, perr,
			    sizeof(perr));
	}
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	*out = root;
	return LOOKUP_FOUND;
}
