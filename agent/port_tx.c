// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_packet.h>

#include "log.h"
#include "port_tx.h"

int fp_port_tx_open(struct fp_port_tx *tx)
{
	int err;

	/* Protocol 0: the socket receives nothing, it only sends. */
	tx->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (tx->fd < 0) {
		err = -errno;
		fp_err("agent: cannot open a packet socket for the slow path: %s",
		       strerror(-err));
		return err;
	}
	return 0;
}

void fp_port_tx_close(struct fp_port_tx *tx)
{
	if (tx->fd >= 0)
		close(tx->fd);
	tx->fd = -1;
}

int fp_port_tx_send(struct fp_port_tx *tx, int ifindex, const void *data,
		    __u32 len)
{
	/* sll_protocol 0: the kernel takes skb->protocol from the frame's
	 * own Ethernet header, a VLAN TPID included. */
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
	};
	ssize_t n;

	/* The event loop must never block on one device's queue. */
	n = sendto(tx->fd, data, len, MSG_DONTWAIT, (struct sockaddr *)&sll,
		   sizeof(sll));
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}
