// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only stage: spends real tail calls before the datapath sees the
 * packet, so the kernel's own limit and lookup's budget accounting can be
 * tested at their edges. Loaded by test_tailcall into the test datapath,
 * its maps reusing that datapath's pins.
 */
#include "progs/common.bpf.h"
#include "tail_burn.h"

/* What the parser would have set, minus the headers: recirc re-parses
 * them and keeps only the metadata, of which in_port matters here. */
static __always_inline int fpt_burn_start(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	__u32 ifindex = skb->ifindex, *port;

	if (!s)
		return -1;
	port = bpf_map_lookup_elem(&port_by_ifindex, &ifindex);
	__builtin_memset(&s->key, 0, sizeof(s->key));
	s->key.in_port = port ? *port : FP_PORT_NONE;
	skb->cb[FP_CB_ACTION_IDX] = 0;
	skb->cb[FP_CB_UPCALL_REASON] = 0;
	return 0;
}

SEC("tc")
int fpt_tail_burn(struct __sk_buff *skb)
{
	__u32 depth = skb->cb[FP_CB_DEPTH];

	/* test_run enters with depth 0; every later entry is a tail call. */
	if (depth == 0 && fpt_burn_start(skb))
		return TC_ACT_SHOT;

	if (skb->cb[FPT_CB_MODE] == FPT_BURN_PROBE ||
	    depth < skb->cb[FPT_CB_TARGET]) {
		/* Counted as the datapath counts: before the call, undone
		 * if the call did not happen. */
		skb->cb[FP_CB_DEPTH] = depth + 1;
		bpf_tail_call(skb, &tail_calls, FPT_BURN_SLOT);
		skb->cb[FP_CB_DEPTH] = depth;
		if (skb->cb[FPT_CB_MODE] == FPT_BURN_PROBE)
			return depth;
		return FPT_BURN_SHORT;
	}
	/* The datapath's own tail call, failure counting included. */
	return fp_tail_call(skb, FP_SLOT_RECIRC);
}

char LICENSE[] SEC("license") = "GPL";
