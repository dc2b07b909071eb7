/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow table of a loaded datapath, through its pinned maps: install,
 * replace, delete, look up, dump and flush flows, and read their stats.
 *
 * Each installed flow owns one slot of the flow_stats array (its
 * stats_idx): a slot no installed flow uses is free. Writes take
 * fp_dp_lock() and release it when done (unless the caller held it
 * already), so slots are handed out by one writer at a time.
 *
 * Expected outcomes come back as -errno without a message, for the caller
 * to word: -EEXIST (flow already installed), -ENOENT (no such flow),
 * -ENOSPC (table full). Failing map operations print why (fp_err) and
 * return -errno.
 */
#ifndef FP_LIB_FLOW_TABLE_H
#define FP_LIB_FLOW_TABLE_H

#include <stdbool.h>

#include "dp.h"
#include "flow_key.h"
#include "actions.h"
#include "flow_stats.h"
#include "slow_actions.h"

enum fp_flow_put_flags {
	FP_FLOW_CREATE = 1 << 0, /* may install a flow that is not there */
	FP_FLOW_MODIFY = 1 << 1, /* may replace one that is */
	/* A replaced flow's stats restart from zero (else they carry on). */
	FP_FLOW_RESET_STATS = 1 << 2,
};

/*
 * Install @flow (its flags and actions; stats_idx is chosen here) under
 * @key. A new flow gets a free stats slot, zeroed on every CPU before the
 * flow becomes visible; a replaced one keeps its slot. Returns 0, -EEXIST
 * without FP_FLOW_MODIFY, -ENOENT without FP_FLOW_CREATE, -ENOSPC if the
 * table is full. Finding a free slot reads the whole table: to install
 * many flows, use a writer (below).
 */
int fp_flow_put(struct fp_dp *dp, const struct fp_flow_key *key,
		const struct fp_flow *flow, unsigned int flags);

/*
 * As fp_flow_put(), for a flow the slow path executes: if @flow has
 * FP_FLOW_F_SLOW_PATH and @all is not NULL, @all (its whole action list)
 * is stored in slow_actions under @key before the flow is installed. A
 * flow put without a list loses the one it had, after the flow is
 * replaced; fp_flow_del() and fp_flow_flush() remove lists too.
 */
int fp_flow_put_all(struct fp_dp *dp, const struct fp_flow_key *key,
		    const struct fp_flow *flow, const struct fp_slow_actions *all,
		    unsigned int flags);

/* The slow path's action list of the flow at @key. 0 or -ENOENT. */
int fp_flow_slow_get(struct fp_dp *dp, const struct fp_flow_key *key,
		     struct fp_slow_actions *all);

/* Remove the flow at @key, freeing its stats slot. @stats (may be NULL)
 * gets its last stats. Returns 0 or -ENOENT. */
int fp_flow_del(struct fp_dp *dp, const struct fp_flow_key *key,
		struct fp_flow_stats *stats);

/* Delete every flow. Returns how many, or -errno. */
int fp_flow_flush(struct fp_dp *dp);

/*
 * A writer installs and deletes many flows cheaply: it holds the lock from
 * init to fini and, at its first install, reads the table once to learn
 * which stats slots are taken; from then on it keeps track itself, which
 * stays true because no one else can write meanwhile. Release it soon in a
 * long-lived process: every other writer (the CLI) waits for it.
 * If the caller already holds fp_dp_lock(), the writer leaves it held.
 */
struct fp_flow_writer {
	struct fp_dp *dp;
	__u64 *used; /* bit per flow_stats slot an installed flow owns */
	__u32 hint; /* every slot below it is taken */
	bool unlock; /* the lock is ours to release */
};

int fp_flow_writer_init(struct fp_flow_writer *w, struct fp_dp *dp);
void fp_flow_writer_fini(struct fp_flow_writer *w);
/* As fp_flow_put(), fp_flow_del() and fp_flow_flush(). */
int fp_flow_writer_put(struct fp_flow_writer *w, const struct fp_flow_key *key,
		       const struct fp_flow *flow, unsigned int flags);
int fp_flow_writer_put_all(struct fp_flow_writer *w,
			   const struct fp_flow_key *key,
			   const struct fp_flow *flow,
			   const struct fp_slow_actions *all,
			   unsigned int flags);
int fp_flow_writer_del(struct fp_flow_writer *w, const struct fp_flow_key *key,
		       struct fp_flow_stats *stats);
int fp_flow_writer_flush(struct fp_flow_writer *w);

/* The flow at @key and its stats (either may be NULL). 0 or -ENOENT. */
int fp_flow_get(struct fp_dp *dp, const struct fp_flow_key *key,
		struct fp_flow *flow, struct fp_flow_stats *stats);

/* Called once per flow by fp_flow_dump(); a non-zero return stops the dump
 * and is returned by it. */
typedef int (*fp_flow_dump_cb)(const struct fp_flow_key *key,
			       const struct fp_flow *flow,
			       const struct fp_flow_stats *stats, void *arg);

/* Every installed flow, in table order. Returns 0, the callback's
 * non-zero return, or -errno. */
int fp_flow_dump(struct fp_dp *dp, fp_flow_dump_cb cb, void *arg);

/* Stats of slot @idx summed over CPUs: packets and bytes added, the
 * latest used_ns, tcp_flags ORed. */
int fp_flow_stats_read(struct fp_dp *dp, __u32 idx, struct fp_flow_stats *sum);

#endif
