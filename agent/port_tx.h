/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the slow path puts a packet on a port's device: one AF_PACKET raw
 * socket for every port, each frame sent to the device's ifindex. A frame
 * sent so leaves by the device's transmit path only: it does not pass the
 * TC ingress of that device, so it never comes back into flowpath there.
 */
#ifndef FP_AGENT_PORT_TX_H
#define FP_AGENT_PORT_TX_H

#include <linux/types.h>

struct fp_port_tx {
	int fd;
};

/* Open the socket (in the caller's network namespace, where the ports'
 * ifindexes mean something). 0, or -errno after a message. */
int fp_port_tx_open(struct fp_port_tx *tx);
void fp_port_tx_close(struct fp_port_tx *tx);
/* Send the whole frame @data (@len bytes, Ethernet header first) out of
 * device @ifindex without waiting. 0, or -errno. */
int fp_port_tx_send(struct fp_port_tx *tx, int ifindex, const void *data,
		    __u32 len);

#endif
