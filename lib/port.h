/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_LIB_PORT_H
#define FP_LIB_PORT_H

#include <stdbool.h>

#include "dp.h"
#include "ports.h"

/* ports[@no] into @port; 0, or -errno. */
int fp_port_get(struct fp_dp *dp, __u32 no, struct fp_port *port);
/* Is @port's device (ifindex and name) in this network namespace? */
bool fp_port_dev_present(const struct fp_port *port);
/* Port number of @dev given as a device name or a number; 0 if none. */
__u32 fp_port_lookup(struct fp_dp *dp, const char *dev);

/*
 * Make @dev port @no (0: the lowest free number) and, with @attach,
 * attach the parser at its TC ingress. Prints why on failure and leaves
 * the datapath and the device as they were.
 */
int fp_port_add(struct fp_dp *dp, const char *dev, __u32 no, bool attach,
		__u32 *added);
/* Detach and forget port @no. */
int fp_port_del(struct fp_dp *dp, __u32 no);

/* Zero port @no's counters, and its upcall counts. */
int fp_port_stats_clear(struct fp_dp *dp, __u32 no);
/* Sum of port @no's per-CPU counters. */
int fp_port_stats_sum(struct fp_dp *dp, __u32 no, struct fp_port_stats *sum);

#endif
