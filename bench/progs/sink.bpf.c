// SPDX-License-Identifier: GPL-2.0
/*
 * The sink: counts every frame that reaches its device, per CPU, and
 * drops it. Attached in native mode to the veth that the device under
 * test forwards into; fpbench finds its counter through the program
 * attached there, so nothing is pinned.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fpb_count);
} sink_count SEC(".maps");

SEC("xdp")
int fpb_sink(struct xdp_md *ctx)
{
	struct fpb_count *c;
	__u32 zero = 0;

	c = bpf_map_lookup_elem(&sink_count, &zero);
	if (c) {
		c->packets++;
		c->bytes += ctx->data_end - ctx->data;
	}
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
