/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_LIB_DP_LOAD_H
#define FP_LIB_DP_LOAD_H

#include <stdbool.h>

#include <linux/types.h>

struct fp_load_opts {
	int miss_verdict; /* enum fp_miss_verdict, or -1: keep / default */
	/* Every port's upcall bucket (maps/upcall_limit.h). Unless set, a
	 * new datapath gets FP_UPCALL_RATE/BURST_DEFAULT, an upgraded one
	 * keeps what it had. */
	bool upcall_rate_set, upcall_burst_set;
	__u32 upcall_rate, upcall_burst;
};

/*
 * Load every stage into datapath @name, or upgrade it in place if it is
 * loaded: maps are reused (an incompatible pin is refused, naming it), new
 * programs replace the old ones slot by slot and on every attached port,
 * and installed flows keep forwarding throughout. On failure nothing this
 * call created is left behind. @upgraded tells which of the two happened.
 */
int fp_dp_load(const char *name, const struct fp_load_opts *opts,
	       bool *upgraded);

/*
 * Detach from every port, remove every pin. From another network namespace
 * than the datapath's it refuses, unless @force: then the pins go and the
 * filters stay until their devices or qdiscs are removed.
 */
int fp_dp_unload(const char *name, bool force);

#endif
