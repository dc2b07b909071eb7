// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "afxdp.h"
#include "log.h"
#include "xdp_dev.h"
#include "xsk_sock.h"

static int xsk_open_once(struct fp_xsk *x, const struct fp_xdp_dev *dev,
			 __u32 queue, __u32 port, unsigned int frames,
			 bool zero_copy, bool quiet_busy)
{
	/* Rings of half the frames: the fill ring never takes them all, the
	 * rest are for copies into this port's tx. */
	struct xsk_umem_config ucfg = {
		.fill_size = frames / 2,
		.comp_size = frames / 2,
		.frame_size = FP_AFXDP_FRAME_SIZE,
		.frame_headroom = 0,
		.flags = 0,
	};
	struct xsk_socket_config scfg = {
		.rx_size = frames / 2,
		.tx_size = frames / 2,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	struct xdp_options opts = {};
	socklen_t optlen = sizeof(opts);
	__u32 idx, n, i;
	int err;

	memset(x, 0, sizeof(*x));
	x->fd = -1;
	x->dev = dev;
	x->queue = queue;
	x->port = port;
	if (zero_copy)
		scfg.bind_flags |= XDP_ZEROCOPY;
	else if (dev->mode == XDP_FLAGS_SKB_MODE)
		scfg.bind_flags |= XDP_COPY;

	x->area_size = (size_t)frames * FP_AFXDP_FRAME_SIZE;
	x->area = mmap(NULL, x->area_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED) {
		err = -errno;
		x->area = NULL;
		fp_err("%s queue %u: cannot allocate a umem of %u frames: %s",
		       dev->name, queue, frames, strerror(-err));
		return err;
	}
	err = fp_umem_pool_init(&x->pool, frames, FP_AFXDP_FRAME_SIZE);
	if (err) {
		fp_err("%s queue %u: umem pool: %s", dev->name, queue,
		       strerror(-err));
		goto fail;
	}
	err = xsk_umem__create(&x->umem, x->area, x->area_size, &x->fq, &x->cq,
			       &ucfg);
	if (err) {
		fp_err("%s queue %u: cannot create umem: %s", dev->name, queue,
		       strerror(-err));
		x->umem = NULL;
		goto fail;
	}
	err = xsk_socket__create(&x->xsk, dev->name, queue, x->umem, &x->rx,
				 &x->tx, &scfg);
	if (err && !(quiet_busy && err == -EBUSY)) {
		fp_err("%s queue %u: cannot create AF_XDP socket%s: %s%s",
		       dev->name, queue, zero_copy ? " (zero-copy)" : "",
		       strerror(-err),
		       err == -EBUSY ? " (is another AF_XDP socket bound to "
				       "it?)"
		       : zero_copy && err == -EOPNOTSUPP ? " (the driver has "
							   "no zero-copy "
							   "AF_XDP)"
							 : "");
	}
	if (err) {
		x->xsk = NULL;
		goto fail;
	}
	x->fd = xsk_socket__fd(x->xsk);
	if (!getsockopt(x->fd, SOL_XDP, XDP_OPTIONS, &opts, &optlen))
		x->zero_copy = opts.flags & XDP_OPTIONS_ZEROCOPY;
	if (bpf_map_update_elem(dev->xsks_fd, &queue, &x->fd, 0)) {
		err = -errno;
		fp_err("%s queue %u: cannot add the socket to the XSKMAP: %s",
		       dev->name, queue, strerror(-err));
		goto fail;
	}

	n = ucfg.fill_size;
	if (xsk_ring_prod__reserve(&x->fq, n, &idx) != n) {
		fp_err("%s queue %u: fill ring refuses %u frames", dev->name,
		       queue, n);
		err = -ENOSPC;
		goto fail;
	}
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) =
			(__u64)fp_umem_pool_get1(&x->pool);
	xsk_ring_prod__submit(&x->fq, n);
	x->fill_out = n;
	return 0;
fail:
	fp_xsk_close(x);
	return err;
}

/* A closed socket lets go of its queue a little later (the kernel frees
 * its buffer pool in deferred work): a run right after another, or after
 * a crashed one, finds the queue busy for a moment. Wait for it, at most a
 * second; a queue still busy then has another live socket. */
#define FP_XSK_BUSY_TRIES 50
#define FP_XSK_BUSY_WAIT_US 20000

int fp_xsk_open(struct fp_xsk *x, const struct fp_xdp_dev *dev, __u32 queue,
		__u32 port, unsigned int frames, bool zero_copy)
{
	int tries, err;

	for (tries = 1;; tries++) {
		bool last = tries == FP_XSK_BUSY_TRIES;

		err = xsk_open_once(x, dev, queue, port, frames, zero_copy,
				    !last);
		if (err != -EBUSY || last)
			return err;
		usleep(FP_XSK_BUSY_WAIT_US);
	}
}

void fp_xsk_close(struct fp_xsk *x)
{
	if (x->xsk)
		xsk_socket__delete(x->xsk);
	if (x->umem)
		xsk_umem__delete(x->umem);
	if (x->area)
		munmap(x->area, x->area_size);
	fp_umem_pool_fini(&x->pool);
	x->xsk = NULL;
	x->umem = NULL;
	x->area = NULL;
	x->fd = -1;
}

__u32 fp_xsk_fill_ring_count(const struct fp_xsk *x)
{
	return __atomic_load_n(x->fq.producer, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(x->fq.consumer, __ATOMIC_ACQUIRE);
}
