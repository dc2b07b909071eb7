// SPDX-License-Identifier: GPL-2.0
/*
 * Upcall fairness under BPF_PROG_TEST_RUN: each port's upcalls pass its
 * token bucket (maps/upcall_limit.h). A flood of distinct misses on one
 * port upcalls exactly its burst, the rest is counted as rate-limited
 * (globally and for that port) while another port still upcalls; tokens
 * come back at the rate; rate 0 lifts the limit. And lost samples are
 * counted on both sides of the perf buffer: the stage's failed writes
 * (upcalls_lost) equal what the reader is told it lost.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "test.h"
#include "dp_counters.h"
#include "dp_upcall_limit.h"

#define PKT_LEN 1400 /* large, so that a few samples fill a perf ring */

/* An Ethernet/IPv4/UDP packet of @len bytes whose key differs for each
 * @n (its UDP source port), 198.51.100.1 -> 203.0.113.1. */
static void make_pkt(unsigned char *p, __u32 len, __u16 n)
{
	static const unsigned char eth[14] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	};
	unsigned char *ip = p + 14, *udp = ip + 20;
	__u16 sport = 1024 + n;
	__u32 sum = 0;
	int i;

	memset(p, 0, len);
	memcpy(p, eth, sizeof(eth));
	ip[0] = 0x45;
	ip[2] = (len - 14) >> 8;
	ip[3] = (len - 14) & 0xff;
	ip[8] = 64; /* ttl */
	ip[9] = 17; /* UDP */
	memcpy(ip + 12, (unsigned char[]){ 198, 51, 100, 1 }, 4);
	memcpy(ip + 16, (unsigned char[]){ 203, 0, 113, 1 }, 4);
	for (i = 0; i < 20; i += 2)
		sum += ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (~sum >> 8) & 0xff;
	ip[11] = ~sum & 0xff;
	udp[0] = sport >> 8;
	udp[1] = sport & 0xff;
	udp[2] = 0x12; /* port 4660 */
	udp[3] = 0x34;
	udp[4] = (len - 34) >> 8;
	udp[5] = (len - 34) & 0xff;
	/* UDP checksum 0: none. */
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run @n distinct packets in on port @no, the first numbered @first;
 * each must be dropped (a miss, upcalled or not). */
static int send_n(struct fp_h *h, __u32 no, int first, int n)
{
	static unsigned char pkt[PKT_LEN];
	struct fp_h_result *res = malloc(sizeof(*res));
	int i, err = 0;

	if (!res)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++) {
		make_pkt(pkt, sizeof(pkt), first + i);
		err = fp_h_test_run(h->parser_fd, fp_h_port(h, no)->ifindex,
				    pkt, sizeof(pkt), NULL, res);
		if (!err && res->retval != TC_ACT_SHOT)
			err = -EPROTO;
	}
	free(res);
	return err;
}

static int set_limit(struct fp_h *h, int no, __u32 rate, __u32 burst)
{
	return fp_upcall_limit_set(&h->dp, no, &rate, &burst);
}

static void port_stats(struct fp_h *h, __u32 no,
		       struct fp_upcall_port_stats *st)
{
	if (fp_upcall_port_stats_sum(&h->dp, no, st))
		memset(st, 0, sizeof(*st));
}

/*
 * Port 1 floods N distinct misses at rate 1/s burst B: exactly B upcall
 * (plus any token a slow run earned back: one per second), the rest are
 * rate-limited, and still dropped as misses. Port 2 upcalls meanwhile.
 */
static void test_flood(struct fp_h *h)
{
	enum { N = 40, BURST = 8 };
	struct fp_upcall_port_stats p1a, p1b, p2a, p2b;
	long long want[FP_CNT_MAX] = {};
	struct fp_h_snap s0, s1;
	double t0;
	int extra, n;

	if (!ASSERT_OK(set_limit(h, 1, 1, BURST), "flood: limit port 1"))
		return;
	fp_h_upcalls_clear(&h->up);
	port_stats(h, 1, &p1a);
	port_stats(h, 2, &p2a);
	fp_h_snap(h, &s0);
	t0 = now_s();
	if (!ASSERT_OK(send_n(h, 1, 0, N), "flood: run port 1"))
		return;
	/* GCRA gives one token back per interval (1 s) after the burst. */
	extra = (int)(now_s() - t0);
	if (!ASSERT_OK(send_n(h, 2, 1000, 1), "flood: run port 2"))
		return;
	fp_h_snap(h, &s1);
	port_stats(h, 1, &p1b);
	port_stats(h, 2, &p2b);

	want[FP_CNT_MISS] = N + 1;
	want[FP_CNT_MISS_DROP] = N + 1;
	want[FP_CNT_UPCALL] = BURST + extra + 1;
	want[FP_CNT_UPCALL_RATE_LIMITED] = N - BURST - extra;
	fp_h_check_counters(&s0, &s1, want, "flood: counters");
	ASSERT_EQ(p1b.upcalls - p1a.upcalls, BURST + extra,
		  "flood: port 1 upcalls = burst");
	ASSERT_EQ(p1b.rate_limited - p1a.rate_limited, N - BURST - extra,
		  "flood: port 1 rate_limited = the rest");
	ASSERT_EQ(p2b.upcalls - p2a.upcalls, 1, "flood: port 2 still upcalls");
	ASSERT_EQ(p2b.rate_limited - p2a.rate_limited, 0,
		  "flood: port 2 not rate-limited");
	/* What reached the reader: port 1's burst, then port 2's one. */
	n = fp_h_upcalls_collect(&h->up, BURST + extra + 1, 1000, 100);
	ASSERT_EQ(n, BURST + extra + 1, "flood: upcall records read");
	if (n == BURST + extra + 1 && n <= FP_H_MAX_PKTS) {
		ASSERT_EQ(h->up.rec[0].hdr.in_port, 1,
			  "flood: first record from port 1");
		ASSERT_EQ(h->up.rec[n - 1].hdr.in_port, 2,
			  "flood: last record from port 2");
	}
	fp_h_upcalls_clear(&h->up);
}

/*
 * Two packets of port 3 sent back to back, less than a second apart (a
 * token comes back each second): their upcall and rate_limited counts
 * into @up and @limited. False if the pair took a second or more, and so
 * proves nothing.
 */
static bool pair_in_time(struct fp_h *h, int first, long long *up,
			 long long *limited)
{
	struct fp_upcall_port_stats a, b;
	double t0;

	port_stats(h, 3, &a);
	t0 = now_s();
	if (!REQUIRE_OK(send_n(h, 3, first, 2), "refill: run"))
		return false;
	port_stats(h, 3, &b);
	*up = (long long)(b.upcalls - a.upcalls);
	*limited = (long long)(b.rate_limited - a.rate_limited);
	return now_s() - t0 < 1;
}

/*
 * Rate 1/s, burst 1: one upcall, the next packet limited; a second later
 * one token back, and one only (a limiter that let everything through
 * would pass the first check alone). On a machine too slow to send a pair
 * within the second, the try is made again from a full bucket, at most
 * FPT_REFILL_TRIES times, then fails: the checks never pass by default.
 */
#define FPT_REFILL_TRIES 5

static void test_refill(struct fp_h *h)
{
	long long up = 0, limited = 0;
	int try, late = 0, done = 0;

	for (try = 0; try < FPT_REFILL_TRIES && !done; try++) {
		if (!REQUIRE_OK(set_limit(h, 3, 1, 1), "refill: limit port 3"))
			return;
		if (!pair_in_time(h, 2000, &up, &limited)) {
			late++;
			continue;
		}
		ASSERT_EQ(up, 1, "refill: burst of 1");
		ASSERT_EQ(limited, 1, "refill: second one limited");
		usleep(1100 * 1000);
		if (!pair_in_time(h, 2002, &up, &limited)) {
			late++;
			continue;
		}
		ASSERT_EQ(up, 1, "refill: a token back after 1 s");
		ASSERT_EQ(limited, 1, "refill: the packet after it limited again");
		done = 1;
	}
	fp_test_require(done, "refill",
			"%d of %d tries too slow: two packets took a second or more",
			late, try);
	fp_h_upcalls_collect(&h->up, 2 * try, 1000, 0);
	fp_h_upcalls_clear(&h->up);
}

/*
 * Rate 0 (no limit), a ring that is not read: the stage counts what it
 * could not write (upcalls_lost, and the port's lost); once the reader
 * drains the ring and one more sample is written, the kernel tells the
 * reader how many were lost, and that is the same number.
 */
static void test_lost(struct fp_h *h)
{
	enum { N = 200 };
	struct fp_upcall_port_stats a, b;
	unsigned long long lost, sent;
	struct fp_h_snap s0, s1;
	cpu_set_t cpus;
	int n;

	/* Every sample into one CPU's ring: the lost record that the last
	 * packet flushes is that ring's. */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	if (!ASSERT_OK(sched_setaffinity(0, sizeof(cpus), &cpus),
		       "lost: stay on one CPU"))
		return;
	if (!ASSERT_OK(set_limit(h, 3, 0, 1), "lost: no limit on port 3"))
		return;
	fp_h_upcalls_clear(&h->up);
	port_stats(h, 3, &a);
	fp_h_snap(h, &s0);
	if (!ASSERT_OK(send_n(h, 3, 3000, N), "lost: flood port 3"))
		return;
	fp_h_snap(h, &s1);
	port_stats(h, 3, &b);
	lost = s1.cnt[FP_CNT_UPCALL_LOST] - s0.cnt[FP_CNT_UPCALL_LOST];
	sent = s1.cnt[FP_CNT_UPCALL] - s0.cnt[FP_CNT_UPCALL];
	ASSERT_EQ(sent + lost, N, "lost: every packet upcalled or lost");
	ASSERT_EQ(s1.cnt[FP_CNT_UPCALL_RATE_LIMITED] -
			  s0.cnt[FP_CNT_UPCALL_RATE_LIMITED],
		  0, "lost: none rate-limited at rate 0");
	ASSERT_TRUE(lost > 0, "lost: a 64 KiB ring overflows");
	ASSERT_EQ(b.lost - a.lost, lost, "lost: port 3 lost");
	ASSERT_EQ(b.upcalls - a.upcalls, sent, "lost: port 3 upcalls");
	n = fp_h_upcalls_collect(&h->up, (int)sent, 2000, 50);
	ASSERT_EQ(n, sent, "lost: reader got every sample written");
	ASSERT_EQ(h->up.lost, 0, "lost: reader not told yet");
	/* The lost record is written in front of the ring's next sample. */
	send_n(h, 3, 3000 + N, 1);
	fp_h_upcalls_collect(&h->up, (int)sent + 1, 2000, 50);
	ASSERT_EQ(h->up.lost, lost, "lost: reader told of as many lost");
	fp_h_upcalls_clear(&h->up);
}

/* The reader's count, as the agent keeps it: added, never overwritten. */
static void test_reader_counter(struct fp_h *h)
{
	struct fp_h_snap s0, s1;

	fp_h_snap(h, &s0);
	ASSERT_OK(fp_counter_add(&h->dp, FP_CNT_UPCALL_LOST_READER, 5),
		  "reader lost: add 5");
	ASSERT_OK(fp_counter_add(&h->dp, FP_CNT_UPCALL_LOST_READER, 2),
		  "reader lost: add 2");
	fp_h_snap(h, &s1);
	ASSERT_EQ(s1.cnt[FP_CNT_UPCALL_LOST_READER] -
			  s0.cnt[FP_CNT_UPCALL_LOST_READER],
		  7, "reader lost: counter");
}

/* What the bucket holds, as set: the stage divides nothing. */
static void test_config(struct fp_h *h)
{
	char msg[512], want[128];
	struct fp_upcall_limit l;
	__u32 rate = 3;
	int cap, err;

	if (!ASSERT_OK(set_limit(h, 2, 250, 7), "config: set"))
		return;
	ASSERT_OK(fp_upcall_limit_get(&h->dp, 2, &l), "config: get");
	ASSERT_EQ(l.rate, 250, "config: rate");
	ASSERT_EQ(l.burst, 7, "config: burst");
	ASSERT_EQ(l.interval_ns, 4000000, "config: interval 1e9/rate");
	ASSERT_EQ(l.tau_ns, 28000000, "config: tau burst*interval");
	/* Only the rate: the burst stays. */
	ASSERT_OK(fp_upcall_limit_set(&h->dp, 2, &rate, NULL),
		  "config: set rate only");
	ASSERT_OK(fp_upcall_limit_get(&h->dp, 2, &l), "config: get again");
	ASSERT_EQ(l.burst, 7, "config: burst kept");
	ASSERT_EQ(l.interval_ns, 333333333, "config: new interval");
	/* Every port, port 0 (unknown in_port) included. */
	ASSERT_OK(set_limit(h, FP_UPCALL_ALL_PORTS, 100, 10),
		  "config: all ports");
	ASSERT_OK(fp_upcall_limit_get(&h->dp, 0, &l), "config: get port 0");
	ASSERT_EQ(l.rate, 100, "config: port 0 rate");
	ASSERT_OK(fp_upcall_limit_get(&h->dp, FP_MAX_PORTS - 1, &l),
		  "config: get last port");
	ASSERT_EQ(l.burst, 10, "config: last port burst");
	cap = fp_test_stderr_begin();
	err = fp_upcall_limit_set(&h->dp, FP_MAX_PORTS, &rate, NULL);
	fp_test_stderr_end(cap, msg, sizeof(msg));
	ASSERT_EQ(err, -EINVAL, "config: port beyond the array refused");
	snprintf(want, sizeof(want),
		 "upcall limit of port %d: port numbers are 0 to %d", FP_MAX_PORTS,
		 FP_MAX_PORTS - 1);
	fp_test_report(strstr(msg, want) != NULL,
		       "config: port beyond the array: message",
		       "said '%s', expected it to say '%s'", msg, want);
}

/* A fresh datapath has the documented defaults on every port. */
static void test_defaults(struct fp_h *h)
{
	struct fp_upcall_limit l;

	ASSERT_OK(fp_upcall_limit_get(&h->dp, 1, &l), "defaults: get");
	ASSERT_EQ(l.rate, FP_UPCALL_RATE_DEFAULT, "defaults: rate");
	ASSERT_EQ(l.burst, FP_UPCALL_BURST_DEFAULT, "defaults: burst");
}

int main(void)
{
	struct fp_h h;

	fp_test_name = "test_upcall_limit";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fp_h_init(&h, 3))
		return 1;
	test_defaults(&h);
	test_flood(&h);
	test_refill(&h);
	test_lost(&h);
	test_reader_counter(&h);
	test_config(&h);
	fp_h_fini(&h);
	return fp_test_exit();
}
