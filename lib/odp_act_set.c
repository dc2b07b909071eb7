// SPDX-License-Identifier: GPL-2.0
/*
 * set(...) in ovs-dpctl syntax: one key attribute whose fields are the
 * new values, each optionally masked, as ovs-dpctl 3.1 writes both its
 * set and set_masked actions (odp-util.c, format_odp_action):
 *
 *   set(eth(src=02:00:00:00:00:09,dst=02:00:00:00:00:0a))
 *   set(ipv4(src=192.0.2.0/255.255.255.0,ttl=9))
 *   set(ipv6(dst=2001:db8::9,label=0x5,tclass=0x20,hlimit=3))
 *   set(tcp(src=8080)), set(udp(dst=53/0xff00)), set(sctp(dst=5000))
 *   set(tunnel(...)): its own action type, lib/odp_act_tunnel.c
 *
 * A field given without a mask is set whole, a field left out is not
 * touched; a dump prints only the fields that are set, a mask only where
 * it is partial (as OVS prints a masked set). Values may not have bits
 * outside their mask (the kernel datapath refuses those too), and IPv4 and
 * IPv6 masks may also be written as a prefix length (/24).
 *
 * Refused, with the token named: an attribute or field that cannot be
 * set (ipv4 proto/frag: they say which headers there are; arp, vlan,
 * mpls, ...) and a set of a protocol the flow's key does not have.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "odp_act_set.h"
#include "proto.h"

enum set_kind {
	S_MAC,
	S_IPV4,
	S_IPV6,
	S_U8, /* a byte */
	S_LABEL, /* IPv6 flow label: 20 bits of a __be32 */
	S_PORT, /* __be16 */
};

struct set_field {
	const char *name;
	__u8 kind; /* enum set_kind */
	__u8 hex; /* printed as %#x (OVS's format for it) */
	__u16 off; /* in the group's value struct */
};

struct set_group {
	const char *name;
	__u32 group; /* enum fp_set_group */
	size_t vsize; /* the value struct: the mask follows it */
	const struct set_field *fields;
	size_t n_fields;
	/* Fields of the key attribute that cannot be set, and why. */
	const char *fixed;
	const char *fixed_why;
	/* NULL if @key has this attribute, else what it would need. */
	const char *(*needs)(const struct fp_flow_key *key);
};

#define SF(nm, kind_, hex_, type, m) \
	{ nm, kind_, hex_, offsetof(type, m) }
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct set_field eth_fields[] = {
	SF("src", S_MAC, 0, struct fp_set_eth, src),
	SF("dst", S_MAC, 0, struct fp_set_eth, dst),
};

static const struct set_field ipv4_fields[] = {
	SF("src", S_IPV4, 0, struct fp_set_ipv4, src),
	SF("dst", S_IPV4, 0, struct fp_set_ipv4, dst),
	SF("tos", S_U8, 1, struct fp_set_ipv4, tos),
	SF("ttl", S_U8, 0, struct fp_set_ipv4, ttl),
};

static const struct set_field ipv6_fields[] = {
	SF("src", S_IPV6, 0, struct fp_set_ipv6, src),
	SF("dst", S_IPV6, 0, struct fp_set_ipv6, dst),
	SF("label", S_LABEL, 1, struct fp_set_ipv6, label),
	SF("tclass", S_U8, 1, struct fp_set_ipv6, tclass),
	SF("hlimit", S_U8, 0, struct fp_set_ipv6, hlimit),
};

static const struct set_field l4_fields[] = {
	SF("src", S_PORT, 0, struct fp_set_l4, src),
	SF("dst", S_PORT, 0, struct fp_set_l4, dst),
};

static bool is_ip(const struct fp_flow_key *k, __u16 type)
{
	return k->eth_type == htons(type);
}

static const char *needs_ipv4(const struct fp_flow_key *k)
{
	return is_ip(k, FP_ETH_P_IP) ? NULL : "eth_type(0x0800)";
}

static const char *needs_ipv6(const struct fp_flow_key *k)
{
	return is_ip(k, FP_ETH_P_IPV6) ? NULL : "eth_type(0x86dd)";
}

static bool l4_in_key(const struct fp_flow_key *k, __u8 proto)
{
	return (is_ip(k, FP_ETH_P_IP) || is_ip(k, FP_ETH_P_IPV6)) &&
	       k->nw_proto == proto && k->nw_frag != FP_FRAG_LATER;
}

static const char *needs_tcp(const struct fp_flow_key *k)
{
	return l4_in_key(k, FP_IPPROTO_TCP) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=6 and frag=no or first";
}

static const char *needs_udp(const struct fp_flow_key *k)
{
	return l4_in_key(k, FP_IPPROTO_UDP) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=17 and frag=no or first";
}

static const char *needs_sctp(const struct fp_flow_key *k)
{
	return l4_in_key(k, FP_IPPROTO_SCTP) ?
		       NULL :
		       "ipv4(...) or ipv6(...) with proto=132 and frag=no or first";
}

static const struct set_group groups[] = {
	{ "eth", FP_SET_ETH, sizeof(struct fp_set_eth), eth_fields,
	  N(eth_fields), NULL, NULL, NULL },
	{ "ipv4", FP_SET_IPV4, sizeof(struct fp_set_ipv4), ipv4_fields,
	  N(ipv4_fields), "proto frag",
	  "it says which headers follow, and is matched, not set",
	  needs_ipv4 },
	{ "ipv6", FP_SET_IPV6, sizeof(struct fp_set_ipv6), ipv6_fields,
	  N(ipv6_fields), "proto frag",
	  "it says which headers follow, and is matched, not set",
	  needs_ipv6 },
	{ "tcp", FP_SET_TCP, sizeof(struct fp_set_l4), l4_fields,
	  N(l4_fields), NULL, NULL, needs_tcp },
	{ "udp", FP_SET_UDP, sizeof(struct fp_set_l4), l4_fields,
	  N(l4_fields), NULL, NULL, needs_udp },
	{ "sctp", FP_SET_SCTP, sizeof(struct fp_set_l4), l4_fields,
	  N(l4_fields), NULL, NULL, needs_sctp },
};

/* Key attributes that exist but have no set() here, and why. */
static const struct {
	const char *name;
	const char *why;
} unsettable[] = {
	{ "in_port", "it is where the packet came from" },
	{ "recirc_id", "use recirc(...)" },
	{ "dp_hash", "use hash(...)" },
	{ "eth_type", "use push_vlan/pop_vlan" },
	{ "vlan", "use push_vlan/pop_vlan" },
	{ "encap", "use push_vlan/pop_vlan" },
	{ "tcp_flags", "flags are matched, not set" },
	{ "arp", "not supported" },
	{ "mpls", "not supported" },
	{ "icmp", "not supported" },
	{ "icmpv6", "not supported" },
	{ "igmp", "not supported" },
	{ "nd", "not supported" },
};

static size_t field_size(const struct set_field *f)
{
	switch (f->kind) {
	case S_MAC:
		return FP_ETH_ALEN;
	case S_IPV4:
	case S_LABEL:
		return 4;
	case S_IPV6:
		return 16;
	case S_U8:
		return 1;
	default:
		return 2;
	}
}

/* Every bit the field has, in its storage. */
static void field_full(const struct set_field *f, __u8 *m)
{
	__be32 label = htonl(FP_IPV6_LABEL);

	if (f->kind == S_LABEL)
		memcpy(m, &label, sizeof(label));
	else
		memset(m, 0xff, field_size(f));
}

static bool bytes_zero(const __u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* A prefix length as a mask of @n bytes. */
static int scan_prefix(const char *s, size_t len, size_t n, __u8 *m)
{
	__u64 bits;
	size_t i;

	if (!len || len > 3 || strspn(s, "0123456789") < len ||
	    fp_odp_scan_u64(s, len, &bits) || bits > n * 8)
		return -EINVAL;
	for (i = 0; i < n; i++, bits = bits > 8 ? bits - 8 : 0)
		m[i] = bits >= 8 ? 0xff : (__u8)(0xff00 >> bits);
	return 0;
}

/* One value (or mask) of field @f into @out, in network order. */
static int scan_one(struct fp_odp_in *in, const struct set_group *g,
		    const struct set_field *f, const char *tok, size_t len,
		    bool is_mask, __u8 *out)
{
	char q[FP_ODP_QUOTE_LEN];
	const char *what = is_mask ? "mask" : "value";
	__u64 v, max;
	int err;

	fp_odp_quote(q, tok, len);
	if (!len)
		return fp_odp_error(in, "missing %s for %s(%s=...) in set(...)",
				    what, g->name, f->name);
	switch (f->kind) {
	case S_MAC:
		if (fp_odp_scan_mac(tok, len, out))
			return fp_odp_error(in,
					    "bad MAC %s '%s' for %s(%s=...) in set(...): %s",
					    what, q, g->name, f->name,
					    FP_ODP_EXPECT_MAC);
		return 0;
	case S_IPV4:
		if (fp_odp_scan_ipv4(tok, len, out) &&
		    !(is_mask && !scan_prefix(tok, len, 4, out)))
			return fp_odp_error(in,
					    "bad IPv4 %s '%s' for %s(%s=...) in set(...): %s%s",
					    what, q, g->name, f->name,
					    FP_ODP_EXPECT_IPV4,
					    is_mask ? " or a prefix length" : "");
		return 0;
	case S_IPV6:
		if (fp_odp_scan_ipv6(tok, len, out) &&
		    !(is_mask && !scan_prefix(tok, len, 16, out)))
			return fp_odp_error(in,
					    "bad IPv6 %s '%s' for %s(%s=...) in set(...): %s%s",
					    what, q, g->name, f->name,
					    FP_ODP_EXPECT_IPV6,
					    is_mask ? " or a prefix length" : "");
		return 0;
	default:
		break;
	}
	max = f->kind == S_U8 ? 0xff : f->kind == S_PORT ? 0xffff :
							   FP_IPV6_LABEL;
	err = fp_odp_scan_u64(tok, len, &v);
	if (err == -EINVAL)
		return fp_odp_error(in,
				    "bad number '%s' for %s(%s=...) in set(...): %s",
				    q, g->name, f->name, FP_ODP_EXPECT_NUM);
	if (err || v > max)
		return fp_odp_error(in,
				    "%s '%s' out of range for %s(%s=...) in set(...): expected 0 to %#llx",
				    what, q, g->name, f->name,
				    (unsigned long long)max);
	if (f->kind == S_U8) {
		*out = v;
	} else if (f->kind == S_PORT) {
		__be16 x = htons(v);

		memcpy(out, &x, sizeof(x));
	} else {
		__be32 x = htonl(v);

		memcpy(out, &x, sizeof(x));
	}
	return 0;
}

/* name=value[/mask] of field @f, the cursor at the value. */
static int parse_field(struct fp_odp_in *in, const struct set_group *g,
		       const struct set_field *f, __u8 *val, __u8 *mask)
{
	char q[FP_ODP_QUOTE_LEN];
	size_t n = field_size(f), i, len;
	const char *tok, *slash;
	int err;

	len = fp_odp_value(in, &tok);
	slash = memchr(tok, '/', len);
	err = scan_one(in, g, f, tok, slash ? (size_t)(slash - tok) : len,
		       false, val + f->off);
	if (err)
		return err;
	if (!slash) {
		field_full(f, mask + f->off);
		/* A value wider than the field (label) was refused above. */
		return 0;
	}
	err = scan_one(in, g, f, slash + 1, len - (slash + 1 - tok), true,
		       mask + f->off);
	if (err)
		return err;
	if (bytes_zero(mask + f->off, n))
		return fp_odp_error(in,
				    "mask of %s(%s=...) in set(...) is 0: it would set nothing, leave the field out",
				    g->name, f->name);
	for (i = 0; i < n; i++)
		if (val[f->off + i] & ~mask[f->off + i])
			return fp_odp_error(in,
					    "value '%s' of %s(%s=...) in set(...) has bits outside its mask",
					    fp_odp_quote(q, tok, len), g->name,
					    f->name);
	return 0;
}

static bool word_in(const char *list, const char *w, size_t n)
{
	const char *p = list;

	while (p && *p) {
		size_t l = strcspn(p, " ");

		if (l == n && !strncmp(p, w, n))
			return true;
		p += l;
		p += strspn(p, " ");
	}
	return false;
}

static int parse_fields(struct fp_odp_in *in, const struct set_group *g,
			__u8 *val, __u8 *mask)
{
	char q[FP_ODP_QUOTE_LEN], names[96];
	__u32 given = 0;
	size_t i, n;
	const char *name;
	int err;

	for (;;) {
		fp_odp_skip_delims(in);
		if (*in->p == ')') {
			in->p++;
			break;
		}
		if (!*in->p)
			return fp_odp_error(in,
					    "unbalanced parentheses: 'set(%s(' is not closed",
					    g->name);
		n = fp_odp_name(in, &name);
		if (!n) {
			n = fp_odp_value(in, &name);
			return fp_odp_error(in,
					    "unexpected '%s' in set(%s(...))",
					    fp_odp_quote(q, name, n ? n : 1),
					    g->name);
		}
		for (i = 0; i < g->n_fields; i++)
			if (strlen(g->fields[i].name) == n &&
			    !strncmp(g->fields[i].name, name, n))
				break;
		if (i == g->n_fields) {
			if (word_in(g->fixed, name, n))
				return fp_odp_error(in,
						    "field '%s' of %s(...) cannot be set: %s",
						    fp_odp_quote(q, name, n),
						    g->name, g->fixed_why);
			names[0] = '\0';
			for (i = 0; i < g->n_fields; i++)
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 i ? ", " : "", g->fields[i].name);
			return fp_odp_error(in,
					    "unknown field '%s' in set(%s(...)) (expected %s)",
					    fp_odp_quote(q, name, n), g->name,
					    names);
		}
		if (given & 1u << i)
			return fp_odp_error(in,
					    "duplicate field '%s' in set(%s(...))",
					    g->fields[i].name, g->name);
		given |= 1u << i;
		if (*in->p != '=')
			return fp_odp_error(in,
					    "expected '=' after '%s' in set(%s(...))",
					    g->fields[i].name, g->name);
		in->p++;
		err = parse_field(in, g, &g->fields[i], val, mask);
		if (err)
			return err;
	}
	if (!given)
		return fp_odp_error(in,
				    "set(%s()) sets no field: give at least one",
				    g->name);
	return 0;
}

int fp_odp_set_parse(struct fp_odp_in *in, struct fp_action *act,
		     const struct fp_flow_key *key)
{
	struct fp_action_set_field *sf = &act->u.set_field;
	char q[FP_ODP_QUOTE_LEN], names[64] = "";
	const struct set_group *g = NULL;
	const char *name, *need;
	size_t i, n;
	__u8 *val;
	int err;

	if (*in->p != '(')
		return fp_odp_error(in,
				    "expected '(' after 'set': set(ipv4(ttl=9)), set(eth(dst=...)), ...");
	in->p++;
	fp_odp_skip_space(in);
	if (!strncmp(in->p, "tunnel(", 7)) {
		err = fp_odp_set_tunnel_parse(in, act);
		if (err)
			return err;
		fp_odp_skip_space(in);
		if (*in->p != ')')
			return fp_odp_error(in,
					    "set(...) takes one attribute: unexpected '%s' after tunnel(...)",
					    fp_odp_quote_rest(q, in->p));
		in->p++;
		return 0;
	}
	n = fp_odp_name(in, &name);
	for (i = 0; i < N(groups); i++) {
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", i ? ", " : "", groups[i].name);
		if (n && strlen(groups[i].name) == n &&
		    !strncmp(groups[i].name, name, n))
			g = &groups[i];
	}
	if (!g) {
		if (!n)
			n = fp_odp_value(in, &name);
		for (i = 0; i < N(unsettable); i++)
			if (strlen(unsettable[i].name) == n &&
			    !strncmp(unsettable[i].name, name, n))
				return fp_odp_error(in,
						    "set(%s(...)) is not supported: %s",
						    unsettable[i].name,
						    unsettable[i].why);
		return fp_odp_error(in,
				    "unknown attribute '%s' in set(...) (expected %s)",
				    fp_odp_quote(q, name, n ? n : 1), names);
	}
	if (*in->p != '(')
		return fp_odp_error(in, "expected '(' after 'set(%s'",
				    g->name);
	in->p++;
	sf->group = g->group;
	val = (__u8 *)&sf->u;
	err = parse_fields(in, g, val, val + g->vsize);
	if (err)
		return err;
	fp_odp_skip_space(in);
	if (*in->p != ')') {
		if (!*in->p)
			return fp_odp_error(in,
					    "unbalanced parentheses: 'set(' is not closed");
		return fp_odp_error(in,
				    "set(...) takes one attribute: unexpected '%s' after %s(...)",
				    fp_odp_quote_rest(q, in->p), g->name);
	}
	in->p++;
	need = key && g->needs ? g->needs(key) : NULL;
	if (need)
		return fp_odp_error(in,
				    "set(%s(...)) does not fit this flow: its key has no %s(...), which needs %s",
				    g->name, g->name, need);
	return 0;
}

static void put_value(struct fp_odp_out *o, const struct set_field *f,
		      const __u8 *p)
{
	__be32 x32;
	__be16 x16;

	switch (f->kind) {
	case S_MAC:
		fp_odp_put_mac(o, p);
		break;
	case S_IPV4:
		fp_odp_put_ipv4(o, p);
		break;
	case S_IPV6:
		fp_odp_put_ipv6(o, p);
		break;
	case S_U8:
		fp_odp_printf(o, f->hex ? "%#x" : "%u", *p);
		break;
	case S_LABEL:
		memcpy(&x32, p, sizeof(x32));
		fp_odp_printf(o, "%#x", ntohl(x32));
		break;
	default:
		memcpy(&x16, p, sizeof(x16));
		fp_odp_printf(o, "%u", ntohs(x16));
	}
}

/* Masks of numbers in hex, as OVS prints them; addresses as addresses. */
static void put_mask(struct fp_odp_out *o, const struct set_field *f,
		     const __u8 *p)
{
	__be32 x32;
	__be16 x16;

	switch (f->kind) {
	case S_U8:
		fp_odp_printf(o, "%#x", *p);
		break;
	case S_LABEL:
		memcpy(&x32, p, sizeof(x32));
		fp_odp_printf(o, "%#x", ntohl(x32));
		break;
	case S_PORT:
		memcpy(&x16, p, sizeof(x16));
		fp_odp_printf(o, "%#x", ntohs(x16));
		break;
	default:
		put_value(o, f, p);
	}
}

void fp_odp_set_format(struct fp_odp_out *o, const struct fp_action *act)
{
	const struct fp_action_set_field *sf = &act->u.set_field;
	const __u8 *val = (const __u8 *)&sf->u, *mask;
	const struct set_group *g = NULL;
	bool first = true;
	__u8 full[16];
	size_t i;

	for (i = 0; i < N(groups); i++)
		if (groups[i].group == sf->group)
			g = &groups[i];
	if (!g) { /* a group this build does not know: say which */
		fp_odp_printf(o, "set(group%u)", sf->group);
		return;
	}
	mask = val + g->vsize;
	fp_odp_printf(o, "set(%s(", g->name);
	for (i = 0; i < g->n_fields; i++) {
		const struct set_field *f = &g->fields[i];
		size_t n = field_size(f);

		if (bytes_zero(mask + f->off, n))
			continue;
		fp_odp_printf(o, "%s%s=", first ? "" : ",", f->name);
		first = false;
		put_value(o, f, val + f->off);
		field_full(f, full);
		if (memcmp(full, mask + f->off, n)) {
			fp_odp_printf(o, "/");
			put_mask(o, f, mask + f->off);
		}
	}
	fp_odp_printf(o, "))");
}
