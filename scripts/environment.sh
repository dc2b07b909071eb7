#!/usr/bin/env bash
# Where this run is: the kernel, the compilers and libraries whose
# versions change what the verifier and the tests see. .ci/run prints it
# first, so that a red run names the machine it ran on.
set -u
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
echo "environment: Linux $(uname -r) ($(uname -v)), $(nproc) CPUs"
for c in clang-14 clang-16 clang-19; do
	if command -v "$c" >/dev/null; then
		echo "environment: $c: $("$c" --version | head -n 1)"
	else
		echo "environment: $c: not installed"
	fi
done
echo "environment: gcc $(gcc -dumpfullversion 2>/dev/null || echo '?'), libbpf-dev $(ver libbpf-dev), libxdp-dev $(ver libxdp-dev), bpftool $(ver bpftool), iproute2 $(ver iproute2), openvswitch-common $(ver openvswitch-common)"
