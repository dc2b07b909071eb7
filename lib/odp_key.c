// SPDX-License-Identifier: GPL-2.0
/*
 * Flow keys in ovs-dpctl syntax. One table describes every attribute and
 * field: its name, where it lives in struct fp_flow_key and how its value
 * is written. The parser and the printer both walk that table, so they
 * cannot disagree about a field; what is special (VLAN nesting, the
 * ethertype, which attributes a packet's protocols imply) is code around it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "odp.h"
#include "odp_text.h"
#include "ports.h"
#include "proto.h"

enum odp_kind {
	K_NUM, /* an integer, possibly a bit field of its storage */
	K_FRAG, /* enum fp_frag as no / first / later */
	K_FLAGS, /* bits by name: "syn|ack" */
	K_MAC,
	K_IPV4,
	K_IPV6,
	K_GROUP, /* nested fields: tunnel(erspan(...)) */
};

/* How a number is printed, after the OVS formatter of that field. */
enum odp_fmt {
	FMT_DEC, /* 64 */
	FMT_HEX, /* %#x: 0, 0x10 */
	FMT_0X, /* 0x0, 0x10 */
	FMT_0X4, /* 0x0800 */
};

struct odp_flag {
	__u32 bit;
	const char *name;
};

struct odp_flag_set {
	const struct odp_flag *names; /* ends with a NULL name; print order */
	__u32 hidden; /* bits other fields imply: never printed or parsed */
};

struct odp_attr;

struct odp_field {
	const char *name; /* NULL: the attribute's only value, no "name=" */
	__u8 kind; /* enum odp_kind */
	__u8 size; /* bytes of storage: K_NUM, K_FRAG, K_FLAGS */
	__u8 net; /* the storage is big-endian */
	__u8 fmt; /* enum odp_fmt */
	__u8 shift, bits; /* K_NUM: bits [shift, shift + bits); 0: all */
	__u16 off; /* from the attribute's element base */
	__u16 tun_flags; /* set in tun.flags when the field is given */
	__u64 min, max; /* K_NUM: what parses; max 0: whatever fits */
	/* NULL: always printed. Else printed only when this says so. */
	bool (*shown)(const struct fp_flow_key *key, const __u8 *base);
	const struct odp_flag_set *flags; /* K_FLAGS */
	const struct odp_attr *group; /* K_GROUP: fields based like ours */
};

/* Attribute ids: also the order in which they are printed. */
enum odp_attr_id {
	A_RECIRC_ID,
	A_DP_HASH,
	A_TUNNEL,
	A_IN_PORT,
	A_ETH,
	A_ETH_TYPE,
	A_VLAN,
	A_ENCAP,
	A_IPV4,
	A_IPV6,
	A_ARP,
	A_MPLS,
	A_TCP,
	A_TCP_FLAGS,
	A_UDP,
	A_SCTP,
	A_ICMP,
	A_ICMPV6,
	A_IGMP,
	A_ND,
	A_COUNT,
	A_ERSPAN = A_COUNT, /* only inside tunnel(...) */
};

enum odp_attr_flags {
	ODP_TOP = 1 << 0, /* metadata and eth(): not inside encap(...) */
	ODP_INNER = 1 << 1, /* L2.5 to L4: in the innermost encap(...) */
	ODP_LEVEL = 1 << 2, /* once per encap level: eth_type, vlan, encap */
	ODP_ARRAY = 1 << 3, /* a repeated field starts the next element */
	ODP_NONZERO = 1 << 4, /* printed only when some field is not zero */
};

struct odp_parse;

struct odp_attr {
	const char *name;
	__u8 id; /* enum odp_attr_id */
	__u8 flags; /* enum odp_attr_flags */
	__u8 n_fields;
	__u8 count; /* elements: ODP_ARRAY (mpls), vlan */
	__u16 base; /* offset of element 0 in the key */
	__u16 stride; /* bytes between elements */
	const struct odp_field *fields;
	/* ODP_INNER: NULL if the key's protocols call for this attribute,
	 * else what they would have to be. */
	const char *(*needs)(const struct fp_flow_key *key);
	/* Before the fields are parsed: defaults that are not zero. */
	void (*init)(struct fp_flow_key *key, __u8 *elem);
	/* After: rules between fields. @given has bit i for fields[i]. */
	int (*check)(struct odp_parse *p, const struct odp_attr *a,
		     __u32 given);
};

struct odp_parse {
	struct fp_odp_in in;
	struct fp_flow_key *key;
	struct fp_flow_key *mask; /* NULL, or gets the bits of each field given */
	__u32 given; /* attributes seen, bit per id, except ODP_LEVEL ones */
	__u8 level_of[A_COUNT]; /* encap depth each was seen at */
	struct {
		__u8 given; /* bit per LV_* */
		__be16 eth_type;
	} lv[FP_MAX_VLAN + 1];
};

enum { LV_ETH_TYPE = 1, LV_VLAN = 2, LV_ENCAP = 4 };

#define KOFF(m) offsetof(struct fp_flow_key, m)
#define KSZ(m) sizeof(((struct fp_flow_key *)0)->m)

#define F_NUM(nm, m, net_, fmt_, ...)                                      \
	{ .name = nm, .kind = K_NUM, .size = KSZ(m), .net = net_,          \
	  .fmt = fmt_, .off = KOFF(m), __VA_ARGS__ }
#define F_BITS(nm, off_, size_, shift_, bits_, ...)                        \
	{ .name = nm, .kind = K_NUM, .size = size_, .net = 1,              \
	  .fmt = FMT_DEC, .off = off_, .shift = shift_, .bits = bits_,     \
	  __VA_ARGS__ }
#define F_ADDR(nm, kind_, m, ...) \
	{ .name = nm, .kind = kind_, .off = KOFF(m), __VA_ARGS__ }
#define F_FRAG(nm, m) \
	{ .name = nm, .kind = K_FRAG, .size = KSZ(m), .off = KOFF(m) }
#define F_FLAGS(nm, m, net_, set_, ...)                                    \
	{ .name = nm, .kind = K_FLAGS, .size = KSZ(m), .net = net_,        \
	  .off = KOFF(m), .flags = set_, __VA_ARGS__ }
#define N_FIELDS(f) (sizeof(f) / sizeof((f)[0]))

/* ---- Field storage ---- */

static __u64 load_uint(const __u8 *p, unsigned int size, bool net)
{
	__u64 v = 0;
	unsigned int i;

	if (net) {
		for (i = 0; i < size; i++)
			v = v << 8 | p[i];
		return v;
	}
	switch (size) {
	case 1:
		return *p;
	case 2: {
		__u16 x;

		memcpy(&x, p, 2);
		return x;
	}
	case 4: {
		__u32 x;

		memcpy(&x, p, 4);
		return x;
	}
	default:
		memcpy(&v, p, 8);
		return v;
	}
}

static void store_uint(__u8 *p, unsigned int size, bool net, __u64 v)
{
	unsigned int i;

	if (net) {
		for (i = size; i-- > 0; v >>= 8)
			p[i] = v & 0xff;
		return;
	}
	switch (size) {
	case 1:
		*p = v;
		break;
	case 2: {
		__u16 x = v;

		memcpy(p, &x, 2);
		break;
	}
	case 4: {
		__u32 x = v;

		memcpy(p, &x, 4);
		break;
	}
	default:
		memcpy(p, &v, 8);
	}
}

static unsigned int field_bits(const struct odp_field *f)
{
	return f->bits ? f->bits : f->size * 8;
}

static __u64 field_mask(const struct odp_field *f)
{
	unsigned int bits = field_bits(f);

	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

static __u64 field_get(const struct odp_field *f, const __u8 *base)
{
	return load_uint(base + f->off, f->size, f->net) >> f->shift &
	       field_mask(f);
}

static void field_set(const struct odp_field *f, __u8 *base, __u64 v)
{
	__u64 m = field_mask(f) << f->shift;
	__u64 raw = load_uint(base + f->off, f->size, f->net);

	store_uint(base + f->off, f->size, f->net,
		   (raw & ~m) | (v << f->shift & m));
}

static size_t addr_len(const struct odp_field *f)
{
	return f->kind == K_MAC ? FP_ETH_ALEN : f->kind == K_IPV4 ? 4 : 16;
}

static bool mem_zero(const void *p, size_t n)
{
	const __u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static bool attr_nonzero(const struct odp_attr *a, const struct fp_flow_key *key);

static bool field_nonzero(const struct odp_field *f, const __u8 *base,
			  const struct fp_flow_key *key)
{
	switch (f->kind) {
	case K_MAC:
	case K_IPV4:
	case K_IPV6:
		return !mem_zero(base + f->off, addr_len(f));
	case K_GROUP:
		return attr_nonzero(f->group, key);
	default:
		return field_get(f, base) != 0;
	}
}

/* Set every bit of the field in @mbase: the field was given. */
static void field_mark(const struct odp_field *f, __u8 *mbase)
{
	switch (f->kind) {
	case K_MAC:
	case K_IPV4:
	case K_IPV6:
		memset(mbase + f->off, 0xff, addr_len(f));
		break;
	case K_GROUP:
		break; /* its fields mark themselves */
	default:
		field_set(f, mbase, field_mask(f));
	}
}

/* The residual of printing: what no printed field accounted for. */
static void field_clear(const struct odp_field *f, __u8 *base)
{
	switch (f->kind) {
	case K_MAC:
	case K_IPV4:
	case K_IPV6:
		memset(base + f->off, 0, addr_len(f));
		break;
	case K_FLAGS:
		/* The hidden bits were printed too, as what implies them. */
		memset(base + f->off, 0, f->size);
		break;
	case K_GROUP:
		break; /* its fields are cleared as they are printed */
	default:
		field_set(f, base, 0);
	}
}

static __u8 *elem_base(const struct odp_attr *a, const struct fp_flow_key *key,
		       unsigned int elem)
{
	return (__u8 *)key + a->base + elem * a->stride;
}

static bool attr_nonzero(const struct odp_attr *a, const struct fp_flow_key *key)
{
	unsigned int e, i, n = a->count ? a->count : 1;

	for (e = 0; e < n; e++)
		for (i = 0; i < a->n_fields; i++)
			if (field_nonzero(&a->fields[i], elem_base(a, key, e),
					  key))
				return true;
	return false;
}

/* ---- Flag names ---- */

static const struct odp_flag tcp_flag_names[] = {
	{ 0x001, "fin" },   { 0x002, "syn" },   { 0x004, "rst" },
	{ 0x008, "psh" },   { 0x010, "ack" },   { 0x020, "urg" },
	{ 0x040, "ece" },   { 0x080, "cwr" },   { 0x100, "ns" },
	{ 0x200, "[200]" }, { 0x400, "[400]" }, { 0x800, "[800]" },
	{ 0, NULL },
};

static const struct odp_flag_set tcp_flag_set = { .names = tcp_flag_names };

/* OVS's order (df|csum|key), then flowpath's own. */
static const struct odp_flag tun_flag_names[] = {
	{ FP_TUN_F_DF, "df" },
	{ FP_TUN_F_CSUM, "csum" },
	{ FP_TUN_F_KEY, "key" },
	{ FP_TUN_F_SEQ, "seq" },
	{ 0, NULL },
};

static const struct odp_flag_set tun_flag_set = {
	.names = tun_flag_names,
	/* tunnel(...) itself, ipv6_src=/ipv6_dst= and erspan(...) */
	.hidden = FP_TUN_F_PRESENT | FP_TUN_F_IPV6 | FP_TUN_F_ERSPAN,
};

static __u32 flag_set_valid(const struct odp_flag_set *set)
{
	const struct odp_flag *n;
	__u32 v = 0;

	for (n = set->names; n->name; n++)
		v |= n->bit;
	return v;
}

/* ---- The attribute table ---- */

static bool tun_id_shown(const struct fp_flow_key *k, const __u8 *base)
{
	(void)base;
	/* As OVS: the id is there when the key flag is, or when not zero. */
	return k->tun.tun_id || (k->tun.flags & FP_TUN_F_KEY);
}

static bool tun_v4_shown(const struct fp_flow_key *k, const __u8 *base)
{
	(void)base;
	return !(k->tun.flags & FP_TUN_F_IPV6);
}

static bool tun_v6_shown(const struct fp_flow_key *k, const __u8 *base)
{
	(void)base;
	return k->tun.flags & FP_TUN_F_IPV6;
}

static bool tun_tos_shown(const struct fp_flow_key *k, const __u8 *base)
{
	(void)base;
	return k->tun.tos;
}

static bool erspan_shown(const struct fp_flow_key *k, const __u8 *base)
{
	(void)base;
	return (k->tun.flags & FP_TUN_F_ERSPAN) || k->tun.erspan_ver ||
	       k->tun.erspan_idx || k->tun.erspan_dir || k->tun.erspan_hwid;
}

static bool erspan_v1_shown(const struct fp_flow_key *k, const __u8 *base)
{
	(void)base;
	return k->tun.erspan_ver == 1 || k->tun.erspan_idx;
}

static bool erspan_v2_shown(const struct fp_flow_key *k, const __u8 *base)
{
	(void)base;
	return k->tun.erspan_ver == 2 || k->tun.erspan_dir ||
	       k->tun.erspan_hwid;
}

static int check_erspan(struct odp_parse *p, const struct odp_attr *a,
			__u32 given);
static void init_erspan(struct fp_flow_key *key, __u8 *elem);

static const struct odp_field erspan_fields[] = {
	F_NUM("ver", tun.erspan_ver, 0, FMT_DEC, .min = 1, .max = 2),
	F_NUM("idx", tun.erspan_idx, 0, FMT_HEX, .max = 0xfffff,
	      .shown = erspan_v1_shown),
	F_NUM("dir", tun.erspan_dir, 0, FMT_DEC, .max = 1,
	      .shown = erspan_v2_shown),
	F_NUM("hwid", tun.erspan_hwid, 0, FMT_HEX, .max = 0x3f,
	      .shown = erspan_v2_shown),
};

static const struct odp_attr erspan_attr = {
	.name = "erspan",
	.id = A_ERSPAN,
	.fields = erspan_fields,
	.n_fields = N_FIELDS(erspan_fields),
	.init = init_erspan,
	.check = check_erspan,
};

static const struct odp_field tunnel_fields[] = {
	F_NUM("tun_id", tun.tun_id, 1, FMT_0X, .shown = tun_id_shown),
	F_ADDR("src", K_IPV4, tun.outer.ipv4.src, .shown = tun_v4_shown),
	F_ADDR("dst", K_IPV4, tun.outer.ipv4.dst, .shown = tun_v4_shown),
	F_ADDR("ipv6_src", K_IPV6, tun.outer.ipv6.src, .shown = tun_v6_shown,
	       .tun_flags = FP_TUN_F_IPV6),
	F_ADDR("ipv6_dst", K_IPV6, tun.outer.ipv6.dst, .shown = tun_v6_shown,
	       .tun_flags = FP_TUN_F_IPV6),
	F_NUM("tos", tun.tos, 0, FMT_HEX, .shown = tun_tos_shown),
	F_NUM("ttl", tun.ttl, 0, FMT_DEC),
	{ .name = "erspan", .kind = K_GROUP, .group = &erspan_attr,
	  .shown = erspan_shown },
	F_FLAGS("flags", tun.flags, 0, &tun_flag_set),
};

static const struct odp_field recirc_id_field[] = {
	F_NUM(NULL, recirc_id, 0, FMT_HEX),
};
static const struct odp_field dp_hash_field[] = {
	F_NUM(NULL, dp_hash, 0, FMT_HEX),
};
static const struct odp_field in_port_field[] = {
	F_NUM(NULL, in_port, 0, FMT_DEC),
};
static const struct odp_field eth_type_field[] = {
	F_NUM(NULL, eth_type, 1, FMT_0X4),
};
static const struct odp_field eth_fields[] = {
	F_ADDR("src", K_MAC, eth_src),
	F_ADDR("dst", K_MAC, eth_dst),
};

static bool vlan_cfi_shown(const struct fp_flow_key *k, const __u8 *base)
{
	const struct fp_vlan_tag *tag = (const struct fp_vlan_tag *)base;

	(void)k;
	/* As OVS: cfi=0 only for a tag without the CFI ("present") bit. */
	return !(tag->tci & htons(FP_VLAN_CFI));
}

/* Offsets within struct fp_vlan_tag; tci is PCP:3 CFI:1 VID:12. */
static const struct odp_field vlan_fields[] = {
	F_BITS("vid", offsetof(struct fp_vlan_tag, tci), 2, 0, 12),
	F_BITS("pcp", offsetof(struct fp_vlan_tag, tci), 2, 13, 3),
	F_BITS("cfi", offsetof(struct fp_vlan_tag, tci), 2, 12, 1,
	       .shown = vlan_cfi_shown),
};

/* One label stack entry: label:20 tc:3 bos:1 ttl:8. */
static const struct odp_field mpls_fields[] = {
	F_BITS("label", 0, 4, 12, 20),
	F_BITS("tc", 0, 4, 9, 3),
	F_BITS("ttl", 0, 4, 0, 8),
	F_BITS("bos", 0, 4, 8, 1),
};

static const struct odp_field ipv4_fields[] = {
	F_ADDR("src", K_IPV4, nw.ipv4.src),
	F_ADDR("dst", K_IPV4, nw.ipv4.dst),
	F_NUM("proto", nw_proto, 0, FMT_DEC),
	F_NUM("tos", nw_tos, 0, FMT_HEX),
	F_NUM("ttl", nw_ttl, 0, FMT_DEC),
	F_FRAG("frag", nw_frag),
};

static const struct odp_field ipv6_fields[] = {
	F_ADDR("src", K_IPV6, nw.ipv6.src),
	F_ADDR("dst", K_IPV6, nw.ipv6.dst),
	F_NUM("label", ipv6_label, 1, FMT_HEX, .max = FP_IPV6_LABEL),
	F_NUM("proto", nw_proto, 0, FMT_DEC),
	F_NUM("tclass", nw_tos, 0, FMT_HEX),
	F_NUM("hlimit", nw_ttl, 0, FMT_DEC),
	F_FRAG("frag", nw_frag),
};

static const struct odp_field arp_fields[] = {
	F_ADDR("sip", K_IPV4, nw.ipv4.src),
	F_ADDR("tip", K_IPV4, nw.ipv4.dst),
	F_NUM("op", arp_op, 1, FMT_DEC, .max = 0xff),
	F_ADDR("sha", K_MAC, l2addr.arp.sha),
	F_ADDR("tha", K_MAC, l2addr.arp.tha),
};

static const struct odp_field tp_fields[] = {
	F_NUM("src", tp_src, 1, FMT_DEC),
	F_NUM("dst", tp_dst, 1, FMT_DEC),
};

static const struct odp_field tcp_flags_field[] = {
	F_FLAGS(NULL, tcp_flags, 1, &tcp_flag_set),
};

static const struct odp_field icmp_fields[] = {
	F_NUM("type", icmp_type, 0, FMT_DEC),
	F_NUM("code", icmp_code, 0, FMT_DEC),
};

static const struct odp_field igmp_fields[] = {
	F_NUM("type", icmp_type, 0, FMT_DEC),
	F_NUM("code", icmp_code, 0, FMT_DEC),
	F_ADDR("group", K_IPV4, l2addr.igmp_group),
};

static const struct odp_field nd_fields[] = {
	F_ADDR("target", K_IPV6, nd_target),
	F_ADDR("sll", K_MAC, l2addr.nd.sll),
	F_ADDR("tll", K_MAC, l2addr.nd.tll),
};

/* What the protocols of a key call for, as the kernel datapath has it. */
static bool is_eth_type(const struct fp_flow_key *k, __u16 type)
{
	return k->eth_type == htons(type);
}

static bool l4_fits(const struct fp_flow_key *k, __u8 proto, bool v4,
		    bool v6)
{
	return ((v4 && is_eth_type(k, FP_ETH_P_IP)) ||
		(v6 && is_eth_type(k, FP_ETH_P_IPV6))) &&
	       k->nw_proto == proto && k->nw_frag != FP_FRAG_LATER;
}

static const char *needs_ipv4(const struct fp_flow_key *k)
{
	return is_eth_type(k, FP_ETH_P_IP) ? NULL : "eth_type(0x0800)";
}

static const char *needs_ipv6(const struct fp_flow_key *k)
{
	return is_eth_type(k, FP_ETH_P_IPV6) ? NULL : "eth_type(0x86dd)";
}

static const char *needs_arp(const struct fp_flow_key *k)
{
	return is_eth_type(k, FP_ETH_P_ARP) || is_eth_type(k, FP_ETH_P_RARP) ?
		       NULL :
		       "eth_type(0x0806) or eth_type(0x8035)";
}

static const char *needs_mpls(const struct fp_flow_key *k)
{
	return is_eth_type(k, FP_ETH_P_MPLS_UC) ||
			       is_eth_type(k, FP_ETH_P_MPLS_MC) ?
		       NULL :
		       "eth_type(0x8847) or eth_type(0x8848)";
}

static const char *needs_tcp(const struct fp_flow_key *k)
{
	return l4_fits(k, FP_IPPROTO_TCP, true, true) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=6 and frag=no or first";
}

static const char *needs_udp(const struct fp_flow_key *k)
{
	return l4_fits(k, FP_IPPROTO_UDP, true, true) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=17 and frag=no or first";
}

static const char *needs_sctp(const struct fp_flow_key *k)
{
	return l4_fits(k, FP_IPPROTO_SCTP, true, true) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=132 and frag=no or first";
}

/*
 * Unlike the kernel datapath, which keys ICMP only after IPv4 and ICMPv6
 * only after IPv6, the parser keys them as OVS's flow_extract() does:
 * after either IP version. The text must hold whatever the key does.
 */
static const char *needs_icmp(const struct fp_flow_key *k)
{
	return l4_fits(k, FP_IPPROTO_ICMP, true, true) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=1 and frag=no or first";
}

static const char *needs_icmpv6(const struct fp_flow_key *k)
{
	return l4_fits(k, FP_IPPROTO_ICMPV6, true, true) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=58 and frag=no or first";
}

static const char *needs_igmp(const struct fp_flow_key *k)
{
	return l4_fits(k, FP_IPPROTO_IGMP, true, true) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=2 and frag=no or first";
}

static const char *needs_nd(const struct fp_flow_key *k)
{
	/* Only these carry a target: the parser keys nothing else. */
	return !needs_icmpv6(k) && k->icmp_code == 0 &&
		       (k->icmp_type == FP_ND_NS || k->icmp_type == FP_ND_NA) ?
		       NULL :
		       "icmpv6(type=135 or 136,code=0)";
}

static int check_in_port(struct odp_parse *p, const struct odp_attr *a,
			 __u32 given);
static int check_tunnel(struct odp_parse *p, const struct odp_attr *a,
			__u32 given);
static void init_tunnel(struct fp_flow_key *key, __u8 *elem);
static void init_vlan(struct fp_flow_key *key, __u8 *elem);

#define ATTR(nm, id_, flags_, f, ...)                                     \
	[id_] = { .name = nm, .id = id_, .flags = flags_, .fields = f,    \
		  .n_fields = N_FIELDS(f), __VA_ARGS__ }

static const struct odp_attr attrs[A_COUNT] = {
	ATTR("recirc_id", A_RECIRC_ID, ODP_TOP, recirc_id_field),
	ATTR("dp_hash", A_DP_HASH, ODP_TOP | ODP_NONZERO, dp_hash_field),
	ATTR("tunnel", A_TUNNEL, ODP_TOP | ODP_NONZERO, tunnel_fields,
	     .init = init_tunnel, .check = check_tunnel),
	ATTR("in_port", A_IN_PORT, ODP_TOP, in_port_field,
	     .check = check_in_port),
	ATTR("eth", A_ETH, ODP_TOP, eth_fields),
	ATTR("eth_type", A_ETH_TYPE, ODP_LEVEL, eth_type_field),
	ATTR("vlan", A_VLAN, ODP_LEVEL, vlan_fields, .count = FP_MAX_VLAN,
	     .base = KOFF(vlan), .stride = sizeof(struct fp_vlan_tag),
	     .init = init_vlan),
	[A_ENCAP] = { .name = "encap", .id = A_ENCAP, .flags = ODP_LEVEL },
	ATTR("ipv4", A_IPV4, ODP_INNER, ipv4_fields, .needs = needs_ipv4),
	ATTR("ipv6", A_IPV6, ODP_INNER, ipv6_fields, .needs = needs_ipv6),
	ATTR("arp", A_ARP, ODP_INNER, arp_fields, .needs = needs_arp),
	ATTR("mpls", A_MPLS, ODP_INNER | ODP_ARRAY, mpls_fields,
	     .count = FP_MAX_MPLS, .base = KOFF(mpls_lse),
	     .stride = sizeof(__be32), .needs = needs_mpls),
	ATTR("tcp", A_TCP, ODP_INNER, tp_fields, .needs = needs_tcp),
	ATTR("tcp_flags", A_TCP_FLAGS, ODP_INNER | ODP_NONZERO,
	     tcp_flags_field, .needs = needs_tcp),
	ATTR("udp", A_UDP, ODP_INNER, tp_fields, .needs = needs_udp),
	ATTR("sctp", A_SCTP, ODP_INNER, tp_fields, .needs = needs_sctp),
	ATTR("icmp", A_ICMP, ODP_INNER, icmp_fields, .needs = needs_icmp),
	ATTR("icmpv6", A_ICMPV6, ODP_INNER, icmp_fields,
	     .needs = needs_icmpv6),
	ATTR("igmp", A_IGMP, ODP_INNER, igmp_fields, .needs = needs_igmp),
	ATTR("nd", A_ND, ODP_INNER, nd_fields, .needs = needs_nd),
};

/* ---- Printing ---- */

struct odp_printer {
	struct fp_odp_out o;
	const struct fp_flow_key *key;
	const struct fp_flow_key *mask; /* NULL, or print only fields set here */
	struct fp_flow_key res; /* what is left to print */
	bool first; /* nothing printed yet in this list */
};

static void put_sep(struct odp_printer *pr)
{
	if (!pr->first)
		fp_odp_printf(&pr->o, ",");
	pr->first = false;
}

static void put_num(struct fp_odp_out *o, __u64 v, enum odp_fmt fmt)
{
	switch (fmt) {
	case FMT_DEC:
		fp_odp_printf(o, "%llu", (unsigned long long)v);
		break;
	case FMT_HEX:
		fp_odp_printf(o, "%#llx", (unsigned long long)v);
		break;
	case FMT_0X:
		fp_odp_printf(o, "0x%llx", (unsigned long long)v);
		break;
	case FMT_0X4:
		fp_odp_printf(o, "0x%04llx", (unsigned long long)v);
		break;
	}
}

static const char *frag_names[] = { "no", "first", "later" };

static void put_flags(struct fp_odp_out *o, const struct odp_flag_set *set,
		      __u32 v)
{
	const struct odp_flag *n;
	const char *sep = "";

	v &= ~set->hidden;
	if (!v) {
		fp_odp_printf(o, "0");
		return;
	}
	for (n = set->names; n->name; n++) {
		if (v & n->bit) {
			fp_odp_printf(o, "%s%s", sep, n->name);
			sep = "|";
			v &= ~n->bit;
		}
	}
	if (v) /* as OVS: bits without a name, in hex */
		fp_odp_printf(o, "%s0x%x", sep, v);
}

static void print_fields(struct odp_printer *pr, const struct odp_attr *a,
			 unsigned int elem);

static void print_value(struct odp_printer *pr, const struct odp_field *f,
			const __u8 *base)
{
	struct fp_odp_out *o = &pr->o;
	__u64 v;

	switch (f->kind) {
	case K_NUM:
		put_num(o, field_get(f, base), f->fmt);
		break;
	case K_FRAG:
		v = field_get(f, base);
		if (v < sizeof(frag_names) / sizeof(frag_names[0]))
			fp_odp_printf(o, "%s", frag_names[v]);
		else /* not a frag value: shown, and refused by the parser */
			fp_odp_printf(o, "%llu", (unsigned long long)v);
		break;
	case K_FLAGS:
		put_flags(o, f->flags, field_get(f, base));
		break;
	case K_MAC:
		fp_odp_put_mac(o, base + f->off);
		break;
	case K_IPV4:
		fp_odp_put_ipv4(o, base + f->off);
		break;
	case K_IPV6:
		fp_odp_put_ipv6(o, base + f->off);
		break;
	}
}

static void print_fields(struct odp_printer *pr, const struct odp_attr *a,
			 unsigned int elem)
{
	const __u8 *base = elem_base(a, pr->key, elem);
	__u8 *rbase = elem_base(a, &pr->res, elem);
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < a->n_fields; i++) {
		const struct odp_field *f = &a->fields[i];

		if (pr->mask) {
			if (!field_nonzero(f, elem_base(a, pr->mask, elem),
					   pr->mask))
				continue;
			/* Addresses of both families share a union (tunnel
			 * src/ipv6_src): the key says which it holds. */
			if ((f->kind == K_IPV4 || f->kind == K_IPV6) &&
			    f->shown && !f->shown(pr->key, base))
				continue;
		} else if (f->shown && !f->shown(pr->key, base)) {
			continue;
		}
		fp_odp_printf(&pr->o, "%s", sep);
		sep = ",";
		if (f->kind == K_GROUP) {
			fp_odp_printf(&pr->o, "%s(", f->name);
			print_fields(pr, f->group, 0);
			fp_odp_printf(&pr->o, ")");
			continue;
		}
		if (!f->name)
			;
		else if (f->kind == K_FLAGS)
			fp_odp_printf(&pr->o, "%s(", f->name);
		else
			fp_odp_printf(&pr->o, "%s=", f->name);
		print_value(pr, f, base);
		if (f->name && f->kind == K_FLAGS)
			fp_odp_printf(&pr->o, ")");
		field_clear(f, rbase);
	}
}

static void print_attr(struct odp_printer *pr, const struct odp_attr *a,
		       unsigned int elem)
{
	unsigned int e, n = 1;

	put_sep(pr);
	fp_odp_printf(&pr->o, "%s(", a->name);
	if (a->flags & ODP_ARRAY) {
		/* Entries up to the last non-zero one, at least one. */
		for (e = 1; e < a->count; e++)
			for (unsigned int i = 0; i < a->n_fields; i++)
				if (field_get(&a->fields[i],
					      elem_base(a, pr->key, e)))
					n = e + 1;
		for (e = 0; e < n; e++) {
			if (e)
				fp_odp_printf(&pr->o, ",");
			print_fields(pr, a, e);
		}
	} else {
		print_fields(pr, a, elem);
	}
	fp_odp_printf(&pr->o, ")");
}

static bool key_is_eth(const struct fp_flow_key *k)
{
	return !mem_zero(k->eth_src, FP_ETH_ALEN) ||
	       !mem_zero(k->eth_dst, FP_ETH_ALEN) || k->eth_type ||
	       k->vlan[0].tpid;
}

int fp_odp_key_format(const struct fp_flow_key *key, char *buf, size_t len)
{
	struct odp_printer pr = { .key = key, .res = *key, .first = true };
	unsigned int i, depth;

	fp_odp_out_init(&pr.o, buf, len);
	print_attr(&pr, &attrs[A_RECIRC_ID], 0);
	if (attr_nonzero(&attrs[A_DP_HASH], key))
		print_attr(&pr, &attrs[A_DP_HASH], 0);
	if (attr_nonzero(&attrs[A_TUNNEL], key))
		print_attr(&pr, &attrs[A_TUNNEL], 0);
	print_attr(&pr, &attrs[A_IN_PORT], 0);
	if (key_is_eth(key))
		print_attr(&pr, &attrs[A_ETH], 0);

	/* Each tag: its TPID as eth_type, the tag, then the rest of the
	 * packet inside encap(...), as the kernel datapath nests them. */
	for (depth = 0; depth < FP_MAX_VLAN && key->vlan[depth].tpid; depth++) {
		put_sep(&pr);
		fp_odp_printf(&pr.o, "eth_type(0x%04x)",
			      ntohs(key->vlan[depth].tpid));
		print_attr(&pr, &attrs[A_VLAN], depth);
		put_sep(&pr);
		fp_odp_printf(&pr.o, "encap(");
		pr.first = true;
	}
	/* An 802.2 frame has no ethertype: OVS leaves the attribute out. */
	if (key_is_eth(key) && key->eth_type != htons(FP_ETH_P_NONE)) {
		put_sep(&pr);
		fp_odp_printf(&pr.o, "eth_type(0x%04x)", ntohs(key->eth_type));
	}
	for (i = 0; i < A_COUNT; i++) {
		const struct odp_attr *a = &attrs[i];

		if (!(a->flags & ODP_INNER) || a->needs(key))
			continue;
		if ((a->flags & ODP_NONZERO) && !attr_nonzero(a, key))
			continue;
		print_attr(&pr, a, 0);
	}
	/* Fields the protocols do not account for: shown all the same. */
	for (i = 0; i < A_COUNT; i++) {
		const struct odp_attr *a = &attrs[i];

		if ((a->flags & ODP_INNER) && attr_nonzero(a, &pr.res))
			print_attr(&pr, a, 0);
	}
	while (depth--)
		fp_odp_printf(&pr.o, ")");
	return fp_odp_out_len(&pr.o);
}

/* ---- Parsing ---- */

static void init_tunnel(struct fp_flow_key *key, __u8 *elem)
{
	(void)elem;
	key->tun.flags |= FP_TUN_F_PRESENT;
}

static void init_erspan(struct fp_flow_key *key, __u8 *elem)
{
	(void)elem;
	key->tun.flags |= FP_TUN_F_ERSPAN;
}

static void init_vlan(struct fp_flow_key *key, __u8 *elem)
{
	struct fp_vlan_tag *tag = (struct fp_vlan_tag *)elem;

	(void)key;
	/* The CFI bit means "tag present"; only cfi=0 clears it. */
	tag->tci |= htons(FP_VLAN_CFI);
}

/* "ipv4(ttl=...)" or "in_port(...)": where a value goes, for messages. */
static const char *where(char *buf, size_t len, const struct odp_attr *a,
			 const struct odp_field *f)
{
	if (f && f->name && f->kind == K_FLAGS)
		snprintf(buf, len, "%s(%s(...))", a->name, f->name);
	else if (f && f->name)
		snprintf(buf, len, "%s(%s=...)", a->name, f->name);
	else
		snprintf(buf, len, "%s(...)", a->name);
	return buf;
}

static int field_index(const struct odp_attr *a, const char *name)
{
	unsigned int i;

	for (i = 0; i < a->n_fields; i++)
		if (a->fields[i].name && !strcmp(a->fields[i].name, name))
			return i;
	return -1;
}

static bool given_field(const struct odp_attr *a, __u32 given,
			const char *name)
{
	int i = field_index(a, name);

	return i >= 0 && (given & 1u << i);
}

static int check_in_port(struct odp_parse *p, const struct odp_attr *a,
			 __u32 given)
{
	__u32 port = p->key->in_port;

	(void)a;
	(void)given;
	if (port < FP_MAX_PORTS || port == FP_PORT_NONE)
		return 0;
	return fp_odp_error(&p->in,
			    "in_port(%u): out of range: expected a port from 0 to %u, or %u (none)",
			    port, FP_MAX_PORTS - 1, FP_PORT_NONE);
}

static int check_tunnel(struct odp_parse *p, const struct odp_attr *a,
			__u32 given)
{
	/* Both live in the same union: the outer header is one or the other. */
	if ((given_field(a, given, "src") || given_field(a, given, "dst")) &&
	    (given_field(a, given, "ipv6_src") ||
	     given_field(a, given, "ipv6_dst")))
		return fp_odp_error(&p->in,
				    "tunnel(...): src=/dst= (IPv4) and ipv6_src=/ipv6_dst= cannot both be given");
	return 0;
}

static int check_erspan(struct odp_parse *p, const struct odp_attr *a,
			__u32 given)
{
	__u8 ver = p->key->tun.erspan_ver;

	if (!given_field(a, given, "ver"))
		return fp_odp_error(&p->in,
				    "tunnel(erspan(...)): missing ver=1 or ver=2");
	if (given_field(a, given, "idx") && ver != 1)
		return fp_odp_error(&p->in,
				    "tunnel(erspan(idx=...)): idx is for ver=1, not ver=%u",
				    ver);
	if ((given_field(a, given, "dir") || given_field(a, given, "hwid")) &&
	    ver != 2)
		return fp_odp_error(&p->in,
				    "tunnel(erspan(...)): dir and hwid are for ver=2, not ver=%u",
				    ver);
	return 0;
}

static int parse_flags(struct odp_parse *p, const struct odp_attr *a,
		       const struct odp_field *f, const char *tok, size_t len,
		       __u64 *out)
{
	const struct odp_flag_set *set = f->flags;
	__u32 valid = flag_set_valid(set);
	char q[FP_ODP_QUOTE_LEN], w[64];
	size_t i = 0, j;
	__u64 v = 0;

	where(w, sizeof(w), a, f);
	if (tok[0] >= '0' && tok[0] <= '9') {
		int err = fp_odp_scan_u64(tok, len, &v);

		if (err == -EINVAL)
			return fp_odp_error(&p->in, "bad flags '%s' for %s: %s",
					    fp_odp_quote(q, tok, len), w,
					    FP_ODP_EXPECT_NUM " or flag names");
		if (err || (v & ~(__u64)valid))
			return fp_odp_error(&p->in,
					    "value '%s' out of range for %s: expected flags within %#x",
					    fp_odp_quote(q, tok, len), w, valid);
		*out = v;
		return 0;
	}
	/* "a|b" as OVS prints exact flags; "+a-b" as it prints masked ones:
	 * in an exact key, a flag not named is clear either way. */
	while (i < len) {
		const struct odp_flag *n;
		char sign = 0;

		if (tok[i] == '+' || tok[i] == '-')
			sign = tok[i++];
		for (j = i; j < len && tok[j] != '|' && tok[j] != '+' &&
			    tok[j] != '-';
		     j++)
			;
		for (n = set->names; n->name; n++)
			if (strlen(n->name) == j - i &&
			    !strncmp(n->name, tok + i, j - i))
				break;
		if (!n->name) {
			char names[128] = "";

			for (n = set->names; n->name; n++)
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 n == set->names ? "" : ", ", n->name);
			return fp_odp_error(&p->in,
					    "unknown flag '%s' in %s (expected %s, or a number)",
					    fp_odp_quote(q, tok + i, j - i), w,
					    names);
		}
		if (sign != '-')
			v |= n->bit;
		i = j;
		if (i < len && tok[i] == '|') {
			i++;
			if (i == len)
				return fp_odp_error(&p->in,
						    "unknown flag '' in %s: nothing after '|'",
						    w);
		}
	}
	*out = v;
	return 0;
}

static int parse_value(struct odp_parse *p, const struct odp_attr *a,
		       const struct odp_field *f, __u8 *base, const char *tok,
		       size_t len)
{
	char q[FP_ODP_QUOTE_LEN], w[64];
	__u64 v, max;
	int err;

	where(w, sizeof(w), a, f);
	fp_odp_quote(q, tok, len);
	if (!len)
		return fp_odp_error(&p->in, "missing value for %s", w);
	if (memchr(tok, '/', len))
		return fp_odp_error(&p->in,
				    "'%s' for %s: masks are not supported, the flow table is exact-match",
				    q, w);
	switch (f->kind) {
	case K_NUM:
		max = f->max ? f->max : field_mask(f);
		err = fp_odp_scan_u64(tok, len, &v);
		if (err == -EINVAL)
			return fp_odp_error(&p->in, "bad number '%s' for %s: %s",
					    q, w, FP_ODP_EXPECT_NUM);
		if (err || v < f->min || v > max) {
			if (f->fmt == FMT_DEC)
				return fp_odp_error(&p->in,
						    "value '%s' out of range for %s: expected %llu to %llu",
						    q, w,
						    (unsigned long long)f->min,
						    (unsigned long long)max);
			return fp_odp_error(&p->in,
					    "value '%s' out of range for %s: expected %#llx to %#llx",
					    q, w, (unsigned long long)f->min,
					    (unsigned long long)max);
		}
		field_set(f, base, v);
		return 0;
	case K_FRAG:
		for (v = 0; v < sizeof(frag_names) / sizeof(frag_names[0]); v++)
			if (strlen(frag_names[v]) == len &&
			    !strncmp(frag_names[v], tok, len))
				break;
		if (v == sizeof(frag_names) / sizeof(frag_names[0]))
			return fp_odp_error(&p->in,
					    "bad value '%s' for %s: expected no, first or later",
					    q, w);
		field_set(f, base, v);
		return 0;
	case K_FLAGS:
		err = parse_flags(p, a, f, tok, len, &v);
		/* The hidden bits belong to other fields: keep them. */
		if (!err)
			field_set(f, base,
				  (field_get(f, base) & f->flags->hidden) | v);
		return err;
	case K_MAC:
		if (fp_odp_scan_mac(tok, len, base + f->off))
			return fp_odp_error(&p->in,
					    "bad MAC address '%s' for %s: %s", q,
					    w, FP_ODP_EXPECT_MAC);
		return 0;
	case K_IPV4:
		if (fp_odp_scan_ipv4(tok, len, base + f->off))
			return fp_odp_error(&p->in,
					    "bad IPv4 address '%s' for %s: %s", q,
					    w, FP_ODP_EXPECT_IPV4);
		return 0;
	case K_IPV6:
		if (fp_odp_scan_ipv6(tok, len, base + f->off))
			return fp_odp_error(&p->in,
					    "bad IPv6 address '%s' for %s: %s", q,
					    w, FP_ODP_EXPECT_IPV6);
		return 0;
	}
	return -EINVAL;
}

/* The value of a one-value attribute, up to its ')'. */
static int parse_single(struct odp_parse *p, const struct odp_attr *a,
			__u8 *base, __u8 *mbase)
{
	struct fp_odp_in *in = &p->in;
	char q[FP_ODP_QUOTE_LEN];
	const char *tok;
	size_t len;
	int err;

	fp_odp_skip_space(in);
	len = fp_odp_value(in, &tok);
	fp_odp_skip_space(in);
	if (*in->p && *in->p != ')')
		return fp_odp_error(in, "%s(...) takes one value: unexpected '%s'",
				    a->name, fp_odp_quote_rest(q, in->p));
	err = parse_value(p, a, &a->fields[0], base, tok, len);
	if (err)
		return err;
	if (mbase)
		field_mark(&a->fields[0], mbase);
	if (!*in->p)
		return fp_odp_error(in,
				    "unbalanced parentheses: '%s(' is not closed",
				    a->name);
	in->p++;
	return a->check ? a->check(p, a, 1) : 0;
}

static int parse_fields(struct odp_parse *p, const struct odp_attr *a,
			unsigned int elem)
{
	struct fp_odp_in *in = &p->in;
	char q[FP_ODP_QUOTE_LEN], names[160];
	__u8 *base = elem_base(a, p->key, elem);
	__u32 given = 0;
	int err;

	if (a->init)
		a->init(p->key, base);
	if (!a->fields[0].name)
		return parse_single(p, a, base,
				    p->mask ? elem_base(a, p->mask, elem) : NULL);
	for (;;) {
		const struct odp_field *f;
		const char *name, *tok;
		size_t n, len;
		int i;

		fp_odp_skip_delims(in);
		if (*in->p == ')') {
			in->p++;
			break;
		}
		if (!*in->p)
			return fp_odp_error(in,
					    "unbalanced parentheses: '%s(' is not closed",
					    a->name);
		n = fp_odp_name(in, &name);
		if (!n) {
			n = fp_odp_value(in, &name);
			return fp_odp_error(in, "unexpected '%s' in %s(...)",
					    fp_odp_quote(q, name, n ? n : 1),
					    a->name);
		}
		for (i = 0; i < a->n_fields; i++)
			if (strlen(a->fields[i].name) == n &&
			    !strncmp(a->fields[i].name, name, n))
				break;
		if (i == a->n_fields) {
			names[0] = '\0';
			for (i = 0; i < a->n_fields; i++)
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 i ? ", " : "", a->fields[i].name);
			return fp_odp_error(in,
					    "unknown field '%s' in %s(...) (expected %s)",
					    fp_odp_quote(q, name, n), a->name,
					    names);
		}
		f = &a->fields[i];
		if (given & 1u << i) {
			if (!(a->flags & ODP_ARRAY))
				return fp_odp_error(in,
						    "duplicate field '%s' in %s(...)",
						    f->name, a->name);
			/* As OVS: a repeated field starts the next entry. */
			if (++elem == a->count)
				return fp_odp_error(in,
						    "too many entries in %s(...) at '%s': at most %u",
						    a->name, f->name, a->count);
			base = elem_base(a, p->key, elem);
			given = 0;
		}
		given |= 1u << i;
		p->key->tun.flags |= f->tun_flags;
		if (p->mask)
			field_mark(f, elem_base(a, p->mask, elem));

		if (f->kind == K_GROUP || f->kind == K_FLAGS) {
			if (*in->p != '(')
				return fp_odp_error(in,
						    "expected '(' after '%s' in %s(...)",
						    f->name, a->name);
			in->p++;
			if (f->kind == K_GROUP) {
				err = parse_fields(p, f->group, 0);
			} else {
				len = fp_odp_value(in, &tok);
				err = parse_value(p, a, f, base, tok, len);
				if (!err && *in->p != ')')
					err = fp_odp_error(in,
							   "unbalanced parentheses: '%s(' is not closed in %s(...)",
							   f->name, a->name);
				in->p++;
			}
			if (err)
				return err;
			continue;
		}
		if (*in->p != '=')
			return fp_odp_error(in,
					    "expected '=' after '%s' in %s(...)",
					    f->name, a->name);
		in->p++;
		len = fp_odp_value(in, &tok);
		if (*in->p == '(')
			return fp_odp_error(in,
					    "unexpected '(' after '%s' in %s(%s=...)",
					    fp_odp_quote(q, tok, len), a->name,
					    f->name);
		err = parse_value(p, a, f, base, tok, len);
		if (err)
			return err;
	}
	return a->check ? a->check(p, a, given) : 0;
}

static int parse_list(struct odp_parse *p, unsigned int level);

static const char *attr_names(char *buf, size_t len)
{
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < A_COUNT; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			 i ? ", " : "", attrs[i].name);
	return buf;
}

static int parse_level_attr(struct odp_parse *p, const struct odp_attr *a,
			    unsigned int level)
{
	struct fp_odp_in *in = &p->in;
	__u8 bit = a->id == A_ETH_TYPE ? LV_ETH_TYPE :
		   a->id == A_VLAN     ? LV_VLAN :
					 LV_ENCAP;
	struct fp_flow_key tmp;
	int err;

	if (p->lv[level].given & bit)
		return fp_odp_error(in, "duplicate attribute '%s(...)'%s",
				    a->name, level ? " in encap(...)" : "");
	p->lv[level].given |= bit;
	switch (a->id) {
	case A_ETH_TYPE:
		/* Which field it is (a TPID or the ethertype) is known
		 * only once the whole level has been read. */
		memset(&tmp, 0, sizeof(tmp));
		err = parse_single(p, a, (__u8 *)&tmp, NULL);
		p->lv[level].eth_type = tmp.eth_type;
		return err;
	case A_VLAN:
		if (level >= FP_MAX_VLAN)
			return fp_odp_error(in,
					    "vlan(...) inside %u encap(...): a key holds at most %u VLAN tags",
					    level, FP_MAX_VLAN);
		return parse_fields(p, a, level);
	default:
		if (level >= FP_MAX_VLAN)
			return fp_odp_error(in,
					    "encap(...) inside %u encap(...): a key holds at most %u VLAN tags",
					    level, FP_MAX_VLAN);
		return parse_list(p, level + 1);
	}
}

static int parse_attr(struct odp_parse *p, const struct odp_attr *a,
		      unsigned int level)
{
	if (a->flags & ODP_LEVEL)
		return parse_level_attr(p, a, level);
	if ((a->flags & ODP_TOP) && level)
		return fp_odp_error(&p->in,
				    "%s(...) is not allowed inside encap(...)",
				    a->name);
	if (p->given & 1u << a->id)
		return fp_odp_error(&p->in, "duplicate attribute '%s(...)'",
				    a->name);
	p->given |= 1u << a->id;
	p->level_of[a->id] = level;
	return parse_fields(p, a, 0);
}

/* The attribute named at the cursor, which moves past its '('. */
static int attr_at(struct odp_parse *p, const struct odp_attr **out)
{
	struct fp_odp_in *in = &p->in;
	char q[FP_ODP_QUOTE_LEN], names[256];
	const char *name;
	unsigned int i;
	size_t n;

	n = fp_odp_name(in, &name);
	if (!n)
		return fp_odp_error(in,
				    "expected a key attribute such as in_port(1), not '%s'",
				    fp_odp_quote_rest(q, in->p));
	for (*out = NULL, i = 0; i < A_COUNT; i++)
		if (strlen(attrs[i].name) == n &&
		    !strncmp(attrs[i].name, name, n))
			*out = &attrs[i];
	if (!*out)
		return fp_odp_error(in,
				    "unknown key attribute '%s' (expected %s)",
				    fp_odp_quote(q, name, n),
				    attr_names(names, sizeof(names)));
	if (*in->p != '(')
		return fp_odp_error(in, "expected '(' after '%s'",
				    (*out)->name);
	in->p++;
	return 0;
}

static int parse_list(struct odp_parse *p, unsigned int level)
{
	struct fp_odp_in *in = &p->in;
	char q[FP_ODP_QUOTE_LEN];
	const struct odp_attr *a;
	size_t n;
	int err;

	for (;;) {
		fp_odp_skip_delims(in);
		if (!*in->p) {
			if (level)
				return fp_odp_error(in,
						    "unbalanced parentheses: 'encap(' is not closed");
			return 0;
		}
		if (*in->p == ')') {
			if (!level)
				return fp_odp_error(in,
						    "unbalanced parentheses: unexpected '%s'",
						    fp_odp_quote_rest(q, in->p));
			in->p++;
			return 0;
		}
		err = attr_at(p, &a);
		if (!err)
			err = parse_attr(p, a, level);
		if (err)
			return err;
		if (*in->p && !fp_odp_is_delim(*in->p) && *in->p != ')') {
			const char *tok;

			n = fp_odp_value(in, &tok);
			return fp_odp_error(in,
					    "trailing garbage '%s' after %s(...)",
					    fp_odp_quote(q, tok, n ? n : 1),
					    a->name);
		}
	}
}

/* The VLAN nesting and the protocols, once everything has been read. */
static int resolve(struct odp_parse *p)
{
	struct fp_flow_key *key = p->key;
	unsigned int n, i;

	for (n = 0; n < FP_MAX_VLAN && (p->lv[n].given & LV_VLAN); n++) {
		__u16 tpid = ntohs(p->lv[n].eth_type);

		if (!(p->lv[n].given & LV_ETH_TYPE) ||
		    (tpid != FP_ETH_P_8021Q && tpid != FP_ETH_P_8021AD))
			return fp_odp_error(&p->in,
					    "vlan(...) needs eth_type(0x8100) or eth_type(0x88a8) beside it%s",
					    n ? " in encap(...)" : "");
		key->vlan[n].tpid = p->lv[n].eth_type;
	}
	if (p->lv[n].given & LV_ENCAP)
		return fp_odp_error(&p->in,
				    "encap(...) without vlan(...) beside it: encap holds what follows a VLAN tag");
	if (p->lv[n].given & LV_ETH_TYPE)
		key->eth_type = p->lv[n].eth_type;
	else if ((p->given & 1u << A_ETH) || n)
		/* As OVS: an Ethernet frame without one is 802.2. */
		key->eth_type = htons(FP_ETH_P_NONE);

	for (i = 0; i < A_COUNT; i++) {
		const struct odp_attr *a = &attrs[i];
		const char *need;

		if (!(a->flags & ODP_INNER) || !(p->given & 1u << i))
			continue;
		if (p->level_of[i] != n)
			return fp_odp_error(&p->in,
					    "%s(...) belongs in the innermost encap(...), after the last vlan(...)",
					    a->name);
		need = a->needs(key);
		if (need)
			return fp_odp_error(&p->in,
					    "%s(...) does not fit this flow: it needs %s",
					    a->name, need);
	}
	return 0;
}

int fp_odp_key_parse(const char *s, struct fp_flow_key *key, char *err,
		     size_t errlen)
{
	struct odp_parse p = {
		.in = { .p = s, .err = err, .errlen = errlen },
		.key = key,
	};
	int ret;

	memset(key, 0, sizeof(*key));
	if (errlen)
		err[0] = '\0';
	ret = parse_list(&p, 0);
	if (!ret && !p.given && !p.lv[0].given)
		ret = fp_odp_error(&p.in,
				   "empty flow key: expected attributes such as in_port(1),eth(...)");
	if (!ret)
		ret = resolve(&p);
	if (ret)
		memset(key, 0, sizeof(*key));
	return ret;
}

int fp_odp_key_attr_parse(struct fp_odp_in *in, struct fp_flow_key *key,
			  struct fp_flow_key *mask)
{
	struct odp_parse p = { .in = *in, .key = key, .mask = mask };
	const struct odp_attr *a;
	int err;

	err = attr_at(&p, &a);
	if (!err && (a->flags & ODP_LEVEL))
		/* Their meaning depends on the attributes around them. */
		err = fp_odp_error(&p.in, "%s(...) cannot stand alone here",
				   a->name);
	if (!err)
		err = parse_fields(&p, a, 0);
	*in = p.in;
	return err;
}

int fp_odp_key_attr_format(struct fp_odp_out *o, const char *name,
			   const struct fp_flow_key *key,
			   const struct fp_flow_key *mask)
{
	struct odp_printer pr = { .o = *o, .key = key, .mask = mask,
				  .first = true };
	unsigned int i;

	for (i = 0; i < A_COUNT; i++) {
		if (strcmp(attrs[i].name, name) ||
		    (attrs[i].flags & ODP_LEVEL))
			continue;
		print_attr(&pr, &attrs[i], 0);
		*o = pr.o;
		return 0;
	}
	return -ENOENT;
}
