// SPDX-License-Identifier: Apache-2.0
/*
 * Load for the storm tests: many short-lived processes, many short-lived
 * threads, or many open fds held for a while.
 *   storm fork N        start N child processes one after another (vfork), each exits at once
 *   storm threads N     create and join N threads, 16 at a time
 *   storm fds N SECS    dup /dev/null up to N fds (or the fd limit), hold them SECS
 *   storm hold N SECS   start N threads that each make a syscall and live SECS
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long spawn_many(long n)
{
	volatile long done; /* survives vfork */

	for (done = 0; done < n; done++) {
		pid_t p = vfork(); /* a new process each time, without copying page tables */

		if (p == 0)
			_exit(0);
		if (p < 0 || waitpid(p, NULL, 0) < 0)
			break;
	}
	return done;
}

static void *nothing(void *arg)
{
	return arg;
}

static void *linger(void *arg)
{
	close(-1); /* one event of its own, so saker has seen the thread */
	sleep(*(int *)arg);
	return NULL;
}

static long hold_threads(long n, int secs)
{
	pthread_t *t = calloc(n, sizeof(*t));
	pthread_attr_t at;
	long k = 0;

	if (!t)
		return 0;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 * 1024);
	for (; k < n; k++)
		if (pthread_create(&t[k], &at, linger, &secs))
			break;
	printf("%ld\n", k);
	fflush(stdout);
	for (long i = 0; i < k; i++)
		pthread_join(t[i], NULL);
	free(t);
	return k;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0, done = 0;

	if (argc > 2 && !strcmp(argv[1], "fork")) {
		done = spawn_many(n);
	} else if (argc > 2 && !strcmp(argv[1], "threads")) {
		while (done < n) {
			pthread_t t[16];
			int k = 0;

			for (; k < 16 && done + k < n; k++)
				if (pthread_create(&t[k], NULL, nothing, NULL))
					break;
			for (int i = 0; i < k; i++)
				pthread_join(t[i], NULL);
			if (!k)
				break;
			done += k;
		}
	} else if (argc > 3 && !strcmp(argv[1], "hold")) {
		hold_threads(n, atoi(argv[3]));
		return 0;
	} else if (argc > 3 && !strcmp(argv[1], "fds")) {
		struct rlimit rl;
		int fd = open("/dev/null", O_RDONLY);

		if (!getrlimit(RLIMIT_NOFILE, &rl)) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		for (done = 1; done < n && dup(fd) >= 0; done++)
			;
		printf("%ld\n", done);
		fflush(stdout);
		sleep(atoi(argv[3]));
	} else {
		fprintf(stderr, "usage: storm fork N | threads N | fds N SECONDS | hold N SECONDS\n");
		return 2;
	}
	if (strcmp(argv[1], "fds"))
		printf("%ld\n", done);
	return 0;
}
