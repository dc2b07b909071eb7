// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_tun.h>

#include "tap.h"
#include "log.h"
#include "tap_execute.h"
#include "tc.h"

void fp_tap_name(const char *dp_name, char *buf, size_t len)
{
	__u32 h = 2166136261u;
	const char *p;

	if (strlen(dp_name) + 3 < IFNAMSIZ) {
		snprintf(buf, len, "fpx%s", dp_name);
		return;
	}
	/* Long names: a prefix of it, and a hash of all of it, so that two
	 * datapaths sharing the prefix get different devices. */
	for (p = dp_name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(buf, len, "fpx%.7s%04x", dp_name, h & 0xffff);
}

static int if_ioctl(struct fp_tap *t, unsigned long req, struct ifreq *ifr,
		    const char *what)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (s < 0 || ioctl(s, req, ifr)) {
		err = -errno;
		fp_err("agent: TAP %s: cannot %s: %s", t->name, what,
		       strerror(-err));
	}
	if (s >= 0)
		close(s);
	return err;
}

/* The TAP never carries the host's own traffic: no IPv6 on it (no
 * autoconfiguration, DAD or MLD frames), no ARP. */
static void quiet_ipv6(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* no IPv6 at all */
	if (write(fd, "1", 1) != 1)
		fp_dbg("agent: TAP %s: cannot disable IPv6", name);
	close(fd);
}

int fp_tap_open(struct fp_tap *t, const char *dp_name, int prog_fd)
{
	static const __u8 hdr_dst[6] = FP_TAPX_DST_MAC;
	struct ifreq ifr = {};
	bool own_qdisc;
	int err;

	memset(t, 0, sizeof(*t));
	fp_tap_name(dp_name, t->name, sizeof(t->name));
	t->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (t->fd < 0) {
		err = -errno;
		fp_err("agent: cannot open /dev/net/tun: %s", strerror(-err));
		return err;
	}
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->name);
	/* Refuse a device of that name that is not ours: TUNSETIFF would
	 * attach to an existing persistent TAP. */
	if (if_nametoindex(t->name)) {
		fp_err("agent: device %s already exists: another agent of datapath %s, or a stale device to remove",
		       t->name, dp_name);
		err = -EEXIST;
		goto fail;
	}
	if (ioctl(t->fd, TUNSETIFF, &ifr)) {
		err = -errno;
		fp_err("agent: cannot create TAP %s: %s", t->name,
		       strerror(-err));
		goto fail;
	}
	t->ifindex = if_nametoindex(t->name);
	if (!t->ifindex) {
		err = -ENODEV;
		fp_err("agent: TAP %s vanished", t->name);
		goto fail;
	}
	/* A locally administered MAC other than the header's destination,
	 * so that the kernel takes header frames for another host's. */
	memcpy(t->mac, hdr_dst, 6);
	t->mac[5] = 0x01;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->name);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, t->mac, 6);
	err = if_ioctl(t, SIOCSIFHWADDR, &ifr, "set its MAC");
	if (err)
		goto fail;
	quiet_ipv6(t->name);

	/* The program first, then up: no frame can be written to a TAP that
	 * lacks it (a write to a down TAP fails). */
	err = fp_tc_attach(t->ifindex, prog_fd, false, &own_qdisc);
	if (err) {
		fp_err("agent: cannot attach tap_execute to %s", t->name);
		goto fail;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->name);
	ifr.ifr_flags = IFF_UP | IFF_NOARP;
	err = if_ioctl(t, SIOCSIFFLAGS, &ifr, "bring it up");
	if (err)
		goto fail;
	return 0;
fail:
	/* A non-persistent TAP, its qdisc and filter go with its last fd. */
	close(t->fd);
	t->fd = -1;
	return err;
}

void fp_tap_close(struct fp_tap *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

int fp_tap_execute(struct fp_tap *t, __u32 in_port, const void *pkt,
		   __u32 len)
{
	static const __u8 hdr_dst[6] = FP_TAPX_DST_MAC;
	struct fp_tapx_hdr hdr = {};
	struct iovec iov[2];
	ssize_t n;

	memcpy(hdr.dst, hdr_dst, 6);
	memcpy(hdr.src, t->mac, 6);
	hdr.eth_type = htons(FP_TAPX_ETH_TYPE);
	hdr.magic = htonl(FP_TAPX_MAGIC);
	hdr.in_port = in_port;
	iov[0].iov_base = &hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)pkt;
	iov[1].iov_len = len;
	n = writev(t->fd, iov, 2);
	if (n < 0)
		return -errno;
	return n == (ssize_t)(sizeof(hdr) + len) ? 0 : -EIO;
}
