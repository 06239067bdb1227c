/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading process, file and socket facts out of kernel structures with CO-RE,
 * and converting kernel flag values to their scap (PPM_*) encodings.
 */
#ifndef SAKER_TASK_BPF_H
#define SAKER_TASK_BPF_H

#include "scratch.bpf.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#define TS_COMPAT 0x0002

/*
 * bpf_rdonly_cast (Linux >= 6.2, "bpf: Add a kfunc for generic type cast"):
 * a pointer read with a probe read becomes a read-only BTF pointer, whose
 * fields are plain loads (a fault reads 0, as a failed probe read), and
 * the verifier replaces the call by a move. Only the __cast twins of the
 * open-family programs call it; userspace loads them where the kernel's
 * BTF has the kfunc and the probe-read programs elsewhere, so the
 * verifier of 5.10 and 6.1 never sees a kfunc call (libbpf 1.1 leaves an
 * unresolved weak kfunc as call 0, which 6.1 rejects even in dead code).
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
#define OVERLAYFS_SUPER_MAGIC 0x794c7630

/* Linux >= 6.15 renamed kernfs_node.parent to __parent. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

/*
 * Inode times, as each kernel spells them:
 *   Linux < 6.6:    i_ctime and i_mtime, struct timespec64
 *   Linux 6.6:      i_ctime renamed __i_ctime ("fs: rename i_ctime field to
 *                   __i_ctime", with the inode_get_ctime() accessors)
 *   Linux 6.7:      i_mtime renamed __i_mtime ("fs: rename inode i_atime and
 *                   i_mtime fields")
 *   Linux >= 6.11:  i_ctime_sec/i_ctime_nsec, i_mtime_sec/i_mtime_nsec ("fs:
 *                   switch timespec64 fields in inode to discrete integers")
 * vmlinux.h is the newest layout; this flavor names the older fields.
 */
struct inode___old {
	struct timespec64 i_ctime;
	struct timespec64 __i_ctime;
	struct timespec64 i_mtime;
	struct timespec64 __i_mtime;
} __attribute__((preserve_access_index));

static __always_inline __u64 ts64__ns(__s64 sec, long nsec)
{
	return (__u64)sec * 1000000000ull + nsec;
}

/* Inode change time in ns since the epoch (0 without an inode). */
static __always_inline __u64 inode__ctime_ns(struct inode *ino)
{
	struct inode___old *old = (void *)ino;

	if (!ino)
		return 0;
	/* 6.13's multigrain timestamps keep I_CTIME_QUERIED in bit 31 of i_ctime_nsec:
	 * masked off as the kernel's inode_get_ctime_nsec() does (2^31 ns too many otherwise) */
	if (bpf_core_field_exists(ino->i_ctime_sec))
		return ts64__ns(BPF_CORE_READ(ino, i_ctime_sec), BPF_CORE_READ(ino, i_ctime_nsec) & ~(1u << 31));
	if (bpf_core_field_exists(old->__i_ctime))
		return ts64__ns(BPF_CORE_READ(old, __i_ctime.tv_sec), BPF_CORE_READ(old, __i_ctime.tv_nsec));
	if (bpf_core_field_exists(old->i_ctime))
		return ts64__ns(BPF_CORE_READ(old, i_ctime.tv_sec), BPF_CORE_READ(old, i_ctime.tv_nsec));
	return 0;
}

/* Inode modification time in ns since the epoch (0 without an inode). */
static __always_inline __u64 inode__mtime_ns(struct inode *ino)
{
	struct inode___old *old = (void *)ino;

	if (!ino)
		return 0;
	if (bpf_core_field_exists(ino->i_mtime_sec))
		return ts64__ns(BPF_CORE_READ(ino, i_mtime_sec), BPF_CORE_READ(ino, i_mtime_nsec));
	if (bpf_core_field_exists(old->__i_mtime))
		return ts64__ns(BPF_CORE_READ(old, __i_mtime.tv_sec), BPF_CORE_READ(old, __i_mtime.tv_nsec));
	if (bpf_core_field_exists(old->i_mtime))
		return ts64__ns(BPF_CORE_READ(old, i_mtime.tv_sec), BPF_CORE_READ(old, i_mtime.tv_nsec));
	return 0;
}

/*
 * Capability sets: Linux >= 6.3 has kernel_cap_t = { u64 val; } ("capability:
 * just use a 'u64' instead of a 'u32[2]' array"); before it was
 * struct kernel_cap_struct { __u32 cap[2]; }, cap[0] the low word.
 */
struct kernel_cap_struct___old {
	__u32 cap[2];
} __attribute__((preserve_access_index));

struct cred___old {
	struct kernel_cap_struct___old cap_inheritable;
	struct kernel_cap_struct___old cap_permitted;
	struct kernel_cap_struct___old cap_effective;
} __attribute__((preserve_access_index));

/* The 64-bit capability set `set` (cap_effective, ...) of a cred. */
#define cred__caps(cred, set)                                                     \
	({                                                                        \
		const struct cred *_c = (cred);                                    \
		struct cred___old *_o = (void *)_c;                               \
		__u64 _v = 0;                                                     \
		if (bpf_core_field_exists(_o->set.cap)) {                         \
			__u32 _w[2] = {};                                         \
			bpf_core_read(&_w, sizeof(_w), &_o->set.cap);             \
			_v = _w[0] | ((__u64)_w[1] << 32);                        \
		} else if (_c) {                                                  \
			_v = BPF_CORE_READ(_c, set.val);                          \
		}                                                                 \
		_v;                                                               \
	})

static __always_inline struct task_struct *task__current(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/*
 * Linux >= 5.15 (bpf_task_pt_regs) and >= 5.11 (bpf_get_current_task_btf)
 * give BTF pointers to the task and its registers, read with plain loads;
 * older kernels read the same fields through the raw tracepoint's pt_regs
 * argument and bpf_get_current_task with probe reads. The check is a CO-RE
 * constant: the branch a kernel cannot run is removed before the verifier
 * sees its helper call.
 */
#define SC_BTF_REGS bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs) /* 5.15 > 5.11 */

/*
 * The dispatcher's view of the syscall that is exiting: its number as the
 * caller's ABI numbers it, the task and its registers (BTF pointers under
 * SC_BTF_REGS, else NULL: the registers are then the raw tracepoint's
 * pt_regs argument, read with probe reads). Whether an ia32 task made it
 * (sc__compat) is read only once the number is known to matter.
 */
static __always_inline __u64 sc__current_id(struct bpf_raw_tracepoint_args *ctx, struct task_struct **task,
					    struct pt_regs **regs)
{
	if (SC_BTF_REGS) {
		struct task_struct *t = bpf_get_current_task_btf();
		struct pt_regs *r = (struct pt_regs *)bpf_task_pt_regs(t);

		*task = t;
		*regs = r;
		return r->orig_ax;
	} else {
		struct pt_regs *r = (struct pt_regs *)ctx->args[0];

		*task = NULL;
		*regs = NULL;
		return BPF_CORE_READ(r, orig_ax);
	}
}

/* Whether the exiting syscall is an ia32 one (the task in TS_COMPAT). */
static __always_inline __u32 sc__compat(struct task_struct *t)
{
	if (SC_BTF_REGS)
		return (t->thread_info.status & TS_COMPAT) != 0;
	return (BPF_CORE_READ(task__current(), thread_info.status) & TS_COMPAT) != 0;
}

/*
 * Syscall n's argument n in the registers r: 64-bit callers pass di si dx
 * r10 r8 r9, ia32 ones bx cx dx si di bp (32-bit values). RD reads a field.
 */
#define SC_ARG(r, compat, n, RD)                                                  \
	((compat) ? (unsigned long)(__u32)((n) == 0 ? RD(r, bx) : (n) == 1 ? RD(r, cx) : \
					   (n) == 2 ? RD(r, dx) : (n) == 3 ? RD(r, si) : \
					   (n) == 4 ? RD(r, di) : RD(r, bp))            \
		  : (unsigned long)((n) == 0 ? RD(r, di) : (n) == 1 ? RD(r, si) :        \
				    (n) == 2 ? RD(r, dx) : (n) == 3 ? RD(r, r10) :       \
				    (n) == 4 ? RD(r, r8) : RD(r, r9)))
#define SC_RD_BTF(r, f) ((r)->f)
#define SC_RD_CORE(r, f) BPF_CORE_READ(r, f)

/* The six arguments of r into args (of a struct sc or a struct saker_syscall), ia32 ones mapped. */
#define SC_ARGS_OF(args, r, compat, RD)               \
	do {                                          \
		(args)[0] = SC_ARG(r, compat, 0, RD); \
		(args)[1] = SC_ARG(r, compat, 1, RD); \
		(args)[2] = SC_ARG(r, compat, 2, RD); \
		(args)[3] = SC_ARG(r, compat, 3, RD); \
		(args)[4] = SC_ARG(r, compat, 4, RD); \
		(args)[5] = SC_ARG(r, compat, 5, RD); \
	} while (0)
#define SC_ARGS(args, r, compat, RD)                    \
	do {                                            \
		if (compat)                             \
			SC_ARGS_OF(args, r, 1, RD);     \
		else                                    \
			SC_ARGS_OF(args, r, 0, RD);     \
	} while (0)

/*
 * The syscall that is exiting, as a tail-called program sees it: its
 * result, the caller's tid, whether an ia32 task made it, its 64-bit id
 * and its arguments. A tail call keeps only the context, so the dispatcher,
 * which has read the task and the registers already, leaves the rest in
 * this CPU's current_syscall (sc__save) and sc__init copies it onto the
 * program's stack. The lookup of a per-CPU array is inlined by the
 * verifier (Linux >= 6.10), so a program calls no helper for its
 * syscall's facts: a helper call costs several times its instructions (a
 * call and a return thunk under the mitigations of the seventh round's
 * host, bench/README.md). Reading the registers in the programs instead
 * costs two helper calls each (bpf_get_current_task_btf,
 * bpf_task_pt_regs), or a probe read per argument before 5.15 (which
 * 5.10's verifier rejects in sys_exit_unlinkat: it loses the event's
 * offsets across them).
 *
 * The arguments are the exception in a __cast program (6.2+): it reads
 * them where it uses them, from the raw tracepoint's pt_regs argument
 * through bpf_rdonly_cast, and the dispatcher, told so by the
 * SAKER_OWN_ARGS_* bit of interesting[nr], saves none for it. A load
 * through such a pointer is a checked load (BPF_PROBE_MEM: 8 x86
 * instructions on 6.12 and 6.18), so six of them in the dispatcher cost a
 * close five it never uses, and the compiler drops the loads no sc__arg
 * asks for (a close loads one argument, an openat four).
 */
struct sc {
	long ret;
	__u64 tid;
	__u64 task; /* the task's address under SC_BTF_REGS (sc__task_cast), else 0 */
	__u32 compat;
	__u32 nr; /* the 64-bit id (ia32 ones mapped) */
	unsigned long args[6];
	__u64 regs; /* the tracepoint's pt_regs, for sc__time32 */
};

/*
 * What the dispatcher read, for the program it tail-calls: `regs` a BTF
 * pointer (SC_BTF_REGS, or the __cast twin's bpf_rdonly_cast of the raw
 * tracepoint's argument), or NULL for the probe-read path before 5.15;
 * the arguments only where `args` (the program does not read its own).
 */
static __always_inline int sc__save(struct bpf_raw_tracepoint_args *ctx, struct task_struct *task,
				    struct pt_regs *regs, __u32 id, __u32 compat, __u32 tid, int args)
{
	__u32 zero = 0;
	struct saker_syscall *si = bpf_map_lookup_elem(&current_syscall, &zero);

	if (!si)
		return -1;
	si->id = id;
	si->compat = compat;
	si->tid = tid;
	si->task = (__u64)task;
	if (!args) /* a __cast program's: it reads them itself (sc__init) */
		return 0;
	if (SC_BTF_REGS) {
		SC_ARGS(si->args, regs, compat, SC_RD_BTF);
	} else {
		struct pt_regs *r = (struct pt_regs *)ctx->args[0];

		SC_ARGS(si->args, r, compat, SC_RD_CORE);
	}
	return 0;
}

/*
 * The syscall's facts for its program; `cast` (a constant) where it is a
 * __cast twin, which reads the arguments from the registers (ia32 ones
 * mapped, as SC_ARGS_OF) instead of current_syscall.
 */
static __always_inline void sc__init(struct sc *s, struct bpf_raw_tracepoint_args *ctx, int cast)
{
	__u32 zero = 0;
	struct saker_syscall *si = bpf_map_lookup_elem(&current_syscall, &zero);

	s->ret = (long)ctx->args[1];
	s->regs = ctx->args[0];
	s->compat = si ? si->compat : 0;
	s->tid = si ? si->tid : 0;
	s->task = si ? si->task : 0;
	s->nr = si ? si->id : 0;
	if (cast) {
		struct pt_regs *r = bpf_rdonly_cast((void *)ctx->args[0], bpf_core_type_id_kernel(struct pt_regs));

		SC_ARGS(s->args, r, s->compat, SC_RD_BTF);
	} else {
		for (int k = 0; k < 6; k++)
			s->args[k] = si ? si->args[k] : 0;
	}
}

/*
 * The syscall's facts from what the __cast dispatcher read, for a program
 * it runs inline instead of tail-calling it (a 64-bit caller's: r is the
 * tracepoint's pt_regs as a BTF pointer).
 */
static __always_inline void sc__of_dispatch(struct sc *s, struct bpf_raw_tracepoint_args *ctx,
					    struct task_struct *task, struct pt_regs *r, __u32 id, __u32 tid)
{
	s->ret = (long)ctx->args[1];
	s->regs = ctx->args[0];
	s->compat = 0;
	s->tid = tid;
	s->task = (__u64)task;
	s->nr = id;
	SC_ARGS_OF(s->args, r, 0, SC_RD_BTF);
}

/*
 * Times in 32-bit fields (old_timespec32, old_timeval32): an ia32 call but
 * one of Linux 5.1's y2038 calls (ia32 403-423: utimensat_time64,
 * ppoll_time64, ...), which the dispatcher maps to the 64-bit call they
 * mirror, with 64-bit times. The ia32 number is read again here, in the
 * few programs that read times and only for an ia32 caller, so the
 * dispatcher's path stays as it is.
 */
static __always_inline int sc__time32(struct sc *s)
{
	struct pt_regs *r = (struct pt_regs *)s->regs;
	__u64 nr;

	if (!s->compat)
		return 0;
	nr = BPF_CORE_READ(r, orig_ax);
	return nr < 403 || nr > 423;
}

static __always_inline unsigned long sc__arg(struct sc *s, int n)
{
	return s->args[n & 7];
}

/* A signed int argument widened to the 64-bit FD/PID encodings. */
static __always_inline __s64 sc__arg_int(struct sc *s, int n)
{
	return (__s64)(int)sc__arg(s, n);
}

/*
 * The task, as a BTF pointer, for a __cast program (6.2+, where the
 * dispatcher saved it under SC_BTF_REGS): bpf_rdonly_cast is a move, where
 * bpf_get_current_task_btf is a helper call.
 */
static __always_inline struct task_struct *sc__task_cast(struct sc *s)
{
	return bpf_rdonly_cast((void *)s->task, bpf_core_type_id_kernel(struct task_struct));
}

/* The exiting syscall's 64-bit id (ia32 ones mapped), for the generic event and tail calls. */
static __always_inline __u32 sc__id(struct sc *s)
{
	return s->nr;
}

/*
 * The file of the current task's fd. Under Linux >= 5.11 the task, its
 * files and fdtable are BTF pointers read with plain loads; one probe read
 * fetches the slot. Older kernels read the chain with CO-RE probe reads.
 */
static __always_inline struct file *cur__fd_file(long fd)
{
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct task_struct *t = bpf_get_current_task_btf();
		struct files_struct *files = t->files;
		struct fdtable *fdt;

		if (!files)
			return NULL;
		fdt = files->fdt;
		if (!fdt || fd >= fdt->max_fds)
			return NULL;
		bpf_probe_read_kernel(&f, sizeof(f), &fdt->fd[fd & 0xfffff]);
	} else {
		struct task_struct *t = task__current();
		struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
		struct file **fds;

		if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
			return NULL;
		fds = BPF_CORE_READ(fdt, fd);
		bpf_probe_read_kernel(&f, sizeof(f), &fds[fd & 0xfffff]);
	}
	return f;
}

/*
 * cur__fd_file for the __cast programs, the slot a plain load too.
 * bpf_rdonly_cast takes a struct type and fdt->fd is an array of pointers,
 * so the slot is read as the ki_filp of a struct kiocb laid over it: a
 * struct kiocb begins with its struct file * in every kernel (the CO-RE
 * offset is subtracted all the same).
 */
static __always_inline struct file *cur__fd_file_cast(struct task_struct *t, long fd)
{
	struct files_struct *files = t->files;
	struct fdtable *fdt;
	struct kiocb *k;
	char *slot;

	if (fd < 0 || !files)
		return NULL;
	fdt = files->fdt;
	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	slot = (char *)fdt->fd + (fd & 0xfffff) * sizeof(struct file *);
	k = bpf_rdonly_cast(slot - bpf_core_field_offset(struct kiocb, ki_filp),
			    bpf_core_type_id_kernel(struct kiocb));
	return k->ki_filp;
}

/* scap encodes dev_t as the old userspace dev: minor low byte, major, rest. */
static __always_inline __u32 encode_dev(__u32 kdev)
{
	__u32 major = kdev >> 20, minor = kdev & 0xfffff;

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}


/*
 * The overlayfs layer of an open file, as Falco decides it: on an overlay
 * superblock, the file's dentry's inode is the vfs_inode embedded in struct
 * ovl_inode, and the field right after it, __upperdentry, is set once the
 * file is in the upper (container) layer, written or copied up there; unset,
 * the file comes from a lower (image) layer. That order is the same from
 * Linux 4.19 to 6.18. struct ovl_inode itself is not read with CO-RE: where
 * overlayfs is a module (Debian's kernels) the type is in the module's BTF,
 * not vmlinux, and a relocation against it makes libbpf read module BTF,
 * which needs CAP_SYS_ADMIN (saker runs with CAP_BPF and CAP_PERFMON). The
 * size of struct inode comes from vmlinux.
 */
enum saker_layer { LAYER_NONE, LAYER_UPPER, LAYER_LOWER };

static __always_inline enum saker_layer file__ovl_layer(struct file *f)
{
	struct dentry *d = f ? BPF_CORE_READ(f, f_path.dentry) : NULL;
	struct dentry *upper = NULL;
	char *ino;

	if (!d || BPF_CORE_READ(d, d_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return LAYER_NONE;
	ino = (char *)BPF_CORE_READ(d, d_inode);
	if (!ino || bpf_probe_read_kernel(&upper, sizeof(upper), ino + bpf_core_type_size(struct inode)))
		return LAYER_NONE;
	return upper ? LAYER_UPPER : LAYER_LOWER;
}

/*
 * Several fields of one kernel structure in one probe read: the bytes from
 * field `lo` to the end of field `hi` (hi after lo) land in buf, and
 * SPAN_GET reads a field back from there. The span is a constant after CO-RE
 * relocation, so the verifier sees a fixed size; on a kernel where it is
 * larger than the buffer, nothing is read and the caller reads the fields
 * one by one (the branch it cannot take is removed at load).
 */
#define SPAN_MAX 128
#define SPAN_LEN(type, lo, hi) \
	(bpf_core_field_offset(type, hi) + bpf_core_field_size(type, hi) - bpf_core_field_offset(type, lo))
#define SPAN_FITS(type, lo, hi)                                                        \
	(bpf_core_field_offset(type, hi) >= bpf_core_field_offset(type, lo) &&           \
	 SPAN_LEN(type, lo, hi) <= SPAN_MAX)
#define SPAN_READ(buf, ptr, type, lo, hi)                                              \
	bpf_probe_read_kernel((buf), SPAN_LEN(type, lo, hi) & (SPAN_MAX * 2 - 1),       \
			      (const char *)(ptr) + bpf_core_field_offset(type, lo))
#define SPAN_GET(buf, type, lo, f, vtype)                                              \
	({                                                                             \
		vtype _v;                                                              \
		__builtin_memcpy(&_v,                                                  \
				 (const char *)(buf) + ((bpf_core_field_offset(type, f) -      \
							 bpf_core_field_offset(type, lo)) & \
							(SPAN_MAX - 1)),                   \
				 sizeof(_v));                                          \
		_v;                                                                    \
	})

/*
 * What an open event says about the opened file: its device, inode number
 * and overlayfs layer, in four probe reads (file -> inode; the inode's
 * i_sb..i_ino; the superblock's s_dev..s_magic; on overlayfs the word after
 * the inode), not one chain of reads per field; with bpf_rdonly_cast, all
 * but the overlay's one are plain loads. The layer is decided on
 * f_inode and its superblock: for a file opened through overlayfs that is
 * the overlay's own inode (vfs_open opens the overlay dentry's d_inode).
 */
struct file_facts {
	__u64 ino;
	__u32 dev;
	enum saker_layer layer;
};

/* The same facts with plain loads, through bpf_rdonly_cast (the __cast programs). */
static __always_inline int file__facts_cast(struct file *f, struct file_facts *ff, struct inode **inop,
					     unsigned long *magic)
{
	struct file *bf = bpf_rdonly_cast(f, bpf_core_type_id_kernel(struct file));
	struct inode *ino = bf->f_inode;
	struct super_block *sb;

	if (!ino)
		return -1;
	sb = ino->i_sb;
	ff->ino = ino->i_ino;
	if (!sb)
		return -1;
	ff->dev = encode_dev(sb->s_dev);
	*magic = sb->s_magic;
	*inop = ino;
	return 0;
}

/* `cast`, a constant: the program is a __cast twin (see bpf_rdonly_cast). */
static __always_inline void file__facts(struct file *f, struct file_facts *ff, int cast)
{
	struct inode *ino = NULL;
	struct super_block *sb;
	unsigned long magic;
	char *upper = NULL;

	ff->ino = 0;
	ff->dev = 0;
	ff->layer = LAYER_NONE;
	if (!f)
		return;
	if (cast) {
		if (file__facts_cast(f, ff, &ino, &magic))
			return;
		goto layer;
	}
	if (bpf_core_read(&ino, sizeof(ino), &f->f_inode) || !ino)
		return;
	if (SPAN_FITS(struct inode, i_sb, i_ino)) {
		__u64 buf[SPAN_MAX / 8];

		if (SPAN_READ(buf, ino, struct inode, i_sb, i_ino))
			return;
		sb = SPAN_GET(buf, struct inode, i_sb, i_sb, struct super_block *);
		ff->ino = SPAN_GET(buf, struct inode, i_sb, i_ino, unsigned long);
	} else {
		sb = BPF_CORE_READ(ino, i_sb);
		ff->ino = BPF_CORE_READ(ino, i_ino);
	}
	if (!sb)
		return;
	if (SPAN_FITS(struct super_block, s_dev, s_magic)) {
		__u64 buf[SPAN_MAX / 8];

		if (SPAN_READ(buf, sb, struct super_block, s_dev, s_magic))
			return;
		ff->dev = encode_dev(SPAN_GET(buf, struct super_block, s_dev, s_dev, __u32));
		magic = SPAN_GET(buf, struct super_block, s_dev, s_magic, unsigned long);
	} else {
		ff->dev = encode_dev(BPF_CORE_READ(sb, s_dev));
		magic = BPF_CORE_READ(sb, s_magic);
	}
layer:
	if (magic != OVERLAYFS_SUPER_MAGIC)
		return;
	/* struct ovl_inode: the vfs inode, then __upperdentry (see file__ovl_layer) */
	if (bpf_probe_read_kernel(&upper, sizeof(upper), (char *)ino + bpf_core_type_size(struct inode)))
		return;
	ff->layer = upper ? LAYER_UPPER : LAYER_LOWER;
}

/* The facts of the file an open returned (none when it failed). */
static __always_inline void open__facts(struct sc *s, struct file_facts *ff, int cast)
{
	long fd = s->ret;
	struct file *f = NULL;

	if (fd >= 0)
		f = cast ? cur__fd_file_cast(sc__task_cast(s), fd) : cur__fd_file(fd);
	file__facts(f, ff, cast);
}

/* Parameters dev (UINT32) and ino (UINT64) of the open family. */
static __always_inline void evt__store_dev_ino(struct evt *e, const struct file_facts *ff)
{
	evt__store_u32(e, ff->dev);
	evt__store_u64(e, ff->ino);
}

/* Kernel bit(s) set: scap bit set (the lists of bpf/saker_flags.h). */
#define FLAG_TO_SCAP(name, kernel, scap) \
	if ((kernel) && (f & (kernel)) == (kernel)) r |= (scap);
#define ENUM_TO_SCAP(name, kernel, scap) case (kernel): return (scap);

/* The kernel's value of each open flag (K_O_CREAT, ...). */
#define FLAG_KERNEL(name, kernel, scap) K_##name = (kernel),
enum { SAKER_OPEN_FLAGS(FLAG_KERNEL) };

/*
 * open(2) flags to PPM_O_* in two table reads instead of a test per flag
 * (about 60 instructions). Every flag but the access mode lies in bits
 * 6-22: open_lo maps bits 6-14, open_hi bits 15-22 with bit 12 as its
 * index's ninth bit, so a flag of two bits (O_SYNC: 20 and 12, O_TMPFILE:
 * 22 and 16) has both in one index. The tables are constants the compiler
 * computes (in .rodata); the static assertions keep OPEN_SCAP_BITS's list
 * the flags of SAKER_OPEN_FLAGS that have a kernel value, and those in
 * bits 6-22.
 */
#define OPEN_BIT(f, name) ((((f) & K_##name) == K_##name) ? (__u32)SAKER_##name : 0u)
#define OPEN_SCAP_BITS(f)                                                                           \
	(OPEN_BIT(f, O_CREAT) | OPEN_BIT(f, O_APPEND) | OPEN_BIT(f, O_DSYNC) | OPEN_BIT(f, O_EXCL) |  \
	 OPEN_BIT(f, O_NONBLOCK) | OPEN_BIT(f, O_SYNC) | OPEN_BIT(f, O_TRUNC) | OPEN_BIT(f, O_DIRECT) | \
	 OPEN_BIT(f, O_DIRECTORY) | OPEN_BIT(f, O_LARGEFILE) | OPEN_BIT(f, O_CLOEXEC) |                \
	 OPEN_BIT(f, O_TMPFILE))
#define FLAG_SCAP_IF_KERNEL(name, kernel, scap) | ((kernel) ? (__u32)(scap) : 0u)
#define FLAG_KERNEL_BITS(name, kernel, scap) | (unsigned long)(kernel)
_Static_assert(OPEN_SCAP_BITS(~0ul) == (0u SAKER_OPEN_FLAGS(FLAG_SCAP_IF_KERNEL)),
	       "OPEN_SCAP_BITS lacks a flag of SAKER_OPEN_FLAGS");
_Static_assert(((0ul SAKER_OPEN_FLAGS(FLAG_KERNEL_BITS)) & ~0x7fffc0ul) == 0,
	       "an open flag outside bits 6-22: open_lo and open_hi do not see it");
#define OPEN_LO(i) ((__u16)OPEN_SCAP_BITS((unsigned long)(i) << 6))
#define OPEN_HI(i) ((__u16)OPEN_SCAP_BITS((((unsigned long)(i) & 255) << 15) | (((unsigned long)(i) & 256) << 4)))
#define OPEN_R2(M, i) M(i), M((i) + 1)
#define OPEN_R8(M, i) OPEN_R2(M, i), OPEN_R2(M, (i) + 2), OPEN_R2(M, (i) + 4), OPEN_R2(M, (i) + 6)
#define OPEN_R64(M, i)                                                                      \
	OPEN_R8(M, i), OPEN_R8(M, (i) + 8), OPEN_R8(M, (i) + 16), OPEN_R8(M, (i) + 24),   \
		OPEN_R8(M, (i) + 32), OPEN_R8(M, (i) + 40), OPEN_R8(M, (i) + 48), OPEN_R8(M, (i) + 56)
#define OPEN_R512(M)                                                                             \
	OPEN_R64(M, 0), OPEN_R64(M, 64), OPEN_R64(M, 128), OPEN_R64(M, 192), OPEN_R64(M, 256), \
		OPEN_R64(M, 320), OPEN_R64(M, 384), OPEN_R64(M, 448)
static const __u16 open_lo[512] = { OPEN_R512(OPEN_LO) };
static const __u16 open_hi[512] = { OPEN_R512(OPEN_HI) };

static __always_inline __u32 open_flags_to_scap(unsigned long f)
{
	__u64 hi = (((f >> 15) & 255) | ((f >> 4) & 256)) * sizeof(__u16);

	/* a fresh bound on the byte offset: 5.10's verifier loses the OR's
	 * ("math between map_value pointer and register with unbounded min value") */
	asm volatile("%[o] &= 1022" : [o] "+r"(hi));
	return SAKER_O_ACCMODE_SCAP(f) | open_lo[(f >> 6) & 511] | *(const __u16 *)((const char *)open_hi + hi);
}

/* The open flags of an exit event: the call's flags and the opened file's layer. */
static __always_inline __u32 open_flags_layer(unsigned long flags, enum saker_layer l)
{
	return open_flags_to_scap(flags) | (l == LAYER_UPPER ? SAKER_FD_UPPER_LAYER : 0) |
	       (l == LAYER_LOWER ? SAKER_FD_LOWER_LAYER : 0);
}

/*
 * The mode argument means something only with O_CREAT or O_TMPFILE:
 * tested on the kernel's bits, not on open_flags_to_scap's result, which
 * the compiler would compute a second time for it.
 */
static __always_inline __u32 open_mode(unsigned long flags, unsigned long mode)
{
	if ((flags & K_O_CREAT) || (flags & K_O_TMPFILE) == K_O_TMPFILE)
		return mode;
	return 0;
}

static __always_inline __u32 clone_flags_to_scap(unsigned long f)
{
	__u32 r = 0;

	SAKER_CLONE_FLAGS(FLAG_TO_SCAP)
	return r;
}

static __always_inline __u32 prot_to_scap(unsigned long f)
{
	__u32 r = 0;

	SAKER_PROT_FLAGS(FLAG_TO_SCAP)
	return r;
}

static __always_inline __u16 ptrace_req_to_scap(long req)
{
	switch (req) {
	SAKER_PTRACE_REQS(ENUM_TO_SCAP)
	default: return SAKER_PTRACE_UNKNOWN;
	}
}

static __always_inline __u8 fcntl_cmd_to_scap(long cmd)
{
	switch (cmd) {
	SAKER_FCNTL_CMDS(ENUM_TO_SCAP)
	default: return SAKER_F_UNKNOWN;
	}
}

/* pid numbers as seen from the task's own pid namespace. */
static __always_inline __s64 pid__vnr(struct pid *p)
{
	unsigned int level;

	if (!p)
		return 0;
	level = BPF_CORE_READ(p, level);
	return BPF_CORE_READ(p, numbers[level & 31].nr);
}

static __always_inline __s64 task__vtid(struct task_struct *t)
{
	return pid__vnr(BPF_CORE_READ(t, thread_pid));
}

static __always_inline __s64 task__vpid(struct task_struct *t)
{
	return pid__vnr(BPF_CORE_READ(t, group_leader, thread_pid));
}

static __always_inline struct kernfs_node *kernfs__parent(struct kernfs_node *kn)
{
	struct kernfs_node___old *old = (void *)kn;

	if (bpf_core_field_exists(old->parent))
		return BPF_CORE_READ(old, parent);
	return BPF_CORE_READ(kn, __parent);
}

#define CGROUP_DEPTH 6

/* Append "<prefix><path of kn>\0" to the parameter being built. */
static __always_inline void cgroup__append(struct evt *e, __u32 *len, struct kernfs_node *kn,
					   const char *prefix, __u32 plen)
{
	const char *names[CGROUP_DEPTH] = {};
	int n = 0, i;

	for (i = 0; i < CGROUP_DEPTH; i++) {
		struct kernfs_node *parent;

		if (!kn)
			break;
		parent = kernfs__parent(kn);
		if (!parent)
			break;
		names[i] = BPF_CORE_READ(kn, name);
		n++;
		kn = parent;
	}
	bpf_probe_read_kernel(&e->buf[(e->pos + *len) & SAKER_POS_MASK], plen & 15, prefix);
	*len += plen;
	for (i = CGROUP_DEPTH - 1; i >= 0; i--) {
		if (i >= n)
			continue;
		e->buf[(e->pos + *len) & SAKER_POS_MASK] = '/';
		(*len)++;
		if (evt__append_kernel_str(e, len, names[i], 256) > 0)
			(*len)--; /* drop the NUL between components */
	}
	if (n == 0) {
		e->buf[(e->pos + *len) & SAKER_POS_MASK] = '/';
		(*len)++;
	}
	e->buf[(e->pos + *len) & SAKER_POS_MASK] = 0;
	(*len)++;
}

static __always_inline struct kernfs_node *cgroup__subsys_kn(struct task_struct *t, int id)
{
	return BPF_CORE_READ(t, cgroups, subsys[id & 15], cgroup, kn);
}

/*
 * Parameter cgroups (BYTEBUF): "cpuset=<path>\0pids=<path>\0"
 * from the task's css_set, each path walked up at most CGROUP_DEPTH levels.
 * On cgroup v2 every controller points into the one hierarchy; on v1 (or
 * hybrid) each has its own, and container runtimes set them all. Two
 * controllers and six levels keep the verifier's path count in bounds; that
 * is enough for container ids (docker, libpod, cri-o, kubepods layouts).
 */
static __always_inline void evt__store_cgroups(struct evt *e, struct task_struct *t)
{
	__u32 len = 0;

	cgroup__append(e, &len, cgroup__subsys_kn(t, bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id)),
		       "cpuset=", 7);
	cgroup__append(e, &len, cgroup__subsys_kn(t, bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id)),
		       "pids=", 5);
	evt__set_len(e, len);
}

#define PATH_STEPS 48                 /* components plus mount crossings */
#define TMP_BASE SAKER_MAX_EVENT          /* second half of the scratch buffer */
#define TMP_MASK (SAKER_MAX_EVENT / 2 - 1) /* leaves room for a 255-byte component past the mask */
/* the walk's state: the last 8 bytes of the scratch buffer, past anything an event writes */
#define WALK_OFF (SAKER_SCRATCH_SIZE - 8)
#define WALK_END (SAKER_SCRATCH_SIZE - 4)
_Static_assert(SAKER_POS_MASK == 32767, "evt__store_exepath masks pos with SAKER_POS_MASK");

enum walk_end { WALK_GOING, WALK_ROOT, WALK_PSEUDO, WALK_TOO_LONG };

/*
 * A path rebuilt from a dentry and its mount, as d_path would print it in
 * the task's mount namespace: walk d_parent up to the mount's root, cross to
 * the parent mount at mnt_mountpoint, stop at the root of the namespace (a
 * mount that is its own parent). Components are written right to left in
 * the second half of the scratch buffer; the path is then copied into the
 * event. At most PATH_STEPS steps (a step is a component or a mount
 * crossing): a deeper path is sent empty, not cut, so userspace never takes
 * a suffix for a whole path.
 *
 * The offset and the end reason live in scratch memory (volatile), not in
 * registers: so at the loop's head every path through the body leaves the
 * same verifier state (the pointers are unknown scalars) and the verifier
 * prunes it, checking the body once per step instead of once per
 * combination of crossings and components. A dentry that is its own parent
 * but not a mount root is a pseudo file (memfd, anonymous inode): as libs'
 * d_path_approx, its path is its name when nothing was written yet.
 */
static __always_inline void evt__store_dpath(struct evt *e, struct dentry *d, struct vfsmount *vmnt)
{
	struct mount *mnt = (void *)((char *)vmnt - bpf_core_field_offset(struct mount, mnt));
	volatile __u32 *woff = (volatile __u32 *)&e->buf[WALK_OFF];
	volatile __u32 *wend = (volatile __u32 *)&e->buf[WALK_END];
	const unsigned char *name;
	__u32 off, len;
	int i;

	*woff = TMP_MASK;
	*wend = WALK_GOING;
	e->buf[TMP_BASE + TMP_MASK] = 0;
	for (i = 0; i < PATH_STEPS; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		struct dentry *mroot = BPF_CORE_READ(vmnt, mnt_root);

		if (d == mroot) {
			struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

			if (up == mnt) {
				*wend = WALK_ROOT; /* the root of the namespace */
				break;
			}
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = up;
			vmnt = &up->mnt;
			continue;
		}
		if (d == parent) {
			*wend = WALK_PSEUDO;
			break;
		}
		len = BPF_CORE_READ(d, d_name.len) & 255;
		name = BPF_CORE_READ(d, d_name.name);
		off = *woff;
		if (off < len + 2 || off > TMP_MASK) {
			*wend = WALK_TOO_LONG;
			break;
		}
		off -= len;
		/* a fresh bound on the size: 6.12's verifier loses len's unsigned
		 * bounds through the subtraction above (R2 unbounded memory access) */
		asm volatile("%[l] &= 255" : [l] "+r"(len));
		bpf_probe_read_kernel(&e->buf[TMP_BASE + (off & TMP_MASK)], len, name);
		off--;
		e->buf[TMP_BASE + (off & TMP_MASK)] = '/';
		*woff = off;
		d = parent;
	}
	off = *woff & TMP_MASK;
	len = 0;
	if (*wend == WALK_PSEUDO && off == TMP_MASK) {
		/* a pseudo file's name, as libs: memfd:NAME */
		name = BPF_CORE_READ(d, d_name.name);
		evt__store_kernel_str(e, name);
		return;
	}
	if (*wend == WALK_ROOT || *wend == WALK_PSEUDO) {
		if (off == TMP_MASK) {
			off--;
			e->buf[TMP_BASE + (off & TMP_MASK)] = '/';
		}
		len = TMP_MASK - off + 1; /* with the NUL */
	}
	if (len > SAKER_MAX_PATH)
		len = 0;
	bpf_probe_read_kernel(&e->buf[e->pos & SAKER_POS_MASK], len & (SAKER_MAX_PATH * 2 - 1),
			      &e->buf[TMP_BASE + (off & TMP_MASK)]);
	evt__set_len(e, len);
}

/*
 * Parameter cwd (CHARBUF): the task's working directory (evt__store_dpath;
 * a deeper one is sent empty and userspace state keeps the cwd it inherited).
 */
static __always_inline void evt__store_cwd(struct evt *e, struct task_struct *t)
{
	evt__store_dpath(e, BPF_CORE_READ(t, fs, pwd.dentry), BPF_CORE_READ(t, fs, pwd.mnt));
}

/*
 * Parameter trusted_exepath (FSPATH): the path of the image the task runs
 * (mm->exe_file), the canonical one when it was run through a symlink, as
 * libs' probes send it. Empty when the path is deeper than the walk:
 * userspace then takes the filename argument, as for captures without it.
 */
static __always_inline void evt__store_exepath(struct evt *e, struct file *exe)
{
	__u64 pos = e->pos;

	/*
	 * The pos test is never true in an exec event (the parameters before
	 * this one take at most about 20 KiB); with the mask (which changes
	 * nothing below it, in asm so that clang keeps it) it bounds pos for
	 * the verifier, whose sum of every parameter's maximum must stay
	 * inside the scratch buffer where evt__submit hands the event over.
	 */
	if (!exe || pos > SAKER_MAX_EVENT - SAKER_MAX_PATH) {
		evt__store_empty(e);
		return;
	}
	asm volatile("%[p] &= 32767" : [p] "+r"(pos));
	e->pos = pos;
	evt__store_dpath(e, BPF_CORE_READ(exe, f_path.dentry), BPF_CORE_READ(exe, f_path.mnt));
}

/* Parameter exe and args from the current mm's argument area. */
static __always_inline void evt__store_mm_args(struct evt *e, struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long start = 0, end = 0;
	long n = 0;

	if (mm) {
		start = BPF_CORE_READ(mm, arg_start);
		end = BPF_CORE_READ(mm, arg_end);
	}
	if (start && end > start)
		n = bpf_probe_read_user_str(&e->buf[e->pos & SAKER_POS_MASK], SAKER_MAX_PATH,
					    (void *)start);
	if (n < 0)
		n = 0;
	evt__set_len(e, n);
	if (start + n < end)
		evt__store_user_bytes(e, (void *)(start + n), end - start - n);
	else
		evt__store_empty(e);
}

static __always_inline void evt__store_mm_env(struct evt *e, struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long start = 0, end = 0;

	if (mm) {
		start = BPF_CORE_READ(mm, env_start);
		end = BPF_CORE_READ(mm, env_end);
	}
	if (start && end > start)
		evt__store_user_bytes(e, (void *)start, end - start);
	else
		evt__store_empty(e);
}

static __always_inline __u64 task__fdlimit(struct task_struct *t)
{
	return BPF_CORE_READ(t, signal, rlim[7].rlim_cur); /* RLIMIT_NOFILE */
}

static __always_inline __u32 task__vm_size_kb(struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);

	return mm ? BPF_CORE_READ(mm, total_vm) * 4 : 0;
}

/*
 * Before 6.2 (commit f1a7941243c1, "mm: convert mm's rss stats into
 * percpu_counter") the rss counters were atomics in a struct mm_rss_stat;
 * vmlinux.h has the newer array of percpu_counters. The test is a field of
 * mm_struct, a type every vmlinux has: a type missing from vmlinux would
 * make libbpf search module BTF, which needs CAP_SYS_ADMIN.
 */
struct mm_rss_stat___old {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___old {
	struct mm_rss_stat___old rss_stat;
} __attribute__((preserve_access_index));

/* One rss counter of mm in pages (MM_FILEPAGES 0, MM_ANONPAGES 1, MM_SWAPENTS 2, MM_SHMEMPAGES 3). */
#define mm__counter(mm, i)                                                                          \
	({                                                                                          \
		long __v = bpf_core_field_exists(((struct mm_struct___old *)(mm))->rss_stat) ?     \
			   BPF_CORE_READ((struct mm_struct___old *)(mm), rss_stat.count[i].counter) : \
			   BPF_CORE_READ((mm), rss_stat[i].count);                                  \
		__v < 0 ? 0 : __v;                                                                  \
	})

/* Resident memory (file, anon and shmem pages) in KiB, as libs reads it. */
static __always_inline __u32 task__vm_rss_kb(struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);

	if (!mm)
		return 0;
	return (mm__counter(mm, 0) + mm__counter(mm, 1) + mm__counter(mm, 3)) * 4;
}

/* Swapped-out memory in KiB. */
static __always_inline __u32 task__vm_swap_kb(struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);

	return mm ? mm__counter(mm, 2) * 4 : 0;
}

/*
 * Parameters 1-15 of the clone and execve exit events: res, exe, args, tid,
 * pid, ptid, cwd, fdlimit, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap, comm,
 * cgroups. cwd is walked for exec events only; for clones it is left empty
 * and userspace state copies the parent's.
 */
static __always_inline void evt__store_proc_common(struct evt *e, struct task_struct *t, __s64 res, int with_cwd)
{
	/* Parameter 1: res */
	evt__store_u64(e, res);
	/* Parameters 2-3: exe (CHARBUF), args (BYTEBUF) */
	evt__store_mm_args(e, t);
	/* Parameter 4: tid (PID) */
	evt__store_u64(e, BPF_CORE_READ(t, pid));
	/* Parameter 5: pid (PID) */
	evt__store_u64(e, BPF_CORE_READ(t, tgid));
	/* Parameter 6: ptid (PID) */
	evt__store_u64(e, BPF_CORE_READ(t, real_parent, pid));
	/* Parameter 7: cwd (CHARBUF): walked for exec; clone children inherit it */
	if (with_cwd)
		evt__store_cwd(e, t);
	else
		evt__store_empty(e);
	/* Parameter 8: fdlimit */
	evt__store_u64(e, task__fdlimit(t));
	/* Parameter 9: pgft_maj (UINT64) */
	evt__store_u64(e, BPF_CORE_READ(t, maj_flt));
	/* Parameter 10: pgft_min (UINT64) */
	evt__store_u64(e, BPF_CORE_READ(t, min_flt));
	/* Parameter 11: vm_size (UINT32) */
	evt__store_u32(e, task__vm_size_kb(t));
	/* Parameter 12: vm_rss (UINT32) */
	evt__store_u32(e, task__vm_rss_kb(t));
	/* Parameter 13: vm_swap (UINT32) */
	evt__store_u32(e, task__vm_swap_kb(t));
	/* Parameter 14: comm (CHARBUF) */
	evt__store_kernel_str(e, &t->comm);
	/* Parameter 15: cgroups (BYTEBUF) */
	evt__store_cgroups(e, t);
}

/*
 * A field of p: a plain load in a __cast program, where p is a BTF pointer
 * (bpf_rdonly_cast), a CO-RE probe read elsewhere. `cast` is a constant:
 * the compiler keeps one of the two.
 */
#define CAST_RD(cast, p, f) ((cast) ? (p)->f : BPF_CORE_READ(p, f))
/* p as a read-only BTF pointer to `type` in a __cast program, unchanged elsewhere. */
#define CAST_AS(cast, p, type) \
	((cast) ? (type *)bpf_rdonly_cast((void *)(p), bpf_core_type_id_kernel(type)) : (type *)(void *)(p))

/* Socket of an fd, or NULL when the fd is not a socket. */
static __always_inline struct sock *cur__fd_sock(long fd)
{
	struct file *f = cur__fd_file(fd);
	struct socket *sock;

	if (!f)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	/* S_IFSOCK files only: private_data of other files is not a socket. */
	if ((BPF_CORE_READ(f, f_inode, i_mode) & 0170000) != 0140000)
		return NULL;
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/*
 * cur__fd_sock for the __cast programs: the fd slot, the file's mode,
 * private_data and the socket's sk as plain loads, no probe read.
 */
static __always_inline struct sock *cur__fd_sock_cast(struct task_struct *t, long fd)
{
	struct file *f = cur__fd_file_cast(t, fd);
	struct inode *ino;
	struct socket *sock;

	if (!f)
		return NULL;
	f = CAST_AS(1, f, struct file);
	ino = f->f_inode;
	/* S_IFSOCK files only: private_data of other files is not a socket. */
	if (!ino || (ino->i_mode & 0170000) != 0140000 || !f->private_data)
		return NULL;
	sock = CAST_AS(1, f->private_data, struct socket);
	return sock->sk;
}

/* The socket of fd in the calling task; `cast`, a constant: a __cast program. */
static __always_inline struct sock *sc__fd_sock(struct sc *s, long fd, int cast)
{
	return cast ? cur__fd_sock_cast(sc__task_cast(s), fd) : cur__fd_sock(fd);
}

static __always_inline void evt__write(struct evt *e, __u32 off, const void *src, __u32 n)
{
	bpf_probe_read_kernel(&e->buf[(e->pos + off) & SAKER_POS_MASK], n & 63, src);
}

/* An IPv6 address of a socket into b: 16 bytes, plain loads in a __cast program. */
static __always_inline void evt__write_in6(struct evt *e, __u32 off, const struct in6_addr *a, int cast)
{
	if (cast) {
		__u8 *b = &e->buf[(e->pos + off) & SAKER_POS_MASK];

		for (int i = 0; i < 4; i++)
			EVT_PUT(b + i * 4, __u32, a->in6_u.u6_addr32[i]);
	} else {
		evt__write(e, off, a, 16);
	}
}

/*
 * Parameter tuple (SOCKTUPLE) of a socket. `remote_first` puts the peer as
 * source (accept); otherwise the local end is the source (connect, send).
 * `cast`: sk is a BTF pointer (a __cast program) and its fields are loads.
 */
static __always_inline void evt__store_socktuple(struct evt *e, struct sock *sk, int remote_first, int cast)
{
	__u16 family;
	__u8 *b;

	if (!sk) {
		evt__store_empty(e);
		return;
	}
	family = CAST_RD(cast, sk, __sk_common.skc_family);
	b = &e->buf[e->pos & SAKER_POS_MASK];
	if (family == 2) { /* AF_INET */
		__u32 laddr = CAST_RD(cast, sk, __sk_common.skc_rcv_saddr);
		__u32 raddr = CAST_RD(cast, sk, __sk_common.skc_daddr);
		__u16 lport = CAST_RD(cast, sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(CAST_RD(cast, sk, __sk_common.skc_dport));

		b[0] = 2;
		if (remote_first) {
			__builtin_memcpy(&b[1], &raddr, 4);
			__builtin_memcpy(&b[5], &rport, 2);
			__builtin_memcpy(&b[7], &laddr, 4);
			__builtin_memcpy(&b[11], &lport, 2);
		} else {
			__builtin_memcpy(&b[1], &laddr, 4);
			__builtin_memcpy(&b[5], &lport, 2);
			__builtin_memcpy(&b[7], &raddr, 4);
			__builtin_memcpy(&b[11], &rport, 2);
		}
		evt__set_len(e, 13);
	} else if (family == 10) { /* AF_INET6 */
		__u16 lport = CAST_RD(cast, sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(CAST_RD(cast, sk, __sk_common.skc_dport));
		struct in6_addr *l = &sk->__sk_common.skc_v6_rcv_saddr;
		struct in6_addr *r = &sk->__sk_common.skc_v6_daddr;

		b[0] = 10;
		evt__write_in6(e, remote_first ? 1 : 19, r, cast);
		evt__write_in6(e, remote_first ? 19 : 1, l, cast);
		__builtin_memcpy(&b[remote_first ? 17 : 35], &rport, 2);
		__builtin_memcpy(&b[remote_first ? 35 : 17], &lport, 2);
		evt__set_len(e, 37);
	} else if (family == 1) { /* AF_UNIX */
		struct unix_sock *us = CAST_AS(cast, sk, struct unix_sock);
		struct sock *peer = CAST_RD(cast, us, peer);
		struct unix_address *addr = NULL;
		__u32 len = 17;
		long n = 0;

		b[0] = 1;
		/* the sockets' addresses as whole words: a BTF pointer (cast) cannot be shifted into bytes */
		EVT_PUT(&b[1], __u64, sk);
		EVT_PUT(&b[9], __u64, peer);
		if (peer)
			addr = CAST_RD(cast, CAST_AS(cast, peer, struct unix_sock), addr);
		if (!addr)
			addr = CAST_RD(cast, us, addr);
		if (addr)
			n = bpf_probe_read_kernel_str(&e->buf[(e->pos + 17) & SAKER_POS_MASK], 108,
						      &addr->name[0].sun_path);
		if (n <= 0) {
			e->buf[(e->pos + 17) & SAKER_POS_MASK] = 0;
			n = 1;
		}
		len += n;
		evt__set_len(e, len);
	} else {
		evt__store_empty(e);
	}
}

/* Parameter addr (SOCKADDR) from a user sockaddr. */
static __always_inline void evt__store_sockaddr(struct evt *e, const void *uaddr, long addrlen)
{
	__u16 family = 0;
	__u8 *b = &e->buf[e->pos & SAKER_POS_MASK];

	if (!uaddr || addrlen < 2 || bpf_probe_read_user(&family, 2, uaddr)) {
		evt__store_empty(e);
		return;
	}
	if (family == 2 && addrlen >= 8) {
		struct sockaddr_in sin = {};
		__u16 port;

		bpf_probe_read_user(&sin, sizeof(sin), uaddr);
		port = bpf_ntohs(sin.sin_port);
		b[0] = 2;
		__builtin_memcpy(&b[1], &sin.sin_addr.s_addr, 4);
		__builtin_memcpy(&b[5], &port, 2);
		evt__set_len(e, 7);
	} else if (family == 10 && addrlen >= 24) {
		struct sockaddr_in6 sin6 = {};
		__u16 port;

		bpf_probe_read_user(&sin6, sizeof(sin6), uaddr);
		port = bpf_ntohs(sin6.sin6_port);
		b[0] = 10;
		__builtin_memcpy(&b[1], &sin6.sin6_addr, 16);
		__builtin_memcpy(&b[17], &port, 2);
		evt__set_len(e, 19);
	} else if (family == 1) {
		long n;

		b[0] = 1;
		n = bpf_probe_read_user_str(&e->buf[(e->pos + 1) & SAKER_POS_MASK], 108,
					    (const char *)uaddr + 2);
		if (n <= 0) {
			e->buf[(e->pos + 1) & SAKER_POS_MASK] = 0;
			n = 1;
		}
		evt__set_len(e, 1 + n);
	} else {
		b[0] = family;
		evt__set_len(e, 1);
	}
}

#endif
