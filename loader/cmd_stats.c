// SPDX-License-Identifier: GPL-2.0
/* flowpath stats: the datapath's counters, each drop reason by name. */
#include <getopt.h>
#include <stdio.h>

#include <bpf/bpf.h>

#include "cmds.h"
#include "dp.h"
#include "dp_counters.h"
#include "log.h"

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
			printf("  %-18s %llu\n", fp_counter_names[i], v[i]);
	}
	fp_dp_close(&dp);
	return err ? 1 : 0;
}
