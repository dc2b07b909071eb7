// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "log.h"
#include "odp_text.h"
#include "port.h"
#include "tunnel_port.h"

static const char *type_name(__u32 type)
{
	return type == FP_PORT_ERSPAN ? "erspan" : "gre";
}

void fp_tunnel_opts_init(struct fp_tunnel_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->tos = -1;
	o->ttl = -1;
	o->erspan_idx = o->erspan_dir = o->erspan_hwid = -1;
}

static int parse_ip(const char *what, const char *s, __be32 *ip)
{
	struct in_addr a;

	if (!s) {
		fp_err("port add: %s is required for a tunnel port", what);
		return -EINVAL;
	}
	if (inet_pton(AF_INET, s, &a) != 1 || !a.s_addr) {
		fp_err("port add: %s '%s': expected an IPv4 address (IPv6 outer headers "
		       "are not supported)",
		       what, s);
		return -EINVAL;
	}
	*ip = a.s_addr;
	return 0;
}

static int parse_mac(const char *what, const char *s, __u8 mac[6])
{
	if (fp_odp_scan_mac(s, strlen(s), mac)) {
		fp_err("port add: %s '%s': expected a MAC address like 02:00:00:00:00:01",
		       what, s);
		return -EINVAL;
	}
	return 0;
}

/* The device's own MAC: the outer source. */
static int dev_mac(const char *dev, __u8 mac[6])
{
	struct ifreq ifr = {};
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

/* @ip's MAC in the neighbour table of @dev (complete entries only), from
 * /proc/net/arp, which shows the caller's network namespace. */
static int neigh_mac(const char *dev, __be32 ip, __u8 mac[6])
{
	char line[256], addr[64], hw[64], ifname[IF_NAMESIZE + 1];
	unsigned int type, flags;
	struct in_addr a;
	FILE *f = fopen("/proc/net/arp", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) { /* the heading */
		fclose(f);
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %x %x %63s %*s %16s", addr, &type,
			   &flags, hw, ifname) != 5)
			continue;
		if (strcmp(ifname, dev) || inet_pton(AF_INET, addr, &a) != 1 ||
		    a.s_addr != ip || !(flags & 0x2 /* ATF_COM */))
			continue;
		if (!fp_odp_scan_mac(hw, strlen(hw), mac)) {
			err = 0;
			break;
		}
	}
	fclose(f);
	return err;
}

static int range(const char *opt, long v, long max)
{
	if (v < 0 || v > max) {
		fp_err("port add: %s %ld out of range (0-%ld)", opt, v, max);
		return -ERANGE;
	}
	return 0;
}

/* Every option against the port type and the others; into @t. */
static int tunnel_config(const struct fp_tunnel_opts *o,
			 struct fp_tunnel_port *t)
{
	bool erspan = o->type == FP_PORT_ERSPAN;
	int err;

	err = parse_ip("--local-ip", o->local_ip, &t->local);
	if (!err)
		err = parse_ip("--remote-ip", o->remote_ip, &t->remote);
	if (err)
		return err;
	if (t->local == t->remote) {
		fp_err("port add: --local-ip and --remote-ip are both %s",
		       o->local_ip);
		return -EINVAL;
	}
	if (o->tos >= 0 && range("--tos", o->tos, 255))
		return -ERANGE;
	if (o->ttl >= 0 && (o->ttl == 0 || range("--ttl", o->ttl, 255))) {
		if (o->ttl == 0)
			fp_err("port add: --ttl 0: expected 1 to 255");
		return -ERANGE;
	}
	t->tos = o->tos >= 0 ? o->tos : 0;
	t->ttl = o->ttl > 0 ? o->ttl : FP_TUN_TTL_DEFAULT;
	t->flags = o->no_df ? 0 : FP_TUN_F_DF;
	t->malformed = o->malformed;
	if (!erspan) {
		if (o->erspan_ver || o->erspan_idx >= 0 || o->erspan_dir >= 0 ||
		    o->erspan_hwid >= 0) {
			fp_err("port add: --erspan-* options are for --type erspan, not gre");
			return -EINVAL;
		}
		if (o->key_set) {
			t->flags |= FP_TUN_F_KEY;
			t->key = htonl(o->key);
		}
		if (o->csum)
			t->flags |= FP_TUN_F_CSUM;
		if (o->seq)
			t->flags |= FP_TUN_F_SEQ;
		return 0;
	}

	/* ERSPAN: always numbered, never a GRE checksum; key = session id. */
	if (o->csum || o->seq) {
		fp_err("port add: --%s is for --type gre: ERSPAN always numbers its "
		       "packets and has no GRE checksum",
		       o->csum ? "csum" : "seq");
		return -EINVAL;
	}
	if (o->key_set &&
	    range("--key (the ERSPAN session id)", o->key, FP_ERSPAN_SID_MASK))
		return -ERANGE;
	t->flags |= FP_TUN_F_KEY;
	t->key = htonl(o->key);
	t->erspan_ver = o->erspan_ver ? o->erspan_ver : 1;
	if (t->erspan_ver == 1) {
		if (o->erspan_dir >= 0 || o->erspan_hwid >= 0) {
			fp_err("port add: --erspan-dir and --erspan-hwid are for --erspan-ver 2, "
			       "not 1");
			return -EINVAL;
		}
		if (o->erspan_idx >= 0 &&
		    range("--erspan-idx", o->erspan_idx, FP_ERSPAN_IDX_MASK))
			return -ERANGE;
		t->erspan_idx = o->erspan_idx > 0 ? o->erspan_idx : 0;
		return 0;
	}
	if (o->erspan_idx >= 0) {
		fp_err("port add: --erspan-idx is for --erspan-ver 1, not 2");
		return -EINVAL;
	}
	if ((o->erspan_dir >= 0 && range("--erspan-dir", o->erspan_dir, 1)) ||
	    (o->erspan_hwid >= 0 &&
	     range("--erspan-hwid", o->erspan_hwid, FP_ERSPAN_HWID_MASK)))
		return -ERANGE;
	t->erspan_dir = o->erspan_dir > 0 ? o->erspan_dir : 0;
	t->erspan_hwid = o->erspan_hwid > 0 ? o->erspan_hwid : 0;
	return 0;
}

/* Outer MACs: the options, else the underlay's own and the remote's
 * neighbour entry on it, resolved now, once (said on stdout). */
static int tunnel_macs(const struct fp_tunnel_opts *o, const char *dev,
		       struct fp_tunnel_port *t)
{
	char ip[INET_ADDRSTRLEN];
	int err;

	if (o->local_mac) {
		err = parse_mac("--local-mac", o->local_mac, t->eth_src);
		if (err)
			return err;
	} else if ((err = dev_mac(dev, t->eth_src))) {
		fp_err("port add: cannot read the MAC of underlay %s: %s", dev,
		       strerror(-err));
		return err;
	}
	if (o->remote_mac)
		return parse_mac("--remote-mac", o->remote_mac, t->eth_dst);
	inet_ntop(AF_INET, &t->remote, ip, sizeof(ip));
	err = neigh_mac(dev, t->remote, t->eth_dst);
	if (err) {
		fp_err("port add: %s is not in the neighbour table of %s: give "
		       "--remote-mac, or resolve it first (ping %s from here)",
		       ip, dev, ip);
		return -EHOSTUNREACH;
	}
	printf("outer destination MAC %02x:%02x:%02x:%02x:%02x:%02x: %s's neighbour "
	       "entry on %s\n",
	       t->eth_dst[0], t->eth_dst[1], t->eth_dst[2], t->eth_dst[3],
	       t->eth_dst[4], t->eth_dst[5], ip, dev);
	return 0;
}

static int free_port_no(struct fp_dp *dp, __u32 *no)
{
	struct fp_port old;

	if (*no) {
		if (!fp_port_get(dp, *no, &old) && old.ifindex) {
			fp_err("port add: port %u is already %s", *no,
			       old.name);
			return -EEXIST;
		}
		return 0;
	}
	for (*no = 1; *no < FP_MAX_PORTS; (*no)++)
		if (!fp_port_get(dp, *no, &old) && !old.ifindex)
			return 0;
	fp_err("port add: datapath %s has no free port number", dp->name);
	return -ENOSPC;
}

int fp_tunnel_port_add(struct fp_dp *dp, const char *name, __u32 no,
		       const struct fp_tunnel_opts *o, __u32 *added)
{
	struct fp_tunnel_port t = {}, zero = {};
	struct fp_tun_endpoint ep = {};
	struct fp_tun_endpoint_key ek;
	struct fp_port port = {}, under;
	__u32 uno, *slot;
	bool ep_new;
	int err;

	if (strlen(name) >= sizeof(port.name) || !*name) {
		fp_err("port add: tunnel port name '%s' must be 1 to %zu characters",
		       name, sizeof(port.name) - 1);
		return -EINVAL;
	}
	if (fp_port_lookup(dp, name)) {
		fp_err("port add: datapath %s already has a port '%s'",
		       dp->name, name);
		return -EEXIST;
	}
	if (!o->underlay) {
		fp_err("port add: --underlay DEV is required for a tunnel port");
		return -EINVAL;
	}
	uno = fp_port_lookup(dp, o->underlay);
	if (!uno || fp_port_get(dp, uno, &under) ||
	    under.type != FP_PORT_NETDEV) {
		fp_err("port add: --underlay %s is not a device port of datapath %s (add "
		       "it first: flowpath port add %s)",
		       o->underlay, dp->name, o->underlay);
		return -ENODEV;
	}
	err = tunnel_config(o, &t);
	if (!err)
		err = tunnel_macs(o, under.name, &t);
	if (err)
		return err;
	t.underlay = uno;

	err = fp_dp_check_netns(dp, "port add");
	if (!err)
		err = fp_dp_lock(dp);
	if (!err)
		err = free_port_no(dp, &no);
	if (err)
		return err;

	ek.local = t.local;
	ek.remote = t.remote;
	ep_new = bpf_map_lookup_elem(dp->map_fd[FP_MAP_TUN_ENDPOINTS], &ek,
				     &ep) != 0;
	slot = o->type == FP_PORT_ERSPAN ? &ep.erspan_port : &ep.gre_port;
	if (*slot) {
		fp_err("port add: port %u is already the %s port from %s to %s",
		       *slot, type_name(o->type), o->local_ip, o->remote_ip);
		return -EEXIST;
	}
	if (!ep_new && ep.malformed != t.malformed) {
		fp_err("port add: --malformed %s differs from that of port %u, which ends "
		       "at the same addresses",
		       t.malformed == FP_TUN_MALFORMED_PASS ? "pass" : "drop",
		       ep.gre_port ? ep.gre_port : ep.erspan_port);
		return -EINVAL;
	}
	*slot = no;
	ep.malformed = t.malformed;

	port.ifindex = under.ifindex;
	port.type = o->type;
	snprintf(port.name, sizeof(port.name), "%s", name);
	/* Configuration first, the port next, the endpoint last: decap finds
	 * the port only once everything it reads is there. */
	err = fp_port_stats_clear(dp, no);
	if (!err &&
	    bpf_map_update_elem(dp->map_fd[FP_MAP_TUNNELS], &no, &t, BPF_ANY))
		err = -errno;
	if (!err &&
	    bpf_map_update_elem(dp->map_fd[FP_MAP_PORTS], &no, &port, BPF_ANY))
		err = -errno;
	if (!err && bpf_map_update_elem(dp->map_fd[FP_MAP_TUN_ENDPOINTS], &ek,
					&ep, BPF_ANY))
		err = -errno;
	if (err) {
		fp_err("port add: cannot update the tunnel maps: %s",
		       strerror(-err));
		memset(&port, 0, sizeof(port));
		bpf_map_update_elem(dp->map_fd[FP_MAP_PORTS], &no, &port,
				    BPF_ANY);
		bpf_map_update_elem(dp->map_fd[FP_MAP_TUNNELS], &no, &zero,
				    BPF_ANY);
		return err;
	}
	*added = no;
	return 0;
}

int fp_tunnel_port_forget(struct fp_dp *dp, __u32 no,
			  const struct fp_port *port)
{
	struct fp_tunnel_port t, zero = {};
	struct fp_tun_endpoint_key ek;
	struct fp_tun_endpoint ep;
	__u32 *slot;

	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_TUNNELS], &no, &t))
		return -errno;
	ek.local = t.local;
	ek.remote = t.remote;
	if (!bpf_map_lookup_elem(dp->map_fd[FP_MAP_TUN_ENDPOINTS], &ek, &ep)) {
		slot = port->type == FP_PORT_ERSPAN ? &ep.erspan_port :
						      &ep.gre_port;
		if (*slot == no)
			*slot = 0;
		if (!ep.gre_port && !ep.erspan_port)
			bpf_map_delete_elem(dp->map_fd[FP_MAP_TUN_ENDPOINTS],
					    &ek);
		else
			bpf_map_update_elem(dp->map_fd[FP_MAP_TUN_ENDPOINTS],
					    &ek, &ep, BPF_ANY);
	}
	if (bpf_map_update_elem(dp->map_fd[FP_MAP_TUNNELS], &no, &zero,
				BPF_ANY))
		return -errno;
	return 0;
}

__u32 fp_tunnel_port_over(struct fp_dp *dp, __u32 no)
{
	struct fp_tunnel_port t;
	struct fp_port port;
	__u32 i;

	for (i = 1; i < FP_MAX_PORTS; i++)
		if (!fp_port_get(dp, i, &port) && port.ifindex &&
		    (port.type == FP_PORT_GRE || port.type == FP_PORT_ERSPAN) &&
		    !bpf_map_lookup_elem(dp->map_fd[FP_MAP_TUNNELS], &i, &t) &&
		    t.underlay == no)
			return i;
	return 0;
}

void fp_tunnel_port_describe(struct fp_dp *dp, __u32 no, char *buf, size_t len)
{
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], extra[96] = "";
	char key[32] = "";
	struct fp_tunnel_port t;
	struct fp_port port;
	const __u8 *s, *d;

	if (fp_port_get(dp, no, &port) ||
	    bpf_map_lookup_elem(dp->map_fd[FP_MAP_TUNNELS], &no, &t)) {
		snprintf(buf, len, "?");
		return;
	}
	inet_ntop(AF_INET, &t.local, l, sizeof(l));
	inet_ntop(AF_INET, &t.remote, r, sizeof(r));
	if (t.erspan_ver == 1)
		snprintf(extra, sizeof(extra), ", erspan ver 1 idx 0x%x",
			 t.erspan_idx);
	else if (t.erspan_ver == 2)
		snprintf(extra, sizeof(extra),
			 ", erspan ver 2 dir %u hwid 0x%x", t.erspan_dir,
			 t.erspan_hwid);
	if (t.flags & FP_TUN_F_KEY)
		snprintf(key, sizeof(key), ", %s %u",
			 t.erspan_ver ? "session" : "key", ntohl(t.key));
	s = t.eth_src;
	d = t.eth_dst;
	snprintf(
		buf, len,
		"%s %s -> %s%s%s%s%s%s, tos 0x%x, ttl %u, underlay port %u, outer "
		"eth %02x:%02x:%02x:%02x:%02x:%02x -> "
		"%02x:%02x:%02x:%02x:%02x:%02x, malformed: %s",
		type_name(port.type), l, r, key,
		t.flags & FP_TUN_F_CSUM ? ", csum" : "",
		t.flags & FP_TUN_F_SEQ ? ", seq" : "",
		t.flags & FP_TUN_F_DF ? ", df" : "", extra, t.tos, t.ttl,
		t.underlay, s[0], s[1], s[2], s[3], s[4], s[5], d[0], d[1],
		d[2], d[3], d[4], d[5],
		t.malformed == FP_TUN_MALFORMED_PASS ? "pass" : "drop");
}
