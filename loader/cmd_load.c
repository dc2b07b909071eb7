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

int cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "miss", required_argument, NULL, 'm' },
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
		case 'h':
			printf("usage: flowpath load [--dp NAME] [--miss drop|pass]\n");
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
