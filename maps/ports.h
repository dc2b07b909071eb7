/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_MAPS_PORTS_H
#define FP_MAPS_PORTS_H

#include "types.h"

/* Port numbers are 1..FP_MAX_PORTS-1; 0 is never a valid port. */
#define FP_MAX_PORTS 256
#define FP_PORT_NAME_LEN 16
/* ifindexes below this are also in the port_by_ifidx array (maps.bpf.h) */
#define FP_PORT_IFINDEX_DIRECT 65536

enum fp_port_type {
	FP_PORT_UNUSED = 0,
	FP_PORT_NETDEV = 1,
	/* Tunnel ports (maps/tunnel.h): no device of their own; ifindex is
	 * the underlay's, where their encapsulated packets leave. */
	FP_PORT_GRE = 2,
	FP_PORT_ERSPAN = 3,
};

enum fp_port_flags {
	FP_PORT_F_ATTACHED = 1 << 0, /* flowpath attached the parser */
	FP_PORT_F_OWN_QDISC = 1 << 1, /* flowpath created the clsact qdisc */
};

/* Value of the ports array, indexed by port number. */
struct fp_port {
	__u32 ifindex;
	__u32 type; /* enum fp_port_type */
	__u32 flags; /* enum fp_port_flags */
	__u32 pad;
	char name[FP_PORT_NAME_LEN];
};

/* Per-CPU value of the port_stats array, indexed by port number. */
struct fp_port_stats {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 tx_dropped;
};

_Static_assert(sizeof(struct fp_port) == 32, "port layout");

#endif
