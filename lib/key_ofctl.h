/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flow key as one line of `ovs-ofctl parse-pcap` output (OVS 3.1's
 * flow_format(): the fields an exact-match flow of that packet has), e.g.
 *
 *   udp,in_port=ANY,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,
 *   dl_dst=02:00:00:00:00:02,nw_src=192.0.2.1,nw_dst=198.51.100.2,
 *   nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1234,tp_dst=53
 *
 * (one line). in_port FP_PORT_NONE prints as ANY, 0 not at all, any
 * other port as its number. Fields OVS would not print for the packet are
 * not printed, whatever the key holds in them (the IGMP group, say).
 */
#ifndef FP_LIB_KEY_OFCTL_H
#define FP_LIB_KEY_OFCTL_H

#include <stddef.h>

#include "flow_key.h"

/* Room for any key: formatting never needs more. */
#define FP_KEY_OFCTL_STRLEN 1024

/*
 * Write @key into @buf, NUL-terminated if @len > 0, without a newline.
 * Returns the length of the whole line, like snprintf: >= @len means it
 * was cut short.
 */
int fp_key_ofctl_format(const struct fp_flow_key *key, char *buf, size_t len);

#endif
