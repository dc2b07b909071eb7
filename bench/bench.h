/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmark's BPF programs and its driver (fpbench) share: the
 * per-CPU counter the generator and the sink keep, and the frame the
 * generator sends.
 */
#ifndef FP_BENCH_BENCH_H
#define FP_BENCH_BENCH_H

#include "types.h"

/* Value of the one-element per-CPU counter maps gen_count and sink_count. */
struct fpb_count {
	__u64 packets;
	__u64 bytes;
};

/*
 * The generated frame: Ethernet, IPv4 without options, UDP, zero padding.
 * Documentation addresses only (RFC 5737, RFC 7042's 02:... locally
 * administered MACs), varied per flow as fpb_flow_saddr() and
 * fpb_flow_sport() say.
 */
/* clang-format off */
#define FPB_MAC_SRC { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }
#define FPB_MAC_DST { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 }
/* clang-format on */
#define FPB_IP_SRC 0xc0000201u /* 192.0.2.1 */
#define FPB_IP_DST 0xc6336402u /* 198.51.100.2 */
#define FPB_SPORT_BASE 1024
/*
 * Flow i of a run: UDP source port FPB_SPORT_BASE + i % FPB_PORT_SPAN from
 * source address FPB_IP_SRC + i / FPB_PORT_SPAN, so the first 64,511 flows
 * differ by port alone and a flow storm can offer millions (addresses up
 * to 192.0.2.254).
 */
#define FPB_PORT_SPAN (65535 - FPB_SPORT_BASE)
#define FPB_MAX_FLOWS (FPB_PORT_SPAN * 254)
#define FPB_DPORT 9 /* discard */
#define FPB_TTL 64

#define FPB_ETH_HLEN 14
#define FPB_IP_HLEN 20
#define FPB_UDP_HLEN 8
#define FPB_HDRS_LEN (FPB_ETH_HLEN + FPB_IP_HLEN + FPB_UDP_HLEN)
/* Sizes are Ethernet frame sizes as RFC 2544 counts them, FCS included;
 * a veth carries no FCS, so the frame in memory is 4 bytes shorter. */
#define FPB_FCS_LEN 4
#define FPB_MIN_SIZE 64
#define FPB_MAX_SIZE 1518

static inline __u32 fpb_flow_saddr(__u32 flow)
{
	return FPB_IP_SRC + flow / FPB_PORT_SPAN;
}

static inline __u16 fpb_flow_sport(__u32 flow)
{
	return FPB_SPORT_BASE + flow % FPB_PORT_SPAN;
}

/*
 * The IPv4 header checksum @csum (host order) after a 16-bit word of the
 * header went from @from to @to (RFC 1624, eqn. 3): the generators change
 * the source address's low word per flow without summing the header again.
 */
static inline __u16 fpb_csum_replace16(__u16 csum, __u16 from, __u16 to)
{
	__u32 sum = (__u16)~csum + (__u32)(__u16)~from + to;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/*
 * Make the frame whose IPv4 header (flow 0's, checksum @csum0 in host
 * order) is at @ip flow @flow's: the source address's low word (bytes
 * 14-15 of the header), the UDP source port after the header, and the
 * checksum. What both generators, BPF and userspace, do per frame; byte
 * stores, so that it means the same on either.
 */
static inline void fpb_set_flow(__u8 *ip, __u16 csum0, __u32 flow)
{
	__u16 lo = fpb_flow_saddr(flow) & 0xffff;
	__u16 csum = fpb_csum_replace16(csum0, FPB_IP_SRC & 0xffff, lo);
	__u16 sport = fpb_flow_sport(flow);

	ip[14] = lo >> 8;
	ip[15] = lo & 0xff;
	ip[10] = csum >> 8;
	ip[11] = csum & 0xff;
	ip[FPB_IP_HLEN] = sport >> 8;
	ip[FPB_IP_HLEN + 1] = sport & 0xff;
}

#endif
