// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "log.h"
#include "ports.h"
#include "dp_upcall_limit.h"

int fp_upcall_limit_parse(const char *cmd, const char *what, const char *arg,
			  __u32 *out)
{
	bool is_rate = !strcmp(what, "rate");
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (!*arg || *end || *arg == '-' || errno ||
	    v > (is_rate ? FP_UPCALL_RATE_MAX : 0xffffffffull) ||
	    (!is_rate && v == 0)) {
		if (is_rate)
			fp_err("%s: upcall rate '%s': expected upcalls per second, 0 (no limit) to %u",
			       cmd, arg, FP_UPCALL_RATE_MAX);
		else
			fp_err("%s: upcall burst '%s': expected a number of upcalls, 1 to %u",
			       cmd, arg, 0xffffffffu);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int fp_upcall_limit_write_one(int fd, const char *dp_name, __u32 no,
				     const __u32 *rate, const __u32 *burst)
{
	struct fp_upcall_limit l = {};
	int err;

	if (!rate || !burst) {
		if (bpf_map_lookup_elem_flags(fd, &no, &l, BPF_F_LOCK)) {
			err = -errno;
			fp_err("datapath %s: cannot read the upcall limit of port %u: %s",
			       dp_name, no, strerror(-err));
			return err;
		}
	}
	if (rate)
		l.rate = *rate;
	if (burst)
		l.burst = *burst;
	/* A bucket with a rate always has a burst (a load that set only
	 * the rate on a fresh map): one upcall at least gets through. */
	if (l.rate && !l.burst)
		l.burst = 1;
	l.interval_ns = l.rate ? 1000000000ull / l.rate : 0;
	l.tau_ns = l.interval_ns * l.burst;
	l.tat_ns = 0; /* full: the past is before any bpf_ktime_get_ns() */
	/* BPF_F_LOCK: written under the element's spin lock, so the stage
	 * never sees a rate of one setting with the interval of another. */
	if (bpf_map_update_elem(fd, &no, &l, BPF_F_LOCK)) {
		err = -errno;
		fp_err("datapath %s: cannot set the upcall limit of port %u: %s",
		       dp_name, no, strerror(-err));
		return err;
	}
	return 0;
}

int fp_upcall_limit_write(int fd, const char *dp_name, int no,
			  const __u32 *rate, const __u32 *burst)
{
	__u32 i;
	int err;

	if (no >= FP_MAX_PORTS || no < FP_UPCALL_ALL_PORTS) {
		fp_err("datapath %s: upcall limit of port %d: port numbers are 0 to %d",
		       dp_name, no, FP_MAX_PORTS - 1);
		return -EINVAL;
	}
	if (no != FP_UPCALL_ALL_PORTS)
		return fp_upcall_limit_write_one(fd, dp_name, no, rate, burst);
	/* Port 0 too: a packet whose in_port is unknown still upcalls. */
	for (i = 0; i < FP_MAX_PORTS; i++) {
		err = fp_upcall_limit_write_one(fd, dp_name, i, rate, burst);
		if (err)
			return err;
	}
	return 0;
}

int fp_upcall_limit_get(struct fp_dp *dp, __u32 no, struct fp_upcall_limit *l)
{
	if (bpf_map_lookup_elem_flags(dp->map_fd[FP_MAP_UPCALL_LIMIT], &no, l,
				      BPF_F_LOCK))
		return -errno;
	return 0;
}

int fp_upcall_port_stats_sum(struct fp_dp *dp, __u32 no,
			     struct fp_upcall_port_stats *sum)
{
	int i, ncpu = fp_nr_cpus(), err = 0;
	struct fp_upcall_port_stats *v = calloc(ncpu, sizeof(*v));

	if (!v)
		return -ENOMEM;
	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_UPCALL_PORT_STATS], &no, v)) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < ncpu; i++) {
		sum->upcalls += v[i].upcalls;
		sum->rate_limited += v[i].rate_limited;
		sum->lost += v[i].lost;
	}
out:
	free(v);
	return err;
}

int fp_upcall_port_stats_clear(struct fp_dp *dp, __u32 no)
{
	int ncpu = fp_nr_cpus(), err = 0;
	struct fp_upcall_port_stats *zero = calloc(ncpu, sizeof(*zero));

	if (!zero)
		return -ENOMEM;
	if (bpf_map_update_elem(dp->map_fd[FP_MAP_UPCALL_PORT_STATS], &no, zero,
				BPF_ANY))
		err = -errno;
	free(zero);
	return err;
}
