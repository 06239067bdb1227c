// SPDX-License-Identifier: GPL-2.0
/*
 * The capture programs: a sys_exit dispatcher that filters and tail-calls one
 * program per syscall, and the process lifecycle tracepoints. Each program
 * emits the scap exit event of its syscall with every parameter in table order.
 */
#include "task.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Dispatcher: filter by interest and own process, then tail-call. An
 * uninteresting syscall costs the read of its number and one table read
 * (interesting[], by the number as its caller's ABI numbers it, with a bit
 * for each ABI), nothing else: ia32 or not is read only for a number that
 * one of the ABIs wants. The __cast twin (Linux >= 6.2, loaded instead
 * where the kernel has bpf_rdonly_cast, as the open family's) reads the
 * number from the tracepoint's own pt_regs argument with a plain load, so
 * an uninteresting syscall calls no helper at all; the other reads it from
 * bpf_task_pt_regs of the task (two helper calls), or with a probe read
 * before 5.15. For a wanted number it leaves what it read (id, ABI, tid,
 * arguments, the task) in current_syscall for the program it tail-calls
 * (sc__save), which then calls no helper for them; the arguments not for
 * a __cast program (SAKER_OWN_ARGS_*, only the __cast twin reads them),
 * which loads the few it uses from the registers itself. The __cast twin
 * runs openat's and close's bodies inline for a 64-bit caller instead
 * (SYS_EXIT_HOT): no tail call, no current_syscall.
 */
/*
 * The tail call to syscall `id`'s program: with a constant key for the
 * hot ones (bpf_tail_call_static keeps the key an immediate, so clang
 * cannot merge the calls into one with the key in a register), which the
 * JIT turns into a direct jump instead of an indirect one through a
 * retpoline. An empty slot falls through, as an indirect call's does.
 */
static __always_inline void dispatch_tail_call(struct bpf_raw_tracepoint_args *ctx, __u32 id)
{
	if (id == hot_nr[0])
		bpf_tail_call_static(ctx, &hot_progs, 0);
	else if (id == hot_nr[1])
		bpf_tail_call_static(ctx, &hot_progs, 1);
	else if (id == hot_nr[2])
		bpf_tail_call_static(ctx, &hot_progs, 2);
	else if (id == hot_nr[3])
		bpf_tail_call_static(ctx, &hot_progs, 3);
	else
		bpf_tail_call(ctx, &syscall_progs, id);
}

/* The bodies of the programs the __cast dispatcher runs inline (SYS_EXIT_HOT, below). */
static __always_inline int openat_exit(struct bpf_raw_tracepoint_args *ctx, const struct sc *in, int cast);
static __always_inline int close_exit(struct bpf_raw_tracepoint_args *ctx, const struct sc *in, int cast);

static __always_inline int dispatch_wanted(struct bpf_raw_tracepoint_args *ctx, struct task_struct *task,
					   struct pt_regs *regs, __u32 id, __u32 want, int cast)
{
	__u32 compat = sc__compat(task);
	int args = !cast || !(want & (compat ? SAKER_OWN_ARGS_IA32 : SAKER_OWN_ARGS_64));
	__u32 tid;

	if (!(want & (compat ? SAKER_WANT_IA32 : SAKER_WANT_64)))
		return 0;
	if (compat) {
		struct saker_counters *c = counters__get();

		if (c)
			c->ia32_syscalls++;
		id = ia32_to_64[id];
		if (id >= SAKER_MAX_SYSCALLS)
			return 0;
	}
	if (SC_BTF_REGS) {
		if (task->tgid == self_tgid)
			return 0;
		tid = task->pid;
	} else {
		__u64 pid_tgid = bpf_get_current_pid_tgid();

		if ((pid_tgid >> 32) == self_tgid)
			return 0;
		tid = (__u32)pid_tgid;
	}
	/*
	 * openat and close, the most frequent: run inline by the __cast
	 * dispatcher for a 64-bit caller, no tail call and nothing left in
	 * current_syscall for it to read back.
	 */
	if (cast && !compat && id == hot_nr[SAKER_HOT_OPENAT]) {
		struct sc s;

		sc__of_dispatch(&s, ctx, task, regs, id, tid);
		openat_exit(ctx, &s, 1);
		return 0;
	}
	if (cast && !compat && id == hot_nr[SAKER_HOT_CLOSE]) {
		struct sc s;

		sc__of_dispatch(&s, ctx, task, regs, id, tid);
		close_exit(ctx, &s, 1);
		return 0;
	}
	if (sc__save(ctx, task, regs, id, compat, tid, args))
		return 0;
	dispatch_tail_call(ctx, id);
	return 0;
}

/*
 * The __cast twin's work for a wanted number, a function of its own (a
 * BPF-to-BPF call, which the 6.2+ kernels that load the twin take along
 * with tail calls): what it keeps across its helper call is in its own
 * registers, so the twin's uninteresting path saves and restores none.
 */
static __noinline int dispatch_wanted_cast(struct bpf_raw_tracepoint_args *ctx, __u32 id, __u32 want)
{
	struct pt_regs *r = bpf_rdonly_cast((void *)ctx->args[0], bpf_core_type_id_kernel(struct pt_regs));

	return dispatch_wanted(ctx, bpf_get_current_task_btf(), r, id, want, 1);
}

static __always_inline int dispatch(struct bpf_raw_tracepoint_args *ctx, int cast)
{
	struct task_struct *task;
	struct pt_regs *regs;
	__u64 nr;
	__u8 want;

	if (cast) {
		struct pt_regs *r = bpf_rdonly_cast((void *)ctx->args[0], bpf_core_type_id_kernel(struct pt_regs));

		nr = r->orig_ax;
	} else {
		nr = sc__current_id(ctx, &task, &regs);
	}
	if (nr >= SAKER_MAX_SYSCALLS) /* a 64-bit compare: no truncation first */
		return 0;
	want = interesting[nr];
	if (!want)
		return 0;
	if (cast)
		return dispatch_wanted_cast(ctx, nr, want);
	return dispatch_wanted(ctx, task, regs, nr, want, 0);
}

SEC("raw_tp/sys_exit")
int sys_exit_dispatch(struct bpf_raw_tracepoint_args *ctx)
{
	return dispatch(ctx, 0);
}

SEC("raw_tp/sys_exit")
int sys_exit_dispatch__cast(struct bpf_raw_tracepoint_args *ctx)
{
	return dispatch(ctx, 1);
}

/*
 * Userspace runs this on a CPU (BPF_PROG_TEST_RUN, BPF_F_TEST_RUN_ON_CPU)
 * whose batch has waited too long for its next event, to send it out.
 * On another CPU it comes as an interrupt, between any two instructions of
 * a program there: 1 (try again) while that program is adding an event.
 */
SEC("raw_tp")
int saker_flush(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct saker_batch *b = bpf_map_lookup_elem(&batches, &cpu);

	if (!b)
		return 0;
	if (BATCH_READ(b->busy))
		return 1;
	batch__flush(b, cpu, counters__get());
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Process lifecycle                                                        */

static __always_inline __u32 exe_flags(struct file *exe)
{
	struct inode *ino = BPF_CORE_READ(exe, f_inode);
	const unsigned char *name = BPF_CORE_READ(exe, f_path.dentry, d_name.name);
	char prefix[7] = {};
	__u32 flags = 0;
	__u16 mode = BPF_CORE_READ(ino, i_mode);

	if (mode & 0022)
		flags |= SAKER_EXE_WRITABLE; /* group or other may write */
	switch (file__ovl_layer(exe)) {
	case LAYER_UPPER: flags |= SAKER_EXE_UPPER_LAYER; break;
	case LAYER_LOWER: flags |= SAKER_EXE_LOWER_LAYER; break;
	default: break;
	}
	bpf_probe_read_kernel(prefix, 6, name);
	if (prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' &&
	    prefix[4] == 'd' && prefix[5] == ':' && BPF_CORE_READ(ino, __i_nlink) == 0)
		flags |= SAKER_EXE_FROM_MEMFD;
	return flags;
}

static __always_inline __u32 tty_dev(struct task_struct *t)
{
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	__u32 major, minor;

	if (!tty)
		return 0;
	major = BPF_CORE_READ(tty, driver, major);
	minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
	return encode_dev((major << 20) | minor);
}

/*
 * Parameters 16-30 of execve/execveat exit: env, tty, vpgid, loginuid, flags,
 * capabilities, exe inode and times, uid, trusted_exepath, pgid, gid.
 */
static __always_inline void evt__store_exec_tail(struct evt *e, struct task_struct *t)
{
	struct file *exe = BPF_CORE_READ(t, mm, exe_file);
	struct inode *ino = exe ? BPF_CORE_READ(exe, f_inode) : NULL;
	struct pid *pgrp = BPF_CORE_READ(t, signal, pids[PIDTYPE_PGID]);
	const struct cred *cred = BPF_CORE_READ(t, cred);
	/* Parameter 16: env (BYTEBUF) */
	evt__store_mm_env(e, t);
	/* Parameter 17: tty (UINT32) */
	evt__store_u32(e, tty_dev(t));
	/* Parameter 18: vpgid (PID) */
	evt__store_u64(e, pid__vnr(pgrp));
	/* Parameter 19: loginuid (UID) */
	evt__store_u32(e, BPF_CORE_READ(t, loginuid.val));
	/* Parameter 20: flags (FLAGS32) */
	evt__store_u32(e, exe ? exe_flags(exe) : 0);
	/* Parameter 21: cap_inheritable (UINT64) */
	evt__store_u64(e, cred__caps(cred, cap_inheritable));
	/* Parameter 22: cap_permitted (UINT64) */
	evt__store_u64(e, cred__caps(cred, cap_permitted));
	/* Parameter 23: cap_effective (UINT64) */
	evt__store_u64(e, cred__caps(cred, cap_effective));
	/* Parameter 24: exe_ino (UINT64) */
	evt__store_u64(e, ino ? BPF_CORE_READ(ino, i_ino) : 0);
	/* Parameter 25: exe_ino_ctime (ABSTIME) */
	evt__store_u64(e, inode__ctime_ns(ino));
	/* Parameter 26: exe_ino_mtime (ABSTIME) */
	evt__store_u64(e, inode__mtime_ns(ino));
	/* Parameter 27: uid (UID) */
	evt__store_u32(e, BPF_CORE_READ(cred, euid.val));
	/* Parameter 28: trusted_exepath (FSPATH) */
	evt__store_exepath(e, exe);
	/* Parameter 29: pgid (PID) */
	evt__store_u64(e, pgrp ? BPF_CORE_READ(pgrp, numbers[0].nr) : 0);
	/* Parameter 30: gid (GID) */
	evt__store_u32(e, BPF_CORE_READ(cred, egid.val));
}

/* Successful execve/execveat: the new image, seen from inside it. */
SEC("raw_tp/sched_process_exec")
int sched_process_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *t = (struct task_struct *)ctx->args[0];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	struct evt e;

	if ((bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	if (evt__begin(&e, SAKER_EV_EXECVE_19_X, SAKER_CAT_PROCESS))
		return 0;
	/* Parameters 1-15 */
	evt__store_proc_common(&e, t, 0, 1);
	/* Parameters 16-30 */
	evt__store_exec_tail(&e, t);
	/* Parameter 31: filename (FSPATH) */
	evt__store_kernel_str(&e, BPF_CORE_READ(bprm, filename));
	return evt__submit(&e);
}

static __always_inline __u32 child_clone_flags(struct task_struct *parent, struct task_struct *child)
{
	__u32 f = 0;

	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		f |= SAKER_CLONE_THREAD;
	if (BPF_CORE_READ(child, mm) == BPF_CORE_READ(parent, mm))
		f |= SAKER_CLONE_VM;
	if (BPF_CORE_READ(child, files) == BPF_CORE_READ(parent, files))
		f |= SAKER_CLONE_FILES;
	if (BPF_CORE_READ(child, fs) == BPF_CORE_READ(parent, fs))
		f |= SAKER_CLONE_FS;
	if (BPF_CORE_READ(child, sighand) == BPF_CORE_READ(parent, sighand))
		f |= SAKER_CLONE_SIGHAND;
	if (BPF_CORE_READ(child, nsproxy, pid_ns_for_children) !=
	    BPF_CORE_READ(parent, nsproxy, pid_ns_for_children))
		f |= SAKER_CLONE_NEWPID;
	if (BPF_CORE_READ(child, nsproxy, mnt_ns) != BPF_CORE_READ(parent, nsproxy, mnt_ns))
		f |= SAKER_CLONE_NEWNS;
	if (BPF_CORE_READ(child, nsproxy, net_ns) != BPF_CORE_READ(parent, nsproxy, net_ns))
		f |= SAKER_CLONE_NEWNET;
	return f;
}

/* Tail of clone-family exit events: flags, uid, gid, vtid, vpid, pidns start. */
static __always_inline void evt__store_clone_tail(struct evt *e, struct task_struct *t, __u32 flags)
{
	const struct cred *cred = BPF_CORE_READ(t, cred);

	/* Parameter 16: flags (FLAGS32) */
	evt__store_u32(e, flags);
	/* Parameter 17: uid (UINT32) */
	evt__store_u32(e, BPF_CORE_READ(cred, euid.val));
	/* Parameter 18: gid (UINT32) */
	evt__store_u32(e, BPF_CORE_READ(cred, egid.val));
	/* Parameter 19: vtid (PID) */
	evt__store_u64(e, task__vtid(t));
	/* Parameter 20: vpid (PID) */
	evt__store_u64(e, task__vpid(t));
	/* Parameter 21: pidns_init_start_ts (UINT64) */
	evt__store_u64(e, 0);
}

/* A new process or thread: the child's clone exit event (res 0). */
SEC("raw_tp/sched_process_fork")
int sched_process_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	struct evt e;

	if ((bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	if (evt__begin_tid(&e, SAKER_EV_CLONE_20_X, BPF_CORE_READ(child, pid), SAKER_CAT_PROCESS))
		return 0;
	/* Parameters 1-15 */
	evt__store_proc_common(&e, child, 0, 0);
	/* Parameters 16-21 */
	evt__store_clone_tail(&e, child, child_clone_flags(parent, child));
	return evt__submit(&e);
}

SEC("raw_tp/sched_process_exit")
int sched_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *t = (struct task_struct *)ctx->args[0];
	struct evt e;
	int code;

	if ((bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	if (evt__begin(&e, SAKER_EV_PROCEXIT_1_E, SAKER_CAT_PROCESS))
		return 0;
	code = BPF_CORE_READ(t, exit_code);
	/* Parameter 1: status (ERRNO) */
	evt__store_u64(&e, code);
	/* Parameter 2: ret (ERRNO) */
	evt__store_u64(&e, (code >> 8) & 0xff);
	/* Parameter 3: sig (SIGTYPE) */
	evt__store_u8(&e, code & 0x7f);
	/* Parameter 4: core (UINT8) */
	evt__store_u8(&e, (code & 0x80) != 0);
	/* Parameter 5: reaper_tid (PID): the parent takes over */
	evt__store_u64(&e, BPF_CORE_READ(t, real_parent, pid));
	return evt__submit(&e);
}

/* ---------------------------------------------------------------------- */
/* Per-syscall exit programs                                                */

#define SYS_EXIT(name) \
	SEC("raw_tp/sys_exit") int sys_exit_##name(struct bpf_raw_tracepoint_args *ctx)

/*
 * Every program's first step: its parameter count comes with `type`;
 * `cast` where the program is a __cast twin (SYS_EXIT_TWIN), which reads
 * its arguments itself (sc__init).
 */
#define BEGIN_AS(type, cat, cast)                   \
	struct sc s;                                    \
	struct evt e;                                   \
	sc__init(&s, ctx, cast);                        \
	if (evt__begin_tid(&e, type, s.tid, cat))       \
		return 0
#define BEGIN(type, cat) BEGIN_AS(type, cat, 0)

/* The same for an event of a fixed size (evt__begin_fixed). */
#define BEGIN_FIXED_AS(type, cat, payload, cast)                \
	struct sc s;                                            \
	struct evt e;                                           \
	sc__init(&s, ctx, cast);                                \
	if (evt__begin_fixed(&e, type, s.tid, cat, payload))    \
		return 0
#define BEGIN_FIXED(type, cat, payload) BEGIN_FIXED_AS(type, cat, payload, 0)

SYS_EXIT(generic)
{
	BEGIN_FIXED(SAKER_EV_GENERIC_X, SAKER_CAT_OTHER, 4);
	__u16 id = sc__id(&s);

	/* Parameter 1: ID (SYSCALLID, a PPM_SC_* code) */
	evt__store_u16(&e, ppm_sc_of[id & (SAKER_MAX_SYSCALLS - 1)]);
	/* Parameter 2: nativeID (UINT16) */
	evt__store_u16(&e, id);
	return evt__submit_fixed(&e);
}

/* Failed execve/execveat (success is reported by sched_process_exec). */
static __always_inline int exec_failed(struct bpf_raw_tracepoint_args *ctx, int at)
{
	BEGIN(at ? SAKER_EV_EXECVEAT_X : SAKER_EV_EXECVE_19_X, SAKER_CAT_PROCESS);
	struct task_struct *t = task__current();
	const char *const *argv = (const char *const *)sc__arg(&s, at ? 2 : 1);
	const char *arg = NULL;
	__u32 len = 0;
	int i;

	if (s.ret == 0)
		return 0;
	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: exe (CHARBUF): argv[0] */
	if (argv)
		bpf_probe_read_user(&arg, sizeof(arg), &argv[0]);
	evt__store_user_str(&e, arg);
	/* Parameter 3: args (BYTEBUF): argv[1..] */
	for (i = 1; i < 32 && argv; i++) {
		long n;

		arg = NULL;
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg || len > SAKER_MAX_ARGS)
			break;
		n = bpf_probe_read_user_str(&e.buf[(e.pos + len) & SAKER_POS_MASK], 1024, arg);
		if (n <= 0)
			break;
		len += n;
	}
	evt__set_len(&e, len);
	/* Parameters 4-6: tid, pid, ptid (PID) */
	evt__store_u64(&e, BPF_CORE_READ(t, pid));
	evt__store_u64(&e, BPF_CORE_READ(t, tgid));
	evt__store_u64(&e, BPF_CORE_READ(t, real_parent, pid));
	/* Parameter 7: cwd (CHARBUF) */
	evt__store_empty(&e);
	/* Parameters 8-13: fdlimit, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap */
	evt__store_u64(&e, task__fdlimit(t));
	evt__store_u64(&e, BPF_CORE_READ(t, maj_flt));
	evt__store_u64(&e, BPF_CORE_READ(t, min_flt));
	evt__store_u32(&e, task__vm_size_kb(t));
	evt__store_u32(&e, task__vm_rss_kb(t));
	evt__store_u32(&e, task__vm_swap_kb(t));
	/* Parameter 14: comm (CHARBUF) */
	evt__store_kernel_str(&e, &t->comm);
	/* Parameter 15: cgroups (BYTEBUF) */
	evt__store_cgroups(&e, t);
	/* Parameters 16-30 */
	evt__store_exec_tail(&e, t);
	/* Parameter 31: filename (FSPATH), execve only */
	if (!at)
		evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	return evt__submit(&e);
}

SYS_EXIT(execve) { return exec_failed(ctx, 0); }
SYS_EXIT(execveat) { return exec_failed(ctx, 1); }

/* Parent side of clone-family calls; the child's event comes from sched_process_fork. */
static __always_inline int clone_parent(struct bpf_raw_tracepoint_args *ctx, __u16 type, __u32 flags)
{
	BEGIN(type, SAKER_CAT_PROCESS);
	struct task_struct *t = task__current();

	if (s.ret == 0)
		return 0;
	/* Parameters 1-15 (res is the child tid or an error) */
	evt__store_proc_common(&e, t, s.ret, 0);
	/* Parameters 16-21 */
	evt__store_clone_tail(&e, t, flags);
	return evt__submit(&e);
}

SYS_EXIT(clone)
{
	struct sc s;

	sc__init(&s, ctx, 0);
	return clone_parent(ctx, SAKER_EV_CLONE_20_X, clone_flags_to_scap(sc__arg(&s, 0)));
}

SYS_EXIT(clone3)
{
	struct sc s;
	__u64 flags = 0;

	sc__init(&s, ctx, 0);
	bpf_probe_read_user(&flags, sizeof(flags), (void *)sc__arg(&s, 0));
	return clone_parent(ctx, SAKER_EV_CLONE3_X, clone_flags_to_scap(flags));
}

SYS_EXIT(fork) { return clone_parent(ctx, SAKER_EV_FORK_20_X, 0); }
SYS_EXIT(vfork) { return clone_parent(ctx, SAKER_EV_VFORK_20_X, SAKER_CLONE_VFORK | SAKER_CLONE_VM); }

/*
 * A program and its __cast twin, which reads kernel structures (the opened
 * file, the socket of an fd) through bpf_rdonly_cast (Linux >= 6.2; see
 * task.bpf.h) with plain loads, and its arguments from the registers
 * (sc__init): userspace loads one of the two. The body is
 * NAME_exit(ctx, cast), `cast` a constant.
 */
#define SYS_EXIT_TWIN(name)                                                        \
	static __always_inline int name##_exit(struct bpf_raw_tracepoint_args *ctx, int cast); \
	SYS_EXIT(name) { return name##_exit(ctx, 0); }                              \
	SYS_EXIT(name##__cast) { return name##_exit(ctx, 1); }                      \
	static __always_inline int name##_exit(struct bpf_raw_tracepoint_args *ctx, int cast)

/*
 * A twin whose body the __cast dispatcher also runs inline (openat,
 * close): `in` is what the dispatcher read (a 64-bit caller's), NULL in
 * the tail-called programs, a constant either way.
 */
#define SYS_EXIT_HOT(name)                                                                  \
	SYS_EXIT(name) { return name##_exit(ctx, NULL, 0); }                                 \
	SYS_EXIT(name##__cast) { return name##_exit(ctx, NULL, 1); }                         \
	static __always_inline int name##_exit(struct bpf_raw_tracepoint_args *ctx, const struct sc *in, int cast)

/* BEGIN_AS and BEGIN_FIXED_AS for a SYS_EXIT_HOT body. */
#define BEGIN_HOT(type, cat, cast)                  \
	struct sc s;                                    \
	struct evt e;                                   \
	if (in)                                         \
		s = *in;                                \
	else                                            \
		sc__init(&s, ctx, cast);                \
	if (evt__begin_tid(&e, type, s.tid, cat))       \
		return 0
#define BEGIN_FIXED_HOT(type, cat, payload, cast)               \
	struct sc s;                                            \
	struct evt e;                                           \
	if (in)                                                 \
		s = *in;                                        \
	else                                                    \
		sc__init(&s, ctx, cast);                        \
	if (evt__begin_fixed(&e, type, s.tid, cat, payload))    \
		return 0

SYS_EXIT_TWIN(open)
{
	BEGIN_AS(SAKER_EV_OPEN_X, SAKER_CAT_FILE, cast);
	struct file_facts ff;

	open__facts(&s, &ff, cast);

	/* Parameter 1: fd (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: name (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: flags (FLAGS32), with the file's overlayfs layer */
	evt__store_u32(&e, open_flags_layer(sc__arg(&s, 1), ff.layer));
	/* Parameter 4: mode (UINT32), meaningful only when creating */
	evt__store_u32(&e, open_mode(sc__arg(&s, 1), sc__arg(&s, 2)));
	/* Parameters 5-6: dev, ino */
	evt__store_dev_ino(&e, &ff);
	return evt__submit(&e);
}

SYS_EXIT_HOT(openat)
{
	BEGIN_HOT(SAKER_EV_OPENAT_2_X, SAKER_CAT_FILE, cast);
	struct file_facts ff;

	open__facts(&s, &ff, cast);

	/* Parameter 1: fd (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: dirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: name (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: flags (FLAGS32), with the file's overlayfs layer */
	evt__store_u32(&e, open_flags_layer(sc__arg(&s, 2), ff.layer));
	/* Parameter 5: mode (UINT32), meaningful only when creating */
	evt__store_u32(&e, open_mode(sc__arg(&s, 2), sc__arg(&s, 3)));
	/* Parameters 6-7: dev, ino */
	evt__store_dev_ino(&e, &ff);
	return evt__submit(&e);
}

SYS_EXIT_TWIN(openat2)
{
	BEGIN_AS(SAKER_EV_OPENAT2_X, SAKER_CAT_FILE, cast);
	struct open_how how = {};
	struct file_facts ff;

	open__facts(&s, &ff, cast);

	bpf_probe_read_user(&how, sizeof(how), (void *)sc__arg(&s, 2));
	/* Parameter 1: fd (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: dirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: name (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: flags (FLAGS32), with the file's overlayfs layer */
	evt__store_u32(&e, open_flags_layer(how.flags, ff.layer));
	/* Parameter 5: mode (UINT32) */
	evt__store_u32(&e, how.mode);
	/* Parameter 6: resolve (FLAGS32), same bits as RESOLVE_* */
	evt__store_u32(&e, how.resolve);
	/* Parameters 7-8: dev, ino */
	evt__store_dev_ino(&e, &ff);
	return evt__submit(&e);
}

SYS_EXIT_TWIN(creat)
{
	BEGIN_AS(SAKER_EV_CREAT_X, SAKER_CAT_FILE, cast);
	struct file_facts ff;

	open__facts(&s, &ff, cast);

	/* Parameter 1: fd (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: name (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: mode (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	/* Parameters 4-5: dev, ino */
	evt__store_dev_ino(&e, &ff);
	/* Parameter 6: creat_flags (FLAGS16): the file's overlayfs layer */
	switch (ff.layer) {
	case LAYER_UPPER: evt__store_u16(&e, SAKER_FD_UPPER_LAYER_CREAT); break;
	case LAYER_LOWER: evt__store_u16(&e, SAKER_FD_LOWER_LAYER_CREAT); break;
	default: evt__store_u16(&e, 0); break;
	}
	return evt__submit(&e);
}

/* A twin for its arguments (sc__init: it reads one, the dispatcher would save six) and inline in the dispatcher. */
SYS_EXIT_HOT(close)
{
	BEGIN_FIXED_HOT(SAKER_EV_CLOSE_X, SAKER_CAT_FILE, 16, cast);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	return evt__submit_fixed(&e);
}

SYS_EXIT(dup)
{
	BEGIN_FIXED(SAKER_EV_DUP_1_X, SAKER_CAT_FILE, 16);

	/* Parameter 1: res (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: oldfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	return evt__submit_fixed(&e);
}

SYS_EXIT(dup2)
{
	BEGIN_FIXED(SAKER_EV_DUP2_X, SAKER_CAT_FILE, 24);

	/* Parameter 1: res (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: oldfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: newfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 1));
	return evt__submit_fixed(&e);
}

SYS_EXIT(dup3)
{
	BEGIN_FIXED(SAKER_EV_DUP3_X, SAKER_CAT_FILE, 28);

	/* Parameter 1: res (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: oldfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: newfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 1));
	/* Parameter 4: flags (FLAGS32) */
	evt__store_u32(&e, open_flags_to_scap(sc__arg(&s, 2)) & SAKER_O_CLOEXEC);
	return evt__submit_fixed(&e);
}

SYS_EXIT(fcntl)
{
	BEGIN_FIXED(SAKER_EV_FCNTL_X, SAKER_CAT_FILE, 25);

	/* Parameter 1: res (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: cmd (ENUMFLAGS8) */
	evt__store_u8(&e, fcntl_cmd_to_scap(sc__arg(&s, 1)));
	/* Parameter 4: arg (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 2));
	return evt__submit_fixed(&e);
}

static __always_inline void store_pipe_fds(struct evt *e, struct sc *s)
{
	int fds[2] = { -1, -1 };
	struct file *f;

	if (s->ret == 0)
		bpf_probe_read_user(fds, sizeof(fds), (void *)sc__arg(s, 0));
	f = s->ret == 0 ? cur__fd_file(fds[0]) : NULL;
	/* Parameter 2: fd1 (FD) */
	evt__store_u64(e, (__s64)fds[0]);
	/* Parameter 3: fd2 (FD) */
	evt__store_u64(e, (__s64)fds[1]);
	/* Parameter 4: ino (UINT64) */
	evt__store_u64(e, f ? BPF_CORE_READ(f, f_inode, i_ino) : 0);
}

SYS_EXIT(pipe)
{
	BEGIN_FIXED(SAKER_EV_PIPE_X, SAKER_CAT_FILE, 32);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	store_pipe_fds(&e, &s);
	return evt__submit_fixed(&e);
}

SYS_EXIT(pipe2)
{
	BEGIN_FIXED(SAKER_EV_PIPE2_X, SAKER_CAT_FILE, 36);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	store_pipe_fds(&e, &s);
	/* Parameter 5: flags (FLAGS32) */
	evt__store_u32(&e, open_flags_to_scap(sc__arg(&s, 1)) & ~SAKER_O_RDWR);
	return evt__submit_fixed(&e);
}

SYS_EXIT(socket)
{
	BEGIN_FIXED(SAKER_EV_SOCKET_X, SAKER_CAT_NET, 24);

	/* Parameter 1: fd (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: domain (ENUMFLAGS32): PPM_AF_* match AF_* */
	evt__store_u32(&e, sc__arg(&s, 0));
	/* Parameter 3: type (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	/* Parameter 4: proto (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	/* Parameter 5: flags (FLAGS32) */
	evt__store_u32(&e, 0);
	return evt__submit_fixed(&e);
}

SYS_EXIT_TWIN(socketpair)
{
	BEGIN_FIXED_AS(SAKER_EV_SOCKETPAIR_X, SAKER_CAT_NET, 52, cast);
	int fds[2] = { -1, -1 };
	struct sock *sk = NULL;

	if (s.ret == 0) {
		bpf_probe_read_user(fds, sizeof(fds), (void *)sc__arg(&s, 3));
		sk = sc__fd_sock(&s, fds[0], cast);
	}
	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd1 (FD) */
	evt__store_u64(&e, (__s64)fds[0]);
	/* Parameter 3: fd2 (FD) */
	evt__store_u64(&e, (__s64)fds[1]);
	/* Parameter 4: source (UINT64) */
	evt__store_u64(&e, (__u64)sk);
	/* Parameter 5: peer (UINT64) */
	evt__store_u64(&e, sk ? (__u64)CAST_RD(cast, CAST_AS(cast, sk, struct unix_sock), peer) : 0);
	/* Parameter 6: domain (ENUMFLAGS32) */
	evt__store_u32(&e, sc__arg(&s, 0));
	/* Parameter 7: type (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	/* Parameter 8: proto (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit_fixed(&e);
}

SYS_EXIT_TWIN(connect)
{
	BEGIN_AS(SAKER_EV_CONNECT_X, SAKER_CAT_NET, cast);
	long fd = sc__arg_int(&s, 0);
	struct sock *sk = sc__fd_sock(&s, fd, cast);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: tuple (SOCKTUPLE) */
	if (s.ret == 0 || s.ret == -115) /* connected or EINPROGRESS */
		evt__store_socktuple(&e, sk, 0, cast);
	else
		evt__store_empty(&e);
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, fd);
	/* Parameter 4: addr (SOCKADDR) */
	evt__store_sockaddr(&e, (void *)sc__arg(&s, 1), sc__arg_int(&s, 2));
	return evt__submit(&e);
}

static __always_inline void store_accept_common(struct evt *e, struct sc *s, int cast)
{
	struct sock *sk = s->ret >= 0 ? sc__fd_sock(s, s->ret, cast) : NULL;
	struct sock *lsk = sc__fd_sock(s, sc__arg_int(s, 0), cast);
	__u32 qlen = lsk ? CAST_RD(cast, lsk, sk_ack_backlog) : 0;
	__u32 qmax = lsk ? CAST_RD(cast, lsk, sk_max_ack_backlog) : 0;

	/* Parameter 1: fd (FD) */
	evt__store_u64(e, s->ret);
	/* Parameter 2: tuple (SOCKTUPLE), peer first */
	evt__store_socktuple(e, sk, 1, cast);
	/* Parameter 3: queuepct (UINT8) */
	evt__store_u8(e, qmax ? qlen * 100 / qmax : 0);
	/* Parameter 4: queuelen (UINT32) */
	evt__store_u32(e, qlen);
	/* Parameter 5: queuemax (UINT32) */
	evt__store_u32(e, qmax);
}

SYS_EXIT_TWIN(accept)
{
	BEGIN_AS(SAKER_EV_ACCEPT_5_X, SAKER_CAT_NET, cast);

	store_accept_common(&e, &s, cast);
	return evt__submit(&e);
}

SYS_EXIT_TWIN(accept4)
{
	BEGIN_AS(SAKER_EV_ACCEPT4_6_X, SAKER_CAT_NET, cast);

	store_accept_common(&e, &s, cast);
	/* Parameter 6: flags (INT32) */
	evt__store_u32(&e, sc__arg(&s, 3));
	return evt__submit(&e);
}

SYS_EXIT(bind)
{
	BEGIN(SAKER_EV_BIND_X, SAKER_CAT_NET);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: addr (SOCKADDR) */
	evt__store_sockaddr(&e, (void *)sc__arg(&s, 1), sc__arg_int(&s, 2));
	/* Parameter 3: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	return evt__submit(&e);
}

SYS_EXIT(listen)
{
	BEGIN_FIXED(SAKER_EV_LISTEN_X, SAKER_CAT_NET, 20);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: backlog (INT32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	return evt__submit_fixed(&e);
}

/* Syscalls of shape (res, path): chdir, rmdir, unlink. */
static __always_inline int res_path(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN(type, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: path (FSPATH / CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	return evt__submit(&e);
}

SYS_EXIT(chdir) { return res_path(ctx, SAKER_EV_CHDIR_X); }
SYS_EXIT(rmdir) { return res_path(ctx, SAKER_EV_RMDIR_2_X); }
SYS_EXIT(unlink) { return res_path(ctx, SAKER_EV_UNLINK_2_X); }

SYS_EXIT(fchdir)
{
	BEGIN_FIXED(SAKER_EV_FCHDIR_X, SAKER_CAT_FILE, 16);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	return evt__submit_fixed(&e);
}

/* Syscalls of shape (res, path1, path2): rename, link, symlink. */
static __always_inline int res_path_path(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN(type, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: oldpath / target */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: newpath / linkpath */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	return evt__submit(&e);
}

SYS_EXIT(rename) { return res_path_path(ctx, SAKER_EV_RENAME_X); }
SYS_EXIT(link) { return res_path_path(ctx, SAKER_EV_LINK_2_X); }
SYS_EXIT(symlink) { return res_path_path(ctx, SAKER_EV_SYMLINK_X); }

/* renameat, renameat2, linkat: (res, olddirfd, oldpath, newdirfd, newpath[, flags]). */
static __always_inline int res_at_at(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN(type, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: olddirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: oldpath (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: newdirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 2));
	/* Parameter 5: newpath (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 3));
	/* Parameter 6: flags (FLAGS32): RENAME_* and AT_* values match PPM_* */
	if (type != SAKER_EV_RENAMEAT_X)
		evt__store_u32(&e, sc__arg(&s, 4));
	return evt__submit(&e);
}

SYS_EXIT(renameat) { return res_at_at(ctx, SAKER_EV_RENAMEAT_X); }
SYS_EXIT(renameat2) { return res_at_at(ctx, SAKER_EV_RENAMEAT2_X); }
SYS_EXIT(linkat) { return res_at_at(ctx, SAKER_EV_LINKAT_2_X); }

SYS_EXIT(symlinkat)
{
	BEGIN(SAKER_EV_SYMLINKAT_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: target (CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: linkdirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 1));
	/* Parameter 4: linkpath (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT(unlinkat)
{
	BEGIN(SAKER_EV_UNLINKAT_2_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: dirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: name (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: flags (FLAGS32): AT_REMOVEDIR matches PPM_AT_REMOVEDIR */
	evt__store_u32(&e, sc__arg(&s, 2) & 0x200);
	return evt__submit(&e);
}

SYS_EXIT(mkdir)
{
	BEGIN(SAKER_EV_MKDIR_2_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: path (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: mode (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	return evt__submit(&e);
}

SYS_EXIT(mkdirat)
{
	BEGIN(SAKER_EV_MKDIRAT_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: dirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: path (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: mode (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT(chmod)
{
	BEGIN(SAKER_EV_CHMOD_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: filename (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: mode (MODE): PPM_S_* bits equal the kernel's */
	evt__store_u32(&e, sc__arg(&s, 1) & 07777);
	return evt__submit(&e);
}

SYS_EXIT(fchmod)
{
	BEGIN_FIXED(SAKER_EV_FCHMOD_X, SAKER_CAT_FILE, 20);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: mode (MODE) */
	evt__store_u32(&e, sc__arg(&s, 1) & 07777);
	return evt__submit_fixed(&e);
}

SYS_EXIT(fchmodat)
{
	BEGIN(SAKER_EV_FCHMODAT_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: dirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: filename (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: mode (MODE) */
	evt__store_u32(&e, sc__arg(&s, 2) & 07777);
	return evt__submit(&e);
}

/* chown, lchown: (res, path, uid, gid). */
static __always_inline int chown_path(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN(type, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: path (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: uid (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	/* Parameter 4: gid (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT(chown) { return chown_path(ctx, SAKER_EV_CHOWN_X); }
SYS_EXIT(lchown) { return chown_path(ctx, SAKER_EV_LCHOWN_X); }

SYS_EXIT(fchown)
{
	BEGIN_FIXED(SAKER_EV_FCHOWN_X, SAKER_CAT_FILE, 24);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: uid (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	/* Parameter 4: gid (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit_fixed(&e);
}

SYS_EXIT(fchownat)
{
	BEGIN(SAKER_EV_FCHOWNAT_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: dirfd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: pathname (FSRELPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: uid (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	/* Parameter 5: gid (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 3));
	/* Parameter 6: flags (FLAGS32) */
	evt__store_u32(&e, sc__arg(&s, 4));
	return evt__submit(&e);
}

/* setuid, setgid: (res, id). */
static __always_inline int res_id(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN_FIXED(type, SAKER_CAT_PROCESS, 12);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: uid / gid */
	evt__store_u32(&e, sc__arg(&s, 0));
	return evt__submit_fixed(&e);
}

SYS_EXIT(setuid) { return res_id(ctx, SAKER_EV_SETUID_X); }
SYS_EXIT(setgid) { return res_id(ctx, SAKER_EV_SETGID_X); }

/* setreuid, setregid: (res, real, effective). */
static __always_inline int res_id2(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN_FIXED(type, SAKER_CAT_PROCESS, 16);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: real id */
	evt__store_u32(&e, sc__arg(&s, 0));
	/* Parameter 3: effective id */
	evt__store_u32(&e, sc__arg(&s, 1));
	return evt__submit_fixed(&e);
}

SYS_EXIT(setreuid) { return res_id2(ctx, SAKER_EV_SETREUID_X); }
SYS_EXIT(setregid) { return res_id2(ctx, SAKER_EV_SETREGID_X); }

/* setresuid, setresgid: (res, real, effective, saved). */
static __always_inline int res_id3(struct bpf_raw_tracepoint_args *ctx, __u16 type)
{
	BEGIN_FIXED(type, SAKER_CAT_PROCESS, 20);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: real id */
	evt__store_u32(&e, sc__arg(&s, 0));
	/* Parameter 3: effective id */
	evt__store_u32(&e, sc__arg(&s, 1));
	/* Parameter 4: saved id */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit_fixed(&e);
}

SYS_EXIT(setresuid) { return res_id3(ctx, SAKER_EV_SETRESUID_X); }
SYS_EXIT(setresgid) { return res_id3(ctx, SAKER_EV_SETRESGID_X); }

SYS_EXIT(capset)
{
	BEGIN_FIXED(SAKER_EV_CAPSET_X, SAKER_CAT_PROCESS, 32);
	const struct cred *cred = BPF_CORE_READ(task__current(), cred);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: cap_inheritable (UINT64) */
	evt__store_u64(&e, cred__caps(cred, cap_inheritable));
	/* Parameter 3: cap_permitted (UINT64) */
	evt__store_u64(&e, cred__caps(cred, cap_permitted));
	/* Parameter 4: cap_effective (UINT64) */
	evt__store_u64(&e, cred__caps(cred, cap_effective));
	return evt__submit_fixed(&e);
}

SYS_EXIT(setns)
{
	BEGIN_FIXED(SAKER_EV_SETNS_X, SAKER_CAT_PROCESS, 20);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: nstype (FLAGS32) */
	evt__store_u32(&e, clone_flags_to_scap(sc__arg(&s, 1)));
	return evt__submit_fixed(&e);
}

SYS_EXIT(unshare)
{
	BEGIN_FIXED(SAKER_EV_UNSHARE_X, SAKER_CAT_PROCESS, 12);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: flags (FLAGS32) */
	evt__store_u32(&e, clone_flags_to_scap(sc__arg(&s, 0)));
	return evt__submit_fixed(&e);
}

SYS_EXIT(mount)
{
	BEGIN(SAKER_EV_MOUNT_X, SAKER_CAT_FILE);
	unsigned long flags = sc__arg(&s, 3);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: dev (CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: dir (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: type (CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 2));
	/* Parameter 5: flags (FLAGS32): drop the old magic in the high half */
	if ((flags & 0xffff0000) == 0xc0ed0000)
		flags &= 0xffff;
	evt__store_u32(&e, flags);
	return evt__submit(&e);
}

SYS_EXIT(umount2)
{
	BEGIN(SAKER_EV_UMOUNT2_X, SAKER_CAT_FILE);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: name (FSPATH) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: flags (FLAGS32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	return evt__submit(&e);
}

SYS_EXIT(ptrace)
{
	BEGIN_FIXED(SAKER_EV_PTRACE_X, SAKER_CAT_PROCESS, 36);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: addr (DYN): index 0 = UINT64 */
	__u8 *b = &e.buf[e.pos & SAKER_POS_MASK];
	__u64 addr = sc__arg(&s, 2), data = sc__arg(&s, 3);

	b[0] = 0;
	__builtin_memcpy(&b[1], &addr, 8);
	evt__set_len(&e, 9);
	/* Parameter 3: data (DYN): index 0 = UINT64 */
	b = &e.buf[e.pos & SAKER_POS_MASK];
	b[0] = 0;
	__builtin_memcpy(&b[1], &data, 8);
	evt__set_len(&e, 9);
	/* Parameter 4: request (ENUMFLAGS16) */
	evt__store_u16(&e, ptrace_req_to_scap(sc__arg(&s, 0)));
	/* Parameter 5: pid (PID) */
	evt__store_u64(&e, sc__arg_int(&s, 1));
	return evt__submit_fixed(&e);
}

SYS_EXIT(bpf)
{
	BEGIN_FIXED(SAKER_EV_BPF_2_X, SAKER_CAT_OTHER, 12);

	/* Parameter 1: fd (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: cmd (ENUMFLAGS32) */
	evt__store_u32(&e, sc__arg(&s, 0));
	return evt__submit_fixed(&e);
}

SYS_EXIT(init_module)
{
	BEGIN(SAKER_EV_INIT_MODULE_X, SAKER_CAT_OTHER);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: img (BYTEBUF): not copied, the length says enough */
	evt__store_empty(&e);
	/* Parameter 3: length (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 1));
	/* Parameter 4: uargs (CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT(finit_module)
{
	BEGIN(SAKER_EV_FINIT_MODULE_X, SAKER_CAT_OTHER);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: fd (FD) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: uargs (CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 1));
	/* Parameter 4: flags (FLAGS32) */
	evt__store_u32(&e, sc__arg(&s, 2));
	return evt__submit(&e);
}

SYS_EXIT(delete_module)
{
	BEGIN(SAKER_EV_DELETE_MODULE_X, SAKER_CAT_OTHER);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: name (CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: flags (FLAGS32) */
	evt__store_u32(&e, sc__arg(&s, 1));
	return evt__submit(&e);
}

SYS_EXIT(memfd_create)
{
	BEGIN(SAKER_EV_MEMFD_CREATE_X, SAKER_CAT_FILE);

	/* Parameter 1: fd (FD) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: name (CHARBUF) */
	evt__store_user_str(&e, (void *)sc__arg(&s, 0));
	/* Parameter 3: flags (FLAGS32): MFD_* values match PPM_MFD_* */
	evt__store_u32(&e, sc__arg(&s, 1));
	return evt__submit(&e);
}

SYS_EXIT(kill)
{
	BEGIN_FIXED(SAKER_EV_KILL_X, SAKER_CAT_PROCESS, 17);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: pid (PID) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: sig (SIGTYPE) */
	evt__store_u8(&e, sc__arg(&s, 1));
	return evt__submit_fixed(&e);
}

SYS_EXIT(tkill)
{
	BEGIN_FIXED(SAKER_EV_TKILL_X, SAKER_CAT_PROCESS, 17);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: tid (PID) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: sig (SIGTYPE) */
	evt__store_u8(&e, sc__arg(&s, 1));
	return evt__submit_fixed(&e);
}

SYS_EXIT(tgkill)
{
	BEGIN_FIXED(SAKER_EV_TGKILL_X, SAKER_CAT_PROCESS, 25);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: pid (PID) */
	evt__store_u64(&e, sc__arg_int(&s, 0));
	/* Parameter 3: tid (PID) */
	evt__store_u64(&e, sc__arg_int(&s, 1));
	/* Parameter 4: sig (SIGTYPE) */
	evt__store_u8(&e, sc__arg(&s, 2));
	return evt__submit_fixed(&e);
}

/* setsid: (res), the new session id; state moves the process into it. */
SYS_EXIT(setsid)
{
	BEGIN_FIXED(SAKER_EV_SETSID_X, SAKER_CAT_PROCESS, 8);

	/* Parameter 1: res (PID) */
	evt__store_u64(&e, s.ret);
	return evt__submit_fixed(&e);
}

/* setpgid: (res, pid, pgid); state moves the process into the group. */
SYS_EXIT(setpgid)
{
	BEGIN_FIXED(SAKER_EV_SETPGID_X, SAKER_CAT_PROCESS, 24);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: pid (PID) */
	evt__store_u64(&e, (__s64)(int)sc__arg(&s, 0));
	/* Parameter 3: pgid (PID) */
	evt__store_u64(&e, (__s64)(int)sc__arg(&s, 1));
	return evt__submit_fixed(&e);
}

SYS_EXIT(prctl)
{
	BEGIN(SAKER_EV_PRCTL_X, SAKER_CAT_PROCESS);
	long option = sc__arg(&s, 0);
	unsigned long arg2 = sc__arg(&s, 1);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: option (ENUMFLAGS32): PPM_PR_* match PR_* */
	evt__store_u32(&e, option);
	/* Parameter 3: arg2_str (CHARBUF): PR_SET_NAME / PR_GET_NAME */
	if (option == SAKER_PR_SET_NAME || option == SAKER_PR_GET_NAME)
		evt__store_user_str(&e, (void *)arg2);
	else
		evt__store_empty(&e);
	/* Parameter 4: arg2_int (INT64) */
	evt__store_u64(&e, arg2);
	return evt__submit(&e);
}

SYS_EXIT(mprotect)
{
	struct sc s0;

	sc__init(&s0, ctx, 0);
	if (!(prot_to_scap(sc__arg(&s0, 2)) & SAKER_PROT_EXEC)) /* only mappings made executable */
		return 0;
	BEGIN_FIXED(SAKER_EV_MPROTECT_X, SAKER_CAT_OTHER, 28);
	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: addr (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 0));
	/* Parameter 3: length (UINT64) */
	evt__store_u64(&e, sc__arg(&s, 1));
	/* Parameter 4: prot (FLAGS32) */
	evt__store_u32(&e, prot_to_scap(sc__arg(&s, 2)));
	return evt__submit_fixed(&e);
}

SYS_EXIT(userfaultfd)
{
	BEGIN_FIXED(SAKER_EV_USERFAULTFD_X, SAKER_CAT_OTHER, 12);

	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: flags (FLAGS32): O_CLOEXEC / O_NONBLOCK as PPM_O_* */
	evt__store_u32(&e, open_flags_to_scap(sc__arg(&s, 0)) & ~SAKER_O_RDWR);
	return evt__submit_fixed(&e);
}

SYS_EXIT(io_uring_setup)
{
	BEGIN_FIXED(SAKER_EV_IO_URING_SETUP_X, SAKER_CAT_OTHER, 36);
	struct io_uring_params p = {};

	bpf_probe_read_user(&p, sizeof(p), (void *)sc__arg(&s, 1));
	/* Parameter 1: res (ERRNO) */
	evt__store_u64(&e, s.ret);
	/* Parameter 2: entries (UINT32) */
	evt__store_u32(&e, sc__arg(&s, 0));
	/* Parameter 3: sq_entries (UINT32) */
	evt__store_u32(&e, p.sq_entries);
	/* Parameter 4: cq_entries (UINT32) */
	evt__store_u32(&e, p.cq_entries);
	/* Parameter 5: flags (FLAGS32) */
	evt__store_u32(&e, p.flags);
	/* Parameter 6: sq_thread_cpu (UINT32) */
	evt__store_u32(&e, p.sq_thread_cpu);
	/* Parameter 7: sq_thread_idle (UINT32) */
	evt__store_u32(&e, p.sq_thread_idle);
	/* Parameter 8: features (FLAGS32) */
	evt__store_u32(&e, p.features);
	return evt__submit_fixed(&e);
}

/* The I/O family: read, write and friends with their data (bpf/io.bpf.h). */
#include "io.bpf.h"
/* poll and ppoll with their fds (bpf/poll.bpf.h). */
#include "poll.bpf.h"
/* setxattr and friends, saker-only event types (bpf/fileattr.bpf.h). */
#include "fileattr.bpf.h"
