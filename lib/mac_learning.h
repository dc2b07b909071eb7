/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The `normal` action's MAC table: which port a source MAC was last seen
 * on, per VLAN. A hash table keyed by (VID, MAC), with idle aging, move
 * detection, and a bound on its size: when full, learning a new MAC evicts
 * the least recently seen one. Single-threaded, like the rule table.
 */
#ifndef FP_LIB_MAC_LEARNING_H
#define FP_LIB_MAC_LEARNING_H

#include <linux/types.h>

#define FP_MAC_IDLE_NS_DEFAULT (300ull * 1000000000ull)
#define FP_MAC_MAX_DEFAULT 8192

struct fp_mac_table;

/* max_entries 0: FP_MAC_MAX_DEFAULT; idle_ns 0: FP_MAC_IDLE_NS_DEFAULT.
 * NULL if out of memory. */
struct fp_mac_table *fp_mac_table_new(unsigned int max_entries,
				      __u64 idle_ns);
void fp_mac_table_free(struct fp_mac_table *m);
/*
 * Learn src MAC on vlan (VID 0 = untagged) at port. Returns 0 unchanged or
 * new, 1 if the MAC MOVED to another port (the agent then revalidates),
 * -EINVAL for a multicast source (never learned), -ENOMEM.
 */
int fp_mac_learn(struct fp_mac_table *m, __u16 vid, const __u8 mac[6],
		 __u32 port, __u64 now_ns);
/* Port for dst MAC on vlan, or 0 if unknown/expired. */
__u32 fp_mac_lookup(const struct fp_mac_table *m, __u16 vid,
		    const __u8 mac[6], __u64 now_ns);
/* Remove entries idle longer than idle_ns; returns how many. */
int fp_mac_expire(struct fp_mac_table *m, __u64 now_ns);
/* Entries held now (expired ones included until fp_mac_expire). */
unsigned int fp_mac_count(const struct fp_mac_table *m);
/* Forget every entry on @port (the port was removed); returns how many. */
int fp_mac_flush_port(struct fp_mac_table *m, __u32 port);

#endif
