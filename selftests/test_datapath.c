// SPDX-License-Identifier: GPL-2.0
/*
 * The TC datapath under BPF_PROG_TEST_RUN, case by case: each pcap packet
 * enters the pinned parser on a port and runs the whole tail-call chain;
 * the verdict, the ports that sent it, the counters, the flow's stats and
 * the bytes that leave are all checked (selftests/harness.h).
 */
#include <stdlib.h>

#include <bpf/bpf.h>

#include "harness.h"
#include "test.h"
#include "dp_config.h"
#include "flow_key_compact.h"
#include "flow_table.h"
#include "odp.h"
#include "key_ofctl.h"

#define OUT(...) .out = { __VA_ARGS__ }
#define CNT(...) .cnt = { __VA_ARGS__ }
#define C(c, d) { FP_CNT_##c, (d) }
/* A flow keyed on the first packet of the case's pcap. */
#define FLOW(acts) { .actions = (acts) }

#define ETH "eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)"
#define IPV4(proto) \
	"ipv4(src=192.0.2.1,dst=198.51.100.2,proto=" proto ",tos=0,ttl=64,frag=no)"

/* The flows of the pcaps of pcaps/gen_datapath.py, from port 1, written
 * out as ovs-dpctl prints them: the parser must key each packet exactly
 * so for it to hit. */
#define KEY_IPV4_UDP                                                   \
	"recirc_id(0),in_port(1)," ETH ",eth_type(0x0800)," IPV4("17") \
	",udp(src=1234,dst=53)"
#define KEY_IPV4_TCP                                                      \
	"recirc_id(0),in_port(1)," ETH ",eth_type(0x0800)," IPV4("6")     \
	",tcp(src=40000,dst=80),tcp_flags(psh|ack)"
#define KEY_IPV6_UDP                                                        \
	"recirc_id(0),in_port(1)," ETH ",eth_type(0x86dd),"                 \
	"ipv6(src=2001:db8::1,dst=2001:db8::2,label=0x12345,proto=17,"      \
	"tclass=0,hlimit=64,frag=no),udp(src=5353,dst=5353)"
#define KEY_ARP                                                         \
	"recirc_id(0),in_port(1)," ETH ",eth_type(0x0806),"             \
	"arp(sip=192.0.2.1,tip=192.0.2.2,op=1,sha=02:00:00:00:00:01,"   \
	"tha=00:00:00:00:00:00)"
#define KEY_VLAN_UDP                                                         \
	"recirc_id(0),in_port(1)," ETH ",eth_type(0x8100),vlan(vid=100,pcp=3)," \
	"encap(eth_type(0x0800)," IPV4("17") ",udp(src=1234,dst=5000))"

/* A hit forwarded to port 2, the packet untouched. */
#define HIT_TO_2(name, file, key)                                       \
	{                                                               \
		.desc = name " hit", .pcap = file, .in_port = 1,        \
		.flows = { { .actions = "2", .match = key } },          \
		.expect = { TC_ACT_REDIRECT, OUT(2), 0, CNT(C(HIT, 1)), \
			    true },                                     \
	}

static const struct fp_h_case hit_cases[] = {
	HIT_TO_2("IPv4/UDP", "dp_ipv4_udp.pcap", KEY_IPV4_UDP),
	HIT_TO_2("IPv4/TCP", "dp_ipv4_tcp.pcap", KEY_IPV4_TCP),
	HIT_TO_2("IPv6/UDP", "dp_ipv6_udp.pcap", KEY_IPV6_UDP),
	HIT_TO_2("ARP", "dp_arp.pcap", KEY_ARP),
	HIT_TO_2("VLAN/IPv4/UDP", "dp_vlan_udp.pcap", KEY_VLAN_UDP),
	{
		/* A clone to 2 (really sent), the packet itself to 3. */
		.desc = "IPv4/UDP to two ports", .pcap = "dp_ipv4_udp.pcap",
		.in_port = 1,
		.flows = { { .actions = "2,3", .match = KEY_IPV4_UDP } },
		.expect = { TC_ACT_REDIRECT, OUT(2, 3), 0, CNT(C(HIT, 1)),
			    true },
	},
	{
		/* Copies to every other port, one of them twice. */
		.desc = "ARP flooded", .pcap = "dp_arp.pcap", .in_port = 1,
		.flows = { { .actions = "2,3,2", .match = KEY_ARP } },
		.expect = { TC_ACT_REDIRECT, OUT(2, 3, 2), 0,
			    CNT(C(HIT, 1)), true },
	},
	{
		/* Same headers from another port: in_port is in the key. */
		.desc = "in_port selects the flow", .pcap = "dp_ipv6_udp.pcap",
		.in_port = 1,
		.flows = { { .actions = "3", .in_port = 2 }, FLOW("2") },
		.expect = { TC_ACT_REDIRECT, OUT(2), 1, CNT(C(HIT, 1)),
			    true },
	},
	{
		/* And from the other port, the other flow. */
		.desc = "in_port selects the flow, port 2",
		.pcap = "dp_ipv6_udp.pcap", .in_port = 2,
		.flows = { { .actions = "3", .in_port = 2 },
			   { .actions = "1", .in_port = 1 } },
		.expect = { TC_ACT_REDIRECT, OUT(3), 0, CNT(C(HIT, 1)),
			    true },
	},
	{
		/* A flow that names the input port sends the packet back. */
		.desc = "output to the input port, asked for",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { { .actions = "1", .match = KEY_IPV4_UDP } },
		.expect = { TC_ACT_REDIRECT, OUT(1), 0, CNT(C(HIT, 1)),
			    true },
	},
};

static const struct fp_h_case miss_drop_cases[] = {
	{
		.desc = "miss, default verdict", .pcap = "dp_ipv4_udp.pcap",
		.in_port = 1,
		.expect = { TC_ACT_SHOT, OUT(0), -1,
			    CNT(C(MISS, 1), C(UPCALL, 1), C(MISS_DROP, 1)) },
	},
	{
		/* One field off (the UDP port) is another flow. */
		.desc = "miss, one field differs", .pcap = "dp_ipv4_udp.pcap",
		.in_port = 1,
		.flows = { { .actions = "2",
			     .match = "recirc_id(0),in_port(1)," ETH
				      ",eth_type(0x0800)," IPV4("17")
				      ",udp(src=1234,dst=54)" } },
		.expect = { TC_ACT_SHOT, OUT(0), -1,
			    CNT(C(MISS, 1), C(UPCALL, 1), C(MISS_DROP, 1)) },
	},
	{
		/* A flow for another port does not catch this packet. */
		.desc = "miss, flow of another in_port",
		.pcap = "dp_arp.pcap", .in_port = 1,
		.flows = { { .actions = "2", .in_port = 3 } },
		.expect = { TC_ACT_SHOT, OUT(0), -1,
			    CNT(C(MISS, 1), C(UPCALL, 1), C(MISS_DROP, 1)) },
	},
	{
		.desc = "drop flow", .pcap = "dp_ipv4_tcp.pcap", .in_port = 1,
		.flows = { { .actions = "drop", .match = KEY_IPV4_TCP } },
		.expect = { TC_ACT_SHOT, OUT(0), 0,
			    CNT(C(HIT, 1), C(DROP_ACTION, 1)) },
	},
	{
		.desc = "output to a port that does not exist",
		.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
		.flows = { FLOW("9") },
		.expect = { TC_ACT_SHOT, OUT(0), 0,
			    CNT(C(HIT, 1), C(OUTPUT_NO_PORT, 1)) },
	},
	{
		/* The missing port is skipped, the list carries on. */
		.desc = "missing port, then port 2",
		.pcap = "dp_vlan_udp.pcap", .in_port = 1,
		.flows = { FLOW("9,2") },
		.expect = { TC_ACT_REDIRECT, OUT(2), 0,
			    CNT(C(HIT, 1), C(OUTPUT_NO_PORT, 1)), true },
	},
	{
		/* An output to the input port that the flow did not flag
		 * (FP_OUTPUT_F_IN_PORT) is never reflected. */
		.desc = "output to the input port, not asked for",
		.pcap = "dp_arp.pcap", .in_port = 1,
		.flows = { { .actions = "1", .no_in_port_flag = true } },
		.expect = { TC_ACT_SHOT, OUT(0), 0,
			    CNT(C(HIT, 1), C(OUTPUT_IN_PORT, 1)) },
	},
	{
		.desc = "input port not asked for, then port 3",
		.pcap = "dp_ipv6_udp.pcap", .in_port = 1,
		.flows = { { .actions = "1,3", .no_in_port_flag = true } },
		.expect = { TC_ACT_REDIRECT, OUT(3), 0,
			    CNT(C(HIT, 1), C(OUTPUT_IN_PORT, 1)), true },
	},
	{
		/* A device that is not a port is the kernel stack's. */
		.desc = "device that is not a port",
		.pcap = "dp_ipv4_udp.pcap", .in_dev = "fpt1p",
		.expect = { TC_ACT_OK, OUT(0), -1, CNT(C(NO_PORT, 1)),
			    true },
	},
};

static const struct fp_h_case miss_pass_case = {
	.desc = "miss, miss_verdict pass", .pcap = "dp_ipv6_udp.pcap",
	.in_port = 2,
	.expect = { TC_ACT_OK, OUT(0), -1, CNT(C(MISS, 1), C(UPCALL, 1)),
		    true },
};

/* Installed by hand: odp refuses to write such a flow. */
static const struct fp_h_case out_of_range_case = {
	.desc = "output to a port number out of range",
	.pcap = "dp_ipv4_udp.pcap", .in_port = 1,
	.expect = { TC_ACT_SHOT, OUT(0), -1,
		    CNT(C(HIT, 1), C(OUTPUT_NO_PORT, 1)) },
};

static void run_cases(struct fp_h *h, const struct fp_h_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fp_h_run_case(h, &c[i]);
}

/*
 * A flow table entry that no flowpath tool writes (a port number past the
 * ports array), as another writer or a bug could leave: the output stage
 * must count and drop it, not index past its maps.
 */
static void test_output_out_of_range(struct fp_h *h)
{
	struct fp_flow flow = {};
	struct fp_flow_key key;
	char err[FP_ODP_ERR_LEN];
	int ret;

	ret = fp_h_key_parse(KEY_IPV4_UDP, &key);
	if (!ret)
		ret = fp_odp_actions_parse("9", NULL, &flow, err, sizeof(err));
	flow.actions[0].u.output.port = FP_MAX_PORTS + 44;
	if (!ret)
		ret = fp_flow_put(&h->dp, &key, &flow, FP_FLOW_CREATE);
	if (!ASSERT_OK(ret, "out-of-range port: install by hand"))
		return;
	fp_h_run_case(h, &out_of_range_case);
	fp_h_flow_del(h, &key);
}

/*
 * A datapath loaded by a build before the compact flow table and the
 * port_by_ifidx array has flows and ports only in flow_table and
 * port_by_ifindex: with neither copy there, a packet is still keyed with
 * its port, hits its flow and leaves by it.
 */
static void test_without_fast_copies(struct fp_h *h)
{
	const struct fp_h_port *in = fp_h_port(h, 1);
	struct fp_flow_key_compact ck;
	struct fp_flow_stats st = {};
	struct fp_h_result *res;
	struct fp_flow_key key;
	struct fp_h_snap s0, s1;
	struct fp_h_pcap pc;
	__u32 ifindex, zero = 0;

	if (fp_h_pcap_read("dp_ipv4_udp.pcap", &pc))
		return;
	res = calloc(1, sizeof(*res));
	fp_h_key_of(pc.pkt[0].data, pc.pkt[0].len, 1, &key);
	if (!res || fp_h_flow_add(h, &key, "2", true))
		goto out;
	ifindex = in->ifindex;
	ASSERT_TRUE(fp_flow_key_compact(&key, &ck), "old maps: key is compact");
	ASSERT_OK(bpf_map_delete_elem(h->dp.map_fd[FP_MAP_FLOW_COMPACT], &ck),
		  "old maps: compact copy removed");
	ASSERT_OK(bpf_map_update_elem(h->dp.map_fd[FP_MAP_PORT_BY_IFIDX],
				      &ifindex, &zero, BPF_ANY),
		  "old maps: port_by_ifidx entry cleared");
	if (!fp_h_snap(h, &s0) &&
	    ASSERT_OK(fp_h_test_run(h->parser_fd, ifindex, pc.pkt[0].data,
				    pc.pkt[0].len, NULL, res),
		      "old maps: run") &&
	    !fp_h_snap(h, &s1)) {
		ASSERT_EQ(res->retval, TC_ACT_REDIRECT, "old maps: redirected");
		ASSERT_EQ(fp_h_tx_delta(&s0, &s1, 2), 1, "old maps: to port 2");
		fp_h_flow_stats(h, &key, &st);
		ASSERT_EQ(st.packets, 1, "old maps: the flow counted it");
	}
	bpf_map_update_elem(h->dp.map_fd[FP_MAP_PORT_BY_IFIDX], &ifindex,
			    &in->no, BPF_ANY);
	fp_h_flow_del(h, &key);
out:
	free(res);
	fp_h_pcap_free(&pc);
}

/*
 * The cases install flows on the keys the harness computes from their
 * pcaps (fp_h_key_of: the parser's own source, built for userspace), so
 * those keys are checked here against OVS's: each line is what `ovs-ofctl
 * parse-pcap` (OVS 3.1) printed for the file's first packet, written down
 * once; a parser bug that the BPF and userspace builds share shows here.
 */
static void test_keys_as_ovs(void)
{
	static const struct {
		const char *pcap, *ovs;
	} k[] = {
		{ "dp_ipv4_udp.pcap",
		  "udp,in_port=ANY,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,nw_src=192.0.2.1,nw_dst=198.51.100.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1234,tp_dst=53" },
		{ "dp_ipv4_tcp.pcap",
		  "tcp,in_port=ANY,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,nw_src=192.0.2.1,nw_dst=198.51.100.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=40000,tp_dst=80,tcp_flags=psh|ack" },
		{ "dp_ipv6_udp.pcap",
		  "udp6,in_port=ANY,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x12345,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=5353,tp_dst=5353" },
		{ "dp_arp.pcap",
		  "arp,in_port=ANY,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,arp_spa=192.0.2.1,arp_tpa=192.0.2.2,arp_op=1,arp_sha=02:00:00:00:00:01,arp_tha=00:00:00:00:00:00" },
		{ "dp_vlan_udp.pcap",
		  "udp,in_port=ANY,dl_vlan=100,dl_vlan_pcp=3,vlan_tci1=0x0000,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,nw_src=192.0.2.1,nw_dst=198.51.100.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1234,tp_dst=5000" },
	};
	char buf[FP_KEY_OFCTL_STRLEN], label[96];
	struct fp_flow_key key;
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		struct fp_h_pcap pc = {};

		if (fp_h_pcap_read(k[i].pcap, &pc))
			continue; /* a FAIL already */
		fp_h_key_of(pc.pkt[0].data, pc.pkt[0].len, FP_PORT_NONE, &key);
		fp_h_pcap_free(&pc);
		fp_key_ofctl_format(&key, buf, sizeof(buf));
		snprintf(label, sizeof(label), "%s: the harness's key is OVS's",
			 k[i].pcap);
		ASSERT_STREQ(buf, k[i].ovs, label);
	}
}

int main(void)
{
	struct fp_h h;

	fp_test_name = "test_datapath";
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_keys_as_ovs();
	if (fp_h_init(&h, 3))
		return 1;

	run_cases(&h, hit_cases, sizeof(hit_cases) / sizeof(hit_cases[0]));
	run_cases(&h, miss_drop_cases,
		  sizeof(miss_drop_cases) / sizeof(miss_drop_cases[0]));
	test_output_out_of_range(&h);
	test_without_fast_copies(&h);

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
