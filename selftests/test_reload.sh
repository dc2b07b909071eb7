#!/usr/bin/env bash
# Upgrading a loaded datapath in place ('flowpath load' again) while traffic
# of an installed flow runs through it: every packet arrives, byte for byte,
# and the flow, its counters, the ports and the maps survive. An upgrade
# that meets a pin it cannot take over fails, names the map and what
# differs, and leaves the datapath exactly as it was.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

FP_DP=fptreload
FP_SW=fpt-rl-sw
H1=fpt-rl-h1
H2=fpt-rl-h2
PIN=/sys/fs/bpf/flowpath/$FP_DP
N=3000      # frames in the stream
RATE=1000   # frames a second: the stream lasts N/RATE seconds
MIN_RELOADS=5
MAX_RELOADS=40
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

MAC1=02:00:00:00:00:01 MAC2=02:00:00:00:00:02
IP1=192.0.2.1 IP2=198.51.100.2
FLOW="in_port(1),eth(src=$MAC1,dst=$MAC2),eth_type(0x0800),ipv4(src=$IP1,dst=$IP2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)"

switch_topology "$H1:$MAC1" "$H2:$MAC2"

check "load" fp load --dp "$FP_DP"
check "port add s1" fp port add s1 --port 1 --dp "$FP_DP"
check "port add s2" fp port add s2 --port 2 --dp "$FP_DP"
check "flow add" fp flow add "$FLOW" 2 --dp "$FP_DP"

traffic udp "$tmp/stream.pcap" --count "$N" --src-mac "$MAC1" --dst-mac "$MAC2" \
	--src-ip "$IP1" --dst-ip "$IP2" --sport 1234 --dport 53 ||
	fail "cannot generate the stream"
traffic udp "$tmp/ten.pcap" --count 10 --src-mac "$MAC1" --dst-mac "$MAC2" \
	--src-ip "$IP1" --dst-ip "$IP2" --sport 1234 --dport 53
len=$(($(traffic bytes "$tmp/stream.pcap") / N))

# Ids of every pinned map and program: maps must survive an upgrade,
# programs must be replaced by it.
map_ids() {
	local f
	for f in "$PIN"/*; do
		[ -d "$f" ] && continue
		echo "$(basename "$f") $(bpftool map show pinned "$f" | awk -F: 'NR == 1 { print $1 }')"
	done
}
prog_ids() {
	local f
	for f in "$PIN"/progs/*; do
		echo "$(basename "$f") $(bpftool prog show pinned "$f" | awk -F: 'NR == 1 { print $1 }')"
	done
	echo "filter:s1 $(filter_prog_id "$FP_SW" s1)"
	echo "filter:s2 $(filter_prog_id "$FP_SW" s2)"
}
maps_before=$(map_ids)
progs_before=$(prog_ids)
ports_before=$(fp port show --dp "$FP_DP" | grep '^  port')

# --- Reload, again and again, while the stream runs -----------------------
# A reload counts as overlapping the traffic if the flow's packet counter
# moved both since the previous reload and after this one.
capture_start "$H2" h2 "$tmp/got.pcap"
nsenter --net="/run/netns/$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" \
	send h1 "$tmp/stream.pcap" --rate "$RATE" >"$tmp/sent" 2>&1 &
sender=$!
at_exit "kill $sender"
reloads=0 failed_reloads=0 overlapped=0
prev=$(port_counter 1 rx packets)
while kill -0 "$sender" 2>/dev/null && [ "$reloads" -lt "$MAX_RELOADS" ]; do
	sleep 0.1
	before=$(port_counter 1 rx packets)
	if out=$(fp load --dp "$FP_DP" 2>&1) && [[ $out == *upgraded* ]]; then
		reloads=$((reloads + 1))
	else
		failed_reloads=$((failed_reloads + 1))
		echo "reload failed: $out"
	fi
	sleep 0.05
	after=$(port_counter 1 rx packets)
	[ "$before" -gt "$prev" ] && [ "$after" -gt "$before" ] &&
		overlapped=$((overlapped + 1))
	prev=$after
done
wait "$sender"
check_eq "sender sent every frame" "$(cat "$tmp/sent")" "$N"
capture_stop "$tmp/got.pcap" "$N"

check_eq "every reload succeeded" "$failed_reloads" 0
if [ "$overlapped" -ge "$MIN_RELOADS" ]; then
	pass "$overlapped of $reloads reloads ran in the middle of the stream"
else
	fail "only $overlapped of $reloads reloads ran in the middle of the stream (need $MIN_RELOADS)"
fi
check_eq "frames received" "$(traffic count "$tmp/got.pcap")" "$N"
capture_check "received frames equal sent frames" "$tmp/stream.pcap" "$tmp/got.pcap"
check_eq "flow packets" "$(flow_counter "$FLOW" packets)" "$N"
check_eq "flow bytes" "$(flow_counter "$FLOW" bytes)" "$((N * len))"
check_eq "port 1 rx packets" "$(port_counter 1 rx packets)" "$N"
check_eq "port 2 tx packets" "$(port_counter 2 tx packets)" "$N"
check_eq "port 2 tx dropped" "$(port_counter 2 tx dropped)" 0
check_eq "stats hit" "$(stat_counter hit)" "$N"
check_eq "stats missed" "$(stat_counter missed)" 0
check_eq "stats tail_call_failed" "$(stat_counter tail_call_failed)" 0

# --- What an upgrade keeps and what it replaces ----------------------------
check_eq "upgrade keeps every map" "$(map_ids)" "$maps_before"
check_eq "upgrade keeps the ports" \
	"$(fp port show --dp "$FP_DP" | grep '^  port')" "$ports_before"
check "upgrade keeps the flow" \
	bash -c "nsenter --net=/run/netns/$FP_SW $FLOWPATH flow get '$FLOW' --dp $FP_DP | grep -q 'actions:2'"
progs_after=$(prog_ids)
changed=$(join <(echo "$progs_before") <(echo "$progs_after") |
	awk '$2 != $3 && $3 != "" { n++ } END { print n + 0 }')
check_eq "upgrade replaced every program and both filters" "$changed" \
	"$(echo "$progs_before" | wc -l)"
check_eq "filters run the pinned parser" \
	"$(filter_prog_id "$FP_SW" s1) $(filter_prog_id "$FP_SW" s2)" \
	"$(pinned_prog_id "$FP_DP" parser) $(pinned_prog_id "$FP_DP" parser)"

# --miss is kept by an upgrade that does not give it.
traffic udp "$tmp/miss.pcap" --count 1 --src-mac "$MAC1" --dst-mac "$MAC2" \
	--src-ip "$IP1" --dst-ip "$IP2" --sport 1234 --dport 54
check "load --miss pass" fp load --dp "$FP_DP" --miss pass
check "load without --miss" fp load --dp "$FP_DP"
nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/miss.pcap" >/dev/null
check_eq "miss passed after an upgrade without --miss: missed" \
	"$(stat_counter missed)" 1
check_eq "miss passed after an upgrade without --miss: miss_dropped" \
	"$(stat_counter miss_dropped)" 0
check "load --miss drop" fp load --dp "$FP_DP" --miss drop
nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/miss.pcap" >/dev/null
check_eq "miss dropped after --miss drop" "$(stat_counter miss_dropped)" 1

# --- An upgrade that cannot take over a pin changes nothing ---------------
# forwards LABEL: ten frames of the flow still cross the datapath.
forwards() {
	capture_start "$H2" h2 "$tmp/ten-got.pcap"
	nsx "$H1" "$FP_PY" "$FP_TOP/selftests/traffic.py" send h1 "$tmp/ten.pcap" >/dev/null
	capture_stop "$tmp/ten-got.pcap" 10
	capture_check "$1" "$tmp/ten.pcap" "$tmp/ten-got.pcap"
}
# refused LABEL PATTERN BREAK RESTORE: with the pins broken by BREAK, load
# fails saying PATTERN and changes no pin, program or filter, and traffic
# still flows; once RESTORE has put the pins back, ports and flows are as
# they were. (flowpath refuses to open a datapath of another ABI, so ports
# and flows are compared with the pins put back.)
refused() {
	local label=$1 pattern=$2 maps progs ports flows
	ports=$(fp port show --dp "$FP_DP" | grep '^  port')
	flows=$(fp flow dump --dp "$FP_DP" | sed 's/, packets:.*actions:/, actions:/')
	$3 || { fail "$label: cannot break the pins"; return; }
	maps=$(map_ids) progs=$(prog_ids)
	check_fails "$label" "$pattern" fp load --dp "$FP_DP"
	check_eq "$label: maps untouched" "$(map_ids)" "$maps"
	check_eq "$label: programs and filters untouched" "$(prog_ids)" "$progs"
	forwards "$label: still forwards"
	$4 || { fail "$label: cannot restore the pins"; return; }
	check_eq "$label: ports untouched" \
		"$(fp port show --dp "$FP_DP" | grep '^  port')" "$ports"
	check_eq "$label: flows untouched" \
		"$(fp flow dump --dp "$FP_DP" | sed 's/, packets:.*actions:/, actions:/')" "$flows"
}

# A flow_table of another shape: keep the real one at a second pin, put an
# impostor at its name; then put the real one back.
ft_id=$(bpftool map show pinned "$PIN/flow_table" | awk -F: 'NR == 1 { print $1 }')
key_size=$(bpftool map show pinned "$PIN/flow_table" | awk '$1 == "key" { print $2 + 0 }')
break_flow_table() {
	bpftool map pin id "$ft_id" "$PIN/flow_table_saved" &&
		rm "$PIN/flow_table" &&
		bpftool map create "$PIN/flow_table" type hash key 8 value 8 \
			entries 16 name flow_table
}
restore_flow_table() {
	rm -f "$PIN/flow_table" && mv "$PIN/flow_table_saved" "$PIN/flow_table"
}
refused "incompatible flow_table" \
	"map $PIN/flow_table has key size 8, this flowpath needs [0-9]+" \
	break_flow_table restore_flow_table

# dp_config written by another ABI version: the value as it is, with its
# abi_version (bytes 4-7) patched to 99.
cfg_now=$(bpftool -j map lookup pinned "$PIN/dp_config" key hex 00 00 00 00 |
	"$FP_PY" -c 'import json, sys; print(" ".join(b[2:] for b in json.load(sys.stdin)["value"]))')
# shellcheck disable=SC2086
set_cfg() { bpftool map update pinned "$PIN/dp_config" key hex 00 00 00 00 value hex $1; }
break_cfg() { set_cfg "$(awk '{ $5 = "63"; $6 = $7 = $8 = "00"; print }' <<<"$cfg_now")"; }
restore_cfg() { set_cfg "$cfg_now"; }
refused "dp_config of another ABI" \
	"datapath $FP_DP was loaded by an incompatible flowpath \(abi 99" \
	break_cfg restore_cfg
check "load after the pins are put back" fp load --dp "$FP_DP"
forwards "forwards after the pins are put back"

# A scratch datapath holding only an incompatible flow_table: load fails,
# names the map and the difference, and removes nothing it did not create.
BAD=fptrlbad
track_dp "$BAD"
if [ ! -d /sys/fs/bpf/flowpath ]; then
	mkdir /sys/fs/bpf/flowpath
	at_exit "rmdir /sys/fs/bpf/flowpath"
fi
mkdir -p "/sys/fs/bpf/flowpath/$BAD"
bpftool map create "/sys/fs/bpf/flowpath/$BAD/flow_table" type hash key "$key_size" \
	value 8 entries 16 name flow_table || fail "cannot pin the scratch flow_table"
bad_id=$(bpftool map show pinned "/sys/fs/bpf/flowpath/$BAD/flow_table" | awk -F: 'NR == 1 { print $1 }')
check_fails "load over an incompatible flow_table" \
	"/sys/fs/bpf/flowpath/$BAD/flow_table has value size 8, this flowpath needs [0-9]+" \
	"$FLOWPATH" load --dp "$BAD"
check_eq "refused load left only the old pin" \
	"$(cd "/sys/fs/bpf/flowpath/$BAD" && ls -A)" "flow_table"
check_eq "refused load kept the old map" \
	"$(bpftool map show pinned "/sys/fs/bpf/flowpath/$BAD/flow_table" | awk -F: 'NR == 1 { print $1 }')" \
	"$bad_id"

check "unload" fp unload --dp "$FP_DP"
check "unload removed the pins" test ! -e "$PIN"

finish
