// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the rule parser (lib/ofrule_parse.c, ovs-ofctl
 * add-flow syntax) and what is built on it. The input is one rule line.
 *
 * Properties, each an abort when broken:
 *  - a refused line gets -EINVAL and a message;
 *  - a parsed rule formats within FP_RULE_STRLEN, and its dump form
 *    ("MATCH actions=ACTIONS") parses back to the same priority, match and
 *    actions, and formats to the same text again;
 *  - the dumped match, as a strict del-flows match, deletes that rule and
 *    nothing else;
 *  - translating the rule for its own key gives at most
 *    FP_SLOW_MAX_ACTIONS datapath actions (or -E2BIG / -EINVAL with a
 *    message), and their ovs-dpctl text parses back to the same list.
 * The line is also tried as a del-flows match, which takes no actions.
 */
#include <errno.h>

#include "fuzz_common.h"
#include "odp.h"
#include "ofrule_int.h"
#include "ports.h"

static char in[FP_RULE_STRLEN];
static char match[FP_RULE_STRLEN], acts[FP_RULE_STRLEN];
static char again_acts[FP_RULE_STRLEN], line[2 * FP_RULE_STRLEN];
static char text[FP_ODP_SLOW_ACTIONS_STRLEN];
static struct fp_slow_actions xl, back;
static struct fp_flow flow;

static int same_acts(const struct fp_rule *a, const struct fp_rule *b)
{
	unsigned int i;

	if (a->n_acts != b->n_acts)
		return 0;
	for (i = 0; i < a->n_acts; i++) {
		const struct fp_ofaction *x = &a->acts[i], *y = &b->acts[i];

		if (x->type != y->type || x->flags != y->flags ||
		    x->field != y->field || x->num != y->num ||
		    memcmp(&x->val, &y->val, sizeof(x->val)))
			return 0;
		/* mod_name points at a literal: compare the names. */
		if (!x->mod_name != !y->mod_name ||
		    (x->mod_name && strcmp(x->mod_name, y->mod_name)))
			return 0;
	}
	return 1;
}

static void check_del(void)
{
	char err[FP_RULE_ERR_LEN];
	struct fp_rule_table *t = fp_rules_new();
	struct fp_rule *copy;
	int n;

	if (!t)
		return;
	/* The table takes the rule: give it a copy of its own. */
	if (fp_rule_parse(line, &copy, err, sizeof(err)))
		fz_fail(in, "dump form stopped parsing: %s", err);
	if (fp_rules_add(t, copy))
		goto out;
	n = fp_rules_del(t, match, true, err, sizeof(err));
	if (n != 1)
		fz_fail(in, "strict del of the dumped match '%s' deleted %d (%s)",
			match, n, n < 0 ? err : "");
	if (fp_rules_count(t))
		fz_fail(in, "strict del left %u rules", fp_rules_count(t));
out:
	fp_rules_free(t);
}

static void check_xlate(const struct fp_rule *r)
{
	static const struct fp_xlate_port ports[] = {
		{ 1, FP_PORT_NETDEV }, { 2, FP_PORT_NETDEV },
		{ 3, FP_PORT_NETDEV }, { 4, FP_PORT_GRE },
	};
	const struct fp_xlate_ctx ctx = { ports, 4, NULL, 0 };
	struct fp_flow_key key = r->key;
	char err[FP_ODP_ERR_LEN];
	int ret, len;

	/* The rule's own key is a packet it matches (the masked-out bits
	 * zero); it needs an arrival port when the rule leaves it open. */
	if (!r->mask.in_port)
		key.in_port = 1;
	memset(&xl, 0, sizeof(xl));
	err[0] = '\0';
	ret = fp_rule_xlate(r, &key, &ctx, &xl, err, sizeof(err));
	if (ret == -E2BIG || ret == -EINVAL) {
		fz_check_err(in, err, sizeof(err));
		return;
	}
	if (ret)
		fz_fail(in, "xlate returned %d", ret);
	if (xl.n_actions > FP_SLOW_MAX_ACTIONS)
		fz_fail(in, "xlate gave %u actions", xl.n_actions);
	len = fp_odp_actions_format_list(xl.actions, xl.n_actions, text,
					 sizeof(text));
	if (len < 0 || (size_t)len >= sizeof(text))
		fz_fail(in, "datapath actions need %d bytes", len);
	memset(&back, 0, sizeof(back));
	memset(&flow, 0, sizeof(flow));
	if (fp_odp_actions_parse_all(text, &key, &flow, &back, err,
				     sizeof(err)))
		fz_fail(in, "translated actions '%s' do not parse: %s", text,
			err);
	if (back.n_actions != xl.n_actions ||
	    memcmp(back.actions, xl.actions,
		   xl.n_actions * sizeof(xl.actions[0])))
		fz_fail(in, "translated actions '%s' parse to something else",
			text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[FP_RULE_ERR_LEN];
	struct fp_rule *r, *again;
	struct fp_rule_table *t;
	int ret, n;

	if (!fz_cstr(in, sizeof(in), data, size))
		return -1;

	/* As a del-flows match, on an empty table: nothing to delete. */
	t = fp_rules_new();
	if (t) {
		err[0] = '\0';
		n = fp_rules_del(t, in, false, err, sizeof(err));
		if (n < 0)
			fz_check_err(in, err, sizeof(err));
		else if (n)
			fz_fail(in, "del on an empty table deleted %d", n);
		fp_rules_free(t);
	}

	err[0] = '\0';
	ret = fp_rule_parse(in, &r, err, sizeof(err));
	if (ret) {
		if (ret != -EINVAL && ret != -ENOMEM)
			fz_fail(in, "parse returned %d", ret);
		if (r)
			fz_fail(in, "refused, but a rule was returned");
		fz_check_err(in, err, sizeof(err));
		return 0;
	}

	n = fp_rule_format(r, line, sizeof(line));
	if (n < 0 || n >= FP_RULE_STRLEN)
		fz_fail(in, "dump line needs %d bytes", n);
	n = fp_rule_format_match(r, match, sizeof(match));
	if (n < 0 || n >= FP_RULE_STRLEN)
		fz_fail(in, "match needs %d bytes", n);
	n = fp_rule_format_actions(r, acts, sizeof(acts));
	if (n < 0 || n >= FP_RULE_STRLEN)
		fz_fail(in, "actions need %d bytes", n);

	snprintf(line, sizeof(line), "%s actions=%s", match, acts);
	if (fp_rule_parse(line, &again, err, sizeof(err)))
		fz_fail(in, "dump form '%s' does not parse: %s", line, err);
	if (again->priority != r->priority ||
	    memcmp(&again->key, &r->key, sizeof(r->key)) ||
	    memcmp(&again->mask, &r->mask, sizeof(r->mask)))
		fz_fail(in, "dump form '%s' parses to another match", line);
	if (!same_acts(r, again))
		fz_fail(in, "dump form '%s' parses to other actions", line);
	fp_rule_format_actions(again, again_acts, sizeof(again_acts));
	if (strcmp(acts, again_acts))
		fz_fail(in, "actions '%s' format as '%s' after a round trip",
			acts, again_acts);
	fp_rule_free(again);

	check_del();
	check_xlate(r);
	fp_rule_free(r);
	return 0;
}
