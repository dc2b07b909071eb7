// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: upcall. Sends the key and the packet to the slow path on the perf
 * buffer. The slow path re-injects what it wants forwarded, so the packet
 * itself is dropped, unless the datapath is configured to pass misses on.
 */
#include "common.bpf.h"

SEC("tc")
int fp_upcall_stage(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	struct fp_dp_config *cfg;
	struct fp_upcall up;
	__u32 zero = 0;
	__u64 flags;
	__u32 reason = skb->cb[FP_CB_UPCALL_REASON];

	if (!s)
		return TC_ACT_SHOT;

	up.reason = reason;
	up.in_port = s->key.in_port;
	up.pkt_len = skb->len;
	up.cap_len = skb->len < FP_UPCALL_MAX_PKT ? skb->len : FP_UPCALL_MAX_PKT;
	up.key = s->key;

	/* The upper 32 bits of flags ask the helper to append that many
	 * bytes of the packet after the header. */
	flags = BPF_F_CURRENT_CPU | ((__u64)up.cap_len << 32);
	if (bpf_perf_event_output(skb, &upcalls, flags, &up, sizeof(up)))
		fp_count(FP_CNT_UPCALL_LOST);
	else
		fp_count(FP_CNT_UPCALL);

	if (reason != FP_UPCALL_MISS)
		return TC_ACT_SHOT;
	cfg = bpf_map_lookup_elem(&dp_config, &zero);
	if (cfg && cfg->miss_verdict == FP_MISS_PASS)
		return TC_ACT_OK;
	fp_count(FP_CNT_MISS_DROP);
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
