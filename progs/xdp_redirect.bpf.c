// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_XDP datapath's XDP program (flowpath afxdp), its own object: not
 * part of the TC datapath or its prog-array. Each packet goes to the
 * AF_XDP socket of the queue it arrived on; a queue without a socket in
 * the map hands the packet to the kernel stack (the flags argument of
 * bpf_redirect_map is the action taken when the lookup fails).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "xsk.h"

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, FP_XSK_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} fp_xsks SEC(".maps");

SEC("xdp")
int fp_xdp_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&fp_xsks, ctx->rx_queue_index, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
