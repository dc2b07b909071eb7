/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The forwarding benchmark's traffic generator: a thread, pinned to one
 * CPU, that sends the benchmark frame (flows round robin, at most a given
 * rate) out of a veth in the generator's namespace, into the DUT's veth.
 *
 * Two ways of sending, the fastest one the kernel allows first:
 *   live      fpb_gen (bench/progs/gen.bpf.c) under BPF_PROG_TEST_RUN with
 *             BPF_F_TEST_XDP_LIVE_FRAMES: XDP_TX on the veth, some 6 Mpps
 *             from one core. Some kernels refuse live frames (EPERM even
 *             to root), and then:
 *   afpacket  an AF_PACKET socket with PACKET_QDISC_BYPASS, sendmmsg() of
 *             64 frames a call: some 1.4 Mpps from one core.
 * Either way the frames reach the DUT veth's ring, and the DUT's NAPI
 * thread takes them from there: the DUT does the same work per frame.
 */
#ifndef FP_BENCH_GENERATOR_H
#define FP_BENCH_GENERATOR_H

#include <stdbool.h>

enum fpb_gen_kind {
	FPB_GEN_AUTO, /* live where the kernel allows it, else afpacket */
	FPB_GEN_LIVE,
	FPB_GEN_AFPACKET,
};

struct fpb_gen_cfg {
	enum fpb_gen_kind kind;
	int ns_fd;	  /* the generator's namespace */
	const char *ns;	  /* its name, for messages */
	const char *dev;  /* the veth to send out of */
	const char *hold; /* live: a device to keep fpb_gen attached to */
	int cpu;
	long size;  /* frame size, FCS included */
	long flows; /* distinct flows, round robin */
	double pps; /* at most this many frames a second; 0: flat out */
};

struct fpb_generator;

/*
 * Start the generator. Returns once it sends (or failed to start: then
 * -errno, having said why on stderr). With FPB_GEN_AUTO, live frames are
 * tried first and afpacket taken when the kernel refuses them.
 */
int fpb_generator_start(const struct fpb_gen_cfg *cfg,
			struct fpb_generator **out);
/* "live" or "afpacket". */
const char *fpb_generator_name(const struct fpb_generator *g);
/* Frames offered so far (sent, or refused by the DUT's full ring), per
 * CPU: @count[cpu] for the @ncpu CPUs. */
int fpb_generator_count(struct fpb_generator *g, unsigned long long *count,
			int ncpu);
/* The -errno that stopped the generator's thread, or 0 while it runs. */
int fpb_generator_error(const struct fpb_generator *g);
/* Stop and free it; says on stderr why it stopped if it failed. Returns
 * its error, 0 if none. */
int fpb_generator_stop(struct fpb_generator *g);

#endif
