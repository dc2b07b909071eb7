// SPDX-License-Identifier: GPL-2.0
/*
 * xsk_baseline: the minimal AF_XDP program that `flowpath afxdp` is
 * measured against (bench/run.sh), in the manner of the kernel's xdpsock
 * sample: one socket on one queue, its own umem, a polling loop (busy, or
 * sleeping in poll() on an empty rx ring: --wait).
 * No flowpath code: libxdp's xsk API and a one-line XDP program
 * (bench/progs/xsk_redirect.bpf.c).
 *
 *   xsk_baseline --dev DEV (--rxdrop | --l2fwd) [--queue Q]
 *                [--mode native|skb] [--batch N] [--cpu C] [--duration S]
 *                [--wait spin|poll]
 *
 *   --rxdrop   every received frame goes straight back to the fill ring
 *   --l2fwd    MAC addresses swapped, sent back out of DEV; frames return
 *              to the fill ring from the completion ring
 *   --wait     what the loop does when the rx ring is empty: spin (the
 *              default, xdpsock's busy loop) or poll (sleep in poll() until
 *              a frame comes, as xdpsock -p). On a CPU shared with the
 *              device's NAPI thread, spinning takes the CPU time that the
 *              NAPI thread needs to receive the frame waited for.
 *
 * Runs until SIGINT/SIGTERM or --duration, printing "rx_pps=N tx_pps=N"
 * on stderr once a second, and at the end "rx_packets=N tx_packets=N" on
 * stdout. It detaches its XDP program, deletes the socket and frees the
 * umem however it stops; it refuses a device that already has an XDP
 * program.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <xdp/xsk.h>

#include "xsk_redirect.skel.h"

#define FRAME_SIZE 2048 /* as flowpath afxdp's umem */
#define NUM_FRAMES 4096
#define FILL_SIZE (2 * XSK_RING_PROD__DEFAULT_NUM_DESCS)
#define RING_SIZE XSK_RING_CONS__DEFAULT_NUM_DESCS
#define MAX_BATCH 256

struct xsk {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *sock;
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq, rx;
	int fd;
	__u32 in_flight; /* sent, not completed */
	__u64 rx_packets, tx_packets;
};

struct cfg {
	const char *dev;
	long queue, batch, cpu;
	bool l2fwd, skb_mode, wait_poll;
	double duration;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("xsk_baseline: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wake the kernel's rx side (the fill ring ran dry) or tx side. */
static void kick_rx(struct xsk *x)
{
	if (xsk_ring_prod__needs_wakeup(&x->fq))
		recvfrom(x->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

static void kick_tx(struct xsk *x)
{
	/* Copy mode (veth) transmits only in this call; the errors say
	 * "busy, try again", which the loop does. */
	if (xsk_ring_prod__needs_wakeup(&x->tx))
		sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
}

/* Put @n frame addresses back on the fill ring, from @get(i). */
static void refill(struct xsk *x, const struct xsk_ring_cons *from,
		   __u32 idx_from, __u32 n, bool rx)
{
	__u32 idx, i;

	while (xsk_ring_prod__reserve(&x->fq, n, &idx) != n) {
		if (stop)
			return;
		kick_rx(x);
	}
	for (i = 0; i < n; i++) {
		__u64 addr = rx ? xsk_ring_cons__rx_desc(from, idx_from + i)->addr :
				  *xsk_ring_cons__comp_addr(from, idx_from + i);

		*xsk_ring_prod__fill_addr(&x->fq, idx + i) =
			xsk_umem__extract_addr(addr);
	}
	xsk_ring_prod__submit(&x->fq, n);
}

/* Both modes return how many frames they received. */
static __u32 rxdrop(struct xsk *x, __u32 batch)
{
	__u32 idx, n = xsk_ring_cons__peek(&x->rx, batch, &idx);

	if (!n) {
		kick_rx(x);
		return 0;
	}
	refill(x, &x->rx, idx, n, true);
	xsk_ring_cons__release(&x->rx, n);
	x->rx_packets += n;
	return n;
}

static void complete_tx(struct xsk *x, __u32 batch)
{
	__u32 idx, n;

	if (!x->in_flight)
		return;
	kick_tx(x);
	n = xsk_ring_cons__peek(&x->cq, batch, &idx);
	if (!n)
		return;
	refill(x, &x->cq, idx, n, false);
	xsk_ring_cons__release(&x->cq, n);
	x->in_flight -= n;
	x->tx_packets += n;
}

static void swap_macs(unsigned char *p)
{
	unsigned char t[6];

	memcpy(t, p, 6);
	memcpy(p, p + 6, 6);
	memcpy(p + 6, t, 6);
}

static __u32 l2fwd(struct xsk *x, __u32 batch)
{
	__u32 idx_rx, idx_tx, n, i;

	complete_tx(x, batch);
	n = xsk_ring_cons__peek(&x->rx, batch, &idx_rx);
	if (!n) {
		kick_rx(x);
		return 0;
	}
	while (xsk_ring_prod__reserve(&x->tx, n, &idx_tx) != n) {
		if (stop)
			return 0;
		complete_tx(x, batch);
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d =
			xsk_ring_cons__rx_desc(&x->rx, idx_rx + i);
		struct xdp_desc *t = xsk_ring_prod__tx_desc(&x->tx, idx_tx + i);
		__u64 addr = xsk_umem__add_offset_to_addr(d->addr);

		swap_macs(xsk_umem__get_data(x->area, addr));
		t->addr = d->addr;
		t->len = d->len;
	}
	xsk_ring_prod__submit(&x->tx, n);
	xsk_ring_cons__release(&x->rx, n);
	x->in_flight += n;
	x->rx_packets += n;
	kick_tx(x);
	return n;
}

/* --wait poll, the rx ring empty: wait for a frame, a while at most (the
 * clock and the signals are looked at in between). */
static void sleep_for_rx(struct xsk *x)
{
	struct pollfd p = { .fd = x->fd, .events = POLLIN };

	poll(&p, 1, 50);
}

static int xsk_open(struct xsk *x, const struct cfg *c, int xsks_fd)
{
	struct xsk_umem_config ucfg = {
		.fill_size = FILL_SIZE,
		.comp_size = RING_SIZE,
		.frame_size = FRAME_SIZE,
		.frame_headroom = 0,
	};
	struct xsk_socket_config scfg = {
		.rx_size = RING_SIZE,
		.tx_size = RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.xdp_flags = c->skb_mode ? XDP_FLAGS_SKB_MODE :
					   XDP_FLAGS_DRV_MODE,
		.bind_flags = XDP_USE_NEED_WAKEUP |
			      (c->skb_mode ? XDP_COPY : 0),
	};
	size_t size = (size_t)NUM_FRAMES * FRAME_SIZE;
	__u32 idx, i;
	int err;

	x->area = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED) {
		x->area = NULL;
		err_msg("umem of %zu bytes: %s", size, strerror(errno));
		return -ENOMEM;
	}
	err = xsk_umem__create(&x->umem, x->area, size, &x->fq, &x->cq, &ucfg);
	if (err) {
		err_msg("umem on %s: %s", c->dev, strerror(-err));
		return err;
	}
	err = xsk_socket__create(&x->sock, c->dev, (__u32)c->queue, x->umem,
				 &x->rx, &x->tx, &scfg);
	if (err) {
		err_msg("AF_XDP socket on %s queue %ld: %s", c->dev, c->queue,
			strerror(-err));
		return err;
	}
	x->fd = xsk_socket__fd(x->sock);
	err = xsk_socket__update_xskmap(x->sock, xsks_fd);
	if (err) {
		err_msg("socket into the XSKMAP of %s: %s", c->dev,
			strerror(-err));
		return err;
	}
	/* Every frame starts on the fill ring: l2fwd's frames come back
	 * through the completion ring, rxdrop's straight from rx. */
	if (xsk_ring_prod__reserve(&x->fq, FILL_SIZE, &idx) != FILL_SIZE) {
		err_msg("fill ring of %s: cannot reserve %d", c->dev,
			FILL_SIZE);
		return -ENOSPC;
	}
	for (i = 0; i < FILL_SIZE; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) =
			(__u64)i * FRAME_SIZE;
	xsk_ring_prod__submit(&x->fq, FILL_SIZE);
	return 0;
}

static void xsk_close(struct xsk *x)
{
	if (x->sock)
		xsk_socket__delete(x->sock);
	if (x->umem)
		xsk_umem__delete(x->umem);
	if (x->area)
		munmap(x->area, (size_t)NUM_FRAMES * FRAME_SIZE);
}

static int parse_num(const char *s, const char *what, long min, long max,
		     long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		err_msg("%s '%s': expected %ld to %ld", what, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* @s is @a or @b: *is_b says which. */
static int parse_choice(const char *s, const char *what, const char *a,
			const char *b, bool *is_b)
{
	if (strcmp(s, a) && strcmp(s, b)) {
		err_msg("%s '%s': expected %s or %s", what, s, a, b);
		return -EINVAL;
	}
	*is_b = !strcmp(s, b);
	return 0;
}

static int parse(int argc, char **argv, struct cfg *c)
{
	bool mode = false;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int err = 0;

		if (!strcmp(o, "--rxdrop") || !strcmp(o, "--l2fwd")) {
			if (mode) {
				err_msg("give one of --rxdrop, --l2fwd");
				return -EINVAL;
			}
			mode = true;
			c->l2fwd = !strcmp(o, "--l2fwd");
			continue;
		}
		if (!v) {
			err_msg("option '%s' needs a value", o);
			return -EINVAL;
		}
		i++;
		if (!strcmp(o, "--dev")) {
			c->dev = v;
		} else if (!strcmp(o, "--queue")) {
			err = parse_num(v, "--queue", 0, 63, &c->queue);
		} else if (!strcmp(o, "--batch")) {
			err = parse_num(v, "--batch", 1, MAX_BATCH, &c->batch);
		} else if (!strcmp(o, "--wait")) {
			err = parse_choice(v, "--wait", "spin", "poll",
					   &c->wait_poll);
		} else if (!strcmp(o, "--cpu")) {
			err = parse_num(v, "--cpu", 0, CPU_SETSIZE - 1,
					&c->cpu);
		} else if (!strcmp(o, "--mode")) {
			err = parse_choice(v, "--mode", "native", "skb",
					   &c->skb_mode);
		} else if (!strcmp(o, "--duration")) {
			c->duration = strtod(v, &end);
			if (*end || end == v || c->duration <= 0) {
				err_msg("--duration '%s': expected seconds > 0",
					v);
				return -EINVAL;
			}
		} else {
			err_msg("unknown option '%s'", o);
			return -EINVAL;
		}
		if (err)
			return err;
	}
	if (!c->dev || !mode) {
		err_msg("usage: xsk_baseline --dev DEV (--rxdrop | --l2fwd) [--queue Q] [--mode native|skb] [--batch N] [--cpu C] [--duration S] [--wait spin|poll]");
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cfg c = { .batch = 64, .cpu = -1 };
	struct fpb_xsk_redirect *skel = NULL;
	__u64 last_rx = 0, last_tx = 0, loops = 0;
	struct xsk x = { .fd = -1 };
	double start, tick, t;
	int ifindex, flags, err, ret = 1;
	bool attached = false;
	__u32 prog_id = 0;

	if (parse(argc, argv, &c))
		return 2;
	ifindex = (int)if_nametoindex(c.dev);
	if (!ifindex) {
		err_msg("no device '%s'", c.dev);
		return 1;
	}
	flags = c.skb_mode ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	if (!bpf_xdp_query_id(ifindex, flags, &prog_id) && prog_id) {
		err_msg("%s already has XDP program id %u; not replacing it",
			c.dev, prog_id);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = fpb_xsk_redirect__open_and_load();
	if (!skel) {
		err_msg("XDP program: cannot load: %s", strerror(errno));
		goto out;
	}
	err = bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.fpb_xsk_redirect),
			     flags | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (err) {
		err_msg("XDP program onto %s (%s mode): %s", c.dev,
			c.skb_mode ? "skb" : "native", strerror(-err));
		goto out;
	}
	attached = true;
	if (xsk_open(&x, &c, bpf_map__fd(skel->maps.xsks)))
		goto out;
	if (c.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(c.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			err_msg("--cpu %ld: %s", c.cpu, strerror(errno));
			goto out;
		}
	}

	start = tick = now();
	while (!stop) {
		__u32 got = c.l2fwd ? l2fwd(&x, (__u32)c.batch) :
				      rxdrop(&x, (__u32)c.batch);

		if (!got && c.wait_poll) {
			sleep_for_rx(&x);
			/* A sleep is long: the clock at once. */
			loops |= 1023;
		}
		/* The clock once in a while only. */
		if (++loops & 1023)
			continue;
		t = now();
		if (t - tick >= 1) {
			fprintf(stderr, "xsk_baseline: rx_pps=%.0f tx_pps=%.0f\n",
				(double)(x.rx_packets - last_rx) / (t - tick),
				(double)(x.tx_packets - last_tx) / (t - tick));
			last_rx = x.rx_packets;
			last_tx = x.tx_packets;
			tick = t;
		}
		if (c.duration > 0 && t - start >= c.duration)
			break;
	}
	printf("rx_packets=%llu tx_packets=%llu\n",
	       (unsigned long long)x.rx_packets,
	       (unsigned long long)x.tx_packets);
	ret = 0;
out:
	xsk_close(&x);
	if (attached)
		bpf_xdp_detach(ifindex, flags, NULL);
	fpb_xsk_redirect__destroy(skel);
	return ret;
}
