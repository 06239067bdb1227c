// SPDX-License-Identifier: Apache-2.0
/*
 * The host-root prefix, decided once per process: the host_root config key
 * if given, else $HOST_ROOT, else none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/hostroot.h"

static char root[256];
static int root_set;

void hostroot_set(const char *r)
{
	size_t n;

	snprintf(root, sizeof(root), "%s", r ? r : "");
	n = strlen(root);
	while (n > 0 && root[n - 1] == '/')
		root[--n] = '\0';
	root_set = 1;
}

const char *hostroot(void)
{
	if (!root_set)
		hostroot_set(getenv("HOST_ROOT"));
	return root;
}

char *hostroot_path_n(char *buf, size_t size, const char *path)
{
	snprintf(buf, size, "%s%s", hostroot(), path);
	return buf;
}

pid_t hostroot_self_pid(void)
{
	char path[300], link[32];
	ssize_t n;

	/* procfs answers "self" in the pid namespace it was mounted for. */
	n = readlink(hostroot_path(path, "/proc/self"), link, sizeof(link) - 1);
	if (n <= 0)
		return getpid();
	link[n] = '\0';
	return atoi(link) > 0 ? (pid_t)atoi(link) : getpid();
}
