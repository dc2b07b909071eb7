/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Upcall fairness: each port's upcalls pass a token bucket in the upcall
 * stage, so that a flood of new flows on one port cannot take all of the
 * slow path's capacity (and all of the perf buffer) from the others.
 *
 * The bucket is kept as GCRA (the "virtual scheduling" form of a token
 * bucket): one timestamp, tat_ns, the time at which the bucket would be
 * full again. An upcall at time now is allowed if
 *	max(tat_ns, now) + interval_ns - now <= tau_ns
 * and then moves tat_ns on by interval_ns; so at most @burst upcalls pass
 * back to back, and @rate per second in the long run. Userspace does the
 * divisions (interval_ns = 1e9 / rate, tau_ns = burst * interval_ns), the
 * stage only adds and compares.
 *
 * One bucket per port for all CPUs, under a bpf_spin_lock, rather than one
 * per CPU with the rate split between CPUs: a flood arriving on one CPU
 * (one veth sender, one RSS queue) would otherwise get rate/ncpu and
 * burst/ncpu, and the limit would depend on how the traffic is spread. The
 * lock is per port and taken only on the upcall path, which already costs
 * a perf sample of the whole packet.
 */
#ifndef FP_MAPS_UPCALL_LIMIT_H
#define FP_MAPS_UPCALL_LIMIT_H

#include "types.h"

#ifndef __bpf__
#include <linux/bpf.h> /* struct bpf_spin_lock */
#endif

/* What `flowpath load` sets when not told otherwise: upcalls per second
 * and burst, per port (README: Upcall limits). */
#define FP_UPCALL_RATE_DEFAULT 2000
#define FP_UPCALL_BURST_DEFAULT 500
/* Above this, 1e9 / rate would round to an interval of 0 ns. */
#define FP_UPCALL_RATE_MAX 1000000000u

/* Value of the upcall_limit array, indexed by port number. */
struct fp_upcall_limit {
	struct bpf_spin_lock lock;
	__u32 rate; /* upcalls per second; 0: no limit */
	__u32 burst; /* upcalls allowed back to back */
	__u32 pad;
	__u64 interval_ns; /* 1e9 / rate; 0: no limit */
	__u64 tau_ns; /* burst * interval_ns */
	__u64 tat_ns; /* bpf_ktime_get_ns() at which the bucket is full */
};

/* Per-CPU value of the upcall_port_stats array, indexed by port number. */
struct fp_upcall_port_stats {
	__u64 upcalls; /* sample written */
	__u64 rate_limited; /* refused by the port's bucket */
	__u64 lost; /* bpf_perf_event_output failed: ring full, no reader */
};

_Static_assert(sizeof(struct fp_upcall_limit) == 40, "upcall limit layout");

#endif
