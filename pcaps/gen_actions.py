#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Pcaps of the action-stage tests (selftests/test_actions.c).

usage: gen_actions.py OUTDIR

Writes OUTDIR/act_<name>.pcap. The inputs are the packets of
gen_datapath.py's dp_ipv4_udp.pcap and dp_vlan_udp.pcap (a short one and
one longer than the parser's linear area) plus a double-tagged one; each
expected output is the same packets as a capture on the far end of a veth
shows them after the actions: VLAN tags in the frame, outermost first.

Output is byte-identical on every run: fixed addresses, payloads and
timestamps. Addresses are documentation ranges only (RFC 5737).
"""
import os
import sys

from scapy.all import IP, UDP, Dot1AD, Dot1Q, Ether, Raw
from scapy.utils import PcapWriter

SRC_MAC = "02:00:00:00:00:01"
DST_MAC = "02:00:00:00:00:02"
SRC4, DST4 = "192.0.2.1", "198.51.100.2"
T0 = 1704067200  # 2024-01-01T00:00:00Z


def payload(n, seed):
    return Raw(bytes((seed + i) % 256 for i in range(n)))


def tags(stack):
    """Dot1Q/Dot1AD layers, outermost first: (tpid, vid, pcp) each."""
    layers = []
    for tpid, vid, pcp in stack:
        cls = Dot1AD if tpid == 0x88a8 else Dot1Q
        layers.append(cls(vlan=vid, prio=pcp))
    return layers


def frame(stack, inner):
    """Ethernet, the tags of @stack, then the IPv4/UDP packet @inner."""
    p = Ether(src=SRC_MAC, dst=DST_MAC)
    for t in tags(stack):
        p = p / t
    return p / inner


# The IPv4/UDP packets of dp_ipv4_udp.pcap and dp_vlan_udp.pcap.
def ipv4_udp(n):
    return IP(src=SRC4, dst=DST4, ttl=64, id=1) / \
        UDP(sport=1234, dport=53) / payload(n, 0x10)


def vlan_inner(n):
    return IP(src=SRC4, dst=DST4, ttl=64, id=3) / \
        UDP(sport=1234, dport=5000) / payload(n, 0x40)


UNTAGGED = (ipv4_udp, (18, 1000))
TAGGED = (vlan_inner, (14, 1000))  # dp_vlan_udp: tag 0x8100 vid 100 pcp 3
T100 = (0x8100, 100, 3)
S200 = (0x88a8, 200, 5)

# name: (inner packet builder and payload lengths, tag stack, outermost
# first)
SETS = {
    # Inputs (besides dp_ipv4_udp and dp_vlan_udp).
    "qinq_udp": (TAGGED, [S200, T100]),
    # Expected outputs.
    "untagged": (UNTAGGED, []),
    "push100p0": (UNTAGGED, [(0x8100, 100, 0)]),
    "push_s200": (TAGGED, [S200, T100]),
    "push300_qinq": (TAGGED, [(0x8100, 300, 1), S200, T100]),
    "vlan_popped": (TAGGED, []),
    "qinq_popped": (TAGGED, [T100]),
    "chain_two": (UNTAGGED, [(0x88a8, 20, 2), (0x8100, 10, 1)]),
    "chain_one": (UNTAGGED, [(0x8100, 10, 1)]),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, ((inner, lengths), stack) in SETS.items():
        path = os.path.join(out, "act_%s.pcap" % name)
        tmp = path + ".tmp"
        w = PcapWriter(tmp, linktype=1, sync=True)
        for i, n in enumerate(lengths):
            p = frame(stack, inner(n))
            p.time = T0 + i / 1000
            w.write(p)
        w.close()
        os.replace(tmp, path)


if __name__ == "__main__":
    main()
