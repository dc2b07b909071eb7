/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transport headers of the first (or only) fragment: TCP, UDP, SCTP ports,
 * TCP flags, ICMP/ICMPv6/IGMP type and code, the IGMP group, and IPv6
 * neighbour discovery. As in OVS, a header too short for its fixed part
 * keys none of its fields; nothing else about it is checked.
 */
#ifndef FP_PARSER_PARSE_L4_H
#define FP_PARSER_PARSE_L4_H

#include "parse_cursor.h"
#include "proto.h"

/*
 * ND options the walk may take: as many as fit, 8 bytes each, between the
 * end of the target of an untagged IPv6 NS/NA without extension headers
 * and FP_PARSE_HDR_MAX. So the bound never cuts the walk short: only the
 * window does.
 */
#define FP_ND_OPT_MAX                                                      \
	((FP_PARSE_HDR_MAX - FP_ND_OPT_UNIT -                                \
	  (FP_ETH_HLEN + FP_IPV6_HLEN + FP_ICMPV6_HLEN + FP_ND_TARGET_LEN)) / \
		 FP_ND_OPT_UNIT +                                            \
	 1)

/* Ports: the first 4 bytes of TCP, UDP and SCTP, once @hlen is there. */
static __always_inline int fp_parse_ports(struct fp_cursor *c,
					  struct fp_flow_key *key, __u32 hlen)
{
	const __u8 *p;

	if (fp_left(c) < hlen)
		return FP_PARSE_OK;
	p = fp_peek(c, 4);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	key->tp_src = fp_ld16(p);
	key->tp_dst = fp_ld16(p + 2);
	return FP_PARSE_OK;
}

/* TCP also needs its data offset to be sane: at least 5 words, within
 * the packet. */
static __always_inline int fp_parse_tcp(struct fp_cursor *c,
					struct fp_flow_key *key)
{
	const __u8 *p;
	__u32 doff;

	if (fp_left(c) < FP_TCP_HLEN)
		return FP_PARSE_OK;
	p = fp_peek(c, 14);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	doff = (p[12] >> 4) * 4;
	if (doff < FP_TCP_HLEN || fp_left(c) < doff)
		return FP_PARSE_OK;
	key->tp_src = fp_ld16(p);
	key->tp_dst = fp_ld16(p + 2);
	key->tcp_flags = fp_ld16(p + 12) & fp_htons(FP_TCP_FLAGS);
	return FP_PARSE_OK;
}

/* ICMP and IGMP: type and code once 8 bytes are there; IGMP's group too. */
static __always_inline int fp_parse_icmp_igmp(struct fp_cursor *c,
					      struct fp_flow_key *key,
					      int igmp)
{
	const __u8 *p;

	if (fp_left(c) < FP_ICMP_HLEN)
		return FP_PARSE_OK;
	p = fp_peek(c, igmp ? FP_IGMP_HLEN : 2);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	key->icmp_type = p[0];
	key->icmp_code = p[1];
	if (igmp)
		key->l2addr.igmp_group = fp_ld32(p + 4);
	return FP_PARSE_OK;
}

/*
 * Neighbour solicitation/advertisement after the 8-byte ICMPv6 header:
 * the target, then source/target link-layer address options. As OVS: a
 * missing target keys none; options are read while 8 bytes are left and
 * stop at one of length 0 or longer than what is left; only 8-byte
 * Ethernet ones count; a second SLL (or TLL) while the first is non-zero
 * makes the packet invalid: target, SLL and TLL all key as zero.
 */
static __always_inline int fp_parse_nd(struct fp_cursor *c,
				       struct fp_flow_key *key)
{
	__u8 *sll = key->l2addr.nd.sll, *tll = key->l2addr.nd.tll;
	const __u8 *p;
	int i;

	if (fp_left(c) < FP_ND_TARGET_LEN)
		return FP_PARSE_OK;
	p = fp_peek(c, FP_ND_TARGET_LEN);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	fp_copy_in6(key->nd_target, p);
	c->off += FP_ND_TARGET_LEN;

	for (i = 0; i < FP_ND_OPT_MAX; i++) {
		__u32 len;
		__u8 *mac;

		if (fp_left(c) < FP_ND_OPT_UNIT)
			return FP_PARSE_OK;
		p = fp_peek(c, FP_ND_OPT_UNIT);
		if (!p)
			return FP_PARSE_INCOMPLETE;
		len = p[1] * FP_ND_OPT_UNIT;
		if (!len || len > fp_left(c))
			return FP_PARSE_OK;
		mac = NULL;
		if (len == FP_ND_OPT_UNIT && p[0] == FP_ND_OPT_SLL)
			mac = sll;
		else if (len == FP_ND_OPT_UNIT && p[0] == FP_ND_OPT_TLL)
			mac = tll;
		if (mac) {
			if (!fp_mac_is_zero(mac))
				goto invalid;
			fp_copy_mac(mac, p + 2);
		}
		c->off += len;
	}
	/* Past the window: exact only if OVS would stop right here. */
	return fp_left(c) < FP_ND_OPT_UNIT ? FP_PARSE_OK : FP_PARSE_INCOMPLETE;

invalid:
	__builtin_memset(key->nd_target, 0, sizeof(key->nd_target));
	__builtin_memset(&key->l2addr.nd, 0, sizeof(key->l2addr.nd));
	return FP_PARSE_OK;
}

static __always_inline int fp_parse_icmpv6(struct fp_cursor *c,
					   struct fp_flow_key *key)
{
	const __u8 *p;

	if (fp_left(c) < FP_ICMPV6_HLEN)
		return FP_PARSE_OK;
	p = fp_peek(c, 2);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	key->icmp_type = p[0];
	key->icmp_code = p[1];
	c->off += FP_ICMPV6_HLEN;
	if (key->icmp_code == 0 &&
	    (key->icmp_type == FP_ND_NS || key->icmp_type == FP_ND_NA))
		return fp_parse_nd(c, key);
	return FP_PARSE_OK;
}

/* The L4 header of IPv4 or IPv6 protocol @proto, at the cursor. */
static __always_inline int fp_parse_l4(struct fp_cursor *c,
				       struct fp_flow_key *key, __u8 proto)
{
	if (proto == FP_IPPROTO_TCP)
		return fp_parse_tcp(c, key);
	if (proto == FP_IPPROTO_UDP)
		return fp_parse_ports(c, key, FP_UDP_HLEN);
	if (proto == FP_IPPROTO_SCTP)
		return fp_parse_ports(c, key, FP_SCTP_HLEN);
	if (proto == FP_IPPROTO_ICMP)
		return fp_parse_icmp_igmp(c, key, 0);
	if (proto == FP_IPPROTO_IGMP)
		return fp_parse_icmp_igmp(c, key, 1);
	if (proto == FP_IPPROTO_ICMPV6)
		return fp_parse_icmpv6(c, key);
	return FP_PARSE_OK;
}

#endif
