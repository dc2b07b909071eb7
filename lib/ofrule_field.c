// SPDX-License-Identifier: GPL-2.0
/*
 * The match fields of rules in ovs-ofctl syntax: their names (OVS's, and
 * the OXM names set_field uses), where their bits live in struct
 * fp_flow_key, how their values are written, and their OpenFlow
 * prerequisites.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "ofrule_int.h"
#include "proto.h"

#define OFF(field) offsetof(struct fp_flow_key, field)
#define SZ(field) sizeof(((struct fp_flow_key *)0)->field)
#define F(n, sn, al, k, pr, m, field)                                    \
	{ .name = n, .setname = sn, .alias = al, .kind = k, .prereq = pr, \
	  .size = SZ(field), .maskable = m, .off = OFF(field) }

const struct fp_field fp_fields[] = {
	F("in_port", "in_port", NULL, FK_U32, PR_NONE, false, in_port),
	F("dl_src", "eth_src", NULL, FK_MAC, PR_NONE, true, eth_src),
	F("dl_dst", "eth_dst", NULL, FK_MAC, PR_NONE, true, eth_dst),
	F("dl_vlan", "vlan_vid", NULL, FK_VID, PR_NONE, false, vlan[0].tci),
	F("dl_vlan_pcp", "vlan_pcp", NULL, FK_PCP, PR_NONE, false,
	  vlan[0].tci),
	F("vlan_tci", "vlan_tci", NULL, FK_TCI, PR_NONE, true, vlan[0].tci),
	F("dl_type", "eth_type", NULL, FK_BE16, PR_NONE, false, eth_type),
	F("nw_src", "ip_src", NULL, FK_IPV4, PR_IP_ARP, true, nw.ipv4.src),
	F("nw_dst", "ip_dst", NULL, FK_IPV4, PR_IP_ARP, true, nw.ipv4.dst),
	F("nw_proto", "ip_proto", NULL, FK_U8, PR_IP_ANY_ARP, false,
	  nw_proto),
	F("nw_tos", "nw_tos", NULL, FK_TOS, PR_IP_ANY, false, nw_tos),
	F("nw_ecn", "ip_ecn", NULL, FK_ECN, PR_IP_ANY, false, nw_tos),
	F("nw_ttl", "nw_ttl", NULL, FK_U8, PR_IP_ANY, false, nw_ttl),
	F("tp_src", "tp_src", NULL, FK_BE16, PR_L4, true, tp_src),
	F("tp_dst", "tp_dst", NULL, FK_BE16, PR_L4, true, tp_dst),
	F("tcp_src", "tcp_src", NULL, FK_BE16, PR_TCP, true, tp_src),
	F("tcp_dst", "tcp_dst", NULL, FK_BE16, PR_TCP, true, tp_dst),
	F("udp_src", "udp_src", NULL, FK_BE16, PR_UDP, true, tp_src),
	F("udp_dst", "udp_dst", NULL, FK_BE16, PR_UDP, true, tp_dst),
	F("sctp_src", "sctp_src", NULL, FK_BE16, PR_SCTP, true, tp_src),
	F("sctp_dst", "sctp_dst", NULL, FK_BE16, PR_SCTP, true, tp_dst),
	F("arp_spa", "arp_spa", NULL, FK_IPV4, PR_ARP, true, nw.ipv4.src),
	F("arp_tpa", "arp_tpa", NULL, FK_IPV4, PR_ARP, true, nw.ipv4.dst),
	F("arp_sha", "arp_sha", NULL, FK_MAC, PR_ARP, true, l2addr.arp.sha),
	F("arp_tha", "arp_tha", NULL, FK_MAC, PR_ARP, true, l2addr.arp.tha),
	F("arp_op", "arp_op", NULL, FK_BE16, PR_ARP, false, arp_op),
	F("ipv6_src", "ipv6_src", NULL, FK_IPV6, PR_IPV6, true, nw.ipv6.src),
	F("ipv6_dst", "ipv6_dst", NULL, FK_IPV6, PR_IPV6, true, nw.ipv6.dst),
	/* OVS takes (and prints) icmp_type for ICMPv6 too. */
	F("icmp_type", "icmp_type", "icmpv4_type", FK_U8, PR_ICMP_ANY, false,
	  icmp_type),
	F("icmp_code", "icmp_code", "icmpv4_code", FK_U8, PR_ICMP_ANY, false,
	  icmp_code),
	F("icmpv6_type", "icmpv6_type", NULL, FK_U8, PR_ICMP6, false,
	  icmp_type),
	F("icmpv6_code", "icmpv6_code", NULL, FK_U8, PR_ICMP6, false,
	  icmp_code),
	F("tcp_flags", "tcp_flags", NULL, FK_TCP_FLAGS, PR_TCP, true,
	  tcp_flags),
	F("tun_id", "tun_id", "tunnel_id", FK_BE64, PR_NONE, true, tun.tun_id),
	F("tun_src", "tun_src", NULL, FK_IPV4, PR_NONE, true,
	  tun.outer.ipv4.src),
	F("tun_dst", "tun_dst", NULL, FK_IPV4, PR_NONE, true,
	  tun.outer.ipv4.dst),
};

const unsigned int fp_n_fields = sizeof(fp_fields) / sizeof(fp_fields[0]);

static bool name_is(const char *name, const char *s, size_t len)
{
	return name && strlen(name) == len && !strncasecmp(name, s, len);
}

const struct fp_field *fp_field_find(const char *s, size_t len)
{
	unsigned int i;

	for (i = 0; i < fp_n_fields; i++) {
		const struct fp_field *f = &fp_fields[i];

		if (name_is(f->name, s, len) || name_is(f->setname, s, len) ||
		    name_is(f->alias, s, len))
			return f;
	}
	return NULL;
}

/* ovs-ofctl's names of the TCP flag bits, lowest first: the three
 * reserved bits have no name but these, which OVS prints and parses. */
const char *const fp_tcp_flag_names[FP_TCP_FLAG_BITS] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
	"[200]", "[400]", "[800]",
};

#define TCP_FLAGS_ALL 0x0fff

static int tcp_flag_bit(const char *s, size_t len)
{
	unsigned int i;

	for (i = 0; i < FP_TCP_FLAG_BITS; i++)
		if (name_is(fp_tcp_flag_names[i], s, len))
			return 1 << i;
	return 0;
}

/* "+syn-ack" (masked) or "syn|ack" (exact). */
static int parse_tcp_flag_names(struct fp_odp_in *in, const char *s,
				size_t len, __u64 *val, __u64 *mask)
{
	char q[FP_ODP_QUOTE_LEN], q2[FP_ODP_QUOTE_LEN];
	bool masked = s[0] == '+' || s[0] == '-';
	size_t i = 0;

	*val = 0;
	*mask = masked ? 0 : TCP_FLAGS_ALL;
	while (i < len) {
		bool set = true;
		size_t j;
		int bit;

		if (masked) {
			if (s[i] != '+' && s[i] != '-')
				return fp_odp_error(
					in, "tcp_flags '%s': expected +FLAG or -FLAG at '%s'",
					fp_odp_quote(q, s, len),
					fp_odp_quote(q2, s + i, len - i));
			set = s[i++] == '+';
		}
		for (j = i; j < len && s[j] != '+' && s[j] != '-' && s[j] != '|';
		     j++)
			;
		bit = tcp_flag_bit(s + i, j - i);
		if (!bit)
			return fp_odp_error(
				in, "tcp_flags '%s': unknown flag '%s' (expected fin, syn, rst, psh, ack, urg, ece, cwr, ns, [200], [400] or [800])",
				fp_odp_quote(q, s, len),
				fp_odp_quote(q2, s + i, j - i));
		if (masked && (*mask & bit))
			return fp_odp_error(in, "tcp_flags '%s': flag '%s' given twice",
					    fp_odp_quote(q, s, len),
					    fp_odp_quote(q2, s + i, j - i));
		if (set)
			*val |= bit;
		*mask |= bit;
		i = j;
		if (!masked && i < len && s[i] == '|' && ++i == len)
			return fp_odp_error(in, "tcp_flags '%s': a flag name must follow '|'",
					    fp_odp_quote(q, s, len));
		if (!masked && i < len && s[i] != '|' && s[i - 1] != '|')
			return fp_odp_error(in, "tcp_flags '%s': flags are joined by '|'",
					    fp_odp_quote(q, s, len));
	}
	return 0;
}

static int prefix_mask(__u8 *m, size_t n, __u64 bits)
{
	size_t i;

	if (bits > n * 8)
		return -ERANGE;
	memset(m, 0, n);
	for (i = 0; i < bits; i++)
		m[i / 8] |= 0x80 >> (i % 8);
	return 0;
}

static bool all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return len > 0;
}

static __u64 kind_max(unsigned int kind, size_t size)
{
	switch (kind) {
	case FK_VID:
		return 0xffff; /* 0..4095, or 0xffff: no tag */
	case FK_PCP:
		return 7;
	case FK_ECN:
		return 3;
	case FK_TCP_FLAGS:
		return TCP_FLAGS_ALL;
	default:
		return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
	}
}

/* A number that must fit the field. */
static int scan_num(struct fp_odp_in *in, const struct fp_field *f,
		    const char *what, const char *s, size_t len, __u64 *v)
{
	char q[FP_ODP_QUOTE_LEN];
	int err = fp_odp_scan_u64(s, len, v);

	if (err == -EINVAL)
		return fp_odp_error(in, "%s '%s' of %s: " FP_ODP_EXPECT_NUM,
				    what, fp_odp_quote(q, s, len), f->name);
	if (err || *v > kind_max(f->kind, f->size))
		return fp_odp_error(in, "%s '%s' of %s: out of range (at most %llu)",
				    what, fp_odp_quote(q, s, len), f->name,
				    (unsigned long long)kind_max(f->kind, f->size));
	return 0;
}

static void put_num(__u8 *p, unsigned int kind, size_t size, __u64 v)
{
	__u16 x16 = htons((__u16)v);
	__u64 x64 = htobe64(v);
	__u32 x32 = (__u32)v;

	if (kind == FK_BE64)
		memcpy(p, &x64, 8);
	else if (size == 4)
		memcpy(p, &x32, 4);
	else if (size == 2)
		memcpy(p, &x16, 2);
	else
		*p = (__u8)v;
}

static __u64 get_num(const __u8 *p, unsigned int kind, size_t size)
{
	__u16 x16;
	__u32 x32;
	__u64 x64;

	if (kind == FK_BE64) {
		memcpy(&x64, p, 8);
		return be64toh(x64);
	}
	if (size == 4) {
		memcpy(&x32, p, 4);
		return x32;
	}
	if (size == 2) {
		memcpy(&x16, p, 2);
		return ntohs(x16);
	}
	return *p;
}

/* An address value or mask; masks may be a prefix length. */
static int scan_addr(struct fp_odp_in *in, const struct fp_field *f,
		     const char *s, size_t len, __u8 *out, bool is_mask)
{
	const char *what = is_mask ? "mask" : "value";
	char q[FP_ODP_QUOTE_LEN];
	__u64 bits;
	int err;

	if (is_mask && f->kind != FK_MAC && all_digits(s, len)) {
		if (fp_odp_scan_u64(s, len, &bits) ||
		    prefix_mask(out, f->size, bits))
			return fp_odp_error(in, "prefix length '%s' of %s: out of range (at most %u)",
					    fp_odp_quote(q, s, len), f->name,
					    f->size * 8);
		return 0;
	}
	switch (f->kind) {
	case FK_MAC:
		err = fp_odp_scan_mac(s, len, out);
		if (err)
			return fp_odp_error(in, "%s '%s' of %s: " FP_ODP_EXPECT_MAC,
					    what, fp_odp_quote(q, s, len), f->name);
		break;
	case FK_IPV4:
		err = fp_odp_scan_ipv4(s, len, out);
		if (err)
			return fp_odp_error(in, "%s '%s' of %s: " FP_ODP_EXPECT_IPV4,
					    what, fp_odp_quote(q, s, len), f->name);
		break;
	default:
		err = fp_odp_scan_ipv6(s, len, out);
		if (err)
			return fp_odp_error(in, "%s '%s' of %s: " FP_ODP_EXPECT_IPV6,
					    what, fp_odp_quote(q, s, len), f->name);
	}
	return 0;
}

int fp_field_parse(struct fp_odp_in *in, const struct fp_field *f,
		   const char *s, size_t len, struct fp_flow_key *key,
		   struct fp_flow_key *mask)
{
	__u8 *kp = (__u8 *)key + f->off, *mp = (__u8 *)mask + f->off;
	const char *slash = memchr(s, '/', len);
	size_t vlen = slash ? (size_t)(slash - s) : len;
	char q[FP_ODP_QUOTE_LEN];
	__u64 v = 0, m = 0;
	unsigned int i;
	int err;

	if (!len)
		return fp_odp_error(in, "%s needs a value", f->name);
	if (slash && !f->maskable)
		return fp_odp_error(in, "'%s': %s cannot be masked",
				    fp_odp_quote(q, s, len), f->name);
	if (slash && slash + 1 == s + len)
		return fp_odp_error(in, "'%s': a mask must follow '/' in %s",
				    fp_odp_quote(q, s, len), f->name);

	switch (f->kind) {
	case FK_MAC:
	case FK_IPV4:
	case FK_IPV6:
		err = scan_addr(in, f, s, vlen, kp, false);
		if (err)
			return err;
		if (slash) {
			err = scan_addr(in, f, slash + 1, len - vlen - 1, mp, true);
			if (err)
				return err;
		} else {
			memset(mp, 0xff, f->size);
		}
		for (i = 0; i < f->size; i++)
			kp[i] &= mp[i];
		return 0;
	case FK_TCP_FLAGS:
		if (s[0] == '+' || s[0] == '-' || s[0] == '[' ||
		    (s[0] >= 'a' && s[0] <= 'z') ||
		    (s[0] >= 'A' && s[0] <= 'Z')) {
			err = parse_tcp_flag_names(in, s, len, &v,
						   &m);
			if (err)
				return err;
			break;
		}
		__attribute__((fallthrough)); /* a number */
	default:
		err = scan_num(in, f, "value", s, vlen, &v);
		if (err)
			return err;
		m = kind_max(f->kind, f->size);
		if (f->kind == FK_TCP_FLAGS)
			m = TCP_FLAGS_ALL;
		if (slash) {
			err = scan_num(in, f, "mask", slash + 1, len - vlen - 1,
				       &m);
			if (err)
				return err;
		}
	}

	switch (f->kind) {
	case FK_VID:
		if (v == 0xffff) { /* OFP10_VLAN_NONE: no tag at all */
			put_num(kp, FK_BE16, 2, 0);
			put_num(mp, FK_BE16, 2, 0xffff);
			return 0;
		}
		if (v > 0xfff)
			return fp_odp_error(in, "dl_vlan '%s': expected a VID 0 to 4095, or 0xffff for no tag",
					    fp_odp_quote(q, s, len));
		put_num(kp, FK_BE16, 2, 0x1000 | v);
		put_num(mp, FK_BE16, 2, 0x1fff);
		return 0;
	case FK_PCP:
		put_num(kp, FK_BE16, 2, 0x1000 | v << 13);
		put_num(mp, FK_BE16, 2, 0xf000);
		return 0;
	case FK_TOS:
		if (v & 3)
			return fp_odp_error(in, "nw_tos '%s': the low two bits (ECN) must be 0; use nw_ecn",
					    fp_odp_quote(q, s, len));
		*kp = (__u8)v;
		*mp = 0xfc;
		return 0;
	case FK_ECN:
		*kp = (__u8)v;
		*mp = 0x03;
		return 0;
	default:
		put_num(kp, f->kind, f->size, v & m);
		put_num(mp, f->kind, f->size, m);
		return 0;
	}
}

void fp_field_put_value(struct fp_odp_out *o, const struct fp_field *f,
			const struct fp_flow_key *key)
{
	const __u8 *p = (const __u8 *)key + f->off;
	__u64 v = get_num(p, f->kind, f->size);

	switch (f->kind) {
	case FK_MAC:
		fp_odp_put_mac(o, p);
		break;
	case FK_IPV4:
		fp_odp_put_ipv4(o, p);
		break;
	case FK_IPV6:
		fp_odp_put_ipv6(o, p);
		break;
	case FK_BE64:
		fp_odp_printf(o, "0x%llx", (unsigned long long)v);
		break;
	case FK_VID:
		fp_odp_printf(o, "%llu", (unsigned long long)(v & 0xfff));
		break;
	case FK_PCP:
		fp_odp_printf(o, "%llu", (unsigned long long)(v >> 13));
		break;
	case FK_TCI:
		fp_odp_printf(o, "0x%04llx", (unsigned long long)v);
		break;
	case FK_TCP_FLAGS:
		fp_odp_printf(o, "0x%03llx", (unsigned long long)v);
		break;
	case FK_TOS:
		fp_odp_printf(o, "%llu", (unsigned long long)(v & 0xfc));
		break;
	case FK_ECN:
		fp_odp_printf(o, "%llu", (unsigned long long)(v & 3));
		break;
	case FK_BE16:
		/* An ethertype reads best in hex, as OVS prints it. */
		fp_odp_printf(o, f->off == offsetof(struct fp_flow_key, eth_type) ?
					 "0x%04llx" :
					 "%llu",
			      (unsigned long long)v);
		break;
	default:
		fp_odp_printf(o, "%llu", (unsigned long long)v);
	}
}

/* The value of a key field the match pins down exactly, or -1. */
static int exact_type(const struct fp_flow_key *key,
		      const struct fp_flow_key *mask)
{
	if (mask && mask->eth_type != 0xffff)
		return -1;
	return ntohs(key->eth_type);
}

static int exact_proto(const struct fp_flow_key *key,
		       const struct fp_flow_key *mask)
{
	if (mask && mask->nw_proto != 0xff)
		return -1;
	return key->nw_proto;
}

bool fp_prereq_ok(unsigned int pr, const struct fp_flow_key *key,
		  const struct fp_flow_key *mask)
{
	int type = exact_type(key, mask), proto;
	bool ip = type == FP_ETH_P_IP, ip6 = type == FP_ETH_P_IPV6;
	bool arp = type == FP_ETH_P_ARP || type == FP_ETH_P_RARP;

	switch (pr) {
	case PR_NONE:
		return true;
	case PR_IP:
		return ip;
	case PR_IPV6:
		return ip6;
	case PR_IP_ANY:
		return ip || ip6;
	case PR_ARP:
		return arp;
	case PR_IP_ARP:
		return ip || arp;
	case PR_IP_ANY_ARP:
		return ip || ip6 || arp;
	case PR_VLAN:
		if (mask && !(ntohs(mask->vlan[0].tci) & 0x1000))
			return false;
		return ntohs(key->vlan[0].tci) & 0x1000;
	}
	if (!ip && !ip6)
		return false;
	proto = exact_proto(key, mask);
	switch (pr) {
	case PR_L4:
		return proto == FP_IPPROTO_TCP || proto == FP_IPPROTO_UDP ||
		       proto == FP_IPPROTO_SCTP;
	case PR_TCP:
		return proto == FP_IPPROTO_TCP;
	case PR_UDP:
		return proto == FP_IPPROTO_UDP;
	case PR_SCTP:
		return proto == FP_IPPROTO_SCTP;
	case PR_ICMP:
		return ip && proto == FP_IPPROTO_ICMP;
	case PR_ICMP6:
		return ip6 && proto == FP_IPPROTO_ICMPV6;
	case PR_ICMP_ANY:
		return (ip && proto == FP_IPPROTO_ICMP) ||
		       (ip6 && proto == FP_IPPROTO_ICMPV6);
	}
	return false;
}

const char *fp_prereq_name(unsigned int pr)
{
	static const char *const names[] = {
		[PR_NONE] = "nothing",
		[PR_IP] = "ip",
		[PR_IPV6] = "ipv6",
		[PR_IP_ANY] = "ip or ipv6",
		[PR_ARP] = "arp or rarp",
		[PR_IP_ARP] = "ip, arp or rarp",
		[PR_IP_ANY_ARP] = "ip, ipv6, arp or rarp",
		[PR_L4] = "tcp, udp or sctp (or tcp6, udp6, sctp6)",
		[PR_TCP] = "tcp or tcp6",
		[PR_UDP] = "udp or udp6",
		[PR_SCTP] = "sctp or sctp6",
		[PR_ICMP] = "icmp",
		[PR_ICMP6] = "icmp6",
		[PR_ICMP_ANY] = "icmp or icmp6",
		[PR_VLAN] = "a VLAN tag (dl_vlan, vlan_tci with 0x1000, or an earlier push_vlan)",
	};

	return pr < sizeof(names) / sizeof(names[0]) ? names[pr] : "?";
}
