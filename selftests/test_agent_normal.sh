#!/usr/bin/env bash
# The agent's `normal` action, an L2 learning switch: the first packet to
# an unknown MAC floods; once the destination has spoken, its flows go
# unicast (a third host captures nothing more), the flow that flooded
# included; a MAC that moves to another port takes its flows with it.
#
#   fpt-agentn-h1 h1 --- s1 (port 1) [fpt-agentn-sw] s2 (port 2) --- h2 fpt-agentn-h2
#                                                    s3 (port 3) --- h3 fpt-agentn-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptagentn
FP_SW=fpt-agentn-sw
H1=fpt-agentn-h1 H2=fpt-agentn-h2 H3=fpt-agentn-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0b:01 MAC2=02:00:00:00:0b:02 MAC3=02:00:00:00:0b:03
IP1=192.0.2.1 IP2=192.0.2.2

udp() { # OUT COUNT SRC_MAC DST_MAC SRC_IP DST_IP
	traffic udp "$1" --count "$2" --vary --src-mac "$3" --dst-mac "$4" \
		--src-ip "$5" --dst-ip "$6" --sport 2000 --dport 2000
}
switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done
echo "actions=normal" >"$tmp/rules"
agent_start "$tmp/agent.log" --rules "$tmp/rules" || exit 1

# h1 -> h2, h2 unknown: flooded to h2 and h3.
udp "$tmp/a.pcap" 1 $MAC1 $MAC2 $IP1 $IP2
exchange a "$H1" h1 "$tmp/a.pcap" "0 1 0"
capture_check "unknown destination: h2 gets the packet" "$tmp/a.pcap" "$tmp/a-h2.pcap"
capture_check "unknown destination: flooded to h3 too" "$tmp/a.pcap" "$tmp/a-h3.pcap"
check_eq "unknown destination: not back to h1" "$(traffic count "$tmp/a-h1.pcap")" 0

# h2 -> h1: h1 was learnt from the first packet: unicast, h3 sees nothing.
udp "$tmp/b.pcap" 3 $MAC2 $MAC1 $IP2 $IP1
exchange b "$H2" h2 "$tmp/b.pcap" "3 0 0"
capture_check "learnt destination: h1 gets the reply" "$tmp/b.pcap" "$tmp/b-h1.pcap"
check_eq "learnt destination: nothing flooded to h3" "$(traffic count "$tmp/b-h3.pcap")" 0

# h1 -> h2 again: the flow that flooded was revalidated once h2 was learnt.
up=$(stat_counter upcalls)
udp "$tmp/c.pcap" 10 $MAC1 $MAC2 $IP1 $IP2
exchange c "$H1" h1 "$tmp/c.pcap" "0 10 0"
capture_check "after learning: h2 gets h1's packets" "$tmp/c.pcap" "$tmp/c-h2.pcap"
check_eq "after learning: no more flooding to h3" "$(traffic count "$tmp/c-h3.pcap")" 0
check_eq "after learning: h1 -> h2 runs in the datapath (no upcall)" "$(stat_counter upcalls)" "$up"
check_eq "port 3 sent only the flooded packet" "$(port_counter 3 tx packets)" 1

# h2's MAC moves to port 3 (sent from h3): its flows follow it.
udp "$tmp/d.pcap" 1 $MAC2 $MAC1 $IP2 $IP1
exchange d "$H3" h3 "$tmp/d.pcap" "1 0 0"
check_eq "MAC move: counted by the agent" "$(agent_counter mac_moves)" 1
udp "$tmp/e.pcap" 5 $MAC1 $MAC2 $IP1 $IP2
exchange e "$H1" h1 "$tmp/e.pcap" "0 0 5"
capture_check "MAC move: h1 -> MAC2 now reaches port 3" "$tmp/e.pcap" "$tmp/e-h3.pcap"
check_eq "MAC move: nothing to the old port" "$(traffic count "$tmp/e-h2.pcap")" 0
finish
