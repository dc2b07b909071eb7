/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flow's actions: a fixed array of FP_MAX_ACTIONS elements, each a type
 * plus a union big enough for any action's arguments. Each action type is
 * run by its own BPF stage, found in the prog-array at fp_action_slot(type).
 * New types are appended; a value is never reused for another meaning,
 * because installed flows outlive a datapath upgrade.
 */
#ifndef FP_MAPS_ACTIONS_H
#define FP_MAPS_ACTIONS_H

#include "types.h"
#include "flow_key.h"

#define FP_MAX_ACTIONS 32
/* Room for the largest arguments: a masked set() of every IPv6 field
 * (2 x 16-byte addresses, label, tclass, hop limit, each with its mask),
 * or a tunnel push with IPv6 outer addresses. */
#define FP_ACTION_ARG_SIZE 88

enum fp_action_type {
	FP_ACT_NONE = 0, /* unused element: ends the list */
	FP_ACT_OUTPUT = 1,
	FP_ACT_PUSH_VLAN = 2,
	FP_ACT_POP_VLAN = 3,
	FP_ACT_SET_FIELD = 4, /* set(...): one field group per element */
	FP_ACT_HASH = 5, /* hash(l4(basis)): key.dp_hash */
	FP_ACT_RECIRC = 6, /* recirc(id): key.recirc_id, parse again */
	FP_ACT_SET_TUNNEL = 7, /* set(tunnel(...)): egress tunnel metadata */
	FP_ACT_TYPE_MAX, /* one past the last type a stage implements */
};

/* fp_action_output.flags */
enum fp_output_flags {
	/* Sending back out of the input port was asked for explicitly. */
	FP_OUTPUT_F_IN_PORT = 1 << 0,
};

struct fp_action_output {
	__u32 port;
	__u32 flags; /* enum fp_output_flags */
};

struct fp_action_push_vlan {
	__be16 tpid; /* 0x8100 or 0x88a8 */
	__be16 tci; /* PCP and VID, as the tag will carry them */
};

enum fp_hash_alg {
	FP_HASH_ALG_L4 = 0, /* OVS_HASH_ALG_L4: hash(l4(basis)) */
};

struct fp_action_hash {
	__u32 alg; /* enum fp_hash_alg */
	__u32 basis;
};

struct fp_action_recirc {
	__u32 id;
};

/* fp_action_set_field.group: which header one set() element rewrites. */
enum fp_set_group {
	FP_SET_NONE = 0,
	FP_SET_ETH = 1, /* set(eth(...)) */
	FP_SET_IPV4 = 2, /* set(ipv4(...)) */
	FP_SET_IPV6 = 3, /* set(ipv6(...)) */
	FP_SET_TCP = 4, /* set(tcp(...)) */
	FP_SET_UDP = 5, /* set(udp(...)) */
	FP_SET_SCTP = 6, /* set(sctp(...)): CRC32c updated */
};

/* The settable fields of each group, as values and as masks. */
struct fp_set_eth {
	__u8 src[6];
	__u8 dst[6];
};

struct fp_set_ipv4 {
	__be32 src;
	__be32 dst;
	__u8 tos; /* DSCP and ECN */
	__u8 ttl;
	__u8 pad[2];
};

struct fp_set_ipv6 {
	__u8 src[16];
	__u8 dst[16];
	__be32 label; /* low 20 bits */
	__u8 tclass;
	__u8 hlimit;
	__u8 pad[2];
};

struct fp_set_l4 {
	__be16 src;
	__be16 dst;
};

/*
 * set(...) of one field group: each byte of the header becomes
 * (old & ~mask) | val. A field left out has mask 0 and is not touched;
 * val has no bit outside mask.
 */
struct fp_action_set_field {
	__u32 group; /* enum fp_set_group */
	union {
		struct {
			struct fp_set_eth val, mask;
		} eth;
		struct {
			struct fp_set_ipv4 val, mask;
		} ipv4;
		struct {
			struct fp_set_ipv6 val, mask;
		} ipv6;
		struct {
			struct fp_set_l4 val, mask;
		} l4; /* tcp, udp, sctp */
	} u;
};

_Static_assert(sizeof(struct fp_action_set_field) <= FP_ACTION_ARG_SIZE,
	       "set() arguments");

/* fp_action_set_tunnel.given: the fields set(tunnel(...)) names. A field
 * left out keeps the tunnel port's configured value. */
enum fp_set_tun_field {
	FP_SET_TUN_ID = 1 << 0,
	FP_SET_TUN_SRC = 1 << 1,
	FP_SET_TUN_DST = 1 << 2,
	FP_SET_TUN_TOS = 1 << 3,
	FP_SET_TUN_TTL = 1 << 4,
	FP_SET_TUN_FLAGS = 1 << 5, /* df, key, csum, seq: all of them */
	FP_SET_TUN_ERSPAN = 1 << 6, /* ver, idx or dir and hwid */
};

/*
 * set(tunnel(tun_id=0x5,src=192.0.2.1,dst=198.51.100.2,tos=0x10,ttl=64,
 * flags(df|key))): overrides, for the next outputs of this packet to a
 * tunnel port, the port's configured settings. @tun holds the values as a
 * decapsulated packet's key.tun would (tun_id in network order, the GRE
 * key in its low 32 bits, the ERSPAN session id in its low 10).
 */
struct fp_action_set_tunnel {
	struct fp_tunnel_key tun;
	__u32 given; /* enum fp_set_tun_field */
	__u32 pad;
};

_Static_assert(sizeof(struct fp_action_set_tunnel) <= FP_ACTION_ARG_SIZE,
	       "set(tunnel()) arguments");

struct fp_action {
	__u32 type; /* enum fp_action_type */
	__u32 pad;
	union {
		struct fp_action_output output;
		struct fp_action_push_vlan push_vlan;
		struct fp_action_hash hash;
		struct fp_action_recirc recirc;
		struct fp_action_set_field set_field;
		struct fp_action_set_tunnel set_tunnel;
		__u8 raw[FP_ACTION_ARG_SIZE];
	} u;
};

/* fp_flow.flags */
enum fp_flow_flags {
	/* Some action has no BPF stage, or there are more than fit:
	 * every packet of this flow is executed by the slow path. */
	FP_FLOW_F_SLOW_PATH = 1 << 0,
};

/* Value of the flow table. */
struct fp_flow {
	__u32 flags; /* enum fp_flow_flags */
	__u32 n_actions; /* elements in use; 0 is a drop */
	__u32 stats_idx; /* slot in the flow_stats map */
	/* Tail calls the actions take, which lookup checks against what is
	 * left before the first runs: one per action, one more for an output
	 * to a tunnel port (output, then tunnel_encap), two more for recirc
	 * (the recirc stage, then lookup). Set when the flow is installed,
	 * where the ports' types are known; 0 in a flow an older build
	 * installed: n_actions then. */
	__u32 tail_calls;
	struct fp_action actions[FP_MAX_ACTIONS];
};

_Static_assert(sizeof(struct fp_action) == 96, "action layout");
_Static_assert(sizeof(struct fp_flow) == 16 + 96 * FP_MAX_ACTIONS,
	       "flow value layout");

#endif
