// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the flow parsers in ovs-dpctl syntax (lib/odp_*.c):
 * the key (fp_odp_key_parse) and the actions (fp_odp_actions_parse_all,
 * fp_odp_actions_parse). The input is a line as `flowpath afxdp --flows`
 * reads it, "KEY ACTIONS", split at the last blank; a line without a blank
 * is tried both as a key and as actions.
 *
 * Properties, each an abort when broken:
 *  - a refused text gets -EINVAL and a message;
 *  - a parsed key formats within FP_ODP_KEY_STRLEN and that text parses
 *    back to the same key, formatting to the same text;
 *  - parsed actions (for the parsed key, or none) format within
 *    FP_ODP_SLOW_ACTIONS_STRLEN, and that text parses back to the same
 *    list; the first FP_MAX_ACTIONS go into the flow, which is marked slow
 *    path when there are more; fp_odp_actions_parse agrees with
 *    fp_odp_actions_parse_all on a list that fits a flow.
 */
#include <ctype.h>
#include <errno.h>

#include "fuzz_common.h"
#include "odp.h"

#define IN_LEN 8192

static char in[IN_LEN], work[IN_LEN];
static char text[FP_ODP_SLOW_ACTIONS_STRLEN], text2[FP_ODP_SLOW_ACTIONS_STRLEN];
static struct fp_slow_actions all, all2;
static struct fp_flow flow, flow2, small;

static int check_key(const char *s, struct fp_flow_key *key)
{
	char err[FP_ODP_ERR_LEN], a[FP_ODP_KEY_STRLEN], b[FP_ODP_KEY_STRLEN];
	struct fp_flow_key again;
	int ret, n;

	err[0] = '\0';
	ret = fp_odp_key_parse(s, key, err, sizeof(err));
	if (ret) {
		if (ret != -EINVAL)
			fz_fail(in, "key parse returned %d", ret);
		fz_check_err(in, err, sizeof(err));
		return ret;
	}
	n = fp_odp_key_format(key, a, sizeof(a));
	if (n < 0 || n >= FP_ODP_KEY_STRLEN)
		fz_fail(in, "key needs %d bytes", n);
	if (fp_odp_key_parse(a, &again, err, sizeof(err)))
		fz_fail(in, "formatted key '%s' does not parse: %s", a, err);
	if (memcmp(&again, key, sizeof(again)))
		fz_fail(in, "formatted key '%s' parses to another key", a);
	fp_odp_key_format(&again, b, sizeof(b));
	if (strcmp(a, b))
		fz_fail(in, "key '%s' formats as '%s' after a round trip", a, b);
	return 0;
}

static void check_actions(const char *s, const struct fp_flow_key *key)
{
	char err[FP_ODP_ERR_LEN];
	__u32 n;
	int ret, len;

	memset(&all, 0, sizeof(all));
	memset(&flow, 0, sizeof(flow));
	err[0] = '\0';
	ret = fp_odp_actions_parse_all(s, key, &flow, &all, err, sizeof(err));
	if (ret) {
		if (ret != -EINVAL)
			fz_fail(in, "actions parse returned %d", ret);
		fz_check_err(in, err, sizeof(err));
		return;
	}
	n = all.n_actions;
	if (n > FP_SLOW_MAX_ACTIONS)
		fz_fail(in, "%u actions", n);
	if (flow.n_actions != (n < FP_MAX_ACTIONS ? n : FP_MAX_ACTIONS) ||
	    (n > FP_MAX_ACTIONS && !(flow.flags & FP_FLOW_F_SLOW_PATH)) ||
	    memcmp(flow.actions, all.actions,
		   flow.n_actions * sizeof(flow.actions[0])))
		fz_fail(in, "the flow does not hold the list's first actions");

	len = fp_odp_actions_format_list(all.actions, n, text, sizeof(text));
	if (len < 0 || (size_t)len >= sizeof(text))
		fz_fail(in, "actions need %d bytes", len);
	memset(&all2, 0, sizeof(all2));
	memset(&flow2, 0, sizeof(flow2));
	if (fp_odp_actions_parse_all(text, key, &flow2, &all2, err,
				     sizeof(err)))
		fz_fail(in, "formatted actions '%s' do not parse: %s", text,
			err);
	if (all2.n_actions != n ||
	    memcmp(all2.actions, all.actions, n * sizeof(all.actions[0])) ||
	    flow2.flags != flow.flags)
		fz_fail(in, "formatted actions '%s' parse to another list",
			text);
	fp_odp_actions_format_list(all2.actions, n, text2, sizeof(text2));
	if (strcmp(text, text2))
		fz_fail(in, "actions '%s' format as '%s' after a round trip",
			text, text2);

	/* The datapath-only parser: the same list when it fits a flow. */
	memset(&small, 0, sizeof(small));
	ret = fp_odp_actions_parse(s, key, &small, err, sizeof(err));
	if (n <= FP_MAX_ACTIONS) {
		if (ret)
			fz_fail(in, "%u actions refused for a flow: %s", n, err);
		if (memcmp(&small, &flow, sizeof(small)))
			fz_fail(in, "the two action parsers disagree");
	} else if (ret != -EINVAL) {
		fz_fail(in, "%u actions taken by a flow of %d", n,
			FP_MAX_ACTIONS);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fp_flow_key key;
	char *end, *acts;

	if (!fz_cstr(in, sizeof(in), data, size))
		return -1;
	memcpy(work, in, size + 1);

	/* As flowpath afxdp --flows splits a line. */
	end = work + size;
	while (end > work && isspace((unsigned char)end[-1]))
		*--end = '\0';
	acts = end;
	while (acts > work && !isspace((unsigned char)acts[-1]))
		acts--;
	if (acts == work) {
		if (!check_key(work, &key))
			check_actions(work, &key);
		check_actions(work, NULL);
		return 0;
	}
	acts[-1] = '\0';
	if (!check_key(work, &key))
		check_actions(acts, &key);
	else
		check_actions(acts, NULL);
	return 0;
}
