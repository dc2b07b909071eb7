/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRE and ERSPAN tunnel ports. The datapath builds and strips the outer
 * headers itself (progs/tunnel_encap.bpf.c, progs/tunnel_decap.bpf.c): no
 * tunnel device exists. A tunnel port has no device of its own; its
 * encapsulated packets leave, and arrive, by an underlay port, a netdev
 * port of the same datapath.
 */
#ifndef FP_MAPS_TUNNEL_H
#define FP_MAPS_TUNNEL_H

#include "flow_key.h"
#include "types.h"

/* GRE (RFC 2784, RFC 2890) flags-and-version word, host order. */
#define FP_GRE_F_CSUM 0x8000
#define FP_GRE_F_ROUTING 0x4000
#define FP_GRE_F_KEY 0x2000
#define FP_GRE_F_SEQ 0x1000
/* Strict source route, recursion control, flags, version: all zero in
 * any GRE packet flowpath decapsulates or builds. */
#define FP_GRE_F_RESERVED 0x0fff

/* GRE protocol types of the payloads flowpath tunnels carry. */
#define FP_GRE_PROTO_TEB 0x6558	    /* Ethernet (gretap) */
#define FP_GRE_PROTO_ERSPAN1 0x88be /* ERSPAN type II */
#define FP_GRE_PROTO_ERSPAN2 0x22eb /* ERSPAN type III */

#define FP_GRE_HLEN 4 /* the base header; +4 for each of csum, key, seq */
#define FP_ERSPAN1_HLEN 8
#define FP_ERSPAN2_HLEN 12
#define FP_ERSPAN_SID_MASK 0x3ff   /* session id: 10 bits */
#define FP_ERSPAN_IDX_MASK 0xfffff /* v1 port index: 20 bits */
#define FP_ERSPAN_HWID_MASK 0x3f   /* v2 hardware id: 6 bits */

#define FP_TUN_TTL_DEFAULT 64

/* What a malformed GRE packet to one of our endpoints gets. */
enum fp_tun_malformed {
	FP_TUN_MALFORMED_DROP = 0,
	FP_TUN_MALFORMED_PASS = 1, /* to the kernel stack, untouched */
};

/*
 * Value of the tunnels array, indexed by port number: the configuration
 * of a GRE or ERSPAN port (ports[no].type says which).
 */
struct fp_tunnel_port {
	__be32 local; /* outer source on encap, destination on decap */
	__be32 remote;
	__be32 key;  /* GRE key, with FP_TUN_F_KEY; ERSPAN: the session id */
	__u16 flags; /* enum fp_tun_flags: KEY, CSUM, SEQ (GRE), DF */
	__u8 tos;    /* outer TOS */
	__u8 ttl;    /* outer TTL, never 0 */
	__u8 erspan_ver;  /* 1 (type II) or 2 (type III); 0 for GRE */
	__u8 erspan_dir;  /* v2: 0 ingress, 1 egress */
	__u8 erspan_hwid; /* v2 */
	__u8 pad0;
	__u32 erspan_idx; /* v1 */
	__u32 underlay;	  /* port number the encapsulated packets leave by */
	__u8 eth_src[6];  /* outer Ethernet header */
	__u8 eth_dst[6];
	__u32 seq;	 /* next GRE sequence number, counted up by the stage */
	__u32 malformed; /* enum fp_tun_malformed, as its endpoint's */
};

/* Key of the tun_endpoints hash: an incoming packet's outer addresses. */
struct fp_tun_endpoint_key {
	__be32 local;  /* outer destination */
	__be32 remote; /* outer source */
};

/* Which ports end at one pair of addresses: at most one of each kind. */
struct fp_tun_endpoint {
	__u32 gre_port; /* 0: none */
	__u32 erspan_port;
	__u32 malformed; /* enum fp_tun_malformed, for both */
	__u32 pad;
};

_Static_assert(sizeof(struct fp_tunnel_port) == 48, "tunnel port layout");
_Static_assert(sizeof(struct fp_tun_endpoint) == 16, "endpoint layout");

#endif
