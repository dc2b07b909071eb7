#!/usr/bin/env bash
# Real packets through a loaded datapath: hosts in their own namespaces,
# the switch ports (the other ends of their veths) in a switch namespace.
# Frames are sent from one host with an AF_PACKET socket and captured at
# the others with tcpdump; the captured frames must equal the sent frames,
# whole and byte for byte, and the flow, port and datapath counters must
# count exactly them.
#
#        fpt-e2e-h1            fpt-e2e-sw                fpt-e2e-h2
#   h1 02:..:01 ------- s1 (port 1)   s2 (port 2) ------- h2 02:..:02
#                              s3 (port 3, attached by hand with tc)
#                               |
#                       h3 02:..:03  fpt-e2e-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

FP_DP=fpte2e
FP_SW=fpt-e2e-sw
H1=fpt-e2e-h1
H2=fpt-e2e-h2
H3=fpt-e2e-h3
PIN=/sys/fs/bpf/flowpath/$FP_DP
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

MAC1=02:00:00:00:00:01 MAC2=02:00:00:00:00:02 MAC3=02:00:00:00:00:03
IP1=192.0.2.1 IP2=198.51.100.2 IP3=203.0.113.3
udp_key() { # IN_PORT SRC_MAC DST_MAC SRC_IP DST_IP SPORT DPORT
	echo "in_port($1),eth(src=$2,dst=$3),eth_type(0x0800),ipv4(src=$4,dst=$5,proto=17,tos=0,ttl=64,frag=no),udp(src=$6,dst=$7)"
}
F12=$(udp_key 1 $MAC1 $MAC2 $IP1 $IP2 1234 53)   # h1 -> h2
F21=$(udp_key 2 $MAC2 $MAC1 $IP2 $IP1 53 1234)   # h2 -> h1, the reply
F13=$(udp_key 1 $MAC1 $MAC2 $IP1 $IP2 1234 99)   # h1 -> h2 and h3
F32=$(udp_key 3 $MAC3 $MAC2 $IP3 $IP2 4000 53)   # h3 -> h2, hand-attached port

# send NS DEV PCAP: every frame of PCAP out of DEV.
send() {
	local n
	n=$(nsx "$1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send "$2" "$3" 2>&1)
	[ "$n" == "$(traffic count "$3")" ] || fail "sending $3 on $2: $n"
}
# sum_bytes PCAP
sum_bytes() { traffic bytes "$1"; }

switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"

check "load" fp load --dp "$FP_DP"
check "port add s1" fp port add s1 --port 1 --dp "$FP_DP"
check "port add s2" fp port add s2 --port 2 --dp "$FP_DP"

filters=$(tc -n "$FP_SW" filter show dev s1 ingress)
if grep -qE 'pref 49152 .*handle 0xf1 fp_parser.* direct-action' <<<"$filters"; then
	pass "tc filter show: s1 runs fp_parser at pref 49152 handle 0xf1"
else
	fail "tc filter show dev s1 ingress: $filters"
fi
check_eq "the filter runs the pinned parser" \
	"$(filter_prog_id "$FP_SW" s1)" "$(pinned_prog_id "$FP_DP" parser)"

check "flow add h1 -> h2" fp flow add "$F12" 2 --dp "$FP_DP"
check "flow add h2 -> h1" fp flow add "$F21" 1 --dp "$FP_DP"
check "flow add h1 -> h2 and h3" fp flow add "$F13" 2,3 --dp "$FP_DP"

# What bpftool shows of the flow table, field by field (BTF-formatted):
# each flow's in_port, MACs, EtherType, ports and output actions, as added.
flows=$(bpftool -j map dump pinned "$PIN/flow_table" | "$FP_PY" -c '
import json, socket, sys
mac = lambda b: ":".join("%02x" % x for x in b)
rows = []
for e in json.load(sys.stdin):
    k, v = e["formatted"]["key"], e["formatted"]["value"]
    outs = [a["u"]["output"]["port"] for a in v["actions"][:v["n_actions"]]
            if a["type"] == 1]  # FP_ACT_OUTPUT
    rows.append("in_port=%d %s>%s type=%#06x udp %d>%d -> %s" % (
        k["in_port"], mac(k["eth_src"]), mac(k["eth_dst"]), socket.ntohs(k["eth_type"]),
        socket.ntohs(k["tp_src"]), socket.ntohs(k["tp_dst"]), ",".join(map(str, outs))))
print("; ".join(sorted(rows)))')
check_eq "bpftool map dump flow_table: the 3 flows' keys and outputs" "$flows" \
	"in_port=1 $MAC1>$MAC2 type=0x0800 udp 1234>53 -> 2; in_port=1 $MAC1>$MAC2 type=0x0800 udp 1234>99 -> 2,3; in_port=2 $MAC2>$MAC1 type=0x0800 udp 53>1234 -> 1"

# --- h1 -> h2 ---------------------------------------------------------------
N12=20
traffic udp "$tmp/12.pcap" --count $N12 --vary --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1234 --dport 53
B12=$(sum_bytes "$tmp/12.pcap")
capture_start "$H2" h2 "$tmp/12-got.pcap"
send "$H1" h1 "$tmp/12.pcap"
capture_stop "$tmp/12-got.pcap" $N12
check_eq "h1 -> h2: frames received" "$(traffic count "$tmp/12-got.pcap")" $N12
capture_check "h1 -> h2: received frames equal sent frames" "$tmp/12.pcap" "$tmp/12-got.pcap"
check_eq "h1 -> h2: flow packets" "$(flow_counter "$F12" packets)" $N12
check_eq "h1 -> h2: flow bytes" "$(flow_counter "$F12" bytes)" "$B12"
check_eq "h1 -> h2: port 1 rx" "$(port_counter 1 rx packets) $(port_counter 1 rx bytes)" "$N12 $B12"
check_eq "h1 -> h2: port 2 tx" "$(port_counter 2 tx packets) $(port_counter 2 tx bytes)" "$N12 $B12"
check_eq "h1 -> h2: stats hit" "$(stat_counter hit)" $N12
check_eq "h1 -> h2: stats missed" "$(stat_counter missed)" 0

# --- h2 -> h1, the reply direction ----------------------------------------
N21=10
traffic udp "$tmp/21.pcap" --count $N21 --vary --payload 200 --src-mac $MAC2 \
	--dst-mac $MAC1 --src-ip $IP2 --dst-ip $IP1 --sport 53 --dport 1234
B21=$(sum_bytes "$tmp/21.pcap")
capture_start "$H1" h1 "$tmp/21-got.pcap"
send "$H2" h2 "$tmp/21.pcap"
capture_stop "$tmp/21-got.pcap" $N21
check_eq "h2 -> h1: frames received" "$(traffic count "$tmp/21-got.pcap")" $N21
capture_check "h2 -> h1: received frames equal sent frames" "$tmp/21.pcap" "$tmp/21-got.pcap"
check_eq "h2 -> h1: flow packets" "$(flow_counter "$F21" packets)" $N21
check_eq "h2 -> h1: flow bytes" "$(flow_counter "$F21" bytes)" "$B21"
check_eq "h2 -> h1: port 2 rx" "$(port_counter 2 rx packets) $(port_counter 2 rx bytes)" "$N21 $B21"
check_eq "h2 -> h1: port 1 tx" "$(port_counter 1 tx packets) $(port_counter 1 tx bytes)" "$N21 $B21"
check_eq "h2 -> h1: h1 -> h2 flow unchanged" "$(flow_counter "$F12" packets)" $N12
check_eq "h2 -> h1: stats hit" "$(stat_counter hit)" $((N12 + N21))

# --- A miss is dropped (load's default --miss drop) -----------------------
# Three frames of no flow, then one of F12 as a marker: once the marker is
# in, the misses (sent before it) have been dealt with.
traffic udp "$tmp/miss.pcap" --count 3 --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1234 --dport 54
traffic udp "$tmp/marker.pcap" --count 1 --payload 100 --src-mac $MAC1 \
	--dst-mac $MAC2 --src-ip $IP1 --dst-ip $IP2 --sport 1234 --dport 53
capture_start "$H2" h2 "$tmp/miss-got.pcap"
send "$H1" h1 "$tmp/miss.pcap"
send "$H1" h1 "$tmp/marker.pcap"
capture_stop "$tmp/miss-got.pcap" 1
capture_check "miss: only the marker arrives" "$tmp/marker.pcap" "$tmp/miss-got.pcap"
check_eq "miss: stats missed" "$(stat_counter missed)" 3
check_eq "miss: stats miss_dropped" "$(stat_counter miss_dropped)" 3
check_eq "miss: upcalls (with nobody reading) + upcalls_lost" \
	$(($(stat_counter upcalls) + $(stat_counter upcalls_lost))) 3
check_eq "miss: stats hit (the marker)" "$(stat_counter hit)" $((N12 + N21 + 1))
check_eq "miss: port 1 rx counts misses too" "$(port_counter 1 rx packets)" $((N12 + 3 + 1))

# --- Hand-attached port: port add --no-attach, then tc --------------------
check "port add s3 --no-attach" fp port add s3 --port 3 --no-attach --dp "$FP_DP"
check_eq "--no-attach: no filter on s3" "$(tc -n "$FP_SW" filter show dev s3 ingress)" ""
check "--no-attach: port show says not attached" \
	bash -c "nsenter --net=/run/netns/$FP_SW $FLOWPATH port show --dp $FP_DP | grep -q 'port 3: s3 .*not attached'"
# nsx, not tc -n: tc -n remounts /sys like ip netns exec, hiding bpffs.
check "tc qdisc add dev s3 clsact" nsx "$FP_SW" tc qdisc add dev s3 clsact
check "tc filter add dev s3 ingress bpf da object-pinned .../progs/parser" \
	nsx "$FP_SW" tc filter add dev s3 ingress bpf da object-pinned "$PIN/progs/parser"
check "tc filter show dev s3 ingress: fp_parser" \
	bash -c "tc -n $FP_SW filter show dev s3 ingress | grep -q 'direct-action.*name fp_parser'"
check "flow add h3 -> h2" fp flow add "$F32" 2 --dp "$FP_DP"
N32=5
traffic udp "$tmp/32.pcap" --count $N32 --vary --src-mac $MAC3 --dst-mac $MAC2 \
	--src-ip $IP3 --dst-ip $IP2 --sport 4000 --dport 53
B32=$(sum_bytes "$tmp/32.pcap")
capture_start "$H2" h2 "$tmp/32-got.pcap"
send "$H3" h3 "$tmp/32.pcap"
capture_stop "$tmp/32-got.pcap" $N32
capture_check "hand-attached: h3 -> h2 frames arrive" "$tmp/32.pcap" "$tmp/32-got.pcap"
check_eq "hand-attached: flow packets, bytes" \
	"$(flow_counter "$F32" packets) $(flow_counter "$F32" bytes)" "$N32 $B32"
check_eq "hand-attached: port 3 rx" \
	"$(port_counter 3 rx packets) $(port_counter 3 rx bytes)" "$N32 $B32"

# --- One flow, two outputs: a clone to port 2, the packet to port 3 -------
N13=4
traffic udp "$tmp/13.pcap" --count $N13 --vary --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1234 --dport 99
B13=$(sum_bytes "$tmp/13.pcap")
tx2=$(port_counter 2 tx packets) tx3=$(port_counter 3 tx packets)
capture_start "$H2" h2 "$tmp/13-got2.pcap"
capture_start "$H3" h3 "$tmp/13-got3.pcap"
send "$H1" h1 "$tmp/13.pcap"
capture_stop "$tmp/13-got2.pcap" $N13
capture_stop "$tmp/13-got3.pcap" $N13
capture_check "actions 2,3: h2 gets every frame" "$tmp/13.pcap" "$tmp/13-got2.pcap"
capture_check "actions 2,3: h3 gets every frame" "$tmp/13.pcap" "$tmp/13-got3.pcap"
check_eq "actions 2,3: flow packets, bytes" \
	"$(flow_counter "$F13" packets) $(flow_counter "$F13" bytes)" "$N13 $B13"
check_eq "actions 2,3: port 2 and 3 tx" \
	"$(port_counter 2 tx packets) $(port_counter 3 tx packets)" \
	"$((tx2 + N13)) $((tx3 + N13))"

# --- Totals, then unload --------------------------------------------------
check_eq "stats: hit, missed, drops" \
	"$(stat_counter hit) $(stat_counter missed) $(stat_counter tail_call_failed) $(stat_counter output_no_port)" \
	"$((N12 + N21 + 1 + N32 + N13)) 3 0 0"
check "unload" fp unload --dp "$FP_DP"
check_eq "unload: no filter left on s1 and s2" \
	"$(tc -n "$FP_SW" filter show dev s1 ingress)$(tc -n "$FP_SW" filter show dev s2 ingress)" ""
check_eq "unload: no pins" "$(ls -A "$PIN" 2>/dev/null)" ""

finish
