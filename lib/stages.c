// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "stages.h"
#include "log.h"
#include "tailcall.h"

#include "parser.skel.h"
#include "recirc.skel.h"
#include "lookup.skel.h"
#include "output.skel.h"
#include "push_vlan.skel.h"
#include "pop_vlan.skel.h"
#include "hash.skel.h"
#include "act_recirc.skel.h"
#include "set_field.skel.h"
#include "set_tunnel.skel.h"
#include "tunnel_encap.skel.h"
#include "tunnel_decap.skel.h"
#include "upcall.skel.h"
#include "xdp_redirect.skel.h"
#include "tap_execute.skel.h"

/* Order matters for an upgrade: the loader swaps prog-array slots from the
 * last entry to the first, so leaves change before what jumps to them, and
 * the entry (parser) last. */
const struct fp_stage fp_stages[] = {
	{ "parser", "fp_parser", -1, parser_bpf__elf_bytes },
	{ "recirc", "fp_recirc", FP_SLOT_RECIRC, recirc_bpf__elf_bytes },
	{ "lookup", "fp_lookup", FP_SLOT_LOOKUP, lookup_bpf__elf_bytes },
	{ "upcall", "fp_upcall_stage", FP_SLOT_UPCALL, upcall_bpf__elf_bytes },
	{ "output", "fp_output", FP_SLOT_OUTPUT, output_bpf__elf_bytes },
	{ "set_field", "fp_set_field", FP_SLOT_SET_FIELD,
	  set_field_bpf__elf_bytes },
	{ "push_vlan", "fp_push_vlan", FP_SLOT_PUSH_VLAN,
	  push_vlan_bpf__elf_bytes },
	{ "pop_vlan", "fp_pop_vlan", FP_SLOT_POP_VLAN, pop_vlan_bpf__elf_bytes },
	{ "hash", "fp_hash", FP_SLOT_HASH, hash_bpf__elf_bytes },
	{ "act_recirc", "fp_act_recirc", FP_SLOT_ACT_RECIRC,
	  act_recirc_bpf__elf_bytes },
	{ "set_tunnel", "fp_set_tunnel", FP_SLOT_SET_TUNNEL,
	  set_tunnel_bpf__elf_bytes },
	{ "tunnel_encap", "fp_tunnel_encap", FP_SLOT_TUNNEL_ENCAP,
	  tunnel_encap_bpf__elf_bytes },
	{ "tunnel_decap", "fp_tunnel_decap", FP_SLOT_TUNNEL_DECAP,
	  tunnel_decap_bpf__elf_bytes },
	/* Attached by the agent to its TAP (maps/tap_execute.h). */
	{ "tap_execute", "fp_tap_execute", -1, tap_execute_bpf__elf_bytes },
};
const size_t fp_n_stages = sizeof(fp_stages) / sizeof(fp_stages[0]);

const struct fp_stage fp_xdp_redirect_stage = {
	"xdp_redirect", "fp_xdp_redirect", -1, xdp_redirect_bpf__elf_bytes
};

const struct fp_stage *fp_stage_find(const char *name)
{
	size_t i;

	for (i = 0; i < fp_n_stages; i++)
		if (!strcmp(fp_stages[i].name, name))
			return &fp_stages[i];
	return NULL;
}

static struct bpf_object *fp_unpin_all(struct bpf_object *obj,
				       const char *what)
{
	struct bpf_map *map;
	int err;

	if (!obj) {
		err = -errno;
		fp_err("%s: cannot open BPF object: %s", what, strerror(-err));
		return NULL;
	}
	bpf_object__for_each_map(map, obj) {
		err = bpf_map__set_pin_path(map, NULL);
		if (err) {
			fp_err("%s: map %s: %s", what, bpf_map__name(map),
			       strerror(-err));
			bpf_object__close(obj);
			return NULL;
		}
	}
	return obj;
}

struct bpf_object *fp_stage_open_private(const struct fp_stage *st)
{
	size_t size;
	const void *bytes = st->elf_bytes(&size);

	return fp_unpin_all(bpf_object__open_mem(bytes, size, NULL), st->name);
}

struct bpf_object *fp_object_open_private(const char *path)
{
	return fp_unpin_all(bpf_object__open_file(path, NULL), path);
}
