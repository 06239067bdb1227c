// SPDX-License-Identifier: Apache-2.0
/*
 * openat+close loop: prints nanoseconds per iteration (one openat and one
 * close); with "write", a loop of 4 KiB writes to /dev/null instead (one
 * write per iteration). Usage: loop ITERATIONS [write]
 *
 * The clock is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID: user and
 * system time, BPF programs run in its syscalls included), so time the
 * loop spends preempted by other jobs on a shared machine is not counted;
 * SAKER_LOOP_CLOCK=wall times it with CLOCK_MONOTONIC instead.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	clock_gettime(clk, &a);
	for (i = 0; i < n; i++) {
		long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);

		syscall(SYS_close, fd);
	}
	clock_gettime(clk, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
