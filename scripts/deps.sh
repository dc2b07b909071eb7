#!/usr/bin/env bash
# Installs what flowpath needs to build and test, on Debian 12, as root.
# Installs nothing when everything is already there.
set -euo pipefail

packages=(
	make gcc pkg-config          # userspace build
	clang-14 clang-16 clang-19 llvm  # BPF: every stage is verified from each
	libclang-rt-19-dev           # libFuzzer, ASan, UBSan runtimes for clang-19: fuzz/
	libbpf-dev bpftool           # libbpf 1.1, skeletons
	libxdp-dev                   # AF_XDP sockets (xsk API): flowpath afxdp, the xsk baseline
	libelf-dev zlib1g-dev        # libbpf's link dependencies
	libpcap-dev tcpdump tshark   # pcaps in tests
	python3-scapy                # pcap generators (run with /usr/bin/python3)
	python3-netaddr              # lets OVS's own Python flow parser cross-check dumps
	gnuplot-nox                  # the benchmark chart (its smoke test runs in make check)
	openvswitch-common           # ovs-ofctl parse-pcap, the reference parser
	iproute2 util-linux procps   # ip/tc, nsenter for namespaces; pgrep
	ethtool                      # offloads on and off: e2e tests, the demo
	python3-openvswitch          # OVS's ovs.flow.odp parser, for the cross-check
)

missing=()
for p in "${packages[@]}"; do
	[[ $p == \#* ]] && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing ${missing[*]}; run as root to install them" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# make bench (deps.sh --bench) also measures OVS's afxdp datapath, which
# it starts privately: install openvswitch-switch without letting its
# package start the system's ovsdb-server and ovs-vswitchd (policy-rc.d
# 101: "not now"), so no service is left running.
if [ "${1:-}" = --bench ] &&
	! dpkg-query -W -f='${Status}' openvswitch-switch 2>/dev/null | grep -q "ok installed"; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing openvswitch-switch; run as root to install it" >&2
		exit 1
	fi
	echo "deps: installing openvswitch-switch (its services not started)"
	own_policy=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		own_policy=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends openvswitch-switch >/dev/null ||
		echo "deps: openvswitch-switch did not install: the benchmark says OVS is not measured" >&2
	[ "$own_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
fi

# The tests and the demo pin into bpffs.
if ! mountpoint -q /sys/fs/bpf; then
	mount -t bpf bpf /sys/fs/bpf
fi
