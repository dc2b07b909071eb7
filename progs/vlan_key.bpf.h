/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow key after a VLAN tag is pushed or popped, kept in scratch for
 * the actions that follow: parser/vlan_key.h, shared with userspace.
 */
#ifndef FP_PROGS_VLAN_KEY_BPF_H
#define FP_PROGS_VLAN_KEY_BPF_H

#include "common.bpf.h"
#include "vlan_key.h"

#endif
