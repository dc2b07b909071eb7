// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "port.h"
#include "dp_upcall_limit.h"
#include "log.h"
#include "tc.h"
#include "tunnel_port.h"

int fp_port_get(struct fp_dp *dp, __u32 no, struct fp_port *port)
{
	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_PORTS], &no, port))
		return -errno;
	return 0;
}

bool fp_port_dev_present(const struct fp_port *port)
{
	char name[IF_NAMESIZE];

	if (!if_indextoname(port->ifindex, name))
		return false;
	return !strncmp(name, port->name, sizeof(port->name));
}

__u32 fp_port_lookup(struct fp_dp *dp, const char *dev)
{
	struct fp_port port;
	char *end;
	unsigned long n;
	__u32 no;

	n = strtoul(dev, &end, 10);
	if (*dev && !*end)
		return n > 0 && n < FP_MAX_PORTS &&
		       !fp_port_get(dp, n, &port) && port.ifindex ?
			       n : 0;
	for (no = 1; no < FP_MAX_PORTS; no++)
		if (!fp_port_get(dp, no, &port) && port.ifindex &&
		    !strncmp(port.name, dev, sizeof(port.name)))
			return no;
	return 0;
}

int fp_port_stats_clear(struct fp_dp *dp, __u32 no)
{
	int ncpu = fp_nr_cpus();
	struct fp_port_stats *zero = calloc(ncpu, sizeof(*zero));
	int err = 0;

	if (!zero)
		return -ENOMEM;
	if (bpf_map_update_elem(dp->map_fd[FP_MAP_PORT_STATS], &no, zero,
				BPF_ANY))
		err = -errno;
	free(zero);
	/* A new port's upcalls are not those of the one it replaces. */
	return err ? err : fp_upcall_port_stats_clear(dp, no);
}

/*
 * The parser's array copy of port_by_ifindex (maps/maps.bpf.h): @no for
 * @ifindex, 0 to clear it. Written after the hash entry is added and
 * cleared before it is deleted, so it never names a port the hash lacks.
 */
static int fp_port_ifidx_set(struct fp_dp *dp, __u32 ifindex, __u32 no)
{
	if (ifindex >= FP_PORT_IFINDEX_DIRECT)
		return 0;
	if (bpf_map_update_elem(dp->map_fd[FP_MAP_PORT_BY_IFIDX], &ifindex,
				&no, BPF_ANY)) {
		int err = -errno;

		fp_err("datapath %s: cannot set ifindex %u in port_by_ifidx: %s",
		       dp->name, ifindex, strerror(-err));
		return err;
	}
	return 0;
}

int fp_port_add(struct fp_dp *dp, const char *dev, __u32 no, bool attach,
		__u32 *added)
{
	struct fp_port port = {}, old;
	__u32 ifindex, existing;
	char path[PATH_MAX];
	int err, parser_fd = -1;
	bool own = false;

	ifindex = if_nametoindex(dev);
	if (!ifindex) {
		fp_err("port add: no such device '%s' in this network namespace",
		       dev);
		return -ENODEV;
	}
	if (strlen(dev) >= sizeof(port.name)) {
		fp_err("port add: device name '%s' is too long", dev);
		return -EINVAL;
	}
	err = fp_dp_check_netns(dp, "port add");
	if (!err)
		err = fp_dp_lock(dp);
	if (err)
		return err;
	if (!bpf_map_lookup_elem(dp->map_fd[FP_MAP_PORT_BY_IFINDEX], &ifindex,
				 &existing)) {
		fp_err("port add: %s is already port %u of datapath %s", dev,
		       existing, dp->name);
		return -EEXIST;
	}
	if (no) {
		if (no >= FP_MAX_PORTS) {
			fp_err("port add: port number %u out of range (1-%u)",
			       no, FP_MAX_PORTS - 1);
			return -ERANGE;
		}
		if (!fp_port_get(dp, no, &old) && old.ifindex) {
			fp_err("port add: port %u is already %s", no,
			       old.name);
			return -EEXIST;
		}
	} else {
		for (no = 1; no < FP_MAX_PORTS; no++)
			if (!fp_port_get(dp, no, &old) && !old.ifindex)
				break;
		if (no == FP_MAX_PORTS) {
			fp_err("port add: datapath %s has no free port number",
			       dp->name);
			return -ENOSPC;
		}
	}

	if (attach) {
		if (fp_dp_path(path, sizeof(path), dp->name, "progs/parser"))
			return -ENAMETOOLONG;
		parser_fd = bpf_obj_get(path);
		if (parser_fd < 0) {
			err = -errno;
			fp_err("port add: cannot open the parser %s: %s", path,
			       strerror(-err));
			return err;
		}
	}

	/* The port exists in the maps before the parser can see its first
	 * packet, so no packet is ever keyed without its in_port. */
	port.ifindex = ifindex;
	port.type = FP_PORT_NETDEV;
	snprintf(port.name, sizeof(port.name), "%s", dev);
	err = fp_port_stats_clear(dp, no);
	if (!err && bpf_map_update_elem(dp->map_fd[FP_MAP_PORTS], &no, &port,
					BPF_ANY))
		err = -errno;
	if (!err && bpf_map_update_elem(dp->map_fd[FP_MAP_PORT_BY_IFINDEX],
					&ifindex, &no, BPF_NOEXIST))
		err = -errno;
	if (!err)
		err = fp_port_ifidx_set(dp, ifindex, no);
	if (err) {
		fp_err("port add: cannot update the port maps: %s",
		       strerror(-err));
		goto undo;
	}
	if (attach) {
		err = fp_tc_attach(ifindex, parser_fd, false, &own);
		if (err)
			goto undo;
		port.flags = FP_PORT_F_ATTACHED | (own ? FP_PORT_F_OWN_QDISC : 0);
		bpf_map_update_elem(dp->map_fd[FP_MAP_PORTS], &no, &port,
				    BPF_ANY);
	}
	close(parser_fd);
	*added = no;
	return 0;
undo:
	memset(&port, 0, sizeof(port));
	fp_port_ifidx_set(dp, ifindex, 0);
	bpf_map_delete_elem(dp->map_fd[FP_MAP_PORT_BY_IFINDEX], &ifindex);
	bpf_map_update_elem(dp->map_fd[FP_MAP_PORTS], &no, &port, BPF_ANY);
	if (parser_fd >= 0)
		close(parser_fd);
	return err;
}

int fp_port_del(struct fp_dp *dp, __u32 no)
{
	struct fp_port port, empty = {};
	__u32 cur;
	int err;

	err = fp_dp_check_netns(dp, "port del");
	if (!err)
		err = fp_dp_lock(dp);
	if (err)
		return err;
	err = fp_port_get(dp, no, &port);
	if (err || !port.ifindex) {
		fp_err("port del: datapath %s has no port %u", dp->name, no);
		return -ENOENT;
	}
	if (port.type == FP_PORT_GRE || port.type == FP_PORT_ERSPAN) {
		/* No device, no filter, no ifindex entry of its own. */
		err = fp_tunnel_port_forget(dp, no, &port);
		if (!err && bpf_map_update_elem(dp->map_fd[FP_MAP_PORTS], &no,
						&empty, BPF_ANY))
			err = -errno;
		return err ? err : fp_port_stats_clear(dp, no);
	}
	cur = fp_tunnel_port_over(dp, no);
	if (cur) {
		fp_err("port del: port %u (%s) is the underlay of tunnel port %u: delete that first",
		       no, port.name, cur);
		return -EBUSY;
	}
	if (port.flags & FP_PORT_F_ATTACHED) {
		if (fp_port_dev_present(&port)) {
			err = fp_tc_detach(port.ifindex,
					   port.flags & FP_PORT_F_OWN_QDISC);
			if (err)
				return err;
		} else {
			fp_err("warning: port %u (%s) is gone or in another network namespace: nothing to detach",
			       no, port.name);
		}
	}
	if (port.ifindex < FP_PORT_IFINDEX_DIRECT &&
	    !bpf_map_lookup_elem(dp->map_fd[FP_MAP_PORT_BY_IFIDX],
				 &port.ifindex, &cur) &&
	    cur == no) {
		err = fp_port_ifidx_set(dp, port.ifindex, 0);
		if (err)
			return err;
	}
	bpf_map_delete_elem(dp->map_fd[FP_MAP_PORT_BY_IFINDEX], &port.ifindex);
	if (bpf_map_update_elem(dp->map_fd[FP_MAP_PORTS], &no, &empty,
				BPF_ANY))
		return -errno;
	return fp_port_stats_clear(dp, no);
}

int fp_port_stats_sum(struct fp_dp *dp, __u32 no, struct fp_port_stats *sum)
{
	int i, ncpu = fp_nr_cpus(), err = 0;
	struct fp_port_stats *v = calloc(ncpu, sizeof(*v));

	if (!v)
		return -ENOMEM;
	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_PORT_STATS], &no, v)) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < ncpu; i++) {
		sum->rx_packets += v[i].rx_packets;
		sum->rx_bytes += v[i].rx_bytes;
		sum->tx_packets += v[i].tx_packets;
		sum->tx_bytes += v[i].tx_bytes;
		sum->tx_dropped += v[i].tx_dropped;
	}
out:
	free(v);
	return err;
}
