// SPDX-License-Identifier: GPL-2.0
/* flowpath stats: the datapath's counters, each drop reason by name. */
#include <getopt.h>
#include <stdio.h>

#include <bpf/bpf.h>

#include "cmds.h"
#include "dp.h"
#include "dp_counters.h"
#include "log.h"
#include "port.h"
#include "dp_upcall_limit.h"

/* Upcalls by port, for the ports that had any: which one is flooding. */
static void stats_upcall_ports(struct fp_dp *dp)
{
	struct fp_upcall_port_stats st;
	struct fp_port port;
	bool header = false;
	__u32 no;

	for (no = 0; no < FP_MAX_PORTS; no++) {
		if (fp_upcall_port_stats_sum(dp, no, &st) ||
		    !(st.upcalls | st.rate_limited | st.lost))
			continue;
		if (!header)
			printf("  per-port upcalls:    %12s %12s %12s\n",
			       "upcalls", "rate_limited", "lost");
		header = true;
		if (fp_port_get(dp, no, &port) || !port.ifindex)
			snprintf(port.name, sizeof(port.name), "-");
		printf("    %-3u %-15s %12llu %12llu %12llu\n", no, port.name,
		       (unsigned long long)st.upcalls,
		       (unsigned long long)st.rate_limited,
		       (unsigned long long)st.lost);
	}
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	unsigned long long v[FP_CNT_MAX];
	const char *name = FP_DP_DEFAULT;
	struct fp_dp dp;
	int c, i, err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			name = optarg;
			break;
		case 'h':
			printf("usage: flowpath stats [--dp NAME]\n");
			return 0;
		default:
			return 1;
		}
	}
	if (optind < argc) {
		fp_err("stats: unexpected argument '%s'", argv[optind]);
		return 1;
	}
	if (fp_dp_open(&dp, name))
		return 1;
	err = fp_counters_read(&dp, v);
	if (err) {
		fp_err("stats: cannot read counters of %s", name);
	} else {
		printf("datapath %s:\n", name);
		for (i = 0; i < FP_CNT_MAX; i++)
			printf("  %-20s %llu\n", fp_counter_names[i], v[i]);
		stats_upcall_ports(&dp);
	}
	fp_dp_close(&dp);
	return err ? 1 : 0;
}
