// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath parse-pcap [--engine bpf|user] [--object PARSER.bpf.o] FILE
 *
 * Prints the flow key of every packet of an Ethernet pcap (or pcapng)
 * file, one line per packet in the format of `ovs-ofctl parse-pcap`, so
 * the two can be diffed.
 *
 * --engine bpf (default): each packet runs through the BPF parser stage
 *   itself, a private instance of it (nothing pinned, no datapath needed)
 *   under BPF_PROG_TEST_RUN, and the key is read back from the stage's
 *   per-CPU scratch map on the CPU this process is pinned to.
 * --engine user: the userspace build of the same parser source, as the
 *   AF_XDP datapath runs it.
 * --object FILE: with the bpf engine, the parser stage from FILE (another
 *   compiler's build, say) instead of the one built into flowpath.
 * Neither option is in the command summary: they are for tests (the
 * differential test, each compiler's build against OVS) and debugging.
 *
 * BPF_PROG_TEST_RUN takes no skb shorter than an Ethernet header, none
 * longer than about a page, and (since the 2026 stable fix) no IPv4 or
 * IPv6 frame shorter than its fixed L3 header. The bpf engine keys those
 * with the userspace build of the parser instead (-v names them): they
 * key as OVS keys them, since the two builds are one source, which the
 * differential test checks on every other packet, truncated L3 headers
 * behind VLAN tags and LLC/SNAP included.
 *
 * A packet whose headers reach past the parser's window (FP_PARSE_HDR_MAX
 * bytes) cannot be keyed as OVS keys it: its line is the part that could
 * be keyed, a message names the packet, and the exit status is 1.
 */
#include <errno.h>
#include <stdbool.h>
/* libpcap's classic-BPF header clashes with the kernel's eBPF one. */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/dlt.h>
#include <pcap/pcap.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cmds.h"
#include "dp.h"
#include "flow_extract.h"
#include "key_ofctl.h"
#include "log.h"
#include "scratch.h"
#include "stages.h"

#define TC_ACT_OK 0

/* BPF_PROG_TEST_RUN refuses skb data shorter than this... */
#define TEST_RUN_MIN FP_ETH_HLEN
/* ...and longer than a page less the skb's head- and tailroom; keep
 * clear of that. */
#define TEST_RUN_MAX 3500

enum engine { ENGINE_BPF, ENGINE_USER };

struct bpf_engine {
	struct bpf_object *obj;
	int prog_fd;
	int scratch_fd;
	int cpu; /* the CPU this thread runs on, whose scratch value is ours */
	int ncpu;
	size_t value_size; /* per-CPU values are 8-byte aligned */
	void *values;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: flowpath parse-pcap [--engine bpf|user] [--object FILE] FILE\n"
		"  --engine bpf   run each packet through the BPF parser stage (default)\n"
		"  --engine user  use the userspace build of the same parser\n"
		"  --object FILE  bpf engine: the parser stage object in FILE, not the built-in one\n");
}

/* Pin this thread to the first CPU it may run on. */
static int pin_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			break;
	if (cpu == CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -errno;
	return cpu;
}

static void bpf_engine_close(struct bpf_engine *e)
{
	free(e->values);
	bpf_object__close(e->obj);
}

/* The parser stage, built in or from @path, loaded as a private instance. */
static int bpf_engine_open(struct bpf_engine *e, const char *path)
{
	const struct fp_stage *st = fp_stage_find("parser");
	const char *what = path ? path : "the parser stage";
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	memset(e, 0, sizeof(*e));
	e->cpu = pin_cpu();
	if (e->cpu < 0) {
		fp_err("parse-pcap: cannot pin to a CPU: %s",
		       strerror(-e->cpu));
		return e->cpu;
	}
	if (!st) {
		fp_err("parse-pcap: no parser stage in this build");
		return -ENOENT;
	}
	/* Both print what went wrong. */
	e->obj = path ? fp_object_open_private(path) :
			fp_stage_open_private(st);
	if (!e->obj)
		return -ENOENT;
	err = bpf_object__load(e->obj);
	if (err) {
		fp_err("parse-pcap: cannot load %s: %s (run with -v for the verifier log)",
		       what, strerror(-err));
		goto fail;
	}
	prog = bpf_object__find_program_by_name(e->obj, st->prog);
	map = bpf_object__find_map_by_name(e->obj, "scratch");
	if (!prog || !map) {
		fp_err("parse-pcap: %s has no program %s or no scratch map",
		       what, st->prog);
		err = -ENOENT;
		goto fail;
	}
	e->prog_fd = bpf_program__fd(prog);
	e->scratch_fd = bpf_map__fd(map);
	e->ncpu = fp_nr_cpus();
	if (e->ncpu <= e->cpu) {
		fp_err("parse-pcap: CPU %d is not among the %d possible CPUs",
		       e->cpu, e->ncpu);
		err = -EINVAL;
		goto fail;
	}
	e->value_size = (sizeof(struct fp_scratch) + 7) & ~(size_t)7;
	e->values = calloc(e->ncpu, e->value_size);
	if (!e->values) {
		err = -ENOMEM;
		fp_err("parse-pcap: %s", strerror(ENOMEM));
		goto fail;
	}
	return 0;
fail:
	bpf_engine_close(e);
	return err;
}

/* Whether BPF_PROG_TEST_RUN may refuse @pkt (EINVAL) for what it is:
 * an IPv4 or IPv6 ethertype without a whole fixed L3 header after it. */
static bool test_run_may_refuse(const __u8 *pkt, __u32 len)
{
	__u16 type = (__u16)(pkt[12] << 8 | pkt[13]);

	return (type == FP_ETH_P_IP && len < FP_ETH_HLEN + FP_IPV4_HLEN) ||
	       (type == FP_ETH_P_IPV6 && len < FP_ETH_HLEN + FP_IPV6_HLEN);
}

/*
 * Run the BPF parser on one packet; its key into @key. -EAGAIN: the kernel
 * would not run it on this packet (test_run_may_refuse()).
 */
static int bpf_engine_parse(struct bpf_engine *e, const void *pkt, __u32 len,
			    struct fp_flow_key *key, int *result)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
		    .data_size_in = len, .repeat = 1);
	const struct fp_scratch *s;
	__u32 zero = 0;
	int err;

	err = bpf_prog_test_run_opts(e->prog_fd, &opts);
	if (err) {
		err = -errno;
		if (err == -EINVAL && test_run_may_refuse(pkt, len))
			return -EAGAIN;
		fp_err("parse-pcap: BPF_PROG_TEST_RUN: %s", strerror(-err));
		return err;
	}
	if (bpf_map_lookup_elem(e->scratch_fd, &zero, e->values)) {
		err = -errno;
		fp_err("parse-pcap: reading scratch: %s", strerror(-err));
		return err;
	}
	s = (const void *)((const char *)e->values + e->cpu * e->value_size);
	memcpy(key, &s->key, sizeof(*key));
	/* The stage drops (TC_ACT_SHOT) what it could not key fully, and
	 * passes the rest on: this process' packets are on no port. */
	*result = opts.retval == TC_ACT_OK ? FP_PARSE_OK : FP_PARSE_INCOMPLETE;
	return 0;
}

static int user_parse(const void *pkt, __u32 len, struct fp_flow_key *key)
{
	/* As the BPF stage does: every byte zero, metadata set, then parse. */
	memset(key, 0, sizeof(*key));
	key->in_port = FP_PORT_NONE;
	return fp_flow_extract(key, pkt, (const __u8 *)pkt + len, 0, 0);
}

static pcap_t *open_pcap(const char *file)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int dlt;

	p = pcap_open_offline(file, errbuf);
	if (!p) {
		/* libpcap's message starts with the file name or says what
		 * the bytes are not. */
		if (!strncmp(errbuf, file, strlen(file)))
			fp_err("parse-pcap: cannot read %s", errbuf);
		else
			fp_err("parse-pcap: cannot read %s: %s", file, errbuf);
		return NULL;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(dlt);

		fp_err("parse-pcap: %s: link type %d (%s) is not Ethernet: only Ethernet captures can be parsed",
		       file, dlt, name ? name : "unknown");
		pcap_close(p);
		return NULL;
	}
	return p;
}

int cmd_parse_pcap(int argc, char **argv)
{
	enum engine engine = ENGINE_BPF;
	struct bpf_engine bpf = { .obj = NULL };
	char line[FP_KEY_OFCTL_STRLEN];
	const char *file = NULL, *object = NULL;
	unsigned long n = 0, partial = 0;
	struct pcap_pkthdr *h;
	const u_char *pkt;
	int i, rc, err, ret = 0;
	pcap_t *p;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL;

		if (!strcmp(arg, "--engine") && i + 1 < argc)
			val = argv[++i];
		else if (!strncmp(arg, "--engine=", 9))
			val = arg + 9;
		if (!strcmp(arg, "--object") && i + 1 < argc) {
			object = argv[++i];
		} else if (!strncmp(arg, "--object=", 9)) {
			object = arg + 9;
		} else if (val) {
			if (!strcmp(val, "bpf")) {
				engine = ENGINE_BPF;
			} else if (!strcmp(val, "user")) {
				engine = ENGINE_USER;
			} else {
				fp_err("parse-pcap: unknown engine '%s': expected bpf or user",
				       val);
				return 1;
			}
		} else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			usage(stdout);
			return 0;
		} else if (arg[0] == '-' && arg[1]) {
			fp_err("parse-pcap: unknown option '%s'", arg);
			usage(stderr);
			return 1;
		} else if (file) {
			fp_err("parse-pcap: one file at a time ('%s' and '%s')",
			       file, arg);
			return 1;
		} else {
			file = arg;
		}
	}
	if (!file) {
		fp_err("parse-pcap: no pcap file given");
		usage(stderr);
		return 1;
	}
	if (object && engine != ENGINE_BPF) {
		fp_err("parse-pcap: --object is for the bpf engine");
		return 1;
	}

	p = open_pcap(file);
	if (!p)
		return 1;
	if (engine == ENGINE_BPF && bpf_engine_open(&bpf, object)) {
		pcap_close(p);
		return 1;
	}

	while ((rc = pcap_next_ex(p, &h, &pkt)) == 1) {
		int result = FP_PARSE_OK;
		struct fp_flow_key key;

		n++;
		err = -EAGAIN;
		if (engine == ENGINE_BPF && h->caplen >= TEST_RUN_MIN &&
		    h->caplen <= TEST_RUN_MAX)
			err = bpf_engine_parse(&bpf, pkt, h->caplen, &key,
					       &result);
		if (err == -EAGAIN) {
			if (engine == ENGINE_BPF)
				fp_dbg("%s: packet %lu (%u bytes): BPF_PROG_TEST_RUN does not take it, keyed by the userspace parser",
				       file, n, h->caplen);
			result = user_parse(pkt, h->caplen, &key);
		} else if (err) {
			ret = 1;
			break;
		}
		fp_key_ofctl_format(&key, line, sizeof(line));
		printf("%s\n", line);
		if (result != FP_PARSE_OK) {
			fp_err("parse-pcap: %s: packet %lu: headers reach past the parser's %d-byte window: its key is partial",
			       file, n, FP_PARSE_HDR_MAX);
			partial++;
		}
	}
	if (rc == PCAP_ERROR) {
		fp_err("parse-pcap: %s: after packet %lu: %s", file, n,
		       pcap_geterr(p));
		ret = 1;
	}
	if (partial) {
		fp_err("parse-pcap: %s: %lu of %lu packets keyed partially",
		       file, partial, n);
		ret = 1;
	}
	if (fflush(stdout)) {
		fp_err("parse-pcap: writing output: %s", strerror(errno));
		ret = 1;
	}
	if (engine == ENGINE_BPF)
		bpf_engine_close(&bpf);
	pcap_close(p);
	return ret;
}
