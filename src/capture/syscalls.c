// SPDX-License-Identifier: Apache-2.0
/*
 * The syscalls with a dedicated capture program, and name/number lookups
 * over the generated tables.
 */
#include <string.h>

#include "capture/syscalls.h"
#include "saker_shared.h"

const struct syscall_probe syscall_probes[] = {
	{"execve", SAKER_EV_EXECVE_19_X}, {"execveat", SAKER_EV_EXECVEAT_X},
	{"clone", SAKER_EV_CLONE_20_X}, {"clone3", SAKER_EV_CLONE3_X},
	{"fork", SAKER_EV_FORK_20_X}, {"vfork", SAKER_EV_VFORK_20_X},
	{"open", SAKER_EV_OPEN_X}, {"openat", SAKER_EV_OPENAT_2_X},
	{"openat2", SAKER_EV_OPENAT2_X}, {"creat", SAKER_EV_CREAT_X},
	{"close", SAKER_EV_CLOSE_X}, {"dup", SAKER_EV_DUP_1_X}, {"dup2", SAKER_EV_DUP2_X},
	{"dup3", SAKER_EV_DUP3_X}, {"fcntl", SAKER_EV_FCNTL_X}, {"pipe", SAKER_EV_PIPE_X},
	{"pipe2", SAKER_EV_PIPE2_X}, {"socket", SAKER_EV_SOCKET_X},
	{"socketpair", SAKER_EV_SOCKETPAIR_X}, {"connect", SAKER_EV_CONNECT_X},
	{"accept", SAKER_EV_ACCEPT_5_X}, {"accept4", SAKER_EV_ACCEPT4_6_X},
	{"bind", SAKER_EV_BIND_X}, {"listen", SAKER_EV_LISTEN_X},
	{"sendto", SAKER_EV_SENDTO_X}, {"recvfrom", SAKER_EV_RECVFROM_X},
	{"sendmsg", SAKER_EV_SENDMSG_X}, {"recvmsg", SAKER_EV_RECVMSG_X},
	{"chdir", SAKER_EV_CHDIR_X}, {"fchdir", SAKER_EV_FCHDIR_X},
	{"rename", SAKER_EV_RENAME_X}, {"renameat", SAKER_EV_RENAMEAT_X},
	{"renameat2", SAKER_EV_RENAMEAT2_X}, {"unlink", SAKER_EV_UNLINK_2_X},
	{"unlinkat", SAKER_EV_UNLINKAT_2_X}, {"mkdir", SAKER_EV_MKDIR_2_X},
	{"mkdirat", SAKER_EV_MKDIRAT_X}, {"rmdir", SAKER_EV_RMDIR_2_X},
	{"link", SAKER_EV_LINK_2_X}, {"linkat", SAKER_EV_LINKAT_2_X},
	{"symlink", SAKER_EV_SYMLINK_X}, {"symlinkat", SAKER_EV_SYMLINKAT_X},
	{"chmod", SAKER_EV_CHMOD_X}, {"fchmod", SAKER_EV_FCHMOD_X},
	{"fchmodat", SAKER_EV_FCHMODAT_X}, {"chown", SAKER_EV_CHOWN_X},
	{"lchown", SAKER_EV_LCHOWN_X}, {"fchown", SAKER_EV_FCHOWN_X},
	{"fchownat", SAKER_EV_FCHOWNAT_X}, {"setuid", SAKER_EV_SETUID_X},
	{"setgid", SAKER_EV_SETGID_X}, {"setreuid", SAKER_EV_SETREUID_X},
	{"setregid", SAKER_EV_SETREGID_X}, {"setresuid", SAKER_EV_SETRESUID_X},
	{"setresgid", SAKER_EV_SETRESGID_X}, {"capset", SAKER_EV_CAPSET_X},
	{"setns", SAKER_EV_SETNS_X}, {"unshare", SAKER_EV_UNSHARE_X},
	{"mount", SAKER_EV_MOUNT_X}, {"umount2", SAKER_EV_UMOUNT2_X},
	{"ptrace", SAKER_EV_PTRACE_X}, {"bpf", SAKER_EV_BPF_2_X},
	{"init_module", SAKER_EV_INIT_MODULE_X}, {"finit_module", SAKER_EV_FINIT_MODULE_X},
	{"delete_module", SAKER_EV_DELETE_MODULE_X}, {"memfd_create", SAKER_EV_MEMFD_CREATE_X},
	{"kill", SAKER_EV_KILL_X}, {"tkill", SAKER_EV_TKILL_X}, {"tgkill", SAKER_EV_TGKILL_X},
	{"prctl", SAKER_EV_PRCTL_X}, {"mprotect", SAKER_EV_MPROTECT_X},
	{"userfaultfd", SAKER_EV_USERFAULTFD_X}, {"io_uring_setup", SAKER_EV_IO_URING_SETUP_X},
	{NULL, 0},
};

int syscall_nr(const char *name)
{
	for (const struct syscall_name *s = syscalls_64; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s->nr;
	return -1;
}

const char *syscall_name(int nr)
{
	for (const struct syscall_name *s = syscalls_64; s->name; s++)
		if (s->nr == nr)
			return s->name;
	return NULL;
}

const struct syscall_probe *syscall_probe_find(const char *name)
{
	for (const struct syscall_probe *p = syscall_probes; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
