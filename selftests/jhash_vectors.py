#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Known answers for the hash(l4(basis)) action (maps/flow_hash.h).

usage: selftests/jhash_vectors.py

Prints the dp_hash of fixed 5-tuples and bases, computed here from Bob
Jenkins' lookup3 hashword() (the kernel's jhash2) written afresh in
Python, not from flowpath's C: test_actions.c and test_pkt_exec.c assert
these literals, so a stage whose hash is anything else (the right one
XORed with a constant, say) fails. The words hashed, as flow_hash.h
defines them: the 32 bytes of the key's address union (IPv4: source then
destination, the rest zero) as eight little-endian words, the two ports
as they lie in memory (network order) as one word, the IP protocol.
"""
import ipaddress
import struct

M = 0xffffffff


def rot(x, k):
    return ((x << k) | (x >> (32 - k))) & M


def hashword(words, initval):
    a = b = c = (0xdeadbeef + (len(words) << 2) + initval) & M
    k = list(words)
    while len(k) > 3:
        a, b, c = (a + k[0]) & M, (b + k[1]) & M, (c + k[2]) & M
        # mix()
        a = (a - c) & M; a ^= rot(c, 4); c = (c + b) & M
        b = (b - a) & M; b ^= rot(a, 6); a = (a + c) & M
        c = (c - b) & M; c ^= rot(b, 8); b = (b + a) & M
        a = (a - c) & M; a ^= rot(c, 16); c = (c + b) & M
        b = (b - a) & M; b ^= rot(a, 19); a = (a + c) & M
        c = (c - b) & M; c ^= rot(b, 4); b = (b + a) & M
        k = k[3:]
    if not k:
        return c
    if len(k) == 3:
        c = (c + k[2]) & M
    if len(k) >= 2:
        b = (b + k[1]) & M
    a = (a + k[0]) & M
    # final()
    c ^= b; c = (c - rot(b, 14)) & M
    a ^= c; a = (a - rot(c, 11)) & M
    b ^= a; b = (b - rot(a, 25)) & M
    c ^= b; c = (c - rot(b, 16)) & M
    a ^= c; a = (a - rot(c, 4)) & M
    b ^= a; b = (b - rot(a, 14)) & M
    c ^= b; c = (c - rot(b, 24)) & M
    return c


def dp_hash(src, dst, proto, sport, dport, basis):
    s, d = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
    nw = (s + d).ljust(32, b"\0") if len(s) == 4 else s + d
    words = list(struct.unpack("<8I", nw))
    words.append(struct.unpack("<I", struct.pack(">HH", sport, dport))[0])
    words.append(proto)
    h = hashword(words, basis)
    return h if h else 1  # 0 reads as "no hash", as in OVS


# The flows of pcaps/gen_datapath.py's dp_ipv4_udp, dp_vlan_udp and
# dp_ipv6_udp (selftests/jhash_vectors.h has these answers).
VECTORS = [
    ("192.0.2.1", "198.51.100.2", 17, 1234, 53, 0),
    ("192.0.2.1", "198.51.100.2", 17, 1234, 53, 1),
    ("192.0.2.1", "198.51.100.2", 17, 1234, 5000, 7),
    ("2001:db8::1", "2001:db8::2", 17, 5353, 5353, 0x12345678),
]

if __name__ == "__main__":
    for v in VECTORS:
        print("%s %s proto %d ports %d %d basis %#x: dp_hash %#010x" % (v + (dp_hash(*v),)))
