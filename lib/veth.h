/* SPDX-License-Identifier: GPL-2.0 */
/* Test and benchmark topologies: veth pairs made with iproute2. */
#ifndef FP_LIB_VETH_H
#define FP_LIB_VETH_H

/*
 * Create the veth pair @dev/@peer in the caller's network namespace and
 * set both up. Runs `ip` without a shell; 0, or -errno (-EIO if ip failed,
 * its own message on stderr).
 */
int fp_veth_add(const char *dev, const char *peer);

#endif
