// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: tunnel_encap, for an output to a GRE or ERSPAN port (the output
 * stage hands it over). Pushes outer Ethernet + IPv4 + GRE (+ ERSPAN type
 * II or III) in front of the frame, as the port is configured and the
 * packet's last set(tunnel(...)) overrides, and sends it out of the
 * port's underlay. An output with actions after it sends the
 * encapsulated packet as a clone, then takes the headers off again.
 */
#include "tunnel.bpf.h"

/* The header fields this packet's tunnel gets. */
struct fp_encap {
	__be32 src, dst;
	__be32 key;  /* GRE key, or ERSPAN session id (low 10 bits) */
	__u16 flags; /* enum fp_tun_flags */
	__u8 tos, ttl;
	__u8 erspan_ver, erspan_dir, erspan_hwid;
	__u32 erspan_idx;
};

static __always_inline void
fp_encap_params(struct fp_encap *e, const struct fp_tunnel_port *tp,
		const struct fp_action_set_tunnel *o)
{
	e->src = tp->local;
	e->dst = tp->remote;
	e->key = tp->key;
	e->flags = tp->flags;
	e->tos = tp->tos;
	e->ttl = tp->ttl;
	e->erspan_ver = tp->erspan_ver;
	e->erspan_dir = tp->erspan_dir;
	e->erspan_hwid = tp->erspan_hwid;
	e->erspan_idx = tp->erspan_idx;
	if (!o->given)
		return;
	if (o->given & FP_SET_TUN_ID)
		e->key = (__be32)(o->tun.tun_id >> 32);
	if (o->given & FP_SET_TUN_SRC)
		e->src = o->tun.outer.ipv4.src;
	if (o->given & FP_SET_TUN_DST)
		e->dst = o->tun.outer.ipv4.dst;
	if (o->given & FP_SET_TUN_TOS)
		e->tos = o->tun.tos;
	if (o->given & FP_SET_TUN_TTL)
		e->ttl = o->tun.ttl;
	if (o->given & FP_SET_TUN_FLAGS)
		e->flags = o->tun.flags;
	if ((o->given & FP_SET_TUN_ERSPAN) && tp->erspan_ver) {
		e->erspan_ver = o->tun.erspan_ver;
		e->erspan_idx = o->tun.erspan_idx;
		e->erspan_dir = o->tun.erspan_dir;
		e->erspan_hwid = o->tun.erspan_hwid;
	}
}

static __always_inline int fp_store32(struct __sk_buff *skb, __u32 off,
				      __be32 v)
{
	return bpf_skb_store_bytes(skb, off, &v, sizeof(v), 0);
}

/*
 * The ERSPAN header at @off: session id, and the inner frame's VLAN and
 * class of service; then the v1 port index, or the v2 timestamp (100 us
 * units, granularity 0), hardware id and direction.
 */
static __always_inline int fp_erspan_write(struct __sk_buff *skb, __u32 off,
					   const struct fp_encap *e, __u16 vid,
					   __u8 cos)
{
	__be32 w[3];

	/* v1 en: 3, the frame keeps its tag, 0 no tag; v2 has bso there, 0 */
	w[0] = bpf_htonl(((__u32)e->erspan_ver << 28) |
			 ((__u32)(vid & 0xfff) << 16) | ((__u32)cos << 13) |
			 (e->erspan_ver == 1 && vid ? 3u << 11 : 0) |
			 (bpf_ntohl(e->key) & FP_ERSPAN_SID_MASK));
	if (e->erspan_ver == 1) {
		w[1] = bpf_htonl(e->erspan_idx & FP_ERSPAN_IDX_MASK);
		return bpf_skb_store_bytes(skb, off, w, FP_ERSPAN1_HLEN, 0);
	}
	w[1] = bpf_htonl((__u32)(bpf_ktime_get_ns() / 100000));
	/* security group tag 0, then p ft hwid d gra o */
	w[2] = bpf_htonl(((e->erspan_hwid & FP_ERSPAN_HWID_MASK) << 4) |
			 ((e->erspan_dir & 1) << 3));
	return bpf_skb_store_bytes(skb, off, w, FP_ERSPAN2_HLEN, 0);
}

/* Outer header room and everything above it, once the room is there.
 * @inner is the frame's Ethernet header, @tag a tag taken out of skb
 * metadata (0: none), written back into the inner frame. */
static __always_inline int fp_encap_write(struct __sk_buff *skb,
					  struct fp_tunnel_port *tp,
					  const struct fp_encap *e,
					  const __u8 *inner, __u32 tag,
					  __u16 vid, __u8 cos)
{
	struct fp_tun_outer o;
	struct iphdr ip;
	__u8 eth[18];
	__u32 off = sizeof(o), i;
	__u64 sum;
	int c;

	__builtin_memcpy(o.eth_dst, tp->eth_dst, 6);
	__builtin_memcpy(o.eth_src, tp->eth_src, 6);
	o.eth_proto = bpf_htons(FP_ETH_P_IP);
	__builtin_memset(&ip, 0, sizeof(ip));
	ip.version = 4;
	ip.ihl = 5;
	ip.tos = e->tos;
	ip.tot_len = bpf_htons(skb->len - FP_ETH_HLEN);
	if (e->flags & FP_TUN_F_DF)
		ip.frag_off = bpf_htons(FP_IPV4_DF);
	else
		ip.id = (__be16)bpf_get_prandom_u32();
	ip.ttl = e->ttl ? e->ttl : FP_TUN_TTL_DEFAULT;
	ip.protocol = FP_IPPROTO_GRE;
	ip.saddr = e->src;
	ip.daddr = e->dst;
	sum = bpf_csum_diff(NULL, 0, (__be32 *)&ip, sizeof(ip), 0);
	ip.check = ~fp_csum_fold(sum);
	__builtin_memcpy(&o.ip, &ip, sizeof(ip));
	if (e->erspan_ver) {
		o.gre_flags = bpf_htons(FP_GRE_F_SEQ);
		o.gre_proto =
			bpf_htons(e->erspan_ver == 1 ? FP_GRE_PROTO_ERSPAN1 :
						       FP_GRE_PROTO_ERSPAN2);
	} else {
		o.gre_flags = bpf_htons(
			(e->flags & FP_TUN_F_CSUM ? FP_GRE_F_CSUM : 0) |
			(e->flags & FP_TUN_F_KEY ? FP_GRE_F_KEY : 0) |
			(e->flags & FP_TUN_F_SEQ ? FP_GRE_F_SEQ : 0));
		o.gre_proto = bpf_htons(FP_GRE_PROTO_TEB);
	}
	if (bpf_skb_store_bytes(skb, 0, &o, sizeof(o), 0))
		return -1;

	if (!e->erspan_ver && (e->flags & FP_TUN_F_CSUM)) {
		if (fp_store32(skb, off, 0)) /* filled in last */
			return -1;
		off += 4;
	}
	if (!e->erspan_ver && (e->flags & FP_TUN_F_KEY)) {
		if (fp_store32(skb, off, e->key))
			return -1;
		off += 4;
	}
	if (e->erspan_ver || (e->flags & FP_TUN_F_SEQ)) {
		if (fp_store32(skb, off,
			       bpf_htonl(__sync_fetch_and_add(&tp->seq, 1))))
			return -1;
		off += 4;
	}
	if (e->erspan_ver) {
		if (fp_erspan_write(skb, off, e, vid, cos))
			return -1;
		off += e->erspan_ver == 1 ? FP_ERSPAN1_HLEN : FP_ERSPAN2_HLEN;
	}

	for (i = 0; i < 12; i++)
		eth[i] = inner[i];
	if (tag) {
		eth[12] = tag >> 24;
		eth[13] = tag >> 16;
		eth[14] = tag >> 8;
		eth[15] = tag;
		eth[16] = inner[12];
		eth[17] = inner[13];
		if (bpf_skb_store_bytes(skb, off, eth, 18, 0))
			return -1;
	} else {
		eth[12] = inner[12];
		eth[13] = inner[13];
		if (bpf_skb_store_bytes(skb, off, eth, 14, 0))
			return -1;
	}

	if (!e->erspan_ver && (e->flags & FP_TUN_F_CSUM)) {
		__be16 csum;

		c = fp_skb_csum(skb, sizeof(o) - FP_GRE_HLEN);
		if (c < 0)
			return -1;
		csum = ~(__u16)c;
		if (bpf_skb_store_bytes(skb, sizeof(o), &csum, sizeof(csum), 0))
			return -1;
	}
	return 0;
}

/* Take the (plain) room off again, for the actions after a clone. */
static __always_inline int fp_encap_undo(struct __sk_buff *skb, __u32 room,
					 const __u8 *inner)
{
	if (bpf_skb_adjust_room(skb, -(__s32)room, BPF_ADJ_ROOM_MAC, 0) ||
	    bpf_skb_store_bytes(skb, 0, inner, FP_ETH_HLEN, 0))
		return -1;
	return 0;
}

SEC("tc")
int fp_tunnel_encap(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_port *p, *u;
	struct fp_tunnel_port *tp;
	const struct fp_action *a;
	struct fp_encap e;
	__u8 inner[FP_ETH_HLEN];
	__u32 port, idx, room, tag = 0;
	bool grow_head;
	int err;
	__u16 vid = 0;
	__u8 cos = 0;
	__u64 flags;
	bool last;

	if (!s)
		return TC_ACT_SHOT;
	a = fp_cur_action(skb, s);
	if (!a)
		return TC_ACT_SHOT;
	idx = skb->cb[FP_CB_ACTION_IDX];
	last = idx + 1 >= s->n_actions;
	port = a->u.output.port;

	p = bpf_map_lookup_elem(&ports, &port);
	tp = bpf_map_lookup_elem(&tunnels, &port);
	if (!p || !tp || (p->type != FP_PORT_GRE && p->type != FP_PORT_ERSPAN))
		goto failed;
	u = bpf_map_lookup_elem(&ports, &tp->underlay);
	if (!u || !u->ifindex || u->type != FP_PORT_NETDEV)
		goto failed;
	/* This stage is a tail call lookup did not count: the actions after
	 * it must still fit, else stop before the packet is changed. */
	if (!last && skb->cb[FP_CB_DEPTH] + (s->n_actions - idx - 1) >
			     FP_TAIL_CALL_LIMIT) {
		fp_count(FP_CNT_TAIL_CALL_BUDGET);
		return TC_ACT_SHOT;
	}
	fp_encap_params(&e, tp, &s->tun_out);
	if (p->type == FP_PORT_ERSPAN && e.erspan_ver != 1 && e.erspan_ver != 2)
		goto failed;
	if (p->type == FP_PORT_GRE)
		e.erspan_ver = 0;
	/* The GRE checksum is over the whole packet: not for GSO ones. */
	if (!e.erspan_ver && (e.flags & FP_TUN_F_CSUM) && skb->gso_size)
		goto failed;

	if (bpf_skb_load_bytes(skb, 0, inner, sizeof(inner)))
		goto failed;
	/* A tag in skb metadata would be put on the outer frame by the
	 * underlay's driver: it belongs to the inner one. */
	if (skb->vlan_present) {
		tag = ((__u32)bpf_ntohs((__be16)skb->vlan_proto) << 16) |
		      (skb->vlan_tci & 0xffff);
		vid = skb->vlan_tci & 0xfff;
	} else {
		/* A tag in the frame, 802.1Q or 802.1ad: ERSPAN carries
		 * the outer one's VLAN. */
		__be16 tpid, tci;

		__builtin_memcpy(&tpid, inner + FP_ETH_ADDRS_LEN, 2);
		if (fp_vlan_tpid(tpid) &&
		    !bpf_skb_load_bytes(skb, FP_ETH_HLEN, &tci, sizeof(tci)))
			vid = bpf_ntohs(tci) & 0xfff;
	}
	if (s->key.eth_type == bpf_htons(FP_ETH_P_IP) ||
	    s->key.eth_type == bpf_htons(FP_ETH_P_IPV6))
		cos = s->key.nw_tos >> 5;

	/* The outer headers: Ethernet, IPv4, GRE and its options, ERSPAN. */
	room = sizeof(struct fp_tun_outer);
	if (e.erspan_ver)
		room += 4 +
			(e.erspan_ver == 1 ? FP_ERSPAN1_HLEN : FP_ERSPAN2_HLEN);
	else
		room += 4 * (!!(e.flags & FP_TUN_F_CSUM) +
			     !!(e.flags & FP_TUN_F_KEY) +
			     !!(e.flags & FP_TUN_F_SEQ));
	if (tag && bpf_skb_vlan_pop(skb))
		goto failed;
	/*
	 * adjust_room, which also tells GSO about the tunnel, takes IP
	 * packets only; anything else (ARP, a tag that stays in the frame,
	 * one from metadata) gets its room in front, the frame kept whole,
	 * the tag written after its MACs. That room cannot be taken off
	 * again: such a frame can be encapsulated by its last output only.
	 */
	grow_head = tag || (skb->protocol != bpf_htons(FP_ETH_P_IP) &&
			    skb->protocol != bpf_htons(FP_ETH_P_IPV6));
	if (grow_head) {
		if (!last)
			goto failed_tag;
		if (tag)
			room += 4;
		err = bpf_skb_change_head(skb, room, 0);
	} else {
		/*
		 * The ENCAP flags tell GSO about the tunnel, but also mark
		 * the skb encapsulated, which nothing unmarks: a clone's
		 * headers taken off again would leave the mark, and the
		 * packet's next tunnel output would fail (-EALREADY). So a
		 * clone gets plain room, which a GSO packet cannot have (it
		 * would be segmented as the outer header's payload); so does
		 * a packet marked already, by such a clone or upstream.
		 */
		flags = BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 |
			BPF_F_ADJ_ROOM_ENCAP_L4_GRE |
			BPF_F_ADJ_ROOM_ENCAP_L2_ETH |
			((__u64)FP_ETH_HLEN << BPF_ADJ_ROOM_ENCAP_L2_SHIFT);
		err = -1;
		if (last)
			err = bpf_skb_adjust_room(skb, room, BPF_ADJ_ROOM_MAC,
						  flags);
		if (err && !skb->gso_size)
			err = bpf_skb_adjust_room(skb, room, BPF_ADJ_ROOM_MAC,
						  0);
	}
	if (err)
		goto failed_tag;
	if (fp_encap_write(skb, tp, &e, inner, tag, vid, cos)) {
		/* Half written: it cannot go on. */
		fp_count(FP_CNT_ACTION_FAILED);
		return TC_ACT_SHOT;
	}
	fp_count(FP_CNT_TUN_ENCAP);
	if (last) {
		fp_count_tx(port, skb->len, true);
		return bpf_redirect(u->ifindex, 0);
	}
	fp_count_tx(port, skb->len,
		    bpf_clone_redirect(skb, u->ifindex, 0) == 0);
	if (fp_encap_undo(skb, room, inner)) {
		fp_count(FP_CNT_ACTION_FAILED);
		return TC_ACT_SHOT;
	}
	return fp_next_action(skb, s);

failed_tag:
	if (tag)
		bpf_skb_vlan_push(skb, bpf_htons(tag >> 16), tag & 0xffff);
failed:
	fp_count(FP_CNT_TUN_ENCAP_FAILED);
	fp_count_tx(port, skb->len, false);
	if (last)
		return TC_ACT_SHOT;
	return fp_next_action(skb, s);
}

char LICENSE[] SEC("license") = "GPL";
