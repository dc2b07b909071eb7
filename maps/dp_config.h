/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_MAPS_DP_CONFIG_H
#define FP_MAPS_DP_CONFIG_H

#include "types.h"

/* Bumped whenever a shared struct or map changes incompatibly: a pinned
 * datapath of another version is refused rather than misread. */
#define FP_ABI_VERSION 1
#define FP_DP_MAGIC 0x666c6f77u /* "flow" */

enum fp_miss_verdict {
	FP_MISS_DROP = 0, /* default: the slow path re-injects the packet */
	FP_MISS_PASS = 1, /* hand a missed packet to the kernel stack too */
};

/* The single element of the dp_config array. */
struct fp_dp_config {
	__u32 magic; /* FP_DP_MAGIC once the loader has written it */
	__u32 abi_version; /* FP_ABI_VERSION of the loader that created it */
	__u32 key_size; /* sizeof(struct fp_flow_key) */
	__u32 flow_size; /* sizeof(struct fp_flow) */
	__u32 miss_verdict; /* enum fp_miss_verdict */
	__u32 pad;
	/* The network namespace the datapath was loaded in: port ifindexes
	 * mean something only there (SO_NETNS_COOKIE). */
	__u64 netns_cookie;
};

#endif
