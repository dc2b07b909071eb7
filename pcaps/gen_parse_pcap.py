#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Input of the parse-pcap tests (selftests/test_parse_pcap.sh).

usage: gen_parse_pcap.py OUTDIR

Writes into OUTDIR:
  parse.pcap          every protocol the flow key holds, and malformed and
                      truncated variants of each: what `flowpath parse-pcap`
                      must key exactly as `ovs-ofctl parse-pcap` does
  parse.names         the name of each packet of parse.pcap, one per line
  parse_partial.pcap  packets whose headers reach past the parser's
                      256-byte window (FP_PARSE_HDR_MAX), which it must
                      report as keyed partially
  parse_partial.names

Output is byte-identical on every run: fixed addresses, payloads and
timestamps, and the pcap files are written here, not by scapy's writer.
Addresses are documentation ranges only (RFC 5737, RFC 3849).
"""
import logging
import os
import struct
import sys

# Scapy warns about checksums it cannot compute for the odd packets here.
logging.getLogger("scapy").setLevel(logging.ERROR)

from scapy.all import (AH, ARP, ICMP, IP, IPv6, SCTP, TCP, UDP, Dot1AD,
                       Dot1Q, Dot3, Ether, ICMPv6EchoRequest,
                       ICMPv6MLQuery, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA,
                       ICMPv6NDOptMTU, ICMPv6NDOptSrcLLAddr,
                       ICMPv6NDOptDstLLAddr, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, LLC, SNAP, Raw, raw)
from scapy.contrib.igmp import IGMP
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mr
from scapy.contrib.mpls import MPLS

SRC_MAC = "02:00:00:00:00:01"
DST_MAC = "02:00:00:00:00:02"
OTHER_MAC = "02:00:00:00:00:03"
SRC4, DST4 = "192.0.2.1", "198.51.100.2"
SRC6, DST6 = "2001:db8::1", "2001:db8::2"
LL6 = "fe80::1"
TARGET6 = "2001:db8::99"

# A fixed capture time (2024-01-01T00:00:00Z), one millisecond apart.
T0 = 1704067200
SNAPLEN = 65535
LINKTYPE_ETHERNET = 1


def payload(n, seed=0):
    """n fixed bytes."""
    return Raw(bytes((seed + i) % 256 for i in range(n)))


def eth(type_=None):
    if type_ is None:
        return Ether(src=SRC_MAC, dst=DST_MAC)
    return Ether(src=SRC_MAC, dst=DST_MAC, type=type_)


def ip4(**kw):
    kw.setdefault("src", SRC4)
    kw.setdefault("dst", DST4)
    kw.setdefault("ttl", 64)
    kw.setdefault("id", 1)
    return IP(**kw)


def ip6(**kw):
    kw.setdefault("src", SRC6)
    kw.setdefault("dst", DST6)
    kw.setdefault("hlim", 64)
    return IPv6(**kw)


def udp(**kw):
    kw.setdefault("sport", 1234)
    kw.setdefault("dport", 53)
    return UDP(**kw)


def tcp(**kw):
    kw.setdefault("sport", 40000)
    kw.setdefault("dport", 80)
    kw.setdefault("seq", 1000)
    kw.setdefault("window", 512)
    return TCP(**kw)


class Pcap:
    """Packets and their names, written as a classic pcap file."""

    def __init__(self):
        self.records = []

    def add(self, name, pkt, caplen=None, wirelen=None):
        data = pkt if isinstance(pkt, bytes) else raw(pkt)
        wire = len(data) if wirelen is None else wirelen
        if caplen is not None:
            data = data[:caplen]
        assert all(name != n for n, _, _ in self.records), name
        self.records.append((name, data, max(wire, len(data))))

    def trunc(self, name, pkt, n):
        """@pkt cut to its first @n bytes, as the wire had them."""
        self.add(name, raw(pkt)[:n])

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN,
                                LINKTYPE_ETHERNET))
            for i, (_, data, wire) in enumerate(self.records):
                f.write(struct.pack("<IIII", T0 + i // 1000,
                                    (i % 1000) * 1000, len(data), wire))
                f.write(data)
        with open(os.path.splitext(path)[0] + ".names", "w") as f:
            for name, _, _ in self.records:
                f.write(name + "\n")


def l2(p):
    """Ethernet: runts, ethertypes, 802.2 LLC/SNAP, VLAN tags."""
    udp4 = eth() / ip4() / udp() / payload(8)
    # No empty record: ovs-ofctl stops at one ("failed to read").
    for n in (1, 6, 12, 13):
        p.trunc("runt-%d" % n, udp4, n)
    p.trunc("eth-only-ipv4", udp4, 14)
    p.add("ethertype-unknown", eth(0x88b5) / payload(46))
    p.add("ethertype-0x0600", eth(0x0600) / payload(46))
    p.add("ethertype-lldp", eth(0x88cc) / payload(46))
    # 802.3 frames: a length, then 802.2 LLC.
    p.add("llc-stp", Dot3(src=SRC_MAC, dst="01:80:c2:00:00:00") /
          LLC(dsap=0x42, ssap=0x42, ctrl=3) / payload(35))
    p.add("llc-snap-ipv4-udp", Dot3(src=SRC_MAC, dst=DST_MAC) /
          LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0800) /
          ip4() / udp() / payload(8))
    p.add("llc-snap-arp", Dot3(src=SRC_MAC, dst=DST_MAC) /
          LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0806) /
          ARP(op=1, hwsrc=SRC_MAC, psrc=SRC4, hwdst="00:00:00:00:00:00",
              pdst=DST4))
    p.add("llc-snap-cisco-oui", Dot3(src=SRC_MAC, dst=DST_MAC) /
          LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x00000c, code=0x2000) /
          payload(30))
    p.add("llc-snap-type-below-0x600", Dot3(src=SRC_MAC, dst=DST_MAC) /
          LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0500) /
          payload(30))
    p.add("llc-snap-bad-ctrl", Dot3(src=SRC_MAC, dst=DST_MAC) /
          LLC(dsap=0xaa, ssap=0xaa, ctrl=0x13) / SNAP(OUI=0, code=0x0800) /
          ip4() / udp())
    p.add("llc-truncated-7", eth(0x0010) / b"\xaa\xaa\x03\x00\x00\x00\x08")
    p.add("llc-length-0x05ff", eth(0x05ff) / payload(46))
    p.add("llc-length-0", eth(0) / payload(3))
    p.trunc("llc-snap-ipv4-no-ip", Dot3(src=SRC_MAC, dst=DST_MAC) /
            LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0800), 22)

    # VLAN tags: one, two, three (the third is the ethertype), truncated.
    p.add("vlan-udp", eth() / Dot1Q(vlan=100, prio=5) / ip4() / udp())
    p.add("vlan-dei", eth() / Dot1Q(vlan=7, prio=1, id=1) / ip4() / udp())
    p.add("vlan-vid0-priority-tag", eth() / Dot1Q(vlan=0, prio=6) / ip4() /
          udp())
    p.add("vlan-vid4095", eth() / Dot1Q(vlan=4095, prio=7, id=1) / ip4() /
          udp())
    p.add("vlan-8021ad", eth() / Dot1AD(vlan=200) / ip4() / tcp(flags="S"))
    p.add("qinq", eth() / Dot1AD(vlan=300, prio=2) / Dot1Q(vlan=42, prio=3) /
          ip4() / tcp(flags="SA"))
    p.add("qinq-8100-8100", eth() / Dot1Q(vlan=10) / Dot1Q(vlan=20) / ip4() /
          udp())
    p.add("vlan-three-tags", eth() / Dot1AD(vlan=1) / Dot1Q(vlan=2) /
          Dot1Q(vlan=3) / ip4() / udp())
    p.add("vlan-arp", eth() / Dot1Q(vlan=5) /
          ARP(op=2, hwsrc=SRC_MAC, psrc=SRC4, hwdst=DST_MAC, pdst=DST4))
    p.add("vlan-ipv6-udp", eth() / Dot1Q(vlan=6) / ip6() / udp())
    p.add("vlan-mpls", eth() / Dot1Q(vlan=8) / MPLS(label=16, s=1, ttl=9) /
          ip4() / udp())
    p.add("vlan-llc", eth() / Dot1Q(vlan=9, type=0x0026) /
          LLC(dsap=0x42, ssap=0x42, ctrl=3) / payload(35))
    p.add("vlan-llc-snap-ipv4", eth() / Dot1Q(vlan=9, type=0x0030) /
          LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0800) /
          ip4() / udp())
    tagged = eth() / Dot1Q(vlan=100, prio=5) / ip4() / udp()
    for n in (14, 15, 16, 17, 18):
        p.trunc("vlan-truncated-%d" % n, tagged, n)
    qinq = eth() / Dot1AD(vlan=300) / Dot1Q(vlan=42) / ip4() / udp()
    for n in (19, 20, 21, 22):
        p.trunc("qinq-inner-truncated-%d" % n, qinq, n)
    # BPF_PROG_TEST_RUN refuses an untagged IPv4/IPv6 frame too short
    # for its L3 header; behind a tag or LLC/SNAP the BPF build sees them.
    for n in (19, 30, 37, 41):
        p.trunc("vlan-ipv4-truncated-%d" % n, tagged, n)
    tagged6 = eth() / Dot1Q(vlan=100) / ip6() / udp() / payload(8)
    for n in (19, 40, 57, 58, 62):
        p.trunc("vlan-ipv6-truncated-%d" % n, tagged6, n)
    snap4 = Dot3(src=SRC_MAC, dst=DST_MAC) / LLC(dsap=0xaa, ssap=0xaa,
                                                  ctrl=3) / \
        SNAP(OUI=0, code=0x0800) / ip4() / udp()
    for n in (30, 41):
        p.trunc("llc-snap-ipv4-truncated-%d" % n, snap4, n)


def mpls(p):
    """MPLS: the first three label stack entries, never the payload."""
    inner = ip4() / udp() / payload(8)
    p.add("mpls-1", eth() / MPLS(label=100, cos=5, s=1, ttl=64) / inner)
    p.add("mpls-2", eth() / MPLS(label=100, cos=1, s=0, ttl=63) /
          MPLS(label=200, cos=2, s=1, ttl=62) / inner)
    p.add("mpls-3", eth() / MPLS(label=1, s=0, ttl=1) /
          MPLS(label=2, s=0, ttl=2) / MPLS(label=3, s=1, ttl=3) / inner)
    p.add("mpls-4", eth() / MPLS(label=0xfffff, cos=7, s=0, ttl=255) /
          MPLS(label=2, s=0, ttl=2) / MPLS(label=3, s=0, ttl=3) /
          MPLS(label=4, s=1, ttl=4) / inner)
    p.add("mpls-ipv6-payload", eth() / MPLS(label=2, s=1, ttl=5) / ip6() /
          udp())
    p.add("mpls-multicast", eth(0x8848) / MPLS(label=300, s=1, ttl=8) / inner)
    stack = eth() / MPLS(label=5, s=0, ttl=6) / MPLS(label=7, s=1, ttl=8)
    p.trunc("mpls-empty", stack, 14)
    p.trunc("mpls-lse-truncated", stack, 16)
    p.trunc("mpls-no-bos-then-end", stack, 18)
    p.trunc("mpls-second-lse-truncated", stack, 20)
    p.add("mpls-bos-missing-2", eth() / MPLS(label=5, s=0, ttl=6) /
          MPLS(label=7, s=0, ttl=8))


def arp(p):
    """ARP and RARP; anything but Ethernet/IPv4 ARP keys as the type only."""
    def a(**kw):
        kw.setdefault("hwsrc", SRC_MAC)
        kw.setdefault("psrc", SRC4)
        kw.setdefault("hwdst", "00:00:00:00:00:00")
        kw.setdefault("pdst", DST4)
        return ARP(**kw)

    p.add("arp-request", eth() / a(op=1))
    p.add("arp-reply", eth() / a(op=2, hwdst=OTHER_MAC))
    p.add("arp-padded", eth() / a(op=1) / payload(18))
    p.add("arp-op-255", eth() / a(op=255))
    p.add("arp-op-256", eth() / a(op=256))
    p.add("arp-op-0", eth() / a(op=0))
    p.add("rarp-request", eth(0x8035) / a(op=3, psrc="0.0.0.0"))
    p.add("rarp-reply", eth(0x8035) / a(op=4, hwdst=OTHER_MAC))
    p.add("arp-hrd-6", eth() / a(op=1, hwtype=6))
    p.add("arp-pro-ipv6", eth() / a(op=1, ptype=0x86dd))
    p.add("arp-hln-8", eth() / ARP(op=1, hwlen=8, hwsrc=SRC_MAC))
    p.add("arp-pln-16", eth() / ARP(op=1, plen=16, hwsrc=SRC_MAC))
    full = eth() / a(op=1)
    for n in (14, 20, 41):
        p.trunc("arp-truncated-%d" % n, full, n)


def tcp_flag_variants(p):
    for flags in ("", "S", "SA", "F", "FA", "R", "RA", "PA", "U", "EC", "N",
                  "FSRPAUECN"):
        name = "tcp-flags-" + (flags.lower() or "none")
        p.add(name, eth() / ip4() / tcp(flags=flags) / payload(4))
    # The 3 reserved bits below NS: OVS keys all 12.
    t = raw(eth() / ip4() / tcp(flags="A"))
    for bits in (0x2, 0x4, 0x8, 0xe):
        b = bytearray(t)
        b[14 + 20 + 12] |= bits
        p.add("tcp-flags-reserved-0x%x" % bits, bytes(b))


def ipv4(p):
    """IPv4 and what it carries; every length and offset OVS checks."""
    p.add("ipv4-udp", eth() / ip4() / udp() / payload(8))
    p.add("ipv4-tcp", eth() / ip4() / tcp(flags="PA") / payload(20))
    p.add("ipv4-tcp-options", eth() / ip4() /
          tcp(flags="S", options=[("MSS", 1460), ("WScale", 7),
                                  ("SAckOK", b""), ("NOP", None)]))
    p.add("ipv4-sctp", eth() / ip4() / SCTP(sport=5000, dport=6000) /
          payload(16))
    p.add("ipv4-icmp-echo", eth() / ip4() / ICMP(type=8, code=0, id=1) /
          payload(8))
    p.add("ipv4-icmp-unreach", eth() / ip4() / ICMP(type=3, code=13) /
          ip4(src=DST4, dst=SRC4) / udp())
    p.add("ipv4-igmpv2-report", eth() / ip4(dst="224.0.0.251", ttl=1) /
          IGMP(type=0x16, gaddr="224.0.0.251"))
    p.add("ipv4-igmpv2-query", eth() / ip4(dst="224.0.0.1", ttl=1) /
          IGMP(type=0x11, mrcode=100, gaddr="0.0.0.0"))
    p.add("ipv4-igmpv3-report", eth() / ip4(dst="224.0.0.22", ttl=1) /
          IGMPv3(type=0x22) / IGMPv3mr(records=[]))
    p.add("ipv4-gre", eth() / ip4(proto=47) / payload(24))
    p.add("ipv4-esp", eth() / ip4(proto=50) / payload(24))
    p.add("ipv4-proto-0", eth() / ip4(proto=0) / payload(8))
    p.add("ipv4-proto-255", eth() / ip4(proto=255) / payload(8))
    p.add("ipv4-icmpv6-inside", eth() / ip4(proto=58) /
          ICMPv6ND_NS(tgt=TARGET6) / ICMPv6NDOptSrcLLAddr(lladdr=SRC_MAC))
    p.add("ipv4-tos-ff", eth() / ip4(tos=0xff, ttl=255) / udp())
    p.add("ipv4-tos-ecn-ce", eth() / ip4(tos=0x03, ttl=0) / udp())
    p.add("ipv4-dscp-ef", eth() / ip4(tos=0xb8, ttl=1) / udp())
    p.add("ipv4-padded", eth() / ip4() / udp() / payload(2) / Raw(b"\xee" *
                                                                 20))
    p.add("ipv4-options-rr", eth() / ip4(options=b"\x07\x07\x04\x00\x00\x00\x00\x00") /
          udp())
    p.add("ipv4-options-ihl15", eth() / ip4(options=b"\x01" * 40) /
          tcp(flags="S"))
    p.add("ipv4-version-6", eth() / ip4(version=6) / udp())

    base = eth() / ip4() / udp() / payload(8)
    for ihl in (0, 4):
        p.add("ipv4-ihl-%d" % ihl, eth() / ip4(ihl=ihl) / udp() / payload(8))
    p.add("ipv4-ihl-beyond-packet", eth() / ip4(ihl=15, len=24) / Raw(bytes(4)))
    p.add("ipv4-ihl-beyond-totlen", eth() / ip4(ihl=6, len=22) /
          Raw(bytes(12)))
    p.add("ipv4-totlen-19", eth() / ip4(len=19) / udp() / payload(8))
    p.add("ipv4-totlen-over-packet", eth() / ip4(len=200) / udp() /
          payload(8))
    p.add("ipv4-totlen-20-with-udp", eth() / ip4(len=20) / udp() / payload(8))
    p.add("ipv4-totlen-cuts-udp", eth() / ip4(len=24) / udp() / payload(8))
    p.add("ipv4-totlen-cuts-tcp", eth() / ip4(len=39) / tcp() / payload(8))
    p.add("ipv4-totlen-exact-tcp", eth() / ip4(len=40) / tcp(flags="F"))
    for n in (15, 24, 33, 34, 37, 41):
        p.trunc("ipv4-truncated-%d" % n, base, n)
    # Captured shorter than it was on the wire (snaplen).
    p.add("ipv4-snaplen-38", base, caplen=38)
    p.add("ipv4-snaplen-45", eth() / ip4() / tcp(flags="S") / payload(40),
          caplen=45)

    # L4 headers too short for OVS, within a consistent IP length.
    p.add("ipv4-udp-7", eth() / ip4() / b"\x04\xd2\x00\x35\x00\x07\x00")
    p.add("ipv4-tcp-19", eth() / ip4(proto=6) / raw(tcp(flags="S"))[:19])
    p.add("ipv4-tcp-doff-4", eth() / ip4() / tcp(dataofs=4, flags="S") /
          payload(8))
    p.add("ipv4-tcp-doff-15-short", eth() / ip4() / tcp(dataofs=15,
                                                        flags="S") /
          payload(8))
    p.add("ipv4-tcp-doff-6", eth() / ip4() / tcp(dataofs=6, flags="S") /
          payload(4))
    p.add("ipv4-sctp-11", eth() / ip4(proto=132) / payload(11))
    p.add("ipv4-sctp-12", eth() / ip4(proto=132) / Raw(b"\x13\x88\x17\x70" +
                                             bytes(8)))
    p.add("ipv4-icmp-7", eth() / ip4(proto=1) / b"\x08\x00\x00\x00\x00\x00\x00")
    p.add("ipv4-icmp-8", eth() / ip4(proto=1) / b"\x0b\x01\x00\x00\x00\x00\x00\x00")
    p.add("ipv4-igmp-7", eth() / ip4(proto=2) / b"\x16\x00\x00\x00\xe0\x00\x00")
    p.add("ipv4-l4-empty", eth() / ip4(proto=17))

    # Fragments.
    p.add("ipv4-frag-first-udp", eth() / ip4(flags="MF", frag=0) / udp() /
          payload(16))
    p.add("ipv4-frag-first-short", eth() / ip4(flags="MF", frag=0, proto=17) /
          b"\x04\xd2\x00")
    p.add("ipv4-frag-later-udp", eth() / ip4(flags="MF", frag=100,
                                             proto=17) / payload(16))
    p.add("ipv4-frag-last-tcp", eth() / ip4(frag=7, proto=6) / payload(24))
    p.add("ipv4-frag-later-icmp", eth() / ip4(frag=1, proto=1) / payload(8))
    p.add("ipv4-frag-later-gre", eth() / ip4(frag=3, proto=47) / payload(8))
    p.add("ipv4-frag-df", eth() / ip4(flags="DF") / udp())
    p.add("ipv4-frag-evil-bit", eth() / ip4(flags="evil") / udp())
    p.add("ipv4-frag-max-offset", eth() / ip4(frag=0x1fff, proto=17) /
          payload(8))

    # Longer than BPF_PROG_TEST_RUN takes: keyed by the userspace build.
    p.add("ipv4-udp-1500", eth() / ip4() / udp() / payload(1472, 3))
    p.add("ipv4-udp-4000", eth() / ip4() / udp() / payload(3972, 5))


def nd_opt(type_, length, body):
    """A raw ND option: type, length in 8-byte units, body."""
    return bytes([type_, length]) + body


def ipv6(p):
    """IPv6, extension headers, ICMPv6 and neighbour discovery."""
    p.add("ipv6-udp", eth() / ip6() / udp() / payload(8))
    p.add("ipv6-tcp", eth() / ip6(fl=0xfffff, tc=0xff, hlim=255) /
          tcp(flags="SA"))
    p.add("ipv6-sctp", eth() / ip6(tc=0x2a) / SCTP(sport=7, dport=9))
    p.add("ipv6-icmpv6-echo", eth() / ip6(fl=1) / ICMPv6EchoRequest(id=5))
    p.add("ipv6-icmpv6-mld-query", eth() / ip6(src=LL6, dst="ff02::1",
                                               hlim=1) / ICMPv6MLQuery())
    p.add("ipv6-icmpv6-ra", eth() / ip6(src=LL6, dst="ff02::1", hlim=255) /
          ICMPv6ND_RA())
    p.add("ipv6-icmp-inside", eth() / ip6(nh=1) / ICMP(type=8))
    p.add("ipv6-igmp-inside", eth() / ip6(nh=2) / IGMP(type=0x16))
    p.add("ipv6-esp", eth() / ip6(nh=50) / payload(16))
    p.add("ipv6-no-next-header", eth() / ip6(nh=59) / payload(8))
    p.add("ipv6-ecn-ce", eth() / ip6(tc=0x03, fl=0x12345) / udp())
    p.add("ipv6-padded", eth() / ip6(plen=8) / udp() / Raw(b"\xee" * 10))

    base = eth() / ip6() / udp() / payload(8)
    for n in (15, 30, 53, 54, 58, 61):
        p.trunc("ipv6-truncated-%d" % n, base, n)
    p.add("ipv6-plen-over-packet", eth() / ip6(plen=100) / udp())
    p.add("ipv6-plen-0-udp", eth() / ip6(plen=0) / udp())
    p.add("ipv6-plen-4-udp", eth() / ip6(plen=4) / udp())
    p.add("ipv6-snaplen-60", base, caplen=60)
    p.add("ipv6-tcp-19", eth() / ip6(nh=6) / raw(tcp(flags="S"))[:19])
    p.add("ipv6-icmpv6-7", eth() / ip6(nh=58) / b"\x80\x00\x00\x00\x00\x00\x00")

    # Extension headers.
    p.add("ipv6-hbh-udp", eth() / ip6() / IPv6ExtHdrHopByHop() / udp())
    p.add("ipv6-dst-tcp", eth() / ip6() / IPv6ExtHdrDestOpt() /
          tcp(flags="S"))
    p.add("ipv6-rt-udp", eth() / ip6() / IPv6ExtHdrRouting(addresses=[DST6]) /
          udp())
    p.add("ipv6-hbh-dst-rt-dst-udp", eth() / ip6() / IPv6ExtHdrHopByHop() /
          IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting(addresses=[SRC6, DST6]) /
          IPv6ExtHdrDestOpt() / udp())
    # AH counts 4-byte words less 2; scapy fills in neither it nor nh.
    p.add("ipv6-ah-tcp", eth() / ip6() / AH(nh=6, payloadlen=4, spi=1, seq=1,
                                            icv=bytes(12)) / tcp(flags="A"))
    p.add("ipv6-ah-len-odd-udp", eth() / ip6() /
          AH(nh=17, payloadlen=3, spi=1, seq=1, icv=bytes(8)) / udp())
    p.add("ipv6-hbh-ah-dst-udp", eth() / ip6() / IPv6ExtHdrHopByHop() /
          AH(nh=60, payloadlen=4, spi=2, seq=2, icv=bytes(12)) /
          IPv6ExtHdrDestOpt() / udp())
    p.add("ipv6-frag-first-udp", eth() / ip6() /
          IPv6ExtHdrFragment(offset=0, m=1, id=1) / udp() / payload(8))
    p.add("ipv6-frag-later-udp", eth() / ip6() /
          IPv6ExtHdrFragment(nh=17, offset=8, m=1, id=1) / payload(16))
    p.add("ipv6-frag-last-icmpv6", eth() / ip6() /
          IPv6ExtHdrFragment(nh=58, offset=2, m=0, id=1) / payload(16))
    p.add("ipv6-frag-atomic-udp", eth() / ip6() /
          IPv6ExtHdrFragment(offset=0, m=0, id=1) / udp())
    p.add("ipv6-frag-reserved-bits", eth() / ip6() /
          IPv6ExtHdrFragment(offset=0, m=0, res2=1, id=1) / udp())
    p.add("ipv6-frag-first-then-dst", eth() / ip6() / IPv6ExtHdrHopByHop() /
          IPv6ExtHdrFragment(offset=0, m=1, id=1) / IPv6ExtHdrDestOpt() /
          tcp(flags="S"))
    p.add("ipv6-frag-twice", eth() / ip6() /
          IPv6ExtHdrFragment(offset=0, m=1, id=1) /
          IPv6ExtHdrFragment(offset=0, m=0, id=2) / udp())
    p.add("ipv6-frag-first-later", eth() / ip6() /
          IPv6ExtHdrFragment(offset=0, m=1, id=1) /
          IPv6ExtHdrFragment(nh=6, offset=5, m=0, id=2) / payload(8))
    p.add("ipv6-frag-first-short-udp", eth() / ip6() /
          IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=1) / b"\x00\x01\x00")
    hbh = eth() / ip6() / IPv6ExtHdrHopByHop() / udp()
    p.add("ipv6-hbh-truncated-4", eth() / ip6(nh=0) / b"\x11\x00\x00\x00")
    p.add("ipv6-hbh-len-beyond", eth() / ip6(nh=0) / Raw(b"\x11\x0a" +
                                               bytes(14)))
    p.add("ipv6-ah-len-beyond", eth() / ip6(nh=51) / Raw(b"\x11\x10" +
                                              bytes(14)))
    p.add("ipv6-frag-truncated-6", eth() / ip6(nh=44) / b"\x11\x00\x00\x01\x00\x00")
    p.add("ipv6-hbh-then-nothing", eth() / ip6(nh=0) / Raw(b"\x3c\x00" +
                                                 bytes(6)))
    p.add("ipv6-hbh-plen-cuts", eth() / ip6(plen=8) / IPv6ExtHdrHopByHop() /
          udp())
    p.add("ipv6-hbh-snaplen", hbh, caplen=60)
    # As many headers as fit in the parser's window: all within reach.
    chain = IPv6ExtHdrDestOpt()
    for _ in range(23):
        chain = chain / IPv6ExtHdrDestOpt()
    p.add("ipv6-dst-x24-udp", eth() / ip6() / chain / udp())
    # A long header past which OVS stops without reading anything more.
    p.add("ipv6-hbh-248-then-end", eth() / ip6(nh=0) / Raw(b"\x11\x1e" +
                                                 bytes(246)))
    p.add("ipv6-hbh-248-then-4", eth() / ip6(nh=0) / Raw(b"\x11\x1e" +
                                               bytes(246 + 4)))

    # Neighbour discovery.
    sll = ICMPv6NDOptSrcLLAddr(lladdr=SRC_MAC)
    tll = ICMPv6NDOptDstLLAddr(lladdr=OTHER_MAC)

    def ns(*opts, **kw):
        pkt = eth() / ip6(src=LL6, dst="ff02::1:ff00:99", hlim=255) / \
            ICMPv6ND_NS(tgt=TARGET6, **kw)
        for o in opts:
            pkt = pkt / o
        return pkt

    def na(*opts):
        pkt = eth() / ip6(src=LL6, dst=LL6, hlim=255) / \
            ICMPv6ND_NA(tgt=TARGET6, R=0, S=1, O=1)
        for o in opts:
            pkt = pkt / o
        return pkt

    p.add("nd-ns-sll", ns(sll))
    p.add("nd-ns-no-options", ns())
    p.add("nd-na-tll", na(tll))
    p.add("nd-na-sll-tll", na(sll, tll))
    p.add("nd-ns-tll-sll", ns(tll, sll))
    p.add("nd-ns-code-1", ns(sll, code=1))
    p.add("nd-ns-sll-twice", ns(sll, ICMPv6NDOptSrcLLAddr(lladdr=OTHER_MAC)))
    p.add("nd-na-tll-twice", na(tll, tll))
    p.add("nd-ns-zero-sll-then-sll",
          ns(ICMPv6NDOptSrcLLAddr(lladdr="00:00:00:00:00:00"), sll))
    p.add("nd-ns-opt-len-0", ns(sll, Raw(nd_opt(2, 0, b"\x00" * 6))))
    p.add("nd-ns-opt-len-0-first", ns(Raw(nd_opt(1, 0, b"\x00" * 6)), sll))
    p.add("nd-ns-opt-len-beyond", ns(sll, Raw(nd_opt(2, 3, b"\x00" * 6))))
    p.add("nd-ns-sll-len-2", ns(Raw(nd_opt(1, 2, b"\x02\x00\x00\x00\x00\x05" +
                                             b"\x00" * 8))))
    p.add("nd-ns-mtu-then-sll", ns(ICMPv6NDOptMTU(mtu=1500), sll))
    p.add("nd-ns-sll-trailing-4", ns(sll, Raw(b"\x02\x01\x00\x00")))
    p.add("nd-ns-many-options", ns(*([ICMPv6NDOptMTU(mtu=1280)] * 20 +
                                     [tll])))
    p.add("nd-ns-target-truncated", eth() / ip6(src=LL6, hlim=255, nh=58) /
          Raw(b"\x87\x00\x00\x00\x00\x00\x00\x00" + b"\x20\x01\x0d\xb8"))
    p.add("nd-ns-icmpv6-4", eth() / ip6(hlim=255, nh=58) / b"\x87\x00\x00\x00")
    p.add("nd-ns-behind-hbh", eth() / ip6(src=LL6, hlim=255) /
          IPv6ExtHdrHopByHop() / ICMPv6ND_NS(tgt=TARGET6) / sll)
    p.add("nd-na-frag-later", eth() / ip6() /
          IPv6ExtHdrFragment(nh=58, offset=1, id=1) / raw(na(tll))[62:])
    p.add("nd-ns-plen-cuts-option", eth() /
          ip6(src=LL6, hlim=255, plen=28) / ICMPv6ND_NS(tgt=TARGET6) / sll)


def partial(p):
    """Headers past the parser's window: to be reported, not keyed."""
    chain = IPv6ExtHdrDestOpt()
    for _ in range(24):
        chain = chain / IPv6ExtHdrDestOpt()
    p.add("ipv6-dst-x25-udp", eth() / ip6() / chain / udp())
    p.add("ipv6-hbh-248-udp", eth() / ip6(nh=0) / Raw(b"\x11\x1e" +
                                            bytes(246) + raw(udp())))
    mtu = ICMPv6NDOptMTU(mtu=1280)
    p.add("nd-ns-sll-past-window", eth() /
          ip6(src=LL6, dst="ff02::1:ff00:99", hlim=255) /
          ICMPv6ND_NS(tgt=TARGET6) / mtu / mtu / mtu / mtu / mtu / mtu /
          mtu / mtu / mtu / mtu / mtu / mtu / mtu / mtu / mtu / mtu / mtu /
          mtu / mtu / mtu / mtu / mtu / mtu /
          ICMPv6NDOptSrcLLAddr(lladdr=SRC_MAC))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_parse_pcap.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    main_set = Pcap()
    for gen in (l2, mpls, arp, ipv4, tcp_flag_variants, ipv6):
        gen(main_set)
    main_set.write(os.path.join(out, "parse.pcap"))
    partial_set = Pcap()
    partial(partial_set)
    partial_set.write(os.path.join(out, "parse_partial.pcap"))


if __name__ == "__main__":
    main()
