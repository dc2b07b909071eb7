// SPDX-License-Identifier: GPL-2.0
#include "exec.h"

/* The socket of output @a's port on this thread's queue, or NULL when the
 * output is not done (counted as progs/output.bpf.c counts it). */
static struct fp_xsk *output_target(struct fp_afxdp_thread *t, struct fp_xsk *x,
				    const struct fp_action *a,
				    const struct fp_flow_key *key)
{
	__u32 port = a->u.output.port;

	if (port == key->in_port &&
	    !(a->u.output.flags & FP_OUTPUT_F_IN_PORT)) {
		/* OVS never reflects a packet unless the flow says so. */
		x->st.cnt[FP_CNT_OUTPUT_IN_PORT]++;
		return NULL;
	}
	if (port < 1 || port > t->n_xsks) {
		x->st.cnt[FP_CNT_OUTPUT_NO_PORT]++;
		return NULL;
	}
	return t->xsks[port - 1];
}

bool fp_afxdp_exec(struct fp_afxdp_thread *t, struct fp_xsk *x,
		   struct fp_pkt_meta *m, struct fp_uflow *f)
{
	unsigned char *data = (unsigned char *)x->area + m->addr + m->off;
	const struct fp_action *acts;
	bool sent = false, reused = false;
	struct fp_xsk *o;
	__u32 n, i;

	acts = fp_uflow_actions(f, &n);
	if (!n)
		x->st.cnt[FP_CNT_DROP_ACTION]++;
	for (i = 0; i < n; i++) {
		const struct fp_action *a = &acts[i];

		if (a->type != FP_ACT_OUTPUT) {
			x->st.cnt[FP_CNT_BAD_ACTION]++;
			break;
		}
		o = output_target(t, x, a, &m->key);
		if (!o)
			continue;
		if (o == x && i + 1 == n) {
			/* Last, and out of the umem it came in on: the
			 * frame itself goes, no copy. */
			reused = fp_afxdp_tx(x, m->addr + m->off, m->len);
			sent |= reused;
		} else {
			sent |= fp_afxdp_tx_copy(o, data, m->len);
		}
	}
	if (!reused)
		fp_umem_pool_put1(&x->pool, m->addr);
	return sent;
}
