# shellcheck shell=bash
# The upcall agent in the end-to-end tests: started in the switch
# namespace $FP_SW for datapath $FP_DP, killed at exit however the test
# ends. Source after lib.sh and lib_net.sh.

# agent_start LOG [ARGS...]: run `flowpath agent` in the background; returns
# once its control socket answers (at most 10 s). $FP_AGENT_PID is its pid.
agent_start() {
	local log=$1 i
	shift
	nsenter --net="/run/netns/$FP_SW" "$FLOWPATH" agent --dp "$FP_DP" "$@" \
		>"$log" 2>&1 &
	FP_AGENT_PID=$!
	at_exit "kill -KILL $FP_AGENT_PID; wait $FP_AGENT_PID"
	for ((i = 0; i < 100; i++)); do
		fp agent status --dp "$FP_DP" >/dev/null 2>&1 && return 0
		kill -0 "$FP_AGENT_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "agent did not start: $(cat "$log")"
	return 1
}

# agent_stop: SIGTERM, and wait (at most 5 s) for it to exit; its status.
agent_stop() {
	local i
	kill -TERM "$FP_AGENT_PID" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$FP_AGENT_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$FP_AGENT_PID"
}

# agent_counter NAME: one line of `flowpath agent status`.
agent_counter() {
	fp agent status --dp "$FP_DP" | awk -v n="$1:" '$1 == n { print $2 }'
}

# rule_packets TEXT: n_packets of the dumped rule whose line holds TEXT
# (as ovs-ofctl dump-flows prints it, " n_packets=3, n_bytes=180, ...").
rule_packets() {
	fp rule dump --dp "$FP_DP" | awk -v t="$1" '
		index($0, t) { sub(/^n_packets=/, "", $1); sub(/,$/, "", $1); print $1 }'
}

# n_flows: flows installed in the datapath.
n_flows() { fp flow dump --dp "$FP_DP" | grep -c '^' ; }

# wait_for SECONDS CMD...: retry CMD (at most SECONDS) until it succeeds.
wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# distinct_flows OUT N SRC_MAC DST_MAC SPORT0: N UDP frames from SRC_MAC
# to DST_MAC, each a flow of its own (source ports SPORT0, SPORT0 + 1, ...).
distinct_flows() {
	"$FP_PY" - "$@" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
out, n, src, dst, sport = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
wrpcap(out, [Ether(src=src, dst=dst) / IP(src="192.0.2.1", dst="198.51.100.2") /
             UDP(sport=sport + i, dport=53) / Raw(b"distinct" * 4) for i in range(n)])
PY
}

# port_upcalls PORT: "upcalls rate_limited lost" of the port.
port_upcalls() {
	fp upcall limit --port "$1" --dp "$FP_DP" |
		sed -n 's/.*, upcalls \([0-9]*\) rate_limited \([0-9]*\) lost \([0-9]*\).*/\1 \2 \3/p'
}

# exchange NAME NS DEV PCAP "W1 W2 W3": send PCAP from DEV in NS at 50
# frames/s, capturing at the hosts $H1 $H2 $H3 (devices h1 h2 h3) into
# $tmp/NAME-h{1,2,3}.pcap, host i awaited until it has Wi frames (or 5 s);
# prints how many frames each got, "h1 h2 h3" (called as $(exchange ...)
# to compare them; called plainly, to check the captures one by one).
exchange() {
	local name=$1 ns=$2 dev=$3 pcap=$4 want=($5) hosts=("$H1" "$H2" "$H3") i got=()
	for i in 1 2 3; do
		capture_start "${hosts[i - 1]}" "h$i" "$tmp/$name-h$i.pcap"
	done
	[ "$(nsx "$ns" "$FP_PY" "$FP_TOP/selftests/traffic.py" send "$dev" "$pcap" --rate 50 2>&1)" = \
		"$(traffic count "$pcap")" ] || fail "$name: not every frame sent"
	for i in 1 2 3; do
		capture_stop "$tmp/$name-h$i.pcap" "${want[i - 1]}"
		got+=("$(traffic count "$tmp/$name-h$i.pcap")")
	done
	echo "${got[*]}"
}
