// SPDX-License-Identifier: Apache-2.0
/*
 * Seeding state from /proc (under the configured host root): processes and
 * threads that started before saker, their fds, and sockets resolved through
 * /proc/net/{tcp,tcp6,udp,udp6,unix}.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netinet/in.h>

#include "saker_flags.h"
#include "state/state_internal.h"

struct sockent {
	int64_t ino;            /* the socket's inode: the table key */
	uint8_t family, l4proto, listening;
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;
	char *path;
	struct sockent *next;
};

struct socktab {
	struct table entries;   /* struct sockent by inode */
};

static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *buf;
	ssize_t r;

	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	while (buf && (r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = cap < (1 << 20) ? realloc(buf, cap * 2 + 1) : NULL;

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (buf)
		buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

static char *read_link(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = 0;
	return strdup(buf);
}

static void hex_addr(const char *hex, uint8_t *out, int bytes)
{
	for (int i = 0; i < bytes / 4; i++) {
		uint32_t w = 0;

		sscanf(hex + i * 8, "%8x", &w);
		memcpy(out + i * 4, &w, 4); /* /proc prints each 32-bit word in host order */
	}
}

static void socktab_add(struct socktab *t, struct sockent *e)
{
	table_insert(&t->entries, e);
}

static void socktab_load_inet(struct socktab *t, const char *root, const char *file, uint8_t family, uint8_t proto)
{
	char path[512], line[512];
	FILE *f;
	int bytes = family == SAKER_AF_INET ? 4 : 16;

	snprintf(path, sizeof(path), "%s/proc/net/%s", root, file);
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char la[40], ra[40];
		unsigned lp, rp, st;
		unsigned long ino;
		struct sockent *e;

		if (sscanf(line, "%*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x %*s %*s %*s %*s %*s %lu",
			   la, &lp, ra, &rp, &st, &ino) != 6)
			continue;
		e = calloc(1, sizeof(*e));
		if (!e)
			break;
		e->ino = ino;
		e->family = family;
		e->l4proto = proto;
		e->listening = proto == IPPROTO_TCP ? st == 0x0A /* TCP_LISTEN */ : rp == 0;
		hex_addr(la, e->laddr, bytes);
		hex_addr(ra, e->raddr, bytes);
		e->lport = lp;
		e->rport = rp;
		socktab_add(t, e);
	}
	fclose(f);
}

static void socktab_load_unix(struct socktab *t, const char *root)
{
	char path[512], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/net/unix", root);
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long ino;
		char p[600] = "";
		struct sockent *e;

		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %599s", &ino, p) < 1)
			continue;
		e = calloc(1, sizeof(*e));
		if (!e)
			break;
		e->ino = ino;
		e->family = SAKER_AF_LOCAL;
		e->path = strdup(p);
		socktab_add(t, e);
	}
	fclose(f);
}

static void sockent_free(void *ctx, void *e)
{
	free(((struct sockent *)e)->path);
	free(e);
}

static void socktab_free(struct socktab *t)
{
	if (!t)
		return;
	table_foreach(&t->entries, sockent_free, NULL);
	table_release(&t->entries);
	free(t);
}

/* The sockets of /proc/net/{tcp,tcp6,udp,udp6,unix} by inode; NULL without memory. */
static struct socktab *socktab_load(const char *root)
{
	struct socktab *st = calloc(1, sizeof(*st));

	if (!st || table_init(&st->entries, 1024, offsetof(struct sockent, ino), offsetof(struct sockent, next))) {
		free(st);
		return NULL;
	}
	socktab_load_inet(st, root, "tcp", SAKER_AF_INET, IPPROTO_TCP);
	socktab_load_inet(st, root, "udp", SAKER_AF_INET, IPPROTO_UDP);
	socktab_load_inet(st, root, "tcp6", SAKER_AF_INET6, IPPROTO_TCP);
	socktab_load_inet(st, root, "udp6", SAKER_AF_INET6, IPPROTO_UDP);
	socktab_load_unix(st, root);
	return st;
}

static struct sockent *socktab_find(struct socktab *t, uint64_t ino)
{
	return t ? table_find(&t->entries, (int64_t)ino) : NULL;
}

static void fd_from_socket(struct fdinfo *f, const struct sockent *e)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], buf[256];
	int af = e->family == SAKER_AF_INET ? AF_INET : AF_INET6;

	f->family = e->family;
	f->l4proto = e->l4proto;
	if (e->family == SAKER_AF_LOCAL) {
		f->type = FDT_UNIX_SOCK;
		fdinfo_set_name(f, e->path ? e->path : "", e->path ? strlen(e->path) : 0);
		return;
	}
	f->type = e->listening ? (e->family == SAKER_AF_INET ? FDT_IPV4_SERVSOCK : FDT_IPV6_SERVSOCK)
			       : (e->family == SAKER_AF_INET ? FDT_IPV4_SOCK : FDT_IPV6_SOCK);
	f->is_server = e->listening;
	/* for an established socket we do not know who connected: local is the client */
	memcpy(f->sip, e->laddr, 16);
	memcpy(f->dip, e->raddr, 16);
	f->sport = e->lport;
	f->dport = e->rport;
	inet_ntop(af, e->laddr, a, sizeof(a));
	inet_ntop(af, e->raddr, b, sizeof(b));
	if (e->listening)
		snprintf(buf, sizeof(buf), "%s:%u", a, e->lport);
	else
		snprintf(buf, sizeof(buf), "%s:%u->%s:%u", a, e->lport, b, e->rport);
	fdinfo_set_name(f, buf, strlen(buf));
	f->connected = !e->listening;
}

static void scan_fds(struct state *s, struct thread *t, const char *dir, struct socktab *st)
{
	char path[600];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/fd", dir);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char lpath[900];
		char *target;
		int64_t fd;
		struct fdinfo *f;
		unsigned long ino;

		if (de->d_name[0] == '.')
			continue;
		fd = strtoll(de->d_name, NULL, 10);
		snprintf(lpath, sizeof(lpath), "%s/%s", path, de->d_name);
		target = read_link(lpath);
		if (!target)
			continue;
		if (target[0] == '/') {
			struct stat sb;
			uint8_t type = (stat(lpath, &sb) == 0 && S_ISDIR(sb.st_mode)) ? FDT_DIRECTORY : FDT_FILE;

			if (strncmp(target, "/memfd:", 7) == 0) {
				char *m = strdup(target + 1);

				free(target);
				target = m;
				type = FDT_MEMFD;
			}
			state_add_fd(s, t, fd, type, target);
		} else if (sscanf(target, "socket:[%lu]", &ino) == 1) {
			f = state_add_fd(s, t, fd, FDT_UNKNOWN, NULL);
			free(target);
			if (f && socktab_find(st, ino))
				fd_from_socket(f, socktab_find(st, ino));
		} else if (strncmp(target, "pipe:", 5) == 0) {
			free(target);
			state_add_fd(s, t, fd, FDT_FIFO, NULL);
		} else {
			uint8_t type = strstr(target, "eventfd") ? FDT_EVENT :
				       strstr(target, "eventpoll") ? FDT_EVENTPOLL :
				       strstr(target, "inotify") ? FDT_INOTIFY :
				       strstr(target, "signalfd") ? FDT_SIGNALFD :
				       strstr(target, "timerfd") ? FDT_TIMERFD :
				       strstr(target, "bpf") ? FDT_BPF :
				       strstr(target, "pidfd") ? FDT_PIDFD :
				       strstr(target, "io_uring") ? FDT_IOURING : FDT_UNKNOWN;
			free(target);
			state_add_fd(s, t, fd, type, NULL);
		}
	}
	closedir(d);
}

static void scan_status(struct proc *p, struct thread *t, const char *dir, int64_t *tgid, int64_t *ppid)
{
	char path[600], *buf, *line, *save = NULL;

	snprintf(path, sizeof(path), "%s/status", dir);
	buf = read_file(path, NULL);
	if (!buf)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long long a, b;

		if (sscanf(line, "Tgid: %lld", &a) == 1)
			*tgid = a;
		else if (sscanf(line, "PPid: %lld", &a) == 1)
			*ppid = a;
		else if (p && sscanf(line, "Uid: %lld %lld", &a, &b) == 2)
			p->uid = b;
		else if (p && sscanf(line, "Gid: %lld %lld", &a, &b) == 2)
			p->gid = b;
		else if (p && strncmp(line, "CapEff:", 7) == 0)
			p->cap_effective = strtoull(line + 7, NULL, 16);
		else if (p && strncmp(line, "CapPrm:", 7) == 0)
			p->cap_permitted = strtoull(line + 7, NULL, 16);
		else if (p && strncmp(line, "CapInh:", 7) == 0)
			p->cap_inheritable = strtoull(line + 7, NULL, 16);
		else if (p && sscanf(line, "VmSize: %lld", &a) == 1)
			p->vmsize_kb = a;
		else if (p && sscanf(line, "VmRSS: %lld", &a) == 1)
			p->vmrss_kb = a;
		else if (p && sscanf(line, "VmSwap: %lld", &a) == 1)
			p->vmswap_kb = a;
		else if (strncmp(line, "NSpid:", 6) == 0) {
			char *last = strrchr(line, '\t');

			if (last && t)
				t->vtid = strtoll(last + 1, NULL, 10);
		}
	}
	free(buf);
}

/* comm and cmdline: the name, argv[0] and the other arguments. */
static void scan_proc_cmdline(struct proc *p, const char *dir)
{
	char path[600], *buf;
	size_t n;

	snprintf(path, sizeof(path), "%s/comm", dir);
	if ((buf = read_file(path, NULL))) {
		buf[strcspn(buf, "\n")] = 0;
		snprintf(p->comm, sizeof(p->comm), "%s", buf);
		free(buf);
	}
	snprintf(path, sizeof(path), "%s/cmdline", dir);
	if ((buf = read_file(path, &n)) && n > 0) {
		size_t l0 = strnlen(buf, n);

		free(p->exe);
		p->exe = strndup(buf, l0);
		free(p->args);
		p->args_len = l0 + 1 < n ? n - l0 - 1 : 0;
		p->args = malloc(p->args_len + 1);
		if (p->args) {
			memcpy(p->args, buf + l0 + 1, p->args_len);
			p->args[p->args_len] = 0;
		}
	}
	free(buf);
}

/* The boot time in ns since the epoch (btime of /proc/stat), read once. */
static uint64_t boot_ns(void)
{
	static uint64_t btime;
	char *buf, *l;

	if (!btime && (buf = read_file("/proc/stat", NULL))) {
		if ((l = strstr(buf, "\nbtime ")))
			btime = strtoull(l + 7, NULL, 10) * 1000000000ull;
		free(buf);
	}
	return btime;
}

/* limits: the fd limit (Max open files, soft). */
static void scan_proc_limits(struct proc *p, const char *dir)
{
	char path[600], *buf, *l;

	snprintf(path, sizeof(path), "%s/limits", dir);
	if (!(buf = read_file(path, NULL)))
		return;
	if ((l = strstr(buf, "Max open files")))
		p->fdlimit = strtoll(l + 14, NULL, 10);
	free(buf);
}

/* stat: process group, session, tty, page faults, start time. */
static void scan_proc_stat(struct proc *p, const char *dir)
{
	char path[600], *buf;

	snprintf(path, sizeof(path), "%s/stat", dir);
	if ((buf = read_file(path, NULL))) {
		char *rp = strrchr(buf, ')');
		long long pgrp = 0, sid = 0, tty = 0;
		unsigned long long start = 0, minflt = 0, majflt = 0;

		if (rp && sscanf(rp + 2, "%*c %*d %lld %lld %lld %*d %*u %llu %*u %llu %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
				 &pgrp, &sid, &tty, &minflt, &majflt, &start) == 6) {
			p->pgid = p->vpgid = pgrp;
			p->sid = sid;
			p->tty = tty;
			p->pfminor = minflt;
			p->pfmajor = majflt;
			p->clone_ts = boot_ns() + start * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
		}
		free(buf);
	}
}

/* cgroup (v2 line): the cgroups blob as events carry it, and the container id. */
static void scan_proc_cgroup(struct proc *p, const char *dir)
{
	char path[600], *buf;
	size_t n;

	snprintf(path, sizeof(path), "%s/cgroup", dir);
	if ((buf = read_file(path, &n))) {
		char *c = strstr(buf, "::");
		char cg[4096];

		if (c) {
			c[strcspn(c, "\n")] = 0;
			n = snprintf(cg, sizeof(cg), "cpuset=%s", c + 2) + 1;
			free(p->cgroups);
			p->cgroups = malloc(n);
			if (p->cgroups) {
				memcpy(p->cgroups, cg, n);
				p->cgroups_len = n;
			}
		}
		container_id_from_cgroups(p->cgroups, p->cgroups_len, p->container_id);
		free(buf);
	}
}

static void scan_proc_data(struct proc *p, const char *dir)
{
	char path[600], *buf;

	scan_proc_cmdline(p, dir);
	snprintf(path, sizeof(path), "%s/exe", dir);
	free(p->exepath);
	p->exepath = read_link(path);
	if (p->exepath && strncmp(p->exepath, "/memfd:", 7) == 0)
		p->exe_flags |= SAKER_EXE_FROM_MEMFD;
	snprintf(path, sizeof(path), "%s/cwd", dir);
	free(p->cwd);
	p->cwd = read_link(path);
	snprintf(path, sizeof(path), "%s/loginuid", dir);
	if ((buf = read_file(path, NULL))) {
		p->loginuid = strtoul(buf, NULL, 10);
		free(buf);
	}
	scan_proc_stat(p, dir);
	scan_proc_limits(p, dir);
	scan_proc_cgroup(p, dir);
}

/* A task other than the leader: its own name, where it is not its process's. */
static void scan_task_comm(struct thread *t, const char *dir)
{
	char path[600], *buf;

	snprintf(path, sizeof(path), "%s/comm", dir);
	if (!(buf = read_file(path, NULL)))
		return;
	buf[strcspn(buf, "\n")] = 0;
	if (strcmp(buf, t->proc->comm))
		snprintf(t->comm, sizeof(t->comm), "%s", buf);
	free(buf);
}

static struct thread *scan_one(struct state *s, int64_t pid, int64_t tid, struct socktab *st)
{
	char dir[512];
	int64_t tgid = pid, ppid = 0;
	struct thread *t;

	if (tid == pid)
		snprintf(dir, sizeof(dir), "%s/proc/%lld", s->host_root, (long long)pid);
	else
		snprintf(dir, sizeof(dir), "%s/proc/%lld/task/%lld", s->host_root, (long long)pid, (long long)tid);
	if (access(dir, F_OK) != 0)
		return NULL;
	t = state_add_thread(s, tid, pid, 0);
	if (!t)
		return NULL;
	if (tid == pid) {
		scan_proc_data(t->proc, dir);
		containers_note(s, t->proc);
		scan_status(t->proc, t, dir, &tgid, &ppid);
		scan_fds(s, t, dir, st);
	} else {
		scan_status(NULL, t, dir, &tgid, &ppid);
		scan_task_comm(t, dir);
	}
	t->ptid = ppid;
	s->proc_scanned++;
	return t;
}

int state_scan_proc(struct state *s)
{
	char path[512];
	struct socktab *st = socktab_load(s->host_root);
	DIR *d;
	struct dirent *de;

	if (!st)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/proc", s->host_root);
	d = opendir(path);
	if (!d) {
		int err = -errno;

		socktab_free(st);
		return err;
	}
	while ((de = readdir(d))) {
		int64_t pid = strtoll(de->d_name, NULL, 10);
		char tdir[1024];
		DIR *td;
		struct dirent *te;

		if (pid <= 0 || !scan_one(s, pid, pid, st))
			continue;
		snprintf(tdir, sizeof(tdir), "%s/%s/task", path, de->d_name);
		td = opendir(tdir);
		while (td && (te = readdir(td))) {
			int64_t tid = strtoll(te->d_name, NULL, 10);

			if (tid > 0 && tid != pid)
				scan_one(s, pid, tid, st);
		}
		if (td)
			closedir(td);
	}
	closedir(d);
	socktab_free(st);
	return 0;
}

struct thread *state_scan_thread(struct state *s, int64_t tid)
{
	char path[512], *buf;
	int64_t tgid = tid;

	snprintf(path, sizeof(path), "%s/proc/%lld/status", s->host_root, (long long)tid);
	buf = read_file(path, NULL);
	if (!buf)
		return NULL;
	if (strstr(buf, "Tgid:"))
		tgid = strtoll(strstr(buf, "Tgid:") + 5, NULL, 10);
	free(buf);
	if (tgid != tid && !state_thread(s, tgid))
		scan_one(s, tgid, tgid, NULL);
	return scan_one(s, tgid, tid, NULL);
}
