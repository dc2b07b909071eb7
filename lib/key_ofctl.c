// SPDX-License-Identifier: GPL-2.0
/*
 * struct fp_flow_key in `ovs-ofctl parse-pcap` format. What OVS prints
 * for a packet is its exact-match flow: each field appears when the
 * packet's protocols make it part of the flow (flow_wildcards_init_for_
 * packet() in OVS), in match_format()'s order. The helpers below follow
 * those two functions; where the key stores a field elsewhere than OVS's
 * struct flow (ICMP type and code, ARP opcode), the value is taken from
 * where the parser put it.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "key_ofctl.h"
#include "proto.h"

/* snprintf into a buffer that may fill up; the length keeps counting. */
struct fp_line {
	char *buf;
	size_t size;
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
put(struct fp_line *l, const char *fmt, ...)
{
	size_t room = l->len < l->size ? l->size - l->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? l->buf + l->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n;
}

static void put_mac(struct fp_line *l, const char *name, const __u8 *m)
{
	put(l, "%s=%02x:%02x:%02x:%02x:%02x:%02x,", name, m[0], m[1], m[2],
	    m[3], m[4], m[5]);
}

static void put_ip4(struct fp_line *l, const char *name, __be32 a)
{
	const __u8 *b = (const __u8 *)&a;

	put(l, "%s=%u.%u.%u.%u,", name, b[0], b[1], b[2], b[3]);
}

static void put_ip6(struct fp_line *l, const char *name, const __u8 *a)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, a, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	put(l, "%s=%s,", name, s);
}

/* OVS's format_flags() with '|': names of the set bits, low bit first. */
static void put_flags(struct fp_line *l, const char *name, unsigned int flags,
		      const char *(*bit_name)(unsigned int bit))
{
	unsigned int bad = 0;
	bool first = true;

	put(l, "%s=", name);
	if (!flags) {
		put(l, "0,");
		return;
	}
	while (flags) {
		unsigned int bit = flags & -flags;
		const char *s = bit_name(bit);

		if (s) {
			put(l, "%s%s", first ? "" : "|", s);
			first = false;
		} else {
			bad |= bit;
		}
		flags &= ~bit;
	}
	if (bad)
		put(l, "%s0x%x", first ? "" : "|", bad);
	put(l, ",");
}

static const char *tcp_flag_name(unsigned int bit)
{
	static const char *const names[] = {
		"fin", "syn", "rst", "psh", "ack", "urg",
		"ece", "cwr", "ns", "[200]", "[400]", "[800]",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

/* OVS's tunnel flag bits, which tun_flags prints. */
#define OVS_TNL_F_DONT_FRAGMENT (1u << 1)
#define OVS_TNL_F_CSUM (1u << 2)
#define OVS_TNL_F_KEY (1u << 3)

static const char *tun_flag_name(unsigned int bit)
{
	switch (bit) {
	case 1u << 0:
		return "oam";
	case OVS_TNL_F_DONT_FRAGMENT:
		return "df";
	case OVS_TNL_F_CSUM:
		return "csum";
	case OVS_TNL_F_KEY:
		return "key";
	}
	return NULL;
}

/* A packet that came out of a tunnel: every tunnel field OVS keys for
 * one, zero or not, as format_flow_tunnel() prints them. */
static void put_tunnel(struct fp_line *l, const struct fp_tunnel_key *t)
{
	static const __u8 zero6[16];
	bool v6 = t->flags & FP_TUN_F_IPV6;
	unsigned int flags = 0;

	if (t->flags & FP_TUN_F_KEY)
		put(l, "tun_id=%#llx,",
		    (unsigned long long)be64toh((__u64)t->tun_id));
	put_ip4(l, "tun_src", v6 ? 0 : t->outer.ipv4.src);
	put_ip4(l, "tun_dst", v6 ? 0 : t->outer.ipv4.dst);
	put_ip6(l, "tun_ipv6_src", v6 ? t->outer.ipv6.src : zero6);
	put_ip6(l, "tun_ipv6_dst", v6 ? t->outer.ipv6.dst : zero6);
	put(l, "tun_gbp_id=0,tun_gbp_flags=0,");
	put(l, "tun_tos=%x,tun_ttl=%u,", t->tos, t->ttl);
	put(l, "tun_erspan_ver=%u,", t->erspan_ver);
	if (t->erspan_ver == 1)
		put(l, "tun_erspan_idx=%#x,", t->erspan_idx);
	if (t->erspan_ver == 2)
		put(l, "tun_erspan_dir=%u,tun_erspan_hwid=%#x,", t->erspan_dir,
		    t->erspan_hwid);
	put(l, "gtpu_flags=0,gtpu_msgtype=0,");
	if (t->flags & FP_TUN_F_DF)
		flags |= OVS_TNL_F_DONT_FRAGMENT;
	if (t->flags & FP_TUN_F_CSUM)
		flags |= OVS_TNL_F_CSUM;
	if (t->flags & FP_TUN_F_KEY)
		flags |= OVS_TNL_F_KEY;
	put_flags(l, "tun_flags", flags, tun_flag_name);
}

static void put_vlans(struct fp_line *l, const struct fp_flow_key *key)
{
	int i;

	/* OVS shows every tag and the first absent one. */
	for (i = 0; i < FP_MAX_VLAN; i++) {
		__u16 tci = ntohs(key->vlan[i].tci);
		const char *n = i ? "1" : "";

		if (tci & FP_VLAN_CFI)
			put(l, "dl_vlan%s=%u,dl_vlan_pcp%s=%u,", n,
			    tci & 0x0fff, n, tci >> 13);
		else
			put(l, "vlan_tci%s=0x%04x,", n, tci);
		if (!tci)
			break;
	}
}

/* The name that stands for dl_type (and nw_proto), or NULL. */
static const char *type_name(__u16 type, __u8 proto, bool *names_proto)
{
	*names_proto = true;
	if (type == FP_ETH_P_IP) {
		switch (proto) {
		case FP_IPPROTO_ICMP:
			return "icmp";
		case FP_IPPROTO_TCP:
			return "tcp";
		case FP_IPPROTO_UDP:
			return "udp";
		case FP_IPPROTO_SCTP:
			return "sctp";
		}
		*names_proto = false;
		return "ip";
	}
	if (type == FP_ETH_P_IPV6) {
		switch (proto) {
		case FP_IPPROTO_ICMPV6:
			return "icmp6";
		case FP_IPPROTO_TCP:
			return "tcp6";
		case FP_IPPROTO_UDP:
			return "udp6";
		case FP_IPPROTO_SCTP:
			return "sctp6";
		}
		*names_proto = false;
		return "ipv6";
	}
	*names_proto = false;
	switch (type) {
	case FP_ETH_P_ARP:
		return "arp";
	case FP_ETH_P_RARP:
		return "rarp";
	case FP_ETH_P_MPLS_UC:
		return "mpls";
	case FP_ETH_P_MPLS_MC:
		return "mplsm";
	}
	return NULL;
}

static void put_mpls(struct fp_line *l, const struct fp_flow_key *key)
{
	__u32 lse = ntohl(key->mpls_lse[0]);
	int i;

	put(l, "mpls_label=%u,mpls_tc=%u,mpls_ttl=%u,mpls_bos=%u,", lse >> 12,
	    (lse >> 9) & 7, lse & 0xff, (lse >> 8) & 1);
	/* Further entries are part of the flow up to the bottom of stack. */
	for (i = 1; i < FP_MAX_MPLS; i++) {
		if (ntohl(key->mpls_lse[i - 1]) & FP_MPLS_BOS)
			break;
		put(l, "mpls_lse%d=%u,", i, ntohl(key->mpls_lse[i]));
	}
}

/* The L4 fields: which ones the flow has, and under which names. */
static void put_l4(struct fp_line *l, const struct fp_flow_key *key,
		   __u16 type)
{
	__u8 proto = key->nw_proto;
	bool icmp_like = proto == FP_IPPROTO_ICMP ||
			 proto == FP_IPPROTO_ICMPV6 ||
			 proto == FP_IPPROTO_IGMP;
	__u16 src, dst;

	if (key->nw_frag == FP_FRAG_LATER)
		return;
	if (!icmp_like && proto != FP_IPPROTO_TCP &&
	    proto != FP_IPPROTO_UDP && proto != FP_IPPROTO_SCTP)
		return;
	src = icmp_like ? key->icmp_type : ntohs(key->tp_src);
	dst = icmp_like ? key->icmp_code : ntohs(key->tp_dst);

	if ((type == FP_ETH_P_IP && proto == FP_IPPROTO_ICMP) ||
	    (type == FP_ETH_P_IPV6 && proto == FP_IPPROTO_ICMPV6)) {
		put(l, "icmp_type=%u,icmp_code=%u,", src, dst);
		if (type == FP_ETH_P_IPV6 && dst == 0 &&
		    (src == FP_ND_NS || src == FP_ND_NA)) {
			put_ip6(l, "nd_target", key->nd_target);
			put_mac(l, "nd_sll", key->l2addr.nd.sll);
			put_mac(l, "nd_tll", key->l2addr.nd.tll);
		}
	} else {
		put(l, "tp_src=%u,tp_dst=%u,", src, dst);
	}
	if (proto == FP_IPPROTO_TCP)
		put_flags(l, "tcp_flags", ntohs(key->tcp_flags),
			  tcp_flag_name);
}

int fp_key_ofctl_format(const struct fp_flow_key *key, char *buf, size_t len)
{
	struct fp_line l = { .buf = buf, .size = len, .len = 0 };
	__u16 type = ntohs(key->eth_type);
	bool ip = type == FP_ETH_P_IP, ip6 = type == FP_ETH_P_IPV6;
	bool arp = type == FP_ETH_P_ARP || type == FP_ETH_P_RARP;
	bool names_proto;
	const char *name = type_name(type, key->nw_proto, &names_proto);

	if (len)
		buf[0] = '\0';
	if (key->recirc_id)
		put(&l, "recirc_id=%#x,", key->recirc_id);
	if (key->dp_hash)
		put(&l, "dp_hash=%#x,", key->dp_hash);
	/* A recirculated packet's flow shows its packet type. */
	if (key->recirc_id)
		put(&l, "eth,");
	if (name)
		put(&l, "%s,", name);
	if (key->tun.flags & FP_TUN_F_PRESENT)
		put_tunnel(&l, &key->tun);
	if (key->in_port == FP_PORT_NONE)
		put(&l, "in_port=ANY,");
	else if (key->in_port)
		put(&l, "in_port=%u,", key->in_port);
	put_vlans(&l, key);
	put_mac(&l, "dl_src", key->eth_src);
	put_mac(&l, "dl_dst", key->eth_dst);
	if (!name)
		put(&l, "dl_type=0x%04x,", type);

	if (ip6) {
		put_ip6(&l, "ipv6_src", key->nw.ipv6.src);
		put_ip6(&l, "ipv6_dst", key->nw.ipv6.dst);
		put(&l, "ipv6_label=0x%05x,", ntohl(key->ipv6_label));
	} else if (arp) {
		put_ip4(&l, "arp_spa", key->nw.ipv4.src);
		put_ip4(&l, "arp_tpa", key->nw.ipv4.dst);
		put(&l, "arp_op=%u,", ntohs(key->arp_op));
		put_mac(&l, "arp_sha", key->l2addr.arp.sha);
		put_mac(&l, "arp_tha", key->l2addr.arp.tha);
	} else if (ip) {
		put_ip4(&l, "nw_src", key->nw.ipv4.src);
		put_ip4(&l, "nw_dst", key->nw.ipv4.dst);
	}
	if (ip || ip6) {
		static const char *const frag[] = { "no", "first", "later" };

		if (!names_proto)
			put(&l, "nw_proto=%u,", key->nw_proto);
		put(&l, "nw_tos=%u,nw_ecn=%u,nw_ttl=%u,", key->nw_tos & 0xfc,
		    key->nw_tos & 0x03, key->nw_ttl);
		put(&l, "nw_frag=%s,",
		    key->nw_frag <= FP_FRAG_LATER ? frag[key->nw_frag] :
						    "<error>");
		put_l4(&l, key, type);
	}
	if (type == FP_ETH_P_MPLS_UC || type == FP_ETH_P_MPLS_MC)
		put_mpls(&l, key);

	/* Every field ends in a comma; the line does not. When the line was
	 * cut short, vsnprintf() has already ended it. */
	if (l.len < l.size)
		buf[l.len - 1] = '\0';
	return (int)l.len - 1;
}
