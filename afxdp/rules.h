/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rule engine (lib/ofrule.h) in the AF_XDP datapath: each poll thread
 * has its own rule table, loaded from --rules FILE (the engine is
 * single-threaded), so a miss is translated without a lock.
 */
#ifndef FP_AFXDP_RULES_H
#define FP_AFXDP_RULES_H

struct fp_afxdp_thread;

/* Check that @path loads, before anything is set up. 0 or -errno. */
int fp_afxdp_rules_check(const char *path);
/* @t's own table from @path (NULL: none, misses drop). */
int fp_afxdp_rules_open(struct fp_afxdp_thread *t, const char *path);
void fp_afxdp_rules_close(struct fp_afxdp_thread *t);

#endif
