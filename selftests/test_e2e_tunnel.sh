#!/usr/bin/env bash
# GRE and ERSPAN tunnel ports on real traffic, between two datapaths in
# two "host" namespaces joined by an underlay veth. h1's frames enter A,
# leave A's underlay GRE-encapsulated (outer Ethernet + IPv4 + GRE with a
# key), are decapsulated by B (tunnel metadata in the key, in_port the
# tunnel port) and output to h2, and the way back; ping and raw UDP
# frames get through, byte for byte. The underlay capture is decoded by
# tshark (GRE key, IP checksums, no expert warning). Then ERSPAN v1 and
# v2 mirrors beside the GRE output, in both orders, decapsulated by B to
# its ERSPAN ports; bad port configurations refused with nothing left;
# port del of a tunnel port, and of an underlay in use (refused).
#
#  fpt-tun-h1          fpt-tun-a (fpttuna)            fpt-tun-b (fpttunb)          fpt-tun-h2
#  h1 192.0.2.1 --- a1 (1)   ula (2) ============ ulb (2)   b1 (1) --- h2 192.0.2.2
#                    gre0 (3), ers1 (4),  198.51.100.1   .2, .3   gre0 (3), ers1 (4),
#                    ers2 (5) over ula                            ers2 (5) over ulb
#                                                                 b6 (6) --- k fpt-tun-sink
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

NSA=fpt-tun-a NSB=fpt-tun-b H1=fpt-tun-h1 H2=fpt-tun-h2 SINK=fpt-tun-sink
DPA=fpttuna DPB=fpttunb
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

MAC_H1=02:00:00:00:01:01 MAC_H2=02:00:00:00:02:02 MAC_K=02:00:00:00:03:03
MAC_UA=02:00:00:00:0a:01 MAC_UB=02:00:00:00:0b:02
UA=198.51.100.1 UB=198.51.100.2 UB2=198.51.100.3 NOBODY=198.51.100.9
IP1=192.0.2.1 IP2=192.0.2.2
KEY=5 SID1=100 IDX1=0x1234 SID2=200 DIR2=1 HWID2=0x15
N=20

# fpa/fpb ARGS: flowpath in A or B, on that one's datapath.
fpa() { nsx "$NSA" "$FLOWPATH" "$@" --dp "$DPA"; }
fpb() { nsx "$NSB" "$FLOWPATH" "$@" --dp "$DPB"; }
# The lib_net.sh counter helpers, for A or B.
a_stat() { FP_SW=$NSA FP_DP=$DPA stat_counter "$1"; }
b_stat() { FP_SW=$NSB FP_DP=$DPB stat_counter "$1"; }
a_port() { FP_SW=$NSA FP_DP=$DPA port_counter "$@"; }
b_port() { FP_SW=$NSB FP_DP=$DPB port_counter "$@"; }
b_flow() { FP_SW=$NSB FP_DP=$DPB flow_counter "$@"; }

send() { # NS DEV PCAP
	local n
	n=$(nsx "$1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send "$2" "$3" 2>&1)
	[ "$n" == "$(traffic count "$3")" ] || fail "sending $3 on $2: $n"
}
udp() { # OUT SRC_MAC DST_MAC SRC_IP DST_IP SPORT DPORT [COUNT]
	traffic udp "$1" --count "${8:-$N}" --vary --src-mac "$2" --dst-mac "$3" \
		--src-ip "$4" --dst-ip "$5" --sport "$6" --dport "$7"
}
# inner IN_PORT SRC_MAC DST_MAC SRC_IP DST_IP PROTO L4: a key's part from
# in_port on, as flow dump prints it.
inner() {
	echo "in_port($1),eth(src=$2,dst=$3),eth_type(0x0800),ipv4(src=$4,dst=$5,proto=$6,tos=0,ttl=64,frag=no),$7"
}
# learn NS DP PCAP_NS DEV PCAP: send PCAP's one frame, print the key of the
# upcall it causes in NS's datapath, a tunnel's (empty if none in 5 s).
learn() {
	local out=$tmp/upcall.$RANDOM i
	nsx "$1" "$FLOWPATH" upcall watch --count 1 --timeout 5 --dp "$2" >"$out" 2>&1 &
	local pid=$!
	for ((i = 0; i < 50; i++)); do
		grep -q watching "$out" && break
		sleep 0.1
	done
	send "$3" "$4" "$5"
	wait $pid
	# The first decapsulated one: h2's stack may answer the frame with an
	# ICMP error that misses too.
	sed -n 's/^  key: //p' "$out" | grep -m 1 'tunnel('
}
# tunnel_of KEY: the key's tunnel(...) attribute (what precedes in_port).
tunnel_of() { sed -n 's/^\(recirc_id([^)]*),\)\{0,1\}\(tunnel(.*)\),in_port(.*$/\2/p' <<<"$1"; }
# fields PCAP FILTER FIELD...: tshark's fields of the matching frames, one
# line per frame; IP checksums verified, the outer header's values first.
fields() {
	local pcap=$1 filter=$2 args=() f
	shift 2
	for f; do args+=(-e "$f"); done
	tshark -n -r "$pcap" -o ip.check_checksum:TRUE -Y "$filter" -T fields \
		-E separator='|' "${args[@]}" 2>&1 | grep -v '^Running as user'
}
# expert PCAP: frames tshark finds malformed or with expert info.
expert() {
	tshark -n -r "$1" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y '_ws.expert || _ws.malformed' 2>&1 | grep -v '^Running as user'
}
# every PCAP FILTER FIELD VALUE: how many matching frames do not have
# FIELD == VALUE (numbers compared as numbers, any base); "none" if no
# frame matches.
mismatches() {
	fields "$1" "$2" "$3" | "$FP_PY" -c '
import sys
want = sys.argv[1]
lines = sys.stdin.read().split("\n")[:-1]
def norm(v):
    v = v.split(",")[0]  # the outer header, where there are two
    try:
        return str(int(v, 0))
    except ValueError:
        return v
print(sum(1 for l in lines if norm(l) != norm(want)) if lines else "none")' "$4"
}
# strip IN OUT BYTES: the frames of IN without their first BYTES bytes.
strip() {
	"$FP_PY" - "$@" <<-'EOF'
		import sys
		sys.path.insert(0, sys.argv[4])
		from traffic import read_pcap, write_pcap
		n = int(sys.argv[3])
		write_pcap(sys.argv[2], [f[n:] for f in read_pcap(sys.argv[1])])
	EOF
}
# ping NS DST COUNT: COUNT ICMP echo requests from NS's stack (a raw
# socket; the machine need not have ping), each answered within 2 s.
ping() {
	nsx "$1" "$FP_PY" - "$2" "$3" <<-'EOF'
		import os, socket, struct, sys, time
		def csum(b):
		    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
		    s = (s & 0xFFFF) + (s >> 16)
		    return ~((s & 0xFFFF) + (s >> 16)) & 0xFFFF
		s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
		ident, ok = os.getpid() & 0xFFFF, 0
		for seq in range(int(sys.argv[2])):
		    body = struct.pack("!HH", ident, seq) + b"flowpath-ping-test"
		    s.sendto(struct.pack("!BBH", 8, 0, csum(b"\x08\x00\x00\x00" + body)) + body,
		             (sys.argv[1], 0))
		    end = time.time() + 2
		    while time.time() < end:
		        s.settimeout(max(0.01, end - time.time()))
		        try:
		            r = s.recv(2048)
		        except socket.timeout:
		            break
		        ihl = (r[0] & 15) * 4
		        if r[ihl] == 0 and r[ihl + 4:ihl + 8] == struct.pack("!HH", ident, seq):
		            ok += 1
		            break
		    time.sleep(0.1)
		print("%d/%s echo replies" % (ok, sys.argv[2]))
		sys.exit(ok != int(sys.argv[2]))
	EOF
}
# udp_sink NS IP PORT COUNT FILE: a UDP socket that counts what its stack
# delivers (checksums verified), at most COUNT, for at most 5 s.
udp_sink() {
	nsx "$1" "$FP_PY" - "$2" "$3" "$4" >"$5" 2>&1 <<-'EOF' &
		import socket, sys
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		s.bind((sys.argv[1], int(sys.argv[2])))
		s.settimeout(5)
		print("bound", flush=True)
		n = 0
		try:
		    while n < int(sys.argv[3]):
		        s.recv(2048)
		        n += 1
		except socket.timeout:
		    pass
		print(n)
	EOF
	local pid=$! i
	at_exit "kill $pid"
	for ((i = 0; i < 50; i++)); do
		grep -q bound "$5" && return 0
		sleep 0.1
	done
}
sink_count() { wait "$1" 2>/dev/null; tail -n 1 "$2"; }

# --- Topology ----------------------------------------------------------------
for ns in "$NSA" "$NSB" "$H1" "$H2" "$SINK"; do
	quiet_netns "$ns" || { fail "cannot build the namespaces"; exit 1; }
done
track_dp "$DPA" "$NSA"
track_dp "$DPB" "$NSB"
if ! { ip -n "$NSA" link add ula type veth peer name ulb netns "$NSB" &&
	ip -n "$NSA" link set ula address $MAC_UA up &&
	ip -n "$NSB" link set ulb address $MAC_UB up &&
	ip -n "$NSA" addr add $UA/24 dev ula &&
	ip -n "$NSB" addr add $UB/24 dev ulb &&
	ip -n "$NSB" addr add $UB2/24 dev ulb &&
	veth_pair "$NSA" a1 "$H1" h1 $MAC_H1 &&
	veth_pair "$NSB" b1 "$H2" h2 $MAC_H2 &&
	veth_pair "$NSB" b6 "$SINK" k $MAC_K &&
	ip -n "$H1" addr add $IP1/24 dev h1 &&
	ip -n "$H2" addr add $IP2/24 dev h2 &&
	# Static neighbours: no ARP across the tunnel, whose flows are exact.
	ip -n "$H1" neigh add $IP2 lladdr $MAC_H2 dev h1 nud permanent &&
	ip -n "$H2" neigh add $IP1 lladdr $MAC_H1 dev h2 nud permanent; }; then
	fail "cannot build the namespaces"
	exit 1
fi

check "A: load" fpa load
check "B: load" fpb load
check "A: port add a1" fpa port add a1 --port 1
check "B: port add b1" fpb port add b1 --port 1
check "B: port add b6" fpb port add b6 --port 6
# The underlay's neighbour entries, for port add to find, made while no
# datapath is on the underlay yet (its misses would be dropped, ARP
# included), and used at once: the neighbour tables' garbage collection
# thresholds count the entries of every namespace, and on a busy machine
# idle stale entries went within a minute.
check "underlay: A pings B" ping "$NSA" $UB 1
check "underlay: A pings B's second address" ping "$NSA" $UB2 1
check "underlay: B pings A" ping "$NSB" $UA 1
check "A: port add ula" fpa port add ula --port 2
check "B: port add ulb" fpb port add ulb --port 2

# --- GRE ports, the outer MACs from the underlay and its neighbour table ----
out=$(fpa port add gre0 --type gre --underlay ula --local-ip $UA --remote-ip $UB --key $KEY --port 3 2>&1)
check_eq "A: port add gre0 (neighbour table)" "$?" 0
check_eq "A: port add says where the outer MAC came from" "$(head -n 1 <<<"$out")" \
	"outer destination MAC $MAC_UB: $UB's neighbour entry on ula"
show=$(fpa port show)
if grep -qF "port 3: gre0 (gre $UA -> $UB, key $KEY, df, tos 0x0, ttl 64, underlay port 2, outer eth $MAC_UA -> $MAC_UB, malformed: drop)" <<<"$show"; then
	pass "A: port show describes gre0, outer MACs ula's and B's"
else
	fail "A: port show: $show"
fi
check "B: port add gre0" fpb port add gre0 --type gre --underlay ulb --local-ip $UB --remote-ip $UA --key $KEY --port 3
check "B: port show: outer MACs ulb's and A's" \
	bash -c "nsenter --net=/run/netns/$NSB $FLOWPATH port show --dp $DPB | grep -qF 'outer eth $MAC_UB -> $MAC_UA'"
# ERSPAN v1 shares the GRE port's address pair (one port of each kind);
# v2 goes to B's second address.
check "A: port add ers1 (ERSPAN v1)" fpa port add ers1 --type erspan --underlay ula \
	--local-ip $UA --remote-ip $UB --key $SID1 --erspan-ver 1 --erspan-idx $IDX1 --port 4
check_fails "refused: a second ERSPAN port at the same addresses" "port 4 is already the erspan port" \
	fpa port add bad --type erspan --underlay ula --local-ip $UA --remote-ip $UB --key 7 --remote-mac $MAC_UB
check "A: port add ers2 (ERSPAN v2)" fpa port add ers2 --type erspan --underlay ula \
	--local-ip $UA --remote-ip $UB2 --key $SID2 --erspan-ver 2 --erspan-dir $DIR2 --erspan-hwid $HWID2 --port 5
check "B: port add ers1" fpb port add ers1 --type erspan --underlay ulb \
	--local-ip $UB --remote-ip $UA --key $SID1 --erspan-ver 1 --port 4
check "B: port add ers2" fpb port add ers2 --type erspan --underlay ulb \
	--local-ip $UB2 --remote-ip $UA --key $SID2 --erspan-ver 2 --port 5

# --- Bad tunnel ports: refused, named, nothing left -------------------------
show_a() { fpa port show; bpftool map dump pinned /sys/fs/bpf/flowpath/$DPA/tun_endpoints; }
before=$(show_a 2>&1)
T="--type gre --local-ip $UA --remote-ip $UB"
check_fails "refused: no --underlay" "--underlay DEV is required" fpa port add bad $T
check_fails "refused: underlay not a port" "--underlay lo is not a device port" \
	fpa port add bad $T --underlay lo
check_fails "refused: a tunnel port as underlay" "--underlay gre0 is not a device port" \
	fpa port add bad $T --underlay gre0
check_fails "refused: --csum on erspan" "--csum is for --type gre" \
	fpa port add bad --type erspan --underlay ula --local-ip $UA --remote-ip $UB --csum
check_fails "refused: bad IP" "--remote-ip '198.51.100.300': expected an IPv4 address" \
	fpa port add bad --type gre --underlay ula --local-ip $UA --remote-ip 198.51.100.300
check_fails "refused: remote not in the neighbour table" \
	"$NOBODY is not in the neighbour table of ula.*--remote-mac" \
	fpa port add bad --type gre --underlay ula --local-ip $UA --remote-ip $NOBODY
check_fails "refused: a second GRE port at the same addresses" "port 3 is already the gre port" \
	fpa port add bad $T --underlay ula --key 6 --remote-mac $MAC_UB
check_fails "refused: underlay deleted while gre0 uses it" "is the underlay of tunnel port 3" \
	fpa port del ula
check_eq "refusals: port show and tun_endpoints unchanged" "$(show_a 2>&1)" "$before"

# --- Flows: h1 -> h2 over GRE, learnt on B from its upcall --------------------
U12=$(inner 1 $MAC_H1 $MAC_H2 $IP1 $IP2 17 "udp(src=40000,dst=5000)")
U21=$(inner 1 $MAC_H2 $MAC_H1 $IP2 $IP1 17 "udp(src=5000,dst=40000)")
P12=$(inner 1 $MAC_H1 $MAC_H2 $IP1 $IP2 1 "icmp(type=8,code=0)")
P21=$(inner 1 $MAC_H2 $MAC_H1 $IP2 $IP1 1 "icmp(type=0,code=0)")
check "A: flow add h1 -> gre0 (udp)" fpa flow add "$U12" 3
check "A: flow add h1 -> gre0 (icmp)" fpa flow add "$P12" 3
check "B: flow add h2 -> gre0 (udp)" fpb flow add "$U21" 3
check "B: flow add h2 -> gre0 (icmp)" fpb flow add "$P21" 3

udp "$tmp/learn12.pcap" $MAC_H1 $MAC_H2 $IP1 $IP2 40000 5000 1
key=$(learn "$NSB" "$DPB" "$H1" h1 "$tmp/learn12.pcap")
TB=$(tunnel_of "$key")
check_eq "B: the decapsulated key's tunnel metadata" "$TB" \
	"tunnel(tun_id=0x5,src=$UA,dst=$UB,ttl=64,flags(df|key))"
check_eq "B: the decapsulated key's in_port is gre0, the inner frame's key after" \
	"${key#*"$TB",}" "in_port(3),${U12#in_port(1),}"
check "B: flow add the learnt key -> h2" fpb flow add "$key" 1
check "B: flow add gre0 icmp -> h2" fpb flow add "$TB,in_port(3),${P12#in_port(1),}" 1

udp "$tmp/learn21.pcap" $MAC_H2 $MAC_H1 $IP2 $IP1 5000 40000 1
key=$(learn "$NSA" "$DPA" "$H2" h2 "$tmp/learn21.pcap")
TA=$(tunnel_of "$key")
check_eq "A: the decapsulated key's tunnel metadata" "$TA" \
	"tunnel(tun_id=0x5,src=$UB,dst=$UA,ttl=64,flags(df|key))"
check "A: flow add the learnt key -> h1" fpa flow add "$key" 1
check "A: flow add gre0 icmp -> h1" fpa flow add "$TA,in_port(3),${P21#in_port(1),}" 1

# --- UDP h1 -> h2: byte for byte at h2, GRE on the underlay -------------------
udp "$tmp/12.pcap" $MAC_H1 $MAC_H2 $IP1 $IP2 40000 5000
udp_sink "$H2" $IP2 5000 $N "$tmp/sink12"
sink_pid=$!
capture_start "$H2" h2 "$tmp/12-got.pcap"
capture_start "$NSB" ulb "$tmp/12-ul.pcap"
send "$H1" h1 "$tmp/12.pcap"
capture_stop "$tmp/12-got.pcap" $N
capture_stop "$tmp/12-ul.pcap" $N
capture_check "GRE h1 -> h2: h2 gets the frames h1 sent" "$tmp/12.pcap" "$tmp/12-got.pcap"
check_eq "GRE h1 -> h2: h2's UDP socket receives them all" "$(sink_count $sink_pid "$tmp/sink12")" $N
# tshark: checksum status 1 is "Good".
# Outer Ethernet 14 + IPv4 20 + GRE 4 + key 4, then the frame itself.
strip "$tmp/12-ul.pcap" "$tmp/12-ul-inner.pcap" 42 "$FP_TOP/selftests"
capture_check "GRE underlay: 42 bytes of outer headers, then the frame as sent" \
	"$tmp/12.pcap" "$tmp/12-ul-inner.pcap"
check_eq "GRE underlay: tshark reads GRE with key $KEY in every frame" \
	"$(mismatches "$tmp/12-ul.pcap" gre gre.key $KEY)" 0
check_eq "GRE underlay: protocol Transparent Ethernet bridging" \
	"$(mismatches "$tmp/12-ul.pcap" gre gre.proto 0x6558)" 0
outer=$(fields "$tmp/12-ul.pcap" gre eth.src eth.dst ip.src ip.dst ip.ttl ip.flags.df ip.proto | sort -u)
check_eq "GRE underlay: outer eth, IPv4 as configured (first of each field the outer one)" \
	"$(sed 's/,[^|]*//g' <<<"$outer")" "$MAC_UA|$MAC_UB|$UA|$UB|64|1|47"
check_eq "GRE underlay: IP checksums good (outer and inner)" \
	"$(fields "$tmp/12-ul.pcap" gre ip.checksum.status | sort -u)" "1,1"
check_eq "GRE underlay: UDP checksums good" \
	"$(tshark -n -r "$tmp/12-ul.pcap" -o udp.check_checksum:TRUE -T fields -e udp.checksum.status 2>&1 | grep -v '^Running as user' | sort -u)" 1
check_eq "GRE underlay: no malformed frame, no expert info" \
	"$(expert "$tmp/12-ul.pcap")" ""
check_eq "GRE h1 -> h2: A's tunnel_encap, B's tunnel_decap (and the learning frame)" \
	"$(a_stat tunnel_encap) $(b_stat tunnel_decap)" "$((N + 1)) $((N + 1))"
check_eq "GRE h1 -> h2: gre0 tx on A, rx on B" "$(a_port 3 tx packets) $(b_port 3 rx packets)" \
	"$((N + 1)) $((N + 1))"
check_eq "GRE h1 -> h2: B's flow from gre0" "$(b_flow "$TB,in_port(3),${U12#in_port(1),}" packets)" $N

# --- The way back ---------------------------------------------------------------
M=10
udp "$tmp/21.pcap" $MAC_H2 $MAC_H1 $IP2 $IP1 5000 40000 $M
capture_start "$H1" h1 "$tmp/21-got.pcap"
send "$H2" h2 "$tmp/21.pcap"
capture_stop "$tmp/21-got.pcap" $M
capture_check "GRE h2 -> h1: h1 gets the frames h2 sent" "$tmp/21.pcap" "$tmp/21-got.pcap"
check_eq "GRE h2 -> h1: B's tunnel_encap, A's tunnel_decap" \
	"$(b_stat tunnel_encap) $(a_stat tunnel_decap)" "$((M + 1)) $((M + 1))"

# --- ping across the tunnel -----------------------------------------------------
ea=$(a_stat tunnel_encap) eb=$(b_stat tunnel_encap)
check "ping h1 -> h2 across the tunnel (3 echoes)" ping "$H1" $IP2 3
check_eq "ping: 3 requests encapsulated by A, 3 replies by B" \
	"$(($(a_stat tunnel_encap) - ea)) $(($(b_stat tunnel_encap) - eb))" "3 3"
check_eq "GRE: nothing malformed, nothing for no port, no encap failure" \
	"$(a_stat tunnel_malformed) $(b_stat tunnel_malformed) $(a_stat tunnel_no_port) $(b_stat tunnel_no_port) $(a_stat tunnel_encap_failed) $(b_stat tunnel_encap_failed)" \
	"0 0 0 0 0 0"

# --- ERSPAN mirrors ---------------------------------------------------------------
check_fails "refused: a --erspan-idx for version 2" "--erspan-idx is for --erspan-ver 1" \
	fpa port add bad --type erspan --underlay ula --local-ip $UA --remote-ip $UB2 --erspan-ver 2 --erspan-idx 1

# Per UDP destination port: A's actions (the mirror first or last).
declare -A ACTS=([5001]=4,3 [5002]=3,4 [5003]=5,3 [5004]=3,5)
for dp in 5001 5002 5003 5004; do
	check "A: flow add dport $dp: ${ACTS[$dp]}" \
		fpa flow add "$(inner 1 $MAC_H1 $MAC_H2 $IP1 $IP2 17 "udp(src=40000,dst=$dp)")" "${ACTS[$dp]}"
	check "B: flow add gre0 dport $dp -> h2" \
		fpb flow add "$TB,in_port(3),$(inner 1 $MAC_H1 $MAC_H2 $IP1 $IP2 17 "udp(src=40000,dst=$dp)" | sed 's/^in_port(1),//')" 1
done
udp "$tmp/l1.pcap" $MAC_H1 $MAC_H2 $IP1 $IP2 40000 5001 1
key=$(learn "$NSB" "$DPB" "$H1" h1 "$tmp/l1.pcap")
T1=$(tunnel_of "$key")
check_eq "B: ERSPAN v1 decapsulated: tunnel metadata" "$T1" \
	"tunnel(tun_id=0x64,src=$UA,dst=$UB,ttl=64,erspan(ver=1,idx=0x1234),flags(df|key))"
check_eq "B: ERSPAN v1 decapsulated: in_port ers1, then the mirrored frame's key" \
	"${key#*"$T1",}" "in_port(4),eth(src=$MAC_H1,dst=$MAC_H2),eth_type(0x0800),ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no),udp(src=40000,dst=5001)"
udp "$tmp/l3.pcap" $MAC_H1 $MAC_H2 $IP1 $IP2 40000 5003 1
key=$(learn "$NSB" "$DPB" "$H1" h1 "$tmp/l3.pcap")
T2=$(tunnel_of "$key")
check_eq "B: ERSPAN v2 decapsulated: tunnel metadata" "$T2" \
	"tunnel(tun_id=0xc8,src=$UA,dst=$UB2,ttl=64,erspan(ver=2,dir=1,hwid=0x15),flags(df|key))"
for dp in 5001 5002; do
	check "B: flow add ers1 dport $dp -> sink" \
		fpb flow add "$T1,in_port(4),eth(src=$MAC_H1,dst=$MAC_H2),eth_type(0x0800),ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no),udp(src=40000,dst=$dp)" 6
done
for dp in 5003 5004; do
	check "B: flow add ers2 dport $dp -> drop" \
		fpb flow add "$T2,in_port(5),eth(src=$MAC_H1,dst=$MAC_H2),eth_type(0x0800),ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no),udp(src=40000,dst=$dp)" drop
done

ea=$(a_stat tunnel_encap) db=$(b_stat tunnel_decap)
for dp in 5001 5002 5003 5004; do
	acts=${ACTS[$dp]}
	udp "$tmp/m$dp.pcap" $MAC_H1 $MAC_H2 $IP1 $IP2 40000 $dp
	capture_start "$H2" h2 "$tmp/m$dp-got.pcap"
	capture_start "$SINK" k "$tmp/m$dp-sink.pcap"
	capture_start "$NSB" ulb "$tmp/m$dp-ul.pcap"
	send "$H1" h1 "$tmp/m$dp.pcap"
	capture_stop "$tmp/m$dp-got.pcap" $N
	capture_stop "$tmp/m$dp-ul.pcap" $((2 * N))
	capture_stop "$tmp/m$dp-sink.pcap" $N
	capture_check "mirror $acts: h2 gets the frames by GRE, as sent" "$tmp/m$dp.pcap" "$tmp/m$dp-got.pcap"
	ul=$tmp/m$dp-ul.pcap
	check_eq "mirror $acts: the underlay carries $N GRE and $N ERSPAN frames" \
		"$(fields "$ul" 'gre.proto == 0x6558' frame.number | wc -l) $(fields "$ul" erspan frame.number | wc -l)" "$N $N"
	check_eq "mirror $acts: GRE frames keyed $KEY" "$(mismatches "$ul" 'gre.proto == 0x6558' gre.key $KEY)" 0
	check_eq "mirror $acts: IP checksums good" "$(fields "$ul" ip ip.checksum.status | sort -u)" "1,1"
	check_eq "mirror $acts: no malformed frame, no expert info" \
		"$(expert "$ul")" ""
	if [ "$dp" -le 5002 ]; then
		check_eq "mirror $acts: erspan.version 1" "$(mismatches "$ul" erspan erspan.version 1)" 0
		check_eq "mirror $acts: erspan.spanid $SID1" "$(mismatches "$ul" erspan erspan.spanid $SID1)" 0
		check_eq "mirror $acts: erspan.index $IDX1" "$(mismatches "$ul" erspan erspan.index $IDX1)" 0
		check_eq "mirror $acts: ERSPAN to B's first address" "$(mismatches "$ul" erspan ip.dst $UB)" 0
		capture_check "mirror $acts: B decapsulates to ers1, the sink gets the frames as sent" \
			"$tmp/m$dp.pcap" "$tmp/m$dp-sink.pcap"
	else
		check_eq "mirror $acts: erspan.version 2" "$(mismatches "$ul" erspan erspan.version 2)" 0
		check_eq "mirror $acts: erspan.spanid $SID2" "$(mismatches "$ul" erspan erspan.spanid $SID2)" 0
		check_eq "mirror $acts: erspan.direction $DIR2" "$(mismatches "$ul" erspan erspan.direction $DIR2)" 0
		check_eq "mirror $acts: erspan.hw $HWID2" "$(mismatches "$ul" erspan erspan.hw $HWID2)" 0
		check_eq "mirror $acts: ERSPAN to B's second address" "$(mismatches "$ul" erspan ip.dst $UB2)" 0
		check_eq "mirror $acts: nothing reaches the sink" "$(traffic count "$tmp/m$dp-sink.pcap")" 0
		check_eq "mirror $acts: B's ers2 drop flow counts them" \
			"$(b_flow "$T2,in_port(5),eth(src=$MAC_H1,dst=$MAC_H2),eth_type(0x0800),ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no),udp(src=40000,dst=$dp)" packets)" \
			$N
	fi
done
# Each frame twice encapsulated by A, twice decapsulated by B.
check_eq "mirrors: A's tunnel_encap, B's tunnel_decap" \
	"$(($(a_stat tunnel_encap) - ea)) $(($(b_stat tunnel_decap) - db))" "$((8 * N)) $((8 * N))"
check_eq "mirrors: ers1, ers2 tx on A" "$(a_port 4 tx packets) $(a_port 5 tx packets)" \
	"$((2 * N + 1)) $((2 * N + 1))"
check_eq "mirrors: nothing malformed, nothing for no port, no encap failure, no action failed" \
	"$(b_stat tunnel_malformed) $(b_stat tunnel_no_port) $(a_stat tunnel_encap_failed) $(a_stat action_failed) $(b_stat action_failed)" \
	"0 0 0 0 0"

# --- port del ---------------------------------------------------------------------
check "A: port del gre0" fpa port del gre0
show=$(fpa port show)
if ! grep -q 'gre0' <<<"$show" && grep -q 'port 4: ers1' <<<"$show"; then
	pass "A: port show: gre0 gone, ers1 kept"
else
	fail "A: port show after port del gre0: $show"
fi
check_fails "refused: underlay deleted while ers1 and ers2 use it" "is the underlay of tunnel port" \
	fpa port del ula
check "A: port add gre0 again, at the same addresses" fpa port add gre0 --type gre --underlay ula \
	--local-ip $UA --remote-ip $UB --key $KEY --remote-mac $MAC_UB --port 3
check "A: port del gre0, ers1, ers2" bash -c \
	"for p in gre0 ers1 ers2; do nsenter --net=/run/netns/$NSA $FLOWPATH port del \$p --dp $DPA || exit 1; done"
check_eq "A: no tunnel endpoint left" \
	"$(bpftool -j map dump pinned /sys/fs/bpf/flowpath/$DPA/tun_endpoints | "$FP_PY" -c 'import json, sys; print(len(json.load(sys.stdin)))')" 0
check "A: port del ula, no tunnel on it any more" fpa port del ula
check "A: unload" fpa unload
check "B: unload" fpb unload
finish
