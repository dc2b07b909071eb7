// SPDX-License-Identifier: GPL-2.0
/*
 * The tail-call budget, against the real kernel limit.
 *
 * The kernel runs at most 33 tail calls per packet (MAX_TAIL_CALL_CNT);
 * flowpath counts its own in skb->cb[1] and lookup refuses, before any
 * action runs, a flow whose action list would not fit: the packet goes to
 * the slow path (tail_call_budget) instead of stopping halfway.
 *
 * - the limit itself, measured: a program tail-calls itself until refused;
 * - the worst case from the parser: a flow of 32 outputs (31 clones and a
 *   redirect) has all 33 tail calls to itself and every action runs (the
 *   last output runs inline in the stage before it, so 32 are taken; the
 *   budget still counts it, so a stage may take it in a later version);
 * - the edges: a test-only stage (progs/tail_burn.bpf.c) burns N real tail
 *   calls and enters recirc with cb[1] = N, so a flow of k actions needs
 *   N + 2 + k tail calls. At 33 the chain completes; one more and lookup
 *   sends it to the slow path; with none left even for that, it is
 *   counted budget_drop; and past that, the kernel itself refuses;
 * - the same edge for flows with an output to a tunnel port first, in the
 *   middle and last: it costs two tail calls, and is charged so.
 */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "test.h"
#include "tunnel_port.h"
#include "progs/tail_burn.h"

#define PCAP "dp_ipv4_udp.pcap"
#define IN_PORT 1
#define N_PORTS 4

struct burner {
	struct bpf_object *obj;
	int fd;
};

/*
 * Load the burner with its maps bound to the test datapath's pins (so it
 * shares scratch, tail_calls and counters with the real stages) and put
 * it in its prog-array slot.
 */
static int burner_load(struct fp_h *h, struct burner *b)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = h->dp.dir);
	struct bpf_program *prog;
	char path[4096];
	__u32 slot = FPT_BURN_SLOT, id;
	int err;

	b->obj = NULL;
	b->fd = -1;
	err = fp_h_exe_relative(path, sizeof(path), "progs/tail_burn.bpf.o");
	if (err)
		return err;
	/* Not a slot some stage took meanwhile. */
	if (!bpf_map_lookup_elem(h->dp.map_fd[FP_MAP_TAIL_CALLS], &slot, &id)) {
		fp_test_report(false, "burner slot",
			       "prog-array slot %u is taken (program id %u)",
			       slot, id);
		return -EBUSY;
	}
	b->obj = bpf_object__open_file(path, &opts);
	if (!b->obj) {
		err = -errno;
		fp_test_report(false, "burner open", "%s: %s", path,
			       strerror(-err));
		return err;
	}
	err = bpf_object__load(b->obj);
	if (err) {
		fp_test_report(false, "burner load", "%s: %s", path,
			       strerror(-err));
		return err;
	}
	prog = bpf_object__find_program_by_name(b->obj, "fpt_tail_burn");
	b->fd = prog ? bpf_program__fd(prog) : -ENOENT;
	if (b->fd < 0)
		return b->fd;
	if (bpf_map_update_elem(h->dp.map_fd[FP_MAP_TAIL_CALLS], &slot, &b->fd,
				BPF_ANY))
		return -errno;
	return 0;
}

static void burner_unload(struct fp_h *h, struct burner *b)
{
	__u32 slot = FPT_BURN_SLOT;

	bpf_map_delete_elem(h->dp.map_fd[FP_MAP_TAIL_CALLS], &slot);
	bpf_object__close(b->obj);
	b->obj = NULL;
}

/* "2,3,4,2,3,..." : @k outputs spread over ports 2..N_PORTS; @per_port
 * gets how many copies each port must send. Returns the last one's port,
 * which gets the packet itself. */
static int spread_actions(char *buf, size_t len, int k, long long *per_port)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	memset(per_port, 0, (N_PORTS + 1) * sizeof(*per_port));
	for (i = 0; i < k && off < len; i++) {
		int port = 2 + i % (N_PORTS - 1);

		off += snprintf(buf + off, len - off, "%s%d", i ? "," : "",
				port);
		per_port[port]++;
	}
	return 2 + (k - 1) % (N_PORTS - 1);
}

struct run {
	struct fp_h_result res;
	struct fp_h_snap s0, s1;
};

/* One packet into @prog_fd with cb = @cb, everything read around it. */
static bool run_one(struct fp_h *h, const char *what, int prog_fd,
		    const struct fp_h_pkt *pkt, const __u32 *cb, struct run *r)
{
	int err;

	fp_h_upcalls_clear(&h->up);
	err = fp_h_snap(h, &r->s0);
	if (!err)
		err = fp_h_test_run(prog_fd, fp_h_port(h, IN_PORT)->ifindex,
				    pkt->data, pkt->len, cb, &r->res);
	if (!err)
		err = fp_h_snap(h, &r->s1);
	if (err)
		return fp_test_report(false, what, "test_run: %s",
				      strerror(-err));
	return true;
}

static void check_verdict(const char *what, const struct run *r, int want)
{
	char label[256];

	snprintf(label, sizeof(label), "%s: verdict", what);
	fp_test_report(r->res.retval == (__u32)want, label,
		       "%s (%u), expected %s", fp_h_verdict_name(r->res.retval),
		       r->res.retval, fp_h_verdict_name(want));
}

/*
 * Every port sent exactly @per_port[port] copies (port_stats), and all of
 * them but the one redirected to @redirect_port (0: none) were clones that
 * really left the device: proof that every action ran.
 */
static void check_tx(struct fp_h *h, const char *what, const struct run *r,
		     const long long *per_port, int redirect_port)
{
	char label[256], msg[512] = "";
	long long sum = 0, want = 0, wire = 0, want_wire = 0;
	size_t off = 0;
	int i;

	for (i = 1; i <= h->n_ports; i++) {
		long long d = fp_h_tx_delta(&r->s0, &r->s1, i);
		long long w = fp_h_wire_delta(&r->s0, &r->s1, i);
		long long ww = per_port[i] - (i == redirect_port);

		sum += d;
		want += per_port[i];
		wire += w;
		want_wire += ww;
		if ((d != per_port[i] || w != ww) && off < sizeof(msg))
			off += snprintf(msg + off, sizeof(msg) - off,
					"%sport %d sent %lld, %lld on the wire (expected %lld, %lld)",
					off ? ", " : "", i, d, w, per_port[i],
					ww);
	}
	snprintf(label, sizeof(label), "%s: %lld copies sent, %lld clones",
		 what, want, want_wire);
	fp_test_report(!off && sum == want && wire == want_wire, label,
		       "%s; %lld and %lld in all", msg, sum, wire);
}

/* No record on the perf buffer, not even late. */
static void check_no_upcall(struct fp_h *h, const char *what)
{
	char label[256];

	snprintf(label, sizeof(label), "%s: no upcall", what);
	ASSERT_EQ(fp_h_upcalls_collect(&h->up, 0, 0, 50), 0, label);
}

/* The limit itself: how many tail calls does the kernel allow? */
static void test_kernel_limit(struct fp_h *h, const struct burner *b,
			      const struct fp_h_pkt *pkt)
{
	__u32 cb[5] = { [FPT_CB_MODE] = FPT_BURN_PROBE };
	struct run *r = calloc(1, sizeof(*r));

	if (r && run_one(h, "probe", b->fd, pkt, cb, r))
		fp_test_report(r->res.retval == FP_TAIL_CALL_LIMIT,
			       "the kernel allows FP_TAIL_CALL_LIMIT (33) tail calls per packet",
			       "measured %u", r->res.retval);
	free(r);
}

/* The longest chain a packet from a port can take: 32 actions. */
static void test_32_actions(struct fp_h *h, const struct fp_h_pkt *pkt)
{
	long long per_port[N_PORTS + 1], want[FP_CNT_MAX] = {};
	struct run *r = calloc(1, sizeof(*r));
	const char *what = "32 outputs from the parser";
	struct fp_flow_stats st;
	struct fp_flow_key key;
	char acts[256];
	int last;

	if (!r)
		return;
	last = spread_actions(acts, sizeof(acts), FP_MAX_ACTIONS, per_port);
	fp_h_key_of(pkt->data, pkt->len, IN_PORT, &key);
	if (fp_h_flow_add(h, &key, acts, true))
		goto out;
	if (!run_one(h, what, h->parser_fd, pkt, NULL, r))
		goto del;
	check_verdict(what, r, TC_ACT_REDIRECT);
	check_tx(h, what, r, per_port, last);
	/* hit, and nothing else: no tail_call_failed, no budget. */
	want[FP_CNT_HIT] = 1;
	fp_h_check_counters(&r->s0, &r->s1, want, "32 outputs: counters");
	ASSERT_EQ(r->res.cb[1], FP_TAIL_CALL_LIMIT - 1,
		  "32 outputs: the chain took every tail call but the last output's, run inline (cb[1])");
	fp_h_flow_stats(h, &key, &st);
	ASSERT_EQ(st.packets, 1, "32 outputs: flow stats packets");
	ASSERT_EQ(st.bytes, pkt->len, "32 outputs: flow stats bytes");
	ASSERT_BYTES(r->res.data, r->res.len, pkt->data, pkt->len,
		     "32 outputs: bytes unchanged");
	check_no_upcall(h, what);
del:
	fp_h_flow_del(h, &key);
out:
	free(r);
}

/*
 * A flow of @k actions reached through recirc after @n burned tail calls:
 * n + 2 + k <= 33 must complete; n + 2 + k = 34 must go to the slow path.
 */
/*
 * @burned tail calls burned before the flow's lookup, one more than its
 * list allows: lookup sends the packet up before any action runs, and
 * nothing leaves.
 */
static void check_one_too_many(struct fp_h *h, const struct burner *b,
			       const struct fp_h_pkt *pkt, __u32 burned,
			       const char *what, struct run *r)
{
	long long none[N_PORTS + 1] = {}, want[FP_CNT_MAX] = {
		[FP_CNT_HIT] = 1,
		[FP_CNT_TAIL_CALL_BUDGET] = 1,
		[FP_CNT_UPCALL] = 1,
	};
	__u32 cb[5] = { [FPT_CB_TARGET] = burned };
	char label[256];

	if (!run_one(h, what, b->fd, pkt, cb, r))
		return;
	check_verdict(what, r, TC_ACT_SHOT);
	check_tx(h, what, r, none, 0);
	snprintf(label, sizeof(label), "%s: counters", what);
	fp_h_check_counters(&r->s0, &r->s1, want, label);
	fp_h_check_upcall(h, what, pkt, IN_PORT, FP_UPCALL_TAIL_BUDGET);
}

static void test_budget_edge(struct fp_h *h, const struct burner *b,
			     const struct fp_h_pkt *pkt, int k)
{
	long long per_port[N_PORTS + 1];
	long long want[FP_CNT_MAX] = {};
	struct run *r = calloc(1, sizeof(*r));
	__u32 n = FP_TAIL_CALL_LIMIT - 2 - k;
	__u32 cb[5] = { [FPT_CB_TARGET] = n };
	struct fp_flow_key key;
	char acts[256], what[128], label[256];
	int last;

	if (!r)
		return;
	last = spread_actions(acts, sizeof(acts), k, per_port);
	fp_h_key_of(pkt->data, pkt->len, IN_PORT, &key);
	if (fp_h_flow_add(h, &key, acts, true))
		goto out;

	snprintf(what, sizeof(what), "%u burned + recirc + lookup + %d actions",
		 n, k);
	if (run_one(h, what, b->fd, pkt, cb, r)) {
		check_verdict(what, r, TC_ACT_REDIRECT);
		check_tx(h, what, r, per_port, last);
		want[FP_CNT_HIT] = 1;
		snprintf(label, sizeof(label), "%s: counters", what);
		fp_h_check_counters(&r->s0, &r->s1, want, label);
		snprintf(label, sizeof(label),
			 "%s: 33 tail calls, the last output's run inline (cb[1])",
			 what);
		ASSERT_EQ(r->res.cb[1], FP_TAIL_CALL_LIMIT - 1, label);
		check_no_upcall(h, what);
	}

	snprintf(what, sizeof(what),
		 "%u burned + recirc + lookup + %d actions (one too many)",
		 n + 1, k);
	check_one_too_many(h, b, pkt, n + 1, what, r);
	fp_h_flow_del(h, &key);
out:
	free(r);
}

/* A GRE port on the underlay port N_PORTS, for the tunnel edges. */
#define TUN_PORT (N_PORTS + 1)

static int add_tunnel(struct fp_h *h)
{
	struct fp_tunnel_opts o;
	char under[8];
	__u32 added;

	snprintf(under, sizeof(under), "%u", N_PORTS);
	fp_tunnel_opts_init(&o);
	o.type = FP_PORT_GRE;
	o.underlay = under;
	o.local_ip = "198.51.100.1";
	o.remote_ip = "198.51.100.2";
	o.local_mac = "02:00:00:00:01:01";
	o.remote_mac = "02:00:00:00:01:02";
	return fp_tunnel_port_add(&h->dp, "gre", TUN_PORT, &o, &added);
}

/*
 * The edge with a tunnel output among @acts (4 actions): an output to a
 * tunnel port is two tail calls (output, then tunnel_encap), and lookup
 * charges it so. One more burned than the list's real cost allows sends
 * the packet to the slow path before any copy leaves, wherever the
 * tunnel output stands in the list; at the edge every copy leaves: the
 * clones on their veths (the underlay's for an encapsulated clone), the
 * last output as the redirect.
 */
static void test_tunnel_edge(struct fp_h *h, const struct burner *b,
			     const struct fp_h_pkt *pkt, const char *acts,
			     const long long *wire)
{
	long long want[FP_CNT_MAX] = {};
	struct run *r = calloc(1, sizeof(*r));
	/* 4 actions, one of them a tunnel output: 5 tail calls. */
	__u32 n = FP_TAIL_CALL_LIMIT - 2 - 5;
	__u32 cb[5] = { [FPT_CB_TARGET] = n };
	struct fp_flow_key key;
	char what[128], label[256];
	int p;

	if (!r)
		return;
	fp_h_key_of(pkt->data, pkt->len, IN_PORT, &key);
	if (fp_h_flow_add(h, &key, acts, true))
		goto out;
	snprintf(what, sizeof(what), "%u burned + recirc + lookup + %s", n,
		 acts);
	if (run_one(h, what, b->fd, pkt, cb, r)) {
		check_verdict(what, r, TC_ACT_REDIRECT);
		for (p = 1; p <= N_PORTS; p++) {
			snprintf(label, sizeof(label),
				 "%s: clones on port %d's veth", what, p);
			ASSERT_EQ(fp_h_wire_delta(&r->s0, &r->s1, p), wire[p],
				  label);
		}
		want[FP_CNT_HIT] = 1;
		want[FP_CNT_TUN_ENCAP] = 1;
		snprintf(label, sizeof(label), "%s: counters", what);
		fp_h_check_counters(&r->s0, &r->s1, want, label);
		check_no_upcall(h, what);
	}

	snprintf(what, sizeof(what),
		 "%u burned + recirc + lookup + %s (one too many)", n + 1, acts);
	check_one_too_many(h, b, pkt, n + 1, what, r);
	fp_h_flow_del(h, &key);
out:
	free(r);
}

/*
 * Past the edge: lookup entered with all 33 spent cannot even upcall
 * (budget_drop), with or without a flow; and one more burned tail call
 * leaves recirc unable to reach lookup at all: the kernel refuses it,
 * where flowpath's count says it must.
 */
static void test_exhausted(struct fp_h *h, const struct burner *b,
			   const struct fp_h_pkt *pkt)
{
	__u32 cb[5] = { [FPT_CB_TARGET] = FP_TAIL_CALL_LIMIT - 2 };
	long long per_port[N_PORTS + 1] = {}, want[FP_CNT_MAX] = {};
	struct run *r = calloc(1, sizeof(*r));
	const char *what;
	struct fp_flow_key key;

	if (!r)
		return;
	what = "lookup at depth 33, miss";
	if (run_one(h, what, b->fd, pkt, cb, r)) {
		check_verdict(what, r, TC_ACT_SHOT);
		want[FP_CNT_MISS] = 1;
		want[FP_CNT_BUDGET_DROP] = 1;
		fp_h_check_counters(&r->s0, &r->s1, want,
				    "lookup at depth 33, miss: counters");
		check_no_upcall(h, what);
	}

	fp_h_key_of(pkt->data, pkt->len, IN_PORT, &key);
	what = "lookup at depth 33, 1-action flow";
	if (!fp_h_flow_add(h, &key, "2", true)) {
		if (run_one(h, what, b->fd, pkt, cb, r)) {
			check_verdict(what, r, TC_ACT_SHOT);
			check_tx(h, what, r, per_port, 0);
			memset(want, 0, sizeof(want));
			want[FP_CNT_HIT] = 1;
			want[FP_CNT_TAIL_CALL_BUDGET] = 1;
			want[FP_CNT_BUDGET_DROP] = 1;
			fp_h_check_counters(&r->s0, &r->s1, want,
					    "lookup at depth 33, 1-action flow: counters");
			check_no_upcall(h, what);
		}
		fp_h_flow_del(h, &key);
	}

	cb[FPT_CB_TARGET] = FP_TAIL_CALL_LIMIT - 1;
	what = "recirc at depth 33";
	if (run_one(h, what, b->fd, pkt, cb, r)) {
		check_verdict(what, r, TC_ACT_SHOT);
		memset(want, 0, sizeof(want));
		want[FP_CNT_TAIL_CALL_FAILED] = 1;
		fp_h_check_counters(&r->s0, &r->s1, want,
				    "recirc at depth 33: the kernel refuses lookup");
	}
	free(r);
}

int main(void)
{
	/* From 2: one too many for a 1-action flow leaves lookup at depth
	 * 33, with no room for the upcall either (test_exhausted). */
	static const int edges[] = { 2, 4, FP_MAX_ACTIONS - 1 };
	struct burner b = { .fd = -1 };
	struct fp_h_pcap pc;
	struct fp_h h;
	size_t i;

	fp_test_name = "test_tailcall";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fp_h_init(&h, N_PORTS))
		return 1;
	if (!ASSERT_OK(fp_h_pcap_read(PCAP, &pc), "pcap " PCAP))
		goto out;

	test_32_actions(&h, &pc.pkt[0]);
	if (ASSERT_OK(burner_load(&h, &b), "load the tail-call burner")) {
		test_kernel_limit(&h, &b, &pc.pkt[0]);
		for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
			test_budget_edge(&h, &b, &pc.pkt[1], edges[i]);
		if (REQUIRE_OK(add_tunnel(&h), "tunnel port")) {
			/* Clones per veth: 2 and 3 plain, 4 the underlay. */
			static const long long first[] = { 0, 0, 1, 1, 1 },
					       middle[] = { 0, 0, 1, 1, 1 },
					       last[] = { 0, 0, 2, 1, 0 };

			test_tunnel_edge(&h, &b, &pc.pkt[1], "5,2,3,2", first);
			test_tunnel_edge(&h, &b, &pc.pkt[1], "2,5,3,2", middle);
			test_tunnel_edge(&h, &b, &pc.pkt[1], "2,3,2,5", last);
		}
		test_exhausted(&h, &b, &pc.pkt[0]);
	}
	burner_unload(&h, &b);
	fp_h_pcap_free(&pc);
out:
	fp_h_fini(&h);
	return fp_test_exit();
}
