// SPDX-License-Identifier: GPL-2.0
/*
 * The rule engine (lib/ofrule.h), no datapath needed: rule lines print
 * back in ovs-ofctl's normal form, bad lines are refused with a message
 * naming the token, lookup returns the right rule, del-flows and file
 * loading follow ovs-ofctl, and each OpenFlow action translates into the
 * datapath actions it should (compared as ovs-dpctl text).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mac_learning.h"
#include "odp.h"
#include "ofrule.h"
#include "ports.h"
#include "test.h"

static char label[1024];

static const char *lbl(const char *what, const char *s)
{
	snprintf(label, sizeof(label), "%.64s: %.900s", what, s);
	return label;
}

/* Input line; its match and actions as ovs-ofctl parse-flow prints them
 * (NULL actions: as in the input after "actions="). */
static const struct {
	const char *in, *match, *actions;
} forms[] = {
	{ "priority=10,ip,nw_dst=192.0.2.0/24,actions=output:2",
	  "priority=10,ip,nw_dst=192.0.2.0/24", "output:2" },
	{ "in_port=1,actions=drop", "in_port=1", "drop" },
	{ "actions=", "", "drop" },
	{ "priority=32768,actions=1", "", "output:1" },
	{ "tcp,tp_dst=80,dl_vlan=5,actions=mod_vlan_vid:7,normal",
	  "tcp,dl_vlan=5,tp_dst=80", "mod_vlan_vid:7,NORMAL" },
	{ "priority=5,in_port=3,dl_src=02:00:00:00:00:01/ff:ff:ff:00:00:00,dl_dst=02:00:00:00:00:02,dl_vlan=10,dl_vlan_pcp=3,actions=1",
	  "priority=5,in_port=3,dl_vlan=10,dl_vlan_pcp=3,dl_src=02:00:00:00:00:00/ff:ff:ff:00:00:00,dl_dst=02:00:00:00:00:02",
	  "output:1" },
	{ "vlan_tci=0x1005/0x1fff,actions=1", "dl_vlan=5", "output:1" },
	{ "vlan_tci=0,actions=1", "vlan_tci=0x0000", "output:1" },
	{ "dl_vlan=0xffff,actions=1", "vlan_tci=0x0000", "output:1" },
	{ "vlan_tci=0x2000/0xe000,actions=1", "vlan_tci=0x2000/0xe000",
	  "output:1" },
	{ "dl_vlan_pcp=3,actions=1", "dl_vlan_pcp=3", "output:1" },
	{ "dl_type=0x88cc,actions=1", "dl_type=0x88cc", "output:1" },
	{ "dl_type=0x0800,nw_proto=6,actions=1", "tcp", "output:1" },
	{ "ip,nw_proto=50,actions=1", "ip,nw_proto=50", "output:1" },
	{ "ip,nw_proto=2,actions=1", "igmp", "output:1" },
	{ "udp,nw_src=192.0.2.0/255.255.255.0,nw_dst=198.51.100.1/255.255.0.255,nw_tos=32,nw_ecn=2,nw_ttl=9,tp_src=0x100/0xff00,tp_dst=53,actions=1",
	  "udp,nw_src=192.0.2.0/24,nw_dst=198.51.0.1/255.255.0.255,nw_tos=32,nw_ecn=2,nw_ttl=9,tp_src=0x100/0xff00,tp_dst=53",
	  "output:1" },
	{ "arp,arp_spa=192.0.2.1,arp_tpa=192.0.2.0/24,arp_sha=02:00:00:00:00:01,arp_tha=02:00:00:00:00:02/ff:ff:ff:ff:ff:00,arp_op=1,actions=1",
	  "arp,arp_spa=192.0.2.1,arp_tpa=192.0.2.0/24,arp_op=1,arp_sha=02:00:00:00:00:01,arp_tha=02:00:00:00:00:00/ff:ff:ff:ff:ff:00",
	  "output:1" },
	{ "arp,nw_src=192.0.2.1,nw_proto=2,actions=1",
	  "arp,arp_spa=192.0.2.1,arp_op=2", "output:1" },
	{ "rarp,actions=1", "rarp", "output:1" },
	{ "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1,actions=1",
	  "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1", "output:1" },
	{ "ipv6,ipv6_src=2001:db8::1/ffff::ffff,actions=1",
	  "ipv6,ipv6_src=2001::1/ffff::ffff", "output:1" },
	{ "icmp,icmp_type=8,icmp_code=0,actions=1",
	  "icmp,icmp_type=8,icmp_code=0", "output:1" },
	{ "icmp6,icmpv6_type=128,icmpv6_code=0,actions=1",
	  "icmp6,icmp_type=128,icmp_code=0", "output:1" },
	{ "tcp,tcp_flags=+syn-ack,actions=1", "tcp,tcp_flags=+syn-ack",
	  "output:1" },
	{ "tcp,tcp_flags=0x12,actions=1", "tcp,tcp_flags=syn|ack",
	  "output:1" },
	{ "tcp,tcp_flags=0x12/0x12,actions=1", "tcp,tcp_flags=+syn+ack",
	  "output:1" },
	{ "tcp,tcp_flags=syn|ack,actions=1", "tcp,tcp_flags=syn|ack",
	  "output:1" },
	{ "tcp6,tcp_flags=+fin,actions=1", "tcp6,tcp_flags=+fin", "output:1" },
	/* The reserved bits by OVS's names, printed so they parse again. */
	{ "tcp,tcp_flags=012/0x224,actions=1", "tcp,tcp_flags=+rst-urg-[200]",
	  "output:1" },
	{ "tcp,tcp_flags=0x212/0x224,actions=1", "tcp,tcp_flags=-rst-urg+[200]",
	  "output:1" },
	{ "tcp,tcp_flags=0xa02,actions=1", "tcp,tcp_flags=syn|[200]|[800]",
	  "output:1" },
	{ "tcp,tcp_flags=+[400]-fin,actions=1", "tcp,tcp_flags=-fin+[400]",
	  "output:1" },
	{ "tun_id=5,tun_src=192.0.2.1,tun_dst=192.0.2.0/24,actions=1",
	  "tun_id=0x5,tun_src=192.0.2.1,tun_dst=192.0.2.0/24", "output:1" },
	{ "tun_id=0x5/0xff,actions=1", "tun_id=0x5/0xff", "output:1" },
	{ "sctp,tp_dst=9,actions=1", "sctp,tp_dst=9", "output:1" },
	{ "udp6,tp_src=9,actions=1", "udp6,tp_src=9", "output:1" },
	{ "ip,nw_proto=17,tp_dst=1,actions=1", "udp,tp_dst=1", "output:1" },
	{ "tcp,tcp_dst=22,actions=1", "tcp,tp_dst=22", "output:1" },
	{ "  ip  nw_src=192.0.2.1  actions=1, 2", "ip,nw_src=192.0.2.1",
	  "output:1,output:2" },
	{ "actions=in_port,normal,flood,all,output:NORMAL",
	  "", "IN_PORT,NORMAL,FLOOD,ALL,NORMAL" },
	{ "actions=mod_vlan_vid:7,mod_vlan_pcp:3,strip_vlan,pop_vlan,push_vlan:0x88a8",
	  "", "mod_vlan_vid:7,mod_vlan_pcp:3,strip_vlan,strip_vlan,push_vlan:0x88a8" },
	{ "ip,actions=mod_dl_src:02:00:00:00:00:01,mod_dl_dst:02:00:00:00:00:02,mod_nw_src:192.0.2.1,mod_nw_dst:192.0.2.2,mod_nw_tos:32,mod_nw_ttl:9,dec_ttl",
	  "ip", NULL },
	{ "tcp,actions=mod_tp_src:80,mod_tp_dst:81,set_field:192.0.2.1->ip_dst,set_field:02:00:00:00:00:01->eth_src,set_field:80->tcp_dst",
	  "tcp", NULL },
	{ "tcp6,actions=set_field:2001:db8::1->ipv6_src,set_field:3->nw_ttl",
	  "tcp6", NULL },
	{ "dl_vlan=1,actions=set_field:3->vlan_pcp,set_field:4103->vlan_vid",
	  "dl_vlan=1", "set_field:3->vlan_pcp,set_field:7->vlan_vid" },
	{ "actions=set_tunnel:5,set_tunnel64:0x123456789,set_field:7->tun_id",
	  "", "set_tunnel:0x5,set_tunnel64:0x123456789,set_tunnel64:0x7" },
	{ "actions=Drop", "", "drop" },
};

static void test_forms(void)
{
	char err[FP_RULE_ERR_LEN], buf[FP_RULE_STRLEN], buf2[FP_RULE_STRLEN];
	unsigned int i;

	fp_test_name = "ofrule_forms";
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const char *want_act = forms[i].actions;
		struct fp_rule *r, *again;

		if (!want_act)
			want_act = strstr(forms[i].in, "actions=") + 8;
		if (!fp_test_require(!fp_rule_parse(forms[i].in, &r, err,
						    sizeof(err)),
				     lbl("parses", forms[i].in), "%s", err))
			continue;
		fp_rule_format_match(r, buf, sizeof(buf));
		ASSERT_STREQ(buf, forms[i].match, lbl("match", forms[i].in));
		fp_rule_format_actions(r, buf, sizeof(buf));
		ASSERT_STREQ(buf, want_act, lbl("actions", forms[i].in));
		/* The dump form parses back to the same rule. */
		snprintf(buf2, sizeof(buf2), "%.1000s actions=%.3000s",
			 forms[i].match, buf);
		if (fp_test_report(!fp_rule_parse(buf2, &again, err,
						  sizeof(err)),
				   lbl("reparses", buf2), "%s", err)) {
			ASSERT_TRUE(again->priority == r->priority &&
					    !memcmp(&again->key, &r->key,
						    sizeof(r->key)) &&
					    !memcmp(&again->mask, &r->mask,
						    sizeof(r->mask)),
				    lbl("same match", buf2));
			fp_rule_free(again);
		}
		fp_rule_free(r);
	}
}

/* Lines refused, and a piece of the message (the token it names). */
static const struct {
	const char *in, *msg;
} errors[] = {
	{ "in_port=1", "must specify actions" },
	{ "foo=1,actions=1", "unknown field 'foo'" },
	{ "bogus,actions=1", "'bogus'" },
	{ "priority=70000,actions=1", "priority '70000'" },
	{ "tcp,tp_dst=65536,actions=1", "'65536' of tp_dst" },
	{ "ip,nw_src=300.1.1.1,actions=1", "'300.1.1.1' of nw_src" },
	{ "ip,nw_src=192.0.2.1/33,actions=1", "'33' of nw_src" },
	{ "ip,nw_tos=33,actions=1", "nw_tos '33'" },
	{ "ip,nw_ecn=4,actions=1", "'4' of nw_ecn" },
	{ "dl_vlan=4096,actions=1", "dl_vlan '4096'" },
	{ "dl_vlan_pcp=8,actions=1", "'8' of dl_vlan_pcp" },
	{ "tcp,tp_dst=80,tp_dst=81,actions=1", "'tp_dst=81': tp_dst is given twice" },
	{ "tcp,udp,actions=1", "'udp' contradicts" },
	{ "dl_vlan=0xffff,dl_vlan_pcp=1,actions=1", "'dl_vlan_pcp=1' contradicts" },
	{ "nw_src=192.0.2.1,actions=1", "nw_src needs ip, arp or rarp" },
	{ "tp_dst=80,actions=1", "tp_dst needs tcp, udp or sctp" },
	{ "ip,tp_dst=80,actions=1", "tp_dst needs" },
	{ "nw_ttl=3,actions=1", "nw_ttl needs ip or ipv6" },
	{ "ip,ipv6_src=::1,actions=1", "ipv6_src needs ipv6" },
	{ "udp,tcp_flags=0x2,actions=1", "tcp_flags needs tcp" },
	{ "icmp,icmpv6_type=1,actions=1", "icmpv6_type needs icmp6" },
	{ "ip,arp_op=1,actions=1", "arp_op needs arp or rarp" },
	{ "tcp,tcp_flags=+syn-bogus,actions=1", "unknown flag 'bogus'" },
	{ "tcp,tcp_flags=+syn+syn,actions=1", "flag 'syn' given twice" },
	{ "dl_src=02:00:00:00:00,actions=1", "'02:00:00:00:00' of dl_src" },
	{ "dl_type=0x0800/0xff00,actions=1", "dl_type cannot be masked" },
	{ "in_port=1/1,actions=1", "in_port cannot be masked" },
	{ "ip,nw_src=,actions=1", "nw_src needs a value" },
	{ "ip,nw_src=192.0.2.1/,actions=1", "a mask must follow" },
	{ "ipv6,ipv6_src=2001:db8::/129,actions=1", "'129' of ipv6_src" },
	{ "idle_timeout=10,actions=1", "idle_timeout is not supported" },
	{ "in_port,actions=1", "'in_port' needs a value" },
	{ "=5,actions=1", "'=5'" },
	{ "actions=drop,1", "\"drop\" must not be accompanied" },
	{ "actions=1,drop", "\"drop\" must not be accompanied" },
	{ "actions=bogus", "unknown action 'bogus'" },
	{ "actions=output:", "output:: expected a port number" },
	{ "actions=output:0", "output:0: expected a port number" },
	{ "actions=output:256", "output:256" },
	{ "actions=300", "output:300" },
	{ "actions=mod_vlan_vid:4096", "mod_vlan_vid:4096" },
	{ "actions=mod_vlan_pcp:8", "mod_vlan_pcp:8" },
	{ "actions=mod_vlan_vid", "mod_vlan_vid needs an argument" },
	{ "actions=push_vlan:0x9100", "push_vlan:0x9100" },
	{ "actions=mod_nw_tos:33", "nw_tos '33'" },
	{ "actions=mod_nw_src:192.0.2", "'192.0.2' of nw_src" },
	{ "actions=mod_dl_src:02:00:00:00:00:01/ff:ff:ff:ff:ff:ff", "no mask" },
	{ "actions=normal:1", "'normal:1'" },
	{ "actions=set_field:5", "set_field:5: expected set_field:VALUE->FIELD" },
	{ "actions=set_field:5->foo", "unknown field 'foo'" },
	{ "actions=set_field:192.0.2.1->ip_dst", "ip_dst needs ip" },
	{ "actions=set_field:5->vlan_vid", "vlan_vid needs a VLAN tag" },
	{ "dl_vlan=3,actions=strip_vlan,set_field:5->vlan_vid", "vlan_vid needs a VLAN tag" },
	{ "udp,actions=set_field:53->tcp_src", "tcp_src needs tcp" },
	{ "ip,actions=set_field:6->nw_proto", "nw_proto cannot be set" },
	{ "arp,actions=set_field:192.0.2.1->arp_spa", "arp_spa cannot be set" },
	{ "actions=set_tunnel:0x100000000", "set_tunnel:0x100000000" },
	{ "ip actions=dec_ttl:1", "'dec_ttl:1'" },
};

static void test_errors(void)
{
	char err[FP_RULE_ERR_LEN];
	unsigned int i;

	fp_test_name = "ofrule_errors";
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct fp_rule *r = (struct fp_rule *)1;
		int ret = fp_rule_parse(errors[i].in, &r, err, sizeof(err));

		if (!ASSERT_EQ(ret, -EINVAL, lbl("refused", errors[i].in)))
			continue;
		ASSERT_TRUE(r == NULL, lbl("no rule", errors[i].in));
		fp_test_report(strstr(err, errors[i].msg) != NULL,
			       lbl("message", errors[i].in),
			       "'%s' lacks '%s'", err, errors[i].msg);
	}
}

static struct fp_rule *must_parse(const char *s)
{
	char err[FP_RULE_ERR_LEN];
	struct fp_rule *r;

	if (fp_rule_parse(s, &r, err, sizeof(err))) {
		fp_test_report(false, lbl("parses", s), "%s", err);
		return NULL;
	}
	return r;
}

static bool key_of(const char *text, struct fp_flow_key *key)
{
	char err[FP_ODP_ERR_LEN];

	return fp_test_report(!fp_odp_key_parse(text, key, err, sizeof(err)),
			      lbl("key", text), "%s", err);
}

#define K_UDP                                                             \
	"in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),"    \
	"eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.7,proto=17,"  \
	"tos=0x21,ttl=64,frag=no),udp(src=1234,dst=53)"
#define K_TCP                                                             \
	"in_port(2),eth(src=02:00:00:00:00:03,dst=02:00:00:00:00:01),"    \
	"eth_type(0x0800),ipv4(src=198.51.100.7,dst=192.0.2.1,proto=6,"   \
	"tos=0,ttl=1,frag=no),tcp(src=80,dst=4321),tcp_flags(syn|ack)"
#define K_VLAN                                                            \
	"in_port(3),eth(src=02:00:00:00:00:04,dst=ff:ff:ff:ff:ff:ff),"    \
	"eth_type(0x8100),vlan(vid=10,pcp=5),encap(eth_type(0x0806),"     \
	"arp(sip=192.0.2.4,tip=192.0.2.1,op=1,sha=02:00:00:00:00:04,"    \
	"tha=00:00:00:00:00:00))"
#define K_V6                                                              \
	"in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),"    \
	"eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,"  \
	"proto=17,tclass=0,hlimit=64,frag=no),udp(src=5,dst=6)"

static const char *const lookup_rules[] = {
	"priority=0,actions=drop", /* 0 */
	"priority=10,ip,actions=1", /* 1 */
	"priority=20,udp,tp_dst=53,actions=2", /* 2 */
	"priority=20,ip,nw_dst=198.51.100.0/24,actions=3", /* 3: tie with 2 */
	"priority=30,tcp,tcp_flags=+syn+ack,actions=4", /* 4 */
	"priority=30,arp,dl_vlan=10,arp_op=1,actions=5", /* 5 */
	"priority=25,dl_vlan_pcp=5,actions=6", /* 6 */
	"priority=40,ipv6,ipv6_dst=2001:db8::/64,in_port=2,actions=7", /* 7 */
	"priority=40,udp6,in_port=1,ipv6_src=2001:db8::1,tp_src=5,actions=8",
};

static void test_lookup(void)
{
	static const struct {
		const char *key;
		int rule; /* index in lookup_rules */
	} cases[] = {
		{ K_UDP, 2 }, { K_TCP, 4 }, { K_VLAN, 5 }, { K_V6, 8 },
		{ "in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x88cc)",
		  0 },
		{ "in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=203.0.113.1,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)",
		  1 },
	};
	struct fp_rule *added[sizeof(lookup_rules) / sizeof(lookup_rules[0])];
	struct fp_rule_table *t = fp_rules_new();
	struct fp_flow_key key;
	unsigned int i;
	__u64 id2;

	fp_test_name = "ofrule_lookup";
	if (!ASSERT_TRUE(t != NULL, "table"))
		return;
	for (i = 0; i < sizeof(lookup_rules) / sizeof(lookup_rules[0]); i++) {
		added[i] = must_parse(lookup_rules[i]);
		if (!added[i] || !ASSERT_OK(fp_rules_add(t, added[i]), "add"))
			goto out;
	}
	ASSERT_EQ(fp_rules_count(t), 9, "count");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fp_rule *r;

		if (!key_of(cases[i].key, &key))
			continue;
		r = fp_rules_lookup(t, &key);
		fp_test_report(r == added[cases[i].rule],
			       lbl("finds its rule", cases[i].key),
			       "got rule id %lld, expected %lld",
			       r ? (long long)r->id : -1LL,
			       (long long)added[cases[i].rule]->id);
	}
	/* Ties go to the rule added first: 2 before 3. */
	id2 = added[2]->id;
	key_of(K_UDP, &key);
	fp_rules_del(t, "priority=20,udp,tp_dst=53", true, NULL, 0);
	ASSERT_TRUE(fp_rules_lookup(t, &key) == added[3], "next of the tie");
	ASSERT_TRUE(fp_rules_find_id(t, added[3]->id) == added[3], "find_id");
	ASSERT_TRUE(fp_rules_find_id(t, id2) == NULL,
		    "find_id of a deleted rule");
out:
	fp_rules_free(t);
}

static int collect(struct fp_rule *r, void *arg)
{
	char *buf = arg, m[256];

	fp_rule_format_actions(r, m, sizeof(m));
	strcat(buf, m);
	strcat(buf, ";");
	return 0;
}

static void dump(const struct fp_rule_table *t, char *buf)
{
	buf[0] = '\0';
	fp_rules_foreach(t, collect, buf);
}

static void test_table(void)
{
	static const char *const rules[] = {
		"priority=5,ip,actions=1",
		"priority=5,tcp,actions=2",
		"priority=5,tcp,tp_dst=80,actions=3",
		"priority=9,tcp,tp_dst=80,actions=4",
		"priority=1,arp,actions=5",
	};
	char err[FP_RULE_ERR_LEN], buf[1024], path[] = "/tmp/fpt-ofrule-XXXXXX";
	struct fp_rule_table *t = fp_rules_new();
	__u64 gen, id;
	struct fp_rule *r;
	unsigned int i;
	FILE *f;
	int fd;

	fp_test_name = "ofrule_table";
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		fp_rules_add(t, must_parse(rules[i]));
	dump(t, buf);
	ASSERT_STREQ(buf, "output:4;output:1;output:2;output:3;output:5;",
		     "dump order: priority, then age");
	/* add-flow replaces the same match and priority. */
	r = fp_rules_find_id(t, 2);
	id = r->id;
	r->n_packets = 7;
	gen = fp_rules_generation(t);
	fp_rules_add(t, must_parse("priority=5,tcp,actions=9"));
	ASSERT_EQ(fp_rules_count(t), 5, "replace keeps the count");
	ASSERT_TRUE(fp_rules_find_id(t, id) == NULL, "replaced rule is gone");
	ASSERT_TRUE(fp_rules_generation(t) != gen, "generation moves");
	fp_rule_format(fp_rules_find_id(t, 6), buf, sizeof(buf));
	ASSERT_STREQ(buf, " n_packets=0, n_bytes=0, priority=5,tcp actions=output:9",
		     "dump-flows line, stats not kept");

	/* del-flows: strict needs the same priority. */
	ASSERT_EQ(fp_rules_del(t, "tcp,tp_dst=80", true, err, sizeof(err)), 0,
		  "strict, default priority: none");
	ASSERT_EQ(fp_rules_del(t, "priority=9,tcp,tp_dst=80", true, err,
			       sizeof(err)),
		  1, "strict with priority");
	/* Non-strict: tcp covers tcp,tp_dst=80 too, not ip. */
	ASSERT_EQ(fp_rules_del(t, "tcp", false, err, sizeof(err)), 2,
		  "non-strict deletes the more specific");
	dump(t, buf);
	ASSERT_STREQ(buf, "output:1;output:5;", "left after del");
	ASSERT_EQ(fp_rules_del(t, "tcp,bogus=1", false, err, sizeof(err)),
		  -EINVAL, "bad del match");
	ASSERT_TRUE(strstr(err, "bogus") != NULL, "del message names it");
	ASSERT_EQ(fp_rules_del(t, "ip,actions=1", false, err, sizeof(err)),
		  -EINVAL, "del with actions");
	ASSERT_STREQ(err, "'actions=' does not belong in a match",
		     "del with actions: message");
	ASSERT_EQ(fp_rules_del(t, "", false, err, sizeof(err)), 2,
		  "empty deletes all");
	ASSERT_EQ(fp_rules_count(t), 0, "empty table");

	/* Files: all or nothing. */
	fd = mkstemp(path);
	if (!ASSERT_TRUE(fd >= 0, "temp file"))
		goto out;
	f = fdopen(fd, "w");
	fprintf(f, "# comment\n\npriority=3,ip,actions=1 # trailing\n"
		   "  arp,actions=2\n");
	fclose(f);
	fp_rules_add(t, must_parse("priority=7,udp,actions=3"));
	ASSERT_EQ(fp_rules_load_file(t, path, false, err, sizeof(err)), 2,
		  "load adds");
	ASSERT_EQ(fp_rules_count(t), 3, "loaded with what was there");
	ASSERT_EQ(fp_rules_load_file(t, path, true, err, sizeof(err)), 2,
		  "load replaces");
	dump(t, buf);
	ASSERT_STREQ(buf, "output:2;output:1;", "replaced by the file");
	f = fopen(path, "w");
	fprintf(f, "ip,actions=4\n# two\ntcp,tp_dst=99999,actions=1\n");
	fclose(f);
	gen = fp_rules_generation(t);
	ASSERT_EQ(fp_rules_load_file(t, path, true, err, sizeof(err)), -EINVAL,
		  "bad file refused");
	snprintf(buf, sizeof(buf), "%s:3: ", path);
	fp_test_report(!strncmp(err, buf, strlen(buf)) &&
			       strstr(err, "99999"),
		       "message has FILE:LINE and the token", "got '%s'", err);
	ASSERT_EQ(fp_rules_count(t), 2, "table untouched");
	ASSERT_EQ(fp_rules_generation(t), gen, "generation untouched");
	unlink(path);
	ASSERT_EQ(fp_rules_load_file(t, path, true, err, sizeof(err)), -ENOENT,
		  "missing file");
	ASSERT_TRUE(strstr(err, path) != NULL, "message names the file");
out:
	fp_rules_free(t);
}

/* Rule, key, expected datapath actions as ovs-dpctl text. */
static const struct {
	const char *rule, *key, *want;
} xlates[] = {
	{ "ip,actions=output:2", K_UDP, "2" },
	{ "ip,actions=output:1", K_UDP, "drop" }, /* in_port: dropped */
	{ "ip,actions=in_port", K_UDP, "1" },
	{ "ip,actions=drop", K_UDP, "drop" },
	{ "ip,actions=mod_nw_src:192.0.2.9,2", K_UDP,
	  "set(ipv4(src=192.0.2.9)),2" },
	{ "ip,actions=2,mod_nw_src:192.0.2.9,3", K_UDP,
	  "2,set(ipv4(src=192.0.2.9)),3" },
	{ "ip,actions=mod_nw_src:192.0.2.1,2", K_UDP, "2" }, /* unchanged */
	{ "ip,actions=mod_nw_dst:192.0.2.9,mod_nw_tos:8,mod_nw_ttl:9,3", K_UDP,
	  "set(ipv4(dst=192.0.2.9,tos=0x8/0xfc,ttl=9)),3" },
	{ "ip,actions=dec_ttl,2,dec_ttl,3", K_UDP,
	  "set(ipv4(ttl=63)),2,set(ipv4(ttl=62)),3" },
	{ "tcp,actions=3,dec_ttl,4", K_TCP, "3" }, /* ttl 1: dropped */
	{ "ip,actions=mod_dl_src:02:00:00:00:00:0a,mod_dl_dst:02:00:00:00:00:0b,2",
	  K_UDP,
	  "set(eth(src=02:00:00:00:00:0a,dst=02:00:00:00:00:0b)),2" },
	{ "udp,actions=mod_tp_src:1,mod_tp_dst:2,3", K_UDP,
	  "set(udp(src=1,dst=2)),3" },
	{ "tcp,actions=set_field:99->tcp_dst,1", K_TCP,
	  "set(tcp(dst=99)),1" },
	{ "ip,actions=set_field:3->ip_ecn,2", K_UDP,
	  "set(ipv4(tos=0x3/0x3)),2" },
	{ "ip,actions=mod_vlan_vid:7,2", K_UDP, "push_vlan(vid=7,pcp=0),2" },
	{ "ip,actions=mod_vlan_pcp:3,2", K_UDP, "push_vlan(vid=0,pcp=3),2" },
	{ "arp,actions=mod_vlan_vid:7,2", K_VLAN,
	  "pop_vlan,push_vlan(vid=7,pcp=5),2" },
	{ "arp,actions=strip_vlan,2", K_VLAN, "pop_vlan,2" },
	{ "arp,actions=2,strip_vlan,4", K_VLAN, "2,pop_vlan,4" },
	{ "arp,actions=push_vlan:0x88a8,set_field:5->vlan_vid,2", K_VLAN,
	  "push_vlan(tpid=0x88a8,vid=5,pcp=0),2" },
	{ "ip,actions=push_vlan:0x8100,set_field:5->vlan_vid,set_field:2->vlan_pcp,2",
	  K_UDP, "push_vlan(vid=5,pcp=2),2" },
	{ "arp,dl_vlan=10,actions=push_vlan:0x88a8,set_field:5->vlan_vid,2",
	  K_VLAN, "push_vlan(tpid=0x88a8,vid=5,pcp=0),2" },
	{ "ip,actions=strip_vlan,2", K_UDP, "2" },
	{ "ip,actions=flood", K_UDP, "2,3,4" },
	{ "ip,actions=all", K_UDP, "2,3,4" },
	{ "ip,actions=normal", K_UDP, "4" }, /* learned */
	{ "arp,actions=normal", K_VLAN, "1,2,4" }, /* broadcast */
	{ "ipv6,actions=mod_nw_ttl:3,mod_nw_tos:4,set_field:2001:db8::9->ipv6_dst,2",
	  K_V6, "set(ipv6(dst=2001:db8::9,tclass=0x4/0xfc,hlimit=3)),2" },
	{ "ipv6,actions=mod_nw_src:192.0.2.9,2", K_V6, "2" }, /* not IPv4 */
	{ "udp6,actions=mod_tp_dst:7,dec_ttl,2", K_V6,
	  "set(ipv6(hlimit=63)),set(udp(dst=7)),2" },
};

static void test_xlate(void)
{
	static const struct fp_xlate_port ports[] = {
		{ 1, FP_PORT_NETDEV }, { 2, FP_PORT_NETDEV },
		{ 3, FP_PORT_NETDEV }, { 4, FP_PORT_NETDEV },
	};
	static const __u8 mac2[6] = { 2, 0, 0, 0, 0, 2 };
	static struct fp_slow_actions out;
	char err[FP_RULE_ERR_LEN], buf[FP_ODP_ACTIONS_STRLEN];
	struct fp_mac_table *macs = fp_mac_table_new(16, 0);
	struct fp_xlate_ctx ctx = { ports, 4, macs, 1000 };
	struct fp_flow_key key;
	unsigned int i;
	int ret;

	fp_test_name = "ofrule_xlate";
	fp_mac_learn(macs, 0, mac2, 4, 1000);
	for (i = 0; i < sizeof(xlates) / sizeof(xlates[0]); i++) {
		struct fp_rule *r = must_parse(xlates[i].rule);

		if (!r || !key_of(xlates[i].key, &key)) {
			fp_rule_free(r);
			continue;
		}
		ret = fp_rule_xlate(r, &key, &ctx, &out, err, sizeof(err));
		if (fp_test_require(!ret, lbl("translates", xlates[i].rule),
				    "%d: %s", ret, err)) {
			fp_odp_actions_format_list(out.actions, out.n_actions,
						   buf, sizeof(buf));
			ASSERT_STREQ(buf, xlates[i].want,
				     lbl("actions", xlates[i].rule));
		}
		fp_rule_free(r);
	}
	/* Table miss: drop. */
	key_of(K_UDP, &key);
	ASSERT_OK(fp_rule_xlate(NULL, &key, &ctx, &out, err, sizeof(err)),
		  "miss translates");
	ASSERT_EQ(out.n_actions, 0, "miss is a drop");
	/* The in_port flag on an explicit in_port output. */
	{
		struct fp_rule *r = must_parse("actions=in_port");

		fp_rule_xlate(r, &key, &ctx, &out, err, sizeof(err));
		ASSERT_TRUE(out.n_actions == 1 &&
				    out.actions[0].u.output.port == 1 &&
				    out.actions[0].u.output.flags ==
					    FP_OUTPUT_F_IN_PORT,
			    "in_port flag");
		fp_rule_free(r);
	}
	/* normal with the destination learned on the input port: drop. */
	fp_mac_learn(macs, 0, mac2, 1, 2000);
	{
		struct fp_rule *r = must_parse("actions=normal");

		ASSERT_OK(fp_rule_xlate(r, &key, &ctx, &out, err, sizeof(err)),
			  "normal to in_port");
		ASSERT_EQ(out.n_actions, 0, "normal never back out of in_port");
		ctx.macs = NULL;
		fp_rule_xlate(r, &key, &ctx, &out, err, sizeof(err));
		ASSERT_EQ(out.n_actions, 3, "no MAC table: normal floods");
		fp_rule_free(r);
	}
	/* Too many: -E2BIG. */
	{
		char line[4096] = "ip,actions=";
		struct fp_rule *r;

		for (i = 0; i < 40; i++)
			strcat(line, "mod_nw_ttl:5,flood,mod_nw_ttl:6,flood,");
		strcat(line, "4");
		r = must_parse(line);
		if (r) {
			ASSERT_EQ(fp_rule_xlate(r, &key, &ctx, &out, err,
						sizeof(err)),
				  -E2BIG, "more than 256 actions");
			ASSERT_STREQ(err, "more than 256 datapath actions",
				     "more than 256 actions: message");
			fp_rule_free(r);
		}
	}
	/* What cannot translate says so. */
	{
		struct fp_rule *r = must_parse("ip,actions=set_tunnel:5,2");

		ASSERT_EQ(fp_rule_xlate(r, &key, &ctx, &out, err, sizeof(err)),
			  -EINVAL, "set_tunnel refused");
		ASSERT_TRUE(strstr(err, "set_tunnel:0x5") != NULL,
			    "set_tunnel message");
		fp_rule_free(r);
		r = must_parse("arp,actions=set_field:192.0.2.9->nw_src,2");
		key_of(K_VLAN, &key);
		ASSERT_EQ(fp_rule_xlate(r, &key, &ctx, &out, err, sizeof(err)),
			  -EINVAL, "ARP rewrite refused");
		ASSERT_STREQ(err,
			     "set_field:...->ip_src on an ARP packet: no datapath action rewrites ARP addresses",
			     "ARP rewrite: message");
		fp_rule_free(r);
	}
	fp_mac_table_free(macs);
}

static void test_mac_learning(void)
{
	static const __u8 a[6] = { 2, 0, 0, 0, 0, 0xa }, b[6] = { 2, 0, 0, 0, 0, 0xb };
	static const __u8 mc[6] = { 1, 0, 0x5e, 0, 0, 1 };
	const __u64 s = 1000000000ull;
	struct fp_mac_table *m = fp_mac_table_new(3, 10 * s);
	__u8 mac[6] = { 2, 0, 0, 0, 1, 0 };
	unsigned int i;

	fp_test_name = "mac_learning";
	if (!ASSERT_TRUE(m != NULL, "table"))
		return;
	ASSERT_EQ(fp_mac_learn(m, 0, a, 1, 1 * s), 0, "learn new");
	ASSERT_EQ(fp_mac_lookup(m, 0, a, 2 * s), 1, "lookup");
	ASSERT_EQ(fp_mac_lookup(m, 5, a, 2 * s), 0, "per VLAN");
	ASSERT_EQ(fp_mac_learn(m, 0, a, 1, 3 * s), 0, "relearn same port");
	ASSERT_EQ(fp_mac_learn(m, 0, a, 2, 4 * s), 1, "move detected");
	ASSERT_EQ(fp_mac_lookup(m, 0, a, 4 * s), 2, "moved");
	ASSERT_EQ(fp_mac_learn(m, 0, mc, 3, 4 * s), -EINVAL,
		  "multicast source refused");
	ASSERT_EQ(fp_mac_lookup(m, 0, mc, 4 * s), 0, "multicast never found");
	ASSERT_EQ(fp_mac_learn(m, 5, b, 3, 5 * s), 0, "learn on VLAN 5");
	ASSERT_EQ(fp_mac_lookup(m, 0, a, 15 * s), 0, "idle too long: unknown");
	ASSERT_EQ(fp_mac_learn(m, 0, a, 4, 15 * s), 0,
		  "expired relearned elsewhere: not a move");
	ASSERT_EQ(fp_mac_expire(m, 16 * s), 1, "expire the idle one");
	ASSERT_EQ(fp_mac_count(m), 1, "one left");
	/* Bounded: the least recently seen goes first. */
	for (i = 0; i < 3; i++) {
		mac[5] = (__u8)i;
		fp_mac_learn(m, 0, mac, 10 + i, (20 + i) * s);
	}
	ASSERT_EQ(fp_mac_count(m), 3, "bounded");
	ASSERT_EQ(fp_mac_lookup(m, 0, a, 22 * s), 0, "oldest evicted");
	mac[5] = 0;
	ASSERT_EQ(fp_mac_lookup(m, 0, mac, 22 * s), 10, "newer kept");
	ASSERT_EQ(fp_mac_flush_port(m, 11), 1, "flush a port");
	ASSERT_EQ(fp_mac_count(m), 2, "flushed");
	fp_mac_table_free(m);

	/* Many entries: every one found, none lost in the chains. */
	m = fp_mac_table_new(5000, 0);
	for (i = 0; i < 5000; i++) {
		mac[3] = (__u8)(i >> 8);
		mac[4] = (__u8)i;
		fp_mac_learn(m, (__u16)(i % 7), mac, 1 + i % 200, s);
	}
	for (i = 0; i < 5000; i++) {
		mac[3] = (__u8)(i >> 8);
		mac[4] = (__u8)i;
		if (fp_mac_lookup(m, (__u16)(i % 7), mac, s) != 1 + i % 200)
			break;
	}
	ASSERT_EQ(i, 5000, "5000 entries all found");
	ASSERT_EQ(fp_mac_expire(m, 400 * s), 5000, "default 300 s aging");
	fp_mac_table_free(m);
}

int main(void)
{
	test_forms();
	test_errors();
	test_lookup();
	test_table();
	test_xlate();
	test_mac_learning();
	return fp_test_exit();
}
