// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath flow add|set|del|get|dump|flush: the flow table, with flows
 * written and shown as ovs-dpctl add-flow and dump-flows write them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capacity.h"
#include "cmds.h"
#include "dp.h"
#include "flow_table.h"
#include "log.h"
#include "odp.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: flowpath flow add [--may-exist] [--clear] [--datapath-only] FLOW ACTIONS [--dp NAME]\n"
		"       flowpath flow set [--clear] [--datapath-only] FLOW ACTIONS [--dp NAME]\n"
		"       flowpath flow del FLOW [--dp NAME]\n"
		"       flowpath flow get FLOW [--dp NAME]\n"
		"       flowpath flow dump [--dp NAME]\n"
		"       flowpath flow flush [--dp NAME]\n"
		"\n"
		"FLOW and ACTIONS are written as for ovs-dpctl add-flow, e.g.\n"
		"  'in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),\n"
		"   ipv4(src=192.0.2.1,dst=198.51.100.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)' 2\n"
		"The table is exact-match: a field left out is zero. ACTIONS: port numbers\n"
		"separated by commas, or drop. add refuses a flow that is already there\n"
		"unless --may-exist; set installs or replaces. A replaced flow keeps its\n"
		"stats unless --clear.\n"
		"A flow of more than 32 actions (at most 256) is executed by the slow path:\n"
		"its whole list is kept for it in the map slow_actions. --datapath-only\n"
		"refuses such a flow instead, naming the first action that does not fit.\n");
}

/* As OVS prints the flags of the packets a flow has seen (tcpdump's). */
static void print_tcp_flags(__u16 f)
{
	static const struct {
		__u16 bit;
		const char *s;
	} names[] = {
		{ 0x002, "S" },	    { 0x001, "F" },	{ 0x008, "P" },
		{ 0x004, "R" },	    { 0x020, "U" },	{ 0x010, "." },
		{ 0x040, "E" },	    { 0x080, "C" },	{ 0x100, "N" },
		{ 0x200, "[200]" }, { 0x400, "[400]" }, { 0x800, "[800]" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit)
			fputs(names[i].s, stdout);
}

static void print_stats(const struct fp_flow_stats *st)
{
	struct timespec now;

	printf("packets:%llu, bytes:%llu, used:",
	       (unsigned long long)st->packets, (unsigned long long)st->bytes);
	if (!st->used_ns) {
		printf("never");
	} else {
		/* used_ns is the coarse monotonic clock: never ahead of this
		 * one, but round to zero if it ever is. */
		__u64 t;

		clock_gettime(CLOCK_MONOTONIC, &now);
		t = (__u64)now.tv_sec * 1000000000ULL + now.tv_nsec;
		printf("%.3fs",
		       t > st->used_ns ? (t - st->used_ns) / 1e9 : 0.0);
	}
	if (st->tcp_flags) {
		printf(", flags:");
		print_tcp_flags(st->tcp_flags);
	}
}

/* @arg: the datapath, where a slow-path flow's whole list is. */
static int print_flow(const struct fp_flow_key *key, const struct fp_flow *flow,
		      const struct fp_flow_stats *st, void *arg)
{
	static char k[FP_ODP_KEY_STRLEN], a[FP_ODP_SLOW_ACTIONS_STRLEN];
	static struct fp_slow_actions all;
	struct fp_dp *dp = arg;
	int err = -ENOENT;

	fp_odp_key_format(key, k, sizeof(k));
	if (flow->flags & FP_FLOW_F_SLOW_PATH)
		err = fp_flow_slow_get(dp, key, &all);
	if (err == -ENOENT)
		fp_odp_actions_format(flow, a, sizeof(a));
	else if (!err)
		fp_odp_actions_format_list(all.actions,
					   all.n_actions < FP_SLOW_MAX_ACTIONS ?
						   all.n_actions :
						   FP_SLOW_MAX_ACTIONS,
					   a, sizeof(a));
	else
		return err;
	printf("%s, ", k);
	print_stats(st);
	printf(", actions:%s\n", a);
	return 0;
}

enum flow_op { OP_ADD, OP_SET, OP_DEL, OP_GET, OP_DUMP, OP_FLUSH };

static const struct {
	const char *name;
	int n_args; /* FLOW, ACTIONS */
} ops[] = {
	[OP_ADD] = { "add", 2 },  [OP_SET] = { "set", 2 },
	[OP_DEL] = { "del", 1 },  [OP_GET] = { "get", 1 },
	[OP_DUMP] = { "dump", 0 }, [OP_FLUSH] = { "flush", 0 },
};

static int run(struct fp_dp *dp, enum flow_op op, const struct fp_flow_key *key,
	       const struct fp_flow *flow, const struct fp_slow_actions *all,
	       unsigned int put_flags)
{
	static char k[FP_ODP_KEY_STRLEN];
	struct fp_flow_stats st;
	struct fp_flow got;
	int err;

	if (key)
		fp_odp_key_format(key, k, sizeof(k));
	switch (op) {
	case OP_ADD:
	case OP_SET:
		err = fp_flow_put_all(dp, key, flow, all, put_flags);
		if (err == -EEXIST)
			fp_err("flow add: datapath %s already has flow %s (use 'flow set' or --may-exist to replace it)",
			       dp->name, k);
		else if (err == -ENOSPC)
			fp_err("flow %s: the flow table of datapath %s is full (%u flows): delete some first",
			       ops[op].name, dp->name, FP_MAX_FLOWS);
		return err;
	case OP_DEL:
	case OP_GET:
		if (op == OP_DEL)
			err = fp_flow_del(dp, key, NULL);
		else
			err = fp_flow_get(dp, key, &got, &st);
		if (err == -ENOENT)
			fp_err("flow %s: datapath %s has no flow %s", ops[op].name,
			       dp->name, k);
		else if (!err && op == OP_GET)
			err = print_flow(key, &got, &st, dp);
		return err;
	case OP_DUMP:
		return fp_flow_dump(dp, print_flow, dp);
	case OP_FLUSH:
		err = fp_flow_flush(dp);
		return err < 0 ? err : 0;
	}
	return -EINVAL;
}

int cmd_flow(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "may-exist", no_argument, NULL, 'm' },
		{ "clear", no_argument, NULL, 'c' },
		{ "datapath-only", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	static struct fp_slow_actions all;
	static struct fp_flow flow;
	const char *name = FP_DP_DEFAULT, *sub;
	bool may_exist = false, clear = false, dp_only = false;
	char err[FP_ODP_ERR_LEN];
	struct fp_flow_key key;
	unsigned int put_flags;
	enum flow_op op;
	struct fp_dp dp;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			name = optarg;
			break;
		case 'm':
			may_exist = true;
			break;
		case 'c':
			clear = true;
			break;
		case 'D':
			dp_only = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return 1;
		}
	}
	if (optind >= argc) {
		fp_err("flow: expected add, set, del, get, dump or flush");
		return 1;
	}
	sub = argv[optind++];
	for (op = OP_ADD; op <= OP_FLUSH; op++)
		if (!strcmp(sub, ops[op].name))
			break;
	if (op > OP_FLUSH) {
		fp_err("flow: unknown subcommand '%s' (expected add, set, del, get, dump or flush)",
		       sub);
		return 1;
	}
	if (argc - optind < ops[op].n_args) {
		fp_err("flow %s: expected %s", sub,
		       ops[op].n_args == 2 ? "a flow and its actions" : "a flow");
		return 1;
	}
	if (argc - optind > ops[op].n_args) {
		fp_err("flow %s: unexpected argument '%s'", sub,
		       argv[optind + ops[op].n_args]);
		return 1;
	}
	if (may_exist && op != OP_ADD) {
		fp_err("flow %s: --may-exist is for flow add", sub);
		return 1;
	}
	if (clear && op != OP_ADD && op != OP_SET) {
		fp_err("flow %s: --clear is for flow add and flow set", sub);
		return 1;
	}
	if (dp_only && op != OP_ADD && op != OP_SET) {
		fp_err("flow %s: --datapath-only is for flow add and flow set",
		       sub);
		return 1;
	}

	/* The text first: a typo needs no datapath to be reported. */
	if (ops[op].n_args >= 1 &&
	    fp_odp_key_parse(argv[optind], &key, err, sizeof(err))) {
		fp_err("flow %s: %s", sub, err);
		return 1;
	}
	if (ops[op].n_args == 2 && dp_only) {
		/* All of it in BPF: the flow table's 32 elements, stages
		 * only. */
		if (fp_odp_actions_parse(argv[optind + 1], &key, &flow, err,
					 sizeof(err))) {
			fp_err("flow %s: %s (--datapath-only)", sub, err);
			return 1;
		}
		if (flow.flags & FP_FLOW_F_SLOW_PATH) {
			fp_err("flow %s: --datapath-only, but an action has no BPF stage",
			       sub);
			return 1;
		}
	} else if (ops[op].n_args == 2 &&
		   fp_odp_actions_parse_all(argv[optind + 1], &key, &flow,
					    &all, err, sizeof(err))) {
		fp_err("flow %s: %s", sub, err);
		return 1;
	}
	put_flags = FP_FLOW_CREATE;
	if (op == OP_SET || may_exist)
		put_flags |= FP_FLOW_MODIFY;
	if (clear)
		put_flags |= FP_FLOW_RESET_STATS;

	if (fp_dp_open(&dp, name))
		return 1;
	ret = run(&dp, op, ops[op].n_args ? &key : NULL, &flow,
		  ops[op].n_args == 2 && !dp_only ? &all : NULL, put_flags);
	fp_dp_close(&dp);
	return ret ? 1 : 0;
}
