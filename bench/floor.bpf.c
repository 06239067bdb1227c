// SPDX-License-Identifier: GPL-2.0
/* The overhead floor: an empty program on raw_tp/sys_exit. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("raw_tp/sys_exit")
int floor_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return 0;
}
