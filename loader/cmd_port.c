// SPDX-License-Identifier: GPL-2.0
/* flowpath port add / del / show */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "dp.h"
#include "log.h"
#include "port.h"
#include "tc.h"

static int port_show(struct fp_dp *dp)
{
	struct fp_port_stats st;
	struct fp_port port;
	__u32 no;

	printf("datapath %s:\n", dp->name);
	for (no = 1; no < FP_MAX_PORTS; no++) {
		if (fp_port_get(dp, no, &port) || !port.ifindex)
			continue;
		if (fp_port_stats_sum(dp, no, &st))
			memset(&st, 0, sizeof(st));
		printf("  port %u: %s (ifindex %u)%s%s\n", no, port.name,
		       port.ifindex,
		       port.flags & FP_PORT_F_ATTACHED ? ", tc ingress" :
							 ", not attached",
		       fp_port_dev_present(&port) ? "" :
						    ", device not in this netns");
		printf("    RX packets:%llu bytes:%llu\n",
		       (unsigned long long)st.rx_packets,
		       (unsigned long long)st.rx_bytes);
		printf("    TX packets:%llu bytes:%llu dropped:%llu\n",
		       (unsigned long long)st.tx_packets,
		       (unsigned long long)st.tx_bytes,
		       (unsigned long long)st.tx_dropped);
	}
	return 0;
}

int cmd_port(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "no-attach", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *name = FP_DP_DEFAULT, *sub, *dev = NULL;
	bool attach = true;
	unsigned long no = 0;
	struct fp_dp dp;
	char *end;
	int c, err;
	__u32 added;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			name = optarg;
			break;
		case 'p':
			no = strtoul(optarg, &end, 10);
			if (!*optarg || *end || no == 0 || no >= FP_MAX_PORTS) {
				fp_err("port: --port '%s': expected a number from 1 to %u",
				       optarg, FP_MAX_PORTS - 1);
				return 1;
			}
			break;
		case 'n':
			attach = false;
			break;
		case 'h':
			printf("usage: flowpath port add DEV [--port N] [--no-attach] [--dp NAME]\n"
			       "       flowpath port del DEV|N [--dp NAME]\n"
			       "       flowpath port show [--dp NAME]\n");
			return 0;
		default:
			return 1;
		}
	}
	if (optind >= argc) {
		fp_err("port: expected 'add', 'del' or 'show'");
		return 1;
	}
	sub = argv[optind++];
	if (!strcmp(sub, "add") || !strcmp(sub, "del")) {
		if (optind >= argc) {
			fp_err("port %s: expected a device", sub);
			return 1;
		}
		dev = argv[optind++];
	} else if (strcmp(sub, "show")) {
		fp_err("port: unknown subcommand '%s' (expected add, del or show)",
		       sub);
		return 1;
	}
	if (optind < argc) {
		fp_err("port %s: unexpected argument '%s'", sub, argv[optind]);
		return 1;
	}

	if (fp_dp_open(&dp, name))
		return 1;
	if (!strcmp(sub, "show")) {
		err = port_show(&dp);
	} else if (!strcmp(sub, "add")) {
		err = fp_port_add(&dp, dev, no, attach, &added);
		if (!err)
			printf("%s is port %u of datapath %s\n", dev, added,
			       name);
	} else {
		__u32 n = fp_port_lookup(&dp, dev);

		if (!n) {
			fp_err("port del: datapath %s has no port '%s'", name,
			       dev);
			err = -ENOENT;
		} else {
			err = fp_port_del(&dp, n);
		}
	}
	fp_dp_close(&dp);
	return err ? 1 : 0;
}
