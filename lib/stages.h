/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF stages flowpath is built from: each an object compiled from
 * progs/<name>.bpf.c and embedded in the binary through its skeleton.
 */
#ifndef FP_LIB_STAGES_H
#define FP_LIB_STAGES_H

#include <stddef.h>

struct bpf_object;

struct fp_stage {
	const char *name; /* object: progs/<name>.bpf.c, pinned as progs/<name> */
	const char *prog; /* its program */
	int slot; /* prog-array slot, or -1: not reached by tail call */
	const void *(*elf_bytes)(size_t *size);
};

extern const struct fp_stage fp_stages[];
extern const size_t fp_n_stages;

/* The AF_XDP datapath's XDP program (progs/xdp_redirect.bpf.c): built and
 * verified like a stage, but loaded by flowpath afxdp, once per device,
 * never by a TC datapath (so it is not in fp_stages). */
extern const struct fp_stage fp_xdp_redirect_stage;

/* The stage called @name, or NULL. */
const struct fp_stage *fp_stage_find(const char *name);

/*
 * Open @st's embedded object for a private instance: no map is pinned or
 * reused, so it loads beside (and never touches) any loaded datapath.
 * NULL with a message on failure.
 */
struct bpf_object *fp_stage_open_private(const struct fp_stage *st);

/* Same, from an object file (another compiler's build). */
struct bpf_object *fp_object_open_private(const char *path);

#endif
