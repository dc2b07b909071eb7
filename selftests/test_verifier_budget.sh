#!/usr/bin/env bash
# test_verifier's budgets guard: a stage object bloated by a third (the
# tunnel_decap stage plus a test-only program, selftests/progs/
# tunnel_decap_bloated.bpf.c) fails the +10% check on the kernel its
# baseline was measured on, and the budget on any other kernel; the
# stage as built passes both, the latter with a SKIP for the check it
# cannot make. Baselines are written into a private file, so this holds
# whatever kernel runs it.
source "$(dirname "$0")/lib.sh"

tv=$FP_BUILD/selftests/test_verifier
plain=$FP_BUILD/bpf/tunnel_decap.bpf.o
bloated=$FP_BUILD/selftests/progs/tunnel_decap_bloated.bpf.o
for f in "$tv" "$plain" "$bloated"; do
	[ -e "$f" ] || { fail "no $f (make tests builds it)"; finish; exit; }
done
tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
mkdir -p "$tmp/plain/bpf-cc" "$tmp/bloated/bpf-cc"
cp "$plain" "$tmp/plain/bpf-cc/tunnel_decap.bpf.o"
cp "$bloated" "$tmp/bloated/bpf-cc/tunnel_decap.bpf.o"

# verify BUILD: test_verifier on one stage object, this test's baseline;
# its output on one line (its PASS lines are not this test's).
verify() {
	FP_VERIFIER_STAGES=tunnel_decap FP_BPF_BUILDS="$tmp/$1/bpf-cc" \
		FP_VERIFIER_BASELINE="$tmp/baseline.txt" "$tv" 2>&1 | tr '\n' '|'
	return "${PIPESTATUS[0]}"
}
# expect LABEL GOT WANT OUTPUT
expect() {
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: got $2, expected $3; test_verifier said: $4"; fi
}
# count PATTERN OUTPUT: lines of OUTPUT (joined by |) that match PATTERN.
count() { tr '|' '\n' <<<"$2" | grep -c "$1"; }

out=$(FP_VERIFIER_BASELINE_WRITE=1 verify plain)
kernel=$(uname -r)
line=$(grep -P "^tunnel_decap\tcc\t\Q$kernel\E\t" "$tmp/baseline.txt")
budget=$(awk '$1 == "budget" && $2 == "tunnel_decap" { print $3 }' "$tmp/baseline.txt")
base=${line##*$'\t'}
if [[ $base =~ ^[0-9]+$ ]] && [ -n "$budget" ] && [ "$budget" -gt "$base" ]; then
	pass "baseline written for Linux $kernel: $base insns, budget $budget"
else
	fail "baseline not written: $out / $(tr '\n' '|' <"$tmp/baseline.txt")"
fi

out=$(verify plain)
rc=$?
expect "the stage as built passes its own baseline" \
	"$rc:$(count '^PASS: ' "$out"):$(count '^FAIL: ' "$out")" "0:1:0" "$out"

out=$(verify bloated)
rc=$?
insns=$(tr '|' '\n' <<<"$out" |
	sed -n 's/^FAIL: test_verifier: tunnel_decap (cc): \([0-9]*\) verified insns, baseline.*over the baseline.*/\1/p')
if [ "$rc" -ne 0 ] && [ -n "$insns" ] && [ $((insns * 100)) -gt $((base * 110)) ]; then
	pass "bloated by $(((insns - base) * 100 / base))%: fails on Linux $kernel, the kernel of its baseline"
else
	fail "bloated stage not refused on the kernel of its baseline (exit $rc): $out"
fi

# Another kernel: only the budget holds; the tight check says SKIP.
sed -i "s/\t$kernel\t/\t0.0.0-another-kernel\t/" "$tmp/baseline.txt"
out=$(verify plain)
rc=$?
expect "on another kernel the stage as built passes its budget, and the +10% check is skipped" \
	"$rc:$(count '^PASS: .*budget' "$out"):$(count '^SKIP: .*no baseline for Linux' "$out")" "0:1:1" "$out"
out=$(verify bloated)
rc=$?
if [ "$rc" -ne 0 ] && [ "$(count "^FAIL: test_verifier: tunnel_decap (cc): [0-9]* verified insns, budget $budget: over the stage's budget" "$out")" = 1 ]; then
	pass "on another kernel the bloated stage fails its budget"
else
	fail "bloated stage not refused by its budget on another kernel (exit $rc): $out"
fi
finish
