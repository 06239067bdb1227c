// SPDX-License-Identifier: Apache-2.0
/*
 * Container metadata without a runtime: image references split as Falco
 * splits them, container JSON documents into the table and out through the
 * container.* and k8s.* fields (mounts by index and by path, labels, pod
 * labels, probes), host processes, pending entries, the sweep of containers
 * no thread is in any more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/pipeline.h"
#include "runtime/runtime.h"
#include "synth.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct pipeline P;
static struct state *S;
static int new_seen;

static void split(const char *img, const char *repo, const char *tag, const char *digest)
{
	char r[256], t[64], d[128];

	runtime_split_image(img, r, sizeof(r), t, sizeof(t), d, sizeof(d));
	assert_string_equal(r, repo);
	assert_string_equal(t, tag);
	assert_string_equal(d, digest);
}

static void test_split_image(void **unused)
{
	(void)unused;
	split("nginx", "nginx", "", "");
	split("docker.io/library/nginx:1.25", "docker.io/library/nginx", "1.25", "");
	split("localhost:5000/app", "localhost:5000/app", "", "");
	split("localhost:5000/app:v2", "localhost:5000/app", "v2", "");
	split("quay.io/x/y@sha256:abcd", "quay.io/x/y", "", "sha256:abcd");
	split("quay.io/x/y:1@sha256:abcd", "quay.io/x/y", "1", "sha256:abcd");
}

static void on_new(void *ctx, struct container_info *c, const char *cg, uint32_t len)
{
	(void)ctx;
	(void)cg;
	(void)len;
	(void)c;
	new_seen++;
}

static int setup(void **unused)
{
	(void)unused;
	S = state_new(&(struct state_opts){ .no_proc = true });
	pipeline_init(&P, S, NULL, NULL);
	new_seen = 0;
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	pipeline_release(&P);
	state_free(S);
	return 0;
}

/* A process in the container (or on the host), through a real execve event. */
static struct thread *exec_in(int64_t tid, const char *cgroups)
{
	struct synth s;
	uint32_t l = synth_execve(&s, tid, tid, "/bin/cat", "/etc/shadow\0", 12, "/", cgroups, strlen(cgroups) + 1,
				  "", 0, 0, 0);

	pipeline_event(&P, s.buf, l, 0);
	return state_thread(S, tid);
}

static const char *field(int64_t tid, const char *name, char *out, size_t n)
{
	struct field_ref ref;
	struct field_value v;
	struct event ev = { .tid = (uint64_t)tid, .ts = 2000000000000000000ull };
	char buf[FIELD_BUF_SIZE], err[128];
	struct field_ctx c = { .state = S, .ev = &ev, .buf = buf };

	assert_int_equal(field_resolve(name, &ref, err, sizeof(err)), 0);
	field_extract(&c, &ref, &v);
	field_value_format(&v, out, n);
	return out;
}

#define F(tid, name, want) do { char o_[512]; assert_string_equal(field(tid, name, o_, sizeof(o_)), want); } while (0)

static void test_fields(void **unused)
{
	const char *json =
		"{\"container\":{\"id\":\"0123456789ab\",\"full_id\":\"" ID "\",\"type\":7,\"name\":\"app\","
		"\"image\":\"localhost/web:v1\",\"imagerepo\":\"localhost/web\",\"imagetag\":\"v1\","
		"\"imagedigest\":\"sha256:feed\",\"imageid\":\"beef\",\"privileged\":true,\"host_network\":true,"
		"\"host_pid\":false,\"host_ipc\":false,\"ip\":\"10.1.2.3\",\"created_time\":1700000000,"
		"\"pod_sandbox_id\":\"fedcba9876543210fedcba9876543210\",\"labels\":{\"io.kubernetes.pod.name\":\"web-0\","
		"\"io.kubernetes.pod.namespace\":\"prod\",\"io.kubernetes.pod.uid\":\"u-1\",\"team\":\"blue\"},"
		"\"pod_sandbox_labels\":{\"app\":\"web\"},"
		"\"LivenessProbe\":{\"exe\":\"cat\",\"args\":[\"/tmp/healthy\"]},"
		"\"Mounts\":[{\"Source\":\"/srv\",\"Destination\":\"/data\",\"Mode\":\"ro\",\"RW\":false,\"Propagation\":\"rprivate\"},"
		"{\"Source\":\"/var/log\",\"Destination\":\"/logs\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}]}}";

	(void)unused;
	assert_non_null(state_container_json(S, json));
	exec_in(50, "cpuset=/kubepods/besteffort/podu-1/" ID);
	exec_in(51, "cpuset=/");
	F(50, "container.id", "0123456789ab");
	F(50, "container.full_id", ID);
	F(50, "container.name", "app");
	F(50, "container.type", "containerd");
	F(50, "container.image", "localhost/web:v1");
	F(50, "container.image.repository", "localhost/web");
	F(50, "container.image.tag", "v1");
	F(50, "container.image.digest", "sha256:feed");
	F(50, "container.image.id", "beef");
	F(50, "container.privileged", "true");
	F(50, "container.host_network", "true");
	F(50, "container.host_pid", "false");
	F(50, "container.ip", "10.1.2.3");
	F(50, "container.start_ts", "1700000000000000000");
	F(50, "container.mounts", "/srv:/data:ro:false:rprivate,/var/log:/logs::true:");
	F(50, "container.mount[1]", "/var/log:/logs::true:");
	F(50, "container.mount[/srv]", "/srv:/data:ro:false:rprivate");
	F(50, "container.mount.dest[/var/*]", "/logs");
	F(50, "container.mount.source[/data]", "/srv");
	F(50, "container.mount.rdwr[0]", "false");
	F(50, "container.mount.mode[0]", "ro");
	F(50, "container.mount.propagation[/srv]", "rprivate");
	F(50, "container.mount.dest[7]", "<NA>");
	F(50, "container.label[team]", "blue");
	F(50, "container.label[none]", "<NA>");
	F(50, "container.liveness_probe", "cat /tmp/healthy");
	F(50, "container.readiness_probe", "<NA>");
	F(50, "k8s.pod.name", "web-0");
	F(50, "k8s.ns.name", "prod");
	F(50, "k8s.pod.uid", "u-1");
	F(50, "k8s.pod.label[app]", "web");
	F(50, "k8s.pod.labels", "app:web");
	F(50, "k8s.pod.sandbox_id", "fedcba987654");
	F(50, "k8s.pod.full_sandbox_id", "fedcba9876543210fedcba9876543210");
	F(50, "k8s.pod.ip", "10.1.2.3");
	F(51, "container.id", "host");
	F(51, "container.name", "host");
	F(51, "container.privileged", "false");
	F(51, "container.image", "<NA>");
	F(51, "k8s.pod.name", "<NA>");
}

static void test_pending_and_sweep(void **unused)
{
	(void)unused;
	state_on_new_container(S, on_new, NULL);
	exec_in(60, "cpuset=/libpod_parent/libpod-" ID);
	exec_in(61, "cpuset=/libpod_parent/libpod-" ID);
	assert_int_equal(new_seen, 1); /* asked once per container, not per process */
	assert_int_equal(state_containers_waiting(S), 1);
	F(60, "container.id", "0123456789ab");
	F(60, "container.name", "<NA>"); /* pending */
	state_container_unknown(S, "0123456789ab");
	assert_int_equal(state_containers_waiting(S), 0);
	/* a container no thread is in is forgotten; one with threads stays */
	assert_non_null(state_container_json(S, "{\"container\":{\"id\":\"aaaaaaaaaaaa\",\"name\":\"gone\"}}"));
	assert_int_equal(state_containers_sweep(S), 1);
	assert_null(state_container(S, "aaaaaaaaaaaa"));
	assert_non_null(state_container(S, "0123456789ab"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_image),
		cmocka_unit_test_setup_teardown(test_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_and_sweep, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
