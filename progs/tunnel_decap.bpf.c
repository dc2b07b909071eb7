// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: tunnel_decap. The parser sends here every unfragmented, untagged
 * IPv4 GRE packet of a port. If its outer addresses are one of our tunnel
 * endpoints (tun_endpoints) and its GRE (and ERSPAN) headers are sound,
 * the stage records them in the key's tunnel metadata, strips them, makes
 * the tunnel port the in_port and has the inner frame parsed again
 * (recirc). A GRE packet of no endpoint of ours, or of a protocol or key
 * no port takes, carries on as the packet it is. A malformed one, to an
 * endpoint of ours, is counted and dropped, or passed to the stack, as the
 * endpoint's ports say: never decapsulated wrong.
 */
#include "tunnel.bpf.h"

/* The parts of an ERSPAN header the key holds, as on the wire. */
struct fp_erspan_hdr {
	__be16 ver_vlan;	  /* ver:4 vlan:12 */
	__be16 cos_en_t_sid;	  /* cos:3 en:2 t:1 session id:10 */
	__be32 word2;		  /* v1: reserved:12 index:20; v2: timestamp */
	__be16 sgt;		  /* v2 */
	__be16 p_ft_hwid_d_gra_o; /* v2: p:1 ft:5 hwid:6 d:1 gra:2 o:1 */
};

enum fp_decap_result {
	FP_DECAP_OK = 0,
	FP_DECAP_MALFORMED,
	FP_DECAP_NOT_OURS, /* no port for this protocol or key */
};

static __always_inline int fp_decap_parse(struct __sk_buff *skb,
					  const struct fp_tun_endpoint *ep,
					  struct fp_tunnel_key *tun,
					  __u32 *port, __u32 *hlen)
{
	struct fp_tunnel_port *tp;
	struct fp_erspan_hdr ers;
	struct iphdr ip;
	__u32 off, n = 0, ver;
	__u16 gre_flags, proto;
	__be16 gre[2];

	if (bpf_skb_load_bytes(skb, FP_ETH_HLEN, &ip, sizeof(ip)))
		return FP_DECAP_MALFORMED;
	if (ip.ihl < 5)
		return FP_DECAP_MALFORMED;
	off = FP_ETH_HLEN + ip.ihl * 4;
	if (bpf_skb_load_bytes(skb, off, gre, sizeof(gre)))
		return FP_DECAP_MALFORMED;
	gre_flags = bpf_ntohs(gre[0]);
	proto = bpf_ntohs(gre[1]);
	/* Version 0 only; no routing, no reserved flag. */
	if (gre_flags & (FP_GRE_F_ROUTING | FP_GRE_F_RESERVED))
		return FP_DECAP_MALFORMED;

	tun->outer.ipv4.src = ip.saddr;
	tun->outer.ipv4.dst = ip.daddr;
	tun->tos = ip.tos;
	tun->ttl = ip.ttl;
	tun->flags = FP_TUN_F_PRESENT;
	if (ip.frag_off & bpf_htons(FP_IPV4_DF))
		tun->flags |= FP_TUN_F_DF;

	if (gre_flags & FP_GRE_F_CSUM) {
		/* The sum over the whole GRE packet, its own checksum word
		 * included, is 0xffff when the checksum is right. */
		if (fp_skb_csum(skb, off) != 0xffff)
			return FP_DECAP_MALFORMED;
		tun->flags |= FP_TUN_F_CSUM;
		n++;
	}
	if (gre_flags & FP_GRE_F_KEY) {
		__be32 key;

		if (bpf_skb_load_bytes(skb, off + FP_GRE_HLEN + 4 * n, &key, 4))
			return FP_DECAP_MALFORMED;
		tun->tun_id = (__be64)key << 32;
		tun->flags |= FP_TUN_F_KEY;
		n++;
	}
	if (gre_flags & FP_GRE_F_SEQ)
		n++;
	off += FP_GRE_HLEN + 4 * n;

	if (proto == FP_GRE_PROTO_TEB) {
		if (gre_flags & FP_GRE_F_SEQ)
			tun->flags |= FP_TUN_F_SEQ;
		*port = ep->gre_port;
		if (!*port)
			return FP_DECAP_NOT_OURS;
		tp = bpf_map_lookup_elem(&tunnels, port);
		if (!tp)
			return FP_DECAP_NOT_OURS;
		/* A keyed port takes its key only; an unkeyed one, no key. */
		if ((tp->flags & FP_TUN_F_KEY) != (tun->flags & FP_TUN_F_KEY) ||
		    ((tp->flags & FP_TUN_F_KEY) &&
		     tun->tun_id != (__be64)tp->key << 32))
			return FP_DECAP_NOT_OURS;
	} else if (proto == FP_GRE_PROTO_ERSPAN1 ||
		   proto == FP_GRE_PROTO_ERSPAN2) {
		ver = proto == FP_GRE_PROTO_ERSPAN1 ? 1 : 2;
		/* ERSPAN always numbers its packets, and has no key or csum. */
		if ((gre_flags & (FP_GRE_F_CSUM | FP_GRE_F_KEY |
				  FP_GRE_F_SEQ)) != FP_GRE_F_SEQ)
			return FP_DECAP_MALFORMED;
		__builtin_memset(&ers, 0, sizeof(ers));
		if (bpf_skb_load_bytes(skb, off, &ers,
				       ver == 1 ? FP_ERSPAN1_HLEN :
						  FP_ERSPAN2_HLEN))
			return FP_DECAP_MALFORMED; /* truncated */
		if (bpf_ntohs(ers.ver_vlan) >> 12 != ver)
			return FP_DECAP_MALFORMED;
		tun->tun_id = (__be64)bpf_htonl(bpf_ntohs(ers.cos_en_t_sid) &
						FP_ERSPAN_SID_MASK)
			      << 32;
		tun->flags |= FP_TUN_F_KEY | FP_TUN_F_ERSPAN;
		tun->erspan_ver = ver;
		if (ver == 1) {
			tun->erspan_idx =
				bpf_ntohl(ers.word2) & FP_ERSPAN_IDX_MASK;
			off += FP_ERSPAN1_HLEN;
		} else {
			__u16 w = bpf_ntohs(ers.p_ft_hwid_d_gra_o);

			tun->erspan_hwid = (w >> 4) & FP_ERSPAN_HWID_MASK;
			tun->erspan_dir = (w >> 3) & 1;
			off += FP_ERSPAN2_HLEN;
		}
		*port = ep->erspan_port;
		if (!*port)
			return FP_DECAP_NOT_OURS;
		tp = bpf_map_lookup_elem(&tunnels, port);
		if (!tp || tp->erspan_ver != ver ||
		    tun->tun_id != (__be64)tp->key << 32)
			return FP_DECAP_NOT_OURS;
	} else {
		return FP_DECAP_NOT_OURS;
	}
	/* The inner frame must hold at least its Ethernet header. */
	if (off + FP_ETH_HLEN > skb->len)
		return FP_DECAP_MALFORMED;
	*hlen = off;
	return FP_DECAP_OK;
}

SEC("tc")
int fp_tunnel_decap(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	struct fp_tun_endpoint_key ek;
	const struct fp_tun_endpoint *ep;
	struct fp_tunnel_key tun = {};
	__u8 inner_eth[FP_ETH_HLEN];
	__u32 port = 0, hlen = 0;
	__u64 flags = 0;
	int r;

	if (!s)
		return TC_ACT_SHOT;
	ek.local = s->key.nw.ipv4.dst;
	ek.remote = s->key.nw.ipv4.src;
	ep = bpf_map_lookup_elem(&tun_endpoints, &ek);
	if (!ep)
		return fp_tail_call(skb, FP_SLOT_LOOKUP);

	r = fp_decap_parse(skb, ep, &tun, &port, &hlen);
	if (r == FP_DECAP_NOT_OURS) {
		fp_count(FP_CNT_TUN_NO_PORT);
		return fp_tail_call(skb, FP_SLOT_LOOKUP);
	}
	if (r != FP_DECAP_OK)
		goto malformed;

	/* Strip everything before the inner frame: remove hlen bytes after
	 * the outer MAC header, then write the inner one over it. */
	if (bpf_skb_load_bytes(skb, hlen, inner_eth, sizeof(inner_eth)))
		goto malformed;
	if (inner_eth[12] == (FP_ETH_P_IP >> 8) && inner_eth[13] == 0)
		flags = BPF_F_ADJ_ROOM_DECAP_L3_IPV4;
	else if (inner_eth[12] == (FP_ETH_P_IPV6 >> 8) &&
		 inner_eth[13] == (FP_ETH_P_IPV6 & 0xff))
		flags = BPF_F_ADJ_ROOM_DECAP_L3_IPV6;
	if (bpf_skb_adjust_room(skb, -(__s32)hlen, BPF_ADJ_ROOM_MAC, flags) ||
	    bpf_skb_store_bytes(skb, 0, inner_eth, sizeof(inner_eth), 0)) {
		/* The packet may be half changed: it cannot go on. */
		fp_count(FP_CNT_ACTION_FAILED);
		return TC_ACT_SHOT;
	}
	fp_count(FP_CNT_TUN_DECAP);
	s->key.tun = tun;
	s->key.in_port = port;
	fp_count_rx(port, skb->len);
	return fp_tail_call(skb, FP_SLOT_RECIRC);

malformed:
	fp_count(FP_CNT_TUN_MALFORMED);
	return ep->malformed == FP_TUN_MALFORMED_PASS ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
