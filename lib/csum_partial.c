// SPDX-License-Identifier: GPL-2.0
/*
 * Completing unfinished (CHECKSUM_PARTIAL) TCP and UDP checksums in a
 * frame's bytes: csum_partial.h.
 *
 * Sums are kept as plain numbers of big-endian 16-bit words and folded
 * with end-around carry, so the code is the same on either byte order
 * and its results are the kernel's: the one's complement sum of words
 * that are not all zero folds to 0x0001..0xffff, never 0x0000, which is
 * what csum_fold() leaves in a CHECKSUM_PARTIAL packet's field.
 *
 * Headers are read byte by byte: a frame's IP header need not be aligned.
 */
#include <stdbool.h>
#include <stdint.h>

#include "csum_partial.h"
#include "proto.h"

/* Tags skipped before L3: the flow key's two, and one more that the
 * kernel may have kept in skb metadata and the agent put back. */
#define CS_MAX_TAGS 3
/* IPv6 extension headers walked before giving up, as pkt_exec.c. */
#define CS_MAX_EXT 6

static inline uint16_t cs_rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void cs_wr16(unsigned char *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Add @len bytes at @p to @sum as big-endian words; an odd last byte is
 * the high half of a word padded with zero, as RFC 1071 says. */
static uint64_t cs_add(uint64_t sum, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += cs_rd16(p + i);
	if (len & 1)
		sum += (uint64_t)p[len - 1] << 8;
	return sum;
}

static uint16_t cs_fold(uint64_t sum)
{
	/* At most four rounds for 64 bits; the loop ends when no carry is
	 * left. */
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Where the L4 segment is, and what its pseudo-header sums to. */
struct cs_l4 {
	size_t off; /* of the TCP or UDP header in the frame */
	size_t len; /* of the segment, as the pseudo-header counts it */
	uint8_t proto;
	uint64_t pseudo; /* addresses and protocol, unfolded; not the length */
};

static bool cs_ipv4(const unsigned char *f, size_t len, size_t l3,
		    struct cs_l4 *l4)
{
	const unsigned char *h = f + l3;
	size_t ihl, tot;

	if (len - l3 < FP_IPV4_HLEN || h[0] >> 4 != 4)
		return false;
	ihl = (size_t)(h[0] & 0x0f) * 4;
	tot = cs_rd16(h + 2);
	if (ihl < FP_IPV4_HLEN || tot < ihl || tot > len - l3)
		return false;
	/* A fragment's checksum covers the whole datagram, which is not
	 * here; the kernel never leaves one unfinished anyway. */
	if (cs_rd16(h + 6) & (FP_IPV4_MF | FP_IPV4_OFFSET))
		return false;
	l4->proto = h[9];
	l4->off = l3 + ihl;
	l4->len = tot - ihl;
	l4->pseudo = cs_add(0, h + 12, 8) + l4->proto;
	return true;
}

static bool cs_ipv6(const unsigned char *f, size_t len, size_t l3,
		    struct cs_l4 *l4)
{
	const unsigned char *h = f + l3, *ext;
	size_t off, end, elen;
	uint8_t nh;
	int i;

	if (len - l3 < FP_IPV6_HLEN || h[0] >> 4 != 6)
		return false;
	off = l3 + FP_IPV6_HLEN;
	/* A payload length of 0 is a jumbogram's: skipped too. */
	end = off + cs_rd16(h + 4);
	if (end > len)
		return false;
	nh = h[6];
	for (i = 0; i < CS_MAX_EXT; i++) {
		if (nh != FP_IPPROTO_HOPOPTS && nh != FP_IPPROTO_DSTOPTS)
			break;
		if (end - off < FP_IPV6_EXT_MIN)
			return false;
		ext = f + off;
		elen = ((size_t)ext[1] + 1) * 8;
		if (elen > end - off)
			return false;
		nh = ext[0];
		off += elen;
	}
	/* A routing header makes the pseudo-header's destination the final
	 * one, not the header's, and a fragment header cuts the segment:
	 * neither is left unfinished by the paths this is for. Those, AH
	 * and anything past CS_MAX_EXT are not judged. */
	l4->proto = nh;
	l4->off = off;
	l4->len = end - off;
	l4->pseudo = cs_add(0, h + 8, 32) + nh;
	return true;
}

enum fp_csum_result fp_csum_complete(void *frame, size_t len)
{
	unsigned char *f = frame, *sum_at;
	struct cs_l4 l4;
	size_t l3 = FP_ETH_HLEN, hlen, csum_off;
	uint16_t type, pseudo, field, csum;
	int tags;
	bool ok;

	if (len < FP_ETH_HLEN)
		return FP_CSUM_SKIPPED;
	type = cs_rd16(f + FP_ETH_ADDRS_LEN);
	for (tags = 0; tags < CS_MAX_TAGS; tags++) {
		if (!fp_vlan_tpid(fp_htons(type)))
			break;
		if (len - l3 < FP_VLAN_HLEN)
			return FP_CSUM_SKIPPED;
		type = cs_rd16(f + l3 + 2);
		l3 += FP_VLAN_HLEN;
	}
	if (type == FP_ETH_P_IP)
		ok = cs_ipv4(f, len, l3, &l4);
	else if (type == FP_ETH_P_IPV6)
		ok = cs_ipv6(f, len, l3, &l4);
	else
		ok = false;
	if (!ok)
		return FP_CSUM_SKIPPED;

	if (l4.proto == FP_IPPROTO_TCP) {
		hlen = FP_TCP_HLEN;
		csum_off = 16;
	} else if (l4.proto == FP_IPPROTO_UDP) {
		hlen = FP_UDP_HLEN;
		csum_off = 6;
	} else {
		/* ICMP and ICMPv6 are never CHECKSUM_PARTIAL here. */
		return FP_CSUM_SKIPPED;
	}
	/* cs_ipv4()/cs_ipv6() kept l4.off + l4.len within the frame. */
	if (l4.len < hlen)
		return FP_CSUM_SKIPPED;
	if (l4.proto == FP_IPPROTO_UDP) {
		/* UDP's checksum, and its pseudo-header's length, cover the
		 * datagram as its own header sizes it (RFC 768, RFC 8200
		 * 8.1), which is what the kernel sums. */
		size_t ulen = cs_rd16(f + l4.off + 4);

		if (ulen < FP_UDP_HLEN || ulen > l4.len)
			return FP_CSUM_SKIPPED;
		l4.len = ulen;
	}
	/* At most 65535: IPv6's 32-bit length has a zero upper half. */
	l4.pseudo += l4.len;

	sum_at = f + l4.off + csum_off;
	field = cs_rd16(sum_at);
	if (l4.proto == FP_IPPROTO_UDP && !field)
		return FP_CSUM_NONE;
	if (cs_fold(cs_add(l4.pseudo, f + l4.off, l4.len)) == 0xffff)
		return FP_CSUM_OK;
	pseudo = cs_fold(l4.pseudo);
	if (field != pseudo)
		return FP_CSUM_BAD;

	/* The checksum is the complement of the sum with the field zero.
	 * Summing again costs one more pass, for the first packet of a
	 * flow only. */
	cs_wr16(sum_at, 0);
	csum = (uint16_t)~cs_fold(cs_add(l4.pseudo, f + l4.off, l4.len));
	/* UDP's 0 means "no checksum": a computed 0 goes as 0xffff, its
	 * other one's complement form (RFC 768). TCP's stays 0. */
	if (l4.proto == FP_IPPROTO_UDP && !csum)
		csum = 0xffff;
	cs_wr16(sum_at, csum);
	return FP_CSUM_COMPLETED;
}
