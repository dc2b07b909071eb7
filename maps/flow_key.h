/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow key: everything the parser extracts from a packet, and the key of
 * the flow table. The whole struct is hashed and compared, so every byte,
 * padding included, must be zeroed before a packet is parsed into it.
 * Multi-byte protocol fields are kept in network byte order, as on the wire.
 */
#ifndef FP_MAPS_FLOW_KEY_H
#define FP_MAPS_FLOW_KEY_H

#include "types.h"

#define FP_ETH_ALEN 6
#define FP_MAX_VLAN 2
#define FP_MAX_MPLS 3 /* label stack entries keyed, as OVS's FLOW_MAX_MPLS_LABELS */

/* Value of in_port when the packet did not arrive on a datapath port
 * (parse-pcap, and a device that was attached by hand but never added). */
#define FP_PORT_NONE 0xffffffffu

enum fp_frag {
	FP_FRAG_NO = 0,
	FP_FRAG_FIRST = 1, /* offset 0, more fragments follow */
	FP_FRAG_LATER = 2, /* non-zero offset: no L4 header in this packet */
};

/* fp_tunnel_key.flags */
enum fp_tun_flags {
	FP_TUN_F_PRESENT = 1 << 0, /* the packet came out of a tunnel */
	FP_TUN_F_KEY = 1 << 1, /* GRE key present */
	FP_TUN_F_CSUM = 1 << 2,
	FP_TUN_F_SEQ = 1 << 3,
	FP_TUN_F_DF = 1 << 4,
	FP_TUN_F_IPV6 = 1 << 5, /* outer addresses are IPv6 */
	FP_TUN_F_ERSPAN = 1 << 6,
};

struct fp_tunnel_key {
	__be64 tun_id; /* GRE key, or ERSPAN session id */
	union {
		struct {
			__be32 src;
			__be32 dst;
		} ipv4;
		struct {
			__u8 src[16];
			__u8 dst[16];
		} ipv6;
	} outer;
	__u8 tos;
	__u8 ttl;
	__u16 flags; /* enum fp_tun_flags */
	__u8 erspan_ver; /* 1 (type II) or 2 (type III); 0: not ERSPAN */
	__u8 erspan_dir; /* v2 */
	__u8 erspan_hwid; /* v2, 6 bits */
	__u8 pad0;
	__u32 erspan_idx; /* v1, 20 bits */
	__u32 pad1;
};

struct fp_vlan_tag {
	__be16 tpid; /* 0: no tag at this depth */
	/* PCP and VID as on the wire; the DEI/CFI bit (0x1000) is always set,
	 * as OVS keys it: it means "tag present", so a tag never keys as 0. */
	__be16 tci;
};

struct fp_flow_key {
	/* Metadata: where the packet came from, not what it holds. */
	__u32 in_port; /* datapath port number, FP_PORT_NONE if none */
	__u32 recirc_id;
	__u32 dp_hash; /* set by the hash action, 0 otherwise */
	__u32 pad0;
	struct fp_tunnel_key tun;

	/* L2 */
	__u8 eth_dst[FP_ETH_ALEN];
	__u8 eth_src[FP_ETH_ALEN];
	struct fp_vlan_tag vlan[FP_MAX_VLAN]; /* [0] is the outer tag */
	__be16 eth_type; /* after the VLAN tags; < 0x600: 802.2, key 0x05ff */
	__u16 pad1;

	/* MPLS: the first label stack entries as on the wire (label:20 tc:3
	 * bos:1 ttl:8), up to the bottom of stack; 0 past it. */
	__be32 mpls_lse[FP_MAX_MPLS];

	/* L3. ARP keeps its sender/target protocol addresses in nw.ipv4. */
	union {
		struct {
			__be32 src;
			__be32 dst;
		} ipv4;
		struct {
			__u8 src[16];
			__u8 dst[16];
		} ipv6;
	} nw;
	__be32 ipv6_label; /* low 20 bits */
	__u8 nw_proto; /* IPv4 protocol, IPv6 next header after ext headers */
	__u8 nw_tos; /* DSCP and ECN: IPv4 TOS, IPv6 traffic class */
	__u8 nw_ttl; /* IPv4 TTL, IPv6 hop limit */
	__u8 nw_frag; /* enum fp_frag */

	/* L4 */
	__be16 tp_src; /* TCP/UDP/SCTP ports */
	__be16 tp_dst;
	__be16 tcp_flags; /* low 12 bits of the TCP header's flags word */
	__be16 arp_op; /* 0 if over 0xff: OVS keys only opcodes that fit 8 bits */
	__u8 icmp_type; /* ICMP, ICMPv6 or IGMP */
	__u8 icmp_code;
	__u16 pad2;
	union {
		struct {
			__u8 sha[FP_ETH_ALEN];
			__u8 tha[FP_ETH_ALEN];
		} arp;
		struct {
			__u8 sll[FP_ETH_ALEN];
			__u8 tll[FP_ETH_ALEN];
		} nd;
		__be32 igmp_group; /* IGMP: OVS keys the group address too */
	} l2addr;
	__u8 nd_target[16];
	__u32 pad3;
};

/*
 * @key emptied for a packet parsed again after a recirculation: its
 * headers go, the metadata its history set stays (in_port, recirc_id,
 * dp_hash, tunnel), as OVS keeps it. The recirc stage and the userspace
 * executor both start a reparse here.
 */
static inline void fp_flow_key_reset_headers(struct fp_flow_key *key)
{
	struct fp_tunnel_key tun = key->tun;
	__u32 in_port = key->in_port, recirc_id = key->recirc_id;
	__u32 dp_hash = key->dp_hash;

	__builtin_memset(key, 0, sizeof(*key));
	key->in_port = in_port;
	key->recirc_id = recirc_id;
	key->dp_hash = dp_hash;
	key->tun = tun;
}

_Static_assert(sizeof(struct fp_tunnel_key) == 56, "tunnel key layout");
_Static_assert(sizeof(struct fp_flow_key) == 192, "flow key layout");
_Static_assert(sizeof(struct fp_flow_key) % 8 == 0, "flow key alignment");

#endif
