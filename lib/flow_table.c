// SPDX-License-Identifier: GPL-2.0
/* The flow table and the flows' stats slots, on a datapath's pinned maps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "capacity.h"
#include "flow_table.h"
#include "log.h"

static int map_err(struct fp_dp *dp, const char *what)
{
	int err = -errno;

	fp_err("datapath %s: %s: %s", dp->name, what, strerror(errno));
	return err;
}

/* A per-CPU value buffer for one stats slot. */
static struct fp_flow_stats *stats_buf(int *ncpus)
{
	struct fp_flow_stats *v;

	*ncpus = fp_nr_cpus();
	if (*ncpus <= 0) {
		fp_err("cannot count the possible CPUs: %s", strerror(-*ncpus));
		return NULL;
	}
	v = calloc(*ncpus, sizeof(*v));
	if (!v)
		fp_err("out of memory");
	return v;
}

int fp_flow_stats_read(struct fp_dp *dp, __u32 idx, struct fp_flow_stats *sum)
{
	struct fp_flow_stats *v;
	int i, n, err = 0;

	memset(sum, 0, sizeof(*sum));
	v = stats_buf(&n);
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_FLOW_STATS], &idx, v)) {
		err = map_err(dp, "reading flow stats");
		goto out;
	}
	for (i = 0; i < n; i++) {
		sum->packets += v[i].packets;
		sum->bytes += v[i].bytes;
		if (v[i].used_ns > sum->used_ns)
			sum->used_ns = v[i].used_ns;
		sum->tcp_flags |= v[i].tcp_flags;
	}
out:
	free(v);
	return err;
}

static int stats_zero(struct fp_dp *dp, __u32 idx)
{
	struct fp_flow_stats *v;
	int n, err = 0;

	v = stats_buf(&n);
	if (!v)
		return -ENOMEM;
	if (bpf_map_update_elem(dp->map_fd[FP_MAP_FLOW_STATS], &idx, v, BPF_ANY))
		err = map_err(dp, "zeroing flow stats");
	free(v);
	return err;
}

/*
 * Walk the flow table: @fn gets each key and flow. Flows deleted while the
 * walk runs are skipped. Returns 0, @fn's non-zero return, or -errno.
 */
static int walk(struct fp_dp *dp,
		int (*fn)(const struct fp_flow_key *, const struct fp_flow *,
			  void *),
		void *arg)
{
	int fd = dp->map_fd[FP_MAP_FLOW_TABLE];
	struct fp_flow_key cur, next;
	struct fp_flow *flow;
	void *prev = NULL;
	int ret = 0;

	flow = malloc(sizeof(*flow));
	if (!flow) {
		fp_err("out of memory");
		return -ENOMEM;
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		cur = next;
		prev = &cur;
		if (bpf_map_lookup_elem(fd, &cur, flow)) {
			if (errno == ENOENT)
				continue;
			ret = map_err(dp, "reading the flow table");
			goto out;
		}
		ret = fn(&cur, flow, arg);
		if (ret)
			goto out;
	}
	if (errno != ENOENT)
		ret = map_err(dp, "walking the flow table");
out:
	free(flow);
	return ret;
}

static int mark_used(const struct fp_flow_key *key, const struct fp_flow *flow,
		     void *arg)
{
	__u64 *used = arg;

	(void)key;
	if (flow->stats_idx < FP_MAX_FLOWS)
		used[flow->stats_idx / 64] |= 1ULL << (flow->stats_idx % 64);
	return 0;
}

/*
 * The lowest slot no installed flow uses. Finding it reads every flow:
 * nothing else records which slots are taken, so nothing can go stale when
 * a writer dies half-way. Caller holds the lock.
 */
static int stats_alloc(struct fp_dp *dp, __u32 *idx)
{
	__u64 *used = calloc(FP_MAX_FLOWS / 64, sizeof(*used));
	int err;
	__u32 i;

	if (!used) {
		fp_err("out of memory");
		return -ENOMEM;
	}
	err = walk(dp, mark_used, used);
	if (err)
		goto out;
	err = -ENOSPC;
	for (i = 0; i < FP_MAX_FLOWS; i++) {
		if (!(used[i / 64] & 1ULL << (i % 64))) {
			*idx = i;
			err = 0;
			break;
		}
	}
out:
	free(used);
	return err;
}

int fp_flow_put(struct fp_dp *dp, const struct fp_flow_key *key,
		const struct fp_flow *flow, unsigned int flags)
{
	int fd = dp->map_fd[FP_MAP_FLOW_TABLE];
	struct fp_flow *new, *old;
	int err;

	err = fp_dp_lock(dp);
	if (err)
		return err;
	new = malloc(sizeof(*new));
	old = malloc(sizeof(*old));
	if (!new || !old) {
		fp_err("out of memory");
		err = -ENOMEM;
		goto out;
	}
	*new = *flow;
	new->pad = 0;

	if (!bpf_map_lookup_elem(fd, key, old)) {
		if (!(flags & FP_FLOW_MODIFY)) {
			err = -EEXIST;
			goto out;
		}
		/* Replacing swaps the whole value at once: a packet sees the
		 * old flow or the new one, and both count into one slot. */
		new->stats_idx = old->stats_idx;
		if (flags & FP_FLOW_RESET_STATS) {
			err = stats_zero(dp, new->stats_idx);
			if (err)
				goto out;
		}
		if (bpf_map_update_elem(fd, key, new, BPF_EXIST))
			err = map_err(dp, "replacing a flow");
		goto out;
	}
	if (errno != ENOENT) {
		err = map_err(dp, "looking up a flow");
		goto out;
	}
	if (!(flags & FP_FLOW_CREATE)) {
		err = -ENOENT;
		goto out;
	}
	err = stats_alloc(dp, &new->stats_idx);
	if (err)
		goto out;
	/* A freed slot still holds its last flow's counts. */
	err = stats_zero(dp, new->stats_idx);
	if (err)
		goto out;
	if (bpf_map_update_elem(fd, key, new, BPF_NOEXIST))
		err = errno == E2BIG ? -ENOSPC : map_err(dp, "installing a flow");
out:
	free(new);
	free(old);
	return err;
}

int fp_flow_get(struct fp_dp *dp, const struct fp_flow_key *key,
		struct fp_flow *flow, struct fp_flow_stats *stats)
{
	struct fp_flow *f = malloc(sizeof(*f));
	int err = 0;

	if (!f) {
		fp_err("out of memory");
		return -ENOMEM;
	}
	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_FLOW_TABLE], key, f)) {
		err = errno == ENOENT ? -ENOENT : map_err(dp, "looking up a flow");
		goto out;
	}
	if (stats)
		err = fp_flow_stats_read(dp, f->stats_idx, stats);
	if (!err && flow)
		*flow = *f;
out:
	free(f);
	return err;
}

int fp_flow_del(struct fp_dp *dp, const struct fp_flow_key *key,
		struct fp_flow_stats *stats)
{
	int err = fp_dp_lock(dp);

	if (err)
		return err;
	err = fp_flow_get(dp, key, NULL, stats);
	if (err)
		return err;
	/* The slot is free once no flow names it: nothing else to undo. */
	if (bpf_map_delete_elem(dp->map_fd[FP_MAP_FLOW_TABLE], key))
		return errno == ENOENT ? -ENOENT : map_err(dp, "deleting a flow");
	return 0;
}

struct dump_ctx {
	struct fp_dp *dp;
	fp_flow_dump_cb cb;
	void *arg;
};

static int dump_one(const struct fp_flow_key *key, const struct fp_flow *flow,
		    void *arg)
{
	struct dump_ctx *ctx = arg;
	struct fp_flow_stats st;
	int err = fp_flow_stats_read(ctx->dp, flow->stats_idx, &st);

	return err ? err : ctx->cb(key, flow, &st, ctx->arg);
}

int fp_flow_dump(struct fp_dp *dp, fp_flow_dump_cb cb, void *arg)
{
	struct dump_ctx ctx = { .dp = dp, .cb = cb, .arg = arg };

	return walk(dp, dump_one, &ctx);
}

struct key_list {
	struct fp_flow_key *keys;
	size_t n, cap;
};

static int collect_key(const struct fp_flow_key *key,
		       const struct fp_flow *flow, void *arg)
{
	struct key_list *l = arg;

	(void)flow;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct fp_flow_key *k = realloc(l->keys, cap * sizeof(*k));

		if (!k) {
			fp_err("out of memory");
			return -ENOMEM;
		}
		l->keys = k;
		l->cap = cap;
	}
	l->keys[l->n++] = *key;
	return 0;
}

int fp_flow_flush(struct fp_dp *dp)
{
	struct key_list l = { 0 };
	int err, count = 0;
	size_t i;

	err = fp_dp_lock(dp);
	if (err)
		return err;
	/* Keys first, then deletes: deleting under get_next_key would
	 * restart the walk at every step. */
	err = walk(dp, collect_key, &l);
	for (i = 0; !err && i < l.n; i++) {
		if (!bpf_map_delete_elem(dp->map_fd[FP_MAP_FLOW_TABLE],
					 &l.keys[i]))
			count++;
		else if (errno != ENOENT)
			err = map_err(dp, "deleting a flow");
	}
	free(l.keys);
	return err ? err : count;
}
