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
 * administered MACs). Flow i of N has UDP source port FPB_SPORT_BASE + i.
 */
#define FPB_MAC_SRC { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }
#define FPB_MAC_DST { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 }
#define FPB_IP_SRC 0xc0000201u /* 192.0.2.1 */
#define FPB_IP_DST 0xc6336402u /* 198.51.100.2 */
#define FPB_SPORT_BASE 1024
/* Distinct source ports above the base: flows one run can offer (the
 * flow setup benchmark sends each of many flows once). */
#define FPB_MAX_FLOWS (65535 - FPB_SPORT_BASE)
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

#endif
