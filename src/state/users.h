/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Users and groups of the host, read from <root>/etc/passwd and
 * <root>/etc/group and reloaded when those files change.
 */
#ifndef SAKER_USERS_H
#define SAKER_USERS_H

#include <stdint.h>

struct user_info {
	uint32_t uid, gid;
	const char *name, *home, *shell;
};

struct users;

struct users *users_new(const char *root);
void users_free(struct users *u);

/* Look up; NULL when unknown. Checks for file changes at most once a second. */
const struct user_info *users_by_uid(struct users *u, uint32_t uid);
const char *users_group_name(struct users *u, uint32_t gid);

/* Call user_fn for every known user and group_fn for every group (capture seeding first). */
void users_foreach(struct users *u, void (*user_fn)(void *ctx, const struct user_info *ui),
		   void (*group_fn)(void *ctx, uint32_t gid, const char *name), void *ctx);

/* Add a user (from a capture's user list); later lookups find it first. */
void users_add(struct users *u, uint32_t uid, uint32_t gid, const char *name, const char *home, const char *shell);

/* Add a group (from a capture's group list). */
void users_add_group(struct users *u, uint32_t gid, const char *name);

#endif
