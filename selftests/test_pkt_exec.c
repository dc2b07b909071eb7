// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of the userspace action executor (lib/pkt_exec.h)
 * against the BPF stages: every case of test_actions (action_cases.h) and
 * test_set_field (set_field_cases.h), plus recirculation and dropping
 * cases of its own, runs through the real BPF chain under
 * BPF_PROG_TEST_RUN (selftests/harness.h) and through a minimal userspace
 * datapath on the same packet: parse (the shared parser), exact-match
 * lookup of the same flows, fp_pkt_exec(), recirculation. Both must send
 * the same bytes to the same ports, in the same order per port, and count
 * the same drops.
 *
 * BPF's copies are read where they really arrive: captured on the far end
 * of each port's veth. For that every copy must be a clone, so an action
 * list that ends in an output gets one more, to port 9, which does not
 * exist (on both sides): test_run does not transmit a redirected packet,
 * and data_out lacks a VLAN tag the kernel keeps in skb metadata.
 *
 * Not compared: the tail-call budget (a limit of the BPF chain only) and
 * the upcall of a miss (the executor is not called for one).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/pcap.h>

#include "harness.h"
#include "test.h"
#include "action_cases.h"
#include "set_field_cases.h"
#include "flow_hash.h"
#include "jhash_vectors.h"
#include "flow_table.h"
#include "odp.h"
#include "pkt_exec.h"

#define N_PORTS 3
#define MISSING_PORT 9
#define MAX_COPIES 8 /* per port per packet */

/* The counters the executor or its caller (lookup) moves. */
static const enum fp_counter compared[] = {
	FP_CNT_HIT,		FP_CNT_DROP_ACTION,   FP_CNT_OUTPUT_NO_PORT,
	FP_CNT_OUTPUT_IN_PORT,	FP_CNT_ACTION_FAILED, FP_CNT_SET_MISMATCH,
	FP_CNT_BAD_ACTION,
};

/* A case: the packets of @pcap arrive on port 1 with @flows installed. */
struct px_flow {
	const char *actions;
	const char *match; /* or NULL: the key of packet @key_pkt */
	int key_pkt;
	bool no_in_port_flag;
	bool by_hand; /* parsed without the key: odp would refuse it */
};

struct px_case {
	const char *desc;
	const char *pcap;
	struct px_flow flows[FP_H_MAX_FLOWS];
	int n_flows;
	int copies; /* each packet leaves this many times (as the case's
		     * own test expects): neither side may do nothing */
};

/* Copies of one packet, per port (index: port number). */
struct px_out {
	int n[N_PORTS + 1];
	struct fp_h_pkt pkt[N_PORTS + 1][MAX_COPIES];
};

static void px_out_free(struct px_out *o)
{
	int p, i;

	for (p = 0; p <= N_PORTS; p++)
		for (i = 0; i < o->n[p]; i++)
			free(o->pkt[p][i].data);
	memset(o, 0, sizeof(*o));
}

static void px_out_add(struct px_out *o, __u32 port, const void *data,
		       __u32 len)
{
	struct fp_h_pkt *c;

	if (port > N_PORTS || o->n[port] >= MAX_COPIES)
		return;
	c = &o->pkt[port][o->n[port]];
	c->data = malloc(len ? len : 1);
	if (!c->data)
		return;
	memcpy(c->data, data, len);
	c->len = len;
	o->n[port]++;
}

/* ---- The BPF side: captures on every port's far end ---- */

struct px_cap {
	pcap_t *pc[N_PORTS + 1];
	struct px_out *out;
	int cur;
};

static void px_cap_cb(unsigned char *user, const struct pcap_pkthdr *ph,
		      const unsigned char *data)
{
	struct px_cap *cap = (struct px_cap *)user;

	px_out_add(cap->out, (__u32)cap->cur, data, ph->caplen);
}

static int px_cap_open(struct fp_h *h, struct px_cap *cap)
{
	char errbuf[PCAP_ERRBUF_SIZE], dev[IF_NAMESIZE + 2];
	int p;

	memset(cap, 0, sizeof(*cap));
	for (p = 1; p <= N_PORTS; p++) {
		snprintf(dev, sizeof(dev), "%sp", fp_h_port(h, p)->dev);
		cap->pc[p] = pcap_create(dev, errbuf);
		if (!cap->pc[p] ||
		    pcap_set_snaplen(cap->pc[p], FP_H_PKT_MAX) ||
		    pcap_set_immediate_mode(cap->pc[p], 1) ||
		    pcap_activate(cap->pc[p]) ||
		    pcap_setdirection(cap->pc[p], PCAP_D_IN) ||
		    pcap_setnonblock(cap->pc[p], 1, errbuf)) {
			fp_test_report(false, "capture", "%s: %s", dev,
				       cap->pc[p] ? pcap_geterr(cap->pc[p]) :
						    errbuf);
			return -EIO;
		}
	}
	return 0;
}

static void px_cap_close(struct px_cap *cap)
{
	int p;

	for (p = 1; p <= N_PORTS; p++)
		if (cap->pc[p])
			pcap_close(cap->pc[p]);
}

/* Read what arrived into @out until it holds @want copies in all (up to
 * a second), then 20 ms more, so that a surplus copy shows too. */
static void px_cap_collect(struct px_cap *cap, struct px_out *out, int want)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int p, tries, total, settle = 10;

	cap->out = out;
	for (tries = 0; tries < 500; tries++) {
		total = 0;
		for (p = 1; p <= N_PORTS; p++) {
			cap->cur = p;
			pcap_dispatch(cap->pc[p], -1, px_cap_cb,
				      (unsigned char *)cap);
			total += out->n[p];
		}
		if (total >= want && !settle--)
			break;
		nanosleep(&ts, NULL);
	}
}

/* ---- The userspace side: a datapath of a few flows ---- */

struct px_dp {
	int n;
	struct fp_flow_key key[FP_H_MAX_FLOWS];
	struct fp_flow flow[FP_H_MAX_FLOWS];
	__u64 cnt[FP_CNT_MAX];
	struct px_out *out;
};

static int px_output(void *arg, __u32 port, const void *data, __u32 len)
{
	struct px_dp *dp = arg;

	if (port < 1 || port > N_PORTS)
		return -ENODEV;
	px_out_add(dp->out, port, data, len);
	return 0;
}

static const struct fp_flow *px_lookup(const struct px_dp *dp,
				       const struct fp_flow_key *key)
{
	int i;

	for (i = 0; i < dp->n; i++)
		if (!memcmp(&dp->key[i], key, sizeof(*key)))
			return &dp->flow[i];
	return NULL;
}

/* One packet through parse, lookup, execute, as a userspace datapath
 * would run it (with FP_PKT_HEADROOM_MAX of headroom). */
static void px_run(struct px_dp *dp, const struct fp_h_pkt *in)
{
	static unsigned char buf[FP_PKT_HEADROOM_MAX + FP_H_PKT_MAX];
	struct fp_pkt_exec x = { px_output, dp, dp->cnt };
	struct fp_pkt pkt = { buf + FP_PKT_HEADROOM_MAX, in->len,
			      FP_PKT_HEADROOM_MAX };
	const struct fp_flow *f;
	struct fp_flow_key key;
	int pass, ret;

	memcpy(pkt.data, in->data, in->len);
	if (fp_pkt_parse(&pkt, 1, &key) != 0) {
		dp->cnt[FP_CNT_PARSE_INCOMPLETE]++;
		return;
	}
	for (pass = 0; pass < FP_PKT_MAX_RECIRC; pass++) {
		f = px_lookup(dp, &key);
		if (!f) {
			dp->cnt[FP_CNT_MISS]++;
			return;
		}
		dp->cnt[FP_CNT_HIT]++;
		ret = fp_pkt_exec(&x, &pkt, &key, f->actions, f->n_actions);
		if (ret != FP_PKT_RECIRC)
			return;
		if (fp_pkt_reparse(&pkt, &key) != 0) {
			dp->cnt[FP_CNT_PARSE_INCOMPLETE]++;
			return;
		}
	}
	dp->cnt[FP_CNT_BUDGET_DROP]++;
}

/* ---- A case on both sides ---- */

/* "...,2" -> "...,2,9": the list's last copy a clone too (see top). */
static void px_actions(const char *in, char *buf, size_t len)
{
	const char *last = strrchr(in, ',');
	const char *tok = last ? last + 1 : in;
	size_t i, n = strlen(tok);

	for (i = 0; i < n && tok[i] >= '0' && tok[i] <= '9'; i++)
		;
	if (n && i == n)
		snprintf(buf, len, "%s,%d", in, MISSING_PORT);
	else
		snprintf(buf, len, "%s", in);
}

static bool px_install(struct fp_h *h, const struct px_case *c,
		       const struct fp_h_pcap *in, struct px_dp *dp)
{
	char acts[1024], err[FP_ODP_ERR_LEN];
	int i, ret;

	for (i = 0; i < c->n_flows; i++) {
		const struct px_flow *pf = &c->flows[i];
		struct fp_flow_key *key = &dp->key[dp->n];
		struct fp_flow *flow = &dp->flow[dp->n];

		if (pf->match) {
			if (fp_h_key_parse(pf->match, key))
				return false;
		} else {
			fp_h_key_of(in->pkt[pf->key_pkt].data,
				    in->pkt[pf->key_pkt].len, 1, key);
		}
		px_actions(pf->actions, acts, sizeof(acts));
		memset(flow, 0, sizeof(*flow));
		ret = fp_odp_actions_parse(acts,
					   pf->by_hand || pf->no_in_port_flag ?
						   NULL :
						   key,
					   flow, err, sizeof(err));
		if (ret)
			return fp_test_report(false, c->desc, "'%s': %s", acts,
					      err);
		ret = fp_flow_put(&h->dp, key, flow, FP_FLOW_CREATE);
		fp_dp_unlock(&h->dp);
		if (ret)
			return fp_test_report(false, c->desc, "install: %s",
					      strerror(-ret));
		dp->n++;
	}
	return true;
}

static void px_compare(const struct px_case *c, int i,
		       const struct px_out *bpf, const struct px_out *user,
		       const struct fp_h_snap *s0, const struct fp_h_snap *s1,
		       const struct px_dp *dp)
{
	char label[300], msg[512];
	size_t off = 0, k;
	int p, j;

	for (p = 1; p <= N_PORTS; p++) {
		snprintf(label, sizeof(label), "%s: pkt %d: port %d copies",
			 c->desc, i, p);
		/* Neither sent to this port: nothing compared, no line. */
		if (!user->n[p] && !bpf->n[p])
			continue;
		if (!ASSERT_EQ(user->n[p], bpf->n[p], label))
			continue;
		for (j = 0; j < bpf->n[p]; j++) {
			snprintf(label, sizeof(label),
				 "%s: pkt %d: port %d copy %d bytes", c->desc,
				 i, p, j);
			ASSERT_BYTES(user->pkt[p][j].data, user->pkt[p][j].len,
				     bpf->pkt[p][j].data, bpf->pkt[p][j].len,
				     label);
		}
	}
	msg[0] = '\0';
	for (k = 0; k < sizeof(compared) / sizeof(compared[0]); k++) {
		enum fp_counter n = compared[k];
		long long b = (long long)(s1->cnt[n] - s0->cnt[n]);
		long long u = (long long)dp->cnt[n];

		if (b != u && off < sizeof(msg))
			off += snprintf(msg + off, sizeof(msg) - off,
					"%scounter %d: bpf %+lld, user %+lld",
					off ? ", " : "", n, b, u);
	}
	snprintf(label, sizeof(label), "%s: pkt %d: counters", c->desc, i);
	fp_test_report(!off, label, "%s", msg);
}

static void px_run_case(struct fp_h *h, struct px_cap *cap,
			const struct px_case *c)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct px_out bpf = {}, user = {}, junk = {};
	struct fp_h_pcap in = {};
	struct fp_h_snap s0, s1;
	struct px_dp *dp = calloc(1, sizeof(*dp));
	char label[300];
	int i, p, want, err;

	if (!res || !dp || fp_h_pcap_read(c->pcap, &in)) {
		fp_test_report(false, c->desc, "setup: pcap %s", c->pcap);
		goto out;
	}
	if (!px_install(h, c, &in, dp))
		goto del;
	for (i = 0; i < in.n; i++) {
		/* Nothing left over from before. */
		px_cap_collect(cap, &junk, 0);
		px_out_free(&junk);

		memset(dp->cnt, 0, sizeof(dp->cnt));
		dp->out = &user;
		px_run(dp, &in.pkt[i]);

		err = fp_h_snap(h, &s0);
		if (!err)
			err = fp_h_test_run(h->parser_fd, fp_h_port(h, 1)->ifindex,
					    in.pkt[i].data, in.pkt[i].len, NULL,
					    res);
		if (!err)
			err = fp_h_snap(h, &s1);
		snprintf(label, sizeof(label), "%s: pkt %d: test_run", c->desc,
			 i);
		if (!REQUIRE_OK(err, label))
			break;
		snprintf(label, sizeof(label), "%s: pkt %d: BPF chain sent no redirect",
			 c->desc, i);
		ASSERT_EQ(res->retval, TC_ACT_SHOT, label);
		for (want = 0, p = 1; p <= N_PORTS; p++)
			want += user.n[p];
		snprintf(label, sizeof(label), "%s: pkt %d: copies sent",
			 c->desc, i);
		ASSERT_EQ(want, c->copies, label);
		px_cap_collect(cap, &bpf, want);
		px_compare(c, i, &bpf, &user, &s0, &s1, dp);
		px_out_free(&bpf);
		px_out_free(&user);
	}
del:
	for (i = 0; i < dp->n; i++) {
		fp_flow_del(&h->dp, &dp->key[i], NULL);
		fp_dp_unlock(&h->dp);
	}
out:
	fp_h_pcap_free(&in);
	free(res);
	free(dp);
}

/* ---- The cases ---- */

static void test_vlan_cases(struct fp_h *h, struct px_cap *cap)
{
	size_t i;
	int j;

	for (i = 0; i < N_VLAN_CASES; i++) {
		const struct fp_h_case *hc = &vlan_cases[i];
		struct px_case c = { .desc = hc->desc, .pcap = hc->pcap };

		for (j = 0; j < FP_H_MAX_FLOWS && hc->flows[j].actions; j++) {
			c.flows[j].actions = hc->flows[j].actions;
			c.flows[j].match = hc->flows[j].match;
			c.flows[j].key_pkt = hc->flows[j].key_pkt;
			c.flows[j].no_in_port_flag =
				hc->flows[j].no_in_port_flag;
		}
		c.n_flows = j;
		for (j = 0; j < FP_H_MAX_OUT && hc->expect.out[j]; j++)
			c.copies++;
		px_run_case(h, cap, &c);
	}
}

static void test_set_field_cases(struct fp_h *h, struct px_cap *cap)
{
	char pcap[80], desc[80];
	size_t i;
	int j;

	for (i = 0; i < N_SF; i++) {
		struct px_case c = { .desc = desc, .pcap = pcap, .n_flows = 1 };

		snprintf(pcap, sizeof(pcap), "sf_%s.pcap", sf_cases[i].name);
		snprintf(desc, sizeof(desc), "set %s", sf_cases[i].name);
		c.flows[0].actions = sf_cases[i].actions;
		for (j = 0; j < FP_H_MAX_OUT && sf_cases[i].out[j]; j++)
			c.copies++;
		px_run_case(h, cap, &c);
	}
}

/* The key of packet 0 of @pcap on port 1, with recirc_id and @dp_hash (0:
 * none), or an outer tag pushed, as ovs-dpctl text. */
static int key_text(const char *pcap, __u32 recirc_id, __u32 dp_hash,
		    bool tag, char *buf, size_t len)
{
	struct fp_h_pcap pc = {};
	struct fp_flow_key key;
	int err = fp_h_pcap_read(pcap, &pc);

	if (err)
		return err;
	fp_h_key_of(pc.pkt[0].data, pc.pkt[0].len, 1, &key);
	fp_h_pcap_free(&pc);
	key.recirc_id = recirc_id;
	key.dp_hash = dp_hash;
	if (tag) {
		key.vlan[1] = key.vlan[0];
		key.vlan[0].tpid = htons(0x8100);
		key.vlan[0].tci = htons(0x1000 | 100);
	}
	return fp_odp_key_format(&key, buf, len) < 0 ? -EINVAL : 0;
}

#define F(a) { .actions = (a) }
#define M(a, m) { .actions = (a), .match = (m) }

static void test_own_cases(struct fp_h *h, struct px_cap *cap)
{
	static char hashed[FP_ODP_KEY_STRLEN], hashed7[FP_ODP_KEY_STRLEN],
		tagged[FP_ODP_KEY_STRLEN];
	int err;

	/* dp_hash keys: literal known answers (jhash_vectors.h). */
	err = key_text("dp_ipv4_udp.pcap", 1, FPT_DP_HASH_IPV4_UDP_B0, false,
		       hashed, sizeof(hashed));
	if (!err)
		err = key_text("dp_vlan_udp.pcap", 2, FPT_DP_HASH_VLAN_UDP_B7,
			       false, hashed7, sizeof(hashed7));
	if (!err)
		err = key_text("dp_ipv4_udp.pcap", 5, 0, true, tagged,
			       sizeof(tagged));
	if (!ASSERT_OK(err, "recirc keys"))
		return;

	const struct px_case cases[] = {
		{ "hash(l4(0)),recirc(1), then dp_hash", "dp_ipv4_udp.pcap",
		  { F("hash(l4(0)),recirc(1)"), M("2", hashed) }, 2, 1 },
		{ "hash(l4(7)) of a tagged packet, recirc(2)",
		  "dp_vlan_udp.pcap",
		  { F("hash(l4(7)),recirc(2)"),
		    M("set(eth(dst=02:00:00:00:00:0b)),3", hashed7) },
		  2, 1 },
		{ "hash(l4(1)): the second pass misses", "dp_ipv4_udp.pcap",
		  { F("hash(l4(1)),recirc(1)"), M("2", hashed) }, 2, 0 },
		{ "push_vlan, recirc: the tag is keyed", "dp_ipv4_udp.pcap",
		  { F("push_vlan(vid=100,pcp=0),recirc(5)"), M("2", tagged) },
		  2, 1 },
		{ "drop", "dp_ipv4_udp.pcap", { F("drop") }, 1, 0 },
		{ "output to the input port not asked for", "dp_ipv4_udp.pcap",
		  { { .actions = "1,2", .no_in_port_flag = true } }, 1, 1 },
		{ "output to the input port asked for", "dp_ipv4_udp.pcap",
		  { F("1,2") }, 1, 2 },
		/* Installed by hand: odp refuses a set() the key lacks. */
		{ "set of a protocol the packet lacks (udp on tcp)",
		  "sf_tcp4_ports.pcap",
		  { { .actions = "set(udp(src=1)),2", .by_hand = true } }, 1, 0 },
		{ "set of a protocol the packet lacks (ipv6 on ipv4)",
		  "sf_tcp4_ports.pcap",
		  { { .actions = "set(ipv6(hlimit=1)),2", .by_hand = true } },
		  1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		px_run_case(h, cap, &cases[i]);
}

/* What the executor does without the BPF side to compare with: bounds. */
static void test_edges(void)
{
	static unsigned char buf[64];
	struct fp_flow_key key = {};
	__u64 cnt[FP_CNT_MAX] = {};
	struct px_dp dp = {};
	struct fp_pkt_exec x = { px_output, &dp, cnt };
	struct fp_action a[2] = {};
	struct fp_pkt pkt = { buf, 60, 0 };
	int ret;

	memset(buf, 0, sizeof(buf));
	buf[12] = 0x08;
	a[0].type = FP_ACT_PUSH_VLAN;
	a[0].u.push_vlan.tpid = htons(0x8100);
	ret = fp_pkt_exec(&x, &pkt, &key, a, 1);
	ASSERT_EQ(ret, FP_PKT_DROPPED, "push_vlan without headroom: dropped");
	ASSERT_EQ(cnt[FP_CNT_ACTION_FAILED], 1,
		  "push_vlan without headroom: action_failed");
	ASSERT_TRUE(pkt.data == buf && pkt.len == 60,
		    "push_vlan without headroom: packet untouched");

	a[0].type = 77;
	ret = fp_pkt_exec(&x, &pkt, &key, a, 1);
	ASSERT_EQ(ret, FP_PKT_DROPPED, "unknown action type: dropped");
	ASSERT_EQ(cnt[FP_CNT_BAD_ACTION], 1, "unknown action type: bad_action");

	a[0].type = FP_ACT_HASH;
	a[0].u.hash.alg = 3;
	ret = fp_pkt_exec(&x, &pkt, &key, a, 1);
	ASSERT_EQ(cnt[FP_CNT_BAD_ACTION], 2, "unknown hash algorithm: bad_action");

	ret = fp_pkt_exec(&x, &pkt, &key, a, 0);
	ASSERT_EQ(ret, FP_PKT_DROPPED, "no actions: dropped");
	ASSERT_EQ(cnt[FP_CNT_DROP_ACTION], 1, "no actions: drop_action");
}

int main(void)
{
	struct px_cap cap;
	struct fp_h h;

	fp_test_name = "test_pkt_exec";
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_edges();
	if (fp_h_init(&h, N_PORTS))
		return 1;
	if (!px_cap_open(&h, &cap)) {
		test_vlan_cases(&h, &cap);
		test_set_field_cases(&h, &cap);
		test_own_cases(&h, &cap);
	}
	px_cap_close(&cap);
	fp_h_fini(&h);
	return fp_test_exit();
}
