/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF_PROG_TEST_RUN harness: runs pcaps through a real, loaded
 * datapath (every stage, chained by real tail calls) and checks what came
 * out against a table of cases.
 *
 * Each test binary gets its own world: fp_h_init() moves the process into
 * a fresh network namespace (bpffs stays visible, it is a mount), creates
 * veth pairs there as datapath ports and loads datapath fpt-h<pid>. All of
 * it goes away when the process exits, however it exits: the datapath is
 * unloaded by an atexit/signal handler, the namespace dies with the
 * process. The namespace matters: bpf_clone_redirect'ed copies really are
 * transmitted, and must not leave on a device of the host.
 */
#ifndef FP_SELFTESTS_HARNESS_H
#define FP_SELFTESTS_HARNESS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include <linux/bpf.h>
#include <linux/pkt_cls.h> /* TC_ACT_*: the verdicts */

#include "dp.h"
#include "flow_key.h"
#include "actions.h"
#include "counters.h"
#include "flow_stats.h"
#include "ports.h"
#include "upcall.h"

struct perf_buffer;

#define FP_H_MAX_PORTS 8
#define FP_H_MAX_FLOWS 4 /* per case */
#define FP_H_MAX_PKTS 16 /* per pcap */
#define FP_H_MAX_OUT 4 /* copies of one packet */
#define FP_H_MAX_CNT 6 /* counters a case expects to move */
#define FP_H_PKT_MAX 2048 /* largest test packet */

/* "TC_ACT_SHOT" for 2, ... */
const char *fp_h_verdict_name(int verdict);

/* Upcalls read from the datapath's perf buffer. */
struct fp_h_upcall {
	struct fp_upcall hdr;
	unsigned char *pkt; /* hdr.cap_len bytes */
	__u32 sample_size; /* size of the whole perf sample */
};

struct fp_h_upcalls {
	struct perf_buffer *pb;
	int n;
	unsigned long long lost;
	struct fp_h_upcall rec[FP_H_MAX_PKTS];
};

struct fp_h_port {
	__u32 no; /* datapath port number */
	int ifindex;
	char dev[IF_NAMESIZE]; /* the port; its veth peer is <dev>p */
};

struct fp_h {
	char dp_name[FP_DP_NAME_MAX];
	struct fp_dp dp;
	int parser_fd; /* the pinned parser: where every packet enters */
	int n_ports;
	struct fp_h_port port[FP_H_MAX_PORTS]; /* port[i] is port number i+1 */
	/* Read from init on: a miss with no reader would be counted
	 * upcalls_lost instead of upcalls. */
	struct fp_h_upcalls up;
};

/*
 * Set up the namespace, @n_ports veth ports (numbers 1..n) and the
 * datapath, and register the exit handler. Prints a FAIL line and returns
 * -errno if any of it fails.
 */
int fp_h_init(struct fp_h *h, int n_ports);
/* Undo fp_h_init now (also done at exit). */
void fp_h_fini(struct fp_h *h);
/* Reload the datapath in place with miss_verdict @v (`load --miss`). */
int fp_h_set_miss_verdict(struct fp_h *h, int v);
/* The port whose number is @no, or NULL. */
const struct fp_h_port *fp_h_port(const struct fp_h *h, __u32 no);

/* Where the generated pcaps are: $FP_PCAP_DIR, else $FP_TOP/build/pcaps. */
const char *fp_h_pcap_dir(void);
/* Where a test writes what it wants kept: $FP_BUILD/test-output. */
const char *fp_h_output_dir(void);
/* A file next to this test binary (test-only BPF objects live there). */
int fp_h_exe_relative(char *buf, size_t len, const char *leaf);

/* A pcap in memory. */
struct fp_h_pkt {
	unsigned char *data;
	__u32 len;
};

struct fp_h_pcap {
	int n;
	struct fp_h_pkt pkt[FP_H_MAX_PKTS];
};

/* Read @name from the pcap dir (or a path with a '/'); on failure -errno, a
 * message and a FAIL line: every test input must be read. */
int fp_h_pcap_read(const char *name, struct fp_h_pcap *pc);
void fp_h_pcap_free(struct fp_h_pcap *pc);
/* Write @n packets to @path (Ethernet link type). */
int fp_h_pcap_write(const char *path, const struct fp_h_pkt *pkts, int n);

/* The key the userspace build of the parser gives these bytes. */
void fp_h_key_of(const void *pkt, __u32 len, __u32 in_port,
		 struct fp_flow_key *key);

/* One run of a program on one packet. */
struct fp_h_result {
	__u32 retval; /* the TC verdict */
	__u32 len;
	unsigned char data[FP_H_PKT_MAX]; /* the packet as the chain left it */
	__u32 cb[5]; /* skb->cb afterwards */
};

/*
 * BPF_PROG_TEST_RUN of @prog_fd on @pkt as if it arrived on @ifindex
 * (6.18 takes the device from ctx->ifindex, in this namespace). @cb, if
 * not NULL, is the skb->cb the program starts with.
 */
int fp_h_test_run(int prog_fd, int ifindex, const void *pkt, __u32 len,
		  const __u32 *cb, struct fp_h_result *res);
/* The same with skb->mark set to @mark (tap_execute's second pass reads
 * its port there). */
int fp_h_test_run_mark(int prog_fd, int ifindex, __u32 mark, const void *pkt,
		       __u32 len, const __u32 *cb, struct fp_h_result *res);
/* A new fd of the datapath's pinned program progs/@stage, or -errno. */
int fp_h_prog_fd(const struct fp_h *h, const char *stage);

/* ovs-dpctl flow key text into @key; a FAIL line with odp's message if
 * it does not parse. */
int fp_h_key_parse(const char *match, struct fp_flow_key *key);
/*
 * Install a flow (lib/flow_table.h) with ovs-dpctl @actions: "2", "2,3",
 * "drop". With @in_port_flag, an output to the key's in_port carries
 * FP_OUTPUT_F_IN_PORT, as odp gives any flow that names it; without, the
 * action lacks it, as if the slow path had not asked for reflection.
 * 0, or -errno after a FAIL line.
 */
int fp_h_flow_add(struct fp_h *h, const struct fp_flow_key *key,
		  const char *actions, bool in_port_flag);
int fp_h_flow_del(struct fp_h *h, const struct fp_flow_key *key);
/* The stats of the flow at @key, summed over CPUs. */
int fp_h_flow_stats(struct fp_h *h, const struct fp_flow_key *key,
		    struct fp_flow_stats *st);
/* "  @what: <key in ovs-dpctl syntax>", for a failing test's log. */
void fp_h_key_print(const char *what, const struct fp_flow_key *key);

/* Everything a packet may move, read before and after it. */
struct fp_h_snap {
	unsigned long long cnt[FP_CNT_MAX];
	struct fp_port_stats port[FP_H_MAX_PORTS + 1]; /* by port number */
	/* What each port's device really transmitted (/proc/net/dev): the
	 * clones. test_run does not transmit what the program redirects. */
	unsigned long long wire_tx[FP_H_MAX_PORTS + 1];
};

int fp_h_snap(struct fp_h *h, struct fp_h_snap *s);
/*
 * Check that counter deltas between @a and @b are exactly @want (indexed
 * by enum fp_counter, every other counter unchanged); one PASS/FAIL line
 * naming every counter that is off.
 */
bool fp_h_check_counters(const struct fp_h_snap *a, const struct fp_h_snap *b,
			 const long long *want, const char *label);
/* Tx packets of port @no between @a and @b: as port_stats counts them,
 * and as its device put them on the wire. */
long long fp_h_tx_delta(const struct fp_h_snap *a, const struct fp_h_snap *b,
			__u32 no);
long long fp_h_wire_delta(const struct fp_h_snap *a, const struct fp_h_snap *b,
			  __u32 no);

/*
 * Poll until @want records have arrived or @timeout_ms has passed, then
 * keep polling for @settle_ms more, so that a surplus record shows.
 * Returns the number of records held.
 */
int fp_h_upcalls_collect(struct fp_h_upcalls *u, int want, int timeout_ms,
			 int settle_ms);
/*
 * Wait for the upcall of @pkt, which arrived on @in_port, and check that
 * it is the only one: @reason, in_port, lengths, the key the userspace
 * parser gives the bytes, and the bytes. One PASS/FAIL line per check.
 */
bool fp_h_check_upcall(struct fp_h *h, const char *what,
		       const struct fp_h_pkt *pkt, __u32 in_port,
		       __u32 reason);
/* Forget the records held (keep reading). */
void fp_h_upcalls_clear(struct fp_h_upcalls *u);
void fp_h_upcalls_close(struct fp_h_upcalls *u);

/*
 * A table-driven case: every packet of @pcap arrives on @in_port with
 * @flows installed, and each must give @expect. The flows are removed
 * afterwards.
 */
struct fp_h_flow {
	const char *actions; /* ovs-dpctl actions; NULL ends the list */
	const char *match; /* ovs-dpctl key, or NULL: the key that the */
	int key_pkt; /* userspace parser gives this packet of the pcap */
	__u32 in_port; /* arriving on this port (0: the case's in_port) */
	bool no_in_port_flag; /* see fp_h_flow_add() */
};

struct fp_h_count {
	enum fp_counter cnt;
	int delta; /* per packet; 0 ends the list */
};

/* What each packet of a case must do. */
struct fp_h_expect {
	int verdict; /* TC_ACT_* */
	/* Ports sent a copy to, in action order; 0 ends the list. With
	 * TC_ACT_REDIRECT the last is the redirect, the others clones. */
	__u32 out[FP_H_MAX_OUT];
	int flow; /* index in flows[] that accounts the packet, -1 none */
	struct fp_h_count cnt[FP_H_MAX_CNT]; /* the only counters that move */
	bool bytes; /* compare the output bytes (a packet that leaves) */
	/* Recirculation: every flow whose bit is set accounts the packet
	 * (lookup hits each pass); if 0, @flow alone does. */
	unsigned int flows_mask;
};

/*
 * A copy checked where it really arrives: captured (libpcap) on the far
 * end of port @port's veth, every packet of the case giving exactly the
 * packet of @pcap at its index. Only clones leave under test_run (a
 * redirect is not transmitted), and this is where a VLAN tag that the
 * kernel keeps in skb metadata shows: data_out does not have it, the
 * capture has it in the frame, as tcpdump shows it.
 */
#define FP_H_MAX_WIRE 3

struct fp_h_wire {
	__u32 port; /* 0 ends the list */
	const char *pcap;
};

struct fp_h_case {
	const char *desc;
	const char *pcap;
	const char *expect_pcap; /* expected output; NULL: @pcap unchanged */
	__u32 in_port; /* the packets arrive on this port's device */
	const char *in_dev; /* or on this device, which need not be a port */
	struct fp_h_flow flows[FP_H_MAX_FLOWS + 1];
	struct fp_h_expect expect;
	struct fp_h_wire wire[FP_H_MAX_WIRE];
};

/* Run one case: one PASS/FAIL line per check. Returns true if all held. */
bool fp_h_run_case(struct fp_h *h, const struct fp_h_case *c);

#endif
