// SPDX-License-Identifier: GPL-2.0
/*
 * Rules as ovs-ofctl prints them. The match follows OVS's match_format():
 * priority unless the default, the protocol shorthand that stands for
 * dl_type and nw_proto, then tunnel, in_port, VLAN, Ethernet, L3, L4
 * fields in that order; a mask only when the field is not exact, as a
 * prefix length where it is one. Actions print as they were written,
 * in ovs-ofctl's spelling (IN_PORT, NORMAL, strip_vlan for pop_vlan).
 */
#include <arpa/inet.h>
#include <endian.h>
#include <string.h>

#include "ofrule_int.h"
#include "proto.h"

static bool all_ones(const __u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0xff)
			return false;
	return true;
}

static bool all_zero(const __u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Prefix length of mask @m, or -1 if it is not a prefix. */
static int prefix_len(const __u8 *m, size_t n)
{
	size_t i;
	int len = 0;

	for (i = 0; i < n && m[i] == 0xff; i++)
		len += 8;
	if (i == n)
		return len;
	switch (m[i]) {
	case 0x00: break;
	case 0x80: len += 1; break;
	case 0xc0: len += 2; break;
	case 0xe0: len += 3; break;
	case 0xf0: len += 4; break;
	case 0xf8: len += 5; break;
	case 0xfc: len += 6; break;
	case 0xfe: len += 7; break;
	default: return -1;
	}
	return all_zero(m + i + 1, n - i - 1) ? len : -1;
}

static const struct fp_field *field(const char *name)
{
	return fp_field_find(name, strlen(name));
}

/* NAME=VALUE[/MASK], if the mask has any bit. */
static void put_field(struct fp_odp_out *o, const char *name,
		      const struct fp_flow_key *key,
		      const struct fp_flow_key *mask)
{
	const struct fp_field *f = field(name);
	const __u8 *m = (const __u8 *)mask + f->off;
	const __u8 *v = (const __u8 *)key + f->off;
	int plen;

	if (all_zero(m, f->size))
		return;
	fp_odp_printf(o, "%s=", name);
	if (all_ones(m, f->size)) {
		fp_field_put_value(o, f, key);
	} else {
		switch (f->kind) {
		case FK_MAC:
			fp_odp_put_mac(o, v);
			fp_odp_printf(o, "/");
			fp_odp_put_mac(o, m);
			break;
		case FK_IPV4:
		case FK_IPV6:
			fp_field_put_value(o, f, key);
			plen = prefix_len(m, f->size);
			if (plen >= 0)
				fp_odp_printf(o, "/%d", plen);
			else if (f->kind == FK_IPV4)
				fp_odp_printf(o, "/"), fp_odp_put_ipv4(o, m);
			else
				fp_odp_printf(o, "/"), fp_odp_put_ipv6(o, m);
			break;
		case FK_BE64: {
			__u64 x, y;

			memcpy(&x, v, 8);
			memcpy(&y, m, 8);
			fp_odp_printf(o, "0x%llx/0x%llx",
				      (unsigned long long)be64toh(x),
				      (unsigned long long)be64toh(y));
			break;
		}
		default: { /* 16-bit: ports */
			__u16 x, y;

			memcpy(&x, v, 2);
			memcpy(&y, m, 2);
			fp_odp_printf(o, "0x%x/0x%x", ntohs(x), ntohs(y));
		}
		}
	}
	fp_odp_printf(o, ",");
}

/* As OVS prints them: names for every bit, the reserved ones "[200]"
 * and up, which the parser takes back. */
static void put_tcp_flags(struct fp_odp_out *o, __u16 flags, __u16 mask)
{
	bool first = true;
	unsigned int i;

	fp_odp_printf(o, "tcp_flags=");
	if (mask == 0x0fff) {
		if (!flags)
			fp_odp_printf(o, "0");
		for (i = 0; i < FP_TCP_FLAG_BITS; i++) {
			if (!(flags & (1u << i)))
				continue;
			fp_odp_printf(o, "%s%s", first ? "" : "|",
				      fp_tcp_flag_names[i]);
			first = false;
		}
	} else {
		for (i = 0; i < FP_TCP_FLAG_BITS; i++)
			if (mask & (1u << i))
				fp_odp_printf(o, "%c%s",
					      flags & (1u << i) ? '+' : '-',
					      fp_tcp_flag_names[i]);
	}
	fp_odp_printf(o, ",");
}

static void put_vlan(struct fp_odp_out *o, __u16 tci, __u16 mask)
{
	__u16 vid_mask = mask & 0x0fff, pcp_mask = mask & 0xe000;

	if (!mask)
		return;
	if ((mask & 0x1000) && (tci & 0x1000) &&
	    (!vid_mask || vid_mask == 0x0fff) &&
	    (!pcp_mask || pcp_mask == 0xe000) && (vid_mask || pcp_mask)) {
		if (vid_mask)
			fp_odp_printf(o, "dl_vlan=%u,", tci & 0xfff);
		if (pcp_mask)
			fp_odp_printf(o, "dl_vlan_pcp=%u,", tci >> 13);
	} else if (mask == 0xffff) {
		fp_odp_printf(o, "vlan_tci=0x%04x,", tci);
	} else {
		fp_odp_printf(o, "vlan_tci=0x%04x/0x%04x,", tci, mask);
	}
}

static void format_match(struct fp_odp_out *o, const struct fp_rule *r)
{
	const struct fp_flow_key *k = &r->key, *m = &r->mask;
	int type = m->eth_type == 0xffff ? ntohs(k->eth_type) : -1;
	int proto = m->nw_proto == 0xff ? k->nw_proto : -1;
	bool skip_type = false, skip_proto = false;
	bool ip = type == FP_ETH_P_IP, ip6 = type == FP_ETH_P_IPV6;
	bool arp = type == FP_ETH_P_ARP || type == FP_ETH_P_RARP;
	size_t start = o->len;

	if (r->priority != FP_RULE_PRIORITY_DEFAULT)
		fp_odp_printf(o, "priority=%u,", r->priority);
	if (ip || ip6) {
		static const struct {
			int proto;
			const char *v4, *v6;
		} names[] = {
			{ FP_IPPROTO_ICMP, "icmp", NULL },
			{ FP_IPPROTO_IGMP, "igmp", NULL },
			{ FP_IPPROTO_TCP, "tcp", "tcp6" },
			{ FP_IPPROTO_UDP, "udp", "udp6" },
			{ FP_IPPROTO_SCTP, "sctp", "sctp6" },
			{ FP_IPPROTO_ICMPV6, NULL, "icmp6" },
		};
		const char *name = ip ? "ip" : "ipv6";
		unsigned int i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const char *n = ip ? names[i].v4 : names[i].v6;

			if (n && proto == names[i].proto) {
				name = n;
				skip_proto = true;
			}
		}
		fp_odp_printf(o, "%s,", name);
		skip_type = true;
	} else if (arp) {
		fp_odp_printf(o, "%s,", type == FP_ETH_P_ARP ? "arp" : "rarp");
		skip_type = true;
	}
	put_field(o, "tun_id", k, m);
	put_field(o, "tun_src", k, m);
	put_field(o, "tun_dst", k, m);
	put_field(o, "in_port", k, m);
	put_vlan(o, ntohs(k->vlan[0].tci), ntohs(m->vlan[0].tci));
	put_field(o, "dl_src", k, m);
	put_field(o, "dl_dst", k, m);
	if (!skip_type)
		put_field(o, "dl_type", k, m);
	if (ip6) {
		put_field(o, "ipv6_src", k, m);
		put_field(o, "ipv6_dst", k, m);
	} else if (arp) {
		put_field(o, "arp_spa", k, m);
		put_field(o, "arp_tpa", k, m);
	} else {
		put_field(o, "nw_src", k, m);
		put_field(o, "nw_dst", k, m);
	}
	if (arp) {
		put_field(o, "arp_op", k, m);
		put_field(o, "arp_sha", k, m);
		put_field(o, "arp_tha", k, m);
	} else if (!skip_proto) {
		put_field(o, "nw_proto", k, m);
	}
	if (m->nw_tos & 0xfc)
		fp_odp_printf(o, "nw_tos=%u,", k->nw_tos & 0xfc);
	if (m->nw_tos & 0x03)
		fp_odp_printf(o, "nw_ecn=%u,", k->nw_tos & 0x03);
	put_field(o, "nw_ttl", k, m);
	if ((ip && proto == FP_IPPROTO_ICMP) ||
	    (ip6 && proto == FP_IPPROTO_ICMPV6)) {
		put_field(o, "icmp_type", k, m);
		put_field(o, "icmp_code", k, m);
	} else {
		put_field(o, "tp_src", k, m);
		put_field(o, "tp_dst", k, m);
	}
	if (m->tcp_flags)
		put_tcp_flags(o, ntohs(k->tcp_flags), ntohs(m->tcp_flags));
	/* Drop the last ",". */
	if (o->len > start) {
		o->len--;
		if (o->len < o->size)
			o->buf[o->len] = '\0';
	}
}

int fp_rule_format_match(const struct fp_rule *r, char *buf, size_t len)
{
	struct fp_odp_out o;

	fp_odp_out_init(&o, buf, len);
	format_match(&o, r);
	return fp_odp_out_len(&o);
}

void fp_ofactions_format(struct fp_odp_out *o, const struct fp_rule *r)
{
	unsigned int i;

	if (!r->n_acts)
		fp_odp_printf(o, "drop");
	for (i = 0; i < r->n_acts; i++) {
		const struct fp_ofaction *a = &r->acts[i];

		if (i)
			fp_odp_printf(o, ",");
		switch (a->type) {
		case OFA_OUTPUT:
			fp_odp_printf(o, "output:%llu",
				      (unsigned long long)a->num);
			break;
		case OFA_IN_PORT:
			fp_odp_printf(o, "IN_PORT");
			break;
		case OFA_NORMAL:
			fp_odp_printf(o, "NORMAL");
			break;
		case OFA_FLOOD:
			fp_odp_printf(o, "FLOOD");
			break;
		case OFA_ALL:
			fp_odp_printf(o, "ALL");
			break;
		case OFA_MOD_VLAN_VID:
			fp_odp_printf(o, "mod_vlan_vid:%llu",
				      (unsigned long long)a->num);
			break;
		case OFA_MOD_VLAN_PCP:
			fp_odp_printf(o, "mod_vlan_pcp:%llu",
				      (unsigned long long)a->num);
			break;
		case OFA_STRIP_VLAN:
			fp_odp_printf(o, "strip_vlan");
			break;
		case OFA_PUSH_VLAN:
			fp_odp_printf(o, "push_vlan:0x%04llx",
				      (unsigned long long)a->num);
			break;
		case OFA_DEC_TTL:
			fp_odp_printf(o, "dec_ttl");
			break;
		case OFA_SET_TUNNEL:
			fp_odp_printf(o, "%s:0x%llx",
				      a->flags & OFA_F_TUN64 ? "set_tunnel64" :
							       "set_tunnel",
				      (unsigned long long)a->num);
			break;
		case OFA_SET_FIELD:
			if (a->mod_name) {
				fp_odp_printf(o, "%s:", a->mod_name);
				fp_field_put_value(o, a->field, &a->val);
			} else {
				fp_odp_printf(o, "set_field:");
				fp_field_put_value(o, a->field, &a->val);
				fp_odp_printf(o, "->%s", a->field->setname);
			}
			break;
		}
	}
}

int fp_rule_format_actions(const struct fp_rule *r, char *buf, size_t len)
{
	struct fp_odp_out o;

	fp_odp_out_init(&o, buf, len);
	fp_ofactions_format(&o, r);
	return fp_odp_out_len(&o);
}

int fp_rule_format(const struct fp_rule *r, char *buf, size_t len)
{
	struct fp_odp_out o;
	size_t before;

	fp_odp_out_init(&o, buf, len);
	fp_odp_printf(&o, " n_packets=%llu, n_bytes=%llu, ",
		      (unsigned long long)r->n_packets,
		      (unsigned long long)r->n_bytes);
	before = o.len;
	format_match(&o, r);
	if (o.len > before)
		fp_odp_printf(&o, " ");
	fp_odp_printf(&o, "actions=");
	fp_ofactions_format(&o, r);
	return fp_odp_out_len(&o);
}
