#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Pcaps of the tunnel test (selftests/test_tunnel.c).

usage: gen_tunnel.py OUTDIR

Writes into OUTDIR:
  tun_inner.pcap      the frames that enter the tunnels: IPv4/UDP, IPv6/UDP,
                      VLAN-tagged IPv4/UDP, an ARP request
  tun_enc_<port>.pcap each of them as tunnel port <port> sends it, in that
                      order (GRE and ERSPAN sequence numbers count from 0):
                      gre (no key), grek (key, checksum, sequence), ers1
                      (ERSPAN type II), ers2 (ERSPAN type III; its timestamp
                      is 0 here, the test does not compare it)
  tun_dec_<port>.pcap the same as the remote end of <port> sends them: what
                      the port decapsulates
  tun_bad.pcap        GRE to the test's endpoints that must not be
                      decapsulated: see BAD below, in order

The ports' settings are those of selftests/test_tunnel.c. Output is
byte-identical on every run. Addresses are documentation ranges (RFC 5737,
RFC 3849).
"""
import os
import sys

from scapy.all import ARP, GRE, IP, UDP, Dot1Q, Ether, IPv6, Raw
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III
from scapy.utils import PcapWriter

T0 = 1704067200  # 2024-01-01T00:00:00Z
IN_SRC, IN_DST = "02:00:00:00:00:01", "02:00:00:00:00:02"
U_MAC, R_MAC = "02:00:00:00:01:01", "02:00:00:00:01:02"  # the underlay
LOCAL = "198.51.100.1"

# name: remote, outer ttl, outer tos, GRE or ERSPAN header for sequence k
PORTS = {
    "gre": ("198.51.100.2", 64, 0, lambda k: GRE(proto=0x6558)),
    "grek": ("198.51.100.3", 32, 0x10, lambda k: GRE(
        chksum_present=1, key_present=1, seqnum_present=1, key=0x1234,
        sequence_number=k, proto=0x6558)),
    "ers1": ("198.51.100.4", 64, 0, lambda k: GRE(
        seqnum_present=1, sequence_number=k, proto=0x88be)),
    "ers2": ("198.51.100.5", 64, 0, lambda k: GRE(
        seqnum_present=1, sequence_number=k, proto=0x22eb)),
}
PASS_REMOTE = "198.51.100.6"  # a GRE port with --malformed pass


def payload(n, seed):
    return Raw(bytes((seed + i) % 256 for i in range(n)))


def inner_frames():
    udp = UDP(sport=40000, dport=7777)  # no dissector of its own
    return [
        Ether(src=IN_SRC, dst=IN_DST) /
        IP(src="192.0.2.1", dst="192.0.2.2", ttl=64, id=1) / udp /
        payload(18, 0x10),
        Ether(src=IN_SRC, dst=IN_DST) /
        IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=64) / udp /
        payload(30, 0x20),
        Ether(src=IN_SRC, dst=IN_DST) / Dot1Q(vlan=10, prio=3) /
        IP(src="192.0.2.1", dst="192.0.2.2", ttl=64, id=3) / udp /
        payload(18, 0x30),
        Ether(src=IN_SRC, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=IN_SRC, psrc="192.0.2.1", pdst="192.0.2.2"),
    ]


def erspan(name, inner):
    """The ERSPAN header port @name puts before @inner: the frame's tag
    (type II: en=3, kept in the frame) or none (en=0)."""
    vid = inner[Dot1Q].vlan if Dot1Q in inner else 0
    en = 3 if vid else 0
    if name == "ers1":
        return ERSPAN_II(ver=1, vlan=vid, cos=0, en=en, t=0, session_id=7,
                         index=0x2a)
    return ERSPAN_III(ver=2, vlan=vid, cos=0, bso=0, t=0, session_id=9,
                      timestamp=0, hw=0x15, d=1, gra=0, o=0)


def outer(remote, ttl, tos):
    """What a tunnel port to @remote puts in front: DF set, so IP id 0."""
    return Ether(src=U_MAC, dst=R_MAC) / IP(
        src=LOCAL, dst=remote, ttl=ttl, tos=tos, flags="DF", id=0, proto=47)


def encapsulated(name, k, inner, incoming=False):
    """@inner as port @name sends it, or (@incoming) as its remote end
    sends it back: addresses the other way round."""
    remote, ttl, tos, hdr = PORTS[name]
    if incoming:
        p = Ether(src=R_MAC, dst=U_MAC) / IP(
            src=remote, dst=LOCAL, ttl=ttl, tos=tos, flags="DF", id=0,
            proto=47)
    else:
        p = outer(remote, ttl, tos)
    p = p / hdr(k)
    if name.startswith("ers"):
        p = p / erspan(name, inner)
    return p / inner


def arriving(remote, gre_and_rest):
    """A GRE packet from @remote to LOCAL, as it reaches the underlay."""
    return Ether(src=R_MAC, dst=U_MAC) / IP(
        src=remote, dst=LOCAL, ttl=64, flags="DF", id=0, proto=47) / \
        gre_and_rest


def bad_packets():
    i4 = inner_frames()[0]
    gre, grek, ers1 = (PORTS[n][0] for n in ("gre", "grek", "ers1"))
    return [
        # malformed, to endpoints that drop them
        arriving(gre, GRE(version=1, proto=0x6558) / i4),
        arriving(gre, GRE(routing_present=1, proto=0x6558) / i4),
        arriving(grek, GRE(chksum_present=1, key_present=1, seqnum_present=1,
                           chksum=0xdead, key=0x1234, proto=0x6558) / i4),
        arriving(ers1, GRE(seqnum_present=1, proto=0x88be) /
                 Raw(b"\x10\x00\x00")),  # ERSPAN header cut short
        arriving(ers1, GRE(seqnum_present=1, proto=0x88be) /
                 ERSPAN_II(ver=2, session_id=7) / i4),  # wrong version
        # malformed, to the endpoint that passes them to the stack
        arriving(PASS_REMOTE, GRE(version=1, proto=0x6558) / i4),
        # sound, but no tunnel port takes them: ordinary packets
        arriving("198.51.100.99", GRE(proto=0x6558) / i4),
        arriving(grek, GRE(key_present=1, key=0x9999, proto=0x6558) / i4),
        arriving(gre, GRE(key_present=1, key=0x1, proto=0x6558) / i4),
        arriving(gre, GRE(proto=0x0800) / i4[IP]),
    ]


def write(path, pkts):
    w = PcapWriter(path, linktype=1, sync=True)
    for i, p in enumerate(pkts):
        p.time = T0 + i
        w.write(p)
    w.close()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    inner = inner_frames()
    write(os.path.join(out, "tun_inner.pcap"), inner)
    for name in PORTS:
        write(os.path.join(out, "tun_enc_%s.pcap" % name),
              [encapsulated(name, k, f) for k, f in enumerate(inner)])
        write(os.path.join(out, "tun_dec_%s.pcap" % name),
              [encapsulated(name, k, f, True) for k, f in enumerate(inner)])
    write(os.path.join(out, "tun_bad.pcap"), bad_packets())


if __name__ == "__main__":
    main()
