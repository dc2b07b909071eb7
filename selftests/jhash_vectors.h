/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known answers of hash(l4(basis)) for the test pcaps' flows, computed by
 * selftests/jhash_vectors.py, an independent lookup3 (the kernel's
 * jhash2) in Python: the tests assert the stage and the userspace
 * executor against these literals, never against maps/flow_hash.h itself.
 */
#ifndef FP_SELFTESTS_JHASH_VECTORS_H
#define FP_SELFTESTS_JHASH_VECTORS_H

/* dp_ipv4_udp.pcap: 192.0.2.1:1234 > 198.51.100.2:53, UDP. */
#define FPT_DP_HASH_IPV4_UDP_B0 0xf098468eu /* basis 0 */
#define FPT_DP_HASH_IPV4_UDP_B1 0x8502be47u /* basis 1 */
/* dp_vlan_udp.pcap: 192.0.2.1:1234 > 198.51.100.2:5000, UDP, basis 7. */
#define FPT_DP_HASH_VLAN_UDP_B7 0xa0349f0cu
/* dp_ipv6_udp.pcap: [2001:db8::1]:5353 > [2001:db8::2]:5353, UDP,
 * basis 0x12345678. */
#define FPT_DP_HASH_IPV6_UDP_B12345678 0xa9f5d5efu

#endif
