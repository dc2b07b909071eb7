#!/usr/bin/env bash
# Bad input to the flowpath CLI: every such command exits non-zero with a
# message naming the problem, and leaves the system as it found it: no new
# pins under bpffs, no clsact qdisc or filter on a device, no port or flow
# in the maps.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_net.sh"

FP_DP=fptcli
FP_SW=fpt-cli-sw
H1=fpt-cli-h1
H2=fpt-cli-h2
PIN=/sys/fs/bpf/flowpath/$FP_DP
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

switch_topology "$H1:02:00:00:00:00:01" "$H2:02:00:00:00:00:02" \
	"$H2:02:00:00:00:00:03"

# Everything a failed command could leave behind: this test's pins (only
# fptcli*: other datapaths may come and go meanwhile), the qdiscs and
# filters of the switch ports, and the datapath's ports, flows and upcall
# limits.
state() {
	find /sys/fs/bpf/flowpath -maxdepth 1 -name 'fptcli*' 2>/dev/null |
		while read -r d; do find "$d" | sort; done
	local d
	for d in s1 s2 s3; do
		echo "== $d"
		tc -n "$FP_SW" qdisc show dev "$d" | grep -v 'qdisc noqueue'
		tc -n "$FP_SW" filter show dev "$d" ingress
		tc -n "$FP_SW" filter show dev "$d" egress
	done
	if [ -d "$PIN" ]; then
		fp port show --dp "$FP_DP" 2>&1
		fp flow dump --dp "$FP_DP" 2>&1
		fp upcall limit --dp "$FP_DP" 2>&1
	fi
}

# bad LABEL PATTERN CMD...: CMD fails saying PATTERN, and state() is the
# same after it as before.
bad() {
	local label=$1 before after
	before=$(state)
	check_fails "$@"
	after=$(state)
	if [ "$before" == "$after" ]; then
		pass "$label: leaves nothing behind"
	else
		fail "$label: changed the system: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]')"
	fi
}

# --- Before any datapath exists ------------------------------------------
bad "no command" "usage" "$FLOWPATH"
bad "unknown command" "unknown command 'bogus'" "$FLOWPATH" bogus
bad "unknown global option" "unknown option '--bogus'" "$FLOWPATH" --bogus stats
bad "unknown load option" "unrecognized option '--bogus'" \
	fp load --dp "$FP_DP" --bogus
bad "load --miss bogus" "--miss 'bogus'.*drop.*pass" \
	fp load --dp "$FP_DP" --miss bogus
for v in -1 1000000001 abc 2x ""; do
	bad "load --upcall-rate '$v'" "upcall rate '$v': expected upcalls per second" \
		fp load --dp "$FP_DP" --upcall-rate "$v"
done
for v in 0 -1 4294967296 abc ""; do
	bad "load --upcall-burst '$v'" "upcall burst '$v': expected a number of upcalls" \
		fp load --dp "$FP_DP" --upcall-burst "$v"
done
bad "load extra argument" "unexpected argument 'extra'" \
	fp load --dp "$FP_DP" extra
bad "load --dp with a slash" "datapath name 'fptcli/x'" \
	fp load --dp fptcli/x
bad "load --dp with a space" "datapath name 'fptcli x'" \
	fp load --dp "fptcli x"
bad "load --dp ''" "datapath name '': must be 1 to" fp load --dp ""
long=fptcli$(printf 'x%.0s' {1..64})
bad "load --dp too long" "datapath name '$long': must be 1 to [0-9]+ characters" \
	fp load --dp "$long"
bad "unknown port subcommand" "unknown subcommand 'frob'" \
	fp port frob --dp "$FP_DP"
bad "port add without a device" "expected a device" \
	fp port add --dp "$FP_DP"

for cmd in "port show" "port add s1" "port del s1" "stats" "unload" \
	"upcall watch --count 1 --timeout 1"; do
	# shellcheck disable=SC2086
	bad "$cmd: datapath not loaded" "datapath $FP_DP is not loaded" \
		fp $cmd --dp "$FP_DP"
done
f='in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.0.2.1,dst=198.51.100.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1234,dst=53)'
for cmd in dump flush "add $f 2" "del $f" "get $f"; do
	# shellcheck disable=SC2086
	bad "flow ${cmd%% *}: datapath not loaded" \
		"datapath $FP_DP is not loaded" fp flow $cmd --dp "$FP_DP"
done

# bpffs not mounted: FLOWPATH_BPFFS names a plain directory.
mkdir "$tmp/plain"
for cmd in "load" "port show" "stats" "unload"; do
	# shellcheck disable=SC2086
	bad "$cmd: bpffs not mounted" "bpffs is not mounted at $tmp/plain" \
		env FLOWPATH_BPFFS="$tmp/plain" nsenter --net="/run/netns/$FP_SW" \
		"$FLOWPATH" $cmd --dp "$FP_DP"
done
check_eq "bpffs not mounted: nothing written to the plain directory" \
	"$(find "$tmp/plain" -mindepth 1)" ""
bad "load: bpffs path missing" "cannot stat $tmp/missing" \
	env FLOWPATH_BPFFS="$tmp/missing" "$FLOWPATH" load --dp "$FP_DP"
check "bpffs path missing: not created" test ! -e "$tmp/missing"

# --- With a loaded datapath ----------------------------------------------
check "load" fp load --dp "$FP_DP"

bad "port add: no such device" "no such device 'nodev'" \
	fp port add nodev --dp "$FP_DP"
bad "port add: device in another namespace" "no such device 'h1'" \
	fp port add h1 --dp "$FP_DP"
for n in 0 256 70000 -1 abc 1x ""; do
	bad "port add --port '$n'" "--port '$n': expected a number from 1 to 255" \
		fp port add s1 --port "$n" --dp "$FP_DP"
done
bad "port add: two devices" "unexpected argument 's2'" \
	fp port add s1 s2 --dp "$FP_DP"

check "port add s1 --port 1" fp port add s1 --port 1 --dp "$FP_DP"
bad "upcall limit: not a port" "'s2' is not a port of datapath $FP_DP" \
	fp upcall limit --port s2 --rate 5 --dp "$FP_DP"
bad "upcall limit --rate x" "upcall rate 'x': expected" \
	fp upcall limit --port s1 --rate x --dp "$FP_DP"
bad "upcall limit --burst 0" "upcall burst '0': expected" \
	fp upcall limit --burst 0 --dp "$FP_DP"
bad "upcall limit extra argument" "unexpected argument 'extra'" \
	fp upcall limit extra --dp "$FP_DP"
bad "upcall: unknown subcommand" "expected 'watch' or 'limit'" \
	fp upcall frob --dp "$FP_DP"
bad "port add: number taken" "port 1 is already s1" \
	fp port add s2 --port 1 --dp "$FP_DP"
bad "port add: already a port" "s1 is already port 1 of datapath $FP_DP" \
	fp port add s1 --dp "$FP_DP"
bad "port add: already a port, other number" "s1 is already port 1" \
	fp port add s1 --port 5 --dp "$FP_DP"
bad "port del: device not a port" "has no port 's2'" \
	fp port del s2 --dp "$FP_DP"
bad "port del: number not a port" "has no port '7'" \
	fp port del 7 --dp "$FP_DP"
bad "port del: number out of range" "has no port '300'" \
	fp port del 300 --dp "$FP_DP"
bad "stats: extra argument" "unexpected argument 'x'" \
	fp stats x --dp "$FP_DP"

# (tc -n, like ip netns exec, remounts /sys and so hides bpffs: nsx.)
# A device whose flowpath slot at tc ingress is already taken, by a filter
# attached by hand: the attach fails, that filter and the qdisc stay as they
# were, and the port is not added.
tc -n "$FP_SW" qdisc add dev s3 clsact &&
	nsx "$FP_SW" tc filter add dev s3 ingress pref 49152 handle 0xf1 \
		bpf da object-pinned "$PIN/progs/parser" ||
	fail "cannot attach a filter to s3 by hand"
by_hand=$(filter_prog_id "$FP_SW" s3)
bad "port add: tc slot taken" "s3: a filter .* is already attached" \
	fp port add s3 --dp "$FP_DP"
check_eq "port add: tc slot taken: the hand-attached filter stays" \
	"$(filter_prog_id "$FP_SW" s3)" "$by_hand"

# Flows: bad syntax names its token; nothing reaches the flow table.
bad "flow add: unknown field" "unknown key attribute 'bogus'" \
	fp flow add "${f/eth_type/bogus(1),eth_type}" 2 --dp "$FP_DP"
bad "flow add: bad MAC" "bad MAC address '02:00:00:00:00:zz'" \
	fp flow add "${f/src=02:00:00:00:00:01/src=02:00:00:00:00:zz}" 2 \
	--dp "$FP_DP"
acts=$(printf '2,%.0s' {1..33})
bad "flow add --datapath-only: 33 actions" "too many actions.*at most 32 \(--datapath-only\)" \
	fp flow add --datapath-only "$f" "${acts%,}" --dp "$FP_DP"
acts=$(printf '2,%.0s' {1..257})
bad "flow add: 257 actions" "too many actions.*slow-path flow holds at most 256" \
	fp flow add "$f" "${acts%,}" --dp "$FP_DP"
bad "flow add: output port out of range" "port '999' out of range" \
	fp flow add "$f" 999 --dp "$FP_DP"
bad "flow add: no actions argument" "expected a flow and its actions" \
	fp flow add "$f" --dp "$FP_DP"
bad "flow: unknown subcommand" "unknown subcommand 'frob'" \
	fp flow frob --dp "$FP_DP"
bad "flow del: no such flow" "has no flow .*udp\(src=1234,dst=53\)" \
	fp flow del "$f" --dp "$FP_DP"
acts=$(printf '2,%.0s' {1..32})
check "flow add: 32 actions" fp flow add "$f" "${acts%,}" --dp "$FP_DP"
bad "flow add: the flow exists" "already has flow" \
	fp flow add "$f" 2 --dp "$FP_DP"
check "flow del" fp flow del "$f" --dp "$FP_DP"

# --- Unload: everything flowpath made goes, what it did not make stays ----
check "unload" fp unload --dp "$FP_DP"
check_eq "unload: no pins" "$(ls -d /sys/fs/bpf/flowpath/fptcli* 2>/dev/null)" ""
check_eq "unload: s1's clsact qdisc removed" \
	"$(tc -n "$FP_SW" qdisc show dev s1 | grep clsact)" ""
check_eq "unload: s1 has no filter" \
	"$(tc -n "$FP_SW" filter show dev s1 ingress)" ""
check_eq "unload: s3's hand-attached filter stays" \
	"$(filter_prog_id "$FP_SW" s3)" "$by_hand"
check "unload: s3's clsact qdisc stays" \
	bash -c "tc -n $FP_SW qdisc show dev s3 | grep -q clsact"
bad "unload twice" "datapath $FP_DP is not loaded" fp unload --dp "$FP_DP"

finish
