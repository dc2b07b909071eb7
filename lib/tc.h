/* SPDX-License-Identifier: GPL-2.0 */
/* Attaching the parser at TC clsact ingress. */
#ifndef FP_LIB_TC_H
#define FP_LIB_TC_H

#include <stdbool.h>

/* flowpath's filter on a port: `tc filter show dev DEV ingress` shows it
 * as "pref 49152 bpf chain 0 handle 0xf1 fp_parser direct-action". */
#define FP_TC_HANDLE 0xf1
#define FP_TC_PRIORITY 0xc000

/*
 * Attach @prog_fd at ingress of @ifindex, creating the clsact qdisc if
 * needed (@own_qdisc says so). With @replace, swap the program of an
 * existing flowpath filter atomically. Undoes its own qdisc on failure.
 */
int fp_tc_attach(int ifindex, int prog_fd, bool replace, bool *own_qdisc);
/* Remove flowpath's filter, and the qdisc too if flowpath created it. */
int fp_tc_detach(int ifindex, bool own_qdisc);

#endif
