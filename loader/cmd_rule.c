// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath rule add|del|dump|replace: the running agent's rule table,
 * through its control socket (agent/ctl.h). Each command returns once the
 * agent has revalidated the installed flows against the new rules.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "ctl.h"
#include "dp.h"
#include "log.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: flowpath rule add RULE [--dp NAME]\n"
		   "       flowpath rule del [MATCH] [--strict] [--dp NAME]\n"
		   "       flowpath rule dump [--dp NAME]\n"
		   "       flowpath rule replace FILE [--dp NAME]\n"
		   "RULE and MATCH in ovs-ofctl add-flow syntax, e.g.\n"
		   "  priority=10,ip,nw_dst=192.0.2.0/24,actions=output:2\n");
}

int cmd_rule(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *dp = FP_DP_DEFAULT, *verb, *arg = NULL;
	char path[PATH_MAX];
	bool strict = false;
	int c, nargs;

	optind = 0;
	/* "+": a rule's text is never taken for options. */
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dp = optarg;
			break;
		case 's':
			strict = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		fp_err("rule: expected add, del, dump or replace");
		usage(stderr);
		return 1;
	}
	verb = argv[optind++];
	/* Options may follow the command too. */
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'd')
			dp = optarg;
		else if (c == 's')
			strict = true;
		else
			return 1;
	}
	nargs = argc - optind;
	if (nargs > 0)
		arg = argv[optind];
	while (nargs > 1) {
		/* --dp after the rule */
		if (!strcmp(argv[optind + 1], "--dp") && nargs >= 3) {
			dp = argv[optind + 2];
			nargs -= 2;
			optind += 2;
		} else if (!strcmp(argv[optind + 1], "--strict")) {
			strict = true;
			nargs--;
			optind++;
		} else {
			fp_err("rule %s: unexpected argument '%s' (quote the rule as one argument)",
			       verb, argv[optind + 1]);
			return 1;
		}
	}
	if (fp_dp_name_check(dp))
		return 1;
	if (!strcmp(verb, "add")) {
		if (!arg) {
			fp_err("rule add: expected a rule");
			return 1;
		}
	} else if (!strcmp(verb, "del")) {
		if (strict)
			verb = "del-strict";
		if (!arg)
			arg = "";
	} else if (!strcmp(verb, "dump")) {
		if (arg) {
			fp_err("rule dump: unexpected argument '%s'", arg);
			return 1;
		}
	} else if (!strcmp(verb, "replace")) {
		if (!arg) {
			fp_err("rule replace: expected a FILE");
			return 1;
		}
		/* The agent opens it: give it a path that means the same
		 * wherever the agent runs from. */
		if (!realpath(arg, path)) {
			fp_err("rule replace: %s: %s", arg, strerror(errno));
			return 1;
		}
		arg = path;
	} else {
		fp_err("rule: unknown command '%s': expected add, del, dump or replace",
		       verb);
		return 1;
	}
	return fp_agent_ctl_request(dp, verb, arg) ? 1 : 0;
}
