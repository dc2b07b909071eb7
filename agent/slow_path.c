// SPDX-License-Identifier: GPL-2.0
/*
 * Packets of flows the datapath hands to the slow path: more actions than
 * a flow table entry holds, an action no stage runs, or a chain longer
 * than the tail calls left. The agent runs the flow's whole list itself,
 * with the userspace executor (lib/pkt_exec.h), on a copy of the upcalled
 * packet, and sends each output copy out of its port's device
 * (port_tx.h). recirc() is parsed and looked up again in the datapath's
 * flow table, at most FP_PKT_MAX_RECIRC times, as the BPF recirc stage
 * would.
 *
 * The datapath counted the flow (lookup accounts a hit before it
 * upcalls), so its stats and its rule's are right; a recirculated pass
 * looked up here is not counted in its flow's stats.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "agent.h"
#include "log.h"
#include "parse_cursor.h"
#include "pkt_exec.h"
#include "proto.h"

/* Room in front of the packet for every push_vlan of every pass. */
#define SLOW_HEADROOM (FP_VLAN_HLEN * FP_SLOW_MAX_ACTIONS * FP_PKT_MAX_RECIRC)

struct fp_agent_slow {
	struct fp_pkt_exec x;
	struct fp_slow_actions list; /* an installed flow's whole list */
	struct fp_flow flow;
	/* The packet, with a received outer tag back in it (queue_exec). */
	unsigned char buf[SLOW_HEADROOM + FP_UPCALL_MAX_PKT + FP_VLAN_HLEN];
};

/* pkt_exec's output callback: one copy out of @port's device. */
static int output(void *arg, __u32 port, const void *data, __u32 len)
{
	struct fp_agent *a = arg;
	const struct fp_port *p;
	int err;

	if (!port || port >= FP_MAX_PORTS)
		return -ENODEV;
	p = &a->port_info[port];
	switch (p->type) {
	case FP_PORT_NETDEV:
		break;
	case FP_PORT_GRE:
	case FP_PORT_ERSPAN:
		/* The encapsulation is the tunnel stages' (not written yet
		 * for userspace): nothing to send. */
		a->st.slow_tx_dropped++;
		fp_dbg("agent: %s: slow path: output to tunnel port %u (%s) is not implemented: dropped",
		       a->dp.name, port, p->name);
		return -EOPNOTSUPP;
	default:
		return -ENODEV;
	}
	err = fp_port_tx_send(&a->tx, p->ifindex, data, len);
	if (err) {
		a->st.slow_tx_dropped++;
		fp_dbg("agent: %s: slow path: sending %u bytes out of port %u (%s): %s",
		       a->dp.name, len, port, p->name, strerror(-err));
		return err;
	}
	a->st.slow_outputs++;
	return 0;
}

int fp_agent_slow_open(struct fp_agent *a)
{
	int err;

	a->slow = calloc(1, sizeof(*a->slow));
	if (!a->slow) {
		fp_err("agent: out of memory");
		return -ENOMEM;
	}
	a->slow->x.output = output;
	a->slow->x.arg = a;
	a->slow->x.counters = a->slow_cnt;
	err = fp_port_tx_open(&a->tx);
	if (err) {
		free(a->slow);
		a->slow = NULL;
	}
	return err;
}

void fp_agent_slow_close(struct fp_agent *a)
{
	fp_port_tx_close(&a->tx);
	free(a->slow);
	a->slow = NULL;
}

/* The whole list of the flow installed at @key, or -ENOENT. */
static int installed_actions(struct fp_agent *a, const struct fp_flow_key *key,
			     const struct fp_action **acts, __u32 *n)
{
	struct fp_agent_slow *s = a->slow;
	int err;

	err = fp_flow_get(&a->dp, key, &s->flow, NULL);
	if (err)
		return err;
	if (s->flow.flags & FP_FLOW_F_SLOW_PATH) {
		err = fp_flow_slow_get(&a->dp, key, &s->list);
		if (err)
			return err;
		*acts = s->list.actions;
		*n = s->list.n_actions;
	} else {
		/* tail_call_budget: a list that fits a flow entry. */
		*acts = s->flow.actions;
		*n = s->flow.n_actions;
	}
	return 0;
}

/* Run the list and every recirculation after it; an enum fp_pkt_verdict. */
static int run(struct fp_agent *a, struct fp_pkt *pkt, struct fp_flow_key *key,
	       const struct fp_action *acts, __u32 n)
{
	unsigned int recircs;
	int verdict;

	for (recircs = 0;; recircs++) {
		verdict = fp_pkt_exec(&a->slow->x, pkt, key, acts, n);
		if (verdict != FP_PKT_RECIRC)
			return verdict;
		/* A loop in the flows ends here, as the tail-call budget
		 * ends it in BPF. */
		if (recircs + 1 >= FP_PKT_MAX_RECIRC) {
			a->slow_cnt[FP_CNT_BUDGET_DROP]++;
			return FP_PKT_DROPPED;
		}
		if (fp_pkt_reparse(pkt, key) != FP_PARSE_OK) {
			a->slow_cnt[FP_CNT_PARSE_INCOMPLETE]++;
			return FP_PKT_DROPPED;
		}
		/* No flow for the next pass: the agent installs flows for
		 * recirculated packets only when the datapath upcalls them. */
		if (installed_actions(a, key, &acts, &n)) {
			a->slow_cnt[FP_CNT_MISS]++;
			fp_dbg("agent: %s: slow path: no flow after recirc(%u) of a packet of port %u: dropped",
			       a->dp.name, key->recirc_id, key->in_port);
			return FP_PKT_DROPPED;
		}
	}
}

void fp_agent_slow_path(struct fp_agent *a, const struct fp_upcall *up,
			const void *pkt, __u32 len,
			const struct fp_slow_actions *all)
{
	struct fp_agent_slow *s = a->slow;
	struct fp_flow_key key = up->key;
	struct fp_pkt p = {
		.data = s->buf + SLOW_HEADROOM,
		.len = len,
		.headroom = SLOW_HEADROOM,
	};
	const struct fp_action *acts;
	__u32 n;

	if (len > FP_UPCALL_MAX_PKT + FP_VLAN_HLEN) {
		a->st.not_executed++;
		return;
	}
	if (all) {
		acts = all->actions;
		n = all->n_actions;
	} else if (installed_actions(a, &key, &acts, &n)) {
		/* Deleted (or expired) since the upcall. */
		a->st.slow_dropped++;
		a->slow_cnt[FP_CNT_MISS]++;
		fp_dbg("agent: %s: slow path: the flow of a packet of port %u is gone: dropped",
		       a->dp.name, up->in_port);
		return;
	}
	/* A received outer tag is in the frame already (queue_exec). */
	memcpy(p.data, pkt, len);
	if (run(a, &p, &key, acts, n) == FP_PKT_DONE)
		a->st.slow_executed++;
	else
		a->st.slow_dropped++;
}
