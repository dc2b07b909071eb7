/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AF_XDP datapath's flow table: the TC datapath's exact-match table
 * (same struct fp_flow_key, same struct fp_flow of up to 32 actions) in
 * process memory. One per poll thread, so lookups and the installs of
 * rule-translated flows take no lock.
 */
#ifndef FP_AFXDP_UFLOW_H
#define FP_AFXDP_UFLOW_H

#include <stddef.h>

#include "actions.h"
#include "flow_key.h"
#include "slow_actions.h"

struct fp_uflow {
	struct fp_flow_key key;
	struct fp_flow flow; /* its first FP_MAX_ACTIONS actions */
	struct fp_slow_actions *all; /* the whole list if longer, or NULL */
	__u64 packets, bytes;
};

struct fp_uflow_table {
	struct fp_uflow **slots; /* open addressing, linear probing */
	__u32 mask; /* slots - 1 */
	__u32 n; /* flows installed */
	__u32 max; /* at most this many: half the slots */
};

int fp_uflow_table_init(struct fp_uflow_table *t, __u32 max_flows);
void fp_uflow_table_fini(struct fp_uflow_table *t);

/* The flow of @key, or NULL. */
struct fp_uflow *fp_uflow_lookup(const struct fp_uflow_table *t,
				 const struct fp_flow_key *key);

/* Install (or replace) the flow of @key: @flow's actions, or @all's whole
 * list if @all is not NULL. 0, -ENOSPC if the table is full, -ENOMEM. */
int fp_uflow_put(struct fp_uflow_table *t, const struct fp_flow_key *key,
		 const struct fp_flow *flow, const struct fp_slow_actions *all);

/* The actions to run for @f. */
static inline const struct fp_action *fp_uflow_actions(const struct fp_uflow *f,
						       __u32 *n)
{
	if (f->all) {
		*n = f->all->n_actions;
		return f->all->actions;
	}
	*n = f->flow.n_actions;
	return f->flow.actions;
}

/* Every flow of @src into @dst (a new table of the same size). */
int fp_uflow_table_copy(struct fp_uflow_table *dst,
			const struct fp_uflow_table *src);

/*
 * Flows from @path, one per line in ovs-dpctl add-flow syntax, FLOW then
 * ACTIONS (the last blank-separated word, "actions:" allowed before it);
 * '#' comments and blank lines ignored. All or nothing: -EINVAL after a
 * message "PATH:LINE: ..." naming what is wrong. Returns how many flows.
 */
int fp_uflow_load_file(struct fp_uflow_table *t, const char *path);

#endif
