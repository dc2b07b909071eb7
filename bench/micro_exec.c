// SPDX-License-Identifier: GPL-2.0
/*
 * fpbench micro-exec [--cpu C] [--samples N] [--repeat N]: ns per packet
 * of the userspace action executor (lib/pkt_exec.h), which the AF_XDP
 * datapath runs per packet, on the benchmark frame: each action list the
 * TC rows measure, the shared parser, and a floor (the frame copied into
 * a buffer with headroom and its key reset, as each run needs). Lines as
 * `fpbench micro` prints them, mode "user".
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpbench.h"
#include "odp.h"
#include "pkt_exec.h"

#define EXEC_MAX_SAMPLES 101

struct exec_case {
	const char *name;
	const char *actions; /* NULL: the floor; "": parse only */
};

static const struct exec_case exec_cases[] = {
	{ "executor floor (frame copied in, key reset)", NULL },
	{ "executor: parse IPv4/UDP into the key", "" },
	{ "executor: output", "2" },
	{ "executor: hash, output", "hash(l4(0)),2" },
	{ "executor: push_vlan, output", "push_vlan(vid=100,pcp=0),2" },
	{ "executor: set eth dst, output",
	  "set(eth(dst=02:00:00:00:00:03)),2" },
	{ "executor: set ipv4 ttl, output", "set(ipv4(ttl=9)),2" },
	{ "executor: set udp dst, output", "set(udp(dst=5353)),2" },
};

static volatile unsigned long long sent;

static int exec_out(void *arg, __u32 port, const void *data, __u32 len)
{
	(void)arg;
	(void)data;
	sent += port + len;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int exec_opts(int argc, char **argv, long *cpu, long *samples,
		     long *repeat)
{
	const char *v;
	int i, err = 0;

	for (i = 1; i < argc && !err; i++) {
		if (fpb_opt(argc, argv, &i, "--cpu", &v))
			err = fpb_parse_int(v, "--cpu", 0, CPU_SETSIZE - 1, cpu);
		else if (fpb_opt(argc, argv, &i, "--samples", &v))
			err = fpb_parse_int(v, "--samples", 1,
					    EXEC_MAX_SAMPLES, samples);
		else if (fpb_opt(argc, argv, &i, "--repeat", &v))
			err = fpb_parse_int(v, "--repeat", 1, 100000000,
					    repeat);
		else {
			fpb_err("micro-exec: unknown option '%s'", argv[i]);
			err = -EINVAL;
		}
	}
	return err;
}

int cmd_micro_exec(int argc, char **argv)
{
	static unsigned char buf[FP_PKT_HEADROOM_MAX + FPB_MAX_SIZE];
	static struct fp_flow flow;
	unsigned char frame[FPB_MAX_SIZE];
	__u64 cnt[FP_CNT_MAX] = {};
	struct fp_pkt_exec x = { exec_out, NULL, cnt };
	struct fp_flow_key key, k;
	long cpu = 0, samples = 7, repeat = 1000000, s, r;
	double d[EXEC_MAX_SAMPLES], t;
	char err[FP_ODP_ERR_LEN];
	struct fp_pkt pkt;
	size_t c;
	int len;

	if (exec_opts(argc, argv, &cpu, &samples, &repeat))
		return 2;
	if (fpb_pin_cpu((int)cpu))
		return 1;
	len = fpb_frame(frame, sizeof(frame), 64, 0, 0);
	fpb_key_of(frame, len, 1, &key);
	for (c = 0; c < sizeof(exec_cases) / sizeof(exec_cases[0]); c++) {
		const struct exec_case *ec = &exec_cases[c];

		memset(&flow, 0, sizeof(flow));
		if (ec->actions && *ec->actions &&
		    fp_odp_actions_parse(ec->actions, &key, &flow, err,
					 sizeof(err))) {
			fpb_err("micro-exec: '%s': %s", ec->actions, err);
			return 1;
		}
		/* Sample -1 warms the caches. */
		for (s = -1; s < samples; s++) {
			t = fpb_now();
			for (r = 0; r < repeat; r++) {
				pkt.data = buf + FP_PKT_HEADROOM_MAX;
				pkt.len = (__u32)len;
				pkt.headroom = FP_PKT_HEADROOM_MAX;
				memcpy(pkt.data, frame, (size_t)len);
				memcpy(&k, &key, sizeof(k));
				if (!ec->actions)
					; /* the floor */
				else if (!*ec->actions)
					fp_pkt_parse(&pkt, 1, &k);
				else
					fp_pkt_exec(&x, &pkt, &k, flow.actions,
						    flow.n_actions);
				/* Nothing above optimised away. */
				__asm__ volatile("" : : "r"(&k), "r"(buf) : "memory");
			}
			if (s >= 0)
				d[s] = (fpb_now() - t) * 1e9 / (double)repeat;
		}
		qsort(d, (size_t)samples, sizeof(d[0]), cmp_double);
		printf("micro|%s|%.0f|%.0f|%.0f|%s|user\n", ec->name,
		       d[samples / 2], d[0], d[samples - 1],
		       cnt[FP_CNT_OUTPUT_NO_PORT] ? "no port" : "-");
	}
	return 0;
}
