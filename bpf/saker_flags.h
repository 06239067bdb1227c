/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Flag and enumeration values of the scap format, each written once as an
 * X-macro list of (name, kernel value, scap value). The kernel programs
 * expand them into their converters (bpf/convert.bpf.h), userspace into the
 * printer's names (src/event/print.c) and the SAKER_* constants below. The
 * kernel values are the generic/x86-64 uapi ones. No includes.
 */
#ifndef SAKER_FLAGS_H
#define SAKER_FLAGS_H

/* The dirfd that means "the current directory" (the same in scap). */
#define SAKER_AT_FDCWD (-100)
/* prctl(2) options that carry a name (PPM_PR_* keep the kernel's numbers). */
#define SAKER_PR_SET_NAME 15
#define SAKER_PR_GET_NAME 16

/* open(2) access mode, the low two bits: scap counts them from 1. */
#define SAKER_O_ACCMODE_SCAP(f) (((f) & 3) == 0 ? 1u : ((f) & 3) == 1 ? 2u : 3u)
#define SAKER_O_RDONLY (1u << 0)
#define SAKER_O_WRONLY (1u << 1)
#define SAKER_O_RDWR (SAKER_O_RDONLY | SAKER_O_WRONLY)

/*
 * open(2) flags (PPM_O_*); O_SYNC and O_TMPFILE are multi-bit kernel values.
 * FD_UPPER_LAYER/FD_LOWER_LAYER (kernel value 0: scap only) tell in which
 * overlayfs layer the opened file is, as current Falco libs send them.
 */
#define SAKER_OPEN_FLAGS(X)                     \
	X(O_CREAT, 0100, 1u << 2)               \
	X(O_APPEND, 02000, 1u << 3)             \
	X(O_DSYNC, 010000, 1u << 4)             \
	X(O_EXCL, 0200, 1u << 5)                \
	X(O_NONBLOCK, 04000, 1u << 6)           \
	X(O_SYNC, 04010000, 1u << 7)            \
	X(O_TRUNC, 01000, 1u << 8)              \
	X(O_DIRECT, 040000, 1u << 9)            \
	X(O_DIRECTORY, 0200000, 1u << 10)       \
	X(O_LARGEFILE, 0100000, 1u << 11)       \
	X(O_CLOEXEC, 02000000, 1u << 12)        \
	X(O_TMPFILE, 020200000, 1u << 13)       \
	X(FD_UPPER_LAYER, 0, 1u << 15)          \
	X(FD_LOWER_LAYER, 0, 1u << 16)

/* creat(2)'s creat_flags (PPM_FD_*_LAYER_CREAT): creat has no flags parameter. */
#define SAKER_CREAT_FLAGS(X)                    \
	X(FD_UPPER_LAYER_CREAT, 0, 1u << 0)     \
	X(FD_LOWER_LAYER_CREAT, 0, 1u << 1)

/* clone(2) flags (PPM_CL_*); a kernel value of 0: scap only. */
#define SAKER_CLONE_FLAGS(X)                            \
	X(CLONE_FILES, 0x00000400, 1u << 0)             \
	X(CLONE_FS, 0x00000200, 1u << 1)                \
	X(CLONE_IO, 0x80000000, 1u << 2)                \
	X(CLONE_NEWIPC, 0x08000000, 1u << 3)            \
	X(CLONE_NEWNET, 0x40000000, 1u << 4)            \
	X(CLONE_NEWNS, 0x00020000, 1u << 5)             \
	X(CLONE_NEWPID, 0x20000000, 1u << 6)            \
	X(CLONE_NEWUTS, 0x04000000, 1u << 7)            \
	X(CLONE_PARENT, 0x00008000, 1u << 8)            \
	X(CLONE_PARENT_SETTID, 0x00100000, 1u << 9)     \
	X(CLONE_PTRACE, 0x00002000, 1u << 10)           \
	X(CLONE_SIGHAND, 0x00000800, 1u << 11)          \
	X(CLONE_SYSVSEM, 0x00040000, 1u << 12)          \
	X(CLONE_THREAD, 0x00010000, 1u << 13)           \
	X(CLONE_UNTRACED, 0x00800000, 1u << 14)         \
	X(CLONE_VM, 0x00000100, 1u << 15)               \
	X(CLONE_NEWUSER, 0x10000000, 1u << 20)          \
	X(CLONE_CHILD_CLEARTID, 0x00200000, 1u << 23)   \
	X(CLONE_CHILD_SETTID, 0x01000000, 1u << 24)     \
	X(CLONE_SETTLS, 0x00080000, 1u << 25)           \
	X(CLONE_STOPPED, 0, 1u << 26)                   \
	X(CLONE_VFORK, 0x00004000, 1u << 27)            \
	X(CLONE_NEWCGROUP, 0x02000000, 1u << 28)

/* mmap/mprotect protection bits (PPM_PROT_*). */
#define SAKER_PROT_FLAGS(X)                     \
	X(PROT_READ, 0x1, 1u << 0)              \
	X(PROT_WRITE, 0x2, 1u << 1)             \
	X(PROT_EXEC, 0x4, 1u << 2)              \
	X(PROT_SEM, 0x8, 1u << 3)               \
	X(PROT_GROWSDOWN, 0x01000000, 1u << 4)  \
	X(PROT_GROWSUP, 0x02000000, 1u << 5)

/* Executable flags of execve events (PPM_EXE_*), set by the kernel programs. */
#define SAKER_EXE_FLAGS(X)                      \
	X(EXE_WRITABLE, 0, 1u << 0)             \
	X(EXE_UPPER_LAYER, 0, 1u << 1)          \
	X(EXE_FROM_MEMFD, 0, 1u << 2)           \
	X(EXE_LOWER_LAYER, 0, 1u << 3)

/* fcntl(2) commands (PPM_FCNTL_*): an enumeration; scap 0 is F_UNKNOWN. */
#define SAKER_FCNTL_CMDS(X)                     \
	X(F_DUPFD, 0, 1)                        \
	X(F_GETFD, 1, 2)                        \
	X(F_SETFD, 2, 3)                        \
	X(F_GETFL, 3, 4)                        \
	X(F_SETFL, 4, 5)                        \
	X(F_GETLK, 5, 6)                        \
	X(F_SETLK, 6, 8)                        \
	X(F_SETLKW, 7, 9)                       \
	X(F_SETOWN, 8, 10)                      \
	X(F_GETOWN, 9, 12)                      \
	X(F_SETSIG, 10, 13)                     \
	X(F_GETSIG, 11, 15)                     \
	X(F_SETLEASE, 1024, 23)                 \
	X(F_GETLEASE, 1025, 24)                 \
	X(F_DUPFD_CLOEXEC, 1030, 26)            \
	X(F_NOTIFY, 1026, 27)                   \
	X(F_SETPIPE_SZ, 1031, 28)               \
	X(F_GETPIPE_SZ, 1032, 29)

/* ptrace(2) requests (PPM_PTRACE_*): an enumeration; scap 0 is PTRACE_UNKNOWN. */
#define SAKER_PTRACE_REQS(X)                    \
	X(PTRACE_TRACEME, 0, 1)                 \
	X(PTRACE_PEEKTEXT, 1, 2)                \
	X(PTRACE_PEEKDATA, 2, 3)                \
	X(PTRACE_PEEKUSR, 3, 4)                 \
	X(PTRACE_POKETEXT, 4, 5)                \
	X(PTRACE_POKEDATA, 5, 6)                \
	X(PTRACE_POKEUSR, 6, 7)                 \
	X(PTRACE_CONT, 7, 8)                    \
	X(PTRACE_KILL, 8, 9)                    \
	X(PTRACE_SINGLESTEP, 9, 10)             \
	X(PTRACE_ATTACH, 16, 11)                \
	X(PTRACE_DETACH, 17, 12)                \
	X(PTRACE_SYSCALL, 24, 13)               \
	X(PTRACE_SETOPTIONS, 0x4200, 14)        \
	X(PTRACE_GETEVENTMSG, 0x4201, 15)       \
	X(PTRACE_GETSIGINFO, 0x4202, 16)        \
	X(PTRACE_SETSIGINFO, 0x4203, 17)        \
	X(PTRACE_GETREGSET, 0x4204, 18)         \
	X(PTRACE_SETREGSET, 0x4205, 19)         \
	X(PTRACE_SEIZE, 0x4206, 20)             \
	X(PTRACE_INTERRUPT, 0x4207, 21)         \
	X(PTRACE_LISTEN, 0x4208, 22)            \
	X(PTRACE_GETREGS, 12, 26)               \
	X(PTRACE_SETREGS, 13, 27)

/* Socket families (PPM_AF_*): scap keeps the kernel's numbers. */
#define SAKER_SOCKET_FAMILIES(X)                \
	X(AF_UNSPEC, 0, 0)                      \
	X(AF_LOCAL, 1, 1)                       \
	X(AF_INET, 2, 2)                        \
	X(AF_INET6, 10, 10)                     \
	X(AF_NETLINK, 16, 16)                   \
	X(AF_PACKET, 17, 17)                    \
	X(AF_ALG, 38, 38)                       \
	X(AF_VSOCK, 40, 40)

/* SAKER_<name>: the scap value of every entry above. */
#define SAKER_FLAG_ENUM(name, kernel, scap) SAKER_##name = (scap),
enum saker_open_flag { SAKER_OPEN_FLAGS(SAKER_FLAG_ENUM) };
enum saker_creat_flag { SAKER_CREAT_FLAGS(SAKER_FLAG_ENUM) };
enum saker_clone_flag { SAKER_CLONE_FLAGS(SAKER_FLAG_ENUM) };
enum saker_prot_flag { SAKER_PROT_FLAGS(SAKER_FLAG_ENUM) };
enum saker_exe_flag { SAKER_EXE_FLAGS(SAKER_FLAG_ENUM) };
enum saker_fcntl_cmd { SAKER_F_UNKNOWN = 0, SAKER_FCNTL_CMDS(SAKER_FLAG_ENUM) };
enum saker_ptrace_req { SAKER_PTRACE_UNKNOWN = 0, SAKER_PTRACE_REQS(SAKER_FLAG_ENUM) };
enum saker_socket_family { SAKER_SOCKET_FAMILIES(SAKER_FLAG_ENUM) };
#undef SAKER_FLAG_ENUM

#endif
