#!/usr/bin/env bash
# The agent executes slow-path flows itself: a rule whose translation
# needs more than the 32 actions a flow entry holds (14 copies to two
# ports: one as it came, 12 each with its own VLAN tag, one untagged) is
# installed as a slow-path flow; its first packet (a miss) runs through
# the translation, the next ones through the installed list (upcalls of
# reason slow_path), and every copy leaves its port with the right bytes,
# a received VLAN tag included. Killed (SIGKILL), the agent takes those
# packets with it (the flow stays, its upcalls are lost); a new agent
# adopts the flow as it is and runs its packets again.
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

# The packet as it came to port 3, then VIDs 101..112, odd ones to port 2,
# even ones to port 3, then untagged to port 2: 3, push_vlan,2, then
# pop_vlan,push_vlan,N eleven times, pop_vlan,2.
acts="output:3," want_h2=() want_h3=()
for vid in $(seq 101 112); do
	port=$((vid % 2 ? 2 : 3))
	acts+="mod_vlan_vid:$vid,output:$port,"
	if [ $port -eq 2 ]; then want_h2+=("$vid"); else want_h3+=("$vid"); fi
done
acts+="strip_vlan,output:2"
echo "priority=100,in_port=1,udp,tp_dst=53,actions=$acts" >"$tmp/rules"
agent_start "$tmp/agent.log" --rules "$tmp/rules" --idle-timeout 60 || exit 1

# expect PLAIN SENT PREFIX: PREFIX-h2.pcap and PREFIX-h3.pcap, what each
# port must see of SENT (PLAIN untagged): every packet once per copy,
# tagged as its copy, and SENT as it was at h3.
expect() {
	local vid parts=()
	for vid in "${want_h2[@]}"; do
		traffic tag "$1" "$3-$vid.pcap" --push "0x8100:$vid:0"
		parts+=("$3-$vid.pcap")
	done
	mergecap -F pcap -a -w "$3-h2.pcap" "${parts[@]}" "$1"
	parts=("$2")
	for vid in "${want_h3[@]}"; do
		traffic tag "$1" "$3-$vid.pcap" --push "0x8100:$vid:0"
		parts+=("$3-$vid.pcap")
	done
	mergecap -F pcap -a -w "$3-h3.pcap" "${parts[@]}"
}
# run_slow LABEL SENT PREFIX: send SENT paced (each packet's upcall handled
# before the next arrives); both ports must get what expect() says.
run_slow() {
	local n2 n3 out
	expect "$2" "$2" "$3"
	n2=$(traffic count "$3-h2.pcap") n3=$(traffic count "$3-h3.pcap")
	capture_start "$H2" h2 "$3-got-h2.pcap"
	capture_start "$H3" h3 "$3-got-h3.pcap"
	out=$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$2" --rate 50 2>&1)
	check_eq "$1: sent $(traffic count "$2") packets" "$out" "$(traffic count "$2")"
	capture_stop "$3-got-h2.pcap" "$n2"
	capture_stop "$3-got-h3.pcap" "$n3"
	capture_check "$1: h2 gets 7 copies of each packet, VIDs ${want_h2[*]} and untagged" \
		"$3-h2.pcap" "$3-got-h2.pcap"
	capture_check "$1: h3 gets 7 copies of each packet, as sent and VIDs ${want_h3[*]}" \
		"$3-h3.pcap" "$3-got-h3.pcap"
}

traffic udp "$tmp/sent.pcap" --count $N --vary --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport 53
run_slow "first run" "$tmp/sent.pcap" "$tmp/a"
n2=$(traffic count "$tmp/a-h2.pcap") n3=$(traffic count "$tmp/a-h3.pcap")

flow=$(fp flow dump --dp "$FP_DP")
check_eq "one flow installed" "$(n_flows)" 1
nacts=$(sed 's/.*actions://; s/([^)]*)//g' <<<"$flow" | tr -cd ',' | wc -c)
check_eq "the flow has 38 actions (more than a flow entry's 32)" $((nacts + 1)) 38
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

# --- a tagged packet: the tag the kernel took out of the frame is back --------
# The upcall carries the frame without the received outer tag (skb metadata):
# the first copy, as it came, must have it; mod_vlan_vid replaces it and
# strip_vlan removes it: the other copies are the untagged packet's.
traffic udp "$tmp/plain.pcap" --count 5 --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport 53 --payload 60
traffic tag "$tmp/plain.pcap" "$tmp/tagged.pcap" --push 0x8100:7:0
expect "$tmp/plain.pcap" "$tmp/tagged.pcap" "$tmp/t"
capture_start "$H2" h2 "$tmp/t-got-h2.pcap"
capture_start "$H3" h3 "$tmp/t-got-h3.pcap"
check_eq "tagged: 5 sent" \
	"$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/tagged.pcap" --rate 50 2>&1)" 5
capture_stop "$tmp/t-got-h2.pcap" 35
capture_stop "$tmp/t-got-h3.pcap" 35
capture_check "tagged: h2 gets VIDs ${want_h2[*]} and untagged, the input tag replaced" \
	"$tmp/t-h2.pcap" "$tmp/t-got-h2.pcap"
capture_check "tagged: h3 gets it as sent, VID 7, and VIDs ${want_h3[*]}" \
	"$tmp/t-h3.pcap" "$tmp/t-got-h3.pcap"
check_eq "tagged: a flow of its own (vlan in the key)" "$(n_flows)" 2
check_eq "tagged: executed, none dropped" \
	"$(agent_counter slow_executed) $(agent_counter slow_dropped)" "$((N + 5)) 0"

# --- SIGKILL: slow-path packets are lost, the flow stays ----------------------
kill -KILL "$FP_AGENT_PID"
wait "$FP_AGENT_PID" 2>/dev/null
check_eq "SIGKILL: the agent died of it" "$?" 137
lost=$(stat_counter upcalls_lost)
traffic udp "$tmp/dead.pcap" --count 5 --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport 53
capture_start "$H2" h2 "$tmp/dead-got.pcap"
check_eq "no agent: 5 sent" \
	"$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/dead.pcap" --rate 50 2>&1)" 5
capture_stop "$tmp/dead-got.pcap" 0
check_eq "no agent: nothing delivered (only the agent runs this flow)" \
	"$(traffic count "$tmp/dead-got.pcap")" 0
check_eq "no agent: 5 upcalls lost (no reader)" "$(stat_counter upcalls_lost)" $((lost + 5))
check_eq "no agent: the flow counted them" \
	"$(flow_counter "$(sed 's/, packets:.*//' <<<"$flow")" packets)" $((N - 1 + 5))

# --- a new agent adopts the slow-path flow and runs it -----------------------
agent_start "$tmp/agent2.log" --rules "$tmp/rules" --idle-timeout 60 || exit 1
check_eq "restart: both slow-path flows adopted" "$(agent_counter adopted)" 2
check_eq "restart: not rewritten (its whole list is the rule's)" "$(agent_counter flows_updated)" 0
traffic udp "$tmp/again.pcap" --count $N --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport 53 --payload 100
run_slow "after restart" "$tmp/again.pcap" "$tmp/b"
check_eq "after restart: no flow installed" "$(agent_counter installed)" 0
check_eq "after restart: the installed list ran $N packets" "$(agent_counter slow_executed)" $N
check_eq "after restart: $((n2 + n3)) copies sent" "$(agent_counter slow_outputs)" $((n2 + n3))
check_eq "after restart: none dropped" "$(agent_counter slow_dropped)" 0

agent_stop
check_eq "agent: SIGTERM exits 0" "$?" 0
grep -q "$N by the slow path" "$tmp/agent2.log" &&
	pass "agent: its summary counts the slow path" ||
	fail "agent summary: $(tail -n 2 "$tmp/agent2.log")"
finish
