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
#include "tunnel_port.h"

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
		if (port.type == FP_PORT_GRE || port.type == FP_PORT_ERSPAN) {
			char desc[256];

			fp_tunnel_port_describe(dp, no, desc, sizeof(desc));
			printf("  port %u: %s (%s)\n", no, port.name, desc);
		} else {
			printf("  port %u: %s (ifindex %u)%s%s\n", no,
			       port.name, port.ifindex,
			       port.flags & FP_PORT_F_ATTACHED ?
				       ", tc ingress" :
				       ", not attached",
			       fp_port_dev_present(&port) ?
				       "" :
				       ", device not in this netns");
		}
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

static const char *opt_name(const struct option *opts, int val)
{
	for (; opts->name; opts++)
		if (opts->val == val)
			return opts->name;
	return "?";
}

int cmd_port(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "no-attach", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		/* tunnel ports */
		{ "type", required_argument, NULL, 't' },
		{ "underlay", required_argument, NULL, 'u' },
		{ "local-ip", required_argument, NULL, 'L' },
		{ "remote-ip", required_argument, NULL, 'R' },
		{ "local-mac", required_argument, NULL, 'M' },
		{ "remote-mac", required_argument, NULL, 'N' },
		{ "key", required_argument, NULL, 'k' },
		{ "csum", no_argument, NULL, 'c' },
		{ "seq", no_argument, NULL, 's' },
		{ "no-df", no_argument, NULL, 'D' },
		{ "tos", required_argument, NULL, 'T' },
		{ "ttl", required_argument, NULL, 'l' },
		{ "erspan-ver", required_argument, NULL, 'V' },
		{ "erspan-idx", required_argument, NULL, 'I' },
		{ "erspan-dir", required_argument, NULL, 'r' },
		{ "erspan-hwid", required_argument, NULL, 'H' },
		{ "malformed", required_argument, NULL, 'm' },
		{}
	};
	struct fp_tunnel_opts to;
	bool tunnel_opt = false;
	long v;
	const char *name = FP_DP_DEFAULT, *sub, *dev = NULL;
	bool attach = true;
	unsigned long no = 0;
	struct fp_dp dp;
	char *end;
	int c, err;
	__u32 added;

	fp_tunnel_opts_init(&to);
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
		case 't':
			if (!strcmp(optarg, "gre")) {
				to.type = FP_PORT_GRE;
			} else if (!strcmp(optarg, "erspan")) {
				to.type = FP_PORT_ERSPAN;
			} else if (strcmp(optarg, "netdev")) {
				fp_err("port: --type '%s': expected netdev, gre or erspan",
				       optarg);
				return 1;
			}
			break;
		case 'u':
			to.underlay = optarg;
			tunnel_opt = true;
			break;
		case 'L':
			to.local_ip = optarg;
			tunnel_opt = true;
			break;
		case 'R':
			to.remote_ip = optarg;
			tunnel_opt = true;
			break;
		case 'M':
			to.local_mac = optarg;
			tunnel_opt = true;
			break;
		case 'N':
			to.remote_mac = optarg;
			tunnel_opt = true;
			break;
		case 'c':
			to.csum = tunnel_opt = true;
			break;
		case 's':
			to.seq = tunnel_opt = true;
			break;
		case 'D':
			to.no_df = tunnel_opt = true;
			break;
		case 'm':
			if (!strcmp(optarg, "pass")) {
				to.malformed = FP_TUN_MALFORMED_PASS;
			} else if (strcmp(optarg, "drop")) {
				fp_err("port: --malformed '%s': expected drop or pass",
				       optarg);
				return 1;
			}
			tunnel_opt = true;
			break;
		case 'k':
		case 'T':
		case 'l':
		case 'V':
		case 'I':
		case 'r':
		case 'H':
			v = strtol(optarg, &end, 0);
			if (!*optarg || *end || v < 0 || v > 0xffffffffl) {
				fp_err("port: --%s '%s': expected a number",
				       opt_name(longopts, c), optarg);
				return 1;
			}
			tunnel_opt = true;
			if (c == 'k') {
				to.key_set = true;
				to.key = v;
			} else if (c == 'T') {
				to.tos = v > 255 ? 256 : v;
			} else if (c == 'l') {
				to.ttl = v > 255 ? 256 : v;
			} else if (c == 'V') {
				if (v != 1 && v != 2) {
					fp_err("port: --erspan-ver '%s': expected 1 or 2",
					       optarg);
					return 1;
				}
				to.erspan_ver = v;
			} else if (c == 'I') {
				to.erspan_idx = v;
			} else if (c == 'r') {
				to.erspan_dir = v;
			} else {
				to.erspan_hwid = v;
			}
			break;
		case 'h':
			printf("usage: flowpath port add DEV [--port N] [--no-attach] [--dp NAME]\n"
			       "       flowpath port add NAME --type gre|erspan --underlay DEV --local-ip IP --remote-ip IP\n"
			       "                [--key N] [--csum] [--seq] [--tos N] [--ttl N] [--no-df]\n"
			       "                [--erspan-ver 1 --erspan-idx N | --erspan-ver 2 --erspan-dir 0|1 --erspan-hwid N]\n"
			       "                [--local-mac MAC] [--remote-mac MAC] [--malformed drop|pass] [--port N] [--dp NAME]\n"
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

	if (tunnel_opt && (!to.type || strcmp(sub, "add"))) {
		fp_err("port %s: tunnel options need 'add' and --type gre or erspan",
		       sub);
		return 1;
	}
	if (to.type && !attach) {
		fp_err("port add: --no-attach is for device ports: a tunnel port has no device");
		return 1;
	}
	if (fp_dp_open(&dp, name))
		return 1;
	if (!strcmp(sub, "show")) {
		err = port_show(&dp);
	} else if (!strcmp(sub, "add") && to.type) {
		err = fp_tunnel_port_add(&dp, dev, no, &to, &added);
		if (!err)
			printf("%s is port %u of datapath %s\n", dev, added,
			       name);
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
