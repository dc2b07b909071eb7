// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath afxdp: the AF_XDP datapath (afxdp/). This file only reads and
 * checks the command line.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afxdp.h"
#include "cmds.h"
#include "log.h"

#define FP_AFXDP_MAX_FRAMES (1u << 18)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: flowpath afxdp --dev DEV [--dev DEV...] [--queues N] "
		"[--mode "
		"native|skb]\n"
		"                      [--zero-copy] [--batch N] [--frames N] "
		"[--rxdrop|--l2fwd]\n"
		"                      [--flows FILE] [--rules FILE] [--cpu "
		"LIST] "
		"[--duration S]\n"
		"\n"
		"A userspace datapath on AF_XDP sockets: an XDP program on "
		"each DEV "
		"hands\n"
		"the packets of queues 0..N-1 (default 1 queue) to a socket "
		"per queue, "
		"each\n"
		"with its own umem of --frames 2 KB frames (default %u); one "
		"poll "
		"thread\n"
		"per queue index serves that queue of every DEV (pinned to the "
		"CPUs of\n"
		"--cpu LIST, e.g. 0,2-3, in turn). --batch: rx descriptors per "
		"poll\n"
		"(default %u, at most %u). --mode: native (driver) XDP, the "
		"default, or "
		"skb\n"
		"(generic). --zero-copy: insist on a zero-copy socket.\n"
		"\n"
		"Default, the full datapath: each packet is parsed by the BPF "
		"parser's\n"
		"source and looked up in a flow table in ovs-dpctl syntax, "
		"one\n"
		"'FLOW ACTIONS' per line of --flows FILE; port N is the N-th "
		"--dev, from "
		"1.\n"
		"A miss goes to the OpenFlow rules of --rules FILE (ovs-ofctl "
		"add-flow\n"
		"syntax), whose flow is then installed; without rules a miss "
		"is "
		"dropped.\n"
		"--rxdrop receives and drops; --l2fwd swaps the MAC addresses "
		"and sends\n"
		"each packet back out of its port (both as the kernel's "
		"xdpsock).\n"
		"\n"
		"Prints each socket's counters once a second and on exit "
		"(SIGINT, "
		"SIGTERM\n"
		"or after --duration S seconds), then detaches the programs.\n",
		FP_AFXDP_DEFAULT_FRAMES, FP_AFXDP_DEFAULT_BATCH,
		FP_AFXDP_MAX_BATCH);
}

/* A whole decimal number in [min, max], else a message naming @opt. */
static int parse_uint(const char *opt, const char *s, unsigned long min,
		      unsigned long max, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fp_err("%s '%s': expected a number from %lu to %lu", opt, s,
		       min, max);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/* "0,2-3": CPUs this process may run on. */
static int parse_cpus(const char *s, struct fp_afxdp_config *cfg)
{
	char buf[256], *tok, *save = NULL, *p;
	cpu_set_t allowed;
	unsigned int lo, hi, c;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		CPU_ZERO(&allowed);
	snprintf(buf, sizeof(buf), "%s", s);
	for (p = buf; (tok = strtok_r(p, ",", &save)); p = NULL) {
		char *dash = strchr(tok, '-');

		if (dash)
			*dash = '\0';
		if (parse_uint("--cpu", tok, 0, CPU_SETSIZE - 1, &lo) ||
		    parse_uint("--cpu", dash ? dash + 1 : tok, 0,
			       CPU_SETSIZE - 1, &hi))
			return -EINVAL;
		if (hi < lo) {
			fp_err("--cpu '%s': range %u-%u runs backwards", s, lo,
			       hi);
			return -EINVAL;
		}
		for (c = lo; c <= hi; c++) {
			if (!CPU_ISSET(c, &allowed)) {
				fp_err("--cpu '%s': CPU %u is not one this "
				       "process may run on",
				       s, c);
				return -EINVAL;
			}
			if (cfg->n_cpus == FP_XSK_MAX_QUEUES) {
				fp_err("--cpu '%s': more than %d CPUs", s,
				       FP_XSK_MAX_QUEUES);
				return -EINVAL;
			}
			cfg->cpus[cfg->n_cpus++] = (int)c;
		}
	}
	if (!cfg->n_cpus) {
		fp_err("--cpu '%s': no CPU given", s);
		return -EINVAL;
	}
	return 0;
}

int cmd_afxdp(int argc, char **argv)
{
	enum {
		O_DEV = 256,
		O_QUEUES,
		O_MODE,
		O_ZC,
		O_BATCH,
		O_FRAMES,
		O_RXDROP,
		O_L2FWD,
		O_FLOWS,
		O_RULES,
		O_CPU,
		O_DURATION
	};
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, O_DEV },
		{ "queues", required_argument, NULL, O_QUEUES },
		{ "mode", required_argument, NULL, O_MODE },
		{ "zero-copy", no_argument, NULL, O_ZC },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "frames", required_argument, NULL, O_FRAMES },
		{ "rxdrop", no_argument, NULL, O_RXDROP },
		{ "l2fwd", no_argument, NULL, O_L2FWD },
		{ "flows", required_argument, NULL, O_FLOWS },
		{ "rules", required_argument, NULL, O_RULES },
		{ "cpu", required_argument, NULL, O_CPU },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct fp_afxdp_config cfg = {
		.queues = 1,
		.batch = FP_AFXDP_DEFAULT_BATCH,
		.frames = FP_AFXDP_DEFAULT_FRAMES,
	};
	unsigned int i, j;
	char *end;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case O_DEV:
			if (cfg.n_devs == FP_AFXDP_MAX_DEVS) {
				fp_err("--dev %s: at most %d devices", optarg,
				       FP_AFXDP_MAX_DEVS);
				return 1;
			}
			cfg.devs[cfg.n_devs++] = optarg;
			break;
		case O_QUEUES:
			if (parse_uint("--queues", optarg, 1, FP_XSK_MAX_QUEUES,
				       &cfg.queues))
				return 1;
			break;
		case O_MODE:
			if (!strcmp(optarg, "skb")) {
				cfg.skb_mode = true;
			} else if (!strcmp(optarg, "native")) {
				cfg.skb_mode = false;
			} else {
				fp_err("--mode '%s': expected native or skb",
				       optarg);
				return 1;
			}
			break;
		case O_ZC:
			cfg.zero_copy = true;
			break;
		case O_BATCH:
			if (parse_uint("--batch", optarg, 1, FP_AFXDP_MAX_BATCH,
				       &cfg.batch))
				return 1;
			break;
		case O_FRAMES:
			if (parse_uint("--frames", optarg, 1,
				       FP_AFXDP_MAX_FRAMES, &cfg.frames))
				return 1;
			break;
		case O_RXDROP:
		case O_L2FWD:
			if (cfg.mode != FP_AFXDP_FULL) {
				fp_err("--rxdrop and --l2fwd: one mode at a "
				       "time");
				return 1;
			}
			cfg.mode = c == O_RXDROP ? FP_AFXDP_RXDROP
						 : FP_AFXDP_L2FWD;
			break;
		case O_FLOWS:
			cfg.flows_file = optarg;
			break;
		case O_RULES:
			cfg.rules_file = optarg;
			break;
		case O_CPU:
			if (parse_cpus(optarg, &cfg))
				return 1;
			break;
		case O_DURATION:
			cfg.duration = strtod(optarg, &end);
			if (end == optarg || *end || !(cfg.duration > 0)) {
				fp_err("--duration '%s': expected seconds > 0",
				       optarg);
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fp_err("afxdp: unknown or incomplete option '%s'",
			       argv[optind - 1]);
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fp_err("afxdp: unexpected argument '%s'", argv[optind]);
		return 1;
	}
	if (!cfg.n_devs) {
		fp_err("afxdp: no device given (--dev DEV)");
		return 1;
	}
	for (i = 0; i < cfg.n_devs; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(cfg.devs[i], cfg.devs[j])) {
				fp_err("--dev %s given twice", cfg.devs[i]);
				return 1;
			}
	if (cfg.zero_copy && cfg.skb_mode) {
		fp_err("--zero-copy needs native XDP, not --mode skb");
		return 1;
	}
	if (cfg.mode != FP_AFXDP_FULL && (cfg.flows_file || cfg.rules_file)) {
		fp_err("--flows and --rules are for the full datapath, not "
		       "--%s",
		       cfg.mode == FP_AFXDP_RXDROP ? "rxdrop" : "l2fwd");
		return 1;
	}
	/* Half the frames stock the fill ring, the rest take tx copies:
	 * each half must hold a couple of batches. Rings are powers of 2. */
	if (cfg.frames < 4 * cfg.batch || cfg.frames < 64 ||
	    (cfg.frames & (cfg.frames - 1))) {
		fp_err("--frames %u: umem too small or not a power of 2: each "
		       "socket needs "
		       "at least %u frames (4 x --batch %u, at least 64), a "
		       "power of 2",
		       cfg.frames, 4 * cfg.batch > 64 ? 4 * cfg.batch : 64,
		       cfg.batch);
		return 1;
	}
	return fp_afxdp_run(&cfg) ? 1 : 0;
}
