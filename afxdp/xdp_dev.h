/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The devices of flowpath afxdp and its XDP program on each: checked
 * first without touching anything, then the program loaded (its own
 * XSKMAP per device), attached last and detached on the way out.
 */
#ifndef FP_AFXDP_XDP_DEV_H
#define FP_AFXDP_XDP_DEV_H

#include <linux/types.h>
#include <net/if.h>
#include <stdbool.h>

struct bpf_object;

struct fp_xdp_dev {
	char name[IF_NAMESIZE];
	int ifindex;
	unsigned int n_queues; /* the device's rx queues */
	unsigned int mtu;
	/* A program an earlier flowpath afxdp left attached (crashed): its
	 * id and attach mode, removed by fp_xdp_dev_remove_stale(). */
	__u32 stale_id;
	__u32 stale_mode;
	struct bpf_object *obj;
	int prog_fd;
	int xsks_fd;
	__u32 mode; /* XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE */
	bool attached;
};

/*
 * Look @name up and check that it can take @queues AF_XDP queues of
 * @frame_size-byte frames and that no one else's XDP program is on it
 * (a stale flowpath one is noted, not yet removed). Changes nothing.
 * 0, or -errno after a message naming the device.
 */
int fp_xdp_dev_check(struct fp_xdp_dev *d, const char *name,
		     unsigned int queues, unsigned int frame_size,
		     bool skb_mode);

/* Load the program, its XSKMAP sized for @queues. Not attached yet. */
int fp_xdp_dev_load(struct fp_xdp_dev *d, unsigned int queues);

/* Detach a stale flowpath program, saying so. Before any socket is bound:
 * its XSKMAP keeps the crashed run's sockets, and their queues, busy. */
int fp_xdp_dev_remove_stale(struct fp_xdp_dev *d);

/* Attach ours. */
int fp_xdp_dev_attach(struct fp_xdp_dev *d);

/* Detach our program if it is still the one attached, and free it. */
void fp_xdp_dev_close(struct fp_xdp_dev *d);

#endif
