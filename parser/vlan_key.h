/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow key after a VLAN tag is pushed: what the parser would give the
 * new packet (parse_l2.h). One source for the BPF push_vlan stage and the
 * userspace executor (lib/pkt_exec.c), so both key the pushed packet alike.
 */
#ifndef FP_PARSER_VLAN_KEY_H
#define FP_PARSER_VLAN_KEY_H

#include "flow_key.h"
#include "byteorder.h"
#include "proto.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

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
	key->vlan[0].tci = tci | fp_htons(FP_VLAN_CFI); /* tag present */
}

#endif
