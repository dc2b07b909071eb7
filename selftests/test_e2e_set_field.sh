#!/usr/bin/env bash
# set(...) on real traffic: h1's UDP socket sends to a virtual address
# (203.0.113.9, MAC 02:..:0b); the switch's flow rewrites the Ethernet
# destination, the IPv4 destination and the UDP port to h2's, and h2's UDP
# socket must receive every datagram. With h1's checksum offload off and
# h2's rx checksum offload off, h1 sends full checksums, set_field updates
# them incrementally and h2's stack verifies them: a wrong checksum would
# never reach the socket. tcpdump on h2 captures the frames and tshark must
# call every IP and UDP checksum good. Then with offloads on, the frames
# arrive CHECKSUM_PARTIAL at the switch (the UDP field holds the
# pseudo-header sum only): the same flow must still deliver them.
#
#        fpt-sf-h1              fpt-sf-sw               fpt-sf-h2
#   h1 02:..:01 192.0.2.1 -- s1 (1)   s2 (2) -- h2 02:..:02 198.51.100.2
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

FP_DP=fptsf
FP_SW=fpt-sf-sw
H1=fpt-sf-h1
H2=fpt-sf-h2
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

MAC1=02:00:00:00:00:01 MAC2=02:00:00:00:00:02 MACV=02:00:00:00:00:0b
IP1=192.0.2.1 IP2=198.51.100.2 IPV=203.0.113.9
N=5

switch_topology "$H1:$MAC1" "$H2:$MAC2"
if ! { ip -n "$H1" addr add $IP1/24 dev h1 &&
	ip -n "$H1" route add 203.0.113.0/24 dev h1 &&
	ip -n "$H1" neigh add $IPV lladdr $MACV dev h1 &&
	ip -n "$H2" addr add $IP2/24 dev h2 &&
	ip -n "$H2" route add 192.0.2.0/24 dev h2; }; then
	fail "cannot address the hosts"
	exit 1
fi

check "load" fp load --dp "$FP_DP"
check "port add s1" fp port add s1 --port 1 --dp "$FP_DP"
check "port add s2" fp port add s2 --port 2 --dp "$FP_DP"

KEY="in_port(1),eth(src=$MAC1,dst=$MACV),eth_type(0x0800),ipv4(src=$IP1,dst=$IPV,proto=17,tos=0,ttl=64,frag=no),udp(src=40000,dst=53)"
ACTS="set(eth(dst=$MAC2)),set(ipv4(dst=$IP2)),set(udp(dst=5353)),2"
check "flow add $ACTS" fp flow add "$KEY" "$ACTS" --dp "$FP_DP"
check "flow dump prints the set actions back" \
	bash -c "nsenter --net=/run/netns/$FP_SW $FLOWPATH flow dump --dp $FP_DP | grep -qF 'actions:$ACTS'"

# OVS's own flow parser (python3-openvswitch, ovs.flow.odp) must read the
# dumped set(...) actions, masks included, as meant.
KEY2="${KEY/dst=53)/dst=54)}"
ACTS2="set(eth(dst=0a:0b:0c:00:00:00/ff:ff:ff:00:00:00)),set(ipv4(src=203.0.113.0/24,tos=0x3/0x3,ttl=9)),set(udp(dst=0x1f00/0xff00)),2"
check "flow add masked sets" fp flow add "$KEY2" "$ACTS2" --dp "$FP_DP"
dumped=$(fp flow dump --dp "$FP_DP" | grep -F "udp(src=40000,dst=54)")
ovs_read=$("$FP_PY" -c '
import sys
from ovs.flow.odp import ODPFlow
for a in ODPFlow(sys.argv[1]).actions_kv:
    for attr, fields in (a.value.items() if a.key == "set" else []):
        for name, v in fields.items():
            print("%s.%s=%s" % (attr, name, v))
' "$dumped" 2>&1 | tr '\n' ' ')
check_eq "ovs.flow.odp reads the dumped masked sets" "$ovs_read" \
	"eth.dst=a:b:c:0:0:0/ff:ff:ff:0:0:0 ipv4.src=203.0.113.0/24 ipv4.tos=0x3/0x3 ipv4.ttl=9 udp.dst=0x1f00/0xff00 "
check "flow del masked sets" fp flow del "$KEY2" --dp "$FP_DP"

# recv: h2's socket on 5353, N datagrams or a 5 s timeout; prints them.
recv() {
	nsx "$H2" "$FP_PY" -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$IP2', 5353))
s.settimeout(5)
print('ready', flush=True)
got = 0
try:
    while got < $N:
        s.recv(2048)
        got += 1
except socket.timeout:
    pass
print(got)
" >"$tmp/recv.out" 2>&1 &
	recv_pid=$!
	for _ in $(seq 50); do
		grep -q ready "$tmp/recv.out" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# send: N datagrams from h1's socket, 40000 -> IPV:53.
send() {
	nsx "$H1" "$FP_PY" -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$IP1', 40000))
for i in range($N):
    s.sendto(bytes(range(i, i + 100)), ('$IPV', 53))
"
}
# run LABEL: send, and h2's socket must get all N.
run() {
	recv || fail "$1: receiver did not start"
	capture_start "$H2" h2 "$tmp/$1.pcap"
	send
	wait "$recv_pid"
	capture_stop "$tmp/$1.pcap" $N
	check_eq "$1: h2's socket received every datagram" "$(tail -1 "$tmp/recv.out")" $N
}

check "h1: tx checksum offload off (full checksums)" nsx "$H1" ethtool -K h1 tx off
check "h2: rx checksum offload off (the stack verifies)" nsx "$H2" ethtool -K h2 rx off
run full
verdicts=$(tshark -r "$tmp/full.pcap" -o ip.check_checksum:TRUE \
	-o udp.check_checksum:TRUE -T fields -E separator=, \
	-e ip.checksum.status -e udp.checksum.status -e ip.dst -e udp.dstport \
	-e eth.dst 2>/dev/null | sort | uniq -c | awk '{$1=$1; print}')
check_eq "full: tshark: every IP and UDP checksum good, fields rewritten" \
	"$verdicts" "$N 1,1,$IP2,5353,$MAC2"

check "h1: tx checksum offload on (CHECKSUM_PARTIAL)" nsx "$H1" ethtool -K h1 tx on
run partial
check_eq "flow packets" "$(flow_counter "$KEY" packets)" $((2 * N))
check_eq "no set_mismatch" "$(stat_counter set_mismatch)" 0

finish
