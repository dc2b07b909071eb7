#!/usr/bin/env bash
# `flowpath load --miss pass`: a packet of no flow goes on to the kernel's
# own stack, as if no datapath were there; `--miss drop` (the default)
# drops it. The switch namespace's port s1 has an address, and a UDP
# socket on it; h1's socket sends it datagrams. Passed, every one reaches
# the switch's socket; dropped, none does.
#
#   fpt-miss-h1 h1 (192.0.2.1) --- s1 (port 1, 192.0.2.254) [fpt-miss-sw]
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

FP_DP=fptmiss
FP_SW=fpt-miss-sw
H1=fpt-miss-h1
MAC1=02:00:00:00:0e:01
IP1=192.0.2.1 IPS=192.0.2.254
N=3
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

switch_topology "$H1:$MAC1"
smac=$(ip -n "$FP_SW" -br link show s1 | awk '{ print $3 }')
check "addresses" bash -c "
	nsenter --net=/run/netns/$FP_SW ip addr add $IPS/24 dev s1 &&
	nsenter --net=/run/netns/$H1 ip addr add $IP1/24 dev h1 &&
	nsenter --net=/run/netns/$H1 ip neigh replace $IPS lladdr $smac dev h1 nud permanent &&
	nsenter --net=/run/netns/$FP_SW ip neigh replace $IP1 lladdr $MAC1 dev s1 nud permanent"

# delivered: how many of N datagrams from h1's socket the switch's socket
# got.
delivered() {
	sock_recv_start "$FP_SW" "$tmp/recv" udp $IPS 7000 --count $N --timeout 2 || return
	nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" sock-send udp $IP1 $IPS 7000 \
		--sport 7001 --count $N >/dev/null 2>&1
	sock_recv_wait "$tmp/recv"
}

check "load --miss pass" fp load --dp "$FP_DP" --miss pass
check "port add s1" fp port add s1 --port 1 --dp "$FP_DP"
check_eq "--miss pass: the switch's socket gets every datagram" "$(delivered)" $N
check_eq "--miss pass: every datagram missed, none dropped (missed, miss_dropped)" \
	"$(stat_counter missed) $(stat_counter miss_dropped)" "$N 0"

check "load --miss drop" fp load --dp "$FP_DP" --miss drop
check_eq "--miss drop: the switch's socket gets none" "$(delivered)" 0
check_eq "--miss drop: every datagram missed and dropped (missed, miss_dropped)" \
	"$(stat_counter missed) $(stat_counter miss_dropped)" "$((2 * N)) $N"
finish
