#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Input pcaps of the BPF_PROG_TEST_RUN datapath tests (selftests/harness.c).

usage: gen_datapath.py OUTDIR

Writes OUTDIR/dp_<name>.pcap, one file per kind of packet. Every file holds
two packets of the same flow: a short one and one longer than the parser's
linear header area (FP_PARSE_HDR_MAX, 256 bytes), so flow stats must add up
both lengths and the BPF side must pull headers from a non-linear skb too.

Output is byte-identical on every run: fixed addresses, payloads and
timestamps. Addresses are documentation ranges only (RFC 5737, RFC 3849).
"""
import os
import sys

from scapy.all import ARP, IP, TCP, UDP, Dot1Q, Ether, IPv6, Raw
from scapy.utils import PcapWriter

SRC_MAC = "02:00:00:00:00:01"
DST_MAC = "02:00:00:00:00:02"
SRC4, DST4 = "192.0.2.1", "198.51.100.2"
SRC6, DST6 = "2001:db8::1", "2001:db8::2"

# A fixed capture time (2024-01-01T00:00:00Z), one millisecond apart.
T0 = 1704067200


def payload(n, seed):
    """n bytes that differ per packet, so a swapped packet shows."""
    return Raw(bytes((seed + i) % 256 for i in range(n)))


def eth():
    return Ether(src=SRC_MAC, dst=DST_MAC)


def ipv4_udp(n):
    return eth() / IP(src=SRC4, dst=DST4, ttl=64, id=1) / \
        UDP(sport=1234, dport=53) / payload(n, 0x10)


def ipv4_tcp(n):
    return eth() / IP(src=SRC4, dst=DST4, ttl=64, id=2) / \
        TCP(sport=40000, dport=80, flags="PA", seq=1000, ack=2000,
            window=512) / payload(n, 0x20)


def ipv6_udp(n):
    return eth() / IPv6(src=SRC6, dst=DST6, hlim=64, fl=0x12345) / \
        UDP(sport=5353, dport=5353) / payload(n, 0x30)


def arp(n):
    # ARP has no payload; a longer frame is padded, as the wire pads it.
    p = eth() / ARP(op=1, hwsrc=SRC_MAC, psrc=SRC4, hwdst="00:00:00:00:00:00",
                    pdst="192.0.2.2")
    return p / Raw(bytes(n)) if n else p


def vlan_udp(n):
    return eth() / Dot1Q(vlan=100, prio=3) / \
        IP(src=SRC4, dst=DST4, ttl=64, id=3) / \
        UDP(sport=1234, dport=5000) / payload(n, 0x40)


# name: packet builder taking a payload length. Each file gets a short
# packet and one of 1000 payload bytes (600 padding bytes for ARP).
SETS = {
    "ipv4_udp": (ipv4_udp, (18, 1000)),
    "ipv4_tcp": (ipv4_tcp, (6, 1000)),
    "ipv6_udp": (ipv6_udp, (8, 1000)),
    "arp": (arp, (0, 600)),
    "vlan_udp": (vlan_udp, (14, 1000)),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (build, lengths) in SETS.items():
        path = os.path.join(out, "dp_%s.pcap" % name)
        tmp = path + ".tmp"
        w = PcapWriter(tmp, linktype=1, sync=True)
        for i, n in enumerate(lengths):
            p = build(n)
            p.time = T0 + i / 1000
            w.write(p)
        w.close()
        os.replace(tmp, path)


if __name__ == "__main__":
    main()
