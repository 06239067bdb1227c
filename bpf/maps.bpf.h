/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps and tunables of the capture programs. Tunables are const volatile
 * globals that userspace sets between open and load.
 */
#ifndef SAKER_MAPS_BPF_H
#define SAKER_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "saker_shared.h"

const volatile __u32 self_tgid = 0;
const volatile __u32 cpus_per_ring = 1;
const volatile __u64 boot_to_epoch_ns = 0;
/*
 * Bytes a CPU commits without waking the consumer; the next event past it
 * forces one wakeup (see evt__submit). Userspace drains on a short timer.
 */
const volatile __u64 wakeup_bytes = 1024 * 1024;
/*
 * A CPU's batch goes to the ring once it holds this many bytes. Writable
 * at run time (.data): userspace sets 0, every event on its own, on a
 * kernel where it cannot run saker_flush on a CPU (BPF_F_TEST_RUN_ON_CPU,
 * Linux 5.10), so no event waits for its CPU's next one.
 */
__u32 batch_flush_bytes = SAKER_BATCH_FLUSH;
/*
 * Testing only: every event declares this many parameters more than its
 * program stores, so tests can see the SAKER_DROP_NPARAMS check at work.
 */
const volatile __u32 nparams_skew = 0;

/*
 * One ring per CPU (or group of CPUs). The inner map template is a ring
 * created by userspace before load (bpf_map__set_inner_map_fd), so its
 * size is chosen at run time.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} rings SEC(".maps");

/*
 * One batch per CPU (PERCPU_ARRAY values cap at 32 KiB), indexed by CPU:
 * events are built in it and sent to the ring many at a time (see
 * struct saker_batch). Mappable, so userspace reads each batch's first_ts.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct saker_batch);
} batches SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct saker_counters);
} counters SEC(".maps");

/*
 * interesting[nr]: SAKER_WANT_64 where the 64-bit syscall nr is captured,
 * SAKER_WANT_IA32 where the ia32 syscall nr maps to one that is (both ABIs
 * number into the same table, so one read rejects a syscall neither wants
 * before the task's ABI is read); and the ia32 -> 64-bit id table (-1 where
 * none). Globals in .bss (a one-entry array map that userspace writes
 * through the skeleton's mmap): read without a helper call, which keeps the
 * cost of an uninteresting syscall near the floor.
 */
__u8 interesting[SAKER_MAX_SYSCALLS];
__s32 ia32_to_64[SAKER_MAX_SYSCALLS];
/* 64-bit syscall id -> PPM_SC_* code, for the ID parameter of generic events */
__u16 ppm_sc_of[SAKER_MAX_SYSCALLS];

/*
 * What the dispatcher read for the program it tail-calls on this CPU (see
 * struct sc in task.bpf.h): the 64-bit id, the caller's ABI and tid, the
 * six arguments (ia32 registers already mapped; not for a __cast program,
 * which reads its own) and, under SC_BTF_REGS,
 * the task's address, which a __cast program turns back into a BTF
 * pointer without a helper call.
 */
struct saker_syscall {
	__u32 id;
	__u32 compat;
	__u64 tid;
	__u64 task;
	unsigned long args[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct saker_syscall);
} current_syscall SEC(".maps");

/*
 * sendmmsg/recvmmsg: the message the next run of the program reports (it
 * tail-calls itself once per message); 0 outside such a chain, which resets
 * it first thing, so the dispatcher never writes it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} mmsg_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SAKER_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, __u32);
} syscall_progs SEC(".maps");

/*
 * The hottest syscalls' programs again, hot_progs[i] that of the 64-bit id
 * hot_nr[i] (~0: none), which userspace names and fills (capture.c). The
 * dispatcher tail-calls them with a constant key (the __cast one runs
 * openat's and close's bodies inline for a 64-bit caller): the JIT makes that a
 * direct jump, patched when the slot changes, where a key in a register is
 * an indirect jump (a retpoline where the kernel has them; see
 * dispatch_tail_call in saker.bpf.c).
 */
const volatile __u32 hot_nr[SAKER_HOT_SYSCALLS] = { ~0u, ~0u, ~0u, ~0u };

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SAKER_HOT_SYSCALLS);
	__type(key, __u32);
	__type(value, __u32);
} hot_progs SEC(".maps");

#endif
