/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One AF_XDP socket: a (device, queue) with its own umem of 2 KB frames,
 * its four rings and the pool of its free frames. Used by one poll thread
 * only.
 *
 * Every frame is in exactly one place: the pool, the fill ring (or the
 * kernel, between fill and rx), a packet being processed, or the tx ring
 * (until the completion ring gives it back). fill_out and tx_out count the
 * frames in the kernel's hands, so pool.n_free + fill_out + tx_out is the
 * umem's size whenever the thread is between batches.
 */
#ifndef FP_AFXDP_XSK_SOCK_H
#define FP_AFXDP_XSK_SOCK_H

#include <stdbool.h>
#include <stddef.h>

#include <xdp/xsk.h>

#include "counters.h"
#include "umem_pool.h"

struct fp_xdp_dev;

/* Per-socket counters. */
struct fp_xsk_stats {
	__u64 rx, tx, drop; /* drop: received, not sent anywhere */
	__u64 tx_bytes, rx_bytes;
	__u64 pool_empty; /* a frame was needed and none was free */
	__u64 tx_ring_full; /* a packet found no room in a tx ring */
	__u64 fill_short; /* fill ring left with fewer than a batch */
	__u64 kicks; /* sendto() wakeups of the kernel's tx */
	__u64 installed; /* flows the rules gave on a miss */
	__u64 xlate_failed; /* a rule that did not translate: dropped */
	__u64 flow_table_full; /* a miss's flow found no room: dropped */
	__u64 cnt[FP_CNT_MAX]; /* datapath reasons, enum fp_counter */
};

struct fp_xsk {
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	void *area; /* the umem's frames */
	size_t area_size;
	struct fp_umem_pool pool;
	const struct fp_xdp_dev *dev;
	__u32 port; /* datapath port number: position in --dev, from 1 */
	__u32 queue;
	int fd;
	bool zero_copy; /* what the kernel gave */
	__u32 fill_out; /* frames in the fill ring or the kernel's rx */
	__u32 tx_out; /* frames posted to tx, not yet completed */
	__u32 tx_reserved; /* tx descriptors written, not yet submitted */
	__u32 tx_unkicked; /* submitted since the last kick */
	struct fp_xsk_stats st; /* the poll thread's */
	struct fp_xsk_stats pub; /* st as of the last batch, for printing */
};

/*
 * Create the umem (@frames frames) and the socket bound to @queue of @dev
 * (XDP_ZEROCOPY if @zero_copy, XDP_COPY in skb mode, else the kernel's
 * choice), put it in the device's XSKMAP and stock the fill ring.
 * 0, or -errno after a message naming the device and queue.
 */
int fp_xsk_open(struct fp_xsk *x, const struct fp_xdp_dev *dev, __u32 queue,
		__u32 port, unsigned int frames, bool zero_copy);
void fp_xsk_close(struct fp_xsk *x);

/* Frames in the fill ring that the kernel has not consumed yet, as the
 * ring's own pointers say. */
__u32 fp_xsk_fill_ring_count(const struct fp_xsk *x);

#endif
