// SPDX-License-Identifier: GPL-2.0
/*
 * GRE and ERSPAN tunnel ports under BPF_PROG_TEST_RUN (pcaps from
 * pcaps/gen_tunnel.py):
 * - encap: each inner frame (IPv4, IPv6, VLAN-tagged, ARP) sent to each kind
 *   of port leaves by the underlay as scapy builds it, byte for byte (the
 *   ERSPAN III timestamp aside), and tshark decodes it with good IP and
 *   GRE checksums, no expert warning, and the configured ERSPAN fields;
 * - decap: each of those packets, as the remote end sends it, arriving
 *   on the underlay is stripped to the inner frame and keyed with the
 *   tunnel(...) metadata written in ovs-dpctl syntax and the tunnel port
 *   as in_port;
 * - malformed GRE to one of our endpoints is dropped (or passed) and
 *   counted, never decapsulated; GRE no port takes is an ordinary packet;
 * - set(tunnel(...)) overrides the port's settings, for its own packet
 *   only: a packet executed through the agent's TAP after it is not.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "harness.h"
#include "test.h"
#include "odp.h"
#include "tunnel_port.h"
#include "tap_execute.h"

/* Ports of the test: 1 underlay, 2 access, then the tunnels. */
enum { P_UNDER = 1, P_ACCESS = 2, P_GRE, P_GREK, P_ERS1, P_ERS2, P_PASS };

struct tun_port {
	__u32 no;
	const char *name;
	const char *args; /* ovs-dpctl tunnel(...) of what it decapsulates */
};

/* As pcaps/gen_tunnel.py builds their packets. */
static const struct tun_port tun_ports[] = {
	{ P_GRE, "gre",
	  "tunnel(src=198.51.100.2,dst=198.51.100.1,ttl=64,flags(df))" },
	{ P_GREK, "grek",
	  "tunnel(tun_id=0x1234,src=198.51.100.3,dst=198.51.100.1,tos=0x10,ttl=32,flags(df|csum|key|seq))" },
	{ P_ERS1, "ers1",
	  "tunnel(tun_id=0x7,src=198.51.100.4,dst=198.51.100.1,ttl=64,erspan(ver=1,idx=0x2a),flags(df|key))" },
	{ P_ERS2, "ers2",
	  "tunnel(tun_id=0x9,src=198.51.100.5,dst=198.51.100.1,ttl=64,erspan(ver=2,dir=1,hwid=0x15),flags(df|key))" },
};
#define N_TUN (sizeof(tun_ports) / sizeof(tun_ports[0]))

/* ERSPAN III's timestamp: 14 + 20 (IPv4) + 8 (GRE, seq) + 4. */
#define ERS2_TS_OFF 46

static int add_tunnels(struct fp_h *h)
{
	static const struct {
		const char *name;
		__u32 type;
		const char *remote;
		int key, csum_seq, tos, ttl, ver, idx, dir, hwid, pass;
	} cfg[] = {
		{ "gre", FP_PORT_GRE, "198.51.100.2", -1, 0, -1, -1, 0, -1, -1,
		  -1, 0 },
		{ "grek", FP_PORT_GRE, "198.51.100.3", 0x1234, 1, 0x10, 32, 0,
		  -1, -1, -1, 0 },
		{ "ers1", FP_PORT_ERSPAN, "198.51.100.4", 7, 0, -1, -1, 1, 0x2a,
		  -1, -1, 0 },
		{ "ers2", FP_PORT_ERSPAN, "198.51.100.5", 9, 0, -1, -1, 2, -1,
		  1, 0x15, 0 },
		{ "grep", FP_PORT_GRE, "198.51.100.6", -1, 0, -1, -1, 0, -1, -1,
		  -1, 1 },
	};
	char under[8];
	size_t i;

	snprintf(under, sizeof(under), "%u", P_UNDER);
	for (i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++) {
		struct fp_tunnel_opts o;
		__u32 added;

		fp_tunnel_opts_init(&o);
		o.type = cfg[i].type;
		o.underlay = under;
		o.local_ip = "198.51.100.1";
		o.remote_ip = cfg[i].remote;
		o.local_mac = "02:00:00:00:01:01";
		o.remote_mac = "02:00:00:00:01:02";
		if (cfg[i].key >= 0) {
			o.key_set = true;
			o.key = cfg[i].key;
		}
		o.csum = o.seq = cfg[i].csum_seq;
		o.tos = cfg[i].tos;
		o.ttl = cfg[i].ttl;
		o.erspan_ver = cfg[i].ver;
		o.erspan_idx = cfg[i].idx;
		o.erspan_dir = cfg[i].dir;
		o.erspan_hwid = cfg[i].hwid;
		o.malformed = cfg[i].pass ? FP_TUN_MALFORMED_PASS :
					    FP_TUN_MALFORMED_DROP;
		if (!ASSERT_OK(fp_tunnel_port_add(&h->dp, cfg[i].name,
						  P_GRE + i, &o, &added),
			       cfg[i].name))
			return -1;
	}
	return 0;
}

/* Run @pkt in on port @in; @res gets what comes out. */
static int run(struct fp_h *h, __u32 in, const struct fp_h_pkt *pkt,
	       struct fp_h_result *res)
{
	return fp_h_test_run(h->parser_fd, fp_h_port(h, in)->ifindex, pkt->data,
			     pkt->len, NULL, res);
}

static void check_verdict(const struct fp_h_result *res, int want,
			  const char *label)
{
	fp_test_report(res->retval == (__u32)want, label, "%s, expected %s",
		       fp_h_verdict_name(res->retval), fp_h_verdict_name(want));
}

/*
 * Install @key -> @act, run @pkt in on port @in and check that the verdict
 * is @verdict (on a miss, say by which key); @s0 and @s1 get the counters
 * around the run. False, after a FAIL line, if it could not run. The
 * caller deletes the flow.
 */
static bool run_flow(struct fp_h *h, const struct fp_flow_key *key,
		     const char *act, __u32 in, const struct fp_h_pkt *pkt,
		     int verdict, struct fp_h_result *res, struct fp_h_snap *s0,
		     struct fp_h_snap *s1, const char *label)
{
	char what[256];

	if (fp_h_flow_add(h, key, act, false))
		return false;
	fp_h_upcalls_clear(&h->up);
	fp_h_snap(h, s0);
	if (!REQUIRE_OK(run(h, in, pkt, res), label))
		return false;
	fp_h_snap(h, s1);
	snprintf(what, sizeof(what), "%s: verdict", label);
	check_verdict(res, verdict, what);
	if (res->retval != (__u32)verdict &&
	    fp_h_upcalls_collect(&h->up, 1, 500, 0) > 0) {
		fp_h_key_print("flow", key);
		fp_h_key_print("packet", &h->up.rec[0].hdr.key);
	}
	return true;
}

/* tshark on what a port sent: per packet the IP checksum status, the GRE
 * checksum status, the ERSPAN fields and any expert info. */
static void tshark_check(const char *path, const struct tun_port *tp,
			 const char *const *want, int n)
{
	char cmd[PATH_MAX + 512], line[512], label[128];
	int got = 0;
	FILE *f;

	snprintf(
		cmd, sizeof(cmd),
		"tshark -r '%s' -o ip.check_checksum:TRUE -T fields -E 'separator=|' "
		"-e ip.checksum.status -e gre.checksum.status -e gre.key "
		"-e erspan.version -e erspan.spanid -e erspan.index "
		"-e erspan.direction -e erspan.hw -e erspan.vlan -e _ws.expert "
		"2>/dev/null",
		path);
	f = popen(cmd, "r");
	if (!f) {
		fp_test_report(false, tp->name, "tshark: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(label, sizeof(label), "encap %s: pkt %d: tshark",
			 tp->name, got);
		if (got < n)
			ASSERT_STREQ(line, want[got], label);
		got++;
	}
	snprintf(label, sizeof(label), "encap %s: tshark read every packet",
		 tp->name);
	ASSERT_EQ(pclose(f) == 0 ? got : -1, n, label);
}

/* tshark's fields per port and inner frame (IPv4, IPv6, tagged, ARP): the
 * inner IPv4 checksums show after the outer one. */
static const char *const tshark_want[N_TUN][4] = {
	{ "1,1|||||||||", "1|||||||||", "1,1|||||||||", "1|||||||||" },
	{ "1,1|1|0x00001234|||||||", "1|1|0x00001234|||||||",
	  "1,1|1|0x00001234|||||||", "1|1|0x00001234|||||||" },
	{ "1,1|||1|7|42|||0|", "1|||1|7|42|||0|", "1,1|||1|7|42|||10|",
	  "1|||1|7|42|||0|" },
	{ "1,1|||2|9||1|21|0|", "1|||2|9||1|21|0|", "1,1|||2|9||1|21|10|",
	  "1|||2|9||1|21|0|" },
};

static void test_encap(struct fp_h *h, const struct fp_h_pcap *inner)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	char name[64], label[128], path[PATH_MAX];
	struct fp_h_pkt out[FP_H_MAX_PKTS];
	struct fp_h_snap s0, s1;
	struct fp_flow_key key;
	struct fp_h_pcap exp;
	char act[8];
	size_t t;
	int i;

	if (!res)
		return;
	mkdir(fp_h_output_dir(), 0755);
	for (t = 0; t < N_TUN; t++) {
		const struct tun_port *tp = &tun_ports[t];

		snprintf(name, sizeof(name), "tun_enc_%s.pcap", tp->name);
		if (fp_h_pcap_read(name, &exp))
			continue;
		snprintf(act, sizeof(act), "%u", tp->no);
		for (i = 0; i < inner->n && i < exp.n; i++) {
			snprintf(label, sizeof(label), "encap %s: pkt %d",
				 tp->name, i);
			fp_h_key_of(inner->pkt[i].data, inner->pkt[i].len,
				    P_ACCESS, &key);
			if (!run_flow(h, &key, act, P_ACCESS, &inner->pkt[i],
				      TC_ACT_REDIRECT, res, &s0, &s1, label)) {
				fp_h_flow_del(h, &key);
				out[i].data = NULL;
				out[i].len = 0;
				continue;
			}
			if (tp->no == P_ERS2 && res->len > ERS2_TS_OFF + 4)
				memset(res->data + ERS2_TS_OFF, 0, 4);
			ASSERT_BYTES(res->data, res->len, exp.pkt[i].data,
				     exp.pkt[i].len, label);
			out[i].data = malloc(res->len);
			if (out[i].data)
				memcpy(out[i].data, res->data, res->len);
			out[i].len = out[i].data ? res->len : 0;
			{
				long long want[FP_CNT_MAX] = {
					[FP_CNT_HIT] = 1, [FP_CNT_TUN_ENCAP] = 1
				};
				fp_h_check_counters(&s0, &s1, want, label);
			}
			snprintf(label, sizeof(label),
				 "encap %s: pkt %d: tx on the tunnel port",
				 tp->name, i);
			ASSERT_EQ(fp_h_tx_delta(&s0, &s1, tp->no), 1, label);
			fp_h_flow_del(h, &key);
		}
		snprintf(path, sizeof(path), "%s/tunnel_out_%s.pcap",
			 fp_h_output_dir(), tp->name);
		if (!fp_h_pcap_write(path, out, i))
			tshark_check(path, tp, tshark_want[t], i);
		while (i-- > 0)
			free(out[i].data);
		fp_h_pcap_free(&exp);
	}
	free(res);
}

static void test_decap(struct fp_h *h, const struct fp_h_pcap *inner)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_flow_key key, tkey;
	char name[64], label[128];
	struct fp_h_snap s0, s1;
	struct fp_h_pcap enc;
	size_t t;
	int i;

	if (!res)
		return;
	for (t = 0; t < N_TUN; t++) {
		const struct tun_port *tp = &tun_ports[t];

		snprintf(name, sizeof(name), "tun_dec_%s.pcap", tp->name);
		if (fp_h_pcap_read(name, &enc))
			continue;
		if (fp_h_key_parse(tp->args, &tkey)) {
			fp_h_pcap_free(&enc);
			continue;
		}
		for (i = 0; i < inner->n && i < enc.n; i++) {
			snprintf(label, sizeof(label), "decap %s: pkt %d",
				 tp->name, i);
			/* The inner frame's key, from the tunnel port, with
			 * the metadata of the ovs-dpctl text. */
			fp_h_key_of(inner->pkt[i].data, inner->pkt[i].len,
				    tp->no, &key);
			key.tun = tkey.tun;
			if (!run_flow(h, &key, "2", P_UNDER, &enc.pkt[i],
				      TC_ACT_REDIRECT, res, &s0, &s1, label)) {
				fp_h_flow_del(h, &key);
				continue;
			}
			ASSERT_BYTES(res->data, res->len, inner->pkt[i].data,
				     inner->pkt[i].len, label);
			{
				long long want[FP_CNT_MAX] = {
					[FP_CNT_HIT] = 1, [FP_CNT_TUN_DECAP] = 1
				};
				fp_h_check_counters(&s0, &s1, want, label);
			}
			snprintf(label, sizeof(label),
				 "decap %s: pkt %d: rx on the tunnel port",
				 tp->name, i);
			ASSERT_EQ(s1.port[tp->no].rx_packets -
					  s0.port[tp->no].rx_packets,
				  1, label);
			fp_h_flow_del(h, &key);
		}
		fp_h_pcap_free(&enc);
	}
	free(res);
}

/*
 * The tail-call budget after a decapsulation: parser, tunnel_decap, recirc
 * and lookup have taken 3 tail calls when the inner packet's flow is found,
 * and a tunnel output costs two. A flow of @k actions, outputs to the
 * missing port 9 and then an output to the keyed GRE port (a clone to the
 * underlay) and one to the access port (the redirect): at 29 actions (30
 * tail calls) it all runs; at 30, lookup sends the packet up before any
 * action, and nothing leaves.
 */
static void test_decap_edge(struct fp_h *h, const struct fp_h_pcap *inner)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_flow_key key, tkey;
	struct fp_h_snap s0, s1;
	struct fp_h_pcap enc = {};
	char acts[256], label[128];
	size_t off;
	int k, i;

	if (!res || fp_h_pcap_read("tun_dec_gre.pcap", &enc) ||
	    fp_h_key_parse(tun_ports[0].args, &tkey))
		goto out;
	fp_h_key_of(inner->pkt[0].data, inner->pkt[0].len, P_GRE, &key);
	key.tun = tkey.tun;
	for (k = 29; k <= 30; k++) {
		bool fits = k == 29;
		long long want[FP_CNT_MAX] = {
			[FP_CNT_HIT] = 1,
			[FP_CNT_TUN_DECAP] = 1,
			[FP_CNT_OUTPUT_NO_PORT] = fits ? k - 2 : 0,
			[FP_CNT_TUN_ENCAP] = fits,
			[FP_CNT_TAIL_CALL_BUDGET] = !fits,
			[FP_CNT_UPCALL] = !fits,
		};

		for (off = 0, i = 0; i < k - 2; i++)
			off += snprintf(acts + off, sizeof(acts) - off, "9,");
		snprintf(acts + off, sizeof(acts) - off, "%u,%u", P_GREK,
			 P_ACCESS);
		snprintf(label, sizeof(label),
			 "after decap: %d actions, a tunnel output among them",
			 k);
		if (run_flow(h, &key, acts, P_UNDER, &enc.pkt[0],
			     fits ? TC_ACT_REDIRECT : TC_ACT_SHOT, res, &s0, &s1,
			     label)) {
			snprintf(label, sizeof(label),
				 "after decap: %d actions: counters", k);
			fp_h_check_counters(&s0, &s1, want, label);
			snprintf(label, sizeof(label),
				 "after decap: %d actions: encapsulated clones on the underlay",
				 k);
			ASSERT_EQ(fp_h_wire_delta(&s0, &s1, P_UNDER), fits,
				  label);
		}
		fp_h_flow_del(h, &key);
	}
out:
	fp_h_pcap_free(&enc);
	free(res);
}

/* tun_bad.pcap, in order: what each must do. */
static const struct {
	const char *what;
	int verdict;
	enum fp_counter cnt, cnt2;
} bad_cases[] = {
	{ "GRE version 1", TC_ACT_SHOT, FP_CNT_TUN_MALFORMED, 0 },
	{ "GRE routing bit", TC_ACT_SHOT, FP_CNT_TUN_MALFORMED, 0 },
	{ "GRE bad checksum", TC_ACT_SHOT, FP_CNT_TUN_MALFORMED, 0 },
	{ "ERSPAN header truncated", TC_ACT_SHOT, FP_CNT_TUN_MALFORMED, 0 },
	{ "ERSPAN version unlike its GRE type", TC_ACT_SHOT,
	  FP_CNT_TUN_MALFORMED, 0 },
	{ "malformed, endpoint passes it", TC_ACT_OK, FP_CNT_TUN_MALFORMED, 0 },
	/* ordinary packets of the underlay: a miss, dropped by config */
	{ "GRE to no endpoint of ours", TC_ACT_SHOT, FP_CNT_MISS, 0 },
	{ "GRE key no port takes", TC_ACT_SHOT, FP_CNT_TUN_NO_PORT,
	  FP_CNT_MISS },
	{ "GRE key to an unkeyed port", TC_ACT_SHOT, FP_CNT_TUN_NO_PORT,
	  FP_CNT_MISS },
	{ "GRE of IPv4, not Ethernet", TC_ACT_SHOT, FP_CNT_TUN_NO_PORT,
	  FP_CNT_MISS },
};

static void test_bad(struct fp_h *h)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_h_snap s0, s1;
	struct fp_h_pcap bad;
	char label[128];
	size_t i;

	if (!res)
		return;
	if (fp_h_pcap_read("tun_bad.pcap", &bad)) {
		free(res);
		return;
	}
	ASSERT_EQ(bad.n, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])),
		  "tun_bad.pcap: one packet per case");
	for (i = 0;
	     i < sizeof(bad_cases) / sizeof(bad_cases[0]) && (int)i < bad.n;
	     i++) {
		long long want[FP_CNT_MAX] = {};
		int err;

		snprintf(label, sizeof(label), "bad: %s", bad_cases[i].what);
		want[bad_cases[i].cnt] = 1;
		if (bad_cases[i].cnt2)
			want[bad_cases[i].cnt2] = 1;
		if (want[FP_CNT_MISS]) {
			/* the miss goes up, and is dropped */
			want[FP_CNT_UPCALL] = 1;
			want[FP_CNT_MISS_DROP] = 1;
		}
		fp_h_upcalls_clear(&h->up);
		fp_h_snap(h, &s0);
		err = run(h, P_UNDER, &bad.pkt[i], res);
		fp_h_snap(h, &s1);
		if (!ASSERT_OK(err, label))
			continue;
		check_verdict(res, bad_cases[i].verdict, label);
		fp_h_check_counters(&s0, &s1, want, label);
		if (bad_cases[i].verdict == TC_ACT_OK)
			ASSERT_BYTES(res->data, res->len, bad.pkt[i].data,
				     bad.pkt[i].len, label);
	}
	fp_h_pcap_free(&bad);
	free(res);
}

/* set(tunnel(...)) overrides the key, TTL and TOS of port gre; the
 * decap side keys what was sent. */
static void test_set_tunnel(struct fp_h *h, const struct fp_h_pcap *inner)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_flow_key key;
	char act[160];
	__u8 *ip, *gre;
	__be32 gkey;

	if (!res)
		return;
	fp_h_key_of(inner->pkt[0].data, inner->pkt[0].len, P_ACCESS, &key);
	snprintf(act, sizeof(act),
		 "set(tunnel(tun_id=0xabcd,ttl=9,tos=0x20,flags(key))),%u",
		 P_GRE);
	if (fp_h_flow_add(h, &key, act, false))
		goto out;
	if (ASSERT_OK(run(h, P_ACCESS, &inner->pkt[0], res), "set(tunnel)")) {
		check_verdict(res, TC_ACT_REDIRECT, "set(tunnel): verdict");
		ASSERT_EQ(res->len, inner->pkt[0].len + 14 + 20 + 8,
			  "set(tunnel): outer headers with a key");
		ip = res->data + 14;
		gre = ip + 20;
		ASSERT_EQ(ip[1], 0x20, "set(tunnel): tos");
		ASSERT_EQ(ip[8], 9, "set(tunnel): ttl");
		ASSERT_EQ((ip[6] & 0x40), 0, "set(tunnel): flags(key): no df");
		ASSERT_EQ((gre[0] << 8) | gre[1], 0x2000,
			  "set(tunnel): GRE key bit only");
		memcpy(&gkey, gre + 4, sizeof(gkey));
		ASSERT_EQ(ntohl(gkey), 0xabcd, "set(tunnel): key");
	}
	fp_h_flow_del(h, &key);
out:
	free(res);
}

/*
 * ERSPAN carries the VLAN of the inner frame's outer tag, 802.1Q or
 * 802.1ad alike: the tagged inner frame, then the same with its TPID made
 * 0x88a8, to each ERSPAN port; the VLAN field of the ERSPAN header (after
 * outer Ethernet, IPv4 and GRE with its sequence number) is the tag's
 * VID.
 */
static void test_erspan_vlan(struct fp_h *h, const struct fp_h_pcap *inner)
{
	static const __u16 tpids[] = { 0x8100, 0x88a8 };
	static const __u32 ports[] = { P_ERS1, P_ERS2 };
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_h_pkt pkt = {};
	struct fp_flow_key key;
	struct fp_h_snap s0, s1;
	char act[16], label[128];
	size_t t, p;
	int i, vid;

	for (i = 0; i < inner->n; i++)
		if (inner->pkt[i].len > 16 && inner->pkt[i].data[12] == 0x81 &&
		    inner->pkt[i].data[13] == 0x00)
			break;
	if (!res ||
	    !fp_test_require(i < inner->n, "ERSPAN VLAN: a tagged inner frame",
			     "none in tun_inner.pcap"))
		goto out;
	pkt.len = inner->pkt[i].len;
	pkt.data = malloc(pkt.len);
	if (!pkt.data)
		goto out;
	vid = (inner->pkt[i].data[14] << 8 | inner->pkt[i].data[15]) & 0xfff;
	for (t = 0; t < sizeof(tpids) / sizeof(tpids[0]); t++) {
		memcpy(pkt.data, inner->pkt[i].data, pkt.len);
		pkt.data[12] = tpids[t] >> 8;
		pkt.data[13] = tpids[t] & 0xff;
		fp_h_key_of(pkt.data, pkt.len, P_ACCESS, &key);
		for (p = 0; p < sizeof(ports) / sizeof(ports[0]); p++) {
			const __u8 *w;

			snprintf(act, sizeof(act), "%u", ports[p]);
			snprintf(label, sizeof(label),
				 "ERSPAN v%zu, inner tag %#x vid %d", p + 1,
				 tpids[t], vid);
			if (run_flow(h, &key, act, P_ACCESS, &pkt,
				     TC_ACT_REDIRECT, res, &s0, &s1, label) &&
			    fp_test_require(res->len > 14 + 20 + 8 + 4, label,
					    "%u bytes out", res->len)) {
				w = res->data + 14 + 20 + 8;
				snprintf(label, sizeof(label),
					 "ERSPAN v%zu: VLAN field of an inner tag %#x vid %d",
					 p + 1, tpids[t], vid);
				ASSERT_EQ((w[0] << 8 | w[1]) & 0xfff, vid,
					  label);
			}
			fp_h_flow_del(h, &key);
		}
	}
out:
	free(pkt.data);
	free(res);
}

/*
 * A packet the agent executes through its TAP (tap_execute's second pass)
 * to a tunnel port, with no set(tunnel(...)) of its own, right after
 * another packet on the same CPU ran a set(tunnel(...)): it must be
 * encapsulated as the port says, as if it had come in through the parser,
 * not with the override the other packet left in the CPU's scratch.
 */
static void test_tap_after_set_tunnel(struct fp_h *h,
				      const struct fp_h_pcap *inner)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_flow_key key0, key1;
	cpu_set_t old, one;
	struct fp_h_pcap exp = {};
	char act[160], plain[16];
	int tapx = -1, err;

	if (!res || sched_getaffinity(0, sizeof(old), &old))
		goto out;
	/* Both runs on one CPU, so that they share its scratch. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (!REQUIRE_OK(sched_setaffinity(0, sizeof(one), &one) ? -errno : 0,
			"tap after set(tunnel): pin to a CPU") ||
	    fp_h_pcap_read("tun_enc_gre.pcap", &exp))
		goto restore;
	tapx = fp_h_prog_fd(h, "tap_execute");
	if (!REQUIRE_OK(tapx < 0 ? tapx : 0, "tap_execute program"))
		goto restore;
	fp_h_key_of(inner->pkt[0].data, inner->pkt[0].len, P_ACCESS, &key0);
	fp_h_key_of(inner->pkt[1].data, inner->pkt[1].len, P_ACCESS, &key1);
	snprintf(act, sizeof(act),
		 "set(tunnel(tun_id=0xabcd,ttl=9,tos=0x20,flags(key))),%u",
		 P_GRE);
	snprintf(plain, sizeof(plain), "%u", P_GRE);
	if (fp_h_flow_add(h, &key0, act, false) ||
	    fp_h_flow_add(h, &key1, plain, false))
		goto del;
	err = run(h, P_ACCESS, &inner->pkt[0], res);
	if (!REQUIRE_OK(err, "tap after set(tunnel): the override's run"))
		goto del;
	err = fp_h_test_run_mark(tapx, fp_h_port(h, P_ACCESS)->ifindex,
				 FP_TAPX_MARK | P_ACCESS, inner->pkt[1].data,
				 inner->pkt[1].len, NULL, res);
	if (!REQUIRE_OK(err, "tap after set(tunnel): tap_execute's run"))
		goto del;
	check_verdict(res, TC_ACT_REDIRECT,
		      "tap after set(tunnel): verdict");
	ASSERT_BYTES(res->data, res->len, exp.pkt[1].data, exp.pkt[1].len,
		     "tap after set(tunnel): encapsulated as the port says");
del:
	fp_h_flow_del(h, &key0);
	fp_h_flow_del(h, &key1);
restore:
	sched_setaffinity(0, sizeof(old), &old);
out:
	if (tapx >= 0)
		close(tapx);
	fp_h_pcap_free(&exp);
	free(res);
}

/*
 * A tunnel output with more actions after it: the underlay sends the
 * encapsulated clone, and the packet goes on as it was. The other order
 * too. A frame adjust_room cannot take (tagged) cannot be cloned so.
 */
static void test_clone(struct fp_h *h, const struct fp_h_pcap *inner)
{
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_h_snap s0, s1;
	struct fp_flow_key key;
	struct fp_h_pcap exp;
	char act[16], label[128];
	int i, order;

	if (!res)
		return;
	if (fp_h_pcap_read("tun_enc_gre.pcap", &exp)) {
		free(res);
		return;
	}
	for (order = 0; order < 2; order++) {
		snprintf(act, sizeof(act), "%u,%u", order ? P_UNDER : P_GRE,
			 order ? P_GRE : P_UNDER);
		for (i = 0; i < inner->n && i < exp.n; i++) {
			/* only IP frames (the first two) can be cloned
			 * into a tunnel */
			bool ip = i < 2 || order;
			long long want[FP_CNT_MAX] = {
				[FP_CNT_HIT] = 1,
				[FP_CNT_TUN_ENCAP] = ip,
				[FP_CNT_TUN_ENCAP_FAILED] = !ip,
			};

			snprintf(label, sizeof(label), "clone %s: pkt %d", act,
				 i);
			fp_h_key_of(inner->pkt[i].data, inner->pkt[i].len,
				    P_ACCESS, &key);
			if (!run_flow(h, &key, act, P_ACCESS, &inner->pkt[i],
				      TC_ACT_REDIRECT, res, &s0, &s1, label)) {
				fp_h_flow_del(h, &key);
				continue;
			}
			fp_h_check_counters(&s0, &s1, want, label);
			/* what is left is redirected: the frame as it came,
			 * or encapsulated by the last output */
			if (order)
				ASSERT_BYTES(res->data, res->len,
					     exp.pkt[i].data, exp.pkt[i].len,
					     label);
			else
				ASSERT_BYTES(res->data, res->len,
					     inner->pkt[i].data,
					     inner->pkt[i].len, label);
			snprintf(label, sizeof(label),
				 "clone %s: pkt %d: a clone left the underlay",
				 act, i);
			ASSERT_EQ(fp_h_wire_delta(&s0, &s1, P_UNDER), ip,
				  label);
			fp_h_flow_del(h, &key);
		}
	}
	fp_h_pcap_free(&exp);
	free(res);
}

int main(void)
{
	struct fp_h_pcap inner;
	struct fp_h h;

	fp_test_name = "test_tunnel";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fp_h_init(&h, 2))
		return 1;
	if (!add_tunnels(&h) && !fp_h_pcap_read("tun_inner.pcap", &inner)) {
		test_encap(&h, &inner);
		test_decap(&h, &inner);
		test_set_tunnel(&h, &inner);
		test_tap_after_set_tunnel(&h, &inner);
		test_erspan_vlan(&h, &inner);
		test_decap_edge(&h, &inner);
		test_clone(&h, &inner);
		fp_h_pcap_free(&inner);
		test_bad(&h);
	}
	fp_h_fini(&h);
	return fp_test_exit();
}
