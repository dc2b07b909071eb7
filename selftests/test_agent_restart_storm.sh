#!/usr/bin/env bash
# The agent killed (SIGKILL) and restarted in the middle of a storm of new
# flows, while misses fill the perf buffer and port 1's upcall bucket
# holds most of them back. Every frame of the storm is accounted for at
# port 1, sent up, held back or lost on the ring, none otherwise; the new
# agent adopts the flows the old one installed, sets up new flows of
# another port once the storm is over, and stops cleanly.
#
#   fpt-astorm-h1 h1 --- s1 (port 1) [fpt-astorm-sw] s2 (port 2) --- h2 fpt-astorm-h2
#                                                    s3 (port 3) --- h3 fpt-astorm-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptastorm
FP_SW=fpt-astorm-sw
H1=fpt-astorm-h1 H2=fpt-astorm-h2 H3=fpt-astorm-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:11:01 MAC2=02:00:00:00:11:02 MAC3=02:00:00:00:11:03
N1=3000 N3=5

switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done
check "port 1: burst 100, 500/s" fp upcall limit --port 1 --rate 500 --burst 100 --dp "$FP_DP"
cat >"$tmp/rules" <<RULES
priority=1,in_port=1,actions=output:2
priority=1,in_port=3,actions=output:2
RULES
agent_start "$tmp/agent1.log" --rules "$tmp/rules" --idle-timeout 60 || exit 1
first=$FP_AGENT_PID

distinct_flows "$tmp/storm.pcap" $N1 $MAC1 $MAC2 10000
distinct_flows "$tmp/calm.pcap" $N3 $MAC3 $MAC2 20000
nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/storm.pcap" --rate 1500 \
	>"$tmp/storm.out" 2>&1 &
storm=$!
# Into the storm (its sender takes a moment to start): kill, restart.
storm_began() { [ "$(stat_counter upcalls)" -gt 50 ]; }
wait_for 10 storm_began || fail "the storm did not begin: $(stat_counter upcalls) upcalls"
kill -KILL "$first"
wait "$first" 2>/dev/null
check_eq "the first agent died of SIGKILL mid-storm" "$?" 137
agent_start "$tmp/agent2.log" --rules "$tmp/rules" --idle-timeout 60 || exit 1
check "the new agent answers while the storm goes on" kill -0 "$storm"
wait "$storm"
check_eq "the storm: $N1 frames sent" "$(cat "$tmp/storm.out")" $N1

read -r up1 lim1 lost1 < <(port_upcalls 1)
check_eq "port 1: every frame sent up, held back or lost on the ring ($up1 + $lim1 + $lost1)" \
	$((up1 + lim1 + lost1)) $N1
if [ "$lim1" -gt 0 ] && [ "$up1" -ge 100 ]; then
	pass "port 1: the bucket held back $lim1, let $up1 up (at least its burst)"
else
	fail "port 1: $up1 up, $lim1 held back: expected at least the burst (100) up and some held back"
fi
adopted=$(agent_counter adopted)
if [ "${adopted:-0}" -ge 1 ]; then
	pass "the new agent adopted the flows the first one installed ($adopted)"
else
	fail "the new agent adopted no flow: $(fp agent status --dp "$FP_DP" 2>&1 | tr '\n' ' ')"
fi

# After the storm: port 3's new flows are set up, every first frame too.
capture_start "$H2" h2 "$tmp/calm-got.pcap"
check_eq "port 3: $N3 new flows sent" \
	"$(nsx "$H3" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h3 "$tmp/calm.pcap" --rate 20 2>&1)" $N3
capture_stop "$tmp/calm-got.pcap" $N3
capture_check "port 3: h2 gets each new flow's frame after the restart" \
	"$tmp/calm.pcap" "$tmp/calm-got.pcap"
read -r up3 lim3 lost3 < <(port_upcalls 3)
check_eq "port 3: $N3 upcalls, none held back or lost" "$up3 $lim3 $lost3" "$N3 0 0"
agent_stop
check_eq "the new agent: SIGTERM exits 0" "$?" 0
finish
