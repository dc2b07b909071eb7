/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VLAN and hash cases of the action stages: one table, run against
 * the expected output by test_actions and against the userspace executor
 * by test_pkt_exec. See test_actions.c for why each list ends in an output
 * to a port that does not exist (9).
 */
#ifndef FP_SELFTESTS_ACTION_CASES_H
#define FP_SELFTESTS_ACTION_CASES_H

#include "harness.h"

#define OUT(...) .out = { __VA_ARGS__ }
#define CNT(...) .cnt = { __VA_ARGS__ }
#define C(c, d) { FP_CNT_##c, (d) }
#define FLOW(acts) { .actions = (acts) }
#define WIRE(p, f) { (p), "act_" f ".pcap" }

/* The last real copy is a clone too: see above. */
#define SHOT_AFTER(...)                                          \
	.expect = { TC_ACT_SHOT, OUT(__VA_ARGS__), 0,            \
		    CNT(C(HIT, 1), C(OUTPUT_NO_PORT, 1)) }

static const struct fp_h_case vlan_cases[] = {
	{
		/* The paper's example: an untagged copy, then a tagged one. */
		.desc = "2,push_vlan(vid=100,pcp=0),3",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("2,push_vlan(vid=100,pcp=0),3,9") },
		SHOT_AFTER(2, 3),
		.wire = { WIRE(2, "untagged"), WIRE(3, "push100p0") },
	},
	{
		.desc = "push 802.1ad onto one tag",
		.pcap = "dp_vlan_udp.pcap", .in_port = 1,
		.flows = { FLOW("push_vlan(tpid=0x88a8,vid=200,pcp=5),2,9") },
		SHOT_AFTER(2),
		.wire = { WIRE(2, "push_s200") },
	},
	{
		/* A third tag: the packet has it, the key cannot. */
		.desc = "push onto two tags", .pcap = "act_qinq_udp.pcap",
		.in_port = 1,
		.flows = { FLOW("push_vlan(vid=300,pcp=1),2,9") },
		SHOT_AFTER(2),
		.wire = { WIRE(2, "push300_qinq") },
	},
	{
		.desc = "pop_vlan of an untagged packet",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("pop_vlan,2,9") },
		SHOT_AFTER(2),
		.wire = { WIRE(2, "untagged") },
	},
	{
		.desc = "pop_vlan of one tag", .pcap = "dp_vlan_udp.pcap",
		.in_port = 1,
		.flows = { FLOW("pop_vlan,2,9") },
		SHOT_AFTER(2),
		.wire = { WIRE(2, "vlan_popped") },
	},
	{
		.desc = "pop_vlan of two tags, one by one",
		.pcap = "act_qinq_udp.pcap", .in_port = 1,
		.flows = { FLOW("pop_vlan,2,pop_vlan,3,9") },
		SHOT_AFTER(2, 3),
		.wire = { WIRE(2, "qinq_popped"), WIRE(3, "vlan_popped") },
	},
	{
		.desc = "push, push 802.1ad, pop between outputs",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("push_vlan(vid=10,pcp=1),"
				"push_vlan(tpid=0x88a8,vid=20,pcp=2),2,pop_vlan,"
				"3,pop_vlan,1,9") },
		/* 1 is the input port, asked for: the copy goes back. */
		SHOT_AFTER(2, 3, 1),
		.wire = { WIRE(2, "chain_two"), WIRE(3, "chain_one"),
			  WIRE(1, "untagged") },
	},
	{
		/* No output after the push: the list ends, the packet is
		 * dropped, as an empty list drops it. */
		.desc = "push_vlan and no output: dropped",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("push_vlan(vid=100,pcp=0)") },
		.expect = { TC_ACT_SHOT, OUT(0), 0, CNT(C(HIT, 1)) },
	},
	{
		/* A copy, then a push that no output follows. */
		.desc = "2,push_vlan(vid=100,pcp=0): the copy only",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("2,push_vlan(vid=100,pcp=0)") },
		.expect = { TC_ACT_SHOT, OUT(2), 0, CNT(C(HIT, 1)) },
		.wire = { WIRE(2, "untagged") },
	},
	{
		/* hash leaves the packet as it is. */
		.desc = "hash(l4(7)) then output",
		.pcap = "dp_vlan_udp.pcap", .in_port = 1,
		.flows = { FLOW("hash(l4(7)),2") },
		.expect = { TC_ACT_REDIRECT, OUT(2), 0, CNT(C(HIT, 1)),
			    true },
	},
	{
		/* The redirected last copy: test_run shows data_out without
		 * the tag it holds in metadata; the clone before it has it
		 * on the wire. */
		.desc = "push, clone, then redirect",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("push_vlan(vid=100,pcp=0),2,3") },
		.expect = { TC_ACT_REDIRECT, OUT(2, 3), 0, CNT(C(HIT, 1)),
			    true },
		.wire = { WIRE(2, "push100p0") },
	},
};

#define N_VLAN_CASES (sizeof(vlan_cases) / sizeof(vlan_cases[0]))

#endif
