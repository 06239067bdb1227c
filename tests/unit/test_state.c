// SPDX-License-Identifier: Apache-2.0
/*
 * State tests on synthetic event sequences: process trees and ancestry,
 * threads, fd tables (dup, close, fcntl, relative opens), sockets, exit and
 * reaping, bounded memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/pipeline.h"
#include "synth.h"

static struct pipeline P;
static struct state *S;
static uint64_t TS = 1;

static void send(struct synth *s)
{
	uint32_t len = synth_end(s);

	pipeline_event(&P, s->buf, len, 0);
}

static int setup(void **unused)
{
	(void)unused;
	S = state_new(&(struct state_opts){ .no_proc = true, .max_threads = 1000 });
	pipeline_init(&P, S, NULL, NULL);
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	pipeline_release(&P);
	state_free(S);
	return 0;
}

static void clone_child(uint64_t tid, uint64_t pid, uint64_t ptid, const char *comm, uint32_t flags)
{
	struct synth s;

	synth_clone(&s, TS++, 0, tid, pid, ptid, comm, flags, "", 0);
	send(&s);
}

static void ev_exec(uint64_t tid, const char *exe, const char *cwd)
{
	struct synth s;

	synth_execve(&s, TS++, tid, exe, "arg\0", 4, cwd, "", 0, "", 0, 0, 1000);
	send(&s);
}

static void ev_open(uint64_t tid, int64_t fd, int64_t dirfd, const char *name, uint32_t flags)
{
	struct synth s;

	synth_openat(&s, TS++, tid, fd, dirfd, name, flags);
	send(&s);
}

static void simple(uint16_t type, uint64_t tid, int n, const int64_t *vals)
{
	struct synth s;

	synth_begin(&s, type, tid, TS++, n);
	for (int i = 0; i < n; i++)
		synth_u64(&s, vals[i]);
	send(&s);
}

static void procexit(uint64_t tid)
{
	struct synth s;

	synth_begin(&s, SAKER_EV_PROCEXIT_1_E, tid, TS++, saker_event_nparams(SAKER_EV_PROCEXIT_1_E));
	synth_u64(&s, 0);
	synth_u64(&s, 0);
	synth_u8(&s, 0);
	synth_u8(&s, 0);
	synth_u64(&s, 1);
	send(&s);
}

static const char *fdname(uint64_t tid, int64_t fd)
{
	struct fdinfo *f = state_fd(S, state_thread(S, tid), fd);

	return f ? f->name : NULL;
}

static void test_tree_and_ancestry(void **unused)
{
	(void)unused;
	state_add_thread(S, 1, 1, 0);
	clone_child(10, 10, 1, "bash", 0);
	ev_exec(10, "/bin/bash", "/home");
	clone_child(11, 11, 10, "bash", 0);
	ev_exec(11, "/usr/bin/python3", "");
	clone_child(12, 11, 11, "python3", 1 << 13); /* a thread */
	clone_child(13, 13, 12, "python3", 0);
	ev_exec(13, "/bin/sh", "");
	{
		struct thread *t = state_thread(S, 13), *p = state_parent(S, t), *pp = state_parent(S, p);

		assert_non_null(t);
		assert_string_equal(t->proc->comm, "sh");
		assert_string_equal(p->proc->comm, "python3");
		assert_int_equal(p->tid, 12);
		assert_int_equal(p->proc->pid, 11);
		assert_string_equal(pp->proc->comm, "python3");
		assert_ptr_equal(p->proc, pp->proc); /* threads share the process */
		assert_string_equal(state_parent(S, pp)->proc->comm, "bash");
		assert_string_equal(t->proc->cwd, "/home"); /* inherited through the chain */
	}
}

/* An exec that changes the effective uid ran a setuid file; one that keeps
 * it did not, and a fork inherits what its parent's image was. */
static void test_exec_setuid(void **unused)
{
	(void)unused;
	state_add_thread(S, 1, 1, 0);
	clone_child(20, 20, 1, "sh", 0);
	simple(SAKER_EV_SETUID_X, 20, 2, (const int64_t[]){ 0, 65534 }); /* becomes nobody */
	ev_exec(20, "/var/tmp/rootshell", "/"); /* exec's uid is 0 */
	assert_true(state_thread(S, 20)->proc->exe_setuid);
	assert_int_equal(state_thread(S, 20)->proc->uid, 0);
	clone_child(21, 21, 20, "rootshell", 0);
	assert_true(state_thread(S, 21)->proc->exe_setuid);
	simple(SAKER_EV_SETUID_X, 21, 2, (const int64_t[]){ 0, 0 }); /* the clone event said 1000 */
	ev_exec(21, "/bin/true", "/"); /* root stays root */
	assert_false(state_thread(S, 21)->proc->exe_setuid);
}

static void test_fds(void **unused)
{
	const int64_t close4[] = { 0, 4 }, dup2_[] = { 7, 3, 7 }, chdir_ok[] = { 0 }, fcntl_[] = { 9, 3, 26, 9 };

	(void)unused;
	state_add_thread(S, 50, 50, 1);
	ev_exec(50, "/bin/prog", "/srv");
	ev_open(50, 3, -100, "data/x.txt", 1);
	assert_string_equal(fdname(50, 3), "/srv/data/x.txt");
	ev_open(50, 4, -100, "/var/lib", 1 | (1 << 10));
	ev_open(50, 5, 4, "../log/./y", 2);
	assert_string_equal(fdname(50, 5), "/var/log/y");
	/* the raw name is the path as the open gave it, runs of '/' made one (libs' m_name_raw) */
	ev_open(50, 8, -100, "x//../y///z", 1);
	assert_string_equal(fdname(50, 8), "/srv/y/z");
	assert_string_equal(state_fd(S, state_thread(S, 50), 8)->nameraw, "x/../y/z");
	assert_string_equal(state_fd(S, state_thread(S, 50), 5)->nameraw, "../log/./y");
	simple(SAKER_EV_CLOSE_X, 50, saker_event_nparams(SAKER_EV_CLOSE_X), close4);
	assert_null(fdname(50, 4));
	simple(SAKER_EV_DUP2_X, 50, saker_event_nparams(SAKER_EV_DUP2_X), dup2_);
	assert_string_equal(fdname(50, 7), "/srv/data/x.txt");
	assert_string_equal(state_fd(S, state_thread(S, 50), 7)->nameraw, "data/x.txt"); /* a dup keeps it */
	simple(SAKER_EV_FCNTL_X, 50, saker_event_nparams(SAKER_EV_FCNTL_X), fcntl_); /* F_DUPFD_CLOEXEC */
	assert_string_equal(fdname(50, 9), "/srv/data/x.txt");
	{
		struct synth s;

		synth_begin(&s, SAKER_EV_CHDIR_X, 50, TS++, saker_event_nparams(SAKER_EV_CHDIR_X)); /* chdir("../tmp") */
		synth_u64(&s, chdir_ok[0]);
		synth_str(&s, "../tmp");
		send(&s);
	}
	ev_open(50, 6, -100, "z", 1);
	assert_string_equal(fdname(50, 6), "/tmp/z");
	/* a forked child copies the table; CLONE_FILES shares it */
	clone_child(51, 51, 50, "prog", 0);
	assert_string_equal(fdname(51, 6), "/tmp/z");
	simple(SAKER_EV_CLOSE_X, 51, saker_event_nparams(SAKER_EV_CLOSE_X), (const int64_t[]){ 0, 6 });
	assert_null(fdname(51, 6));
	assert_string_equal(fdname(50, 6), "/tmp/z");
	clone_child(52, 52, 50, "prog", 1 << 0);
	simple(SAKER_EV_CLOSE_X, 52, saker_event_nparams(SAKER_EV_CLOSE_X), (const int64_t[]){ 0, 6 });
	assert_null(fdname(50, 6));
}

static void test_sockets(void **unused)
{
	struct synth s;
	uint8_t tuple[13] = { 2, 10, 0, 0, 1, 0x39, 0x30, 127, 0, 0, 1, 0x50, 0 };
	struct fdinfo *f;

	(void)unused;
	state_add_thread(S, 60, 60, 1);
	synth_begin(&s, SAKER_EV_SOCKET_X, 60, TS++, saker_event_nparams(SAKER_EV_SOCKET_X)); /* socket(AF_INET, SOCK_STREAM) = 3 */
	synth_u64(&s, 3);
	synth_u32(&s, 2);
	synth_u32(&s, 1);
	synth_u32(&s, 0);
	synth_u32(&s, 0);
	send(&s);
	synth_begin(&s, SAKER_EV_CONNECT_X, 60, TS++, saker_event_nparams(SAKER_EV_CONNECT_X)); /* connect -> 127.0.0.1:80 from 10.0.0.1:12345 */
	synth_u64(&s, 0);
	synth_raw(&s, tuple, 13);
	synth_u64(&s, 3);
	synth_raw(&s, tuple + 6, 7);
	send(&s);
	f = state_fd(S, state_thread(S, 60), 3);
	assert_non_null(f);
	assert_int_equal(f->type, FDT_IPV4_SOCK);
	assert_int_equal(f->l4proto, 6);
	assert_string_equal(f->name, "10.0.0.1:12345->127.0.0.1:80");
	assert_int_equal(f->dport, 80);
}

static void test_sockets_ipv6_unix_accept(void **unused)
{
	struct synth s;
	uint8_t t6[37] = { 10 }, tu[17 + 9] = { 1 };
	struct fdinfo *f;

	(void)unused;
	state_add_thread(S, 61, 61, 1);
	/* accept on a v6 listener: peer ::1 port 5000, local ::1 port 443 */
	t6[16] = 1;
	t6[17] = 0x88; t6[18] = 0x13;    /* 5000 */
	t6[34] = 1;
	t6[35] = 0xbb; t6[36] = 0x01;    /* 443 */
	synth_begin(&s, SAKER_EV_SOCKET_X, 61, TS++, saker_event_nparams(SAKER_EV_SOCKET_X));
	synth_u64(&s, 3);
	synth_u32(&s, 10);
	synth_u32(&s, 1);
	synth_u32(&s, 0);
	synth_u32(&s, 0);
	send(&s);
	synth_begin(&s, SAKER_EV_ACCEPT_5_X, 61, TS++, saker_event_nparams(SAKER_EV_ACCEPT_5_X)); /* accept -> fd 4 */
	synth_u64(&s, 4);
	synth_raw(&s, t6, 37);
	synth_u8(&s, 0);
	synth_u32(&s, 0);
	synth_u32(&s, 5);
	send(&s);
	f = state_fd(S, state_thread(S, 61), 4);
	assert_non_null(f);
	assert_int_equal(f->type, FDT_IPV6_SOCK);
	assert_true(f->is_server);
	assert_string_equal(f->name, "::1:5000->::1:443");
	/* a unix connect names the fd after the socket path */
	memcpy(tu + 17, "/run/x.s", 9);
	synth_begin(&s, SAKER_EV_SOCKET_X, 61, TS++, saker_event_nparams(SAKER_EV_SOCKET_X));
	synth_u64(&s, 5);
	synth_u32(&s, 1);
	synth_u32(&s, 1);
	synth_u32(&s, 0);
	synth_u32(&s, 0);
	send(&s);
	synth_begin(&s, SAKER_EV_CONNECT_X, 61, TS++, saker_event_nparams(SAKER_EV_CONNECT_X));
	synth_u64(&s, 0);
	synth_raw(&s, tu, sizeof(tu));
	synth_u64(&s, 5);
	synth_bytes(&s, "\x01/run/x.s", 10);
	send(&s);
	f = state_fd(S, state_thread(S, 61), 5);
	assert_non_null(f);
	assert_int_equal(f->type, FDT_UNIX_SOCK);
	assert_string_equal(f->name, "/run/x.s");
}

/* One bind exit of fd with this address (family byte, address, port). */
static void ev_bind(uint64_t tid, int64_t fd, const uint8_t *addr, uint32_t len)
{
	struct synth s;

	synth_begin(&s, SAKER_EV_BIND_X, tid, TS++, saker_event_nparams(SAKER_EV_BIND_X));
	synth_u64(&s, 0);
	synth_raw(&s, addr, len);
	synth_u64(&s, fd);
	send(&s);
}

/*
 * bind as libs' parse_bind_exit: a port > 0 makes a server socket on the
 * address (an IPv4-mapped one as IPv4), and the socket is named as the addr
 * parameter prints (a mapped address as inet_ntop prints it); port 0 names
 * it only.
 */
static void test_bind(void **unused)
{
	uint8_t v6[19] = { 10 }, mapped[19] = { 10 }, v4any[7] = { 2 };
	struct fdinfo *f;

	(void)unused;
	state_add_thread(S, 62, 62, 1);
	v6[16] = 1;                              /* ::1 */
	v6[17] = 0x90; v6[18] = 0x1f;            /* 8080 */
	mapped[11] = 0xff; mapped[12] = 0xff;    /* ::ffff:127.0.0.1 */
	mapped[13] = 127; mapped[16] = 1;
	mapped[17] = 0x50;                       /* 80 */
	for (int fd = 3; fd <= 5; fd++)
		state_add_fd(S, state_thread(S, 62), fd, FDT_IPV6_SOCK, NULL);
	ev_bind(62, 3, v6, sizeof(v6));
	ev_bind(62, 4, mapped, sizeof(mapped));
	ev_bind(62, 5, v4any, sizeof(v4any));
	f = state_fd(S, state_thread(S, 62), 3);
	assert_int_equal(f->type, FDT_IPV6_SERVSOCK);
	assert_true(f->is_server);
	assert_int_equal(f->dport, 8080);
	assert_int_equal(f->dip[15], 1);
	assert_string_equal(f->name, "::1:8080");
	f = state_fd(S, state_thread(S, 62), 4);
	assert_int_equal(f->type, FDT_IPV4_SERVSOCK);
	assert_int_equal(f->dport, 80);
	assert_memory_equal(f->dip, "\x7f\0\0\x01", 4);
	assert_string_equal(f->name, "::ffff:127.0.0.1:80");
	f = state_fd(S, state_thread(S, 62), 5);
	assert_int_equal(f->type, FDT_IPV6_SOCK);
	assert_false(f->is_server);
	assert_string_equal(f->name, "0.0.0.0:0");
}

/* One recvfrom (peer -> local tuple) or sendto (local -> peer) exit of fd 3 of thread 63 with res. */
static void ev_rw(uint16_t type, int64_t res, const uint8_t *tuple, uint32_t len)
{
	struct synth s;

	synth_begin(&s, type, 63, TS++, saker_event_nparams(type));
	synth_u64(&s, res);
	synth_bytes(&s, "x", 1);
	if (type == SAKER_EV_RECVFROM_X)
		synth_raw(&s, tuple, len);
	synth_u64(&s, 3);
	synth_u32(&s, 64);
	if (type == SAKER_EV_SENDTO_X)
		synth_raw(&s, tuple, len);
	send(&s);
}

/*
 * A UDP server on [::1]:8080, as libs' parse_read_exit/parse_write_exit
 * (update_fd): the first peer's recvfrom makes it a plain socket serving
 * peer->server; the reply (the reverse tuple) changes nothing; a failed
 * recvfrom neither; the next peer takes the source end, the server end
 * stays; a sendto to a third peer takes the source end (the server's own)
 * and swaps: libs' server->server name.
 */
static void test_udp_tuples(void **unused)
{
	uint8_t bound[19] = { 10 }, in[37] = { 10 }, out[37] = { 10 };
	struct fdinfo *f;

	(void)unused;
	state_add_thread(S, 63, 63, 1);
	f = state_add_fd(S, state_thread(S, 63), 3, FDT_IPV6_SOCK, NULL);
	f->l4proto = 17;
	bound[16] = 1;
	bound[17] = 0x90; bound[18] = 0x1f;    /* 8080 */
	ev_bind(63, 3, bound, sizeof(bound));
	in[16] = 1; in[17] = 0x88; in[18] = 0x13;      /* ::1:5000 */
	in[34] = 1; in[35] = 0x90; in[36] = 0x1f;      /* -> ::1:8080 */
	out[16] = 1; out[17] = 0x90; out[18] = 0x1f;
	out[34] = 1; out[35] = 0x88; out[36] = 0x13;
	ev_rw(SAKER_EV_RECVFROM_X, 1, in, sizeof(in));
	f = state_fd(S, state_thread(S, 63), 3);
	assert_int_equal(f->type, FDT_IPV6_SOCK);
	assert_true(f->is_server);
	assert_string_equal(f->name, "::1:5000->::1:8080");
	ev_rw(SAKER_EV_SENDTO_X, 1, out, sizeof(out));
	assert_string_equal(f->name, "::1:5000->::1:8080");
	in[17] = 0x70; in[18] = 0x17;                  /* ::1:6000 */
	ev_rw(SAKER_EV_RECVFROM_X, -11, in, sizeof(in));
	assert_string_equal(f->name, "::1:5000->::1:8080");
	ev_rw(SAKER_EV_RECVFROM_X, 1, in, sizeof(in));
	assert_string_equal(f->name, "::1:6000->::1:8080");
	assert_int_equal(f->sport, 6000);
	assert_int_equal(f->dport, 8080);
	out[35] = 0x58; out[36] = 0x1b;                /* -> ::1:7000 */
	ev_rw(SAKER_EV_SENDTO_X, 1, out, sizeof(out));
	assert_string_equal(f->name, "::1:8080->::1:8080");
}

static void test_exit_and_reap(void **unused)
{
	struct state_stats st;

	(void)unused;
	state_add_thread(S, 70, 70, 1);
	clone_child(71, 71, 70, "child", 0);
	assert_non_null(state_thread(S, 71));
	procexit(71);
	assert_null(state_thread(S, 71));
	state_stats(S, &st);
	assert_true(st.reaped >= 1);
}

static void test_memory_steady(void **unused)
{
	struct state_stats before, after;

	(void)unused;
	state_add_thread(S, 80, 80, 1);
	state_stats(S, &before);
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t tid = 100000 + i;

		clone_child(tid, tid, 80, "short", 0);
		ev_open(tid, 3, -100, "/tmp/f", 1);
		procexit(tid);
	}
	state_stats(S, &after);
	assert_int_equal(after.threads, before.threads);
	assert_int_equal(after.procs, before.procs);
	assert_int_equal(after.fds, before.fds);
}

static void test_eviction(void **unused)
{
	struct state_stats st;

	(void)unused;
	for (uint64_t i = 0; i < 1500; i++)
		clone_child(500000 + i, 500000 + i, 1, "leaky", 0); /* never exit */
	state_stats(S, &st);
	assert_true(st.threads <= 1000);
	assert_true(st.evicted >= 500);
}

/*
 * 500,000 open fds in one process: the live test cannot hold them here (the
 * hard RLIMIT_NOFILE is 20,000 and root lacks CAP_SYS_RESOURCE), so the
 * same events go through the pipeline. Each fd costs under 256 bytes of heap
 * (docs/configuration.md), and closing them gives it back.
 */
static void test_half_million_fds(void **unused)
{
	struct state_stats st;
	size_t before, peak, after;
	char name[64];

	(void)unused;
	clone_child(90, 90, 1, "fdhog", 0);
	before = mallinfo2().uordblks;
	for (int64_t fd = 3; fd < 500003; fd++) {
		snprintf(name, sizeof(name), "/var/lib/hog/%lld", (long long)fd);
		ev_open(90, fd, -100, name, 1);
	}
	state_stats(S, &st);
	peak = mallinfo2().uordblks;
	assert_true(st.fds >= 500000);
	assert_non_null(state_fd(S, state_thread(S, 90), 250000));
	printf("# 500,000 fds in one process: %zu bytes of heap, %.0f per fd\n", peak - before,
	       (double)(peak - before) / 500000);
	assert_true(peak - before < 500000ull * 256);
	for (int64_t fd = 3; fd < 500003; fd++) {
		int64_t v[2] = { 0, fd };

		simple(SAKER_EV_CLOSE_X, 90, 2, v);
	}
	state_stats(S, &st);
	after = mallinfo2().uordblks;
	assert_true(st.fds < 10);
	assert_true(after - before < (peak - before) / 4);
}

/* A full table evicts the least recently active threads, never the newest. */
static void test_eviction_keeps_recent(void **unused)
{
	(void)unused;
	for (uint64_t i = 0; i < 3000; i++)
		clone_child(600000 + i, 600000 + i, 1, "busy", 0);
	for (uint64_t i = 2900; i < 3000; i++)
		assert_non_null(state_thread(S, 600000 + i));
	assert_null(state_thread(S, 600000));
}

/* Purging drops quiet threads whose /proc entry is gone, keeps running ones. */
static void test_purge(void **unused)
{
	struct state *s = state_new(&(struct state_opts){ .host_root = "", .max_threads = 100 });
	struct thread *t;
	int64_t gone = 4000000000ll, self = getpid();
	struct state_stats st;

	(void)unused;
	assert_non_null(t = state_add_thread(s, gone, gone, 1));
	t->last_ts = 1000000000ull;
	assert_non_null(t = state_add_thread(s, self, self, 1));
	t->last_ts = 1000000000ull;
	assert_non_null(t = state_add_thread(s, 7, 7, 1)); /* recent: not looked at */
	t->last_ts = 400000000000ull;
	assert_int_equal(state_purge(s, 300000000000ull), 1);
	assert_null(state_thread(s, gone));
	assert_non_null(state_thread(s, self));
	assert_non_null(state_thread(s, 7));
	state_stats(s, &st);
	assert_int_equal(st.purged, 1);
	state_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tree_and_ancestry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_setuid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockets_ipv6_unix_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_tuples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_and_reap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_steady, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eviction_keeps_recent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_million_fds, setup, teardown),
		cmocka_unit_test(test_purge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
