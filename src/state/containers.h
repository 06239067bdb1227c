/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container table of state/: runtime metadata per container id, filled
 * from container JSON documents (the runtimes' answers live, container
 * metaevents in captures), found by the 12-character id.
 */
#ifndef SAKER_STATE_CONTAINERS_H
#define SAKER_STATE_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct container_mount {
	char *source, *dest, *mode, *propagation;
	bool rw;
};

struct container_kv {
	char *key, *value;
};

/* A health check or probe command: the executable and its arguments joined by spaces. */
struct container_probe {
	char *exe, *args;
};

enum container_lookup {
	CONTAINER_KNOWN,       /* metadata present (from a runtime or a capture) */
	CONTAINER_PENDING,     /* asked the runtimes, no answer yet */
	CONTAINER_UNKNOWN,     /* no runtime knew it (or lookups are off) */
};

struct container_info {
	char id[16];
	char *full_id, *name, *image, *image_id, *image_repo, *image_tag, *image_digest, *type;
	char *mounts;            /* "src:dst:mode:rw:propagation,..." */
	struct container_mount *mount;
	size_t nmount;
	struct container_kv *label, *pod_label;
	size_t nlabel, npod_label;
	char *ip, *cni_json, *pod_sandbox_id;
	char *json;              /* the document it was filled from, for capture files */
	struct container_probe healthcheck, liveness, readiness;
	bool privileged, has_privileged;
	bool host_pid, host_network, host_ipc, has_host_ns;
	bool is_pod_sandbox;
	int64_t created_ns;      /* 0 when unknown */
	uint8_t lookup;          /* enum container_lookup */
	bool waited;             /* the event thread's bounded wait for it is over */
	bool in_use;             /* sweep mark: some thread is in it */
	uint64_t wait_deadline;  /* monotonic ns */
	struct container_info *next;
};

#endif
