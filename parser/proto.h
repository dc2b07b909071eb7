/* SPDX-License-Identifier: GPL-2.0 */
/* Protocol numbers and the header sizes the parser checks, host order. */
#ifndef FP_PARSER_PROTO_H
#define FP_PARSER_PROTO_H

#include "types.h"
#include "byteorder.h"

#define FP_ETH_HLEN 14
#define FP_ETH_ADDRS_LEN 12 /* destination and source */
#define FP_VLAN_HLEN 4

#define FP_ETH_P_IP 0x0800
#define FP_ETH_P_ARP 0x0806
#define FP_ETH_P_RARP 0x8035
#define FP_ETH_P_8021Q 0x8100
#define FP_ETH_P_8021AD 0x88a8
#define FP_ETH_P_IPV6 0x86dd
#define FP_ETH_P_MPLS_UC 0x8847
#define FP_ETH_P_MPLS_MC 0x8848
/* Smallest value that is an ethertype; below it the field is a length
 * (802.3) and an 802.2 LLC header follows. */
#define FP_ETH_P_MIN 0x0600
/* What OVS keys as the ethertype of an 802.2 frame without SNAP. */
#define FP_ETH_P_NONE 0x05ff

/* Is @tpid (network order) a VLAN tag's, 802.1Q or 802.1ad? The one test
 * of it, for BPF and userspace alike. */
static inline int fp_vlan_tpid(__be16 tpid)
{
	return tpid == fp_htons(FP_ETH_P_8021Q) ||
	       tpid == fp_htons(FP_ETH_P_8021AD);
}

#define FP_VLAN_CFI 0x1000
#define FP_LLC_SNAP_LEN 8 /* 802.2 LLC (3) + SNAP OUI (3) + type (2) */

#define FP_MPLS_LSE_LEN 4
#define FP_MPLS_BOS 0x00000100u

#define FP_ARP_ETH_LEN 28 /* ARP for Ethernet and IPv4 */

#define FP_IPV4_HLEN 20
#define FP_IPV4_DF 0x4000
#define FP_IPV4_MF 0x2000
#define FP_IPV4_OFFSET 0x1fff
#define FP_IPV6_HLEN 40
#define FP_IPV6_LABEL 0x000fffffu
#define FP_IPV6_EXT_MIN 8 /* every extension header is at least this long */
#define FP_IPV6_FRAG_OFFSET 0xfff8 /* of the fragment header's offlg */

#define FP_IPPROTO_HOPOPTS 0
#define FP_IPPROTO_ICMP 1
#define FP_IPPROTO_IGMP 2
#define FP_IPPROTO_TCP 6
#define FP_IPPROTO_UDP 17
#define FP_IPPROTO_ROUTING 43
#define FP_IPPROTO_GRE 47 /* tunnels: maps/tunnel.h */
#define FP_IPPROTO_FRAGMENT 44
#define FP_IPPROTO_AH 51
#define FP_IPPROTO_ICMPV6 58
#define FP_IPPROTO_DSTOPTS 60
#define FP_IPPROTO_SCTP 132

/* Smallest L4 headers OVS keys, and the TCP flags it keeps. */
#define FP_TCP_HLEN 20
#define FP_TCP_FLAGS 0x0fff
#define FP_UDP_HLEN 8
#define FP_SCTP_HLEN 12
#define FP_ICMP_HLEN 8
#define FP_IGMP_HLEN 8
#define FP_ICMPV6_HLEN 8 /* type, code, checksum and the 4-byte data word */

#define FP_ND_NS 135
#define FP_ND_NA 136
#define FP_ND_TARGET_LEN 16
#define FP_ND_OPT_UNIT 8 /* option lengths count 8-byte units */
#define FP_ND_OPT_SLL 1
#define FP_ND_OPT_TLL 2

#endif
