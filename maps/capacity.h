/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_MAPS_CAPACITY_H
#define FP_MAPS_CAPACITY_H

/* Flow table capacity; also the number of flow_stats slots. */
#define FP_MAX_FLOWS 65536

#endif
