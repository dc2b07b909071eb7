// SPDX-License-Identifier: GPL-2.0
/*
 * The action stages push_vlan, pop_vlan, hash and recirc under
 * BPF_PROG_TEST_RUN (selftests/harness.h), chained with output.
 *
 * VLAN results are checked on the wire: bpf_skb_vlan_push() leaves the
 * outer tag in skb metadata, which test_run's data_out does not show. So
 * the tagged copies are clones (which really leave their veth) and each
 * is captured on the far end of its veth, where the tag is in the frame;
 * a list ends in an output to a port that does not exist (9), so that
 * even its last real copy is a clone. Expected frames: pcaps/gen_actions.py.
 *
 * hash + recirc: a flow hash(l4(B)),recirc(1), then a flow keyed
 * recirc_id(1),dp_hash(X) with X a literal known answer (jhash_vectors.h,
 * computed by an independent implementation); both flows account the
 * packet. The tail-call budget
 * across the recirculation: lookup's second pass still refuses, before
 * any action runs, a list that would not fit. And a flow longer than the
 * flow table holds goes to the slow path, its whole list kept for it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "action_cases.h"
#include "test.h"
#include "flow_hash.h"
#include "jhash_vectors.h"
#include "flow_table.h"
#include "odp.h"

#define KEY_LEN FP_ODP_KEY_STRLEN

/* The key of packet 0 of @pcap on port 1, with metadata (a @dp_hash of 0
 * for none), as text. */
static int key_text(const char *pcap, __u32 recirc_id, __u32 dp_hash,
		    const struct fp_vlan_tag *tag, char *buf)
{
	struct fp_h_pcap pc = {};
	struct fp_flow_key key;
	int err = fp_h_pcap_read(pcap, &pc);

	if (err)
		return err;
	fp_h_key_of(pc.pkt[0].data, pc.pkt[0].len, 1, &key);
	fp_h_pcap_free(&pc);
	key.recirc_id = recirc_id;
	key.dp_hash = dp_hash;
	if (tag) {
		key.vlan[1] = key.vlan[0];
		key.vlan[0] = *tag;
	}
	fp_odp_key_format(&key, buf, KEY_LEN);
	return 0;
}

/*
 * maps/flow_hash.h against known answers (jhash_vectors.h), which an
 * independent implementation computed: the hash is the kernel's jhash2
 * of the 5-tuple, not merely some function of the basis.
 */
static void test_hash_known_answers(void)
{
	static const struct {
		const char *pcap;
		__u32 basis, want;
	} v[] = {
		{ "dp_ipv4_udp.pcap", 0, FPT_DP_HASH_IPV4_UDP_B0 },
		{ "dp_ipv4_udp.pcap", 1, FPT_DP_HASH_IPV4_UDP_B1 },
		{ "dp_vlan_udp.pcap", 7, FPT_DP_HASH_VLAN_UDP_B7 },
		{ "dp_ipv6_udp.pcap", 0x12345678, FPT_DP_HASH_IPV6_UDP_B12345678 },
	};
	struct fp_flow_key key;
	char label[128];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct fp_h_pcap pc = {};

		snprintf(label, sizeof(label),
			 "dp_hash of %s, basis %#x: known answer", v[i].pcap,
			 v[i].basis);
		if (fp_h_pcap_read(v[i].pcap, &pc))
			continue; /* a FAIL already */
		fp_h_key_of(pc.pkt[0].data, pc.pkt[0].len, 1, &key);
		fp_h_pcap_free(&pc);
		fp_test_report(fp_flow_hash_l4(&key, v[i].basis) == v[i].want,
			       label, "got %#x, expected %#x",
			       fp_flow_hash_l4(&key, v[i].basis), v[i].want);
	}
}

/* "9,9,...,9,2": @n actions, all but the last to a missing port. */
static void outputs(char *buf, size_t len, int n)
{
	size_t off = 0;
	int i;

	for (i = 0; i < n - 1; i++)
		off += snprintf(buf + off, len - off, "9,");
	snprintf(buf + off, len - off, "2");
}

static void test_recirc(struct fp_h *h)
{
	static char hashed0[KEY_LEN], tagged[KEY_LEN], many[256], more[256];
	struct fp_vlan_tag tag = { htons(0x8100), htons(0x1000 | 100) };
	struct fp_flow_key k;
	int err;

	/* The second pass's flow is keyed on the literal answer: the stage
	 * must compute the kernel's jhash2, not flow_hash.h's whatever. */
	err = key_text("dp_ipv4_udp.pcap", 1, FPT_DP_HASH_IPV4_UDP_B0, NULL,
		       hashed0);
	if (!err)
		err = key_text("dp_ipv4_udp.pcap", 5, 0, &tag, tagged);
	if (!ASSERT_OK(err, "recirc: keys"))
		return;
	if (!ASSERT_OK(fp_h_key_parse(hashed0, &k), "recirc: key parses") ||
	    !ASSERT_TRUE(k.dp_hash != 0, "dp_hash is never 0"))
		return;
	outputs(many, sizeof(many), 28);
	outputs(more, sizeof(more), 29);

	const struct fp_h_case cases[] = {
		{
			.desc = "hash(l4(0)),recirc(1), then dp_hash",
			.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
			.flows = { FLOW("hash(l4(0)),recirc(1)"),
				   { .actions = "2", .match = hashed0 } },
			.expect = { TC_ACT_REDIRECT, OUT(2), 0,
				    CNT(C(HIT, 2)), true, 0x3 },
		},
		{
			/* Another basis, another hash: the second pass
			 * misses. */
			.desc = "hash(l4(1)) misses dp_hash of basis 0",
			.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
			.flows = { FLOW("hash(l4(1)),recirc(1)"),
				   { .actions = "2", .match = hashed0 } },
			.expect = { TC_ACT_SHOT, OUT(0), 0,
				    CNT(C(HIT, 1), C(MISS, 1), C(UPCALL, 1),
					C(MISS_DROP, 1)) },
		},
		{
			/* recirc parses the pushed packet again: the tag,
			 * in skb metadata, is in the new key. */
			.desc = "push_vlan, recirc: the tag is keyed",
			.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
			.flows = { FLOW("push_vlan(vid=100,pcp=0),recirc(5)"),
				   { .actions = "2,9", .match = tagged } },
			.expect = { TC_ACT_SHOT, OUT(2), 0,
				    CNT(C(HIT, 2), C(OUTPUT_NO_PORT, 1)),
				    false, 0x3 },
			.wire = { WIRE(2, "push100p0") },
		},
		{
			/* parser, lookup, hash, recirc, recirc stage,
			 * lookup: 5 tail calls; 28 actions make 33. */
			.desc = "budget: 28 actions after a recirculation",
			.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
			.flows = { FLOW("hash(l4(0)),recirc(1)"),
				   { .actions = many, .match = hashed0 } },
			.expect = { TC_ACT_REDIRECT, OUT(2), 0,
				    CNT(C(HIT, 2), C(OUTPUT_NO_PORT, 27)),
				    true, 0x3 },
		},
		{
			/* One more does not fit: the second lookup sends
			 * the packet up before any of its actions. */
			.desc = "budget: 29 actions after a recirculation",
			.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
			.flows = { FLOW("hash(l4(0)),recirc(1)"),
				   { .actions = more, .match = hashed0 } },
			.expect = { TC_ACT_SHOT, OUT(0), 0,
				    CNT(C(HIT, 2), C(TAIL_CALL_BUDGET, 1),
					C(UPCALL, 1)),
				    false, 0x3 },
		},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		fp_h_run_case(h, &cases[i]);
}

/*
 * A flow of more actions than the flow table holds: installed with its
 * whole list (fp_flow_put_all), it is marked slow_path, the list is kept
 * in slow_actions, and every packet is upcalled with reason slow_path,
 * untouched, before any action runs.
 */
static void test_slow_path(struct fp_h *h)
{
	static struct fp_slow_actions all, got;
	static struct fp_flow flow;
	static char acts[512], err[FP_ODP_ERR_LEN];
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_h_snap s0, s1;
	struct fp_h_pcap pc = {};
	struct fp_flow_key key;
	long long want[FP_CNT_MAX] = {};
	const struct fp_h_port *in = fp_h_port(h, 1);
	int ret;

	fp_test_name = "test_actions";
	outputs(acts, sizeof(acts), 40);
	if (!ASSERT_TRUE(res != NULL, "slow path: memory") ||
	    !ASSERT_OK(fp_h_pcap_read("dp_ipv4_udp.pcap", &pc),
		       "slow path: pcap"))
		goto out;
	fp_h_key_of(pc.pkt[0].data, pc.pkt[0].len, 1, &key);
	ret = fp_odp_actions_parse_all(acts, &key, &flow, &all, err,
				       sizeof(err));
	if (!fp_test_report(!ret, "slow path: 40 actions parse", "%s", err))
		goto out;
	ASSERT_EQ(all.n_actions, 40, "slow path: the whole list");
	ASSERT_EQ(flow.n_actions, FP_MAX_ACTIONS,
		  "slow path: the flow table entry holds the first 32");
	ASSERT_EQ(flow.flags & FP_FLOW_F_SLOW_PATH, FP_FLOW_F_SLOW_PATH,
		  "slow path: flow marked slow_path");
	ret = fp_flow_put_all(&h->dp, &key, &flow, &all, FP_FLOW_CREATE);
	fp_dp_unlock(&h->dp);
	if (!ASSERT_OK(ret, "slow path: install"))
		goto out;
	if (ASSERT_OK(fp_flow_slow_get(&h->dp, &key, &got),
		      "slow path: list in slow_actions"))
		ASSERT_BYTES(&got, sizeof(got), &all, sizeof(all),
			     "slow path: the list as parsed");

	fp_h_upcalls_clear(&h->up);
	ret = fp_h_snap(h, &s0);
	if (!ret)
		ret = fp_h_test_run(h->parser_fd, in->ifindex, pc.pkt[0].data,
				    pc.pkt[0].len, NULL, res);
	if (!ret)
		ret = fp_h_snap(h, &s1);
	if (!ASSERT_OK(ret, "slow path: run"))
		goto del;
	ASSERT_EQ(res->retval, TC_ACT_SHOT, "slow path: verdict");
	want[FP_CNT_HIT] = 1;
	want[FP_CNT_SLOW_PATH] = 1;
	want[FP_CNT_UPCALL] = 1;
	fp_h_check_counters(&s0, &s1, want, "slow path: counters");
	ASSERT_EQ(fp_h_tx_delta(&s0, &s1, 2), 0, "slow path: nothing sent");
	fp_h_check_upcall(h, "slow path", &pc.pkt[0], 1, FP_UPCALL_SLOW_PATH);
del:
	fp_h_flow_del(h, &key);
	ASSERT_EQ(fp_flow_slow_get(&h->dp, &key, &got), -ENOENT,
		  "slow path: flow del removes the list");
out:
	fp_h_pcap_free(&pc);
	free(res);
}

int main(void)
{
	struct fp_h h;
	size_t i;

	fp_test_name = "test_actions";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fp_h_init(&h, 3))
		return 1;
	for (i = 0; i < N_VLAN_CASES; i++)
		fp_h_run_case(&h, &vlan_cases[i]);
	test_hash_known_answers();
	test_recirc(&h);
	test_slow_path(&h);
	fp_h_fini(&h);
	return fp_test_exit();
}
