// SPDX-License-Identifier: GPL-2.0
/*
 * The traffic generator: run by fpbench under BPF_PROG_TEST_RUN in
 * live-frames mode (BPF_F_TEST_XDP_LIVE_FRAMES), where XDP_TX transmits
 * the frame out of the ctx's ingress device, a veth whose peer is the
 * device under test. With n_flows > 1, frame k is flow k % n_flows, its
 * source address and port as bench.h maps them: n_flows distinct flows,
 * round robin. The UDP checksum is zero (none, as IPv4 allows); the IPv4
 * header checksum follows the source address.
 *
 * In live-frames mode a frame's page is recycled without its bytes being
 * reset, and the device under test forwards the very page: a system that
 * rewrites a header in place (set eth dst) would change the next frames
 * sent from it. So every frame gets its headers written afresh from hdr,
 * which fpbench fills with the frame it built.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "bench.h"

const volatile __u32 n_flows = 1;
/* Not const: the compiler would take a const template for its zeros. */
__u8 hdr[FPB_HDRS_LEN];
/*
 * Frames per second to transmit, 0: all. Above it the program drops the
 * frame itself (a token bucket of one test-run batch): a frame refused by
 * the DUT's full ring would go back to the page pool under a lock that
 * the DUT's CPU contends for (bench/run.sh).
 */
__u64 rate_pps;

struct fpb_bucket {
	__u64 last_ns;
	__u64 tokens; /* in 1/1e9 frame */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fpb_bucket);
} gen_bucket SEC(".maps");

#define BURST 64ULL /* frames: one test-run batch */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fpb_count);
} gen_count SEC(".maps");

SEC("xdp")
int fpb_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fpb_count *c;
	__u32 zero = 0;
	__u64 n;

	c = bpf_map_lookup_elem(&gen_count, &zero);
	if (!c)
		return XDP_ABORTED;
	/* Tokens count in billionths of a frame, time in ns. */
	if (rate_pps) {
		struct fpb_bucket *b = bpf_map_lookup_elem(&gen_bucket, &zero);
		__u64 now = bpf_ktime_get_ns();

		if (!b)
			return XDP_ABORTED;
		/* A long pause refills the bucket, without overflowing. */
		if (now - b->last_ns > 1000000)
			b->tokens = BURST * 1000000000ULL;
		else
			b->tokens += (now - b->last_ns) * rate_pps;
		b->last_ns = now;
		if (b->tokens > BURST * 1000000000ULL)
			b->tokens = BURST * 1000000000ULL;
		if (b->tokens < 1000000000ULL)
			return XDP_DROP;
		b->tokens -= 1000000000ULL;
	}
	n = c->packets++;
	c->bytes += data_end - data;
	if (data + FPB_HDRS_LEN > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(data, hdr, FPB_HDRS_LEN);
	if (n_flows > 1)
		fpb_set_flow(data + FPB_ETH_HLEN,
			     (__u16)(hdr[FPB_ETH_HLEN + 10] << 8 |
				     hdr[FPB_ETH_HLEN + 11]),
			     n % n_flows);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
