// SPDX-License-Identifier: GPL-2.0
/* flowpath: the command-line front end of the TC datapath. */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "log.h"

struct fp_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct fp_cmd cmds[] = {
	{ "load", cmd_load,
	  "load [--dp NAME] [--miss drop|pass] [--upcall-rate N] [--upcall-burst N]" },
	{ "unload", cmd_unload, "unload [--dp NAME] [--force]" },
	{ "port", cmd_port,
	  "port add DEV [--port N] [--no-attach] [--dp NAME] | port del DEV|N [--dp NAME] | port show [--dp NAME]" },
	{ "flow", cmd_flow,
	  "flow add|set FLOW ACTIONS | flow del|get FLOW | flow dump | flow flush  [--dp NAME]" },
	{ "stats", cmd_stats, "stats [--dp NAME]" },
	{ "upcall", cmd_upcall,
	  "upcall watch [--count N] [--timeout SECONDS] [--dp NAME] | upcall limit [--port DEV|N] [--rate N] [--burst N] [--dp NAME]" },
	{ "agent", cmd_agent,
	  "agent [--dp NAME] [--rules FILE] [--idle-timeout S] [--mac-idle S] [-v] | agent status [--dp NAME]" },
	{ "rule", cmd_rule,
	  "rule add RULE | rule del [MATCH] [--strict] | rule dump | rule replace FILE  [--dp NAME]" },
	{ "parse-pcap", cmd_parse_pcap, "parse-pcap FILE" },
	{ "verifier-report", cmd_verifier_report,
	  "verifier-report [OBJDIR...]" },
	{ "afxdp", cmd_afxdp,
	  "afxdp --dev DEV [--dev DEV...] [--queues N] [--mode native|skb] [--zero-copy] [--batch N] [--frames N] [--rxdrop|--l2fwd] [--flows FILE] [--rules FILE] [--cpu LIST] [--duration S]" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: flowpath [-v] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s\n", cmds[i].usage);
	fprintf(f, "\nThe datapath defaults to 'fp0'; its maps and programs are pinned under\n"
		   "/sys/fs/bpf/flowpath/NAME ($FLOWPATH_BPFFS replaces /sys/fs/bpf).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		if (!strcmp(argv[0], "-v") || !strcmp(argv[0], "--verbose")) {
			fp_verbose = true;
		} else if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fp_err("unknown option '%s'", argv[0]);
			usage(stderr);
			return 1;
		}
		argc--;
		argv++;
	}
	if (argc == 0) {
		usage(stderr);
		return 1;
	}
	fp_log_setup_libbpf();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[0], cmds[i].name))
			return cmds[i].run(argc, argv);
	fp_err("unknown command '%s'", argv[0]);
	usage(stderr);
	return 1;
}
