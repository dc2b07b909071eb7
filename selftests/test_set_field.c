// SPDX-License-Identifier: GPL-2.0
/*
 * The set(...) action: its ovs-dpctl syntax (parse, print, round trip,
 * every refusal naming its token), then the set_field stage under
 * BPF_PROG_TEST_RUN (selftests/harness.h) on the pcaps of
 * pcaps/gen_set_field.py: every field group over IPv4 and IPv6, TCP, UDP
 * ICMPv6 and SCTP, masked sets, chains, VLAN tags and IPv6 extension headers
 * in the frame. Each case checks the verdict, the ports, the counters,
 * the flow stats and the bytes that leave against scapy's packet with the
 * new fields and fresh checksums; then the actual output of each case is
 * written to a pcap and tshark must find every IP, TCP, UDP and ICMPv6
 * checksum and SCTP CRC32c good (a UDP checksum of 0 must still be 0).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "set_field_cases.h"
#include "test.h"
#include "flow_table.h"
#include "odp.h"

#define OUT(...) .out = { __VA_ARGS__ }
#define CNT(...) .cnt = { __VA_ARGS__ }
#define C(c, d) { FP_CNT_##c, (d) }

static char lblbuf[512];

static const char *lbl(const char *what, const char *s)
{
	snprintf(lblbuf, sizeof(lblbuf), "%.60s: %.400s", what, s);
	return lblbuf;
}

/* ---- Syntax ---- */

#define K_ETH "in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),"
#define K_UDP4                                                          \
	K_ETH "eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,"   \
	      "proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)"
#define K_TCP6                                                           \
	K_ETH "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,"   \
	      "label=0x12345,proto=6,tclass=0,hlimit=64,frag=no),"       \
	      "tcp(src=40000,dst=80)"
#define K_SCTP4                                                         \
	K_ETH "eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,"   \
	      "proto=132,tos=0,ttl=64,frag=no),sctp(src=1,dst=2)"
#define K_ARP                                                          \
	K_ETH "eth_type(0x0806),arp(sip=192.0.2.1,tip=192.0.2.2,op=1," \
	      "sha=02:00:00:00:00:01,tha=00:00:00:00:00:00)"

/* Text in, text printed (NULL: the same), on the flow of @key. */
static const char *const set_ok[][3] = {
	{ "set(eth(src=02:00:00:00:00:0a,dst=02:00:00:00:00:0b)),2", NULL,
	  K_UDP4 },
	{ "set(eth(dst=02:00:00:00:00:0b,src=02:00:00:00:00:0a)),2",
	  "set(eth(src=02:00:00:00:00:0a,dst=02:00:00:00:00:0b)),2", K_UDP4 },
	{ "set(eth(dst=0a:0b:0c:00:00:00/ff:ff:ff:00:00:00)),2", NULL, K_ARP },
	{ "set(ipv4(src=203.0.113.5,dst=203.0.113.6,tos=0xb9,ttl=9)),2", NULL,
	  K_UDP4 },
	{ "set(ipv4(ttl=9, tos=0)),2", "set(ipv4(tos=0,ttl=9)),2", K_UDP4 },
	{ "set(ipv4(src=203.0.113.0/255.255.255.0)),2", NULL, K_UDP4 },
	{ "set(ipv4(src=203.0.113.0/24,tos=0x3/0x3)),2",
	  "set(ipv4(src=203.0.113.0/255.255.255.0,tos=0x3/0x3)),2", K_UDP4 },
	{ "set(ipv6(src=2001:db8:1::a,dst=2001:db8:2::b,label=0x54321,"
	  "tclass=0x28,hlimit=7)),2",
	  NULL, K_TCP6 },
	{ "set(ipv6(dst=2001:db8:ffff::/48,label=0x3/0xf)),2",
	  "set(ipv6(dst=2001:db8:ffff::/ffff:ffff:ffff::,label=0x3/0xf)),2",
	  K_TCP6 },
	{ "set(tcp(src=8080,dst=8443)),2", NULL, K_TCP6 },
	{ "set(tcp(dst=0x1f00/0xff00)),2", "set(tcp(dst=7936/0xff00)),2",
	  K_TCP6 },
	{ "set(udp(dst=5353)),2", NULL, K_UDP4 },
	{ "set(eth(dst=02:00:00:00:00:0b)),set(ipv4(ttl=9)),2,"
	  "set(udp(dst=81)),3",
	  NULL, K_UDP4 },
	/* IP addresses are not in SCTP's CRC: they can be set. */
	{ "set(ipv4(dst=203.0.113.6)),2", NULL, K_SCTP4 },
	{ "set(sctp(src=5001,dst=0xa00/0xf00)),2",
	  "set(sctp(src=5001,dst=2560/0xf00)),2", K_SCTP4 },
};

/* Text and the message it must give, on the flow of @key. */
static const char *const set_errors[][3] = {
	{ "set(ipv4(foo=1)),2", "unknown field 'foo' in set(ipv4(...)) (expected src, dst, tos, ttl)", K_UDP4 },
	{ "set(ipv4(proto=6)),2", "field 'proto' of ipv4(...) cannot be set", K_UDP4 },
	{ "set(ipv6(frag=no)),2", "field 'frag' of ipv6(...) cannot be set", K_TCP6 },
	{ "set(ipv4(ttl=256)),2", "value '256' out of range for ipv4(ttl=...) in set(...): expected 0 to 0xff", K_UDP4 },
	{ "set(ipv4(src=1.2.3)),2", "bad IPv4 value '1.2.3' for ipv4(src=...)", K_UDP4 },
	{ "set(ipv4(src=192.0.2.1/255.255.255.0)),2", "value '192.0.2.1/255.255.255.0' of ipv4(src=...) in set(...) has bits outside its mask", K_UDP4 },
	{ "set(ipv4(ttl=0/0)),2", "mask of ipv4(ttl=...) in set(...) is 0", K_UDP4 },
	{ "set(eth(dst=02:00:00:00:00:zz)),2", "bad MAC value '02:00:00:00:00:zz' for eth(dst=...)", K_UDP4 },
	{ "set(ipv6(label=0x100000)),2", "value '0x100000' out of range for ipv6(label=...)", K_TCP6 },
	{ "set(tcp(src=1)),2", "set(tcp(...)) does not fit this flow: its key has no tcp(...), which needs ipv4(...) or ipv6(...) with proto=6", K_UDP4 },
	{ "set(udp(src=1)),2", "set(udp(...)) does not fit this flow", K_TCP6 },
	{ "set(ipv6(hlimit=1)),2", "set(ipv6(...)) does not fit this flow: its key has no ipv6(...), which needs eth_type(0x86dd)", K_UDP4 },
	{ "set(ipv4(ttl=1)),2", "set(ipv4(...)) does not fit this flow", K_ARP },
	{ "set(sctp(src=1)),2", "set(sctp(...)) does not fit this flow: its key has no sctp(...), which needs ipv4(...) or ipv6(...) with proto=132", K_UDP4 },
	{ "set(arp(op=2)),2", "set(arp(...)) is not supported", K_ARP },
	{ "set(foo(x=1)),2", "unknown attribute 'foo' in set(...) (expected eth, ipv4, ipv6, tcp, udp, sctp)", K_UDP4 },
	{ "set(ipv4()),2", "set(ipv4()) sets no field", K_UDP4 },
	{ "set(ipv4(ttl=1,ttl=2)),2", "duplicate field 'ttl' in set(ipv4(...))", K_UDP4 },
	{ "set(ipv4(ttl=1),eth(src=02:00:00:00:00:01)),2", "set(...) takes one attribute: unexpected ',eth(src=02:00:00:00:00:01)),2' after ipv4(...)", K_UDP4 },
	{ "set(ipv4(ttl=1),2", "set(...) takes one attribute", K_UDP4 },
	{ "set(ipv4(ttl=1", "unbalanced parentheses: 'set(ipv4(' is not closed", K_UDP4 },
	{ "set ipv4", "expected '(' after 'set'", K_UDP4 },
	{ "set(ipv4(ttl)),2", "expected '=' after 'ttl' in set(ipv4(...))", K_UDP4 },
};

static void test_syntax(void)
{
	char err[FP_ODP_ERR_LEN], buf[FP_ODP_ACTIONS_STRLEN];
	struct fp_flow flow, again;
	struct fp_flow_key key;
	size_t i;

	for (i = 0; i < sizeof(set_ok) / sizeof(set_ok[0]); i++) {
		const char *in = set_ok[i][0];
		const char *want = set_ok[i][1] ? set_ok[i][1] : in;

		if (fp_odp_key_parse(set_ok[i][2], &key, err, sizeof(err))) {
			fp_test_report(false, lbl("key", set_ok[i][2]), "%s",
				       err);
			continue;
		}
		memset(&flow, 0, sizeof(flow));
		if (!fp_test_require(!fp_odp_actions_parse(in, &key, &flow,
							   err, sizeof(err)),
				     lbl("set parses", in), "%s", err))
			continue;
		ASSERT_TRUE(!(flow.flags & FP_FLOW_F_SLOW_PATH),
			    lbl("set runs in BPF", in));
		fp_odp_actions_format(&flow, buf, sizeof(buf));
		ASSERT_STREQ(buf, want, lbl("set prints", in));
		memset(&again, 0, sizeof(again));
		if (fp_odp_actions_parse(buf, &key, &again, err, sizeof(err)))
			fp_test_report(false, lbl("set reparses", buf), "%s",
				       err);
		else
			ASSERT_BYTES(&again, sizeof(again), &flow,
				     sizeof(flow), lbl("set round trip", buf));
	}
	for (i = 0; i < sizeof(set_errors) / sizeof(set_errors[0]); i++) {
		const char *in = set_errors[i][0];
		int ret;

		if (fp_odp_key_parse(set_errors[i][2], &key, err,
				     sizeof(err))) {
			fp_test_report(false, lbl("key", set_errors[i][2]),
				       "%s", err);
			continue;
		}
		memset(&flow, 0, sizeof(flow));
		ret = fp_odp_actions_parse(in, &key, &flow, err, sizeof(err));
		fp_test_report(ret == -EINVAL && strstr(err, set_errors[i][1]),
			       lbl("set refused", in),
			       "returned %d, message '%s', expected '%s'", ret,
			       err, set_errors[i][1]);
		ASSERT_EQ(flow.n_actions, 0, lbl("nothing left", in));
	}

	/* The stored arguments: value within mask, mask per field. */
	fp_odp_key_parse(K_UDP4, &key, err, sizeof(err));
	memset(&flow, 0, sizeof(flow));
	if (ASSERT_OK(fp_odp_actions_parse("set(ipv4(src=203.0.113.0/24,ttl=9)),2",
					   &key, &flow, err, sizeof(err)),
		      "set layout: parse")) {
		const struct fp_action_set_field *sf =
			&flow.actions[0].u.set_field;

		ASSERT_EQ(flow.actions[0].type, FP_ACT_SET_FIELD,
			  "set layout: type");
		ASSERT_EQ(sf->group, FP_SET_IPV4, "set layout: group");
		ASSERT_EQ(sf->u.ipv4.val.src, htonl(0xcb007100),
			  "set layout: src value");
		ASSERT_EQ(sf->u.ipv4.mask.src, htonl(0xffffff00),
			  "set layout: src mask");
		ASSERT_EQ(sf->u.ipv4.val.ttl, 9, "set layout: ttl value");
		ASSERT_EQ(sf->u.ipv4.mask.ttl, 0xff, "set layout: ttl mask");
		ASSERT_EQ(sf->u.ipv4.mask.dst | sf->u.ipv4.mask.tos, 0,
			  "set layout: fields not given untouched");
	}
}

/* ---- The datapath ---- */

static void sf_case_of(const struct sf_case *sc, struct fp_h_case *c,
		       char *pcap, char *expect, size_t len)
{
	int i;

	snprintf(pcap, len, "sf_%s.pcap", sc->name);
	snprintf(expect, len, "sf_%s.out.pcap", sc->name);
	memset(c, 0, sizeof(*c));
	c->desc = sc->name;
	c->pcap = pcap;
	c->expect_pcap = expect;
	c->in_port = 1;
	c->flows[0].actions = sc->actions;
	c->expect.verdict = TC_ACT_REDIRECT;
	for (i = 0; i < FP_H_MAX_OUT; i++)
		c->expect.out[i] = sc->out[i];
	c->expect.flow = 0;
	c->expect.cnt[0].cnt = FP_CNT_HIT;
	c->expect.cnt[0].delta = 1;
	c->expect.bytes = true;
}

static bool sf_on_wire(const struct sf_case *sc)
{
	/* The push cases: pcaps/gen_set_field.py's WIRE writes their
	 * sf_<name>.wire.pcap. */
	static const char *const names[] = { "push_then_set",
					     "push2_then_set" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(sc->name, names[i]))
			return true;
	return false;
}

/*
 * A push case once more, its copy on the wire: the same actions with an
 * output to the missing port 9 after them, so that the copy to port 2 is
 * a clone, which really leaves (a redirect under test_run does not), and
 * is captured on the far end of port 2's veth, every tag in its frame.
 */
static void sf_wire_case(struct fp_h *h, const struct sf_case *sc)
{
	char pcap[64], wire[64], acts[256], desc[96];
	struct fp_h_case c;
	int i;

	snprintf(pcap, sizeof(pcap), "sf_%s.pcap", sc->name);
	snprintf(wire, sizeof(wire), "sf_%s.wire.pcap", sc->name);
	snprintf(acts, sizeof(acts), "%s,9", sc->actions);
	snprintf(desc, sizeof(desc), "%s, on the wire", sc->name);
	memset(&c, 0, sizeof(c));
	c.desc = desc;
	c.pcap = pcap;
	c.in_port = 1;
	c.flows[0].actions = acts;
	c.expect.verdict = TC_ACT_SHOT;
	for (i = 0; i < FP_H_MAX_OUT; i++)
		c.expect.out[i] = sc->out[i];
	c.expect.flow = 0;
	c.expect.cnt[0].cnt = FP_CNT_HIT;
	c.expect.cnt[0].delta = 1;
	c.expect.cnt[1].cnt = FP_CNT_OUTPUT_NO_PORT;
	c.expect.cnt[1].delta = 1;
	c.wire[0].port = 2;
	c.wire[0].pcap = wire;
	fp_h_run_case(h, &c);
}

/* Run @sc again and keep what leaves, for tshark: @path. */
static int sf_capture(struct fp_h *h, const struct sf_case *sc,
		      const char *pcap, const char *path)
{
	struct fp_h_pkt out[FP_H_MAX_PKTS] = {};
	struct fp_h_result *res = calloc(1, sizeof(*res));
	struct fp_h_pcap in = {};
	struct fp_flow_key key;
	int i, err;

	err = res ? fp_h_pcap_read(pcap, &in) : -ENOMEM;
	if (err)
		goto out;
	fp_h_key_of(in.pkt[0].data, in.pkt[0].len, 1, &key);
	err = fp_h_flow_add(h, &key, sc->actions, true);
	if (err)
		goto out;
	for (i = 0; i < in.n && !err; i++) {
		err = fp_h_test_run(h->parser_fd, h->port[0].ifindex,
				    in.pkt[i].data, in.pkt[i].len, NULL, res);
		if (err)
			break;
		out[i].data = malloc(res->len);
		if (!out[i].data) {
			err = -ENOMEM;
			break;
		}
		memcpy(out[i].data, res->data, res->len);
		out[i].len = res->len;
	}
	fp_h_flow_del(h, &key);
	if (!err)
		err = fp_h_pcap_write(path, out, in.n);
out:
	for (i = 0; i < FP_H_MAX_PKTS; i++)
		free(out[i].data);
	fp_h_pcap_free(&in);
	free(res);
	return err;
}

/* tshark's checksum verdicts on @path, one line per packet. */
static void sf_tshark(const struct sf_case *sc, const char *path, int n)
{
	char cmd[PATH_MAX + 512], line[256], label[128];
	int got = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s' -o ip.check_checksum:TRUE "
		 "-o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE "
		 "-o sctp.checksum:CRC-32c "
		 "-T fields -E separator=, -e ip.checksum.status "
		 "-e tcp.checksum.status -e udp.checksum.status "
		 "-e icmpv6.checksum.status -e sctp.checksum.status "
		 "2>/dev/null",
		 path);
	f = popen(cmd, "r");
	if (!f) {
		fp_test_report(false, sc->name, "tshark: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(label, sizeof(label), "%s: pkt %d: tshark checksums",
			 sc->name, got);
		fp_test_report(!strcmp(line, sc->csum), label,
			       "ip,tcp,udp,icmpv6,sctp status '%s', expected '%s' (1: good, 0: bad, 3: none) in %s",
			       line, sc->csum, path);
		got++;
	}
	snprintf(label, sizeof(label), "%s: tshark read every packet",
		 sc->name);
	ASSERT_EQ(pclose(f) == 0 ? got : -1, n, label);
}

static void test_cases(struct fp_h *h)
{
	char pcap[64], expect[64], path[PATH_MAX], label[PATH_MAX + 128];
	const char *dir = fp_h_output_dir();
	struct fp_h_case c;
	size_t i;

	mkdir(dir, 0755);
	for (i = 0; i < N_SF; i++) {
		sf_case_of(&sf_cases[i], &c, pcap, expect, sizeof(pcap));
		fp_h_run_case(h, &c);
		if (sf_on_wire(&sf_cases[i]))
			sf_wire_case(h, &sf_cases[i]);

		snprintf(path, sizeof(path), "%s/test_set_field-%s.pcap", dir,
			 sf_cases[i].name);
		snprintf(label, sizeof(label), "%s: actual output to %s",
			 sf_cases[i].name, path);
		if (REQUIRE_OK(sf_capture(h, &sf_cases[i], pcap, path), label))
			sf_tshark(&sf_cases[i], path, 2);
	}
}

/*
 * A flow whose set() does not fit the packet, which odp refuses to write
 * and which exact-match keys never give: installed by hand, the stage
 * must count it and drop the packet untouched.
 */
static void test_mismatch(struct fp_h *h)
{
	static const char *const acts[] = {
		"set(udp(src=1)),2", /* a TCP packet */
		"set(ipv6(hlimit=1)),2", /* an IPv4 packet */
	};
	struct fp_h_case c = {
		.desc = "set of a protocol the packet lacks",
		.pcap = "sf_tcp4_ports.pcap",
		.in_port = 1,
		.expect = { TC_ACT_SHOT, { 0 }, 0,
			    { C(HIT, 1), C(SET_MISMATCH, 1) } },
	};
	struct fp_flow_key key;
	struct fp_h_pcap in = {};
	char err[FP_ODP_ERR_LEN];
	struct fp_flow flow;
	size_t i;
	int ret;

	if (!ASSERT_OK(fp_h_pcap_read(c.pcap, &in), "mismatch: pcap"))
		return;
	fp_h_key_of(in.pkt[0].data, in.pkt[0].len, 1, &key);
	fp_h_pcap_free(&in);
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		memset(&flow, 0, sizeof(flow));
		ret = fp_odp_actions_parse(acts[i], NULL, &flow, err,
					   sizeof(err));
		if (!ret)
			ret = fp_flow_put(&h->dp, &key, &flow,
					  FP_FLOW_CREATE);
		if (!ASSERT_OK(ret, lbl("mismatch: install by hand", acts[i])))
			continue;
		/* The flow is the harness's flow 0 only by its key. */
		c.flows[0].actions = NULL;
		c.expect.flow = -1;
		fp_h_run_case(h, &c);
		fp_h_flow_del(h, &key);
	}
}

int main(void)
{
	struct fp_h h;

	fp_test_name = "test_set_field";
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_syntax();
	if (fp_h_init(&h, 3))
		return 1;
	test_cases(&h);
	test_mismatch(&h);
	fp_h_fini(&h);
	return fp_test_exit();
}
