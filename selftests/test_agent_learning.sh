#!/usr/bin/env bash
# MAC learning happens where `normal` runs, as in OVS, and nowhere else. A
# frame that an ACL rule drops must not teach the MAC table: h3, whose
# port a rule blocks, sends frames with h2's MAC as their source; h1's
# frames to h2, whom the switch has not heard from through normal, must
# still flood (to h2 and h3), not go to h3's port alone. Once h2 speaks
# through normal, h1's next frames to it go unicast.
#
#   fpt-alrn-h1 h1 --- s1 (port 1) [fpt-alrn-sw] s2 (port 2) --- h2 fpt-alrn-h2
#                                                s3 (port 3) --- h3 fpt-alrn-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptalrn
FP_SW=fpt-alrn-sw
H1=fpt-alrn-h1 H2=fpt-alrn-h2 H3=fpt-alrn-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0c:01 MAC2=02:00:00:00:0c:02 MAC3=02:00:00:00:0c:03
IP1=192.0.2.1 IP2=192.0.2.2 IP3=192.0.2.3

udp() { # OUT COUNT SRC_MAC DST_MAC SRC_IP DST_IP SPORT
	traffic udp "$1" --count "$2" --vary --src-mac "$3" --dst-mac "$4" \
		--src-ip "$5" --dst-ip "$6" --sport "$7" --dport 2000
}
switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done
cat >"$tmp/rules" <<RULES
# Port 3 is blocked; everything else is switched.
priority=100,in_port=3,actions=drop
priority=0,actions=normal
RULES
agent_start "$tmp/agent.log" --rules "$tmp/rules" || exit 1

# h3 claims h2's MAC: dropped by the ACL, nowhere delivered.
udp "$tmp/spoof.pcap" 3 $MAC2 $MAC1 $IP3 $IP1 3000
check_eq "h3's frames with h2's MAC: dropped, delivered nowhere (h1 h2 h3)" \
	"$(exchange spoof "$H3" h3 "$tmp/spoof.pcap" "0 0 0")" "0 0 0"

# h1 -> h2: h2 never spoke through normal, so its MAC is unknown: flood.
udp "$tmp/a.pcap" 2 $MAC1 $MAC2 $IP1 $IP2 3001
check_eq "h1 to h2's MAC after the dropped frames: flooded to h2 and h3 (h1 h2 h3)" \
	"$(exchange a "$H1" h1 "$tmp/a.pcap" "0 2 2")" "0 2 2"
capture_check "h1 to h2: h2 gets the frames as sent" "$tmp/a.pcap" "$tmp/a-h2.pcap"

# h2 speaks through normal: learnt on port 2; h1's next flow is unicast.
udp "$tmp/b.pcap" 2 $MAC2 $MAC1 $IP2 $IP1 3002
check_eq "h2 to h1 (h1 learnt from its frames): unicast (h1 h2 h3)" \
	"$(exchange b "$H2" h2 "$tmp/b.pcap" "2 0 0")" "2 0 0"
udp "$tmp/c.pcap" 2 $MAC1 $MAC2 $IP1 $IP2 3003
check_eq "h1 to h2, now learnt where normal saw it: unicast (h1 h2 h3)" \
	"$(exchange c "$H1" h1 "$tmp/c.pcap" "0 2 0")" "0 2 0"
finish
