#!/usr/bin/env bash
# flowpath's benchmarks: the forwarding rate of flowpath and its peers on
# the same traffic in the same run, each as a ratio to a one-helper TC
# bpf_redirect program (the paper's Tables 1 to 3); the cost of each BPF
# stage under BPF_PROG_TEST_RUN; where the time goes; the verifier's
# figures. Writes OUT/latest.md, latest.csv, runs.csv and latest.png, and
# prints one line per system.
#
# usage: bench/run.sh BUILD_DIR [--smoke] [--out DIR] [--runs N]
#                    [--duration SEC] [--warmup SEC] [--size BYTES] [--flows N]
#                    [--systems ID,ID...] [--compare BUILD_DIR]
#
#   make bench   runs it on build/ with the defaults, into bench/results
#   --smoke      one short run per system, no profiling: a check that the
#                harness works (selftests/test_bench_smoke.sh), no figures
#   --systems    only these systems of the table below (and the baseline);
#                'setup' is the flow setup benchmark (see Flow setup below)
#   --compare    each flowpath system again, as o + ID (label "... [old]"),
#                loaded by BUILD_DIR's flowpath (say, the commit before a
#                change): both sides in the same run, interleaved
#
# Topology, in network namespaces only, one DUT namespace per system (all
# alike, so that runs of different systems can be interleaved cheaply):
#
#   fpt-bench-gen           fpt-bench-dut-ID                 fpt-bench-sink
#   g-ID ----- veth ----- in-ID ==[system]==> out-ID ----- veth ----- k-ID
#   generator: fpb_gen      GRO on, threaded NAPI            fpb_sink (XDP):
#   in live-frames mode     pinned to the DUT CPU            counts, drops
#   on the generator CPU
#
# The generator's XDP_TX puts frames on in-ID's ring; the DUT's NAPI thread
# turns them into skbs and the system forwards them to out-ID; the sink
# counts them in the softirq that the DUT's transmit raises, on the DUT's
# CPU, much as a NIC's transmit costs its CPU. The generator offers more
# than any system forwards, so each DUT is saturated (in-ID's ring
# overflows, counted) and the sink's count is the forwarded rate.
#
# The AF_XDP systems (the paper's Table 3) share one DUT namespace,
# fpt-bench-dut-xdp, and its veths in-xdp and out-xdp: each run starts its
# program there (the xsk baseline, flowpath afxdp, or OVS with afxdp ports)
# and stops it after, so that flowpath and the baseline are measured on the
# same veth pair. rxdrop's rate is what in-xdp's XDP program handed to the
# socket (fpbench run --count-redirect: veth's xdp_redirect counters);
# l2fwd sends the frames back out of in-xdp, counted by a sink on g-xdp;
# the full datapath forwards to out-xdp like every other system.
#
# Everything is removed on exit, however it exits: namespaces (and with
# them links, filters and XDP programs), flowpath's pinned datapaths, the
# bpf_stats sysctl, background processes. Runs hold a lock, one at a time.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/run.sh BUILD_DIR [--smoke] [--out DIR] [--runs N] [--duration SEC] [--warmup SEC] [--size BYTES] [--flows N]}
shift
build=$(cd "$build" && pwd) || exit 1
FLOWPATH=$build/flowpath
FPBENCH=$build/bench/fpbench
XSK=$build/bench/xsk_baseline

smoke=0 out=$top/bench/results runs=5 duration=3 warmup=0.5 size=64 flows=1 only=
FLOWPATH_OLD='' OLD_IDS=''
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 runs=1 duration=0.5 warmup=0.2 ;;
	--out) out=$2 && shift ;;
	--runs) runs=$2 && shift ;;
	--duration) duration=$2 && shift ;;
	--warmup) warmup=$2 && shift ;;
	--size) size=$2 && shift ;;
	--flows) flows=$2 && shift ;;
	--systems) only=,$2, && shift ;;
	--compare) FLOWPATH_OLD=$(cd "$2" && pwd)/flowpath && shift ;;
	*) echo "bench: unknown option '$1'" >&2 && exit 2 ;;
	esac
	shift
done

say() { echo "bench: $*" >&2; }
die() {
	say "$*"
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (namespaces, BPF)"
if [ ! -x "$FLOWPATH" ] || [ ! -x "$FPBENCH" ]; then
	die "no $FLOWPATH or $FPBENCH: run make first (make bench builds them)"
fi
[[ $runs =~ ^[1-9][0-9]?$ ]] || die "--runs $runs: 1 to 99"
[ -z "$FLOWPATH_OLD" ] || [ -x "$FLOWPATH_OLD" ] || die "--compare: no $FLOWPATH_OLD"
exec </dev/null

# --- Systems under test ----------------------------------------------------
# One row per system: ID (at most 6 characters: device names are built
# from it), the label the tables use, KIND and ARG for setup_system:
#   bridge, mirred, redirect  the kernel's own forwarding
#   flowpath ACTIONS          flowpath's TC datapath, one flow per generated
#                             flow with ACTIONS (port 2 is the way out);
#                             not run, and said so, while flowpath does not
#                             take ACTIONS in BPF (fpbench actions)
#   xsk MODE                  bench/xsk_baseline (build/bench/xsk_baseline)
#                             --rxdrop or --l2fwd on in-xdp
#   fpxdp MODE                flowpath afxdp --rxdrop, --l2fwd, or (full) the
#                             full datapath with output-only flows; not run,
#                             and said so, while flowpath has no afxdp
#   ovsxdp                    OVS's netdev datapath with type=afxdp ports,
#                             a private ovsdb-server and ovs-vswitchd
#   pending WHY               not there yet: listed in the report as such
# The baseline must stay first: every ratio is to it.
BASELINE=tcbpf
SYSTEMS=(
	"tcbpf|TC bpf_redirect (one helper)|redirect|"
	"br|Linux bridge|bridge|"
	"mirred|tc u32 + mirred redirect|mirred|"
	"fpout|flowpath TC: output|flowpath|2"
	"fphash|flowpath TC: hash, output|flowpath|hash(l4(0)),2"
	"fpvlan|flowpath TC: push_vlan, output|flowpath|push_vlan(vid=100,pcp=0),2"
	"fpdmac|flowpath TC: set eth dst, output|flowpath|set(eth(dst=02:00:00:00:00:03)),2"
	"fpgre|flowpath TC: GRE encap, output|flowpath|3"
	"xskdrp|xsk baseline: rxdrop|xsk|rxdrop"
	"fpxdrp|flowpath AF_XDP: rxdrop|fpxdp|rxdrop"
	"xskfwd|xsk baseline: l2fwd|xsk|l2fwd"
	"fpxfwd|flowpath AF_XDP: l2fwd|fpxdp|l2fwd"
	"fpxdp|flowpath AF_XDP: output|fpxdp|full"
	"ovsxdp|OVS afxdp (dpif-netdev): output|ovsxdp|"
)
# A flowpath system's tunnel port 3 (flowpath port add gre3 --underlay
# out-ID ...), for its flows to output to: the paper's "set GRE tunnel".
# The outer MACs are given, so that no neighbour entry is needed (the sink
# counts every frame, encapsulated or not); the key makes the GRE header
# 8 bytes, as a keyed tunnel's. Its old-binary copy (o + the ID's first 5
# characters) gets the same port.
declare -A FP_TUNNEL=(
	[fpgre]="--type gre --local-ip 198.51.100.1 --remote-ip 198.51.100.2 --key 1 --local-mac 02:00:00:00:00:0a --remote-mac 02:00:00:00:00:0b"
)
# Not a forwarding system: the flow setup benchmark (below) measures how fast
# the agent turns misses into flows. It runs unless --systems leaves it out.
SETUP_ID=setup
if [ -n "$FLOWPATH_OLD" ]; then
	for row in "${SYSTEMS[@]}"; do
		IFS='|' read -r id label kind arg <<<"$row"
		# IDs stay at 6 characters (see above)
		[ "$kind" = flowpath ] && SYSTEMS+=("o${id:0:5}|$label [old]|flowpath|$arg") &&
			OLD_IDS+=" o${id:0:5}"
	done
fi
GEN=fpt-bench-gen SINK=fpt-bench-sink
DUT_PREFIX=fpt-bench-dut-
DP_PREFIX=fpt-bench-
MAC_DST=02:00:00:00:00:02 # bench/bench.h FPB_MAC_DST: the bridge's way out
if [ "$(nproc)" -ge 2 ]; then GEN_CPU=0 DUT_CPU=1; else GEN_CPU=0 DUT_CPU=0; fi

tmp=
bg_pids=()
xdp_pid= # of the AF_XDP system running now (in measure's subshell)
ovs_dir= # the private OVS's run directory, while it runs
XDP=xdp  # the AF_XDP systems' topology: fpt-bench-dut-xdp, in-xdp, ...
# Every AF_XDP program takes this many descriptors a ring at a time (the
# xsk baseline's default, xdpsock's): like against like.
XDP_BATCH=64
ovs_stop() {
	local d
	[ -n "$ovs_dir" ] || return 0
	for d in ovs-vswitchd ovsdb-server; do
		[ -s "$ovs_dir/$d.pid" ] && kill "$(cat "$ovs_dir/$d.pid")" 2>/dev/null
	done
	for d in ovs-vswitchd ovsdb-server; do
		for _ in $(seq 50); do
			if ! [ -s "$ovs_dir/$d.pid" ] || ! kill -0 "$(cat "$ovs_dir/$d.pid")" 2>/dev/null; then
				break
			fi
			sleep 0.1
		done
	done
	ovs_dir=
}
stats_prev=
cleanup() {
	local p ns dp
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	# An AF_XDP system's program, if a run was cut short (measure runs
	# in a subshell: its pid is in a file).
	[ -n "$tmp" ] && [ -s "$tmp/xdp.pid" ] && kill "$(cat "$tmp/xdp.pid")" 2>/dev/null
	ovs_stop
	[ -n "$stats_prev" ] && sysctl -qw kernel.bpf_stats_enabled="$stats_prev"
	for ns in $(ip netns list 2>/dev/null | awk -v p="$DUT_PREFIX" 'index($1, p) == 1 {print $1}'); do
		dp=$DP_PREFIX${ns#"$DUT_PREFIX"}
		[ -d "/sys/fs/bpf/flowpath/$dp" ] &&
			nsenter --net="/run/netns/$ns" "$FLOWPATH" unload --dp "$dp" >/dev/null 2>&1
		ip netns del "$ns" 2>/dev/null
	done
	ip netns del "$GEN" 2>/dev/null
	ip netns del "$SINK" 2>/dev/null
	for dp in /sys/fs/bpf/flowpath/"$DP_PREFIX"*; do
		[ -e "$dp" ] && rm -rf "$dp"
	done
	rmdir /sys/fs/bpf/flowpath 2>/dev/null
	[ -n "$tmp" ] && rm -rf "$tmp"
}

# One run at a time: the namespaces have fixed names. Exit status 75
# (EX_TEMPFAIL) says the lock could not be had: try again later.
exec 9>/run/fpt-bench.lock
if ! flock -w "$([ "$smoke" -eq 1 ] && echo 420 || echo 1800)" 9; then
	say "another benchmark holds /run/fpt-bench.lock"
	exit 75
fi
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
cleanup # what a killed run may have left
tmp=$(mktemp -d)
mkdir -p "$out" || die "cannot create $out"

# gnuplot draws the chart, perf profiles the DUT: installed as make's deps
# are, but only for a full run; a smoke run goes without them.
if [ "$smoke" -eq 0 ]; then
	missing=()
	command -v pgrep >/dev/null || missing+=(procps)
	command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
	command -v perf >/dev/null || missing+=(linux-perf)
	if [ ${#missing[@]} -gt 0 ]; then
		say "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null ||
			say "could not install ${missing[*]}: going without"
	fi
fi

# --- Topology ----------------------------------------------------------------
nsx() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}
quiet_netns() { # no IPv6 autoconf, DAD or MLD: only the benchmark's frames
	ip netns add "$1" && ip -n "$1" link set lo up &&
		nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
}
fp() { # flowpath in a system's DUT namespace: fp ID ARGS...
	local id=$1 bin=$FLOWPATH
	shift
	[[ " $OLD_IDS " == *" $id "* ]] && bin=$FLOWPATH_OLD
	nsx "$DUT_PREFIX$id" "$bin" "$@" --dp "$DP_PREFIX$id"
}

# The NAPI thread of in-ID (kthread "napi/in-ID-<napi id>").
napi_thread() { pgrep "^napi/in-$1-[0-9]*\$" | head -n 1; }

if ! quiet_netns "$GEN" || ! quiet_netns "$SINK"; then
	die "cannot create namespaces"
fi
# fpbench run keeps its generator program attached here, down and idle:
# see fwd.c.
ip -n "$GEN" link add gen-hold type veth peer name gen-holdp ||
	die "cannot create the generator's holder device"

# setup_topo T: DUT namespace fpt-bench-dut-T, veths g-T/in-T (from the
# generator) and out-T/k-T (to the sink), in-T's NAPI thread on the DUT CPU,
# the sink on k-T. Once per T: the AF_XDP systems share theirs.
setup_topo() {
	local t=$1 dut=$DUT_PREFIX$1 pid
	[ -e "/run/netns/$dut" ] && return 0
	quiet_netns "$dut" &&
		ip -n "$GEN" link add "g-$t" type veth peer name "in-$t" netns "$dut" &&
		ip -n "$dut" link add "out-$t" type veth peer name "k-$t" netns "$SINK" &&
		ip -n "$GEN" link set "g-$t" up && ip -n "$dut" link set "in-$t" up &&
		ip -n "$dut" link set "out-$t" up && ip -n "$SINK" link set "k-$t" up ||
		return 1
	# An skb from the AF_PACKET generator takes in-T's NAPI path only if
	# its veth does no TSO (veth_skb_is_eligible_for_gro); else veth
	# hands it to the generator CPU's backlog, and the DUT's work would
	# run there.
	"$FPBENCH" napi --netns "$dut" --dev "in-$t" &&
		nsx "$GEN" ethtool -K "g-$t" tso off >/dev/null &&
		ip netns exec "$dut" sh -c "echo 1 > /sys/class/net/in-$t/threaded" ||
		return 1
	pid=$(napi_thread "$t")
	[ -n "$pid" ] && taskset -pc "$DUT_CPU" "$pid" >/dev/null || return 1
	"$FPBENCH" attach-sink --netns "$SINK" --dev "k-$t" || return 1
	if [ "$t" = "$XDP" ]; then
		# l2fwd's frames come back out of in-xdp: counted here.
		"$FPBENCH" attach-sink --netns "$GEN" --dev "g-$t" || return 1
	fi
}

# Is this AF_XDP system there to run? Empty if so, else why not.
xdp_missing() {
	case $1 in
	xsk) [ -x "$XSK" ] || echo "no $XSK: run make (make bench builds it)" ;;
	fpxdp)
		"$FLOWPATH" afxdp --help >/dev/null 2>&1 ||
			echo "not landed: flowpath has no afxdp command yet"
		;;
	ovsxdp)
		command -v ovs-vswitchd >/dev/null && command -v ovsdb-server >/dev/null ||
			echo "Debian's openvswitch-switch is not installed"
		;;
	esac
}

# A private OVS (ovsdb-server, ovs-vswitchd in the AF_XDP DUT namespace),
# its files under $tmp/ovs; no system service is touched. The ports are
# added per run (ovs_ports add), as they take over in-xdp and out-xdp.
ovsctl() { ovs-vsctl --db="unix:$ovs_dir/db.sock" --timeout=20 "$@"; }
ovs_start() {
	local d=$tmp/ovs types
	mkdir -p "$d" && ovs_dir=$d
	ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema &&
		ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" \
			--pidfile="$d/ovsdb-server.pid" --unixctl="$d/ovsdb-server.ctl" \
			--log-file="$d/ovsdb-server.log" --detach &&
		ovsctl --no-wait init &&
		OVS_RUNDIR=$d nsx "$DUT_PREFIX$XDP" ovs-vswitchd "unix:$d/db.sock" \
			--pidfile="$d/ovs-vswitchd.pid" --unixctl="$d/ovs-vswitchd.ctl" \
			--log-file="$d/ovs-vswitchd.log" --detach || return 1
	types=$(ovsctl get Open_vSwitch . iface_types) || return 1
	if [[ $types != *afxdp* ]]; then
		echo "this OVS has no afxdp ports (iface_types $types)"
		return 2
	fi
	# PMD threads on the DUT CPU, as the other systems' work.
	ovsctl set Open_vSwitch . other_config:pmd-cpu-mask="$(printf '0x%x' $((1 << DUT_CPU)))" &&
		ovsctl add-br br0 -- set bridge br0 datapath_type=netdev &&
		ovs-ofctl del-flows "unix:$d/br0.mgmt" &&
		ovs-ofctl add-flow "unix:$d/br0.mgmt" "in_port=1,actions=output:2"
}
ovs_ports() { # add | del
	if [ "$1" = add ]; then
		ovsctl add-port br0 "in-$XDP" -- set interface "in-$XDP" type=afxdp \
			options:xdp-mode=native ofport_request=1 -- \
			add-port br0 "out-$XDP" -- set interface "out-$XDP" type=afxdp \
			options:xdp-mode=native ofport_request=2
	else
		ovsctl --if-exists del-port br0 "in-$XDP" -- --if-exists del-port br0 "out-$XDP"
	fi
}

# setup_system ID KIND ARG: the system's namespace, links and forwarding.
setup_system() {
	local id=$1 kind=$2 arg=$3 dut=$DUT_PREFIX$1 key ret tun
	case $kind in
	xsk | fpxdp | ovsxdp)
		setup_topo "$XDP" || return 1
		if [ "$kind" = fpxdp ] && [ "$arg" = full ] && [ ! -s "$tmp/xdp-flows" ]; then
			# flowpath afxdp --flows: port 1 is in-xdp, 2 out-xdp.
			"$FPBENCH" frame --size "$size" --flows "$flows" --in-port 1 |
				sed 's/$/ 2/' >"$tmp/xdp-flows" || return 1
		fi
		if [ "$kind" = ovsxdp ]; then
			ovs_start
			ret=$?
			[ "$ret" -eq 0 ] || ovs_stop
			return "$ret"
		fi
		return 0
		;;
	esac
	setup_topo "$id" || return 1
	case $kind in
	redirect)
		"$FPBENCH" attach-redirect --netns "$dut" --dev "in-$id" --to "out-$id"
		;;
	bridge)
		# The bridge itself, not iptables: no bridged packet goes up to
		# netfilter (br_netfilter is built into this kernel).
		for f in /proc/sys/net/bridge/bridge-nf-call-*; do
			[ -e "$f" ] && nsx "$dut" sysctl -qw "net.bridge.${f##*/}=0"
		done
		ip -n "$dut" link add br0 type bridge &&
			ip -n "$dut" link set "in-$id" master br0 &&
			ip -n "$dut" link set "out-$id" master br0 &&
			ip -n "$dut" link set br0 up &&
			bridge -n "$dut" fdb add "$MAC_DST" dev "out-$id" master static
		;;
	mirred)
		# u32 with an empty match takes every packet (this kernel has no
		# matchall classifier).
		tc -n "$dut" qdisc add dev "in-$id" clsact &&
			tc -n "$dut" filter add dev "in-$id" ingress protocol all \
				u32 match u32 0 0 action mirred egress redirect dev "out-$id"
		;;
	agent)
		# The flow setup benchmark's datapath: no flows, the agent
		# installs them; rate limits set per step.
		fp "$id" load >/dev/null &&
			fp "$id" port add "in-$id" --port 1 >/dev/null &&
			fp "$id" port add "out-$id" --port 2 >/dev/null
		;;
	flowpath)
		fp "$id" load >/dev/null &&
			fp "$id" port add "in-$id" --port 1 >/dev/null &&
			fp "$id" port add "out-$id" --port 2 >/dev/null || return 1
		tun=${FP_TUNNEL[$id]:-}
		[[ " $OLD_IDS " == *" $id "* ]] && tun=${FP_TUNNEL[${id:1}]:-}
		if [ -n "$tun" ]; then
			# shellcheck disable=SC2086 # the options, split
			fp "$id" port add "gre3" --port 3 --underlay "out-$id" $tun >/dev/null ||
				return 1
		fi
		while read -r key; do
			fp "$id" flow add "$key" "$arg" || return 1
		done < <("$FPBENCH" frame --size "$size" --flows "$flows" --in-port 1)
		;;
	*) return 1 ;;
	esac
}

ids=() kinds=() args=()
: >"$tmp/systems"
for row in "${SYSTEMS[@]}"; do
	IFS='|' read -r id label kind arg <<<"$row"
	[ -z "$only" ] || [ "$id" = "$BASELINE" ] || [[ $only == *",$id,"* ]] ||
		[[ " $OLD_IDS " == *" $id "* && $only == *",${id:1}"* ]] || continue
	why=
	if [ "$kind" = pending ]; then
		why=$arg
	elif [ "$kind" = flowpath ] && ! why=$("$FPBENCH" actions "$arg"); then
		why="not landed: $why"
	elif why=$(xdp_missing "$kind") && [ -n "$why" ]; then
		:
	elif setup_system "$id" "$kind" "$arg" >"$tmp/setup.log" 2>&1; then
		why=
		ids+=("$id") kinds+=("$kind") args+=("$arg")
	elif [ $? -eq 2 ]; then
		# Not a failure: the system lacks what it would need (say so).
		why=$(tr '\n' ' ' <"$tmp/setup.log")
	else
		[ "$id" = "$BASELINE" ] && die "cannot set up the baseline: $(cat "$tmp/setup.log")"
		why="setup failed: $(tr '\n' ' ' <"$tmp/setup.log")"
	fi
	printf '%s|%s|%s|%s\n' "$id" "$label" "$kind" "$why" >>"$tmp/systems"
	[ -n "$why" ] && say "$id ($label): $why"
done
[ "${ids[0]:-}" = "$BASELINE" ] || die "the baseline $BASELINE is not set up"

# --- Measuring -----------------------------------------------------------------
# flowpath's counters as "name=N ..." (flowpath stats).
fp_counters() { fp "$1" stats | awk 'NR > 1 { printf "%s=%s ", $1, $2 }'; }

# xdp_start INDEX: the AF_XDP system's program on in-xdp (and out-xdp),
# its CPU the DUT's; returns once its XDP program is attached and it has
# run for a moment. xdp_stop INDEX: stop it, check that it detached.
xdp_start() {
	local i=$1 dut=$DUT_PREFIX$XDP mode=${args[$1]} n
	# nsenter itself, not nsx: a function in the background is a subshell,
	# and $! must be the program's pid (nsenter and setsid exec it), to
	# signal it. setsid: a session of its own is a scheduler autogroup of
	# its own, as OVS's daemon has; in this script's, the program would
	# share one group's CPU weight with the generator (busy on its own
	# CPU) and get a third of the DUT CPU to the NAPI thread's two.
	# The xsk baseline waits in poll() when its rx ring is empty (xdpsock
	# -p): spinning, it would take the CPU the NAPI thread beside it needs.
	case ${kinds[$i]} in
	xsk)
		nsenter --net="/run/netns/$dut" setsid "$XSK" --dev "in-$XDP" "--$mode" --cpu "$DUT_CPU" \
			--batch "$XDP_BATCH" --wait poll \
			>"$tmp/xdp.out" 2>"$tmp/xdp.err" &
		xdp_pid=$!
		;;
	fpxdp)
		if [ "$mode" = full ]; then
			nsenter --net="/run/netns/$dut" setsid "$FLOWPATH" afxdp --dev "in-$XDP" --dev "out-$XDP" \
				--flows "$tmp/xdp-flows" --cpu "$DUT_CPU" --batch "$XDP_BATCH" \
				>"$tmp/xdp.out" 2>"$tmp/xdp.err" &
		else
			nsenter --net="/run/netns/$dut" setsid "$FLOWPATH" afxdp --dev "in-$XDP" "--$mode" \
				--cpu "$DUT_CPU" --batch "$XDP_BATCH" >"$tmp/xdp.out" 2>"$tmp/xdp.err" &
		fi
		xdp_pid=$!
		;;
	ovsxdp)
		xdp_pid=
		ovs_ports add >"$tmp/xdp.err" 2>&1 || {
			say "${ids[$i]}: cannot add the afxdp ports: $(tail -n 3 "$tmp/xdp.err")"
			return 1
		}
		;;
	esac
	[ -n "$xdp_pid" ] && echo "$xdp_pid" >"$tmp/xdp.pid"
	for ((n = 0; n < 100; n++)); do
		ip -n "$dut" link show "in-$XDP" | grep -q 'prog/xdp' && break
		if [ -n "$xdp_pid" ] && ! kill -0 "$xdp_pid" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	sleep 0.5
	if [ -n "$xdp_pid" ] && ! kill -0 "$xdp_pid" 2>/dev/null; then
		say "${ids[$i]}: exited at start: $(tail -n 3 "$tmp/xdp.err")"
		wait "$xdp_pid" 2>/dev/null
		xdp_pid=
		rm -f "$tmp/xdp.pid"
		return 1
	fi
	if ! ip -n "$dut" link show "in-$XDP" | grep -q 'prog/xdp'; then
		say "${ids[$i]}: no XDP program on in-$XDP after 10 s"
		xdp_stop "$i"
		return 1
	fi
}
xdp_stop() {
	local i=$1 dut=$DUT_PREFIX$XDP rc=0 n
	if [ "${kinds[$i]}" = ovsxdp ]; then
		ovs_ports del >>"$tmp/xdp.err" 2>&1 || rc=1
	elif [ -n "$xdp_pid" ]; then
		kill -TERM "$xdp_pid" 2>/dev/null
		for ((n = 0; n < 100; n++)); do
			kill -0 "$xdp_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$xdp_pid" 2>/dev/null; then
			say "${ids[$i]}: still running 10 s after SIGTERM: killed"
			kill -KILL "$xdp_pid" 2>/dev/null
			rc=1
		fi
		wait "$xdp_pid" 2>/dev/null
		n=$?
		xdp_pid=
		rm -f "$tmp/xdp.pid"
		if [ "$n" -ne 0 ]; then
			say "${ids[$i]}: exited $n: $(tail -n 3 "$tmp/xdp.err" | tr '\n' ' ')"
			rc=1
		fi
	fi
	for ((n = 0; n < 50; n++)); do
		ip -n "$dut" link show "in-$XDP" | grep -q 'prog/xdp' || break
		sleep 0.1
	done
	if ip -n "$dut" link show "in-$XDP" | grep -q 'prog/xdp'; then
		say "${ids[$i]}: left its XDP program on in-$XDP"
		rc=1
	fi
	return "$rc"
}

# measure ID INDEX WARMUP DURATION: one run, one line of key=value pairs.
measure() {
	local id=$1 line before after t=$1 out sink_ns=$SINK sink_dev extra=() pps=$offered
	case ${kinds[$2]} in
	xsk | fpxdp | ovsxdp)
		t=$XDP pps=$offered_xdp
		xdp_start "$2" || return 1
		case ${args[$2]} in
		rxdrop) out=in-$t extra=(--count-redirect) ;;
		l2fwd) out=in-$t sink_ns=$GEN sink_dev=g-$t ;;
		esac
		;;
	esac
	[ "${kinds[$2]}" = flowpath ] && before=$(fp_counters "$id")
	line=$("$FPBENCH" run --gen-netns "$GEN" --gen-dev "g-$t" --gen-hold gen-hold \
		--dut-netns "$DUT_PREFIX$t" --dut-in "in-$t" --dut-out "${out:-out-$t}" \
		--sink-netns "$sink_ns" --sink-dev "${sink_dev:-k-$t}" --warmup "$3" --duration "$4" \
		--size "$size" --flows "$flows" --gen-cpu "$GEN_CPU" --gen-pps "$pps" \
		--dut-thread "$(napi_thread "$t")" --label "$id" "${extra[@]}")
	if [ "$t" = "$XDP" ]; then
		xdp_stop "$2" || return 1
	fi
	[ -n "$line" ] || return 1
	if [ "${kinds[$2]}" = flowpath ]; then
		# Over the whole run, warm-up included: hits, and every other
		# counter that moved (each a packet not forwarded by a flow),
		# but tunnel_encap, which counts the frames a flow forwarded
		# encapsulated.
		after=$(fp_counters "$id")
		line+=" $(awk -v b="$before" -v a="$after" 'BEGIN {
			n = split(b, x, " "); split(a, y, " ")
			for (i = 1; i <= n; i++) {
				split(x[i], p, "="); split(y[i], q, "=")
				d = q[2] - p[2]
				if (p[1] == "hit") hit = d
				else if (d && p[1] != "tunnel_encap") { other += d; names = names sep p[1] ":" d; sep = "," }
			}
			printf "fp_hit=%d fp_other=%d fp_other_names=%s", hit, other, names ? names : "-" }')"
	fi
	echo "$line"
}

{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kernel=$(uname -r)"
	echo "cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "cpus=$(nproc)"
	echo "mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "virt=$(systemd-detect-virt 2>/dev/null || echo unknown)"
	echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "clang=$(${CLANG:-clang-19} --version 2>/dev/null | head -n 1)"
	echo "runs=$runs duration=$duration warmup=$warmup size=$size flows=$flows"
	echo "gen_cpu=$GEN_CPU dut_cpu=$DUT_CPU smoke=$smoke"
} >"$tmp/meta"

n=${#ids[@]}
# Every run of another system is sandwiched between two runs of the
# baseline, B S B S ... B, each round taking the others in an order one
# further along: the ratio of a run is to the mean of the baseline runs
# just before and after it, so that the load of the shared machine, which
# drifts, is nearly the same for both.
# A smoke run is one run of each system, the baseline first.
if [ "$smoke" -eq 1 ]; then
	total=$n
elif [ "$n" -eq 1 ]; then
	total=$runs
else
	total=$((2 * runs * (n - 1) + 1))
fi
say "$n systems, $total runs of ${duration}s after ${warmup}s of warm-up; generator on CPU $GEN_CPU, DUT on CPU $DUT_CPU"
# The generator's frames that a DUT's full ring refuses are not free: each
# is handed back to the generator's page pool under a lock that the DUT's
# CPU takes too, for the pages of the frames it forwarded. Flat out (some
# 6 Mpps) that contention costs the DUT CPU 5 to 15% and varies from run
# to run. So the runs offer 3 times what the fastest system of the
# warm-up round could forward on a CPU of its own (1e9 over its CPU time
# per packet: the rate itself depends on the machine's load), and the
# generator drops the rest itself; every run checks that the DUT's entry
# still overflowed. The AF_XDP systems are offered twice the fastest of
# their own warm-up rates, if more: an rxdrop socket takes frames faster
# than any system forwards them, and offered too little it measures the
# generator.
offered=0 offered_xdp=0
if [ "$smoke" -eq 0 ]; then
	say "warm-up round (discarded), flat out"
	fastest_ns= fastest_xdp=0
	for ((i = 0; i < n; i++)); do
		line=$(measure "${ids[i]}" "$i" 1 1) || die "${ids[i]}: warm-up run failed"
		# An AF_XDP system's work is partly its own thread's, not in
		# dut_ns_pkt (the NAPI thread's): its rate is what counts.
		case ${kinds[i]} in
		xsk | fpxdp | ovsxdp)
			fastest_xdp=$(grep -o 'rate_pps=[0-9]*' <<<"$line" |
				awk -F= -v m="$fastest_xdp" '{ print ($2 > m ? $2 : m) }')
			fastest_xdp=${fastest_xdp:-0}
			continue
			;;
		esac
		fastest_ns+=" $(grep -o 'dut_ns_pkt=[0-9.]*' <<<"$line" | cut -d= -f2)"
	done
	offered=$(awk -v l="$fastest_ns" 'BEGIN { n = split(l, x, " "); m = 0
		for (i = 1; i <= n; i++) if (x[i] > 0 && (m == 0 || x[i] < m)) m = x[i]
		printf "%d", m ? 3e9 / m : 0 }')
	offered_xdp=$(awk -v a="$offered" -v x="$fastest_xdp" \
		'BEGIN { printf "%d", (a > 0 && 2 * x > a) ? 2 * x : a }')
	say "offering $offered frames/s ($offered_xdp to the AF_XDP systems)"
fi
printf 'offered=%s\noffered_xdp=%s\n' "$offered" "$offered_xdp" >>"$tmp/meta"
: >"$tmp/runs"
seq=0
run_one() { # INDEX ROUND
	local line
	line=$(measure "${ids[$1]}" "$1" "$warmup" "$duration") ||
		die "${ids[$1]}: run failed"
	seq=$((seq + 1))
	echo "seq=$seq round=$2 $line" >>"$tmp/runs"
	say "[$seq/$total] round $2: ${ids[$1]} $(grep -o 'rate_pps=[0-9]*' <<<"$line")"
}
if [ "$smoke" -eq 1 ]; then
	for ((i = 0; i < n; i++)); do run_one "$i" 0; done
elif [ "$n" -eq 1 ]; then
	for ((r = 0; r < runs; r++)); do run_one 0 "$r"; done
else
	run_one 0 0
	for ((r = 0; r < runs; r++)); do
		for ((j = 0; j < n - 1; j++)); do
			run_one $((1 + (r + j) % (n - 1))) "$r"
			run_one 0 "$r"
		done
	done
fi
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$tmp/meta"

# --- Where the time goes (full runs only) ----------------------------------------
: >"$tmp/prof"
if [ "$smoke" -eq 0 ]; then
	say "profiling: bpf_stats run_time_ns, perf on the DUT CPU"
	stats_prev=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	for ((i = 0; i < n; i++)); do
		id=${ids[i]}
		[ "${kinds[i]}" = redirect ] || [ "${kinds[i]}" = flowpath ] || continue
		prog=$(tc -n "$DUT_PREFIX$id" filter show dev "in-$id" ingress |
			awk '{ for (f = 1; f < NF; f++) if ($f == "id") { print $(f + 1); exit } }')
		[ -n "$prog" ] || continue
		b=$(bpftool prog show id "$prog" -j)
		line=$(measure "$id" "$i" 0.5 3) || continue
		a=$(bpftool prog show id "$prog" -j)
		echo "prof=bpf_stats system=$id prog=$prog $(python3 -c '
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
runs = a.get("run_cnt", 0) - b.get("run_cnt", 0)
ns = a.get("run_time_ns", 0) - b.get("run_time_ns", 0)
print("runs=%d ns_per_run=%.1f" % (runs, ns / runs if runs else 0))
' "$b" "$a") $line" >>"$tmp/prof"
	done
	sysctl -qw kernel.bpf_stats_enabled="$stats_prev"
	stats_prev=
	if command -v perf >/dev/null; then
		for id in "$BASELINE" fpout; do
			for ((i = 0; i < n; i++)); do [ "${ids[i]}" = "$id" ] && break; done
			[ "$i" -lt "$n" ] || continue
			perf record -q -C "$DUT_CPU" -e cpu-clock -o "$tmp/perf-$id.data" \
				-- sleep 3 >"$tmp/perf-$id.log" 2>&1 &
			bg_pids+=($!)
			measure "$id" "$i" 0.5 3.5 >/dev/null
			wait "${bg_pids[-1]}"
			unset 'bg_pids[-1]'
			perf report -i "$tmp/perf-$id.data" --stdio --no-children \
				--sort sym --percent-limit 0.8 2>>"$tmp/perf-$id.log" |
				awk -v id="$id" '/^ +[0-9.]+%/ { $1 = $1; print "prof=perf system=" id " " $0 }' \
					>"$tmp/perf-$id.txt"
			if [ -s "$tmp/perf-$id.txt" ]; then
				cat "$tmp/perf-$id.txt" >>"$tmp/prof"
			else
				echo "prof=perf_failed system=$id $(tail -n 2 "$tmp/perf-$id.log" | tr '\n' ' ')" >>"$tmp/prof"
			fi
		done
		# bpftool's own profiler needs hardware counters.
		prog=$(tc -n "${DUT_PREFIX}fpout" filter show dev in-fpout ingress 2>/dev/null |
			awk '{ for (f = 1; f < NF; f++) if ($f == "id") { print $(f + 1); exit } }')
		if [ -n "$prog" ]; then
			msg=$(timeout 10 bpftool prog profile id "$prog" duration 1 cycles 2>&1 | tr '\n' ' ')
			echo "prof=bpftool_profile system=fpout $msg" >>"$tmp/prof"
		fi
	fi
fi

# --- Flow setup through the agent ---------------------------------------------------
# The generator sends N distinct flows (UDP source ports), each once, at a
# given rate into port 1 of a datapath with no flows and `flowpath agent`
# running a rule set that sends them to port 2: every packet misses,
# upcalls, and the agent classifies it, installs its flow and executes it
# through its TAP to the sink. Per step: what went up (upcalls), what the
# port's bucket held back (rate_limited), what the perf ring dropped (lost,
# and lost_reader as the agent saw it), how many flows were installed and
# over how long (the span between the first and the last flow's executed
# packet, from the flows' used times): installed / span is the setup rate.
# Each offered rate is run with no upcall limit (the agent's capacity) and
# with the default limit (what one port gets). The agent is restarted on
# an empty table for each step.
: >"$tmp/setup"
setup_wanted=1
[ -n "$only" ] && [[ $only != *",$SETUP_ID,"* ]] && setup_wanted=0
if [ "$setup_wanted" -eq 1 ] && ! "$FLOWPATH" agent --help >/dev/null 2>&1; then
	echo "setup_skipped=the agent (flowpath agent) has not landed" >>"$tmp/setup"
	setup_wanted=0
fi
if [ "$setup_wanted" -eq 1 ] && ! setup_system "$SETUP_ID" agent "" >"$tmp/setup.log" 2>&1; then
	echo "setup_skipped=setup failed: $(tr '\n' ' ' <"$tmp/setup.log")" >>"$tmp/setup"
	setup_wanted=0
fi
agent_pid=
setup_agent_stop() {
	[ -n "$agent_pid" ] || return 0
	kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
	agent_pid=
}
setup_agent_start() {
	local i
	# nsenter itself, not nsx: $! must be the agent (nsenter execs it),
	# not a subshell that would not pass SIGTERM on. Without the run's
	# lock (fd 9): an agent that outlived the run must not hold it.
	nsenter --net="/run/netns/$DUT_PREFIX$SETUP_ID" "$FLOWPATH" agent \
		--dp "$DP_PREFIX$SETUP_ID" --rules "$tmp/setup.rules" \
		--idle-timeout 600 >>"$tmp/agent.log" 2>&1 9>&- &
	agent_pid=$!
	bg_pids+=("$agent_pid")
	for ((i = 0; i < 100; i++)); do
		fp "$SETUP_ID" agent status >/dev/null 2>&1 && return 0
		kill -0 "$agent_pid" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}
# setup_step LIMIT RATE SECONDS: one line of key=value pairs.
setup_step() {
	local limit=$1 rate=$2 secs=$3 n before after line prev cur i dump
	n=$(awk -v r="$rate" -v s="$secs" 'BEGIN { printf "%d", r * s }')
	setup_agent_stop
	fp "$SETUP_ID" flow flush >/dev/null || return 1
	if [ "$limit" = default ]; then
		fp "$SETUP_ID" upcall limit --rate "$SETUP_RATE_DEFAULT" --burst "$SETUP_BURST_DEFAULT" || return 1
	else
		fp "$SETUP_ID" upcall limit --rate 0 || return 1
	fi
	setup_agent_start || return 1
	before=$(fp_counters "$SETUP_ID")
	line=$("$FPBENCH" run --gen-netns "$GEN" --gen-dev "g-$SETUP_ID" --gen-hold gen-hold \
		--dut-netns "$DUT_PREFIX$SETUP_ID" --dut-in "in-$SETUP_ID" --dut-out "out-$SETUP_ID" \
		--sink-netns "$SINK" --sink-dev "k-$SETUP_ID" --warmup 0 --duration "$secs" \
		--size "$size" --flows "$n" --gen-cpu "$GEN_CPU" --gen-pps "$rate" \
		--label "$SETUP_ID") || return 1
	# The agent catches up: wait until the flow count stops moving.
	prev=-1
	for ((i = 0; i < 100; i++)); do
		cur=$(fp "$SETUP_ID" flow dump | grep -c '^')
		[ "$cur" = "$prev" ] && break
		prev=$cur
		sleep 0.3
	done
	after=$(fp_counters "$SETUP_ID")
	dump=$(fp "$SETUP_ID" flow dump)
	echo "setup_limit=$limit setup_rate=$rate setup_flows=$n $(awk -v b="$before" -v a="$after" 'BEGIN {
		n = split(b, x, " "); split(a, y, " ")
		for (i = 1; i <= n; i++) {
			split(x[i], p, "="); split(y[i], q, "=")
			d[p[1]] = q[2] - p[2]
		}
		printf "upcalls=%d rate_limited=%d lost=%d lost_reader=%d", d["upcalls"],
			d["upcalls_rate_limited"], d["upcalls_lost"], d["upcalls_lost_reader"] }') $(awk '
		{ if (match($0, /used:[0-9.]+s/)) { u = substr($0, RSTART + 5, RLENGTH - 6) + 0
			if (!k || u < lo) lo = u; if (!k || u > hi) hi = u; k++ } }
		END { printf "installed=%d executed=%d span_s=%.3f", NR, k, hi - lo }' <<<"$dump") $line"
}
SETUP_RATE_DEFAULT=$(awk '/define FP_UPCALL_RATE_DEFAULT/ { print $3 }' "$top/maps/upcall_limit.h")
SETUP_BURST_DEFAULT=$(awk '/define FP_UPCALL_BURST_DEFAULT/ { print $3 }' "$top/maps/upcall_limit.h")
if [ "$setup_wanted" -eq 1 ]; then
	cat >"$tmp/setup.rules" <<-RULES
	# A few rules that do not match, so classification is not trivial.
	priority=300,in_port=1,udp,tp_dst=53,actions=drop
	priority=200,in_port=1,tcp,actions=drop
	priority=150,in_port=2,actions=drop
	priority=100,in_port=1,udp,actions=output:2
	RULES
	if [ "$smoke" -eq 1 ]; then
		setup_plan="none:2000:0.25"
	else
		setup_plan="none:1000:2 none:5000:2 none:20000:1 none:50000:1 default:1000:2 default:5000:2 default:20000:1"
	fi
	for step in $setup_plan; do
		IFS=: read -r limit rate secs <<<"$step"
		say "flow setup: $rate new flows/s for ${secs}s, upcall limit: $limit"
		# Not in a $(...) subshell: agent_pid must outlive the step, for
		# the next step and the cleanup to stop the agent it started.
		if setup_step "$limit" "$rate" "$secs" >"$tmp/setup.step"; then
			cat "$tmp/setup.step" >>"$tmp/setup"
		else
			echo "setup_failed=limit $limit rate $rate: $(tail -n 3 "$tmp/agent.log" 2>/dev/null | tr '\n' ' ')" >>"$tmp/setup"
		fi
	done
	setup_agent_stop
fi

# --- Microbenchmarks and the verifier's figures --------------------------------------
say "microbenchmarks (BPF_PROG_TEST_RUN, CPU $DUT_CPU)"
if [ "$smoke" -eq 1 ]; then
	"$FPBENCH" micro --cpu "$DUT_CPU" --samples 1 --repeat 1000 >"$tmp/micro" ||
		die "microbenchmarks failed"
	"$FPBENCH" micro-exec --cpu "$DUT_CPU" --samples 1 --repeat 1000 >>"$tmp/micro" ||
		die "executor microbenchmarks failed"
else
	"$FPBENCH" micro --cpu "$DUT_CPU" --samples 11 --repeat 200000 >"$tmp/micro" ||
		die "microbenchmarks failed"
	"$FPBENCH" micro-exec --cpu "$DUT_CPU" --samples 11 --repeat 1000000 >>"$tmp/micro" ||
		die "executor microbenchmarks failed"
fi
: >"$tmp/verifier"
[ "$smoke" -eq 0 ] && [ -s "$build/bench/verifier-report.txt" ] &&
	cp "$build/bench/verifier-report.txt" "$tmp/verifier"

# What the report is made from, kept beside it: `python3 bench/report.py
# --tmp OUT/raw --out OUT` makes it again (a change to the report's method
# can be tried on the same measurements).
mkdir -p "$out/raw" && cp "$tmp"/meta "$tmp"/systems "$tmp"/runs "$tmp"/prof \
	"$tmp"/micro "$tmp"/verifier "$tmp"/setup "$out/raw/" 2>/dev/null
python3 "$top/bench/report.py" --tmp "$tmp" --out "$out" || die "report failed"
