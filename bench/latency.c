// SPDX-License-Identifier: Apache-2.0
/*
 * Event-to-alert latency: opens DIR/0, DIR/1, ... every INTERVAL_MS and
 * reads saker's alerts (one line each, naming the file) from stdin; the
 * latency of one trigger is the time from just before its openat to the
 * moment its alert line is read. Prints count, median, p99 and max in ms.
 * Usage: saker ... -U | latency DIR COUNT INTERVAL_MS
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double *sent, *lat;
static int nlat;
static char dir[256];
static char line[8192];
static size_t llen;

/* Consume whatever saker printed; match lines naming DIR/N. */
static void drain(int count, int timeout_ms)
{
	struct pollfd p = { 0, POLLIN, 0 };
	char buf[4096];

	while (poll(&p, 1, timeout_ms) > 0) {
		ssize_t n = read(0, buf, sizeof(buf));
		double t = now_ms();

		if (n <= 0)
			return;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (llen < sizeof(line) - 1)
					line[llen++] = buf[i];
				continue;
			}
			line[llen] = 0;
			llen = 0;
			char *m = strstr(line, dir);
			if (m) {
				int k = atoi(m + strlen(dir) + 1);

				if (k >= 0 && k < count && sent[k] > 0) {
					lat[nlat++] = t - sent[k];
					sent[k] = -1; /* one alert per trigger counts */
				}
			}
		}
		timeout_ms = 0;
	}
}

int main(int argc, char **argv)
{
	int count, interval;
	double next;

	if (argc != 4) {
		fprintf(stderr, "usage: latency DIR COUNT INTERVAL_MS\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	count = atoi(argv[2]);
	interval = atoi(argv[3]);
	sent = calloc(count, sizeof(*sent));
	lat = calloc(count, sizeof(*lat));
	mkdir(dir, 0755);
	for (int i = 0; i < count; i++) {
		char p[300];
		int fd;

		snprintf(p, sizeof(p), "%s/%d", dir, i);
		fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd >= 0)
			close(fd);
	}
	/* let the alerts of the creations above pass before timing */
	drain(0, 1000);
	next = now_ms();
	for (int i = 0; i < count; i++) {
		char p[300];
		int fd;

		snprintf(p, sizeof(p), "%s/%d", dir, i);
		sent[i] = now_ms();
		fd = open(p, O_RDONLY);
		if (fd >= 0)
			close(fd);
		next += interval;
		while (now_ms() < next)
			drain(count, (int)(next - now_ms()) + 1);
	}
	drain(count, 1000);
	for (int i = 0; i < count; i++) {
		char p[300];

		snprintf(p, sizeof(p), "%s/%d", dir, i);
		unlink(p);
	}
	rmdir(dir);
	if (!nlat) {
		printf("latency: 0 of %d alerts seen\n", count);
		return 1;
	}
	qsort(lat, nlat, sizeof(*lat), cmp);
	printf("latency: %d of %d alerts, median %.2f ms, p99 %.2f ms, max %.2f ms\n", nlat, count,
	       lat[nlat / 2], lat[(int)(nlat * 0.99) < nlat ? (int)(nlat * 0.99) : nlat - 1], lat[nlat - 1]);
	return 0;
}
