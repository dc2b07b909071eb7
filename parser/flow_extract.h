/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packet parser, one source for the BPF parser stage and for userspace
 * (parse-pcap's differential test, the AF_XDP datapath).
 * STUB: Ethernet only; the full parser replaces this file.
 */
#ifndef FP_PARSER_FLOW_EXTRACT_H
#define FP_PARSER_FLOW_EXTRACT_H

#include "flow_key.h"
#include "byteorder.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* Bytes of headers the parser may read; the BPF stage makes this much of
 * the packet linear before parsing. */
#define FP_PARSE_HDR_MAX 256

enum fp_parse_result {
	FP_PARSE_OK = 0,
	FP_PARSE_TRUNCATED = 1, /* ended early: the key holds what was parsed */
};

/*
 * Parse [data, data_end) into @key, which the caller has zeroed and whose
 * metadata (in_port, ...) it has set. @accel_tci/@accel_tpid describe an
 * outer VLAN tag that the kernel already took out of the frame (0 if none).
 */
static __always_inline int fp_flow_extract(struct fp_flow_key *key,
					   const void *data,
					   const void *data_end,
					   __be16 accel_tpid, __be16 accel_tci)
{
	const __u8 *p = data;

	(void)accel_tpid;
	(void)accel_tci;
	if (p + 14 > (const __u8 *)data_end)
		return FP_PARSE_TRUNCATED;
	__builtin_memcpy(key->eth_dst, p, 6);
	__builtin_memcpy(key->eth_src, p + 6, 6);
	__builtin_memcpy(&key->eth_type, p + 12, 2);
	return FP_PARSE_OK;
}

#endif
