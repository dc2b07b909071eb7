#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Pcaps of the set(...) action tests (selftests/test_set_field.c).

usage: gen_set_field.py OUTDIR

Writes OUTDIR/sf_<name>.pcap (input) and OUTDIR/sf_<name>.out.pcap (what
must leave) for each case, and for the push cases OUTDIR/sf_<name>.wire.pcap
(what must arrive at the far end of the output port's veth). Each input holds a short packet and one longer
than the parser's linear area. An expected packet is the same builder
called with the rewritten field values: scapy computes every checksum
afresh, except where the input has UDP checksum 0, which stays 0.

Output is byte-identical on every run: fixed addresses, payloads and
timestamps. Addresses are documentation ranges only (RFC 5737, RFC 3849).
"""
import os
import sys

from scapy.all import (IP, SCTP, TCP, UDP, Dot1Q, Ether, ICMPv6EchoRequest,
                       IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, Raw,
                       SCTPChunkData)
from scapy.utils import PcapWriter

T0 = 1704067200  # 2024-01-01T00:00:00Z
LENGTHS = (10, 1000)


def payload(n, seed):
    return Raw(bytes((seed + i) % 256 for i in range(n)))


def pkt(n, l4="udp", v6=False, vlan=False, ext=False, udp0=False,
        src_mac="02:00:00:00:00:01", dst_mac="02:00:00:00:00:02",
        src="192.0.2.1", dst="198.51.100.2", tos=0, ttl=64,
        src6="2001:db8::1", dst6="2001:db8::2", tc=0, fl=0x12345, hlim=64,
        sport=None, dport=None, vid=100, prio=3, pad=0):
    """The packet, with @pad zero bytes after it: Ethernet padding, beyond
    the IP length."""
    p = build(n, l4, v6, vlan, ext, udp0, src_mac, dst_mac, src, dst, tos,
              ttl, src6, dst6, tc, fl, hlim, sport, dport, vid, prio)
    return Ether(bytes(p) + bytes(pad)) if pad else p


def build(n, l4, v6, vlan, ext, udp0, src_mac, dst_mac, src, dst, tos, ttl,
          src6, dst6, tc, fl, hlim, sport, dport, vid, prio):
    p = Ether(src=src_mac, dst=dst_mac)
    if vlan:
        p = p / Dot1Q(vlan=vid, prio=prio)
    if v6:
        p = p / IPv6(src=src6, dst=dst6, tc=tc, fl=fl, hlim=hlim)
        if ext:
            p = p / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()
    else:
        p = p / IP(src=src, dst=dst, tos=tos, ttl=ttl, id=7)
    if l4 == "later":
        # A later fragment of a UDP datagram: no L4 header to fix.
        p[IP].proto = 17
        p[IP].frag = 100
        return p / payload(n, 0x70)
    if l4 == "tcp":
        p = p / TCP(sport=40000 if sport is None else sport,
                    dport=80 if dport is None else dport, flags="PA",
                    seq=1000, ack=2000, window=512)
    elif l4 == "icmp6":
        p = p / ICMPv6EchoRequest(id=1, seq=2)
    elif l4 == "sctp":
        p = p / SCTP(sport=5000 if sport is None else sport,
                     dport=6000 if dport is None else dport, tag=0x1234) / \
            SCTPChunkData(tsn=1, stream_id=0, stream_seq=0,
                          data=bytes(payload(n, 0x60)))
        return p
    else:
        u = UDP(sport=1234 if sport is None else sport,
                dport=53 if dport is None else dport)
        if udp0:
            u.chksum = 0
        p = p / u
    return p / payload(n, 0x50)


# name: (input fields, output fields). Both are pkt() keyword arguments;
# the output is the input's with the output's applied over them.
TCP4 = dict(l4="tcp")
UDP4 = dict(l4="udp")
UDP4_0 = dict(l4="udp", udp0=True)
TCP6 = dict(l4="tcp", v6=True)
UDP6 = dict(l4="udp", v6=True)
ICMP6 = dict(l4="icmp6", v6=True)
NEW4 = dict(src="203.0.113.5", dst="203.0.113.6", tos=0xb9, ttl=9)
NEW6 = dict(src6="2001:db8:1::a", dst6="2001:db8:2::b", tc=0x28,
            fl=0x54321, hlim=7)
CASES = {
    "eth": (UDP4, dict(src_mac="02:00:00:00:00:0a",
                       dst_mac="02:00:00:00:00:0b")),
    "eth_masked": (TCP4, dict(dst_mac="0a:0b:0c:00:00:02")),
    "ipv4_tcp": (TCP4, NEW4),
    "ipv4_udp": (UDP4, NEW4),
    "ipv4_udp0": (UDP4_0, NEW4),
    "ipv4_masked": (TCP4, dict(src="203.0.113.1", tos=0x03)),
    "ipv4_vlan": (dict(UDP4, vlan=True), dict(dst="203.0.113.6", ttl=1)),
    "ipv6_tcp": (TCP6, NEW6),
    "ipv6_udp": (UDP6, NEW6),
    "ipv6_icmp": (ICMP6, dict(src6="2001:db8:1::a", dst6="2001:db8:2::b")),
    "ipv6_ext": (dict(UDP6, ext=True), dict(dst6="2001:db8:2::b")),
    "ipv6_masked": (UDP6, dict(dst6="2001:db8:ffff::2", fl=0x12343)),
    "tcp4_ports": (TCP4, dict(sport=8080, dport=8443)),
    "udp4_ports": (UDP4, dict(sport=1111, dport=2222)),
    "udp4_0_ports": (UDP4_0, dict(sport=1111, dport=2222)),
    "tcp6_ports": (TCP6, dict(sport=8080, dport=8443)),
    "udp6_ports": (dict(UDP6, ext=True), dict(dport=5353)),
    "tcp_masked": (TCP4, dict(dport=0x1f50)),
    # SCTP: the ports are in its CRC32c, the addresses are not.
    "sctp4_ports": (dict(l4="sctp"), dict(sport=5001, dport=7000)),
    "sctp6_ports": (dict(l4="sctp", v6=True, ext=True), dict(dport=0x1a70)),
    "sctp4_addr": (dict(l4="sctp"), dict(src="203.0.113.5")),
    "ipv4_later_frag": (dict(l4="later"), dict(src="203.0.113.5", ttl=3)),
    # Checksums and the CRC end where the IP length says, not the frame.
    "sctp4_padded": (dict(l4="sctp", pad=8), dict(dport=7000)),
    "udp4_padded": (dict(l4="udp", pad=8), dict(dport=2222, dst="203.0.113.6")),
    "chain": (TCP4, dict(dst_mac="02:00:00:00:00:0b", ttl=9, dport=81)),
    # After pop_vlan the tag is gone from the data; after two pushes the
    # first tag is in the data, the second in skb metadata, which
    # BPF_PROG_TEST_RUN's output does not show.
    "pop_then_set": (dict(UDP4, vlan=True), dict(vlan=False,
                                                 dst="203.0.113.6")),
    "push_then_set": (UDP4, dict(ttl=9)),
    "push2_then_set": (UDP4, dict(vlan=True, vid=5, prio=0, ttl=9,
                                  dport=5353)),
}


# push_vlan leaves its tag in skb metadata, so a push case is also checked
# where its copy really leaves (test_set_field captures port 2's veth):
# sf_<name>.wire.pcap holds those frames, every pushed tag in the data.
def pushed(n, outer_tpid=None, outer_vid=None, **fields):
    """The output frame with a 802.1Q tag of VID 5 (pcp 0) pushed, and
    @outer_tpid/@outer_vid pushed over it if given."""
    p = bytes(pkt(n, vlan=True, vid=5, prio=0, **fields))
    if outer_tpid:
        tag = outer_tpid.to_bytes(2, "big") + outer_vid.to_bytes(2, "big")
        p = p[:12] + tag + p[12:]
    return Ether(p)


WIRE = {
    "push_then_set": lambda n: pushed(n, **dict(UDP4, ttl=9)),
    "push2_then_set": lambda n: pushed(n, outer_tpid=0x88a8, outer_vid=6,
                                       **dict(UDP4, ttl=9, dport=5353)),
}


def write(path, pkts):
    tmp = path + ".tmp"
    w = PcapWriter(tmp, linktype=1, sync=True)
    for i, p in enumerate(pkts):
        p.time = T0 + i / 1000
        w.write(p)
    w.close()
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (inp, new) in CASES.items():
        outp = dict(inp, **new)
        write(os.path.join(out, "sf_%s.pcap" % name),
              [pkt(n, **inp) for n in LENGTHS])
        write(os.path.join(out, "sf_%s.out.pcap" % name),
              [pkt(n, **outp) for n in LENGTHS])
    for name, frame in WIRE.items():
        write(os.path.join(out, "sf_%s.wire.pcap" % name),
              [frame(n) for n in LENGTHS])


if __name__ == "__main__":
    main()
