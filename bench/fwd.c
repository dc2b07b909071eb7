// SPDX-License-Identifier: GPL-2.0
/*
 * fpbench run: one forwarding measurement.
 *
 *   generator netns          DUT netns                      sink netns
 *   GEN_DEV  ---- veth ----  dut-in  => system =>  dut-out ---- veth ---- SINK_DEV
 *   (generator.h)                                             (fpb_sink, XDP)
 *
 * A thread pinned to --gen-cpu sends frames out of GEN_DEV onto the
 * peer's ring (generator.h: live frames where the kernel allows them, else
 * AF_PACKET; --gen chooses). After --warmup seconds, everything that
 * counts packets is read, again --duration seconds later, and the
 * generator stops. One line of key=value pairs on stdout tells what
 * happened in between:
 *
 *   generator     live or afpacket: how the frames were sent
 *   rate_pps      frames the sink counted per second: the forwarded rate
 *   offered_pps   frames the generator offered per second (at most
 *                 --gen-pps; it holds the rest back itself)
 *   gen_cpus, sink_cpus   where they ran (cpu:frames, from per-CPU counters)
 *   gen_drop      frames the generator's veth could not hand to dut-in
 *                 (its ring full: the DUT was saturated)
 *   in_rx, out_tx frames dut-in received and dut-out sent
 *   out_drop      frames dut-out could not hand to the sink (sink too slow)
 *   sink_rx       frames the sink's device received (cross-check)
 *   cpuN_busy, cpuN_softirq   percent of CPU N's time, from /proc/stat
 *   redirected    with --count-redirect: frames dut-in's XDP program
 *                 redirected (its ethtool xdp_redirect counters): what an
 *                 AF_XDP socket took, the rate of an rxdrop DUT, which
 *                 forwards nothing; rate_pps is then this rate
 *   dut_cpu, dut_share, dut_ns_pkt   with --dut-thread: the CPU the DUT's
 *                 NAPI thread ran on, the share of it that the thread (which
 *                 also runs the softirqs it raises: the sink's receive) and
 *                 that CPU's ksoftirqd had, and their CPU time per frame
 *
 * so that every rate can be checked against the others (bench/report.py
 * does). It attaches nothing: the sink was attached by attach-sink and is
 * found through the program on SINK_DEV.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "fpbench.h"
#include "dp.h"
#include "generator.h"

#define MAX_CPUS 64

struct run_cfg {
	const char *gen_ns, *gen_dev, *gen_hold, *sink_ns, *sink_dev, *dut_ns;
	const char *dut_in, *dut_out, *label;
	double warmup, duration, gen_pps;
	long size, flows, gen_cpu, dut_pid;
	bool count_redirect;
	enum fpb_gen_kind gen_kind;
};

struct dev_stat {
	unsigned long long rx, rx_drop, tx, tx_drop;
};

struct cpu_stat {
	unsigned long long total, idle, softirq;
};

struct snap {
	double t;
	unsigned long long gen[MAX_CPUS], sink[MAX_CPUS];
	struct dev_stat gen_dev, dut_in, dut_out, sink_dev;
	struct cpu_stat cpu[MAX_CPUS];
	/* CPU time of the DUT's NAPI thread and of its CPU's ksoftirqd. */
	double dut_ns, softirqd_ns;
	unsigned long long redirected; /* with --count-redirect */
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Counters of @dev from /proc/net/dev, as this thread's namespace has it. */
static int read_dev(const char *dev, struct dev_stat *s)
{
	unsigned long long v[16];
	char line[512], name[IF_NAMESIZE + 1];
	FILE *f = fopen("/proc/thread-self/net/dev", "r");
	int found = -ENODEV;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || sscanf(line, " %16[^:]", name) != 1 ||
		    strcmp(name, dev))
			continue;
		/* rx: bytes packets errs drop fifo frame compressed multicast,
		 * tx: bytes packets errs drop ... */
		if (sscanf(colon + 1,
			   "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9], &v[10], &v[11]) != 12)
			break;
		s->rx = v[1];
		s->rx_drop = v[3];
		s->tx = v[9];
		s->tx_drop = v[11];
		found = 0;
	}
	fclose(f);
	return found;
}

/* The sum of @dev's ethtool statistics whose names end in "xdp_redirect"
 * (veth keeps one per receive queue). */
static int read_redirected(const char *dev, unsigned long long *out)
{
	struct ethtool_sset_info *info = NULL;
	struct ethtool_gstrings *names = NULL;
	struct ethtool_stats *st = NULL;
	const size_t sfx = strlen("xdp_redirect");
	struct ifreq ifr = {};
	__u32 n, i;
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	info = calloc(1, sizeof(*info) + sizeof(__u32));
	if (!info) {
		err = -ENOMEM;
		goto out;
	}
	info->cmd = ETHTOOL_GSSET_INFO;
	info->sset_mask = 1ULL << ETH_SS_STATS;
	ifr.ifr_data = (void *)info;
	if (ioctl(fd, SIOCETHTOOL, &ifr)) {
		err = -errno;
		goto out;
	}
	n = info->sset_mask ? info->data[0] : 0;
	names = calloc(1, sizeof(*names) + (size_t)n * ETH_GSTRING_LEN);
	st = calloc(1, sizeof(*st) + (size_t)n * sizeof(__u64));
	if (!names || !st) {
		err = -ENOMEM;
		goto out;
	}
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = n;
	ifr.ifr_data = (void *)names;
	if (ioctl(fd, SIOCETHTOOL, &ifr)) {
		err = -errno;
		goto out;
	}
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	ifr.ifr_data = (void *)st;
	if (ioctl(fd, SIOCETHTOOL, &ifr)) {
		err = -errno;
		goto out;
	}
	*out = 0;
	for (i = 0; i < n && i < names->len && i < st->n_stats; i++) {
		char name[ETH_GSTRING_LEN + 1];
		size_t len;

		memcpy(name, names->data + (size_t)i * ETH_GSTRING_LEN,
		       ETH_GSTRING_LEN);
		name[ETH_GSTRING_LEN] = '\0';
		len = strlen(name);
		if (len >= sfx && !strcmp(name + len - sfx, "xdp_redirect"))
			*out += st->data[i];
	}
out:
	free(info);
	free(names);
	free(st);
	close(fd);
	return err;
}

static int read_dev_in(int ns_fd, int home_fd, const char *ns, const char *dev,
		       struct dev_stat *s)
{
	int err = fpb_netns_enter_fd(ns_fd, ns);

	if (!err) {
		err = read_dev(dev, s);
		if (err)
			fpb_err("%s in %s: no counters (%s)", dev, ns,
				strerror(-err));
		if (fpb_netns_enter_fd(home_fd, "the original namespace"))
			err = -EIO;
	}
	return err;
}

static int read_cpus(struct cpu_stat *c, int n)
{
	unsigned long long v[10];
	char line[512];
	FILE *f = fopen("/proc/stat", "r");
	int cpu, i;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line,
			   "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7], &v[8], &v[9]) < 9 ||
		    cpu < 0 || cpu >= n)
			continue;
		/* user nice system idle iowait irq softirq steal [guest...];
		 * guest time is already in user. */
		c[cpu].total = 0;
		for (i = 0; i < 8; i++)
			c[cpu].total += v[i];
		c[cpu].idle = v[3] + v[4];
		c[cpu].softirq = v[6];
	}
	fclose(f);
	return 0;
}

static int read_percpu(int map_fd, unsigned long long *out, int ncpu)
{
	struct fpb_count vals[MAX_CPUS];
	__u32 zero = 0;
	int i;

	if (bpf_map_lookup_elem(map_fd, &zero, vals))
		return -errno;
	for (i = 0; i < ncpu; i++)
		out[i] = vals[i].packets;
	return 0;
}

/* The sink's counter map, through the XDP program attached to its device. */
static int sink_map(const char *ns, const char *dev)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info = {};
	struct bpf_map_info minfo = {};
	__u32 len = sizeof(info), mlen = sizeof(minfo), ids[4];
	int ifindex = (int)if_nametoindex(dev), prog_fd, fd = -1, err;
	__u32 i;

	if (!ifindex) {
		fpb_err("no sink device %s in %s", dev, ns);
		return -ENODEV;
	}
	err = bpf_xdp_query(ifindex, 0, &q);
	if (err || !q.drv_prog_id) {
		fpb_err("no sink program on %s in %s: run fpbench attach-sink",
			dev, ns);
		return err ? err : -ENOENT;
	}
	prog_fd = bpf_prog_get_fd_by_id(q.drv_prog_id);
	if (prog_fd < 0)
		return -errno;
	info.nr_map_ids = 4;
	info.map_ids = (__u64)(unsigned long)ids;
	err = bpf_obj_get_info_by_fd(prog_fd, &info, &len);
	close(prog_fd);
	if (err)
		return -errno;
	for (i = 0; i < info.nr_map_ids && i < 4; i++) {
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		mlen = sizeof(minfo);
		memset(&minfo, 0, sizeof(minfo));
		if (!bpf_obj_get_info_by_fd(fd, &minfo, &mlen) &&
		    !strcmp(minfo.name, "sink_count"))
			return fd;
		close(fd);
	}
	fpb_err("the program on %s in %s is not fpbench's sink", dev, ns);
	return -ENOENT;
}

/* se.sum_exec_runtime of task @pid, in ns (/proc/PID/sched has ms). */
static double task_runtime_ns(long pid)
{
	char path[64], line[256];
	double ms = -1;
	FILE *f;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/sched", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "se.sum_exec_runtime : %lf", &ms) == 1)
			break;
	fclose(f);
	return ms < 0 ? -1 : ms * 1e6;
}

/* The CPU task @pid last ran on (field 39 of /proc/PID/stat), or -1. */
static int task_cpu(long pid)
{
	char path[64], buf[1024], *p;
	int field, cpu = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* After "pid (comm)", fields count from 3. */
	for (field = 2; p && field < 39; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p + 1, "%d", &cpu);
	return cpu;
}

/* The pid of ksoftirqd/@cpu, or 0. */
static long softirqd_pid(int cpu)
{
	char want[32], path[64], comm[64];
	long pid, found = 0;
	struct dirent *d;
	DIR *dir;
	FILE *f;

	snprintf(want, sizeof(want), "ksoftirqd/%d\n", cpu);
	dir = opendir("/proc");
	while (dir && !found && (d = readdir(dir))) {
		pid = strtol(d->d_name, NULL, 10);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, want))
			found = pid;
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return found;
}

struct fds {
	int home, gen_ns, dut_ns, sink_ns, sink_map;
	struct fpb_generator *gen;
	long softirqd; /* pid of ksoftirqd on the DUT thread's CPU */
};

static int take(const struct run_cfg *c, const struct fds *f, int ncpu,
		struct snap *s)
{
	int err;

	s->t = fpb_now();
	s->dut_ns = task_runtime_ns(c->dut_pid);
	s->softirqd_ns = task_runtime_ns(f->softirqd);
	err = fpb_generator_count(f->gen, s->gen, ncpu);
	if (!err)
		err = read_percpu(f->sink_map, s->sink, ncpu);
	if (!err)
		err = read_cpus(s->cpu, ncpu);
	if (!err)
		err = read_dev_in(f->gen_ns, f->home, c->gen_ns, c->gen_dev,
				  &s->gen_dev);
	if (!err)
		err = read_dev_in(f->dut_ns, f->home, c->dut_ns, c->dut_in,
				  &s->dut_in);
	if (!err)
		err = read_dev_in(f->dut_ns, f->home, c->dut_ns, c->dut_out,
				  &s->dut_out);
	if (!err)
		err = read_dev_in(f->sink_ns, f->home, c->sink_ns, c->sink_dev,
				  &s->sink_dev);
	if (!err && c->count_redirect) {
		err = fpb_netns_enter_fd(f->dut_ns, c->dut_ns);
		if (!err) {
			err = read_redirected(c->dut_in, &s->redirected);
			if (err)
				fpb_err("%s in %s: no xdp_redirect statistics (%s)",
					c->dut_in, c->dut_ns, strerror(-err));
			if (fpb_netns_enter_fd(f->home,
					       "the original namespace"))
				err = -EIO;
		}
	}
	return err;
}

/* "0:123|1:0": how many frames each CPU counted. */
static void print_cpus(const char *key, const unsigned long long *a,
		       const unsigned long long *b, int ncpu)
{
	int i;

	printf(" %s=", key);
	for (i = 0; i < ncpu; i++)
		printf("%s%d:%llu", i ? "|" : "", i, b[i] - a[i]);
}

static unsigned long long sum(const unsigned long long *a,
			      const unsigned long long *b, int ncpu)
{
	unsigned long long s = 0;
	int i;

	for (i = 0; i < ncpu; i++)
		s += b[i] - a[i];
	return s;
}

static void report(const struct run_cfg *c, const struct fds *f,
		   const struct snap *a, const struct snap *b, int ncpu)
{
	double dt = b->t - a->t;
	unsigned long long sink = c->count_redirect ?
					  b->redirected - a->redirected :
					  sum(a->sink, b->sink, ncpu);
	unsigned long long gen = sum(a->gen, b->gen, ncpu);
	int i;

	printf("label=%s generator=%s size=%ld flows=%ld duration=%.3f rate_pps=%.0f offered_pps=%.0f sink_pkts=%llu gen_pkts=%llu",
	       c->label, fpb_generator_name(f->gen), c->size, c->flows, dt,
	       sink / dt, gen / dt, sink, gen);
	print_cpus("gen_cpus", a->gen, b->gen, ncpu);
	print_cpus("sink_cpus", a->sink, b->sink, ncpu);
	printf(" gen_drop=%llu in_rx=%llu in_drop=%llu out_tx=%llu out_drop=%llu sink_rx=%llu sink_drop=%llu",
	       b->gen_dev.tx_drop - a->gen_dev.tx_drop,
	       b->dut_in.rx - a->dut_in.rx,
	       b->dut_in.rx_drop - a->dut_in.rx_drop,
	       b->dut_out.tx - a->dut_out.tx,
	       b->dut_out.tx_drop - a->dut_out.tx_drop,
	       b->sink_dev.rx - a->sink_dev.rx,
	       b->sink_dev.rx_drop - a->sink_dev.rx_drop);
	if (c->dut_pid > 0 && a->dut_ns >= 0 && b->dut_ns >= 0) {
		double ns = b->dut_ns - a->dut_ns;
		double sirq = b->softirqd_ns - a->softirqd_ns;

		/* The DUT's CPU time per forwarded frame, and how much of its
		 * CPU it had: the rate is 1e9 / dut_ns_pkt * dut_share. */
		printf(" dut_cpu=%d dut_share=%.1f softirqd_share=%.1f dut_ns_pkt=%.1f",
		       task_cpu(c->dut_pid), 100 * ns / 1e9 / dt,
		       100 * sirq / 1e9 / dt, sink ? (ns + sirq) / sink : 0.0);
	}
	if (c->count_redirect)
		printf(" redirected=%llu", sink);
	for (i = 0; i < ncpu; i++) {
		double tot = (double)(b->cpu[i].total - a->cpu[i].total);

		if (tot <= 0)
			tot = 1;
		printf(" cpu%d_busy=%.1f cpu%d_softirq=%.1f", i,
		       100.0 * (1 - (b->cpu[i].idle - a->cpu[i].idle) / tot), i,
		       100.0 * (b->cpu[i].softirq - a->cpu[i].softirq) / tot);
	}
	putchar('\n');
}

static int run_opts(int argc, char **argv, struct run_cfg *c)
{
	const char *v;
	int i, err = 0;

	for (i = 1; i < argc && !err; i++) {
		if (fpb_opt(argc, argv, &i, "--gen-netns", &v))
			c->gen_ns = v;
		else if (fpb_opt(argc, argv, &i, "--gen-dev", &v))
			c->gen_dev = v;
		else if (fpb_opt(argc, argv, &i, "--gen-hold", &v))
			c->gen_hold = v;
		else if (fpb_opt(argc, argv, &i, "--sink-netns", &v))
			c->sink_ns = v;
		else if (fpb_opt(argc, argv, &i, "--sink-dev", &v))
			c->sink_dev = v;
		else if (fpb_opt(argc, argv, &i, "--dut-netns", &v))
			c->dut_ns = v;
		else if (fpb_opt(argc, argv, &i, "--dut-in", &v))
			c->dut_in = v;
		else if (fpb_opt(argc, argv, &i, "--dut-out", &v))
			c->dut_out = v;
		else if (fpb_opt(argc, argv, &i, "--label", &v))
			c->label = v;
		else if (fpb_opt(argc, argv, &i, "--warmup", &v))
			err = fpb_parse_double(v, "--warmup", 0, 60,
					       &c->warmup);
		else if (fpb_opt(argc, argv, &i, "--duration", &v))
			err = fpb_parse_double(v, "--duration", 0.1, 600,
					       &c->duration);
		else if (fpb_opt(argc, argv, &i, "--size", &v))
			err = fpb_parse_int(v, "--size", FPB_MIN_SIZE,
					    FPB_MAX_SIZE, &c->size);
		else if (fpb_opt(argc, argv, &i, "--flows", &v))
			err = fpb_parse_int(v, "--flows", 1, FPB_MAX_FLOWS,
					    &c->flows);
		else if (fpb_opt(argc, argv, &i, "--gen-pps", &v))
			err = fpb_parse_double(v, "--gen-pps", 0, 1e9,
					       &c->gen_pps);
		else if (fpb_opt(argc, argv, &i, "--dut-thread", &v))
			err = fpb_parse_int(v, "--dut-thread", 1, 1L << 30,
					    &c->dut_pid);
		else if (!strcmp(argv[i], "--count-redirect"))
			c->count_redirect = true;
		else if (fpb_opt(argc, argv, &i, "--gen", &v)) {
			if (!strcmp(v, "auto"))
				c->gen_kind = FPB_GEN_AUTO;
			else if (!strcmp(v, "live"))
				c->gen_kind = FPB_GEN_LIVE;
			else if (!strcmp(v, "afpacket"))
				c->gen_kind = FPB_GEN_AFPACKET;
			else {
				fpb_err("--gen '%s': expected auto, live or afpacket",
					v);
				err = -EINVAL;
			}
		} else if (fpb_opt(argc, argv, &i, "--gen-cpu", &v))
			err = fpb_parse_int(v, "--gen-cpu", 0, MAX_CPUS - 1,
					    &c->gen_cpu);
		else {
			fpb_err("run: unknown option '%s'", argv[i]);
			err = -EINVAL;
		}
	}
	if (!err && (!c->gen_ns || !c->gen_dev || !c->sink_ns || !c->sink_dev ||
		     !c->dut_ns)) {
		fpb_err("usage: fpbench run --gen-netns NS --gen-dev DEV [--gen-hold DEV] --dut-netns NS --sink-netns NS --sink-dev DEV [--dut-in DEV] [--dut-out DEV] [--warmup S] [--duration S] [--size N] [--flows N] [--gen auto|live|afpacket] [--gen-cpu C] [--gen-pps N] [--dut-thread PID] [--count-redirect] [--label L]");
		err = -EINVAL;
	}
	return err;
}

int cmd_run(int argc, char **argv)
{
	struct run_cfg c = { .dut_in = "dut-in",
			     .dut_out = "dut-out",
			     .label = "-",
			     .warmup = 1,
			     .duration = 5,
			     .size = 64,
			     .flows = 1,
			     .gen_cpu = 0 };
	struct fds f = { .home = -1,
			 .gen_ns = -1,
			 .dut_ns = -1,
			 .sink_ns = -1,
			 .sink_map = -1 };
	struct fpb_gen_cfg gc;
	struct snap a, b;
	int ncpu = fp_nr_cpus(), ret = 1;
	double end;

	if (run_opts(argc, argv, &c))
		return 2;
	if (ncpu > MAX_CPUS) {
		fpb_err("%d CPUs: at most %d", ncpu, MAX_CPUS);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	f.home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	f.gen_ns = fpb_netns_open(c.gen_ns);
	f.dut_ns = fpb_netns_open(c.dut_ns);
	f.sink_ns = fpb_netns_open(c.sink_ns);
	if (f.home < 0 || f.gen_ns < 0 || f.dut_ns < 0 || f.sink_ns < 0)
		goto out;

	if (fpb_netns_enter_fd(f.sink_ns, c.sink_ns))
		goto out;
	f.sink_map = sink_map(c.sink_ns, c.sink_dev);
	if (fpb_netns_enter_fd(f.home, "the original namespace") ||
	    f.sink_map < 0)
		goto out;

	if (c.dut_pid > 0) {
		if (task_runtime_ns(c.dut_pid) < 0) {
			fpb_err("--dut-thread %ld: no such task", c.dut_pid);
			goto out;
		}
		f.softirqd = softirqd_pid(task_cpu(c.dut_pid));
	}

	gc = (struct fpb_gen_cfg){ .kind = c.gen_kind,
				   .ns_fd = f.gen_ns,
				   .ns = c.gen_ns,
				   .dev = c.gen_dev,
				   .hold = c.gen_hold,
				   .cpu = (int)c.gen_cpu,
				   .size = c.size,
				   .flows = c.flows,
				   .pps = c.gen_pps };
	if (fpb_generator_start(&gc, &f.gen))
		goto out;

	/* Sleep in short steps: a signal or a dead generator ends it early. */
	end = fpb_now() + c.warmup;
	while (!stopping && !fpb_generator_error(f.gen) && fpb_now() < end)
		fpb_sleep(0.05);
	if (stopping || fpb_generator_error(f.gen) || take(&c, &f, ncpu, &a))
		goto out;
	end = a.t + c.duration;
	while (!stopping && !fpb_generator_error(f.gen) && fpb_now() < end)
		fpb_sleep(end - fpb_now() > 0.05 ? 0.05 : end - fpb_now());
	if (stopping || fpb_generator_error(f.gen) || take(&c, &f, ncpu, &b))
		goto out;
	report(&c, &f, &a, &b, ncpu);
	ret = 0;
out:
	if (fpb_generator_stop(f.gen))
		ret = 1;
	if (stopping)
		fpb_err("interrupted");
	if (f.sink_map >= 0)
		close(f.sink_map);
	if (f.home >= 0)
		close(f.home);
	if (f.gen_ns >= 0)
		close(f.gen_ns);
	if (f.dut_ns >= 0)
		close(f.dut_ns);
	if (f.sink_ns >= 0)
		close(f.sink_ns);
	return ret;
}
