/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARP/RARP, IPv4 and IPv6 with its extension headers, keyed as OVS's
 * flow_extract() keys them: a header that fails OVS's sanity checks keys
 * as no more than what OVS had keyed when it gave up on it.
 */
#ifndef FP_PARSER_PARSE_L3_H
#define FP_PARSER_PARSE_L3_H

#include "parse_cursor.h"
#include "proto.h"

/*
 * Extension headers the walk may take: as many as fit, 8 bytes each,
 * between the end of an untagged IPv6 header and FP_PARSE_HDR_MAX. So the
 * bound never cuts the walk short: only the window does.
 */
#define FP_IPV6_EXT_MAX                                                      \
	((FP_PARSE_HDR_MAX - FP_IPV6_EXT_MIN - (FP_ETH_HLEN + FP_IPV6_HLEN)) / \
		 FP_IPV6_EXT_MIN +                                           \
	 1)

/* ARP for Ethernet and IPv4 only; any other ARP keys as its ethertype. */
static __always_inline int fp_parse_arp(struct fp_cursor *c,
					struct fp_flow_key *key)
{
	const __u8 *p;
	__be16 op;

	if (fp_left(c) < FP_ARP_ETH_LEN)
		return FP_PARSE_OK;
	p = fp_peek(c, FP_ARP_ETH_LEN);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	/* hrd = Ethernet, pro = IPv4, hln = 6, pln = 4 */
	if (fp_ld16(p) != fp_htons(1) ||
	    fp_ld16(p + 2) != fp_htons(FP_ETH_P_IP) ||
	    fp_ld16(p + 4) != fp_htons(0x0604))
		return FP_PARSE_OK;
	key->nw.ipv4.src = fp_ld32(p + 14);
	key->nw.ipv4.dst = fp_ld32(p + 24);
	op = fp_ld16(p + 6);
	if (fp_ntohs(op) <= 0xff)
		key->arp_op = op;
	fp_copy_mac(key->l2addr.arp.sha, p + 8);
	fp_copy_mac(key->l2addr.arp.tha, p + 18);
	return FP_PARSE_OK;
}

/*
 * IPv4: the header must be whole, its IHL at least 5 and within the
 * packet, and the total length between the header length and what the
 * packet holds. From here on the packet ends at its total length:
 * Ethernet padding is never parsed.
 */
static __always_inline int fp_parse_ipv4(struct fp_cursor *c,
					 struct fp_flow_key *key)
{
	__u32 left = fp_left(c), ihl, tot_len;
	const __u8 *p;
	__u16 frag_off;

	if (left < FP_IPV4_HLEN)
		return FP_PARSE_OK;
	p = fp_peek(c, FP_IPV4_HLEN);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	/* As OVS, the version nibble is not checked: the ethertype says. */
	ihl = (p[0] & 0x0f) * 4;
	tot_len = fp_ntohs(fp_ld16(p + 2));
	if (ihl < FP_IPV4_HLEN || left < ihl || tot_len > left ||
	    ihl > tot_len || left - tot_len > 0xffff)
		return FP_PARSE_OK;

	key->nw.ipv4.src = fp_ld32(p + 12);
	key->nw.ipv4.dst = fp_ld32(p + 16);
	key->nw_tos = p[1];
	key->nw_ttl = p[8];
	key->nw_proto = p[9];
	frag_off = fp_ntohs(fp_ld16(p + 6));
	if (frag_off & (FP_IPV4_MF | FP_IPV4_OFFSET))
		key->nw_frag = frag_off & FP_IPV4_OFFSET ? FP_FRAG_LATER :
							   FP_FRAG_FIRST;
	c->end = c->off + tot_len;
	c->off += ihl;
	return FP_PARSE_MORE;
}

static __always_inline int fp_ipv6_is_ext(__u8 nh)
{
	return nh == FP_IPPROTO_HOPOPTS || nh == FP_IPPROTO_ROUTING ||
	       nh == FP_IPPROTO_DSTOPTS || nh == FP_IPPROTO_AH ||
	       nh == FP_IPPROTO_FRAGMENT;
}

/*
 * Follow the extension headers from *@nh to the first one that is not
 * (TCP, UDP, anything unknown), as OVS: each must have 8 bytes left and
 * fit in the payload. A fragment with a non-zero offset ends the walk
 * with *@nh = FP_IPPROTO_FRAGMENT, as its L4 header is elsewhere.
 * Returns FP_PARSE_MORE, FP_PARSE_OK when OVS gives up on the packet
 * (nothing past the addresses is keyed then), or FP_PARSE_INCOMPLETE.
 */
static __always_inline int fp_parse_ipv6_ext(struct fp_cursor *c, __u8 *nh,
					     __u8 *frag)
{
	int i;

	for (i = 0; i < FP_IPV6_EXT_MAX; i++) {
		const __u8 *p;
		__u32 len;

		if (!fp_ipv6_is_ext(*nh))
			return FP_PARSE_MORE;
		if (fp_left(c) < FP_IPV6_EXT_MIN)
			return FP_PARSE_OK;
		p = fp_peek(c, FP_IPV6_EXT_MIN);
		if (!p)
			return FP_PARSE_INCOMPLETE;
		if (*nh == FP_IPPROTO_FRAGMENT) {
			__u16 offlg = fp_ntohs(fp_ld16(p + 2));

			*nh = p[0];
			c->off += FP_IPV6_EXT_MIN;
			/* Any bit set, even reserved ones, makes it a
			 * fragment for OVS; only the offset makes it a later
			 * one. An atomic fragment (all zero) is none. */
			if (offlg) {
				*frag = FP_FRAG_FIRST;
				if (offlg & FP_IPV6_FRAG_OFFSET) {
					*frag = FP_FRAG_LATER;
					*nh = FP_IPPROTO_FRAGMENT;
					return FP_PARSE_MORE;
				}
			}
			continue;
		}
		/* Hop-by-hop, routing and destination options count 8-byte
		 * units beyond the first 8; AH counts 4-byte units beyond
		 * the first 8. */
		if (*nh == FP_IPPROTO_AH)
			len = (p[1] + 2) * 4;
		else
			len = (p[1] + 1) * 8;
		*nh = p[0];
		if (fp_left(c) < len)
			return FP_PARSE_OK;
		c->off += len;
	}
	if (!fp_ipv6_is_ext(*nh))
		return FP_PARSE_MORE;
	/* Past the window: exact only if OVS would stop right here. */
	return fp_left(c) < FP_IPV6_EXT_MIN ? FP_PARSE_OK : FP_PARSE_INCOMPLETE;
}

/*
 * IPv6: the fixed header must be whole and the payload length within the
 * packet; the packet then ends where the payload does. Addresses are keyed
 * before the extension headers are walked, the rest only after, as OVS
 * does: a bad extension header leaves just the addresses.
 */
static __always_inline int fp_parse_ipv6(struct fp_cursor *c,
					 struct fp_flow_key *key)
{
	__u32 left = fp_left(c), plen, vtcfl;
	__u8 nh, hlim, frag = FP_FRAG_NO;
	const __u8 *p;
	int ret;

	if (left < FP_IPV6_HLEN)
		return FP_PARSE_OK;
	p = fp_peek(c, FP_IPV6_HLEN);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	plen = fp_ntohs(fp_ld16(p + 4));
	if (plen + FP_IPV6_HLEN > left ||
	    left - (plen + FP_IPV6_HLEN) > 0xffff)
		return FP_PARSE_OK;

	fp_copy_in6(key->nw.ipv6.src, p + 8);
	fp_copy_in6(key->nw.ipv6.dst, p + 24);
	vtcfl = fp_ld32(p);
	nh = p[6];
	hlim = p[7];
	c->off += FP_IPV6_HLEN;
	c->end = c->off + plen;

	ret = fp_parse_ipv6_ext(c, &nh, &frag);
	if (ret != FP_PARSE_MORE)
		return ret;
	key->ipv6_label = vtcfl & fp_htonl(FP_IPV6_LABEL);
	key->nw_tos = (__u8)(fp_ntohl(vtcfl) >> 20);
	key->nw_ttl = hlim;
	key->nw_proto = nh;
	key->nw_frag = frag;
	return FP_PARSE_MORE;
}

#endif
