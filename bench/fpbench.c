// SPDX-License-Identifier: GPL-2.0
/*
 * fpbench COMMAND [OPTIONS]: the benchmark driver (see fpbench.h).
 *
 *   frame     print the flow key of each generated flow, in ovs-dpctl syntax,
 *             or write the generated frames into a pcap
 *   actions   can flowpath's datapath run these actions (not the slow path)?
 *   napi      GRO on for a veth, so that it takes XDP-transmitted frames
 *   attach-sink      load the counting sink and attach it to a device
 *   attach-redirect  load the one-helper bpf_redirect program, tc ingress
 *   run       generate traffic for a while and report what arrived (fwd.c)
 *   micro     BPF_PROG_TEST_RUN microbenchmarks of flowpath's stages (micro.c)
 *   micro-exec  the userspace action executor, ns per packet (micro_exec.c)
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "fpbench.h"
#include "log.h"
#include "actions.h"
#include "odp.h"
#include "sink.skel.h"
#include "redirect.skel.h"

/* Handle and priority of the baseline's tc filter. */
#define FPB_TC_HANDLE 1
#define FPB_TC_PRIORITY 1
/* Flow keys `frame` prints: flows one installs with `flowpath flow add`. */
#define FPB_KEYS_MAX 4096

static int frame_opts(int argc, char **argv, int first, long *size, long *flows,
		      long *in_port, const char **pcap)
{
	const char *v;
	int i;

	for (i = first; i < argc; i++) {
		if (fpb_opt(argc, argv, &i, "--size", &v)) {
			if (fpb_parse_int(v, "--size", FPB_MIN_SIZE,
					  FPB_MAX_SIZE, size))
				return -EINVAL;
		} else if (fpb_opt(argc, argv, &i, "--flows", &v)) {
			if (fpb_parse_int(v, "--flows", 1, FPB_MAX_FLOWS,
					  flows))
				return -EINVAL;
		} else if (fpb_opt(argc, argv, &i, "--in-port", &v)) {
			if (fpb_parse_int(v, "--in-port", 1, 255, in_port))
				return -EINVAL;
		} else if (fpb_opt(argc, argv, &i, "--pcap", &v)) {
			*pcap = v;
		} else {
			fpb_err("unknown option '%s'", argv[i]);
			return -EINVAL;
		}
	}
	if (!*pcap && *flows > FPB_KEYS_MAX) {
		fpb_err("--flows %ld: at most %d keys (--pcap takes up to %d frames)",
			*flows, FPB_KEYS_MAX, FPB_MAX_FLOWS);
		return -EINVAL;
	}
	return 0;
}

/*
 * fpbench frame [--size N] [--flows N] [--in-port P] [--pcap FILE]: the
 * flow key of each flow's frame, as flowpath's parser has it (to install
 * its flow); with --pcap, the frames themselves as the generator sends
 * them, into FILE.
 */
int cmd_frame(int argc, char **argv)
{
	unsigned char pkt[FPB_MAX_SIZE];
	char text[FP_ODP_KEY_STRLEN];
	long size = 64, flows = 1, in_port = 1, f;
	const char *pcap = NULL;
	struct fp_flow_key key;
	int len;

	if (frame_opts(argc, argv, 1, &size, &flows, &in_port, &pcap))
		return 2;
	if (pcap)
		return fpb_frames_pcap(pcap, size, flows) ? 1 : 0;
	for (f = 0; f < flows; f++) {
		len = fpb_frame(pkt, sizeof(pkt), size, f, 0);
		fpb_key_of(pkt, len, in_port, &key);
		fp_odp_key_format(&key, text, sizeof(text));
		printf("%s\n", text);
	}
	return 0;
}

/*
 * fpbench actions TEXT: exit 0 if flowpath parses TEXT and runs it in BPF;
 * else 3 and why on stdout: a benchmark row for a feature that has not
 * landed says so instead of measuring the slow path.
 */
int cmd_actions(int argc, char **argv)
{
	unsigned char pkt[FPB_MAX_SIZE];
	char err[FP_ODP_ERR_LEN];
	struct fp_flow_key key;
	struct fp_flow flow = {};
	int len;

	if (argc != 2) {
		fpb_err("usage: fpbench actions TEXT");
		return 2;
	}
	len = fpb_frame(pkt, sizeof(pkt), 64, 0, 0);
	fpb_key_of(pkt, len, 1, &key);
	if (fp_odp_actions_parse(argv[1], &key, &flow, err, sizeof(err))) {
		printf("flowpath does not take '%s': %s\n", argv[1], err);
		return 3;
	}
	if (flow.flags & FP_FLOW_F_SLOW_PATH) {
		printf("'%s' has an action without a BPF stage (slow path only)\n",
		       argv[1]);
		return 3;
	}
	return 0;
}

static int ns_dev_opts(int argc, char **argv, const char **ns, const char **dev,
		       const char **to)
{
	const char *v;
	int i;

	for (i = 1; i < argc; i++) {
		if (fpb_opt(argc, argv, &i, "--netns", &v))
			*ns = v;
		else if (fpb_opt(argc, argv, &i, "--dev", &v))
			*dev = v;
		else if (to && fpb_opt(argc, argv, &i, "--to", &v))
			*to = v;
		else {
			fpb_err("unknown option '%s'", argv[i]);
			return -EINVAL;
		}
	}
	if (!*ns || !*dev || (to && !*to)) {
		fpb_err("usage: %s --netns NS --dev DEV%s", argv[0],
			to ? " --to DEV" : "");
		return -EINVAL;
	}
	return 0;
}

static int dev_index(const char *ns, const char *dev)
{
	int ifindex = (int)if_nametoindex(dev);

	if (!ifindex)
		fpb_err("no device %s in namespace %s", dev, ns);
	return ifindex;
}

/*
 * fpbench napi --netns NS --dev DEV: turn GRO on. A veth takes frames
 * that its peer XDP-transmits only while it has NAPI, which it has with
 * GRO on (or an XDP program, which would cost every system under test).
 * Same as `ethtool -K DEV gro on`, without needing ethtool.
 */
int cmd_napi(int argc, char **argv)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_SGRO, .data = 1 };
	const char *ns = NULL, *dev = NULL;
	struct ifreq ifr = {};
	int fd, err = 0;

	if (ns_dev_opts(argc, argv, &ns, &dev, NULL))
		return 2;
	if (fpb_netns_enter(ns))
		return 1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = (void *)&ev;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr)) {
		err = -errno;
		fpb_err("GRO on %s in %s: %s", dev, ns, strerror(-err));
	}
	if (fd >= 0)
		close(fd);
	return err ? 1 : 0;
}

/*
 * fpbench attach-sink --netns NS --dev DEV: the sink program, attached in
 * native mode. The attachment outlives this process and goes with the
 * device; `fpbench run` finds the counter through it.
 */
int cmd_attach_sink(int argc, char **argv)
{
	const char *ns = NULL, *dev = NULL;
	struct fpb_sink *skel = NULL;
	int ifindex, err;

	if (ns_dev_opts(argc, argv, &ns, &dev, NULL))
		return 2;
	if (fpb_netns_enter(ns))
		return 1;
	ifindex = dev_index(ns, dev);
	if (!ifindex)
		return 1;
	skel = fpb_sink__open_and_load();
	if (!skel) {
		fpb_err("sink: cannot load: %s", strerror(errno));
		return 1;
	}
	err = bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.fpb_sink),
			     XDP_FLAGS_DRV_MODE, NULL);
	if (err)
		fpb_err("sink: attach XDP to %s in %s: %s", dev, ns,
			strerror(-err));
	fpb_sink__destroy(skel);
	return err ? 1 : 0;
}

/*
 * fpbench attach-redirect --netns NS --dev IN --to OUT: the baseline, a
 * cls_bpf direct-action filter at IN's tc ingress that redirects every
 * packet to OUT, attached as flowpath attaches its parser. The filter
 * outlives this process; it goes with the device.
 */
int cmd_attach_redirect(int argc, char **argv)
{
	const char *ns = NULL, *dev = NULL, *to = NULL;
	struct fpb_redirect *skel = NULL;
	int ifindex, out, err;

	if (ns_dev_opts(argc, argv, &ns, &dev, &to))
		return 2;
	if (fpb_netns_enter(ns))
		return 1;
	ifindex = dev_index(ns, dev);
	out = dev_index(ns, to);
	if (!ifindex || !out)
		return 1;
	skel = fpb_redirect__open();
	if (!skel) {
		fpb_err("redirect: cannot open: %s", strerror(errno));
		return 1;
	}
	skel->rodata->out_ifindex = out;
	err = fpb_redirect__load(skel);
	if (err) {
		fpb_err("redirect: cannot load: %s", strerror(-err));
	} else {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FPB_TC_HANDLE,
			    .priority = FPB_TC_PRIORITY,
			    .prog_fd =
				    bpf_program__fd(skel->progs.fpb_redirect));

		err = bpf_tc_hook_create(&hook);
		if (err == -EEXIST)
			err = 0;
		if (!err)
			err = bpf_tc_attach(&hook, &opts);
		if (err)
			fpb_err("redirect: attach at %s ingress in %s: %s", dev,
				ns, strerror(-err));
	}
	fpb_redirect__destroy(skel);
	return err ? 1 : 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "frame", cmd_frame },
	{ "actions", cmd_actions },
	{ "napi", cmd_napi },
	{ "attach-sink", cmd_attach_sink },
	{ "attach-redirect", cmd_attach_redirect },
	{ "run", cmd_run },
	{ "micro", cmd_micro },
	{ "micro-exec", cmd_micro_exec },
};

int main(int argc, char **argv)
{
	size_t i;

	/* libbpf's messages only with FPB_VERBOSE set. */
	fp_verbose = getenv("FPB_VERBOSE") != NULL;
	fp_log_setup_libbpf();
	if (argc >= 2)
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (!strcmp(argv[1], cmds[i].name))
				return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "usage: fpbench COMMAND [OPTIONS]; commands:");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(stderr, " %s", cmds[i].name);
	fprintf(stderr, "\n(bench/run.sh drives it; see bench/fpbench.h)\n");
	return 2;
}
