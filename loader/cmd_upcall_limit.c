// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath upcall limit: show or set the per-port upcall token buckets
 * (maps/upcall_limit.h). Without --rate/--burst it shows each port's
 * bucket and what it let through; with them it sets the bucket of --port,
 * or of every port number (so also of ports added later) without it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "dp.h"
#include "log.h"
#include "port.h"
#include "dp_upcall_limit.h"

static void limit_show_one(struct fp_dp *dp, __u32 no, const char *name)
{
	struct fp_upcall_port_stats st;
	struct fp_upcall_limit l;

	if (fp_upcall_limit_get(dp, no, &l)) {
		printf("  port %u: %s: cannot read its upcall limit\n", no, name);
		return;
	}
	if (fp_upcall_port_stats_sum(dp, no, &st))
		memset(&st, 0, sizeof(st));
	if (l.rate)
		printf("  port %u: %s: rate %u/s burst %u", no, name, l.rate,
		       l.burst);
	else
		printf("  port %u: %s: no limit", no, name);
	printf(", upcalls %llu rate_limited %llu lost %llu\n",
	       (unsigned long long)st.upcalls,
	       (unsigned long long)st.rate_limited,
	       (unsigned long long)st.lost);
}

static void limit_show(struct fp_dp *dp, __u32 only)
{
	struct fp_port port;
	__u32 no;

	printf("datapath %s upcall limits:\n", dp->name);
	for (no = 1; no < FP_MAX_PORTS; no++) {
		if ((only && no != only) || fp_port_get(dp, no, &port) ||
		    !port.ifindex)
			continue;
		limit_show_one(dp, no, port.name);
	}
}

int cmd_upcall_limit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *name = FP_DP_DEFAULT, *port_arg = NULL;
	bool set_rate = false, set_burst = false;
	__u32 rate, burst, no = 0;
	struct fp_dp dp;
	int c, err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			name = optarg;
			break;
		case 'p':
			port_arg = optarg;
			break;
		case 'r':
			if (fp_upcall_limit_parse("upcall limit", "rate",
						  optarg, &rate))
				return 1;
			set_rate = true;
			break;
		case 'b':
			if (fp_upcall_limit_parse("upcall limit", "burst",
						  optarg, &burst))
				return 1;
			set_burst = true;
			break;
		case 'h':
			printf("usage: flowpath upcall limit [--port DEV|N] [--rate N] [--burst N] [--dp NAME]\n"
			       "  --rate N   upcalls per second (0: no limit)\n"
			       "  --burst N  upcalls back to back\n"
			       "Without --rate/--burst: show. Without --port: every port.\n");
			return 0;
		default:
			return 1;
		}
	}
	if (optind < argc) {
		fp_err("upcall limit: unexpected argument '%s'", argv[optind]);
		return 1;
	}
	if (fp_dp_open(&dp, name))
		return 1;
	if (port_arg) {
		no = fp_port_lookup(&dp, port_arg);
		if (!no) {
			fp_err("upcall limit: '%s' is not a port of datapath %s",
			       port_arg, name);
			err = -ENOENT;
			goto out;
		}
	}
	if (!set_rate && !set_burst) {
		limit_show(&dp, no);
		err = 0;
		goto out;
	}
	err = fp_dp_lock(&dp);
	if (!err)
		err = fp_upcall_limit_set(&dp,
					  no ? (int)no : FP_UPCALL_ALL_PORTS,
					  set_rate ? &rate : NULL,
					  set_burst ? &burst : NULL);
out:
	fp_dp_close(&dp);
	return err ? 1 : 0;
}
