/* SPDX-License-Identifier: GPL-2.0 */
/*
 * flowpath afxdp: a userspace datapath on AF_XDP sockets. The XDP program
 * progs/xdp_redirect.bpf.c hands each packet to the socket of its rx
 * queue; a poll thread per queue index serves that queue of every device,
 * each (device, queue) with its own umem and socket, so nothing is shared
 * between threads and nothing is locked.
 */
#ifndef FP_AFXDP_AFXDP_H
#define FP_AFXDP_AFXDP_H

#include <stdbool.h>

#include "xsk.h"

#define FP_AFXDP_MAX_DEVS 16
#define FP_AFXDP_FRAME_SIZE 2048 /* bytes per umem frame */
#define FP_AFXDP_DEFAULT_FRAMES 4096 /* frames per umem */
#define FP_AFXDP_DEFAULT_BATCH 32
#define FP_AFXDP_MAX_BATCH 256

enum fp_afxdp_mode {
	FP_AFXDP_FULL = 0, /* parse, flow table, actions */
	FP_AFXDP_RXDROP, /* receive and free: xdpsock's rxdrop */
	FP_AFXDP_L2FWD, /* swap MACs, back out of the same port */
};

struct fp_afxdp_config {
	const char *devs[FP_AFXDP_MAX_DEVS]; /* port N is devs[N - 1] */
	unsigned int n_devs;
	unsigned int queues; /* queues 0..queues-1 of every device */
	bool skb_mode; /* generic XDP, else native (driver) */
	bool zero_copy; /* bind with XDP_ZEROCOPY, else the kernel's choice */
	unsigned int batch; /* rx descriptors per poll */
	unsigned int frames; /* umem frames per socket */
	enum fp_afxdp_mode mode;
	const char *flows_file; /* ovs-dpctl flows, or NULL */
	const char *rules_file; /* ovs-ofctl rules for misses, or NULL */
	int cpus[FP_XSK_MAX_QUEUES]; /* thread of queue q on cpus[q % n_cpus] */
	unsigned int n_cpus;
	double duration; /* seconds; 0: until SIGINT/SIGTERM */
};

/* Run the datapath until a signal or the duration. 0, or -errno after a
 * message; every device is left as it was found. */
int fp_afxdp_run(const struct fp_afxdp_config *cfg);

#endif
