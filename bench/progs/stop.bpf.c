// SPDX-License-Identifier: GPL-2.0
/*
 * Programs for the microbenchmarks (fpbench micro).
 *
 * fpb_stop ends a flowpath chain early: put into a tail-call slot, it
 * stands for the next stage so that one stage is timed on its own. It
 * zeroes skb->cb, where the stages count their tail calls, so that every
 * BPF_PROG_TEST_RUN repetition (which reuses one skb) starts alike.
 *
 * fpb_nop does nothing: its time is the floor of BPF_PROG_TEST_RUN itself.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define TC_ACT_SHOT 2

SEC("tc")
int fpb_stop(struct __sk_buff *skb)
{
	skb->cb[0] = 0;
	skb->cb[1] = 0;
	skb->cb[2] = 0;
	skb->cb[3] = 0;
	skb->cb[4] = 0;
	return TC_ACT_SHOT;
}

SEC("tc")
int fpb_nop(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
