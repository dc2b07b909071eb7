// SPDX-License-Identifier: GPL-2.0
/*
 * set(tunnel(...)) in ovs-dpctl syntax: the egress tunnel metadata of the
 * packet, with the fields and flags of the key's tunnel(...) attribute:
 *
 *   set(tunnel(tun_id=0x5,src=192.0.2.1,dst=198.51.100.2,tos=0x10,ttl=64,
 *              flags(df|key)))
 *   set(tunnel(tun_id=0x7,erspan(ver=2,dir=1,hwid=0x4)))
 *
 * Parsing and printing are the key's (fp_odp_key_attr_parse/format), so
 * the two syntaxes cannot drift apart. Unlike OVS, which replaces the whole
 * tunnel metadata, a field left out keeps the output port's configured
 * value: the port says where the tunnel goes, the flow may override any
 * part of it. Refused: IPv6 outer addresses (not supported yet) and a
 * tunnel(...) that names no field.
 */
#include <errno.h>
#include <string.h>

#include "odp_act_set.h"

static __u32 tun_given(const struct fp_flow_key *m)
{
	__u32 g = 0;

	if (m->tun.tun_id)
		g |= FP_SET_TUN_ID;
	if (m->tun.outer.ipv4.src)
		g |= FP_SET_TUN_SRC;
	if (m->tun.outer.ipv4.dst)
		g |= FP_SET_TUN_DST;
	if (m->tun.tos)
		g |= FP_SET_TUN_TOS;
	if (m->tun.ttl)
		g |= FP_SET_TUN_TTL;
	if (m->tun.flags)
		g |= FP_SET_TUN_FLAGS;
	if (m->tun.erspan_ver)
		g |= FP_SET_TUN_ERSPAN;
	return g;
}

/* The mask fp_odp_key_attr_format() prints the given fields by. */
static void tun_mask(__u32 g, const struct fp_tunnel_key *t,
		     struct fp_flow_key *m)
{
	memset(m, 0, sizeof(*m));
	if (g & FP_SET_TUN_ID)
		m->tun.tun_id = ~0ull;
	if (g & FP_SET_TUN_SRC)
		m->tun.outer.ipv4.src = ~0u;
	if (g & FP_SET_TUN_DST)
		m->tun.outer.ipv4.dst = ~0u;
	if (g & FP_SET_TUN_TOS)
		m->tun.tos = 0xff;
	if (g & FP_SET_TUN_TTL)
		m->tun.ttl = 0xff;
	if (g & FP_SET_TUN_FLAGS)
		m->tun.flags = 0xffff;
	if (g & FP_SET_TUN_ERSPAN) {
		m->tun.erspan_ver = 0xff;
		if (t->erspan_ver == 1) {
			m->tun.erspan_idx = ~0u;
		} else {
			m->tun.erspan_dir = 0xff;
			m->tun.erspan_hwid = 0xff;
		}
	}
}

int fp_odp_set_tunnel_parse(struct fp_odp_in *in, struct fp_action *act)
{
	struct fp_action_set_tunnel *st = &act->u.set_tunnel;
	struct fp_flow_key key, mask;
	int err;

	memset(&key, 0, sizeof(key));
	memset(&mask, 0, sizeof(mask));
	err = fp_odp_key_attr_parse(in, &key, &mask);
	if (err)
		return err;
	if (key.tun.flags & FP_TUN_F_IPV6)
		return fp_odp_error(in,
				    "set(tunnel(ipv6_src=/ipv6_dst=...)): IPv6 outer headers are not supported, give src=/dst= (IPv4)");
	act->type = FP_ACT_SET_TUNNEL;
	st->tun = key.tun;
	st->given = tun_given(&mask);
	if (!st->given)
		return fp_odp_error(in,
				    "set(tunnel()) sets no field: give at least one of tun_id, src, dst, tos, ttl, erspan, flags");
	return 0;
}

void fp_odp_set_tunnel_format(struct fp_odp_out *o, const struct fp_action *act)
{
	const struct fp_action_set_tunnel *st = &act->u.set_tunnel;
	struct fp_flow_key key, mask;

	memset(&key, 0, sizeof(key));
	key.tun = st->tun;
	tun_mask(st->given, &st->tun, &mask);
	fp_odp_printf(o, "set(");
	fp_odp_key_attr_format(o, "tunnel", &key, &mask);
	fp_odp_printf(o, ")");
}
