# shellcheck shell=bash
# Topology, capture and counter helpers for the end-to-end shell tests.
# Source after lib.sh. Packets are built and compared by traffic.py.

FP_PY=/usr/bin/python3
traffic() { "$FP_PY" "$FP_TOP/selftests/traffic.py" "$@"; }
fp() { nsx "$FP_SW" "$FLOWPATH" "$@"; } # flowpath in the switch namespace

# quiet_netns NAME: a namespace (removed at exit) whose devices send nothing
# on their own (no IPv6 autoconfiguration, DAD or MLD), so that counters and
# captures hold only the test's packets.
quiet_netns() {
	add_netns "$1" || return 1
	nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

# veth_pair SWNS SWDEV HOSTNS HOSTDEV MAC: a veth pair, one end a switch
# port, the other a host's interface with the given MAC, both up.
veth_pair() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
	ip -n "$3" link set "$4" address "$5" &&
		ip -n "$1" link set "$2" up &&
		ip -n "$3" link set "$4" up
}

# switch_topology NS:MAC...: the switch namespace $FP_SW and, for the i-th
# argument, port s<i> in it joined to h<i> (with MAC) in namespace NS, made
# once however many ports share it; $FP_DP is unloaded at exit. A topology
# that cannot be built fails the test and ends it.
switch_topology() {
	local arg ns i=0 made=" "

	if ! quiet_netns "$FP_SW"; then
		fail "cannot build the namespaces"
		exit 1
	fi
	for arg; do
		i=$((i + 1))
		ns=${arg%%:*}
		if [[ $made != *" $ns "* ]]; then
			made+="$ns "
			quiet_netns "$ns" || { fail "cannot build the namespaces"; exit 1; }
		fi
		if ! veth_pair "$FP_SW" "s$i" "$ns" "h$i" "${arg#*:}"; then
			fail "cannot build the namespaces"
			exit 1
		fi
	done
	track_dp "$FP_DP" "$FP_SW"
}

# wait_ready PID FILE PATTERN: 0 once FILE (what process PID writes)
# has a line matching PATTERN; 1 if PID ends first or 5 s pass.
wait_ready() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -qs "$3" "$2" && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# capture_start NS DEV FILE: tcpdump writes what arrives on DEV into FILE;
# it is listening when this returns.
capture_start() {
	local ns=$1 dev=$2 file=$3 pid
	rm -f "$file" "$file.log"
	# nsenter, not nsx: $! must be tcpdump itself (nsenter execs it), not
	# a subshell that would not pass the signal on.
	nsenter --net="/run/netns/$ns" tcpdump -n -i "$dev" -Q in -U \
		--immediate-mode -B 8192 -w "$file" 2>"$file.log" &
	pid=$!
	echo "$pid" >"$file.pid"
	at_exit "kill $pid"
	wait_ready "$pid" "$file.log" 'listening on' && return 0
	fail "tcpdump on $dev in $ns did not start: $(cat "$file.log")"
	return 1
}

# capture_stop FILE N: waits (at most 5 s) until FILE holds N frames, then a
# little longer so that any extra frame shows up too, and stops tcpdump.
capture_stop() {
	local file=$1 want=$2 pid n i
	pid=$(cat "$file.pid")
	for ((i = 0; i < 50; i++)); do
		n=$(traffic count "$file" 2>/dev/null) || n=0
		[ "$n" -ge "$want" ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# capture_check LABEL SENT.pcap GOT.pcap: the same frames, byte for byte.
capture_check() {
	local out
	if out=$(traffic compare "$2" "$3" 2>&1); then
		pass "$1 ($out)"
	else
		fail "$1: $out"
	fi
}

# port_counter PORT rx|tx packets|bytes|dropped: from 'flowpath port show'.
port_counter() {
	fp port show --dp "$FP_DP" | awk -v p="port $1:" -v d="$2" -v f="$3" '
		/^  port / { cur = (index($0, p) == 3); next }
		cur && tolower($1) == d {
			for (i = 2; i <= NF; i++) {
				split($i, kv, ":")
				if (kv[1] == f) print kv[2]
			}
		}'
}

# stat_counter NAME: one counter of 'flowpath stats'.
stat_counter() {
	fp stats --dp "$FP_DP" | awk -v n="$1" '$1 == n { print $2 }'
}

# flow_counter FLOW packets|bytes: the counter of the dumped flow whose key
# is FLOW (as 'flow dump' prints it, possibly after other attributes such
# as recirc_id(0)).
flow_counter() {
	fp flow dump --dp "$FP_DP" | awk -v k="$1" -v f="$2" '
		(i = index($0, k ", ")) == 1 || (i > 1 && substr($0, i - 1, 1) == ",") {
			n = split($0, parts, ", ")
			for (i = 1; i <= n; i++)
				if (index(parts[i], f ":") == 1)
					print substr(parts[i], length(f) + 2)
		}'
}

# filter_prog_id NS DEV: id of the BPF program at DEV's flowpath filter.
filter_prog_id() {
	tc -n "$1" filter show dev "$2" ingress |
		awk '/handle 0xf1/ { for (i = 1; i < NF; i++) if ($i == "id") print $(i + 1) }'
}

# pinned_prog_id DP STAGE
pinned_prog_id() {
	bpftool prog show pinned "/sys/fs/bpf/flowpath/$1/progs/$2" 2>/dev/null |
		awk -F: 'NR == 1 { print $1 }'
}

# sock_recv_start NS FILE udp|tcp ADDR PORT [--count N] [--timeout S]: a
# real socket in NS (traffic.py sock-recv) in the background, killed at
# exit; it is bound when this returns. sock_recv_wait FILE gives its count.
sock_recv_start() {
	local ns=$1 file=$2 pid
	shift 2
	rm -f "$file"
	nsenter --net="/run/netns/$ns" "$FP_PY" "$FP_TOP/selftests/traffic.py" \
		sock-recv "$@" >"$file" 2>&1 &
	pid=$!
	echo "$pid" >"$file.pid"
	at_exit "kill $pid"
	wait_ready "$pid" "$file" '^ready' && return 0
	fail "socket receiver in $ns did not start: $(cat "$file")"
	return 1
}

# sock_recv_wait FILE: waits for the receiver to end (its --timeout bounds
# it; this gives up after 30 s) and prints how many datagrams or
# connections it took. It polls rather than waits: it is meant to run in
# $(...), a subshell, which cannot wait for its parent's children.
sock_recv_wait() {
	local pid i
	pid=$(cat "$1.pid")
	for ((i = 0; i < 600; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	tail -n 1 "$1"
}

# snmp_counter NS GROUP FIELD: a counter of NS's /proc/net/snmp (Ip, Icmp,
# Tcp, Udp, ...), /proc/net/netstat (TcpExt, IpExt) or, for GROUP Udp6 or
# Icmp6, /proc/net/snmp6, where the field is named GROUPFIELD
# (Udp6InCsumErrors).
snmp_counter() {
	local ns=$1 group=$2 field=$3 file=/proc/net/snmp
	case $group in
	*6)
		nsx "$ns" cat /proc/net/snmp6 |
			awk -v k="$group$field" '$1 == k { print $2 }'
		return
		;;
	*Ext) file=/proc/net/netstat ;;
	esac
	# A line of names, then one of values.
	nsx "$ns" cat "$file" | awk -v g="$group:" -v f="$field" '
		$1 == g && !n { for (i = 2; i <= NF; i++) col[$i] = i; n = 1; next }
		$1 == g && n { print $col[f] }'
}
