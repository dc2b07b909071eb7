// SPDX-License-Identifier: GPL-2.0
/*
 * What a hash-map lookup costs by key size, for fpbench micro: flowpath's
 * flow table is keyed by the whole 192-byte flow key, hashed and compared
 * on every packet; port_by_ifindex by a 4-byte ifindex. Each program looks up the key held in its per-CPU
 * array (so that nothing is known at compile time) in a hash map shaped
 * as flow_table is (BPF_F_NO_PREALLOC, FP_MAX_FLOWS entries) whose only
 * key is that one: a hit. fpb_key_only does the array lookup alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "capacity.h"

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

#define KEYSIZE(n)                                                       \
	struct fpb_key##n {                                              \
		__u8 b[n];                                               \
	};                                                               \
	struct {                                                         \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                 \
		__uint(max_entries, 1);                                  \
		__type(key, __u32);                                      \
		__type(value, struct fpb_key##n);                        \
	} key##n SEC(".maps");                                           \
	struct {                                                         \
		__uint(type, BPF_MAP_TYPE_HASH);                         \
		__uint(max_entries, FP_MAX_FLOWS);                       \
		__uint(map_flags, BPF_F_NO_PREALLOC);                    \
		__type(key, struct fpb_key##n);                          \
		__type(value, __u64);                                    \
	} table##n SEC(".maps");                                         \
	SEC("tc")                                                        \
	int fpb_hash##n(struct __sk_buff *skb)                           \
	{                                                                \
		__u32 zero = 0;                                          \
		struct fpb_key##n *k = bpf_map_lookup_elem(&key##n, &zero); \
                                                                         \
		if (!k)                                                  \
			return TC_ACT_SHOT;                              \
		return bpf_map_lookup_elem(&table##n, k) ? TC_ACT_OK :   \
							   TC_ACT_SHOT;  \
	}

KEYSIZE(4)
KEYSIZE(16)
KEYSIZE(48)
KEYSIZE(96)
KEYSIZE(192)

SEC("tc")
int fpb_key_only(struct __sk_buff *skb)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&key192, &zero) ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
