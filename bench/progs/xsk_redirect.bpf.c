// SPDX-License-Identifier: GPL-2.0
/*
 * The xsk baseline's XDP program (bench/xsk_baseline.c): each frame to the
 * AF_XDP socket of its receive queue, as xdpsock's own program does; a
 * queue without a socket passes it to the stack.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

SEC("xdp")
int fpb_xsk_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
