/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The set(...) action in ovs-dpctl syntax (lib/odp_act_set.c), a row of
 * lib/odp_actions.c's table. Internal to lib/odp_*.c.
 */
#ifndef FP_LIB_ODP_ACT_SET_H
#define FP_LIB_ODP_ACT_SET_H

#include "odp_text.h"
#include "flow_key.h"
#include "actions.h"

/* The cursor is just past "set"; @key may be NULL (no protocol check). */
int fp_odp_set_parse(struct fp_odp_in *in, struct fp_action *act,
		     const struct fp_flow_key *key);
void fp_odp_set_format(struct fp_odp_out *o, const struct fp_action *act);

/* set(tunnel(...)) (lib/odp_act_tunnel.c): the cursor is at "tunnel(";
 * sets act->type to FP_ACT_SET_TUNNEL. */
int fp_odp_set_tunnel_parse(struct fp_odp_in *in, struct fp_action *act);
void fp_odp_set_tunnel_format(struct fp_odp_out *o,
			      const struct fp_action *act);

#endif
