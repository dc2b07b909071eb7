// SPDX-License-Identifier: GPL-2.0
/* The forwarding benchmark's traffic generator (see generator.h). */
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "generator.h"
#include "fpbench.h"
#include "gen.skel.h"

/* Live frames: frames per BPF_PROG_TEST_RUN call (a few ms, so that a stop
 * is prompt) and per batch of the kernel's. */
#define LIVE_REPEAT (1 << 15)
#define LIVE_BATCH 64
/* AF_PACKET: frames per sendmmsg() call. */
#define PKT_BATCH 64
/* A paced generator that fell behind (a preempted thread) catches up by at
 * most this long a stretch of frames, not all at once. */
#define PACE_MAX_DEBT_S 0.002

enum state { STARTING, RUNNING, FAILED };

struct fpb_generator {
	struct fpb_gen_cfg cfg;
	enum fpb_gen_kind kind; /* what it sends with, once RUNNING */
	pthread_t thread;
	_Atomic int state;
	_Atomic int stop;
	_Atomic int err; /* -errno that stopped it */
	/* live */
	struct fpb_gen *skel;
	struct bpf_link *hold;
	/* afpacket: frames offered so far, all on cfg.cpu */
	_Atomic unsigned long long offered;
	int ifindex;
	unsigned char frame[FPB_MAX_SIZE];
	int len;
	char why_live[160]; /* auto: why live frames were not taken */
};

static int fail(struct fpb_generator *g, int err)
{
	atomic_store(&g->err, err);
	atomic_store(&g->state, FAILED);
	return err;
}

/*
 * Load fpb_gen and keep it attached to the holder device: each XDP test
 * run adds its program to the kernel's XDP dispatcher and removes it,
 * each a synchronize_rcu() (some 30 ms per call, asleep); a program
 * attached somewhere stays in the dispatcher. The holder receives
 * nothing; the link goes with the generator.
 */
static int live_setup(struct fpb_generator *g)
{
	int hold_ifindex = (int)if_nametoindex(g->cfg.hold ? g->cfg.hold : "");
	int err;

	if (!hold_ifindex) {
		fpb_err("generator: no holder device %s in %s",
			g->cfg.hold ? g->cfg.hold : "(none given)", g->cfg.ns);
		return -ENODEV;
	}
	g->skel = fpb_gen__open();
	if (!g->skel) {
		err = -errno;
		fpb_err("generator: cannot open fpb_gen: %s", strerror(-err));
		return err;
	}
	g->skel->rodata->n_flows = g->cfg.flows;
	memcpy(g->skel->bss->hdr, g->frame, FPB_HDRS_LEN);
	g->skel->bss->rate_pps = (__u64)g->cfg.pps;
	err = fpb_gen__load(g->skel);
	if (err) {
		fpb_err("generator: cannot load fpb_gen: %s", strerror(-err));
		return err;
	}
	g->hold = bpf_program__attach_xdp(g->skel->progs.fpb_gen, hold_ifindex);
	if (!g->hold) {
		err = -errno;
		fpb_err("generator: attach fpb_gen to %s in %s: %s",
			g->cfg.hold, g->cfg.ns, strerror(-err));
		return err;
	}
	return 0;
}

static int live_run(struct fpb_generator *g, int repeat)
{
	struct xdp_md ctx = { .data_end = g->len,
			      .ingress_ifindex = g->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = g->frame,
		    .data_size_in = g->len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = repeat,
		    .batch_size = LIVE_BATCH);

	return bpf_prog_test_run_opts(bpf_program__fd(g->skel->progs.fpb_gen),
				      &o) ?
		       -errno :
		       0;
}

static int pkt_open(struct fpb_generator *g)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = g->ifindex };
	struct timeval tmo = { .tv_usec = 100000 };
	int fd, one = 1, err;

	/* Protocol 0: the socket sends, never receives. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		fpb_err("generator: AF_PACKET socket: %s", strerror(-err));
		return err;
	}
	/*
	 * Straight to the driver: the veth's noqueue qdisc would only add
	 * its locks. Each frame sent holds the socket's send buffer until
	 * the DUT is done with it, so a generator faster than the DUT waits
	 * in sendmmsg() instead of overflowing the DUT's ring: the DUT stays
	 * busy without the cost of refused frames. The timeout lets a stop
	 * through while it waits.
	 */
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = -errno;
		fpb_err("generator: AF_PACKET socket on %s in %s: %s",
			g->cfg.dev, g->cfg.ns, strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

static void pkt_loop(struct fpb_generator *g, int fd)
{
	static unsigned char frames[PKT_BATCH][FPB_MAX_SIZE];
	struct mmsghdr msgs[PKT_BATCH] = {};
	struct iovec iov[PKT_BATCH];
	unsigned long long offered = 0;
	__u32 next = 0, flows = (__u32)g->cfg.flows;
	double t0 = fpb_now(), pps = g->cfg.pps;
	int i, n, sent;

	for (i = 0; i < PKT_BATCH; i++) {
		memcpy(frames[i], g->frame, g->len);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = g->len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!atomic_load_explicit(&g->stop, memory_order_relaxed)) {
		n = PKT_BATCH;
		if (pps > 0) {
			double due = (fpb_now() - t0) * pps - (double)offered;

			if (due > PACE_MAX_DEBT_S * pps + PKT_BATCH) {
				/* Forgive a stall: offered counts what was
				 * sent, the pace goes on from now. */
				t0 += (due - PKT_BATCH) / pps;
				due = PKT_BATCH;
			}
			if (due < 1) {
				fpb_sleep((1 - due) / pps < 1e-3 ?
						  (1 - due) / pps :
						  1e-3);
				continue;
			}
			if (due < n)
				n = (int)due;
		}
		if (flows > 1)
			for (i = 0; i < n; i++)
				fpb_frame_set_flow(frames[i], g->frame,
						   (next + i) % flows);
		sent = sendmmsg(fd, msgs, n, 0);
		if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
			sent = 0; /* timed out waiting for the send buffer */
		} else if (sent < 0) {
			/* ENOBUFS: the DUT veth's ring was full, veth
			 * dropped the first frame (its tx_dropped counts
			 * it). */
			if (errno != ENOBUFS) {
				fail(g, -errno);
				return;
			}
			sent = 1;
		}
		/* sendmmsg() stops at a frame that failed (dropped by a full
		 * ring, or the wait timed out) without saying which: it and
		 * the rest go again next time, where a refusal shows. */
		offered += sent;
		next = (next + sent) % flows;
		atomic_store_explicit(&g->offered, offered,
				      memory_order_relaxed);
	}
}

static void *gen_main(void *arg)
{
	struct fpb_generator *g = arg;
	int err, fd;

	/* Devices and sockets are looked up in this thread's namespace. */
	err = fpb_netns_enter_fd(g->cfg.ns_fd, g->cfg.ns);
	if (!err)
		err = fpb_pin_cpu(g->cfg.cpu);
	if (err) {
		fail(g, err);
		return NULL;
	}
	g->ifindex = (int)if_nametoindex(g->cfg.dev);
	if (!g->ifindex) {
		fpb_err("generator: no device %s in %s", g->cfg.dev, g->cfg.ns);
		fail(g, -ENODEV);
		return NULL;
	}

	if (g->cfg.kind != FPB_GEN_AFPACKET) {
		err = live_setup(g);
		if (!err)
			err = live_run(g, 1);
		if (!err) {
			g->kind = FPB_GEN_LIVE;
			atomic_store(&g->state, RUNNING);
			while (!atomic_load(&g->stop)) {
				err = live_run(g, LIVE_REPEAT);
				if (err) {
					fpb_err("generator: BPF_PROG_TEST_RUN on %s in %s: %s",
						g->cfg.dev, g->cfg.ns,
						strerror(-err));
					fail(g, err);
					break;
				}
			}
			return NULL;
		}
		if (g->cfg.kind == FPB_GEN_LIVE) {
			fpb_err("generator: live frames (BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES) on %s in %s: %s",
				g->cfg.dev, g->cfg.ns, strerror(-err));
			fail(g, err);
			return NULL;
		}
		snprintf(g->why_live, sizeof(g->why_live), "%s",
			 strerror(-err));
		bpf_link__destroy(g->hold);
		g->hold = NULL;
		fpb_gen__destroy(g->skel);
		g->skel = NULL;
	}

	fd = pkt_open(g);
	if (fd < 0) {
		fail(g, fd);
		return NULL;
	}
	g->kind = FPB_GEN_AFPACKET;
	atomic_store(&g->state, RUNNING);
	pkt_loop(g, fd);
	if (atomic_load(&g->err))
		fpb_err("generator: sendmmsg on %s in %s: %s", g->cfg.dev,
			g->cfg.ns, strerror(-atomic_load(&g->err)));
	close(fd);
	return NULL;
}

int fpb_generator_start(const struct fpb_gen_cfg *cfg,
			struct fpb_generator **out)
{
	struct fpb_generator *g = calloc(1, sizeof(*g));
	int err;

	*out = NULL;
	if (!g)
		return -ENOMEM;
	g->cfg = *cfg;
	g->len = fpb_frame(g->frame, sizeof(g->frame), (int)cfg->size, 0, 0);
	if (g->len < 0 || cfg->flows < 1 || cfg->flows > FPB_MAX_FLOWS) {
		fpb_err("generator: size %ld or %ld flows out of range",
			cfg->size, cfg->flows);
		free(g);
		return -EINVAL;
	}
	err = pthread_create(&g->thread, NULL, gen_main, g);
	if (err) {
		fpb_err("generator thread: %s", strerror(err));
		free(g);
		return -err;
	}
	while (atomic_load(&g->state) == STARTING)
		fpb_sleep(0.001);
	if (atomic_load(&g->state) == FAILED) {
		err = atomic_load(&g->err);
		fpb_generator_stop(g);
		return err ? err : -EIO;
	}
	if (g->why_live[0])
		fprintf(stderr,
			"fpbench: generator: live frames refused (%s): AF_PACKET instead\n",
			g->why_live);
	*out = g;
	return 0;
}

const char *fpb_generator_name(const struct fpb_generator *g)
{
	return g->kind == FPB_GEN_LIVE ? "live" : "afpacket";
}

int fpb_generator_count(struct fpb_generator *g, unsigned long long *count,
			int ncpu)
{
	struct fpb_count vals[ncpu];
	__u32 zero = 0;
	int i;

	if (g->kind == FPB_GEN_LIVE) {
		if (bpf_map_lookup_elem(bpf_map__fd(g->skel->maps.gen_count),
					&zero, vals))
			return -errno;
		for (i = 0; i < ncpu; i++)
			count[i] = vals[i].packets;
		return 0;
	}
	for (i = 0; i < ncpu; i++)
		count[i] = 0;
	if (g->cfg.cpu < ncpu)
		count[g->cfg.cpu] = atomic_load(&g->offered);
	return 0;
}

int fpb_generator_error(const struct fpb_generator *g)
{
	return atomic_load(&g->err);
}

int fpb_generator_stop(struct fpb_generator *g)
{
	int err;

	if (!g)
		return 0;
	atomic_store(&g->stop, 1);
	pthread_join(g->thread, NULL);
	err = atomic_load(&g->err);
	bpf_link__destroy(g->hold);
	fpb_gen__destroy(g->skel);
	free(g);
	return err;
}
