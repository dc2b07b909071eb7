#!/usr/bin/env bash
# flowpath flow add/set/get/del/dump/flush on a loaded datapath: output as
# ovs-dpctl prints it, stats slots (allocated, zeroed, kept, freed, reused),
# stats of real traffic, and bad input refused with a message naming the
# token, changing nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

FP_DP=fptflow
FP_SW=fpt-flow-sw
H1=fpt-flow-h1
H2=fpt-flow-h2
PIN=/sys/fs/bpf/flowpath/$FP_DP
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

switch_topology "$H1:02:00:00:00:00:01" "$H2:02:00:00:00:00:02"
check "load" fp load --dp "$FP_DP"
check_eq "s1 is port 1" "$(fp port add s1 --dp "$FP_DP")" \
	"s1 is port 1 of datapath $FP_DP"
check_eq "s2 is port 2" "$(fp port add s2 --dp "$FP_DP")" \
	"s2 is port 2 of datapath $FP_DP"

flow() { fp flow "$@" --dp "$FP_DP"; }
# The dump without its stats, which move with time; sorted, as the table's
# order is the hash's.
shape() { flow dump | sed 's/, packets:.*, actions:/, actions:/' | sort; }
# re TEXT: TEXT as an extended regex that matches only itself.
re() { sed 's/[][(){}.*+?^$|\\]/\\&/g' <<<"$1"; }
# The flow_stats slot of the flow keyed by in_port(PORT) alone.
slot_of() {
	bpftool -j map dump pinned "$PIN/flow_table" | "$FP_PY" -c '
import json, sys
for e in json.load(sys.stdin):
    f = e["formatted"]
    if f["key"]["in_port"] == int(sys.argv[1]):
        print(f["value"]["stats_idx"])' "$1"
}
# set_stats SLOT PACKETS BYTES SECONDS_AGO TCP_FLAGS: every CPU's copy of a
# slot, as if the datapath had counted packets there.
set_stats() {
	local hex
	hex=$("$FP_PY" -c '
import struct, sys, time
p, b, ago, fl = (int(x, 0) for x in sys.argv[1:])
used = time.clock_gettime_ns(time.CLOCK_MONOTONIC) - ago * 10**9 if ago >= 0 else 0
print(" ".join("%02x" % c for c in struct.pack("<QQQHHHH", p, b, used, fl, 0, 0, 0)))' \
		"$2" "$3" "$4" "$5")
	# shellcheck disable=SC2086
	bpftool map update pinned "$PIN/flow_stats" key $(printf '%d 0 0 0' "$1") \
		value hex $hex
}
ncpus=$("$FP_PY" -c '
n = 0
for r in open("/sys/devices/system/cpu/possible").read().strip().split(","):
    a, _, b = r.partition("-")
    n += int(b or a) - int(a) + 1
print(n)')

F='in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)'
C="recirc_id(0),$F" # F as dump-flows prints it
G='in_port(2),eth(src=02:00:00:00:00:02,dst=02:00:00:00:00:01),eth_type(0x86dd),ipv6(src=2001:db8::2,dst=2001:db8::1,label=0,proto=6,tclass=0,hlimit=64,frag=no),tcp(src=80,dst=40000),tcp_flags(syn|ack)'

# --- add, get, dump -----------------------------------------------------
check_eq "dump: empty table" "$(flow dump)" ""
check "add" flow add "$F" 2
check_eq "dump: one line, as ovs-dpctl dump-flows" "$(flow dump)" \
	"$C, packets:0, bytes:0, used:never, actions:2"
check_eq "get" "$(flow get "$F")" "$(flow dump)"
# The same key written another way: attribute order, spaces, hex.
check_eq "get: the same key written otherwise" \
	"$(flow get ' udp(dst=0x35,src=1234) ipv4(ttl=64,frag=no,proto=17,src=192.0.2.1,dst=198.51.100.2),eth_type(0x800), eth(dst=02:00:00:00:00:02,src=02:00:00:00:00:01),in_port(1)')" \
	"$C, packets:0, bytes:0, used:never, actions:2"
check_fails "add: refused when the flow is there" \
	"$(re "datapath $FP_DP already has flow $C (use 'flow set' or --may-exist")" \
	flow add "$F" 3
check_eq "add: refused, the flow is unchanged" "$(shape)" "$C, actions:2"
check "add --may-exist replaces" flow add --may-exist "$F" 3
check_eq "add --may-exist: new actions" "$(shape)" "$C, actions:3"
check "set replaces" flow set "$F" 2,1
check_eq "set: new actions" "$(shape)" "$C, actions:2,1"
check "set installs a flow that is not there" flow set "$G" drop
check_eq "dump: both flows" "$(shape)" \
	"$(printf '%s\n' "$C, actions:2,1" "recirc_id(0),$G, actions:drop" | sort)"
check "del" flow del "$G"
check_eq "del: gone from the dump" "$(shape)" "$C, actions:2,1"
check_fails "get: no such flow" "$(re "datapath $FP_DP has no flow recirc_id(0),$G")" \
	flow get "$G"
check_fails "del: no such flow" "$(re "datapath $FP_DP has no flow recirc_id(0),$G")" \
	flow del "$G"
check "flush" flow flush
check_eq "flush: empty table" "$(flow dump)" ""
check "flush an empty table" flow flush

# --- stats slots ----------------------------------------------------------
for p in 101 102 103; do flow add "in_port($p)" 2; done
a=$(slot_of 101) b=$(slot_of 102) c=$(slot_of 103)
check_eq "slots: three flows, three slots, lowest first" "$a $b $c" "0 1 2"

set_stats "$b" 5 500 2 0x12
line=$(flow get 'in_port(102)')
check_eq "stats: summed over $ncpus CPUs" \
	"$(sed 's/used:[0-9.]*s/used:T/' <<<"$line")" \
	"recirc_id(0),in_port(102), packets:$((5 * ncpus)), bytes:$((500 * ncpus)), used:T, flags:S., actions:2"
used=$(grep -o 'used:[0-9.]*s' <<<"$line" | tr -dc '0-9.')
if awk -v u="$used" 'BEGIN { exit !(u >= 1.9 && u < 30) }'; then
	pass "stats: used is seconds ago ($used)"
else
	fail "stats: used: $line"
fi
check_eq "stats: other flows' slots untouched" "$(flow get 'in_port(101)')" \
	"recirc_id(0),in_port(101), packets:0, bytes:0, used:never, actions:2"

check "set keeps the stats" flow set 'in_port(102)' 1,2
check_eq "set: same slot" "$(slot_of 102)" "$b"
check_eq "set: stats carried on" \
	"$(flow get 'in_port(102)' | grep -o 'packets:[0-9]*, bytes:[0-9]*')" \
	"packets:$((5 * ncpus)), bytes:$((500 * ncpus))"
check "set --clear" flow set --clear 'in_port(102)' 1,2
check_eq "set --clear: stats restart" "$(flow get 'in_port(102)')" \
	"recirc_id(0),in_port(102), packets:0, bytes:0, used:never, actions:1,2"
check_eq "set --clear: same slot" "$(slot_of 102)" "$b"

# A freed slot is reused, and what it counted before does not show.
set_stats "$b" 7 700 1 0
check "del frees the slot" flow del 'in_port(102)'
check "add after del" flow add 'in_port(104)' 2
check_eq "slots: the freed slot is reused" "$(slot_of 104)" "$b"
check_eq "slots: a reused slot starts at zero" "$(flow get 'in_port(104)')" \
	"recirc_id(0),in_port(104), packets:0, bytes:0, used:never, actions:2"
check "flush" flow flush
check_eq "flush: empty table" "$(flow dump)" ""

# --- real traffic ---------------------------------------------------------
traffic udp "$tmp/in.pcap" --count 20 --src-mac 02:00:00:00:00:01 \
	--dst-mac 02:00:00:00:00:02 --src-ip 192.0.2.1 --dst-ip 198.51.100.2 \
	--sport 1234 --dport 53 --ttl 64
check "traffic: flow from s1 to s2" flow add "$F" 2
if capture_start "$H2" h2 "$tmp/out.pcap"; then
	nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/in.pcap" >/dev/null
	capture_stop "$tmp/out.pcap" 20
	capture_check "traffic: the frames came out of s2" "$tmp/in.pcap" "$tmp/out.pcap"
fi
check_eq "traffic: packets counted" "$(flow_counter "$C" packets)" 20
check_eq "traffic: bytes counted" "$(flow_counter "$C" bytes)" \
	"$(traffic bytes "$tmp/in.pcap")"
line=$(flow get "$F")
if grep -qE 'used:[0-9]+\.[0-9]{3}s, actions:2$' <<<"$line"; then
	pass "traffic: used is set"
else
	fail "traffic: used: $line"
fi

# --- OVS's own parser reads the dump --------------------------------------
# python3-openvswitch's ovs.flow decodes dump-flows lines; it needs netaddr.
V='in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x88a8),vlan(vid=300,pcp=2),encap(eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0x12345,proto=58,tclass=0x3,hlimit=255,frag=no),icmpv6(type=135,code=0),nd(target=2001:db8::99,sll=02:00:00:00:00:01,tll=00:00:00:00:00:00))'
T='tunnel(tun_id=0xfedcba9876543210,src=10.0.0.1,dst=10.0.0.2,tos=0x8,ttl=128,erspan(ver=2,dir=1,hwid=0x7),flags(df|key)),in_port(2),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0806),arp(sip=1.2.3.4,tip=5.6.7.8,op=1,sha=00:0f:10:11:12:13,tha=00:14:15:16:17:18)'
if "$FP_PY" -c 'import ovs.flow.odp' 2>/dev/null; then
	flow add "$G" 1,2 && flow add "$V" drop && flow add "$T" 1
	out=$(flow dump | "$FP_PY" -c '
import ipaddress, re, sys
from ovs.flow.odp import ODPFlow

def split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "," and depth == 0:
            out.append(cur); cur = ""; continue
        depth += ch == "("; depth -= ch == ")"
        cur += ch
    return out + [cur] if cur else out

def ours(s):  # our key text as nested dicts of strings
    d = {}
    for item in split_top(s):
        m = re.match(r"^([a-z_0-9]+)\((.*)\)$", item)
        if m:
            n, body = m.groups()
            d[n] = ours(body) if n in ("encap", "tunnel", "erspan") or \
                ("=" in body and n != "tcp_flags") else body
        else:
            k, _, v = item.partition("=")
            d[k] = v
    return d

def agree(a, b):  # a: ours, b: what OVS decoded
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and \
            all(agree(a[k], b[k]) for k in a)
    b = str(b).rsplit("/", 1)[0] if re.search(r"/(32|128)$", str(b)) else str(b)
    for conv in (lambda s: int(s, 0), ipaddress.ip_address,
                 lambda s: [int(p, 16) for p in s.split(":")],
                 lambda s: set(re.findall(r"[a-z]+|\[\d+\]", s)) - {"true"}):
        try:
            if conv(a) == conv(b):
                return True
        except Exception:
            pass
    return False

for line in sys.stdin:
    line = line.strip()
    key, rest = line.split(", packets:", 1)
    f = ODPFlow(line)
    got = {kv.key: kv.value for kv in f.match_kv}
    info = {kv.key: kv.value for kv in f.info_kv}
    acts = ",".join(str(kv.value) for kv in f.actions_kv)
    ok = agree(ours(key), got) and str(info["packets"]) in rest
    print(("same" if ok else "DIFFERENT") + ": " + key + " actions:" + acts)
' 2>&1)
	n=$(grep -c '^same: ' <<<"$out")
	if [ "$n" -eq 4 ] && ! grep -qv '^same: ' <<<"$out"; then
		pass "OVS's ovs.flow.odp reads every dump line as flowpath means it"
	else
		fail "OVS's ovs.flow.odp: $out"
	fi
	flow del "$G" && flow del "$V" && flow del "$T"
else
	skip "cross-check with OVS's ovs.flow.odp: python3-openvswitch or python3-netaddr missing"
fi

# --- more than 32 actions: the slow path's, its whole list kept ----------
# The flow table entry is marked slow_path and holds the first 32; the
# list is in slow_actions under the same key, and goes with the flow.
S="${F/dst=53/dst=77}"
long="push_vlan(vid=7,pcp=1),$(printf '2,%.0s' {1..40})pop_vlan,1"
slow_lists() { bpftool -j map dump pinned "$PIN/slow_actions" | "$FP_PY" -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
check "flow add: 43 actions" flow add "$S" "$long"
check_eq "flow get prints all 43 actions" \
	"$(flow get "$S" | sed 's/.*, actions://')" "$long"
check_eq "flow dump prints all 43 too" \
	"$(flow dump | grep -F "dst=77" | sed 's/.*, actions://')" "$long"
check_eq "slow_actions holds one list" "$(slow_lists)" 1
check_eq "the flow table entry is marked slow_path, 32 actions" \
	"$(bpftool -j map dump pinned "$PIN/flow_table" | "$FP_PY" -c '
import json, sys
for e in json.load(sys.stdin):
    v = e["formatted"]["value"]
    if e["formatted"]["key"]["tp_dst"] == 77 * 256:
        print(v["flags"], v["n_actions"])')" "1 32"
check "flow set to 2 actions" flow set "$S" 2,1
check_eq "replaced by a short flow: its list is gone" "$(slow_lists)" 0
check_eq "and the flow is the datapath's again" \
	"$(flow get "$S" | sed 's/.*, actions://')" "2,1"
check "flow set back to 43" flow set "$S" "$long"
check "flow del" flow del "$S"
check_eq "flow del removes the list" "$(slow_lists)" 0
check "flow add: 43 actions, again" flow add "$S" "$long"
check "flow flush" flow flush
check_eq "flow flush removes the lists" "$(slow_lists)" 0
check_eq "flow flush: no flows" "$(flow dump)" ""

# --- bad input: refused, names the token, changes nothing -----------------
flow set "$F" 2
before=$(shape)
bad() {
	check_fails "$@"
	check_eq "$1: table unchanged" "$(shape)" "$before"
}
bad "unknown field" "$(re "unknown field 'foo' in ipv4(...)")" \
	flow add "${F/ttl=64/foo=1}" 2
bad "unknown attribute" "$(re "unknown key attribute 'bogus'")" \
	flow add "${F/eth_type/bogus(1),eth_type}" 2
bad "bad MAC" "$(re "bad MAC address '02:00:00:00:00:zz' for eth(src=...)")" \
	flow add "${F/src=02:00:00:00:00:01/src=02:00:00:00:00:zz}" 2
bad "bad IP" "$(re "bad IPv4 address '192.0.2.300' for ipv4(src=...)")" \
	flow add "${F/192.0.2.1/192.0.2.300}" 2
bad "value out of range" "$(re "value '300' out of range for ipv4(ttl=...): expected 0 to 255")" \
	flow add "${F/ttl=64/ttl=300}" 2
bad "unbalanced parentheses" "$(re "unbalanced parentheses: 'udp(' is not closed")" \
	flow add "${F%)}" 2
bad "trailing garbage" "$(re "trailing garbage 'x' after udp(...)")" \
	flow add "${F}x" 2
bad "attribute that does not fit" "$(re "tcp(...) does not fit this flow")" \
	flow add "${F/udp/tcp}" 2
acts=$(printf '2,%.0s' {1..32})
bad "too many actions, --datapath-only" "$(re "flow add: too many actions: '9' would be action 33, a flow holds at most 32 (--datapath-only)")" \
	flow add --datapath-only "$G" "${acts}9"
acts=$(printf '2,%.0s' {1..256})
bad "too many actions for the slow path" "$(re "too many actions: '9' would be action 257, a slow-path flow holds at most 256")" \
	flow add "$G" "${acts}9"
bad "--datapath-only is for add and set" "$(re "flow del: --datapath-only is for")" \
	flow del --datapath-only "$G"
bad "unknown action" "$(re "unknown action 'foo'")" flow add "$G" 2,foo
bad "action port out of range" "$(re "port '0' out of range")" flow add "$G" 0
bad "no actions" "$(re "flow add: expected a flow and its actions")" flow add "$G"
bad "extra argument" "$(re "unexpected argument 'extra'")" flow add "$G" 2 extra
bad "unknown subcommand" "$(re "unknown subcommand 'frob'")" flow frob
bad "--may-exist is for add" "$(re "flow set: --may-exist is for flow add")" \
	flow set --may-exist "$G" 2
bad "--clear is for add and set" "$(re "flow del: --clear is for")" \
	flow del --clear "$G"
bad "get: no such flow" "has no flow" flow get "$G"
for sub in "add $F 2" "del $F" "get $F" "dump" "flush"; do
	# shellcheck disable=SC2086
	bad "$sub: datapath not loaded" "$(re "datapath fptflow-none is not loaded")" \
		fp flow $sub --dp fptflow-none
done

# --- leave nothing behind -------------------------------------------------
check "flush at the end" flow flush
check "unload" fp unload --dp "$FP_DP"
check_eq "unload: no pins" "$(ls -d "$PIN" 2>/dev/null)" ""
finish
