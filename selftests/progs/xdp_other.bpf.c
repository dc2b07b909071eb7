// SPDX-License-Identifier: GPL-2.0
/* Someone else's XDP program, for test_afxdp.sh: flowpath afxdp must
 * refuse a device that has it, and leave it attached. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_other_prog(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
