/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compact flow key: most packets (no tunnel, at most one VLAN tag, no
 * MPLS, IPv4 or non-IP without ARP/ND addresses) leave most of the
 * 192-byte flow key zero, and the flow table's hash and compare cost grows
 * with the key's size. Such a key is looked up in a second table keyed by
 * just the 32-bit words of the flow key that can be non-zero for it.
 *
 * The compact key is those words of the full key, copied whole, in order;
 * a key is compact only if every other word is zero. So two compact keys
 * are equal exactly when their full keys are: a compact-table hit is a hit
 * on the same flow the full table holds, whatever the protocol.
 * flow_table.c keeps the compact table a subset of the full one; the
 * lookup stage falls back to the full table when the compact one misses.
 */
#ifndef FP_MAPS_FLOW_KEY_COMPACT_H
#define FP_MAPS_FLOW_KEY_COMPACT_H

#include "flow_key.h"
#ifndef __bpf__
#include <stdbool.h>
#endif

#define FP_KEY_WORDS (sizeof(struct fp_flow_key) / 4)

/* Bits of the 32-bit words of struct fp_flow_key that @field spans. */
#define FP_KEY_WORD_BITS(field)                                           \
	(((1ULL << ((__builtin_offsetof(struct fp_flow_key, field) +      \
		     sizeof(((struct fp_flow_key *)0)->field) + 3) / 4 -  \
		    __builtin_offsetof(struct fp_flow_key, field) / 4)) - \
	  1)                                                              \
	 << (__builtin_offsetof(struct fp_flow_key, field) / 4))

/* Bit i set: word i of the full key is part of the compact key. */
#define FP_KEY_COMPACT_WORDS_MASK                                 \
	(FP_KEY_WORD_BITS(in_port) | FP_KEY_WORD_BITS(recirc_id) | \
	 FP_KEY_WORD_BITS(dp_hash) | FP_KEY_WORD_BITS(eth_dst) |   \
	 FP_KEY_WORD_BITS(eth_src) | FP_KEY_WORD_BITS(vlan[0]) |   \
	 FP_KEY_WORD_BITS(eth_type) | FP_KEY_WORD_BITS(nw.ipv4) |  \
	 FP_KEY_WORD_BITS(nw_proto) | FP_KEY_WORD_BITS(nw_tos) |   \
	 FP_KEY_WORD_BITS(nw_ttl) | FP_KEY_WORD_BITS(nw_frag) |    \
	 FP_KEY_WORD_BITS(tp_src) | FP_KEY_WORD_BITS(tp_dst) |     \
	 FP_KEY_WORD_BITS(tcp_flags) | FP_KEY_WORD_BITS(arp_op) |  \
	 FP_KEY_WORD_BITS(icmp_type) | FP_KEY_WORD_BITS(icmp_code))

#define FP_KEY_COMPACT_WORDS 14

struct fp_flow_key_compact {
	__u32 w[FP_KEY_COMPACT_WORDS];
};

_Static_assert(FP_KEY_WORDS <= 64 && FP_KEY_WORDS % 2 == 0,
	       "flow key words fit the mask, in pairs");
_Static_assert(__builtin_popcountll(FP_KEY_COMPACT_WORDS_MASK) ==
		       FP_KEY_COMPACT_WORDS,
	       "compact key layout");
_Static_assert(sizeof(struct fp_flow_key_compact) == 56,
	       "compact key layout");

/*
 * Fill @c from @k. Returns false, @c undefined, if @k has a non-zero word
 * the compact key leaves out: it is looked up in the full table only.
 * Fully unrolled in BPF: each word's fate is then decided at compile time.
 */
static inline bool fp_flow_key_compact(const struct fp_flow_key *k,
				       struct fp_flow_key_compact *c)
{
	/* The key is 8-byte aligned: word loads, not byte by byte. */
	const __u8 *b = (const __u8 *)__builtin_assume_aligned(k, 8);
	unsigned int i, j = 0, half;
	__u64 rest = 0, v64;
	__u32 v;

#ifdef __clang__
#pragma clang loop unroll(full)
#endif
	for (i = 0; i < FP_KEY_WORDS; i += 2) {
		/* Two words the compact key leaves out: one load. */
		if (!((FP_KEY_COMPACT_WORDS_MASK >> i) & 3)) {
			__builtin_memcpy(&v64, b + 4 * i, sizeof(v64));
			rest |= v64;
			continue;
		}
		for (half = 0; half < 2; half++) {
			__builtin_memcpy(&v, b + 4 * (i + half), sizeof(v));
			if ((FP_KEY_COMPACT_WORDS_MASK >> (i + half)) & 1)
				c->w[j++] = v;
			else
				rest |= v;
		}
	}
	return rest == 0;
}

#endif
