// SPDX-License-Identifier: GPL-2.0
/*
 * The paper's "Linux TC" baseline: a TC program that calls one helper,
 * bpf_redirect, to a device fixed at load time. Every flowpath figure is
 * reported as a ratio to this program, measured in the same run.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 out_ifindex;

SEC("tc")
int fpb_redirect(struct __sk_buff *skb)
{
	return bpf_redirect(out_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
