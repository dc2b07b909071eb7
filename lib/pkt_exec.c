// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace action executor (pkt_exec.h). Each action mirrors its BPF
 * stage in progs/: the same checks in the same order, the same counters,
 * the same key updates, and checksums updated by the same arithmetic as
 * the kernel helpers the stages call (bpf_l3_csum_replace(),
 * bpf_l4_csum_replace(), bpf_csum_diff()), so that even the one's
 * complement representation of a result (0x0000 or 0xffff) is the kernel's.
 *
 * Headers are read and written with memcpy(): a frame's IP header need not
 * be 4-byte aligned (VLAN tags move it by 4, Ethernet by 14).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "pkt_exec.h"
#include "flow_extract.h"
#include "flow_hash.h"
#include "proto.h"
#include "vlan_key.h"

/* Tags skipped in the frame before L3. The BPF stage skips one fewer in
 * the data because skb metadata may hold the outer tag; here every tag is
 * in the frame. A packet with more tags than the key holds fails the
 * ethertype check either way. */
#define PX_MAX_TAGS (FP_MAX_VLAN + 2)
#define PX_MAX_EXT 6 /* IPv6 extension headers walked, as the stage */

static inline void px_count(const struct fp_pkt_exec *x, enum fp_counter c)
{
	if (x->counters)
		x->counters[c]++;
}

static inline __u16 px_rd16(const unsigned char *p)
{
	__u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline __u32 px_rd32(const unsigned char *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void px_wr16(unsigned char *p, __u16 v)
{
	memcpy(p, &v, sizeof(v));
}

/* ---- Checksums, as include/net/checksum.h computes them ---- */

static inline __u32 px_csum_add(__u32 a, __u32 b)
{
	__u32 r = a + b;

	return r + (r < b);
}

static inline __u32 px_csum_sub(__u32 a, __u32 b)
{
	return px_csum_add(a, ~b);
}

static inline __u16 px_csum_fold(__u32 s)
{
	return (__u16)((~s - ((s << 16) | (s >> 16))) >> 16);
}

static inline __u16 px_csum16_add(__u16 c, __u16 a)
{
	__u16 r = (__u16)(c + a);

	return (__u16)(r + (r < a));
}

/* csum_replace2(): bpf_l3_csum_replace() of a 16-bit word. */
static void px_csum_replace2(unsigned char *sum, __u16 from, __u16 to)
{
	__u16 s = px_rd16(sum);

	px_wr16(sum, (__u16)~px_csum16_add(
			     px_csum16_add((__u16)~s, (__u16)~from), to));
}

/* csum_replace4(): bpf_l3/l4_csum_replace() of a 32-bit word (of a 16-bit
 * one, zero-extended, as inet_proto_csum_replace2() passes it). */
static void px_csum_replace4(unsigned char *sum, __u32 from, __u32 to)
{
	__u32 t = px_csum_sub(~(__u32)px_rd16(sum), from);

	px_wr16(sum, px_csum_fold(px_csum_add(t, to)));
}

/* inet_proto_csum_replace_by_diff(), for bpf_csum_diff()'s result. */
static void px_csum_replace_diff(unsigned char *sum, __u32 diff)
{
	px_wr16(sum, px_csum_fold(px_csum_add(diff, ~(__u32)px_rd16(sum))));
}

/* csum_partial() of 16 bytes: a 32-bit one's complement sum. */
static __u32 px_csum16b(const unsigned char *p)
{
	__u32 s = 0;
	int i;

	for (i = 0; i < 16; i += 4)
		s = px_csum_add(s, px_rd32(p + i));
	return s;
}

/*
 * bpf_l4_csum_replace() of the checksum at @sum: with @mangled0 (UDP) a
 * zero checksum ("none") is left alone and a computed zero is written as
 * 0xffff (BPF_F_MARK_MANGLED_0).
 */
static void px_l4_replace4(unsigned char *sum, __u32 from, __u32 to,
			   bool mangled0)
{
	if (mangled0 && !px_rd16(sum))
		return;
	px_csum_replace4(sum, from, to);
	if (mangled0 && !px_rd16(sum))
		px_wr16(sum, 0xffff);
}

static void px_l4_replace_diff(unsigned char *sum, __u32 diff, bool mangled0)
{
	if (mangled0 && !px_rd16(sum))
		return;
	px_csum_replace_diff(sum, diff);
	if (mangled0 && !px_rd16(sum))
		px_wr16(sum, 0xffff);
}

/* CRC32c (Castagnoli), reflected, as SCTP uses it: byte table, built once
 * before main(). */
#define PX_CRC32C_POLY 0x82f63b78u

static __u32 px_crc32c_table[256];

__attribute__((constructor)) static void px_crc32c_init(void)
{
	__u32 c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (__u32)i;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (PX_CRC32C_POLY & (0u - (c & 1)));
		px_crc32c_table[i] = c;
	}
}

/*
 * crc32c(new) ^ crc32c(old) of two messages of @len bytes that differ
 * only in their first four bytes, by @d (little-endian): the CRC without
 * init or final XOR of @d followed by len - 4 zero bytes. The BPF stage
 * gets the same value in O(log len) multiplications; a loop is cheaper
 * here, and set(sctp) is rare.
 */
static __u32 px_sctp_crc_delta(__u32 d, __u32 len)
{
	__u32 c = 0, i;

	for (i = 0; i < len; i++) {
		__u8 b = i < 4 ? (__u8)(d >> (8 * i)) : 0;

		c = px_crc32c_table[(c ^ b) & 0xff] ^ (c >> 8);
	}
	return c;
}

/* ---- output, push_vlan, pop_vlan (progs/output, push_vlan, pop_vlan) ---- */

static void px_output(const struct fp_pkt_exec *x, const struct fp_pkt *pkt,
		      const struct fp_flow_key *key,
		      const struct fp_action_output *o)
{
	if (o->port == key->in_port && !(o->flags & FP_OUTPUT_F_IN_PORT)) {
		/* OVS never reflects a packet unless the flow says so. */
		px_count(x, FP_CNT_OUTPUT_IN_PORT);
		return;
	}
	if (x->output(x->arg, o->port, pkt->data, pkt->len) == -ENODEV)
		px_count(x, FP_CNT_OUTPUT_NO_PORT);
}

static int px_push_vlan(struct fp_pkt *pkt, struct fp_flow_key *key,
			const struct fp_action_push_vlan *v)
{
	unsigned char *d;

	/* skb_vlan_push() needs an Ethernet header to put the tag after. */
	if (pkt->headroom < FP_VLAN_HLEN || pkt->len < FP_ETH_HLEN)
		return -1;
	d = pkt->data - FP_VLAN_HLEN;
	memmove(d, pkt->data, FP_ETH_ADDRS_LEN);
	px_wr16(d + FP_ETH_ADDRS_LEN, v->tpid);
	px_wr16(d + FP_ETH_ADDRS_LEN + 2, v->tci);
	pkt->data = d;
	pkt->len += FP_VLAN_HLEN;
	pkt->headroom -= FP_VLAN_HLEN;
	fp_vlan_key_push(key, v->tpid, v->tci);
	return 0;
}

/*
 * The outer tag goes; an untagged packet is left as it is (as
 * skb_vlan_pop() leaves it). The key: the inner tag becomes the outer,
 * and a third tag, which the key had no room for, is read from the frame
 * (as pop_vlan.bpf.c's fp_vlan_key_refill()).
 */
static int px_pop_vlan(struct fp_pkt *pkt, struct fp_flow_key *key)
{
	const unsigned char *h;

	if (pkt->len < FP_ETH_HLEN ||
	    !fp_vlan_tpid(px_rd16(pkt->data + FP_ETH_ADDRS_LEN)))
		return 0;
	if (pkt->len < FP_ETH_HLEN + FP_VLAN_HLEN)
		return -1;
	memmove(pkt->data + FP_VLAN_HLEN, pkt->data, FP_ETH_ADDRS_LEN);
	pkt->data += FP_VLAN_HLEN;
	pkt->len -= FP_VLAN_HLEN;
	pkt->headroom += FP_VLAN_HLEN;

	if (!key->vlan[0].tpid)
		return 0;
	key->vlan[0] = key->vlan[1];
	key->vlan[1].tpid = 0;
	key->vlan[1].tci = 0;
	if (!fp_vlan_tpid(key->eth_type))
		return 0;
	/* After the new outer tag: TPID, TCI, ethertype. */
	h = pkt->data + FP_ETH_ADDRS_LEN + FP_VLAN_HLEN;
	if (pkt->len < FP_ETH_ADDRS_LEN + FP_VLAN_HLEN + 6)
		return 0;
	if (!fp_vlan_tpid(px_rd16(h))) {
		key->eth_type = px_rd16(h);
		return 0;
	}
	key->vlan[1].tpid = px_rd16(h);
	key->vlan[1].tci = px_rd16(h + 2) | fp_htons(FP_VLAN_CFI);
	key->eth_type = px_rd16(h + 4);
	return 0;
}

/* ---- set_field (progs/set_field.bpf.c) ---- */

/* Where the IP and L4 headers are; as struct fp_set_loc of the stage. */
struct px_loc {
	__u32 l3, l4, end;
	__u32 csum; /* offset of the L4 checksum to fix, or 0 */
	__u8 proto;
	bool has_l4;
	bool csum_zero; /* UDP with checksum 0: left so */
	bool mangled0; /* UDP: BPF_F_MARK_MANGLED_0 */
	bool rh; /* IPv6 routing header with segments left */
};

/* Return values of the set helpers, as the stage's: 0 done, 1 nothing
 * written (the packet is not of the key's protocols), -1 failed. */
enum { PX_SET_OK = 0, PX_SET_MISMATCH = 1, PX_SET_FAIL = -1 };

static int px_set_l2(const struct fp_pkt *pkt, __u32 *l3, __be16 *type)
{
	__u32 off = FP_ETH_HLEN;
	__be16 t;
	int i;

	if (pkt->len < FP_ETH_HLEN)
		return -1;
	t = px_rd16(pkt->data + FP_ETH_ADDRS_LEN);
	for (i = 0; i < PX_MAX_TAGS && fp_vlan_tpid(t); i++) {
		if (off + FP_VLAN_HLEN > pkt->len)
			return -1;
		t = px_rd16(pkt->data + off + 2);
		off += FP_VLAN_HLEN;
	}
	*l3 = off;
	*type = t;
	return 0;
}

static void px_set_l4_hdr(const struct fp_pkt *pkt, struct px_loc *loc,
			  __u32 ip_end, bool v6)
{
	__u32 need = 0, csum = 0;

	if (loc->proto == FP_IPPROTO_TCP) {
		need = FP_TCP_HLEN;
		csum = 16;
	} else if (loc->proto == FP_IPPROTO_UDP) {
		need = FP_UDP_HLEN;
		csum = 6;
		loc->mangled0 = true;
	} else if (v6 && loc->proto == FP_IPPROTO_ICMPV6) {
		need = FP_ICMPV6_HLEN;
		csum = 2;
	} else if (loc->proto == FP_IPPROTO_SCTP) {
		/* Ports, but a CRC without pseudo-header. */
		loc->has_l4 = loc->l4 + FP_SCTP_HLEN <= ip_end;
		return;
	}
	if (!need || loc->l4 + need > ip_end)
		return; /* no pseudo-header checksum, or cut short: as OVS */
	loc->has_l4 = true;
	loc->csum = loc->l4 + csum;
	loc->csum_zero = loc->proto == FP_IPPROTO_UDP &&
			 !px_rd16(pkt->data + loc->csum);
}

static int px_ipv4_loc(const struct fp_pkt *pkt, const struct fp_flow_key *key,
		       struct px_loc *loc)
{
	const unsigned char *h = pkt->data + loc->l3;
	__u32 ihl, tot;
	bool later;

	if (loc->l3 + FP_IPV4_HLEN > pkt->len)
		return PX_SET_FAIL;
	if (h[0] >> 4 != 4)
		return PX_SET_MISMATCH;
	ihl = (h[0] & 0xfu) * 4;
	tot = (__u32)h[2] << 8 | h[3];
	later = (((__u32)h[6] << 8 | h[7]) & FP_IPV4_OFFSET) != 0;
	if (ihl < FP_IPV4_HLEN || tot < ihl || loc->l3 + tot > pkt->len)
		return PX_SET_MISMATCH;
	loc->proto = h[9];
	if (loc->proto != key->nw_proto ||
	    later != (key->nw_frag == FP_FRAG_LATER))
		return PX_SET_MISMATCH;
	loc->l4 = loc->l3 + ihl;
	loc->end = loc->l3 + tot;
	if (!later)
		px_set_l4_hdr(pkt, loc, loc->end, false);
	return PX_SET_OK;
}

static bool px_ipv6_ext(__u8 nh)
{
	return nh == FP_IPPROTO_HOPOPTS || nh == FP_IPPROTO_ROUTING ||
	       nh == FP_IPPROTO_FRAGMENT || nh == FP_IPPROTO_AH ||
	       nh == FP_IPPROTO_DSTOPTS;
}

static int px_ipv6_loc(const struct fp_pkt *pkt, const struct fp_flow_key *key,
		       struct px_loc *loc)
{
	const unsigned char *h = pkt->data + loc->l3, *ext;
	bool later = false;
	__u32 end, len;
	__u8 nh;
	int i;

	if (loc->l3 + 8 > pkt->len || h[0] >> 4 != 6)
		return PX_SET_MISMATCH;
	end = loc->l3 + FP_IPV6_HLEN + ((__u32)h[4] << 8 | h[5]);
	if (end > pkt->len)
		return PX_SET_MISMATCH;
	nh = h[6];
	loc->l4 = loc->l3 + FP_IPV6_HLEN;
	for (i = 0; i < PX_MAX_EXT && px_ipv6_ext(nh); i++) {
		if (loc->l4 + 4 > pkt->len)
			return PX_SET_MISMATCH;
		ext = pkt->data + loc->l4;
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
			return PX_SET_MISMATCH;
		if (later)
			break;
	}
	if (!later && px_ipv6_ext(nh))
		return PX_SET_MISMATCH; /* more than the walk takes */
	loc->proto = nh;
	loc->end = end;
	if (nh != key->nw_proto || later != (key->nw_frag == FP_FRAG_LATER))
		return PX_SET_MISMATCH;
	if (!later)
		px_set_l4_hdr(pkt, loc, end, true);
	return PX_SET_OK;
}

/* (old & ~mask) | val, byte by byte; true if anything changed. */
static bool px_masked(__u8 *old, const __u8 *val, const __u8 *mask, int n)
{
	__u8 diff = 0;
	int i;

	for (i = 0; i < n; i++) {
		__u8 b = (__u8)((old[i] & ~mask[i]) | val[i]);

		diff |= b ^ old[i];
		old[i] = b;
	}
	return diff;
}

static bool px_any(const __u8 *mask, int n)
{
	__u8 any = 0;
	int i;

	for (i = 0; i < n; i++)
		any |= mask[i];
	return any;
}

static int px_set_eth(struct fp_pkt *pkt, struct fp_flow_key *key,
		      const struct fp_action_set_field *sf)
{
	const struct fp_set_eth *v = &sf->u.eth.val, *m = &sf->u.eth.mask;

	if (px_any(m->dst, FP_ETH_ALEN)) {
		if (pkt->len < FP_ETH_ALEN)
			return PX_SET_FAIL;
		px_masked(pkt->data, v->dst, m->dst, FP_ETH_ALEN);
		memcpy(key->eth_dst, pkt->data, FP_ETH_ALEN);
	}
	if (px_any(m->src, FP_ETH_ALEN)) {
		if (pkt->len < 2 * FP_ETH_ALEN)
			return PX_SET_FAIL;
		px_masked(pkt->data + FP_ETH_ALEN, v->src, m->src,
			  FP_ETH_ALEN);
		memcpy(key->eth_src, pkt->data + FP_ETH_ALEN, FP_ETH_ALEN);
	}
	return PX_SET_OK;
}

/* One IPv4 address at @off of the header: IP and L4 checksums, bytes. */
static __be32 px_set_ipv4_addr(struct fp_pkt *pkt, const struct px_loc *loc,
			       __u32 off, __be32 val, __be32 mask)
{
	unsigned char *h = pkt->data + loc->l3;
	__be32 old = px_rd32(h + off), new = (old & ~mask) | val;

	if (new == old)
		return new;
	px_csum_replace4(h + 10, old, new);
	if (loc->csum)
		px_l4_replace4(pkt->data + loc->csum, old, new, loc->mangled0);
	memcpy(h + off, &new, sizeof(new));
	return new;
}

/* One byte of the header, in the 16-bit word that starts at @word. */
static __u8 px_set_ipv4_byte(struct fp_pkt *pkt, const struct px_loc *loc,
			     __u32 word, int idx, __u8 val, __u8 mask)
{
	unsigned char *h = pkt->data + loc->l3;
	__u8 b = (__u8)((h[word + idx] & ~mask) | val);
	__u16 old;

	if (b == h[word + idx])
		return b;
	old = px_rd16(h + word);
	h[word + idx] = b;
	px_csum_replace2(h + 10, old, px_rd16(h + word));
	return b;
}

static int px_set_ipv4(struct fp_pkt *pkt, struct fp_flow_key *key,
		       const struct fp_action_set_field *sf,
		       struct px_loc *loc)
{
	const struct fp_set_ipv4 *v = &sf->u.ipv4.val, *m = &sf->u.ipv4.mask;
	int ret = px_ipv4_loc(pkt, key, loc);

	if (ret)
		return ret;
	if (m->src)
		key->nw.ipv4.src =
			px_set_ipv4_addr(pkt, loc, 12, v->src, m->src);
	if (m->dst)
		key->nw.ipv4.dst =
			px_set_ipv4_addr(pkt, loc, 16, v->dst, m->dst);
	if (m->tos)
		key->nw_tos = px_set_ipv4_byte(pkt, loc, 0, 1, v->tos, m->tos);
	if (m->ttl)
		key->nw_ttl = px_set_ipv4_byte(pkt, loc, 8, 0, v->ttl, m->ttl);
	return PX_SET_OK;
}

/* The source (@off 8) or destination (24) address. The destination is
 * out of the L4 checksum while a routing header has segments left. */
static void px_set_ipv6_addr(struct fp_pkt *pkt, const struct px_loc *loc,
			     __u32 off, const __u8 *val, const __u8 *mask)
{
	unsigned char *a = pkt->data + loc->l3 + off;
	__u8 old[16];
	__u32 diff;

	memcpy(old, a, sizeof(old));
	if (!px_masked(a, val, mask, 16))
		return;
	if (!loc->csum || loc->csum_zero || (off == 24 && loc->rh))
		return;
	diff = px_csum_sub(px_csum16b(a), px_csum16b(old));
	px_l4_replace_diff(pkt->data + loc->csum, diff, loc->mangled0);
}

static int px_set_ipv6(struct fp_pkt *pkt, struct fp_flow_key *key,
		       const struct fp_action_set_field *sf,
		       struct px_loc *loc)
{
	const struct fp_set_ipv6 *v = &sf->u.ipv6.val, *m = &sf->u.ipv6.mask;
	unsigned char *h = pkt->data + loc->l3;
	__u32 w, wm, wv;
	int ret = px_ipv6_loc(pkt, key, loc);

	if (ret)
		return ret;
	if (px_any(m->src, 16)) {
		px_set_ipv6_addr(pkt, loc, 8, v->src, m->src);
		memcpy(key->nw.ipv6.src, h + 8, 16);
	}
	if (px_any(m->dst, 16)) {
		px_set_ipv6_addr(pkt, loc, 24, v->dst, m->dst);
		memcpy(key->nw.ipv6.dst, h + 24, 16);
	}
	/* version:4 tclass:8 label:20, in none of the checksums. */
	wm = (__u32)m->tclass << 20 | (fp_ntohl(m->label) & FP_IPV6_LABEL);
	if (wm) {
		wv = (__u32)v->tclass << 20 |
		     (fp_ntohl(v->label) & FP_IPV6_LABEL);
		w = (fp_ntohl(px_rd32(h)) & ~wm) | wv;
		h[0] = (__u8)(w >> 24);
		h[1] = (__u8)(w >> 16);
		h[2] = (__u8)(w >> 8);
		h[3] = (__u8)w;
		key->nw_tos = (__u8)(w >> 20);
		key->ipv6_label = fp_htonl(w & FP_IPV6_LABEL);
	}
	if (m->hlimit) {
		h[7] = (__u8)((h[7] & ~m->hlimit) | v->hlimit);
		key->nw_ttl = h[7];
	}
	return PX_SET_OK;
}

/* set(sctp(...)): ports, and the CRC32c over the SCTP packet as the IP
 * length gives it, updated for the change alone (an existing error is
 * carried through, as OVS's set_sctp()). */
static void px_set_sctp(struct fp_pkt *pkt, const struct px_loc *loc,
			const struct fp_set_l4 *v, const struct fp_set_l4 *m,
			struct fp_flow_key *key)
{
	unsigned char *l4 = pkt->data + loc->l4, *crc = l4 + 8;
	__be16 ports[2], new[2];
	__u32 d, c;
	__u8 o[4], n[4];

	memcpy(ports, l4, sizeof(ports));
	new[0] = (ports[0] & ~m->src) | v->src;
	new[1] = (ports[1] & ~m->dst) | v->dst;
	memcpy(o, ports, 4);
	memcpy(n, new, 4);
	d = ((__u32)o[0] | (__u32)o[1] << 8 | (__u32)o[2] << 16 |
	     (__u32)o[3] << 24) ^
	    ((__u32)n[0] | (__u32)n[1] << 8 | (__u32)n[2] << 16 |
	     (__u32)n[3] << 24);
	if (d) {
		c = ((__u32)crc[0] | (__u32)crc[1] << 8 | (__u32)crc[2] << 16 |
		     (__u32)crc[3] << 24) ^
		    px_sctp_crc_delta(d, loc->end - loc->l4);
		crc[0] = (__u8)c;
		crc[1] = (__u8)(c >> 8);
		crc[2] = (__u8)(c >> 16);
		crc[3] = (__u8)(c >> 24);
		memcpy(l4, new, 4);
	}
	key->tp_src = new[0];
	key->tp_dst = new[1];
}

static __be16 px_set_port(struct fp_pkt *pkt, const struct px_loc *loc,
			  __u32 off, __be16 val, __be16 mask)
{
	unsigned char *p = pkt->data + loc->l4 + off;
	__be16 old = px_rd16(p), new = (old & ~mask) | val;

	if (new == old)
		return new;
	if (!loc->csum_zero)
		px_l4_replace4(pkt->data + loc->csum, old, new, loc->mangled0);
	px_wr16(p, new);
	return new;
}

static int px_set_l4(struct fp_pkt *pkt, struct fp_flow_key *key,
		     const struct fp_action_set_field *sf, struct px_loc *loc,
		     bool v6)
{
	const struct fp_set_l4 *v = &sf->u.l4.val, *m = &sf->u.l4.mask;
	__u8 proto = sf->group == FP_SET_TCP ? FP_IPPROTO_TCP :
		     sf->group == FP_SET_UDP ? FP_IPPROTO_UDP :
					       FP_IPPROTO_SCTP;
	int ret = v6 ? px_ipv6_loc(pkt, key, loc) : px_ipv4_loc(pkt, key, loc);

	if (ret)
		return ret;
	if (loc->proto != proto || !loc->has_l4)
		return PX_SET_MISMATCH;
	if (proto == FP_IPPROTO_SCTP) {
		px_set_sctp(pkt, loc, v, m, key);
		return PX_SET_OK;
	}
	if (m->src)
		key->tp_src = px_set_port(pkt, loc, 0, v->src, m->src);
	if (m->dst)
		key->tp_dst = px_set_port(pkt, loc, 2, v->dst, m->dst);
	return PX_SET_OK;
}

static int px_set_field(struct fp_pkt *pkt, struct fp_flow_key *key,
			const struct fp_action_set_field *sf)
{
	struct px_loc loc = { 0 };
	__u32 group = sf->group;
	__be16 type;

	if (group == FP_SET_ETH)
		return px_set_eth(pkt, key, sf);
	/* L3 and L4: the packet must be of the key's protocols. */
	if (px_set_l2(pkt, &loc.l3, &type) || type != key->eth_type)
		return PX_SET_MISMATCH;
	if (group == FP_SET_IPV4 && type == fp_htons(FP_ETH_P_IP))
		return px_set_ipv4(pkt, key, sf, &loc);
	if (group == FP_SET_IPV6 && type == fp_htons(FP_ETH_P_IPV6))
		return px_set_ipv6(pkt, key, sf, &loc);
	if ((group == FP_SET_TCP || group == FP_SET_UDP ||
	     group == FP_SET_SCTP) &&
	    (type == fp_htons(FP_ETH_P_IP) || type == fp_htons(FP_ETH_P_IPV6)))
		return px_set_l4(pkt, key, sf, &loc,
				 type == fp_htons(FP_ETH_P_IPV6));
	return PX_SET_MISMATCH;
}

/* ---- The list ---- */

int fp_pkt_exec(const struct fp_pkt_exec *x, struct fp_pkt *pkt,
		struct fp_flow_key *key, const struct fp_action *acts,
		__u32 n)
{
	const struct fp_action *a;
	__u32 i;
	int ret;

	if (!n) {
		px_count(x, FP_CNT_DROP_ACTION);
		return FP_PKT_DROPPED;
	}
	for (i = 0; i < n; i++) {
		a = &acts[i];
		switch (a->type) {
		case FP_ACT_OUTPUT:
			px_output(x, pkt, key, &a->u.output);
			break;
		case FP_ACT_PUSH_VLAN:
			if (px_push_vlan(pkt, key, &a->u.push_vlan)) {
				px_count(x, FP_CNT_ACTION_FAILED);
				return FP_PKT_DROPPED;
			}
			break;
		case FP_ACT_POP_VLAN:
			if (px_pop_vlan(pkt, key)) {
				px_count(x, FP_CNT_ACTION_FAILED);
				return FP_PKT_DROPPED;
			}
			break;
		case FP_ACT_SET_FIELD:
			ret = px_set_field(pkt, key, &a->u.set_field);
			if (ret) {
				/* Mismatch: nothing was written. */
				px_count(x, ret > 0 ? FP_CNT_SET_MISMATCH :
						      FP_CNT_ACTION_FAILED);
				return FP_PKT_DROPPED;
			}
			break;
		case FP_ACT_HASH:
			if (a->u.hash.alg != FP_HASH_ALG_L4) {
				px_count(x, FP_CNT_BAD_ACTION);
				return FP_PKT_DROPPED;
			}
			key->dp_hash = fp_flow_hash_l4(key, a->u.hash.basis);
			break;
		case FP_ACT_RECIRC:
			/* Ends the list, as in OVS (odp refuses more). */
			key->recirc_id = a->u.recirc.id;
			return FP_PKT_RECIRC;
		default:
			/* A type without an executor (the BPF chain would
			 * find no stage in its slot). */
			px_count(x, FP_CNT_BAD_ACTION);
			return FP_PKT_DROPPED;
		}
	}
	return FP_PKT_DONE;
}

/* VLAN tags at the front of the frame, as the parser would count them. */
static __u32 px_frame_tags(const struct fp_pkt *pkt)
{
	__u32 n = 0, off = FP_ETH_ADDRS_LEN;

	while (n < FP_MAX_VLAN && off + FP_VLAN_HLEN + 2 <= pkt->len &&
	       fp_vlan_tpid(px_rd16(pkt->data + off))) {
		n++;
		off += FP_VLAN_HLEN;
	}
	return n;
}

void fp_pkt_restore_outer_tag(struct fp_pkt *pkt,
			      const struct fp_flow_key *key)
{
	__u32 n = 0;
	__be16 tci;

	while (n < FP_MAX_VLAN && key->vlan[n].tpid)
		n++;
	if (n <= px_frame_tags(pkt) || pkt->len < FP_ETH_ADDRS_LEN ||
	    pkt->headroom < FP_VLAN_HLEN)
		return;
	memmove(pkt->data - FP_VLAN_HLEN, pkt->data, FP_ETH_ADDRS_LEN);
	pkt->data -= FP_VLAN_HLEN;
	pkt->headroom -= FP_VLAN_HLEN;
	pkt->len += FP_VLAN_HLEN;
	tci = key->vlan[0].tci & ~fp_htons(FP_VLAN_CFI);
	memcpy(pkt->data + FP_ETH_ADDRS_LEN, &key->vlan[0].tpid, 2);
	memcpy(pkt->data + FP_ETH_ADDRS_LEN + 2, &tci, 2);
}

int fp_pkt_parse(const struct fp_pkt *pkt, __u32 in_port,
		 struct fp_flow_key *key)
{
	memset(key, 0, sizeof(*key));
	key->in_port = in_port;
	return fp_flow_extract(key, pkt->data, pkt->data + pkt->len, 0, 0);
}

int fp_pkt_reparse(const struct fp_pkt *pkt, struct fp_flow_key *key)
{
	fp_flow_key_reset_headers(key);
	return fp_flow_extract(key, pkt->data, pkt->data + pkt->len, 0, 0);
}
