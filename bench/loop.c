// SPDX-License-Identifier: Apache-2.0
/*
 * openat+close loop: prints nanoseconds per iteration (one openat and one
 * close); with "write", a loop of 4 KiB writes to /dev/null instead (one
 * write per iteration); with "sendto", 64-byte UDP datagrams sent with a
 * destination address to a socket of its own on 127.0.0.1 (one sendto per
 * iteration; the receiver never reads, so the datagrams are dropped once
 * its buffer is full). Usage: loop ITERATIONS [write|sendto]
 *
 * The clock is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID: user and
 * system time, BPF programs run in its syscalls included), so time the
 * loop spends preempted by other jobs on a shared machine is not counted;
 * SAKER_LOOP_CLOCK=wall times it with CLOCK_MONOTONIC instead.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000, i;
	const char *ck = getenv("SAKER_LOOP_CLOCK");
	clockid_t clk = ck && !strcmp(ck, "wall") ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID;
	struct timespec a, b;

	if (argc > 2 && !strcmp(argv[2], "write")) {
		static char buf[4096];
		long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY);

		memset(buf, 'w', sizeof(buf));
		clock_gettime(clk, &a);
		for (i = 0; i < n; i++)
			syscall(SYS_write, fd, buf, sizeof(buf));
		clock_gettime(clk, &b);
		printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[2], "sendto")) {
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(to);
		int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
		char buf[64];

		if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&to, sizeof(to)) ||
		    getsockname(rx, (struct sockaddr *)&to, &len)) {
			perror("loop: udp socket");
			return 1;
		}
		memset(buf, 's', sizeof(buf));
		clock_gettime(clk, &a);
		for (i = 0; i < n; i++)
			syscall(SYS_sendto, tx, buf, sizeof(buf), 0, &to, sizeof(to));
		clock_gettime(clk, &b);
		printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
		return 0;
	}
	clock_gettime(clk, &a);
	for (i = 0; i < n; i++) {
		long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);

		syscall(SYS_close, fd);
	}
	clock_gettime(clk, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
