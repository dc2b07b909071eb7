#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Packets for the end-to-end shell tests and the demo.

  traffic.py udp OUT.pcap --count N --src-mac M --dst-mac M --src-ip A
             --dst-ip A --sport P --dport P [--ttl T] [--payload BYTES] [--vary]
             [--bad-csum]
      Writes N IPv4/UDP frames that differ only in a sequence number in
      their payload (so every frame is unique), checksums filled in; with
      --vary, frame i has i % 64 more bytes of payload.
      With --bad-csum, each UDP checksum is the right one with its 0x0100
      bit flipped: wrong, and (bar a 1 in 65535 chance: check it) not the
      pseudo-header sum an unfinished (CHECKSUM_PARTIAL) one holds.
  traffic.py send IFACE PCAP [--rate PPS]
      Sends every frame of PCAP, byte for byte, on IFACE (AF_PACKET), paced
      to at most PPS frames a second. Prints the number sent.
  traffic.py tag IN.pcap OUT.pcap [--push TPID:VID:PCP]... [--pop N]
      Writes the frames of IN with their N outer VLAN tags removed, then
      each --push tag inserted after the MAC addresses, in order (the
      last given ends up outermost), as push_vlan/pop_vlan leave them.
  traffic.py sock-recv udp|tcp ADDR PORT [--count N] [--timeout S]
      A real socket bound to ADDR:PORT (IPv6 if ADDR has a colon): prints
      "ready" once bound, then takes N datagrams (udp) or N connections,
      each read to its end (tcp), or what came within S seconds in all,
      and prints how many as its last line.
  traffic.py sock-send udp|tcp SRC DST PORT [--sport P] [--count N]
      From a real socket bound to SRC (and --sport), N datagrams to
      DST:PORT 1 ms apart (udp), or N connections each sending a line and
      closing (tcp, 3 s to connect). The kernel builds every header and
      checksum as for any application. Prints how many went.
  traffic.py count PCAP
      Prints the number of frames in PCAP.
  traffic.py bytes PCAP
      Prints the sum of the frames' lengths.
  traffic.py compare SENT.pcap GOT.pcap
      Exit 0 if GOT holds exactly the frames of SENT, whole frames compared
      byte for byte and full length (in any order: frames sent from one
      socket may come out of the other end reordered across CPUs). On a
      difference, says which frame and the first differing offset.

pcaps are read and written here directly (no scapy) so that thousands of
frames stay fast; scapy only builds the packets.
"""
import argparse
import socket
import struct
import sys
import time

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D


def read_pcap(path):
    frames = []
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            raise SystemExit(f"{path}: not a pcap file (only {len(hdr)} bytes)")
        for endian in ("<", ">"):
            magic = struct.unpack(endian + "I", hdr[:4])[0]
            if magic in (PCAP_MAGIC_US, PCAP_MAGIC_NS):
                break
        else:
            raise SystemExit(f"{path}: not a pcap file (magic {hdr[:4].hex()})")
        linktype = struct.unpack(endian + "I", hdr[20:24])[0]
        if linktype != 1:
            raise SystemExit(f"{path}: link type {linktype}, expected Ethernet (1)")
        while True:
            rec = f.read(16)
            if not rec:
                break
            if len(rec) < 16:
                raise SystemExit(f"{path}: truncated record header")
            _, _, incl, orig = struct.unpack(endian + "IIII", rec)
            data = f.read(incl)
            if len(data) < incl:
                raise SystemExit(f"{path}: truncated frame {len(frames)}")
            if incl != orig:
                raise SystemExit(
                    f"{path}: frame {len(frames)} was cut to {incl} of {orig} bytes"
                )
            frames.append(data)
    return frames


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", PCAP_MAGIC_US, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 0, i, len(fr), len(fr)))
            f.write(fr)


def cmd_udp(a):
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether

    frames = []
    for seq in range(a.count):
        payload = struct.pack("!I", seq) + b"flowpath-selftest"
        size = a.payload + (seq % 64 if a.vary else 0)
        payload += bytes(max(0, size - len(payload)))
        pkt = (
            Ether(src=a.src_mac, dst=a.dst_mac)
            / IP(src=a.src_ip, dst=a.dst_ip, ttl=a.ttl, tos=0, flags=0, id=seq & 0xFFFF)
            / UDP(sport=a.sport, dport=a.dport)
            / payload
        )
        fr = bytes(pkt)
        if a.bad_csum:
            # The UDP checksum is at offset 14 + 20 + 6.
            fr = fr[:40] + bytes([fr[40] ^ 0x01]) + fr[41:]
        frames.append(fr)
    write_pcap(a.out, frames)


def cmd_send(a):
    frames = read_pcap(a.pcap)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    gap = 1.0 / a.rate if a.rate > 0 else 0.0
    start = time.monotonic()
    sent = 0
    for i, fr in enumerate(frames):
        if gap:
            # Pace against the start time, so a slow send catches up.
            delay = start + i * gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        for attempt in range(100):
            try:
                s.send(fr)
                break
            except BlockingIOError:
                time.sleep(0.001)
            except OSError as e:
                raise SystemExit(f"send on {a.iface}, frame {i}: {e}")
        else:
            raise SystemExit(f"send on {a.iface}, frame {i}: socket stayed full")
        sent += 1
    print(sent)


def sock_family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def cmd_sock_recv(a):
    kind = socket.SOCK_DGRAM if a.proto == "udp" else socket.SOCK_STREAM
    s = socket.socket(sock_family(a.addr), kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    if a.proto == "tcp":
        s.listen(8)
    print("ready", flush=True)
    deadline = time.monotonic() + a.timeout
    n = 0
    while n < a.count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            if a.proto == "udp":
                s.recv(65535)
            else:
                c, _ = s.accept()
                c.settimeout(max(0.1, deadline - time.monotonic()))
                while c.recv(65535):
                    pass
                c.close()
        except (socket.timeout, TimeoutError):
            break
        n += 1
    print(n)


def cmd_sock_send(a):
    fam = sock_family(a.dst)
    n = 0
    for i in range(a.count):
        if a.proto == "udp":
            if i == 0:
                s = socket.socket(fam, socket.SOCK_DGRAM)
                s.bind((a.src, a.sport))
            s.sendto(b"flowpath sock %d" % i, (a.dst, a.port))
            time.sleep(0.001)
        else:
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((a.src, a.sport + i if a.sport else 0))
            s.settimeout(3)
            try:
                s.connect((a.dst, a.port))
                s.sendall(b"flowpath sock %d\n" % i)
            except OSError as e:
                print(f"connection {i}: {e}", file=sys.stderr)
                s.close()
                continue
            s.close()
        n += 1
    print(n)


def cmd_tag(a):
    out = []
    for fr in read_pcap(a.inp):
        for _ in range(a.pop):
            if len(fr) >= 18 and fr[12:14] in (b"\x81\x00", b"\x88\xa8"):
                fr = fr[:12] + fr[16:]
        for tag in a.push:
            tpid, vid, pcp = (int(x, 0) for x in tag.split(":"))
            fr = fr[:12] + struct.pack("!HH", tpid, pcp << 13 | vid) + fr[12:]
        out.append(fr)
    write_pcap(a.out, out)


def cmd_count(a):
    print(len(read_pcap(a.pcap)))


def cmd_bytes(a):
    print(sum(len(f) for f in read_pcap(a.pcap)))


def first_diff(x, y):
    for i in range(min(len(x), len(y))):
        if x[i] != y[i]:
            return i
    return min(len(x), len(y))


def cmd_compare(a):
    sent = read_pcap(a.sent)
    got = read_pcap(a.got)
    if sent == got:
        print(f"{len(got)} frames identical, in order")
        return 0
    ok = sorted(sent) == sorted(got)
    if ok:
        print(f"{len(got)} frames identical (reordered)")
        return 0
    print(f"sent {len(sent)} frames, received {len(got)}")
    remaining = {}
    for fr in sent:
        remaining[fr] = remaining.get(fr, 0) + 1
    shown = 0
    for i, fr in enumerate(got):
        if remaining.get(fr, 0) > 0:
            remaining[fr] -= 1
            continue
        # The nearest sent frame: same length and longest common prefix.
        best = max(sent, key=lambda s: (len(s) == len(fr), first_diff(s, fr)))
        off = first_diff(best, fr)
        print(
            f"received frame {i} ({len(fr)} bytes) was not sent; nearest sent "
            f"frame ({len(best)} bytes) first differs at offset {off}"
        )
        print(f"  sent: {best.hex()}")
        print(f"  got:  {fr.hex()}")
        shown += 1
        if shown >= 3:
            break
    missing = sum(remaining.values())
    if missing:
        print(f"{missing} sent frames never arrived")
    return 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("udp")
    u.add_argument("out")
    u.add_argument("--count", type=int, default=1)
    u.add_argument("--src-mac", required=True)
    u.add_argument("--dst-mac", required=True)
    u.add_argument("--src-ip", required=True)
    u.add_argument("--dst-ip", required=True)
    u.add_argument("--sport", type=int, required=True)
    u.add_argument("--dport", type=int, required=True)
    u.add_argument("--ttl", type=int, default=64)
    u.add_argument("--payload", type=int, default=32, help="payload bytes")
    u.add_argument("--vary", action="store_true", help="frame i: i %% 64 more bytes")
    u.add_argument("--bad-csum", action="store_true", help="a wrong UDP checksum")
    s = sub.add_parser("send")
    s.add_argument("iface")
    s.add_argument("pcap")
    s.add_argument("--rate", type=float, default=0, help="frames per second")
    t = sub.add_parser("tag")
    t.add_argument("inp")
    t.add_argument("out")
    t.add_argument("--push", action="append", default=[], help="TPID:VID:PCP")
    t.add_argument("--pop", type=int, default=0, help="outer tags to remove")
    r = sub.add_parser("sock-recv")
    r.add_argument("proto", choices=("udp", "tcp"))
    r.add_argument("addr")
    r.add_argument("port", type=int)
    r.add_argument("--count", type=int, default=1)
    r.add_argument("--timeout", type=float, default=5)
    w = sub.add_parser("sock-send")
    w.add_argument("proto", choices=("udp", "tcp"))
    w.add_argument("src")
    w.add_argument("dst")
    w.add_argument("port", type=int)
    w.add_argument("--sport", type=int, default=0)
    w.add_argument("--count", type=int, default=1)
    c = sub.add_parser("count")
    c.add_argument("pcap")
    b = sub.add_parser("bytes")
    b.add_argument("pcap")
    m = sub.add_parser("compare")
    m.add_argument("sent")
    m.add_argument("got")
    a = p.parse_args()
    return {
        "udp": cmd_udp,
        "send": cmd_send,
        "tag": cmd_tag,
        "sock-recv": cmd_sock_recv,
        "sock-send": cmd_sock_send,
        "count": cmd_count,
        "bytes": cmd_bytes,
        "compare": cmd_compare,
    }[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
