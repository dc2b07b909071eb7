#!/usr/bin/env bash
# The upcall agent with explicit output rules on an empty datapath: the
# first packet of a flow goes up, is installed and executed through the
# agent's TAP and leaves on the right port with the right bytes; later
# packets hit the flow without an upcall; a packet of no rule installs a
# drop flow that stops its upcalls; a rule change moves traffic at once;
# idle flows expire and their stats roll up into their rule.
#
#   fpt-agent-h1 h1 --- s1 (port 1) [fpt-agent-sw] s2 (port 2) --- h2 fpt-agent-h2
#                                                  s3 (port 3) --- h3 fpt-agent-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptagent
FP_SW=fpt-agent-sw
H1=fpt-agent-h1 H2=fpt-agent-h2 H3=fpt-agent-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:0a:01 MAC2=02:00:00:00:0a:02 MAC3=02:00:00:00:0a:03
IP1=192.0.2.1 IP2=198.51.100.2

send() { # NS DEV PCAP [--rate PPS]
	local n
	n=$(nsx "$1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send "$2" "$3" "${@:4}" 2>&1)
	[ "$n" == "$(traffic count "$3")" ] || fail "sending $3 on $2: $n"
}
udp() { # OUT DPORT COUNT
	traffic udp "$1" --count "$3" --vary --src-mac $MAC1 --dst-mac $MAC2 \
		--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport "$2"
}

switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done

cat >"$tmp/rules" <<RULES
# h1's UDP to port 53 goes to h2, to port 54 to h3; nothing else.
priority=100,in_port=1,udp,tp_dst=53,actions=output:2
priority=100,in_port=1,udp,tp_dst=54,actions=output:3
RULES
agent_start "$tmp/agent.log" --rules "$tmp/rules" --idle-timeout 5 || exit 1

# --- first packet: up, installed, executed through the TAP ------------------
udp "$tmp/first.pcap" 53 1
capture_start "$H2" h2 "$tmp/first-got.pcap"
capture_start "$H3" h3 "$tmp/first-h3.pcap"
send "$H1" h1 "$tmp/first.pcap"
capture_stop "$tmp/first-got.pcap" 1
capture_stop "$tmp/first-h3.pcap" 0
capture_check "first packet: delivered to h2 byte for byte" "$tmp/first.pcap" "$tmp/first-got.pcap"
check_eq "first packet: nothing at h3" "$(traffic count "$tmp/first-h3.pcap")" 0
check_eq "first packet: one upcall" "$(stat_counter upcalls)" 1
check_eq "first packet: executed through the TAP" "$(stat_counter tap_executed)" 1
check_eq "first packet: agent installed one flow" "$(agent_counter installed)" 1
check_eq "first packet: one flow in the datapath" "$(n_flows)" 1
check_eq "first packet: port 2 tx" "$(port_counter 2 tx packets)" 1

# --- later packets: datapath only --------------------------------------------
udp "$tmp/more.pcap" 53 20
capture_start "$H2" h2 "$tmp/more-got.pcap"
send "$H1" h1 "$tmp/more.pcap"
capture_stop "$tmp/more-got.pcap" 20
capture_check "later packets: delivered to h2" "$tmp/more.pcap" "$tmp/more-got.pcap"
check_eq "later packets: no new upcall" "$(stat_counter upcalls)" 1
check_eq "later packets: datapath hits (the executed first one too)" "$(stat_counter hit)" 21
check_eq "rule dump: n_packets of the rule (21)" \
	"$(rule_packets "tp_dst=53 actions=output:2")" 21

# --- table miss: a drop flow stops the upcalls --------------------------------
traffic udp "$tmp/miss.pcap" --count 10 --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1000 --dport 99
capture_start "$H2" h2 "$tmp/miss-got.pcap"
send "$H1" h1 "$tmp/miss.pcap" --rate 50
capture_stop "$tmp/miss-got.pcap" 0
check_eq "table miss: nothing delivered" "$(traffic count "$tmp/miss-got.pcap")" 0
# Paced at 50/s: each packet finds the work of the upcall before it done.
check_eq "table miss: 10 packets, 1 upcall" "$(stat_counter upcalls)" 2
check_eq "table miss: agent installed a drop flow" "$(agent_counter table_miss)" 1
check_eq "table miss: the other 9 hit the drop flow" "$(stat_counter drop_action)" 9

# --- rule change: traffic moves at once ---------------------------------------
check "rule add: tp_dst=53 now to h3" fp rule add "priority=200,in_port=1,udp,tp_dst=53,actions=output:3" --dp "$FP_DP"
up=$(stat_counter upcalls)
udp "$tmp/moved.pcap" 53 5
capture_start "$H3" h3 "$tmp/moved-got.pcap"
capture_start "$H2" h2 "$tmp/moved-h2.pcap"
send "$H1" h1 "$tmp/moved.pcap"
capture_stop "$tmp/moved-got.pcap" 5
capture_stop "$tmp/moved-h2.pcap" 0
capture_check "rule change: h3 gets the flow's packets" "$tmp/moved.pcap" "$tmp/moved-got.pcap"
check_eq "rule change: h2 gets none" "$(traffic count "$tmp/moved-h2.pcap")" 0
check_eq "rule change: the flow was updated, not re-upcalled" "$(stat_counter upcalls)" "$up"
check_eq "rule change: agent updated the flow" "$(agent_counter flows_updated)" 1
check "rule del: the flow's rule removed" fp rule del "in_port=1,udp,tp_dst=53" --strict --dp "$FP_DP"

# --- expiry -------------------------------------------------------------------
if wait_for 12 bash -c "[ \$(nsenter --net=/run/netns/$FP_SW $FLOWPATH flow dump --dp $FP_DP | grep -c '^') -eq 0 ]"; then
	pass "idle flows expired (idle timeout 5 s)"
else
	fail "flows left after the idle timeout: $(fp flow dump --dp "$FP_DP")"
fi
exp=$(agent_counter expired)
[ "${exp:-0}" -ge 1 ] && pass "agent counted $exp expired" || fail "expired counter: $exp"

# --- errors -------------------------------------------------------------------
check_fails "rule add: a bad rule is refused, naming the token" "frobnicate" \
	fp rule add "priority=1,frobnicate=3,actions=drop" --dp "$FP_DP"
check_fails "rule: no agent" "no agent is running" fp rule dump --dp fptnoagent

agent_stop
check_eq "agent: SIGTERM exits 0" "$?" 0
check_eq "agent: its TAP is gone" "$(nsx "$FP_SW" ip -o link show | grep -c fpx)" 0
[ -e /run/flowpath/$FP_DP.sock ] && fail "socket left behind" || pass "agent: its socket is gone"
finish
