/* SPDX-License-Identifier: GPL-2.0 */
/* What the tunnel encap and decap stages share: the outer headers as they
 * lie on the wire, and the ones' complement sums over them. */
#ifndef FP_PROGS_TUNNEL_BPF_H
#define FP_PROGS_TUNNEL_BPF_H

#include "common.bpf.h"
#include "proto.h"
#include "tunnel.h"

/* The GRE checksum covers the whole GRE packet: read in chunks this big
 * (on the stack), at most this many: up to 16 KB. A longer packet
 * (GSO) cannot have its checksum computed here. */
#define FP_TUN_CSUM_CHUNK 128
#define FP_TUN_CSUM_CHUNKS 128

/* The first headers of an encapsulated packet, up to GRE's optional
 * words: 38 bytes, written in one go. */
struct fp_tun_outer {
	__u8 eth_dst[6];
	__u8 eth_src[6];
	__be16 eth_proto;
	struct iphdr ip;
	__be16 gre_flags;
	__be16 gre_proto;
} __attribute__((packed));

_Static_assert(sizeof(struct fp_tun_outer) == 38, "outer header layout");

static __always_inline __u16 fp_csum_fold(__u64 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

struct fp_csum_walk {
	struct __sk_buff *skb;
	__u32 pos; /* next byte to sum */
	__u32 len;
	__s64 sum; /* negative: a helper failed */
};

/* One chunk of fp_skb_csum(), as a bpf_loop() callback: the verifier
 * checks it once, not once per chunk. */
static long fp_csum_chunk(__u64 i, struct fp_csum_walk *w)
{
	/* A last chunk's length rounded up to 4 may read 3 bytes more. */
	__u8 buf[FP_TUN_CSUM_CHUNK + 4];
	__u32 n;

	(void)i;
	if (w->pos >= w->len)
		return 1;
	n = w->len - w->pos;
	if (n >= FP_TUN_CSUM_CHUNK) {
		if (bpf_skb_load_bytes(w->skb, w->pos, buf, FP_TUN_CSUM_CHUNK))
			goto fail;
		w->sum = bpf_csum_diff(NULL, 0, (__be32 *)buf,
				       FP_TUN_CSUM_CHUNK, (__u32)w->sum);
	} else {
		__builtin_memset(buf, 0, sizeof(buf));
		/* 1 to 127, in a form the verifier can bound */
		n = ((n - 1) & (FP_TUN_CSUM_CHUNK - 1)) + 1;
		if (bpf_skb_load_bytes(w->skb, w->pos, buf, n))
			goto fail;
		w->sum = bpf_csum_diff(NULL, 0, (__be32 *)buf, (n + 3) & ~3u,
				       (__u32)w->sum);
	}
	if (w->sum < 0)
		return 1;
	w->pos += FP_TUN_CSUM_CHUNK;
	return 0;
fail:
	w->sum = -1;
	return 1;
}

/*
 * Ones' complement sum (folded, not inverted) of the packet's bytes from
 * @off to its end; a last partial chunk is read into zeroed bytes, as the
 * sum pads an odd length. -1 if the packet is too long or unreadable.
 */
static __always_inline int fp_skb_csum(struct __sk_buff *skb, __u32 off)
{
	struct fp_csum_walk w = { .skb = skb, .pos = off, .len = skb->len };

	bpf_loop(FP_TUN_CSUM_CHUNKS, fp_csum_chunk, &w, 0);
	if (w.sum < 0 || w.pos < w.len)
		return -1;
	return fp_csum_fold((__u32)w.sum);
}

#endif
