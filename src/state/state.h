/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process, thread and file-descriptor state rebuilt from the event stream
 * (and seeded from /proc at start): who a tid is, what its fds point to.
 * Events update state before rules see them; removals happen after.
 */
#ifndef SAKER_STATE_H
#define SAKER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "state/containers.h"
#include "state/table.h"

/* scap fd types, with their sysdig type characters. */
enum fd_type {
	FDT_UNKNOWN, FDT_FILE, FDT_DIRECTORY, FDT_IPV4_SOCK, FDT_IPV6_SOCK,
	FDT_IPV4_SERVSOCK, FDT_IPV6_SERVSOCK, FDT_FIFO, FDT_UNIX_SOCK, FDT_EVENT,
	FDT_UNSUPPORTED, FDT_SIGNALFD, FDT_EVENTPOLL, FDT_INOTIFY, FDT_TIMERFD,
	FDT_NETLINK, FDT_FILE_V2, FDT_BPF, FDT_USERFAULTFD, FDT_IOURING, FDT_MEMFD, FDT_PIDFD,
	FDT_COUNT,
};

struct fdinfo {
	int64_t fd;
	uint8_t type;          /* enum fd_type */
	uint8_t l4proto;       /* 0 unknown, 6 tcp, 17 udp, 1 icmp, 255 raw */
	uint8_t family;        /* PPM_AF_* for sockets */
	uint8_t is_server;     /* accepted/bound/listening side */
	uint8_t connected;
	uint32_t open_flags;   /* PPM_O_* */
	uint32_t dev;
	uint64_t ino;
	uint8_t sip[16], dip[16];  /* client (source) and server (dest) */
	uint16_t sport, dport;
	char *name;            /* path, tuple text, or "" */
	char *nameraw;         /* an opened file's path as the open gave it, "//" squeezed (libs' m_name_raw); NULL or "": none */
	uint32_t name_len;     /* strlen(name), kept by every writer (state/ only) */
	uint32_t name_cap, nameraw_cap; /* bytes allocated at name and nameraw, reused by the next name (0: none) */
	uint64_t name_evt;     /* number of the event that last gave it a new name (0: none) */
	struct fdinfo *next;
};

struct fdtable {
	int refs;
	struct table entries;  /* struct fdinfo by fd number */
};

struct proc {
	int refs;
	int64_t pid;
	int64_t vpid;
	int64_t sid, pgid, vpgid;
	char *exe;             /* argv[0] as the event gave it */
	char *exepath;         /* full path of the executable */
	char *args;            /* NUL-separated arguments after argv[0] */
	uint32_t args_len;
	char *env;
	uint32_t env_len;
	char *cwd;
	char *cgroups;
	uint32_t cgroups_len;
	char comm[32];
	char container_id[16]; /* 12 hex chars, "host", or "" */
	uint32_t uid, gid, loginuid, tty;
	uint32_t exe_flags;    /* PPM_EXE_* */
	uint64_t cap_permitted, cap_effective, cap_inheritable;
	uint64_t exe_ino;
	uint64_t exe_ino_ctime, exe_ino_mtime;
	uint64_t start_ts;
	uint64_t clone_ts;     /* when the process was created (its clone, or its start in /proc); 0 unknown */
	uint32_t vmsize_kb, vmrss_kb, vmswap_kb; /* at exec and clone, refreshed by brk/mmap/munmap as libs */
	uint64_t pfmajor, pfminor;               /* page faults as the last exec or clone gave them */
	int64_t fdlimit;       /* RLIMIT_NOFILE as the last exec or clone gave it; -1 unknown */
	struct fdtable *fds;
	bool exe_setuid;       /* the last exec changed the effective uid: a setuid file */
};

struct thread {
	int64_t tid;
	int64_t ptid;          /* parent thread, used for ancestry */
	int64_t vtid;
	uint64_t last_ts;
	bool exited;
	char comm[16];         /* the thread's own name where it is not its process's (a task of a
				  process list, prctl(PR_SET_NAME) in a thread); "" otherwise */
	struct proc *proc;
	struct thread *next;
};

/* A thread's name (comm): its own, else its process's. */
static inline const char *thread_comm(const struct thread *t)
{
	return t->comm[0] || !t->proc ? t->comm : t->proc->comm;
}

struct state_stats {
	uint64_t threads, procs, fds;
	uint64_t evicted;      /* threads dropped for the table limit */
	uint64_t reaped;       /* exited threads removed */
	uint64_t purged;       /* quiet threads removed because /proc no longer has them */
	uint64_t proc_scanned;
	uint64_t max_threads;   /* the table limit */
};

struct state;

struct state_opts {
	const char *host_root;   /* "" or "/host": prefix for /proc and /etc */
	size_t max_threads;      /* eviction limit (falco_libs.thread_table_size); 0: 131072 */
	bool no_proc;            /* never read /proc (replaying a capture) */
};

struct state *state_new(const struct state_opts *opts);
void state_free(struct state *s);

/* Replace a NUL-separated blob of a process (args, env) with a copy of n bytes of src (NULL: none). */
void proc_set_blob(char **dst, uint32_t *len, const char *src, uint32_t n);
/* Replace a process's cgroups and the container id taken from them. */
void proc_set_cgroups(struct proc *p, const char *src, uint32_t n);

/*
 * Remove threads quiet for timeout_ns (event time) whose /proc entry is gone:
 * their exit was never seen (lost events, or saker started after a
 * namespace's init exited). Never in replay. Returns how many.
 */
size_t state_purge(struct state *s, uint64_t timeout_ns);

/* Read /proc: every process and thread, their fds and sockets. */
int state_scan_proc(struct state *s);

/* Update state for an event, before rules see it. */
void state_update(struct state *s, const struct event *ev);

/* Apply removals (close, procexit) after rules saw the event. */
void state_post_update(struct state *s, const struct event *ev);

struct thread *state_thread(struct state *s, int64_t tid);

/* The host's users and groups. */
struct users *state_users(struct state *s);

/* Lookups that let event printing resolve fds, pids and ids (event/print.h). */
struct print_hooks;
void state_print_hooks(struct state *s, struct print_hooks *h);
struct fdinfo *state_fd(struct state *s, const struct thread *t, int64_t fd);

/* The thread's parent thread, or NULL. */
struct thread *state_parent(struct state *s, const struct thread *t);

/* The main thread (thread group leader) of t's process: t itself when state has no other. */
struct thread *state_main_thread(struct state *s, struct thread *t);

/* "f", "4", "6", "u", "p", ... as sysdig prints fd types; "?" when unknown. */
const char *fd_type_char(uint8_t type);
const char *fd_type_name(uint8_t type);

void state_stats(const struct state *s, struct state_stats *out);

/* Call fn for every thread, in no particular order. */
void state_foreach_thread(struct state *s, void (*fn)(void *ctx, struct thread *t), void *ctx);

/* Call fn for every fd of a table (NULL: none); fn may remove the fd it is given. */
void fdtable_foreach(struct fdtable *t, void (*fn)(void *ctx, struct fdinfo *f), void *ctx);
/* Number of fds in a table (NULL: 0). */
unsigned fdtable_count(const struct fdtable *t);

/* Add (or replace) a thread with its own process; used by /proc and capture-file seeding. */
struct thread *state_add_thread(struct state *s, int64_t tid, int64_t pid, int64_t ptid);

/* Add an fd to a thread's table, replacing an older one. Takes ownership of name. */
struct fdinfo *state_add_fd(struct state *s, struct thread *t, int64_t fd, uint8_t type, char *name);

/* Metadata of a container id, or NULL when none was seen. */
const struct container_info *state_container(struct state *s, const char *id);

/* Called when a process in a container id not in the table appears (never for host processes). */
typedef void (*state_container_fn)(void *ctx, struct container_info *c, const char *cgroups, uint32_t len);
/* Set the hook; without one, no pending entries are made. */
void state_on_new_container(struct state *s, state_container_fn fn, void *ctx);
/* Install a container JSON document ({"container":{...}}), from a runtime or a metaevent; NULL if unusable. */
const struct container_info *state_container_json(struct state *s, const char *json);
/* No runtime knew the id (its pending entry becomes unknown). */
void state_container_unknown(struct state *s, const char *id);
/* The event thread's bounded wait for the id is over, answer or not. */
void state_container_waited(struct state *s, const char *id);
/* Pending containers the event thread may still wait for (0: no wait can happen). */
size_t state_containers_waiting(const struct state *s);
/* Forget containers no thread is in any more; returns how many. */
size_t state_containers_sweep(struct state *s);
void state_foreach_container(struct state *s, void (*fn)(void *ctx, const struct container_info *c), void *ctx);

/* Container id from a cgroup path list ("" when none, "host" for host paths). */
void container_id_from_cgroups(const char *cgroups, size_t len, char out[16]);

#endif
