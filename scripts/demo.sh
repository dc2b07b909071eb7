#!/usr/bin/env bash
# flowpath demo: two hosts talk through a flowpath datapath.
#
# usage: scripts/demo.sh BUILD_DIR      (make demo runs it after the build)
#
#   fpdemo-h1                fpdemo-sw                 fpdemo-h2
#   eth0 192.0.2.1 ---- p1 (port 1)  p2 (port 2) ---- eth0 192.0.2.2
#   02:00:00:00:00:01          flowpath "fpdemo"       02:00:00:00:00:02
#
# Builds that topology in network namespaces (nothing touches the root
# namespace), loads the datapath, installs exact-match flows for ARP, ping
# and a UDP stream, sends real traffic, prints the flow table, the ports and
# the counters, shows a miss going up to the slow path, and removes
# everything on exit, however it exits. Exits non-zero if traffic did not
# flow.
set -u
build=${1:?usage: scripts/demo.sh BUILD_DIR}
FLOWPATH=$(cd "$build" && pwd)/flowpath
[ -x "$FLOWPATH" ] || {
	echo "demo: no $FLOWPATH: run make first" >&2
	exit 1
}
[ "$(id -u)" -eq 0 ] || {
	echo "demo: needs root (namespaces, BPF)" >&2
	exit 1
}
exec </dev/null

DP=fpdemo
SW=fpdemo-sw H1=fpdemo-h1 H2=fpdemo-h2
MAC1=02:00:00:00:00:01 MAC2=02:00:00:00:00:02
IP1=192.0.2.1 IP2=192.0.2.2
BCAST=ff:ff:ff:ff:ff:ff
PY=/usr/bin/python3
tmp=
bg_pids=()

# flowpath needs bpffs, which 'ip netns exec' hides (it remounts /sys):
# nsenter switches only the network namespace.
netns() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}
fp() { netns "$SW" "$FLOWPATH" "$@"; }
if [ -t 1 ]; then bold=$'\033[1m' norm=$'\033[0m'; else bold='' norm=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$norm"; }
say() { printf '   %s\n' "$*"; }
run() { # show a command, then run it
	printf '   $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/     /'
	return "${PIPESTATUS[0]}"
}
die() {
	printf '\n%sdemo FAILED: %s%s\n' "$bold" "$*" "$norm"
	exit 1
}

cleanup() {
	local p
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -e "/run/netns/$SW" ] && netns "$SW" "$FLOWPATH" unload --dp "$DP" >/dev/null 2>&1
	rm -rf "/sys/fs/bpf/flowpath/$DP" 2>/dev/null
	rmdir /sys/fs/bpf/flowpath 2>/dev/null
	for ns in "$SW" "$H1" "$H2"; do ip netns del "$ns" 2>/dev/null; done
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
# What an interrupted earlier run may have left.
cleanup
tmp=$(mktemp -d)

step "1. Topology: two hosts and a switch, each in its own network namespace"
for ns in "$SW" "$H1" "$H2"; do
	ip netns add "$ns" || die "cannot create namespace $ns"
	ip -n "$ns" link set lo up
	# No IPv6 chatter (router solicitations, MLD): the counters below then
	# count only the demo's traffic.
	netns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$SW" link add p1 type veth peer name eth0 netns "$H1" &&
	ip -n "$SW" link add p2 type veth peer name eth0 netns "$H2" ||
	die "cannot create the veth pairs"
ip -n "$H1" link set eth0 address $MAC1
ip -n "$H2" link set eth0 address $MAC2
ip -n "$H1" addr add $IP1/24 dev eth0
ip -n "$H2" addr add $IP2/24 dev eth0
ip -n "$SW" link set p1 up && ip -n "$SW" link set p2 up &&
	ip -n "$H1" link set eth0 up && ip -n "$H2" link set eth0 up ||
	die "cannot bring the links up"
say "$H1: eth0 $IP1/24 $MAC1  <-- veth -->  $SW: p1"
say "$H2: eth0 $IP2/24 $MAC2  <-- veth -->  $SW: p2"
say "The switch namespace has no bridge and no IP: only flowpath forwards."

step "2. Load the datapath: BPF programs and maps, pinned in bpffs"
run fp load --dp "$DP" || die "flowpath load failed"
run ls "/sys/fs/bpf/flowpath/$DP" "/sys/fs/bpf/flowpath/$DP/progs"

step "3. Make p1 and p2 datapath ports 1 and 2 (the parser goes on tc ingress)"
run fp port add p1 --port 1 --dp "$DP" || die "port add p1 failed"
run fp port add p2 --port 2 --dp "$DP" || die "port add p2 failed"
run tc -n "$SW" filter show dev p1 ingress

step "4. Install flows"
say "The flow table is exact-match: a flow names every header field of the"
say "packets it takes (in ovs-dpctl syntax), and its actions: here one"
say "output port each. Anything else misses and goes to the slow path."
say "A ping needs four: ARP request and reply, ICMP echo request and reply."
ARP_REQ="in_port(1),eth(src=$MAC1,dst=$BCAST),eth_type(0x0806),arp(sip=$IP1,tip=$IP2,op=1,sha=$MAC1,tha=00:00:00:00:00:00)"
ARP_REP="in_port(2),eth(src=$MAC2,dst=$MAC1),eth_type(0x0806),arp(sip=$IP2,tip=$IP1,op=2,sha=$MAC2,tha=$MAC1)"
ipv4() { # IN_PORT SRC_MAC DST_MAC SRC_IP DST_IP PROTO
	echo "in_port($1),eth(src=$2,dst=$3),eth_type(0x0800),ipv4(src=$4,dst=$5,proto=$6,tos=0,ttl=64,frag=no)"
}
ECHO_REQ="$(ipv4 1 $MAC1 $MAC2 $IP1 $IP2 1),icmp(type=8,code=0)"
ECHO_REP="$(ipv4 2 $MAC2 $MAC1 $IP2 $IP1 1),icmp(type=0,code=0)"
UDP="$(ipv4 1 $MAC1 $MAC2 $IP1 $IP2 17),udp(src=40000,dst=5000)"
say ""
say "ARP who-has $IP2 (broadcast), port 1 -> port 2:"
run fp flow add "$ARP_REQ" 2 --dp "$DP" || die "flow add failed"
say "ARP reply $IP2 is-at $MAC2, port 2 -> port 1:"
run fp flow add "$ARP_REP" 1 --dp "$DP" || die "flow add failed"
say "ICMP echo request $IP1 -> $IP2, port 1 -> port 2:"
run fp flow add "$ECHO_REQ" 2 --dp "$DP" || die "flow add failed"
say "ICMP echo reply $IP2 -> $IP1, port 2 -> port 1:"
run fp flow add "$ECHO_REP" 1 --dp "$DP" || die "flow add failed"
say "A one-way UDP stream, $IP1:40000 -> $IP2:5000, port 1 -> port 2:"
run fp flow add "$UDP" 2 --dp "$DP" || die "flow add failed"

step "5. Traffic: ping from host 1 to host 2 (ARP first: the hosts start with empty neighbour tables)"
say "(ICMP echo from a raw socket, as ping does; host 2's kernel answers.)"
# shellcheck disable=SC2016
netns "$H1" "$PY" -c '
import os, socket, struct, sys, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF
dst, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident, got = os.getpid() & 0xFFFF, 0
for seq in range(1, count + 1):
    data = b"flowpath-demo-ping".ljust(56, b".")
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + data), ident, seq) + data
    t0 = time.monotonic()
    s.sendto(pkt, (dst, 0))
    s.settimeout(2)
    try:
        while True:
            r = s.recv(2048)
            ihl = (r[0] & 15) * 4
            typ, _, _, rid, rseq = struct.unpack("!BBHHH", r[ihl:ihl + 8])
            if typ == 0 and rid == ident and rseq == seq:
                ms = (time.monotonic() - t0) * 1000
                print("%d bytes from %s: icmp_seq=%d ttl=%d time=%.2f ms" % (len(r) - ihl, dst, seq, r[8], ms))
                got += 1
                break
    except socket.timeout:
        print("no reply to icmp_seq=%d" % seq)
    time.sleep(0.2)
print("%d packets transmitted, %d received" % (count, got))
sys.exit(0 if got == count else 1)
' $IP2 5 2>&1 | sed 's/^/     /'
ping_ok=${PIPESTATUS[0]}

step "6. Traffic: 200 UDP datagrams from host 1 to a socket on host 2"
N=200
netns "$H2" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5000))
print("ready", flush=True)
s.settimeout(3)
n = 0
try:
    while n < int(sys.argv[2]):
        s.recv(2048)
        n += 1
except socket.timeout:
    pass
print(n)
' $IP2 $N >"$tmp/udp-rx" 2>&1 &
bg_pids+=($!)
rx_pid=$!
for ((i = 0; i < 50; i++)); do
	grep -q ready "$tmp/udp-rx" && break
	sleep 0.1
done
netns "$H1" "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 40000))
for i in range(int(sys.argv[3])):
    s.sendto(b"flowpath demo %d" % i, (sys.argv[2], 5000))
    time.sleep(0.001)
' $IP1 $IP2 $N || die "the UDP sender failed"
wait "$rx_pid"
udp_rx=$(tail -n 1 "$tmp/udp-rx")
say "host 2 received $udp_rx of $N datagrams"

step "7. The flow table: each flow with the packets and bytes it took"
run fp flow dump --dp "$DP"

step "8. Ports: what came in (RX) and went out (TX) of each"
run fp port show --dp "$DP"

step "9. A packet with no flow: it misses, and goes up to the slow path"
say "Nothing reads upcalls in this demo but 'flowpath upcall watch', so the"
say "packet is dropped ('load --miss pass' would hand it to the kernel)."
fp upcall watch --count 1 --timeout 5 --dp "$DP" >"$tmp/upcall" 2>&1 &
bg_pids+=($!)
up_pid=$!
for ((i = 0; i < 50; i++)); do
	grep -q watching "$tmp/upcall" && break
	sleep 0.1
done
say "$ in $H1: send one UDP datagram to $IP2 port 9 (no flow)"
netns "$H1" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"nobody expects this", (sys.argv[1], 9))
' $IP2
wait "$up_pid"
grep -E '^(watching|upcall:|  key:)' "$tmp/upcall" | sed 's/^/     /'

step "10. Datapath counters"
run fp stats --dp "$DP"

# Did it work? Every flow of the ping and the stream must have taken packets.
step "Result"
fail=0
dump=$(fp flow dump --dp "$DP")
for name in ARP_REQ ARP_REP ECHO_REQ ECHO_REP UDP; do
	f=${!name}
	pk=$(awk -v k="$f, " '{ i = index($0, k) } i == 1 || (i > 1 && substr($0, i - 1, 1) == ",") {
		if (match($0, /packets:[0-9]+/)) print substr($0, RSTART + 8, RLENGTH - 8) }' <<<"$dump")
	if [ "${pk:-0}" -gt 0 ]; then
		say "ok    flow $name took ${pk} packets"
	else
		say "FAIL  flow $name took no packets: $f"
		fail=1
	fi
done
if [ "$ping_ok" -eq 0 ]; then say "ok    ping $IP1 -> $IP2"; else say "FAIL  ping $IP1 -> $IP2"; fail=1; fi
if [ "$udp_rx" == "$N" ]; then say "ok    $N/$N UDP datagrams"; else say "FAIL  $udp_rx/$N UDP datagrams"; fail=1; fi
if grep -q 'reason=miss in_port=1' "$tmp/upcall"; then
	say "ok    the miss was upcalled"
else
	say "FAIL  no upcall for the miss"
	fail=1
fi
[ "$fail" -eq 0 ] || die "traffic did not flow as expected"
say ""
say "Traffic flowed through flowpath. Cleaning up (unload, delete namespaces)."
exit 0
