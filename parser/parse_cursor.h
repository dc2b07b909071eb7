/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parser's view of a packet: where the next header starts, where the
 * packet ends as OVS sees it, and how far the parser may read. Built as
 * BPF and as userspace from this one source.
 */
#ifndef FP_PARSER_PARSE_CURSOR_H
#define FP_PARSER_PARSE_CURSOR_H

#include "flow_key.h"
#include "byteorder.h"

#ifdef __bpf__
#ifndef NULL
#define NULL ((void *)0)
#endif
#else
#include <stddef.h>
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* Bytes of headers the parser may read; the BPF stage makes this much of
 * the packet linear before parsing. A header that starts or ends beyond
 * it makes the parse FP_PARSE_INCOMPLETE, whatever the packet's layout. */
#define FP_PARSE_HDR_MAX 256

/*
 * Result of one parsing step. Only the first two leave fp_flow_extract().
 */
enum fp_parse_result {
	/* The key is what OVS's flow_extract() makes of the packet, malformed
	 * or truncated packets included. */
	FP_PARSE_OK = 0,
	/* A header the key needs lies beyond FP_PARSE_HDR_MAX or beyond the
	 * parser's loop bounds (IPv6 extension headers, ND options): the key
	 * holds only what came before it and must not be used as is. */
	FP_PARSE_INCOMPLETE = 1,
	/* Internal: this layer is keyed, go on with the next one. */
	FP_PARSE_MORE = 2,
};

struct fp_cursor {
	const __u8 *data; /* first byte of the frame */
	const __u8 *data_end; /* end of the bytes that may be read */
	__u32 off; /* start of the next header, from data */
	__u32 end; /* end of the packet, trimmed to the IP total length */
};

/* Bytes left before the end of the packet: OVS's "size". */
static __always_inline __u32 fp_left(const struct fp_cursor *c)
{
	return c->end - c->off;
}

/*
 * The @n bytes at the cursor, or NULL if they are not within the parser's
 * reach. Callers check fp_left() first, as OVS checks its size, so that
 * NULL only ever means FP_PARSE_INCOMPLETE and never a truncated packet.
 * The first test also bounds the offset for the verifier.
 */
static __always_inline const __u8 *fp_peek(const struct fp_cursor *c, __u32 n)
{
	const __u8 *p;

	if (c->off > FP_PARSE_HDR_MAX - n)
		return NULL;
	p = c->data + c->off;
	if (p + n > c->data_end)
		return NULL;
	return p;
}

/*
 * Loads from the packet and stores into the key, neither of which need be
 * aligned for the width used. BPF: plain loads and stores, which the
 * verifier accepts where the architecture does unaligned access (x86, the
 * target these stages are built for); LLVM would turn memcpy into one load
 * per byte. Userspace: memcpy, which compilers turn into one load, and
 * which keeps UBSan's alignment check quiet.
 */
#ifdef __bpf__
#define fp_ld16(p) (*(const __u16 *)(p))
#define fp_ld32(p) (*(const __u32 *)(p))
#define fp_ld64(p) (*(const __u64 *)(p))
#define fp_st16(p, v) (*(__u16 *)(p) = (v))
#define fp_st32(p, v) (*(__u32 *)(p) = (v))
#define fp_st64(p, v) (*(__u64 *)(p) = (v))
#else
#define FP_LDST(bits)                                               \
	static inline __u##bits fp_ld##bits(const void *p)          \
	{                                                           \
		__u##bits v;                                        \
		__builtin_memcpy(&v, p, sizeof(v));                 \
		return v;                                           \
	}                                                           \
	static inline void fp_st##bits(void *p, __u##bits v)        \
	{                                                           \
		__builtin_memcpy(p, &v, sizeof(v));                 \
	}
FP_LDST(16)
FP_LDST(32)
FP_LDST(64)
#undef FP_LDST
#endif

static __always_inline void fp_copy_mac(__u8 *dst, const __u8 *src)
{
	fp_st32(dst, fp_ld32(src));
	fp_st16(dst + 4, fp_ld16(src + 4));
}

static __always_inline void fp_copy_in6(__u8 *dst, const __u8 *src)
{
	fp_st64(dst, fp_ld64(src));
	fp_st64(dst + 8, fp_ld64(src + 8));
}

static __always_inline int fp_mac_is_zero(const __u8 *mac)
{
	return !(fp_ld32(mac) | fp_ld16(mac + 4));
}

#endif
