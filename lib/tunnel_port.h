/* SPDX-License-Identifier: GPL-2.0 */
/* GRE and ERSPAN ports (maps/tunnel.h): their configuration, checked and
 * written into the datapath's maps, and taken out again. */
#ifndef FP_LIB_TUNNEL_PORT_H
#define FP_LIB_TUNNEL_PORT_H

#include <stdbool.h>

#include "dp.h"
#include "ports.h"
#include "tunnel.h"

struct fp_tunnel_opts {
	__u32 type;	      /* FP_PORT_GRE or FP_PORT_ERSPAN */
	const char *underlay; /* a netdev port: name or number */
	const char *local_ip, *remote_ip;
	const char *local_mac, *remote_mac; /* NULL: from the system */
	bool key_set;
	__u32 key; /* GRE key; ERSPAN session id */
	bool csum, seq, no_df;
	int tos, ttl;				  /* -1: default (0, 64) */
	int erspan_ver;				  /* 0: not given */
	long erspan_idx, erspan_dir, erspan_hwid; /* -1: not given */
	int malformed;				  /* enum fp_tun_malformed */
};

/* fp_tunnel_opts with every field at its "not given" value. */
void fp_tunnel_opts_init(struct fp_tunnel_opts *o);

/*
 * Make @name tunnel port @no (0: the lowest free number) of @dp. Checks
 * every option against the others and the datapath (the underlay is a
 * netdev port, no other port of the kind ends at the same addresses),
 * takes the outer MACs from the options or else from the underlay device
 * and the neighbour table, saying which. Prints why on failure and leaves
 * the datapath as it was.
 */
int fp_tunnel_port_add(struct fp_dp *dp, const char *name, __u32 no,
		       const struct fp_tunnel_opts *o, __u32 *added);
/* Forget tunnel port @no (@port is its ports entry): its endpoint and
 * configuration. The caller clears the ports entry. */
int fp_tunnel_port_forget(struct fp_dp *dp, __u32 no,
			  const struct fp_port *port);
/* The tunnel port using netdev port @no as its underlay, or 0. */
__u32 fp_tunnel_port_over(struct fp_dp *dp, __u32 no);
/* One line describing tunnel port @no's configuration, for port show. */
void fp_tunnel_port_describe(struct fp_dp *dp, __u32 no, char *buf, size_t len);

#endif
