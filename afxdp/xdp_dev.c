// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "log.h"
#include "stages.h"
#include "xdp_dev.h"
#include "xsk.h"

/* Room the kernel keeps in front of a received frame (XDP_PACKET_HEADROOM),
 * and the largest Ethernet header: what an MTU-sized frame needs. */
#define FP_XDP_HEADROOM 256
#define FP_ETH_HLEN_MAX (14 + 2 * 4)

static const char *mode_name(__u32 mode)
{
	return mode == XDP_FLAGS_SKB_MODE  ? "skb"
	       : mode == XDP_FLAGS_HW_MODE ? "hw"
					   : "native";
}

/* The device's rx queues as ethtool counts them; a driver without
 * channels has one. */
static int dev_queues(int sock, const char *name, unsigned int *n)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&ch;
	if (ioctl(sock, SIOCETHTOOL, &ifr)) {
		if (errno != EOPNOTSUPP)
			return -errno;
		*n = 1;
		return 0;
	}
	*n = ch.rx_count > ch.combined_count ? ch.rx_count : ch.combined_count;
	if (*n == 0)
		*n = 1;
	return 0;
}

static int dev_mtu(int sock, const char *name, unsigned int *mtu)
{
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(sock, SIOCGIFMTU, &ifr))
		return -errno;
	*mtu = ifr.ifr_mtu;
	return 0;
}

/* The name of program @id into @name (BPF_OBJ_NAME_LEN bytes). */
static int prog_name(__u32 id, char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id), err = 0;

	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = -errno;
	else
		snprintf(name, BPF_OBJ_NAME_LEN, "%s", info.name);
	close(fd);
	return err;
}

/* Refuse anyone else's program; note one of ours left by a crash. */
static int check_attached(struct fp_xdp_dev *d)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct {
		__u32 id;
		__u32 mode;
	} progs[3];
	char name[BPF_OBJ_NAME_LEN];
	int err, i;

	err = bpf_xdp_query(d->ifindex, 0, &q);
	if (err) {
		fp_err("%s: cannot query its XDP programs: %s", d->name,
		       strerror(-err));
		return err;
	}
	progs[0].id = q.drv_prog_id;
	progs[0].mode = XDP_FLAGS_DRV_MODE;
	progs[1].id = q.skb_prog_id;
	progs[1].mode = XDP_FLAGS_SKB_MODE;
	progs[2].id = q.hw_prog_id;
	progs[2].mode = XDP_FLAGS_HW_MODE;
	for (i = 0; i < 3; i++) {
		if (!progs[i].id)
			continue;
		err = prog_name(progs[i].id, name);
		if (err) {
			fp_err("%s: cannot read XDP program id %u: %s", d->name,
			       progs[i].id, strerror(-err));
			return err;
		}
		if (strcmp(name, FP_XSK_PROG_NAME) ||
		    progs[i].mode == XDP_FLAGS_HW_MODE) {
			fp_err("%s already has XDP program '%s' (id %u); not "
			       "replacing it",
			       d->name, name, progs[i].id);
			return -EBUSY;
		}
		d->stale_id = progs[i].id;
		d->stale_mode = progs[i].mode;
	}
	return 0;
}

int fp_xdp_dev_check(struct fp_xdp_dev *d, const char *name,
		     unsigned int queues, unsigned int frame_size,
		     bool skb_mode)
{
	unsigned int max_mtu = frame_size - FP_XDP_HEADROOM - FP_ETH_HLEN_MAX;
	int sock, err;

	memset(d, 0, sizeof(*d));
	d->prog_fd = d->xsks_fd = -1;
	d->mode = skb_mode ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	if (strlen(name) >= sizeof(d->name)) {
		fp_err("device name '%s' is too long (at most %zu characters)",
		       name, sizeof(d->name) - 1);
		return -EINVAL;
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->ifindex = if_nametoindex(name);
	if (!d->ifindex) {
		fp_err("no such device '%s'", name);
		return -ENODEV;
	}
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		err = -errno;
		fp_err("%s: socket: %s", name, strerror(-err));
		return err;
	}
	err = dev_queues(sock, name, &d->n_queues);
	if (err) {
		fp_err("%s: cannot read its queue count: %s", name,
		       strerror(-err));
		goto out;
	}
	err = dev_mtu(sock, name, &d->mtu);
	if (err) {
		fp_err("%s: cannot read its MTU: %s", name, strerror(-err));
		goto out;
	}
	if (queues > d->n_queues) {
		fp_err("%s: --queues %u: queue index %u is beyond the device's "
		       "%u rx queue(s)",
		       name, queues, queues - 1, d->n_queues);
		err = -EINVAL;
		goto out;
	}
	if (d->mtu > max_mtu) {
		fp_err("%s: MTU %u does not fit a %u-byte umem frame (at most "
		       "%u)",
		       name, d->mtu, frame_size, max_mtu);
		err = -EINVAL;
		goto out;
	}
	err = check_attached(d);
out:
	close(sock);
	return err;
}

int fp_xdp_dev_load(struct fp_xdp_dev *d, unsigned int queues)
{
	const struct fp_stage *st = &fp_xdp_redirect_stage;
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	d->obj = fp_stage_open_private(st);
	if (!d->obj)
		return -EINVAL;
	map = bpf_object__find_map_by_name(d->obj, "fp_xsks");
	prog = bpf_object__find_program_by_name(d->obj, st->prog);
	if (!map || !prog) {
		fp_err("%s: object %s has no map fp_xsks or program %s",
		       d->name, st->name, st->prog);
		return -ENOENT;
	}
	err = bpf_map__set_max_entries(map, queues);
	if (!err)
		err = bpf_object__load(d->obj);
	if (err) {
		fp_err("%s: cannot load XDP program %s: %s (-v shows the "
		       "verifier log)",
		       d->name, st->prog, strerror(-err));
		return err;
	}
	d->prog_fd = bpf_program__fd(prog);
	d->xsks_fd = bpf_map__fd(map);
	return 0;
}

static int detach_stale(struct fp_xdp_dev *d)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o);
	int fd = bpf_prog_get_fd_by_id(d->stale_id), err;

	if (fd < 0) /* gone meanwhile */
		return errno == ENOENT ? 0 : -errno;
	o.old_prog_fd = fd;
	err = bpf_xdp_detach(d->ifindex, d->stale_mode, &o);
	close(fd);
	return err;
}

int fp_xdp_dev_remove_stale(struct fp_xdp_dev *d)
{
	int err;

	if (d->stale_id) {
		fp_err("%s: replacing stale XDP program '%s' (id %u, %s mode) "
		       "left "
		       "attached by an earlier flowpath afxdp",
		       d->name, FP_XSK_PROG_NAME, d->stale_id,
		       mode_name(d->stale_mode));
		err = detach_stale(d);
		if (err) {
			fp_err("%s: cannot detach stale XDP program id %u: %s",
			       d->name, d->stale_id, strerror(-err));
			return err;
		}
		d->stale_id = 0;
	}
	return 0;
}

int fp_xdp_dev_attach(struct fp_xdp_dev *d)
{
	int err;

	err = bpf_xdp_attach(d->ifindex, d->prog_fd,
			     d->mode | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (err) {
		fp_err("%s: cannot attach XDP program in %s mode: %s%s",
		       d->name, mode_name(d->mode), strerror(-err),
		       d->mode == XDP_FLAGS_DRV_MODE ? " (does the driver "
						       "support native XDP? "
						       "try --mode skb)"
						     : "");
		return err;
	}
	d->attached = true;
	return 0;
}

void fp_xdp_dev_close(struct fp_xdp_dev *d)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o);
	int err;

	if (d->attached) {
		/* Only if it is still ours: someone may have replaced it. */
		o.old_prog_fd = d->prog_fd;
		err = bpf_xdp_detach(d->ifindex, d->mode, &o);
		if (err)
			fp_err("%s: cannot detach XDP program: %s", d->name,
			       strerror(-err));
		d->attached = false;
	}
	bpf_object__close(d->obj);
	d->obj = NULL;
	d->prog_fd = d->xsks_fd = -1;
}
