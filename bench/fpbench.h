/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fpbench, the benchmark driver that bench/run.sh calls: the generator and
 * the sink of the forwarding benchmark, the one-helper baseline program,
 * and the BPF_PROG_TEST_RUN microbenchmarks. Everything it attaches
 * belongs to devices in namespaces that run.sh creates and removes;
 * nothing is pinned except the microbenchmark's own datapath, which it
 * unloads however it exits.
 */
#ifndef FP_BENCH_FPBENCH_H
#define FP_BENCH_FPBENCH_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

#include "bench.h"
#include "flow_key.h"

/* Subcommands. */
int cmd_frame(int argc, char **argv);
int cmd_actions(int argc, char **argv);
int cmd_napi(int argc, char **argv);
int cmd_attach_sink(int argc, char **argv);
int cmd_attach_redirect(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_micro(int argc, char **argv);
int cmd_micro_exec(int argc, char **argv);

/* "fpbench: " + message, on stderr. */
void fpb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The benchmark frame of @size bytes on the wire (FCS included, so
 * @size - 4 in @buf) for flow @flow (its source address and port as
 * bench.h maps them), with an 802.1Q tag of VLAN @vid unless it is 0.
 * Returns its length, or -EINVAL if @size, @flow or @vid is out of range.
 */
int fpb_frame(unsigned char *buf, size_t buflen, int size, int flow, int vid);
/*
 * @frame, a copy of @flow0 (fpb_frame's untagged frame of flow 0), made
 * flow @flow's: its source address, port and IPv4 header checksum, all a
 * generator changes per frame.
 */
void fpb_frame_set_flow(unsigned char *frame, const unsigned char *flow0,
			__u32 flow);
/* The frames a generator sends, flows 0 to @flows - 1 of @size bytes,
 * into the pcap @path. Returns 0 or -EIO, having said why. */
int fpb_frames_pcap(const char *path, long size, long flows);
/* The flow key the userspace build of flowpath's parser gives @pkt
 * arriving on datapath port @in_port. */
void fpb_key_of(const unsigned char *pkt, int len, __u32 in_port,
		struct fp_flow_key *key);

/* Move the calling thread into the network namespace /run/netns/@name
 * (or back to @fd's with fpb_netns_enter_fd). Returns 0 or -errno. */
int fpb_netns_open(const char *name);
int fpb_netns_enter_fd(int fd, const char *what);
int fpb_netns_enter(const char *name);
/* Pin the calling thread to @cpu. */
int fpb_pin_cpu(int cpu);

double fpb_now(void); /* CLOCK_MONOTONIC, seconds */
void fpb_sleep(double sec);

/* Option parsing: "--name value" pairs. */
bool fpb_opt(int argc, char **argv, int *i, const char *name,
	     const char **val);
int fpb_parse_int(const char *s, const char *what, long min, long max,
		  long *out);
int fpb_parse_double(const char *s, const char *what, double min,
		     double max, double *out);

#endif
