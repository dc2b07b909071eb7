/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AF_XDP datapath's XDP program (progs/xdp_redirect.bpf.c) and its
 * XSKMAP: one object per device, its map keyed by rx queue index, valued
 * by the AF_XDP socket flowpath afxdp bound to that queue.
 */
#ifndef FP_MAPS_XSK_H
#define FP_MAPS_XSK_H

/* Queues per device the XSKMAP has room for (the map is sized to the
 * device's queue count at load, never above this). */
#define FP_XSK_MAX_QUEUES 64

/* The program's name, as the kernel keeps it (at most 15 characters):
 * how a later start recognises a program a crashed run left attached. */
#define FP_XSK_PROG_NAME "fp_xdp_redirect"

#endif
