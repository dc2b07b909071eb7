#!/usr/bin/env bash
# `normal` end to end, per VLAN and over time: a MAC learnt in VLAN 10 is
# known in VLAN 10 only (a frame to it in VLAN 20 floods), and a MAC unseen
# for --mac-idle seconds is forgotten: the flow that went unicast to it is
# revalidated and floods again.
#
#   fpt-aage-h1 h1 --- s1 (port 1) [fpt-aage-sw] s2 (port 2) --- h2 fpt-aage-h2
#                                                s3 (port 3) --- h3 fpt-aage-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptaage
FP_SW=fpt-aage-sw
H1=fpt-aage-h1 H2=fpt-aage-h2 H3=fpt-aage-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0f:01 MAC2=02:00:00:00:0f:02 MAC3=02:00:00:00:0f:03
IP1=192.0.2.1 IP2=192.0.2.2
IDLE=4

# frames OUT VID SRC_MAC DST_MAC SPORT: two UDP frames tagged VID, priority 0.
frames() {
	traffic udp "$tmp/$1.plain" --count 2 --src-mac "$3" --dst-mac "$4" \
		--src-ip $IP1 --dst-ip $IP2 --sport "$5" --dport 2000
	traffic tag "$tmp/$1.plain" "$tmp/$1" --push "0x8100:$2:0"
}
switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done
echo "actions=normal" >"$tmp/rules"
agent_start "$tmp/agent.log" --rules "$tmp/rules" --mac-idle $IDLE || exit 1

frames h2v10 10 $MAC2 $MAC1 3000
check_eq "h2 speaks in VLAN 10 (h1 unknown): flooded (h1 h2 h3)" \
	"$(exchange h2v10 "$H2" h2 "$tmp/h2v10" "2 0 2")" "2 0 2"
frames to2v10 10 $MAC1 $MAC2 3001
check_eq "h1 to h2 in VLAN 10, where h2 was learnt: unicast (h1 h2 h3)" \
	"$(exchange to2v10 "$H1" h1 "$tmp/to2v10" "0 2 0")" "0 2 0"
capture_check "h1 to h2 in VLAN 10: h2 gets the frames as sent, tag and all" \
	"$tmp/to2v10" "$tmp/to2v10-h2.pcap"
frames to2v20 20 $MAC1 $MAC2 3002
check_eq "h1 to h2 in VLAN 20, where h2 is unknown: flooded (h1 h2 h3)" \
	"$(exchange to2v20 "$H1" h1 "$tmp/to2v20" "0 2 2")" "0 2 2"

# h2 says nothing more: after --mac-idle and a sweep it is forgotten, and
# the unicast flow of VLAN 10 floods again (same frames, same flow).
sleep $((IDLE + 2))
check_eq "after --mac-idle $IDLE s of silence, h1 to h2 in VLAN 10 floods again (h1 h2 h3)" \
	"$(exchange to2v10 "$H1" h1 "$tmp/to2v10" "0 2 2")" "0 2 2"
finish
