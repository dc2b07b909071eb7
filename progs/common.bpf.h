/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers every stage shares: counters, scratch, and the tail-call chain. */
#ifndef FP_PROGS_COMMON_BPF_H
#define FP_PROGS_COMMON_BPF_H

#include "maps.bpf.h"
#include <bpf/bpf_endian.h>
#include "upcall.h"
#include "output.bpf.h"

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2
#define TC_ACT_REDIRECT 7

/*
 * skb->cb words the chain carries from stage to stage. skb->cb is not
 * cleared before TC ingress, so the entry stage sets every word it uses.
 */
enum fp_cb {
	FP_CB_ACTION_IDX = 0, /* element of scratch->actions being run */
	FP_CB_DEPTH = 1, /* tail calls taken so far on this packet */
	FP_CB_UPCALL_REASON = 2, /* enum fp_upcall_reason, for the upcall stage */
};

static __always_inline void fp_count(__u32 counter)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &counter);

	if (v)
		*v += 1;
}

/* A packet received on port @port (the parser's, and decap's for the
 * tunnel port). */
static __always_inline void fp_count_rx(__u32 port, __u32 len)
{
	struct fp_port_stats *ps = bpf_map_lookup_elem(&port_stats, &port);

	if (ps) {
		ps->rx_packets += 1;
		ps->rx_bytes += len;
	}
}

static __always_inline struct fp_scratch *fp_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/*
 * Jump to the stage in @slot. Only returns if the slot is empty (or the
 * kernel's limit was hit despite the budget checks): such a packet is
 * counted and dropped, never passed on half-processed.
 */
static __always_inline int fp_tail_call(struct __sk_buff *skb, __u32 slot)
{
	skb->cb[FP_CB_DEPTH] += 1;
	bpf_tail_call(skb, &tail_calls, slot);
	skb->cb[FP_CB_DEPTH] -= 1;
	fp_count(FP_CNT_TAIL_CALL_FAILED);
	return TC_ACT_SHOT;
}

/*
 * Jump to the stage of action @type. The JIT makes a tail call through a
 * constant slot a direct jump; through a computed one, an indirect jump,
 * which this kernel's retpolines make cost tens of ns. So each common type
 * has a call of its own; any other takes the computed slot.
 */
static __always_inline int fp_action_tail_call(struct __sk_buff *skb,
					       __u32 type)
{
	skb->cb[FP_CB_DEPTH] += 1;
	/* nomerge: else clang folds the calls back into one computed slot. */
	switch (type) {
	case FP_ACT_OUTPUT:
		__attribute__((nomerge)) bpf_tail_call(skb, &tail_calls,
							FP_SLOT_OUTPUT);
		break;
	case FP_ACT_PUSH_VLAN:
		__attribute__((nomerge)) bpf_tail_call(skb, &tail_calls,
							FP_SLOT_PUSH_VLAN);
		break;
	case FP_ACT_POP_VLAN:
		__attribute__((nomerge)) bpf_tail_call(skb, &tail_calls,
							FP_SLOT_POP_VLAN);
		break;
	case FP_ACT_SET_FIELD:
		__attribute__((nomerge)) bpf_tail_call(skb, &tail_calls,
							FP_SLOT_SET_FIELD);
		break;
	case FP_ACT_HASH:
		__attribute__((nomerge)) bpf_tail_call(skb, &tail_calls,
							FP_SLOT_HASH);
		break;
	default:
		bpf_tail_call(skb, &tail_calls, fp_action_slot(type));
		break;
	}
	skb->cb[FP_CB_DEPTH] -= 1;
	fp_count(FP_CNT_TAIL_CALL_FAILED);
	return TC_ACT_SHOT;
}

static __always_inline int fp_upcall(struct __sk_buff *skb, __u32 reason)
{
	if (skb->cb[FP_CB_DEPTH] >= FP_TAIL_CALL_LIMIT) {
		fp_count(FP_CNT_BUDGET_DROP);
		return TC_ACT_SHOT;
	}
	skb->cb[FP_CB_UPCALL_REASON] = reason;
	return fp_tail_call(skb, FP_SLOT_UPCALL);
}

/*
 * Run the action after the current one. A list that ends without a final
 * output drops the packet, as in OVS: copies already sent have left. A
 * final output to a plain port runs right here (output.bpf.h).
 */
static __always_inline int fp_next_action(struct __sk_buff *skb,
					  const struct fp_scratch *s)
{
	__u32 idx = skb->cb[FP_CB_ACTION_IDX] + 1;
	int verdict;

	if (idx >= s->n_actions || idx >= FP_MAX_ACTIONS)
		return TC_ACT_SHOT;
	skb->cb[FP_CB_ACTION_IDX] = idx;
	if (idx + 1 == s->n_actions) {
		verdict = fp_output_last_fast(skb, s->key.in_port,
					      &s->actions[idx]);
		if (verdict >= 0)
			return verdict;
	}
	return fp_action_tail_call(skb, s->actions[idx].type);
}

/* The current action element, or NULL if the index is out of range. */
static __always_inline const struct fp_action *
fp_cur_action(const struct __sk_buff *skb, const struct fp_scratch *s)
{
	__u32 idx = skb->cb[FP_CB_ACTION_IDX];

	if (idx >= FP_MAX_ACTIONS)
		return NULL;
	return &s->actions[idx];
}

#endif
