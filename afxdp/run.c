// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath afxdp's life: check everything, then set up (programs loaded,
 * sockets bound, programs attached last), run the poll threads, print
 * counters, and on a signal or at the end of --duration take it all down
 * in reverse, leaving each device as it was found.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/if_xdp.h>
#include <sys/socket.h>

#include <xdp/libxdp.h>

#include "afxdp.h"
#include "capacity.h"
#include "dp_counters.h"
#include "exec.h"
#include "log.h"
#include "poll_loop.h"
#include "rules.h"
#include "xdp_dev.h"

struct fp_afxdp {
	const struct fp_afxdp_config *cfg;
	struct fp_xdp_dev devs[FP_AFXDP_MAX_DEVS];
	unsigned int n_devs_checked;
	struct fp_afxdp_thread *threads; /* [queue] */
	struct fp_xsk *xsks; /* [queue * n_devs + dev] */
	struct fp_uflow_table flows; /* --flows, copied into each thread */
};

static const char *const mode_names[] = {
	[FP_AFXDP_FULL] = "datapath",
	[FP_AFXDP_RXDROP] = "rxdrop",
	[FP_AFXDP_L2FWD] = "l2fwd",
};

static int libxdp_print(enum libxdp_print_level level, const char *fmt,
			va_list ap)
{
	if (!fp_verbose && level != LIBXDP_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void on_signal(int sig)
{
	(void)sig;
	fp_afxdp_stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct fp_xsk *xsk_at(struct fp_afxdp *a, unsigned int q, unsigned int d)
{
	return &a->xsks[q * a->cfg->n_devs + d];
}

/* What the kernel counted on the socket's side (XDP_STATISTICS): frames
 * it dropped because the rx ring was full or the fill ring empty, and bad
 * descriptors. Read from the main thread: a getsockopt, no ring access. */
static void print_kernel_stats(const struct fp_xsk *x)
{
	struct xdp_statistics ks = {};
	socklen_t len = sizeof(ks);

	if (getsockopt(x->fd, SOL_XDP, XDP_STATISTICS, &ks, &len))
		return;
#define KSTAT(f)                                                       \
	do {                                                           \
		if (ks.f)                                              \
			printf(" kernel_" #f "=%llu",                   \
			       (unsigned long long)ks.f);              \
	} while (0)
	KSTAT(rx_dropped);
	KSTAT(rx_ring_full);
	KSTAT(rx_fill_ring_empty_descs);
	KSTAT(rx_invalid_descs);
	KSTAT(tx_invalid_descs);
#undef KSTAT
}

/* One line per socket: totals, rates since @prev over @dt seconds, and
 * every event counter that is not zero. */
static void print_stats(struct fp_afxdp *a, struct fp_xsk_stats *prev,
			double dt, const char *tag)
{
	const struct fp_afxdp_config *cfg = a->cfg;
	unsigned int q, d, c;

	for (q = 0; q < cfg->queues; q++) {
		for (d = 0; d < cfg->n_devs; d++) {
			struct fp_xsk *x = xsk_at(a, q, d);
			struct fp_xsk_stats s, *p = &prev[q * cfg->n_devs + d];

			fp_xsk_stats_read(x, &s);
			printf("afxdp %s/q%u%s: rx=%llu tx=%llu drop=%llu "
			       "rx_pps=%.0f tx_pps=%.0f",
			       x->dev->name, q, tag, (unsigned long long)s.rx,
			       (unsigned long long)s.tx,
			       (unsigned long long)s.drop,
			       dt > 0 ? (s.rx - p->rx) / dt : 0.0,
			       dt > 0 ? (s.tx - p->tx) / dt : 0.0);
#define EVENT(f)                                                         \
	do {                                                             \
		if (s.f)                                                 \
			printf(" " #f "=%llu", (unsigned long long)s.f); \
	} while (0)
			EVENT(pool_empty);
			EVENT(tx_ring_full);
			EVENT(fill_short);
			EVENT(installed);
			EVENT(xlate_failed);
			EVENT(flow_table_full);
#undef EVENT
			print_kernel_stats(x);
			for (c = 0; c < FP_CNT_MAX; c++)
				if (s.cnt[c])
					printf(" %s=%llu", fp_counter_names[c],
					       (unsigned long long)s.cnt[c]);
			printf("\n");
			*p = s;
		}
	}
	fflush(stdout);
}

/* After the threads ended: where every frame of every umem is. A frame
 * that is nowhere (leaked) is an accounting bug: the exit status says so. */
static int print_pools(struct fp_afxdp *a)
{
	const struct fp_afxdp_config *cfg = a->cfg;
	unsigned int q, d;
	int leaks = 0;

	for (q = 0; q < cfg->queues; q++) {
		for (d = 0; d < cfg->n_devs; d++) {
			struct fp_xsk *x = xsk_at(a, q, d);
			long leaked = (long)x->pool.size - x->pool.n_free -
				      x->fill_out - x->tx_out;

			printf("afxdp %s/q%u pool: free=%u size=%u "
			       "fill_ring=%u "
			       "kernel_fill_ring=%u tx_in_flight=%u "
			       "leaked=%ld%s\n",
			       x->dev->name, q, x->pool.n_free, x->pool.size,
			       x->fill_out, fp_xsk_fill_ring_count(x),
			       x->tx_out, leaked,
			       x->zero_copy ? " zero-copy" : " copy");
			if (leaked)
				leaks++;
		}
	}
	fflush(stdout);
	return leaks;
}

static int setup_threads(struct fp_afxdp *a)
{
	const struct fp_afxdp_config *cfg = a->cfg;
	unsigned int q, d;
	int err;

	a->threads = calloc(cfg->queues, sizeof(*a->threads));
	a->xsks = calloc((size_t)cfg->queues * cfg->n_devs, sizeof(*a->xsks));
	if (!a->threads || !a->xsks)
		return -ENOMEM;
	for (q = 0; q < cfg->queues; q++) {
		struct fp_afxdp_thread *t = &a->threads[q];

		t->cfg = cfg;
		t->queue = q;
		t->cpu = cfg->n_cpus ? cfg->cpus[q % cfg->n_cpus] : -1;
		fp_afxdp_exec_init(t);
		t->meta = calloc(cfg->batch, sizeof(*t->meta));
		t->scratch_addrs = calloc(cfg->frames, sizeof(__u64));
		if (!t->meta || !t->scratch_addrs)
			return -ENOMEM;
		if (cfg->mode == FP_AFXDP_FULL) {
			err = fp_uflow_table_copy(&t->flows, &a->flows);
			if (err)
				return err;
			err = fp_afxdp_rules_open(t, cfg->rules_file);
			if (err)
				return err;
		}
		for (d = 0; d < cfg->n_devs; d++) {
			struct fp_xsk *x = xsk_at(a, q, d);

			err = fp_xsk_open(x, &a->devs[d], q, d + 1, cfg->frames,
					  cfg->zero_copy);
			if (err)
				return err;
			t->xsks[t->n_xsks++] = x;
		}
	}
	return 0;
}

static int start_threads(struct fp_afxdp *a)
{
	const struct fp_afxdp_config *cfg = a->cfg;
	sigset_t all, old;
	unsigned int q;
	int err = 0;

	/* The poll threads never take a signal: the main thread does. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (q = 0; q < cfg->queues && !err; q++) {
		struct fp_afxdp_thread *t = &a->threads[q];
		pthread_attr_t attr;
		cpu_set_t set;

		pthread_attr_init(&attr);
		if (t->cpu >= 0) {
			CPU_ZERO(&set);
			CPU_SET(t->cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		err = -pthread_create(&t->tid, &attr, fp_afxdp_poll, t);
		pthread_attr_destroy(&attr);
		if (err)
			fp_err("queue %u: cannot start its poll thread%s: %s",
			       q, t->cpu >= 0 ? " (--cpu)" : "",
			       strerror(-err));
		else
			t->started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

static void teardown(struct fp_afxdp *a)
{
	const struct fp_afxdp_config *cfg = a->cfg;
	unsigned int q, d;

	/* Programs first: from then on packets go to the stack again. */
	for (d = 0; d < a->n_devs_checked; d++)
		fp_xdp_dev_close(&a->devs[d]);
	if (a->threads) {
		for (q = 0; q < cfg->queues; q++) {
			struct fp_afxdp_thread *t = &a->threads[q];

			free(t->meta);
			free(t->scratch_addrs);
			fp_uflow_table_fini(&t->flows);
			fp_afxdp_rules_close(t);
		}
	}
	if (a->xsks)
		for (q = 0; q < (size_t)cfg->queues * cfg->n_devs; q++)
			fp_xsk_close(&a->xsks[q]);
	free(a->threads);
	free(a->xsks);
	fp_uflow_table_fini(&a->flows);
}

int fp_afxdp_run(const struct fp_afxdp_config *cfg)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct fp_afxdp a = { .cfg = cfg };
	struct fp_xsk_stats *prev = NULL;
	double start, last, now;
	unsigned int d, q;
	int err, leaks;

	libxdp_set_print(libxdp_print);
	fp_afxdp_stop = 0;
	err = fp_uflow_table_init(&a.flows, FP_MAX_FLOWS);
	if (err)
		goto out;
	if (cfg->mode == FP_AFXDP_FULL && cfg->flows_file) {
		err = fp_uflow_load_file(&a.flows, cfg->flows_file);
		if (err < 0)
			goto out;
		err = 0;
	}
	if (cfg->mode == FP_AFXDP_FULL && cfg->rules_file) {
		err = fp_afxdp_rules_check(cfg->rules_file);
		if (err)
			goto out;
	}
	/* Nothing is touched until every device passed. */
	for (d = 0; d < cfg->n_devs; d++) {
		err = fp_xdp_dev_check(&a.devs[d], cfg->devs[d], cfg->queues,
				       FP_AFXDP_FRAME_SIZE, cfg->skb_mode);
		if (err)
			goto out;
		a.n_devs_checked = d + 1;
	}
	for (d = 0; d < cfg->n_devs; d++) {
		err = fp_xdp_dev_load(&a.devs[d], cfg->queues);
		if (err)
			goto out;
	}
	for (d = 0; d < cfg->n_devs; d++) {
		err = fp_xdp_dev_remove_stale(&a.devs[d]);
		if (err)
			goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = setup_threads(&a);
	if (err) {
		if (err == -ENOMEM)
			fp_err("afxdp: out of memory");
		goto out;
	}
	for (d = 0; d < cfg->n_devs && !fp_afxdp_stop; d++) {
		err = fp_xdp_dev_attach(&a.devs[d]);
		if (err)
			goto out;
	}
	prev = calloc((size_t)cfg->queues * cfg->n_devs, sizeof(*prev));
	if (!prev) {
		err = -ENOMEM;
		goto out;
	}
	err = start_threads(&a);
	printf("afxdp: %s mode, %u device(s), %u queue(s), %s XDP, batch %u, "
	       "%u "
	       "frames of %u bytes per socket\n",
	       mode_names[cfg->mode], cfg->n_devs, cfg->queues,
	       cfg->skb_mode ? "skb" : "native", cfg->batch, cfg->frames,
	       FP_AFXDP_FRAME_SIZE);
	fflush(stdout);
	start = last = now_s();
	while (!err && !fp_afxdp_stop) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		now = now_s();
		if (cfg->duration > 0 && now - start >= cfg->duration)
			break;
		if (now - last >= 1.0) {
			print_stats(&a, prev, now - last, "");
			last = now;
		}
	}
	fp_afxdp_stop = 1;
	for (q = 0; q < cfg->queues; q++) {
		if (!a.threads[q].started)
			continue;
		pthread_join(a.threads[q].tid, NULL);
		fp_afxdp_drain(&a.threads[q]);
	}
	now = now_s();
	print_stats(&a, prev, now - last, " exit");
	leaks = print_pools(&a);
	if (leaks && !err) {
		fp_err("afxdp: %d umem(s) lost track of frames", leaks);
		err = -EFAULT;
	}
out:
	free(prev);
	teardown(&a);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return err;
}
