/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The upcall agent: flowpath's slow path. It reads the upcalls of one
 * datapath, classifies each missed packet against the rule table
 * (lib/ofrule.h), installs an exact-match flow for it and executes the
 * packet through its TAP (tap.h), and keeps the installed flows true to
 * the rules: revalidation when rules or learnt MACs change, expiry of idle
 * flows, eviction when the table is full. Packets of flows the datapath
 * cannot run (slow path) it executes itself (slow_path.c) and sends out of
 * the ports' devices (port_tx.h). Single-threaded: one epoll loop
 * serves the perf buffer, the control socket (ctl.h), a 1 s timer and the
 * signals that stop it.
 */
#ifndef FP_AGENT_AGENT_H
#define FP_AGENT_AGENT_H

#include <stdbool.h>

#include "counters.h"
#include "dp.h"
#include "flow_table.h"
#include "ofrule.h"
#include "ports.h"
#include "port_tx.h"
#include "upcall.h"
#include "tap.h"

#define FP_AGENT_IDLE_S_DEFAULT 10
#define FP_AGENT_MAC_IDLE_S_DEFAULT 300

struct fp_agent_opts {
	const char *dp_name;
	const char *rules_path; /* NULL: start with no rules (all drop) */
	__u64 idle_ns; /* flows idle longer are removed */
	__u64 mac_idle_ns; /* learnt MACs unseen longer are forgotten */
};

/* What the agent did, for `flowpath agent status` and the logs. */
struct fp_agent_stats {
	__u64 upcalls; /* samples read */
	__u64 upcalls_lost; /* perf buffer said it dropped samples */
	__u64 misses; /* upcalls of reason miss */
	__u64 slow_path; /* upcalls handed to fp_agent_slow_path() */
	__u64 installed; /* flows installed */
	__u64 table_miss; /* of them, drop flows of packets no rule matched */
	__u64 xlate_failed; /* installed as drop: the rule could not translate */
	__u64 executed; /* packets written to the TAP */
	__u64 not_executed; /* truncated or too short to execute */
	__u64 csum_completed; /* unfinished TCP/UDP checksums completed */
	__u64 slow_executed; /* slow-path packets whose whole list ran */
	__u64 slow_dropped; /* slow-path packets dropped (a reason in slow_cnt) */
	__u64 slow_outputs; /* copies the slow path sent out of a device */
	__u64 slow_tx_dropped; /* copies a port could not take (tunnel, send) */
	__u64 table_full; /* installs that found the table full */
	__u64 evicted; /* flows removed to make room */
	__u64 expired; /* flows removed for being idle */
	__u64 revalidations; /* sweeps that re-translated every flow */
	__u64 flows_updated; /* flows whose actions revalidation changed */
	__u64 flows_deleted; /* flows revalidation removed */
	__u64 adopted; /* flows found installed (restart, or by hand) */
	__u64 mac_moves; /* learnt MACs that moved to another port */
};

struct fp_agent_flow; /* flows.c: what the agent knows of one flow */
struct fp_agent_slow; /* slow_path.c: its executor and buffers */

struct fp_agent {
	struct fp_agent_opts opts;
	struct fp_dp dp;
	struct fp_rule_table *rules;
	struct fp_mac_table *macs;
	struct perf_buffer *pb;
	struct fp_tap tap;
	int epfd, sigfd, timerfd, ctl_fd, lock_fd;
	char ctl_path[108];
	char lock_path[108];

	struct fp_xlate_port ports[FP_MAX_PORTS];
	unsigned int n_ports;
	/* Every port by number (type FP_PORT_UNUSED if none), for the slow
	 * path's outputs; refreshed with ports[]. */
	struct fp_port port_info[FP_MAX_PORTS];

	/* slow_path.c: its socket, its buffers, and why it dropped packets
	 * (enum fp_counter, as the executor counts them). */
	struct fp_port_tx tx;
	struct fp_agent_slow *slow;
	__u64 slow_cnt[FP_CNT_MAX];

	/* flows.c: a hash table of struct fp_agent_flow by key. */
	struct fp_agent_flow **buckets;
	unsigned int n_flows;

	/* upcall.c: the writer held while one read of the perf buffer is
	 * handled, and the packets to execute once it is released. */
	struct fp_flow_writer w;
	bool writing;
	struct fp_agent_exec *execs;
	unsigned int n_execs;

	__u64 rules_gen; /* generation the flows were last revalidated at */
	bool macs_changed; /* a MAC was learnt, moved or forgotten */
	bool stop;
	struct fp_agent_stats st;
};

/* Run the agent until SIGINT or SIGTERM. Returns 0, or -errno after a
 * message if it could not start. */
int fp_agent_run(const struct fp_agent_opts *opts);

/* Re-read the datapath's ports (for flooding). */
int fp_agent_ports_refresh(struct fp_agent *a);

/* upcall.c */
int fp_agent_upcalls_open(struct fp_agent *a);
/* The perf buffer is readable: handle every sample in it. */
int fp_agent_upcalls_read(struct fp_agent *a);
void fp_agent_upcalls_close(struct fp_agent *a);
/* Hold the datapath lock through a->w (a no-op while held), release it. */
int fp_agent_writer_begin(struct fp_agent *a);
void fp_agent_writer_end(struct fp_agent *a);
/* Translate @key as the rules say now; the rule (NULL: table miss) in
 * *@rule. A translation error gives a drop list (and is logged). */
int fp_agent_xlate(struct fp_agent *a, const struct fp_flow_key *key,
		   struct fp_rule **rule, struct fp_slow_actions *out);
/* The flow value for @all: its first FP_MAX_ACTIONS, slow path if more. */
void fp_agent_flow_build(const struct fp_slow_actions *all,
			 struct fp_flow *flow);

/*
 * slow_path.c, the execution of packets of flows the datapath cannot run
 * itself (reason slow_path or tail_call_budget, or a miss whose new flow is
 * slow-path): run @pkt (@len bytes, the whole packet, arrived on
 * up->in_port, keyed up->key) through the flow's whole action list with
 * lib/pkt_exec.h and send its outputs out of the ports' devices. The list
 * is @all (a translation just made) or, if NULL, the one installed at
 * up->key. Counted in st.slow_* and slow_cnt.
 */
int fp_agent_slow_open(struct fp_agent *a);
void fp_agent_slow_close(struct fp_agent *a);
void fp_agent_slow_path(struct fp_agent *a, const struct fp_upcall *up,
			const void *pkt, __u32 len,
			const struct fp_slow_actions *all);

/* flows.c */
int fp_agent_flows_init(struct fp_agent *a);
void fp_agent_flows_free(struct fp_agent *a);
/* The agent installed @flow at @key for @rule (NULL: the table miss). */
int fp_agent_flow_note(struct fp_agent *a, const struct fp_flow_key *key,
		       const struct fp_rule *rule, const struct fp_flow *flow);
/* How a packet of the installed flow at @key is executed. */
enum fp_agent_exec_how {
	FP_EXEC_UNKNOWN = 0, /* no such flow */
	FP_EXEC_DROP, /* a drop flow: not at all */
	FP_EXEC_TAP, /* through the TAP */
	FP_EXEC_SLOW, /* by fp_agent_slow_path() */
};
/* With @learns: whether the flow's rule runs `normal` (its packets teach
 * the MAC table). */
enum fp_agent_exec_how fp_agent_flow_known(struct fp_agent *a,
					   const struct fp_flow_key *key,
					   bool *learns);
/* A packet of the flow at @key that the agent executed and the datapath did
 * not count (a miss run by the slow path): one for the flow's rule. */
void fp_agent_flow_credit_packet(struct fp_agent *a,
				 const struct fp_flow_key *key, __u32 bytes);
/*
 * Walk the datapath's flows: credit their new packets to their rules,
 * adopt flows the agent did not install, refresh the MACs of active flows,
 * remove idle ones and, with @revalidate, re-translate each one, updating
 * or removing it. Takes the datapath lock unless the caller's writer
 * holds it (a->writing).
 */
int fp_agent_sweep(struct fp_agent *a, bool revalidate);
/* Remove the @n least recently used flows (table full). */
int fp_agent_evict(struct fp_agent *a, unsigned int n);
/* Revalidate if rules or MACs changed since the last revalidation. */
int fp_agent_revalidate_if_needed(struct fp_agent *a);
/* Learn @key's source MAC at its in_port; notes a change. */
void fp_agent_learn(struct fp_agent *a, const struct fp_flow_key *key);

/* ctl.c */
int fp_agent_ctl_open(struct fp_agent *a);
void fp_agent_ctl_close(struct fp_agent *a);
/* A client is waiting on the listening socket: serve it. */
void fp_agent_ctl_serve(struct fp_agent *a);

#endif
