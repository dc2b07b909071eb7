// SPDX-License-Identifier: GPL-2.0
/* The flow table and the flows' stats slots, on a datapath's pinned maps. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "capacity.h"
#include "flow_key_compact.h"
#include "flow_table.h"
#include "log.h"
#include "port.h"

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

static void slot_set(struct fp_flow_writer *w, __u32 idx, bool used)
{
	if (!w->used || idx >= FP_MAX_FLOWS)
		return;
	if (used) {
		w->used[idx / 64] |= 1ULL << (idx % 64);
	} else {
		w->used[idx / 64] &= ~(1ULL << (idx % 64));
		if (idx < w->hint)
			w->hint = idx;
	}
}

/*
 * The lowest slot no installed flow uses. Which slots are taken is read
 * from the flows themselves, once per writer: nothing else records it, so
 * nothing can go stale when a writer dies half-way.
 */
static int slot_alloc(struct fp_flow_writer *w, __u32 *idx)
{
	__u32 i;
	int err;

	if (!w->used) {
		w->used = calloc(FP_MAX_FLOWS / 64, sizeof(*w->used));
		if (!w->used) {
			fp_err("out of memory");
			return -ENOMEM;
		}
		w->hint = 0;
		err = walk(w->dp, mark_used, w->used);
		if (err) {
			free(w->used);
			w->used = NULL;
			return err;
		}
	}
	for (i = w->hint / 64; i < FP_MAX_FLOWS / 64; i++) {
		if (~w->used[i]) {
			*idx = i * 64 + __builtin_ctzll(~w->used[i]);
			w->hint = *idx;
			return 0;
		}
	}
	w->hint = FP_MAX_FLOWS;
	return -ENOSPC;
}

int fp_flow_writer_init(struct fp_flow_writer *w, struct fp_dp *dp)
{
	memset(w, 0, sizeof(*w));
	w->dp = dp;
	/* A caller holding the lock already keeps it after us. */
	w->unlock = dp->lock_fd < 0;
	return fp_dp_lock(dp);
}

void fp_flow_writer_fini(struct fp_flow_writer *w)
{
	if (w->dp && w->unlock)
		fp_dp_unlock(w->dp);
	free(w->used);
	memset(w, 0, sizeof(*w));
}

/* The slow path's list of the flow at @key is gone (or never was). */
static int slow_del(struct fp_dp *dp, const struct fp_flow_key *key)
{
	if (bpf_map_delete_elem(dp->map_fd[FP_MAP_SLOW_ACTIONS], key) &&
	    errno != ENOENT)
		return map_err(dp, "deleting a slow-path action list");
	return 0;
}

/*
 * The compact table (maps/flow_key_compact.h) holds again every flow with
 * a compact key, after the full table has it and until just before the
 * full table loses it: the lookup stage tries it first, then the full one.
 */
static int compact_del(struct fp_dp *dp, const struct fp_flow_key *key)
{
	struct fp_flow_key_compact ck;

	if (!fp_flow_key_compact(key, &ck))
		return 0;
	if (bpf_map_delete_elem(dp->map_fd[FP_MAP_FLOW_COMPACT], &ck) &&
	    errno != ENOENT)
		return map_err(dp, "deleting a flow from the compact table");
	return 0;
}

/* After @flow is in the full table under @key. If the copy cannot be
 * written, no older copy may stay: the flow is then looked up in the
 * full table alone, slower but the same. */
static int compact_put(struct fp_dp *dp, const struct fp_flow_key *key,
		       const struct fp_flow *flow)
{
	struct fp_flow_key_compact ck;
	int err;

	if (!fp_flow_key_compact(key, &ck))
		return 0;
	if (!bpf_map_update_elem(dp->map_fd[FP_MAP_FLOW_COMPACT], &ck, flow,
				 BPF_ANY))
		return 0;
	err = -errno;
	if (compact_del(dp, key))
		return err;
	fp_err("warning: datapath %s: flow kept in the full table only: %s",
	       dp->name, strerror(-err));
	return 0;
}

int fp_flow_writer_put(struct fp_flow_writer *w, const struct fp_flow_key *key,
		       const struct fp_flow *flow, unsigned int flags)
{
	return fp_flow_writer_put_all(w, key, flow, NULL, flags);
}

/* What @f's actions cost in tail calls (maps/actions.h's tail_calls). */
static __u32 flow_tail_calls(struct fp_dp *dp, const struct fp_flow *f)
{
	struct fp_port port;
	__u32 n = 0, i;

	for (i = 0; i < f->n_actions && i < FP_MAX_ACTIONS; i++) {
		const struct fp_action *a = &f->actions[i];

		n++;
		if (a->type == FP_ACT_OUTPUT &&
		    !fp_port_get(dp, a->u.output.port, &port) &&
		    (port.type == FP_PORT_GRE || port.type == FP_PORT_ERSPAN))
			n++;
		else if (a->type == FP_ACT_RECIRC)
			n += 2;
	}
	return n;
}

int fp_flow_writer_put_all(struct fp_flow_writer *w,
			   const struct fp_flow_key *key,
			   const struct fp_flow *flow,
			   const struct fp_slow_actions *all,
			   unsigned int flags)
{
	struct fp_dp *dp = w->dp;
	int fd = dp->map_fd[FP_MAP_FLOW_TABLE];
	struct fp_flow *new, *old;
	bool slow = all && (flow->flags & FP_FLOW_F_SLOW_PATH);
	int err;

	new = malloc(sizeof(*new));
	old = malloc(sizeof(*old));
	if (!new || !old) {
		fp_err("out of memory");
		err = -ENOMEM;
		goto out;
	}
	*new = *flow;
	new->tail_calls = flow_tail_calls(dp, new);

	if (!bpf_map_lookup_elem(fd, key, old)) {
		if (!(flags & FP_FLOW_MODIFY)) {
			err = -EEXIST;
			goto out;
		}
		/* Replacing swaps the whole value at once: a packet sees the
		 * old flow or the new one, and both count into one slot. */
		new->stats_idx = old->stats_idx;
		err = 0;
		/* The list before the flow that upcalls for it; a list the
		 * new flow does not need goes after the flow. */
		if (slow && bpf_map_update_elem(dp->map_fd[FP_MAP_SLOW_ACTIONS],
						key, all, BPF_ANY))
			err = map_err(dp, "storing a slow-path action list");
		if (!err && (flags & FP_FLOW_RESET_STATS))
			err = stats_zero(dp, new->stats_idx);
		if (!err && bpf_map_update_elem(fd, key, new, BPF_EXIST))
			err = map_err(dp, "replacing a flow");
		if (!err)
			err = compact_put(dp, key, new);
		if (!err && !slow && (old->flags & FP_FLOW_F_SLOW_PATH))
			err = slow_del(dp, key);
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
	err = slot_alloc(w, &new->stats_idx);
	if (err)
		goto out;
	/* A freed slot still holds its last flow's counts. */
	err = stats_zero(dp, new->stats_idx);
	if (err)
		goto out;
	if (slow && bpf_map_update_elem(dp->map_fd[FP_MAP_SLOW_ACTIONS], key,
					all, BPF_ANY)) {
		err = errno == E2BIG ? -ENOSPC :
				       map_err(dp, "storing a slow-path action list");
		goto out;
	}
	if (bpf_map_update_elem(fd, key, new, BPF_NOEXIST)) {
		err = errno == E2BIG ? -ENOSPC : map_err(dp, "installing a flow");
		if (slow)
			slow_del(dp, key);
		goto out;
	}
	slot_set(w, new->stats_idx, true);
	err = compact_put(dp, key, new);
out:
	free(new);
	free(old);
	return err;
}

int fp_flow_writer_del(struct fp_flow_writer *w, const struct fp_flow_key *key,
		       struct fp_flow_stats *stats)
{
	struct fp_flow flow;
	int err;

	err = fp_flow_get(w->dp, key, &flow, stats);
	if (!err)
		err = compact_del(w->dp, key);
	if (err)
		return err;
	if (bpf_map_delete_elem(w->dp->map_fd[FP_MAP_FLOW_TABLE], key))
		return errno == ENOENT ? -ENOENT :
					 map_err(w->dp, "deleting a flow");
	/* The slot is free once no flow names it. */
	slot_set(w, flow.stats_idx, false);
	return flow.flags & FP_FLOW_F_SLOW_PATH ? slow_del(w->dp, key) : 0;
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

static int compact_flush(struct fp_dp *dp)
{
	int fd = dp->map_fd[FP_MAP_FLOW_COMPACT];
	struct fp_flow_key_compact ck;

	/* Each delete restarts the walk at the table's first key. */
	while (!bpf_map_get_next_key(fd, NULL, &ck))
		if (bpf_map_delete_elem(fd, &ck) && errno != ENOENT)
			return map_err(dp, "deleting a flow from the compact table");
	return 0;
}

int fp_flow_writer_flush(struct fp_flow_writer *w)
{
	struct key_list l = { 0 };
	int err, count = 0;
	size_t i;

	/* The compact copies first: none may outlive its flow. */
	err = compact_flush(w->dp);
	/* Keys first, then deletes: deleting under get_next_key would
	 * restart the walk at every step. */
	if (!err)
		err = walk(w->dp, collect_key, &l);
	for (i = 0; !err && i < l.n; i++) {
		if (!bpf_map_delete_elem(w->dp->map_fd[FP_MAP_FLOW_TABLE],
					 &l.keys[i]))
			count++;
		else if (errno != ENOENT)
			err = map_err(w->dp, "deleting a flow");
	}
	/* Then every slow-path list, flows gone or not (a writer that died
	 * between a list and its flow leaves one behind). */
	if (!err) {
		int sfd = w->dp->map_fd[FP_MAP_SLOW_ACTIONS];
		struct fp_flow_key k;

		while (!bpf_map_get_next_key(sfd, NULL, &k))
			if (bpf_map_delete_elem(sfd, &k) && errno != ENOENT) {
				err = map_err(w->dp,
					      "deleting a slow-path action list");
				break;
			}
	}
	free(l.keys);
	/* Even a partial flush leaves the slot map unknown: read it again. */
	free(w->used);
	w->used = NULL;
	return err ? err : count;
}

int fp_flow_put(struct fp_dp *dp, const struct fp_flow_key *key,
		const struct fp_flow *flow, unsigned int flags)
{
	struct fp_flow_writer w;
	int err = fp_flow_writer_init(&w, dp);

	if (!err)
		err = fp_flow_writer_put(&w, key, flow, flags);
	fp_flow_writer_fini(&w);
	return err;
}

int fp_flow_put_all(struct fp_dp *dp, const struct fp_flow_key *key,
		    const struct fp_flow *flow, const struct fp_slow_actions *all,
		    unsigned int flags)
{
	struct fp_flow_writer w;
	int err = fp_flow_writer_init(&w, dp);

	if (!err)
		err = fp_flow_writer_put_all(&w, key, flow, all, flags);
	fp_flow_writer_fini(&w);
	return err;
}

int fp_flow_slow_get(struct fp_dp *dp, const struct fp_flow_key *key,
		     struct fp_slow_actions *all)
{
	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_SLOW_ACTIONS], key, all))
		return errno == ENOENT ? -ENOENT :
					 map_err(dp, "reading a slow-path action list");
	return 0;
}

int fp_flow_del(struct fp_dp *dp, const struct fp_flow_key *key,
		struct fp_flow_stats *stats)
{
	struct fp_flow_writer w;
	int err = fp_flow_writer_init(&w, dp);

	if (!err)
		err = fp_flow_writer_del(&w, key, stats);
	fp_flow_writer_fini(&w);
	return err;
}

int fp_flow_flush(struct fp_dp *dp)
{
	struct fp_flow_writer w;
	int err = fp_flow_writer_init(&w, dp);

	if (!err)
		err = fp_flow_writer_flush(&w);
	fp_flow_writer_fini(&w);
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
