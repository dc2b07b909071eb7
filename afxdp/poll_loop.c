// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "exec.h"
#include "flow_extract.h"
#include "pkt_exec.h"
#include "log.h"
#include "mono_clock.h"
#include "poll_loop.h"

volatile int fp_afxdp_stop;

/*
 * How long the thread spins without a packet before it sleeps in poll()
 * instead, adapted to what spinning gets: doubled each time a packet came
 * while it spun, halved each time the spin ended in a sleep. Spinning up
 * to about what a wakeup from poll() costs keeps a short gap in the
 * traffic from adding that latency. But on a CPU that the device's NAPI
 * thread shares, nothing can come while the thread spins (the NAPI thread
 * that would receive it does not run): the spin shrinks to its floor and
 * the thread gives the CPU up at once. The clock is read every
 * FP_IDLE_CLOCK_LOOPS empty loops. FP_IDLE_POLL_MS: how long one sleep
 * lasts at most (it ends at the first packet).
 */
#define FP_IDLE_SPIN_MAX_NS 20000
#define FP_IDLE_SPIN_MIN_NS 1000
#define FP_IDLE_CLOCK_LOOPS 16
#define FP_IDLE_POLL_MS 50

struct fp_idle {
	unsigned int loops; /* empty loops in a row */
	bool sleeping;	/* spun spin_ns in vain: sleep at every empty loop */
	__u64 spin_ns;	/* FP_IDLE_SPIN_MIN_NS..FP_IDLE_SPIN_MAX_NS */
	__u64 since_ns; /* the first empty loop, fp_mono_ns() */
};

static inline __u64 frame_of(__u64 addr)
{
	return addr & ~(__u64)(FP_AFXDP_FRAME_SIZE - 1);
}

static void publish(struct fp_xsk *x)
{
	const __u64 *src = (const __u64 *)&x->st;
	__u64 *dst = (__u64 *)&x->pub;
	size_t i;

	for (i = 0; i < sizeof(x->st) / sizeof(__u64); i++)
		__atomic_store_n(&dst[i], src[i], __ATOMIC_RELAXED);
}

void fp_xsk_stats_read(const struct fp_xsk *x, struct fp_xsk_stats *out)
{
	const __u64 *src = (const __u64 *)&x->pub;
	__u64 *dst = (__u64 *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(__u64); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

/*
 * Have the kernel send what the tx ring holds. Zero copy: wake the driver
 * (when it sleeps), which then sends on its own. Copy mode (veth, or any
 * driver without zero copy) transmits only inside sendto(), a budget of
 * frames a call (32), and says EAGAIN when it stopped with frames left:
 * call again while each call takes frames. Frames still left (the device
 * busy: EBUSY, ENOBUFS; or a full completion ring) keep tx_unkicked set,
 * for the idle loop to try again.
 */
static void kick(struct fp_xsk *x)
{
	__u32 before;

	if (!xsk_ring_prod__needs_wakeup(&x->tx)) {
		x->tx_unkicked = 0;
		return;
	}
	do {
		before = __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE);
		x->st.kicks++;
		if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0) {
			x->tx_unkicked = 0;
			return;
		}
	} while (errno == EAGAIN && !x->zero_copy &&
		 __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) != before);
}

/* Completed tx frames back into the pool. */
static void reclaim(struct fp_xsk *x)
{
	__u32 idx, n, i;

	if (!x->tx_out)
		return;
	n = xsk_ring_cons__peek(&x->cq, x->tx_out, &idx);
	if (!n)
		return;
	for (i = 0; i < n; i++)
		fp_umem_pool_put1(&x->pool, frame_of(*xsk_ring_cons__comp_addr(
						    &x->cq, idx + i)));
	xsk_ring_cons__release(&x->cq, n);
	x->tx_out -= n;
}

static void submit_tx(struct fp_xsk *x)
{
	if (!x->tx_reserved)
		return;
	xsk_ring_prod__submit(&x->tx, x->tx_reserved);
	x->tx_unkicked += x->tx_reserved;
	x->tx_reserved = 0;
	/*
	 * Zero copy: kick only when the ring passes 3/4, one syscall per many
	 * frames, as the driver sends by itself. Copy mode sends nothing
	 * until kicked: frames left in the ring wait while their data goes
	 * cold in the cache and the fill ring runs dry (each is a frame that
	 * cannot receive), so every batch is handed over at once.
	 */
	if (!x->zero_copy || x->tx_out >= x->tx.size / 4 * 3)
		kick(x);
}

/*
 * Post frame @addr (packet at its offset) of @x's umem on @x's tx ring.
 * A full ring is first pushed to the kernel and drained once; if it stays
 * full the packet is not sent (counted) rather than waited for.
 */
bool fp_afxdp_tx(struct fp_xsk *x, __u64 addr, __u32 len)
{
	struct xdp_desc *d;
	__u32 idx;

	if (xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1) {
		submit_tx(x);
		kick(x);
		reclaim(x);
		if (xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1) {
			x->st.tx_ring_full++;
			return false;
		}
	}
	d = xsk_ring_prod__tx_desc(&x->tx, idx);
	d->addr = addr;
	d->len = len;
	d->options = 0;
	x->tx_reserved++;
	x->tx_out++;
	x->st.tx++;
	x->st.tx_bytes += len;
	return true;
}

bool fp_afxdp_tx_copy(struct fp_xsk *x, const void *data, __u32 len)
{
	long long frame = fp_umem_pool_get1(&x->pool);

	if (frame < 0) {
		x->st.pool_empty++;
		return false;
	}
	memcpy((char *)x->area + frame, data, len);
	if (!fp_afxdp_tx(x, (__u64)frame, len)) {
		fp_umem_pool_put1(&x->pool, (__u64)frame);
		return false;
	}
	return true;
}

/* Give the kernel free frames to receive into, a batch at a time, up to
 * the fill ring's size. */
static void refill(struct fp_afxdp_thread *t, struct fp_xsk *x)
{
	__u32 want = x->fq.size - x->fill_out, n, idx, i;

	if (want < t->cfg->batch)
		return;
	n = fp_umem_pool_get(&x->pool, t->scratch_addrs, want);
	if (n < want && x->fill_out < t->cfg->batch)
		x->st.fill_short++;
	if (!n)
		return;
	if (xsk_ring_prod__reserve(&x->fq, n, &idx) != n) {
		/* Cannot happen: fill_out counts every frame in the ring. */
		fp_umem_pool_put(&x->pool, t->scratch_addrs, n);
		return;
	}
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) =
			t->scratch_addrs[i];
	xsk_ring_prod__submit(&x->fq, n);
	x->fill_out += n;
}

static void swap_macs(unsigned char *eth)
{
	unsigned char tmp[6];

	memcpy(tmp, eth, 6);
	memcpy(eth, eth + 6, 6);
	memcpy(eth + 6, tmp, 6);
}

static void drop(struct fp_xsk *x, __u64 frame)
{
	fp_umem_pool_put1(&x->pool, frame);
	x->st.drop++;
}

struct fp_uflow *fp_afxdp_lookup(struct fp_afxdp_thread *t, struct fp_xsk *x,
				 const struct fp_flow_key *key)
{
	struct fp_uflow *f = fp_uflow_lookup(&t->flows, key);

	if (f) {
		x->st.cnt[FP_CNT_HIT]++;
		return f;
	}
	x->st.cnt[FP_CNT_MISS]++;
	f = fp_afxdp_miss(t, x, key);
	if (!f)
		x->st.cnt[FP_CNT_MISS_DROP]++;
	return f;
}

static void full_datapath(struct fp_afxdp_thread *t, struct fp_xsk *x,
			  struct fp_pkt_meta *m)
{
	struct fp_pkt pkt = {
		.data = (unsigned char *)x->area + m->addr + m->off,
		.len = m->len,
		.headroom = m->off,
	};
	struct fp_uflow *f;

	/* parser/flow_extract.h, the BPF parser's own source. */
	if (fp_pkt_parse(&pkt, x->port, &m->key) != FP_PARSE_OK) {
		/* Never forwarded under a key that is not the packet's. */
		x->st.cnt[FP_CNT_PARSE_INCOMPLETE]++;
		drop(x, m->addr);
		return;
	}
	f = fp_afxdp_lookup(t, x, &m->key);
	if (!f) {
		drop(x, m->addr);
		return;
	}
	f->packets++;
	f->bytes += m->len;
	if (!fp_afxdp_exec(t, x, m, f))
		x->st.drop++;
}

/* One rx batch of @x: returns how many packets it held. */
static __u32 rx_batch(struct fp_afxdp_thread *t, struct fp_xsk *x)
{
	struct fp_pkt_meta *meta = t->meta;
	__u32 idx, n, i;

	n = xsk_ring_cons__peek(&x->rx, t->cfg->batch, &idx);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d =
			xsk_ring_cons__rx_desc(&x->rx, idx + i);

		meta[i].addr = frame_of(d->addr);
		meta[i].off = (__u32)(d->addr - meta[i].addr);
		meta[i].len = d->len;
		x->st.rx_bytes += d->len;
	}
	/* The descriptors are copied: the ring slots can go back now. */
	xsk_ring_cons__release(&x->rx, n);
	x->fill_out -= n;
	x->st.rx += n;

	switch (t->cfg->mode) {
	case FP_AFXDP_RXDROP:
		for (i = 0; i < n; i++)
			drop(x, meta[i].addr);
		break;
	case FP_AFXDP_L2FWD:
		for (i = 0; i < n; i++) {
			swap_macs((unsigned char *)x->area + meta[i].addr +
				  meta[i].off);
			/* Same umem in and out: the frame itself is sent. */
			if (!fp_afxdp_tx(x, meta[i].addr + meta[i].off,
					 meta[i].len))
				drop(x, meta[i].addr);
		}
		break;
	case FP_AFXDP_FULL:
		for (i = 0; i < n; i++)
			full_datapath(t, x, &meta[i]);
		break;
	}
	return n;
}

static void idle(struct fp_afxdp_thread *t, struct fp_idle *idl)
{
	struct pollfd pfd[FP_AFXDP_MAX_DEVS];
	unsigned int i;

	for (i = 0; i < t->n_xsks; i++) {
		struct fp_xsk *x = t->xsks[i];

		/*
		 * Nothing came in: send what waits, however little. A
		 * zero-copy driver may sleep with frames in flight; copy
		 * mode has sent all but tx_unkicked.
		 */
		if (x->tx_unkicked || (x->zero_copy && x->tx_out))
			kick(x);
		if (xsk_ring_prod__needs_wakeup(&x->fq))
			recvfrom(x->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	}
	/* An empty loop stays cheap (these loops are the CPU time a NAPI
	 * thread on this CPU does not get): the counters are published once
	 * idle begins and again before each sleep. */
	if (idl->loops++ == 0) {
		for (i = 0; i < t->n_xsks; i++)
			publish(t->xsks[i]);
		idl->since_ns = fp_mono_ns();
		return;
	}
	if (!idl->sleeping) {
		if (idl->loops % FP_IDLE_CLOCK_LOOPS ||
		    fp_mono_ns() - idl->since_ns < idl->spin_ns)
			return;
		idl->sleeping = true;
		idl->spin_ns /= 2;
		if (idl->spin_ns < FP_IDLE_SPIN_MIN_NS)
			idl->spin_ns = FP_IDLE_SPIN_MIN_NS;
	}
	/* Long idle: sleep until a packet arrives rather than spin. */
	for (i = 0; i < t->n_xsks; i++) {
		publish(t->xsks[i]);
		pfd[i].fd = t->xsks[i]->fd;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	poll(pfd, t->n_xsks, FP_IDLE_POLL_MS);
}

void *fp_afxdp_poll(void *arg)
{
	struct fp_afxdp_thread *t = arg;
	struct fp_idle idl = { .spin_ns = FP_IDLE_SPIN_MAX_NS };
	unsigned int i;

	while (!fp_afxdp_stop) {
		__u32 got = 0;

		for (i = 0; i < t->n_xsks; i++)
			reclaim(t->xsks[i]);
		for (i = 0; i < t->n_xsks; i++)
			got += rx_batch(t, t->xsks[i]);
		for (i = 0; i < t->n_xsks; i++) {
			submit_tx(t->xsks[i]);
			refill(t, t->xsks[i]);
		}
		if (got) {
			/* Came while spinning: the spin was worth it. Unless
			 * the spin outlasted its time: then the thread was
			 * preempted, the packet came while it did not spin. */
			if (idl.loops && !idl.sleeping &&
			    idl.spin_ns < FP_IDLE_SPIN_MAX_NS &&
			    fp_mono_ns() - idl.since_ns <= 2 * idl.spin_ns) {
				idl.spin_ns *= 2;
				if (idl.spin_ns > FP_IDLE_SPIN_MAX_NS)
					idl.spin_ns = FP_IDLE_SPIN_MAX_NS;
			}
			idl.loops = 0;
			idl.sleeping = false;
			for (i = 0; i < t->n_xsks; i++)
				publish(t->xsks[i]);
		} else {
			idle(t, &idl);
		}
	}
	return NULL;
}

void fp_afxdp_drain(struct fp_afxdp_thread *t)
{
	unsigned int i, tries;

	for (i = 0; i < t->n_xsks; i++) {
		struct fp_xsk *x = t->xsks[i];

		submit_tx(x);
		for (tries = 0; x->tx_out && tries < 100; tries++) {
			kick(x);
			reclaim(x);
			if (x->tx_out) {
				struct pollfd p = { .fd = x->fd,
						    .events = POLLOUT };
				poll(&p, 1, 10);
			}
		}
		publish(x);
	}
}
