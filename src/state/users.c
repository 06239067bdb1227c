// SPDX-License-Identifier: Apache-2.0
/*
 * passwd/group tables with change detection by mtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "state/users.h"

struct group_ent {
	uint32_t gid;
	char *name;
};

struct users {
	struct user_info *seeded;
	size_t nseeded;
	struct group_ent *seeded_groups;
	size_t nseeded_groups;
	char passwd[512], group[512];
	struct user_info *users;
	size_t nusers;
	struct group_ent *groups;
	size_t ngroups;
	struct timespec passwd_mtime, group_mtime;
	time_t checked;
};

static void users_clear(struct users *u)
{
	for (size_t i = 0; i < u->nusers; i++) {
		free((char *)u->users[i].name);
		free((char *)u->users[i].home);
		free((char *)u->users[i].shell);
	}
	free(u->users);
	u->users = NULL;
	u->nusers = 0;
	for (size_t i = 0; i < u->ngroups; i++)
		free(u->groups[i].name);
	free(u->groups);
	u->groups = NULL;
	u->ngroups = 0;
}

/* Split a colon-separated line into at most n fields in place. */
static int split(char *line, char **f, int n)
{
	int k = 0;

	line[strcspn(line, "\n")] = 0;
	f[k++] = line;
	for (char *p = line; *p && k < n; p++)
		if (*p == ':') {
			*p = 0;
			f[k++] = p + 1;
		}
	return k;
}

static void users_load(struct users *u)
{
	char line[1024], *f[7];
	FILE *fp;

	users_clear(u);
	if ((fp = fopen(u->passwd, "re"))) {
		while (fgets(line, sizeof(line), fp)) {
			struct user_info *nu;

			if (split(line, f, 7) < 7)
				continue;
			nu = realloc(u->users, (u->nusers + 1) * sizeof(*nu));
			if (!nu)
				break;
			u->users = nu;
			nu[u->nusers].uid = strtoul(f[2], NULL, 10);
			nu[u->nusers].gid = strtoul(f[3], NULL, 10);
			nu[u->nusers].name = strdup(f[0]);
			nu[u->nusers].home = strdup(f[5]);
			nu[u->nusers].shell = strdup(f[6]);
			u->nusers++;
		}
		fclose(fp);
	}
	if ((fp = fopen(u->group, "re"))) {
		while (fgets(line, sizeof(line), fp)) {
			struct group_ent *ng;

			if (split(line, f, 4) < 3)
				continue;
			ng = realloc(u->groups, (u->ngroups + 1) * sizeof(*ng));
			if (!ng)
				break;
			u->groups = ng;
			ng[u->ngroups].gid = strtoul(f[2], NULL, 10);
			ng[u->ngroups].name = strdup(f[0]);
			u->ngroups++;
		}
		fclose(fp);
	}
}

static int changed(const char *path, struct timespec *last)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return 0;
	if (sb.st_mtim.tv_sec == last->tv_sec && sb.st_mtim.tv_nsec == last->tv_nsec)
		return 0;
	*last = sb.st_mtim;
	return 1;
}

static void users_refresh(struct users *u)
{
	time_t now = time(NULL);
	int c;

	if (now == u->checked)
		return;
	u->checked = now;
	c = changed(u->passwd, &u->passwd_mtime);
	c |= changed(u->group, &u->group_mtime);
	if (c)
		users_load(u);
}

struct users *users_new(const char *root)
{
	struct users *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	snprintf(u->passwd, sizeof(u->passwd), "%s/etc/passwd", root ? root : "");
	snprintf(u->group, sizeof(u->group), "%s/etc/group", root ? root : "");
	users_refresh(u);
	return u;
}

void users_free(struct users *u)
{
	if (!u)
		return;
	users_clear(u);
	for (size_t i = 0; i < u->nseeded; i++) {
		free((char *)u->seeded[i].name);
		free((char *)u->seeded[i].home);
		free((char *)u->seeded[i].shell);
	}
	free(u->seeded);
	for (size_t i = 0; i < u->nseeded_groups; i++)
		free(u->seeded_groups[i].name);
	free(u->seeded_groups);
	free(u);
}

void users_add(struct users *u, uint32_t uid, uint32_t gid, const char *name, const char *home, const char *shell)
{
	struct user_info *n = realloc(u->seeded, (u->nseeded + 1) * sizeof(*n));

	if (!n)
		return;
	u->seeded = n;
	n[u->nseeded].uid = uid;
	n[u->nseeded].gid = gid;
	n[u->nseeded].name = strdup(name);
	n[u->nseeded].home = strdup(home);
	n[u->nseeded].shell = strdup(shell);
	u->nseeded++;
}

void users_add_group(struct users *u, uint32_t gid, const char *name)
{
	struct group_ent *n = realloc(u->seeded_groups, (u->nseeded_groups + 1) * sizeof(*n));

	if (!n)
		return;
	u->seeded_groups = n;
	n[u->nseeded_groups].gid = gid;
	n[u->nseeded_groups].name = strdup(name);
	u->nseeded_groups++;
}

const struct user_info *users_by_uid(struct users *u, uint32_t uid)
{
	for (size_t i = 0; i < u->nseeded; i++)
		if (u->seeded[i].uid == uid)
			return &u->seeded[i];
	users_refresh(u);
	for (size_t i = 0; i < u->nusers; i++)
		if (u->users[i].uid == uid)
			return &u->users[i];
	return NULL;
}

const char *users_group_name(struct users *u, uint32_t gid)
{
	for (size_t i = 0; i < u->nseeded_groups; i++)
		if (u->seeded_groups[i].gid == gid)
			return u->seeded_groups[i].name;
	users_refresh(u);
	for (size_t i = 0; i < u->ngroups; i++)
		if (u->groups[i].gid == gid)
			return u->groups[i].name;
	return NULL;
}

void users_foreach(struct users *u, void (*user_fn)(void *ctx, const struct user_info *ui),
		   void (*group_fn)(void *ctx, uint32_t gid, const char *name), void *ctx)
{
	users_refresh(u);
	for (size_t i = 0; i < u->nseeded; i++)
		user_fn(ctx, &u->seeded[i]);
	for (size_t i = 0; i < u->nusers; i++)
		user_fn(ctx, &u->users[i]);
	for (size_t i = 0; i < u->nseeded_groups; i++)
		group_fn(ctx, u->seeded_groups[i].gid, u->seeded_groups[i].name);
	for (size_t i = 0; i < u->ngroups; i++)
		group_fn(ctx, u->groups[i].gid, u->groups[i].name);
}
