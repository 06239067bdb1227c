// SPDX-License-Identifier: Apache-2.0
/*
 * user.* and group.* fields: the process's ids, and the names, home and
 * shell the user database gives them.
 */
#include "fields/extract.h"
#include "state/users.h"

enum { U_UID, U_NAME, U_HOME, U_SHELL, U_LOGINUID, U_LOGINNAME, G_GID, G_NAME };

static bool x_user(struct field_ctx *c, const struct field_def *f, const char *arg, int64_t idx,
		   struct field_value *v)
{
	struct proc *p = ctx_proc(c);
	struct users *users = c->state ? state_users(c->state) : NULL;
	const struct user_info *u;
	uint32_t id;

	if (!p)
		return false;
	switch (f->param) {
	case U_UID: return set_num(v, p->uid);
	case U_LOGINUID: return set_num(v, p->loginuid == UINT32_MAX ? -1 : (int64_t)p->loginuid);
	case G_GID: return set_num(v, p->gid);
	case G_NAME: return users ? set_str(v, users_group_name(users, p->gid)) : false;
	}
	id = f->param == U_LOGINNAME ? p->loginuid : p->uid;
	if (f->param == U_LOGINNAME && id == UINT32_MAX)
		return false;
	u = users ? users_by_uid(users, id) : NULL;
	if (!u)
		return false;
	return set_str(v, f->param == U_HOME ? u->home : f->param == U_SHELL ? u->shell : u->name);
}

const struct field_def fields_user[] = {
	{ "user.uid", FT_UINT, 0, "effective user id", x_user, U_UID },
	{ "user.name", FT_STRING, 0, "user name", x_user, U_NAME },
	{ "user.homedir", FT_STRING, 0, "home directory", x_user, U_HOME },
	{ "user.shell", FT_STRING, 0, "login shell", x_user, U_SHELL },
	{ "user.loginuid", FT_INT, 0, "audit login uid (-1 when none)", x_user, U_LOGINUID },
	{ "user.loginname", FT_STRING, 0, "name of the login user", x_user, U_LOGINNAME },
	{ "group.gid", FT_UINT, 0, "effective group id", x_user, G_GID },
	{ "group.name", FT_STRING, 0, "group name", x_user, G_NAME },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
