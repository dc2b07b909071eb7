/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finishing a TCP or UDP checksum that its sender left to the device.
 *
 * A packet a local socket sends over a veth is CHECKSUM_PARTIAL: its L4
 * checksum field holds the folded, uncomplemented sum of the pseudo-header
 * only, and the device would add the segment and complement it. A veth
 * never does, and the receiving stack trusts the skb's ip_summed, not the
 * bytes. The datapath upcalls those bytes; once the agent writes them
 * back (TAP or AF_PACKET), the new skb is CHECKSUM_NONE and the receiver
 * checks, and drops, what was never finished. fp_csum_complete() finishes
 * it, in userspace, before the agent executes the packet.
 *
 * Only what has the signature of an unfinished checksum is written: a
 * checksum that does not verify AND equals the pseudo-header sum. Any
 * other wrong checksum is left as it is, as OVS leaves it: a corrupt
 * packet must stay corrupt for the receiver to drop it.
 */
#ifndef FP_LIB_CSUM_PARTIAL_H
#define FP_LIB_CSUM_PARTIAL_H

#include <stddef.h>

enum fp_csum_result {
	/* Not an unfragmented IPv4/IPv6 TCP or UDP packet whose headers and
	 * segment are all in the buffer, so no checksum to judge: ARP, ICMP,
	 * fragments, IPv6 with a routing header, truncated or malformed. */
	FP_CSUM_SKIPPED = 0,
	FP_CSUM_OK,	   /* the checksum verifies */
	FP_CSUM_NONE,	   /* UDP checksum 0: the sender computed none */
	FP_CSUM_BAD,	   /* wrong, and not an unfinished one: left so */
	FP_CSUM_COMPLETED, /* was unfinished: now the segment's checksum */
};

/*
 * Look at the Ethernet frame of @len bytes at @frame (802.1Q or 802.1ad
 * tags in it are skipped) and complete its TCP or UDP checksum if it is
 * unfinished. Reads nothing past @len; writes only the two checksum bytes,
 * and only for FP_CSUM_COMPLETED. Lengths come from the IP header (and
 * UDP's own), so Ethernet padding after the datagram is not summed.
 */
enum fp_csum_result fp_csum_complete(void *frame, size_t len);

#endif
