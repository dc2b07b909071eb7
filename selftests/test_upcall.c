// SPDX-License-Identifier: GPL-2.0
/*
 * Upcalls under BPF_PROG_TEST_RUN: a packet that misses (or whose flow
 * must run in the slow path) puts exactly one record on the datapath's
 * perf buffer, and that record is what the slow path needs to handle the
 * packet: the reason, the port, the key the parser made, and the packet
 * itself, whole.
 */
#include <stdlib.h>

#include "harness.h"
#include "test.h"
#include "flow_table.h"
#include "odp.h"

/*
 * Run @pkt in on port @in_port and check the single upcall it causes.
 * @reason/@verdict/@cnt: what the datapath must do with it.
 */
static void check_upcall(struct fp_h *h, const char *what,
			 const struct fp_h_pkt *pkt, __u32 in_port,
			 __u32 reason, int verdict, const long long *cnt)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_h_snap s0, s1;
	char label[256];
	int err;

	if (!res) {
		fp_test_report(false, what, "out of memory");
		return;
	}
	fp_h_upcalls_clear(&h->up);
	err = fp_h_snap(h, &s0);
	if (!err)
		err = fp_h_test_run(h->parser_fd,
				    fp_h_port(h, in_port)->ifindex, pkt->data,
				    pkt->len, NULL, res);
	if (!err)
		err = fp_h_snap(h, &s1);
	if (err) {
		fp_test_report(false, what, "test_run: %s", strerror(-err));
		goto out;
	}
	snprintf(label, sizeof(label), "%s: verdict", what);
	fp_test_report(res->retval == (__u32)verdict, label,
		       "%s, expected %s", fp_h_verdict_name(res->retval),
		       fp_h_verdict_name(verdict));
	snprintf(label, sizeof(label), "%s: counters", what);
	fp_h_check_counters(&s0, &s1, cnt, label);
	fp_h_check_upcall(h, what, pkt, in_port, reason);
out:
	free(res);
}

/* Every packet of every pcap misses on an empty table, on ports 1..3 in
 * turn so that in_port is not always the same. */
static void test_miss(struct fp_h *h)
{
	static const char *const pcaps[] = {
		"dp_ipv4_udp.pcap", "dp_ipv4_tcp.pcap", "dp_ipv6_udp.pcap",
		"dp_arp.pcap",	    "dp_vlan_udp.pcap",
	};
	long long cnt[FP_CNT_MAX] = {
		[FP_CNT_MISS] = 1,
		[FP_CNT_UPCALL] = 1,
		[FP_CNT_MISS_DROP] = 1,
	};
	struct fp_h_pcap pc;
	char what[128];
	size_t i;
	int j, run = 0;

	for (i = 0; i < sizeof(pcaps) / sizeof(pcaps[0]); i++) {
		if (!ASSERT_OK(fp_h_pcap_read(pcaps[i], &pc), pcaps[i]))
			continue;
		for (j = 0; j < pc.n; j++, run++) {
			__u32 port = 1 + run % h->n_ports;

			snprintf(what, sizeof(what), "miss %s pkt %d port %u",
				 pcaps[i], j, port);
			check_upcall(h, what, &pc.pkt[j], port, FP_UPCALL_MISS,
				     TC_ACT_SHOT, cnt);
		}
		fp_h_pcap_free(&pc);
	}
}

/*
 * A flow marked for the slow path (an action with no BPF stage) is
 * accounted as a hit and upcalled with its own reason, never forwarded.
 */
static void test_slow_path_flow(struct fp_h *h)
{
	long long cnt[FP_CNT_MAX] = {
		[FP_CNT_HIT] = 1,
		[FP_CNT_SLOW_PATH] = 1,
		[FP_CNT_UPCALL] = 1,
	};
	char err[FP_ODP_ERR_LEN];
	struct fp_flow flow = {};
	struct fp_flow_stats st;
	struct fp_flow_key key;
	struct fp_h_pcap pc;
	int ret;

	if (!ASSERT_OK(fp_h_pcap_read("dp_ipv6_udp.pcap", &pc),
		       "slow path: pcap"))
		return;
	fp_h_key_of(pc.pkt[1].data, pc.pkt[1].len, 2, &key);
	ret = fp_odp_actions_parse("3", &key, &flow, err, sizeof(err));
	/* No action type has this yet: set the flag as odp would. */
	flow.flags |= FP_FLOW_F_SLOW_PATH;
	if (!ret)
		ret = fp_flow_put(&h->dp, &key, &flow, FP_FLOW_CREATE);
	if (ASSERT_OK(ret, "slow path: install")) {
		check_upcall(h, "slow-path flow", &pc.pkt[1], 2,
			     FP_UPCALL_SLOW_PATH, TC_ACT_SHOT, cnt);
		fp_h_flow_stats(h, &key, &st);
		ASSERT_EQ(st.packets, 1, "slow-path flow: flow stats");
		fp_h_flow_del(h, &key);
	}
	fp_h_pcap_free(&pc);
}

int main(void)
{
	struct fp_h h;

	fp_test_name = "test_upcall";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fp_h_init(&h, 3))
		return 1;
	test_miss(&h);
	test_slow_path_flow(&h);
	fp_h_fini(&h);
	return fp_test_exit();
}
