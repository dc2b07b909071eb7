// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel_decap stage's object with one more program in it, which
 * costs the verifier some 1,000 instructions (a third of the stage): what
 * a careless change to the stage would add. test_verifier_budget.sh checks
 * that test_verifier refuses it on the kernel of its baseline, and
 * against the stage's budget elsewhere.
 */
#include "progs/tunnel_decap.bpf.c"

#define FPT_BLOAT_ROUNDS 256

SEC("tc")
int fpt_bloat(struct __sk_buff *skb)
{
	/* volatile: every round is a load, two ALU ops and a store that no
	 * compiler may fold away. */
	volatile __u32 x = skb->len;
	__u32 i;

#pragma clang loop unroll(full)
	for (i = 0; i < FPT_BLOAT_ROUNDS; i++)
		x = x * 3 + i;
	return x & 1 ? TC_ACT_OK : TC_ACT_SHOT;
}
