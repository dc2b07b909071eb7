/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ethernet, up to two VLAN tags, 802.2 LLC/SNAP and the MPLS label stack,
 * keyed as OVS's flow_extract() keys them.
 */
#ifndef FP_PARSER_PARSE_L2_H
#define FP_PARSER_PARSE_L2_H

#include "parse_cursor.h"
#include "proto.h"

/*
 * The ethertype at the cursor, or what stands for it: an 802.3 length
 * field is followed by LLC, and only LLC with a SNAP header for
 * Ethernet-encapsulated protocols has a real type (the cursor then moves
 * past the SNAP header). Anything else keys as FP_ETH_P_NONE, as in OVS.
 */
static __always_inline int fp_parse_ethertype(struct fp_cursor *c,
					      struct fp_flow_key *key)
{
	const __u8 *p = fp_peek(c, 2);
	__be16 type;

	if (!p)
		return FP_PARSE_INCOMPLETE;
	type = fp_ld16(p);
	c->off += 2;
	if (fp_ntohs(type) < FP_ETH_P_MIN) {
		type = fp_htons(FP_ETH_P_NONE);
		if (fp_left(c) >= FP_LLC_SNAP_LEN) {
			p = fp_peek(c, FP_LLC_SNAP_LEN);
			if (!p)
				return FP_PARSE_INCOMPLETE;
			/* DSAP, SSAP = SNAP; control = UI; OUI 00-00-00. */
			if (fp_ld32(p) == fp_htonl(0xaaaa0300) &&
			    fp_ld16(p + 4) == 0 &&
			    fp_ntohs(fp_ld16(p + 6)) >= FP_ETH_P_MIN) {
				type = fp_ld16(p + 6);
				c->off += FP_LLC_SNAP_LEN;
			}
		}
	}
	key->eth_type = type;
	return FP_PARSE_MORE;
}

/*
 * Ethernet addresses, VLAN tags and ethertype. A frame shorter than an
 * Ethernet header keys as nothing at all. @accel_tpid/@accel_tci: an outer
 * tag the kernel took out of the frame, which the parser puts back where
 * it was, so the key is the same as with the tag on the wire.
 */
static __always_inline int fp_parse_eth(struct fp_cursor *c,
					struct fp_flow_key *key,
					__be16 accel_tpid, __be16 accel_tci)
{
	/* What the frame would hold with the tag put back. */
	__u32 accel_len = accel_tpid ? FP_VLAN_HLEN : 0;
	const __u8 *p;
	int n = 0;

	if (fp_left(c) + accel_len < FP_ETH_HLEN)
		return FP_PARSE_OK;
	/* The kernel only takes 802.1Q/802.1ad tags, and only out of frames
	 * with whole addresses: anything else is not a frame to guess at. */
	if (accel_tpid && (!fp_vlan_tpid(accel_tpid) ||
			   fp_left(c) < FP_ETH_ADDRS_LEN))
		return FP_PARSE_INCOMPLETE;
	p = fp_peek(c, FP_ETH_ADDRS_LEN);
	if (!p)
		return FP_PARSE_INCOMPLETE;
	fp_copy_mac(key->eth_dst, p);
	fp_copy_mac(key->eth_src, p + FP_ETH_ALEN);
	c->off += FP_ETH_ADDRS_LEN;

	/*
	 * OVS takes a tag only if the type after it is there too: else the
	 * TPID itself is keyed as the ethertype (a truncated tag).
	 */
	if (accel_tpid) {
		/* OVS would see the tag's 4 bytes, then wants 2 more. */
		if (fp_left(c) < 2) {
			key->eth_type = accel_tpid;
			return FP_PARSE_OK;
		}
		key->vlan[0].tpid = accel_tpid;
		key->vlan[0].tci = accel_tci | fp_htons(FP_VLAN_CFI);
		n = 1;
	}
	for (; n < FP_MAX_VLAN; n++) {
		__be16 tpid;

		/* Two bytes are always left here: fp_left() was at least
		 * FP_ETH_HLEN before the addresses, each tag checks for the
		 * type after it. */
		p = fp_peek(c, 2);
		if (!p)
			return FP_PARSE_INCOMPLETE;
		tpid = fp_ld16(p);
		if (!fp_vlan_tpid(tpid) || fp_left(c) < FP_VLAN_HLEN + 2)
			break;
		p = fp_peek(c, FP_VLAN_HLEN);
		if (!p)
			return FP_PARSE_INCOMPLETE;
		key->vlan[n].tpid = tpid;
		key->vlan[n].tci = fp_ld16(p + 2) | fp_htons(FP_VLAN_CFI);
		c->off += FP_VLAN_HLEN;
	}
	return fp_parse_ethertype(c, key);
}

/*
 * The first FP_MAX_MPLS label stack entries, up to the bottom of stack or
 * the last whole entry. As in OVS the payload is not parsed: what it is
 * (IPv4, IPv6, Ethernet...) is not in the label stack.
 */
static __always_inline int fp_parse_mpls(struct fp_cursor *c,
					 struct fp_flow_key *key)
{
	int i;

	for (i = 0; i < FP_MAX_MPLS; i++) {
		const __u8 *p;
		__be32 lse;

		if (fp_left(c) < FP_MPLS_LSE_LEN)
			break;
		p = fp_peek(c, FP_MPLS_LSE_LEN);
		if (!p)
			return FP_PARSE_INCOMPLETE;
		lse = fp_ld32(p);
		key->mpls_lse[i] = lse;
		c->off += FP_MPLS_LSE_LEN;
		if (lse & fp_htonl(FP_MPLS_BOS))
			break;
	}
	return FP_PARSE_OK;
}

#endif
