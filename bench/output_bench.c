// SPDX-License-Identifier: Apache-2.0
/*
 * Output path throughput: N rule alerts (seven output fields, a 150-byte
 * message) built as the event thread builds them (fields added one by one)
 * and emitted through outputs_emit to one sink: the file sink or stdout
 * (redirect it to a file), text or JSON. The clock runs from the first emit
 * to outputs_close returning, so every alert is formatted, queued, written
 * and the file closed. Run pinned to one CPU (taskset -c 0) so the event
 * thread and the sink thread share one core.
 *   output_bench file|stdout text|json N PATH [capacity]
 * Also: output_bench latency PATH -- unbuffered: time from emit until the
 * alert is in the file (200 alerts 2 ms apart; prints max and median).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "fields/fields.h"
#include "output/output.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char tag1[] = "filesystem", tag2[] = "mitre_credential_access", tag3[] = "T1555";
static char *tags[] = { tag1, tag2, tag3 };

static void emit_one(struct outputs *out, uint64_t i)
{
	struct alert_fields *f = alert_fields_new();
	struct field_value user = { .type = FT_STRING, .count = 1, .s = { "root" }, .len = { 4 } };
	struct field_value file = { .type = FT_STRING, .count = 1, .s = { "/etc/hostname" }, .len = { 13 } };
	struct field_value prog = { .type = FT_STRING, .count = 1, .s = { "sk_loop" }, .len = { 7 } };
	struct field_value cmd = { .type = FT_STRING, .count = 1, .s = { "sk_loop 50000 /etc/hostname" }, .len = { 27 } };
	struct field_value parent = { .type = FT_STRING, .count = 1, .s = { "bash" }, .len = { 4 } };
	struct field_value pid = { .type = FT_INT, .count = 1, .n = { 4242 } };
	struct field_value cid = { .type = FT_STRING, .count = 1, .s = { "host" }, .len = { 4 } };
	struct timespec ts;
	struct alert a = {
		.rule = "Read sensitive file untrusted", .priority = "Warning", .syslog_level = LOG_WARNING,
		.source = "syscall", .tags = tags, .ntags = 3, .hostname = "vm",
		.output = "Sensitive file opened for reading by untrusted program (user=root file=/etc/hostname "
			  "program=sk_loop cmdline=sk_loop 50000 /etc/hostname parent=bash container_id=host)",
	};

	alert_fields_add(f, "user.name", &user);
	alert_fields_add(f, "fd.name", &file);
	alert_fields_add(f, "proc.name", &prog);
	alert_fields_add(f, "proc.cmdline", &cmd);
	alert_fields_add(f, "proc.pname", &parent);
	alert_fields_add(f, "proc.pid", &pid);
	alert_fields_add(f, "container.id", &cid);
	clock_gettime(CLOCK_REALTIME, &ts);
	a.ts = ts.tv_sec * 1000000000ull + ts.tv_nsec + i;
	a.fields = f;
	outputs_emit(out, &a, 1);
	alert_fields_free(f);
}

static struct output_opts opts(void)
{
	struct output_opts o = {
		.json_include_output_property = true, .json_include_tags_property = true,
		.json_include_output_fields_property = true, .max_burst = 1000,
	};

	return o;
}

static int latency(const char *path)
{
	struct output_opts o = opts();
	struct outputs *out;
	double lat[200], t0;
	char err[256];
	struct stat st;

	o.file_enabled = true;
	o.file_filename = (char *)path;
	o.file_keep_alive = true;
	out = outputs_new(&o, NULL, err, sizeof(err));
	if (!out)
		return 1;
	for (int i = 0; i < 200; i++) {
		off_t before = stat(path, &st) ? 0 : st.st_size;

		t0 = now_s();
		emit_one(out, i);
		while (stat(path, &st) || st.st_size == before)
			;
		lat[i] = now_s() - t0;
		usleep(2000);
	}
	outputs_close(out);
	outputs_free(out);
	for (int i = 0; i < 200; i++)
		for (int j = i + 1; j < 200; j++)
			if (lat[j] < lat[i]) {
				double t = lat[i];

				lat[i] = lat[j];
				lat[j] = t;
			}
	printf("unbuffered latency emit -> in file: median %.1f us, max %.1f us (200 alerts)\n", lat[100] * 1e6,
	       lat[199] * 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	struct output_opts o = opts();
	struct output_stats st;
	struct outputs *out;
	char err[256];
	uint64_t n;
	double t0, t1;

	if (argc == 3 && !strcmp(argv[1], "latency"))
		return latency(argv[2]);
	if (argc < 5) {
		fprintf(stderr, "usage: output_bench file|stdout text|json N PATH [capacity] | latency PATH\n");
		return 1;
	}
	n = strtoull(argv[3], NULL, 10);
	o.json_output = !strcmp(argv[2], "json");
	o.stdout_enabled = !strcmp(argv[1], "stdout");
	o.file_enabled = !o.stdout_enabled;
	o.file_filename = argv[4];
	o.file_keep_alive = true;
	o.queue_capacity = argc > 5 ? strtoull(argv[5], NULL, 10) : 0;
	out = outputs_new(&o, NULL, err, sizeof(err));
	if (!out) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++)
		emit_one(out, i);
	t1 = now_s();
	outputs_close(out);
	outputs_stats(out, &st);
	outputs_free(out);
	fprintf(stderr, "%s %s: %llu alerts, emitted in %.3f s, all written in %.3f s: %.0f alerts/s; sent %llu, lost %llu\n",
		argv[1], argv[2], (unsigned long long)n, t1 - t0, now_s() - t0, n / (now_s() - t0),
		(unsigned long long)st.sink[o.stdout_enabled ? SINK_STDOUT : SINK_FILE].sent, (unsigned long long)st.lost);
	return 0;
}
