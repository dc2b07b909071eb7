// SPDX-License-Identifier: GPL-2.0
/*
 * Handling upcalls: each missed packet is classified, translated and
 * installed as an exact-match flow, then executed through the TAP.
 *
 * One read of the perf buffer is one batch: the datapath lock is taken
 * (by a flow writer) for the installs of the batch only, and released
 * before the batch's packets are executed, so that the CLI waits at most
 * a batch. A packet is executed after its flow is installed: tap_execute
 * runs it through lookup, which then finds the flow. A packet of a
 * slow-path flow is executed by the agent itself (slow_path.c): a miss with
 * the translation just made, a slow_path upcall with the installed list.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <bpf/libbpf.h>

#include "agent.h"
#include "capacity.h"
#include "csum_partial.h"
#include "log.h"
#include "mac_learning.h"
#include "mono_clock.h"
#include "pkt_exec.h"
#include "proto.h"
#include "tap_execute.h"

/* Packets executed per batch at most: past that the batch is cut. */
#define FP_AGENT_BATCH 256
#define FP_AGENT_PERF_PAGES 64

struct fp_agent_exec {
	struct fp_upcall up;
	bool slow; /* run by fp_agent_slow_path(), not the TAP */
	void *buf; /* what pkt points into */
	void *pkt;
	__u32 len; /* of pkt: cap_len, and a received tag put back */
	/* A miss's slow-path translation; NULL: the installed list. */
	struct fp_slow_actions *all;
};

void fp_agent_flow_build(const struct fp_slow_actions *all,
			 struct fp_flow *flow)
{
	__u32 n = all->n_actions;

	memset(flow, 0, sizeof(*flow));
	if (n > FP_MAX_ACTIONS) {
		flow->flags = FP_FLOW_F_SLOW_PATH;
		n = FP_MAX_ACTIONS;
	}
	flow->n_actions = n;
	memcpy(flow->actions, all->actions, n * sizeof(flow->actions[0]));
}

int fp_agent_xlate(struct fp_agent *a, const struct fp_flow_key *key,
		   struct fp_rule **rule, struct fp_slow_actions *out)
{
	struct fp_xlate_ctx ctx = {
		.ports = a->ports,
		.n_ports = a->n_ports,
		.macs = a->macs,
		.now_ns = fp_mono_ns(),
	};
	char err[FP_RULE_ERR_LEN] = "";
	int ret;

	*rule = fp_rules_lookup(a->rules, key);
	ret = fp_rule_xlate(*rule, key, &ctx, out, err, sizeof(err));
	if (ret) {
		/* As OVS: what cannot be translated is dropped, by a flow,
		 * so that its packets stop costing upcalls. */
		a->st.xlate_failed++;
		fp_err("agent: rule %llu: %s: installing a drop flow",
		       (unsigned long long)(*rule ? (*rule)->id : 0),
		       err[0] ? err : strerror(-ret));
		memset(out, 0, sizeof(*out));
	}
	return ret;
}

int fp_agent_writer_begin(struct fp_agent *a)
{
	int err;

	if (a->writing)
		return 0;
	err = fp_flow_writer_init(&a->w, &a->dp);
	if (err)
		return err;
	a->writing = true;
	return 0;
}

void fp_agent_writer_end(struct fp_agent *a)
{
	if (!a->writing)
		return;
	fp_flow_writer_fini(&a->w);
	a->writing = false;
}

/* Install @key's flow; on a full table, evict the idlest and retry. */
static int install(struct fp_agent *a, const struct fp_flow_key *key,
		   const struct fp_flow *flow, const struct fp_slow_actions *all)
{
	unsigned int flags = FP_FLOW_CREATE | FP_FLOW_MODIFY;
	int err;

	err = fp_flow_writer_put_all(&a->w, key, flow, all, flags);
	if (err != -ENOSPC)
		return err;
	a->st.table_full++;
	if (a->st.table_full == 1 || !(a->st.table_full % 1024))
		fp_err("agent: flow table of %s is full (%llu times so far): evicting the least recently used flows",
		       a->dp.name, (unsigned long long)a->st.table_full);
	/* An eighth of the table, so the next misses find room too. */
	err = fp_agent_evict(a, FP_MAX_FLOWS / 8);
	if (err < 0)
		return err;
	return fp_flow_writer_put_all(&a->w, key, flow, all, flags);
}

static void execute_all(struct fp_agent *a)
{
	unsigned int i;
	int err;

	fp_agent_writer_end(a);
	for (i = 0; i < a->n_execs; i++) {
		struct fp_agent_exec *x = &a->execs[i];

		if (x->slow) {
			fp_agent_slow_path(a, &x->up, x->pkt, x->len, x->all);
			/* A miss never hit the flow: lookup did not count it. */
			if (x->up.reason == FP_UPCALL_MISS)
				fp_agent_flow_credit_packet(a, &x->up.key,
							    x->up.pkt_len);
		} else {
			err = fp_tap_execute(&a->tap, x->up.in_port, x->pkt,
					     x->len);
			if (err)
				fp_dbg("agent: executing a packet of port %u: %s",
				       x->up.in_port, strerror(-err));
			else
				a->st.executed++;
		}
		free(x->buf);
		free(x->all);
	}
	a->n_execs = 0;
}

/* Queue @pkt for execution: by the slow path if @slow, with @all if not
 * NULL (copied), else through the TAP. */
static void queue_exec(struct fp_agent *a, const struct fp_upcall *up,
		       const void *pkt, bool slow,
		       const struct fp_slow_actions *all)
{
	struct fp_agent_exec *x;
	size_t all_len = 0;
	struct fp_pkt p;

	if (up->cap_len < up->pkt_len ||
	    (!slow && up->cap_len < 14 + FP_TAPX_MIN_PAYLOAD)) {
		/* Truncated, or too short for tap_execute to strip its
		 * header: the flow is there for the next packets. */
		a->st.not_executed++;
		return;
	}
	if (a->n_execs == FP_AGENT_BATCH)
		execute_all(a);
	x = &a->execs[a->n_execs];
	x->buf = malloc(FP_VLAN_HLEN + up->cap_len);
	x->all = NULL;
	if (slow && all) {
		/* The list alone: most of the 256 elements are unused. */
		all_len = offsetof(struct fp_slow_actions, actions) +
			  all->n_actions * sizeof(all->actions[0]);
		x->all = malloc(all_len);
	}
	if (!x->buf || (all_len && !x->all)) {
		free(x->buf);
		free(x->all);
		a->st.not_executed++;
		return;
	}
	p.data = (unsigned char *)x->buf + FP_VLAN_HLEN;
	p.len = up->cap_len;
	p.headroom = FP_VLAN_HLEN;
	memcpy(p.data, pkt, up->cap_len);
	/* A tag the device took out of the frame goes back in, for the TAP
	 * and the slow path alike: without it the TAP's second pass would
	 * key the packet untagged (no flow), and both would send it out
	 * without its tag. */
	fp_pkt_restore_outer_tag(&p, &up->key);
	x->pkt = p.data;
	x->len = p.len;
	/* A packet a local socket sent over a veth comes with its TCP or
	 * UDP checksum left to the device. Written back through the TAP or
	 * AF_PACKET it becomes a packet the receiver checks: finish it
	 * here, once for both paths. */
	if (fp_csum_complete(x->pkt, x->len) == FP_CSUM_COMPLETED)
		a->st.csum_completed++;
	if (all_len)
		memcpy(x->all, all, all_len);
	x->up = *up;
	x->slow = slow;
	a->n_execs++;
}

static void handle_miss(struct fp_agent *a, const struct fp_upcall *up,
			const void *pkt)
{
	struct fp_slow_actions *all;
	enum fp_agent_exec_how how;
	struct fp_flow *flow;
	struct fp_rule *rule;
	bool learns;
	int err;

	a->st.misses++;
	/* Upcalls of one flow that were queued before it was installed: the
	 * flow is there now, only the packet is left to execute. As OVS's
	 * NORMAL, only what normal processes teaches the MAC table: not a
	 * frame that a rule drops or sends elsewhere, which could otherwise
	 * pull another host's MAC to its port. */
	how = fp_agent_flow_known(a, &up->key, &learns);
	if (learns)
		fp_agent_learn(a, &up->key);
	switch (how) {
	case FP_EXEC_UNKNOWN:
		break;
	case FP_EXEC_DROP:
		return;
	case FP_EXEC_TAP:
		queue_exec(a, up, pkt, false, NULL);
		return;
	case FP_EXEC_SLOW:
		queue_exec(a, up, pkt, true, NULL);
		return;
	}
	all = malloc(sizeof(*all));
	flow = malloc(sizeof(*flow));
	if (!all || !flow) {
		fp_err("agent: out of memory");
		goto out;
	}
	fp_agent_xlate(a, &up->key, &rule, all);
	if (fp_rule_runs_normal(rule))
		fp_agent_learn(a, &up->key);
	fp_agent_flow_build(all, flow);
	err = fp_agent_writer_begin(a);
	if (!err)
		err = install(a, &up->key, flow, all);
	if (err) {
		fp_err("agent: cannot install the flow of a packet of port %u: %s",
		       up->in_port, strerror(-err));
		goto out;
	}
	a->st.installed++;
	if (!rule)
		a->st.table_miss++;
	fp_agent_flow_note(a, &up->key, rule, flow);
	if (flow->n_actions)
		queue_exec(a, up, pkt, flow->flags & FP_FLOW_F_SLOW_PATH, all);
out:
	free(all);
	free(flow);
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct fp_agent *a = ctx;
	struct fp_upcall up;
	const char *pkt = (const char *)data + sizeof(up);

	(void)cpu;
	/* Perf samples are only 4-byte aligned: copy the header out. */
	if (size < sizeof(up))
		return;
	memcpy(&up, data, sizeof(up));
	if (size - sizeof(up) < up.cap_len)
		return;
	a->st.upcalls++;
	switch (up.reason) {
	case FP_UPCALL_MISS:
		handle_miss(a, &up, pkt);
		break;
	case FP_UPCALL_SLOW_PATH:
	case FP_UPCALL_TAIL_BUDGET:
		a->st.slow_path++;
		queue_exec(a, &up, pkt, true, NULL);
		break;
	default:
		fp_dbg("agent: upcall of unknown reason %u", up.reason);
	}
}

static void on_lost(void *ctx, int cpu, __u64 n)
{
	struct fp_agent *a = ctx;

	(void)cpu;
	a->st.upcalls_lost += n;
}

int fp_agent_upcalls_open(struct fp_agent *a)
{
	int err;

	a->execs = calloc(FP_AGENT_BATCH, sizeof(*a->execs));
	if (!a->execs)
		return -ENOMEM;
	/* Every CPU's ring: the upcall stage writes to the current CPU's. */
	a->pb = perf_buffer__new(a->dp.map_fd[FP_MAP_UPCALLS],
				 FP_AGENT_PERF_PAGES, on_sample, on_lost, a,
				 NULL);
	if (!a->pb) {
		err = -errno;
		fp_err("agent: cannot open the perf buffer of %s: %s",
		       a->dp.name, strerror(-err));
		return err;
	}
	return 0;
}

int fp_agent_upcalls_read(struct fp_agent *a)
{
	int err;

	err = perf_buffer__consume(a->pb);
	execute_all(a);
	if (err < 0)
		fp_err("agent: reading upcalls: %s", strerror(-err));
	return fp_agent_revalidate_if_needed(a);
}

void fp_agent_upcalls_close(struct fp_agent *a)
{
	unsigned int i;

	fp_agent_writer_end(a);
	for (i = 0; i < a->n_execs; i++) {
		free(a->execs[i].pkt);
		free(a->execs[i].all);
	}
	a->n_execs = 0;
	free(a->execs);
	a->execs = NULL;
	perf_buffer__free(a->pb);
	a->pb = NULL;
}
