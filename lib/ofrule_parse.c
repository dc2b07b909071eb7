// SPDX-License-Identifier: GPL-2.0
/*
 * Rule lines in ovs-ofctl add-flow syntax: "FIELD=VALUE" and protocol
 * shorthands separated by commas or blanks, then "actions=" and the
 * actions. Stricter than ovs-ofctl where it would quietly change the rule:
 * a field given twice, or contradicting another (tcp,udp), a value out of
 * its range (nw_tos=33, 300.1.1.1), and a field without its OpenFlow
 * prerequisite (nw_src without ip, arp or rarp) are errors here, where
 * ovs-ofctl keeps the last one, truncates, or drops the field.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ofrule_int.h"
#include "ports.h"
#include "proto.h"

struct shorthand {
	const char *name;
	__u16 type;
	int proto; /* -1: none */
};

static const struct shorthand shorthands[] = {
	{ "ip", FP_ETH_P_IP, -1 },
	{ "ipv6", FP_ETH_P_IPV6, -1 },
	{ "arp", FP_ETH_P_ARP, -1 },
	{ "rarp", FP_ETH_P_RARP, -1 },
	{ "icmp", FP_ETH_P_IP, FP_IPPROTO_ICMP },
	{ "igmp", FP_ETH_P_IP, FP_IPPROTO_IGMP },
	{ "tcp", FP_ETH_P_IP, FP_IPPROTO_TCP },
	{ "udp", FP_ETH_P_IP, FP_IPPROTO_UDP },
	{ "sctp", FP_ETH_P_IP, FP_IPPROTO_SCTP },
	{ "icmp6", FP_ETH_P_IPV6, FP_IPPROTO_ICMPV6 },
	{ "tcp6", FP_ETH_P_IPV6, FP_IPPROTO_TCP },
	{ "udp6", FP_ETH_P_IPV6, FP_IPPROTO_UDP },
	{ "sctp6", FP_ETH_P_IPV6, FP_IPPROTO_SCTP },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Flow-mod settings of ovs-ofctl that rules here do not have. */
static const char *const unsupported[] = {
	"cookie",	 "table",	  "idle_timeout", "hard_timeout",
	"importance",	 "out_port",	  "out_group",	  "send_flow_rem",
	"check_overlap", "reset_counts", "no_packet_counts",
	"no_byte_counts", "duration",	  "n_packets",	  "n_bytes",
};

static bool word_is(const char *w, const char *s, size_t len)
{
	return strlen(w) == len && !strncasecmp(w, s, len);
}

/*
 * Merge one field's key/mask (@tk/@tm, only its bytes set) into the rule,
 * refusing a contradiction with what is already matched.
 */
static int merge(struct fp_odp_in *in, struct fp_rule *r,
		 const struct fp_flow_key *tk, const struct fp_flow_key *tm,
		 const char *tok, size_t toklen)
{
	const __u8 *k = (const __u8 *)tk, *m = (const __u8 *)tm;
	__u8 *rk = (__u8 *)&r->key, *rm = (__u8 *)&r->mask;
	char q[FP_ODP_QUOTE_LEN];
	size_t i;

	for (i = 0; i < sizeof(*tk); i++)
		if ((rk[i] ^ k[i]) & rm[i] & m[i])
			return fp_odp_error(in, "'%s' contradicts an earlier field of the match",
					    fp_odp_quote(q, tok, toklen));
	for (i = 0; i < sizeof(*tk); i++) {
		rk[i] |= k[i];
		rm[i] |= m[i];
	}
	return 0;
}

static int parse_shorthand(struct fp_odp_in *in, struct fp_rule *r,
			   const struct shorthand *sh, const char *tok,
			   size_t len)
{
	struct fp_flow_key tk = { 0 }, tm = { 0 };

	tk.eth_type = htons(sh->type);
	tm.eth_type = 0xffff;
	if (sh->proto >= 0) {
		tk.nw_proto = (__u8)sh->proto;
		tm.nw_proto = 0xff;
	}
	return merge(in, r, &tk, &tm, tok, len);
}

static int parse_priority(struct fp_odp_in *in, struct fp_rule *r,
			  const char *v, size_t vlen)
{
	char q[FP_ODP_QUOTE_LEN];
	__u64 p;

	if (fp_odp_scan_u64(v, vlen, &p) || p > 0xffff)
		return fp_odp_error(in, "priority '%s': expected a number 0 to 65535",
				    fp_odp_quote(q, v, vlen));
	r->priority = (__u16)p;
	return 0;
}

/* After the whole match: every field's prerequisite, and nw_proto under
 * arp meaning the opcode, as in OVS. */
static int check_prereqs(struct fp_odp_in *in, struct fp_rule *r,
			 const bool *given)
{
	unsigned int i;

	for (i = 0; i < fp_n_fields; i++) {
		const struct fp_field *f = &fp_fields[i];

		if (given[i] && !fp_prereq_ok(f->prereq, &r->key, &r->mask))
			return fp_odp_error(in, "%s needs %s in the match (OpenFlow prerequisite)",
					    f->name, fp_prereq_name(f->prereq));
	}
	if (r->mask.nw_proto && fp_prereq_ok(PR_ARP, &r->key, &r->mask)) {
		__be16 op = htons(r->key.nw_proto);

		if (r->mask.arp_op && r->key.arp_op != op)
			return fp_odp_error(in, "nw_proto=%u contradicts arp_op=%u (under arp, nw_proto is the opcode)",
					    r->key.nw_proto, ntohs(r->key.arp_op));
		r->key.arp_op = op;
		r->mask.arp_op = 0xffff;
		r->key.nw_proto = 0;
		r->mask.nw_proto = 0;
	}
	return 0;
}

static int parse_field_token(struct fp_odp_in *in, struct fp_rule *r,
			     bool *given, const char *tok, size_t toklen,
			     const char *name, size_t nlen, const char *v,
			     size_t vlen)
{
	const struct fp_field *f = fp_field_find(name, nlen);
	struct fp_flow_key tk = { 0 }, tm = { 0 };
	char q[FP_ODP_QUOTE_LEN];
	unsigned int i;
	int err;

	if (!f) {
		for (i = 0; i < N(unsupported); i++)
			if (word_is(unsupported[i], name, nlen))
				return fp_odp_error(in, "'%s': %s is not supported in flowpath rules",
						    fp_odp_quote(q, tok, toklen),
						    unsupported[i]);
		return fp_odp_error(in, "unknown field '%s' in '%s'",
				    fp_odp_quote(q, name, nlen),
				    fp_odp_quote(q, tok, toklen));
	}
	i = (unsigned int)(f - fp_fields);
	if (given[i])
		return fp_odp_error(in, "'%s': %s is given twice",
				    fp_odp_quote(q, tok, toklen), f->name);
	given[i] = true;
	err = fp_field_parse(in, f, v, vlen, &tk, &tm);
	if (err)
		return err;
	return merge(in, r, &tk, &tm, tok, toklen);
}

int fp_rule_parse_line(const char *s, struct fp_rule *r, bool need_actions,
		       char *err, size_t errlen)
{
	struct fp_odp_in in = { .p = s, .err = err, .errlen = errlen };
	bool given[64] = { false };
	char q[FP_ODP_QUOTE_LEN];
	bool have_actions = false;
	unsigned int i;
	int ret;

	if (errlen)
		err[0] = '\0';
	for (;;) {
		const char *tok, *name, *v = NULL;
		size_t toklen, nlen, vlen = 0;

		fp_odp_skip_delims(&in);
		if (!*in.p)
			break;
		tok = in.p;
		while (*in.p && !fp_odp_is_delim(*in.p) && *in.p != '=')
			in.p++;
		name = tok;
		nlen = (size_t)(in.p - tok);
		if (*in.p == '=') {
			in.p++;
			if (word_is("actions", name, nlen)) {
				if (!need_actions)
					return fp_odp_error(&in, "'actions=' does not belong in a match");
				ret = fp_ofactions_parse(&in, in.p, r);
				if (ret)
					return ret;
				have_actions = true;
				break;
			}
			v = in.p;
			while (*in.p && !fp_odp_is_delim(*in.p))
				in.p++;
			vlen = (size_t)(in.p - v);
		}
		toklen = (size_t)(in.p - tok);
		if (!nlen)
			return fp_odp_error(&in, "'%s': expected FIELD=VALUE or a protocol like ip",
					    fp_odp_quote(q, tok, toklen));
		if (!v) {
			for (i = 0; i < N(shorthands); i++)
				if (word_is(shorthands[i].name, name, nlen))
					break;
			if (i == N(shorthands)) {
				if (fp_field_find(name, nlen) ||
				    word_is("priority", name, nlen))
					return fp_odp_error(&in, "'%s' needs a value: %s=VALUE",
							    fp_odp_quote(q, tok, toklen),
							    fp_odp_quote(q, tok, toklen));
				return fp_odp_error(&in, "unknown keyword '%s' (not a protocol like ip, tcp, arp...)",
						    fp_odp_quote(q, tok, toklen));
			}
			ret = parse_shorthand(&in, r, &shorthands[i], tok,
					      toklen);
		} else if (word_is("priority", name, nlen)) {
			ret = parse_priority(&in, r, v, vlen);
		} else {
			ret = parse_field_token(&in, r, given, tok, toklen,
						name, nlen, v, vlen);
		}
		if (ret)
			return ret;
	}
	if (need_actions && !have_actions)
		return fp_odp_error(&in, "must specify actions (actions=...)");
	return check_prereqs(&in, r, given);
}

int fp_rule_parse(const char *s, struct fp_rule **out, char *err,
		  size_t errlen)
{
	struct fp_rule *r = calloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	if (!r) {
		if (errlen)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->priority = FP_RULE_PRIORITY_DEFAULT;
	ret = fp_rule_parse_line(s, r, true, err, errlen);
	if (ret) {
		fp_rule_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

void fp_rule_free(struct fp_rule *r)
{
	if (!r)
		return;
	free(r->acts);
	free(r);
}

/* ---- actions ---- */

static int add_act(struct fp_odp_in *in, struct fp_rule *r,
		   struct fp_ofaction **out)
{
	struct fp_ofaction *a;

	if (r->n_acts >= FP_RULE_MAX_ACTS)
		return fp_odp_error(in, "more than %d actions", FP_RULE_MAX_ACTS);
	a = realloc(r->acts, (r->n_acts + 1) * sizeof(*a));
	if (!a)
		return fp_odp_error(in, "out of memory");
	r->acts = a;
	*out = memset(&a[r->n_acts++], 0, sizeof(*a));
	return 0;
}

static int act_num(struct fp_odp_in *in, const char *act, const char *arg,
		   size_t alen, __u64 max, __u64 *v)
{
	char q[FP_ODP_QUOTE_LEN];

	if (!arg)
		return fp_odp_error(in, "%s needs an argument: %s:N", act, act);
	if (fp_odp_scan_u64(arg, alen, v) || *v > max)
		return fp_odp_error(in, "%s:%s: expected a number 0 to %llu",
				    act, fp_odp_quote(q, arg, alen),
				    (unsigned long long)max);
	return 0;
}

static int parse_port(struct fp_odp_in *in, const char *act, const char *arg,
		      size_t alen, __u64 *v)
{
	char q[FP_ODP_QUOTE_LEN];

	if (!arg || fp_odp_scan_u64(arg, alen, v) || *v < 1 ||
	    *v >= FP_MAX_PORTS)
		return fp_odp_error(in, "%s:%s: expected a port number 1 to %d",
				    act, arg ? fp_odp_quote(q, arg, alen) : "",
				    FP_MAX_PORTS - 1);
	return 0;
}

/* mod_dl_src:X and friends: a set_field of @fname, printed as @act. */
static int parse_mod(struct fp_odp_in *in, struct fp_ofaction *a,
		     const char *act, const char *fname, const char *arg,
		     size_t alen)
{
	struct fp_flow_key mask = { 0 };
	char q[FP_ODP_QUOTE_LEN];

	if (!arg)
		return fp_odp_error(in, "%s needs an argument: %s:VALUE", act,
				    act);
	if (memchr(arg, '/', alen))
		return fp_odp_error(in, "%s:%s: no mask allowed", act,
				    fp_odp_quote(q, arg, alen));
	a->type = OFA_SET_FIELD;
	a->field = fp_field_find(fname, strlen(fname));
	a->mod_name = act;
	return fp_field_parse(in, a->field, arg, alen, &a->val, &mask);
}

/* Fields set_field can rewrite: what a datapath set() or push_vlan
 * reaches (and tun_id, the tunnel action). */
static bool settable(const struct fp_field *f)
{
	switch (f->kind) {
	case FK_MAC:
	case FK_VID:
	case FK_PCP:
	case FK_TOS:
	case FK_ECN:
	case FK_BE64:
		return f->prereq != PR_ARP;
	case FK_IPV4:
		return f->prereq == PR_IP_ARP;
	case FK_IPV6:
		return true;
	case FK_U8:
		return !strcmp(f->name, "nw_ttl");
	case FK_BE16:
		return f->prereq >= PR_L4 && f->prereq <= PR_SCTP;
	}
	return false;
}

/*
 * The match as the actions so far leave it, for set_field's prerequisites:
 * as in OVS, push_vlan or mod_vlan_vid before set_field:...->vlan_vid
 * gives it the tag it needs, strip_vlan takes it away.
 */
struct act_state {
	struct fp_flow_key key, mask;
};

static void track_vlan(struct act_state *st, const struct fp_ofaction *a)
{
	switch (a->type) {
	case OFA_MOD_VLAN_VID:
	case OFA_MOD_VLAN_PCP:
	case OFA_PUSH_VLAN:
		st->key.vlan[0].tci |= htons(0x1000);
		st->mask.vlan[0].tci |= htons(0x1000);
		break;
	case OFA_STRIP_VLAN:
		st->key.vlan[0].tci = 0;
		st->mask.vlan[0].tci = 0xffff;
		break;
	}
}

static int parse_set_field(struct fp_odp_in *in, const struct act_state *st,
			   struct fp_ofaction *a, const char *arg, size_t alen)
{
	const char *arrow = NULL, *fname;
	struct fp_flow_key mask = { 0 };
	char q[FP_ODP_QUOTE_LEN], q2[FP_ODP_QUOTE_LEN];
	const struct fp_field *f;
	size_t i, vlen, flen;
	__u64 v;

	for (i = 0; arg && i + 1 < alen; i++)
		if (arg[i] == '-' && arg[i + 1] == '>')
			arrow = arg + i;
	if (!arrow)
		return fp_odp_error(in, "set_field:%s: expected set_field:VALUE->FIELD",
				    arg ? fp_odp_quote(q, arg, alen) : "");
	vlen = (size_t)(arrow - arg);
	fname = arrow + 2;
	flen = alen - vlen - 2;
	f = fp_field_find(fname, flen);
	if (!f)
		return fp_odp_error(in, "set_field:%s: unknown field '%s'",
				    fp_odp_quote(q, arg, alen),
				    fp_odp_quote(q2, fname, flen));
	if (!settable(f))
		return fp_odp_error(in, "set_field:%s: %s cannot be set (no datapath action rewrites it)",
				    fp_odp_quote(q, arg, alen), f->name);
	if (memchr(arg, '/', vlen))
		return fp_odp_error(in, "set_field:%s: no mask allowed",
				    fp_odp_quote(q, arg, alen));
	if (!fp_prereq_ok(f->kind == FK_VID || f->kind == FK_PCP ? PR_VLAN :
								     f->prereq,
			  &st->key, &st->mask))
		return fp_odp_error(in, "set_field:%s: %s needs %s in the match (OpenFlow prerequisite)",
				    fp_odp_quote(q, arg, alen), f->setname,
				    fp_prereq_name(f->kind == FK_VID ||
							   f->kind == FK_PCP ?
						   PR_VLAN :
						   f->prereq));
	if (f->kind == FK_BE64) { /* tun_id: the tunnel action */
		if (fp_odp_scan_u64(arg, vlen, &v))
			return fp_odp_error(in, "set_field:%s: " FP_ODP_EXPECT_NUM,
					    fp_odp_quote(q, arg, alen));
		a->type = OFA_SET_TUNNEL;
		a->flags = OFA_F_TUN64;
		a->num = v;
		return 0;
	}
	if (f->kind == FK_VID && !fp_odp_scan_u64(arg, vlen, &v) &&
	    v >= 0x1000 && v <= 0x1fff) {
		/* OpenFlow 1.2+ writes the VID with OFPVID_PRESENT. */
		a->type = OFA_SET_FIELD;
		a->field = f;
		a->val.vlan[0].tci = htons((__u16)v);
		return 0;
	}
	a->type = OFA_SET_FIELD;
	a->field = f;
	return fp_field_parse(in, f, arg, vlen, &a->val, &mask);
}

static int parse_action(struct fp_odp_in *in, struct fp_rule *r,
			const struct act_state *st, const char *tok,
			size_t len)
{
	const char *colon = memchr(tok, ':', len), *arg = NULL;
	size_t nlen = colon ? (size_t)(colon - tok) : len, alen = 0;
	char q[FP_ODP_QUOTE_LEN];
	struct fp_ofaction *a = NULL;
	__u64 v;
	int err;

	if (colon) {
		arg = colon + 1;
		alen = len - nlen - 1;
	}
	err = add_act(in, r, &a);
	if (err)
		return err;
	if (tok[0] >= '0' && tok[0] <= '9') {
		a->type = OFA_OUTPUT;
		err = parse_port(in, "output", tok, len, &v);
		a->num = v;
		return err;
	}
	if (word_is("output", tok, nlen)) {
		if (arg && word_is("normal", arg, alen))
			a->type = OFA_NORMAL;
		else if (arg && word_is("flood", arg, alen))
			a->type = OFA_FLOOD;
		else if (arg && word_is("all", arg, alen))
			a->type = OFA_ALL;
		else if (arg && word_is("in_port", arg, alen))
			a->type = OFA_IN_PORT;
		else {
			a->type = OFA_OUTPUT;
			err = parse_port(in, "output", arg, alen, &v);
			a->num = v;
		}
		return err;
	}
	if (word_is("in_port", tok, nlen) || word_is("normal", tok, nlen) ||
	    word_is("flood", tok, nlen) || word_is("all", tok, nlen) ||
	    word_is("strip_vlan", tok, nlen) || word_is("pop_vlan", tok, nlen) ||
	    word_is("dec_ttl", tok, nlen)) {
		if (colon)
			return fp_odp_error(in, "'%s': %.*s takes no argument",
					    fp_odp_quote(q, tok, len), (int)nlen,
					    tok);
		switch (tok[0] | 0x20) {
		case 'i':
			a->type = OFA_IN_PORT;
			break;
		case 'n':
			a->type = OFA_NORMAL;
			break;
		case 'f':
			a->type = OFA_FLOOD;
			break;
		case 'a':
			a->type = OFA_ALL;
			break;
		case 'd':
			a->type = OFA_DEC_TTL;
			break;
		default:
			a->type = OFA_STRIP_VLAN;
		}
		return 0;
	}
	if (word_is("mod_vlan_vid", tok, nlen)) {
		a->type = OFA_MOD_VLAN_VID;
		return act_num(in, "mod_vlan_vid", arg, alen, 4095, &a->num);
	}
	if (word_is("mod_vlan_pcp", tok, nlen)) {
		a->type = OFA_MOD_VLAN_PCP;
		return act_num(in, "mod_vlan_pcp", arg, alen, 7, &a->num);
	}
	if (word_is("push_vlan", tok, nlen)) {
		a->type = OFA_PUSH_VLAN;
		err = act_num(in, "push_vlan", arg, alen, 0xffff, &a->num);
		if (!err && a->num != FP_ETH_P_8021Q && a->num != FP_ETH_P_8021AD)
			return fp_odp_error(in, "push_vlan:%s: expected the VLAN ethertype 0x8100 or 0x88a8",
					    fp_odp_quote(q, arg, alen));
		return err;
	}
	if (word_is("mod_dl_src", tok, nlen))
		return parse_mod(in, a, "mod_dl_src", "dl_src", arg, alen);
	if (word_is("mod_dl_dst", tok, nlen))
		return parse_mod(in, a, "mod_dl_dst", "dl_dst", arg, alen);
	if (word_is("mod_nw_src", tok, nlen))
		return parse_mod(in, a, "mod_nw_src", "nw_src", arg, alen);
	if (word_is("mod_nw_dst", tok, nlen))
		return parse_mod(in, a, "mod_nw_dst", "nw_dst", arg, alen);
	if (word_is("mod_nw_tos", tok, nlen))
		return parse_mod(in, a, "mod_nw_tos", "nw_tos", arg, alen);
	if (word_is("mod_nw_ttl", tok, nlen))
		return parse_mod(in, a, "mod_nw_ttl", "nw_ttl", arg, alen);
	if (word_is("mod_tp_src", tok, nlen))
		return parse_mod(in, a, "mod_tp_src", "tp_src", arg, alen);
	if (word_is("mod_tp_dst", tok, nlen))
		return parse_mod(in, a, "mod_tp_dst", "tp_dst", arg, alen);
	if (word_is("set_field", tok, nlen))
		return parse_set_field(in, st, a, arg, alen);
	if (word_is("set_tunnel", tok, nlen)) {
		a->type = OFA_SET_TUNNEL;
		return act_num(in, "set_tunnel", arg, alen, 0xffffffffu,
			       &a->num);
	}
	if (word_is("set_tunnel64", tok, nlen)) {
		a->type = OFA_SET_TUNNEL;
		a->flags = OFA_F_TUN64;
		return act_num(in, "set_tunnel64", arg, alen, ~0ull, &a->num);
	}
	return fp_odp_error(in, "unknown action '%s'",
			    fp_odp_quote(q, tok, nlen));
}

int fp_ofactions_parse(struct fp_odp_in *in, const char *s, struct fp_rule *r)
{
	struct act_state st = { r->key, r->mask };
	bool drop = false;
	int err;

	in->p = s;
	for (;;) {
		const char *tok;
		size_t len;

		fp_odp_skip_delims(in);
		if (!*in->p)
			break;
		tok = in->p;
		while (*in->p && !fp_odp_is_delim(*in->p))
			in->p++;
		len = (size_t)(in->p - tok);
		if (word_is("drop", tok, len)) {
			drop = true;
			continue;
		}
		err = parse_action(in, r, &st, tok, len);
		if (err)
			return err;
		track_vlan(&st, &r->acts[r->n_acts - 1]);
	}
	if (drop && r->n_acts)
		return fp_odp_error(in, "\"drop\" must not be accompanied by any other action");
	return 0;
}
