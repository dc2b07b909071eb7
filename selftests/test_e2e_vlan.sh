#!/usr/bin/env bash
# VLAN actions on real traffic: frames sent from host namespaces go
# through the switch namespace's datapath and are captured with tcpdump on
# the far ends of the veths. A tag pushed by push_vlan stays in skb
# metadata (veth has VLAN tx offload) and reaches the peer as metadata;
# libpcap puts it back into the captured frame, so the capture shows the
# frame as the wire would carry it, compared byte for byte with the sent
# frame plus (or minus) the tags. Then hash(l4(0)),recirc(1) on real
# traffic: the recirculated pass's key, learnt from its upcall, installed.
#
#        fpt-vlan-h1            fpt-vlan-sw                fpt-vlan-h2
#   h1 02:..:01 ------- s1 (port 1)   s2 (port 2) ------- h2 02:..:02
#                                 s3 (port 3)
#                                  |
#                          h3 02:..:03  fpt-vlan-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

FP_DP=fptvlan
FP_SW=fpt-vlan-sw
H1=fpt-vlan-h1
H2=fpt-vlan-h2
H3=fpt-vlan-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

MAC1=02:00:00:00:00:01 MAC2=02:00:00:00:00:02 MAC3=02:00:00:00:00:03
IP1=192.0.2.1 IP2=198.51.100.2
L3="ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no)"
ETH12="eth(src=$MAC1,dst=$MAC2)"
ETH21="eth(src=$MAC2,dst=$MAC1)"
L3R="ipv4(src=$IP2,dst=$IP1,proto=17,tos=0,ttl=64,frag=no)"

send() {
	local n
	n=$(nsx "$1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send "$2" "$3" 2>&1)
	[ "$n" == "$(traffic count "$3")" ] || fail "sending $3 on $2: $n"
}
# udp OUT SRC_MAC DST_MAC SRC_IP DST_IP SPORT DPORT
udp() {
	traffic udp "$1" --count $N --vary --src-mac "$2" --dst-mac "$3" \
		--src-ip "$4" --dst-ip "$5" --sport "$6" --dport "$7"
}
# vlans PCAP: the tags of the first frame as tcpdump reads them.
vlans() {
	tcpdump -r "$1" -e -n -c 1 2>/dev/null | grep -oE 'vlan [0-9]+, p [0-9]+|802.1Q-QinQ' | tr '\n' ' '
}

switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"

check "load" fp load --dp "$FP_DP"
for i in 1 2 3; do
	check "port add s$i" fp port add s$i --port $i --dp "$FP_DP"
done
# tx_vlan DEV: whether DEV offloads inserting 802.1Q and 802.1ad tags.
tx_vlan() {
	nsx "$FP_SW" ethtool -k "$1" |
		awk '$1 == "tx-vlan-offload:" || $1 == "tx-vlan-stag-hw-insert:" { printf "%s ", $2 }'
}
check_eq "s3 offloads VLAN tx: a pushed tag stays metadata up to the peer" \
	"$(tx_vlan s3)" "on on "

N=6
# --- The paper's example: 2,push_vlan(vid=100,pcp=0),3 -------------------
FA="in_port(1),$ETH12,eth_type(0x0800),$L3,udp(src=1234,dst=53)"
check "flow add 2,push_vlan(vid=100,pcp=0),3" \
	fp flow add "$FA" '2,push_vlan(vid=100,pcp=0),3' --dp "$FP_DP"
check "flow dump prints the actions back" \
	bash -c "nsenter --net=/run/netns/$FP_SW $FLOWPATH flow dump --dp $FP_DP | grep -qF 'actions:2,push_vlan(vid=100,pcp=0),3'"
udp "$tmp/a.pcap" $MAC1 $MAC2 $IP1 $IP2 1234 53
traffic tag "$tmp/a.pcap" "$tmp/a-tagged.pcap" --push 0x8100:100:0
capture_start "$H2" h2 "$tmp/a-got2.pcap"
capture_start "$H3" h3 "$tmp/a-got3.pcap"
send "$H1" h1 "$tmp/a.pcap"
capture_stop "$tmp/a-got2.pcap" $N
capture_stop "$tmp/a-got3.pcap" $N
capture_check "paper example: port 2 gets the untagged frames" "$tmp/a.pcap" "$tmp/a-got2.pcap"
capture_check "paper example: port 3 gets them tagged vid 100" "$tmp/a-tagged.pcap" "$tmp/a-got3.pcap"
check_eq "paper example: tcpdump reads the tag on port 3" "$(vlans "$tmp/a-got3.pcap")" "vlan 100, p 0 "
check_eq "paper example: and none on port 2" "$(vlans "$tmp/a-got2.pcap")" ""
check_eq "paper example: flow packets" "$(flow_counter "$FA" packets)" $N

# The same with VLAN tx offload off on s3: the stack writes the tag into
# the frame before veth_xmit (validate_xmit_vlan); the wire is the same.
check "ethtool -K s3 txvlan off" nsx "$FP_SW" ethtool -K s3 txvlan off tx-vlan-stag-hw-insert off
check_eq "s3 no longer offloads VLAN tx" "$(tx_vlan s3)" "off off "
capture_start "$H3" h3 "$tmp/a-sw3.pcap"
send "$H1" h1 "$tmp/a.pcap"
capture_stop "$tmp/a-sw3.pcap" $N
capture_check "without offload: port 3 gets the same tagged frames" "$tmp/a-tagged.pcap" "$tmp/a-sw3.pcap"
check_eq "paper example: flow packets, twice" "$(flow_counter "$FA" packets)" $((2 * N))

# --- 802.1Q then 802.1ad pushed, popped between outputs -------------------
FB="in_port(1),$ETH12,eth_type(0x0800),$L3,udp(src=1234,dst=54)"
check "flow add push, push 802.1ad, pop" fp flow add "$FB" \
	'push_vlan(vid=10,pcp=1),push_vlan(tpid=0x88a8,vid=20,pcp=2),2,pop_vlan,3' --dp "$FP_DP"
udp "$tmp/b.pcap" $MAC1 $MAC2 $IP1 $IP2 1234 54
traffic tag "$tmp/b.pcap" "$tmp/b-one.pcap" --push 0x8100:10:1
traffic tag "$tmp/b-one.pcap" "$tmp/b-two.pcap" --push 0x88a8:20:2
capture_start "$H2" h2 "$tmp/b-got2.pcap"
capture_start "$H3" h3 "$tmp/b-got3.pcap"
send "$H1" h1 "$tmp/b.pcap"
capture_stop "$tmp/b-got2.pcap" $N
capture_stop "$tmp/b-got3.pcap" $N
capture_check "two pushes: port 2 gets 802.1ad over 802.1Q" "$tmp/b-two.pcap" "$tmp/b-got2.pcap"
capture_check "then pop_vlan: port 3 gets the 802.1Q tag only" "$tmp/b-one.pcap" "$tmp/b-got3.pcap"

# --- pop_vlan of frames that arrive tagged --------------------------------
# h2 sends tagged frames from a raw socket (no VLAN device needed); the
# switch port's receive path moves the outer tag into metadata before TC.
FC="in_port(2),$ETH21,eth_type(0x8100),vlan(vid=100,pcp=3),encap(eth_type(0x0800),$L3R,udp(src=53,dst=1234))"
check "flow add pop_vlan,1 for tagged frames" fp flow add "$FC" pop_vlan,1 --dp "$FP_DP"
udp "$tmp/c.pcap" $MAC2 $MAC1 $IP2 $IP1 53 1234
traffic tag "$tmp/c.pcap" "$tmp/c-tagged.pcap" --push 0x8100:100:3
capture_start "$H1" h1 "$tmp/c-got1.pcap"
send "$H2" h2 "$tmp/c-tagged.pcap"
capture_stop "$tmp/c-got1.pcap" $N
capture_check "pop_vlan: h1 gets the frames untagged" "$tmp/c.pcap" "$tmp/c-got1.pcap"
check_eq "pop_vlan: flow packets" "$(flow_counter "$FC" packets)" $N

# --- Two tags arrive: pop one, output, pop the other, output --------------
FD="in_port(2),$ETH21,eth_type(0x88a8),vlan(vid=200,pcp=5),encap(eth_type(0x8100),vlan(vid=100,pcp=3),encap(eth_type(0x0800),$L3R,udp(src=53,dst=1235)))"
check "flow add pop_vlan,1,pop_vlan,3 for double-tagged frames" \
	fp flow add "$FD" pop_vlan,1,pop_vlan,3 --dp "$FP_DP"
udp "$tmp/d.pcap" $MAC2 $MAC1 $IP2 $IP1 53 1235
traffic tag "$tmp/d.pcap" "$tmp/d-one.pcap" --push 0x8100:100:3
traffic tag "$tmp/d-one.pcap" "$tmp/d-two.pcap" --push 0x88a8:200:5
capture_start "$H1" h1 "$tmp/d-got1.pcap"
capture_start "$H3" h3 "$tmp/d-got3.pcap"
send "$H2" h2 "$tmp/d-two.pcap"
capture_stop "$tmp/d-got1.pcap" $N
capture_stop "$tmp/d-got3.pcap" $N
capture_check "double tag, one pop: h1 gets the inner tag" "$tmp/d-one.pcap" "$tmp/d-got1.pcap"
capture_check "double tag, two pops: h3 gets them untagged" "$tmp/d.pcap" "$tmp/d-got3.pcap"
check_eq "double tag: flow packets" "$(flow_counter "$FD" packets)" $N

# --- hash(l4(0)),recirc(1), on real traffic -------------------------------
# The second pass misses at first: its upcall shows the key lookup wanted,
# recirc_id and dp_hash included; installed, that key forwards the rest.
FE="in_port(1),$ETH12,eth_type(0x0800),$L3,udp(src=1234,dst=55)"
check "flow add hash(l4(0)),recirc(1)" fp flow add "$FE" 'hash(l4(0)),recirc(1)' --dp "$FP_DP"
N=1 udp "$tmp/e1.pcap" $MAC1 $MAC2 $IP1 $IP2 1234 55
udp "$tmp/e.pcap" $MAC1 $MAC2 $IP1 $IP2 1234 55
fp upcall watch --count 1 --timeout 5 --dp "$FP_DP" >"$tmp/upcall" 2>&1 &
up_pid=$!
for ((i = 0; i < 50; i++)); do
	grep -q watching "$tmp/upcall" && break
	sleep 0.1
done
send "$H1" h1 "$tmp/e1.pcap"
wait $up_pid
rkey=$(sed -n 's/^  key: //p' "$tmp/upcall")
if grep -qE '^recirc_id\(0x1\),dp_hash\(0x[0-9a-f]+\),in_port\(1\),' <<<"$rkey" &&
	grep -q 'reason=miss' "$tmp/upcall"; then
	pass "recirc: the second pass missed on recirc_id(0x1),dp_hash(...)"
else
	fail "recirc: upcall was: $(cat "$tmp/upcall")"
fi
check "flow add the recirculated key, to port 2" fp flow add "$rkey" 2 --dp "$FP_DP"
capture_start "$H2" h2 "$tmp/e-got2.pcap"
send "$H1" h1 "$tmp/e.pcap"
capture_stop "$tmp/e-got2.pcap" $N
capture_check "recirc: h2 gets every frame" "$tmp/e.pcap" "$tmp/e-got2.pcap"
check_eq "recirc: both passes account the frames" \
	"$(flow_counter "recirc_id(0),$FE" packets) $(flow_counter "$rkey" packets)" "$((N + 1)) $N"
check_eq "recirc: the one miss" "$(stat_counter missed)" 1

check_eq "stats: no drops, no failed actions" \
	"$(stat_counter tail_call_failed) $(stat_counter action_failed)" "0 0"
check "unload" fp unload --dp "$FP_DP"
finish
