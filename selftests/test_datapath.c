// SPDX-License-Identifier: GPL-2.0
/*
 * The TC datapath under BPF_PROG_TEST_RUN, case by case: each pcap packet
 * enters the pinned parser on a port and runs the whole tail-call chain;
 * the verdict, the ports that sent it, the counters, the flow's stats and
 * the bytes that leave are all checked (selftests/harness.h).
 */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "harness.h"
#include "test.h"
#include "dp_config.h"

#define OUT(...) .out = { __VA_ARGS__ }
#define CNT(...) .cnt = { __VA_ARGS__ }
#define C(c, d) { FP_CNT_##c, (d) }
#define FLOW(acts) { .actions = (acts) }

/* A hit forwarded to port 2, the packet untouched. */
#define HIT_TO_2(name, file)                                            \
	{                                                               \
		.desc = name " hit", .pcap = file, .in_port = 1,        \
		.flows = { FLOW("2") },                                 \
		.expect = { FP_H_TC_REDIRECT, OUT(2), 0, CNT(C(HIT, 1)), \
			    true },                                     \
	}

static const struct fp_h_case hit_cases[] = {
	HIT_TO_2("IPv4/UDP", "dp_ipv4_udp.pcap"),
	HIT_TO_2("IPv4/TCP", "dp_ipv4_tcp.pcap"),
	HIT_TO_2("IPv6/UDP", "dp_ipv6_udp.pcap"),
	HIT_TO_2("ARP", "dp_arp.pcap"),
	HIT_TO_2("VLAN/IPv4/UDP", "dp_vlan_udp.pcap"),
	{
		/* A clone to 2 (really sent), the packet itself to 3. */
		.desc = "IPv4/UDP to two ports", .pcap = "dp_ipv4_udp.pcap",
		.in_port = 1, .flows = { FLOW("2,3") },
		.expect = { FP_H_TC_REDIRECT, OUT(2, 3), 0, CNT(C(HIT, 1)),
			    true },
	},
	{
		/* Same headers from another port: in_port is in the key. */
		.desc = "in_port selects the flow", .pcap = "dp_ipv6_udp.pcap",
		.in_port = 1,
		.flows = { { .actions = "3", .in_port = 2 }, FLOW("2") },
		.expect = { FP_H_TC_REDIRECT, OUT(2), 1, CNT(C(HIT, 1)),
			    true },
	},
	{
		/* And from the other port, the other flow. */
		.desc = "in_port selects the flow, port 2",
		.pcap = "dp_ipv6_udp.pcap", .in_port = 2,
		.flows = { { .actions = "3", .in_port = 2 },
			   { .actions = "1", .in_port = 1 } },
		.expect = { FP_H_TC_REDIRECT, OUT(3), 0, CNT(C(HIT, 1)),
			    true },
	},
};

static const struct fp_h_case miss_drop_cases[] = {
	{
		.desc = "miss, default verdict", .pcap = "dp_ipv4_udp.pcap",
		.in_port = 1,
		.expect = { FP_H_TC_SHOT, OUT(0), -1,
			    CNT(C(MISS, 1), C(UPCALL, 1), C(MISS_DROP, 1)) },
	},
	{
		/* A flow for another port does not catch this packet. */
		.desc = "miss, flow of another in_port",
		.pcap = "dp_arp.pcap", .in_port = 1,
		.flows = { { .actions = "2", .in_port = 3 } },
		.expect = { FP_H_TC_SHOT, OUT(0), -1,
			    CNT(C(MISS, 1), C(UPCALL, 1), C(MISS_DROP, 1)) },
	},
	{
		.desc = "drop flow", .pcap = "dp_ipv4_tcp.pcap", .in_port = 1,
		.flows = { FLOW("drop") },
		.expect = { FP_H_TC_SHOT, OUT(0), 0,
			    CNT(C(HIT, 1), C(DROP_ACTION, 1)) },
	},
	{
		.desc = "output to a port that does not exist",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("9") },
		.expect = { FP_H_TC_SHOT, OUT(0), 0,
			    CNT(C(HIT, 1), C(OUTPUT_NO_PORT, 1)) },
	},
	{
		.desc = "output to a port number out of range",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("300") },
		.expect = { FP_H_TC_SHOT, OUT(0), 0,
			    CNT(C(HIT, 1), C(OUTPUT_NO_PORT, 1)) },
	},
	{
		/* The missing port is skipped, the list carries on. */
		.desc = "missing port, then port 2",
		.pcap = "dp_vlan_udp.pcap", .in_port = 1,
		.flows = { FLOW("9,2") },
		.expect = { FP_H_TC_REDIRECT, OUT(2), 0,
			    CNT(C(HIT, 1), C(OUTPUT_NO_PORT, 1)), true },
	},
	{
		.desc = "output to the input port", .pcap = "dp_arp.pcap",
		.in_port = 1, .flows = { FLOW("1") },
		.expect = { FP_H_TC_SHOT, OUT(0), 0,
			    CNT(C(HIT, 1), C(OUTPUT_IN_PORT, 1)) },
	},
	{
		.desc = "input port, then port 3", .pcap = "dp_ipv6_udp.pcap",
		.in_port = 1, .flows = { FLOW("1,3") },
		.expect = { FP_H_TC_REDIRECT, OUT(3), 0,
			    CNT(C(HIT, 1), C(OUTPUT_IN_PORT, 1)), true },
	},
	{
		/* A device that is not a port is the kernel stack's. */
		.desc = "device that is not a port",
		.pcap = "dp_ipv4_udp.pcap", .in_dev = "fpt1p",
		.expect = { FP_H_TC_OK, OUT(0), -1, CNT(C(NO_PORT, 1)),
			    true },
	},
};

static const struct fp_h_case miss_pass_case = {
	.desc = "miss, miss_verdict pass", .pcap = "dp_ipv6_udp.pcap",
	.in_port = 2,
	.expect = { FP_H_TC_OK, OUT(0), -1, CNT(C(MISS, 1), C(UPCALL, 1)),
		    true },
};

static void run_cases(struct fp_h *h, const struct fp_h_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fp_h_run_case(h, &c[i]);
}

/* The flag that allows sending a packet back where it came from: the
 * interim action syntax has no word for it, so the flow is built here. */
static void test_output_in_port_flag(struct fp_h *h)
{
	struct fp_action act = { .type = FP_ACT_OUTPUT };
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_flow_stats st;
	struct fp_h_snap s0, s1;
	struct fp_flow_key key;
	struct fp_h_pcap pc;
	long long want[FP_CNT_MAX] = {};
	int idx, err;

	if (!ASSERT_TRUE(res, "in_port flag: alloc"))
		return;
	err = fp_h_pcap_read("dp_ipv4_udp.pcap", &pc);
	if (!ASSERT_OK(err, "in_port flag: pcap"))
		goto out_res;
	act.u.output.port = 1;
	act.u.output.flags = FP_OUTPUT_F_IN_PORT;
	fp_h_key_of(pc.pkt[0].data, pc.pkt[0].len, 1, &key);
	idx = fp_h_flow_put(h, &key, &act, 1);
	if (!ASSERT_TRUE(idx >= 0, "in_port flag: install"))
		goto out;
	err = fp_h_snap(h, &s0);
	if (!err)
		err = fp_h_test_run(h->parser_fd, fp_h_port(h, 1)->ifindex,
				    pc.pkt[0].data, pc.pkt[0].len, NULL, res);
	if (!err)
		err = fp_h_snap(h, &s1);
	if (ASSERT_OK(err, "in_port flag: run")) {
		ASSERT_EQ(res->retval, FP_H_TC_REDIRECT, "in_port flag: verdict");
		ASSERT_EQ(fp_h_tx_delta(&s0, &s1, 1), 1,
			  "in_port flag: sent back out of port 1");
		want[FP_CNT_HIT] = 1;
		fp_h_check_counters(&s0, &s1, want, "in_port flag: counters");
		ASSERT_BYTES(res->data, res->len, pc.pkt[0].data,
			     pc.pkt[0].len, "in_port flag: bytes");
		if (!fp_h_flow_stats(h, idx, &st))
			ASSERT_EQ(st.packets, 1, "in_port flag: flow stats");
	}
	fp_h_flow_del(h, &key);
out:
	fp_h_pcap_free(&pc);
out_res:
	free(res);
}

int main(void)
{
	struct fp_h h;

	fp_test_name = "test_datapath";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fp_h_init(&h, 3))
		return 1;

	run_cases(&h, hit_cases, sizeof(hit_cases) / sizeof(hit_cases[0]));
	run_cases(&h, miss_drop_cases,
		  sizeof(miss_drop_cases) / sizeof(miss_drop_cases[0]));
	test_output_in_port_flag(&h);

	/* `load --miss pass` on the loaded datapath: an in-place reload. */
	if (ASSERT_OK(fp_h_set_miss_verdict(&h, FP_MISS_PASS),
		      "reload with miss_verdict pass")) {
		fp_h_run_case(&h, &miss_pass_case);
		ASSERT_OK(fp_h_set_miss_verdict(&h, FP_MISS_DROP),
			  "reload with miss_verdict drop");
		fp_h_run_case(&h, &miss_drop_cases[0]);
	}

	fp_h_fini(&h);
	return fp_test_exit();
}
