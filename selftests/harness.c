// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF_PROG_TEST_RUN harness (see harness.h): a private namespace with
 * veth ports, a fresh datapath, pcaps in and out, counter snapshots, the
 * upcall reader, and the table-driven case runner.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
/* libpcap's own struct bpf_insn (classic BPF) clashes with linux/bpf.h. */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/pcap.h>
#include <pcap/dlt.h>

#include "harness.h"
#include "test.h"
#include "dp_counters.h"
#include "dp_load.h"
#include "dp_config.h"
#include "flow_table.h"
#include "odp.h"
#include "flow_extract.h"
#include "log.h"
#include "port.h"
#include "veth.h"

/* GCC says so under -fsanitize=address (make SAN=1). */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#define FP_H_SANITIZED 1
#endif


/* The datapath the exit handlers must unload; one per process. */
static struct fp_h *fp_h_active;

static void fp_h_on_exit(void)
{
	if (fp_h_active)
		fp_h_fini(fp_h_active);
}

/* run.sh's timeout sends SIGTERM: unload before dying, or the datapath's
 * pins would outlive the test. */
static void fp_h_on_signal(int sig)
{
	fp_h_on_exit();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fp_h_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		fp_dbg("%s: %s", path, strerror(errno));
	close(fd);
}

static int fp_h_make_ports(struct fp_h *h, int n)
{
	char peer[IF_NAMESIZE + 2];
	int i, err;

	/* No IPv6 autoconf chatter (DAD, router solicitations) from the
	 * test's devices. This /proc/sys/net is the new namespace's. */
	fp_h_write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	for (i = 0; i < n; i++) {
		struct fp_h_port *p = &h->port[i];

		p->no = i + 1;
		snprintf(p->dev, sizeof(p->dev), "fpt%d", i + 1);
		snprintf(peer, sizeof(peer), "fpt%dp", i + 1);
		err = fp_veth_add(p->dev, peer);
		if (err) {
			fp_test_report(false, "harness: veth",
				       "ip link %s/%s: %s", p->dev, peer,
				       strerror(-err));
			return err;
		}
		p->ifindex = if_nametoindex(p->dev);
	}
	h->n_ports = n;
	return 0;
}

int fp_h_prog_fd(const struct fp_h *h, const char *stage)
{
	char path[PATH_MAX], leaf[64];
	int fd;

	snprintf(leaf, sizeof(leaf), "progs/%s", stage);
	if (fp_dp_path(path, sizeof(path), h->dp_name, leaf))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

static int fp_h_open_parser(struct fp_h *h)
{
	if (h->parser_fd >= 0)
		close(h->parser_fd);
	h->parser_fd = fp_h_prog_fd(h, "parser");
	return h->parser_fd < 0 ? h->parser_fd : 0;
}

static int fp_h_upcalls_open(struct fp_h *h, struct fp_h_upcalls *u);

/* lib's writers (port add, flow put) take the datapath's flock and keep
 * it; let it go after each, or a later load (reload, unload) blocks. */
static void fp_h_unlock(struct fp_h *h)
{
	fp_dp_unlock(&h->dp);
}

int fp_h_init(struct fp_h *h, int n_ports)
{
	struct fp_load_opts opts = { .miss_verdict = -1 };
	char dir[PATH_MAX];
	bool upgraded;
	__u32 added;
	int i, err;

	memset(h, 0, sizeof(*h));
	h->parser_fd = -1;
	for (i = 0; i < FP_MAP_COUNT; i++)
		h->dp.map_fd[i] = -1;
	h->dp.lock_fd = -1;
	if (getenv("FP_TEST_VERBOSE"))
		fp_verbose = true;
	fp_log_setup_libbpf();
	if (n_ports > FP_H_MAX_PORTS)
		return -EINVAL;

	if (unshare(CLONE_NEWNET)) {
		err = -errno;
		fp_test_report(false, "harness: netns",
			       "unshare(CLONE_NEWNET): %s", strerror(-err));
		return err;
	}
	err = fp_h_make_ports(h, n_ports);
	if (err)
		return err;

	snprintf(h->dp_name, sizeof(h->dp_name), "fpt-h%d", (int)getpid());
	fp_h_active = h;
	atexit(fp_h_on_exit);
	signal(SIGINT, fp_h_on_signal);
	signal(SIGTERM, fp_h_on_signal);
	signal(SIGHUP, fp_h_on_signal);
	signal(SIGABRT, fp_h_on_signal);
	/* A crash must not leave the datapath pinned either. The sanitizers
	 * own SIGSEGV and report from it; they call this on their way out. */
#ifdef FP_H_SANITIZED
	__sanitizer_set_death_callback(fp_h_on_exit);
#else
	signal(SIGSEGV, fp_h_on_signal);
	signal(SIGBUS, fp_h_on_signal);
#endif
	/* A previous process with this pid died without cleaning up; its
	 * namespace, and the devices, went with it: only pins are left. */
	if (!fp_dp_path(dir, sizeof(dir), h->dp_name, NULL) &&
	    !access(dir, F_OK))
		fp_dp_unload(h->dp_name, true);

	err = fp_dp_load(h->dp_name, &opts, &upgraded);
	if (!err)
		err = fp_dp_open(&h->dp, h->dp_name);
	if (!err)
		err = fp_h_open_parser(h);
	for (i = 0; !err && i < n_ports; i++)
		err = fp_port_add(&h->dp, h->port[i].dev, h->port[i].no, false,
				  &added);
	fp_h_unlock(h);
	if (!err)
		err = fp_h_upcalls_open(h, &h->up);
	if (err)
		fp_test_report(false, "harness: datapath", "%s: %s", h->dp_name,
			       strerror(-err));
	return err;
}

void fp_h_fini(struct fp_h *h)
{
	char dir[PATH_MAX];

	fp_h_upcalls_close(&h->up);
	if (h->parser_fd >= 0)
		close(h->parser_fd);
	h->parser_fd = -1;
	fp_dp_close(&h->dp);
	if (h->dp_name[0] && !fp_dp_path(dir, sizeof(dir), h->dp_name, NULL) &&
	    !access(dir, F_OK))
		fp_dp_unload(h->dp_name, false);
	h->dp_name[0] = '\0';
	if (fp_h_active == h)
		fp_h_active = NULL;
}

int fp_h_set_miss_verdict(struct fp_h *h, int v)
{
	struct fp_load_opts opts = { .miss_verdict = v };
	bool upgraded;
	int err;

	fp_h_unlock(h);
	err = fp_dp_load(h->dp_name, &opts, &upgraded);
	/* The upgrade pinned a new parser; run that one from now on. */
	if (!err)
		err = fp_h_open_parser(h);
	return err;
}

const struct fp_h_port *fp_h_port(const struct fp_h *h, __u32 no)
{
	if (no < 1 || no > (__u32)h->n_ports)
		return NULL;
	return &h->port[no - 1];
}

const char *fp_h_pcap_dir(void)
{
	static char buf[PATH_MAX];
	const char *env = getenv("FP_PCAP_DIR");
	const char *top = getenv("FP_TOP");

	if (env && *env)
		return env;
	snprintf(buf, sizeof(buf), "%s/build/pcaps", top && *top ? top : ".");
	return buf;
}

const char *fp_h_output_dir(void)
{
	static char buf[PATH_MAX];
	const char *b = getenv("FP_BUILD");

	snprintf(buf, sizeof(buf), "%s/test-output", b && *b ? b : "build");
	return buf;
}

int fp_h_exe_relative(char *buf, size_t len, const char *leaf)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	n = snprintf(buf, len, "%s/%s", exe, leaf);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int pcap_read(const char *name, struct fp_h_pcap *pc)
{
	char errbuf[PCAP_ERRBUF_SIZE], path[PATH_MAX];
	struct pcap_pkthdr *ph;
	const unsigned char *data;
	pcap_t *p;
	int rc, err = 0;

	memset(pc, 0, sizeof(*pc));
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", fp_h_pcap_dir(), name);
	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fp_err("%s: %s (generated by `make`: pcaps/gen_*.py)", path,
		       errbuf);
		return -ENOENT;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fp_err("%s: not an Ethernet capture", path);
		err = -EPROTO;
		goto out;
	}
	while ((rc = pcap_next_ex(p, &ph, &data)) == 1) {
		struct fp_h_pkt *k = &pc->pkt[pc->n];

		if (pc->n == FP_H_MAX_PKTS || ph->caplen != ph->len ||
		    ph->len > FP_H_PKT_MAX) {
			fp_err("%s: packet %d: too many, truncated or longer than %d bytes",
			       path, pc->n, FP_H_PKT_MAX);
			err = -E2BIG;
			goto out;
		}
		k->data = malloc(ph->len);
		if (!k->data) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(k->data, data, ph->len);
		k->len = ph->len;
		pc->n++;
	}
	if (rc != PCAP_ERROR_BREAK) {
		fp_err("%s: %s", path, pcap_geterr(p));
		err = -EIO;
	}
out:
	pcap_close(p);
	if (err)
		fp_h_pcap_free(pc);
	return err;
}

int fp_h_pcap_read(const char *name, struct fp_h_pcap *pc)
{
	int err = pcap_read(name, pc);

	/* A test input that cannot be read fails here, once for all
	 * callers: none of the checks it feeds may pass by default. */
	if (err)
		fp_test_report(false, name, "test input cannot be read: %s",
			       strerror(-err));
	return err;
}

void fp_h_pcap_free(struct fp_h_pcap *pc)
{
	int i;

	for (i = 0; i < pc->n; i++)
		free(pc->pkt[i].data);
	memset(pc, 0, sizeof(*pc));
}

int fp_h_pcap_write(const char *path, const struct fp_h_pkt *pkts, int n)
{
	pcap_dumper_t *d;
	pcap_t *p;
	int i;

	p = pcap_open_dead(DLT_EN10MB, 65535);
	if (!p)
		return -ENOMEM;
	d = pcap_dump_open(p, path);
	if (!d) {
		fp_err("%s: %s", path, pcap_geterr(p));
		pcap_close(p);
		return -EIO;
	}
	for (i = 0; i < n; i++) {
		/* Packets one millisecond apart, like the inputs. */
		struct pcap_pkthdr ph = {
			.ts = { .tv_sec = 0, .tv_usec = i * 1000 },
			.caplen = pkts[i].len,
			.len = pkts[i].len,
		};

		pcap_dump((unsigned char *)d, &ph, pkts[i].data);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}

void fp_h_key_of(const void *pkt, __u32 len, __u32 in_port,
		 struct fp_flow_key *key)
{
	/* As the BPF parser does it: every byte zero, metadata set, then
	 * the headers (a test_run skb carries no offloaded VLAN tag). */
	memset(key, 0, sizeof(*key));
	key->in_port = in_port;
	fp_flow_extract(key, pkt, (const unsigned char *)pkt + len, 0, 0);
}

int fp_h_test_run(int prog_fd, int ifindex, const void *pkt, __u32 len,
		  const __u32 *cb, struct fp_h_result *res)
{
	return fp_h_test_run_mark(prog_fd, ifindex, 0, pkt, len, cb, res);
}

int fp_h_test_run_mark(int prog_fd, int ifindex, __u32 mark, const void *pkt,
		       __u32 len, const __u32 *cb, struct fp_h_result *res)
{
	struct __sk_buff ctx = { .ifindex = ifindex, .mark = mark },
			 ctx_out = {};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len,
		    .data_out = res->data, .data_size_out = sizeof(res->data),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out),
		    .repeat = 1);
	int err;

	if (cb)
		memcpy(ctx.cb, cb, sizeof(ctx.cb));
	memset(res, 0, sizeof(*res));
	err = bpf_prog_test_run_opts(prog_fd, &o);
	if (err)
		return -errno;
	res->retval = o.retval;
	res->len = o.data_size_out;
	memcpy(res->cb, ctx_out.cb, sizeof(res->cb));
	return 0;
}

int fp_h_key_parse(const char *match, struct fp_flow_key *key)
{
	char err[FP_ODP_ERR_LEN];

	if (fp_odp_key_parse(match, key, err, sizeof(err))) {
		fp_test_report(false, "flow key", "'%s': %s", match, err);
		return -EINVAL;
	}
	return 0;
}

int fp_h_flow_add(struct fp_h *h, const struct fp_flow_key *key,
		  const char *actions, bool in_port_flag)
{
	char err[FP_ODP_ERR_LEN];
	struct fp_flow flow = {};
	int ret;

	/* Without the key, odp cannot tell that an output names the input
	 * port, so it leaves FP_OUTPUT_F_IN_PORT off. */
	if (fp_odp_actions_parse(actions, in_port_flag ? key : NULL, &flow,
				 err, sizeof(err))) {
		fp_test_report(false, "flow actions", "'%s': %s", actions, err);
		return -EINVAL;
	}
	ret = fp_flow_put(&h->dp, key, &flow, FP_FLOW_CREATE);
	fp_h_unlock(h);
	if (ret)
		fp_test_report(false, "flow install", "%s", strerror(-ret));
	return ret;
}

int fp_h_flow_del(struct fp_h *h, const struct fp_flow_key *key)
{
	int ret = fp_flow_del(&h->dp, key, NULL);

	fp_h_unlock(h);
	return ret;
}

int fp_h_flow_stats(struct fp_h *h, const struct fp_flow_key *key,
		    struct fp_flow_stats *st)
{
	memset(st, 0, sizeof(*st));
	return fp_flow_get(&h->dp, key, NULL, st);
}

void fp_h_key_print(const char *what, const struct fp_flow_key *key)
{
	char buf[FP_ODP_KEY_STRLEN];

	fp_odp_key_format(key, buf, sizeof(buf));
	printf("  %s: %s\n", what, buf);
}

/* Device tx counters from /proc/net/dev, which, unlike /sys/class/net
 * (mounted in the host's namespace), lists this namespace's devices. */
static int fp_h_read_wire(struct fp_h *h, struct fp_h_snap *s)
{
	unsigned long long v[16];
	char line[512], name[IF_NAMESIZE + 1];
	FILE *f = fopen("/proc/net/dev", "r");
	int i, found = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || sscanf(line, " %16[^:]", name) != 1)
			continue;
		/* rx: bytes packets errs drop fifo frame compressed
		 * multicast, then tx: bytes packets ... */
		if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9]) != 10)
			continue;
		for (i = 0; i < h->n_ports; i++)
			if (!strcmp(name, h->port[i].dev)) {
				s->wire_tx[h->port[i].no] = v[9];
				found++;
			}
	}
	fclose(f);
	return found == h->n_ports ? 0 : -ENODEV;
}

int fp_h_snap(struct fp_h *h, struct fp_h_snap *s)
{
	__u32 no;
	int err;

	memset(s, 0, sizeof(*s));
	err = fp_counters_read(&h->dp, s->cnt);
	/* Every port number, not just the veth ports: tunnel ports too. */
	for (no = 1; !err && no <= FP_H_MAX_PORTS; no++)
		err = fp_port_stats_sum(&h->dp, no, &s->port[no]);
	if (!err)
		err = fp_h_read_wire(h, s);
	return err;
}

bool fp_h_check_counters(const struct fp_h_snap *a, const struct fp_h_snap *b,
			 const long long *want, const char *label)
{
	char msg[1024] = "";
	size_t off = 0;
	int i;

	for (i = 0; i < FP_CNT_MAX; i++) {
		long long d = (long long)(b->cnt[i] - a->cnt[i]);

		if (d == want[i] || off >= sizeof(msg))
			continue;
		off += snprintf(msg + off, sizeof(msg) - off,
				"%s%s %+lld (expected %+lld)", off ? ", " : "",
				fp_counter_names[i], d, want[i]);
	}
	return fp_test_report(!off, label, "%s", msg);
}

long long fp_h_tx_delta(const struct fp_h_snap *a, const struct fp_h_snap *b,
			__u32 no)
{
	if (no > FP_H_MAX_PORTS)
		return 0;
	return (long long)(b->port[no].tx_packets - a->port[no].tx_packets);
}

long long fp_h_wire_delta(const struct fp_h_snap *a, const struct fp_h_snap *b,
			  __u32 no)
{
	if (no > FP_H_MAX_PORTS)
		return 0;
	return (long long)(b->wire_tx[no] - a->wire_tx[no]);
}

static void fp_h_on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct fp_h_upcalls *u = ctx;
	struct fp_h_upcall *r;

	(void)cpu;
	if (u->n >= FP_H_MAX_PKTS) {
		u->n++; /* counted, not kept: the test sees a surplus */
		return;
	}
	r = &u->rec[u->n++];
	memset(r, 0, sizeof(*r));
	r->sample_size = size;
	if (size < sizeof(r->hdr))
		return; /* hdr stays zero: reason 0 fails every check */
	/* A perf sample is only 4-byte aligned; the key needs 8. */
	memcpy(&r->hdr, data, sizeof(r->hdr));
	/* Keep no more than the sample holds, whatever cap_len claims. */
	if (r->hdr.cap_len > size - sizeof(r->hdr))
		return;
	r->pkt = malloc(r->hdr.cap_len ? r->hdr.cap_len : 1);
	if (r->pkt)
		memcpy(r->pkt, (const char *)data + sizeof(r->hdr),
		       r->hdr.cap_len);
}

static void fp_h_on_lost(void *ctx, int cpu, __u64 n)
{
	struct fp_h_upcalls *u = ctx;

	(void)cpu;
	u->lost += n;
}

static int fp_h_upcalls_open(struct fp_h *h, struct fp_h_upcalls *u)
{
	memset(u, 0, sizeof(*u));
	u->pb = perf_buffer__new(h->dp.map_fd[FP_MAP_UPCALLS], 16,
				 fp_h_on_sample, fp_h_on_lost, u, NULL);
	if (!u->pb) {
		int err = -errno;

		fp_err("%s: perf buffer on upcalls: %s", h->dp_name,
		       strerror(-err));
		return err;
	}
	return 0;
}

static long long fp_h_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int fp_h_upcalls_collect(struct fp_h_upcalls *u, int want, int timeout_ms,
			 int settle_ms)
{
	long long end = fp_h_now_ms() + timeout_ms;
	long long left;

	if (!u->pb)
		return 0;
	while (u->n < want && (left = end - fp_h_now_ms()) > 0)
		perf_buffer__poll(u->pb, (int)left);
	end = fp_h_now_ms() + settle_ms;
	while ((left = end - fp_h_now_ms()) > 0)
		perf_buffer__poll(u->pb, (int)left);
	/* Whatever is already there, even with no wait at all. */
	perf_buffer__consume(u->pb);
	return u->n;
}

/* Long enough for a record to show up, short enough for a test. */
#define FP_H_UPCALL_WAIT_MS 1000
/* How long a second, surplus record is given to show up. */
#define FP_H_UPCALL_SETTLE_MS 100

bool fp_h_check_upcall(struct fp_h *h, const char *what,
		       const struct fp_h_pkt *pkt, __u32 in_port,
		       __u32 reason)
{
	const struct fp_h_upcall *up = &h->up.rec[0];
	struct fp_flow_key key;
	char label[256];
	bool ok = true;
	int n;

	n = fp_h_upcalls_collect(&h->up, 1, FP_H_UPCALL_WAIT_MS,
				 FP_H_UPCALL_SETTLE_MS);
	snprintf(label, sizeof(label), "%s: exactly one upcall", what);
	if (!fp_test_report(n == 1 && !h->up.lost, label,
			    "%d records, %llu lost", n, h->up.lost) ||
	    n < 1)
		return false;

	snprintf(label, sizeof(label), "%s: upcall reason", what);
	ok &= ASSERT_EQ(up->hdr.reason, reason, label);
	snprintf(label, sizeof(label), "%s: upcall in_port", what);
	ok &= ASSERT_EQ(up->hdr.in_port, in_port, label);
	snprintf(label, sizeof(label), "%s: upcall pkt_len", what);
	ok &= ASSERT_EQ(up->hdr.pkt_len, pkt->len, label);
	snprintf(label, sizeof(label), "%s: upcall cap_len", what);
	ok &= ASSERT_EQ(up->hdr.cap_len, pkt->len, label);
	/* The header, the packet, then at most the padding that keeps a
	 * perf sample 8-byte aligned (its u32 size included). */
	snprintf(label, sizeof(label), "%s: upcall sample size", what);
	ok &= fp_test_report(up->sample_size >= sizeof(up->hdr) + pkt->len &&
				     up->sample_size <
					     sizeof(up->hdr) + pkt->len + 8,
			     label,
			     "%u bytes for a %zu-byte header and %u packet bytes",
			     up->sample_size, sizeof(up->hdr), pkt->len);

	/* The key the slow path would install must be the one the same
	 * parser, built for userspace, gives these bytes. */
	fp_h_key_of(pkt->data, pkt->len, in_port, &key);
	snprintf(label, sizeof(label), "%s: upcall key", what);
	if (!ASSERT_BYTES(&up->hdr.key, sizeof(up->hdr.key), &key,
			  sizeof(key), label)) {
		fp_h_key_print("upcall key", &up->hdr.key);
		fp_h_key_print("userspace parser", &key);
		ok = false;
	}
	snprintf(label, sizeof(label), "%s: upcall packet bytes", what);
	if (up->pkt)
		ok &= ASSERT_BYTES(up->pkt, up->hdr.cap_len, pkt->data,
				   pkt->len, label);
	else
		ok &= fp_test_report(false, label,
				     "sample holds %u bytes, cap_len %u",
				     up->sample_size, up->hdr.cap_len);
	return ok;
}

void fp_h_upcalls_clear(struct fp_h_upcalls *u)
{
	int i;

	for (i = 0; i < u->n && i < FP_H_MAX_PKTS; i++)
		free(u->rec[i].pkt);
	memset(u->rec, 0, sizeof(u->rec));
	u->n = 0;
	u->lost = 0;
}

void fp_h_upcalls_close(struct fp_h_upcalls *u)
{
	fp_h_upcalls_clear(u);
	perf_buffer__free(u->pb);
	u->pb = NULL;
}

/* "IPv4/UDP hit" -> "IPv4-UDP-hit": a file name. */
static void fp_h_slug(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < len && s[i]; i++) {
		char c = s[i];

		buf[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					 (c >= '0' && c <= '9') || c == '_' ?
				 c :
				 '-';
	}
	buf[i] = '\0';
}

/* On a byte mismatch: keep what came out, for tshark/wireshark. */
static void fp_h_save_actual(const struct fp_h_case *c,
			     const struct fp_h_pkt *pkts, int n)
{
	char path[PATH_MAX + 256], slug[128];
	const char *dir = fp_h_output_dir();
	int len;

	fp_h_slug(slug, sizeof(slug), c->desc);
	mkdir(dir, 0755);
	len = snprintf(path, sizeof(path), "%s/%s-%s.actual.pcap", dir,
		       fp_test_name, slug);
	if (len > 0 && (size_t)len < sizeof(path) &&
	    !fp_h_pcap_write(path, pkts, n))
		printf("  actual output of '%s' written to %s\n", c->desc,
		       path);
}

/* Captures on the far ends of the ports a case checks on the wire. */
struct fp_h_capture {
	int n;
	unsigned char src[6]; /* only frames from the case's source MAC */
	int cur; /* the capture being read */
	pcap_t *pc[FP_H_MAX_WIRE];
	struct fp_h_pcap exp[FP_H_MAX_WIRE];
	struct fp_h_pcap got[FP_H_MAX_WIRE];
};

static void fp_h_capture_close(struct fp_h_capture *cap)
{
	int i;

	for (i = 0; i < cap->n; i++) {
		if (cap->pc[i])
			pcap_close(cap->pc[i]);
		fp_h_pcap_free(&cap->exp[i]);
		fp_h_pcap_free(&cap->got[i]);
	}
	cap->n = 0;
}

/*
 * Open a capture on "<dev>p" for each wire entry, taking only what
 * arrives there from the port and comes from the case's source MAC (not
 * the namespace's own IPv6 chatter).
 */
static int fp_h_capture_open(struct fp_h *h, const struct fp_h_case *c,
			     const struct fp_h_pkt *first,
			     struct fp_h_capture *cap)
{
	char errbuf[PCAP_ERRBUF_SIZE], dev[IF_NAMESIZE + 2];
	const struct fp_h_port *port;
	int i, err;

	memset(cap, 0, sizeof(*cap));
	if (first->len >= 12)
		memcpy(cap->src, first->data + 6, 6);
	for (i = 0; i < FP_H_MAX_WIRE && c->wire[i].port; i++) {
		port = fp_h_port(h, c->wire[i].port);
		cap->n = i + 1;
		if (!port)
			return fp_test_report(false, c->desc,
					      "wire: no port %u",
					      c->wire[i].port) ? 0 : -ENODEV;
		err = fp_h_pcap_read(c->wire[i].pcap, &cap->exp[i]);
		if (err)
			return err;
		snprintf(dev, sizeof(dev), "%sp", port->dev);
		cap->pc[i] = pcap_create(dev, errbuf);
		if (!cap->pc[i] || pcap_set_snaplen(cap->pc[i], FP_H_PKT_MAX) ||
		    pcap_set_immediate_mode(cap->pc[i], 1) ||
		    pcap_activate(cap->pc[i]) ||
		    pcap_setdirection(cap->pc[i], PCAP_D_IN)) {
			fp_test_report(false, c->desc, "capture on %s: %s", dev,
				       cap->pc[i] ? pcap_geterr(cap->pc[i]) :
						    errbuf);
			return -EIO;
		}
		if (pcap_setnonblock(cap->pc[i], 1, errbuf)) {
			fp_test_report(false, c->desc, "capture on %s: %s",
				       dev, errbuf);
			return -EIO;
		}
	}
	return 0;
}

static void fp_h_capture_cb(unsigned char *user, const struct pcap_pkthdr *ph,
			    const unsigned char *data)
{
	struct fp_h_capture *cap = (struct fp_h_capture *)user;
	struct fp_h_pcap *got = &cap->got[cap->cur];
	struct fp_h_pkt *pkt;

	/* Not the namespace's own chatter (IPv6 RS, MLD). */
	if (ph->caplen < 12 || memcmp(data + 6, cap->src, 6))
		return;
	if (got->n >= FP_H_MAX_PKTS)
		return;
	pkt = &got->pkt[got->n];
	pkt->data = malloc(ph->caplen ? ph->caplen : 1);
	if (!pkt->data)
		return;
	memcpy(pkt->data, data, ph->caplen);
	pkt->len = ph->caplen;
	got->n++;
}

/* Wait (up to a second) until every capture holds @want packets, then a
 * little longer, so that a surplus copy shows. */
static void fp_h_capture_collect(struct fp_h_capture *cap, int want)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int i, tries, settle = 10;

	for (tries = 0; tries < 500; tries++) {
		bool all = true;

		for (i = 0; i < cap->n; i++) {
			cap->cur = i;
			pcap_dispatch(cap->pc[i], -1, fp_h_capture_cb,
				      (unsigned char *)cap);
			all &= cap->got[i].n >= want;
		}
		if (all && !settle--)
			break;
		nanosleep(&ts, NULL);
	}
}

/* The wire checks of packet @i of a case. */
static bool fp_h_capture_check(const struct fp_h_case *c,
			       struct fp_h_capture *cap, int i,
			       const char *pfx)
{
	char label[256];
	bool ok = true;
	int w;

	fp_h_capture_collect(cap, i + 1);
	for (w = 0; w < cap->n; w++) {
		const struct fp_h_pcap *got = &cap->got[w];

		snprintf(label, sizeof(label), "%s: on the wire of port %u",
			 pfx, c->wire[w].port);
		if (!fp_test_report(got->n == i + 1, label,
				    "%d packets captured, expected %d",
				    got->n, i + 1)) {
			ok = false;
			continue;
		}
		ok &= ASSERT_BYTES(got->pkt[i].data, got->pkt[i].len,
				   cap->exp[w].pkt[i].data,
				   cap->exp[w].pkt[i].len, label);
	}
	return ok;
}

struct fp_h_installed {
	int n;
	struct fp_flow_key key[FP_H_MAX_FLOWS];
};

static bool fp_h_install(struct fp_h *h, const struct fp_h_case *c,
			 const struct fp_h_pcap *in, struct fp_h_installed *ins)
{
	int i;

	memset(ins, 0, sizeof(*ins));
	for (i = 0; i < FP_H_MAX_FLOWS && c->flows[i].actions; i++) {
		const struct fp_h_flow *f = &c->flows[i];
		__u32 in_port = f->in_port ? f->in_port : c->in_port;
		struct fp_flow_key *key = &ins->key[ins->n];

		if (f->match) {
			if (fp_h_key_parse(f->match, key))
				return false;
		} else if (f->key_pkt >= 0 && f->key_pkt < in->n) {
			fp_h_key_of(in->pkt[f->key_pkt].data,
				    in->pkt[f->key_pkt].len, in_port, key);
		} else {
			return fp_test_report(false, c->desc,
					      "flow %d: no packet %d", i,
					      f->key_pkt);
		}
		if (fp_h_flow_add(h, key, f->actions, !f->no_in_port_flag)) {
			printf("  in case '%s', flow %d\n", c->desc, i);
			return false;
		}
		ins->n++;
	}
	return true;
}

const char *fp_h_verdict_name(int v)
{
	switch (v) {
	case TC_ACT_OK:
		return "TC_ACT_OK";
	case TC_ACT_SHOT:
		return "TC_ACT_SHOT";
	case TC_ACT_REDIRECT:
		return "TC_ACT_REDIRECT";
	default:
		return "?";
	}
}

/* Checks of one packet's run; true if all held. */
static bool fp_h_check_packet(struct fp_h *h, const struct fp_h_case *c,
			      const char *pfx, const struct fp_h_pkt *pkt,
			      const struct fp_h_pkt *exp,
			      const struct fp_h_result *res,
			      const struct fp_h_snap *s0,
			      const struct fp_h_snap *s1,
			      const struct fp_h_installed *ins,
			      const struct fp_flow_stats *fs0)
{
	const struct fp_h_expect *e = &c->expect;
	long long want[FP_CNT_MAX] = {};
	char label[256], msg[512] = "";
	size_t off = 0;
	bool ok = true;
	int i, j, last;

	snprintf(label, sizeof(label), "%s: verdict", pfx);
	ok &= fp_test_report(res->retval == (__u32)e->verdict, label,
			     "%s (%u), expected %s (%d)",
			     fp_h_verdict_name(res->retval), res->retval,
			     fp_h_verdict_name(e->verdict), e->verdict);

	/* Each port must have sent exactly the copies listed for it. */
	for (i = 0; i < h->n_ports; i++) {
		__u32 no = h->port[i].no;
		long long n = 0, d = fp_h_tx_delta(s0, s1, no);

		for (j = 0; j < FP_H_MAX_OUT && e->out[j]; j++)
			n += e->out[j] == no;
		if (d != n && off < sizeof(msg))
			off += snprintf(msg + off, sizeof(msg) - off,
					"%sport %u tx %+lld (expected %+lld)",
					off ? ", " : "", no, d, n);
	}
	snprintf(label, sizeof(label), "%s: output ports", pfx);
	ok &= fp_test_report(!off, label, "%s", msg);

	/* Every copy but a redirected last one was cloned, and so really
	 * left its device. */
	for (last = 0; last < FP_H_MAX_OUT && e->out[last]; last++)
		;
	off = 0;
	msg[0] = '\0';
	for (i = 0; i < h->n_ports; i++) {
		__u32 no = h->port[i].no;
		long long n = 0, d = fp_h_wire_delta(s0, s1, no);

		for (j = 0; j < last; j++)
			n += e->out[j] == no &&
			     !(j == last - 1 && e->verdict == TC_ACT_REDIRECT);
		if (d != n && off < sizeof(msg))
			off += snprintf(msg + off, sizeof(msg) - off,
					"%s%s sent %+lld (expected %+lld)",
					off ? ", " : "", h->port[i].dev, d, n);
	}
	snprintf(label, sizeof(label), "%s: clones on the wire", pfx);
	ok &= fp_test_report(!off, label, "%s", msg);

	/* Received on the arrival port, if it is one; nowhere else. */
	off = 0;
	msg[0] = '\0';
	for (i = 0; i < h->n_ports; i++) {
		__u32 no = h->port[i].no;
		bool here = !c->in_dev && no == c->in_port;
		long long rp = (long long)(s1->port[no].rx_packets -
					   s0->port[no].rx_packets);
		long long rb = (long long)(s1->port[no].rx_bytes -
					   s0->port[no].rx_bytes);

		if ((rp != here || rb != (here ? pkt->len : 0)) &&
		    off < sizeof(msg))
			off += snprintf(msg + off, sizeof(msg) - off,
					"%sport %u rx %+lld packets %+lld bytes",
					off ? ", " : "", no, rp, rb);
	}
	snprintf(label, sizeof(label), "%s: rx accounting", pfx);
	ok &= fp_test_report(!off, label, "%s", msg);

	for (i = 0; i < FP_H_MAX_CNT && e->cnt[i].delta; i++)
		want[e->cnt[i].cnt] += e->cnt[i].delta;
	snprintf(label, sizeof(label), "%s: counters", pfx);
	ok &= fp_h_check_counters(s0, s1, want, label);

	/* The flow that matched accounts exactly this packet; no other. */
	for (i = 0; i < ins->n; i++) {
		struct fp_flow_stats st;
		long long dp, db, xp, xb;

		xp = e->flows_mask ? !!(e->flows_mask & 1u << i) : i == e->flow;
		xb = xp ? pkt->len : 0;

		fp_h_flow_stats(h, &ins->key[i], &st);
		dp = (long long)(st.packets - fs0[i].packets);
		db = (long long)(st.bytes - fs0[i].bytes);
		snprintf(label, sizeof(label), "%s: flow %d stats", pfx, i);
		ok &= fp_test_report(dp == xp && db == xb, label,
				     "packets %+lld bytes %+lld, expected %+lld %+lld",
				     dp, db, xp, xb);
	}

	if (e->bytes) {
		snprintf(label, sizeof(label), "%s: output bytes", pfx);
		ok &= ASSERT_BYTES(res->data, res->len, exp->data, exp->len,
				   label);
	}
	return ok;
}

bool fp_h_run_case(struct fp_h *h, const struct fp_h_case *c)
{
	struct fp_h_pkt actual[FP_H_MAX_PKTS] = {};
	struct fp_flow_stats fs0[FP_H_MAX_FLOWS];
	struct fp_h_pcap in = {}, ex = {};
	const struct fp_h_pcap *exp = &in;
	struct fp_h_installed ins = {};
	struct fp_h_capture cap = {};
	struct fp_h_result *res = NULL;
	struct fp_h_snap s0, s1;
	bool ok = false, bytes_ok = true, pkt_ok, keys_shown = false;
	const struct fp_h_port *port;
	char label[256], pfx[200];
	int i, j, ifindex, err;

	/* Preconditions say nothing unless they fail. */
	err = fp_h_pcap_read(c->pcap, &in);
	if (!err && c->expect_pcap) {
		err = fp_h_pcap_read(c->expect_pcap, &ex);
		exp = &ex;
	}
	if (err || exp->n != in.n || !in.n) {
		fp_test_report(false, c->desc,
			       "pcaps: %s (%d packets in, %d expected)",
			       strerror(err ? -err : EINVAL), in.n, exp->n);
		goto out;
	}

	port = fp_h_port(h, c->in_port);
	ifindex = c->in_dev ? (int)if_nametoindex(c->in_dev) :
			      port ? port->ifindex : 0;
	if (ifindex <= 0) {
		fp_test_report(false, c->desc, "no device for port %u / %s",
			       c->in_port, c->in_dev ? c->in_dev : "-");
		goto out;
	}
	res = calloc(1, sizeof(*res));
	if (!res || !fp_h_install(h, c, &in, &ins))
		goto out;
	if (fp_h_capture_open(h, c, &in.pkt[0], &cap))
		goto out;

	ok = true;
	for (i = 0; i < in.n; i++) {
		long long ups;

		snprintf(pfx, sizeof(pfx), "%s: pkt %d", c->desc, i);
		for (j = 0; j < ins.n; j++)
			fp_h_flow_stats(h, &ins.key[j], &fs0[j]);
		fp_h_upcalls_clear(&h->up);
		err = fp_h_snap(h, &s0);
		if (!err)
			err = fp_h_test_run(h->parser_fd, ifindex,
					    in.pkt[i].data, in.pkt[i].len, NULL,
					    res);
		if (!err)
			err = fp_h_snap(h, &s1);
		if (err) {
			fp_test_report(false, pfx, "test_run: %s",
				       strerror(-err));
			ok = false;
			break;
		}
		actual[i].data = malloc(res->len ? res->len : 1);
		if (actual[i].data) {
			memcpy(actual[i].data, res->data, res->len);
			actual[i].len = res->len;
		}
		pkt_ok = fp_h_check_packet(h, c, pfx, &in.pkt[i],
					   &exp->pkt[i], res, &s0, &s1, &ins,
					   fs0);
		if (!pkt_ok && !keys_shown) {
			/* A wrong hit or miss is nearly always a key that
			 * differs: show both sides. */
			struct fp_flow_key k;

			fp_h_key_of(in.pkt[i].data, in.pkt[i].len,
				    c->in_dev ? FP_PORT_NONE : c->in_port, &k);
			fp_h_key_print("packet key (userspace parser)", &k);
			for (j = 0; j < ins.n; j++)
				fp_h_key_print("flow key", &ins.key[j]);
			keys_shown = true;
		}
		if (cap.n)
			pkt_ok &= fp_h_capture_check(c, &cap, i, pfx);
		ok &= pkt_ok;
		if (c->expect.bytes && (res->len != exp->pkt[i].len ||
					memcmp(res->data, exp->pkt[i].data,
					       res->len)))
			bytes_ok = false;

		/* What the counter says went up must really be on the perf
		 * buffer, once. */
		ups = (long long)(s1.cnt[FP_CNT_UPCALL] -
				  s0.cnt[FP_CNT_UPCALL]);
		fp_h_upcalls_collect(&h->up, (int)ups, 1000, ups ? 20 : 0);
		snprintf(label, sizeof(label), "%s: upcall records", pfx);
		ok &= ASSERT_EQ(h->up.n, ups, label);
	}
	if (!bytes_ok)
		fp_h_save_actual(c, actual, in.n);
out:
	fp_h_capture_close(&cap);
	for (i = 0; i < ins.n; i++)
		fp_h_flow_del(h, &ins.key[i]);
	for (i = 0; i < FP_H_MAX_PKTS; i++)
		free(actual[i].data);
	free(res);
	fp_h_pcap_free(&in);
	fp_h_pcap_free(&ex);
	return ok;
}
