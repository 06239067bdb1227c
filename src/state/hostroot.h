/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host root: a path prefix under which saker reads the host's /proc,
 * /etc/passwd, /etc/group and runtime sockets when it runs in a container
 * (a DaemonSet pod mounts the host's /proc and /etc under /host). Set by the
 * HOST_ROOT environment variable, as in Falco, or by the host_root config key.
 */
#ifndef SAKER_HOSTROOT_H
#define SAKER_HOSTROOT_H

#include <stddef.h>
#include <sys/types.h>

/* Use root ("" or NULL: none) instead of $HOST_ROOT; trailing '/'s dropped. */
void hostroot_set(const char *root);

/* The prefix: "" when none; $HOST_ROOT unless hostroot_set() was called. */
const char *hostroot(void);

/* Write prefix + path (an absolute path) into buf; returns buf. */
char *hostroot_path_n(char *buf, size_t size, const char *path);
#define hostroot_path(buf, path) hostroot_path_n((buf), sizeof(buf), (path))

/* Our pid as the host sees it (the BPF side's tgid), through <root>/proc/self. */
pid_t hostroot_self_pid(void);

#endif
