// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: lookup. Finds the packet's flow, accounts it, copies its actions
 * into scratch and starts the action chain; a miss goes to the upcall stage.
 * A flow of one output to a plain port is finished here.
 */
#include "common.bpf.h"

static __always_inline void fp_flow_account(const struct fp_flow *flow,
					    const struct fp_scratch *s,
					    __u32 len)
{
	__u32 idx = flow->stats_idx;
	struct fp_flow_stats *st = bpf_map_lookup_elem(&flow_stats, &idx);

	if (!st)
		return;
	st->packets += 1;
	st->bytes += len;
	st->used_ns = bpf_ktime_get_coarse_ns();
	st->tcp_flags |= bpf_ntohs(s->key.tcp_flags);
}

SEC("tc")
int fp_lookup(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_flow *flow = NULL;
	struct fp_flow_key_compact ck;
	int verdict;
	__u32 n, i;

	if (!s)
		return TC_ACT_SHOT;

	/* The compact table holds only flows the full one has too, but not
	 * always all of them (maps/flow_key_compact.h): a miss asks both. */
	if (fp_flow_key_compact(&s->key, &ck))
		flow = bpf_map_lookup_elem(&flow_compact, &ck);
	if (!flow)
		flow = bpf_map_lookup_elem(&flow_table, &s->key);
	if (!flow) {
		fp_count(FP_CNT_MISS);
		return fp_upcall(skb, FP_UPCALL_MISS);
	}
	fp_count(FP_CNT_HIT);
	fp_flow_account(flow, s, skb->len);

	if (flow->flags & FP_FLOW_F_SLOW_PATH) {
		fp_count(FP_CNT_SLOW_PATH);
		return fp_upcall(skb, FP_UPCALL_SLOW_PATH);
	}
	n = flow->n_actions;
	if (n == 0 || n > FP_MAX_ACTIONS) {
		fp_count(FP_CNT_DROP_ACTION);
		return TC_ACT_SHOT;
	}
	/* Decide now, before any action has touched the packet, whether the
	 * whole list fits in what is left: what its actions cost was counted
	 * when the flow was installed (a tunnel output is two tail calls). */
	if (skb->cb[FP_CB_DEPTH] + (flow->tail_calls ?: n) >
	    FP_TAIL_CALL_LIMIT) {
		fp_count(FP_CNT_TAIL_CALL_BUDGET);
		return fp_upcall(skb, FP_UPCALL_TAIL_BUDGET);
	}

	/* Read from the flow itself: a replaced flow stays intact until
	 * this program is done with it (RCU). */
	if (n == 1) {
		verdict = fp_output_last_fast(skb, s->key.in_port,
					      &flow->actions[0]);
		if (verdict >= 0)
			return verdict;
	}
	for (i = 0; i < FP_MAX_ACTIONS; i++) {
		if (i >= n)
			break;
		s->actions[i] = flow->actions[i];
	}
	s->n_actions = n;
	s->flow_flags = flow->flags;
	skb->cb[FP_CB_ACTION_IDX] = 0;
	return fp_action_tail_call(skb, s->actions[0].type);
}

char LICENSE[] SEC("license") = "GPL";
