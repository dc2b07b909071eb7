// SPDX-License-Identifier: GPL-2.0
/*
 * A flow's actions on a received frame, by lib/pkt_exec (the userspace
 * executor of the BPF action stages), in the frame itself: the kernel
 * leaves XDP_PACKET_HEADROOM in front of every received packet, room for
 * push_vlan. Outputs before the last send copies into the out port's
 * umem; the last output, when it is also the last action, sends the frame
 * itself if it leaves by the socket it came in on (same umem), else one
 * copy, and the frame goes back to the pool.
 */
#include <errno.h>

#include "exec.h"
#include "parse_cursor.h"
#include "pkt_exec.h"

/* pkt_exec's output callback: a copy out of @port on this queue. */
static int output_copy(void *arg, __u32 port, const void *data, __u32 len)
{
	struct fp_afxdp_thread *t = arg;

	if (port < 1 || port > t->n_xsks)
		return -ENODEV;
	if (!fp_afxdp_tx_copy(t->xsks[port - 1], data, len))
		return -ENOBUFS;
	t->sent = true;
	return 0;
}

void fp_afxdp_exec_init(struct fp_afxdp_thread *t)
{
	t->exec.output = output_copy;
	t->exec.arg = t;
	t->exec.counters = NULL; /* the receiving socket's, per packet */
}

/* The list's last action, an output: as progs/output.bpf.c decides it,
 * then the frame itself if it can go. Returns whether the frame went. */
static bool output_last(struct fp_afxdp_thread *t, struct fp_xsk *x,
			struct fp_pkt_meta *m, const struct fp_pkt *pkt,
			const struct fp_action_output *o)
{
	unsigned char *frame = (unsigned char *)x->area + m->addr;

	if (o->port == m->key.in_port && !(o->flags & FP_OUTPUT_F_IN_PORT)) {
		/* OVS never reflects a packet unless the flow says so. */
		x->st.cnt[FP_CNT_OUTPUT_IN_PORT]++;
		return false;
	}
	if (o->port < 1 || o->port > t->n_xsks) {
		x->st.cnt[FP_CNT_OUTPUT_NO_PORT]++;
		return false;
	}
	if (t->xsks[o->port - 1] != x) {
		output_copy(t, o->port, pkt->data, pkt->len);
		return false;
	}
	if (!fp_afxdp_tx(x, m->addr + (__u64)(pkt->data - frame), pkt->len))
		return false;
	t->sent = true;
	return true;
}

bool fp_afxdp_exec(struct fp_afxdp_thread *t, struct fp_xsk *x,
		   struct fp_pkt_meta *m, struct fp_uflow *f)
{
	struct fp_pkt pkt = {
		.data = (unsigned char *)x->area + m->addr + m->off,
		.len = m->len,
		.headroom = m->off,
	};
	const struct fp_action *acts, *last;
	bool reused = false;
	unsigned int recircs = 0;
	__u32 n;
	int verdict;

	t->sent = false;
	t->exec.counters = x->st.cnt;
	for (;;) {
		acts = fp_uflow_actions(f, &n);
		last = n && acts[n - 1].type == FP_ACT_OUTPUT ? &acts[n - 1] :
								NULL;
		/* A lone output needs no executor. */
		verdict = last && n == 1 ?
				  FP_PKT_DONE :
				  fp_pkt_exec(&t->exec, &pkt, &m->key, acts,
					      last ? n - 1 : n);
		if (verdict == FP_PKT_DONE && last)
			reused = output_last(t, x, m, &pkt, &last->u.output);
		if (verdict != FP_PKT_RECIRC)
			break;
		/* recirc(id): parsed again, looked up again, as the BPF
		 * recirc stage does; a loop in the flows ends here. */
		if (++recircs >= FP_PKT_MAX_RECIRC) {
			x->st.cnt[FP_CNT_BUDGET_DROP]++;
			break;
		}
		if (fp_pkt_reparse(&pkt, &m->key) != FP_PARSE_OK) {
			x->st.cnt[FP_CNT_PARSE_INCOMPLETE]++;
			break;
		}
		f = fp_afxdp_lookup(t, x, &m->key);
		if (!f)
			break;
		f->packets++;
		f->bytes += pkt.len;
	}
	if (!reused)
		fp_umem_pool_put1(&x->pool, m->addr);
	return t->sent;
}
