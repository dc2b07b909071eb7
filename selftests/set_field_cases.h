/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The set_field cases: pcaps/gen_set_field.py writes sf_<name>.pcap and
 * the expected sf_<name>.out.pcap of each. One table, run against the
 * expected output and tshark by test_set_field and against the userspace
 * executor by test_pkt_exec.
 */
#ifndef FP_SELFTESTS_SET_FIELD_CASES_H
#define FP_SELFTESTS_SET_FIELD_CASES_H

#include "harness.h"

struct sf_case {
	const char *name; /* sf_<name>.pcap, sf_<name>.out.pcap */
	const char *actions;
	__u32 out[FP_H_MAX_OUT];
	/* tshark's ip, tcp, udp, icmpv6, sctp checksum.status of each
	 * packet: 1 good, 3 not present (UDP checksum 0); empty: no such
	 * header. */
	const char *csum;
};

static const struct sf_case sf_cases[] = {
	{ "eth", "set(eth(src=02:00:00:00:00:0a,dst=02:00:00:00:00:0b)),2",
	  { 2 }, "1,,1,," },
	{ "eth_masked", "set(eth(dst=0a:0b:0c:00:00:00/ff:ff:ff:00:00:00)),2",
	  { 2 }, "1,1,,," },
	{ "ipv4_tcp",
	  "set(ipv4(src=203.0.113.5,dst=203.0.113.6,tos=0xb9,ttl=9)),2",
	  { 2 }, "1,1,,," },
	{ "ipv4_udp",
	  "set(ipv4(src=203.0.113.5,dst=203.0.113.6,tos=0xb9,ttl=9)),2",
	  { 2 }, "1,,1,," },
	{ "ipv4_udp0",
	  "set(ipv4(src=203.0.113.5,dst=203.0.113.6,tos=0xb9,ttl=9)),2",
	  { 2 }, "1,,3,," },
	{ "ipv4_masked",
	  "set(ipv4(src=203.0.113.0/255.255.255.0,tos=0x3/0x3)),2", { 2 },
	  "1,1,,," },
	{ "ipv4_vlan", "set(ipv4(dst=203.0.113.6,ttl=1)),2", { 2 },
	  "1,,1,," },
	{ "ipv6_tcp",
	  "set(ipv6(src=2001:db8:1::a,dst=2001:db8:2::b,label=0x54321,"
	  "tclass=0x28,hlimit=7)),2",
	  { 2 }, ",1,,," },
	{ "ipv6_udp",
	  "set(ipv6(src=2001:db8:1::a,dst=2001:db8:2::b,label=0x54321,"
	  "tclass=0x28,hlimit=7)),2",
	  { 2 }, ",,1,," },
	{ "ipv6_icmp", "set(ipv6(src=2001:db8:1::a,dst=2001:db8:2::b)),2",
	  { 2 }, ",,,1," },
	{ "ipv6_ext", "set(ipv6(dst=2001:db8:2::b)),2", { 2 }, ",,1,," },
	{ "ipv6_masked",
	  "set(ipv6(dst=2001:db8:ffff::/ffff:ffff:ffff::,label=0x3/0xf)),2",
	  { 2 }, ",,1,," },
	{ "tcp4_ports", "set(tcp(src=8080,dst=8443)),2", { 2 }, "1,1,,," },
	{ "udp4_ports", "set(udp(src=1111,dst=2222)),2", { 2 }, "1,,1,," },
	{ "udp4_0_ports", "set(udp(src=1111,dst=2222)),2", { 2 }, "1,,3,," },
	{ "tcp6_ports", "set(tcp(src=8080,dst=8443)),2", { 2 }, ",1,,," },
	{ "udp6_ports", "set(udp(dst=5353)),2", { 2 }, ",,1,," },
	{ "tcp_masked", "set(tcp(dst=0x1f00/0xff00)),2", { 2 }, "1,1,,," },
	{ "sctp4_ports", "set(sctp(src=5001,dst=7000)),2", { 2 }, "1,,,,1" },
	{ "sctp6_ports", "set(sctp(dst=0xa00/0xf00)),2", { 2 }, ",,,,1" },
	{ "sctp4_addr", "set(ipv4(src=203.0.113.5)),2", { 2 }, "1,,,,1" },
	/* frag=later: the IP checksum only, no L4 header to touch. */
	{ "ipv4_later_frag", "set(ipv4(src=203.0.113.5,ttl=3)),2", { 2 },
	  "1,,,," },
	{ "sctp4_padded", "set(sctp(dst=7000)),2", { 2 }, "1,,,,1" },
	{ "udp4_padded", "set(ipv4(dst=203.0.113.6)),set(udp(dst=2222)),2",
	  { 2 }, "1,,1,," },
	/* A clone leaves after the first two sets, the packet after all. */
	{ "chain",
	  "set(eth(dst=02:00:00:00:00:0b)),set(ipv4(ttl=9)),2,"
	  "set(tcp(dst=81)),3",
	  { 2, 3 }, "1,1,,," },
	/* Only the tags in the data move the headers. */
	{ "pop_then_set", "pop_vlan,set(ipv4(dst=203.0.113.6)),2", { 2 },
	  "1,,1,," },
	{ "push_then_set", "push_vlan(vid=5,pcp=0),set(ipv4(ttl=9)),2", { 2 },
	  "1,,1,," },
	{ "push2_then_set",
	  "push_vlan(vid=5,pcp=0),push_vlan(tpid=0x88a8,vid=6,pcp=0),"
	  "set(ipv4(ttl=9)),set(udp(dst=5353)),2",
	  { 2 }, "1,,1,," },
};

#define N_SF (sizeof(sf_cases) / sizeof(sf_cases[0]))

#endif
