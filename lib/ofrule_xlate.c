// SPDX-License-Identifier: GPL-2.0
/*
 * Translation of a rule's OpenFlow actions, for one exact key, into
 * datapath actions. The OpenFlow actions edit a copy of the key (cur);
 * an output first "commits" what changed since the last one (base): a
 * set(eth(...)), the VLAN pops and pushes that turn base's tag stack into
 * cur's, set(ipv4/ipv6(...)), set(tcp/udp/sctp(...)), each with only the
 * changed fields in its mask. So modifications come before the outputs
 * that should see them, and an output before a mod_* sends the packet as
 * it was, as OpenFlow's action list means.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ofrule_int.h"
#include "mac_learning.h"
#include "ports.h"
#include "proto.h"

struct xlate {
	const struct fp_flow_key *orig;
	struct fp_flow_key base, cur;
	const struct fp_xlate_ctx *ctx;
	struct fp_slow_actions *out;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 3, 4)))
xerr(struct xlate *x, int ret, const char *fmt, ...)
{
	va_list ap;

	if (x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static int emit(struct xlate *x, __u32 type, struct fp_action **a)
{
	if (x->out->n_actions >= FP_SLOW_MAX_ACTIONS)
		return xerr(x, -E2BIG, "more than %d datapath actions",
			    FP_SLOW_MAX_ACTIONS);
	*a = &x->out->actions[x->out->n_actions++];
	memset(*a, 0, sizeof(**a));
	(*a)->type = type;
	return 0;
}

static bool is_ipv4(const struct fp_flow_key *k)
{
	return k->eth_type == htons(FP_ETH_P_IP);
}

static bool is_ipv6(const struct fp_flow_key *k)
{
	return k->eth_type == htons(FP_ETH_P_IPV6);
}

/* Does the packet carry a TCP, UDP or SCTP header to rewrite? */
static bool has_l4(const struct fp_flow_key *k)
{
	return (is_ipv4(k) || is_ipv6(k)) && k->nw_frag != FP_FRAG_LATER &&
	       (k->nw_proto == FP_IPPROTO_TCP || k->nw_proto == FP_IPPROTO_UDP ||
		k->nw_proto == FP_IPPROTO_SCTP);
}

/* Copy field [off, off + n) of cur into val/mask if it changed. */
static bool diff(const struct xlate *x, size_t off, size_t n, void *val,
		 void *mask)
{
	const __u8 *b = (const __u8 *)&x->base + off;
	const __u8 *c = (const __u8 *)&x->cur + off;

	if (!memcmp(b, c, n))
		return false;
	memcpy(val, c, n);
	memset(mask, 0xff, n);
	return true;
}

/* A TOS byte: DSCP and ECN are written separately, so mask each part. */
static bool diff_tos(__u8 base, __u8 cur, __u8 *val, __u8 *mask)
{
	__u8 d = base ^ cur;

	*mask = (d & 0xfc ? 0xfc : 0) | (d & 0x03 ? 0x03 : 0);
	*val = cur & *mask;
	return *mask;
}

#define KOFF(f) offsetof(struct fp_flow_key, f)

static int commit_eth(struct xlate *x)
{
	struct fp_action_set_field sf = { .group = FP_SET_ETH };
	bool any = false;
	struct fp_action *a = NULL;
	int err;

	any |= diff(x, KOFF(eth_src), 6, sf.u.eth.val.src, sf.u.eth.mask.src);
	any |= diff(x, KOFF(eth_dst), 6, sf.u.eth.val.dst, sf.u.eth.mask.dst);
	if (!any)
		return 0;
	err = emit(x, FP_ACT_SET_FIELD, &a);
	if (!err)
		a->u.set_field = sf;
	return err;
}

static unsigned int n_tags(const struct fp_flow_key *k)
{
	unsigned int n = 0;

	while (n < FP_MAX_VLAN && k->vlan[n].tpid)
		n++;
	return n;
}

static bool same_tag(const struct fp_vlan_tag *a, const struct fp_vlan_tag *b)
{
	return a->tpid == b->tpid && a->tci == b->tci;
}

/* Pop base's outer tags until what is left is the inner part of cur's
 * stack, then push the rest of cur's tags, innermost first. */
static int commit_vlan(struct xlate *x)
{
	unsigned int nb = n_tags(&x->base), nc = n_tags(&x->cur), pops, keep, i;
	struct fp_action *a = NULL;
	int err;

	for (pops = 0; pops <= nb; pops++) {
		keep = nb - pops;
		if (keep > nc)
			continue;
		for (i = 0; i < keep; i++)
			if (!same_tag(&x->base.vlan[pops + i],
				      &x->cur.vlan[nc - keep + i]))
				break;
		if (i == keep)
			break;
	}
	for (i = 0; i < pops; i++) {
		err = emit(x, FP_ACT_POP_VLAN, &a);
		if (err)
			return err;
	}
	for (i = nc - keep; i-- > 0;) {
		err = emit(x, FP_ACT_PUSH_VLAN, &a);
		if (err)
			return err;
		a->u.push_vlan.tpid = x->cur.vlan[i].tpid;
		/* The action carries PCP and VID; the key's CFI bit only
		 * says a tag is there. */
		a->u.push_vlan.tci = x->cur.vlan[i].tci & ~htons(0x1000);
	}
	return 0;
}

static int commit_l3(struct xlate *x)
{
	struct fp_action_set_field sf = { 0 };
	bool any = false;
	struct fp_action *a = NULL;
	int err;

	if (is_ipv4(&x->cur)) {
		sf.group = FP_SET_IPV4;
		any |= diff(x, KOFF(nw.ipv4.src), 4, &sf.u.ipv4.val.src,
			    &sf.u.ipv4.mask.src);
		any |= diff(x, KOFF(nw.ipv4.dst), 4, &sf.u.ipv4.val.dst,
			    &sf.u.ipv4.mask.dst);
		any |= diff_tos(x->base.nw_tos, x->cur.nw_tos,
				&sf.u.ipv4.val.tos, &sf.u.ipv4.mask.tos);
		any |= diff(x, KOFF(nw_ttl), 1, &sf.u.ipv4.val.ttl,
			    &sf.u.ipv4.mask.ttl);
	} else if (is_ipv6(&x->cur)) {
		sf.group = FP_SET_IPV6;
		any |= diff(x, KOFF(nw.ipv6.src), 16, sf.u.ipv6.val.src,
			    sf.u.ipv6.mask.src);
		any |= diff(x, KOFF(nw.ipv6.dst), 16, sf.u.ipv6.val.dst,
			    sf.u.ipv6.mask.dst);
		any |= diff_tos(x->base.nw_tos, x->cur.nw_tos,
				&sf.u.ipv6.val.tclass, &sf.u.ipv6.mask.tclass);
		any |= diff(x, KOFF(nw_ttl), 1, &sf.u.ipv6.val.hlimit,
			    &sf.u.ipv6.mask.hlimit);
	}
	if (!any)
		return 0;
	err = emit(x, FP_ACT_SET_FIELD, &a);
	if (!err)
		a->u.set_field = sf;
	return err;
}

static int commit_l4(struct xlate *x)
{
	struct fp_action_set_field sf = { 0 };
	bool any = false;
	struct fp_action *a = NULL;
	int err;

	if (!has_l4(&x->cur))
		return 0;
	sf.group = x->cur.nw_proto == FP_IPPROTO_TCP ? FP_SET_TCP :
		   x->cur.nw_proto == FP_IPPROTO_UDP ? FP_SET_UDP :
						       FP_SET_SCTP;
	any |= diff(x, KOFF(tp_src), 2, &sf.u.l4.val.src, &sf.u.l4.mask.src);
	any |= diff(x, KOFF(tp_dst), 2, &sf.u.l4.val.dst, &sf.u.l4.mask.dst);
	if (!any)
		return 0;
	err = emit(x, FP_ACT_SET_FIELD, &a);
	if (!err)
		a->u.set_field = sf;
	return err;
}

static int commit(struct xlate *x)
{
	int err = commit_eth(x);

	if (!err)
		err = commit_vlan(x);
	if (!err)
		err = commit_l3(x);
	if (!err)
		err = commit_l4(x);
	x->base = x->cur;
	return err;
}

static int output(struct xlate *x, __u32 port, __u32 flags)
{
	struct fp_action *a = NULL;
	int err;

	/* OpenFlow: never back out of the input port unless asked. */
	if (port == x->orig->in_port && !(flags & FP_OUTPUT_F_IN_PORT))
		return 0;
	err = commit(x);
	if (!err)
		err = emit(x, FP_ACT_OUTPUT, &a);
	if (!err) {
		a->u.output.port = port;
		a->u.output.flags = flags;
	}
	return err;
}

static int flood(struct xlate *x)
{
	unsigned int i;
	int err;

	for (i = 0; i < x->ctx->n_ports; i++) {
		const struct fp_xlate_port *p = &x->ctx->ports[i];

		if (p->type == FP_PORT_UNUSED)
			continue;
		err = output(x, p->port, 0);
		if (err)
			return err;
	}
	return 0;
}

/* The L2 learning switch: the learned port, or everywhere else. */
bool fp_rule_runs_normal(const struct fp_rule *r)
{
	unsigned int i;

	for (i = 0; r && i < r->n_acts; i++)
		if (r->acts[i].type == OFA_NORMAL)
			return true;
	return false;
}

static int normal(struct xlate *x)
{
	const struct fp_flow_key *k = &x->cur;
	__u16 vid = k->vlan[0].tpid ? ntohs(k->vlan[0].tci) & 0xfff : 0;
	__u32 port = 0;

	if (!(k->eth_dst[0] & 1) && x->ctx->macs)
		port = fp_mac_lookup(x->ctx->macs, vid, k->eth_dst,
				     x->ctx->now_ns);
	if (!port)
		return flood(x);
	return output(x, port, 0); /* learned on in_port: dropped there */
}

static void push_tag(struct fp_flow_key *k, __u16 tpid, __u16 tci)
{
	k->vlan[1] = k->vlan[0];
	k->vlan[0].tpid = htons(tpid);
	k->vlan[0].tci = htons(tci | 0x1000);
}

static void set_tci_bits(struct fp_flow_key *k, __u16 bits, __u16 mask)
{
	__u16 tci = ntohs(k->vlan[0].tci);

	k->vlan[0].tci = htons((tci & ~mask) | bits | 0x1000);
}

static int set_field(struct xlate *x, const struct fp_ofaction *a)
{
	const struct fp_field *f = a->field;
	const __u8 *v = (const __u8 *)&a->val + f->off;
	struct fp_flow_key *k = &x->cur;
	__u16 tci;

	switch (f->kind) {
	case FK_MAC:
		memcpy((__u8 *)k + f->off, v, f->size);
		return 0;
	case FK_VID:
	case FK_PCP:
		/* set_field on an untagged packet does nothing, as OVS. */
		if (!k->vlan[0].tpid)
			return 0;
		tci = ntohs(a->val.vlan[0].tci);
		if (f->kind == FK_VID)
			set_tci_bits(k, tci & 0x0fff, 0x0fff);
		else
			set_tci_bits(k, tci & 0xe000, 0xe000);
		return 0;
	case FK_IPV4:
		if (is_ipv4(k)) {
			memcpy((__u8 *)k + f->off, v, f->size);
			return 0;
		}
		if (!a->mod_name && (k->eth_type == htons(FP_ETH_P_ARP) ||
				     k->eth_type == htons(FP_ETH_P_RARP)))
			return xerr(x, -EINVAL,
				    "set_field:...->%s on an ARP packet: no datapath action rewrites ARP addresses",
				    f->setname);
		return 0;
	case FK_IPV6:
		if (is_ipv6(k))
			memcpy((__u8 *)k + f->off, v, f->size);
		return 0;
	case FK_TOS:
		if (is_ipv4(k) || is_ipv6(k))
			k->nw_tos = (k->nw_tos & 0x03) | (*v & 0xfc);
		return 0;
	case FK_ECN:
		if (is_ipv4(k) || is_ipv6(k))
			k->nw_tos = (k->nw_tos & 0xfc) | (*v & 0x03);
		return 0;
	case FK_U8: /* nw_ttl */
		if (is_ipv4(k) || is_ipv6(k))
			k->nw_ttl = *v;
		return 0;
	case FK_BE16: /* tp_src, tp_dst and their per-protocol names */
		if (has_l4(k))
			memcpy((__u8 *)k + f->off, v, f->size);
		return 0;
	}
	return xerr(x, -EINVAL, "set_field of %s cannot be translated",
		    f->setname);
}

int fp_rule_xlate(const struct fp_rule *r, const struct fp_flow_key *key,
		  const struct fp_xlate_ctx *ctx, struct fp_slow_actions *out,
		  char *err, size_t errlen)
{
	static const struct fp_xlate_ctx no_ports;
	struct xlate x = {
		.orig = key, .base = *key, .cur = *key,
		.ctx = ctx ? ctx : &no_ports, .out = out,
		.err = err, .errlen = errlen,
	};
	unsigned int i;
	int ret = 0;

	if (errlen)
		err[0] = '\0';
	out->n_actions = 0;
	out->pad = 0;
	for (i = 0; r && i < r->n_acts && !ret; i++) {
		const struct fp_ofaction *a = &r->acts[i];
		struct fp_flow_key *k = &x.cur;

		switch (a->type) {
		case OFA_OUTPUT:
			ret = output(&x, (__u32)a->num, 0);
			break;
		case OFA_IN_PORT:
			if (key->in_port == FP_PORT_NONE)
				return xerr(&x, -EINVAL,
					    "IN_PORT: the packet has no input port");
			ret = output(&x, key->in_port, FP_OUTPUT_F_IN_PORT);
			break;
		case OFA_NORMAL:
			ret = normal(&x);
			break;
		case OFA_FLOOD:
		case OFA_ALL:
			ret = flood(&x);
			break;
		case OFA_MOD_VLAN_VID:
			/* OpenFlow 1.0: an untagged packet gets a tag. */
			if (!k->vlan[0].tpid)
				push_tag(k, FP_ETH_P_8021Q, (__u16)a->num);
			else
				set_tci_bits(k, (__u16)a->num, 0x0fff);
			break;
		case OFA_MOD_VLAN_PCP:
			if (!k->vlan[0].tpid)
				push_tag(k, FP_ETH_P_8021Q, (__u16)(a->num << 13));
			else
				set_tci_bits(k, (__u16)(a->num << 13), 0xe000);
			break;
		case OFA_STRIP_VLAN:
			if (k->vlan[0].tpid) {
				k->vlan[0] = k->vlan[1];
				memset(&k->vlan[1], 0, sizeof(k->vlan[1]));
			}
			break;
		case OFA_PUSH_VLAN:
			if (k->vlan[FP_MAX_VLAN - 1].tpid)
				return xerr(&x, -EINVAL,
					    "push_vlan:0x%04llx: the packet would have more than %d VLAN tags",
					    (unsigned long long)a->num,
					    FP_MAX_VLAN);
			push_tag(k, (__u16)a->num, 0);
			break;
		case OFA_SET_FIELD:
			ret = set_field(&x, a);
			break;
		case OFA_DEC_TTL:
			if (!is_ipv4(k) && !is_ipv6(k))
				break;
			/* TTL expired: OVS sends it to the controller;
			 * with none, the packet goes no further. */
			if (k->nw_ttl <= 1)
				return 0;
			k->nw_ttl--;
			break;
		case OFA_SET_TUNNEL:
			return xerr(&x, -EINVAL,
				    "%s:0x%llx: this datapath has no set-tunnel action yet",
				    a->flags & OFA_F_TUN64 ? "set_tunnel64" :
							     "set_tunnel",
				    (unsigned long long)a->num);
		default:
			return xerr(&x, -EINVAL, "unknown action type %u",
				    a->type);
		}
	}
	return ret;
}
