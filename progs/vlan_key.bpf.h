/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow key after a VLAN tag is pushed or popped: what the parser
 * would give the new packet (parser/parse_l2.h), kept in scratch for the
 * actions that follow.
 */
#ifndef FP_PROGS_VLAN_KEY_BPF_H
#define FP_PROGS_VLAN_KEY_BPF_H

#include "common.bpf.h"

static __always_inline bool fp_vlan_tpid(__be16 tpid)
{
	return tpid == bpf_htons(0x8100) || tpid == bpf_htons(0x88a8);
}

/* Everything the parser keys after the Ethernet header and its tags. */
static __always_inline void fp_vlan_key_clear_l3(struct fp_flow_key *key)
{
	__builtin_memset(&key->mpls_lse, 0,
			 sizeof(*key) - __builtin_offsetof(struct fp_flow_key,
							   mpls_lse));
}

/*
 * A new outer tag. With two tags keyed already, the key holds three no
 * more: as the parser keys such a packet, the third tag's TPID becomes
 * the ethertype and nothing after it is keyed.
 */
static __always_inline void fp_vlan_key_push(struct fp_flow_key *key,
					     __be16 tpid, __be16 tci)
{
	if (key->vlan[1].tpid) {
		key->eth_type = key->vlan[1].tpid;
		fp_vlan_key_clear_l3(key);
	}
	key->vlan[1] = key->vlan[0];
	key->vlan[0].tpid = tpid;
	key->vlan[0].tci = tci | bpf_htons(0x1000); /* CFI: tag present */
}

#endif
