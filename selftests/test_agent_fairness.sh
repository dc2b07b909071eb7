#!/usr/bin/env bash
# Upcall limits with the agent running: a port flooding new flows is held
# to its bucket, and another port's new flows still get set up. Port 1 is
# limited to a burst of 10 and 20/s and sends 300 distinct flows at 600/s;
# port 3, unlimited, sends 5 distinct flows meanwhile. Every
# one of port 3's frames reaches h2 (executed by the agent, then its flow
# installed); port 1 sent up at most what its bucket allows and the rest
# was held back, counted as rate_limited, and h2 got exactly the frames
# that went up.
#
#   fpt-afair-h1 h1 --- s1 (port 1) [fpt-afair-sw] s2 (port 2) --- h2 fpt-afair-h2
#                                                  s3 (port 3) --- h3 fpt-afair-h3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"
source "$(dirname "$0")/lib_agent.sh"

FP_DP=fptafair
FP_SW=fpt-afair-sw
H1=fpt-afair-h1 H2=fpt-afair-h2 H3=fpt-afair-h3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
MAC1=02:00:00:00:10:01 MAC2=02:00:00:00:10:02 MAC3=02:00:00:00:10:03
N1=300 N3=5 BURST=10 RATE=20

switch_topology "$H1:$MAC1" "$H2:$MAC2" "$H3:$MAC3"
check "load" fp load --dp "$FP_DP"
for p in 1 2 3; do check "port add s$p" fp port add s$p --port $p --dp "$FP_DP"; done
check "port 1: burst $BURST, $RATE/s" fp upcall limit --port 1 --rate $RATE --burst $BURST --dp "$FP_DP"
check "port 3: no limit" fp upcall limit --port 3 --rate 0 --dp "$FP_DP"
cat >"$tmp/rules" <<RULES
priority=1,in_port=1,actions=output:2
priority=1,in_port=3,actions=output:2
RULES
agent_start "$tmp/agent.log" --rules "$tmp/rules" || exit 1

distinct_flows "$tmp/flood.pcap" $N1 $MAC1 $MAC2 10000
distinct_flows "$tmp/calm.pcap" $N3 $MAC3 $MAC2 20000
capture_start "$H2" h2 "$tmp/got.pcap"
t0=$(date +%s.%N)
nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/flood.pcap" --rate 600 >"$tmp/flood.out" 2>&1 &
flood=$!
sent3=$(nsx "$H3" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h3 "$tmp/calm.pcap" --rate 20 2>&1)
wait "$flood"
t1=$(date +%s.%N)
check_eq "sent: port 1's $N1 and port 3's $N3" "$(cat "$tmp/flood.out") $sent3" "$N1 $N3"
read -r up1 lim1 _ < <(port_upcalls 1)
read -r up3 lim3 _ < <(port_upcalls 3)
# The bucket allows the burst and the rate over the sending time (and a
# token of slack for the edges).
allowed=$(awk -v a="$t0" -v b="$t1" -v r=$RATE -v bu=$BURST 'BEGIN { printf "%d", bu + r * (b - a) + 1 }')
capture_stop "$tmp/got.pcap" $((up1 + N3))
if [ "${up1:-0}" -ge "$BURST" ] && [ "${up1:-0}" -le "$allowed" ] &&
	[ $((up1 + lim1)) -eq "$N1" ]; then
	pass "port 1: $up1 sent up (burst $BURST, at most $allowed in the time), $lim1 held back, $N1 in all"
else
	fail "port 1: $up1 sent up and $lim1 held back of $N1; expected $BURST to $allowed up, the rest held back"
fi
check_eq "port 3: every new flow sent up, none held back (upcalls rate_limited)" "$up3 $lim3" "$N3 0"
got3=$("$FP_PY" - "$tmp/got.pcap" <<'PY'
import sys
from scapy.all import rdpcap, UDP
print(sum(1 for p in rdpcap(sys.argv[1]) if UDP in p and p[UDP].sport >= 20000))
PY
)
check_eq "port 3: h2 got every one of its $N3 frames while port 1 flooded" "$got3" $N3
check_eq "h2 got exactly what went up: port 1's $up1 and port 3's $N3" \
	"$(traffic count "$tmp/got.pcap")" $((up1 + N3))
finish
