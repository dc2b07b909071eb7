#!/usr/bin/env bash
# The agent killed with SIGKILL mid-traffic, and started again: installed
# flows keep forwarding without it (every packet delivered, flow counters
# rising, no upcall); the new agent adopts the pinned maps and the flows
# as they are (same flows, none installed or flushed, counters carrying
# on) and revalidates them when a rule changes.
#
#   fpt-agentk-h1 h1 --- s1 (port 1) [fpt-agentk-sw] s2 (port 2) --- h2 fpt-agentk-h2
#                                                    s3 (port 3) --- h3 fpt-agentk-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptagentk
FP_SW=fpt-agentk-sw
H1=fpt-agentk-h1 H2=fpt-agentk-h2 H3=fpt-agentk-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0b:01 MAC2=02:00:00:00:0b:02 MAC3=02:00:00:00:0b:03
IP1=192.0.2.1 IP2=198.51.100.2
PER_FLOW=750 RATE=225 # 3 flows interleaved: 10 s of traffic

udp() { # OUT DPORT COUNT
	traffic udp "$1" --count "$3" --vary --src-mac $MAC1 --dst-mac $MAC2 \
		--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport "$2"
}
# flows_packets: the packets of every installed flow, summed.
flows_packets() {
	fp flow dump --dp "$FP_DP" |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^packets:/) { sub(/^packets:/, "", $i); sub(/,$/, "", $i); s += $i } } END { print s + 0 }'
}
# flow_keys: the installed flows' keys and actions, without their stats.
flow_keys() {
	fp flow dump --dp "$FP_DP" | sed 's/, packets:.*, actions:/ actions:/' | sort
}
agent_alive() { kill -0 "$FP_AGENT_PID" 2>/dev/null; }

switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done
cat >"$tmp/rules" <<RULES
priority=100,in_port=1,udp,tp_dst=53,actions=output:2
priority=100,in_port=1,udp,tp_dst=54,actions=output:2
priority=100,in_port=1,udp,tp_dst=55,actions=output:2
RULES
agent_start "$tmp/agent1.log" --rules "$tmp/rules" --idle-timeout 60 || exit 1

# One packet of each flow, paced, installs the three flows.
for d in 53 54 55; do
	udp "$tmp/warm-$d.pcap" $d 1
	udp "$tmp/stream-$d.pcap" $d $PER_FLOW
done
mergecap -F pcap -a -w "$tmp/warm.pcap" "$tmp"/warm-5[345].pcap
# Interleaved by their (0, i) timestamps: flow 53, 54, 55, 53, ...
mergecap -F pcap -w "$tmp/stream.pcap" "$tmp"/stream-5[345].pcap
mergecap -F pcap -a -w "$tmp/want.pcap" "$tmp/warm.pcap" "$tmp/stream.pcap"
total=$(traffic count "$tmp/want.pcap")
capture_start "$H2" h2 "$tmp/got.pcap"
check_eq "warm-up: 3 packets sent" \
	"$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/warm.pcap" --rate 20 2>&1)" 3
wait_for 5 bash -c "[ \$(nsenter --net=/run/netns/$FP_SW $FLOWPATH flow dump --dp $FP_DP | grep -c '^') -eq 3 ]"
check_eq "warm-up: the agent installed 3 flows" "$(agent_counter installed)" 3
check_eq "warm-up: 3 upcalls" "$(stat_counter upcalls)" 3
keys_before=$(flow_keys)

# --- the stream, and SIGKILL in the middle of it ------------------------------
nsenter --net="/run/netns/$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 \
	"$tmp/stream.pcap" --rate $RATE >"$tmp/sender.out" 2>&1 &
sender=$!
at_exit "kill $sender"
sleep 1.5
p_kill=$(flows_packets)
kill -KILL "$FP_AGENT_PID"
wait "$FP_AGENT_PID" 2>/dev/null
check_eq "SIGKILL: the agent died of it" "$?" 137
if [ "$p_kill" -gt 3 ]; then pass "before SIGKILL: the flows had counted $p_kill packets"; else fail "no traffic before SIGKILL: $p_kill packets"; fi
check_eq "SIGKILL: its TAP died with it" "$(nsx "$FP_SW" ip -o link show | grep -c fpx)" 0
check_fails "SIGKILL: no agent answers (its socket is stale)" "no agent is running.*refused" fp agent status --dp "$FP_DP"
sleep 1
p_dead=$(flows_packets)
kill -0 "$sender" 2>/dev/null && pass "the stream still runs without the agent" || fail "the stream ended before the check"
if [ "$p_dead" -gt "$p_kill" ]; then
	pass "without the agent: the flows keep counting ($p_kill -> $p_dead)"
else
	fail "without the agent: flow counters stuck at $p_kill -> $p_dead"
fi
check_eq "without the agent: no upcall" "$(stat_counter upcalls)" 3
check_eq "without the agent: the same 3 flows" "$(flow_keys)" "$keys_before"

# --- a new agent adopts what is there -----------------------------------------
agent_start "$tmp/agent2.log" --rules "$tmp/rules" --idle-timeout 60 || exit 1
p_start=$(flows_packets)
check_eq "restart: 3 flows adopted" "$(agent_counter adopted)" 3
check_eq "restart: none installed" "$(agent_counter installed)" 0
check_eq "restart: none updated" "$(agent_counter flows_updated)" 0
check_eq "restart: none deleted" "$(agent_counter flows_deleted)" 0
check_eq "restart: the agent knows 3 flows" "$(agent_counter flows)" 3
check_eq "restart: the same flows, not flushed" "$(flow_keys)" "$keys_before"
grep -q "3 flows adopted" "$tmp/agent2.log" && pass "restart: its log says 3 flows adopted" ||
	fail "restart log: $(cat "$tmp/agent2.log")"
sleep 1
p_after=$(flows_packets)
kill -0 "$sender" 2>/dev/null && pass "the stream still runs after the restart" || fail "the stream ended before the restart checks"
if [ "$p_start" -ge "$p_dead" ] && [ "$p_after" -gt "$p_start" ]; then
	pass "restart: flow counters carry on ($p_dead -> $p_start -> $p_after), not reset"
else
	fail "restart: flow counters $p_dead -> $p_start -> $p_after"
fi

wait "$sender"
check_eq "stream: every frame sent" "$(cat "$tmp/sender.out")" $((3 * PER_FLOW))
capture_stop "$tmp/got.pcap" "$total"
capture_check "stream: all $total frames delivered to h2 across kill and restart" \
	"$tmp/want.pcap" "$tmp/got.pcap"
check_eq "stream: still 3 upcalls in all" "$(stat_counter upcalls)" 3
check_eq "stream: no upcall lost" "$(stat_counter upcalls_lost)" 0
check_eq "stream: the flows counted every frame" "$(flows_packets)" "$total"
# The adopted flow's counters from before the kill go to its rule.
check_eq "restart: the rule got its flow's whole count" \
	"$(rule_packets "tp_dst=54 actions=output:2")" $((PER_FLOW + 1))

# --- a rule change revalidates the adopted flows ------------------------------
check "rule add: tp_dst=53 now to h3" fp rule add "priority=200,in_port=1,udp,tp_dst=53,actions=output:3" --dp "$FP_DP"
check_eq "rule change: the adopted flow was updated" "$(agent_counter flows_updated)" 1
udp "$tmp/moved.pcap" 53 20
capture_start "$H3" h3 "$tmp/moved-got.pcap"
capture_start "$H2" h2 "$tmp/moved-h2.pcap"
check_eq "rule change: 20 sent" \
	"$(nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/moved.pcap" 2>&1)" 20
capture_stop "$tmp/moved-got.pcap" 20
capture_stop "$tmp/moved-h2.pcap" 0
capture_check "rule change: h3 gets the adopted flow's packets" "$tmp/moved.pcap" "$tmp/moved-got.pcap"
check_eq "rule change: h2 gets none" "$(traffic count "$tmp/moved-h2.pcap")" 0
check_eq "rule change: no upcall" "$(stat_counter upcalls)" 3
check_eq "rule change: still 3 flows" "$(n_flows)" 3

agent_stop
check_eq "agent: SIGTERM exits 0" "$?" 0
finish
