// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: set_field. One set(...) element rewrites one field group (eth,
 * ipv4, ipv6, tcp or udp), and only the bytes of the fields it gives,
 * each as (old & ~mask) | value, then runs the next action.
 *
 * Where the headers are comes from the packet, not from the key: an
 * earlier action (push_vlan, pop_vlan) may have moved them. VLAN tags in
 * skb metadata (received with offload, or pushed by push_vlan) are not in
 * the data and take no room; tags in the data are skipped. The packet's
 * ethertype, IP version, protocol and fragment state must then be the
 * flow key's: with exact-match keys they always are, and a packet that is
 * not is counted (set_mismatch) and dropped before any byte is written.
 *
 * Everything is read with bpf_skb_load_bytes() and written with
 * bpf_skb_store_bytes(), so offsets are plain scalars to the verifier and
 * no header needs to be linear. Checksums:
 *  - IPv4 header checksum: bpf_l3_csum_replace() for each changed word.
 *  - TCP, UDP (and ICMPv6 after IPv6) over the pseudo-header:
 *    bpf_l4_csum_replace() with BPF_F_PSEUDO_HDR for addresses, plain for
 *    ports. UDP uses BPF_F_MARK_MANGLED_0: a zero checksum ("none",
 *    IPv4) stays zero and a computed zero is written as 0xffff.
 *  - No fix-up where OVS's kernel datapath makes none: a later fragment
 *    (no L4 header), an L4 header cut short by the IP length, or an IPv6
 *    destination while a routing header with segments left is present
 *    (the pseudo-header holds the final destination, not this one).
 *  - CHECKSUM_COMPLETE skbs: bytes that no fixed checksum compensates
 *    (IPv6 tclass, label, hop limit, addresses without an L4 fix-up, UDP
 *    ports under a zero checksum) are stored with BPF_F_RECOMPUTE_CSUM.
 *    Ethernet addresses are outside skb->csum at TC ingress.
 *
 * The scratch key is updated with the new values, as OVS's datapath
 * updates its flow key, and the skb hash is invalidated after an L3/L4
 * change, so a later hash action sees the rewritten packet. recirc parses
 * the packet again anyway.
 *
 * SCTP ports: the CRC32c over the SCTP packet (which has no
 * pseudo-header, so IP addresses do not touch it) is updated for the
 * change alone, in O(log length) steps (fp_sctp_crc_delta()); like OVS's
 * set_sctp(), which computes the CRC before and after, an existing error
 * is carried through rather than hidden.
 */
#include "common.bpf.h"
#include "proto.h"

/* VLAN tags skipped in the frame: a key holds FP_MAX_VLAN, push_vlan may
 * have moved one more out of metadata into the data. */
#define FP_SET_MAX_TAGS (FP_MAX_VLAN + 1)
/* IPv6 extension headers walked to find the L4 header. */
#define FP_SET_MAX_EXT 6

#define FP_CSUM_MANGLED_UDP (BPF_F_MARK_MANGLED_0)

/* Where the IP and L4 headers of this packet are. */
struct fp_set_loc {
	__u32 l3; /* IP header */
	__u32 l4; /* L4 header, if has_l4 */
	__u32 end; /* end of the IP packet (its length, not skb->len) */
	__u32 csum; /* L4 checksum to fix for a pseudo-header change, or 0 */
	__u32 csum_flags; /* extra flags for bpf_l4_csum_replace() */
	__u8 proto; /* L4 protocol */
	bool has_l4; /* a whole L4 header within the IP length */
	bool csum_zero; /* UDP with checksum 0: left so */
	bool rh; /* IPv6 routing header with segments left */
};

static __always_inline bool fp_ipv6_ext(__u8 nh)
{
	return nh == FP_IPPROTO_HOPOPTS || nh == FP_IPPROTO_ROUTING ||
	       nh == FP_IPPROTO_FRAGMENT || nh == FP_IPPROTO_AH ||
	       nh == FP_IPPROTO_DSTOPTS;
}

/* Skip the Ethernet header and VLAN tags in the data: the offset of L3,
 * with its ethertype in @type. */
static __always_inline int fp_set_l2(struct __sk_buff *skb, __u32 *l3,
				     __be16 *type)
{
	__u32 off = FP_ETH_HLEN;
	__be16 t;
	int i;

	if (bpf_skb_load_bytes(skb, FP_ETH_ADDRS_LEN, &t, sizeof(t)))
		return -1;
#pragma unroll
	for (i = 0; i < FP_SET_MAX_TAGS; i++) {
		if (!fp_vlan_tpid(t))
			break;
		if (bpf_skb_load_bytes(skb, off + 2, &t, sizeof(t)))
			return -1;
		off += FP_VLAN_HLEN;
	}
	*l3 = off;
	*type = t;
	return 0;
}

/* The L4 header at loc->l4, ending no later than @ip_end. */
static __always_inline int fp_set_l4_hdr(struct __sk_buff *skb,
					 struct fp_set_loc *loc, __u32 ip_end,
					 bool v6)
{
	__u32 need = 0, csum = 0;
	__be16 check;

	if (loc->proto == FP_IPPROTO_TCP) {
		need = FP_TCP_HLEN;
		csum = 16;
	} else if (loc->proto == FP_IPPROTO_UDP) {
		need = FP_UDP_HLEN;
		csum = 6;
		loc->csum_flags = FP_CSUM_MANGLED_UDP;
	} else if (v6 && loc->proto == FP_IPPROTO_ICMPV6) {
		need = FP_ICMPV6_HLEN;
		csum = 2;
	} else if (loc->proto == FP_IPPROTO_SCTP) {
		/* Ports, but a CRC without pseudo-header. */
		if (loc->l4 + FP_SCTP_HLEN <= ip_end)
			loc->has_l4 = true;
		return 0;
	}
	if (!need)
		return 0; /* no pseudo-header checksum, no ports */
	if (loc->l4 + need > ip_end)
		return 0; /* cut short: as OVS, no fix-up */
	loc->has_l4 = true;
	loc->csum = loc->l4 + csum;
	if (bpf_skb_load_bytes(skb, loc->csum, &check, sizeof(check)))
		return -1;
	loc->csum_zero = loc->proto == FP_IPPROTO_UDP && !check;
	if (v6)
		loc->csum_flags |= BPF_F_IPV6;
	return 0;
}

/*
 * The IPv4 header at loc->l3 and the L4 header after it, into @loc; 0, 1
 * if the packet is not of the key's protocols, -1 on error. A global
 * function, like the others below that take @loc: the verifier checks it
 * once for any offset, not once per VLAN layout and per branch taken
 * before the call.
 */
__attribute__((noinline)) int fp_set_ipv4_loc(struct __sk_buff *skb,
					      const struct fp_flow_key *key,
					      struct fp_set_loc *loc)
{
	__u8 hdr[FP_IPV4_HLEN];
	__u32 ihl, tot, frag;
	bool later;

	if (!skb || !key || !loc)
		return -1;
	if (bpf_skb_load_bytes(skb, loc->l3, hdr, FP_IPV4_HLEN))
		return -1;
	if (hdr[0] >> 4 != 4)
		return 1;
	ihl = (hdr[0] & 0xf) * 4;
	tot = (__u32)hdr[2] << 8 | hdr[3];
	frag = ((__u32)hdr[6] << 8 | hdr[7]) & FP_IPV4_OFFSET;
	later = frag != 0;
	if (ihl < FP_IPV4_HLEN || tot < ihl || loc->l3 + tot > skb->len)
		return 1;
	loc->proto = hdr[9];
	if (loc->proto != key->nw_proto ||
	    later != (key->nw_frag == FP_FRAG_LATER))
		return 1;
	loc->l4 = loc->l3 + ihl;
	loc->end = loc->l3 + tot;
	if (later)
		return 0;
	return fp_set_l4_hdr(skb, loc, loc->l3 + tot, false);
}

/* The same for IPv6, walking its extension headers. */
__attribute__((noinline)) int fp_set_ipv6_loc(struct __sk_buff *skb,
					      const struct fp_flow_key *key,
					      struct fp_set_loc *loc)
{
	__u8 hdr[8], ext[4], nh;
	bool later = false;
	__u32 end, len;
	int i;

	if (!skb || !key || !loc)
		return -1;
	if (bpf_skb_load_bytes(skb, loc->l3, hdr, sizeof(hdr)))
		return 1;
	if (hdr[0] >> 4 != 6)
		return 1;
	end = loc->l3 + FP_IPV6_HLEN + ((__u32)hdr[4] << 8 | hdr[5]);
	if (end > skb->len)
		return 1;
	nh = hdr[6];
	loc->l4 = loc->l3 + FP_IPV6_HLEN;
	for (i = 0; i < FP_SET_MAX_EXT; i++) {
		if (!fp_ipv6_ext(nh))
			break;
		if (bpf_skb_load_bytes(skb, loc->l4, ext, sizeof(ext)))
			return 1;
		if (nh == FP_IPPROTO_FRAGMENT) {
			len = FP_IPV6_EXT_MIN;
			later = ((__u32)ext[2] << 8 | ext[3]) &
				FP_IPV6_FRAG_OFFSET;
		} else if (nh == FP_IPPROTO_AH) {
			len = ((__u32)ext[1] + 2) * 4;
		} else {
			len = ((__u32)ext[1] + 1) * 8;
			if (nh == FP_IPPROTO_ROUTING && ext[3])
				loc->rh = true;
		}
		nh = ext[0];
		loc->l4 += len;
		if (loc->l4 > end)
			return 1;
		if (later)
			break;
	}
	if (!later && fp_ipv6_ext(nh))
		return 1; /* more than the walk takes */
	loc->proto = nh;
	loc->end = end;
	if (nh != key->nw_proto || later != (key->nw_frag == FP_FRAG_LATER))
		return 1;
	if (later)
		return 0;
	return fp_set_l4_hdr(skb, loc, end, true);
}

/* (old & ~mask) | val, byte by byte; true if anything changed. */
static __always_inline bool fp_masked(__u8 *old, const __u8 *val,
				      const __u8 *mask, int n)
{
	__u8 diff = 0;
	int i;

#pragma unroll
	for (i = 0; i < n; i++) {
		__u8 b = (old[i] & ~mask[i]) | val[i];

		diff |= b ^ old[i];
		old[i] = b;
	}
	return diff;
}

static __always_inline bool fp_any(const __u8 *mask, int n)
{
	__u8 any = 0;
	int i;

#pragma unroll
	for (i = 0; i < n; i++)
		any |= mask[i];
	return any;
}

static __always_inline int fp_set_eth(struct __sk_buff *skb,
				      struct fp_flow_key *key,
				      const struct fp_action_set_field *sf)
{
	const struct fp_set_eth *v = &sf->u.eth.val, *m = &sf->u.eth.mask;
	__u8 addr[FP_ETH_ALEN];

	if (fp_any(m->dst, FP_ETH_ALEN)) {
		if (bpf_skb_load_bytes(skb, 0, addr, FP_ETH_ALEN))
			return -1;
		if (fp_masked(addr, v->dst, m->dst, FP_ETH_ALEN) &&
		    bpf_skb_store_bytes(skb, 0, addr, FP_ETH_ALEN, 0))
			return -1;
		__builtin_memcpy(key->eth_dst, addr, FP_ETH_ALEN);
	}
	if (fp_any(m->src, FP_ETH_ALEN)) {
		if (bpf_skb_load_bytes(skb, FP_ETH_ALEN, addr, FP_ETH_ALEN))
			return -1;
		if (fp_masked(addr, v->src, m->src, FP_ETH_ALEN) &&
		    bpf_skb_store_bytes(skb, FP_ETH_ALEN, addr, FP_ETH_ALEN,
					0))
			return -1;
		__builtin_memcpy(key->eth_src, addr, FP_ETH_ALEN);
	}
	return 0;
}

/* One IPv4 address at @off of the header: IP and L4 checksums, then the
 * bytes. */
static __always_inline int fp_set_ipv4_addr(struct __sk_buff *skb,
					    const struct fp_set_loc *loc,
					    __u32 off, __be32 *cur, __be32 val,
					    __be32 mask)
{
	__be32 old = *cur, new = (old & ~mask) | val;

	*cur = new;
	if (new == old)
		return 0;
	if (bpf_l3_csum_replace(skb, loc->l3 + 10, old, new, sizeof(new)))
		return -1;
	if (loc->csum &&
	    bpf_l4_csum_replace(skb, loc->csum, old, new,
				BPF_F_PSEUDO_HDR | sizeof(new) |
					loc->csum_flags))
		return -1;
	return bpf_skb_store_bytes(skb, loc->l3 + off, &new, sizeof(new), 0);
}

/* One byte of the header, in the 16-bit word that starts at @word. */
static __always_inline int fp_set_ipv4_byte(struct __sk_buff *skb,
					    const struct fp_set_loc *loc,
					    __u8 *hdr, __u32 word, int idx,
					    __u8 val, __u8 mask)
{
	__be16 old, new;
	__u8 b = (hdr[word + idx] & ~mask) | val;

	if (b == hdr[word + idx])
		return 0;
	__builtin_memcpy(&old, hdr + word, sizeof(old));
	hdr[word + idx] = b;
	__builtin_memcpy(&new, hdr + word, sizeof(new));
	if (bpf_l3_csum_replace(skb, loc->l3 + 10, old, new, sizeof(new)))
		return -1;
	return bpf_skb_store_bytes(skb, loc->l3 + word + idx, &b, 1, 0);
}

/* set(ipv4(...)): 0, 1 (nothing written) or -1 as fp_set_ipv4_loc(). */
__attribute__((noinline)) int fp_set_ipv4(struct __sk_buff *skb,
					  struct fp_flow_key *key,
					  const struct fp_action_set_field *sf,
					  struct fp_set_loc *loc)
{
	const struct fp_set_ipv4 *v, *m;
	__u8 hdr[FP_IPV4_HLEN];
	__be32 addr;
	int ret;

	if (!skb || !key || !sf || !loc)
		return -1;
	v = &sf->u.ipv4.val;
	m = &sf->u.ipv4.mask;
	ret = fp_set_ipv4_loc(skb, key, loc);
	if (ret)
		return ret;
	if (bpf_skb_load_bytes(skb, loc->l3, hdr, sizeof(hdr)))
		return -1;
	if (m->src) {
		__builtin_memcpy(&addr, hdr + 12, sizeof(addr));
		if (fp_set_ipv4_addr(skb, loc, 12, &addr, v->src, m->src))
			return -1;
		key->nw.ipv4.src = addr;
	}
	if (m->dst) {
		__builtin_memcpy(&addr, hdr + 16, sizeof(addr));
		if (fp_set_ipv4_addr(skb, loc, 16, &addr, v->dst, m->dst))
			return -1;
		key->nw.ipv4.dst = addr;
	}
	if (m->tos) {
		if (fp_set_ipv4_byte(skb, loc, hdr, 0, 1, v->tos, m->tos))
			return -1;
		key->nw_tos = hdr[1];
	}
	if (m->ttl) {
		if (fp_set_ipv4_byte(skb, loc, hdr, 8, 0, v->ttl, m->ttl))
			return -1;
		key->nw_ttl = hdr[8];
	}
	return 0;
}

/*
 * The source (@dst 0) or destination address, @cur its 16 bytes as read.
 * The destination is out of the L4 checksum while a routing header has
 * segments left: the pseudo-header holds the final one.
 */
struct fp_in6 {
	__u8 b[16];
};

__attribute__((noinline)) int
fp_set_ipv6_addr(struct __sk_buff *skb, const struct fp_set_loc *loc,
		 const struct fp_action_set_field *sf, struct fp_in6 *addr,
		 int dst)
{
	const __u8 *val, *mask;
	__u8 *cur;
	bool fix = true;
	__u8 old[16];
	__u32 off = 8;
	__s64 diff;

	if (!skb || !loc || !sf || !addr)
		return -1;
	cur = addr->b;
	val = sf->u.ipv6.val.src;
	mask = sf->u.ipv6.mask.src;
	if (dst) {
		val = sf->u.ipv6.val.dst;
		mask = sf->u.ipv6.mask.dst;
		off = 24;
		fix = !loc->rh;
	}
	__builtin_memcpy(old, cur, sizeof(old));
	if (!fp_masked(cur, val, mask, 16))
		return 0;
	fix = fix && loc->csum && !loc->csum_zero;
	if (fix) {
		diff = bpf_csum_diff((__be32 *)old, sizeof(old),
				     (__be32 *)cur, sizeof(old), 0);
		if (diff < 0)
			return -1;
		if (bpf_l4_csum_replace(skb, loc->csum, 0, diff,
					BPF_F_PSEUDO_HDR | loc->csum_flags))
			return -1;
	}
	return bpf_skb_store_bytes(skb, loc->l3 + off, cur, 16,
				   fix ? 0 : BPF_F_RECOMPUTE_CSUM);
}

/* set(ipv6(...)), as fp_set_ipv4(). */
__attribute__((noinline)) int fp_set_ipv6(struct __sk_buff *skb,
					  struct fp_flow_key *key,
					  const struct fp_action_set_field *sf,
					  struct fp_set_loc *loc)
{
	const struct fp_set_ipv6 *v, *m;
	__u8 hdr[FP_IPV6_HLEN];
	__u32 w, nw, wm, wv;
	int ret;

	if (!skb || !key || !sf || !loc)
		return -1;
	v = &sf->u.ipv6.val;
	m = &sf->u.ipv6.mask;
	ret = fp_set_ipv6_loc(skb, key, loc);
	if (ret)
		return ret;
	if (bpf_skb_load_bytes(skb, loc->l3, hdr, sizeof(hdr)))
		return -1;
	if (fp_any(m->src, 16)) {
		if (fp_set_ipv6_addr(skb, loc, sf,
				     (struct fp_in6 *)(hdr + 8), 0))
			return -1;
		__builtin_memcpy(key->nw.ipv6.src, hdr + 8, 16);
	}
	if (fp_any(m->dst, 16)) {
		if (fp_set_ipv6_addr(skb, loc, sf,
				     (struct fp_in6 *)(hdr + 24), 1))
			return -1;
		__builtin_memcpy(key->nw.ipv6.dst, hdr + 24, 16);
	}
	/* version:4 tclass:8 label:20, in none of the checksums. */
	wm = (__u32)m->tclass << 20 | (bpf_ntohl(m->label) & FP_IPV6_LABEL);
	if (wm) {
		wv = (__u32)v->tclass << 20 |
		     (bpf_ntohl(v->label) & FP_IPV6_LABEL);
		__builtin_memcpy(&w, hdr, sizeof(w));
		nw = bpf_htonl((bpf_ntohl(w) & ~wm) | wv);
		if (nw != w && bpf_skb_store_bytes(skb, loc->l3, &nw,
						   sizeof(nw),
						   BPF_F_RECOMPUTE_CSUM))
			return -1;
		key->nw_tos = bpf_ntohl(nw) >> 20;
		key->ipv6_label = bpf_htonl(bpf_ntohl(nw) & FP_IPV6_LABEL);
	}
	if (m->hlimit) {
		__u8 b = (hdr[7] & ~m->hlimit) | v->hlimit;

		if (b != hdr[7] && bpf_skb_store_bytes(skb, loc->l3 + 7, &b, 1,
						       BPF_F_RECOMPUTE_CSUM))
			return -1;
		key->nw_ttl = b;
	}
	return 0;
}

static __always_inline int fp_set_port(struct __sk_buff *skb,
				       const struct fp_set_loc *loc, __u32 off,
				       __be16 *cur, __be16 val, __be16 mask)
{
	__be16 old = *cur, new = (old & ~mask) | val;

	*cur = new;
	if (new == old)
		return 0;
	if (!loc->csum_zero &&
	    bpf_l4_csum_replace(skb, loc->csum, old, new,
				sizeof(new) | loc->csum_flags))
		return -1;
	return bpf_skb_store_bytes(skb, loc->l4 + off, &new, sizeof(new),
				   loc->csum_zero ? BPF_F_RECOMPUTE_CSUM : 0);
}

/* CRC32c (Castagnoli), reflected, as SCTP uses it. */
#define FP_CRC32C_POLY 0x82f63b78u

/* All bits or none, by a bit's value. A table, not -(bit): Linux 6.18's
 * verifier forks its state on every (x s>> 31) & y, which would make the
 * 64 of them below 2^64 paths; a load from read-only data is one. */
static const volatile __u32 fp_crc32c_sel[2] = { 0, 0xffffffffu };

/*
 * a * b modulo the CRC polynomial, both in the CRC register's reflected
 * form (bit 31 is x^0). No branch: the verifier walks it once.
 */
__attribute__((noinline)) __u32 fp_crc32c_mul(__u32 a, __u32 b)
{
	__u32 p = 0;
	int i;

#pragma unroll
	for (i = 0; i < 32; i++) {
		p ^= b & fp_crc32c_sel[(a >> (31 - i)) & 1];
		b = (b >> 1) ^ (FP_CRC32C_POLY & fp_crc32c_sel[b & 1]);
	}
	return p;
}

/* x^(2^k) modulo the polynomial for k = 3..18: x^(8n) for any n < 2^16
 * is a product of some of them (zlib's crc32_combine does the same). */
static const __u32 fp_crc32c_x2n[16] = {
	0x00800000, 0x00008000, 0x82f63b78, 0x6ea2d55c,
	0x18b8ea18, 0x510ac59a, 0xb82be955, 0xb8fdb1e7,
	0x88e56f72, 0x74c360a4, 0xe4172b16, 0x0d65762a,
	0x35d73a62, 0x28461564, 0xbf455269, 0xe2ea32dc,
};

/*
 * crc32c(new) ^ crc32c(old) for two messages of @len bytes that differ
 * only in their first four bytes, by @d (those bytes XORed, little-endian).
 * The CRC is linear: the difference is the CRC, without init and final
 * XOR, of @d followed by len - 4 zero bytes, i.e. d * x^(8 len) modulo the
 * polynomial. len < 2^16 (an IP payload): at most 16 products.
 */
static __always_inline __u32 fp_sctp_crc_delta(__u32 d, __u32 len)
{
	__u32 x = 1u << 31; /* x^0 */
	int k;

	for (k = 0; k < 16; k++) {
		if (len & (1u << k))
			x = fp_crc32c_mul(fp_crc32c_x2n[k], x);
	}
	return fp_crc32c_mul(d, x);
}

static __always_inline __u32 fp_le32(const __u8 *b)
{
	return (__u32)b[0] | (__u32)b[1] << 8 | (__u32)b[2] << 16 |
	       (__u32)b[3] << 24;
}

/*
 * set(sctp(...)): ports and CRC32c. The CRC covers the SCTP packet as the
 * IP length gives it (Ethernet padding is not SCTP's); it is stored
 * little-endian. Neither change is in an inet checksum, so for a
 * CHECKSUM_COMPLETE skb both stores update skb->csum.
 */
static __always_inline int fp_set_sctp(struct __sk_buff *skb,
				       const struct fp_set_loc *loc,
				       const __be16 *old, const __be16 *new)
{
	__u8 o[4], n[4], crc[4];
	__u32 d, c;

	__builtin_memcpy(o, old, sizeof(o));
	__builtin_memcpy(n, new, sizeof(n));
	d = fp_le32(o) ^ fp_le32(n);
	if (!d)
		return 0;
	if (bpf_skb_load_bytes(skb, loc->l4 + 8, crc, sizeof(crc)))
		return -1;
	c = fp_le32(crc) ^ fp_sctp_crc_delta(d, loc->end - loc->l4);
	crc[0] = c;
	crc[1] = c >> 8;
	crc[2] = c >> 16;
	crc[3] = c >> 24;
	if (bpf_skb_store_bytes(skb, loc->l4 + 8, crc, sizeof(crc),
				BPF_F_RECOMPUTE_CSUM))
		return -1;
	return bpf_skb_store_bytes(skb, loc->l4, new, 4,
				   BPF_F_RECOMPUTE_CSUM);
}

/* set(tcp(...)), set(udp(...)), set(sctp(...)) after IPv4 (@v6 0) or
 * IPv6. */
__attribute__((noinline)) int fp_set_l4(struct __sk_buff *skb,
					struct fp_flow_key *key,
					const struct fp_action_set_field *sf,
					struct fp_set_loc *loc, int v6)
{
	const struct fp_set_l4 *v, *m;
	__be16 ports[2];
	__u8 proto;
	int ret;

	if (!skb || !key || !sf || !loc)
		return -1;
	v = &sf->u.l4.val;
	m = &sf->u.l4.mask;
	proto = sf->group == FP_SET_TCP ? FP_IPPROTO_TCP :
		sf->group == FP_SET_UDP ? FP_IPPROTO_UDP :
					  FP_IPPROTO_SCTP;
	if (v6)
		ret = fp_set_ipv6_loc(skb, key, loc);
	else
		ret = fp_set_ipv4_loc(skb, key, loc);
	if (ret)
		return ret;
	if (loc->proto != proto || !loc->has_l4)
		return 1;
	if (bpf_skb_load_bytes(skb, loc->l4, ports, sizeof(ports)))
		return -1;
	if (proto == FP_IPPROTO_SCTP) {
		__be16 new[2];

		new[0] = (ports[0] & ~m->src) | v->src;
		new[1] = (ports[1] & ~m->dst) | v->dst;
		if (fp_set_sctp(skb, loc, ports, new))
			return -1;
		key->tp_src = new[0];
		key->tp_dst = new[1];
		return 0;
	}
	if (m->src) {
		if (fp_set_port(skb, loc, 0, &ports[0], v->src, m->src))
			return -1;
		key->tp_src = ports[0];
	}
	if (m->dst) {
		if (fp_set_port(skb, loc, 2, &ports[1], v->dst, m->dst))
			return -1;
		key->tp_dst = ports[1];
	}
	return 0;
}

SEC("tc")
int fp_set_field(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_action_set_field *sf;
	const struct fp_action *a;
	struct fp_set_loc loc = {};
	__be16 type;
	__u32 group;
	int ret;

	if (!s)
		return TC_ACT_SHOT;
	a = fp_cur_action(skb, s);
	if (!a)
		return TC_ACT_SHOT;
	sf = &a->u.set_field;
	group = sf->group;

	if (group == FP_SET_ETH) {
		ret = fp_set_eth(skb, &s->key, sf);
		goto done;
	}
	/* L3 and L4: the packet must be of the key's protocols. */
	if (fp_set_l2(skb, &loc.l3, &type) || type != s->key.eth_type) {
		ret = 1;
		goto done;
	}
	if (group == FP_SET_IPV4 && type == bpf_htons(FP_ETH_P_IP))
		ret = fp_set_ipv4(skb, &s->key, sf, &loc);
	else if (group == FP_SET_IPV6 && type == bpf_htons(FP_ETH_P_IPV6))
		ret = fp_set_ipv6(skb, &s->key, sf, &loc);
	else if ((group == FP_SET_TCP || group == FP_SET_UDP ||
		  group == FP_SET_SCTP) &&
		 (type == bpf_htons(FP_ETH_P_IP) ||
		  type == bpf_htons(FP_ETH_P_IPV6)))
		ret = fp_set_l4(skb, &s->key, sf, &loc,
				type == bpf_htons(FP_ETH_P_IPV6));
	else
		ret = 1;
	if (!ret)
		bpf_set_hash_invalid(skb);
done:
	if (ret > 0) {
		/* Nothing was written. */
		fp_count(FP_CNT_SET_MISMATCH);
		return TC_ACT_SHOT;
	}
	if (ret < 0) {
		/* A helper failed, perhaps halfway: never sent on. */
		fp_count(FP_CNT_ACTION_FAILED);
		return TC_ACT_SHOT;
	}
	return fp_next_action(skb, s);
}

char LICENSE[] SEC("license") = "GPL";
