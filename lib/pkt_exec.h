/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace executor of a flow's actions (maps/actions.h) on one
 * packet in a caller's buffer: what the BPF action stages do to an skb,
 * done to plain bytes, for the AF_XDP datapath and any other userspace
 * datapath. Called per packet: it allocates nothing and makes no system
 * call; copies leave through the caller's output callback.
 *
 * The packet's bytes after each action are what the BPF chain puts on the
 * wire (selftests/test_pkt_exec.c runs both on the same cases and compares
 * them byte for byte). Where the BPF stages keep a VLAN tag in skb
 * metadata, the executor has it in the frame, which is where the wire has
 * it. The flow key is kept in step as the stages keep scratch->key.
 *
 * hash(l4(basis)) computes maps/flow_hash.h's fp_flow_hash_l4() of the
 * current key, the function the BPF hash stage calls: the same key gives
 * the same dp_hash on both sides, so flows keyed on dp_hash(X) match alike.
 */
#ifndef FP_LIB_PKT_EXEC_H
#define FP_LIB_PKT_EXEC_H

#include "actions.h"
#include "counters.h"
#include "flow_key.h"

/* Headroom a buffer needs for the worst list: a push_vlan per action. */
#define FP_PKT_HEADROOM_MAX (4 * FP_MAX_ACTIONS)

/* Recirculations a caller should allow a packet before dropping it
 * (counted FP_CNT_BUDGET_DROP): a recirc loop in the flows must end. */
#define FP_PKT_MAX_RECIRC 8

/*
 * One packet: @data points at the Ethernet header, @headroom writable bytes
 * precede it (push_vlan grows the packet into them, without a copy).
 */
struct fp_pkt {
	unsigned char *data;
	__u32 len;
	__u32 headroom;
};

/*
 * Send a copy of @len bytes at @data out of datapath port @port. The bytes
 * are valid only during the call: the executor goes on rewriting them.
 * Returns 0 if sent, -ENODEV if there is no such port (counted
 * FP_CNT_OUTPUT_NO_PORT), another -errno if the port could not take it
 * (the callback counts that itself, as a tx drop of its port).
 */
typedef int (*fp_pkt_output_fn)(void *arg, __u32 port, const void *data,
				__u32 len);

/* What the executor needs besides the packet; one per thread. */
struct fp_pkt_exec {
	fp_pkt_output_fn output;
	void *arg;
	/* FP_CNT_MAX counters, indexed by enum fp_counter, of this thread:
	 * each packet the executor drops for a reason adds one there. */
	__u64 *counters;
};

enum fp_pkt_verdict {
	FP_PKT_DONE = 0, /* the list ran to its end (its outputs sent) */
	FP_PKT_DROPPED = 1, /* dropped by a failing action, counted */
	/* recirc(id): key->recirc_id is set; parse the packet again with
	 * fp_pkt_reparse(), look its flow up and execute that. */
	FP_PKT_RECIRC = 2,
};

/*
 * Run @n actions of @acts on @pkt, whose flow key is @key (as the parser
 * gave it, with in_port set). A list of no actions is a drop (counted
 * FP_CNT_DROP_ACTION, as the BPF lookup stage counts it). Returns an
 * enum fp_pkt_verdict; @pkt and @key hold the packet as the actions left
 * it.
 */
int fp_pkt_exec(const struct fp_pkt_exec *x, struct fp_pkt *pkt,
		struct fp_flow_key *key, const struct fp_action *acts,
		__u32 n);

/*
 * Parse @pkt into @key (every byte set) as having arrived on @in_port:
 * parser/flow_extract.h, the BPF parser's source. Returns FP_PARSE_OK or
 * FP_PARSE_INCOMPLETE (a key not to use: count FP_CNT_PARSE_INCOMPLETE).
 */
/*
 * An upcall carries the skb's bytes, but a received outer VLAN tag is in
 * skb metadata, not in them: the datapath's @key then has one tag more
 * than the frame. Put it back in the frame, in @pkt's headroom (at least
 * FP_VLAN_HLEN), where the executor, tap_execute's parse and the wire
 * have tags. The key's CFI bit means "present", not the wire's DEI.
 */
void fp_pkt_restore_outer_tag(struct fp_pkt *pkt,
			      const struct fp_flow_key *key);
int fp_pkt_parse(const struct fp_pkt *pkt, __u32 in_port,
		 struct fp_flow_key *key);

/* Parse again after FP_PKT_RECIRC, keeping what the BPF recirc stage
 * keeps: in_port, recirc_id, dp_hash, tunnel metadata. */
int fp_pkt_reparse(const struct fp_pkt *pkt, struct fp_flow_key *key);

#endif
