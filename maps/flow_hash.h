/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hash of the hash(l4(basis)) action, computed alike by the BPF stage
 * and by userspace (tests, the slow path): Bob Jenkins' lookup3 over
 * 32-bit words (the kernel's jhash2), of the key's L3 addresses, IP
 * protocol and L4 ports, seeded with the basis.
 *
 * Why not bpf_get_hash_recalc(): the kernel's skb hash is seeded with a
 * random number at boot, so a flow keyed on dp_hash(X) would only be
 * right until the next boot, and no test could know X. This one depends
 * on the 5-tuple and the basis only. As OVS does, 0 is never the result
 * (it would read as "no hash").
 */
#ifndef FP_MAPS_FLOW_HASH_H
#define FP_MAPS_FLOW_HASH_H

#include "flow_key.h"

#define FP_JHASH_INITVAL 0xdeadbeefu

static inline __u32 fp_rol32(__u32 w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

#define FP_JHASH_MIX(a, b, c)                          \
	do {                                           \
		a -= c; a ^= fp_rol32(c, 4); c += b;   \
		b -= a; b ^= fp_rol32(a, 6); a += c;   \
		c -= b; c ^= fp_rol32(b, 8); b += a;   \
		a -= c; a ^= fp_rol32(c, 16); c += b;  \
		b -= a; b ^= fp_rol32(a, 19); a += c;  \
		c -= b; c ^= fp_rol32(b, 4); b += a;   \
	} while (0)

#define FP_JHASH_FINAL(a, b, c)                  \
	do {                                     \
		c ^= b; c -= fp_rol32(b, 14);    \
		a ^= c; a -= fp_rol32(c, 11);    \
		b ^= a; b -= fp_rol32(a, 25);    \
		c ^= b; c -= fp_rol32(b, 16);    \
		a ^= c; a -= fp_rol32(c, 4);     \
		b ^= a; b -= fp_rol32(a, 14);    \
		c ^= b; c -= fp_rol32(b, 24);    \
	} while (0)

/* Words hashed: 8 of addresses (IPv4 in the first two), the ports, the
 * protocol. */
#define FP_FLOW_HASH_WORDS 10

static inline __u32 fp_flow_hash_l4(const struct fp_flow_key *key,
				    __u32 basis)
{
	__u32 w[FP_FLOW_HASH_WORDS], a, b, c;
	const __u8 *nw = (const __u8 *)&key->nw;
	int i;

	for (i = 0; i < 8; i++)
		w[i] = (__u32)nw[4 * i] | (__u32)nw[4 * i + 1] << 8 |
		       (__u32)nw[4 * i + 2] << 16 | (__u32)nw[4 * i + 3] << 24;
	w[8] = (__u32)key->tp_src | (__u32)key->tp_dst << 16;
	w[9] = key->nw_proto;

	a = b = c = FP_JHASH_INITVAL + (FP_FLOW_HASH_WORDS << 2) + basis;
	for (i = 0; i < 9; i += 3) {
		a += w[i];
		b += w[i + 1];
		c += w[i + 2];
		FP_JHASH_MIX(a, b, c);
	}
	a += w[9];
	FP_JHASH_FINAL(a, b, c);
	return c ? c : 1;
}

#endif
