#!/usr/bin/env bash
# The agent executes slow-path flows itself: a rule whose translation
# needs more than the 32 actions a flow entry holds (12 copies, each with
# its own VLAN tag, to two ports, and an untagged one) is installed as a
# slow-path flow; its first packet (a miss) runs through the translation,
# the next ones through the installed list (upcalls of reason slow_path),
# and every copy leaves its port with the right bytes.
#
#   fpt-agents-h1 h1 --- s1 (port 1) [fpt-agents-sw] s2 (port 2) --- h2 fpt-agents-h2
#                                                    s3 (port 3) --- h3 fpt-agents-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptagents
FP_SW=fpt-agents-sw
H1=fpt-agents-h1 H2=fpt-agents-h2 H3=fpt-agents-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0c:01 MAC2=02:00:00:00:0c:02 MAC3=02:00:00:00:0c:03
IP1=192.0.2.1 IP2=198.51.100.2
N=10

switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done

# VIDs 101..112, odd ones to port 2, even ones to port 3, then untagged to
# port 2: push_vlan,2 then pop_vlan,push_vlan,N eleven times, pop_vlan,2.
acts="" want_h2=() want_h3=()
for vid in $(seq 101 112); do
	port=$((vid % 2 ? 2 : 3))
	acts+="mod_vlan_vid:$vid,output:$port,"
	if [ $port -eq 2 ]; then want_h2+=("$vid"); else want_h3+=("$vid"); fi
done
acts+="strip_vlan,output:2"
echo "priority=100,in_port=1,udp,tp_dst=53,actions=$acts" >"$tmp/rules"
agent_start "$tmp/agent.log" --rules "$tmp/rules" --idle-timeout 60 || exit 1

traffic udp "$tmp/sent.pcap" --count $N --vary --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport 53
# What each port must see: every packet once per copy, tagged as its copy.
parts=()
for vid in "${want_h2[@]}"; do
	traffic tag "$tmp/sent.pcap" "$tmp/h2-$vid.pcap" --push "0x8100:$vid:0"
	parts+=("$tmp/h2-$vid.pcap")
done
mergecap -F pcap -a -w "$tmp/want-h2.pcap" "${parts[@]}" "$tmp/sent.pcap"
parts=()
for vid in "${want_h3[@]}"; do
	traffic tag "$tmp/sent.pcap" "$tmp/h3-$vid.pcap" --push "0x8100:$vid:0"
	parts+=("$tmp/h3-$vid.pcap")
done
mergecap -F pcap -a -w "$tmp/want-h3.pcap" "${parts[@]}"
n2=$(traffic count "$tmp/want-h2.pcap") n3=$(traffic count "$tmp/want-h3.pcap")

capture_start "$H2" h2 "$tmp/got-h2.pcap"
capture_start "$H3" h3 "$tmp/got-h3.pcap"
# Paced: the first packet's flow is installed before the second arrives.
out=$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/sent.pcap" --rate 50 2>&1)
check_eq "sent $N packets" "$out" "$N"
capture_stop "$tmp/got-h2.pcap" "$n2"
capture_stop "$tmp/got-h3.pcap" "$n3"
capture_check "h2: 7 copies of each packet, VIDs ${want_h2[*]} and untagged" \
	"$tmp/want-h2.pcap" "$tmp/got-h2.pcap"
capture_check "h3: 6 copies of each packet, VIDs ${want_h3[*]}" \
	"$tmp/want-h3.pcap" "$tmp/got-h3.pcap"

flow=$(fp flow dump --dp "$FP_DP")
check_eq "one flow installed" "$(n_flows)" 1
nacts=$(sed 's/.*actions://; s/([^)]*)//g' <<<"$flow" | tr -cd ',' | wc -c)
check_eq "the flow has 37 actions (more than a flow entry's 32)" $((nacts + 1)) 37
check_eq "the flow holds the whole list, the last tag and copy at its end" \
	"$(grep -c 'push_vlan(vid=112,pcp=0),3,pop_vlan,2$' <<<"$flow")" 1
check_eq "datapath: $N upcalls (one miss, then slow_path)" "$(stat_counter upcalls)" $N
check_eq "datapath: $((N - 1)) hits upcalled as slow_path" "$(stat_counter slow_path)" $((N - 1))
check_eq "datapath: the flow counted its $((N - 1)) hits" \
	"$(flow_counter "$(sed 's/, packets:.*//' <<<"$flow")" packets)" $((N - 1))
check_eq "agent: $N packets executed by the slow path" "$(agent_counter slow_executed)" $N
check_eq "agent: $(((n2 + n3))) copies sent" "$(agent_counter slow_outputs)" $((n2 + n3))
check_eq "agent: none dropped" "$(agent_counter slow_dropped)" 0
check_eq "agent: no copy refused" "$(agent_counter slow_tx_dropped)" 0
check_eq "agent: nothing through the TAP" "$(stat_counter tap_executed)" 0
check_eq "rule dump: n_packets of the rule ($N: the miss and the hits)" \
	"$(rule_packets "tp_dst=53 actions=")" $N

agent_stop
check_eq "agent: SIGTERM exits 0" "$?" 0
grep -q "$N by the slow path" "$tmp/agent.log" &&
	pass "agent: its summary counts the slow path" ||
	fail "agent summary: $(tail -n 2 "$tmp/agent.log")"
finish
