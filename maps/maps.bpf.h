/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every map of a datapath, declared once. Each stage object includes this
 * file; all maps are pinned by name under the datapath's bpffs directory, so
 * the loader's first object creates them and every later object (and every
 * later load, on upgrade) reuses the same maps.
 */
#ifndef FP_MAPS_MAPS_BPF_H
#define FP_MAPS_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "flow_key.h"
#include "flow_key_compact.h"
#include "actions.h"
#include "flow_stats.h"
#include "ports.h"
#include "counters.h"
#include "dp_config.h"
#include "scratch.h"
#include "tailcall.h"
#include "capacity.h"
#include "slow_actions.h"
#include "upcall_limit.h"
#include "tunnel.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FP_MAX_FLOWS);
	/* Flows are large; allocate them as they are installed. */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fp_flow_key);
	__type(value, struct fp_flow);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flow_table SEC(".maps");

/* maps/flow_key_compact.h: the flows whose keys are compact, again. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FP_MAX_FLOWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fp_flow_key_compact);
	__type(value, struct fp_flow);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flow_compact SEC(".maps");

/* maps/slow_actions.h: no stage reads it; the slow path does. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FP_MAX_FLOWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fp_flow_key);
	__type(value, struct fp_slow_actions);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} slow_actions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct fp_flow_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flow_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fp_scratch);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, FP_SLOT_MAX);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tail_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} upcalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FP_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fp_port);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FP_MAX_PORTS);
	__type(key, __u32); /* ifindex */
	__type(value, __u32); /* port number */
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} port_by_ifindex SEC(".maps");

/*
 * The same for the ifindexes below FP_PORT_IFINDEX_DIRECT, as an array:
 * the parser looks the input port up on every packet, and an array costs
 * it no hash. 0: not a port here, ask port_by_ifindex (which stays the
 * whole truth; a datapath loaded by an older build has only it).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FP_PORT_IFINDEX_DIRECT);
	__type(key, __u32); /* ifindex */
	__type(value, __u32); /* port number */
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} port_by_ifidx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fp_port_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} port_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fp_dp_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} dp_config SEC(".maps");

/* maps/upcall_limit.h: each port's upcall token bucket and what it let
 * through. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FP_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fp_upcall_limit);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} upcall_limit SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fp_upcall_port_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} upcall_port_stats SEC(".maps");

/* maps/tunnel.h: each tunnel port's configuration, by port number. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FP_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fp_tunnel_port);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tunnels SEC(".maps");

/* The tunnel ports that end at an incoming packet's outer addresses. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FP_MAX_PORTS);
	__type(key, struct fp_tun_endpoint_key);
	__type(value, struct fp_tun_endpoint);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tun_endpoints SEC(".maps");

#endif
