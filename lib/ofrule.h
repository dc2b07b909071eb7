/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenFlow-style rules in ovs-ofctl add-flow syntax, the agent's rule
 * table, and the translation of a rule's actions into datapath actions.
 *
 *   priority=10,ip,nw_dst=192.0.2.0/24,actions=output:2
 *
 * A rule is a priority, a masked match on struct fp_flow_key and a list of
 * OpenFlow actions. Matches follow OpenFlow's prerequisites as ovs-ofctl
 * states them (nw_src needs ip, arp or rarp; tp_dst needs tcp, udp or
 * sctp...): a field without its prerequisite is refused with a message
 * naming it, where ovs-ofctl parse-flow would silently drop it. Every parse
 * error names the token that is wrong. Formatting prints the match the way
 * ovs-ofctl dump-flows does: protocol shorthand first, fields in OVS's
 * order, masks only when not exact.
 *
 * Single-threaded: the caller serialises every call on one table.
 */
#ifndef FP_LIB_OFRULE_H
#define FP_LIB_OFRULE_H

#include <stdbool.h>
#include <stddef.h>

#include "flow_key.h"
#include "slow_actions.h"

#define FP_RULE_PRIORITY_DEFAULT 32768
/* Room for any rule as text, and for any error message. */
#define FP_RULE_STRLEN 4096
#define FP_RULE_ERR_LEN 512

struct fp_ofaction; /* opaque to users: one OpenFlow action */
struct fp_mac_table; /* lib/mac_learning.h */

struct fp_rule {
	__u16 priority; /* default 32768, as OVS */
	struct fp_flow_key key; /* values, already masked */
	struct fp_flow_key mask; /* 1 bits must equal key; 0 wildcard */
	struct fp_ofaction *acts; /* owned by the rule */
	unsigned int n_acts; /* 0: drop */
	__u64 id; /* unique per table, never reused; 0 until added */
	__u64 n_packets, n_bytes; /* rolled-up stats of its flows */
	__u64 created_ns;
};

/*
 * Parse one ovs-ofctl add-flow line ("priority=10,ip,nw_dst=192.0.2.0/24,
 * actions=output:2"). The match may be empty; "actions=" is required.
 * Returns 0 and a new rule in *out, or -EINVAL (-ENOMEM) with a message
 * naming the bad token in @err.
 */
int fp_rule_parse(const char *s, struct fp_rule **out, char *err,
		  size_t errlen);
void fp_rule_free(struct fp_rule *r);
/*
 * One line like ovs-ofctl dump-flows: " n_packets=3, n_bytes=180,
 * priority=10,ip,nw_dst=192.0.2.0/24 actions=output:2" (priority left out
 * when it is the default, as OVS does). Returns the length of the whole
 * text, like snprintf; FP_RULE_STRLEN bytes always suffice.
 */
int fp_rule_format(const struct fp_rule *r, char *buf, size_t len);
/* Only the match, "priority=10,ip,nw_dst=192.0.2.0/24" (or "" for
 * catch-all at the default priority): what ovs-ofctl parse-flow prints
 * before " actions=". Returns as fp_rule_format(). */
int fp_rule_format_match(const struct fp_rule *r, char *buf, size_t len);
/* Only the actions, "output:2" or "drop". Returns as fp_rule_format(). */
int fp_rule_format_actions(const struct fp_rule *r, char *buf, size_t len);

struct fp_rule_table *fp_rules_new(void);
void fp_rules_free(struct fp_rule_table *t);
/* add-flow semantics: replaces a rule with the same match and priority
 * (keeping nothing of it). Takes ownership of r, also on error. Returns 0
 * or -ENOMEM. */
int fp_rules_add(struct fp_rule_table *t, struct fp_rule *r);
/*
 * del-flows semantics: MATCH text without actions; strict = same match and
 * priority only; else every rule whose match is at least as specific
 * (priority ignored, as OVS). Returns how many were deleted, or -EINVAL
 * with a message. An empty string (non-strict) deletes all.
 */
int fp_rules_del(struct fp_rule_table *t, const char *match, bool strict,
		 char *err, size_t errlen);
/*
 * Lines of FILE (# comments, blank lines ignored), all or nothing: on error
 * the table is untouched and the message says "FILE:LINE: ...". With
 * replace, the table's rules are replaced by the file's. Returns how many
 * rules the file held, or a negative errno.
 */
int fp_rules_load_file(struct fp_rule_table *t, const char *path,
		       bool replace, char *err, size_t errlen);
/* Highest priority rule matching key (ties: the one added first), or NULL. */
struct fp_rule *fp_rules_lookup(const struct fp_rule_table *t,
				const struct fp_flow_key *key);
struct fp_rule *fp_rules_find_id(const struct fp_rule_table *t, __u64 id);
/* Iterate in dump order (priority descending, then oldest first): cb
 * non-zero stops, and is returned. cb must not change the table. */
int fp_rules_foreach(const struct fp_rule_table *t,
		     int (*cb)(struct fp_rule *r, void *arg), void *arg);
unsigned int fp_rules_count(const struct fp_rule_table *t);
/* Bumped on every change: the agent revalidates when it moves. */
__u64 fp_rules_generation(const struct fp_rule_table *t);

/* Translation of a rule's actions for one exact key into datapath actions. */
struct fp_xlate_port {
	__u32 port;
	__u32 type; /* enum fp_port_type */
};

struct fp_xlate_ctx {
	const struct fp_xlate_port *ports; /* every datapath port */
	unsigned int n_ports;
	const struct fp_mac_table *macs; /* for normal; NULL: normal floods */
	__u64 now_ns;
};

/* Does @r (NULL: the table miss) run `normal`? Only the packets normal
 * processes teach the MAC table, as in OVS. */
bool fp_rule_runs_normal(const struct fp_rule *r);

/*
 * rule NULL = table miss = drop (0 actions). Output: up to
 * FP_SLOW_MAX_ACTIONS datapath actions in out (struct fp_slow_actions,
 * maps/slow_actions.h); the caller builds struct fp_flow from it (first 32
 * + FP_FLOW_F_SLOW_PATH when more, as lib/flow_table.h's fp_flow_put_all
 * expects). Pure: does not learn MACs or touch the rule's stats. -E2BIG if
 * more than FP_SLOW_MAX_ACTIONS; -EINVAL with a message for what cannot
 * translate.
 *
 * OpenFlow semantics: actions apply in order to a copy of @key, so an
 * output after mod_* sends the modified packet; each output first emits
 * the set()/push_vlan/pop_vlan actions the key accumulated since the last
 * one. Outputs to the packet's in_port are dropped, except `in_port`
 * (FP_OUTPUT_F_IN_PORT). dec_ttl of a packet with TTL <= 1 drops it (and
 * everything after), as OVS does with no controller.
 */
int fp_rule_xlate(const struct fp_rule *r, const struct fp_flow_key *key,
		  const struct fp_xlate_ctx *ctx, struct fp_slow_actions *out,
		  char *err, size_t errlen);

#endif
