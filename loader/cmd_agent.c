// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath agent [--dp NAME] [--rules FILE] [--idle-timeout S]
 *                [--mac-idle S]: the upcall agent (agent/), in the
 * foreground, logging to stderr, until SIGINT or SIGTERM.
 * flowpath agent status [--dp NAME]: what a running agent did so far.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "cmds.h"
#include "ctl.h"
#include "log.h"

static int seconds(const char *opt, const char *s, __u64 *ns)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || v <= 0 || v > 1e9) {
		fp_err("agent: %s '%s': expected seconds > 0", opt, s);
		return -1;
	}
	*ns = (__u64)(v * 1e9);
	return 0;
}

int cmd_agent(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "rules", required_argument, NULL, 'r' },
		{ "idle-timeout", required_argument, NULL, 'i' },
		{ "mac-idle", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct fp_agent_opts o = {
		.dp_name = FP_DP_DEFAULT,
		.idle_ns = FP_AGENT_IDLE_S_DEFAULT * 1000000000ull,
		.mac_idle_ns = FP_AGENT_MAC_IDLE_S_DEFAULT * 1000000000ull,
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.dp_name = optarg;
			break;
		case 'r':
			o.rules_path = optarg;
			break;
		case 'i':
			if (seconds("--idle-timeout", optarg, &o.idle_ns))
				return 1;
			break;
		case 'm':
			if (seconds("--mac-idle", optarg, &o.mac_idle_ns))
				return 1;
			break;
		case 'v':
			fp_verbose = true;
			break;
		case 'h':
			printf("usage: flowpath agent [--dp NAME] [--rules FILE] [--idle-timeout SECONDS] [--mac-idle SECONDS] [-v]\n"
			       "       flowpath agent status [--dp NAME]\n");
			return 0;
		default:
			return 1;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "status")) {
		if (optind + 1 < argc) {
			fp_err("agent status: unexpected argument '%s'",
			       argv[optind + 1]);
			return 1;
		}
		return fp_agent_ctl_request(o.dp_name, "status", NULL) ? 1 : 0;
	}
	if (optind < argc) {
		fp_err("agent: unexpected argument '%s'", argv[optind]);
		return 1;
	}
	return fp_agent_run(&o) ? 1 : 0;
}
