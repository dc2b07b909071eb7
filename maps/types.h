/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types for headers shared by BPF programs and userspace.
 * BPF objects get them from vmlinux.h, userspace from the UAPI headers, so
 * every struct in maps/ has one layout on both sides.
 */
#ifndef FP_MAPS_TYPES_H
#define FP_MAPS_TYPES_H

#ifdef __bpf__
#include "vmlinux.h"
#else
#include <linux/types.h>
#endif

#endif
