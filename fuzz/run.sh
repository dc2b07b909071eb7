#!/usr/bin/env bash
# Runs the libFuzzer targets, each for a bounded time, and says per target
# how many inputs it ran and whether it crashed.
#
# usage: fuzz/run.sh FUZZ_OUT SECONDS [TARGET...]   (make fuzz runs it)
#
# Each TARGET (default: every FUZZ_OUT/fuzz_*) starts from its seeds,
# fuzz/corpus/TARGET (read only), and what earlier runs kept,
# FUZZ_OUT/corpus/TARGET, where new inputs go. A crash, a leak, a timeout
# or a broken round trip leaves its input in FUZZ_OUT/crashes/ and makes
# the exit status 1. Prints one line per target:
#   fuzz_ofrule: ok, 1234567 runs in 60 s, corpus 345
#   fuzz_ofrule: CRASH, input build/fuzz/crashes/fuzz_ofrule-crash-...
# FUZZ_FRESH=1: start from the seeds alone (a temporary corpus, removed).
set -u
out=${1:?usage: fuzz/run.sh FUZZ_OUT SECONDS [TARGET...]}
secs=${2:?usage: fuzz/run.sh FUZZ_OUT SECONDS [TARGET...]}
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
[[ $secs =~ ^[1-9][0-9]*$ ]] || {
	echo "fuzz: SECONDS '$secs': expected a whole number > 0" >&2
	exit 2
}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for t in "$out"/fuzz_*; do
		[ -x "$t" ] && targets+=("$(basename "$t")")
	done
fi
[ ${#targets[@]} -gt 0 ] || {
	echo "fuzz: no targets in $out: run make fuzzers" >&2
	exit 2
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/crashes"
status=0
for t in "${targets[@]}"; do
	bin=$out/$t
	seeds=$top/fuzz/corpus/$t
	[ -x "$bin" ] || {
		echo "$t: no $bin"
		status=1
		continue
	}
	if [ "${FUZZ_FRESH:-0}" = 1 ]; then
		corpus=$tmp/corpus-$t
	else
		corpus=$out/corpus/$t
	fi
	mkdir -p "$corpus"
	dict=()
	[ -f "$top/fuzz/$t.dict" ] && dict=(-dict="$top/fuzz/$t.dict")
	log=$tmp/$t.log
	# One process, bounded by -max_total_time; timeout(1) only in case
	# it hangs past that. Leaks count (ASan's LeakSanitizer), as does an
	# input that runs longer than 10 s. -max_len covers the longest
	# line the parsers are sized for.
	timeout --kill-after=10 $((secs + 60)) "$bin" "${dict[@]}" \
		-max_total_time="$secs" -timeout=10 -max_len=4096 \
		-print_final_stats=1 -artifact_prefix="$out/crashes/$t-" \
		"$corpus" "$seeds" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	n=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		echo "$t: ok, ${runs:-?} runs in ${took:-?} s, corpus $n"
	else
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "$t: CRASH (exit $rc), input ${art:-not written}"
		grep -E 'ERROR: |SUMMARY: |runtime error|fuzz property violated|input:' "$log" |
			head -n 8 | sed 's/^/  /'
		status=1
	fi
done
exit "$status"
