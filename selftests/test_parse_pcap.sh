#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# flowpath parse-pcap: keys every packet of pcaps/gen_parse_pcap.py's pcap
# exactly as `ovs-ofctl parse-pcap` does (BPF parser stage), the userspace
# build of the parser agrees with the BPF one, headers past the parser's
# window are reported, and bad input is refused with a message.
# (b) is issue 6's differential test: the userspace build is what the
# AF_XDP datapath (flowpath afxdp) parses with, through fp_pkt_parse().
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=/usr/bin/python3
GEN=$FP_TOP/pcaps/gen_parse_pcap.py
tmp=$(mktemp -d)
at_exit rm -rf "$tmp"

# The pcaps `make` built, unless the generator is newer: then make them.
pcaps=
for d in "${FP_BUILD:-}/pcaps" "$FP_TOP/build/pcaps"; do
	if [ -s "$d/parse.pcap" ] && [ -s "$d/parse_partial.pcap" ] &&
		[ "$d/parse.pcap" -nt "$GEN" ]; then
		pcaps=$d
		break
	fi
done
if [ -z "$pcaps" ]; then
	if ! out=$("$PYTHON" "$GEN" "$tmp/pcaps" 2>&1); then
		fail "generate pcaps: $out"
		finish
		exit
	fi
	pcaps=$tmp/pcaps
fi
mapfile -t names <"$pcaps/parse.names"

# compare LABEL FILE_A NAME_A FILE_B NAME_B: one line per packet in both;
# every differing line is a FAIL naming its packet.
compare() {
	local label=$1 a=$2 an=$3 b=$4 bn=$5 i bad=0
	local -a la lb

	mapfile -t la <"$a"
	mapfile -t lb <"$b"
	if [ "${#la[@]}" -ne "${#names[@]}" ] || [ "${#lb[@]}" -ne "${#names[@]}" ]; then
		fail "$label: ${#names[@]} packets, $an printed ${#la[@]} lines, $bn ${#lb[@]}"
		return
	fi
	for i in "${!names[@]}"; do
		if [ "${la[i]}" != "${lb[i]}" ]; then
			fail "$label: packet $((i + 1)) (${names[i]}):
  $an: ${la[i]}
  $bn: ${lb[i]}"
			bad=$((bad + 1))
		fi
	done
	[ "$bad" -eq 0 ] && pass "$label: all ${#names[@]} packets"
}

# (a) The BPF parser stage against OVS.
if "$FLOWPATH" parse-pcap "$pcaps/parse.pcap" >"$tmp/bpf.txt" 2>"$tmp/bpf.err"; then
	pass "bpf engine parses parse.pcap"
else
	fail "bpf engine on parse.pcap: exit $?: $(cat "$tmp/bpf.err")"
fi
if command -v ovs-ofctl >/dev/null; then
	if ovs-ofctl parse-pcap "$pcaps/parse.pcap" >"$tmp/ovs.txt" 2>"$tmp/ovs.err"; then
		compare "bpf engine agrees with ovs-ofctl" "$tmp/ovs.txt" ovs-ofctl \
			"$tmp/bpf.txt" flowpath
	else
		fail "ovs-ofctl parse-pcap: $(cat "$tmp/ovs.err")"
	fi
else
	# OVS is the oracle: make check installs it (scripts/deps.sh), so
	# its absence is a failure, not a pass by default.
	fail "ovs-ofctl not installed (openvswitch-common; scripts/deps.sh installs it): no oracle to compare with"
fi

# Each supported compiler's build of the stage (make check builds them into
# build/bpf-<compiler>), against OVS too.
for c in clang-14 clang-16 clang-19; do
	obj=$FP_TOP/build/bpf-$c/parser.bpf.o
	if [ ! -s "$obj" ]; then
		fail "$c: no $obj (make check builds it; or make CLANG=$c BPF_OUT=build/bpf-$c bpf)"
	elif ! [ -s "$tmp/ovs.txt" ]; then
		fail "$c: no ovs-ofctl output to compare with"
	elif "$FLOWPATH" parse-pcap --object "$obj" "$pcaps/parse.pcap" \
		>"$tmp/$c.txt" 2>"$tmp/$c.err"; then
		compare "$c build agrees with ovs-ofctl" "$tmp/ovs.txt" ovs-ofctl \
			"$tmp/$c.txt" "$c"
	else
		fail "$c build on parse.pcap: $(cat "$tmp/$c.err")"
	fi
done

# (b) The differential test: the userspace build of the same parser (the
# AF_XDP datapath's) against the BPF one, packet by packet.
if "$FLOWPATH" parse-pcap --engine user "$pcaps/parse.pcap" >"$tmp/user.txt" \
	2>"$tmp/user.err"; then
	compare "differential: user engine (the AF_XDP datapath's parser) agrees with bpf engine" "$tmp/bpf.txt" bpf \
		"$tmp/user.txt" user
else
	fail "user engine on parse.pcap: exit $?: $(cat "$tmp/user.err")"
fi

# Headers past FP_PARSE_HDR_MAX: every packet named, exit status 1, in
# both engines.
mapfile -t partial <"$pcaps/parse_partial.names"
for engine in bpf user; do
	out=$("$FLOWPATH" parse-pcap --engine "$engine" \
		"$pcaps/parse_partial.pcap" 2>&1 >/dev/null)
	rc=$?
	missing=
	for i in "${!partial[@]}"; do
		grep -q "packet $((i + 1)): headers reach past" <<<"$out" ||
			missing+=" ${partial[i]}"
	done
	if [ "$rc" -ne 1 ]; then
		fail "$engine engine, partial keys: exit $rc, expected 1: $out"
	elif [ -n "$missing" ]; then
		fail "$engine engine, partial keys: not reported:$missing: $out"
	else
		pass "$engine engine reports ${#partial[@]} partially keyed packets"
	fi
done

# (c) Bad input.
printf 'not a capture\n' >"$tmp/text.pcap"
# A pcap of link type 113 (Linux cooked capture) with one packet.
"$PYTHON" - "$tmp/sll.pcap" <<'EOF'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 113))
    f.write(struct.pack("<IIII", 0, 0, 16, 16) + bytes(16))
EOF
# The first 30 bytes of a packet record that announces 60.
head -c $((24 + 16 + 30)) "$pcaps/parse.pcap" >"$tmp/cut.pcap"
"$PYTHON" - "$tmp/cut.pcap" <<'EOF'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(24 + 8)
    f.write(struct.pack("<II", 60, 60))
EOF
for engine in bpf user; do
	check_fails "$engine: missing file" "$tmp/none.pcap.*(no such file|cannot read)" \
		"$FLOWPATH" parse-pcap --engine "$engine" "$tmp/none.pcap"
	check_fails "$engine: not a pcap" "text.pcap.*(unknown file format|bad dump file format)" \
		"$FLOWPATH" parse-pcap --engine "$engine" "$tmp/text.pcap"
	check_fails "$engine: link type not Ethernet" "sll.pcap: link type 113.*not Ethernet" \
		"$FLOWPATH" parse-pcap --engine "$engine" "$tmp/sll.pcap"
	check_fails "$engine: truncated record" "cut.pcap: after packet 0: .*truncated" \
		"$FLOWPATH" parse-pcap --engine "$engine" "$tmp/cut.pcap"
done
check_fails "unknown engine" "unknown engine 'xdp'" \
	"$FLOWPATH" parse-pcap --engine xdp "$pcaps/parse.pcap"
check_fails "no file" "no pcap file given" "$FLOWPATH" parse-pcap
check_fails "two files" "one file at a time" \
	"$FLOWPATH" parse-pcap "$pcaps/parse.pcap" "$pcaps/parse.pcap"

finish
