// SPDX-License-Identifier: GPL-2.0
/* flowpath load / unload */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "dp.h"
#include "dp_config.h"
#include "dp_load.h"
#include "log.h"
#include "dp_upcall_limit.h"

int cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "miss", required_argument, NULL, 'm' },
		{ "upcall-rate", required_argument, NULL, 'r' },
		{ "upcall-burst", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct fp_load_opts opts = { .miss_verdict = -1 };
	const char *name = FP_DP_DEFAULT;
	bool upgraded = false;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			name = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "drop")) {
				opts.miss_verdict = FP_MISS_DROP;
			} else if (!strcmp(optarg, "pass")) {
				opts.miss_verdict = FP_MISS_PASS;
			} else {
				fp_err("load: --miss '%s': expected 'drop' or 'pass'",
				       optarg);
				return 1;
			}
			break;
		case 'r':
			if (fp_upcall_limit_parse("load", "rate", optarg,
						  &opts.upcall_rate))
				return 1;
			opts.upcall_rate_set = true;
			break;
		case 'b':
			if (fp_upcall_limit_parse("load", "burst", optarg,
						  &opts.upcall_burst))
				return 1;
			opts.upcall_burst_set = true;
			break;
		case 'h':
			printf("usage: flowpath load [--dp NAME] [--miss drop|pass] [--upcall-rate N] [--upcall-burst N]\n"
			       "  --upcall-rate N   upcalls per second per port (0: no limit; default %u)\n"
			       "  --upcall-burst N  upcalls per port back to back (default %u)\n",
			       FP_UPCALL_RATE_DEFAULT, FP_UPCALL_BURST_DEFAULT);
			return 0;
		default:
			return 1;
		}
	}
	if (optind < argc) {
		fp_err("load: unexpected argument '%s'", argv[optind]);
		return 1;
	}
	if (fp_dp_load(name, &opts, &upgraded))
		return 1;
	printf("datapath %s %s\n", name, upgraded ? "upgraded" : "loaded");
	return 0;
}

int cmd_unload(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *name = FP_DP_DEFAULT;
	bool force = false;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			name = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			printf("usage: flowpath unload [--dp NAME] [--force]\n");
			return 0;
		default:
			return 1;
		}
	}
	if (optind < argc) {
		fp_err("unload: unexpected argument '%s'", argv[optind]);
		return 1;
	}
	return fp_dp_unload(name, force) ? 1 : 0;
}
