// SPDX-License-Identifier: GPL-2.0
/*
 * Flow keys and actions in ovs-dpctl syntax (lib/odp.h), no datapath
 * needed: OVS's own canonical texts print back unchanged, every key
 * round-trips through text, and every error names its token.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "flow_extract.h"
#include "odp.h"
#include "odp_text.h"
#include "ports.h"
#include "proto.h"
#include "test.h"

static char label[FP_ODP_KEY_STRLEN];

/* A result line's label: what is checked, on which text. */
static __attribute__((noinline)) const char *lbl(const char *what,
						  const char *s)
{
	snprintf(label, sizeof(label), "%.64s: %.1900s", what, s);
	return label;
}

/* @in parses, and prints as @out (NULL: as @in). */
static void check_text(const char *in, const char *out)
{
	char err[FP_ODP_ERR_LEN], buf[FP_ODP_KEY_STRLEN];
	struct fp_flow_key key, again;

	if (!out)
		out = in;
	if (!fp_test_require(!fp_odp_key_parse(in, &key, err, sizeof(err)),
			     lbl("parses", in), "%s", err))
		return;
	fp_odp_key_format(&key, buf, sizeof(buf));
	if (!ASSERT_STREQ(buf, out, lbl("prints", in)))
		return;
	if (fp_odp_key_parse(buf, &again, err, sizeof(err)))
		fp_test_report(false, lbl("reparses", buf), "%s", err);
}

/*
 * OVS's canonical forms, from the key list of OVS's tests/odp.at
 * ("datapath key parsing and formatting - valid forms"), as
 * ovstest test-odp parse-keys prints them back. The flowpath key has no
 * skb_priority, skb_mark, ct_* or nd_ext, so those lines and attributes
 * are left out; dp_hash(0) is not printed (zero is "not set").
 */
static const char *const ovs_base[] = {
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=no)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x81,ttl=128,frag=no)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=first)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=later)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=6,tos=0,ttl=128,frag=no),tcp(src=80,dst=8080)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=17,tos=0,ttl=128,frag=no),udp(src=81,dst=6632)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=1,tos=0,ttl=128,frag=no),icmp(type=1,code=2)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x70,hlimit=128,frag=no)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x71,hlimit=128,frag=no)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x70,hlimit=128,frag=first)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x70,hlimit=128,frag=later)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=6,tclass=0,hlimit=128,frag=no),tcp(src=80,dst=8080)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=17,tclass=0,hlimit=128,frag=no),udp(src=6630,dst=22)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=1,code=2)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=136,code=0),nd(target=::3,sll=00:05:06:07:08:09,tll=00:0a:0b:0c:0d:0e)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0806),arp(sip=1.2.3.4,tip=5.6.7.8,op=1,sha=00:0f:10:11:12:13,tha=00:14:15:16:17:18)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8847),mpls(label=100,tc=3,ttl=64,bos=1)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8847),mpls(label=100,tc=7,ttl=100,bos=1)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8847),mpls(label=100,tc=7,ttl=100,bos=0)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8848),mpls(label=1000,tc=4,ttl=200,bos=1)",
	"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8848),mpls(label=1000,tc=4,ttl=200,bos=0)",
};

/* The metadata prefixes odp.at puts in front of each line. */
static const char *const ovs_prefix[] = {
	"recirc_id(0),in_port(1),",
	"recirc_id(0),tunnel(tun_id=0x7f10354,src=10.10.10.10,dst=20.20.20.20,ttl=64,flags(csum|key)),in_port(1),",
	"recirc_id(0),tunnel(tun_id=0xfedcba9876543210,src=10.0.0.1,dst=10.0.0.2,tos=0x8,ttl=128,flags(key)),in_port(1),",
	"recirc_id(0),tunnel(tun_id=0xfedcba9876543210,src=10.0.0.1,dst=10.0.0.2,ttl=128,erspan(ver=1,idx=0x7),flags(df|key)),in_port(1),",
	"recirc_id(0),tunnel(tun_id=0xfedcba9876543210,src=10.0.0.1,dst=10.0.0.2,ttl=128,erspan(ver=2,dir=1,hwid=0x7),flags(df|key)),in_port(1),",
};

static void test_ovs_forms(void)
{
	char s[FP_ODP_KEY_STRLEN];
	size_t i, j;

	fp_test_name = "odp_ovs_forms";
	for (j = 0; j < sizeof(ovs_prefix) / sizeof(ovs_prefix[0]); j++) {
		for (i = 0; i < sizeof(ovs_base) / sizeof(ovs_base[0]); i++) {
			const char *rest = strchr(ovs_base[i], ')') + 1;

			snprintf(s, sizeof(s), "%s%s", ovs_prefix[j],
				 ovs_base[i]);
			check_text(s, NULL);
			/* odp.at's VLAN form: what follows eth(...) goes
			 * into encap(...) after the tag. */
			snprintf(s, sizeof(s),
				 "%s%.*s,eth_type(0x8100),vlan(vid=99,pcp=7),encap(%s)",
				 ovs_prefix[j], (int)(rest - ovs_base[i]),
				 ovs_base[i], *rest ? rest + 1 : "");
			check_text(s, NULL);
		}
	}
}

/* Canonical forms beyond odp.at's list, checked by hand against the OVS
 * formatters (odp-util.c) they imitate. */
static const char *const more_forms[] = {
	/* Nothing but metadata: not an Ethernet frame, no eth(). */
	"recirc_id(0),in_port(0)",
	"recirc_id(0x2a),dp_hash(0xdeadbeef),in_port(4294967295)",
	/* 802.1ad outside 802.1Q, the kernel's nesting. */
	"recirc_id(0),in_port(3),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x88a8),vlan(vid=100,pcp=3),encap(eth_type(0x8100),vlan(vid=200,pcp=0),encap(eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)))",
	/* A tag without the CFI (present) bit, and 802.2 inside a tag. */
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8100),vlan(vid=5,pcp=0,cfi=0),encap()",
	/* More tags than the key holds: the ethertype is the next TPID. */
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8100),vlan(vid=1,pcp=0),encap(eth_type(0x8100),vlan(vid=2,pcp=0),encap(eth_type(0x8100)))",
	/* An Ethernet frame whose ethertype is really 0. */
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0000)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=1,tc=0,ttl=64,bos=0,label=2,tc=1,ttl=63,bos=0,label=3,tc=2,ttl=62,bos=1)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=6,tos=0x10,ttl=64,frag=no),tcp(src=40000,dst=80),tcp_flags(syn|ack)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1,dst=2),tcp_flags(fin|syn|rst|psh|ack|urg|ece|cwr|ns|[200]|[400]|[800])",
	/* A later fragment has no L4 header, whatever the protocol. */
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=6,tos=0,ttl=64,frag=later)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=224.0.0.1,proto=2,tos=0xc0,ttl=1,frag=no),igmp(type=22,code=0,group=224.0.0.251)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0xabcde,proto=132,tclass=0x2,hlimit=255,frag=first),sctp(src=5000,dst=5001)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=33:33:ff:00:00:02),eth_type(0x86dd),ipv6(src=fe80::1,dst=ff02::1:ff00:2,label=0,proto=58,tclass=0,hlimit=255,frag=no),icmpv6(type=135,code=0),nd(target=fe80::2,sll=02:00:00:00:00:01,tll=00:00:00:00:00:00)",
	/* ICMP, IGMP and ICMPv6 after the other IP version, as the parser
	 * (OVS's flow_extract()) keys them. */
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,proto=1,tclass=0,hlimit=64,frag=no),icmp(type=8,code=0)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,proto=2,tclass=0,hlimit=64,frag=no),igmp(type=22,code=20,group=0.0.0.0)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=58,tos=0,ttl=64,frag=no),icmpv6(type=135,code=0),nd(target=2001:db8::99,sll=02:00:00:00:00:01,tll=00:00:00:00:00:00)",
	/* ND with a code other than 0: the parser keys no target. */
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x86dd),ipv6(src=fe80::1,dst=fe80::2,label=0,proto=58,tclass=0,hlimit=255,frag=no),icmpv6(type=135,code=1)",
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff),eth_type(0x8035),arp(sip=0.0.0.0,tip=0.0.0.0,op=3,sha=02:00:00:00:00:01,tha=02:00:00:00:00:01)",
	"recirc_id(0),tunnel(tun_id=0x0,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,tos=0x8,ttl=64,flags(df|csum|key|seq)),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)",
	"recirc_id(0),tunnel(src=192.0.2.1,dst=192.0.2.2,ttl=64,flags(0)),in_port(2)",
};

/* Other ways to write a key, and how it prints. */
static const char *const rewrites[][2] = {
	/* Any attribute order, spaces, hex and 1-digit MAC groups; fields
	 * left out are zero, recirc_id(0) is always printed. */
	{ " udp(dst=0x35,src=1234) ipv4(ttl=64,frag=no,proto=17,src=192.0.2.1,dst=198.51.100.2), eth_type(0x800),eth(dst=2:0:0:0:0:2,src=02:00:00:00:00:01),in_port(1) ",
	  "recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)" },
	/* OVS's masked way of writing flags: unnamed means clear. */
	{ "in_port(1),tunnel(tun_id=5,src=1.1.1.1,dst=2.2.2.2,ttl=64,flags(-df+csum+key))",
	  "recirc_id(0),tunnel(tun_id=0x5,src=1.1.1.1,dst=2.2.2.2,ttl=64,flags(csum|key)),in_port(1)" },
	{ "in_port(1),eth_type(0x0800),ipv4(proto=6),tcp(),tcp_flags(0x12)",
	  "recirc_id(0),in_port(1),eth(src=00:00:00:00:00:00,dst=00:00:00:00:00:00),eth_type(0x0800),ipv4(src=0.0.0.0,dst=0.0.0.0,proto=6,tos=0,ttl=0,frag=no),tcp(src=0,dst=0),tcp_flags(syn|ack)" },
	/* A VLAN tag is present unless cfi=0; DEI is not keyed apart. */
	{ "in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8100),vlan(pcp=5,cfi=1,vid=0xa),encap(eth_type(0x0806),arp(op=2))",
	  "recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8100),vlan(vid=10,pcp=5),encap(eth_type(0x0806),arp(sip=0.0.0.0,tip=0.0.0.0,op=2,sha=00:00:00:00:00:00,tha=00:00:00:00:00:00))" },
	{ "in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=16,bos=1)",
	  "recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=16,tc=0,ttl=0,bos=1)" },
};

static void test_forms(void)
{
	size_t i;

	fp_test_name = "odp_forms";
	for (i = 0; i < sizeof(more_forms) / sizeof(more_forms[0]); i++)
		check_text(more_forms[i], NULL);
	for (i = 0; i < sizeof(rewrites) / sizeof(rewrites[0]); i++)
		check_text(rewrites[i][0], rewrites[i][1]);
}

/* ---- Random valid keys round-trip ---- */

static unsigned long long rng = 0x2545f4914f6cdd1dULL;

static __u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 16;
}

static void rnd_bytes(void *p, size_t n)
{
	__u8 *b = p;

	while (n--)
		*b++ = rnd();
}

/* Sometimes zero, for the fields printed only when not zero. */
static __u32 rnd_z(__u32 mask)
{
	return rnd() % 4 ? rnd() & mask : 0;
}

static void rnd_l4(struct fp_flow_key *k)
{
	static const __u8 protos[] = { 6, 17, 132, 1, 2, 58, 47 };

	k->nw_proto = protos[rnd() % sizeof(protos)];
	k->nw_tos = rnd();
	k->nw_ttl = rnd();
	k->nw_frag = rnd() % 3;
	if (rnd() % 8 == 0)
		k->nw_proto = rnd();
	if (k->nw_frag == FP_FRAG_LATER)
		return;
	switch (k->nw_proto) {
	case 6:
		k->tcp_flags = htons(rnd_z(0xfff));
		/* fall through */
	case 17:
	case 132:
		k->tp_src = rnd();
		k->tp_dst = rnd();
		break;
	case 1:
	case 2:
		/* After either IP version, as OVS's flow_extract(). */
		k->icmp_type = rnd();
		k->icmp_code = rnd();
		if (k->nw_proto == 2)
			rnd_bytes(&k->l2addr.igmp_group, 4);
		break;
	case 58:
		k->icmp_type = rnd() % 2 ? FP_ND_NS + rnd() % 2 : rnd();
		k->icmp_code = rnd() % 4 ? 0 : rnd();
		if ((k->icmp_type == FP_ND_NS || k->icmp_type == FP_ND_NA) &&
		    !k->icmp_code) {
			rnd_bytes(k->nd_target, 16);
			rnd_bytes(&k->l2addr.nd, sizeof(k->l2addr.nd));
		}
		break;
	}
}

/* A key the packet parser could make: fields outside its protocols zero. */
static void rnd_key(struct fp_flow_key *k)
{
	static const __u16 types[] = {
		FP_ETH_P_IP,	  FP_ETH_P_IPV6,    FP_ETH_P_ARP,
		FP_ETH_P_RARP,	  FP_ETH_P_MPLS_UC, FP_ETH_P_MPLS_MC,
		FP_ETH_P_NONE,	  0x1234,	    FP_ETH_P_8021Q,
		0,
	};
	unsigned int i, n;

	memset(k, 0, sizeof(*k));
	k->recirc_id = rnd_z(~0u);
	k->dp_hash = rnd_z(~0u);
	k->in_port = rnd() % 8 ? rnd() % FP_MAX_PORTS : FP_PORT_NONE;
	if (rnd() % 2) {
		k->tun.flags = FP_TUN_F_PRESENT |
			       (rnd() & (FP_TUN_F_KEY | FP_TUN_F_CSUM |
					 FP_TUN_F_SEQ | FP_TUN_F_DF));
		k->tun.tun_id = (__u64)rnd_z(~0u) << 32 | rnd();
		if (rnd() % 3 == 0) {
			k->tun.flags |= FP_TUN_F_IPV6;
			rnd_bytes(&k->tun.outer.ipv6, sizeof(k->tun.outer.ipv6));
		} else {
			rnd_bytes(&k->tun.outer.ipv4, sizeof(k->tun.outer.ipv4));
		}
		k->tun.tos = rnd_z(0xff);
		k->tun.ttl = rnd();
		if (rnd() % 3 == 0) {
			k->tun.flags |= FP_TUN_F_ERSPAN;
			k->tun.erspan_ver = 1 + rnd() % 2;
			if (k->tun.erspan_ver == 1) {
				k->tun.erspan_idx = rnd_z(0xfffff);
			} else {
				k->tun.erspan_dir = rnd() % 2;
				k->tun.erspan_hwid = rnd_z(0x3f);
			}
		}
	}
	if (rnd() % 16 == 0)
		return; /* no Ethernet header at all */
	rnd_bytes(k->eth_src, FP_ETH_ALEN);
	rnd_bytes(k->eth_dst, FP_ETH_ALEN);
	n = rnd() % (FP_MAX_VLAN + 1);
	for (i = 0; i < n; i++) {
		k->vlan[i].tpid = htons(rnd() % 2 ? FP_ETH_P_8021Q :
						    FP_ETH_P_8021AD);
		k->vlan[i].tci = rnd();
	}
	k->eth_type = htons(types[rnd() % (sizeof(types) / sizeof(types[0]))]);
	switch (ntohs(k->eth_type)) {
	case FP_ETH_P_IP:
		rnd_bytes(&k->nw.ipv4, sizeof(k->nw.ipv4));
		rnd_l4(k);
		break;
	case FP_ETH_P_IPV6:
		rnd_bytes(&k->nw.ipv6, sizeof(k->nw.ipv6));
		k->ipv6_label = htonl(rnd_z(FP_IPV6_LABEL));
		rnd_l4(k);
		break;
	case FP_ETH_P_ARP:
	case FP_ETH_P_RARP:
		rnd_bytes(&k->nw.ipv4, sizeof(k->nw.ipv4));
		k->arp_op = htons(rnd() & 0xff);
		rnd_bytes(&k->l2addr.arp, sizeof(k->l2addr.arp));
		break;
	case FP_ETH_P_MPLS_UC:
	case FP_ETH_P_MPLS_MC:
		n = 1 + rnd() % FP_MAX_MPLS;
		for (i = 0; i < n; i++)
			k->mpls_lse[i] = rnd_z(~0u) << 16 | rnd();
		break;
	}
}

static void test_random_round_trip(void)
{
	char err[FP_ODP_ERR_LEN], buf[FP_ODP_KEY_STRLEN], buf2[FP_ODP_KEY_STRLEN];
	struct fp_flow_key k, back;
	int i, bad = 0, longest = 0, len;

	fp_test_name = "odp_round_trip";
	for (i = 0; i < 20000; i++) {
		rnd_key(&k);
		len = fp_odp_key_format(&k, buf, sizeof(buf));
		if (len > longest)
			longest = len;
		if (fp_odp_key_parse(buf, &back, err, sizeof(err))) {
			if (!bad++)
				fp_test_report(false, "random key parses",
					       "%s: %s", buf, err);
			continue;
		}
		if (memcmp(&k, &back, sizeof(k))) {
			if (!bad++)
				ASSERT_BYTES(&back, sizeof(back), &k, sizeof(k),
					     lbl("parse(format(key)) == key",
						 buf));
			continue;
		}
		fp_odp_key_format(&back, buf2, sizeof(buf2));
		if (strcmp(buf, buf2) && !bad++)
			ASSERT_STREQ(buf2, buf, "format is stable");
	}
	ASSERT_EQ(bad, 0, "20000 random keys: parse(format(key)) == key");
	ASSERT_TRUE(longest < FP_ODP_KEY_STRLEN / 2, "keys print well within FP_ODP_KEY_STRLEN");
}

/*
 * Every key the packet parser makes round-trips: the test pcaps (every
 * protocol, malformed and truncated variants) keyed by the userspace build
 * of the parser, on a port and on none.
 */
static void test_parser_keys(void)
{
	static const char *const files[] = {
		"parse.pcap", "parse_partial.pcap", "dp_arp.pcap",
		"dp_ipv4_tcp.pcap", "dp_ipv4_udp.pcap", "dp_ipv6_udp.pcap",
		"dp_vlan_udp.pcap",
	};
	char err[FP_ODP_ERR_LEN], buf[FP_ODP_KEY_STRLEN], path[4096];
	char perr[PCAP_ERRBUF_SIZE];
	const char *dir = getenv("FP_PCAP_DIR"), *top = getenv("FP_TOP");
	struct fp_flow_key k, back;
	size_t i;

	fp_test_name = "odp_parser_keys";
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const unsigned char *pkt;
		struct pcap_pkthdr *h;
		int n = 0, bad = 0;
		pcap_t *p;

		if (dir)
			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		else
			snprintf(path, sizeof(path), "%s/build/pcaps/%s",
				 top ? top : ".", files[i]);
		p = pcap_open_offline(path, perr);
		if (!p) {
			printf("SKIP: %s: %s: %s (make tests generates it)\n",
			       fp_test_name, files[i], perr);
			continue;
		}
		while (pcap_next_ex(p, &h, &pkt) == 1) {
			__u32 port = n % 2 ? 7 : FP_PORT_NONE;

			/* As the parser stage: zeroed, metadata, parse. */
			memset(&k, 0, sizeof(k));
			k.in_port = port;
			fp_flow_extract(&k, pkt, pkt + h->caplen, 0, 0);
			n++;
			fp_odp_key_format(&k, buf, sizeof(buf));
			if (fp_odp_key_parse(buf, &back, err, sizeof(err))) {
				if (!bad++)
					fp_test_report(false, lbl(files[i], buf),
						       "packet %d: %s", n, err);
			} else if (memcmp(&k, &back, sizeof(k))) {
				if (!bad++)
					ASSERT_BYTES(&back, sizeof(back), &k,
						     sizeof(k), lbl(files[i], buf));
			}
		}
		pcap_close(p);
		snprintf(path, sizeof(path),
			 "%s: the keys of its %d packets round-trip", files[i], n);
		fp_test_report(!bad && n > 0, path, "%d of %d do not", bad, n);
	}
}

/* The longest key there is, and snprintf-style truncation. */
static void test_format_limits(void)
{
	char buf[FP_ODP_KEY_STRLEN], small[16];
	struct fp_flow_key k;
	int len, len2;

	fp_test_name = "odp_format_limits";
	memset(&k, 0xff, sizeof(k));
	len = fp_odp_key_format(&k, buf, sizeof(buf));
	ASSERT_TRUE(len > 0 && len < FP_ODP_KEY_STRLEN, "all-ones key fits");
	ASSERT_EQ(strlen(buf), len, "length returned is the text's");
	len2 = fp_odp_key_format(&k, small, sizeof(small));
	ASSERT_EQ(len2, len, "cut short: still returns the whole length");
	ASSERT_EQ(strlen(small), sizeof(small) - 1, "cut short: NUL-terminated");
	ASSERT_TRUE(!strncmp(small, buf, sizeof(small) - 1), "cut short: a prefix");
	ASSERT_EQ(fp_odp_key_format(&k, NULL, 0), len, "no buffer: just the length");
}

/* A key no parser would make still shows every field; its text is refused
 * and the message names the attribute that does not fit. */
static void test_stray_fields(void)
{
	char err[FP_ODP_ERR_LEN], buf[FP_ODP_KEY_STRLEN];
	struct fp_flow_key k, back;

	fp_test_name = "odp_stray_fields";
	memset(&k, 0, sizeof(k));
	k.in_port = 1;
	k.eth_type = htons(FP_ETH_P_ARP);
	k.tp_dst = htons(80);
	k.mpls_lse[1] = htonl(0x12345);
	fp_odp_key_format(&k, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "recirc_id(0),in_port(1),eth(src=00:00:00:00:00:00,dst=00:00:00:00:00:00),eth_type(0x0806),arp(sip=0.0.0.0,tip=0.0.0.0,op=0,sha=00:00:00:00:00:00,tha=00:00:00:00:00:00),mpls(label=0,tc=0,ttl=0,bos=0,label=18,tc=1,ttl=69,bos=1),tcp(src=0,dst=80)",
		     "ports and MPLS in an ARP key are printed");
	ASSERT_EQ(fp_odp_key_parse(buf, &back, err, sizeof(err)), -EINVAL,
		  "and refused");
	ASSERT_TRUE(strstr(err, "mpls(...) does not fit this flow: it needs eth_type(0x8847)"),
		    "naming mpls");
}

/* ---- Errors ---- */

#define ETH "eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)"

static const char *const key_errors[][2] = {
	{ "ipv4(foo=1)", "unknown field 'foo' in ipv4(...) (expected src, dst, proto, tos, ttl, frag)" },
	{ "in_port(1)," ETH ",eth_type(0x0800),ipv4(src=1.2.3.4,dst=5.6.7.8,foo=1)", "unknown field 'foo' in ipv4(...)" },
	{ "tunnel(tp_src=1)", "unknown field 'tp_src' in tunnel(...)" },
	{ "skb_mark(0)", "unknown key attribute 'skb_mark'" },
	{ "erspan(ver=1)", "unknown key attribute 'erspan'" },
	{ "in_port(1),eth(src=02:00:00:00:00:zz,dst=02:00:00:00:00:02)", "bad MAC address '02:00:00:00:00:zz' for eth(src=...): expected six hex bytes" },
	{ "eth(src=02:00:00:00:00,dst=02:00:00:00:00:02)", "bad MAC address '02:00:00:00:00' for eth(src=...)" },
	{ "eth(src=02:00:00:00:00:01:03)", "bad MAC address '02:00:00:00:00:01:03'" },
	{ "eth(dst=002:00:00:00:00:01)", "bad MAC address '002:00:00:00:00:01' for eth(dst=...)" },
	{ "eth_type(0x0800),ipv4(src=1.2.3)", "bad IPv4 address '1.2.3' for ipv4(src=...)" },
	{ "eth_type(0x0800),ipv4(dst=1.2.3.256)", "bad IPv4 address '1.2.3.256' for ipv4(dst=...)" },
	{ "eth_type(0x86dd),ipv6(src=::g)", "bad IPv6 address '::g' for ipv6(src=...)" },
	{ "eth_type(0x0800),ipv4(ttl=256)", "value '256' out of range for ipv4(ttl=...): expected 0 to 255" },
	{ "eth_type(0x86dd),ipv6(label=0x100000)", "value '0x100000' out of range for ipv6(label=...): expected 0 to 0xfffff" },
	{ "eth_type(0x8100),vlan(vid=4096),encap()", "value '4096' out of range for vlan(vid=...): expected 0 to 4095" },
	{ "eth_type(0x8847),mpls(label=1048576)", "value '1048576' out of range for mpls(label=...)" },
	{ "recirc_id(0x100000000)", "value '0x100000000' out of range for recirc_id(...)" },
	{ "recirc_id(99999999999999999999999)", "value '99999999999999999999999' out of range for recirc_id(...)" },
	{ "tunnel(erspan(ver=3))", "value '3' out of range for erspan(ver=...): expected 1 to 2" },
	{ "in_port(256)", "in_port(256): out of range: expected a port from 0 to 255" },
	{ "in_port(x)", "bad number 'x' for in_port(...)" },
	{ "in_port(-1)", "bad number '-1' for in_port(...)" },
	{ "in_port(010x)", "bad number '010x' for in_port(...)" },
	{ "in_port()", "missing value for in_port(...)" },
	{ "in_port(1,2)", "in_port(...) takes one value: unexpected ',2)'" },
	{ "eth_type(0x0800),ipv4(frag=maybe)", "bad value 'maybe' for ipv4(frag=...): expected no, first or later" },
	{ "eth_type(0x0800),ipv4(proto=6),tcp_flags(syn|foo)", "unknown flag 'foo' in tcp_flags(...)" },
	{ "tunnel(flags(oam))", "unknown flag 'oam' in tunnel(flags(...)) (expected df, csum, key, seq" },
	{ "tunnel(flags(0x40))", "value '0x40' out of range for tunnel(flags(...))" },
	{ "eth_type(0x0800),ipv4(src=1.2.3.4/255.255.255.0)", "'1.2.3.4/255.255.255.0' for ipv4(src=...): masks are not supported" },
	{ "in_port(1/0xff)", "masks are not supported" },
	{ "in_port(1", "unbalanced parentheses: 'in_port(' is not closed" },
	{ "in_port(1))", "unbalanced parentheses: unexpected ')'" },
	{ "in_port(1),eth_type(0x0800),ipv4(src=1.2.3.4", "unbalanced parentheses: 'ipv4(' is not closed" },
	{ "eth_type(0x8100),vlan(vid=1),encap(eth_type(0x0800)", "unbalanced parentheses: 'encap(' is not closed" },
	{ "tunnel(flags(df)", "unbalanced parentheses: 'tunnel(' is not closed" },
	{ "tunnel(flags(df", "'flags(' is not closed in tunnel(...)" },
	{ "in_port(1)x", "trailing garbage 'x' after in_port(...)" },
	{ "in_port(1);", "trailing garbage ';' after in_port(...)" },
	{ "in_port(1) ;", "expected a key attribute such as in_port(1), not ';'" },
	{ "in_port 1", "expected '(' after 'in_port'" },
	{ "eth_type(0x0800),ipv4(src)", "expected '=' after 'src' in ipv4(...)" },
	{ "eth_type(0x0800),ipv4(src=)", "missing value for ipv4(src=...)" },
	{ "eth_type(0x0800),ipv4(=1)", "unexpected '=1' in ipv4(...)" },
	{ "in_port(1),in_port(2)", "duplicate attribute 'in_port(...)'" },
	{ "eth_type(0x0800),eth_type(0x0800)", "duplicate attribute 'eth_type(...)'" },
	{ "eth_type(0x0800),ipv4(src=1.1.1.1,src=2.2.2.2)", "duplicate field 'src' in ipv4(...)" },
	{ "eth_type(0x8847),mpls(label=1,label=2,label=3,label=4)", "too many entries in mpls(...) at 'label': at most 3" },
	{ "", "empty flow key" },
	{ " , ", "empty flow key" },
	{ ETH ",eth_type(0x0800),ipv4(proto=17),tcp(src=1,dst=2)", "tcp(...) does not fit this flow: it needs ipv4(...) or ipv6(...) with proto=6" },
	{ ETH ",eth_type(0x0800),ipv4(proto=6,frag=later),tcp(src=1,dst=2)", "tcp(...) does not fit this flow" },
	{ ETH ",ipv4(proto=6)", "ipv4(...) does not fit this flow: it needs eth_type(0x0800)" },
	{ ETH ",eth_type(0x86dd),ipv6(proto=58),icmp(type=8)", "icmp(...) does not fit this flow: it needs ipv4(...) or ipv6(...) with proto=1" },
	{ ETH ",eth_type(0x0800),ipv4(proto=2,frag=later),igmp(type=8)", "igmp(...) does not fit this flow" },
	{ ETH ",eth_type(0x86dd),ipv6(proto=58),icmpv6(type=1),nd(target=::1)", "nd(...) does not fit this flow: it needs icmpv6(type=135 or 136,code=0)" },
	{ ETH ",eth_type(0x0800),arp(op=1)", "arp(...) does not fit this flow: it needs eth_type(0x0806) or eth_type(0x8035)" },
	{ ETH ",eth_type(0x0800),vlan(vid=1),encap()", "vlan(...) needs eth_type(0x8100) or eth_type(0x88a8) beside it" },
	{ ETH ",vlan(vid=1),encap()", "vlan(...) needs eth_type(0x8100) or eth_type(0x88a8) beside it" },
	{ ETH ",eth_type(0x8100),encap(eth_type(0x0800))", "encap(...) without vlan(...)" },
	{ ETH ",eth_type(0x8100),vlan(vid=1),encap(eth_type(0x8100),vlan(vid=2),encap(eth_type(0x8100),vlan(vid=3),encap()))", "a key holds at most 2 VLAN tags" },
	{ ETH ",eth_type(0x8100),vlan(vid=1),encap(eth_type(0x0800)),ipv4(proto=1)", "ipv4(...) belongs in the innermost encap(...)" },
	{ ETH ",eth_type(0x8100),vlan(vid=1),encap(in_port(1))", "in_port(...) is not allowed inside encap(...)" },
	{ "tunnel(erspan(ver=2,idx=1))", "tunnel(erspan(idx=...)): idx is for ver=1, not ver=2" },
	{ "tunnel(erspan(ver=1,hwid=1))", "dir and hwid are for ver=2, not ver=1" },
	{ "tunnel(erspan())", "tunnel(erspan(...)): missing ver=1 or ver=2" },
	{ "tunnel(src=1.1.1.1,ipv6_dst=::1)", "src=/dst= (IPv4) and ipv6_src=/ipv6_dst= cannot both be given" },
	{ "tunnel(erspan=1)", "expected '(' after 'erspan' in tunnel(...)" },
	{ "eth_type(0x0800),ipv4(src=1.2.3.4(5))", "unexpected '(' after '1.2.3.4' in ipv4(src=...)" },
	/* Tokens are quoted, long ones cut. */
	{ "in_port(1),aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(1)", "unknown key attribute 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'" },
};

static void test_key_errors(void)
{
	char err[FP_ODP_ERR_LEN];
	struct fp_flow_key k, zero;
	size_t i;

	fp_test_name = "odp_key_errors";
	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < sizeof(key_errors) / sizeof(key_errors[0]); i++) {
		const char *in = key_errors[i][0], *want = key_errors[i][1];
		int ret;

		memset(&k, 0xaa, sizeof(k));
		ret = fp_odp_key_parse(in, &k, err, sizeof(err));
		if (!fp_test_report(ret == -EINVAL, lbl("refused", in),
				    "returned %d", ret))
			continue;
		fp_test_report(strstr(err, want) != NULL, lbl("says", want),
			       "message is '%s'", err);
		if (memcmp(&k, &zero, sizeof(k)))
			fp_test_report(false, lbl("key zeroed", in), "%s", "");
	}
	/* No room for the message is no reason to fail differently. */
	ASSERT_EQ(fp_odp_key_parse("ipv4(foo=1)", &k, NULL, 0), -EINVAL,
		  "errlen 0");
	ASSERT_EQ(fp_odp_key_parse("ipv4(foo=1)", &k, err, 8), -EINVAL,
		  "short errlen");
	ASSERT_EQ(strlen(err), 7, "short errlen: cut and terminated");
}

/* One attribute with the fields given, as set(...) actions will carry. */
static void test_attr_alone(void)
{
	char err[FP_ODP_ERR_LEN], buf[256];
	struct fp_flow_key key, mask;
	struct fp_odp_in in = { .err = err, .errlen = sizeof(err) };
	struct fp_odp_out o;

	fp_test_name = "odp_attr_alone";
	memset(&key, 0, sizeof(key));
	memset(&mask, 0, sizeof(mask));
	in.p = "ipv4(ttl=9,src=192.0.2.7),rest";
	if (!ASSERT_OK(fp_odp_key_attr_parse(&in, &key, &mask), "parses"))
		return;
	ASSERT_STREQ(in.p, ",rest", "cursor past the attribute");
	ASSERT_EQ(key.nw_ttl, 9, "ttl");
	ASSERT_EQ(mask.nw_ttl, 0xff, "ttl given");
	ASSERT_EQ(mask.nw.ipv4.src, 0xffffffff, "src given");
	ASSERT_EQ(mask.nw.ipv4.dst, 0, "dst not given");
	ASSERT_EQ(mask.nw_tos, 0, "tos not given");
	fp_odp_out_init(&o, buf, sizeof(buf));
	ASSERT_OK(fp_odp_key_attr_format(&o, "ipv4", &key, &mask), "prints");
	ASSERT_STREQ(buf, "ipv4(src=192.0.2.7,ttl=9)", "only the fields given");

	memset(&mask, 0, sizeof(mask));
	in.p = "eth_type(0x8100),vlan(vid=5,pcp=1)";
	err[0] = '\0';
	ASSERT_EQ(fp_odp_key_attr_parse(&in, &key, &mask), -EINVAL,
		  "eth_type alone refused");
	ASSERT_STREQ(err, "eth_type(...) cannot stand alone here",
		     "eth_type alone: message");
	in.p = "vlan(pcp=1)";
	err[0] = '\0';
	ASSERT_EQ(fp_odp_key_attr_parse(&in, &key, &mask), -EINVAL,
		  "vlan alone refused");
	ASSERT_STREQ(err, "vlan(...) cannot stand alone here",
		     "vlan alone: message");
	in.p = "eth(dst=02:00:00:00:00:09)";
	ASSERT_OK(fp_odp_key_attr_parse(&in, &key, &mask), "eth parses");
	fp_odp_out_init(&o, buf, sizeof(buf));
	fp_odp_key_attr_format(&o, "eth", &key, &mask);
	ASSERT_STREQ(buf, "eth(dst=02:00:00:00:00:09)", "eth, dst only");
	in.p = "tcp(src=1,foo=2)";
	ASSERT_EQ(fp_odp_key_attr_parse(&in, &key, &mask), -EINVAL, "bad field");
	ASSERT_TRUE(strstr(err, "unknown field 'foo' in tcp(...)"), "named");
}

/* ---- Actions ---- */

static void check_actions(const char *in, const char *out,
			  const struct fp_flow_key *key)
{
	char err[FP_ODP_ERR_LEN], buf[FP_ODP_ACTIONS_STRLEN];
	struct fp_flow flow, again;

	memset(&flow, 0, sizeof(flow));
	if (!fp_test_report(!fp_odp_actions_parse(in, key, &flow, err,
						  sizeof(err)),
			    lbl("actions parse", in), "%s", err))
		return;
	fp_odp_actions_format(&flow, buf, sizeof(buf));
	ASSERT_STREQ(buf, out, lbl("actions print", in));
	memset(&again, 0, sizeof(again));
	if (fp_odp_actions_parse(buf, key, &again, err, sizeof(err)))
		fp_test_report(false, lbl("actions reparse", buf), "%s", err);
	else
		ASSERT_BYTES(&again, sizeof(again), &flow, sizeof(flow),
			     lbl("actions round trip", buf));
}

static const char *const action_errors[][2] = {
	{ "", "no actions: expected a port number" },
	{ "foo", "unknown action 'foo' (expected a port number" },
	{ "1,foo(2)", "unknown action 'foo'" },
	{ "x1", "unknown action 'x1'" },
	{ "1x", "bad port '1x' in output action" },
	{ "0", "port '0' out of range in output action: expected 1 to 255" },
	{ "256", "port '256' out of range in output action: expected 1 to 255" },
	{ "99999999999999999999999", "port '99999999999999999999999' out of range" },
	{ "drop,1", "'drop' must be the only action" },
	{ "1,drop", "'drop' must be the only action" },
	{ "1)", "unbalanced parentheses: unexpected ')' after '1'" },
	{ "1(2)", "trailing garbage '(' after action '1'" },
	{ "1;2", "bad port '1;2'" },
	{ "!", "unknown action '!'" },
	{ "push_vlan(vid=4096,pcp=0)",
	  "vid '4096' out of range in push_vlan(...): expected 0 to 4095" },
	{ "push_vlan(vid=1,pcp=8)",
	  "pcp '8' out of range in push_vlan(...): expected 0 to 7" },
	{ "push_vlan(tpid=0x9100,vid=1,pcp=0)",
	  "tpid '0x9100' in push_vlan(...): expected 0x8100 or 0x88a8" },
	{ "push_vlan(vid=1)", "push_vlan(...) needs vid= and pcp=" },
	{ "push_vlan(vid=1,pcp=0,cfi=0)", "cfi '0' in push_vlan(...)" },
	{ "push_vlan(vid=x,pcp=0)", "bad vid 'x' in push_vlan(...)" },
	{ "push_vlan(vid=1,vid=2,pcp=0)", "argument 'vid' given twice" },
	{ "push_vlan(prio=1)", "unknown argument 'prio' in push_vlan(...)" },
	{ "push_vlan", "expected '(' after push_vlan" },
	{ "pop_vlan(1)", "trailing garbage '(' after action 'pop_vlan'" },
	{ "hash(l3(0))", "unknown hash algorithm 'l3' in hash(...)" },
	{ "hash(l4(x))", "bad number 'x' in hash(l4(...))" },
	{ "hash(l4(0x100000000))", "'0x100000000' out of range in hash(l4(...))" },
	{ "recirc(1),2", "action '2' after recirc(...): recirc must be the last action" },
	{ "recirc()", "bad number ')' in recirc(...)" },
	{ "set(tunnel())", "set(tunnel()) sets no field" },
	{ "set(tunnel(ipv6_dst=2001:db8::2))",
	  "IPv6 outer headers are not supported" },
	{ "set(tunnel(tun_id=1,foo=2))", "unknown field 'foo' in tunnel(...)" },
	{ "set(tunnel(erspan(idx=1)))",
	  "tunnel(erspan(...)): missing ver=1 or ver=2" },
	{ "set(tunnel(ttl=256))",
	  "value '256' out of range for tunnel(ttl=...)" },
	{ "set(tunnel(ttl=1),ipv4(ttl=2))",
	  "set(...) takes one attribute: unexpected ',ipv4(ttl=2))' after tunnel(...)" },
};

static void test_actions(void)
{
	char err[FP_ODP_ERR_LEN], many[512], buf[FP_ODP_ACTIONS_STRLEN];
	struct fp_flow_key key;
	struct fp_flow flow;
	size_t i;
	int n;

	fp_test_name = "odp_actions";
	check_actions("drop", "drop", NULL);
	check_actions("  drop ", "drop", NULL);
	check_actions("2", "2", NULL);
	check_actions("1,2,3", "1,2,3", NULL);
	check_actions(" 0x2, 3\t4 ", "2,3,4", NULL);
	check_actions("255", "255", NULL);
	/* VLAN, hash, recirc: printed as OVS's format_odp_action does. */
	check_actions("push_vlan(vid=100,pcp=3)", "push_vlan(vid=100,pcp=3)",
		      NULL);
	check_actions("2,push_vlan(vid=100,pcp=0),3",
		      "2,push_vlan(vid=100,pcp=0),3", NULL);
	check_actions("push_vlan(tpid=0x88a8,vid=4095,pcp=7,cfi=1)",
		      "push_vlan(tpid=0x88a8,vid=4095,pcp=7)", NULL);
	check_actions("push_vlan(pcp=1,vid=0,tpid=33024)",
		      "push_vlan(vid=0,pcp=1)", NULL);
	check_actions("pop_vlan,pop_vlan,1", "pop_vlan,pop_vlan,1", NULL);
	check_actions("hash(l4(0)),recirc(1)", "hash(l4(0)),recirc(0x1)", NULL);
	check_actions("hash(l4(4294967295)),recirc(0xffffffff)",
		      "hash(l4(4294967295)),recirc(0xffffffff)", NULL);
	check_actions("recirc(0)", "recirc(0)", NULL);
	/* set(tunnel(...)): the key's tunnel(...) syntax, given fields only. */
	check_actions("set(tunnel(tun_id=0x5,src=192.0.2.1,dst=198.51.100.2,tos=0x10,ttl=64,flags(df|key))),3",
		      "set(tunnel(tun_id=0x5,src=192.0.2.1,dst=198.51.100.2,tos=0x10,ttl=64,flags(df|key))),3",
		      NULL);
	check_actions("set(tunnel(dst=198.51.100.9)),3",
		      "set(tunnel(dst=198.51.100.9)),3", NULL);
	check_actions("set(tunnel(tun_id=0,ttl=9)),2",
		      "set(tunnel(tun_id=0x0,ttl=9)),2", NULL);
	check_actions("set(tunnel(erspan(ver=2,dir=1,hwid=0x4))),3",
		      "set(tunnel(erspan(ver=2,dir=1,hwid=0x4))),3", NULL);
	check_actions("set(tunnel(tun_id=7,erspan(ver=1,idx=0x12345),flags(0))),3",
		      "set(tunnel(tun_id=0x7,erspan(ver=1,idx=0x12345),flags(0))),3",
		      NULL);
	memset(&flow, 0, sizeof(flow));
	ASSERT_OK(fp_odp_actions_parse("set(tunnel(tun_id=0x5,dst=198.51.100.2,flags(df))),3",
				       NULL, &flow, err, sizeof(err)),
		  "set(tunnel) parses");
	ASSERT_EQ(flow.actions[0].type, FP_ACT_SET_TUNNEL, "set(tunnel) type");
	ASSERT_EQ(flow.actions[0].u.set_tunnel.given,
		  FP_SET_TUN_ID | FP_SET_TUN_DST | FP_SET_TUN_FLAGS,
		  "set(tunnel) fields given");
	ASSERT_EQ(flow.actions[0].u.set_tunnel.tun.tun_id, htobe64(5),
		  "set(tunnel) tun_id, network order");
	ASSERT_EQ(flow.actions[0].u.set_tunnel.tun.outer.ipv4.dst,
		  htonl(0xc6336402), "set(tunnel) dst");
	ASSERT_EQ(flow.actions[0].u.set_tunnel.tun.flags & FP_TUN_F_DF,
		  FP_TUN_F_DF, "set(tunnel) df");
	ASSERT_EQ(flow.flags & FP_FLOW_F_SLOW_PATH, 0,
		  "set(tunnel) runs in BPF");
	memset(&flow, 0, sizeof(flow));
	ASSERT_OK(fp_odp_actions_parse("push_vlan(tpid=0x88a8,vid=100,pcp=5)",
				       NULL, &flow, err, sizeof(err)),
		  "push_vlan parses");
	ASSERT_EQ(flow.actions[0].type, FP_ACT_PUSH_VLAN, "push_vlan type");
	ASSERT_EQ(ntohs(flow.actions[0].u.push_vlan.tpid), 0x88a8,
		  "push_vlan tpid, network order");
	ASSERT_EQ(ntohs(flow.actions[0].u.push_vlan.tci), 5 << 13 | 100,
		  "push_vlan tci: pcp and vid, no CFI (DEI 0 on the wire)");
	ASSERT_EQ(flow.flags & FP_FLOW_F_SLOW_PATH, 0, "push_vlan has a stage");

	/* Out of the port it came in: asked for, so the datapath does it. */
	memset(&key, 0, sizeof(key));
	key.in_port = 3;
	memset(&flow, 0, sizeof(flow));
	ASSERT_OK(fp_odp_actions_parse("2,3", &key, &flow, err, sizeof(err)),
		  "output to in_port parses");
	ASSERT_EQ(flow.n_actions, 2, "two actions");
	ASSERT_EQ(flow.actions[0].type, FP_ACT_OUTPUT, "output");
	ASSERT_EQ(flow.actions[0].u.output.flags, 0, "to another port: no flag");
	ASSERT_EQ(flow.actions[1].u.output.flags, FP_OUTPUT_F_IN_PORT,
		  "to in_port: FP_OUTPUT_F_IN_PORT");
	ASSERT_EQ(flow.flags & FP_FLOW_F_SLOW_PATH, 0, "output has a stage");
	check_actions("3", "3", &key);

	/* 32 fit; the 33rd is named. */
	for (n = 0, i = 0; i < FP_MAX_ACTIONS; i++)
		n += snprintf(many + n, sizeof(many) - n, "%s%zu", i ? "," : "",
			      i % 200 + 1);
	check_actions(many, many, NULL);
	snprintf(many + n, sizeof(many) - n, ",77");
	ASSERT_EQ(fp_odp_actions_parse(many, NULL, &flow, err, sizeof(err)),
		  -EINVAL, "33 actions refused");
	ASSERT_TRUE(strstr(err, "too many actions: '77' would be action 33, a flow holds at most 32"),
		    "33 actions: names the token");
	ASSERT_EQ(flow.n_actions, 0, "refused: no actions left behind");
	/* For the slow path the same 33 fit: all kept, the flow marked. */
	{
		static struct fp_slow_actions all;
		static char text[FP_ODP_SLOW_ACTIONS_STRLEN];

		ASSERT_OK(fp_odp_actions_parse_all(many, NULL, &flow, &all, err,
						   sizeof(err)),
			  "33 actions for the slow path");
		ASSERT_EQ(all.n_actions, 33, "slow path: all 33 kept");
		ASSERT_EQ(flow.n_actions, FP_MAX_ACTIONS,
			  "slow path: the flow holds 32");
		ASSERT_EQ(flow.flags & FP_FLOW_F_SLOW_PATH, FP_FLOW_F_SLOW_PATH,
			  "slow path: flow marked");
		fp_odp_actions_format_list(all.actions, all.n_actions, text,
					   sizeof(text));
		ASSERT_STREQ(text, many, "slow path: printed whole");
		ASSERT_OK(fp_odp_actions_parse_all("2,3", NULL, &flow, &all, err,
						   sizeof(err)),
			  "2 actions, parse_all");
		ASSERT_EQ(flow.flags & FP_FLOW_F_SLOW_PATH, 0,
			  "2 actions: not the slow path");
		for (n = 0, i = 0; i <= FP_SLOW_MAX_ACTIONS; i++)
			n += snprintf(text + n, sizeof(text) - n, "%s%d",
				      i ? "," : "", i == FP_SLOW_MAX_ACTIONS ? 77 : 2);
		ASSERT_EQ(fp_odp_actions_parse_all(text, NULL, &flow, &all, err,
						   sizeof(err)),
			  -EINVAL, "257 actions refused");
		ASSERT_TRUE(strstr(err, "too many actions: '77' would be action 257, a slow-path flow holds at most 256"),
			    "257 actions: names the token");
	}

	for (i = 0; i < sizeof(action_errors) / sizeof(action_errors[0]); i++) {
		const char *in = action_errors[i][0], *want = action_errors[i][1];

		memset(&flow, 0, sizeof(flow));
		if (!ASSERT_EQ(fp_odp_actions_parse(in, NULL, &flow, err,
						    sizeof(err)),
			       -EINVAL, lbl("actions refused", in)))
			continue;
		fp_test_report(strstr(err, want) != NULL, lbl("says", want),
			       "message is '%s'", err);
	}

	/* An action type this build has no printer for is still shown. */
	memset(&flow, 0, sizeof(flow));
	flow.n_actions = 1;
	flow.actions[0].type = 99;
	fp_odp_actions_format(&flow, buf, sizeof(buf));
	ASSERT_STREQ(buf, "action99", "unknown type printed");
}

int main(void)
{
	test_ovs_forms();
	test_forms();
	test_random_round_trip();
	test_parser_keys();
	test_format_limits();
	test_stray_fields();
	test_key_errors();
	test_attr_alone();
	test_actions();
	return fp_test_exit();
}
