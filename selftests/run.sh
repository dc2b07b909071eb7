#!/usr/bin/env bash
# Runs every flowpath test and prints the tally as its last line.
#
# usage: selftests/run.sh BUILD_DIR [NAME_FILTER]
#
# A test is a binary BUILD_DIR/selftests/test_* or a script selftests/test_*.sh.
# Each prints one line per check: "PASS: ...", "FAIL: ..." or "SKIP: ...".
# A test that exits non-zero without a FAIL line counts as one failure, as
# does one that runs longer than its time limit, and one whose every check
# was a SKIP. Skips are counted apart, on the last line.
#
# FP_ALSO_BUILDS="DIR...": also run the C tests of these builds (the same
# tests on BPF stages from another compiler, say), in the same tally.
set -u
build=${1:?usage: run.sh BUILD_DIR [FILTER]}
filter=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
export FLOWPATH="$build/flowpath" FP_BUILD="$build" FP_TOP="$top"
limit=${FP_TEST_TIMEOUT:-600}

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

# Test datapaths (fpt*) pinned before the run are not this run's doing.
pinned() { ls /sys/fs/bpf/flowpath 2>/dev/null | grep '^fpt' | sort; }
pinned_before=$(pinned)
# Likewise test namespaces (fpt-*).
netns() { ip netns list 2>/dev/null | awk '$1 ~ /^fpt-/ {print $1}' | sort; }
netns_before=$(netns)

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
	local name=$1
	shift
	echo "== $name"
	timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1
	local rc=$?
	cat "$log"
	local p f s
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	s=$(grep -c '^SKIP: ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			echo "FAIL: $name: timed out after ${limit}s"
		else
			echo "FAIL: $name: exited with status $rc"
		fi
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		echo "FAIL: $name: ran no check"
		f=1
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		# Every check skipped: nothing was proven.
		echo "FAIL: $name: skipped every check"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

for t in "$build"/selftests/test_* "$top"/selftests/test_*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t")
	[ -n "$filter" ] && [[ $name != *$filter* ]] && continue
	case $t in
	*.sh) run_one "$name" bash "$t" ;;
	*) run_one "$name" "$t" ;;
	esac
done

# The C tests that load no stage of FP_BUILD (userspace code alone, or the
# per-compiler builds that test_verifier loads itself): another build's
# stages change nothing under them, so they run once.
same_in_every_build=" test_odp test_ofrule test_csum_partial test_flow_table test_parser_accel test_verifier "
for also in ${FP_ALSO_BUILDS:-}; do
	also=$(cd "$also" && pwd) || { echo "FAIL: run.sh: no build $also"; failed=$((failed + 1)); continue; }
	export FLOWPATH="$also/flowpath" FP_BUILD="$also"
	for t in "$also"/selftests/test_*; do
		[ -e "$t" ] || continue
		name=$(basename "$t")
		[ -n "$filter" ] && [[ $name != *$filter* ]] && continue
		[[ $same_in_every_build == *" $name "* ]] && continue
		run_one "$name [$(basename "$also")]" "$t"
	done
done

leftover=$(comm -13 <(echo "$pinned_before") <(pinned) | tr '\n' ' ')
if [ -n "$leftover" ]; then
	echo "FAIL: run.sh: tests left pinned datapaths behind: $leftover"
	failed=$((failed + 1))
fi
leftover=$(comm -13 <(echo "$netns_before") <(netns) | tr '\n' ' ')
if [ -n "$leftover" ]; then
	echo "FAIL: run.sh: tests left network namespaces behind: $leftover"
	failed=$((failed + 1))
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
