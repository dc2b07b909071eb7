// SPDX-License-Identifier: GPL-2.0
/*
 * Flow actions in ovs-dpctl syntax: "drop", or a list such as "2,3".
 *
 * Each action type is one row of actions[]: the name it is written with
 * and the functions that parse and print its arguments. Adding an action
 * (push_vlan(...), pop_vlan, set(...), hash(...), tnl_push(...)) is adding
 * a row; the list handling, limits and error messages stay here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "odp.h"
#include "odp_text.h"
#include "odp_act_set.h"
#include "ports.h"

struct odp_action {
	/* What the action is written as, "name" or "name(args)"; NULL for
	 * output, written as the bare port number. */
	const char *name;
	__u32 type; /* enum fp_action_type */
	/*
	 * Parse the action's arguments into @act (zeroed, type set). The
	 * cursor is just past the name (at the port number for output) and
	 * must be left just past the action. @key may be NULL.
	 */
	int (*parse)(struct fp_odp_in *in, struct fp_action *act,
		     const struct fp_flow_key *key);
	void (*format)(struct fp_odp_out *o, const struct fp_action *act);
};

static int parse_output(struct fp_odp_in *in, struct fp_action *act,
			const struct fp_flow_key *key)
{
	char q[FP_ODP_QUOTE_LEN];
	const char *tok;
	size_t len = fp_odp_value(in, &tok);
	__u64 port;
	int err;

	err = fp_odp_scan_u64(tok, len, &port);
	if (err == -EINVAL)
		return fp_odp_error(in, "bad port '%s' in output action: %s",
				    fp_odp_quote(q, tok, len),
				    FP_ODP_EXPECT_NUM);
	if (err || port == 0 || port >= FP_MAX_PORTS)
		return fp_odp_error(in,
				    "port '%s' out of range in output action: expected 1 to %u",
				    fp_odp_quote(q, tok, len), FP_MAX_PORTS - 1);
	act->u.output.port = port;
	/* Written out in a flow's actions, going back out of the input port
	 * is asked for, not a mistake for the datapath to filter. */
	if (key && key->in_port == port)
		act->u.output.flags |= FP_OUTPUT_F_IN_PORT;
	return 0;
}

static void format_output(struct fp_odp_out *o, const struct fp_action *act)
{
	fp_odp_printf(o, "%u", act->u.output.port);
}

/*
 * The "(name=value,...)" argument list of an action, names from @names
 * (each at most once; see what @seen says was given), values numbers.
 * The cursor is at '(' and ends past ')'.
 */
#define ODP_MAX_ARGS 4

static int parse_args(struct fp_odp_in *in, const char *action,
		      const char *const *names, __u64 *vals, bool *seen)
{
	char q[FP_ODP_QUOTE_LEN];
	const char *tok;
	size_t len, i;
	int err;

	if (*in->p != '(')
		return fp_odp_error(in, "expected '(' after %s", action);
	in->p++;
	while (*in->p != ')') {
		len = fp_odp_name(in, &tok);
		for (i = 0; names[i]; i++)
			if (strlen(names[i]) == len &&
			    !strncmp(names[i], tok, len))
				break;
		if (!names[i] || *in->p != '=') {
			if (!len)
				len = fp_odp_value(in, &tok);
			return fp_odp_error(in,
					    "unknown argument '%s' in %s(...)",
					    fp_odp_quote(q, tok, len ? len : 1),
					    action);
		}
		if (seen[i])
			return fp_odp_error(in,
					    "argument '%s' given twice in %s(...)",
					    names[i], action);
		in->p++;
		len = fp_odp_value(in, &tok);
		err = fp_odp_scan_u64(tok, len, &vals[i]);
		if (err)
			return fp_odp_error(in, "bad %s '%s' in %s(...): %s",
					    names[i],
					    fp_odp_quote(q, tok, len ? len : 1),
					    action, FP_ODP_EXPECT_NUM);
		seen[i] = true;
		if (*in->p == ',')
			in->p++;
		else if (*in->p != ')')
			return fp_odp_error(in, "expected ',' or ')' in %s(...), not '%s'",
					    action, fp_odp_quote_rest(q, in->p));
	}
	in->p++;
	return 0;
}

/* push_vlan(vid=V,pcp=P), push_vlan(tpid=0x88a8,vid=V,pcp=P), ",cfi=1"
 * allowed: what OVS's parser takes; vid and pcp are required. */
static int parse_push_vlan(struct fp_odp_in *in, struct fp_action *act,
			   const struct fp_flow_key *key)
{
	static const char *const names[] = { "tpid", "vid", "pcp", "cfi",
					     NULL };
	__u64 v[ODP_MAX_ARGS] = { 0x8100, 0, 0, 1 };
	bool seen[ODP_MAX_ARGS] = { false };
	int err;

	(void)key;
	err = parse_args(in, "push_vlan", names, v, seen);
	if (err)
		return err;
	if (!seen[1] || !seen[2])
		return fp_odp_error(in, "push_vlan(...) needs vid= and pcp=");
	if (v[0] != 0x8100 && v[0] != 0x88a8)
		return fp_odp_error(in,
				    "tpid '%#llx' in push_vlan(...): expected 0x8100 or 0x88a8",
				    (unsigned long long)v[0]);
	if (v[1] > 4095)
		return fp_odp_error(in,
				    "vid '%llu' out of range in push_vlan(...): expected 0 to 4095",
				    (unsigned long long)v[1]);
	if (v[2] > 7)
		return fp_odp_error(in,
				    "pcp '%llu' out of range in push_vlan(...): expected 0 to 7",
				    (unsigned long long)v[2]);
	/* The OVS datapath refuses a pushed tag without the "present" bit;
	 * the tag on the wire never carries it (DEI is 0). */
	if (v[3] != 1)
		return fp_odp_error(in,
				    "cfi '%llu' in push_vlan(...): only cfi=1 (a tag is present) can be pushed",
				    (unsigned long long)v[3]);
	act->u.push_vlan.tpid = htons((__u16)v[0]);
	act->u.push_vlan.tci = htons((__u16)(v[2] << 13 | v[1]));
	return 0;
}

/* As OVS's format_odp_action: tpid only if not 802.1Q, vid and pcp
 * always. */
static void format_push_vlan(struct fp_odp_out *o, const struct fp_action *act)
{
	__u16 tpid = ntohs(act->u.push_vlan.tpid);
	__u16 tci = ntohs(act->u.push_vlan.tci);

	fp_odp_printf(o, "push_vlan(");
	if (tpid != 0x8100)
		fp_odp_printf(o, "tpid=0x%04x,", tpid);
	fp_odp_printf(o, "vid=%u,pcp=%u)", tci & 0xfff, tci >> 13);
}

static int parse_no_args(struct fp_odp_in *in, struct fp_action *act,
			 const struct fp_flow_key *key)
{
	(void)in;
	(void)act;
	(void)key;
	return 0;
}

static void format_pop_vlan(struct fp_odp_out *o, const struct fp_action *act)
{
	(void)act;
	fp_odp_printf(o, "pop_vlan");
}

/* A number in parentheses: "(N)". */
static int parse_paren_u32(struct fp_odp_in *in, const char *what,
			   __u32 *out)
{
	char q[FP_ODP_QUOTE_LEN];
	const char *tok;
	size_t len;
	__u64 v;
	int err;

	if (*in->p != '(')
		return fp_odp_error(in, "expected '(' after %s", what);
	in->p++;
	len = fp_odp_value(in, &tok);
	err = fp_odp_scan_u64(tok, len, &v);
	if (err == -EINVAL)
		return fp_odp_error(in, "bad number '%s' in %s: %s",
				    fp_odp_quote(q, tok, len ? len : 1), what,
				    FP_ODP_EXPECT_NUM);
	if (err || v > 0xffffffffu)
		return fp_odp_error(in,
				    "'%s' out of range in %s: expected at most 0xffffffff",
				    fp_odp_quote(q, tok, len), what);
	if (*in->p != ')')
		return fp_odp_error(in, "expected ')' in %s, not '%s'", what,
				    fp_odp_quote_rest(q, in->p));
	in->p++;
	*out = (__u32)v;
	return 0;
}

/* hash(l4(BASIS)): OVS's other algorithm, sym_l4, has no stage here. */
static int parse_hash(struct fp_odp_in *in, struct fp_action *act,
		      const struct fp_flow_key *key)
{
	char q[FP_ODP_QUOTE_LEN];
	const char *tok;
	size_t len;
	int err;

	(void)key;
	if (*in->p != '(')
		return fp_odp_error(in, "expected '(' after hash");
	in->p++;
	len = fp_odp_name(in, &tok);
	if (len != 2 || strncmp(tok, "l4", 2)) {
		if (!len)
			len = fp_odp_value(in, &tok);
		return fp_odp_error(in,
				    "unknown hash algorithm '%s' in hash(...): expected l4(basis)",
				    fp_odp_quote(q, tok, len ? len : 1));
	}
	act->u.hash.alg = FP_HASH_ALG_L4;
	err = parse_paren_u32(in, "hash(l4(...))", &act->u.hash.basis);
	if (err)
		return err;
	if (*in->p != ')')
		return fp_odp_error(in, "expected ')' in hash(...), not '%s'",
				    fp_odp_quote_rest(q, in->p));
	in->p++;
	return 0;
}

static void format_hash(struct fp_odp_out *o, const struct fp_action *act)
{
	if (act->u.hash.alg == FP_HASH_ALG_L4)
		fp_odp_printf(o, "hash(l4(%u))", act->u.hash.basis);
	else
		fp_odp_printf(o, "hash(alg%u(%u))", act->u.hash.alg,
			      act->u.hash.basis);
}

static int parse_recirc(struct fp_odp_in *in, struct fp_action *act,
			const struct fp_flow_key *key)
{
	(void)key;
	return parse_paren_u32(in, "recirc(...)", &act->u.recirc.id);
}

/* As OVS 3.x prints it: recirc(0x1). */
static void format_recirc(struct fp_odp_out *o, const struct fp_action *act)
{
	fp_odp_printf(o, "recirc(%#x)", act->u.recirc.id);
}

static const struct odp_action actions[] = {
	{ NULL, FP_ACT_OUTPUT, parse_output, format_output },
	{ "push_vlan", FP_ACT_PUSH_VLAN, parse_push_vlan, format_push_vlan },
	{ "pop_vlan", FP_ACT_POP_VLAN, parse_no_args, format_pop_vlan },
	{ "hash", FP_ACT_HASH, parse_hash, format_hash },
	{ "recirc", FP_ACT_RECIRC, parse_recirc, format_recirc },
	{ "set", FP_ACT_SET_FIELD, fp_odp_set_parse, fp_odp_set_format },
	/* Parsed by the row above (the name is the same), printed here. */
	{ "set", FP_ACT_SET_TUNNEL, fp_odp_set_parse,
	  fp_odp_set_tunnel_format },
};

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

static const struct odp_action *find_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N_ACTIONS; i++)
		if (actions[i].name && strlen(actions[i].name) == len &&
		    !strncmp(actions[i].name, name, len))
			return &actions[i];
	return NULL;
}

static const struct odp_action *find_by_type(__u32 type)
{
	size_t i;

	for (i = 0; i < N_ACTIONS; i++)
		if (actions[i].type == type)
			return &actions[i];
	return NULL;
}

static const char *action_names(char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "a port number");
	for (i = 0; i < N_ACTIONS; i++)
		if (actions[i].name)
			snprintf(buf + strlen(buf), len - strlen(buf), ", %s",
				 actions[i].name);
	snprintf(buf + strlen(buf), len - strlen(buf), " or drop");
	return buf;
}

/* An action list being parsed: room for @cap elements. */
struct act_list {
	struct fp_action *a;
	__u32 cap;
	__u32 n;
	bool slow; /* an action without a BPF stage */
	const char *limit; /* why @cap, for the message */
};

static int parse_one(struct fp_odp_in *in, struct act_list *l,
		     const struct fp_flow_key *key)
{
	char q[FP_ODP_QUOTE_LEN], names[256];
	const struct odp_action *desc;
	struct fp_action *act;
	const char *start = in->p, *name;
	size_t len;
	int err;

	if (*in->p >= '0' && *in->p <= '9') {
		desc = find_by_type(FP_ACT_OUTPUT);
	} else {
		len = fp_odp_name(in, &name);
		if (!len)
			len = fp_odp_value(in, &name);
		if (len == 4 && !strncmp(name, "drop", 4))
			return fp_odp_error(in,
					    "'drop' must be the only action (it means: no actions)");
		desc = find_by_name(name, len);
		if (!desc)
			return fp_odp_error(in,
					    "unknown action '%s' (expected %s)",
					    fp_odp_quote(q, name, len ? len : 1),
					    action_names(names, sizeof(names)));
	}
	if (l->n && l->a[l->n - 1].type == FP_ACT_RECIRC) {
		len = fp_odp_value(in, &name);
		return fp_odp_error(in,
				    "action '%s' after recirc(...): recirc must be the last action",
				    fp_odp_quote(q, start, in->p - start));
	}
	if (l->n == l->cap) {
		len = fp_odp_value(in, &name);
		return fp_odp_error(in,
				    "too many actions: '%s' would be action %u, %s %u",
				    fp_odp_quote(q, start, in->p - start),
				    l->cap + 1, l->limit, l->cap);
	}
	act = &l->a[l->n];
	memset(act, 0, sizeof(*act));
	act->type = desc->type;
	err = desc->parse(in, act, key);
	if (err)
		return err;
	l->n++;
	/* Without a BPF stage for it, the slow path runs the whole flow. */
	if (desc->type >= FP_ACT_TYPE_MAX)
		l->slow = true;
	return 0;
}

static int parse_list(const char *s, const struct fp_flow_key *key,
		      struct act_list *l, char *err, size_t errlen)
{
	struct fp_odp_in in = { .p = s, .err = err, .errlen = errlen };
	char q[FP_ODP_QUOTE_LEN], q2[FP_ODP_QUOTE_LEN];
	const char *last = NULL;
	int ret = 0;

	if (errlen)
		err[0] = '\0';
	l->n = 0;
	l->slow = false;
	memset(l->a, 0, l->cap * sizeof(*l->a));

	fp_odp_skip_space(&in);
	if (!strncmp(in.p, "drop", 4)) {
		in.p += 4;
		fp_odp_skip_space(&in);
		if (!*in.p)
			return 0;
		in.p = s;
	}
	for (;;) {
		fp_odp_skip_delims(&in);
		if (!*in.p)
			break;
		last = in.p;
		ret = parse_one(&in, l, key);
		if (ret)
			break;
		if (*in.p == ')') {
			ret = fp_odp_error(&in,
					   "unbalanced parentheses: unexpected '%s' after '%s'",
					   fp_odp_quote_rest(q, in.p),
					   fp_odp_quote(q2, last, in.p - last));
			break;
		}
		if (*in.p && !fp_odp_is_delim(*in.p)) {
			const char *tok;
			size_t len = fp_odp_value(&in, &tok);

			ret = fp_odp_error(&in, "trailing garbage '%s' after action '%.*s'",
					   fp_odp_quote(q, tok, len ? len : 1),
					   (int)(tok - last), last);
			break;
		}
	}
	if (!ret && !last)
		ret = fp_odp_error(&in,
				   "no actions: expected a port number, a list such as 2,3, or drop");
	if (ret) {
		l->n = 0;
		l->slow = false;
		memset(l->a, 0, l->cap * sizeof(*l->a));
	}
	return ret;
}

int fp_odp_actions_parse(const char *s, const struct fp_flow_key *key,
			 struct fp_flow *flow, char *err, size_t errlen)
{
	struct act_list l = { flow->actions, FP_MAX_ACTIONS, 0, false,
			      "a flow holds at most" };
	int ret = parse_list(s, key, &l, err, errlen);

	flow->n_actions = l.n;
	flow->flags &= ~FP_FLOW_F_SLOW_PATH;
	if (l.slow)
		flow->flags |= FP_FLOW_F_SLOW_PATH;
	return ret;
}

int fp_odp_actions_parse_all(const char *s, const struct fp_flow_key *key,
			     struct fp_flow *flow, struct fp_slow_actions *all,
			     char *err, size_t errlen)
{
	struct act_list l = { all->actions, FP_SLOW_MAX_ACTIONS, 0, false,
			      "a slow-path flow holds at most" };
	int ret = parse_list(s, key, &l, err, errlen);

	all->n_actions = l.n;
	all->pad = 0;
	flow->n_actions = l.n < FP_MAX_ACTIONS ? l.n : FP_MAX_ACTIONS;
	memcpy(flow->actions, all->actions,
	       sizeof(flow->actions[0]) * FP_MAX_ACTIONS);
	flow->flags &= ~FP_FLOW_F_SLOW_PATH;
	if (l.slow || l.n > FP_MAX_ACTIONS)
		flow->flags |= FP_FLOW_F_SLOW_PATH;
	return ret;
}

int fp_odp_actions_format(const struct fp_flow *flow, char *buf, size_t len)
{
	__u32 n = flow->n_actions;

	return fp_odp_actions_format_list(flow->actions,
					  n < FP_MAX_ACTIONS ? n : FP_MAX_ACTIONS,
					  buf, len);
}

int fp_odp_actions_format_list(const struct fp_action *actions, __u32 n,
			       char *buf, size_t len)
{
	struct fp_odp_out o;
	__u32 i;

	fp_odp_out_init(&o, buf, len);
	if (!n)
		fp_odp_printf(&o, "drop");
	for (i = 0; i < n; i++) {
		const struct fp_action *act = &actions[i];
		const struct odp_action *desc = find_by_type(act->type);

		if (i)
			fp_odp_printf(&o, ",");
		if (desc)
			desc->format(&o, act);
		else /* a type this build does not know: say which */
			fp_odp_printf(&o, "action%u", act->type);
	}
	return fp_odp_out_len(&o);
}
