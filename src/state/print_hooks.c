// SPDX-License-Identifier: Apache-2.0
/*
 * The state lookups that event printing uses to resolve fds, pids and ids
 * as sysdig does (fd=3(<f>/tmp/x), ptid=11310(bash), uid=33(www-data)).
 */
#include <stdio.h>
#include <string.h>

#include "event/print.h"
#include "state/state.h"
#include "state/users.h"

static bool fd_desc(void *ctx, const struct event *ev, int64_t fd, char *out, size_t n)
{
	struct state *s = ctx;
	struct fdinfo *f = state_fd(s, state_thread(s, ev->tid), fd);

	if (!f || !f->name)
		return false;
	snprintf(out, n, "<%s>%s", fd_type_char(f->type), f->name);
	return true;
}

static bool pid_comm(void *ctx, int64_t pid, char *out, size_t n)
{
	struct thread *t = state_thread(ctx, pid);

	if (!t || !t->proc || !thread_comm(t)[0] || !strcmp(thread_comm(t), "<NA>"))
		return false;
	snprintf(out, n, "%s", thread_comm(t));
	return true;
}

static bool id_name(void *ctx, uint32_t id, bool group, char *out, size_t n)
{
	struct users *u = state_users(ctx);
	const struct user_info *ui = group ? NULL : users_by_uid(u, id);
	const char *name = group ? users_group_name(u, id) : ui ? ui->name : NULL;

	if (!name)
		return false;
	snprintf(out, n, "%s", name);
	return true;
}

void state_print_hooks(struct state *s, struct print_hooks *h)
{
	h->fd_desc = fd_desc;
	h->pid_comm = pid_comm;
	h->id_name = id_name;
	h->ctx = s;
}
