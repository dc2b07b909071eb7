/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flows as text, in the syntax of ovs-dpctl (add-flow, dump-flows):
 *
 *   recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),
 *   eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=17,tos=0,
 *   ttl=64,frag=no),udp(src=1234,dst=53)
 *
 * and actions "2,3" (output to ports 2 and 3) or "drop".
 *
 * The flow table is exact-match, so a key is the whole struct fp_flow_key:
 * a field the text leaves out is zero, masks ("/0xff") are refused, and
 * only fields the key holds are accepted. As in OVS, an Ethernet frame
 * without eth_type(...) is 802.2 (key 0x05ff), and a VLAN tag is present
 * (CFI bit set) unless it says cfi=0. Attributes may come in any order,
 * but each must fit the protocols the key names: ipv4(...) needs
 * eth_type(0x0800), tcp(...) needs proto=6 and frag=no or first, what
 * follows a VLAN tag goes in its encap(...), and so on, as the parser
 * keys packets (OVS's flow_extract(): ICMP, IGMP and ICMPv6 after either
 * IP version). Printing writes attributes and fields in the order and
 * format of ovs-dpctl dump-flows, and fp_odp_key_parse() of the result
 * gives back the same key. Where OVS has no syntax for what the key
 * holds, flowpath adds some: igmp(type=,code=,group=) and the tunnel
 * flag "seq".
 *
 * A key whose fields contradict its protocols (TCP ports in an ARP key:
 * nothing the parser makes) still prints every non-zero field, in the
 * attribute it belongs to, after the ones that fit; parsing that text
 * fails and the message names the attribute that does not fit.
 *
 * Every parse error names the offending token and says what was expected;
 * the message goes into @err (without the "flowpath: " prefix).
 */
#ifndef FP_LIB_ODP_H
#define FP_LIB_ODP_H

#include <stddef.h>

#include "flow_key.h"
#include "actions.h"
#include "slow_actions.h"

/* Room for any key or action list as text (formatters never need more),
 * and for any error message. */
#define FP_ODP_KEY_STRLEN 2048
#define FP_ODP_ACTIONS_STRLEN 16384
#define FP_ODP_ERR_LEN 512

/*
 * Parse flow key text @s into @key (zeroed first). Returns 0, or -EINVAL
 * with a message in @err (@errlen bytes, may be 0).
 */
int fp_odp_key_parse(const char *s, struct fp_flow_key *key, char *err,
		     size_t errlen);

/*
 * Write @key as text into @buf (always NUL-terminated if @len > 0).
 * Returns the length of the whole text, like snprintf: >= @len means it was
 * cut short. FP_ODP_KEY_STRLEN bytes always suffice.
 */
int fp_odp_key_format(const struct fp_flow_key *key, char *buf, size_t len);

/*
 * Parse action text @s ("drop", or a comma-separated list) into the action
 * fields of @flow: n_actions, actions[] (unused elements zeroed) and
 * FP_FLOW_F_SLOW_PATH in flags if an action has no BPF stage; stats_idx is
 * left alone. @key is the flow's key, or NULL: an output to the key's
 * in_port is what the text explicitly asks for, so it gets
 * FP_OUTPUT_F_IN_PORT. Returns 0, or -EINVAL with a message in @err.
 */
int fp_odp_actions_parse(const char *s, const struct fp_flow_key *key,
			 struct fp_flow *flow, char *err, size_t errlen);

/* Write the actions of @flow as text ("drop" if none); returns as
 * fp_odp_key_format(). FP_ODP_ACTIONS_STRLEN bytes always suffice. */
int fp_odp_actions_format(const struct fp_flow *flow, char *buf, size_t len);

/*
 * As fp_odp_actions_parse(), for a flow the slow path may execute: up to
 * FP_SLOW_MAX_ACTIONS actions into @all (what the slow_actions map keeps).
 * @flow gets the first FP_MAX_ACTIONS of them, and FP_FLOW_F_SLOW_PATH if
 * there are more or one has no BPF stage. Past FP_SLOW_MAX_ACTIONS the
 * message names the first action that does not fit.
 */
int fp_odp_actions_parse_all(const char *s, const struct fp_flow_key *key,
			     struct fp_flow *flow, struct fp_slow_actions *all,
			     char *err, size_t errlen);

/* The text of @n actions; FP_ODP_SLOW_ACTIONS_STRLEN bytes always
 * suffice for FP_SLOW_MAX_ACTIONS of them. */
#define FP_ODP_SLOW_ACTIONS_STRLEN (FP_ODP_ACTIONS_STRLEN * 8)
int fp_odp_actions_format_list(const struct fp_action *actions, __u32 n,
			       char *buf, size_t len);

#endif
