// SPDX-License-Identifier: GPL-2.0
/*
 * fpbench micro [--cpu C] [--samples N] [--repeat N]: what each of
 * flowpath's stages costs per packet, under BPF_PROG_TEST_RUN.
 *
 * It moves into a network namespace of its own (two veth ports), loads a
 * real datapath there, fpt-bench-m<pid>, and unloads it however it exits.
 * A stage is timed on its own by putting fpbench's fpb_stop program into
 * the tail-call slot it jumps to, so a row is the stage plus one tail
 * call into a program that only clears skb->cb; a chain row runs the real
 * stages end to end. Before a stage is timed on its own, the chain runs
 * from the parser with that stage's slot pointed at fpb_stop, for the
 * per-CPU scratch it leaves (this thread stays on one CPU).
 *
 * One row per case on stdout, '|'-separated:
 *   micro|CASE|median ns|low ns|high ns|verdict|mode
 * where mode is "repeat" (one test run of --repeat packets per sample,
 * --samples samples; low and high: min and max) or "single" (a fresh skb
 * per run, SINGLE_RUNS runs; low and high: 5th and 95th percentile), for
 * actions that change the packet, which a repeat would compound,
 * and "n/a" rows name an action that has not landed.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>

#include "fpbench.h"
#include "dp.h"
#include "dp_load.h"
#include "flow_table.h"
#include "odp.h"
#include "port.h"
#include "tailcall.h"
#include "veth.h"
#include "stop.skel.h"
#include "redirect.skel.h"
#include "keysize.skel.h"

#define MICRO_MAX_SAMPLES 64
#define SINGLE_RUNS 2001


/*
 * Flows with one action before the output, as the forwarding benchmark's
 * flowpath rows: a row for each action flowpath's BPF datapath runs, "n/a"
 * for one it does not take yet. An action that changes the packet is timed
 * on a fresh packet each run where a repeated run would differ: a second
 * push_vlan pushes a second tag, a rewritten packet misses its flow.
 */
static const struct micro_action {
	const char *name;
	const char *actions;
	int vid; /* the packet's VLAN tag, 0: none */
	int next_slot; /* where the stage goes next: fpb_stop meanwhile */
	bool stage_single; /* run again, the stage would do something else */
	bool chain_single; /* run again, the packet would miss its flow */
	bool no_chain; /* the chain needs more than this one flow */
} micro_actions[] = {
	{ "hash", "hash(l4(0)),2", 0, FP_SLOT_OUTPUT, false, false, false },
	{ "push_vlan", "push_vlan(vid=100,pcp=0),2", 0, FP_SLOT_OUTPUT, true,
	  true, false },
	{ "pop_vlan", "pop_vlan,2", 100, FP_SLOT_OUTPUT, true, true, false },
	{ "set eth dst", "set(eth(dst=02:00:00:00:00:03)),2", 0,
	  FP_SLOT_OUTPUT, false, true, false },
	/* Its chain would go on into a second lookup, with recirc_id 1. */
	{ "recirc", "recirc(1)", 0, FP_SLOT_RECIRC, false, false, true },
};
#define N_ACTIONS (sizeof(micro_actions) / sizeof(micro_actions[0]))
/* Flow numbers (UDP source port offsets) of the packets used. */
#define FLOW_HIT 0
#define FLOW_MISS 1
#define FLOW_ACTION0 2

static char dp_name[FP_DP_NAME_MAX];

static void unload(void)
{
	if (dp_name[0]) {
		fp_dp_unload(dp_name, false);
		dp_name[0] = '\0';
	}
}

static void on_signal(int sig)
{
	unload();
	signal(sig, SIG_DFL);
	raise(sig);
}

struct micro {
	struct fp_dp dp;
	int ifindex[3]; /* by port number */
	int parser, lookup, output; /* the pinned stages */
	int stop, nop, redirect;
	unsigned char pkt[FLOW_ACTION0 + N_ACTIONS][FPB_MAX_SIZE];
	int len;
	bool landed[N_ACTIONS];
	long samples, repeat;
};

static int pinned_prog(const char *stage)
{
	char leaf[64], path[PATH_MAX];
	int fd;

	snprintf(leaf, sizeof(leaf), "progs/%s", stage);
	if (fp_dp_path(path, sizeof(path), dp_name, leaf))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		fpb_err("%s: %s", path, strerror(errno));
	return fd;
}

/* The program in tail-call slot @slot now (a new fd), or -ENOENT. */
static int slot_prog(struct micro *m, __u32 slot)
{
	__u32 id;

	if (bpf_map_lookup_elem(m->dp.map_fd[FP_MAP_TAIL_CALLS], &slot, &id))
		return -ENOENT;
	return bpf_prog_get_fd_by_id(id);
}

static int slot_set(struct micro *m, __u32 slot, int fd)
{
	if (bpf_map_update_elem(m->dp.map_fd[FP_MAP_TAIL_CALLS], &slot, &fd,
				BPF_ANY)) {
		int err = -errno;

		fpb_err("tail-call slot %u: %s", slot, strerror(-err));
		return err;
	}
	return 0;
}

/* One test run of @fd on packet @flow arriving on port 1. */
static int test_run(struct micro *m, int fd, int flow, __u32 repeat,
		    __u32 *duration, __u32 *retval)
{
	struct __sk_buff ctx = { .ifindex = m->ifindex[1] };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = m->pkt[flow],
		    .data_size_in = m->len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*duration = o.duration;
	*retval = o.retval;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

static const char *verdict(__u32 v)
{
	switch (v) {
	case TC_ACT_OK:
		return "TC_ACT_OK";
	case TC_ACT_SHOT:
		return "TC_ACT_SHOT";
	case TC_ACT_REDIRECT:
		return "TC_ACT_REDIRECT";
	default:
		return "other";
	}
}

/*
 * Time @fd on packet @flow and print its row. With @stage_slot >= 0 the
 * program is the stage in that slot, run on its own: the scratch it reads
 * is primed by running the chain from the parser with that slot pointed
 * at fpb_stop (again before every run in single mode: a stage may change
 * scratch). With @next_slot >= 0, the slot the program jumps to is
 * pointed at fpb_stop while it is timed. Every slot is restored.
 */
static int time_prog(struct micro *m, const char *name, int fd, int flow,
		     int stage_slot, int next_slot, bool single)
{
	static __u32 d[SINGLE_RUNS];
	long n = single ? SINGLE_RUNS : m->samples, i;
	int stage_fd = -1, next_fd = -1, err = 0;
	__u32 retval = 0, first = 0, dummy;

	if (stage_slot >= 0)
		stage_fd = slot_prog(m, stage_slot);
	if (next_slot >= 0)
		next_fd = slot_prog(m, next_slot);
	if ((stage_slot >= 0 && stage_fd < 0) ||
	    (next_slot >= 0 && next_fd < 0)) {
		fpb_err("%s: empty tail-call slot", name);
		err = -ENOENT;
		goto out;
	}
	/* Run -1 warms the caches and gives the verdict reported. */
	for (i = -1; !err && i < n; i++) {
		if (stage_fd >= 0 && (i < 0 || single)) {
			err = slot_set(m, stage_slot, m->stop);
			if (!err)
				err = test_run(m, m->parser, flow, 1, &dummy,
					       &dummy);
			if (!err)
				err = slot_set(m, stage_slot, stage_fd);
		}
		if (!err && i < 0 && next_fd >= 0)
			err = slot_set(m, next_slot, m->stop);
		if (!err)
			err = test_run(m, fd, flow, single ? 1 : m->repeat,
				       i < 0 ? &dummy : &d[i],
				       i < 0 ? &first : &retval);
	}
	if (err) {
		fpb_err("%s: BPF_PROG_TEST_RUN: %s", name, strerror(-err));
		goto out;
	}
	qsort(d, n, sizeof(d[0]), cmp_u32);
	/* Single runs: 5th to 95th percentile (an interrupt can make one
	 * run take microseconds); repeats: min to max. */
	printf("micro|%s|%u|%u|%u|%s|%s\n", name, d[n / 2], d[n / 20],
	       d[n - 1 - n / 20], verdict(first), single ? "single" : "repeat");
out:
	if (next_fd >= 0 && slot_set(m, next_slot, next_fd))
		err = -EIO;
	if (stage_fd >= 0)
		close(stage_fd);
	if (next_fd >= 0)
		close(next_fd);
	return err;
}

static int add_flow(struct micro *m, int flow, const char *actions)
{
	char err[FP_ODP_ERR_LEN];
	struct fp_flow_key key;
	struct fp_flow f = {};
	int ret;

	fpb_key_of(m->pkt[flow], m->len, 1, &key);
	if (fp_odp_actions_parse(actions, &key, &f, err, sizeof(err)))
		return -EOPNOTSUPP;
	if (f.flags & FP_FLOW_F_SLOW_PATH)
		return -EOPNOTSUPP;
	ret = fp_flow_put(&m->dp, &key, &f, FP_FLOW_CREATE);
	fp_dp_unlock(&m->dp);
	if (ret)
		fpb_err("flow %d (%s): %s", flow, actions, strerror(-ret));
	return ret;
}

/* The namespace, its ports, the datapath and its flows. */
static int setup(struct micro *m)
{
	struct fp_load_opts opts = { .miss_verdict = -1 };
	char dev[IF_NAMESIZE], peer[IF_NAMESIZE];
	bool upgraded;
	__u32 added;
	size_t a;
	int i, err;

	if (unshare(CLONE_NEWNET)) {
		fpb_err("unshare(CLONE_NEWNET): %s", strerror(errno));
		return -errno;
	}
	for (i = 1; i <= 2; i++) {
		snprintf(dev, sizeof(dev), "fpb%d", i);
		snprintf(peer, sizeof(peer), "fpb%dp", i);
		err = fp_veth_add(dev, peer);
		if (err) {
			fpb_err("veth %s: %s", dev, strerror(-err));
			return err;
		}
		m->ifindex[i] = (int)if_nametoindex(dev);
	}

	snprintf(dp_name, sizeof(dp_name), "fpt-bench-m%d", (int)getpid());
	atexit(unload);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	err = fp_dp_load(dp_name, &opts, &upgraded);
	if (!err)
		err = fp_dp_open(&m->dp, dp_name);
	for (i = 1; !err && i <= 2; i++) {
		snprintf(dev, sizeof(dev), "fpb%d", i);
		err = fp_port_add(&m->dp, dev, i, false, &added);
	}
	fp_dp_unlock(&m->dp);
	if (err)
		return err;

	for (i = 0; i < FLOW_ACTION0 + (int)N_ACTIONS; i++)
		m->len = fpb_frame(m->pkt[i], sizeof(m->pkt[i]), 64, i,
				   i >= FLOW_ACTION0 ?
					   micro_actions[i - FLOW_ACTION0].vid :
					   0);
	err = add_flow(m, FLOW_HIT, "2");
	for (a = 0; !err && a < N_ACTIONS; a++) {
		err = add_flow(m, FLOW_ACTION0 + a, micro_actions[a].actions);
		m->landed[a] = !err;
		if (err == -EOPNOTSUPP)
			err = 0;
	}
	if (err)
		return err;

	m->parser = pinned_prog("parser");
	m->lookup = pinned_prog("lookup");
	m->output = pinned_prog("output");
	return m->parser < 0 || m->lookup < 0 || m->output < 0 ? -ENOENT : 0;
}

static int micro_opts(int argc, char **argv, long *cpu, struct micro *m)
{
	const char *v;
	int i, err = 0;

	for (i = 1; i < argc && !err; i++) {
		if (fpb_opt(argc, argv, &i, "--cpu", &v))
			err = fpb_parse_int(v, "--cpu", 0, CPU_SETSIZE - 1, cpu);
		else if (fpb_opt(argc, argv, &i, "--samples", &v))
			err = fpb_parse_int(v, "--samples", 1,
					    MICRO_MAX_SAMPLES, &m->samples);
		else if (fpb_opt(argc, argv, &i, "--repeat", &v))
			err = fpb_parse_int(v, "--repeat", 1, 100000000,
					    &m->repeat);
		else {
			fpb_err("micro: unknown option '%s'", argv[i]);
			err = -EINVAL;
		}
	}
	return err;
}

/*
 * Hash-map lookups by key size (keysize.bpf.c): the flow table's 192-byte
 * key beside smaller ones, each map holding the one key looked up.
 */
static int time_key_sizes(struct micro *m)
{
	struct fpb_keysize *ks = fpb_keysize__open_and_load();
	const struct {
		int size;
		struct bpf_map *key, *table;
		struct bpf_program *prog;
	} t[] = {
		{ 4, ks ? ks->maps.key4 : NULL, ks ? ks->maps.table4 : NULL,
		  ks ? ks->progs.fpb_hash4 : NULL },
		{ 16, ks ? ks->maps.key16 : NULL, ks ? ks->maps.table16 : NULL,
		  ks ? ks->progs.fpb_hash16 : NULL },
		{ 48, ks ? ks->maps.key48 : NULL, ks ? ks->maps.table48 : NULL,
		  ks ? ks->progs.fpb_hash48 : NULL },
		{ 96, ks ? ks->maps.key96 : NULL, ks ? ks->maps.table96 : NULL,
		  ks ? ks->progs.fpb_hash96 : NULL },
		{ 192, ks ? ks->maps.key192 : NULL,
		  ks ? ks->maps.table192 : NULL,
		  ks ? ks->progs.fpb_hash192 : NULL },
	};
	int ncpu = fp_nr_cpus(), err = 0, c, j;
	unsigned char key[192], *vals = NULL;
	__u32 zero = 0;
	__u64 one = 1;
	char name[96];
	size_t i;

	if (!ks) {
		fpb_err("key-size programs: cannot load: %s", strerror(errno));
		return -EINVAL;
	}
	for (j = 0; j < (int)sizeof(key); j++)
		key[j] = (unsigned char)(j * 7 + 1);
	vals = calloc(ncpu, sizeof(key));
	for (i = 0; vals && !err && i < sizeof(t) / sizeof(t[0]); i++) {
		/* Each CPU's value starts 8-byte aligned. */
		size_t stride = (t[i].size + 7) & ~7;

		for (c = 0; c < ncpu; c++)
			memcpy(vals + c * stride, key, t[i].size);
		if (bpf_map__update_elem(t[i].key, &zero, sizeof(zero), vals,
					 ncpu * stride, BPF_ANY) ||
		    bpf_map__update_elem(t[i].table, key, t[i].size, &one,
					 sizeof(one), BPF_ANY)) {
			err = -errno;
			fpb_err("key-size maps: %s", strerror(-err));
			break;
		}
		snprintf(name, sizeof(name), "hash map lookup, %d-byte key (hit)",
			 t[i].size);
		err = time_prog(m, name, bpf_program__fd(t[i].prog), FLOW_HIT,
				-1, -1, false);
	}
	if (!vals)
		err = -ENOMEM;
	if (!err)
		err = time_prog(m, "per-CPU array lookup (in each row above)",
				bpf_program__fd(ks->progs.fpb_key_only),
				FLOW_HIT, -1, -1, false);
	free(vals);
	fpb_keysize__destroy(ks);
	return err;
}

/* The type of the first action of @actions (parsed before, in setup). */
static __u32 first_action(struct micro *m, int flow, const char *actions)
{
	char e[FP_ODP_ERR_LEN];
	struct fp_flow_key key;
	struct fp_flow f = {};

	fpb_key_of(m->pkt[flow], m->len, 1, &key);
	if (fp_odp_actions_parse(actions, &key, &f, e, sizeof(e)))
		return FP_ACT_NONE;
	return f.actions[0].type;
}

int cmd_micro(int argc, char **argv)
{
	static struct micro m;
	struct fpb_stop *stop = NULL;
	struct fpb_redirect *redir = NULL;
	long cpu = 0;
	char name[128];
	size_t a;
	int err;

	m.samples = 7;
	m.repeat = 100000;
	if (micro_opts(argc, argv, &cpu, &m))
		return 2;
	if (fpb_pin_cpu(cpu) || setup(&m))
		return 1;

	stop = fpb_stop__open_and_load();
	redir = fpb_redirect__open();
	if (redir)
		redir->rodata->out_ifindex = m.ifindex[2];
	if (!stop || !redir || fpb_redirect__load(redir)) {
		fpb_err("cannot load fpbench's own programs");
		err = -EINVAL;
		goto out;
	}
	m.stop = bpf_program__fd(stop->progs.fpb_stop);
	m.nop = bpf_program__fd(stop->progs.fpb_nop);
	m.redirect = bpf_program__fd(redir->progs.fpb_redirect);

	err = time_prog(&m, "BPF_PROG_TEST_RUN floor (empty program)", m.nop,
			FLOW_HIT, -1, -1, false);
	if (!err)
		err = time_prog(&m, "BPF_PROG_TEST_RUN floor, single runs",
				m.nop, FLOW_HIT, -1, -1, true);
	if (!err)
		err = time_prog(&m, "one-helper bpf_redirect (the baseline)",
				m.redirect, FLOW_HIT, -1, -1, false);
	if (!err)
		err = time_prog(&m, "parser: IPv4/UDP into the key", m.parser,
				FLOW_HIT, -1, FP_SLOT_LOOKUP, false);
	if (!err)
		err = time_prog(&m, "lookup: hit, account, copy the actions",
				m.lookup, FLOW_HIT, FP_SLOT_LOOKUP,
				FP_SLOT_OUTPUT, false);
	if (!err)
		err = time_prog(&m, "lookup: miss", m.lookup, FLOW_MISS,
				FP_SLOT_LOOKUP, FP_SLOT_UPCALL, false);
	if (!err)
		err = time_prog(&m, "action: output (last: bpf_redirect)",
				m.output, FLOW_HIT, FP_SLOT_OUTPUT, -1, false);
	for (a = 0; !err && a < N_ACTIONS; a++) {
		const struct micro_action *ma = &micro_actions[a];
		int flow = FLOW_ACTION0 + a, slot, fd;

		snprintf(name, sizeof(name), "action: %s", ma->name);
		if (!m.landed[a]) {
			printf("micro|%s|n/a|n/a|n/a|-|not landed\n", name);
			continue;
		}
		slot = fp_action_slot(first_action(&m, flow, ma->actions));
		fd = slot_prog(&m, slot);
		if (fd < 0) {
			fpb_err("%s: no stage in tail-call slot %d", name, slot);
			err = fd;
			break;
		}
		err = time_prog(&m, name, fd, flow, slot, ma->next_slot,
				ma->stage_single);
		close(fd);
	}
	if (!err)
		err = time_prog(&m, "chain: parser, lookup hit, output",
				m.parser, FLOW_HIT, -1, -1, false);
	if (!err)
		err = time_prog(&m, "chain: parser, lookup hit, output", m.parser,
				FLOW_HIT, -1, -1, true);
	if (!err)
		err = time_prog(&m,
				"chain: parser, lookup miss, upcall (no reader)",
				m.parser, FLOW_MISS, -1, -1, false);
	for (a = 0; !err && a < N_ACTIONS; a++) {
		if (!m.landed[a] || micro_actions[a].no_chain)
			continue;
		snprintf(name, sizeof(name), "chain: parser, lookup, %s, output",
			 micro_actions[a].name);
		err = time_prog(&m, name, m.parser, FLOW_ACTION0 + a, -1, -1,
				micro_actions[a].chain_single);
	}
	if (!err)
		err = time_key_sizes(&m);
out:
	fpb_redirect__destroy(redir);
	fpb_stop__destroy(stop);
	fp_dp_close(&m.dp);
	unload();
	return err ? 1 : 0;
}
