/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap-execute: how the agent hands a missed packet back to the datapath.
 * The agent writes the packet to its TAP device behind a struct
 * fp_tapx_hdr; the tap_execute stage (TC ingress of the TAP) checks it,
 * strips it and runs the packet through lookup and actions with the
 * in_port the header names, as if it had just arrived on that port.
 *
 * The header is an Ethernet header of type IPv4 followed by bytes that are
 * no IPv4 header (version 0), to a unicast MAC that is not the TAP's own:
 * if the stage is missing, the kernel sees a frame for another host
 * (PACKET_OTHERHOST), which ip_rcv drops before looking at it, and would
 * drop again for its version. Nothing written to the TAP can reach the
 * host stack as the packet it carries. The type must be IPv4 because
 * bpf_skb_adjust_room(), the helper that strips it, works on IP frames
 * only.
 *
 * Stripping leaves skb->protocol as it was (IPv4) and an outer VLAN tag in
 * the frame, where no real device's receive path leaves them. So the stage
 * strips, then redirects the frame to the TAP's ingress again: the kernel's
 * receive path (eth_type_trans, VLAN untagging) makes it a received frame
 * like any other, and the second pass, recognised by skb->mark, parses it.
 */
#ifndef FP_MAPS_TAP_EXECUTE_H
#define FP_MAPS_TAP_EXECUTE_H

#include "types.h"

#define FP_TAPX_MAGIC 0x66707865u /* "fpxe" */
/* Destination MAC of the header; the agent gives the TAP another one. */
#define FP_TAPX_DST_MAC { 0x02, 0x66, 0x70, 0x78, 0x65, 0x00 }
#define FP_TAPX_ETH_TYPE 0x0800

struct fp_tapx_hdr {
	__u8 dst[6]; /* FP_TAPX_DST_MAC */
	__u8 src[6];
	__be16 eth_type; /* FP_TAPX_ETH_TYPE */
	__u8 zero[2]; /* an IPv4 header would start with version 4 here */
	__be32 magic; /* FP_TAPX_MAGIC */
	__u32 in_port; /* the port the packet arrived on, host order */
	__u32 pad[2];
};

_Static_assert(sizeof(struct fp_tapx_hdr) == 32, "tap-execute header layout");

/* Second pass: skb->mark holds FP_TAPX_MARK | in_port. */
#define FP_TAPX_MARK 0xf9e00000u
#define FP_TAPX_MARK_MASK 0xffff0000u
#define FP_TAPX_PORT_MASK 0x0000ffffu

/*
 * The frame that follows the header must carry at least this many bytes
 * after its Ethernet header: bpf_skb_adjust_room() will not leave an IPv4
 * frame shorter than an IPv4 header. The agent does not execute shorter
 * ones (it counts them).
 */
#define FP_TAPX_MIN_PAYLOAD 20

#endif
