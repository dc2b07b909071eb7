# Shared by the shell tests: result lines, and namespaces, links and
# datapaths that are removed when the test exits, however it exits.
# Test datapaths are named fpt*, test namespaces fpt-*: run.sh checks that
# none is left behind.

: "${FLOWPATH:?run through selftests/run.sh, or set FLOWPATH to the flowpath binary}"
: "${FP_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
FP_FAILS=0
_fp_netns=()
_fp_dps=()
_fp_cleanups=()

pass() { echo "PASS: $TEST_NAME: $*"; }
fail() { echo "FAIL: $TEST_NAME: $*"; FP_FAILS=$((FP_FAILS + 1)); }
skip() { echo "SKIP: $TEST_NAME: $*"; }
# check LABEL CMD...: PASS if CMD succeeds, else FAIL with its output.
check() {
	local label=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$label"; else fail "$label: $out"; fi
}
# check_fails LABEL PATTERN CMD...: CMD must exit non-zero and say PATTERN.
check_fails() {
	local label=$1 pattern=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		fail "$label: exited 0: $out"
	elif ! grep -qiE -- "$pattern" <<<"$out"; then
		fail "$label: message '$out' does not match /$pattern/"
	else
		pass "$label"
	fi
}
# check_eq LABEL ACTUAL EXPECTED
check_eq() {
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}

# A namespace that is deleted at exit. Runs commands with: nsx NAME CMD...
# nsx only switches the network namespace (nsenter), so bpffs stays visible.
add_netns() {
	ip netns add "$1" || return 1
	_fp_netns+=("$1")
	ip -n "$1" link set lo up
}
nsx() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}
# A datapath that is unloaded at exit. Give the netns its ports live in.
track_dp() { _fp_dps+=("$1:${2:-}"); }
at_exit() { _fp_cleanups+=("$*"); }

_fp_cleanup() {
	local i dp ns
	for ((i = ${#_fp_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_fp_cleanups[i]}" >/dev/null 2>&1
	done
	for i in "${_fp_dps[@]}"; do
		dp=${i%%:*} ns=${i#*:}
		if [ -n "$ns" ] && [ -e "/run/netns/$ns" ]; then
			nsx "$ns" "$FLOWPATH" unload --dp "$dp" >/dev/null 2>&1
		else
			"$FLOWPATH" unload --dp "$dp" >/dev/null 2>&1
		fi
		rm -rf "/sys/fs/bpf/flowpath/$dp" 2>/dev/null
	done
	for ns in "${_fp_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
}
trap _fp_cleanup EXIT
trap 'exit 130' INT TERM

# Exit status of the test script.
finish() { [ "$FP_FAILS" -eq 0 ]; }
