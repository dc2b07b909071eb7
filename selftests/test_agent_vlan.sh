#!/usr/bin/env bash
# VLAN-tagged first packets through the agent's TAP. The kernel takes a
# received outer tag out of the frame into skb metadata, so the upcall's
# bytes lack it: the agent must put it back before it executes the packet,
# or the TAP's second pass keys it untagged (no such flow: tap_no_flow)
# and what it does send leaves without the tag. Every frame of a flow must
# leave alike, the first (executed by the agent) and the rest (datapath
# hits): the tag as received, or as mod_vlan_vid rewrote it with the
# received priority kept.
#
#   fpt-avlan-h1 h1 --- s1 (port 1) [fpt-avlan-sw] s2 (port 2) --- h2 fpt-avlan-h2
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptavlan
FP_SW=fpt-avlan-sw
H1=fpt-avlan-h1 H2=fpt-avlan-h2
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0b:01 MAC2=02:00:00:00:0b:02
IP1=192.0.2.1 IP2=198.51.100.2

switch_topology "$H1:$MAC1" "$H2:$MAC2"
check "load" fp load --dp "$FP_DP"
for p in 1 2; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done

# run_case NAME RULE SPORT TAG_IN TAG_OUT: two untagged frames, then two
# tagged TAG_IN (TPID:VID:PCP), through a fresh agent with RULE; h2 must
# get the untagged ones unchanged and the tagged ones with TAG_OUT
# (traffic.py tag builds both), the first tagged one like the second.
run_case() {
	local name=$1 rule=$2 sport=$3 tin=$4 tout=$5
	printf '%s\n' "$rule" >"$tmp/rules"
	fp flow flush --dp "$FP_DP" >/dev/null
	agent_start "$tmp/$name.log" --rules "$tmp/rules" || return
	traffic udp "$tmp/$name-plain.pcap" --count 2 --src-mac $MAC1 --dst-mac $MAC2 \
		--src-ip $IP1 --dst-ip $IP2 --sport "$sport" --dport 53 --payload 40
	traffic tag "$tmp/$name-plain.pcap" "$tmp/$name-in.pcap" --push "$tin"
	traffic tag "$tmp/$name-plain.pcap" "$tmp/$name-want.pcap" --push "$tout"
	capture_start "$H2" h2 "$tmp/$name-got.pcap"
	check_eq "$name: 4 sent" "$(
		nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/$name-plain.pcap" --rate 20 2>&1
		nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/$name-in.pcap" --rate 20 2>&1
	)" "$(printf '2\n2')"
	capture_stop "$tmp/$name-got.pcap" 4
	"$FP_PY" - "$tmp/$name-plain.pcap" "$tmp/$name-want.pcap" "$tmp/$name-expect.pcap" <<'PY'
import sys
from scapy.all import rdpcap, wrpcap
wrpcap(sys.argv[3], list(rdpcap(sys.argv[1])) + list(rdpcap(sys.argv[2])))
PY
	capture_check "$name: h2 gets every frame as the flow says, the first tagged one too" \
		"$tmp/$name-expect.pcap" "$tmp/$name-got.pcap"
	check_eq "$name: none lost in tap_execute (tap_no_flow)" "$(stat_counter tap_no_flow)" 0
	agent_stop
}

# Output only: the tag leaves as it came, PCP and all.
run_case output "priority=1,actions=output:2" 2000 0x8100:10:5 0x8100:10:5
# mod_vlan_vid rewrites the VID of the received tag and keeps its PCP; an
# untagged frame would get a new tag, but these rules match tagged ones.
run_case modvid "priority=2,dl_vlan=10,actions=mod_vlan_vid:20,output:2
priority=1,actions=output:2" 2001 0x8100:10:5 0x8100:20:5
finish
