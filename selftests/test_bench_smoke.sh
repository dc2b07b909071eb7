#!/usr/bin/env bash
# The benchmark harness must not rot: bench/run.sh --smoke (one short run of
# every system, about 15 s) completes, writes the table, the CSVs and the
# chart, gives each system of its table a row (measured, or the reason it
# was not), every measured system delivered packets, and nothing of it is
# left behind. No figure is asserted: speed is make bench's business.
source "$(dirname "$0")/lib.sh"

build=$(dirname "$FLOWPATH")
out=$(mktemp -d)
at_exit "rm -rf $out"
leftovers() {
	ip netns list 2>/dev/null | awk '$1 ~ /^fpt-bench-/ { print "netns " $1 }'
	for pin in /sys/fs/bpf/flowpath/fpt-bench*; do
		[ -e "$pin" ] && echo "pin ${pin##*/}"
	done
	pgrep -a fpbench | sed 's/^/process /'
	pgrep -a xsk_baseline | sed "s/^/process /"
	# what the harness runs of flowpath: the setup's agent, afxdp
	pgrep -af 'flowpath agent --dp fpt-bench-|flowpath afxdp --dev in-xdp' |
		sed "s/^/process /"
	ps -eo comm= | awk '/^napi\/in-/ { print "thread " $1 }'
}
before=$(leftovers)

bash "$FP_TOP/bench/run.sh" "$build" --smoke --out "$out" >"$out/stdout" 2>"$out/stderr"
rc=$?
if [ "$rc" -eq 75 ]; then
	# A full `make bench` held the lock all along: nothing to check.
	skip "a benchmark run held /run/fpt-bench.lock throughout"
	finish
	exit
elif [ "$rc" -eq 0 ]; then
	pass "bench/run.sh --smoke completes"
else
	fail "bench/run.sh --smoke exited $rc: $(tail -n 5 "$out/stderr" | tr '\n' ' ')"
fi

for f in latest.md latest.csv runs.csv; do
	if [ -s "$out/$f" ]; then pass "writes $f"; else fail "no $f"; fi
done
if ! command -v gnuplot >/dev/null; then
	skip "no gnuplot (make bench installs it): no chart to check"
elif [ "$(head -c 4 "$out/latest.png" 2>/dev/null | tail -c 3)" = PNG ]; then
	pass "draws latest.png"
else
	fail "no chart latest.png"
fi

# Every system of run.sh's table has its row; a measured one delivered
# packets, one that was not measured says why, and not because its setup
# failed (the harness must set up every system that has landed).
ids=$(awk '/^SYSTEMS=\(/, /^\)/' "$FP_TOP/bench/run.sh" | sed -n 's/^[[:space:]]*"\([a-z0-9]*\)|.*/\1/p')
[ -n "$ids" ] || fail "no system table in bench/run.sh"
# "id|status|packets delivered" for each row of latest.csv.
rows=$(/usr/bin/python3 - "$out" <<'PY'
import csv, sys
d = sys.argv[1]
got = {}
for r in csv.DictReader(open(d + "/runs.csv")):
    got[r["label"]] = got.get(r["label"], 0) + int(r["sink_pkts"])
for r in csv.DictReader(open(d + "/latest.csv")):
    print("%s|%s|%d" % (r["system"], r["status"].replace("\n", " "), got.get(r["system"], 0)))
PY
)
for id in $ids; do
	IFS='|' read -r _ status got < <(grep "^$id|" <<<"$rows")
	if [ -z "${status:-}" ]; then
		fail "$id: no row in latest.csv"
	elif [ "$status" = measured ]; then
		if [ "${got:-0}" -gt 0 ]; then
			pass "$id: delivered $got packets"
		else
			fail "$id: delivered nothing"
		fi
	elif [[ $status == *"setup failed"* ]]; then
		fail "$id: $status"
	else
		skip "$id: not measured, says why: $status"
	fi
	grep -q "^$id " "$out/stdout" || fail "$id: no summary line on stdout"
	status=
done
# The flow setup benchmark: its step installed and executed flows through
# the agent, or the report says why it did not run (not a setup failure).
setup=$(/usr/bin/python3 - "$out" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1] + "/setup.csv")):
    print("%s %s %s" % (r["setup_flows"], r["installed"], r["executed"]))
PY
)
if [ -n "$setup" ]; then
	read -r sent installed executed <<<"$setup"
	if [ "${installed:-0}" -gt 0 ] && [ "${executed:-0}" -gt 0 ]; then
		pass "setup: $installed of $sent flows installed, $executed executed"
	else
		fail "setup: nothing installed or executed: $setup"
	fi
elif why=$(grep -m1 '^setup   not measured: ' "$out/stdout"); then
	if [[ $why == *"setup failed"* || $why == *"limit "*" rate "* ]]; then
		fail "setup: $why"
	else
		skip "setup: ${why#setup   }"
	fi
else
	fail "setup: no row and no reason in the report"
fi
# The baseline's row: 1.00× by rate and by CPU time (the one it is judged
# by in bold).
grep -qE '^\| TC bpf_redirect \(one helper\) \| (\*\*)?1\.00×(\*\*)? \| [^|]* \| (\*\*)?1\.00×(\*\*)? \|' "$out/latest.md" ||
	fail "latest.md: no baseline row: $(grep -m1 'TC bpf_redirect' "$out/latest.md")"

# Whatever generator the kernel allows: every run names the one it used,
# and the report says so (live frames are refused on some kernels).
gens=$(/usr/bin/python3 - "$out" <<'PY'
import csv, sys
print(" ".join(sorted({r["generator"] for r in csv.DictReader(open(sys.argv[1] + "/runs.csv"))})))
PY
)
if [[ $gens =~ ^(live|afpacket)( (live|afpacket))?$ ]] &&
	grep -q "sends with \*\*${gens// / and }\*\*" "$out/latest.md"; then
	pass "every run names its generator ($gens), and latest.md says which"
else
	fail "generator not named: runs.csv says '$gens', latest.md: $(grep -o 'sends with [^.]*' "$out/latest.md")"
fi

# A flow storm's traffic: flow i of N is UDP from 192.0.2.(1 + i / 64511),
# port 1024 + i % 64511 (bench/bench.h), so 66,000 flows cross into a
# second address. The generator's own frames (fpbench frame --pcap, built
# as it builds them), read back by tshark: every 5-tuple where it should
# be, every IPv4 header checksum good.
storm=$out/storm.pcap
if "$build/bench/fpbench" frame --flows 66000 --pcap "$storm"; then
	got=$(tshark -r "$storm" -o ip.check_checksum:TRUE -T fields -e ip.src \
		-e udp.srcport -e ip.dst -e udp.dstport -e ip.checksum.status 2>/dev/null |
		/usr/bin/python3 -c '
import sys
bad, n = [], 0
for i, line in enumerate(sys.stdin):
    want = "192.0.2.%d\t%d\t198.51.100.2\t9\t1" % (1 + i // 64511, 1024 + i % 64511)
    n += 1
    if line.rstrip("\n") != want and len(bad) < 3:
        bad.append("frame %d: %r, expected %r" % (i + 1, line.rstrip("\n"), want))
print("%d frames%s" % (n, ": " + "; ".join(bad) if bad else ""))')
	check_eq "flow storm frames: 66000 distinct 5-tuples, checksums good" "$got" "66000 frames"
else
	fail "fpbench frame --flows 66000 --pcap failed"
fi

# The xsk baseline refuses what it cannot do, naming it, before it touches
# a device.
xsk=$build/bench/xsk_baseline
for args in "--wait sometimes|--wait 'sometimes': expected spin or poll" \
	"--batch 0|--batch '0': expected 1 to 256"; do
	IFS='|' read -r opt want <<<"$args"
	# shellcheck disable=SC2086 # the option and its value, two words
	msg=$("$xsk" --dev lo --rxdrop $opt 2>&1)
	rc=$?
	if [ "$rc" -eq 2 ] && [[ $msg == *"$want"* ]]; then
		pass "xsk_baseline $opt: exit 2, says: $want"
	else
		fail "xsk_baseline $opt: exit $rc, said: $msg"
	fi
done

after=$(leftovers)
new=$(comm -13 <(sort <<<"$before") <(sort <<<"$after") | tr '\n' ' ')
if [ -z "${new// /}" ]; then
	pass "leaves no namespace, pin, process or NAPI thread behind"
else
	fail "left behind: $new"
fi
finish
