#!/usr/bin/env bash
# The fuzz targets (fuzz/, `make fuzz`) still build and run: each target
# runs every seed and what the fuzzer earlier found crashing
# (fuzz/corpus/TARGET/crash-*, fixed since), then fuzzes for
# FP_FUZZ_SECONDS (10) from the seeds alone, without a crash, a leak or a
# broken round trip. The targets are taken from FP_FUZZ_OUT (build/fuzz,
# where make puts them), built there first if missing.
source "$(dirname "$0")/lib.sh"

out=${FP_FUZZ_OUT:-$FP_TOP/build/fuzz}
secs=${FP_FUZZ_SECONDS:-10}
targets=()
for src in "$FP_TOP"/fuzz/fuzz_*.c; do
	targets+=("$(basename "$src" .c)")
done
missing=0
for t in "${targets[@]}"; do
	[ -x "$out/$t" ] || missing=1
done
if [ "$missing" -eq 1 ]; then
	out_rel=${out#"$FP_TOP"/}
	if [ "$out_rel" != build/fuzz ]; then
		fail "no fuzz targets in $out (FP_FUZZ_OUT), and make builds only build/fuzz"
		exit 1
	fi
	check "fuzz targets build" make -C "$FP_TOP" --no-print-directory fuzzers
fi

for t in "${targets[@]}"; do
	bin=$out/$t
	if [ ! -x "$bin" ]; then
		fail "$t: no $bin"
		continue
	fi
	# Each seed once: a regression run of what earlier crashed.
	seeds=("$FP_TOP/fuzz/corpus/$t"/*)
	if log=$("$bin" "${seeds[@]}" 2>&1); then
		pass "$t: ${#seeds[@]} seeds run clean (crash-* inputs fixed)"
	else
		fail "$t: a seed fails: $(grep -E 'property violated|ERROR:|runtime error|input:' <<<"$log" | head -n 4)"
	fi
	if res=$(FUZZ_FRESH=1 bash "$FP_TOP/fuzz/run.sh" "$out" "$secs" "$t" 2>&1); then
		pass "$res"
	else
		fail "$res"
	fi
done
finish
