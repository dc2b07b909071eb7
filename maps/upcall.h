/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_MAPS_UPCALL_H
#define FP_MAPS_UPCALL_H

#include "flow_key.h"

enum fp_upcall_reason {
	FP_UPCALL_MISS = 1, /* no flow matched */
	FP_UPCALL_SLOW_PATH = 2, /* flow needs an action BPF cannot run */
	FP_UPCALL_TAIL_BUDGET = 3, /* flow's chain exceeds the tail-call limit */
};

/*
 * One upcall sample on the perf buffer: this header, then cap_len bytes of
 * the packet as it arrived (the perf sample may add trailing padding).
 */
struct fp_upcall {
	__u32 reason; /* enum fp_upcall_reason */
	__u32 in_port;
	__u32 pkt_len; /* length of the whole packet */
	__u32 cap_len; /* bytes of it that follow */
	struct fp_flow_key key;
};

/* Packets longer than this are upcalled truncated (cap_len < pkt_len). */
#define FP_UPCALL_MAX_PKT 65535

#endif
