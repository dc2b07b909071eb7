#!/usr/bin/env bash
# flowpath demo: two hosts talk through a flowpath datapath, first with
# flows installed by hand, then with the upcall agent installing them.
#
# usage: scripts/demo.sh BUILD_DIR      (make demo runs it after the build)
#
#   fpdemo-h1                fpdemo-sw                 fpdemo-h2
#   eth0 192.0.2.1 ---- p1 (port 1)  p2 (port 2) ---- eth0 192.0.2.2
#   02:00:00:00:00:01          flowpath "fpdemo"       02:00:00:00:00:02
#
# Builds that topology in network namespaces (nothing touches the root
# namespace). Part 1 loads the datapath, installs exact-match flows for
# ARP, ping and a UDP stream, sends real traffic, prints the flow table,
# the ports and the counters, and shows a miss going up to the slow path.
# Part 2 loads the datapath again, empty, and runs `flowpath agent` with
# one rule, `normal` (a MAC-learning switch): the first packet of each
# flow goes up to the agent, which installs the flow and sends the packet
# on; the rest stay in the datapath. Everything is removed on exit,
# however it exits. Exits non-zero if traffic did not flow.
set -u
build=${1:?usage: scripts/demo.sh BUILD_DIR}
FLOWPATH=$(cd "$build" && pwd)/flowpath
[ -x "$FLOWPATH" ] || {
	echo "demo: no $FLOWPATH: run make first" >&2
	exit 1
}
[ "$(id -u)" -eq 0 ] || {
	echo "demo: needs root (namespaces, BPF)" >&2
	exit 1
}
exec </dev/null

DP=fpdemo
SW=fpdemo-sw H1=fpdemo-h1 H2=fpdemo-h2
MAC1=02:00:00:00:00:01 MAC2=02:00:00:00:00:02
IP1=192.0.2.1 IP2=192.0.2.2
BCAST=ff:ff:ff:ff:ff:ff
PY=/usr/bin/python3
tmp=
bg_pids=()
agent_pid=
AGENT_SOCK=/run/flowpath/$DP.sock AGENT_LOCK=/run/flowpath/$DP.lock

# flowpath needs bpffs, which 'ip netns exec' hides (it remounts /sys):
# nsenter switches only the network namespace.
netns() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}
fp() { netns "$SW" "$FLOWPATH" "$@"; }
if [ -t 1 ]; then bold=$'\033[1m' norm=$'\033[0m'; else bold='' norm=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$norm"; }
say() { printf '   %s\n' "$*"; }
run() { # show a command, then run it
	printf '   $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/     /'
	return "${PIPESTATUS[0]}"
}
die() {
	printf '\n%sdemo FAILED: %s%s\n' "$bold" "$*" "$norm"
	exit 1
}

# stop_agent: SIGTERM, as a service manager would, and at most 5 s for it
# to remove its TAP and socket and exit; its exit status.
stop_agent() {
	local i rc
	[ -n "$agent_pid" ] || return 0
	kill -TERM "$agent_pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$agent_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$agent_pid" 2>/dev/null
	wait "$agent_pid"
	rc=$?
	agent_pid=
	return "$rc"
}

cleanup() {
	local p
	stop_agent
	# A killed agent leaves its socket and lock file (not its TAP, which
	# goes with its last fd).
	rm -f "$AGENT_SOCK" "$AGENT_LOCK"
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -e "/run/netns/$SW" ] && netns "$SW" "$FLOWPATH" unload --dp "$DP" >/dev/null 2>&1
	rm -rf "/sys/fs/bpf/flowpath/$DP" 2>/dev/null
	rmdir /sys/fs/bpf/flowpath 2>/dev/null
	for ns in "$SW" "$H1" "$H2"; do ip netns del "$ns" 2>/dev/null; done
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ping_hosts COUNT: ICMP echo from a raw socket on host 1 to host 2, as
# ping does (host 2's kernel answers); ping_ok=0 if every one came back.
ping_hosts() {
	# shellcheck disable=SC2016
	netns "$H1" "$PY" -c '
import os, socket, struct, sys, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF
dst, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident, got = os.getpid() & 0xFFFF, 0
for seq in range(1, count + 1):
    data = b"flowpath-demo-ping".ljust(56, b".")
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + data), ident, seq) + data
    t0 = time.monotonic()
    s.sendto(pkt, (dst, 0))
    s.settimeout(2)
    try:
        while True:
            r = s.recv(2048)
            ihl = (r[0] & 15) * 4
            typ, _, _, rid, rseq = struct.unpack("!BBHHH", r[ihl:ihl + 8])
            if typ == 0 and rid == ident and rseq == seq:
                ms = (time.monotonic() - t0) * 1000
                print("%d bytes from %s: icmp_seq=%d ttl=%d time=%.2f ms" % (len(r) - ihl, dst, seq, r[8], ms))
                got += 1
                break
    except socket.timeout:
        print("no reply to icmp_seq=%d" % seq)
    time.sleep(0.2)
print("%d packets transmitted, %d received" % (count, got))
sys.exit(0 if got == count else 1)
' $IP2 "$1" 2>&1 | sed 's/^/     /'
	ping_ok=${PIPESTATUS[0]}
}

# udp_stream COUNT: datagrams 1 ms apart from host 1 port 40000 to a
# socket on host 2 port 5000; udp_rx is how many it received.
udp_stream() {
	local n=$1 rx_pid i
	netns "$H2" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5000))
print("ready", flush=True)
s.settimeout(3)
n = 0
try:
    while n < int(sys.argv[2]):
        s.recv(2048)
        n += 1
except socket.timeout:
    pass
print(n)
' $IP2 "$n" >"$tmp/udp-rx" 2>&1 &
	bg_pids+=($!)
	rx_pid=$!
	for ((i = 0; i < 50; i++)); do
		grep -q ready "$tmp/udp-rx" && break
		sleep 0.1
	done
	netns "$H1" "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 40000))
for i in range(int(sys.argv[3])):
    s.sendto(b"flowpath demo %d" % i, (sys.argv[2], 5000))
    time.sleep(0.001)
' $IP1 $IP2 "$n" || die "the UDP sender failed"
	wait "$rx_pid"
	udp_rx=$(tail -n 1 "$tmp/udp-rx")
	say "host 2 received $udp_rx of $n datagrams"
}

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
# What an interrupted earlier run may have left.
cleanup
tmp=$(mktemp -d)

step "Part 1: flows installed by hand"

step "1. Topology: two hosts and a switch, each in its own network namespace"
for ns in "$SW" "$H1" "$H2"; do
	ip netns add "$ns" || die "cannot create namespace $ns"
	ip -n "$ns" link set lo up
	# No IPv6 chatter (router solicitations, MLD): the counters below then
	# count only the demo's traffic.
	netns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$SW" link add p1 type veth peer name eth0 netns "$H1" &&
	ip -n "$SW" link add p2 type veth peer name eth0 netns "$H2" ||
	die "cannot create the veth pairs"
ip -n "$H1" link set eth0 address $MAC1
ip -n "$H2" link set eth0 address $MAC2
ip -n "$H1" addr add $IP1/24 dev eth0
ip -n "$H2" addr add $IP2/24 dev eth0
ip -n "$SW" link set p1 up && ip -n "$SW" link set p2 up &&
	ip -n "$H1" link set eth0 up && ip -n "$H2" link set eth0 up ||
	die "cannot bring the links up"
say "$H1: eth0 $IP1/24 $MAC1  <-- veth -->  $SW: p1"
say "$H2: eth0 $IP2/24 $MAC2  <-- veth -->  $SW: p2"
say "The switch namespace has no bridge and no IP: only flowpath forwards."

step "2. Load the datapath: BPF programs and maps, pinned in bpffs"
run fp load --dp "$DP" || die "flowpath load failed"
run ls "/sys/fs/bpf/flowpath/$DP" "/sys/fs/bpf/flowpath/$DP/progs"

step "3. Make p1 and p2 datapath ports 1 and 2 (the parser goes on tc ingress)"
run fp port add p1 --port 1 --dp "$DP" || die "port add p1 failed"
run fp port add p2 --port 2 --dp "$DP" || die "port add p2 failed"
run tc -n "$SW" filter show dev p1 ingress

step "4. Install flows"
say "The flow table is exact-match: a flow names every header field of the"
say "packets it takes (in ovs-dpctl syntax), and its actions: here one"
say "output port each. Anything else misses and goes to the slow path."
say "A ping needs four: ARP request and reply, ICMP echo request and reply."
ARP_REQ="in_port(1),eth(src=$MAC1,dst=$BCAST),eth_type(0x0806),arp(sip=$IP1,tip=$IP2,op=1,sha=$MAC1,tha=00:00:00:00:00:00)"
ARP_REP="in_port(2),eth(src=$MAC2,dst=$MAC1),eth_type(0x0806),arp(sip=$IP2,tip=$IP1,op=2,sha=$MAC2,tha=$MAC1)"
ipv4() { # IN_PORT SRC_MAC DST_MAC SRC_IP DST_IP PROTO
	echo "in_port($1),eth(src=$2,dst=$3),eth_type(0x0800),ipv4(src=$4,dst=$5,proto=$6,tos=0,ttl=64,frag=no)"
}
ECHO_REQ="$(ipv4 1 $MAC1 $MAC2 $IP1 $IP2 1),icmp(type=8,code=0)"
ECHO_REP="$(ipv4 2 $MAC2 $MAC1 $IP2 $IP1 1),icmp(type=0,code=0)"
UDP="$(ipv4 1 $MAC1 $MAC2 $IP1 $IP2 17),udp(src=40000,dst=5000)"
say ""
say "ARP who-has $IP2 (broadcast), port 1 -> port 2:"
run fp flow add "$ARP_REQ" 2 --dp "$DP" || die "flow add failed"
say "ARP reply $IP2 is-at $MAC2, port 2 -> port 1:"
run fp flow add "$ARP_REP" 1 --dp "$DP" || die "flow add failed"
say "ICMP echo request $IP1 -> $IP2, port 1 -> port 2:"
run fp flow add "$ECHO_REQ" 2 --dp "$DP" || die "flow add failed"
say "ICMP echo reply $IP2 -> $IP1, port 2 -> port 1:"
run fp flow add "$ECHO_REP" 1 --dp "$DP" || die "flow add failed"
say "A one-way UDP stream, $IP1:40000 -> $IP2:5000, port 1 -> port 2:"
run fp flow add "$UDP" 2 --dp "$DP" || die "flow add failed"

step "5. Traffic: ping from host 1 to host 2 (ARP first: the hosts start with empty neighbour tables)"
say "(ICMP echo from a raw socket, as ping does; host 2's kernel answers.)"
ping_hosts 5

step "6. Traffic: 200 UDP datagrams from host 1 to a socket on host 2"
N=200
udp_stream $N

step "7. The flow table: each flow with the packets and bytes it took"
run fp flow dump --dp "$DP"

step "8. Ports: what came in (RX) and went out (TX) of each"
run fp port show --dp "$DP"

step "9. A packet with no flow: it misses, and goes up to the slow path"
say "Nothing reads upcalls in this demo but 'flowpath upcall watch', so the"
say "packet is dropped ('load --miss pass' would hand it to the kernel)."
fp upcall watch --count 1 --timeout 5 --dp "$DP" >"$tmp/upcall" 2>&1 &
bg_pids+=($!)
up_pid=$!
for ((i = 0; i < 50; i++)); do
	grep -q watching "$tmp/upcall" && break
	sleep 0.1
done
say "$ in $H1: send one UDP datagram to $IP2 port 9 (no flow)"
netns "$H1" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"nobody expects this", (sys.argv[1], 9))
' $IP2
wait "$up_pid"
grep -E '^(watching|upcall:|  key:)' "$tmp/upcall" | sed 's/^/     /'

step "10. Datapath counters"
run fp stats --dp "$DP"

# Part 1's verdict, while its flows are still there to be read.
fail=0
results=()
ok() { results+=("ok    $*"); }
bad() { results+=("FAIL  $*"); fail=1; }
dump=$(fp flow dump --dp "$DP")
for name in ARP_REQ ARP_REP ECHO_REQ ECHO_REP UDP; do
	f=${!name}
	pk=$(awk -v k="$f, " '{ i = index($0, k) } i == 1 || (i > 1 && substr($0, i - 1, 1) == ",") {
		if (match($0, /packets:[0-9]+/)) print substr($0, RSTART + 8, RLENGTH - 8) }' <<<"$dump")
	if [ "${pk:-0}" -gt 0 ]; then ok "part 1: flow $name took ${pk} packets"; else bad "part 1: flow $name took no packets: $f"; fi
done
if [ "$ping_ok" -eq 0 ]; then ok "part 1: ping $IP1 -> $IP2"; else bad "part 1: ping $IP1 -> $IP2"; fi
if [ "$udp_rx" == "$N" ]; then ok "part 1: $N/$N UDP datagrams"; else bad "part 1: $udp_rx/$N UDP datagrams"; fi
if grep -q 'reason=miss in_port=1' "$tmp/upcall"; then ok "part 1: the miss was upcalled"; else bad "part 1: no upcall for the miss"; fi

step "Part 2: the upcall agent installs the flows"

step "11. An empty datapath: unload, load again, the same two ports"
say "Flows, counters and learnt neighbours all start from nothing."
run fp unload --dp "$DP" || die "flowpath unload failed"
for ns in "$H1" "$H2"; do ip -n "$ns" neigh flush dev eth0; done
run fp load --dp "$DP" || die "flowpath load failed"
fp port add p1 --port 1 --dp "$DP" >/dev/null || die "port add p1 failed"
fp port add p2 --port 2 --dp "$DP" >/dev/null || die "port add p2 failed"
run fp flow dump --dp "$DP"

step "12. Start the agent with one rule: normal, a MAC-learning switch"
say "Rules are ovs-ofctl add-flow lines. The agent reads the datapath's"
say "upcalls: for each missed packet it finds the rule, installs an"
say "exact-match flow for the packet's key, and sends the packet itself on"
say "through its TAP device, which runs it through the flow just installed."
cat >"$tmp/rules" <<RULES
# One rule for every packet: learn source MACs, forward to the learnt
# port, flood when the destination is unknown or broadcast.
priority=0,actions=normal
RULES
run cat "$tmp/rules"
say "$ flowpath agent --dp $DP --rules rules &"
# nsenter itself, not the netns function: $! must be the agent's pid
# (nsenter execs it), not a subshell's, for SIGTERM to reach it.
nsenter --net="/run/netns/$SW" "$FLOWPATH" agent --dp "$DP" --rules "$tmp/rules" >"$tmp/agent.log" 2>&1 &
agent_pid=$!
for ((i = 0; i < 100; i++)); do
	fp agent status --dp "$DP" >/dev/null 2>&1 && break
	kill -0 "$agent_pid" 2>/dev/null || break
	sleep 0.1
done
fp agent status --dp "$DP" >/dev/null 2>&1 ||
	die "the agent did not start: $(cat "$tmp/agent.log")"
sed 's/^/     /' "$tmp/agent.log"
run fp rule dump --dp "$DP"

# agent_counter NAME: one line of `flowpath agent status`.
agent_counter() { fp agent status --dp "$DP" | awk -v n="$1:" '$1 == n { print $2 }'; }
# stat_counter NAME: one line of `flowpath stats`.
stat_counter() { fp stats --dp "$DP" | awk -v n="$1" '$1 == n { print $2 }'; }

step "13. Traffic again: ping, then 200 UDP datagrams"
say "ARP and the first echo request miss (the datapath has no flow) and go"
say "up; later packets of the same flows find the flows the agent installed."
ping_hosts 5
ping2_ok=$ping_ok
N2=200
udp_stream $N2
udp2_rx=$udp_rx

step "14. What the agent did"
say "upcalls: packets it was sent; installed: flows it put in the datapath;"
say "executed: packets it sent on through its TAP (the upcalled ones);"
say "csum_completed: of those, the UDP ones whose checksum host 1 left to"
say "the device (tx checksum offload, which a veth never finishes), finished"
say "by the agent so that host 2 takes them."
run fp agent status --dp "$DP"

step "15. The rule, with the packets of every flow made from it"
run fp rule dump --dp "$DP"

step "16. The flows the agent installed, with what each took in the datapath"
say "One flow per key, as in part 1, but none written by hand: ARP request"
say "and reply, echo request and reply, the UDP stream."
run fp flow dump --dp "$DP"

step "17. Datapath counters: hits, misses, upcalls"
fp stats --dp "$DP" | grep -E '^datapath|^  (hit|missed|upcalls|tap_executed|drop_action|miss_dropped) ' | sed 's/^/     /'

up=$(agent_counter upcalls)
inst=$(agent_counter installed)
execd=$(agent_counter executed)
completed=$(agent_counter csum_completed)
hits=$(stat_counter hit)
flow_pk=$(fp flow dump --dp "$DP" | awk 'match($0, /packets:[0-9]+/) { n += substr($0, RSTART + 8, RLENGTH - 8) } END { print n + 0 }')
say ""
say "${up:-0} packets went up to the agent, which installed ${inst:-0} flows;"
say "the flows took $flow_pk packets: the ${execd:-0} the agent sent back"
say "through its TAP, and $((flow_pk - ${execd:-0})) that never left the datapath."

step "18. Stop the agent (SIGTERM): it removes its TAP and control socket"
stop_agent
agent_rc=$?
sed 's/^/     /' "$tmp/agent.log" | tail -n 1
run ip -n "$SW" -br link show
[ -e "$AGENT_SOCK" ] && agent_sock_left=1 || agent_sock_left=0

step "Result"
if [ "$ping2_ok" -eq 0 ]; then ok "part 2: ping $IP1 -> $IP2 through the agent's flows"; else bad "part 2: ping $IP1 -> $IP2"; fi
if [ "$udp2_rx" == "$N2" ]; then ok "part 2: $N2/$N2 UDP datagrams"; else bad "part 2: $udp2_rx/$N2 UDP datagrams"; fi
# The first packets went up, the rest stayed in the datapath: a handful
# of upcalls (one per flow, a few more for packets that came before their
# flow was in), and ten times as many packets on the flows.
if [ "${up:-0}" -ge 1 ] && [ "${inst:-0}" -ge 4 ] && [ "$flow_pk" -ge $((10 * up)) ]; then
	ok "part 2: ${up} upcalls, ${inst} flows installed, $flow_pk packets on them (hits: ${hits:-0})"
else
	bad "part 2: ${up:-0} upcalls, ${inst:-0} flows installed, $flow_pk packets on them"
fi
# The hosts keep tx checksum offload on: the stream's first datagram went
# up with its checksum unfinished, and arrived because the agent finished it.
if [ "${completed:-0}" -ge 1 ]; then
	ok "part 2: checksums left to the device, finished by the agent: ${completed}"
else
	bad "part 2: the agent finished no checksum (csum_completed ${completed:-none})"
fi
if [ "$agent_rc" -eq 0 ] && [ "$agent_sock_left" -eq 0 ]; then
	ok "part 2: the agent stopped cleanly"
else
	bad "part 2: the agent exited with status $agent_rc (socket left: $agent_sock_left)"
fi
for r in "${results[@]}"; do say "$r"; done
[ "$fail" -eq 0 ] || die "traffic did not flow as expected"
say ""
say "Traffic flowed through flowpath. Cleaning up (unload, delete namespaces)."
exit 0
