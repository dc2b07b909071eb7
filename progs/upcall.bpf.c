// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: upcall. Sends the key and the packet to the slow path on the perf
 * buffer, within the in_port's upcall budget (maps/upcall_limit.h). The
 * slow path re-injects what it wants forwarded, so the packet itself is
 * dropped, unless the datapath is configured to pass misses on.
 */
#include "common.bpf.h"

/* May @port upcall now? Takes a token from its bucket if so. */
static __always_inline bool fp_upcall_allowed(__u32 port)
{
	struct fp_upcall_limit *l = bpf_map_lookup_elem(&upcall_limit, &port);
	__u64 now, tat;
	bool ok = true;

	/* No bucket: an in_port beyond the ports array, which no
	 * configuration can name either. */
	if (!l)
		return true;
	/* Before the lock: no helper call may run while it is held. */
	now = bpf_ktime_get_ns();
	bpf_spin_lock(&l->lock);
	if (l->interval_ns) {
		tat = l->tat_ns > now ? l->tat_ns : now;
		ok = tat + l->interval_ns - now <= l->tau_ns;
		if (ok)
			l->tat_ns = tat + l->interval_ns;
	}
	bpf_spin_unlock(&l->lock);
	return ok;
}

SEC("tc")
int fp_upcall_stage(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	struct fp_upcall_port_stats *ps;
	struct fp_dp_config *cfg;
	struct fp_upcall up;
	__u32 zero = 0, port;
	__u64 flags;
	__u32 reason = skb->cb[FP_CB_UPCALL_REASON];

	if (!s)
		return TC_ACT_SHOT;

	port = s->key.in_port;
	ps = bpf_map_lookup_elem(&upcall_port_stats, &port);
	if (!fp_upcall_allowed(port)) {
		fp_count(FP_CNT_UPCALL_RATE_LIMITED);
		if (ps)
			ps->rate_limited++;
		goto verdict;
	}

	up.reason = reason;
	up.in_port = port;
	up.pkt_len = skb->len;
	up.cap_len = skb->len < FP_UPCALL_MAX_PKT ? skb->len : FP_UPCALL_MAX_PKT;
	up.key = s->key;

	/* The upper 32 bits of flags ask the helper to append that many
	 * bytes of the packet after the header. */
	flags = BPF_F_CURRENT_CPU | ((__u64)up.cap_len << 32);
	if (bpf_perf_event_output(skb, &upcalls, flags, &up, sizeof(up))) {
		fp_count(FP_CNT_UPCALL_LOST);
		if (ps)
			ps->lost++;
	} else {
		fp_count(FP_CNT_UPCALL);
		if (ps)
			ps->upcalls++;
	}

verdict:
	if (reason != FP_UPCALL_MISS)
		return TC_ACT_SHOT;
	cfg = bpf_map_lookup_elem(&dp_config, &zero);
	if (cfg && cfg->miss_verdict == FP_MISS_PASS)
		return TC_ACT_OK;
	fp_count(FP_CNT_MISS_DROP);
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
