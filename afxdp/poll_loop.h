/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The poll threads: one per queue index, serving that queue of every
 * device. A thread owns its sockets, their umems and pools, its flow
 * table and its rule table: nothing is shared, nothing locked. The main
 * thread only reads the counters each thread publishes.
 */
#ifndef FP_AFXDP_POLL_LOOP_H
#define FP_AFXDP_POLL_LOOP_H

#include <pthread.h>
#include <stdbool.h>

#include "afxdp.h"
#include "pkt_exec.h"
#include "uflow.h"
#include "xsk_sock.h"

/* What the poll loop keeps of one received packet while its batch is
 * processed; an array of --batch of them is allocated once per thread. */
struct fp_pkt_meta {
	__u64 addr; /* its frame */
	__u32 off; /* the packet's first byte in the frame */
	__u32 len;
	struct fp_flow_key key;
};

struct fp_afxdp_thread {
	const struct fp_afxdp_config *cfg;
	unsigned int queue;
	int cpu; /* pinned there, or -1 */
	struct fp_xsk *xsks[FP_AFXDP_MAX_DEVS]; /* [port - 1] */
	unsigned int n_xsks;
	struct fp_uflow_table flows;
	struct fp_rule_table *rules; /* NULL: a miss is a drop */
	struct fp_slow_actions *xlated; /* a translated rule's actions */
	struct fp_pkt_exec exec;
	bool sent; /* the packet being executed left by some port */
	struct fp_pkt_meta *meta; /* cfg->batch entries */
	__u64 *scratch_addrs; /* cfg->frames entries: ring transfers */
	pthread_t tid;
	bool started;
};

/* Set by the signal handler (or the duration): every loop ends. */
extern volatile int fp_afxdp_stop;

void *fp_afxdp_poll(void *arg);

/* A consistent-enough copy of @x's published counters. */
void fp_xsk_stats_read(const struct fp_xsk *x, struct fp_xsk_stats *out);

/* After the threads ended: frames still in tx come back (a short wait for
 * completions). */
void fp_afxdp_drain(struct fp_afxdp_thread *t);

#endif
