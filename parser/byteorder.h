/* SPDX-License-Identifier: GPL-2.0 */
/* Byte order for code built both as BPF and as userspace. */
#ifndef FP_PARSER_BYTEORDER_H
#define FP_PARSER_BYTEORDER_H

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define fp_htons(x) ((__be16)__builtin_bswap16(x))
#define fp_ntohs(x) ((__u16)__builtin_bswap16(x))
#define fp_htonl(x) ((__be32)__builtin_bswap32(x))
#define fp_ntohl(x) ((__u32)__builtin_bswap32(x))
#else
#define fp_htons(x) ((__be16)(x))
#define fp_ntohs(x) ((__u16)(x))
#define fp_htonl(x) ((__be32)(x))
#define fp_ntohl(x) ((__u32)(x))
#endif

#endif
