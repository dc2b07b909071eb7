// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath upcall watch: prints the upcalls of a datapath as they arrive,
 * for debugging and tests. Only one reader should consume the perf buffer
 * at a time (the agent is the normal one).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "cmds.h"
#include "dp.h"
#include "dp_counters.h"
#include "log.h"
#include "odp.h"
#include "upcall.h"

static volatile sig_atomic_t stop;
static long seen, want;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *reason_name(__u32 r)
{
	switch (r) {
	case FP_UPCALL_MISS:
		return "miss";
	case FP_UPCALL_SLOW_PATH:
		return "slow_path";
	case FP_UPCALL_TAIL_BUDGET:
		return "tail_call_budget";
	default:
		return "unknown";
	}
}

static void hex(const char *tag, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	printf("  %s:", tag);
	for (i = 0; i < n; i++)
		printf("%s%02x", i % 32 ? "" : "\n    ", b[i]);
	putchar('\n');
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	static char keybuf[FP_ODP_KEY_STRLEN];
	struct fp_upcall up;

	(void)ctx;
	/* Perf samples are only 4-byte aligned: copy the header out. */
	if (size < sizeof(up)) {
		printf("upcall: cpu %d: short sample (%u bytes)\n", cpu, size);
		return;
	}
	memcpy(&up, data, sizeof(up));
	if (size - sizeof(up) < up.cap_len) {
		printf("upcall: cpu %d: sample of %u bytes cannot hold %u packet bytes\n",
		       cpu, size, up.cap_len);
		return;
	}
	printf("upcall: reason=%s in_port=%u len=%u cap_len=%u cpu=%d\n",
	       reason_name(up.reason), up.in_port, up.pkt_len, up.cap_len,
	       cpu);
	if (fp_odp_key_format(&up.key, keybuf, sizeof(keybuf)) < (int)sizeof(keybuf))
		printf("  key: %s\n", keybuf);
	else
		hex("key", &up.key, sizeof(up.key));
	hex("packet", (const char *)data + sizeof(up), up.cap_len);
	fflush(stdout);
	if (want && ++seen >= want)
		stop = 1;
}

static void on_lost(void *ctx, int cpu, __u64 n)
{
	struct fp_dp *dp = ctx;

	printf("upcall: cpu %d lost %llu samples\n", cpu,
	       (unsigned long long)n);
	/* As the agent does: `flowpath stats` shows what readers lost. */
	fp_counter_add(dp, FP_CNT_UPCALL_LOST_READER, n);
}

int cmd_upcall(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dp", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *name = FP_DP_DEFAULT;
	struct perf_buffer *pb = NULL;
	double timeout = 0;
	struct timespec t0, t;
	struct fp_dp dp;
	char *end;
	int c, err = 0;

	if (argc > 1 && !strcmp(argv[1], "limit"))
		return cmd_upcall_limit(argc - 1, argv + 1);
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			name = optarg;
			break;
		case 'c':
			want = strtol(optarg, &end, 10);
			if (!*optarg || *end || want < 1) {
				fp_err("upcall: --count '%s': expected a positive number",
				       optarg);
				return 1;
			}
			break;
		case 't':
			timeout = strtod(optarg, &end);
			if (!*optarg || *end || timeout <= 0) {
				fp_err("upcall: --timeout '%s': expected seconds > 0",
				       optarg);
				return 1;
			}
			break;
		case 'h':
			printf("usage: flowpath upcall watch [--count N] [--timeout SECONDS] [--dp NAME]\n"
			       "       flowpath upcall limit [--port DEV|N] [--rate N] [--burst N] [--dp NAME]\n");
			return 0;
		default:
			return 1;
		}
	}
	if (optind >= argc || strcmp(argv[optind], "watch")) {
		fp_err("upcall: expected 'watch' or 'limit'");
		return 1;
	}
	if (optind + 1 < argc) {
		fp_err("upcall: unexpected argument '%s'", argv[optind + 1]);
		return 1;
	}
	if (fp_dp_open(&dp, name))
		return 1;
	pb = perf_buffer__new(dp.map_fd[FP_MAP_UPCALLS], 64, on_sample,
			      on_lost, &dp, NULL);
	if (!pb) {
		err = -errno;
		fp_err("upcall: cannot open the perf buffer of %s: %s", name,
		       strerror(-err));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Tell a waiting test that the buffer is being read. */
	printf("watching upcalls of %s\n", name);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		err = perf_buffer__poll(pb, 100);
		if (err < 0 && err != -EINTR) {
			fp_err("upcall: poll: %s", strerror(-err));
			break;
		}
		err = 0;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (timeout && (t.tv_sec - t0.tv_sec) +
					       (t.tv_nsec - t0.tv_nsec) / 1e9 >=
				       timeout)
			break;
	}
	if (want && seen < want) {
		fp_err("upcall: %ld of %ld upcalls seen before the timeout",
		       seen, want);
		err = -ETIMEDOUT;
	}
out:
	perf_buffer__free(pb);
	fp_dp_close(&dp);
	return err ? 1 : 0;
}
