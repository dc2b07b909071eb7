#!/usr/bin/env bash
# The agent finishes the checksums a sender left to the device. h1's
# sockets send with tx checksum offload on, so over the veth their TCP and
# UDP packets are CHECKSUM_PARTIAL (the field holds the pseudo-header
# sum); the first packet of each flow goes up to the agent, which sends
# the bytes on as a new skb the receiver checks. Each such first packet,
# through the TAP (IPv4 and IPv6 UDP, TCP) and through the slow path
# (AF_PACKET, with set(udp) run on it), must reach a real socket in h2,
# and h2 must count no checksum error; a frame whose checksum is wrong
# (not unfinished) is passed on as it is and counted as an error there.
#
#   fpt-agentc-h1 h1 --- s1 (port 1) [fpt-agentc-sw] s2 (port 2) --- h2 fpt-agentc-h2
#   192.0.2.1, 2001:db8::1                              192.0.2.2, 2001:db8::2
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptagentc
FP_SW=fpt-agentc-sw
H1=fpt-agentc-h1 H2=fpt-agentc-h2
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0d:01 MAC2=02:00:00:00:0d:02
IP1=192.0.2.1 IP2=192.0.2.2 IP61=2001:db8::1 IP62=2001:db8::2

switch_topology "$H1:$MAC1" "$H2:$MAC2"
# host NS DEV IP IP6 PEER_IP PEER_IP6 PEER_MAC: addresses, and the peer's
# MAC by hand, so that the first packet a socket sends is its own (no ARP,
# no neighbour discovery), and IPv6 on DEV only, with no link-local
# address or DAD to send anything of its own.
host() {
	nsx "$1" ip link set "$2" addrgenmode none &&
		nsx "$1" sysctl -qw "net.ipv6.conf.$2.accept_dad=0" \
			"net.ipv6.conf.$2.disable_ipv6=0" &&
		nsx "$1" ip addr add "$3/24" dev "$2" &&
		nsx "$1" ip addr add "$4/64" dev "$2" nodad &&
		nsx "$1" ip neigh replace "$5" lladdr "$7" dev "$2" nud permanent &&
		nsx "$1" ip -6 neigh replace "$6" lladdr "$7" dev "$2" nud permanent
}
check "h1: addresses" host "$H1" h1 $IP1 $IP61 $IP2 $IP62 $MAC2
check "h2: addresses" host "$H2" h2 $IP2 $IP62 $IP1 $IP61 $MAC1
# The point of the test: h1's sockets leave their checksums to the device.
check "h1: tx checksum offload on" nsx "$H1" ethtool -K h1 tx on
check "h2: tx checksum offload on" nsx "$H2" ethtool -K h2 tx on
check_eq "h1: tx-checksumming on" \
	"$(nsx "$H1" ethtool -k h1 | awk '$1 == "tx-checksumming:" { print $2 }')" on

check "load" fp load --dp "$FP_DP"
for p in 1 2; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done

# UDP to 5001 through the slow path: 17 copies to h2, each from its own
# source port, 34 datapath actions (more than a flow entry holds). The
# set(udp) the executor runs updates the checksum it finds incrementally:
# only a finished one comes out right.
slow="" want_slow=17
for i in $(seq 1 $want_slow); do slow+="mod_tp_src:$((4000 + i)),output:2,"; done
cat >"$tmp/rules" <<RULES
priority=100,in_port=1,udp,tp_dst=5001,actions=${slow%,}
priority=10,in_port=1,actions=output:2
priority=10,in_port=2,actions=output:1
RULES
agent_start "$tmp/agent.log" --rules "$tmp/rules" || exit 1

# first_packet LABEL udp|tcp SRC DST PORT N_RECV: one datagram (or one
# connection) from h1's socket, h2's socket must take N_RECV.
first_packet() {
	local label=$1 proto=$2 src=$3 dst=$4 port=$5 want=$6 out
	sock_recv_start "$H2" "$tmp/recv" "$proto" "$dst" "$port" \
		--count "$want" --timeout 5 || return
	out=$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" sock-send \
		"$proto" "$src" "$dst" "$port" --sport 40000 2>&1)
	check_eq "$label: sent" "$out" 1
	check_eq "$label: received by h2's socket" "$(sock_recv_wait "$tmp/recv")" "$want"
}

# --- IPv4 UDP, through the TAP ------------------------------------------------
first_packet "IPv4 UDP, first datagram" udp $IP1 $IP2 5000 1
check_eq "IPv4 UDP: the agent completed one checksum" "$(agent_counter csum_completed)" 1
# Executed through the TAP: a hit on its own flow, counted there once (the
# agent's executed counter may also hold the hosts' own IPv6 multicast).
check_eq "IPv4 UDP: executed through the TAP, one packet on its flow" \
	"$(fp flow dump --dp "$FP_DP" | grep -F 'ipv4(src=192.0.2.1,dst=192.0.2.2,proto=17' |
		grep -F 'udp(src=40000,dst=5000)' | grep -o 'packets:[0-9]*')" "packets:1"
check_eq "IPv4 UDP: h2 Udp InCsumErrors" "$(snmp_counter "$H2" Udp InCsumErrors)" 0
# The rest of the flow stays in the datapath: CHECKSUM_PARTIAL all the way.
sock_recv_start "$H2" "$tmp/recv" udp $IP2 5000 --count 20 --timeout 5
out=$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" sock-send udp $IP1 $IP2 5000 \
	--sport 40000 --count 20 2>&1)
check_eq "IPv4 UDP, 20 more: received" "$(sock_recv_wait "$tmp/recv")" 20
check_eq "IPv4 UDP, 20 more: no more checksums completed" "$(agent_counter csum_completed)" 1

# --- IPv6 UDP, through the TAP ------------------------------------------------
first_packet "IPv6 UDP, first datagram" udp $IP61 $IP62 5000 1
check_eq "IPv6 UDP: the agent completed one more checksum" "$(agent_counter csum_completed)" 2
check_eq "IPv6 UDP: h2 Udp6 InCsumErrors" "$(snmp_counter "$H2" Udp6 InCsumErrors)" 0

# --- IPv4 UDP, through the slow path ------------------------------------------
slow_before=$(agent_counter slow_executed)
first_packet "slow path UDP, first datagram" udp $IP1 $IP2 5001 $want_slow
check_eq "slow path: run by the agent" "$(agent_counter slow_executed)" $((slow_before + 1))
check_eq "slow path: $want_slow copies sent" "$(agent_counter slow_outputs)" $want_slow
check_eq "slow path: the agent completed one more checksum" "$(agent_counter csum_completed)" 3
check_eq "slow path: h2 Udp InCsumErrors" "$(snmp_counter "$H2" Udp InCsumErrors)" 0

# --- TCP: SYN, SYN-ACK and the rest each go up once -------------------------
# Without the fix the SYN would be dropped and resent a second later, and
# h2 and h1 would count checksum errors.
for v in 4 6; do
	if [ $v -eq 4 ]; then src=$IP1 dst=$IP2; else src=$IP61 dst=$IP62; fi
	before=$(agent_counter csum_completed)
	first_packet "IPv$v TCP, first connection" tcp $src $dst 8080 1
	after=$(agent_counter csum_completed)
	if [ "$after" -ge $((before + 2)) ]; then
		pass "IPv$v TCP: the agent completed $((after - before)) checksums (SYN, SYN-ACK, ...)"
	else
		fail "IPv$v TCP: the agent completed $((after - before)) checksums, expected 2 or more"
	fi
done
check_eq "TCP: h2 Tcp InCsumErrors" "$(snmp_counter "$H2" Tcp InCsumErrors)" 0
check_eq "TCP: h1 Tcp InCsumErrors" "$(snmp_counter "$H1" Tcp InCsumErrors)" 0
check_eq "TCP: h1 resent no SYN (TcpExt TCPSynRetrans)" "$(snmp_counter "$H1" TcpExt TCPSynRetrans)" 0

# --- a wrong checksum is left as it is -----------------------------------------
completed=$(agent_counter csum_completed)
traffic udp "$tmp/bad.pcap" --count 1 --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 40000 --dport 5002 --bad-csum
capture_start "$H2" h2 "$tmp/bad-got.pcap"
sock_recv_start "$H2" "$tmp/recv" udp $IP2 5002 --count 1 --timeout 2
out=$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/bad.pcap" 2>&1)
check_eq "wrong checksum: sent" "$out" 1
check_eq "wrong checksum: not received by h2's socket" "$(sock_recv_wait "$tmp/recv")" 0
capture_stop "$tmp/bad-got.pcap" 1
capture_check "wrong checksum: at h2 byte for byte as sent" "$tmp/bad.pcap" "$tmp/bad-got.pcap"
check_eq "wrong checksum: not completed by the agent" "$(agent_counter csum_completed)" "$completed"
check_eq "wrong checksum: h2 counts it (Udp InCsumErrors)" "$(snmp_counter "$H2" Udp InCsumErrors)" 1

agent_stop
check_eq "agent: SIGTERM exits 0" "$?" 0
finish
