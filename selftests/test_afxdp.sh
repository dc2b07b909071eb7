#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# flowpath afxdp, the AF_XDP datapath, on real frames between namespaces,
# in native XDP mode and in skb (generic) mode:
#
#        fpt-afxdp-h                 fpt-afxdp-sw
#   h1 02:..:01 ------------- s1 (port 1)
#   h2 02:..:02 ------------- s2 (port 2)    flowpath afxdp --dev s1 --dev s2
#
# - full datapath: frames sent from h1 leave s2 by the installed flow, byte
#   for byte (tcpdump at h2); a frame no flow matches is dropped, counted;
# - actions (push_vlan) run by lib/pkt_exec; a miss translated by the rule
#   engine (--rules) and installed;
# - --queues 2 on a two-queue veth: a poll thread per queue, pinned;
# - --l2fwd: frames come back to h1 with their MAC addresses swapped;
# - --rxdrop: frames are received and dropped;
# - after each run every umem frame is accounted for (free or in the fill
#   ring: no leak), no XDP program is left on the devices;
# - a program left by a crashed run (kill -9) is replaced with a message;
# - bad setups (no such device, queue beyond the device's, umem too small,
#   --zero-copy on veth, someone else's XDP program) fail with a message and leave the device
#   untouched.
#
# Native XDP on veth: the device with the program receives by NAPI once a
# program is attached, whatever its peer has; AF_XDP transmits in copy
# mode (an skb through the veth), so the peers here need nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

SW=fpt-afxdp-sw
H=fpt-afxdp-h
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

MAC1=02:00:00:00:00:01 MAC2=02:00:00:00:00:02
IP1=192.0.2.1 IP2=198.51.100.2
N=40

if ! quiet_netns "$SW" || ! quiet_netns "$H" ||
	! veth_pair "$SW" s1 "$H" h1 $MAC1 || ! veth_pair "$SW" s2 "$H" h2 $MAC2; then
	fail "cannot build the namespaces"
	finish
	exit
fi

# send DEV PCAP: every frame of PCAP out of host device DEV.
send() {
	local n
	n=$(nsx "$H" "$FP_PY" "$FP_TOP/selftests/traffic.py" send "$1" "$2" 2>&1)
	[ "$n" == "$(traffic count "$2")" ] || fail "sending $2 on $1: $n"
}

# afxdp_start OUT ARGS...: flowpath afxdp ARGS in the switch namespace,
# output into OUT; returns once it runs (its banner printed) or failed.
afxdp_pid=
afxdp_start() {
	local out=$1
	shift
	nsenter --net="/run/netns/$SW" "$FLOWPATH" afxdp "$@" >"$out" 2>&1 &
	afxdp_pid=$!
	at_exit "kill -9 $afxdp_pid"
	wait_ready "$afxdp_pid" "$out" '^afxdp: .* mode' && return 0
	fail "flowpath afxdp $* did not start: $(cat "$out")"
	return 1
}
# afxdp_stop [SIGNAL]: stop it (SIGINT by default); its exit status.
afxdp_stop() {
	local rc
	kill -"${1:-INT}" "$afxdp_pid" 2>/dev/null
	wait "$afxdp_pid" 2>/dev/null
	rc=$?
	afxdp_pid=
	return $rc
}
# field OUT DEV NAME [QUEUE]: NAME=value of the exit line of DEV's queue
# (0 by default; 0 if absent).
field() {
	awk -v d="afxdp $2/q${4:-0} exit:" -v n="$3" '
		index($0, d) == 1 { for (i = 1; i <= NF; i++) { split($i, kv, "=");
			if (kv[1] == n) v = kv[2] } }
		END { print v + 0 }' "$1"
}
# pools_ok LABEL OUT: every umem's frames all accounted for.
pools_ok() {
	local bad
	bad=$(awk '/^afxdp .* pool: / {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		if (f["leaked"] != 0 || f["tx_in_flight"] != 0 ||
		    f["free"] + f["fill_ring"] != f["size"] ||
		    f["fill_ring"] != f["kernel_fill_ring"]) print
		n++ } END { if (n == 0) print "no pool line" }' "$2")
	if [ -z "$bad" ]; then pass "$1"; else fail "$1: $bad"; fi
}
# quiet_run LABEL OUT: the run said nothing on stderr (all "flowpath:").
quiet_run() {
	if grep -q '^flowpath: ' "$2"; then fail "$1: $(grep '^flowpath: ' "$2")"; else pass "$1: no error"; fi
}
# no_xdp LABEL: neither device keeps an XDP program.
no_xdp() {
	local l
	l=$(ip -n "$SW" -d link show | grep -E 'prog/xdp|xdpgeneric|xdp id')
	if [ -z "$l" ]; then pass "$1: no XDP program left"; else fail "$1: left: $l"; fi
}

traffic udp "$tmp/12.pcap" --count $N --vary --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1234 --dport 53
traffic udp "$tmp/miss.pcap" --count 3 --src-mac $MAC1 --dst-mac $MAC2 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1234 --dport 54
# What --l2fwd sends back: the same frames, MAC addresses swapped.
traffic udp "$tmp/12.swapped.pcap" --count $N --vary --src-mac $MAC2 --dst-mac $MAC1 \
	--src-ip $IP1 --dst-ip $IP2 --sport 1234 --dport 53
cat >"$tmp/flows" <<EOF2
# h1 -> h2, and the reply
in_port(1),eth(src=$MAC1,dst=$MAC2),eth_type(0x0800),ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53) 2
in_port(2),eth(src=$MAC2,dst=$MAC1),eth_type(0x0800),ipv4(src=$IP2,dst=$IP1,proto=17,tos=0,ttl=64,frag=no),udp(src=53,dst=1234) 1
EOF2

for mode in native skb; do
	# --- full datapath -------------------------------------------------
	out=$tmp/full.$mode.out
	if afxdp_start "$out" --dev s1 --dev s2 --mode $mode --flows "$tmp/flows"; then
		capture_start "$H" h2 "$tmp/got2.$mode.pcap"
		send h1 "$tmp/12.pcap"
		send h1 "$tmp/miss.pcap"
		capture_stop "$tmp/got2.$mode.pcap" $N
		afxdp_stop
		check_eq "$mode: flowpath afxdp exits 0 on SIGINT" "$?" 0
		capture_check "$mode: h1 -> h2 frames leave s2 byte for byte" \
			"$tmp/12.pcap" "$tmp/got2.$mode.pcap"
		check_eq "$mode: s1 rx" "$(field "$out" s1 rx)" $((N + 3))
		check_eq "$mode: s1 flow hits" "$(field "$out" s1 hit)" $N
		check_eq "$mode: s1 misses dropped" "$(field "$out" s1 miss_dropped)" 3
		check_eq "$mode: s1 drop" "$(field "$out" s1 drop)" 3
		check_eq "$mode: s2 tx" "$(field "$out" s2 tx)" $N
		pools_ok "$mode: full datapath: umem frames all back (free + fill ring)" "$out"
		quiet_run "$mode: full datapath" "$out"
		no_xdp "$mode: full datapath"
	fi

	# --- l2fwd ---------------------------------------------------------
	out=$tmp/l2fwd.$mode.out
	if afxdp_start "$out" --dev s1 --mode $mode --l2fwd; then
		capture_start "$H" h1 "$tmp/got1.$mode.pcap"
		send h1 "$tmp/12.pcap"
		capture_stop "$tmp/got1.$mode.pcap" $N
		afxdp_stop TERM
		check_eq "$mode: --l2fwd exits 0 on SIGTERM" "$?" 0
		capture_check "$mode: --l2fwd returns the frames with MACs swapped" \
			"$tmp/12.swapped.pcap" "$tmp/got1.$mode.pcap"
		check_eq "$mode: --l2fwd tx" "$(field "$out" s1 tx)" $N
		pools_ok "$mode: l2fwd: umem frames all back" "$out"
		quiet_run "$mode: l2fwd" "$out"
		no_xdp "$mode: l2fwd"
	fi

	# --- rxdrop --------------------------------------------------------
	out=$tmp/rxdrop.$mode.out
	if afxdp_start "$out" --dev s1 --dev s2 --mode $mode --rxdrop --batch 8; then
		send h1 "$tmp/12.pcap"
		sleep 0.5
		afxdp_stop
		check_eq "$mode: --rxdrop rx" "$(field "$out" s1 rx)" $N
		check_eq "$mode: --rxdrop tx" "$(field "$out" s1 tx)$(field "$out" s2 tx)" 00
		pools_ok "$mode: rxdrop: umem frames all back" "$out"
		quiet_run "$mode: rxdrop, right after the l2fwd run on the same queue" "$out"
	fi
done

# --- actions run by lib/pkt_exec on the frame: push_vlan, then output ----
F12="in_port(1),eth(src=$MAC1,dst=$MAC2),eth_type(0x0800),ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)"
echo "$F12 push_vlan(vid=10,pcp=3),2" >"$tmp/vlan.flows"
traffic tag "$tmp/12.pcap" "$tmp/12.tagged.pcap" --push 0x8100:10:3
out=$tmp/vlan.out
if afxdp_start "$out" --dev s1 --dev s2 --flows "$tmp/vlan.flows"; then
	capture_start "$H" h2 "$tmp/got2.vlan.pcap"
	send h1 "$tmp/12.pcap"
	capture_stop "$tmp/got2.vlan.pcap" $N
	afxdp_stop
	capture_check "push_vlan(vid=10,pcp=3),2: tagged frames leave s2" \
		"$tmp/12.tagged.pcap" "$tmp/got2.vlan.pcap"
	pools_ok "push_vlan: umem frames all back" "$out"
fi

# --- a miss goes to the rules (--rules), whose flow is installed -----------
cat >"$tmp/rules" <<EOF2
# UDP to port 53 goes to port 2; the rest matches nothing: dropped
priority=10,udp,tp_dst=53,actions=output:2
EOF2
out=$tmp/rules.out
if afxdp_start "$out" --dev s1 --dev s2 --mode skb --rules "$tmp/rules"; then
	capture_start "$H" h2 "$tmp/got2.rules.pcap"
	send h1 "$tmp/12.pcap"
	send h1 "$tmp/miss.pcap"
	capture_stop "$tmp/got2.rules.pcap" $N
	afxdp_stop
	capture_check "--rules: frames the rule outputs leave s2" \
		"$tmp/12.pcap" "$tmp/got2.rules.pcap"
	check_eq "--rules: one miss per flow, each installed" \
		"$(field "$out" s1 missed)/$(field "$out" s1 installed)" 2/2
	check_eq "--rules: the rest hit the installed flows" \
		"$(field "$out" s1 hit)" $((N + 3 - 2))
	check_eq "--rules: the unmatched frames are dropped" \
		"$(field "$out" s1 drop)/$(field "$out" s1 drop_action)" 3/3
fi
check_fails "--rules with a bad rule" "--rules $tmp/bad.rules: .*bad.rules:1:.*nw_dts" \
	bash -c "echo 'ip,nw_dts=192.0.2.1,actions=drop' >$tmp/bad.rules &&
		nsenter --net=/run/netns/$SW $FLOWPATH afxdp --dev s1 --rules $tmp/bad.rules"

# --- two queues, two poll threads, pinned --------------------------------
if ip -n "$SW" link add s3 numtxqueues 2 numrxqueues 2 type veth peer name h3 \
	numtxqueues 2 numrxqueues 2 netns "$H" && ip -n "$SW" link set s3 up &&
	ip -n "$H" link set h3 address 02:00:00:00:00:03 up; then
	out=$tmp/queues.out
	if afxdp_start "$out" --dev s3 --queues 2 --cpu 0 --l2fwd; then
		capture_start "$H" h3 "$tmp/got3.pcap"
		send h3 "$tmp/12.pcap"
		capture_stop "$tmp/got3.pcap" $N
		afxdp_stop
		check_eq "--queues 2: both queues' sockets together got every frame" \
			$(($(field "$out" s3 rx 0) + $(field "$out" s3 rx 1))) $N
		capture_check "--queues 2: every frame back, MACs swapped" \
			"$tmp/12.swapped.pcap" "$tmp/got3.pcap"
		pools_ok "--queues 2: umem frames all back" "$out"
	fi
else
	fail "cannot make a veth pair with 2 queues"
fi

# --- a crashed run's program is replaced ----------------------------------
out=$tmp/crash.out
if afxdp_start "$out" --dev s1 --l2fwd; then
	afxdp_stop KILL
	if ip -n "$SW" -d link show s1 | grep -q 'prog/xdp id'; then
		pass "kill -9 leaves the XDP program attached (a crash)"
	else
		fail "no program left after kill -9: $(ip -n "$SW" -d link show s1)"
	fi
	out=$tmp/restart.out
	if afxdp_start "$out" --dev s1 --dev s2 --flows "$tmp/flows"; then
		capture_start "$H" h2 "$tmp/got2.restart.pcap"
		send h1 "$tmp/12.pcap"
		capture_stop "$tmp/got2.restart.pcap" $N
		afxdp_stop
		if grep -q "s1: replacing stale XDP program 'fp_xdp_redirect' (id [0-9]*, native mode)" "$out"; then
			pass "the next start says it replaces the stale program"
		else
			fail "no message about the stale program: $(cat "$out")"
		fi
		capture_check "after the replacement, frames flow" "$tmp/12.pcap" \
			"$tmp/got2.restart.pcap"
		no_xdp "after the replacement"
	fi
fi

# --- bad setups: a message, and the device left as it was ----------------
link_state() { ip -n "$SW" -d link show s1 | grep -v 'link/ether'; }
before=$(link_state)
check_fails "no such device" "no such device 'nosuch'" \
	nsx "$SW" "$FLOWPATH" afxdp --dev s1 --dev nosuch
check_fails "queue beyond the device's" "s1: --queues 2: queue index 1 is beyond the device's 1 rx queue" \
	nsx "$SW" "$FLOWPATH" afxdp --dev s1 --queues 2
check_fails "umem too small" "--frames 16: umem too small" \
	nsx "$SW" "$FLOWPATH" afxdp --dev s1 --frames 16
check_fails "--zero-copy on veth (no zero-copy AF_XDP)" \
	"s1 queue 0: cannot create AF_XDP socket \(zero-copy\): .*no zero-copy" \
	nsx "$SW" "$FLOWPATH" afxdp --dev s1 --zero-copy
check_fails "--cpu beyond the CPUs" "--cpu '1000': CPU 1000 is not one this process may run on" \
	nsx "$SW" "$FLOWPATH" afxdp --dev s1 --cpu 1000
check_fails "--mode" "--mode 'hw': expected native or skb" \
	nsx "$SW" "$FLOWPATH" afxdp --dev s1 --mode hw
check_fails "flows file with a bad flow" "$tmp/bad.flows:2: flow: .*eth_typo" \
	bash -c "printf '# ok\nin_port(1),eth_typo(0x800) 2\n' >$tmp/bad.flows &&
		nsenter --net=/run/netns/$SW $FLOWPATH afxdp --dev s1 --flows $tmp/bad.flows"
check_eq "bad setups leave s1 as it was" "$(link_state)" "$before"

other=$FP_BUILD/selftests/progs/xdp_other.bpf.o
if ip -n "$SW" link set dev s1 xdpgeneric obj "$other" sec xdp; then
	id=$(ip -n "$SW" -d link show s1 | grep -oE 'prog/xdp id [0-9]+' | awk '{ print $3 }')
	check_fails "someone else's XDP program is refused" \
		"s1 already has XDP program 'xdp_other_prog' \(id $id\); not replacing it" \
		nsx "$SW" "$FLOWPATH" afxdp --dev s2 --dev s1 --mode skb
	after=$(ip -n "$SW" -d link show s1)
	if grep -q "prog/xdp id $id" <<<"$after"; then
		pass "someone else's program stays attached"
	else
		fail "the other program is gone: $after"
	fi
	ip -n "$SW" link set dev s1 xdpgeneric off
	if ip -n "$SW" -d link show s2 | grep -q 'prog/xdp'; then
		fail "the refused run left a program on s2"
	else
		pass "the refused run touched neither device"
	fi
else
	fail "cannot attach $other to s1"
fi

finish
