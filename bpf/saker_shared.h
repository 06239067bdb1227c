/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * The ABI that the kernel programs and userspace both see: sizes, the scap
 * event types the probes emit, and the per-CPU counters. Fixed-width types
 * only, no kernel or libc includes.
 */
#ifndef SAKER_SHARED_H
#define SAKER_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* scap header: ts(8) tid(8) len(4) type(2) nparams(4), packed. */
#define SAKER_HDR_LEN 26
/* Per-CPU scratch: events are built here, then copied into the ring. */
#define SAKER_SCRATCH_SIZE (64 * 1024)
/* Largest event we submit; writes are masked below it. */
#define SAKER_MAX_EVENT (32 * 1024)
#define SAKER_POS_MASK (SAKER_MAX_EVENT - 1)
#define SAKER_MAX_PATH 4096
#define SAKER_MAX_ARGS 4096
#define SAKER_MAX_SYSCALLS 512 /* a power of two: ids are masked with it */
#define SAKER_MAX_RINGS 256

/* scap event types emitted live (exit events, modern versions). */
enum saker_event_type {
	SAKER_EV_GENERIC_X = 1,
	SAKER_EV_OPEN_X = 3,
	SAKER_EV_CLOSE_X = 5,
	SAKER_EV_PROCEXIT_E = 16,
	SAKER_EV_SOCKET_X = 19,
	SAKER_EV_BIND_X = 21,
	SAKER_EV_CONNECT_X = 23,
	SAKER_EV_LISTEN_X = 25,
	SAKER_EV_SENDTO_X = 31,
	SAKER_EV_RECVFROM_X = 35,
	SAKER_EV_SOCKETPAIR_X = 43,
	SAKER_EV_SENDMSG_X = 49,
	SAKER_EV_RECVMSG_X = 53,
	SAKER_EV_CREAT_X = 59,
	SAKER_EV_PIPE_X = 61,
	SAKER_EV_CHDIR_X = 95,
	SAKER_EV_FCHDIR_X = 97,
	SAKER_EV_KILL_X = 129,
	SAKER_EV_TKILL_X = 131,
	SAKER_EV_TGKILL_X = 133,
	SAKER_EV_FCNTL_X = 151,
	SAKER_EV_PTRACE_X = 169,
	SAKER_EV_RENAME_X = 175,
	SAKER_EV_RENAMEAT_X = 177,
	SAKER_EV_SYMLINK_X = 179,
	SAKER_EV_SYMLINKAT_X = 181,
	SAKER_EV_PROCEXIT_1_E = 186,
	SAKER_EV_SETRESUID_X = 193,
	SAKER_EV_SETRESGID_X = 195,
	SAKER_EV_SETUID_X = 199,
	SAKER_EV_SETGID_X = 201,
	SAKER_EV_CLONE_20_X = 223,
	SAKER_EV_FORK_20_X = 225,
	SAKER_EV_VFORK_20_X = 227,
	SAKER_EV_SETNS_X = 241,
	SAKER_EV_ACCEPT_5_X = 247,
	SAKER_EV_MOUNT_X = 257,
	SAKER_EV_MKDIR_2_X = 277,
	SAKER_EV_RMDIR_2_X = 279,
	SAKER_EV_UNSHARE_X = 285,
	SAKER_EV_EXECVE_19_X = 293,
	SAKER_EV_UNLINK_2_X = 301,
	SAKER_EV_UNLINKAT_2_X = 303,
	SAKER_EV_MKDIRAT_X = 305,
	SAKER_EV_OPENAT_2_X = 307,
	SAKER_EV_LINK_2_X = 309,
	SAKER_EV_LINKAT_2_X = 311,
	SAKER_EV_FCHMODAT_X = 313,
	SAKER_EV_CHMOD_X = 315,
	SAKER_EV_FCHMOD_X = 317,
	SAKER_EV_RENAMEAT2_X = 319,
	SAKER_EV_USERFAULTFD_X = 321,
	SAKER_EV_OPENAT2_X = 327,
	SAKER_EV_MPROTECT_X = 329,
	SAKER_EV_EXECVEAT_X = 331,
	SAKER_EV_CLONE3_X = 335,
	SAKER_EV_IO_URING_SETUP_X = 339,
	SAKER_EV_CAPSET_X = 353,
	SAKER_EV_DUP2_X = 363,
	SAKER_EV_DUP3_X = 365,
	SAKER_EV_DUP_1_X = 367,
	SAKER_EV_BPF_2_X = 369,
	SAKER_EV_CHOWN_X = 379,
	SAKER_EV_LCHOWN_X = 381,
	SAKER_EV_FCHOWN_X = 383,
	SAKER_EV_FCHOWNAT_X = 385,
	SAKER_EV_ACCEPT4_6_X = 389,
	SAKER_EV_UMOUNT2_X = 391,
	SAKER_EV_PIPE2_X = 393,
	SAKER_EV_PRCTL_X = 401,
	SAKER_EV_MEMFD_CREATE_X = 405,
	SAKER_EV_INIT_MODULE_X = 411,
	SAKER_EV_FINIT_MODULE_X = 413,
	SAKER_EV_DELETE_MODULE_X = 425,
	SAKER_EV_SETREUID_X = 427,
	SAKER_EV_SETREGID_X = 429,
};

/* Why an event was not delivered. */
enum saker_drop_reason {
	SAKER_DROP_RING_FULL,
	SAKER_DROP_TOO_LARGE,
	SAKER_DROP_NO_RING,
	SAKER_DROP_REASONS,
};

/* Syscall categories counted per CPU (coarse, for stats). */
enum saker_category {
	SAKER_CAT_FILE,
	SAKER_CAT_NET,
	SAKER_CAT_PROCESS,
	SAKER_CAT_OTHER,
	SAKER_CATEGORIES,
};

/* One per CPU, in a PERCPU_ARRAY of one entry. */
struct saker_counters {
	__u64 events_seen;      /* events built by a probe */
	__u64 events_sent;      /* events committed to a ring */
	__u64 drops[SAKER_DROP_REASONS];
	__u64 by_category[SAKER_CATEGORIES];
	__u64 ia32_syscalls;    /* 32-bit syscalls converted to 64-bit ids */
};

#endif
