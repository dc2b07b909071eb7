/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's tap-execute device: a TAP whose TC ingress runs the
 * datapath's tap_execute stage (maps/tap_execute.h). Written packets are
 * run through the datapath as if they had arrived on the port their
 * header names. The TAP exists as long as the agent holds it open: it is
 * gone when the agent exits, however it exits.
 */
#ifndef FP_AGENT_TAP_H
#define FP_AGENT_TAP_H

#include <net/if.h>

#include <linux/types.h>

struct fp_tap {
	int fd;
	int ifindex;
	char name[IFNAMSIZ];
	__u8 mac[6];
};

/* "fpx" + the datapath's name, shortened with a hash to fit IFNAMSIZ. */
void fp_tap_name(const char *dp_name, char *buf, size_t len);
/*
 * Create the TAP of datapath @dp_name and attach @prog_fd (tap_execute) at
 * its ingress before bringing it up. On failure nothing is left behind.
 */
int fp_tap_open(struct fp_tap *t, const char *dp_name, int prog_fd);
void fp_tap_close(struct fp_tap *t);
/* Run @pkt (@len bytes) through the datapath as arrived on @in_port. */
int fp_tap_execute(struct fp_tap *t, __u32 in_port, const void *pkt,
		   __u32 len);

#endif
