// SPDX-License-Identifier: Apache-2.0
/*
 * openat+close loop: prints nanoseconds per iteration (one openat and one
 * close); with "write", a loop of 4 KiB writes to /dev/null instead (one
 * write per iteration). Usage: loop ITERATIONS [write]
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
	struct timespec a, b;

	if (argc > 2 && !strcmp(argv[2], "write")) {
		static char buf[4096];
		long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY);

		memset(buf, 'w', sizeof(buf));
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (i = 0; i < n; i++)
			syscall(SYS_write, fd, buf, sizeof(buf));
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);

		syscall(SYS_close, fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
